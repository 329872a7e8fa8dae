"""The SMT back end: a checked policy, at one reference date and parameter set, as z3 terms
over a symbolic person (a teacher and their school), so that a solver can answer questions
about every possible person (``analyses.verify``).

It decides as the reference interpreter does, from the same shared rules:
- constants are folded by ``lang.fold.Folder``;
- completed years or months compared with a number become a comparison of the date with the
  cut-off dates of ``ops.SpanTest``; windows ``within_last`` and the periods of consequences
  use ``ops.WindowTest``; statutory retirement dates compared with a fixed day use
  ``ops.RetirementTest``; the next promotion targets come from ``lang.semantics``;
- a missing value is Kleene's third value: a condition is a pair (certainly true, certainly
  false), and neither is missing; a value carries a term and whether it is filled in.

Dates are integers (``date.toordinal``), numbers reals, codes and texts small integers.
What cannot be written as linear arithmetic over these (a date moved by an amount read from
the roster, completed years between two dates of the roster) raises ``Unsupported``, naming
the expression: the caller says what it could not check, never answers it wrongly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs
import z3

from policylang.core.source import PRELUDE_NAME
from policylang.lang import ir
from policylang.lang import ops as B
from policylang.lang import policy as P
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import Consequence, Decision, Fired
from policylang.lang.fold import Folder
from policylang.lang.pretty import expr_text
from policylang.lang.reads import decision_reads
from policylang.lang import semantics as SEM
from policylang.lang.semantics import effect_in_force, effect_until
from policylang.lang.semantics import effect_duration

_FOLD_ERRORS = (ArithmeticError, ValueError, TypeError, OverflowError)
# the dates a shift by a duration of at most 200 years (the language's limit) keeps in the calendar
_SHIFT_RANGE = (dt.date(201, 1, 1).toordinal(), dt.date(9798, 12, 31).toordinal())
_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
TRUE, FALSE = z3.BoolVal(True), z3.BoolVal(False)


class Unsupported(Exception):
    """An expression the solver cannot be given exactly."""

    def __init__(self, node: ir.Node, en: str, zh: str):
        self.node, self.en, self.zh = node, en, zh
        self.within: ir.Node | None = None  # the innermost condition of a policy file holding it (``cond``)
        super().__init__(f"{expr_text(node)}: {en}")


@attrs.frozen
class Cond:
    """A condition: ``t`` when it is certainly true, ``f`` when certainly false; missing when neither."""

    t: z3.BoolRef
    f: z3.BoolRef


@attrs.frozen
class Val:
    """A value: its term and whether it is filled in. ``term`` is None for a value the solver
    knows only as filled in or not (a statutory retirement date, outside a comparison)."""

    term: z3.ExprRef | None
    ok: z3.BoolRef


MISSING = Cond(FALSE, FALSE)


def order_of(type_: T.EnumType) -> tuple[str, ...]:
    """The codes of an enum in the order its integers follow: the order of ``ops`` for ordered codes."""
    return B.ORDERED_ENUMS.get(type_.name, type_.codes)


def _real(value) -> z3.ArithRef:
    # a float is the decimal the drafter wrote (0.1 is 1/10, as `1 / 10` is), not its binary
    # neighbour: a correctly rounded division then equals the literal it equals in the evaluators
    q = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    return z3.RealVal(q.numerator) / q.denominator if q.denominator != 1 else z3.RealVal(q.numerator)


def _on_or_before(d: z3.ArithRef, bound: dt.date | bool) -> z3.BoolRef:
    return z3.BoolVal(bound) if isinstance(bound, bool) else d <= bound.toordinal()


def _span_holds(test: B.SpanTest, d: z3.ArithRef) -> z3.BoolRef:
    inside = z3.And(_on_or_before(d, test.reached), z3.Not(_on_or_before(d, test.beyond)))
    return z3.Not(inside) if test.negate else inside


def _window_holds(test: B.WindowTest, d: z3.ArithRef) -> z3.BoolRef:
    if test.last is None:
        return FALSE
    return z3.And(d <= test.last.toordinal(), TRUE if test.first is None else d >= test.first.toordinal())


# ---- the symbolic person ------------------------------------------------------------------

# The domain a verification covers, stated with every answer (docs/verify.md).
AGES = (S.WORKING_AGE, 70)  # completed years at the reference date: from the youngest a roster takes
EARLIEST = dt.date(1950, 1, 1)
FUTURE_YEARS = 10  # dates that may lie after the reference date reach this far
FUTURE_DATES = ("sanction_until", "support_end", "refused_exchange", "left_exchange_early", "exchange_failed")
# the dates of working life begin on the WORKING_AGE birthday at the earliest (the readers take
# one from the first of that month: the domain is within theirs); in days, as z3 counts them:
# any 16 years of 1901-2099 hold four 29 Februaries
WORKING_LIFE = S.WORKING_LIFE
WORKING_AGE_DAYS = S.WORKING_AGE * 365 + S.WORKING_AGE // 4
YEARS_RANGE = (0, 70)  # other numbers in years read from the roster (a policy's own columns)
WORKING_LIFE_RANGE = (0, S.MOST_YEARS)  # S.WORKING_LIFE_COUNTS: no reader reads more
LARGE_RANGE = (0, 100_000)  # students, establishment, and numbers of declared columns (a school of 12,000 is real)
PERCENT_RANGE = (0, 100)
NEVER_EMPTY = ("title", "backbone")  # an empty cell reads as `none`
ABSENT = ("id_number",)  # a witness has none: it would have to agree with the birth date and sex
PLAIN_TRUE = ("on_staff", "teaching")  # a plain teacher is on the staff and teaching (as in tests)
CATEGORIES = (55, 50)


@attrs.frozen
class FieldVar:
    table: str
    field: S.Field
    value: z3.ExprRef
    present: z3.BoolRef


class Person:
    """A teacher and their school as z3 variables: for each field its value, and whether it is
    filled in. One person may be decided by several policies (their tables' fields together)."""

    def __init__(self, tables: Iterable[tuple[S.Table, S.Table]], name: str = "p"):
        self.name = name
        self.vars: dict[tuple[str, str], FieldVar] = {}
        self.texts: dict[str, int] = {}  # text constants a policy compares with; 0 is any other text
        for teachers, schools in tables:
            for table in (teachers, schools):
                for f in table.fields:
                    if (table.name, f.name) not in self.vars:
                        self.vars[(table.name, f.name)] = self._var(table.name, f)

    def _var(self, table: str, f: S.Field) -> FieldVar:
        label = f"{self.name}.{table}.{f.name}"
        if isinstance(f.type, T.BoolType):
            return FieldVar(table, f, z3.Bool(label), TRUE)  # an empty yes/no cell reads as no
        value = z3.Real(label) if isinstance(f.type, T.NumberType) else z3.Int(label)
        return FieldVar(table, f, value, z3.Bool(label + "?"))

    def text_code(self, text: str) -> int:
        return self.texts.setdefault(text, len(self.texts) + 1)

    def field(self, table: str, name: str) -> Cond | Val:
        v = self.vars[(table, name)]
        if isinstance(v.field.type, T.BoolType):
            return Cond(v.value, z3.Not(v.value))
        return Val(v.value, v.present)

    def domain(self, as_of: dt.date) -> list[z3.BoolRef]:
        """The bounds every person of a verification keeps (``bounds`` says them in words)."""
        out = []
        birth = self.vars[("teacher", "birth_date")].value
        youngest = B.add_months(as_of, -12 * AGES[0])
        oldest = B.add_months(as_of, -12 * (AGES[1] + 1)) + dt.timedelta(days=1)
        latest_future = B.add_months(as_of, 12 * FUTURE_YEARS)
        out.append(z3.And(birth >= oldest.toordinal(), birth <= youngest.toordinal()))
        for (table, name), v in self.vars.items():
            t, x = v.field.type, v.value
            if v.field.must_fill or name in NEVER_EMPTY:
                out.append(v.present)  # a roster row has them filled in
            elif name in ABSENT:
                out.append(z3.Not(v.present))
                continue
            if isinstance(t, T.DateType) and name != "birth_date":
                high = latest_future if name in FUTURE_DATES else as_of
                out.append(z3.And(x >= EARLIEST.toordinal(), x <= high.toordinal()))
                if table == "teacher":
                    out.append(x >= birth + (WORKING_AGE_DAYS if name in WORKING_LIFE else 0))
            elif isinstance(t, T.NumberType):
                if name == "retirement_category":
                    out.append(z3.Or([x == c for c in CATEGORIES]))
                    continue
                low, high = self.number_range(table, name, t)
                # halves: exact in a roster; counts are whole (the readers refuse 1.5 schools)
                out.append(z3.And(x >= low, x <= high, z3.IsInt(x if name in S.WHOLE.get(table, ()) else 2 * x)))
            elif isinstance(t, T.EnumType):
                out.append(z3.And(x >= 0, x < len(t.codes)))
            elif isinstance(t, T.TextType):
                out.append(z3.And(x >= 0, x <= len(self.texts)))
        # at the current school since starting work as a teacher (the contract's two dates): a
        # "new teacher with six years at this school" is no one
        out.append(self.vars[("teacher", "school_start")].value >= self.vars[("teacher", "work_start")].value)
        return out

    def preferences(self, as_of: dt.date) -> list[z3.BoolRef]:
        """What makes a person plain to read, in the order a witness is pulled toward it while it
        stays a witness: a classroom teacher, every yes/no no, every optional value empty, no title,
        a middle age (or short of retirement), a start at the school in the last fifteen years."""
        out = []
        post = self.vars.get(("teacher", "post"))
        if post is not None:
            out.append(z3.And(post.present, post.value == order_of(S.POST.type).index("teacher")))
        birth = self.vars[("teacher", "birth_date")].value
        out.append(birth >= (B.add_months(as_of, -12 * 46) + dt.timedelta(days=1)).toordinal())  # 45 or younger
        out.append(birth <= B.add_months(as_of, -12 * 30).toordinal())  # 30 or older
        # else (a witness over an age cap) short of the age teachers retire at, not a woman of 70 still on
        # staff; just over the usual caps (男55、女50) where the finding is there: 56, 51
        for oldest in (59, 56, 51):
            out.append(birth >= (B.add_months(as_of, -12 * (oldest + 1)) + dt.timedelta(days=1)).toordinal())
        for (table, name), v in self.vars.items():
            t = v.field.type
            if isinstance(t, T.BoolType):
                out.append(v.value if name in PLAIN_TRUE else z3.Not(v.value))
            elif name in NEVER_EMPTY:
                out.append(v.value == order_of(t).index("none"))
            elif not v.field.required and name != "post":
                out.append(z3.Not(v.present))
        for name in ("school_start", "work_start"):
            out.append(self.vars[("teacher", name)].value >= B.add_months(as_of, -12 * 15).toordinal())
        school_start = self.vars[("teacher", "school_start")].value
        for name in ("post_start", "title_date"):  # taken up at this school, after arriving
            if ("teacher", name) in self.vars:
                out.append(self.vars[("teacher", name)].value >= school_start)
        return out

    @staticmethod
    def number_range(table: str, name: str, t: T.NumberType) -> tuple[int, int]:
        if t.unit == "percent":
            return PERCENT_RANGE
        if table == "teacher" and name in S.WORKING_LIFE_COUNTS:
            return WORKING_LIFE_RANGE
        return YEARS_RANGE if t.unit is not None else LARGE_RANGE

    def other_text(self) -> str:
        """The text standing for "any text the policies do not name"."""
        text = "其他"
        while text in self.texts:
            text += "'"
        return text

    def fixed(self, teacher: Mapping, school: Mapping) -> list[z3.BoolRef]:
        """Constraints making this person exactly the given typed records (a field absent from
        a record is empty, a yes/no field no), for evaluating a policy on a concrete person."""
        out = []
        for (table, name), v in self.vars.items():
            value = (teacher if table == "teacher" else school).get(name)
            t = v.field.type
            if isinstance(t, T.BoolType):
                out.append(v.value == bool(value))
                continue
            if value is None:
                out.append(z3.Not(v.present))
                continue
            out.append(v.present)
            if isinstance(t, T.DateType):
                out.append(v.value == value.toordinal())
            elif isinstance(t, T.NumberType):
                out.append(v.value == _real(value))
            elif isinstance(t, T.EnumType):
                out.append(v.value == order_of(t).index(value))
            else:
                out.append(v.value == self.text_code(str(value)))
        return out

    def records(self, model: z3.ModelRef, ident: str = "W1") -> tuple[dict, dict]:
        """The typed teacher and school records a model gives this person (as a roster reader
        would give them), the teacher with id ``ident`` at school ``S`` + ``ident``."""
        names = {code: text for text, code in self.texts.items()}
        teacher, school = {}, {}
        for (table, name), v in self.vars.items():
            record = teacher if table == "teacher" else school
            t = v.field.type
            if isinstance(t, T.BoolType):
                record[name] = z3.is_true(model.eval(v.value, model_completion=True))
                continue
            if not z3.is_true(model.eval(v.present, model_completion=True)):
                record[name] = None
                continue
            x = model.eval(v.value, model_completion=True)
            if isinstance(t, T.DateType):
                record[name] = dt.date.fromordinal(x.as_long())
            elif isinstance(t, T.NumberType):
                q = x.as_fraction()
                record[name] = int(q) if q.denominator == 1 else float(q)
            elif isinstance(t, T.EnumType):
                record[name] = order_of(t)[x.as_long()]
            else:
                record[name] = names.get(x.as_long(), self.other_text())
        teacher["id"], teacher["school_id"] = ident, "S" + ident
        school["school_id"] = "S" + ident
        return teacher, school


def bounds(as_of: dt.date) -> dict[str, str]:
    """The domain of ``Person.domain``, each bound as a range (the CLI words them in English and Chinese)."""
    return {
        "ages": f"{AGES[0]}–{AGES[1]}",
        "dates": f"{EARLIEST.isoformat()}..{as_of.isoformat()}",
        "future_dates": f"{EARLIEST.isoformat()}..{B.add_months(as_of, 12 * FUTURE_YEARS).isoformat()}: "
                        + ", ".join(FUTURE_DATES),
        "working_life": f"birth_date + {WORKING_AGE_DAYS}..: " + ", ".join(WORKING_LIFE) + "; school_start >= work_start",
        "years": f"{YEARS_RANGE[0]}–{YEARS_RANGE[1]}",
        "percent": f"{PERCENT_RANGE[0]}–{PERCENT_RANGE[1]}",
        "counts": f"{WORKING_LIFE_RANGE[0]}–{WORKING_LIFE_RANGE[1]}: " + ", ".join(S.WORKING_LIFE_COUNTS)
                  + f"; {LARGE_RANGE[0]}–{LARGE_RANGE[1]}: others",
        "numbers": "multiples of 0.5; whole: " + ", ".join(n if t == "teacher" else f"school.{n}"
                                                           for t, names in S.WHOLE.items() for n in names),
    }


# ---- expressions ------------------------------------------------------------------------


class Translator:
    """The expressions of one policy, for one person, at one reference date and parameter set."""

    def __init__(self, policy: P.CheckedPolicy, person: Person, as_of: dt.date,
                 params: Mapping[str, object] | None = None):
        self.policy = policy
        self.person = person
        self.as_of = as_of
        self.folder = Folder(policy, as_of, policy.parameter_values(params))
        self._definitions: dict[str, Cond | Val] = {}

    def constant(self, node: ir.Node) -> tuple[bool, object]:
        try:
            return self.folder.constant(node)
        except _FOLD_ERRORS:
            return False, None

    def inline(self, node: ir.Node) -> ir.Node:
        while isinstance(node, ir.DefRef):
            node = self.policy.definitions[node.name].expr
        return node

    def holds(self, node: ir.Node | None) -> z3.BoolRef:
        """Whether a condition is certainly true (a rule fires); an absent condition holds."""
        return TRUE if node is None else self.cond(node).t

    def cond(self, node: ir.Node) -> Cond:
        try:
            result = self.expr(node)
        except Unsupported as exc:
            span = getattr(node, "span", None)
            if exc.within is None and span is not None and span.source != PRELUDE_NAME:
                exc.within = node  # the drafter's own condition around it (the node may be the prelude's)
            raise
        assert isinstance(result, Cond), node
        return result

    def const(self, value, type_: T.Type) -> Cond | Val:
        if isinstance(type_, T.BoolType):
            return MISSING if value is None else Cond(z3.BoolVal(bool(value)), z3.BoolVal(not value))
        if value is None:
            return Val(z3.IntVal(0) if not isinstance(type_, T.NumberType) else z3.RealVal(0), FALSE)
        if isinstance(type_, T.DateType):
            return Val(z3.IntVal(value.toordinal()), TRUE)
        if isinstance(type_, T.NumberType):
            return Val(_real(value), TRUE)
        if isinstance(type_, T.EnumType):
            return Val(z3.IntVal(order_of(type_).index(value)), TRUE)
        return Val(z3.IntVal(self.person.text_code(str(value))), TRUE)

    def expr(self, node: ir.Node) -> Cond | Val:
        ok, value = self.constant(node)
        if ok:
            return self.const(value, node.type)
        if isinstance(node, ir.FieldRef):
            return self.person.field(node.table, node.name)
        if isinstance(node, ir.DefRef):
            if node.name not in self._definitions:
                self._definitions[node.name] = self.expr(self.policy.definitions[node.name].expr)
            return self._definitions[node.name]
        if not isinstance(node, ir.Apply):
            raise Unsupported(node, "not a value the solver knows", "求解器无法表示此值")
        op, args = node.op, node.args
        if op in _FLIP:
            return self._compare(node)
        if op in ("and", "or"):
            parts = [self.cond(a) for a in args]
            if op == "and":
                return Cond(z3.And([p.t for p in parts]), z3.Or([p.f for p in parts]))
            return Cond(z3.Or([p.t for p in parts]), z3.And([p.f for p in parts]))
        if op == "not":
            c = self.cond(args[0])
            return Cond(c.f, c.t)
        if op in ("is_set", "is_empty"):
            x = self.expr(args[0])
            filled = z3.Or(x.t, x.f) if isinstance(x, Cond) else x.ok
            return Cond(filled, z3.Not(filled)) if op == "is_set" else Cond(z3.Not(filled), filled)
        if op == "if":
            c, a, b = self.cond(args[0]), self.expr(args[1]), self.expr(args[2])
            if isinstance(a, Cond):
                return Cond(z3.If(c.t, a.t, b.t), z3.If(c.t, a.f, b.f))
            return Val(z3.If(c.t, self._term(a, args[1]), self._term(b, args[2])), z3.If(c.t, a.ok, b.ok))
        if op == "in":
            x = self.expr(args[0])
            items = [self.expr(a) for a in args[1:]]
            if isinstance(x, Cond):
                raise Unsupported(node, "`in` over yes/no values", "是/否值不能用 `in`")
            found = z3.Or([z3.And(i.ok, self._term(x, args[0]) == self._term(i, a)) for i, a in zip(items, args[1:])])
            return Cond(z3.And(x.ok, found), z3.And(x.ok, z3.Not(found)))
        if op == "within_last":
            return self._window(node)
        if op == "retirement_date":
            return self._retirement_value(node)
        if op in ("years_between", "months_between"):
            raise Unsupported(node, "completed years or months are compared with a number, as a cut-off date, "
                                    "only when the end date and the number are fixed",
                              "整年（整月）数只有在终止日期和比较的数固定时才能化为截止日期比较")
        return self._arithmetic(node)

    def _term(self, v: Val, node: ir.Node) -> z3.ExprRef:
        if v.term is None:
            raise Unsupported(node, "a statutory retirement date is compared only with a fixed day",
                              "法定退休日期只能与固定日期比较")
        return v.term

    def _arithmetic(self, node: ir.Apply) -> Val:
        op, args = node.op, node.args
        if op in ("add", "sub") and isinstance(args[0].type, T.DateType):
            raise Unsupported(node, "a date moved by an amount that differs from person to person",
                              "日期按因人而异的期间移动，无法精确表示")
        values = [self.expr(a) for a in args]
        terms = [self._term(v, a) for v, a in zip(values, args)]
        ok = z3.And([v.ok for v in values])
        if op == "days_between":
            return Val(z3.ToReal(terms[1] - terms[0]), ok)
        if op in ("min", "max"):
            best = terms[0]
            for t in terms[1:]:
                best = z3.If(t < best, t, best) if op == "min" else z3.If(t > best, t, best)
            return Val(best, ok)
        if op == "neg":
            return Val(-terms[0], ok)
        a, b = terms
        if op == "add":
            return Val(a + b, ok)
        if op == "sub":
            return Val(a - b, ok)
        if op == "mul":
            product = a * b
            for t in (x.type for x in args):
                if isinstance(t, T.NumberType) and t.unit == "percent":
                    product = product / 100
            return Val(product, ok)
        if op == "div":
            return Val(a / b, z3.And(ok, b != 0))
        raise Unsupported(node, f"the operator `{op}`", f"运算 `{op}`")

    # ---- comparisons, through the shared cut-off rules ---------------------------------------
    def _compare(self, node: ir.Apply) -> Cond:
        op = node.op
        left, right = (self.inline(a) for a in node.args)
        for o, l, r in ((op, left, right), (_FLIP[op], right, left)):
            found = self._span(o, l, r) or self._retirement(o, l, r) or self._shifted(o, l, r)
            if found is not None:
                return found
        for o, l, r in ((op, left, right), (_FLIP[op], right, left)):
            if isinstance(r, ir.Apply) and r.op == "if":
                # x op (if c then a else b) is if c then x op a else x op b: each branch can fold
                c, a, b = r.args
                return self.cond(ir.Apply(T.BOOL, "if", (c, ir.Apply(T.BOOL, o, (l, a)), ir.Apply(T.BOOL, o, (l, b)))))
        x, y = self.expr(node.args[0]), self.expr(node.args[1])
        if isinstance(x, Cond):  # yes/no compared with yes/no
            ok = z3.And(z3.Or(x.t, x.f), z3.Or(y.t, y.f))
            same = x.t == y.t
            holds = same if op == "eq" else z3.Not(same)
            return Cond(z3.And(ok, holds), z3.And(ok, z3.Not(holds)))
        a, b = self._term(x, node.args[0]), self._term(y, node.args[1])
        holds = {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]
        ok = z3.And(x.ok, y.ok)
        return Cond(z3.And(ok, holds), z3.And(ok, z3.Not(holds)))

    def _span(self, op: str, left: ir.Node, right: ir.Node) -> Cond | None:
        """``years_between(d, end) op N`` with ``end`` and ``N`` fixed: ``d`` against the cut-off
        dates of ``ops.SpanTest``, as every evaluator compares it."""
        found = B.SpanTest.match(op, left, right, self.constant)
        if found is None:
            return None
        start, test = found
        d = self.expr(start)
        if test is None:
            return MISSING
        h = _span_holds(test, d.term)
        return Cond(z3.And(d.ok, h), z3.And(d.ok, z3.Not(h)))

    def _shifted(self, op: str, left: ir.Node, right: ir.Node) -> Cond | None:
        """``d ± N units op C`` with N and C fixed: moving a date (``ops.shift_date``) never moves
        a later date earlier, so the dates ``d`` it holds for lie before or after a cut-off, found
        by bisection with the operator itself (as ``RetirementTest`` finds birth dates)."""
        if not (isinstance(left, ir.Apply) and left.op in ("add", "sub") and isinstance(left.args[0].type, T.DateType)):
            return None
        ok_n, amount = self.constant(left.args[1])
        ok_c, day = self.constant(right)
        if not ok_n or not ok_c or self.constant(left.args[0])[0]:
            return None
        d = self.expr(left.args[0])
        if amount is None or day is None:
            return MISSING
        unit, sign = left.args[1].type.unit, 1 if left.op == "add" else -1

        def latest(x: dt.date | None) -> dt.date | bool:
            """The latest date whose shift is on or before ``x`` (False: none; True: every one)."""
            if x is None:
                return False

            def by(ordinal: int) -> bool:
                return B.shift_date(dt.date.fromordinal(ordinal), amount, unit, sign) <= x

            low, high = _SHIFT_RANGE
            if not by(low):
                return False
            if by(high):
                return True
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if by(middle) else (low, middle - 1)
            return dt.date.fromordinal(low)

        before = latest(day - dt.timedelta(days=1) if day > dt.date.min else None)
        reached, beyond, negate = {"le": (latest(day), False, False), "lt": (before, False, False),
                                   "gt": (latest(day), False, True), "ge": (before, False, True),
                                   "eq": (latest(day), before, False), "ne": (latest(day), before, True)}[op]
        inside = z3.And(d.ok, d.term >= _SHIFT_RANGE[0], d.term <= _SHIFT_RANGE[1])  # the operator is defined there
        h = _span_holds(B.SpanTest(reached, beyond, negate), d.term)
        return Cond(z3.And(inside, h), z3.And(inside, z3.Not(h)))

    def _retirement_parts(self, node: ir.Apply):
        birth, sex, category = (self.expr(a) for a in node.args[:3])
        is_f = z3.And(sex.ok, sex.term == order_of(S.SEX.type).index("F"))
        is_m = z3.And(sex.ok, sex.term == order_of(S.SEX.type).index("M"))
        valid_category = z3.Or(z3.Not(category.ok), category.term == 55, category.term == 50)
        who = {60: is_m, 55: z3.And(is_f, z3.Or(z3.Not(category.ok), category.term == 55)),
               50: z3.And(is_f, category.ok, category.term == 50)}
        return birth, z3.And(birth.ok, z3.Or(is_m, z3.And(is_f, valid_category))), who

    def _retirement(self, op: str, left: ir.Node, right: ir.Node) -> Cond | None:
        """``retirement_date op C`` with ``C`` fixed: the birth date against the cut-offs of
        ``ops.RetirementTest``, one for each original retirement age."""
        found = B.RetirementTest.match(op, left, right, self.constant)
        if found is None:
            return None
        node, retirement = found
        if retirement is None:
            return MISSING
        birth, _, who = self._retirement_parts(node)
        t, f = [], []
        for age, test, valid in retirement.tests:
            defined = z3.And(who[age], birth.ok, _on_or_before(birth.term, valid))
            h = _span_holds(test, birth.term)
            t.append(z3.And(defined, h))
            f.append(z3.And(defined, z3.Not(h)))
        return Cond(z3.Or(t), z3.Or(f))

    def _retirement_value(self, node: ir.Apply) -> Val:
        """A retirement date outside a comparison with a fixed day: only whether it is filled in."""
        ok_end, end = self.constant(node.args[3])
        if not ok_end or end is None:
            raise Unsupported(node, "a retirement date at a reference date that is not fixed", "参考日期不固定的退休日期")
        birth, _, who = self._retirement_parts(node)
        valid = {age: v for age, _, v in B.RetirementTest.of("le", dt.date.max, end).tests}
        return Val(None, z3.Or([z3.And(who[age], birth.ok, _on_or_before(birth.term, valid[age])) for age in who]))

    def _window(self, node: ir.Apply) -> Cond:
        """``within_last(d, N)`` with N and the reference date fixed: ``ops.WindowTest``."""
        event, length, as_of = node.args
        ok_n, n = self.constant(length)
        ok_end, end = self.constant(as_of)
        if not ok_n or not ok_end:
            raise Unsupported(node, "a window whose length differs from person to person", "按人而异的时间窗口")
        if n is None or end is None:
            return MISSING
        test = B.WindowTest.of(end, n, length.type.unit)
        if test is None:
            return MISSING
        d = self.expr(event)
        h = _window_holds(test, d.term)
        return Cond(z3.And(d.ok, h), z3.And(d.ok, z3.Not(h)))


# ---- the decision -------------------------------------------------------------------------

# semantics.rule_strength: the status each strength decides (an exempted rule's person is exempt)
STRENGTH_STATUS = {SEM.rule_strength(o, e): "exempt" if e else o
                   for o in P.RULE_OUTCOMES for e in (False, True) if SEM.rule_strength(o, e) is not None}
STRENGTHS = tuple(sorted(STRENGTH_STATUS, reverse=True))  # strongest first


_defeating = SEM.defeating_exemptions  # `may decline` exemptions defeat nothing


class SymbolicDecision:
    """A policy's decision on a symbolic person, as z3 conditions, built as the reference
    interpreter decides (``backends/reference.py``, docs/language.md §9)."""

    def __init__(self, policy: P.CheckedPolicy, person: Person, as_of: dt.date,
                 params: Mapping[str, object] | None = None):
        self.policy = policy
        self.as_of = as_of
        tr = self.translator = Translator(policy, person, as_of, params)
        self.fires = {r.id: tr.holds(r.when) for r in policy.rules}
        self.applies: dict[str, z3.BoolRef] = {e.id: tr.holds(e.when) for e in policy.all_exemptions()}
        # (rule id, exemption id) -> the exemption defeats the fired rule (the first that applies)
        self.defeats: dict[tuple[str, str], z3.BoolRef] = {}
        self.exempted: dict[str, z3.BoolRef] = {}
        for r in policy.rules:
            earlier = []
            for e in _defeating(policy, r.id):
                self.defeats[(r.id, e.id)] = z3.And(self.fires[r.id], self.applies[e.id], *[z3.Not(x) for x in earlier])
                earlier.append(self.applies[e.id])
            self.exempted[r.id] = z3.And(self.fires[r.id], z3.Or(earlier)) if earlier else FALSE
        at = {k: [] for k in STRENGTHS}  # rules at each strength, with when they are at it
        for r in policy.rules:
            for exempted, when in ((False, z3.And(self.fires[r.id], z3.Not(self.exempted[r.id]))),
                                   (True, self.exempted[r.id])):
                strength = SEM.rule_strength(r.outcome, exempted)
                if strength is not None:  # a defeated eligible rule decides nothing
                    at[strength].append((r, when))
        self.level = {k: z3.Or([c for _, c in at[k]]) if at[k] else FALSE for k in STRENGTHS}
        self.best = {}
        for k in STRENGTHS:
            self.best[k] = z3.And(self.level[k], *[z3.Not(self.level[j]) for j in STRENGTHS if j > k])
        self.status = {s: FALSE for s in P.STATUSES}
        for k in STRENGTHS:
            self.status[STRENGTH_STATUS[k]] = z3.Or(self.status[STRENGTH_STATUS[k]], self.best[k])
        self.status["not_eligible"] = z3.Not(z3.Or([self.level[k] for k in STRENGTHS]))
        # the rule a decision names: the first declared at the winning strength
        self.decides: dict[str, z3.BoolRef] = {r.id: FALSE for r in policy.rules}
        self.exempted_decides: dict[str, z3.BoolRef] = {r.id: FALSE for r in policy.rules}
        for k in STRENGTHS:
            earlier = []
            for r, c in at[k]:
                named = z3.And(self.best[k], c, *[z3.Not(x) for x in earlier])
                self.decides[r.id] = z3.Or(self.decides[r.id], named)
                if STRENGTH_STATUS[k] == "exempt":
                    self.exempted_decides[r.id] = z3.Or(self.exempted_decides[r.id], named)
                earlier.append(c)
        self.exemption: dict[str, z3.BoolRef] = {}  # exemption code reported
        for r in policy.rules:
            for e in _defeating(policy, r.id):
                named = z3.And(self.exempted_decides[r.id], self.defeats[(r.id, e.id)])
                self.exemption[e.code] = z3.Or(self.exemption.get(e.code, FALSE), named)
        self.may_decline = self._may_decline()
        self.direction: dict[str, z3.BoolRef] = {}
        for r in policy.rules:
            if r.direction:
                named = z3.And(self.decides[r.id], z3.Not(self.exempted_decides[r.id]))
                self.direction[r.direction] = z3.Or(self.direction.get(r.direction, FALSE), named)
        self._consequences(tr)
        self._promotion(person, tr)

    def _may_decline(self) -> dict[str, z3.BoolRef]:
        """For a must_rotate person, the grounds every must_rotate rule holding them lets them
        invoke (`may decline` exemptions, ``semantics.may_decline``)."""
        declinable = SEM.declinable_exemptions
        holding = {r.id: z3.And(self.fires[r.id], z3.Not(self.exempted[r.id]))
                   for r in self.policy.rules if r.outcome == "must_rotate"}
        out = {}
        for code in SEM.declinable_codes(self.policy):
            allowed = [z3.Implies(h, z3.Or([self.applies[e.id] for e in declinable(self.policy, rid) if e.code == code]))
                       for rid, h in holding.items()]
            out[code] = z3.And(self.status["must_rotate"], *allowed)
        return out

    def _promotion(self, person: Person, tr: Translator) -> None:
        policy = self.policy
        self.checked: dict[str, z3.BoolRef] = {}
        for target in S.PROMOTION_TARGETS:
            test = SEM.target_test(policy, target)
            codes = order_of(S.TEACHERS.field(test.field).type)
            given = person.vars[("teacher", test.field)]
            value = given.value if test.missing is None else z3.If(given.present, given.value, codes.index(test.missing))
            hits = [value == i for i, c in enumerate(codes) if c in test.values]
            among = z3.Or(hits) if hits else FALSE
            if test.missing is None:
                among = z3.And(given.present, among)
            self.checked[target] = z3.Not(among) if test.negate else among
        self.prerequisite_applies = {p.id: tr.holds(p.applies) for p in policy.prerequisites}
        self.prerequisite_met = {p.id: tr.holds(p.requires) for p in policy.prerequisites}
        self.unmet: dict[tuple[str, str], z3.BoolRef] = {}
        for p in policy.prerequisites:
            for target in p.targets:
                self.unmet[(target, p.id)] = z3.And(self.checked[target], self.prerequisite_applies[p.id],
                                                    z3.Not(self.prerequisite_met[p.id]))
        # a penalty in force that bars a target makes it unmet too (semantics.promotion_bars)
        for target in S.PROMOTION_TARGETS:
            for ident, barring in SEM.promotion_bars(policy, target):
                barred = z3.Or([self.in_force[(item.key, e.name)] for item, e in barring])
                self.unmet[(target, ident)] = z3.And(self.checked[target], barred)

    def _consequences(self, tr: Translator) -> None:
        self.in_force: dict[tuple[str, str], z3.BoolRef] = {}
        self.durations: dict[tuple[str, str], tuple[int, str] | None] = {}
        for item in self.policy.consequences:
            when = tr.holds(item.when)
            event = None
            if item.after is not None:
                event = tr.expr(item.after)
                triggered = z3.And(event.ok, tr._term(event, item.after) <= self.as_of.toordinal(), when)
            else:
                triggered = when
            for effect in item.effects:
                key = (item.key, effect.name)
                duration = effect_duration(effect, tr.folder.params)  # a parameter's value (`for refusal_years`)
                self.durations[key] = _months_or_days(duration)
                if duration is None or event is None:
                    self.in_force[key] = triggered
                    continue
                amount, unit = duration
                n = B.whole_units(amount) or 0
                if n <= 0:  # a period of no length ends on the event's day
                    self.in_force[key] = z3.And(triggered, event.term == self.as_of.toordinal())
                    continue
                test = B.WindowTest.of(self.as_of, amount, unit)
                self.in_force[key] = z3.And(triggered, _window_holds(test, event.term))

    def rule_named(self) -> dict[str | None, z3.BoolRef]:
        return dict(self.decides) | {None: self.status["not_eligible"]}


def _months_or_days(duration) -> tuple[int, str] | None:
    """A duration as the periods of law count it: whole months (years are 12) or days."""
    if duration is None:
        return None
    amount, unit = duration
    n = B.whole_units(amount) or 0
    return (12 * n, "months") if unit == "years" else (n, unit)


# ---- one concrete person, decided by the solver (the conformance and differential tests) --


def decide(policy: P.CheckedPolicy, teacher: Mapping, school: Mapping, *, as_of: dt.date,
           params: Mapping[str, object] | None = None) -> Decision:
    """Decide one person by asking the solver for the decision of the translated policy on
    exactly this person: the translation's own answer, compared with the interpreter's by the
    tests. Raises ``Unsupported`` for a policy the translation cannot give exactly."""
    person = Person([(policy.teachers, policy.schools)])
    decision = SymbolicDecision(policy, person, as_of, params)
    solver = z3.Solver()
    solver.add(person.fixed(teacher, school))
    if solver.check() != z3.sat:  # pragma: no cover - a fixed person always exists
        raise AssertionError("no model for a fixed person")
    model = solver.model()

    def true(c) -> bool:
        return z3.is_true(model.eval(c, model_completion=True))

    status = next(s for s in P.STATUSES if true(decision.status[s]))
    rule = next((r for r in policy.rules if true(decision.decides[r.id])), None)
    exemption = next((code for code, c in decision.exemption.items() if true(c)), None)
    direction = next((d for d, c in decision.direction.items() if true(c)), None)
    cites: tuple[str, ...] = ()
    if rule is not None:
        cites = tuple(c.short() for c in rule.cites)
        if status == "exempt":
            by = next(e for e in _defeating(policy, rule.id) if true(decision.defeats[(rule.id, e.id)]))
            cites += tuple(c.short() for c in by.cites if c.short() not in cites)
    found: dict[str, list[Consequence]] = {"penalty": [], "benefit": []}
    for item in policy.consequences:
        event = None if item.after is None else Evaluated(model, decision.translator).value(item.after)
        for effect in item.effects:
            if true(decision.in_force[(item.key, effect.name)]):
                until = effect_until(event, effect, decision.translator.folder.params) if event is not None else None
                found[item.kind].append(Consequence(item.id, effect.name, effect.label, until))
    promotion = []
    for t in S.PROMOTION_TARGETS:
        if not true(decision.checked[t]):
            continue
        unmet = [p.id for p in policy.prerequisites if t in p.targets and true(decision.unmet[(t, p.id)])]
        promotion.append(SEM.promotion_check(policy, t, unmet, found["penalty"]))
    promotion = tuple(promotion)
    fired = []
    for r in policy.rules:
        if true(decision.fires[r.id]):
            by = next((e.id for e in _defeating(policy, r.id) if true(decision.defeats[(r.id, e.id)])), None)
            fired.append(Fired(r.id, by))
    may_decline = tuple(code for code, c in decision.may_decline.items() if true(c))

    def unknown(node: ir.Node | None) -> bool:  # neither certainly true nor certainly false
        cond = None if node is None else decision.translator.cond(node)
        return cond is not None and not true(cond.t) and not true(cond.f)

    left_open = [(r.id, None) for r in policy.rules if unknown(r.when)]
    for r in policy.rules:  # a fired rule's exemptions, as far as the first that applies
        for e in _defeating(policy, r.id) if true(decision.fires[r.id]) else ():
            if true(decision.applies[e.id]):
                break
            if unknown(e.when):
                left_open.append((e.id, r.id))
    rule_id = rule.id if rule else None
    opened = list(SEM.undecided(policy, rule_id, status == "exempt", left_open, may_decline)) if left_open else []

    def value(node: ir.Node | None) -> bool | None:  # true, false, or None where a missing value leaves it
        return None if unknown(node) else node is None or true(decision.translator.cond(node).t)

    grounds = SEM.Grounds()  # of each must_rotate rule holding the person, the grounds to decline it
    for r in policy.rules:
        if r.outcome == "must_rotate" and true(decision.fires[r.id]) and not true(decision.exempted[r.id]):
            grounds.add((e.id, e.code, value(e.when)) for e in SEM.declinable_exemptions(policy, r.id))
    opened += grounds.left_open(status)
    params = decision.translator.folder.params
    for item in policy.consequences:  # one in force, had its condition held
        event = None if item.after is None else Evaluated(model, decision.translator).value(item.after)
        if (item.after is None or (event is not None and event <= as_of)) and value(item.when) is None \
                and any(effect_in_force(effect_until(event, e, params), as_of) for e in item.effects):
            opened.append(item.id)
    opened += [p.id for t in S.PROMOTION_TARGETS if true(decision.checked[t]) for p in policy.prerequisites
               if t in p.targets and SEM.open_prerequisite(value(p.applies), value(p.requires))]
    uncertain = SEM.missing_fields(policy, decision_reads(policy), opened, teacher, school) if opened else ()
    return Decision(may_decline=may_decline, id=str(teacher.get("id", "")), status=status, rule=rule_id,
                    exemption=exemption if status == "exempt" else None,
                    direction=direction if status in ("must_rotate", "eligible") else None,
                    promotion=promotion, penalties=tuple(found["penalty"]), benefits=tuple(found["benefit"]),
                    cite=cites, as_of=as_of, fired=tuple(fired), uncertain=uncertain)


@attrs.frozen
class Evaluated:
    """A date value of a model (the event of a consequence), as the translation computes it."""

    model: z3.ModelRef
    translator: Translator

    def value(self, node: ir.Node) -> dt.date | None:
        v = self.translator.expr(node)
        if not z3.is_true(self.model.eval(v.ok, model_completion=True)):
            return None
        return dt.date.fromordinal(self.model.eval(v.term, model_completion=True).as_long())
