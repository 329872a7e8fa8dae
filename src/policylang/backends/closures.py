"""The closure evaluator: a checked policy turned, once per reference date and
parameter set, into Python closures that decide one person fast.

It decides exactly as the reference interpreter (``interpret.py``), whose null
semantics (``builtins.py``) it keeps; what it adds is work done at compile time:
- parameters, the reference date and constant sub-expressions are folded;
- ``years_between(d, as_of) <= N`` and the like compare ``d`` with a precomputed
  cut-off date (the rewrite ``compile.py`` makes for polars);
- ``and``/``or`` stop at the first deciding operand when no later operand can fail;
- each definition is evaluated at most once per person.

Records hold values as the roster reader gives them (``datetime.date`` dates,
codes for enums). Everything without a fast form goes through
``builtins.apply_row``, the interpreter's own operator table.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Mapping

from policylang.lang import ops as B
from policylang.lang import ir
from policylang.lang import policy as P
from policylang.lang import types as T
from policylang.lang.fold import Folder
from policylang.lang.decisions import Consequence, Decision, Fired
from policylang.lang.reads import decision_reads
from policylang.lang.semantics import (Grounds, declinable_exemptions, defeating_exemptions, effect_in_force,
                                       effect_until, missing_fields, next_targets, open_prerequisite, promotion_check,
                                       rule_strength, undecided)

# A compiled expression: (teacher, school, definitions already evaluated) -> value.
Value = Callable[[Mapping, Mapping, dict], object]
Decider = Callable[[Mapping, Mapping], Decision]

_MISSING = object()
_COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
            "gt": operator.gt, "ge": operator.ge}
_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
_FOLD_ERRORS = (ArithmeticError, ValueError, TypeError, OverflowError)


def _const(value) -> Value:
    return lambda t, s, m: value


def _true(t, s, m):
    return True


class _Compiler:
    """Compiles the expressions of one policy for one reference date and parameter set."""

    def __init__(self, policy: P.CheckedPolicy, as_of: dt.date, params: Mapping[str, object]):
        self.policy = policy
        self._folder = Folder(policy, as_of, params)
        self._definitions: dict[str, Value] = {}

    # ---- what is known before any record ---------------------------------------------
    def constant(self, node: ir.Node) -> tuple[bool, object]:
        """(True, value) when the node has the same value for every record, folded as every
        evaluator folds (lang.fold). A constant that fails to compute (a date out of range) is
        left to fail where the interpreter would: only if it is reached."""
        try:
            return self._folder.constant(node)
        except _FOLD_ERRORS:
            return False, None

    def may_fail(self, node: ir.Node) -> bool:
        """Whether evaluating the node can raise on a valid record: only moving a date
        (out of the calendar's range) can. Operands after one of these are never skipped."""
        if self.constant(node)[0]:
            return False
        if isinstance(node, ir.DefRef):
            return self.may_fail(self.policy.definitions[node.name].expr)
        if not isinstance(node, ir.Apply):
            return False
        if node.op in ("add", "sub") and isinstance(node.args[0].type, T.DateType):
            return True
        return any(self.may_fail(a) for a in node.args)

    def _inline(self, node: ir.Node) -> ir.Node:
        while isinstance(node, ir.DefRef):
            node = self.policy.definitions[node.name].expr
        return node

    # ---- expressions ------------------------------------------------------------------
    def expr(self, node: ir.Node) -> Value:
        ok, value = self.constant(node)
        if ok:
            return _const(value)
        if isinstance(node, ir.FieldRef):
            name = node.name
            if node.table == "teacher":
                return lambda t, s, m: t.get(name)
            return lambda t, s, m: s.get(name)
        if isinstance(node, ir.DefRef):
            return self._definition(node.name)
        assert isinstance(node, ir.Apply)
        op = node.op
        if op in _COMPARE:
            return self._compare(node)
        if op in ("and", "or") and not any(self.may_fail(a) for a in node.args[1:]):
            return _short_circuit(op, [self.expr(a) for a in node.args])
        if op == "not":
            arg = self.expr(node.args[0])

            def negation(t, s, m):
                v = arg(t, s, m)
                return None if v is None else not v
            return negation
        if op in ("is_set", "is_empty"):
            arg = self.expr(node.args[0])
            if op == "is_set":
                return lambda t, s, m: arg(t, s, m) is not None
            return lambda t, s, m: arg(t, s, m) is None
        if op == "if":
            cond, then, other = (self.expr(a) for a in node.args)
            return lambda t, s, m: then(t, s, m) if cond(t, s, m) is True else other(t, s, m)
        if op == "in":
            return self._in(node)
        if op == "within_last":
            return self._window(node)
        return self._generic(node)

    def _window(self, node: ir.Apply) -> Value:
        """``within_last(d, N)`` with N and the reference date fixed: ``d`` between two cut-off
        dates (``ops.WindowTest``); otherwise through the operator table."""
        event, length, as_of = node.args
        ok_n, n = self.constant(length)
        ok_as_of, end = self.constant(as_of)
        if not (ok_n and ok_as_of) or n is None or end is None:
            return self._generic(node)
        test = B.WindowTest.of(end, n, length.type.unit)
        d = self.expr(event)
        if test is None:
            return lambda t, s, m: None
        return lambda t, s, m: None if (x := d(t, s, m)) is None else test.holds(x)

    def _generic(self, node: ir.Apply) -> Value:
        """Any operator, through the interpreter's own table."""
        args = [self.expr(a) for a in node.args]
        op, types = node.op, [a.type for a in node.args]
        return lambda t, s, m: B.apply_row(op, [a(t, s, m) for a in args], types)

    def _definition(self, name: str) -> Value:
        compiled = self._definitions.get(name)
        if compiled is None:
            body = self.expr(self.policy.definitions[name].expr)

            def compiled(t, s, m):
                value = m.get(name, _MISSING)
                if value is _MISSING:
                    value = m[name] = body(t, s, m)
                return value
            self._definitions[name] = compiled
        return compiled

    def _compare(self, node: ir.Apply) -> Value:
        op = node.op
        left, right = (self._inline(a) for a in node.args)
        folded = self._cutoff(op, left, right) or self._cutoff(_FLIP[op], right, left) \
            or self._retirement(op, left, right) or self._retirement(_FLIP[op], right, left)
        if folded is not None:
            return folded
        if isinstance(right, ir.Apply) and right.op == "if":
            # x op (if c then a else b)  ->  if c then x op a else x op b, so each branch can fold;
            # the same operands are evaluated either way
            cond, a, b = right.args
            x = node.args[0]
            return self.expr(ir.Apply(T.BOOL, "if", (cond, ir.Apply(T.BOOL, op, (x, a)), ir.Apply(T.BOOL, op, (x, b)))))
        compare = _COMPARE[op]
        if B.compares_numbers(op, [a.type for a in node.args]):
            compare = functools.partial(B.compared_numbers, op)
        type_ = node.args[0].type
        order = B.ORDERED_ENUMS.get(type_.name) if op not in ("eq", "ne") and isinstance(type_, T.EnumType) else None
        l, r = self.expr(node.args[0]), self.expr(node.args[1])
        if order is not None:
            def ranked(t, s, m):
                x, y = l(t, s, m), r(t, s, m)
                return None if x is None or y is None else compare(order.index(x), order.index(y))
            return ranked
        ok, c = self.constant(node.args[1])
        if ok and c is not None:
            def with_constant(t, s, m):
                x = l(t, s, m)
                return None if x is None else compare(x, c)
            return with_constant

        def both(t, s, m):
            x, y = l(t, s, m), r(t, s, m)
            return None if x is None or y is None else compare(x, y)
        return both

    def _cutoff(self, op: str, left: ir.Node, right: ir.Node) -> Value | None:
        """``years_between(d, end) op N`` with ``end`` and ``N`` fixed, as a comparison of ``d``
        with a cut-off date: d has completed k units at ``end`` exactly when d <= end - k units."""
        found = B.SpanTest.match(op, left, right, self.constant)
        if found is None:
            return None
        start, test = found
        d = self.expr(start)
        if test is None:
            return lambda t, s, m: (d(t, s, m), None)[1]
        return lambda t, s, m: None if (x := d(t, s, m)) is None else test.holds(x)

    def _retirement(self, op: str, left: ir.Node, right: ir.Node) -> Value | None:
        """``retirement_date op C`` with ``C`` fixed, as a test of the birth date against a cut-off
        for each original age (``ops.RetirementTest``)."""
        found = B.RetirementTest.match(op, left, right, self.constant)
        if found is None:
            return None
        node, test = found
        birth, sex, category = (self.expr(a) for a in node.args[:3])
        if test is None:
            return lambda t, s, m: (birth(t, s, m), sex(t, s, m), category(t, s, m), None)[3]
        return lambda t, s, m: test.holds(birth(t, s, m), sex(t, s, m), category(t, s, m))

    def _in(self, node: ir.Apply) -> Value:
        operand, items = node.args[0], node.args[1:]
        constants = [self.constant(i) for i in items]
        if B.compares_numbers("in", [a.type for a in node.args]):
            x, values = self.expr(operand), [self.expr(i) for i in items]

            def near(t, s, m):
                v = x(t, s, m)
                return None if v is None else any(
                    (w := f(t, s, m)) is not None and B.compared_numbers("eq", v, w) for f in values)
            return near
        if not all(ok for ok, _ in constants):
            x = self.expr(operand)
            values = [self.expr(i) for i in items]

            def member(t, s, m):
                v, found = x(t, s, m), [f(t, s, m) for f in values]
                return None if v is None else v in found
            return member
        x, found = self.expr(operand), tuple(v for _, v in constants)
        return lambda t, s, m: None if (v := x(t, s, m)) is None else v in found

    def condition(self, node: ir.Node | None) -> Value:
        """A condition's value; an absent condition holds."""
        return _true if node is None else self.expr(node)


def _short_circuit(op: str, args: list[Value]) -> Value:
    """Kleene ``and``/``or`` stopping at the first deciding operand (false for and, true for or)."""
    stop = op == "or"  # the value that decides

    def logic(t, s, m):
        unknown = False
        for arg in args:
            v = arg(t, s, m)
            if v is stop:
                return stop
            if v is None:
                unknown = True
        return None if unknown else not stop
    return logic


def compile_decider(policy: P.CheckedPolicy, as_of: dt.date, params: Mapping[str, object] | None = None) -> Decider:
    """A function deciding one person (typed teacher and school values) as
    ``interpret.decide(policy, teacher, school, as_of=as_of, params=params)`` does."""
    values = policy.parameter_values(params)
    c = _Compiler(policy, as_of, values)
    rules = []
    for rule in policy.rules:
        own = tuple(x.short() for x in rule.cites)
        exemptions = [(c.condition(ex.when), ex.code, own + tuple(x.short() for x in ex.cites if x.short() not in own),
                       Fired(rule.id, ex.id)) for ex in defeating_exemptions(policy, rule.id)]
        grounds = [(c.condition(ex.when), ex.code, ex.id) for ex in declinable_exemptions(policy, rule.id)] \
            if rule.outcome == "must_rotate" else None
        rules.append((c.condition(rule.when), exemptions, rule.outcome,
                      (rule.id, rule.outcome, rule.direction, own), Fired(rule.id), grounds))
    prerequisites = [(set(p.targets), p.id, c.condition(p.applies), c.condition(p.requires))
                     for p in policy.prerequisites]
    consequences = [(item.kind, item.id, None if item.after is None else c.expr(item.after),
                     c.condition(item.when), item.effects) for item in policy.consequences]

    reads = decision_reads(policy)

    def decide(teacher: Mapping, school: Mapping) -> Decision:
        m: dict = {}
        best = None
        fired = []
        declinable = Grounds()  # of each must_rotate rule holding the person, the grounds to decline it
        unknown = []  # what a missing value left undecided (semantics.undecided)
        left_open = []  # prerequisites and consequences a missing value leaves open
        for when, exemptions, rule_outcome, outcome, unexempted, grounds in rules:
            holds = when(teacher, school, m)
            if holds is not True:
                if holds is None:
                    unknown.append((unexempted.rule, None))
                continue
            exempted, how = None, unexempted
            for applies, code, cites, by in exemptions:
                applied = applies(teacher, school, m)
                if applied is True:
                    exempted, how = (code, cites), by
                    break
                if applied is None:
                    unknown.append((by.exemption, by.rule))
            fired.append(how)
            if exempted is None and grounds is not None:
                declinable.add((ground_id, code, applies(teacher, school, m)) for applies, code, ground_id in grounds)
            strength = rule_strength(rule_outcome, exempted is not None)
            if strength is not None and (best is None or strength > best[0]):
                best = (strength, outcome, exempted)

        status, rule_id, exemption, direction, cite = "not_eligible", None, None, None, ()
        if best is not None:
            _, (rule_id, outcome, rule_direction, cite), exempted = best
            if exempted is not None:
                status = "exempt"
                exemption, cite = exempted
            else:
                status, direction = outcome, rule_direction

        found: dict[str, list[Consequence]] = {"penalty": [], "benefit": []}
        for kind, item_id, after, when, effects in consequences:
            event = after(teacher, school, m) if after is not None else None
            if not (after is None or (event is not None and event <= as_of)):
                continue
            held = when(teacher, school, m)
            if held is False:
                continue
            current = [Consequence(item_id, effect.name, effect.label, until) for effect in effects
                       if effect_in_force(until := effect_until(event, effect, values), as_of)]
            if held is None:  # in force, had its condition held
                if current:
                    left_open.append(item_id)
                continue
            found[kind] += current

        promotion = []
        for target in next_targets(policy, teacher):
            unmet = []
            for targets, pre_id, applies, requires in prerequisites:
                if target not in targets:
                    continue
                applied, met = applies(teacher, school, m), requires(teacher, school, m)
                if applied is True and met is not True:
                    unmet.append(pre_id)
                if open_prerequisite(applied, met):
                    left_open.append(pre_id)
            promotion.append(promotion_check(policy, target, unmet, found["penalty"]))

        declining = declinable.declining(policy, status)
        if unknown:
            left_open += undecided(policy, rule_id, exemption is not None, unknown, declining)
        left_open += declinable.left_open(status)
        return Decision(id=str(teacher.get("id", "")), status=status, rule=rule_id, exemption=exemption,
                        direction=direction, promotion=tuple(promotion), penalties=tuple(found["penalty"]),
                        benefits=tuple(found["benefit"]), cite=cite, as_of=as_of, fired=tuple(fired),
                        may_decline=declining,
                        uncertain=missing_fields(policy, reads, left_open, teacher, school) if left_open else ())
    return decide
