"""An explanation as readable text, in English or Chinese, safe on a terminal: the values of
the roster are shown with their control characters escaped (``safe_text``)."""

from __future__ import annotations

import attrs

from policylang.lang import schema as S
from policylang.lang.decisions import Explanation, PromotionCheck, Step
from policylang.lang.policy import version_said
from policylang.core.i18n import direction_label, exemption_label, promotion_heading, promotion_target, word
from policylang.io.safe_text import terminal_text
from policylang.lang.pretty import display_name, name_text, value_text

_MARK = {True: "✓", False: "✗", None: "?"}
_FALSE_OUTCOMES = frozenset({"not_fired", "not_triggered", "not_applicable"})  # a step whose clause is false
_SECTIONS = (("rule", "rule"), ("exemption", "exemption"), ("prerequisite", "prerequisite"),
             ("penalty", "penalty"), ("benefit", "benefit"))


def direction_text(direction: str | None, lang: str) -> str:
    """A direction for an explanation: its Chinese label, or in English its label and code
    (to a mountain school (to_mountain)); a direction of the policy's own, its code."""
    if direction is None:
        return word("none", lang)
    label = direction_label(direction, lang)
    return label if lang == "zh" or label == direction else f"{label} ({direction})"


def exemption_text(code: str | None, lang: str) -> str:
    if code is None:
        return word("none", lang)
    return exemption_label(code, "zh") if lang == "zh" else code


def promotion_text(check: PromotionCheck, lang: str, left_open: tuple[str, ...] = ()) -> str:
    """A promotion entry: ok, or what is unmet (a barring penalty with the day it lifts); a
    prerequisite in ``left_open`` (a missing value left it unknown) marked to check."""
    mark = "（待核实）" if lang == "zh" else " (to check)"
    if check.ok:
        unsure = [p for p in left_open if p not in check.unmet]
        return word("ok", lang) + ((f"（{_names(unsure, lang)} 因数据空白待核实）" if lang == "zh" else
                                    f" (to check: {_names(unsure, lang)})") if unsure else "")
    return f"{word('unmet', lang)} " + _names((unmet_text(check, u, lang) + (mark if u in left_open else "")
                                              for u in check.unmet), lang)


def unmet_text(check: PromotionCheck, rule: str, lang: str) -> str:
    """An unmet prerequisite's id; a penalty barring the promotion with the day it lifts."""
    bar = next((b for b in check.barred if b.rule == rule), None)
    if bar is None:
        return rule
    if lang == "zh":
        return f"{rule}（惩处，{bar.lifts.isoformat()}起解除）" if bar.lifts else f"{rule}（惩处，无期限）"
    return f"{rule} (penalty, lifts {bar.lifts.isoformat()})" if bar.lifts else f"{rule} (penalty, open-ended)"


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _list(items, lang: str) -> str:
    """Items one after another, with the punctuation of ``lang`` (；between Chinese clauses)."""
    return ("；" if lang == "zh" else "; ").join(items)


def _names(items, lang: str) -> str:
    """Names in a row: 出生日期、到校时间 in Chinese, separated by commas in English."""
    return ("、" if lang == "zh" else ", ").join(items)


# words of this module's own (the shared table, core.i18n.WORDS, has no entry for them)
_WORDS = {"may_decline": {"en": "may decline (stays a target)", "zh": "本人可申请不参加（仍为交流对象）"},
          "may_decline_line": {"en": "may decline", "zh": "可申请不参加"},
          "uncertain_line": {"en": "date not known, to be checked", "zh": "日期不详待核实"},
          "uncertain_why": {"en": "only the year and month are given; another day of the month could change this "
                                  "decision, made on its first day",
                            "zh": "只给出了年月，该月中另一天可能改变结论；结论按该月1日作出"}}


def _word(key: str, lang: str) -> str:
    return _WORDS[key][lang] if key in _WORDS else word(key, lang)


def outcome_text(outcome: str, detail: str | None, lang: str) -> str:
    """What became of a penalty or benefit (``Step.outcome``), in words: `未触发`, `已期满`; one
    whose event came before the policy took effect with that date, as not retroactive."""
    text = _word(outcome, lang)
    if outcome == "before_effective":
        return f"{text} {detail}" + ("，不溯及既往" if lang == "zh" else ", with no retroactive effect")
    return text


def _effects_text(effects, lang: str) -> str:
    """A penalty's or benefit's effects in force (``Consequence``): in Chinese by their labels
    (待聘, 不得评优 至 2025-09-28), as eval's files write them; in English by their names."""
    if lang == "zh":
        return "，".join(f"{c.label or c.effect}" + (f" 至 {c.until.isoformat()}" if c.until else "") for c in effects)
    return ", ".join(c.effect + (f" until {c.until.isoformat()}" if c.until else "") for c in effects)


def _step_lines(step: Step, lang: str, blank: frozenset[str] = frozenset(), effects=()) -> list[str]:
    positive = step.outcome in ("fired", "applies", "met", "in_force", "may_decline")
    defeated = step.outcome in ("exempted", "set_aside")
    mark = "✓" if positive else ("?" if step.outcome == "unknown" else ("!" if defeated else "✗"))
    outcome = _word(step.outcome, lang)
    if defeated and step.detail:
        outcome = f"{outcome} {step.detail}" if lang == "en" else f"{outcome}{step.detail}"
    elif step.outcome == "before_effective":
        outcome = outcome_text(step.outcome, step.detail, lang)
    elif step.kind in ("penalty", "benefit") and effects:  # in force: its effects, by their labels
        shown = _effects_text(effects, lang)
        outcome = f"{outcome} ({shown})" if lang == "en" else f"{outcome}（{shown}）"
    elif step.detail and step.kind in ("penalty", "benefit"):
        outcome = f"{outcome} ({step.detail})" if lang == "en" else f"{outcome}（{step.detail}）"
    elif step.detail and step.kind == "prerequisite":
        outcome = f"{promotion_target(step.detail, lang)}{_colon(lang)}{outcome}"
    elif step.detail and step.kind == "exemption":
        outcome = f"{outcome} ({step.detail})" if lang == "en" else f"{outcome}（{step.detail}）"
    cites = f"  [{_list(step.cites, lang)}]" if step.cites else ""
    version = version_said(step.version, lang)
    gap = " " if lang == "en" or not version else ""
    lines = [f"  {mark} {step.id}{version}{gap}{step.title} — {outcome}{cites}"]
    # a clause found false by one of its conditions: the others left unknown by an empty cell do not matter,
    # not said as undecided (?). (A prerequisite left open lists two clauses, `applies` and `requires`: not so.)
    moot = step.outcome in _FALSE_OUTCOMES and any(cond.value is False for cond in step.conditions)
    return lines + [f"      {condition_text(cond, lang, blank=blank, moot=moot)}" for cond in step.conditions]


def condition_text(cond, lang: str, gap: str = "   ", blank: frozenset[str] = frozenset(), moot: bool = False) -> str:
    """A condition as an explanation shows it: its mark, its text and the values it read
    (`✗ 年龄 ≤ 年龄上限   （年龄 = 50周岁；年龄上限 = 45周岁）`); ``gap`` before the values. A field
    in ``blank`` was an empty cell read as its empty value, and is said so (任课 = 否（空白）). With
    ``moot`` (another condition of the same clause is false), an unknown one is marked `–`, said not
    to matter: `?` would ask for a value no decision needs (a teacher's empty 任现职时间 in a principal's rule)."""
    said_blank = "（空白）" if lang == "zh" else " (blank)"
    inline = cond.shown_zh if lang == "zh" else frozenset()  # said in the text already: 本校任教年限 ≥ 6年
    reads = _list([f"{read_name(r, lang)} = "
                   f"{terminal_text(value_text(r.value, r.type, lang, age=r.name in cond.ages))}"
                   + (said_blank if r.name in blank and r.kind == "field" else "")
                   for r in cond.reads if not (r.kind == "parameter" and r.name in inline)], lang)
    named = _named_condition(cond, lang)
    if named is not None:  # one definition, true or false: its Chinese name says what it is
        return f"{_MARK[cond.value]} {named}"
    if cond.value is None and moot:
        shown = f"{gap}（{reads}；不影响结论）" if lang == "zh" else f"{gap}({reads}; does not matter)"
        return f"– {cond.shown(lang)}{shown}"
    if isinstance(cond.value, bool) or cond.value is None:
        shown = (f"{gap}（{reads}）" if lang == "zh" else f"{gap}({reads})") if reads else ""
        return f"{_MARK[cond.value]} {cond.shown(lang)}{shown}"
    # a dated event (`after refused_exchange`): the date it happened
    return f"· {cond.shown(lang)} = {terminal_text(value_text(cond.value, None, lang))}"


def read_name(read, lang: str) -> str:
    """A value read, as a condition's values name it: in Chinese, a definition named in English by
    its Chinese name (``pretty.display_name``), as the condition's text does."""
    named = name_text(read.name, lang)
    called = lang == "zh" and named == read.name and read.kind == "definition" and display_name(read.name, read.doc)
    return called or named


def _named_condition(cond, lang: str) -> str | None:
    """In Chinese, a condition that is one yes/no definition with a title (``fj_scope``,
    义务教育阶段学校（FJ-1）) and a known value, as its title with its name after it: an official
    reads the title, the drafter finds the name; the value is the mark before it."""
    if lang != "zh" or not isinstance(cond.value, bool):
        return None
    read = next((r for r in cond.reads if r.name == cond.text), None)
    if read is None or not read.doc or read.value is not cond.value:
        return None
    called = name_text(read.name, lang)  # a prelude definition's Chinese name is its title: said once
    return terminal_text(read.doc) + ("" if called == read.doc else f"   （{called}）")


# what a value left open for each kind of clause could change, when no rule or exemption is open
def _one_line_per_exemption(steps: list[Step], lang: str) -> list[Step]:
    """An exemption read the same way for each rule it could set aside is said once, naming the rules
    (`does not apply (JA-1, JA-3)`): the conditions are the person's, not the rule's."""
    merged: dict[tuple, list[Step]] = {}
    for s in steps:
        merged.setdefault((s.id, s.outcome, s.conditions, s.cites, s.title, s.version), []).append(s)
    return [group[0] if len(group) == 1 else
            attrs.evolve(group[0], detail=_names(dict.fromkeys(s.detail for s in group if s.detail), lang) or None)
            for group in merged.values()]


_OPEN_PARTS = (("prerequisite", "晋升判断", "the promotion's judgement"), ("penalty", "惩处", "the penalties"),
               ("benefit", "激励", "the benefits"))


def explanation_text(ex: Explanation, lang: str = "en", name: str | None = None,
                     blank: frozenset[str] = frozenset(), shown_id: str | None = None) -> str:
    """The explanation as `policylang explain` prints it (``name``: the person's, as the roster
    gives it; ``blank``: the fields read from an empty cell, ``roster.RosterRow.blank``; ``shown_id``:
    the id as a decisions file shows it, where that is not the id: an ID number masked, ``id_column``)."""
    d = ex.decision
    c = _colon(lang)
    ident = terminal_text(shown_id or d.id)
    who = (f"{terminal_text(name)}（{ident}）" if lang == "zh" else
           f"{terminal_text(name)} ({ident})") if name else ident
    lines = [f"{who} — {word('as_of', lang)} {ex.as_of.isoformat()} — {ex.policy}"]
    status = word(d.status, lang)
    applied = next((s for s in ex.steps if s.kind == "exemption" and s.outcome == "applies" and s.detail == d.rule),
                   None) if d.exemption else None
    if d.rule and applied:  # the rule applied, and an exemption set it aside: not the rule's own doing
        status += (f" ({d.rule} applies, set aside by {applied.id})" if lang == "en" else
                   f"（本应依 {d.rule} 交流，因 {applied.id} 豁免）")
    elif d.rule:
        status += f" ({word('decided_by', lang)} {d.rule})" if lang == "en" else f"（{word('decided_by', lang)} {d.rule}）"
    lines.append(f"{word('status', lang)}{c}{status}")
    left_open = ex.undecided
    if left_open:
        ids = _names(left_open, lang)
        empty = _names((S.column_label(f, lang) for f in ex.missing), lang)
        # what the values could change: the status, or only a promotion's or a penalty's judgement
        kinds = {s.kind for s in ex.steps if s.id in set(left_open) and s.outcome == "unknown"}
        parts = [words for kind, *words in _OPEN_PARTS if kind in kinds]
        if not parts or kinds & {"rule", "exemption"}:
            parts = [("结论", "the decision")]
        part_zh, part_en = "、".join(zh for zh, _ in parts), " and ".join(en for _, en in parts)
        if lang == "zh":
            lines.append(f"待核实：{ids} 因缺少数据无法判断" + (f"（{empty}为空）" if empty else "")
                         + f"，数据补全后{part_zh}可能不同")
        else:
            lines.append(f"to check: {ids} could not be decided" + (f" ({empty} empty)" if empty else
                                                                    " (a value is missing)")
                         + f"; with it, {part_en} could differ")
    months = [f for f in d.uncertain if f not in ex.missing]
    if months:
        fields = _names((S.column_label(f, lang) for f in months), lang)
        why = _word("uncertain_why", lang)
        lines.append(f"{_word('uncertain_line', lang)}{c}{fields}" + (f"（{why}）" if lang == "zh" else f" ({why})"))
    if d.exemption:
        ground = exemption_text(d.exemption, lang)
        if applied and lang == "zh" and ground == d.exemption:  # a county's own ground, no Chinese name: its title says it
            lines.append(f"{word('exemption', lang)}{c}{applied.id} {applied.title}")
        else:
            title = f" — {applied.id} {applied.title}" if applied else ""
            lines.append(f"{word('exemption', lang)}{c}{ground}{title}")
    if d.may_decline:
        grounds = _names((exemption_text(code, lang) for code in d.may_decline), lang)
        lines.append(f"{_word('may_decline_line', lang)}{c}{grounds}")
    if d.direction:
        lines.append(f"{word('direction', lang)}{c}{direction_text(d.direction, lang)}")
    for p in d.promotion:
        state = promotion_text(p, lang, tuple(dict.fromkeys(s.id for s in ex.steps if s.kind == "prerequisite"
                                                            and s.outcome == "unknown" and s.detail == p.target)))
        lines.append(f"{promotion_heading(p.target, lang)}{c}{state}")
    for kind, items in (("penalties", d.penalties), ("benefits", d.benefits)):
        for item in items:
            until = f" {word('until', lang)} {item.until.isoformat()}" if item.until else ""
            lines.append(f"{word(kind, lang)}{c}{item.rule} {item.label or item.effect}{until}")
    if d.cite:
        lines.append(f"{word('cite', lang)}{c}{_list(d.cite, lang)}")
    for kind, key in _SECTIONS:
        steps = [s for s in ex.steps if s.kind == kind]
        if kind == "exemption":
            steps = _one_line_per_exemption(steps, lang)
        if steps:
            lines.append("")
            lines.append(f"{word(key, lang)}{c}".rstrip(": ") + (":" if lang == "en" else ""))
            for s in steps:
                in_force = [c for c in (*d.penalties, *d.benefits) if s.kind in ("penalty", "benefit")
                            and s.outcome == "in_force" and c.rule == s.id]
                lines.extend(_step_lines(s, lang, blank, in_force))
    # the roster's values were escaped one by one (a newline in a name shows as \n); the policy's text here
    return terminal_text("\n".join(lines), newlines=True)
