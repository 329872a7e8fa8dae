"""Diagnostics as text (with the source line and a caret) or as JSON. The text is safe on a
terminal: a control character of the source or of a message shows as its escape (``\\x1b``,
``safe_text``), and the caret counts the line as shown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

from policylang.core.diagnostics import CODES, Diagnostic
from policylang.core.i18n import direction_label, exemption_label, promotion_heading, word
from policylang.core.source import Source
from policylang.core.text_width import display_width
from policylang.lang import schema as S
from policylang.io.safe_text import terminal_text
from policylang.present.explain import condition_text, outcome_text




def sort_key(d: Diagnostic):
    s = d.span
    return (s.source, s.line, s.column) if s else ("", 0, 0)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


_LONGEST_SHOWN = 240  # characters of a source line a diagnostic shows, at most
_CONTEXT = 60  # of a longer line, shown before and after the span


def diagnostic_text(d: Diagnostic, sources: Mapping[str, Source], lang: str = "en") -> str:
    head = f"{word(d.severity, lang)}[{d.code}]{_colon(lang)}{d.message(lang)}"
    lines = [head]
    span = d.span
    if span is not None and span.line > 0:
        lines.append(f"  --> {span.source}:{span.line}:{span.column}")
        source = sources.get(span.source)
        if source is not None:
            text = source.line_text(span.line)
            gutter = len(str(span.line))
            first = span.column - 1
            last = span.end_column - 1 if span.end_line == span.line else len(text)
            # a long line (a set of 100,000 codes) shown around the span only: each of its diagnostics
            # printed it whole, 600 KB a time
            low = max(0, first - _CONTEXT) if len(text) > _LONGEST_SHOWN else 0
            high = min(len(text), max(last, first + 1) + _CONTEXT, low + _LONGEST_SHOWN) \
                if len(text) > _LONGEST_SHOWN else len(text)
            before = ("…" if low else "") + text[low:first]
            start = display_width(terminal_text(before))
            width = max(1, display_width(terminal_text(text[first:min(last, high)])))
            lines.append(f"{' ' * gutter} |")
            lines.append(f"{span.line} | {terminal_text(before + text[first:high])}{'…' if high < len(text) else ''}")
            lines.append(f"{' ' * gutter} | {' ' * start}{'^' * width}")
        for label in d.labels:
            if label.span.line > 0 and label.span != span:
                msg = label.zh if lang == "zh" else label.en
                same_line = (label.span.source, label.span.line) == (span.source, span.line)
                at = f"{label.span.source}:{label.span.line}:{label.span.column}"
                where = "" if same_line else f"（{at}）" if lang == "zh" else f" ({at})"
                lines.append(f"  = {word('note', lang)}{_colon(lang)}{msg}{where}")
    help_text = d.help(lang)
    if help_text:
        lines.append(f"  = {word('help', lang)}{_colon(lang)}{help_text}")
    return terminal_text("\n".join(lines), newlines=True)


def diagnostics_text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, Source], lang: str = "en") -> str:
    return "\n\n".join(diagnostic_text(d, sources, lang) for d in sorted(diagnostics, key=sort_key))


def diagnostic_json(d: Diagnostic) -> dict:
    span = None
    if d.span is not None:
        s = d.span
        span = {"file": s.source, "line": s.line, "column": s.column, "end_line": s.end_line,
                "end_column": s.end_column}
    return {
        "code": d.code, "severity": d.severity, "title": CODES.get(d.code, ""),
        "message": {"en": d.en, "zh": d.zh}, "span": span,
        "help": {"en": d.help_en, "zh": d.help_zh} if d.help_en or d.help_zh else None,
        "labels": [{"message": {"en": l.en, "zh": l.zh}, "file": l.span.source, "line": l.span.line,
                    "column": l.span.column} for l in d.labels],
    }


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([diagnostic_json(d) for d in sorted(diagnostics, key=sort_key)], ensure_ascii=False, indent=2)


def asserts_nothing_text(lang: str) -> str:
    """What `policylang test` and the studio say of a test with no `expect` (L318)."""
    return ("没有写 expect：本测试只作出决定，没有检验任何结论，不计为通过" if lang == "zh" else
            "no `expect`: this test decides and asserts nothing; it is not counted as passed")


def tests_summary(passed: int, failed: int, empty: int, lang: str) -> str:
    """`policylang test`'s last line (the studio's too): how many passed, failed, asserted nothing."""
    if lang == "zh":
        return f"通过 {passed} 项，未通过 {failed} 项" + (f"，未检验任何结论 {empty} 项" if empty else "")
    return f"{passed} passed, {failed} failed" + (f", {empty} asserting nothing" if empty else "")


def mismatch_text(m, lang: str) -> str:
    """What a failed test's expectation wanted and what the decision was (``testing.Mismatch``):
    `status: expected exempt, got must_rotate`, in Chinese `结论：预期 免于交流（exempt），实际 …`."""
    if m.outcome == "until":
        return _until_text(m, lang)
    if m.outcome == "may_decline":  # the exemption held as a ground to invoke: say how a test expects that
        label = _value_zh(m.expected, "exemption") if lang == "zh" else m.expected
        became = (f"{label}成立，但只是本人可申请不参加（仍为交流对象），应写 expect may decline "
                  f"{exemption_label(m.expected, 'zh')}" if lang == "zh" else
                  f"{label} holds as a ground the person may invoke (may decline, still a target): write "
                  f"`expect may decline {m.expected}`")
    elif m.outcome == "outranked_same":  # the rule expected held; another of the same conclusion came first
        became = (f"{m.expected} 也成立，但 {m.detail} 结论相同且排在前面（所继承文件的规则在前），交流方向等均以 {m.detail} "
                  f"为准；如应由 {m.expected} 决定，请废止（repeal）或覆盖（override）{m.detail}" if lang == "zh" else
                  f"{m.expected} held too, but {m.detail} concludes the same and comes first (a rule of a file extended "
                  f"does), so {m.detail} decides (its direction too); for {m.expected} to decide, repeal or override "
                  f"{m.detail}")
    elif m.outcome == "no_target":  # expecting exempt (or an exemption) where no must_rotate rule held
        became = ("免于交流只给本应交流的人：没有一条须交流的规则成立，豁免无从适用" if lang == "zh" else
                  "exempt is for one a must_rotate rule holds for: none held, so no exemption applies")
    elif m.outcome == "outranked":  # the rule expected held; another concluded more strongly (须交流 over 可交流)
        became = (f"{m.expected} 也成立，但 {m.detail} 的结论更强，以 {m.detail} 为准" if lang == "zh" else
                  f"{m.expected} held too, but {m.detail} concludes more strongly and decides")
    else:
        became = m.outcome and f"{m.expected.split(' ')[0]} {outcome_text(m.outcome, m.detail, lang)}"
    said, comma, gap = ("未成立：", "，", "") if lang == "zh" else ("did not hold: ", ", ", " ")
    # (a clause false by one condition: the others left unknown do not matter, `–` as explain marks them)
    not_held = [f"{ident} {said}" + comma.join(condition_text(c, lang, gap=gap, moot=any(d.value is False for d in conditions))
                                               for c in conditions)
                for ident, conditions in m.failed]
    held = "成立：" if lang == "zh" else "held: "
    not_held += [f"{ident} {held}" + comma.join(condition_text(c, lang, gap=gap) for c in conditions)
                 for ident, conditions in m.held]
    not_held += [f"{ident} {outcome_text(outcome, None, lang)}{_colon(lang)}"
                 + comma.join(condition_text(c, lang, gap=gap) for c in conditions)
                 for ident, outcome, conditions in m.prerequisites]  # why a promotion came out otherwise
    not_held += [f"{ex} 成立，但只豁免 {rule}，不豁免 {m.rule}（如也应豁免，请在 {ex} 的 to 中加上 {m.rule}）" if lang == "zh" else
                 f"{ex} held, but exempts from {rule}, not from {m.rule} (if it should, add {m.rule} to its `to`)"
                 for ex, rule in m.exempted_other]
    why_en = ", ".join(filter(None, [m.rule and f"rule {m.rule}",
                                     m.exemption and f"exemption {m.exemption}", became]))
    if lang == "zh":
        kind = m.what.split(" ")[0]
        why = "，".join(filter(None, [m.rule and f"依据规则 {m.rule}",
                                      m.exemption and f"豁免 {exemption_label(m.exemption, 'zh')}", became]))
        return (f"{_what_zh(m.what)}：预期 {_value_zh(m.expected, kind)}，实际 {_value_zh(m.actual, kind)}"
                + (f"（{why}）" if why else "") + "".join(f"；{line}" for line in not_held))
    return (f"{m.what}: expected {m.expected}, got {m.actual}" + (f" ({why_en})" if why_en else "")
            + "".join(f"; {line}" for line in not_held))


def _until_text(m, lang: str) -> str:
    """A penalty's or benefit's last day not the one a test expects (`expect penalty P-1 [effect E]
    until D`), said plainly: whose, what was expected, and each effect's last day as it came out
    (or that it has none); one day apart, how a period is counted; an effect ending on the day
    expected beside another that does not, how to test that one alone."""
    kind, rule = m.what.split(" ")[:2]
    zh = lang == "zh"

    def named(effect: str, label: str | None) -> str:
        return (f"“{label}”（{effect}）" if label else effect) if zh else (f"{effect} ({label})" if label else effect)

    def last(day: str | None) -> str:
        return ("最后一天是 " + day if day else "没有截止日期") if zh else ("ends on " + day if day else "has no end date")

    expected = dt.date.fromisoformat(m.expected)
    wrong = [(e, label, day) for e, label, day in m.ends if day != m.expected]
    one_day = any(day and abs((dt.date.fromisoformat(day) - expected).days) == 1 for _, _, day in wrong)
    right = [e for e, _, day in m.ends if day == m.expected]
    if zh:
        whose = f"{word(kind, 'zh')} {rule}" + (f" 的{named(*m.ends[0][:2])}" if " effect " in m.what else "")
        came = ("实际" + last(m.ends[0][2]) if " effect " in m.what or len(m.ends) == 1 else
                "实际" + "，".join(named(e, label) + last(day) for e, label, day in m.ends))
        said = f"{whose}：预期最后一天是 {m.expected}，{came}"
        if one_day:
            said += "（相差一天：期限自事件次日起算，期满之年的对应日是最后一天，当天仍在期内）"
        if right:
            said += f"（如只检验其中一项，请写 expect {kind} {rule} effect {right[0]} until {m.expected}）"
        return said
    whose = f"{kind} {rule}" + (f", effect {named(*m.ends[0][:2])}" if " effect " in m.what else "")
    came = ("but it " + last(m.ends[0][2]) if " effect " in m.what or len(m.ends) == 1 else
            "but " + " and ".join(f"{named(e, label)} {last(day)}" for e, label, day in m.ends))
    said = f"{whose}: expected its last day to be {m.expected}, {came}"
    if one_day:
        said += (" (one day apart: a period counts from the day after its event, and its last day is the "
                 "corresponding day at its end, still in force)")
    if right:
        said += f" (to test that one alone, write `expect {kind} {rule} effect {right[0]} until {m.expected}`)"
    return said


_WHAT_ZH = {"until": "的最后一天", "effect": "效果", "quota": "名额要求", "may_decline": "可申请不参加"}


def _what_zh(what: str) -> str:
    """A mismatch's subject in Chinese: `penalty PEN-1 effect E until` → `惩处 PEN-1 效果 E 的最后一天`,
    `promotion senior` → `职称晋升 高级教师`, `quota Q-1 at S1` → `名额要求 Q-1（S1）`."""
    if what.startswith("selection at "):
        return f"{what.removeprefix('selection at ')} 的建议人选"
    if what.startswith("promotion "):
        return promotion_heading(what.removeprefix("promotion "), "zh")
    quota, at, group = what.partition(" at ")
    if what.startswith("quota ") and at:
        return f"{_what_zh(quota)}（{group}）"
    first, *rest = what.split(" ")
    return " ".join([_WHAT_ZH.get(first) or word(first, "zh"), *(_WHAT_ZH.get(part) or word(part, "zh")
                                                                  for part in rest)]).replace(" 的", "的")


_VALUES_ZH = {"(none)": "（无）", "(nobody)": "（无）", "ok": "已满足",
              "not a promotion target for this person": "此人不以此为晋升目标",
              "no requirement (the quota does not apply there)": "无要求（该名额不适用于此）"}


def _value_zh(value: str, kind: str = "") -> str:
    """An expected or actual value in Chinese, as the part of the decision (``kind``) names it:
    a status, an exemption or a direction by its label, unmet prerequisites, a quota's number."""
    if value in _VALUES_ZH:
        return _VALUES_ZH[value]
    if kind in ("penalty", "benefit") and value.startswith("no "):  # `expect no penalty [P-1 [effect E]]`
        rest = value.removeprefix("no ")
        none = "无惩处" if kind == "penalty" else "无激励"
        return none if rest == kind else f"{none} {_value_zh(rest, kind)}"
    # the word the drafter reads first (as a Chinese test writes it: expect status 须交流), the code after
    if kind == "exemption" and exemption_label(value, "zh") != value:
        return f"{exemption_label(value, 'zh')}（{value}）"
    if kind == "may_decline":  # the grounds, each by its label
        return "、".join(_value_zh(code, "exemption") for code in value.split(", "))
    if kind == "direction" and direction_label(value, "zh") != value:
        return f"{direction_label(value, 'zh')}（{value}）"
    if kind == "promotion" and value.startswith("unmet "):
        return "未满足 " + "、".join(value.removeprefix("unmet ").split(", "))
    if kind == "quota":
        return f"须交流 {value.removeprefix('requires ')} 人" if value.startswith("requires ") else f"{value} 人"
    if kind == "selection":
        return "、".join(value.split(", "))
    if kind == "uncertain":  # the fields, by the names an official reads (任现职时间), the name after
        return "、".join(f"{label}（{f}）" if (label := S.column_label(f, "zh")) != f else f for f in value.split(", "))
    translated = word(value, "zh")
    return f"{translated}（{value}）" if translated != value else value.replace(" effect ", " 效果 ").replace(
        " until ", " 至 ")
