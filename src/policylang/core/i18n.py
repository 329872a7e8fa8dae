"""Language choice and the user-interface words of the CLI and explanations.

Diagnostics carry their own English and Chinese text; this module holds the rest.
"""

from __future__ import annotations

import os
import re
import sys

LANGS = ("en", "zh")


def default_lang() -> str:
    """``zh`` when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG; on Windows, which sets none
    of them, the language of its user interface), else ``en``."""
    for var in ("POLICYLANG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if sys.platform == "win32":
        return "zh" if windows_ui_language() & 0x3FF == _LANG_CHINESE else "en"
    return "en"


_LANG_CHINESE = 0x04  # the primary language of a Windows LANGID (its low 10 bits): 0x0804 zh-CN, 0x0404 zh-TW


def windows_ui_language() -> int:
    """The LANGID of the Windows user interface's language (0 when it cannot be asked)."""
    try:
        import ctypes

        return ctypes.windll.kernel32.GetUserDefaultUILanguage()
    except (AttributeError, OSError):
        return 0


WORDS: dict[str, dict[str, str]] = {
    "error": {"en": "error", "zh": "错误"},
    "warning": {"en": "warning", "zh": "警告"},
    "help": {"en": "help", "zh": "提示"},
    "note": {"en": "note", "zh": "说明"},
    "must_rotate": {"en": "must rotate", "zh": "须交流"},
    "eligible": {"en": "eligible", "zh": "可交流"},
    "exempt": {"en": "exempt", "zh": "免于交流"},
    "not_eligible": {"en": "not eligible", "zh": "不在交流范围"},
    "fired": {"en": "applies", "zh": "适用"},
    "not_fired": {"en": "does not apply", "zh": "不适用"},
    "unknown": {"en": "unknown (a value is missing)", "zh": "无法判断（缺少数据）"},
    "exempted": {"en": "applies, but exempted by", "zh": "适用，但因豁免条款免于交流："},
    # an `eligible` rule an exemption defeats decides nothing: the person is not in its pool
    "set_aside": {"en": "applies, but set aside by", "zh": "适用，但因豁免条款不列入该范围："},
    "applies": {"en": "applies", "zh": "适用"},
    "met": {"en": "met", "zh": "已满足"},
    "unmet": {"en": "not met", "zh": "未满足"},
    "not_applicable": {"en": "does not apply to this person", "zh": "不适用于此人"},
    "in_force": {"en": "in force", "zh": "正在执行"},
    "expired": {"en": "expired", "zh": "已期满"},
    "not_triggered": {"en": "not triggered", "zh": "未触发"},
    # its event came before the policy's `effective` date (the step's detail): a sanction is not retroactive
    "before_effective": {"en": "not triggered: its event came before the policy took effect on",
                         "zh": "未触发：事件早于政策生效日期"},
    "rule": {"en": "rule", "zh": "规则"},
    "exemption": {"en": "exemption", "zh": "豁免"},
    "prerequisite": {"en": "prerequisite", "zh": "晋升前提"},
    "penalty": {"en": "penalty", "zh": "惩处"},
    "benefit": {"en": "benefit", "zh": "激励"},
    "status": {"en": "status", "zh": "结论"},
    "decided_by": {"en": "decided by", "zh": "依据规则"},
    "direction": {"en": "direction", "zh": "交流方向"},
    "uncertain": {"en": "uncertain", "zh": "数据不全待核实"},  # a decision an empty value leaves open
    "promotion": {"en": "promotion", "zh": "职称晋升"},
    "penalties": {"en": "penalties", "zh": "惩处"},
    "benefits": {"en": "benefits", "zh": "激励"},
    "cite": {"en": "sources", "zh": "依据"},
    "ok": {"en": "prerequisites met", "zh": "条件已满足"},
    "until": {"en": "until", "zh": "至"},
    "as_of": {"en": "reference date", "zh": "参考日期"},
    "none": {"en": "none", "zh": "无"},
    "first": {"en": "first-grade teacher", "zh": "一级教师"},
    "senior": {"en": "senior teacher", "zh": "高级教师"},
    "full_senior": {"en": "full senior teacher", "zh": "正高级教师"},
    "principal": {"en": "principal", "zh": "校长"},
    "why": {"en": "why", "zh": "理由"},
    "reads": {"en": "values", "zh": "取值"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
}


# what each kind of declaration is called, in every view of a policy (the checker's messages, the
# editor, the studio, the diff): one name each, precedence (between exemptions) and priority (who
# is selected first) told apart
DECLARATION_KINDS: dict[str, tuple[str, str]] = {
    "policy": ("policy", "政策"), "extends": ("extends", "继承"), "source": ("source", "来源"),
    "field": ("field", "字段"), "parameter": ("parameter", "参数"), "definition": ("definition", "定义"),
    "rule": ("rule", "规则"), "exemption": ("exemption", "豁免"), "precedence": ("precedence", "豁免优先顺序"),
    "prerequisite": ("prerequisite", "晋升前提"), "penalty": ("penalty", "惩处"), "benefit": ("benefit", "激励"),
    "quota": ("quota", "名额要求"), "priority": ("priority", "优先选派"),
    "provision": ("provision", "不能按名册判断的条款"), "repeal": ("repeal", "废止"),
}


def promotion_target(target: str, lang: str) -> str:
    """A promotion target as a reader names it: a title (高级教师), or the principal's post as
    taking it up (任校长): 校长 alone reads as a title, which it is not."""
    if target == "principal":
        return "任校长" if lang == "zh" else "appointment as principal"
    return word(target, lang)


def promotion_heading(target: str, lang: str) -> str:
    """The line of a decision about a target: `晋升高级教师` (`promotion senior teacher`), but
    `任校长` (no title)."""
    if target == "principal":
        return promotion_target(target, lang)
    return f"晋升{word(target, lang)}" if lang == "zh" else f"{word('promotion', lang)} {word(target, lang)}"


def declaration_kind(key: str, lang: str) -> str:
    """A kind of declaration (``DECLARATION_KINDS``) as a reader of ``lang`` calls it."""
    en, zh = DECLARATION_KINDS.get(key, (key, key))
    return zh if lang == "zh" else en


def word(key: str, lang: str) -> str:
    entry = WORDS.get(key)
    return entry[lang] if entry else key


# The contract's exemption and direction codes, as a person reads them. A code a policy
# defines itself has no entry here: it is shown as it is (or as the policy titles it).
EXEMPTIONS: dict[str, dict[str, str]] = {
    "pregnancy": {"en": "pregnancy", "zh": "孕期"},
    "maternity": {"en": "maternity leave", "zh": "产假"},
    "nursing": {"en": "nursing", "zh": "哺乳期"},
    "illness": {"en": "serious illness", "zh": "重病"},
    "investigation": {"en": "under investigation", "zh": "审查调查"},
    "sanction": {"en": "under sanction", "zh": "处分期内"},
    "recent_support": {"en": "recent support teaching", "zh": "近期支教"},
    "support_selected": {"en": "selected for support teaching", "zh": "已选派支教"},
    "new_teacher": {"en": "new teacher", "zh": "新教师"},
    "near_retirement": {"en": "near retirement", "zh": "临近退休"},
    # not among the contract's codes, but a ground every county has (JA-9: 未任课的不得作为专任教师派出)
    "not_teaching": {"en": "not teaching", "zh": "未任课"},
}
# `as 重病` is `as illness`: the Chinese name of a built-in category is that category (its
# privacy rules too: a report meant to be passed around hides it), not a new one of its own
CHINESE_EXEMPTIONS = {labels["zh"]: code for code, labels in EXEMPTIONS.items()}

DIRECTIONS: dict[str, dict[str, str]] = {
    "to_rural": {"en": "to a rural school", "zh": "到农村学校"},
    "to_weak": {"en": "to a weak school", "zh": "到薄弱学校"},
    "to_mountain": {"en": "to a mountain school", "zh": "到山区学校"},
    "to_town": {"en": "to a town school", "zh": "到县城学校"},
    "to_plain_or_mountain": {"en": "to a plain or mountain school", "zh": "到平原或山区学校"},
    "within_cluster": {"en": "within the cluster", "zh": "片区内交流"},
    "to_understaffed": {"en": "to an understaffed school", "zh": "到缺编学校"},
}


def exemption_label(code: str, lang: str) -> str:
    """An exemption code as a person reads it; a code of the policy's own, as it is."""
    entry = EXEMPTIONS.get(code)
    return entry[lang] if entry else code


def direction_label(code: str, lang: str) -> str:
    """A direction code as a person reads it; a code of the policy's own, as it is."""
    entry = DIRECTIONS.get(code)
    return entry[lang] if entry else code


_ASSUMPTION_LABEL = re.compile(r"^ASSUMPTION\s*(?:[（(][^（）()]*[）)])?\s*[:：]\s*")


def without_assumption_label(note: str) -> str:
    """A note without the `ASSUMPTION:` (or `ASSUMPTION（XM）：`) a drafter marks a reading with:
    where it is said as the value assumed already (R013 in Chinese, a parameter's name)."""
    return _ASSUMPTION_LABEL.sub("", note.strip())
