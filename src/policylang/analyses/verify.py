"""What a policy does for every possible person, proved with an SMT solver over the
translation of ``backends.smt``: can each rule, exemption, prerequisite and consequence ever
apply; which rules overlap and which wins; which exemption is always shadowed; where a bound
written ``less than`` meets one written ``more than`` and leaves the boundary undecided; and,
for two policies, whether one refines the other (everyone the base requires to move, the draft
requires too, or exempts on a listed ground), is no stricter, or decides everyone alike.

Every "can happen" answer comes with a witness: a concrete teacher and school, decided again by
the reference interpreter before it is returned. A witness the interpreter does not confirm is
a bug of the translation and raises ``WitnessError``: no unconfirmed witness is ever shown.
Every "never" answer holds within the domain ``smt.Person.domain`` states (``Coverage``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import attrs
import z3

from policylang.backends import reference
from policylang.backends import smt
from policylang.core.diagnostics import BilingualError
from policylang.lang import ir
from policylang.lang import policy as P
from policylang.lang import semantics as SEM
from policylang.lang import types as T
from policylang.lang.decisions import Decision
from policylang.lang.pretty import expr_text, name_text

SOLVER_TIMEOUT_MS = 20_000  # one question; a policy of the bundled size takes milliseconds
ASPECTS = ("status", "promotion", "consequences")


class VerifyError(BilingualError):
    """A policy the solver cannot be given exactly (``smt.Unsupported``), or a question it
    could not settle in time."""

    bug = False


class WitnessError(VerifyError):
    """A witness the reference interpreter does not confirm: a bug of the translation."""

    bug = True

    def __init__(self, en: str):
        super().__init__(en, "内部错误：反例未能由参照解释器复现（这是 policylang 的缺陷，请报告）：" + en)


@attrs.frozen
class Side:
    """One policy of a question, with its label (`A`, `BASE`…) and parameter values."""

    label: str
    policy: P.CheckedPolicy
    params: Mapping[str, object] | None = None


@attrs.frozen
class Witness:
    """A person (typed teacher and school records, as a roster reader gives them) and the
    reference interpreter's decision of each policy on them."""

    teacher: Mapping[str, object]
    school: Mapping[str, object]
    decisions: tuple[tuple[str, Decision], ...]  # (label, decision)

    def decision(self, label: str) -> Decision:
        return dict(self.decisions)[label]


@attrs.frozen
class Finding:
    """One answer. ``kind`` says which question (docs/verify.md lists them); ``ids`` the
    declarations concerned; ``problem`` whether it makes the property fail (exit 6)."""

    kind: str
    ids: tuple[str, ...]
    problem: bool
    witness: Witness | None = None
    detail: Mapping[str, object] = attrs.field(factory=dict)


@attrs.frozen
class Coverage:
    """What a "yes" covered: the reference date, each policy's parameter values, the fields
    treated as free, and the bounds assumed of every person."""

    as_of: dt.date
    parameters: tuple[tuple[str, Mapping[str, object]], ...]
    free: tuple[str, ...]
    bounds: Mapping[str, str]


@attrs.frozen
class Report:
    question: str  # policy, refines, no_stricter, equivalent
    sides: tuple[str, ...]  # labels
    titles: tuple[str, ...]
    findings: tuple[Finding, ...]
    coverage: Coverage
    detail: Mapping[str, object] = attrs.field(factory=dict)

    @property
    def holds(self) -> bool:
        return not any(f.problem for f in self.findings)

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        return tuple(f.witness for f in self.findings if f.witness is not None)


class Session:
    """One symbolic person decided by each policy of a question, and a solver bound to the domain."""

    def __init__(self, sides: Sequence[Side], as_of: dt.date):
        self.sides = tuple(sides)
        self.as_of = as_of
        self.person = smt.Person([(s.policy.teachers, s.policy.schools) for s in sides])
        try:
            self.decisions = {s.label: smt.SymbolicDecision(s.policy, self.person, as_of, s.params) for s in sides}
        except smt.Unsupported as exc:
            shown = exc.within or exc.node  # the line the drafter wrote, not the prelude's
            where = getattr(shown, "span", None)
            at = f"{where}: " if where is not None and where.line else ""
            inner = (f" (its part `{expr_text(exc.node)}`)", f"（其中 `{expr_text(exc.node, lang='zh')}`）") \
                if exc.within is not None and exc.within is not exc.node else ("", "")
            raise VerifyError(f"{at}`{expr_text(shown)}`{inner[0]} cannot be verified: {exc.en}",
                              f"{at}`{expr_text(shown, lang='zh')}`{inner[1]}无法验证：{exc.zh}") from None
        self.solver = z3.Solver()
        self.solver.set(timeout=SOLVER_TIMEOUT_MS)
        self.solver.add(self.person.domain(as_of))
        self.count = 0

    def find(self, *conditions: z3.BoolRef, plain: bool = False) -> z3.ModelRef | None:
        """A model of the conditions within the domain, or None when there is none; with
        ``plain``, pulled toward the person's plainest values (``Person.preferences``) as far as
        the conditions allow, so that a witness shows what decides it and little else."""
        self.solver.push()
        try:
            self.solver.add(*conditions)
            answer = self._check()
            if answer != z3.sat or not plain:
                return self.solver.model() if answer == z3.sat else None
            for preference in self.person.preferences(self.as_of):
                self.solver.push()
                self.solver.add(preference)
                if self._check() != z3.sat:
                    self.solver.pop()  # kept pushed otherwise: the later ones are tried with it
            self._check()
            return self.solver.model()
        finally:
            self.solver.pop(self.solver.num_scopes())

    def _check(self):
        answer = self.solver.check()
        if answer == z3.unknown:
            raise VerifyError(f"the solver could not settle a question in {SOLVER_TIMEOUT_MS // 1000} s "
                              f"({self.solver.reason_unknown()})",
                              f"求解器未能在 {SOLVER_TIMEOUT_MS // 1000} 秒内得出结论（{self.solver.reason_unknown()}）")
        return answer

    def witness(self, model: z3.ModelRef, confirms: Callable[[Witness], bool], what: str) -> Witness:
        """The model's person decided again by the reference interpreter; raises
        ``WitnessError`` unless ``confirms`` holds of the interpreter's decisions."""
        self.count += 1
        teacher, school = self.person.records(model, f"W{self.count}")
        decisions = tuple((s.label, reference.decide(s.policy, teacher, school, as_of=self.as_of, params=s.params))
                          for s in self.sides)
        found = Witness(teacher, school, decisions)
        if not confirms(found):
            raise WitnessError(f"witness {teacher['id']} for {what} is not confirmed by the reference interpreter: "
                               f"{teacher} {school} -> {[(label, d.to_row(fired=True)) for label, d in decisions]}")
        return found

    def holds_for(self, label: str, node: ir.Node | None, w: Witness) -> bool:
        side = next(s for s in self.sides if s.label == label)
        ev = reference.Evaluation(side.policy, w.teacher, w.school, self.as_of,
                                  side.policy.parameter_values(side.params))
        return ev.holds(node) is True

    def coverage(self) -> Coverage:
        free = []
        for s in self.sides:
            for table in (s.policy.teachers, s.policy.schools):
                for name, _ in table.reads:
                    if name in ("id", "school_id"):
                        continue  # the keys of the roster, not facts about the person
                    shown = name if table.name == "teacher" else f"school.{name}"
                    if shown not in free:
                        free.append(shown)
        return Coverage(self.as_of, tuple((s.label, s.policy.parameter_values(s.params)) for s in self.sides),
                        tuple(free), smt.bounds(self.as_of))


def _fired(d: Decision) -> dict[str, str | None]:
    return {f.rule: f.exemption for f in d.fired or ()}


# ---- one policy --------------------------------------------------------------------------


def verify_policy(policy: P.CheckedPolicy, *, as_of: dt.date, params: Mapping[str, object] | None = None) -> Report:
    """Every question about one policy (docs/verify.md, "One policy")."""
    side = Side("A", policy, params)
    s = Session([side], as_of)
    d = s.decisions["A"]
    findings: list[Finding] = []

    for r in policy.rules:
        fires = d.fires[r.id]
        if s.find(fires) is None:
            findings.append(Finding("unreachable_rule", (r.id,), True))
            continue
        if s.find(fires, z3.Not(d.exempted[r.id])) is None:  # whoever it concerns is exempted: it decides nothing
            model = s.find(fires, plain=True)
            w = s.witness(model, lambda w, r=r: _fired(w.decision("A")).get(r.id) is not None,
                          f"rule {r.id} always exempted")
            findings.append(Finding("always_exempted", (r.id, _fired(w.decision("A"))[r.id]), True, w))
            continue
        if s.find(d.decides[r.id]) is None:
            model = s.find(fires, plain=True)
            w = s.witness(model, lambda w, r=r: r.id in _fired(w.decision("A")) and w.decision("A").rule != r.id,
                          f"rule {r.id} never deciding")
            decider = w.decision("A").rule or ""
            # a file's own rule an inherited one always decides before: what the county wrote never
            # binds (its age cap, say), the provincial rule does: a problem, not a note
            inherited = next((x.origin != policy.path for x in policy.rules if x.id == decider), False)
            if r.origin == policy.path and inherited:
                findings.append(Finding("decided_by_base", (r.id, decider), True, w))
            else:
                findings.append(Finding("never_decides", (r.id, decider), False, w))

    for e in policy.all_exemptions():
        if e.may_decline:  # it defeats no rule: a must_rotate person may invoke it, as every rule holding them allows
            named = [r for r in policy.rules if e in SEM.declinable_exemptions(policy, r.id)]
            rules = [r for r in named if r.outcome == "must_rotate"]  # an eligible rule's person needs no ground
            if s.find(z3.Or([z3.And(d.fires[r.id], z3.Not(d.exempted[r.id]), d.applies[e.id], d.may_decline[e.code])
                             for r in rules]) if rules else smt.FALSE) is None:
                kind = "decline_never_applies" if rules else "decline_for_eligible_only"  # (L314 says it too)
                findings.append(Finding(kind, (e.id, *[r.id for r in named]), True))
            continue
        rules = [r for r in policy.rules if (r.id, e.id) in d.defeats]
        if s.find(d.applies[e.id]) is None:
            findings.append(Finding("exemption_never_applies", (e.id,), True))
            continue
        together = z3.Or([z3.And(d.fires[r.id], d.applies[e.id]) for r in rules]) if rules else smt.FALSE
        if s.find(together) is None:
            findings.append(Finding("exemption_no_rule", (e.id, *[r.id for r in rules]), True))
            continue
        if not e.all_rules:  # a rule it names that no one it could set aside meets (its `to` list, line by line)
            dead = [r.id for r in rules if s.find(z3.And(d.fires[r.id], d.applies[e.id])) is None]
            if dead:
                findings.append(Finding("exemption_dead_targets", (e.id, *dead), False))
        if s.find(z3.Or([d.defeats[(r.id, e.id)] for r in rules])) is None:
            model = s.find(together, plain=True)

            def shadowed(w, e=e, rules=rules):
                fired = _fired(w.decision("A"))
                return s.holds_for("A", e.when, w) and any(r.id in fired and fired[r.id] not in (None, e.id)
                                                           for r in rules)
            w = s.witness(model, shadowed, f"exemption {e.id} shadowed")
            by = sorted({x for r in rules for rid, x in _fired(w.decision("A")).items() if rid == r.id and x})
            findings.append(Finding("shadowed_exemption", (e.id, *by), True, w))

    for p in policy.prerequisites:
        concerned = z3.Or([z3.And(d.checked[t], d.prerequisite_applies[p.id]) for t in p.targets])
        if s.find(concerned) is None:
            findings.append(Finding("prerequisite_never_applies", (p.id,), True))
        elif s.find(z3.Or([d.unmet[(t, p.id)] for t in p.targets])) is None:
            findings.append(Finding("prerequisite_always_met", (p.id,), False))

    for item in policy.consequences:
        if item.version:  # an earlier version, for events before a date: ending by now is its course
            continue
        if s.find(z3.Or([d.in_force[(item.key, e.name)] for e in item.effects])) is None:
            findings.append(Finding("consequence_never_in_force", (item.id,), True))

    findings += _constant_bounds(s, policy, d)
    findings += _overlaps(s, policy, d)
    findings += _gaps(s, policy, d)
    return Report("policy", ("A",), (policy.title,), tuple(findings), s.coverage())


def _overlaps(s: Session, policy: P.CheckedPolicy, d: smt.SymbolicDecision) -> list[Finding]:
    """Two rules with different outcomes (or directions) that can fire for one person: a note,
    with the person, which of the two decides (the stronger; of equals, the first declared) and
    the rule the person's decision names (a third, stronger one may fire for them too)."""
    found = []
    rules = policy.rules
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            if a.outcome == b.outcome and a.direction == b.direction:
                continue
            model = s.find(d.fires[a.id], d.fires[b.id], plain=True)
            if model is None:
                continue
            w = s.witness(model, lambda w, a=a, b=b: {a.id, b.id} <= set(_fired(w.decision("A"))),
                          f"rules {a.id} and {b.id} overlapping")
            # of the two, the one deciding (``semantics.rule_strength``; a before b among equals)
            winner = b if (SEM.rule_strength(b.outcome, False) or 0) > (SEM.rule_strength(a.outcome, False) or 0) else a
            decided = w.decision("A").rule
            kind = "overlap" if decided in (a.id, b.id) else "overlap_third"
            found.append(Finding(kind, (a.id, b.id), False, w, {"winner": winner.id, "decided": decided}))
    return found


def _constant_bounds(s: Session, policy: P.CheckedPolicy, d: smt.SymbolicDecision) -> list[Finding]:
    """A comparison with a fixed value that no person within the bounds makes true, or none
    makes false: a slip of the number (148 years for 48, 4.5 for 45), or a threshold beyond what
    a verification assumes (a school of 12,000 students), which the bounds below the answer
    name. Either way the condition does not do what its number says."""
    tr = d.translator
    items = ([(r.id, r.when) for r in policy.rules] + [(e.id, e.when) for e in policy.all_exemptions()]
             + [(p.id, p.applies) for p in policy.prerequisites])
    found, seen = [], set()
    for ident, condition in items:
        for _, _, _, _, atom in _bounds(tr, condition) if condition is not None else ():
            if (ident, atom) in seen:
                continue
            seen.add((ident, atom))
            cond = tr.cond(atom)
            never_true, never_false = s.find(cond.t) is None, s.find(cond.f) is None
            if never_true != never_false:  # (both: a value no one has; that is another finding's)
                found.append(Finding("constant_bound", (ident,), True, None,
                                     {"condition": expr_text(atom), "condition_zh": expr_text(atom, lang="zh"),
                                      "always": "true" if never_false else "false"}))
    return found


def _inlined(policy: P.CheckedPolicy, node: ir.Node) -> ir.Node:
    if isinstance(node, ir.DefRef):
        return _inlined(policy, policy.definitions[node.name].expr)
    if isinstance(node, ir.Apply):
        return attrs.evolve(node, args=tuple(_inlined(policy, a) for a in node.args))
    return node


def _replace(node: ir.Node, target: ir.Node, new: ir.Node) -> ir.Node:
    if node == target:
        return new
    if isinstance(node, ir.Apply):
        return attrs.evolve(node, args=tuple(_replace(a, target, new) for a in node.args))
    return node


def _bounds(tr: smt.Translator, node: ir.Node):
    """The comparisons of a quantity with a fixed value in a condition: (quantity as text,
    op with the quantity on the left, value, the quantity's node, the comparison's node)."""
    if not isinstance(node, ir.Apply):
        return
    if node.op in ("lt", "le", "gt", "ge"):
        left, right = node.args
        ok_l, _ = tr.constant(left)
        ok_r, value = tr.constant(right)
        if ok_r and not ok_l and value is not None:
            yield expr_text(left), node.op, value, left, node
        elif ok_l and not ok_r:
            _, value = tr.constant(left)
            if value is not None:
                yield expr_text(right), {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}[node.op], value, right, node
        return
    for arg in node.args:
        yield from _bounds(tr, arg)


def _gaps(s: Session, policy: P.CheckedPolicy, d: smt.SymbolicDecision) -> list[Finding]:
    """`以下`/`不满` slips: one rule bounds a quantity `less than N`, another `more than N`, and a
    person at exactly N whom either rule would concern without its bound is decided by neither."""
    tr = d.translator
    conditions = {r.id: _inlined(policy, r.when) for r in policy.rules if r.when is not None}
    bounds = {rid: list(_bounds(tr, node)) for rid, node in conditions.items()}
    names = {_inlined(policy, d.expr): name for name, d in policy.definitions.items()
             if not isinstance(d.expr.type, T.BoolType)}  # `age`, not years_since(birth_date)
    found, seen = [], set()
    for a in policy.rules:
        for b in policy.rules:
            if a.id == b.id or a.id not in bounds or b.id not in bounds:
                continue
            for qa, op_a, va, quantity, atom_a in bounds[a.id]:
                for qb, op_b, vb, _, atom_b in bounds[b.id]:
                    if qa != qb or va != vb or (op_a, op_b) != ("lt", "gt") or (a.id, b.id, qa) in seen:
                        continue
                    seen.add((a.id, b.id, qa))
                    at_boundary = ir.Apply(T.BOOL, "eq", (quantity, ir.Const(quantity.type, va)))
                    relaxed = [_replace(conditions[a.id], atom_a, ir.Const(T.BOOL, True)),
                               _replace(conditions[b.id], atom_b, ir.Const(T.BOOL, True))]
                    model = s.find(tr.cond(at_boundary).t, z3.Not(d.fires[a.id]), z3.Not(d.fires[b.id]),
                                   z3.Or([tr.cond(x).t for x in relaxed]), plain=True)
                    if model is None:
                        continue

                    def gap(w, a=a, b=b, relaxed=relaxed):
                        fired = _fired(w.decision("A"))
                        return a.id not in fired and b.id not in fired and any(
                            s.holds_for("A", x, w) for x in relaxed)
                    w = s.witness(model, gap, f"gap between {a.id} and {b.id}")
                    named = names.get(quantity)
                    found.append(Finding("gap", (a.id, b.id), True, w,
                                         {"quantity": named or qa, "value": _shown(va),
                                          "quantity_zh": name_text(named, "zh") if named else expr_text(quantity, lang="zh")}))
    return found


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(T.whole_as_int(float(value)) if not isinstance(value, (int, str)) else value)


# ---- two policies ------------------------------------------------------------------------


def _enumerate(s: Session, violation: z3.BoolRef, sides: Sequence[smt.SymbolicDecision], confirms, what: str,
               limit: int, first: z3.BoolRef = smt.TRUE) -> list[Witness]:
    """Up to ``limit`` witnesses of ``violation``, each failing for another reason (``_reason``):
    a woman over the age cap after a man over it is no new reason; a principal not on the staff
    after one over the cap is. Those with ``first`` come before the others."""
    found, blocked = [], []
    while len(found) < limit:
        model = s.find(violation, first, *blocked, plain=True)
        if model is None and not z3.is_true(first):
            first = smt.TRUE
            model = s.find(violation, *blocked, plain=True)
        if model is None:
            break
        found.append(s.witness(model, confirms, what))
        reason = [x for d in sides for x in _reason(d, model)]
        if not reason:
            break
        blocked.append(z3.Or(reason))  # the next witness escapes at least one part of this reason
    return found


def _reason(d: smt.SymbolicDecision, model: z3.ModelRef) -> list[z3.BoolRef]:
    """Why a policy does not require a person to move, as conditions the next witness must meet
    one of: the parts that fail in its nearest must_rotate rules (those missing fewest parts), and
    not the exemptions that defeat its rules."""
    def true(x) -> bool:
        return z3.is_true(model.eval(x, model_completion=True))

    misses = []
    for r in d.policy.rules:
        if r.outcome != "must_rotate":
            continue
        failing = [c for c in (d.translator.cond(x).t for x in _conjuncts(d.policy, r.when)) if not true(c)]
        if failing:
            misses.append(failing)
    nearest = min((len(m) for m in misses), default=0)
    out = [c for m in misses if len(m) == nearest for c in m]
    out += [z3.Not(d.applies[e]) for (_, e), defeats in d.defeats.items() if true(defeats)]
    return out


def _conjuncts(policy: P.CheckedPolicy, node: ir.Node | None) -> list[ir.Node]:
    """The parts of a condition joined by `and`, through the definitions it names."""
    if node is None:
        return []
    if isinstance(node, ir.DefRef):
        return _conjuncts(policy, policy.definitions[node.name].expr)
    if isinstance(node, ir.Apply) and node.op == "and":
        return [part for arg in node.args for part in _conjuncts(policy, arg)]
    return [node]


def verify_refines(draft: Side, base: Side, *, as_of: dt.date, allowed: Sequence[str] = (),
                   reverse: bool = False, limit: int = 5) -> Report:
    """``reverse`` False (``--refines``): everyone ``base`` requires to move, ``draft`` requires to
    move too, or exempts on a ground in ``allowed`` (exemption codes). ``reverse`` True
    (``--no-stricter-than``): everyone ``draft`` requires to move, ``base`` requires to move too."""
    s = Session([draft, base], as_of)
    dd, db = s.decisions[draft.label], s.decisions[base.label]
    if reverse:
        violation = z3.And(dd.status["must_rotate"], z3.Not(db.status["must_rotate"]))

        def confirms(w):
            return w.decision(draft.label).status == "must_rotate" and w.decision(base.label).status != "must_rotate"
    else:
        excused = z3.Or([dd.exemption[c] for c in allowed if c in dd.exemption]) if allowed else smt.FALSE
        violation = z3.And(db.status["must_rotate"], z3.Not(dd.status["must_rotate"]), z3.Not(excused))

        def confirms(w):
            after = w.decision(draft.label)
            return w.decision(base.label).status == "must_rotate" and after.status != "must_rotate" and not (
                after.status == "exempt" and after.exemption in allowed)
    # people the draft leaves out of its rules first: exemptions are the likelier intent
    # the rules of the policy that does not require the move say why it does not
    witnesses = _enumerate(s, violation, [db if reverse else dd], confirms,
                           "no-stricter-than" if reverse else "refines", limit,
                           first=z3.Not(dd.status["exempt"]) if not reverse else smt.TRUE)
    kind = "stricter" if reverse else "loosens"

    def ids(w) -> tuple[str, ...]:
        """The base's rule and the draft's, and the exemption by which the one not requiring the
        move exempts them (a county's added exemption is where to look, not the rule it names)."""
        after, before = w.decision(draft.label), w.decision(base.label)
        excusing = before if reverse else after
        exempted_by = _fired(excusing).get(excusing.rule) if excusing.status == "exempt" else None
        return (before.rule or "", after.rule or "", *([exempted_by] if exempted_by else []))

    findings = tuple(Finding(kind, ids(w), True, w) for w in witnesses)
    return Report("no_stricter" if reverse else "refines", (draft.label, base.label),
                  (draft.policy.title, base.policy.title), findings, s.coverage(),
                  {"allowed": tuple(allowed)})


def _differs(a: smt.SymbolicDecision, b: smt.SymbolicDecision, aspect: str) -> list[z3.BoolRef]:
    def get(d: dict, key):
        return d.get(key, smt.FALSE)

    if aspect == "status":
        out = [a.status[x] != b.status[x] for x in P.STATUSES]
        out += [get(a.exemption, c) != get(b.exemption, c) for c in {*a.exemption, *b.exemption}]
        out += [get(a.direction, x) != get(b.direction, x) for x in {*a.direction, *b.direction}]
        return out + [get(a.may_decline, c) != get(b.may_decline, c) for c in {*a.may_decline, *b.may_decline}]
    if aspect == "promotion":
        out = [a.checked[t] != b.checked[t] for t in a.checked]
        return out + [get(a.unmet, k) != get(b.unmet, k) for k in {*a.unmet, *b.unmet}]
    out = []
    versions_a, versions_b = _by_shown_id(a), _by_shown_id(b)
    for key in {*versions_a, *versions_b}:
        in_a, in_b = versions_a.get(key, []), versions_b.get(key, [])
        out.append(z3.Or([f for f, _ in in_a]) != z3.Or([f for f, _ in in_b]))
        # in force on both, ending on other days
        out += [z3.And(fa, fb) for fa, da in in_a for fb, db in in_b if da != db]
    return out


def _by_shown_id(d: smt.SymbolicDecision) -> dict[tuple[str, str], list[tuple[z3.BoolRef, object]]]:
    """Each effect in force and its duration, by the id and effect a decision shows: the
    versions of a penalty or benefit (``Consequence.version``) are one id."""
    found: dict[tuple[str, str], list] = {}
    for (key, effect), in_force in d.in_force.items():
        found.setdefault((key.partition("@")[0], effect), []).append((in_force, d.durations[(key, effect)]))
    return found


def decision_aspect(d: Decision, aspect: str):
    """The part of a decision an equivalence compares."""
    if aspect == "status":
        return d.status, d.exemption, d.direction, tuple(sorted(getattr(d, "may_decline", ())))
    if aspect == "promotion":
        return {p.target: frozenset(p.unmet) for p in d.promotion}
    return {(c.rule, c.effect, c.until) for c in (*d.penalties, *d.benefits)}


def verify_equivalent(a: Side, b: Side, *, as_of: dt.date, aspects: Sequence[str] = ASPECTS,
                      limit: int = 5) -> Report:
    """Whether ``a`` and ``b`` decide some person differently in one of ``aspects``."""
    s = Session([a, b], as_of)
    da, db = s.decisions[a.label], s.decisions[b.label]
    differ = [x for aspect in aspects for x in _differs(da, db, aspect)]
    violation = z3.Or(differ) if differ else smt.FALSE

    def confirms(w):
        x, y = w.decision(a.label), w.decision(b.label)
        return any(decision_aspect(x, aspect) != decision_aspect(y, aspect) for aspect in aspects)
    witnesses = _enumerate(s, violation, [da, db], confirms, "equivalence", limit)
    findings = []
    for w in witnesses:
        x, y = w.decision(a.label), w.decision(b.label)
        which = tuple(aspect for aspect in aspects if decision_aspect(x, aspect) != decision_aspect(y, aspect))
        findings.append(Finding("differs", which, True, w))
    return Report("equivalent", (a.label, b.label), (a.policy.title, b.policy.title), tuple(findings), s.coverage(),
                  {"aspects": tuple(aspects)})
