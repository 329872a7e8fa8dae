"""The editor's own words, in English and Chinese: what a name is called (a declaration as every
view of a policy calls it, ``i18n.DECLARATION_KINDS``)."""

from __future__ import annotations

from policylang.core.i18n import DECLARATION_KINDS
from policylang.core.source import PRELUDE_NAME
from policylang.lang.types import ENUM_ZH

KINDS: dict[str, tuple[str, str]] = {
    **DECLARATION_KINDS, "define": DECLARATION_KINDS["definition"],
    "sample": ("sample", "样例"), "test": ("test", "测试"),
    "function": ("function", "函数"), "code": ("code", "取值代码"), "keyword": ("keyword", "关键字"),
}

PHRASES: dict[str, tuple[str, str]] = {
    "declared_in": ("declared in", "声明于"),
    "overridden_in": ("overridden in", "覆盖于"),
    "repealed_in": ("repealed in", "废止于"),
    "changed_further": ("In the files that extend this one", "在扩展本文件的政策中"),
    "line": ("line", "行"),
    "value": ("value", "取值"),
    "in_force": ("in force", "现行"),
    "cites": ("cites", "依据"),
    "codes": ("codes", "取值"),
    "type": ("type", "类型"),
    "teacher_field": ("teacher field", "教师字段"),
    "school_field": ("school field", "学校字段"),
    "declared_field": ("declared by the policy", "由政策声明"),
    "in_base": ("in", "见"),
    "add_cite": ("Add `cite {}`", "加上 `cite {}`"),
}


def kind(key: str, lang: str) -> str:
    en, zh = KINDS.get(key, (key, key))
    return zh if lang == "zh" else en


def phrase(key: str, lang: str) -> str:
    en, zh = PHRASES[key]
    return zh if lang == "zh" else en


def enum_name(name: str, lang: str) -> str:
    """A code list by the column holding it: `area`, in Chinese 区域."""
    return ENUM_ZH.get(name, name) if lang == "zh" else name


BUILT_IN_FILE = {"zh": "内置定义（prelude.pol）", "en": "the built-in definitions (prelude.pol)"}


def where(shown: str, line: int, lang: str) -> str:
    """``fujian.pol`` line 12, as a drafter reads it (``line`` 0-based); the built-in definitions
    by what they are, not the spans' name for their file (`<prelude>`)."""
    if shown == PRELUDE_NAME:
        return f"{BUILT_IN_FILE['zh']}第 {line + 1} 行" if lang == "zh" else f"{BUILT_IN_FILE['en']} line {line + 1}"
    return f"`{shown}` 第 {line + 1} 行" if lang == "zh" else f"`{shown}` line {line + 1}"


def colon(lang: str) -> str:
    """What comes after a heading word: `类型：…`, `type: …`."""
    return "：" if lang == "zh" else ": "


# What a keyword means, for a drafter hovering over it (docs/language.md says it at length).
KEYWORDS: dict[str, tuple[str, str]] = {
    "at least": ("`>=`: the number itself included (满、以上、不少于、达到)", "即 `>=`，含本数（满、以上、不少于、达到）"),
    "at most": ("`<=`: the number itself included (以下、以内、不超过)", "即 `<=`，含本数（以下、以内、不超过）"),
    "less than": ("`<`: the number itself excluded (不满、未满、少于、不足)", "即 `<`，不含本数（不满、未满、少于、不足）"),
    "more than": ("`>`: the number itself excluded (超过)", "即 `>`，不含本数（超过）"),
    "is set": ("the value is filled in", "该项已填写"),
    "is empty": ("the value is not filled in", "该项未填写"),
    "when": ("who the clause concerns: a yes/no condition", "适用对象：一个“是/否”条件"),
    "then": ("the outcome: `must_rotate` (交流对象) or `eligible` (可交流)", "结论：`must_rotate`（须交流）或 `eligible`（可交流）"),
    "cite": ("`cite SOURCE \"section\"`: where the clause comes from", "写作 `cite 来源 \"条款\"`，条款出处"),
    "extends": ("take every declaration of another policy file in this folder (not its tests)",
                "继承同一目录中另一份政策文件的全部声明（测试除外）"),
    "override": ("replace a declaration of the base policy, keeping its place", "覆盖被继承政策中的同名声明，位置不变"),
    "repeal": ("remove a rule, exemption … of the base policy", "废止被继承政策中的规则、豁免等条款"),
    "precedence": ("which exemption is reported when several apply: `precedence A > B`",
                   "多条豁免同时符合时以哪条为准：`precedence A > B`"),
    "exemption": ("sets a rule aside for those it concerns (不作为交流对象)", "对符合条件者免于适用规则（不作为交流对象）"),
    "prerequisite": ("a condition for a title or a principal post (评聘职称、任校长的前提)", "评聘职称或任校长的前提条件"),
    "provision": ("a clause a roster cannot decide, kept with its citation", "无法按名册判断的条款，保留其出处"),
    "as_of": ("the reference date (参考日期): ages and years are counted up to it", "参考日期：年龄、年限都计算到这一天"),
}
