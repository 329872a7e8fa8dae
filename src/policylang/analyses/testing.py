"""Running a policy's in-language tests (``test "..."`` blocks).

A test record starts from neutral defaults (a classroom teacher on the staff,
no title, every yes/no field false, every years field 0, a field whose value the
policy states for absent columns at that value), then the sample it names, then
its own entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from policylang.io import roster as R
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import Decision
from policylang.backends.reference import decide
from policylang.analyses.quota import plan_quotas
from policylang.lang.reads import GROUP_FIELD
from policylang.lang.policy import CheckedPolicy, Test, reference_date
from policylang.core.source import Span

REQUIRED_IN_TESTS = ("sex", "birth_date", "school_start", "work_start")


def default_record(table: S.Table) -> dict[str, object]:
    """A neutral record; a field whose value the policy states for rosters without it
    (``field … default …``, e.g. the prelude's ``retirement_category`` 55) starts at that value."""
    values: dict[str, object] = {}
    for field in table.fields:
        stated = table.assumption(field.name)
        if stated is not None:
            values[field.name] = stated.value
        elif isinstance(field.type, T.BoolType):
            values[field.name] = False
        elif isinstance(field.type, T.NumberType) and table.name == "teacher":
            values[field.name] = 0
    if table.name == "teacher":
        values.update(id="test", post="teacher", on_staff=True, teaching=True, title="none",
                      backbone="none", schools_served=1)
    else:
        values.update(school_id="test-school")
    return values


@attrs.frozen
class Mismatch:
    what: str
    expected: str
    actual: str
    # for a status: the rule and the exemption that gave it (why a test expecting must_rotate got exempt)
    rule: str | None = None
    exemption: str | None = None
    # for a penalty or benefit not found: what became of it (``Step.outcome``: not_triggered,
    # before_effective, expired, unknown) and its detail (the `effective` date)
    outcome: str | None = None
    detail: str | None = None
    # for a status, rule or exemption not reached: the rules or exemptions that would have given
    # it, each with its conditions that did not hold (``ConditionTrace``: what it read)
    failed: tuple[tuple[str, tuple], ...] = ()
    # for a status: the rule that gave it, with its conditions, which held (why a test expecting
    # not_eligible got must_rotate: 年龄 = 50周岁 ≤ 50周岁, the boundary 以下 includes)
    held: tuple[tuple[str, tuple], ...] = ()
    # for a status expected exempt: the exemptions that held for another rule than the one that
    # decided, each with that rule (an exemption `to QX-1` does not exempt from the province's FJ-2)
    exempted_other: tuple[tuple[str, str], ...] = ()
    # for a penalty's or benefit's `until` not met: each of its effects found, (name, label, last
    # day or None when it has no end), for the failure to say each plainly
    ends: tuple[tuple[str, str | None, str | None], ...] = ()
    # for a promotion: each prerequisite the expectation and the decision differ on, (id, its
    # ``Step.outcome``: met, unmet, not_applicable, the conditions that say why), as a rule's do
    prerequisites: tuple[tuple[str, str, tuple], ...] = ()


@attrs.frozen
class TestResult:
    title: str
    span: Span
    decision: Decision | None
    mismatches: tuple[Mismatch, ...]
    error: str | None = None
    # the declarations this test exercised: (kind, id) of each rule that fired, exemption that
    # applied, prerequisite checked and consequence triggered (``EXERCISED``)
    exercised: frozenset[tuple[str, str]] = frozenset()
    error_zh: str | None = None
    # a test with no `expect`: it decided the teacher and checked nothing (not a pass; L318)
    asserts_nothing: bool = False

    def error_text(self, lang: str = "en") -> str | None:
        return self.error_zh if lang == "zh" and self.error_zh else self.error

    @property
    def passed(self) -> bool:
        return not self.mismatches and self.error is None


def records_of(policy: CheckedPolicy, test: Test) -> tuple[dict, dict]:
    """The teacher and school a test decides: the neutral defaults, then the sample, then its entries."""
    return default_record(policy.teachers) | dict(test.teacher), default_record(policy.schools) | dict(test.school)


def run_test(policy: CheckedPolicy, test: Test) -> TestResult:
    teacher, school = records_of(policy, test)
    missing = [f for f in REQUIRED_IN_TESTS if teacher.get(f) is None]
    if missing:
        return TestResult(test.title, test.span, None, (),
                          f"the test's teacher has no {', '.join(missing)} (give them, or use a sample)",
                          error_zh=f"测试的教师缺少{'、'.join(S.column_label(f, 'zh') for f in missing)}（请写明，或使用样例）")
    lacking = [(who, f) for who, table, record in (("teacher", policy.teachers, teacher), ("school", policy.schools, school))
               for f in table.fields if f.needed_by and record.get(f.name) is None]
    if lacking:  # a roster row without it is refused (R006): never decided as if unknown, nor here
        more = {f.name: len(f.needed_by) > 3 for _, f in lacking}
        said_en = "; ".join(f"the test's {who} has no {f.name}, which {', '.join(f.needed_by[:3])}"
                            f"{' and others' if more[f.name] else ''} read" for who, f in lacking)
        said_zh = "；".join(f"测试的{'教师' if who == 'teacher' else '学校'}缺少{f.zh}（{'、'.join(f.needed_by[:3])}"
                           f"{' 等' if more[f.name] else ' '}读取该项）" for who, f in lacking)
        return TestResult(test.title, test.span, None, (),
                          f"{said_en}: a roster row without it is refused (R006), so a test gives it (or uses a sample)",
                          error_zh=f"{said_zh}：名册中此项为空的行不予处理（R006），测试中须写明（或使用样例）")
    as_of = reference_date(test.as_of, policy)
    late = _after_reference(policy, test, teacher, school, as_of)
    if late:  # people no roster of that day has: eval refuses them (R029)
        return TestResult(test.title, test.span, None, (), late[0], error_zh=late[1])
    explanation = decide(policy, teacher, school, as_of=as_of, params=test.params, explain=True)
    decision = explanation.decision
    # an exemption held for a rule that did not decide: kept apart (by id alone, its last step would hide it)
    exempted_other = tuple(dict.fromkeys((step.id, step.detail) for step in explanation.steps
                                         if step.kind == "exemption" and step.outcome == "applies"
                                         and step.detail != decision.rule))
    exercised = frozenset((step.kind, step.id) for step in explanation.steps if step.outcome in EXERCISED)
    # a test with a small roster (`person …`) also checks the quotas on it
    quotas = quota_mismatches(policy, test, teacher, school, as_of=as_of)
    outcomes = {(step.kind, step.id): step for step in explanation.steps}
    return TestResult(test.title, test.span, decision,
                      (*_compare(policy, test, decision, outcomes, exempted_other), *(Mismatch(*m) for m in quotas)),
                      exercised=exercised, asserts_nothing=not test.expectations)


def _after_reference(policy: CheckedPolicy, test: Test, teacher: Mapping, school: Mapping,
                     as_of: dt.date) -> tuple[str, str] | None:
    """What a test says (en, zh) of its teacher and people with a birth or a start after its
    reference date (``roster.after_reference``), or None."""
    table = attrs.evolve(policy.teachers, reference=as_of)
    en, zh = [], []
    for k, row in enumerate(test_roster(policy, test, teacher, school)[0]):
        late = [name for name, _, _ in R.after_reference(table, row, R.LIFE_DATES)]
        if late:
            who_en, who_zh = ("the test's teacher", "测试的教师") if k == 0 else (f"person {row['id']}", f"人员 {row['id']}")
            en.append(f"{who_en}: " + ", ".join(f"{name} {row[name]}" for name in late))
            zh.append(f"{who_zh}的" + "、".join(f"{S.column_label(name, 'zh')}“{row[name]}”" for name in late))
    if not en:
        return None
    return (f"{'; '.join(en)}: after the test's reference date {as_of}; a roster row with such a date is not "
            "decided at it (R029). Correct the date, or give the test an `as of`",
            f"{'；'.join(zh)}晚于测试的参考日期（{as_of}），名册中这样的行不按该日作决定（R029）：请改正日期，或为测试写明 as of")


def run_tests(policy: CheckedPolicy) -> list[TestResult]:
    return [run_test(policy, t) for t in policy.tests]


# What a test must make a declaration do for it to count as exercised (the outcomes of
# ``lang.decisions.Step``): a rule's condition held, an exemption applied, a prerequisite was
# checked for a promotion the person could apply for, a consequence was triggered.
EXERCISED = frozenset({"fired", "exempted", "set_aside", "applies", "may_decline", "met", "unmet", "in_force",
                       "expired"})


@attrs.frozen
class Covered:
    kind: str  # rule, exemption, prerequisite, penalty, benefit
    id: str
    title: str
    span: Span
    exercised: bool


@attrs.frozen
class Coverage:
    """Which of a file's own rules, exemptions, prerequisites and consequences its tests
    exercise (those it extends are the base file's to test)."""

    items: tuple[Covered, ...]

    @property
    def missed(self) -> tuple[Covered, ...]:
        return tuple(i for i in self.items if not i.exercised)

    @property
    def percent(self) -> float:
        """The share exercised, 0-100; 100 for a file with nothing to exercise."""
        return 100.0 if not self.items else 100.0 * (len(self.items) - len(self.missed)) / len(self.items)

    def to_json(self) -> dict:
        return {"percent": round(self.percent, 1), "declarations": len(self.items),
                "exercised": len(self.items) - len(self.missed),
                "not_exercised": [{"kind": i.kind, "id": i.id, "title": i.title, "line": i.span.line}
                                  for i in self.missed]}


def coverage(policy: CheckedPolicy, results: list[TestResult]) -> Coverage:
    exercised = frozenset().union(*(r.exercised for r in results))
    declared = ([("rule", r) for r in policy.rules] + [("exemption", e) for e in policy.all_exemptions()]
                + [("prerequisite", p) for p in policy.prerequisites] + [(c.kind, c) for c in policy.consequences])
    return Coverage(tuple(Covered(kind, item.id, item.title, item.span, (kind, item.id) in exercised)
                          for kind, item in sorted(declared, key=lambda pair: pair[1].span)
                          if item.origin == policy.path))


def _show(value) -> str:
    if value is None or value == () or value == []:
        return "(none)"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    return str(value)


def _effect(c, until: bool = False) -> str:
    """A consequence in force as a mismatch shows it: `PEN-1 effect no_promotion [until D]`."""
    text = f"{c.rule} effect {c.effect}"
    return f"{text} until {_show(c.until)}" if until else text


def _compare(policy: CheckedPolicy, test: Test, d: Decision, steps: Mapping[tuple[str, str], object],
             exempted_other: tuple[tuple[str, str], ...] = ()):
    """The expectations of ``test`` that ``d`` does not meet; ``steps``: the explanation's
    steps by (kind, id), which say what became of a penalty or benefit that is not there;
    ``exempted_other``: the exemptions that held for a rule that did not decide, with that rule."""
    for e in test.expectations:
        arg = e.args[0] if e.args else None
        kind = e.kind
        if kind == "status" and d.status != arg:
            yield Mismatch("status", arg, d.status, d.rule, d.exemption,
                           outcome="no_target" if arg == "exempt" and _no_target(policy, steps) else None,
                           failed=_not_held(_giving(policy, test, arg, steps), steps),
                           held=_held(d.rule, steps) if d.exemption is None and arg != "exempt" else (),
                           exempted_other=exempted_other if arg == "exempt" and d.rule is not None else ())
            # (an exemption that decided is said by its code; expecting exempt, the rule was to hold)
        elif kind == "rule" and d.rule != arg and d.rule is not None and \
                getattr(steps.get(("rule", arg)), "outcome", None) == "fired":
            # it held, and another decided: a stronger conclusion, or the same one declared before it
            rules = {r.id: r for r in policy.rules}
            same = arg in rules and rules[arg].outcome == rules[d.rule].outcome
            yield Mismatch("rule", arg, d.rule, outcome="outranked_same" if same else "outranked", detail=d.rule)
        elif kind == "rule" and d.rule != arg:
            yield Mismatch("rule", arg, _show(d.rule), failed=_not_held([("rule", arg)], steps))
        elif kind == "no_rule" and d.rule is not None:
            yield Mismatch("rule", "(none)", d.rule)
        elif kind == "exemption" and d.exemption != arg and arg in d.may_decline:
            # the exemption held, as a ground the person may invoke (可申请不参加), not as one that exempts
            yield Mismatch("exemption", arg, _show(d.exemption), d.rule, outcome="may_decline")
        elif kind == "exemption" and d.exemption != arg and _no_target(policy, steps) and \
                not any(key[0] == "exemption" for key in steps):
            # no exemption was tried: the rules that would make the person a target, and why they did not hold
            yield Mismatch("exemption", arg, _show(d.exemption), outcome="no_target", failed=_not_held(
                _giving(policy, test, "exempt", steps), steps))
        elif kind == "exemption" and d.exemption != arg:
            yield Mismatch("exemption", arg, _show(d.exemption), failed=_not_held(
                [("exemption", e.id) for e in policy.all_exemptions() if e.code == arg], steps))
        elif kind in ("may_decline", "no_may_decline"):
            expected = tuple(sorted(e.args)) if kind == "may_decline" else ()
            if tuple(sorted(d.may_decline)) != expected:  # exactly these grounds, in any order
                yield Mismatch("may_decline", _show(expected), _show(sorted(d.may_decline)), d.rule, d.exemption)
        elif kind == "direction" and d.direction != arg:
            yield Mismatch("direction", arg, _show(d.direction))
        elif kind == "no_direction" and d.direction is not None:
            yield Mismatch("direction", "(none)", d.direction)
        elif kind in ("promotion_ok", "promotion_unmet"):
            check = d.promotion_for(arg)
            expected = () if kind == "promotion_ok" else tuple(sorted(e.args[1:]))
            actual = None if check is None else tuple(sorted(check.unmet))
            if actual != expected:
                shown = "not a promotion target for this person" if check is None else (
                    "ok" if not actual else "unmet " + _show(actual))
                differ = () if actual is None else tuple(sorted(set(expected) ^ set(actual)))
                yield Mismatch(f"promotion {arg}", "ok" if not expected else "unmet " + _show(expected), shown,
                               prerequisites=_prerequisites_said(differ, steps))
        elif kind in ("penalty", "benefit"):
            # in force (a penalty) or earned (a benefit) at the test's date; with `effect`, that
            # one effect; with `until`, its last day (each effect found must end then)
            _, until, effect = (*e.args, None, None)[:3]
            have = d.penalties if kind == "penalty" else d.benefits
            found = [c for c in have if c.rule == arg and (effect is None or c.effect == effect)]
            what = f"{kind} {arg}" + (f" effect {effect}" if effect else "")
            if not found:
                step = steps.get((kind, arg))
                outcome = step and step.outcome
                if effect is not None and outcome == "in_force":  # another effect is: this one has run out
                    outcome = "expired"
                yield Mismatch(kind, arg + (f" effect {effect}" if effect else ""), _show([_effect(c) for c in have]),
                               outcome=outcome, detail=step and step.detail)
            elif until is not None and any(c.until != until for c in found):
                yield Mismatch(f"{what} until", until.isoformat(), _show([_effect(c, until=True) for c in found]),
                               outcome="until", detail=arg, ends=tuple(
                                   (c.effect, c.label, c.until.isoformat() if c.until else None) for c in found))
        elif kind in ("uncertain", "no_uncertain"):
            expected = tuple(sorted(e.args)) if kind == "uncertain" else ()
            if tuple(sorted(d.uncertain)) != expected:  # exactly these fields leave it open, in any order
                yield Mismatch("uncertain", _show(expected), _show(sorted(d.uncertain)))
        elif kind in ("no_penalty", "no_benefit"):
            _, _, effect = (*e.args, None, None)[:3]
            have = d.penalties if kind == "no_penalty" else d.benefits
            hits = [_effect(c) for c in have if (arg is None or c.rule == arg) and (effect is None or c.effect == effect)]
            if hits:
                expected = " ".join(filter(None, (arg or kind.removeprefix("no_"), effect and f"effect {effect}")))
                yield Mismatch(kind.removeprefix("no_"), f"no {expected}", _show(hits))


SHOWN_NOT_HELD = 2  # declarations whose failed conditions a mismatch shows: the test's line stays readable


def _giving(policy: CheckedPolicy, test: Test, status: str, steps: Mapping[tuple[str, str], object]
            ) -> list[tuple[str, str]]:
    """The rules that would give ``status``: the one the test expects (`expect rule`), else those
    concluding it, none of which held; for `exempt`, the exemptions checked and not applying."""
    named = [e.args[0] for e in test.expectations if e.kind == "rule"]
    if named:
        return [("rule", named[0])]
    if status == "exempt":
        tried = [key for key, step in steps.items() if key[0] == "exemption" and step.outcome == "not_fired"]
        if tried or any(key[0] == "rule" and step.outcome in ("fired", "exempted", "set_aside")
                        for key, step in steps.items()):
            return tried
        status = "must_rotate"  # none tried, no rule held: an exemption is from a rule that holds first
    giving = [("rule", r.id) for r in policy.rules if r.outcome == status]
    if any(steps[key].outcome in ("fired", "exempted", "set_aside") for key in giving if key in steps):
        return []  # one held, and an exemption or a stronger rule decided: the mismatch names which
    return giving


def _no_target(policy: CheckedPolicy, steps: Mapping[tuple[str, str], object]) -> bool:
    """No must_rotate rule held for the person (none decided, none was exempted from): an exemption
    is from such a rule, so a test expecting one is told that first, not only that none came out."""
    return not any(getattr(steps.get(("rule", r.id)), "outcome", None) in ("fired", "exempted")
                   for r in policy.rules if r.outcome == "must_rotate")


def _not_held(keys, steps: Mapping[tuple[str, str], object]) -> tuple[tuple[str, tuple], ...]:
    """Of the declarations ``keys``, those that did not hold, with their conditions that did not."""
    out = []
    for key in keys:
        step = steps.get(key)
        if step is None or step.outcome not in ("not_fired", "unknown"):
            continue
        out.append((step.id, tuple(c for c in step.conditions if c.value is not True)))
    # the nearest first: a rule failing on one condition (tenure) before one for principals only
    out.sort(key=lambda item: len(item[1]))
    return tuple(out[:SHOWN_NOT_HELD])


def _prerequisites_said(ids, steps: Mapping[tuple[str, str], object]) -> tuple[tuple[str, str, tuple], ...]:
    """Of the prerequisites ``ids``, what became of each and why: one met, all its conditions; one
    unmet or not applying, those that did not hold (the requirement it lacks, the scope it is out of)."""
    out = []
    for ident in ids:
        step = steps.get(("prerequisite", ident))
        if step is None:  # a penalty barring the promotion: the mismatch names it
            continue
        shown = step.conditions if step.outcome == "met" else tuple(c for c in step.conditions if c.value is not True)
        out.append((ident, step.outcome, tuple(shown)))
    return tuple(out)


def _held(rule: str | None, steps: Mapping[tuple[str, str], object]) -> tuple[tuple[str, tuple], ...]:
    """The rule that decided, with its conditions (all of which held)."""
    step = steps.get(("rule", rule)) if rule else None
    return ((step.id, tuple(step.conditions)),) if step is not None and step.conditions else ()


def describe_result(result: TestResult) -> Mapping[str, object]:
    return {"test": result.title, "passed": result.passed, "asserts_nothing": result.asserts_nothing,
            "line": result.span.line, "error": result.error,
            "mismatches": [attrs.asdict(m, filter=lambda a, _: a.name not in ("failed", "held", "exempted_other", "ends",
                                                                              "prerequisites"))
                           | {"exempted_other": [{"exemption": e, "rule": r} for e, r in m.exempted_other]}
                           | {"prerequisites": [{"id": ident, "outcome": outcome, "conditions": [c.to_json() for c in conds]}
                                                for ident, outcome, conds in m.prerequisites]}
                           | {part: [{"id": ident, "conditions": [c.to_json() for c in conditions]}
                                     for ident, conditions in getattr(m, part)] for part in ("failed", "held")}
                           for m in result.mismatches]}


def test_roster(policy: CheckedPolicy, test: Test, teacher: Mapping, school: Mapping
                ) -> tuple[list[dict], dict[str, dict]]:
    """A test's small roster: its own teacher (id `test` unless it gives one) and school, then
    each `person ID … [at SCHOOL]` (neutral defaults, the sample, the entries; the test's school
    unless another is named)."""
    rows, schools = [dict(teacher)], {str(school.get("school_id")): dict(school)}
    for ident, values, school_values in test.people:
        place = default_record(policy.schools) | dict(school_values)
        schools.setdefault(str(place.get("school_id")), place)
        rows.append(default_record(policy.teachers) | dict(values) | {"id": ident,
                                                                      "school_id": place.get("school_id")})
    rows[0]["school_id"] = school.get("school_id")
    return rows, schools


def quota_mismatches(policy: CheckedPolicy, test: Test, teacher: Mapping, school: Mapping, *,
                     as_of: dt.date) -> list[tuple[str, str, str]]:
    """(what, expected, actual) for each `expect quota Q [at GROUP] requires N`, `expect
    selection [at GROUP] ID, …` and `expect no selection` of a test that fails, on the test's
    small roster (``test_roster``) decided by the interpreter and planned by ``plan_quotas``.
    GROUP defaults to the test's own school (or its cluster, township, or the county)."""
    wanted = [e for e in test.expectations if e.kind in ("quota", "selection", "no_selection")]
    if not wanted:
        return []
    rows, schools = test_roster(policy, test, teacher, school)
    decisions = [decide(policy, r, schools[str(r["school_id"])], as_of=as_of, params=test.params) for r in rows]
    plans = plan_quotas(policy, rows, schools, [d.status for d in decisions], as_of=as_of, params=test.params,
                        declines=[d.may_decline for d in decisions])
    home = schools[str(school.get("school_id"))]

    def group_of(per: str) -> str:
        if per == "county":
            return "county"
        if per == "school":
            return str(home.get("school_id"))
        return str(home.get(GROUP_FIELD[per]) or "—")

    out = []
    for e in wanted:
        if e.kind == "quota":
            quota_id, group, required = e.args
            quota = next((q for q in policy.quotas if q.id == quota_id), None)
            if quota is None:
                continue  # (the checker's T209)
            group = group or group_of(quota.per)
            plan = next((p for p in plans if p.per == quota.per and p.group == group), None)
            results = [r for r in (plan.requirements if plan else ()) if r.quota == quota_id]
            actual = "no requirement (the quota does not apply there)" if not results else \
                ", ".join("not known" if r.required is None else str(r.required) for r in results)
            # where the quota does not apply, no one need move under it: `requires 0` holds there
            if any(not r.known for r in results) or (max(r.required for r in results) if results else 0) != int(required):
                out.append((f"quota {quota_id} at {group}", f"requires {required}", actual))
        else:
            group, ids = e.args[0], tuple(e.args[1:])
            group = group or str(home.get("school_id"))
            plan = next((p for p in plans if p.group == group), None)
            actual = tuple(s.id for s in plan.selection) if plan else ()
            if actual != ids:
                out.append((f"selection at {group}", ", ".join(ids) or "(nobody)", ", ".join(actual) or "(nobody)"))
    return out
