"""The reference interpreter: one person at a reference date -> a decision, and, on
request, the explanation of it. It is the semantics the bulk evaluator must match.

How a status is decided:
1. every rule whose condition holds *fires*; a fired rule is *exempted* by the
   first of its exemptions (in declared precedence) whose condition holds;
2. the strongest outcome wins (``semantics.rule_strength``): a fired must_rotate rule
   (status ``must_rotate``), then an exempted must_rotate rule (``exempt``), then a fired
   eligible rule (``eligible``); an exempted eligible rule decides nothing; with no rule,
   ``not_eligible``;
3. among rules of the same strength the first declared (base policy first) is
   named in the decision; all of them are in the explanation;
4. a condition an empty value leaves neither true nor false does not hold; where that could
   change the decision (``semantics.undecided``), the empty fields it reads are the decision's
   ``uncertain`` ones.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

import attrs

from policylang.lang import ops as B
from policylang.lang import ir
from policylang.lang import types as T
from policylang.lang import policy as P
from policylang.lang.decisions import (ConditionTrace, Consequence, Decision, Explanation, Fired, Read,
                        Step)
from policylang.lang.pretty import DisplayNames, ages_in, expr_text, policy_display_names
from policylang.lang.reads import decision_reads
from policylang.lang.semantics import (Grounds, declinable_exemptions, defeating_exemptions, effect_in_force,
                                       effect_until, missing_fields, next_targets, open_prerequisite, promotion_check,
                                       rule_strength, undecided)

_MISSING = object()


class Evaluation:
    """Evaluates bound expressions for one person, remembering what was read."""

    def __init__(self, policy: P.CheckedPolicy, teacher: Mapping, school: Mapping, as_of: dt.date,
                 params: Mapping[str, object], explaining: bool = False):
        self.policy = policy
        # only an explanation shows what a definition read (it is traced after its value is kept)
        self.explaining = explaining
        self.teacher = teacher
        self.school = school
        self.as_of = as_of
        self.params = params
        self._definitions: dict[str, object] = {}
        self._inside: dict[str, dict[str, Read]] = {}  # each definition's reads, when it was evaluated
        self.reads: dict[str, Read] | None = None

    def value(self, node: ir.Node):
        if isinstance(node, ir.Const):
            return node.value
        if isinstance(node, ir.FieldRef):
            record = self.teacher if node.table == "teacher" else self.school
            value = record.get(node.name)
            self._read(node.name if node.table == "teacher" else f"school.{node.name}", value, node.type)
            return value
        if isinstance(node, ir.ParamRef):
            value = self.params[node.name]
            self._read(node.name, value, node.type, self.policy.parameters[node.name].doc, "parameter")
            return value
        if isinstance(node, ir.DefRef):
            value = self._definitions.get(node.name, _MISSING)
            if value is _MISSING and not self.explaining:
                value = self._definitions[node.name] = self.value(self.policy.definitions[node.name].expr)
            elif value is _MISSING:
                outer, self.reads = self.reads, {}
                value = self._definitions[node.name] = self.value(self.policy.definitions[node.name].expr)
                inside, self.reads = self.reads, outer
                self._inside[node.name] = inside
                if outer is not None:
                    outer.update((k, r) for k, r in inside.items() if k not in outer)
            self._read(node.name, value, node.type, self.policy.definitions[node.name].doc, "definition")
            if value is None and self.reads is not None:  # unknown: the values inside it that made it so
                self._said_inside(node.name)
            return value
        if isinstance(node, ir.AsOf):
            return self.as_of
        assert isinstance(node, ir.Apply)
        if node.op == "if":
            cond = self.value(node.args[0])
            return self.value(node.args[1] if cond is True else node.args[2])
        if node.op == "in":
            operand = self.value(node.args[0])
            items = [self.value(a) for a in node.args[1:]]
            if operand is None:
                return None
            if B.compares_numbers("in", [a.type for a in node.args]):
                return any(i is not None and B.compared_numbers("eq", operand, i) for i in items)
            return operand in items
        args = [self.value(a) for a in node.args]
        return B.apply_row(node.op, args, [a.type for a in node.args])

    def _said_inside(self, name: str) -> None:
        """The values a definition left unknown read (a 完中 and an empty 任教学段 inside 义务教育学校),
        through the definitions inside it left unknown too, added to what a condition read."""
        for key, read in self._inside.get(name, {}).items():
            if read.kind == "definition" and read.value is None:
                if key != name:
                    self._said_inside(key)  # (the definition itself is no reason: what it read is)
            elif key not in self.reads:
                self.reads[key] = read

    def _read(self, name: str, value, type_, doc: str | None = None, kind: str = "field") -> None:
        if self.reads is not None and name not in self.reads:
            self.reads[name] = Read(name, value, type_, doc, kind)

    @functools.cached_property
    def display_names(self) -> DisplayNames:
        """The policy's definitions by their Chinese names and its parameters by their values, for
        the traces' Chinese text."""
        return policy_display_names(self.policy, self.params)

    def holds(self, node: ir.Node | None) -> bool | None:
        """A condition's value; an absent condition holds."""
        return True if node is None else self.value(node)

    def trace(self, node: ir.Node | None) -> tuple[ConditionTrace, ...]:
        """Each top-level conjunct of a condition with its value and what it read."""
        if node is None:
            return ()
        # a condition that is one definition (`when ja1_target`) is shown by its own conjuncts
        while isinstance(node, ir.DefRef) and isinstance(body := self.policy.definitions[node.name].expr, ir.Apply) \
                and body.op == "and":
            node = body
        parts = node.args if isinstance(node, ir.Apply) and node.op == "and" else (node,)
        traces = []
        for part in parts:
            saved, self.reads = self.reads, {}
            value = self.value(part)
            reads, self.reads = tuple(self.reads.values()), saved
            shown = frozenset(n.name for n in ir.walk(part) if isinstance(n, ir.ParamRef) and n.name in self.display_names)
            traces.append(ConditionTrace(expr_text(part), value, reads,
                                         text_zh=expr_text(part, lang="zh", names=self.display_names),
                                         ages=ages_in(part, self.policy.definitions), shown_zh=shown))
        return tuple(traces)


def _happened(ev: Evaluation, after: ir.Node | None, reached: bool) -> tuple[ConditionTrace, ...]:
    """An `after` event's line of an explanation: `refused_exchange <= as_of`, true or false."""
    if after is None:
        return ()
    (trace,) = ev.trace(ir.Apply(T.BOOL, "le", (after, ir.AsOf(T.DATE))))
    return (attrs.evolve(trace, value=reached),)


def decide(policy: P.CheckedPolicy, teacher: Mapping, school: Mapping, *, as_of: dt.date,
           params: Mapping[str, object] | None = None, explain: bool = False) -> Decision | Explanation:
    """Decide one person. ``teacher`` and ``school`` map canonical field names to typed values."""
    ev = Evaluation(policy, teacher, school, as_of, policy.parameter_values(params), explaining=explain)
    steps: list[Step] = []

    def step(kind, item, outcome, conditions=(), detail=None):
        if explain:
            steps.append(Step(kind, item.id, item.title, outcome, conditions,
                              tuple(c.short() for c in item.cites), detail, getattr(item, "version", "")))

    def conditions(node):
        return ev.trace(node) if explain else ()

    best: tuple[int, P.Rule, P.Exemption | None] | None = None
    fired_rules: list[Fired] = []
    grounds = Grounds()  # of each must_rotate rule holding the person, the grounds to decline it
    unknown: list[tuple[str, str | None]] = []  # what a missing value left undecided (semantics.undecided)
    left_open: list[str] = []  # prerequisites and consequences a missing value leaves open
    for rule in policy.rules:
        fired = ev.holds(rule.when)
        if fired is None:
            unknown.append((rule.id, None))
        if fired is not True:
            step("rule", rule, "unknown" if fired is None else "not_fired", conditions(rule.when))
            continue
        exempted_by = None
        checked = []
        for ex in defeating_exemptions(policy, rule.id):
            applies = ev.holds(ex.when)
            checked.append((ex, applies, conditions(ex.when)))
            if applies is None:
                unknown.append((ex.id, rule.id))
            if applies is True:
                exempted_by = ex
                break
        fired_rules.append(Fired(rule.id, exempted_by.id if exempted_by else None))
        defeated = "exempted" if rule.outcome == "must_rotate" else "set_aside"  # (semantics.rule_strength)
        step("rule", rule, defeated if exempted_by else "fired", conditions(rule.when),
             detail=exempted_by.id if exempted_by else None)
        for ex, applies, traced in checked:
            step("exemption", ex, "applies" if applies is True else "unknown" if applies is None else "not_fired",
                 traced, detail=rule.id)
        if exempted_by is None and rule.outcome == "must_rotate":
            values = []
            for ex in declinable_exemptions(policy, rule.id):
                applies = ev.holds(ex.when)
                values.append((ex.id, ex.code, applies))
                step("exemption", ex, "may_decline" if applies is True else "unknown" if applies is None
                     else "not_fired", conditions(ex.when), detail=rule.id)
            grounds.add(values)
        strength = rule_strength(rule.outcome, exempted_by is not None)
        if strength is not None and (best is None or strength > best[0]):
            best = (strength, rule, exempted_by)

    status, rule_id, exemption, direction, cites = "not_eligible", None, None, None, ()
    if best is not None:
        _, rule, exempted_by = best
        rule_id = rule.id
        cites = tuple(c.short() for c in rule.cites)
        if exempted_by is not None:
            status, exemption = "exempt", exempted_by.code
            cites += tuple(c.short() for c in exempted_by.cites if c.short() not in cites)
        else:
            status, direction = rule.outcome, rule.direction

    found: dict[str, list[Consequence]] = {"penalty": [], "benefit": []}
    for item in policy.consequences:
        event = ev.value(item.after) if item.after is not None else None
        reached = item.after is None or (event is not None and event <= as_of)
        held = ev.holds(item.when) if reached else False
        # the event first, as happened by the reference date or not (an empty date is no event, not an
        # unknown one); the condition only once it happened
        traced = (_happened(ev, item.after, reached) if explain else ()) + (conditions(item.when) if reached else ())
        current = []
        for effect in item.effects if reached else ():
            until = effect_until(event, effect, ev.params)
            if effect_in_force(until, as_of):
                current.append(Consequence(item.id, effect.name, effect.label, until))
        if held is None and current:  # in force, had its condition held
            left_open.append(item.id)
            step(item.kind, item, "unknown", traced)
            continue
        if held is not True:
            if held is False and item.since is not None and event is not None and event < item.since:
                step(item.kind, item, "before_effective", traced, detail=item.since.isoformat())
            else:
                step(item.kind, item, "not_triggered", traced)
            continue
        found[item.kind] += current
        step(item.kind, item, "in_force" if current else "expired", traced,
             detail=", ".join(f"{c.effect}{' → ' + c.until.isoformat() if c.until else ''}" for c in current)
             or None)

    promotion = []
    for target in next_targets(policy, teacher):
        unmet = []
        for pre in policy.prerequisites:
            if target not in pre.targets:
                continue
            applies = ev.holds(pre.applies)
            met = ev.holds(pre.requires)
            if open_prerequisite(applies, met):
                left_open.append(pre.id)
            if applies is not True:
                step("prerequisite", pre, "unknown" if open_prerequisite(applies, met) else "not_applicable",
                     conditions(pre.applies) + (conditions(pre.requires) if applies is None else ()), detail=target)
                continue
            if met is not True:
                unmet.append(pre.id)
            step("prerequisite", pre, "met" if met is True else "unknown" if met is None else "unmet",
                 conditions(pre.applies) + conditions(pre.requires), detail=target)
        promotion.append(promotion_check(policy, target, unmet, found["penalty"]))

    declining = grounds.declining(policy, status)
    left_open = [*(undecided(policy, rule_id, exemption is not None, unknown, declining) if unknown else ()),
                 *grounds.left_open(status), *left_open]
    left_open = tuple(dict.fromkeys(left_open))
    reads = decision_reads(policy) if left_open else {}
    decision = Decision(
        id=str(teacher.get("id", "")), status=status, rule=rule_id, exemption=exemption,
        direction=direction, promotion=tuple(promotion), penalties=tuple(found["penalty"]),
        benefits=tuple(found["benefit"]), cite=cites, as_of=as_of, fired=tuple(fired_rules),
        may_decline=declining, uncertain=missing_fields(policy, reads, left_open, teacher, school))
    if not explain:
        return decision
    return Explanation(decision, as_of, policy.title, tuple(steps), left_open,
                       missing_fields(policy, reads, left_open, teacher, school, every=True))
