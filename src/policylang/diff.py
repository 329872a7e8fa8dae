"""What-if: two policy variants on one workforce. Who changes, why, and where.

Causes. The differences between the two policies are listed first: parameters,
definitions, rules, exemptions, precedence, prerequisites, penalties, benefits.
A changed person's cause is the smallest set of differences that, applied to the
base policy alone, already gives that person the draft's decision: first single
differences (when several each suffice, all are named: "any of"), then pairs,
and otherwise "the changes together". Each hybrid policy is evaluated only on the
changed people, with the bulk evaluator.

Privacy. Aggregates never show a sensitive attribute (pregnancy, maternity,
nursing, illness, investigation, sanction) for fewer than ``MIN_CELL`` people:
such cells are suppressed, and the report says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence

import attrs
import polars as pl

from . import policy as P
from .compile import decide_frame, frame_from_records
from .decisions import Decision, decision_from_row
from .pretty import expr_text, value_text

MIN_CELL = 5
SENSITIVE_EXEMPTIONS = frozenset({"pregnancy", "maternity", "nursing", "illness", "investigation", "sanction"})
DIMENSIONS = ("school", "cluster", "area", "sex", "age_band", "title", "backbone")
DECISION_FIELDS = ("status", "rule", "exemption", "direction", "promotion", "penalties", "benefits", "cite")
# Parts of a decision whose causes are found separately: a draft may move someone for
# one reason and change their promotion prospects for another.
GROUPS = {
    "status": ("status", "rule", "exemption", "direction", "cite"),
    "promotion": ("promotion_first", "promotion_senior", "promotion_full_senior", "promotion_principal"),
    "consequences": ("penalties", "benefits"),
}


@attrs.frozen
class PolicyChange:
    key: str  # "parameter:age_cap_female", "rule:JA-1", ...
    kind: str
    id: str
    change: str  # added, removed, changed
    before: str | None
    after: str | None
    before_zh: str | None = None  # parameter values as a Chinese reader writes them
    after_zh: str | None = None

    def describe(self, lang: str = "en") -> str:
        words = {"added": ("added", "新增"), "removed": ("removed", "删除"), "changed": ("changed", "修改")}[self.change]
        kinds = {"parameter": "参数", "definition": "定义", "rule": "规则", "exemption": "豁免",
                 "precedence": "豁免优先顺序", "prerequisite": "晋升前提", "penalty": "惩处", "benefit": "激励"}
        if lang == "zh":
            detail = (f"：{self.before_zh or self.before} → {self.after_zh or self.after}"
                      if self.change == "changed" and self.kind == "parameter" else "")
            return f"{words[1]}{kinds[self.kind]} {self.id}{detail}"
        detail = f": {self.before} → {self.after}" if self.change == "changed" and self.kind == "parameter" else ""
        return f"{self.kind} {self.id} {words[0]}{detail}"


@attrs.frozen
class Cause:
    group: str  # status, promotion or consequences
    keys: tuple[str, ...]  # PolicyChange keys
    kind: str  # single: this one; any_of: each alone suffices; together: these jointly; all: only all of them


@attrs.frozen
class PersonChange:
    index: int
    id: str
    before: Decision
    after: Decision
    fields: tuple[str, ...]
    causes: tuple[Cause, ...]

    @property
    def sensitive(self) -> bool:
        return any(d.exemption in SENSITIVE_EXEMPTIONS for d in (self.before, self.after))


@attrs.frozen
class DiffReport:
    base: str
    draft: str
    as_of: dt.date
    total: int
    changes: tuple[PolicyChange, ...]
    transitions: Mapping[tuple[str, str], int]
    persons: tuple[PersonChange, ...]
    people: tuple[Mapping, ...]  # the records, for breakdowns
    schools: Mapping[str, Mapping]
    sensitive_changes: frozenset[str] = frozenset()  # keys of exemption changes on a sensitive reason

    def is_sensitive(self, cause: Cause) -> bool:
        return any(k in self.sensitive_changes for k in cause.keys)

    def changed_fields(self) -> Counter:
        return Counter(f for p in self.persons for f in p.fields)

    def cause_counts(self) -> Counter:
        """How many people each cause explains, per decision part."""
        return Counter(c for p in self.persons for c in p.causes)


# ---- policy differences -------------------------------------------------------


def _fields(item, *names):
    return tuple(getattr(item, n) for n in names)


_COMPARED = {
    "rule": ("title", "cites", "when", "outcome", "direction"),
    "exemption": ("title", "code", "cites", "when", "all_rules"),
    "prerequisite": ("title", "targets", "cites", "applies", "requires"),
    "penalty": ("title", "cites", "after", "when", "effects"),
    "benefit": ("title", "cites", "after", "when", "effects"),
}


def _items(policy: P.CheckedPolicy) -> dict[str, dict[str, object]]:
    return {
        "rule": {r.id: r for r in policy.rules},
        "exemption": {e.id: e for e in policy.all_exemptions()},
        "prerequisite": {p.id: p for p in policy.prerequisites},
        "penalty": {c.id: c for c in policy.penalties},
        "benefit": {c.id: c for c in policy.benefits},
    }


def _exemption_same(a: P.Exemption, b: P.Exemption) -> bool:
    same = _fields(a, *_COMPARED["exemption"]) == _fields(b, *_COMPARED["exemption"])
    return same and (a.all_rules or a.targets == b.targets)


def policy_changes(base: P.CheckedPolicy, draft: P.CheckedPolicy, base_params: Mapping, draft_params: Mapping
                   ) -> list[PolicyChange]:
    changes = []
    for name in sorted(set(base_params) | set(draft_params)):
        if name in base_params and name in draft_params and base_params[name] != draft_params[name]:
            t = (draft.parameters.get(name) or base.parameters.get(name)).type
            changes.append(PolicyChange(f"parameter:{name}", "parameter", name, "changed",
                                        value_text(base_params[name], t), value_text(draft_params[name], t),
                                        value_text(base_params[name], t, "zh"), value_text(draft_params[name], t, "zh")))
    for name in sorted(set(base.definitions) & set(draft.definitions)):
        if base.definitions[name].expr != draft.definitions[name].expr:
            changes.append(PolicyChange(f"definition:{name}", "definition", name, "changed",
                                        expr_text(base.definitions[name].expr), expr_text(draft.definitions[name].expr)))
    before, after = _items(base), _items(draft)
    for kind in before:
        for ident in list(before[kind]) + [i for i in after[kind] if i not in before[kind]]:
            a, b = before[kind].get(ident), after[kind].get(ident)
            if a is None:
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "added", None, b.title))
            elif b is None:
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "removed", a.title, None))
            elif (not _exemption_same(a, b)) if kind == "exemption" else (
                    _fields(a, *_COMPARED[kind]) != _fields(b, *_COMPARED[kind])):
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "changed", a.title, b.title))
    for rule_id in sorted(set(base.exemptions) & set(draft.exemptions)):
        shared = {e.id for e in base.exemptions[rule_id]} & {e.id for e in draft.exemptions[rule_id]}
        order_a = [e.id for e in base.exemptions[rule_id] if e.id in shared]
        order_b = [e.id for e in draft.exemptions[rule_id] if e.id in shared]
        if order_a != order_b:
            changes.append(PolicyChange(f"precedence:{rule_id}", "precedence", rule_id, "changed",
                                        " > ".join(order_a), " > ".join(order_b)))
    return changes


def hybrid(base: P.CheckedPolicy, draft: P.CheckedPolicy, base_params: Mapping, draft_params: Mapping,
           applied: set[str]) -> tuple[P.CheckedPolicy, dict]:
    """The base policy with the draft's version of the differences in ``applied``."""
    params = dict(draft_params) | dict(base_params)  # names only in the draft are inert unless used
    for key in applied:
        kind, _, name = key.partition(":")
        if kind == "parameter":
            params[name] = draft_params[name]
    definitions = dict(draft.definitions) | dict(base.definitions)
    for key in applied:
        kind, _, name = key.partition(":")
        if kind == "definition":
            definitions[name] = draft.definitions[name]
    before, after = _items(base), _items(draft)
    chosen: dict[str, dict] = {}
    for kind in before:
        ids = list(after[kind]) + [i for i in before[kind] if i not in after[kind]]
        picked = {}
        for ident in ids:
            source = after if f"{kind}:{ident}" in applied else before
            if ident in source[kind]:
                picked[ident] = source[kind][ident]
        chosen[kind] = picked
    # order rules as the draft does; base-only rules keep their place after
    rules = tuple(chosen["rule"].values())
    rule_ids = [r.id for r in rules]
    exemptions = {}
    for rule_id in rule_ids:
        group = [e for e in chosen["exemption"].values() if e.all_rules or rule_id in e.targets]
        order_source = draft if f"precedence:{rule_id}" in applied or rule_id not in base.exemptions else base
        reference = [e.id for e in order_source.exemptions.get(rule_id, ())]
        other = [e.id for e in (base if order_source is draft else draft).exemptions.get(rule_id, ())]
        rank = {i: k for k, i in enumerate(reference + [i for i in other if i not in reference])}
        exemptions[rule_id] = tuple(sorted(group, key=lambda e: rank.get(e.id, len(rank))))
    consequences = tuple(chosen["penalty"].values()) + tuple(chosen["benefit"].values())
    parameters = dict(draft.parameters) | dict(base.parameters)
    policy = attrs.evolve(base, parameters=parameters, definitions=definitions, rules=rules, exemptions=exemptions,
                          prerequisites=tuple(chosen["prerequisite"].values()), consequences=consequences)
    return policy, params


# ---- evaluation ----------------------------------------------------------------


def _decide(policy: P.CheckedPolicy, frame: pl.DataFrame, as_of: dt.date, params: Mapping) -> list[dict]:
    return decide_frame(policy, frame, as_of=as_of, params=params).collect().to_dicts()


def _differs(a: dict, b: dict) -> tuple[str, ...]:
    fields = []
    for f in DECISION_FIELDS:
        keys = [k for k in a if k == f or k.startswith(f + "_")]
        if any(a[k] != b[k] for k in keys):
            fields.append(f)
    return tuple(fields)


def diff(base: P.CheckedPolicy, draft: P.CheckedPolicy, rows: Sequence[Mapping], schools: Mapping[str, Mapping], *,
         as_of: dt.date | None = None, base_params: Mapping | None = None, draft_params: Mapping | None = None,
         max_pair_changes: int = 16) -> DiffReport:
    as_of = as_of or draft.as_of or base.as_of or dt.date.today()
    bp, dp = base.parameter_values(base_params), draft.parameter_values(draft_params)
    frame = frame_from_records(_widest(base, draft), list(rows), schools)
    before, after = _decide(base, frame, as_of, bp), _decide(draft, frame, as_of, dp)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    changes = policy_changes(base, draft, bp, dp)
    causes = _attribute(base, draft, bp, dp, frame, changed, before, after, changes, as_of, max_pair_changes)
    labels = {(c.id, e.name): e.label for p in (base, draft) for c in p.consequences for e in c.effects}
    persons = tuple(
        PersonChange(i, str(rows[i].get("id")), decision_from_row(before[i], as_of, labels),
                     decision_from_row(after[i], as_of, labels), _differs(before[i], after[i]), causes[i])
        for i in changed)
    transitions = Counter((a["status"], b["status"]) for a, b in zip(before, after))
    codes = {e.id: e.code for p in (base, draft) for e in p.all_exemptions() if e.code in SENSITIVE_EXEMPTIONS}
    sensitive = frozenset(c.key for c in changes if c.kind == "exemption" and c.id in codes)
    return DiffReport(base.title, draft.title, as_of, len(rows), tuple(changes), dict(transitions), persons,
                      tuple(rows), schools, sensitive)


def _widest(base: P.CheckedPolicy, draft: P.CheckedPolicy) -> P.CheckedPolicy:
    """A policy whose tables hold every field either variant declares (for building the frame)."""
    extra_t = [f for f in draft.teachers.fields if base.teachers.field(f.name) is None]
    extra_s = [f for f in draft.schools.fields if base.schools.field(f.name) is None]
    return attrs.evolve(base, teachers=base.teachers.with_extra(tuple(extra_t)),
                        schools=base.schools.with_extra(tuple(extra_s)))


def _attribute(base, draft, bp, dp, frame, changed, before, after, changes, as_of, max_pair_changes):
    """Per changed person and per changed part of the decision, the smallest sufficient set of changes."""
    causes: dict[int, list[Cause]] = {i: [] for i in changed}
    if not changed:
        return causes
    todo = {(i, g) for i in changed for g, cols in GROUPS.items() if any(before[i][c] != after[i][c] for c in cols)}

    def matches(i, g, row):
        return all(row[c] == after[i][c] for c in GROUPS[g])

    keys = [c.key for c in changes]
    found: dict[tuple[int, str], list[tuple[str, ...]]] = {k: [] for k in todo}
    subsets = [(k,) for k in keys]
    if 2 <= len(keys) <= max_pair_changes:
        subsets += list(itertools.combinations(keys, 2))
    for subset in subsets:
        open_items = [k for k in todo if not found[k] or len(found[k][0]) == len(subset)]
        if len(subset) == 2:
            open_items = [k for k in open_items if not found[k]]
        people = sorted({i for i, _ in open_items})
        if not people:
            break
        policy, params = hybrid(base, draft, bp, dp, set(subset))
        rows = dict(zip(people, _decide(policy, frame[people], as_of, params)))
        for i, g in open_items:
            if matches(i, g, rows[i]):
                found[(i, g)].append(subset)
    for (i, g) in sorted(todo, key=lambda k: (k[0], list(GROUPS).index(k[1]))):
        sets = found[(i, g)]
        if not sets:
            causes[i].append(Cause(g, tuple(keys), "all"))
        elif len(sets[0]) == 2:
            causes[i].append(Cause(g, sets[0], "together"))
        elif len(sets) == 1:
            causes[i].append(Cause(g, sets[0], "single"))
        else:
            causes[i].append(Cause(g, tuple(k for (k,) in sets), "any_of"))
    return causes


# ---- breakdowns -------------------------------------------------------------------


def age_band(birth: dt.date | None, as_of: dt.date) -> str:
    if birth is None:
        return "?"
    from .builtins import completed_years

    age = completed_years(birth, as_of)
    if age < 30:
        return "<30"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def dimension_value(report: DiffReport, person: Mapping, dimension: str) -> str:
    school = report.schools.get(person.get("school_id"), {})
    if dimension == "school":
        return str(person.get("school_id"))
    if dimension in ("cluster", "area"):
        return str(school.get(dimension) or "—")
    if dimension == "age_band":
        return age_band(person.get("birth_date"), report.as_of)
    return str(person.get(dimension) or "—")


def breakdown(report: DiffReport, dimension: str) -> list[dict]:
    """Per value of a dimension: people, changed, newly must_rotate, no longer must_rotate,
    and changes into or out of a sensitive exemption (suppressed below MIN_CELL)."""
    totals: Counter = Counter(dimension_value(report, p, dimension) for p in report.people)
    rows: dict[str, dict] = {}
    for person in report.persons:
        key = dimension_value(report, report.people[person.index], dimension)
        row = rows.setdefault(key, {"value": key, "people": totals[key], "changed": 0, "to_must_rotate": 0,
                                    "from_must_rotate": 0, "protected": 0})
        row["changed"] += 1
        row["to_must_rotate"] += person.after.status == "must_rotate" and person.before.status != "must_rotate"
        row["from_must_rotate"] += person.before.status == "must_rotate" and person.after.status != "must_rotate"
        row["protected"] += person.sensitive or any(report.is_sensitive(c) for c in person.causes)
    out = []
    for key in sorted(rows, key=lambda k: (-rows[k]["changed"], k)):
        row = rows[key]
        row["suppressed"] = 0 < row["protected"] < MIN_CELL
        if row["suppressed"]:
            row["protected"] = None
        out.append(row)
    return out


def exemption_summary(report: DiffReport) -> list[dict]:
    """Changed people per exemption reason after the change; sensitive reasons under
    MIN_CELL are merged into one suppressed cell."""
    counts = Counter(p.after.exemption for p in report.persons if p.after.exemption)
    out, merged = [], 0
    for code, n in sorted(counts.items()):
        if code in SENSITIVE_EXEMPTIONS and n < MIN_CELL:
            merged += n
        else:
            out.append({"exemption": code, "count": n})
    if merged:
        out.append({"exemption": "protected (merged)", "count": None if merged < MIN_CELL else merged,
                    "suppressed": True})
    return out


def sweep(base: P.CheckedPolicy, draft: P.CheckedPolicy, rows: Sequence[Mapping], schools: Mapping[str, Mapping],
          name: str, values: Sequence[object], *, as_of: dt.date | None = None, base_params: Mapping | None = None,
          draft_params: Mapping | None = None) -> list[tuple[object, int]]:
    """For each value of the draft's parameter ``name``: how many people's decisions differ from the base."""
    as_of = as_of or draft.as_of or base.as_of or dt.date.today()
    frame = frame_from_records(_widest(base, draft), list(rows), schools)
    before = _decide(base, frame, as_of, base.parameter_values(base_params))
    points = []
    for value in values:
        params = draft.parameter_values({**(draft_params or {}), name: value})
        after = _decide(draft, frame, as_of, params)
        points.append((value, sum(a != b for a, b in zip(before, after))))
    return points
