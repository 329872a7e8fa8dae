"""Rules of the decision every evaluator applies alike, written once: which promotion a
person could apply for next, how long a consequence's effect is in force, and which penalties
in force hold a promotion back and until when. (The reference
interpreter, the closures and the bulk evaluator each build their own form of these from here.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from policylang.lang import decisions as D
from policylang.lang import ir
from policylang.lang import ops as B
from policylang.lang import policy as P
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.frame import column_name


def _next_title_target() -> dict[str, str | None]:
    order, targets = S.TITLE_ORDER, S.PROMOTION_TARGETS
    return {title: next((t for t in order[i + 1:] if t in targets), None) for i, title in enumerate(order)}


# Each title's next promotion target: the first title above it that is one (none for the highest).
NEXT_TITLE_TARGET: dict[str, str | None] = _next_title_target()


def has_principal_rules(policy: P.CheckedPolicy) -> bool:
    """Appointment as principal is a target only where some prerequisite is about it."""
    return any("principal" in p.targets for p in policy.prerequisites)


@attrs.frozen
class TargetTest:
    """Whether a person is checked for a promotion target: the teacher's ``field`` (a missing
    value read as ``missing``; with none, a missing value is among no values) is among ``values``,
    or with ``negate`` is not. ``next_targets`` applies it to a record; the symbolic and table
    forms build theirs from its fields."""

    field: str
    values: frozenset[str]
    missing: str | None = None
    negate: bool = False

    def holds(self, teacher: Mapping) -> bool:
        value = teacher.get(self.field) or self.missing
        return (value is not None and value in self.values) != self.negate


# the next title: a missing title reads as none
_TITLE_TESTS = {target: TargetTest("title", frozenset(t for t, n in NEXT_TITLE_TARGET.items() if n == target), "none")
                for target in S.PROMOTION_TARGETS if target != "principal"}
_NOT_PRINCIPAL = TargetTest("post", frozenset({"principal"}), negate=True)  # anyone not one already
_NOBODY = TargetTest("post", frozenset())


def target_test(policy: P.CheckedPolicy, target: str) -> TargetTest:
    """When a person is checked for ``target``: the next title above theirs, or principal for
    anyone not one already where the policy has rules for it (``has_principal_rules``)."""
    if target == "principal":
        return _NOT_PRINCIPAL if has_principal_rules(policy) else _NOBODY
    return _TITLE_TESTS[target]


def next_targets(policy: P.CheckedPolicy, teacher: Mapping) -> tuple[str, ...]:
    """The promotion targets a person could apply for next (``target_test``), in the order of
    ``schema.PROMOTION_TARGETS``: the next title, then principal."""
    return tuple(t for t in S.PROMOTION_TARGETS if target_test(policy, t).holds(teacher))


def effect_duration(effect: P.Effect, params: Mapping[str, object] | None = None) -> tuple[int, str] | None:
    """An effect's duration (amount, unit): as written, or the value of the parameter that
    states it (`for refusal_years`) among ``params`` (``CheckedPolicy.parameter_values``, which
    refuses a value that is not a whole number)."""
    if effect.duration is None:
        return None
    amount, unit = effect.duration
    if effect.parameter is not None and params is not None and effect.parameter in params:
        amount = int(params[effect.parameter])
    return amount, unit


def effect_until(event: dt.date, effect: P.Effect, params: Mapping[str, object] | None = None) -> dt.date | None:
    """The last day an effect ``for N years`` (months, days) is in force, counted from its
    event as the Civil Code counts periods (arts. 201-202, ``ops.period_last_day``): the
    event's day is not counted and the corresponding day is the last, so a ban "三年内" after
    a refusal on 2023-09-01 is in force through 2026-09-01 and lifts on 2026-09-02. This is
    the ``until`` every decision reports. None for an effect without a duration (open-ended)."""
    duration = effect_duration(effect, params)
    return None if duration is None else B.period_last_day(event, *duration)


def effect_in_force(until: dt.date | None, as_of: dt.date) -> bool:
    """Whether a triggered effect (its event on or before ``as_of``) is still in force: through
    its last day, inclusive; an open-ended one always."""
    return until is None or as_of <= until


def promotion_bars(policy: P.CheckedPolicy, target: str
                   ) -> tuple[tuple[str, tuple[tuple[P.Consequence, P.Effect], ...]], ...]:
    """The penalties that can hold back promotion to ``target``, in declaration order, each
    id with the effects that bar it (`effect … bars promotion`), of every version of it
    (``Consequence.version``): one bar, lifting after the latest. A barred promotion is unmet:
    the penalty's id follows the unmet prerequisites' ids (declaration order) in the decision."""
    found: dict[str, list[tuple[P.Consequence, P.Effect]]] = {}
    for item in policy.penalties:
        for effect in item.effects:
            if target in effect.bars:
                found.setdefault(item.id, []).append((item, effect))
    return tuple((ident, tuple(barring)) for ident, barring in found.items())


def bar_lifts(untils: list[dt.date | None]) -> dt.date | None:
    """The day a penalty stops barring a promotion, from the last days of its barring effects
    in force: the day after the latest (art. 203: a period ends at the end of its last day);
    None (not before some other act) when one of them is open-ended."""
    if not untils or any(u is None for u in untils):
        return None
    last = max(untils)
    return None if last >= dt.date.max else last + dt.timedelta(days=1)


def promotion_check(policy: P.CheckedPolicy, target: str, unmet: list[str],
                    penalties: list[D.Consequence]) -> D.PromotionCheck:
    """A promotion target's entry from its unmet prerequisites (ids, declaration order) and the
    penalties in force: each penalty with an effect in force that bars ``target`` is unmet too,
    after the prerequisites, with the day it lifts (``bar_lifts``)."""
    in_force: dict[tuple[str, str], list[dt.date | None]] = {}  # (an effect of every version alike)
    for c in penalties:
        in_force.setdefault((c.rule, c.effect), []).append(c.until)
    bars = []
    for ident, barring in promotion_bars(policy, target):
        names = {e.name for _, e in barring}
        untils = [u for name in names for u in in_force.get((ident, name), ())]
        if untils:
            bars.append(D.Bar(ident, bar_lifts(untils)))
    return D.PromotionCheck(target, (*unmet, *(b.rule for b in bars)), tuple(bars))


def rule_strength(outcome: str, exempted: bool) -> int | None:
    """How strongly a fired rule decides a status; the strongest wins, the first declared among
    equals. An exemption means "would be a target, but…": it makes a person ``exempt`` only by
    defeating a ``must_rotate`` rule. A defeated ``eligible`` rule decides nothing (None): the
    person is not in that pool, and is no more exempt than one it never reached."""
    if outcome == "must_rotate":
        return 2 if exempted else 3
    return None if exempted else 1


def undecided(policy: P.CheckedPolicy, rule: str | None, exempted: bool,
              unknown: Iterable[tuple[str, str | None]], declining: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The declarations a missing value left undecided that could change a person's decision
    (its status, or the rule, exemption and direction it names): a rule left unknown that,
    holding, would decide more strongly than the deciding ``rule`` (``exempted`` or not), or as
    strongly and declared before it; an exemption of the deciding rule left unknown (checked
    before any that applies: one applying would exempt them, or exempt them otherwise). For a
    person who must rotate, where the policy has `may decline` grounds, also what could change
    ``declining`` (their ``may_decline``): a must_rotate rule left unknown while they may decline
    (holding, it could take a ground away), an exemption of another must_rotate rule that fired
    (applying, it could leave a ground every other rule allows).
    ``unknown``: the rules (id, None) and the exemptions (id, the rule it defeats) a missing
    value left neither true nor false, in the order they were evaluated. The bulk evaluator's
    form of it is ``backends.polars.Plan._open_status``."""
    order = {r.id: i for i, r in enumerate(policy.rules)}
    outcomes = {r.id: r.outcome for r in policy.rules}
    current = -1 if rule is None else rule_strength(outcomes[rule], exempted)
    grounds = rule is not None and not exempted and outcomes[rule] == "must_rotate" and bool(declinable_codes(policy))

    def matters(item: str, of: str | None) -> bool:
        if of is not None:
            return of == rule or grounds and outcomes[of] == "must_rotate"
        strength = rule_strength(outcomes[item], False)
        return strength is not None and (strength > current or strength == current and order[item] < order[rule]) \
            or grounds and bool(declining) and outcomes[item] == "must_rotate"
    return tuple(dict.fromkeys(i for i, of in unknown if matters(i, of)))


def open_prerequisite(applies: bool | None, met: bool | None) -> bool:
    """Whether a missing value leaves a prerequisite of a target the person is going for open.
    It is read one way (an `applies when` left unknown does not apply; a `requires` left
    unknown is not met), and the other way would change the promotion entry: it applies and
    its requirement is unknown, or whether it applies is unknown and its requirement is not
    known to be met."""
    return (applies is True and met is None) or (applies is None and met is not True)


def open_grounds(status: str, allowed: list[set[str]], possible: list[set[str]]) -> set[str]:
    """The codes a missing value leaves open in ``may_decline``: for a must_rotate person, the
    codes every must_rotate rule holding them allows or might allow, and not all allow already.
    ``allowed`` as ``may_decline`` takes it; ``possible``, per rule, its grounds that hold or
    that a missing value left unknown."""
    if status != "must_rotate" or not allowed:
        return set()
    return set.intersection(*possible) - set.intersection(*allowed)


def missing_fields(policy: P.CheckedPolicy, reads: Mapping[str, frozenset], ids: Iterable[str],
                   teacher: Mapping, school: Mapping, every: bool = False) -> tuple[str, ...]:
    """The empty fields (``school.FIELD`` for a school's) that the declarations ``ids`` read
    (``reads``: ``lang.reads.decision_reads``): the person's ``uncertain`` fields a missing value
    leaves open, teachers' then schools', in the tables' order: those that ``may_be_empty``, or
    with ``every`` any (an explanation of values no reader checked, as ``try`` leaves them)."""
    values = {"teacher": teacher, "school": school}
    return tuple(column_name(t, name) for t, name in empty_fields(policy, set().union(*(reads[i] for i in ids)),
                                                                 every=every)
                 if values[t].get(name) is None and open_here(policy, t, name, school))


def open_here(policy: P.CheckedPolicy, table: str, name: str, school: Mapping) -> bool:
    """Whether an empty cell of the field is a value not known at this person's school
    (``Field.open_at``: a 完中 teacher's 任教学段, not a 小学 teacher's); at a school whose stage
    is itself not known, it is."""
    at = open_at(policy, table, name)
    return at is None or school.get(at[0]) is None or school.get(at[0]) in at[1]


def open_at(policy: P.CheckedPolicy, table: str, name: str) -> tuple[str, tuple[str, ...]] | None:
    field = (policy.teachers if table == "teacher" else policy.schools).field(name)
    return None if field is None else field.open_at


def empty_fields(policy: P.CheckedPolicy, read: Iterable[tuple[str, str]] | None = None, *, every: bool = False
                 ) -> list[tuple[str, str]]:
    """The fields (table, name) a reader can leave empty (``may_be_empty``), teachers' then
    schools', in the tables' order; of ``read`` if given; with ``every``, all of them."""
    wanted = None if read is None else set(read)
    return [(t.name, f.name) for t in (policy.teachers, policy.schools) for f in t.fields
            if (every or may_be_empty(f)) and (wanted is None or (t.name, f.name) in wanted)]


@attrs.define
class Grounds:
    """The `may decline` grounds of the must_rotate rules holding a person, as an evaluator
    finds them (``add``, a rule at a time): the person's ``may_decline`` (``declining``) and the
    exemptions a missing value left open that could add to it (``open_grounds``)."""

    allowed: list[set[str]] = attrs.field(factory=list)  # per rule, the codes whose exemption holds
    possible: list[set[str]] = attrs.field(factory=list)  # per rule, those that hold or are unknown
    unknown: list[tuple[str, str]] = attrs.field(factory=list)  # (exemption id, code) left unknown

    def add(self, grounds: Iterable[tuple[str, str, bool | None]]) -> None:
        """A rule's `may decline` exemptions as (id, code, whether its condition holds)."""
        held, maybe = set(), set()
        for ground_id, code, value in grounds:
            if value is True:
                held.add(code)
            elif value is None:
                maybe.add(code)
                self.unknown.append((ground_id, code))
        self.allowed.append(held)
        self.possible.append(held | maybe)

    def declining(self, policy: P.CheckedPolicy, status: str) -> tuple[str, ...]:
        return may_decline(policy, status, self.allowed)

    def left_open(self, status: str) -> list[str]:
        if not self.unknown:  # the usual person: every ground known
            return []
        codes = open_grounds(status, self.allowed, self.possible)
        return [ground_id for ground_id, code in self.unknown if code in codes]


def may_be_empty(field: S.Field) -> bool:
    """Whether a reader can give a field no value: not one every row must fill (R006), nor a
    yes/no, whose empty cell reads as no (contract.md)."""
    return not field.must_fill and not isinstance(field.type, T.BoolType)


# the post a principal rule names (a vice principal teaches: a teachers' rule may name one too)
PRINCIPAL_POSTS = frozenset({"principal"})
# words by which an exemption's title speaks of teachers (专任教师, 女教师) or of school leaders
TEACHER_WORDS = ("教师", "teacher")
LEADER_WORDS = ("校长", "校级", "领导", "principal")


def concerns_principals(node: ir.Node | None, definitions: Mapping[str, P.Definition]) -> bool:
    """Whether a condition picks out principals by post: it compares ``post`` with
    ``principal``, directly or through a definition (the prelude's ``is_principal``)."""
    seen: set[str] = set()
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, ir.DefRef):
            if n.name not in seen and n.name in definitions:
                seen.add(n.name)
                stack.append(definitions[n.name].expr)
        elif isinstance(n, ir.Apply):
            if n.op in ("eq", "ne", "in") and any(isinstance(a, ir.FieldRef) and a.name == "post" for a in n.args) \
                    and any(isinstance(a, ir.Const) and a.value in PRINCIPAL_POSTS for a in n.args):
                return True
            stack.extend(n.args)
    return False


def speaks_of_teachers_only(title: str) -> bool:
    """An exemption's title that names teachers (教师) and no school leader (校长, 校级领导)."""
    low = title.lower()
    return any(w in low for w in TEACHER_WORDS) and not any(w in low for w in LEADER_WORDS)


def defeating_exemptions(policy: P.CheckedPolicy, rule_id: str) -> tuple[P.Exemption, ...]:
    """The exemptions of a rule that take a person out of it (原则上不作为交流对象), in precedence
    order: the first that holds defeats the rule."""
    return tuple(e for e in policy.exemptions.get(rule_id, ()) if not e.may_decline)


def declinable_exemptions(policy: P.CheckedPolicy, rule_id: str) -> tuple[P.Exemption, ...]:
    """The exemptions of a rule a person may invoke (`may decline`: 可不参加、可暂缓): they defeat
    nothing; the person stays a target, with the grounds they may invoke."""
    return tuple(e for e in policy.exemptions.get(rule_id, ()) if e.may_decline)


def declinable_codes(policy: P.CheckedPolicy) -> tuple[str, ...]:
    """The codes of the policy's `may decline` exemptions, in the order decisions list them (the
    exemptions' precedence order, then declaration)."""
    return tuple(dict.fromkeys(e.code for e in policy.all_exemptions() if e.may_decline))


def may_decline(policy: P.CheckedPolicy, status: str, allowed: list[set[str]]) -> tuple[str, ...]:
    """The decision's ``may_decline``: for a ``must_rotate`` person, the codes that every
    ``must_rotate`` rule holding them (fired and not exempted) lets them invoke — ``allowed`` has,
    per such rule, the codes of its `may decline` exemptions that hold. A rule with no such
    ground still binds them, so they may decline only on a ground every rule allows."""
    if status != "must_rotate" or not allowed:
        return ()
    common = set.intersection(*allowed)
    return tuple(c for c in declinable_codes(policy) if c in common) if common else ()
