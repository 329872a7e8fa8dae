"""The bulk evaluator: a checked policy compiled to polars expressions.

It must decide exactly as the reference interpreter (``interpret.py``) does, on
every row. Conditions become boolean masks and ``when/then`` selects; there is
no Python loop over rows. Parameters and the reference date are constants here,
so comparisons of completed years with a constant (``tenure >= 6 years``) are
rewritten into a comparison of the date column with a precomputed cut-off date.

Null semantics follow ``builtins.py``: polars' ``&``, ``|`` and ``~`` are Kleene
logic like the table's ``and``/``or``/``not``; comparisons and arithmetic with a
null give null; ``when(null)`` takes ``otherwise`` like the interpreter's ``if``;
a rule whose condition is null does not fire (``fill_null(False)``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping

import attrs
import numpy as np
import polars as pl

from policylang.lang import ops as B
from policylang.lang import ir
from policylang.lang import legal_dates as L
from policylang.lang import policy as P
from policylang.lang.fold import Folder
from policylang.lang.semantics import (declinable_codes, declinable_exemptions, defeating_exemptions,
                                       empty_fields, open_at, promotion_bars, rule_strength, target_test)
from policylang.lang.semantics import effect_duration
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import FIRED_COLUMN, UNCERTAIN_COLUMN
from policylang.lang.reads import decision_reads
from policylang.lang.frame import SCHOOL_PREFIX, column_name
from policylang.lang.pretty import expr_text
from policylang.lang.types import whole_as_int


_COMPARE = {"eq": "__eq__", "ne": "__ne__", "lt": "__lt__", "le": "__le__", "gt": "__gt__", "ge": "__ge__"}
_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
# semantics.rule_strength, with -1 for a rule that decides nothing (not fired, or an exempted eligible rule)
_STRENGTH = {(o, e): -1 if rule_strength(o, e) is None else rule_strength(o, e)
             for o in P.RULE_OUTCOMES for e in (False, True)}
_UNIT_OFFSET = {"years": "y", "months": "mo", "days": "d"}


def _compared_numbers(op: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """``ops.compared_numbers`` on columns: its test of the difference, a NaN one (of equal
    infinities) as none."""
    return B.DIFFERENCE_TESTS[op]((left.cast(pl.Float64) - right.cast(pl.Float64)).fill_nan(0.0))


def _in_calendar(moved: pl.Expr, node: ir.Apply) -> pl.Expr:
    """A date moved by a duration, refused (``DateOutOfRange``) when it leaves years 1..9999
    as the interpreter refuses it (``legal_dates.add_months_clamped``): polars would go on
    counting past year 9999 and decide on a date no calendar of the other evaluators has."""
    return moved.map_batches(_CalendarCheck(expr_text(node)), return_dtype=pl.Date)


@attrs.frozen
class _CalendarCheck:
    """The check of ``_in_calendar``: a module-level value, so that the plan can serialise it
    (``Plan.column`` keys columns on their serialised expression)."""

    shown: str

    def __call__(self, dates: pl.Series) -> pl.Series:
        years = dates.dt.year()
        if ((years < 1) | (years > 9999)).any():
            raise L.DateOutOfRange(f"`{self.shown}` gives a date outside years 1..9999",
                                   f"`{self.shown}` 推算出的日期超出 1—9999 年")
        return dates


class Compiler(Folder):
    """A policy's expressions as polars expressions, at one setting (constants folded)."""

    def __init__(self, policy: P.CheckedPolicy, as_of: dt.date, params: Mapping[str, object]):
        super().__init__(policy, as_of, params)
        # what an expression's compiled form depends on besides the expression itself
        self.setting = (as_of, tuple(sorted((k, repr(v)) for k, v in params.items())),
                        tuple(sorted((k, id(d.expr)) for k, d in policy.definitions.items())))

    def _inline(self, node: ir.Node) -> ir.Node:
        while isinstance(node, ir.DefRef):
            node = self.policy.definitions[node.name].expr
        return node

    # ---- expressions ------------------------------------------------------
    def expr(self, node: ir.Node) -> pl.Expr:
        ok, value = self.constant(node)
        if ok:
            return _lit(value, node.type)
        if isinstance(node, ir.FieldRef):
            return pl.col(column_name(node.table, node.name))
        if isinstance(node, ir.DefRef):
            return self.expr(self.policy.definitions[node.name].expr)
        assert isinstance(node, ir.Apply)
        op, args = node.op, node.args
        if op in _COMPARE:
            return self._compare(node)
        if op == "and":
            out = self.expr(args[0])
            for a in args[1:]:
                out = out & self.expr(a)
            return out
        if op == "or":
            out = self.expr(args[0])
            for a in args[1:]:
                out = out | self.expr(a)
            return out
        if op == "not":
            return ~self.expr(args[0])
        if op == "is_set":
            return self.expr(args[0]).is_not_null()
        if op == "is_empty":
            return self.expr(args[0]).is_null()
        if op == "in":
            return self._in(node)
        if op == "if":
            return pl.when(self.expr(args[0])).then(self.expr(args[1])).otherwise(self.expr(args[2]))
        if op in ("add", "sub") and isinstance(args[0].type, T.DateType):
            return self._shift(node)
        if op == "add":
            return self.expr(args[0]) + self.expr(args[1])
        if op == "sub":
            return self.expr(args[0]) - self.expr(args[1])
        if op == "mul":
            return B.share_product(self.expr(args[0]) * self.expr(args[1]),
                                   [x.type.unit if isinstance(x.type, T.NumberType) else None for x in args])
        if op == "div":  # by zero: missing; the divisor written once, or nested divisions would double each level
            return self.expr(args[0]) / self.expr(args[1]).replace(0, None)
        if op == "neg":
            return -self.expr(args[0])
        if op in ("years_between", "months_between", "days_between"):
            return _span(op, self.expr(args[0]), self.expr(args[1]))
        if op == "within_last":
            return self._window(node)
        if op == "retirement_date":
            return self._retirement_date(node)
        if op in ("min", "max"):
            parts = [self.expr(a) for a in args]
            # the interpreter gives null if any argument is null. Each argument is referenced once:
            # a second reference (a null test beside the fold) doubles the plan at every nested
            # min/max, 2^depth (`max(max(max(…)))` 25 deep took half a minute to plan)
            best = pl.element().min() if op == "min" else pl.element().max()
            return pl.concat_list(parts).list.eval(
                pl.when(pl.element().is_null().any()).then(None).otherwise(best)).list.first()
        raise NotImplementedError(op)  # pragma: no cover - every operator of the table is handled

    def _ranked(self, node: ir.Node) -> pl.Expr:
        """An ordered code as its rank, so `title >= senior` compares ranks."""
        t = node.type
        if isinstance(t, T.EnumType) and t.name in B.ORDERED_ENUMS:
            order = B.ORDERED_ENUMS[t.name]
            ok, value = self.constant(node)
            if ok:
                return pl.lit(None if value is None else order.index(value), dtype=pl.Int32)
            mapping = {code: i for i, code in enumerate(order)}
            return self.expr(node).replace_strict(mapping, default=None, return_dtype=pl.Int32)
        return self.expr(node)

    def _compare(self, node: ir.Apply) -> pl.Expr:
        op = node.op
        left, right = (self._inline(a) for a in node.args)
        folded = self._date_cutoff(op, left, right)
        for attempt in (lambda: self._date_cutoff(_FLIP[op], right, left),
                        lambda: self._retirement_cutoff(op, left, right),
                        lambda: self._retirement_cutoff(_FLIP[op], right, left)):
            if folded is None:
                folded = attempt()
        if folded is not None:
            return folded
        if isinstance(right, ir.Apply) and right.op == "if":
            # x op (if c then a else b)  ->  if c then x op a else x op b, so each branch folds
            cond, a, b = right.args
            return pl.when(self.expr(cond)).then(self._compare(ir.Apply(T.BOOL, op, (left, a)))) \
                .otherwise(self._compare(ir.Apply(T.BOOL, op, (left, b))))
        if B.compares_numbers(op, [left.type, right.type]):
            return _compared_numbers(op, self.expr(left), self.expr(right))
        if op in ("lt", "le", "gt", "ge"):
            l, r = self._ranked(left), self._ranked(right)
        else:
            l, r = self.expr(left), self.expr(right)
        return getattr(l, _COMPARE[op])(r)

    def _date_cutoff(self, op: str, left: ir.Node, right: ir.Node) -> pl.Expr | None:
        """`years_between(d, as_of) op N` as a comparison of `d` with a cut-off date."""
        found = B.SpanTest.match(op, left, right, self.constant)
        if found is None:
            return None
        start, test = found
        d = self.expr(start)
        if test is None:
            return pl.lit(None, dtype=pl.Boolean)

        def on_or_before(bound) -> pl.Expr:
            return pl.lit(bound) if isinstance(bound, bool) else d <= pl.lit(bound)
        held = on_or_before(test.reached) & ~on_or_before(test.beyond)
        held = ~held if test.negate else held
        return pl.when(d.is_null()).then(None).otherwise(held)

    def _retirement_cutoff(self, op: str, left: ir.Node, right: ir.Node) -> pl.Expr | None:
        """``retirement_date op C`` with ``C`` fixed, as comparisons of the birth date with a
        cut-off for each original age (``ops.RetirementTest``): no date is computed."""
        found = B.RetirementTest.match(op, left, right, self.constant)
        if found is None:
            return None
        node, retirement = found
        if retirement is None:
            return pl.lit(None, dtype=pl.Boolean)
        b = self.expr(node.args[0])
        row = self._original_age_row(node.args[1], node.args[2])
        ages = tuple(L.RETIREMENT_SCHEDULE)

        def on_or_before(bound) -> pl.Expr:
            return pl.lit(bound) if isinstance(bound, bool) else b <= pl.lit(bound)
        out = pl.lit(None, dtype=pl.Boolean)
        for age, test, valid in reversed(retirement.tests):
            held = on_or_before(test.reached) & ~on_or_before(test.beyond)
            held = ~held if test.negate else held
            out = pl.when(row == ages.index(age)).then(pl.when(on_or_before(valid)).then(held)).otherwise(out)
        return pl.when(b.is_null()).then(None).otherwise(out)

    def _original_age_row(self, sex: ir.Node, category: ir.Node) -> pl.Expr:
        """The row of ``RETIREMENT_SCHEDULE`` a person's dates follow (``ops.retirement_category``):
        men 60; women 55 (category missing or 55) or 50; missing for anything else."""
        x, c = self.expr(sex), self.expr(category)
        ages = tuple(L.RETIREMENT_SCHEDULE)
        return (pl.when(x == "M").then(pl.lit(ages.index(60)))
                .when((x == "F") & (c.is_null() | (c == 55))).then(pl.lit(ages.index(55)))
                .when((x == "F") & (c == 50)).then(pl.lit(ages.index(50)))
                .otherwise(None))

    def _in(self, node: ir.Apply) -> pl.Expr:
        operand, items = node.args[0], node.args[1:]
        consts = [self.constant(i) for i in items]
        x = self.expr(operand)
        if B.compares_numbers("in", [a.type for a in node.args]):
            near = pl.any_horizontal([_compared_numbers("eq", x, self.expr(i)).fill_null(False) for i in items])
            return pl.when(x.is_null()).then(None).otherwise(near)
        if all(ok for ok, _ in consts):
            values = [v for _, v in consts]
            return pl.when(x.is_null()).then(None).otherwise(x.is_in(values))
        out = None
        for item in items:
            eq = x == self.expr(item)
            out = eq if out is None else out | eq
        return pl.when(x.is_null()).then(None).otherwise(out.fill_null(False))

    def _shift(self, node: ir.Apply) -> pl.Expr:
        date, amount = node.args
        ok, n = self.constant(amount)
        sign = 1 if node.op == "add" else -1
        unit = _UNIT_OFFSET[amount.type.unit]
        if ok:
            if n is None:
                return pl.lit(None, dtype=pl.Date)
            return _in_calendar(self.expr(date).dt.offset_by(f"{sign * int(n)}{unit}"), node)
        # an amount read per row: whole units only, truncated toward zero like the interpreter
        whole = self.expr(amount).cast(pl.Float64).cast(pl.Int64) * sign
        return _in_calendar(self.expr(date).dt.offset_by(pl.format("{}" + unit, whole)), node)

    def _window(self, node: ir.Apply) -> pl.Expr:
        """``within_last(d, N)``: with N fixed, ``d`` between the cut-off dates of
        ``ops.WindowTest``; with N read per row, the definition (d <= as_of <= the period's
        last day, the last day clamped to the calendar as ``ops.period_last_day`` does)."""
        event, length, as_of = node.args
        d, unit = self.expr(event), length.type.unit
        ok_n, n = self.constant(length)
        ok_end, end = self.constant(as_of)
        if ok_n and ok_end:
            test = None if n is None or end is None else B.WindowTest.of(end, n, unit)
            if test is None:
                return pl.lit(None, dtype=pl.Boolean)
            held = pl.lit(False) if test.last is None else d <= pl.lit(test.last)
            if test.first is not None:
                held = held & (d >= pl.lit(test.first))
            return pl.when(d.is_null()).then(None).otherwise(held)
        whole = self.expr(length).cast(pl.Float64).cast(pl.Int64).clip(-_LENGTH_CAP[unit], _LENGTH_CAP[unit])
        last = d.dt.offset_by(pl.format("{}" + _UNIT_OFFSET[unit], whole)).clip(upper_bound=dt.date.max)
        end_expr = self.expr(as_of)
        held = (whole > 0) & (d <= end_expr) & (end_expr <= last)
        return pl.when(d.is_null() | whole.is_null()).then(None).otherwise(held)  # missing, as apply_row

    def _retirement_date(self, node: ir.Apply) -> pl.Expr:
        """The statutory retirement date per row: the months from birth to retirement looked up
        by original age (``ops.retirement_category``) and birth month in a table that
        ``legal_dates`` computes, then the birth date moved by them, clamped to the month's end
        (missing after 9999-12-31, as ``ops.retirement_date``)."""
        birth, sex, category, as_of = node.args
        ok, end = self.constant(as_of)
        if not ok or end is None:
            raise NotImplementedError("a retirement date at a reference date read per row")
        b, row = self.expr(birth), self._original_age_row(sex, category)
        index = b.dt.year().cast(pl.Int64) * 12 + b.dt.month().cast(pl.Int64) - 1
        table = _retirement_months(end >= L.DECISION_IN_FORCE)
        months = lookup(table.flat, row * table.width + (index.clip(table.first, table.last) - table.first), pl.Int64)
        moved = b.dt.offset_by(pl.format("{}mo", months))  # clamped to the month's end, as add_months_clamped
        return pl.when(moved > pl.lit(dt.date.max)).then(None).otherwise(moved)

    def holds(self, node: ir.Node | None) -> pl.Expr:
        return pl.lit(True) if node is None else self.expr(node).fill_null(False)


# lengths beyond these end after the calendar from any day in it (``ops.period_last_day``)
_LENGTH_CAP = {"years": 10_000, "months": 12 * 10_000, "days": 366 * 10_000}


@attrs.frozen
class RetirementMonths:
    """Months from birth to the statutory retirement date, by original age and birth month:
    ``flat[row * width + k]`` for the original age ``tuple(RETIREMENT_SCHEDULE)[row]`` and the
    birth month ``first + k`` (a month index, year * 12 + month - 1). Births before ``first``
    retire as those born in it (no delay), births after ``last`` as those born in it (the
    full delay)."""

    first: int
    last: int
    flat: list[int]

    @property
    def width(self) -> int:
        return self.last - self.first + 1


@functools.cache
def _retirement_months(decided: bool) -> RetirementMonths:
    """The table, computed by ``legal_dates`` itself, for the law before the decision (no
    delay) or after it: from the month before the first delayed birth month of any schedule
    to the first month of the full delay of the last."""
    schedule = L.RETIREMENT_SCHEDULE
    first = min(y * 12 + m - 1 for (y, m), _, _ in schedule.values()) - 1
    last = max(y * 12 + m - 1 + step * cap for (y, m), step, cap in schedule.values())
    flat = []
    for age in schedule:
        sex, category = ("M", None) if age == 60 else ("F", age)
        for index in range(first, last + 1):
            delay = L.retirement_delay_months(index // 12, index % 12 + 1, sex, category) if decided else 0
            flat.append(12 * age + delay)
    return RetirementMonths(first, last, flat)


# ---- decisions ------------------------------------------------------------------


@attrs.frozen
class Outcome:
    """The status part of a decision: what a rule and an exemption together decide."""

    status: str
    rule: str
    exemption: str
    direction: str
    cite: str


class Keys:
    """Distinct values, numbered in order of first use: equal values get equal keys,
    so comparing keys is comparing values."""

    def __init__(self, first=None):
        self._index: dict = {}
        self.values: list = []
        if first is not None:
            self.key(first)

    def key(self, value) -> int:
        if value not in self._index:
            self._index[value] = len(self.values)
            self.values.append(value)
        return self._index[value]


@attrs.frozen
class Variant:
    """One policy (with its parameters and reference date) compiled into a plan: each
    part of its decision as a column of the plan. ``outcome`` keys ``Plan.outcomes``,
    each promotion column keys ``Plan.texts``; penalties and benefits are text."""

    outcome: pl.Expr
    promotion: tuple[pl.Expr, ...]  # one per schema.PROMOTION_TARGETS
    penalties: pl.Expr
    benefits: pl.Expr
    fired: pl.Expr  # the rules that fired as text (`RULE` or `RULE:EXEMPTION`); computed only when selected
    bars: tuple[pl.Expr, ...] = ()  # per target, the penalties barring it as text (`RULE:LIFTS;…`)
    may_decline: pl.Expr = pl.lit("")  # the exemption codes a must_rotate person may invoke, `;`-joined
    missing: pl.Expr = pl.lit("")  # the empty fields that leave the decision open, `;`-joined (``uncertain``)

    def parts(self) -> dict[str, tuple[pl.Expr, ...]]:
        """The decision's columns by the part of the decision they make."""
        return {"status": (self.outcome, self.may_decline), "promotion": self.promotion + self.bars,
                "consequences": (self.penalties, self.benefits)}


class Plan:
    """The columns that decide one or more policy variants over the same table, computed in
    stages of materialised columns (each condition is evaluated once however often it is
    used). A column whose expression is already in the plan is not computed again, so
    variants of a policy (the two sides of a diff, a sweep, the cause search's hybrids)
    share the work they have in common, and two variants whose part of a decision is the
    same column are known to agree on it without comparing a row."""

    PREFIX = "__plan"

    def __init__(self):
        self._names: dict[bytes | str, str] = {}  # serialised expression -> its column
        self._stage: dict[str, int] = {}
        self.stages: list[list[pl.Expr]] = []
        self.outcomes = Keys(Outcome("not_eligible", "", "", "", ""))
        self.texts = Keys("")
        self._policies: list[P.CheckedPolicy] = []  # kept: condition() keys on their nodes
        self._conditions: dict[tuple, pl.Expr] = {}
        # the conditions whose "left unknown" a decision needs (``_missing``), by node: their
        # value is one column, true, false or null, that "holds" and "unknown" both read
        self._three_valued: set[int] = set()

    def column(self, expr: pl.Expr) -> pl.Expr:
        """The plan's column computed by ``expr`` (added unless an equal one is there)."""
        key = expr.meta.serialize(format="json")
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"{self.PREFIX}{len(self._names)}"
            # a column is computed in the stage after the last column it reads
            stage = 1 + max((self._stage.get(root, -1) for root in expr.meta.root_names()), default=-1)
            self._stage[name] = stage
            while len(self.stages) <= stage:
                self.stages.append([])
            self.stages[stage].append(expr.alias(name))
        return pl.col(name)

    def condition(self, compiler: Compiler, node: ir.Node | None, unless: ir.Node | None = None) -> pl.Expr:
        """The plan's column of "``node`` holds (and ``unless`` does not)", compiled once per
        setting (date, parameters, definitions): the variants of a diff share most of their
        declarations, so most of their conditions are compiled once, not once per variant."""
        key = (id(node), id(unless), compiler.setting)  # the nodes live as long as the plan's policies
        found = self._conditions.get(key)
        if found is None:
            if unless is None and node is not None and id(node) in self._three_valued:
                holds = self._value(compiler, node).fill_null(False)
            else:
                holds = compiler.holds(node) if unless is None else compiler.holds(node) & ~compiler.holds(unless)
            found = self._conditions[key] = self.column(holds)
        return found

    def classes(self, frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Rows the plan cannot tell apart, found in one pass over ``frame``: each row's class
        number, and one row number per class.

        Every column of the plan is a function of its own row, and a column of a later stage
        reads only columns of the plan and inputs; so two rows equal on the first stage's
        columns (mostly yes/no conditions) and on the inputs later stages read are equal on
        every column of every variant. Deciding one row per class then decides them all:
        a diff's cause search runs on a thousand classes instead of a million rows."""
        first = self.stages[0] if self.stages else []
        late = {root for stage in self.stages[1:] for expr in stage for root in expr.meta.root_names()}
        # a column that reads nothing is the same in every row
        names = [e.meta.output_name() for e in first if e.meta.root_names()] + sorted(late - set(self._stage))
        if not names or not frame.height:
            return np.zeros(frame.height, dtype=np.int64), np.arange(min(frame.height, 1))
        signature = _with_missing_columns(frame.lazy(), self._policies).with_columns(first).select(names).collect()
        keyed = _packed(signature)
        on = keyed.columns
        if len(on) == 1 and keyed[on[0]].max() < _DIRECT:  # few bits: number the keys through a table
            key = keyed[on[0]].to_numpy()
            used = np.zeros(_DIRECT, dtype=bool)
            used[key] = True
            classes = (np.cumsum(used, dtype=np.int64) - 1)[key]
            representatives = np.empty(int(used.sum()), dtype=np.int64)
            representatives[classes] = np.arange(len(key))  # any member of a class will do
            return classes, representatives
        distinct = keyed.with_row_index("row").unique(subset=on, keep="any").with_row_index("class")
        classes = keyed.join(distinct.drop("row"), on=on, how="left", maintain_order="left")["class"]
        return classes.to_numpy(), distinct["row"].to_numpy()

    def same(self, a: pl.Expr, b: pl.Expr) -> bool:
        return a.meta.output_name() == b.meta.output_name()

    def rows(self, frame: pl.DataFrame, columns: list[pl.Expr]) -> pl.DataFrame:
        """``columns`` (expressions over the plan's columns) for every row of ``frame``, a
        constant one too: a select of constants alone would give one row."""
        names = [c.meta.output_name() for c in columns]
        return self.apply(frame).with_columns(columns).select(names).collect()

    def apply(self, frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
        """``frame`` with every column of the plan."""
        lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
        lazy = _with_missing_columns(lazy, self._policies)
        for stage in self.stages:
            lazy = lazy.with_columns(stage)
        return lazy

    # ---- one variant ----------------------------------------------------------
    def variant(self, policy: P.CheckedPolicy, as_of: dt.date, params: Mapping[str, object]) -> Variant:
        compiler = Compiler(policy, as_of, params)
        self._policies.append(policy)
        open_reads = _open_reads(policy)
        self._three_valued |= {id(node) for node in _open_conditions(policy, open_reads)}
        outcome, fired, declinable, opened = self._outcome(policy, compiler, open_reads)
        effects = self._effects(policy, compiler)
        promotion, bars, applicable = self._promotion(policy, compiler, effects)
        opened += self._open_prerequisites(policy, compiler, applicable, open_reads)
        opened += self._open_consequences(policy, compiler, effects, open_reads)
        return Variant(outcome, promotion, *self._consequences(policy, effects), fired, bars, declinable,
                       self._missing(policy, opened, open_reads))

    def _outcome(self, policy: P.CheckedPolicy, compiler: Compiler, open_reads: Mapping[str, frozenset]
                 ) -> tuple[pl.Expr, pl.Expr, pl.Expr, list[tuple[str, pl.Expr]]]:
        """Rules fire, exemptions apply, the strongest outcome wins (interpret.decide); the
        text of the rules that fired; the codes a must_rotate person may invoke to decline; and
        the rules and exemptions a missing value leaves open that could change them (``_missing``
        reads them, of ``open_reads``)."""
        rules, exemptions = policy.rules, policy.all_exemptions()
        if not rules:
            return pl.lit(0, dtype=pl.Int32), pl.lit(""), pl.lit(""), []
        ex_index = {e.id: k for k, e in enumerate(exemptions)}
        strengths, exempted, fired = [], [], []
        # the first exemption applying, and its id, once for the rules it may defeat in one order
        first_applying: dict[tuple[str, ...], tuple[pl.Expr, pl.Expr]] = {}
        for rule in rules:
            defeating = defeating_exemptions(policy, rule.id)
            key = tuple(ex.id for ex in defeating)
            if key not in first_applying:
                by = pl.lit(None, dtype=pl.Int32)
                for ex in reversed(defeating):
                    by = pl.when(self.condition(compiler, ex.when)).then(pl.lit(ex_index[ex.id], dtype=pl.Int32)) \
                        .otherwise(by)
                by = self.column(by)
                first_applying[key] = (by, self.column(lookup([e.id for e in exemptions], by, pl.Utf8)))
            by, exemption_id = first_applying[key]
            exempted.append(by)
            holds = self.condition(compiler, rule.when)
            fired.append(pl.when(holds).then(pl.when(by.is_null()).then(pl.lit(rule.id))
                                             .otherwise(pl.concat_str([pl.lit(f"{rule.id}:"), exemption_id]))))
            strengths.append(self.column(
                pl.when(holds)
                .then(pl.when(by.is_null()).then(_STRENGTH[(rule.outcome, False)])
                      .otherwise(_STRENGTH[(rule.outcome, True)]))
                .otherwise(-1).cast(pl.Int8)))
        best = self.column(pl.max_horizontal(strengths))
        chosen = pl.lit(None, dtype=pl.Int32)
        for i in reversed(range(len(rules))):  # the first declared of the strongest
            chosen = pl.when(strengths[i] == best).then(pl.lit(i, dtype=pl.Int32)).otherwise(chosen)
        chosen = self.column(pl.when(best >= 0).then(chosen))
        exempt_strengths = sorted({v for (o, e), v in _STRENGTH.items() if e and v >= 0})
        exemption = self.column(pl.when(best.is_in(exempt_strengths)).then(
            _switch(chosen, dict(enumerate(exempted)), pl.Int32)))
        # (best, rule, exemption) -> the outcome's key, through one lookup of a combined integer
        n_rules, n_ex = len(rules) + 1, len(exemptions) + 1
        keys = [0] * (5 * n_rules * n_ex)  # combinations that cannot occur keep key 0

        def combine(b: int, r: int, e: int) -> int:
            return ((b + 1) * n_rules + r + 1) * n_ex + e + 1

        for r, rule in enumerate(rules):
            keys[combine(_STRENGTH[(rule.outcome, False)], r, -1)] = self.outcomes.key(_outcome_of(rule, None))
            if _STRENGTH[(rule.outcome, True)] < 0:
                continue  # an exempted rule that decides nothing is never chosen
            for ex in defeating_exemptions(policy, rule.id):
                keys[combine(_STRENGTH[(rule.outcome, True)], r, ex_index[ex.id])] = \
                    self.outcomes.key(_outcome_of(rule, ex))
        combined = ((best.cast(pl.Int32) + 1) * n_rules + chosen.fill_null(-1) + 1) * n_ex + exemption.fill_null(-1) + 1
        may_decline, open_grounds = self._may_decline(policy, compiler, best, exempted, open_reads)
        return (self.column(lookup(keys, combined, pl.Int32)),
                pl.concat_str(fired, separator=";", ignore_nulls=True).fill_null(""),
                may_decline, self._open_status(policy, compiler, best, chosen, may_decline, open_reads) + open_grounds)

    def _value(self, compiler: Compiler, node: ir.Node) -> pl.Expr:
        """The plan's column of a condition's value: true, false, or null where a missing value
        leaves it neither (compiled once per setting, as ``condition``)."""
        key = (id(node), "value", compiler.setting)
        found = self._conditions.get(key)
        if found is None:
            found = self._conditions[key] = self.column(compiler.expr(node))
        return found

    def _unknown(self, compiler: Compiler, node: ir.Node | None) -> pl.Expr:
        """The plan's column of "a missing value leaves ``node`` neither true nor false"."""
        return pl.lit(False) if node is None else self.column(self._value(compiler, node).is_null())

    def _open_status(self, policy: P.CheckedPolicy, compiler: Compiler, best: pl.Expr, chosen: pl.Expr,
                     may_decline: pl.Expr, reads: Mapping[str, frozenset]) -> list[tuple[str, pl.Expr]]:
        """``semantics.undecided``: per rule or exemption reading a field a reader can leave
        empty (``reads``: ``_open_reads``), whether a missing value leaves it unknown where it
        could change the status (a rule that would decide more strongly than the deciding one,
        or as strongly and before it; an exemption of the deciding rule checked before any that
        applies) or, for a person who must rotate, the grounds to decline (a must_rotate rule
        while they may decline; an exemption of another must_rotate rule that fired)."""
        must = _STRENGTH[("must_rotate", False)]
        grounds = (best == must) if declinable_codes(policy) else pl.lit(False)
        mattering: list[tuple[str, pl.Expr]] = []  # (declaration, "left unknown, and it could change the decision")
        # "none of these exemptions applies", a column per prefix of a rule's exemptions, made once for
        # the rules sharing it: each is the one before and one more (150 exemptions of 1,000 rules
        # written out whole were 22 million expressions and 14 GB)
        none_of: dict[tuple[str, ...], pl.Expr] = {(): pl.lit(True)}
        # the rules by the exemptions that defeat them, in order: an exemption's entry is one per
        # such group (the rules deciding, or holding a person who may decline), not one per rule
        groups: dict[tuple[str, ...], tuple[list[int], list[pl.Expr]]] = {}
        for i, rule in enumerate(policy.rules):
            strength = _STRENGTH[(rule.outcome, False)]
            binding = rule.outcome == "must_rotate"
            if strength >= 0 and rule.id in reads:  # a column only where a field read may be empty
                stronger = (best < strength) | ((best == strength) & (chosen > i).fill_null(False))
                if binding:
                    stronger = stronger | grounds & (may_decline != "")
                mattering.append((rule.id, self._unknown(compiler, rule.when) & stronger))
            exemptions = tuple(ex.id for ex in defeating_exemptions(policy, rule.id))
            if any(e in reads for e in exemptions):
                deciding, holding = groups.setdefault(exemptions, ([], []))
                deciding.append(i)
                if binding:
                    holding.append(self.condition(compiler, rule.when))
        by_id = {ex.id: ex for ex in policy.all_exemptions()}
        for exemptions, (deciding_rules, holding) in groups.items():
            deciding = chosen.is_in(deciding_rules).fill_null(False)
            if holding:
                deciding = deciding | grounds & pl.any_horizontal(holding)
            deciding = self.column(deciding)
            earlier: tuple[str, ...] = ()  # the exemptions before, none of which may apply
            for ex_id in exemptions:
                ex = by_id[ex_id]
                if ex_id in reads:
                    mattering.append((ex_id, deciding & none_of[earlier] & self._unknown(compiler, ex.when)))
                reached = earlier + (ex_id,)
                if reached not in none_of:
                    none_of[reached] = self.column(none_of[earlier] & ~self.condition(compiler, ex.when))
                earlier = reached
        return mattering

    def _open_prerequisites(self, policy: P.CheckedPolicy, compiler: Compiler, applicable: list[pl.Expr],
                            reads: Mapping[str, frozenset]) -> list[tuple[str, pl.Expr]]:
        """``semantics.open_prerequisite``, for a person going for one of its targets."""
        going_for = dict(zip(S.PROMOTION_TARGETS, applicable))
        out = []
        for p in policy.prerequisites:
            if p.id not in reads:
                continue
            applies = pl.lit(True) if p.applies is None else self._value(compiler, p.applies)
            met = pl.lit(True) if p.requires is None else self._value(compiler, p.requires)
            left = (applies.fill_null(False) & met.is_null()) | (applies.is_null() & ~met.fill_null(False))
            out.append((p.id, pl.any_horizontal([going_for[t] for t in p.targets]) & left))
        return out

    def _open_consequences(self, policy: P.CheckedPolicy, compiler: Compiler, effects: Mapping,
                           reads: Mapping[str, frozenset]) -> list[tuple[str, pl.Expr]]:
        """A penalty or benefit whose condition a missing value leaves unknown, in force had it held."""
        return [(item.id, self._unknown(compiler, item.when)
                 & pl.any_horizontal([effects[(item.key, e.name)][2] for e in item.effects]))
                for item in policy.consequences if item.id in reads]

    def _missing(self, policy: P.CheckedPolicy, opened: list[tuple[str, pl.Expr]],
                 reads: Mapping[str, frozenset]) -> pl.Expr:
        """``semantics.missing_fields`` as one column of text: per empty field, whether a
        declaration reading it is left open where that could change the decision (``opened``);
        the fields `;`-joined in the tables' order."""
        parts = []
        for column in empty_fields(policy):
            open_here = [m for item, m in opened if column in reads[item]]
            if open_here:
                name = column_name(*column)
                empty = pl.col(name).is_null()
                if (at := open_at(policy, *column)) is not None:  # (not known only at some schools)
                    empty = empty & pl.col(column_name("school", at[0])).is_in(at[1]).fill_null(True)
                parts.append(pl.when(empty & pl.any_horizontal(open_here)).then(pl.lit(name)))
        if not parts:
            return pl.lit("")
        return self.column(pl.concat_str(parts, separator=";", ignore_nulls=True).fill_null(""))

    def _may_decline(self, policy: P.CheckedPolicy, compiler: Compiler, best: pl.Expr, exempted: list[pl.Expr],
                     reads: Mapping[str, frozenset]) -> tuple[pl.Expr, list[tuple[str, pl.Expr]]]:
        """semantics.may_decline: for a must_rotate person, each code of a `may decline` exemption
        that every must_rotate rule holding them (fired, not exempted) lets them invoke; and
        ``semantics.open_grounds``: the `may decline` exemptions of a rule holding them that a
        missing value leaves unknown, of a code every such rule allows or might, not all do."""
        holding = {rule.id: self.condition(compiler, rule.when) & by.is_null()
                   for rule, by in zip(policy.rules, exempted) if rule.outcome == "must_rotate"}
        codes = declinable_codes(policy)
        if not codes or not holding:  # (a ground of `eligible` rules alone: no one it could let decline)
            return pl.lit(""), []
        must = _STRENGTH[("must_rotate", False)]
        parts, opened = [], []
        for code in codes:
            every, might, unknown = [], [], []
            for rule_id, holds in holding.items():
                grounds = [e for e in declinable_exemptions(policy, rule_id) if e.code == code]
                allows = pl.any_horizontal([self.condition(compiler, e.when) for e in grounds]) if grounds \
                    else pl.lit(False)
                every.append(~holds | allows)
                left = [(e.id, self._unknown(compiler, e.when)) for e in grounds if e.id in reads]
                might.append(~holds | allows | pl.any_horizontal([u for _, u in left]) if left else ~holds | allows)
                unknown += [(e_id, holds & u) for e_id, u in left]
            parts.append(pl.when(pl.all_horizontal(every)).then(pl.lit(code)))
            if unknown:
                code_open = (best == must) & pl.all_horizontal(might) & ~pl.all_horizontal(every)
                opened += [(e_id, code_open & u) for e_id, u in unknown]
        return (self.column(pl.when(best == must).then(pl.concat_str(parts, separator=";", ignore_nulls=True))
                            .otherwise(pl.lit("")).fill_null("")), opened)

    def _promotion(self, policy: P.CheckedPolicy, compiler: Compiler, effects: Mapping
                   ) -> tuple[tuple[pl.Expr, ...], tuple[pl.Expr, ...], list[pl.Expr]]:
        """Per target, the key of its prerequisites' text (``texts``: `ok` or the unmet ids), the
        text of the penalties that bar it (``_bars``), and whether the person goes for it."""
        empty = self.texts.key("")
        columns, applicables = [], []
        for target in S.PROMOTION_TARGETS:
            test = target_test(policy, target)
            if test.values:
                value = pl.col(test.field) if test.missing is None else pl.col(test.field).fill_null(test.missing)
                among = value.is_in(sorted(test.values)).fill_null(False)
                # a column of its own: later stages then read only the plan's columns (see classes)
                applicable = self.column(~among if test.negate else among)
            else:
                applicable = pl.lit(test.negate)
            applicables.append(applicable)
            prereqs = [p for p in policy.prerequisites if target in p.targets]
            # unmet prerequisites as a bit mask, mapped to the key of "ok" or the ids joined by ";"
            mask = pl.lit(0, dtype=pl.Int32)
            for bit, p in enumerate(prereqs):
                # (the checker requires `requires`; without one nothing would be unmet)
                if p.requires is None:
                    unmet = pl.lit(False)
                elif id(p.requires) in self._three_valued:  # its value is a column already (_open_prerequisites)
                    unmet = self.column(self.condition(compiler, p.applies) & ~self.condition(compiler, p.requires))
                else:
                    unmet = self.condition(compiler, p.applies, unless=p.requires)
                mask = mask + unmet.cast(pl.Int32) * (1 << bit)
            texts = [self.texts.key(";".join(p.id for bit, p in enumerate(prereqs) if m >> bit & 1) or "ok")
                     for m in range(1 << len(prereqs))]
            columns.append(self.column(pl.when(applicable).then(lookup(texts, mask, pl.Int32))
                                       .otherwise(pl.lit(empty, dtype=pl.Int32))))
        return tuple(columns), self._bars(policy, effects, applicables), applicables

    def _effects(self, policy: P.CheckedPolicy, compiler: Compiler
                 ) -> dict[tuple[str, str], tuple[pl.Expr, pl.Expr | None, pl.Expr]]:
        """Per (consequence, effect): the column "in force at the reference date", the column
        of its last day (None when open-ended), and "in force had its condition held" (an
        expression, for ``_open_consequences``). Conditions and end dates are columns of their
        own, so what reads them is built in a later stage from the plan's columns alone (see
        classes)."""
        out = {}
        as_of = pl.lit(compiler.as_of)
        for item in policy.consequences:
            if item.after is not None:
                event = compiler.expr(item.after)
                reached = (event <= as_of).fill_null(False)
                # a condition whose value is a column already (_open_consequences) is read from it
                holds = self.condition(compiler, item.when) if id(item.when) in self._three_valued \
                    else compiler.holds(item.when)
                triggered = self.column(reached & holds)
            else:
                event, reached = None, pl.lit(True)
                triggered = self.condition(compiler, item.when)
            for effect in item.effects:
                if effect.duration is not None:
                    # the period's last day (semantics.effect_until): the corresponding day, in force
                    # through it; clamped to the calendar's last day
                    n, unit = effect_duration(effect, compiler.params)
                    n = min(max(n, 0), _LENGTH_CAP[unit])
                    until = self.column(event.dt.offset_by(f"{n}{_UNIT_OFFSET[unit]}").clip(upper_bound=dt.date.max))
                    window = (as_of <= until).fill_null(False)
                    out[(item.key, effect.name)] = (self.column(triggered & window), until, reached & window)
                else:
                    out[(item.key, effect.name)] = (triggered, None, reached)
        return out

    def _consequences(self, policy: P.CheckedPolicy, effects: Mapping) -> tuple[pl.Expr, pl.Expr]:
        found: dict[str, list[pl.Expr]] = {"penalty": [], "benefit": []}
        for item in policy.consequences:
            for effect in item.effects:
                in_force, until, _ = effects[(item.key, effect.name)]
                # `RULE:effect:until` for benefits too: the decisions file leaves a benefit's
                # last day out (decisions.CONTRACT_BENEFIT), a decision's JSON does not
                text = pl.lit(f"{item.id}:{effect.name}:") if until is None else \
                    pl.concat_str([pl.lit(f"{item.id}:{effect.name}:"), until.dt.strftime("%Y-%m-%d")])
                found[item.kind].append(pl.when(in_force).then(text))
        return tuple(
            self.column(pl.concat_str(found[k], separator=";", ignore_nulls=True).fill_null("")) if found[k]
            else pl.lit("") for k in ("penalty", "benefit"))

    def _bars(self, policy: P.CheckedPolicy, effects: Mapping, applicable: list[pl.Expr]) -> tuple[pl.Expr, ...]:
        """Per promotion target, the penalties in force that bar it (semantics.promotion_check),
        as text `RULE:LIFTS` joined by `;`, empty when none or the target does not apply."""
        columns = []
        for target, is_target in zip(S.PROMOTION_TARGETS, applicable):
            parts = []
            for ident, barring in promotion_bars(policy, target):
                in_force = [effects[(item.key, e.name)][:2] for item, e in barring]
                any_in_force = pl.any_horizontal([f for f, _ in in_force])
                if any(u is None for _, u in in_force):
                    # an open-ended effect in force: it lifts on no known day
                    open_ended = pl.any_horizontal([f for f, u in in_force if u is None])
                    latest = pl.max_horizontal([pl.when(f).then(u) for f, u in in_force if u is not None]) \
                        if any(u is not None for _, u in in_force) else pl.lit(None, dtype=pl.Date)
                    latest = pl.when(open_ended).then(None).otherwise(latest)
                else:
                    latest = pl.max_horizontal([pl.when(f).then(u) for f, u in in_force])
                # bar_lifts: the day after the latest last day, none at the calendar's end
                lifts = pl.when(latest < pl.lit(dt.date.max)).then(latest.dt.offset_by("1d"))
                parts.append(pl.when(any_in_force).then(
                    pl.concat_str([pl.lit(f"{ident}:"), lifts.dt.strftime("%Y-%m-%d").fill_null("")])))
            if not parts:
                columns.append(pl.lit(""))
                continue
            text = pl.concat_str(parts, separator=";", ignore_nulls=True).fill_null("")
            columns.append(self.column(pl.when(is_target).then(text).otherwise(pl.lit(""))))
        return tuple(columns)

    # ---- reading a variant ----------------------------------------------------
    def keys(self, variant: Variant, prefix: str = "", fired: bool = False) -> list[pl.Expr]:
        """A variant's columns under stable names (``prefix`` + outcome, promotion_<target>,
        penalties, benefits, and with ``fired`` the rules that fired), to collect and turn into
        decisions later with ``decisions``."""
        named = {"outcome": variant.outcome, "penalties": variant.penalties, "benefits": variant.benefits,
                 "may_decline": variant.may_decline, "missing": variant.missing}
        named |= {f"promotion_{t}": e for t, e in zip(S.PROMOTION_TARGETS, variant.promotion)}
        named |= {f"bars_{t}": e for t, e in zip(S.PROMOTION_TARGETS, variant.bars)}
        if fired:
            named[FIRED_COLUMN] = variant.fired
        return [e.alias(prefix + name) for name, e in named.items()]

    def decisions(self, prefix: str = "", fired: bool = False) -> list[pl.Expr]:
        """The flat decision columns (``decisions.ROW_COLUMNS`` but ``id``; ``uncertain``, the
        empty fields leaving the status open; then ``fired`` if asked) from the columns ``keys``
        named."""
        outcome = pl.col(prefix + "outcome")

        def part(name: str) -> pl.Expr:
            return lookup([getattr(o, name) for o in self.outcomes.values], outcome, pl.Utf8).alias(name)

        promotion = [_with_bars(lookup(self.texts.values, pl.col(f"{prefix}promotion_{t}"), pl.Utf8),
                                pl.col(f"{prefix}bars_{t}")).alias(f"promotion_{t}")
                     for t in S.PROMOTION_TARGETS]
        return [part("status"), part("rule"), part("exemption"), part("direction"), *promotion,
                pl.col(prefix + "penalties").alias("penalties"), pl.col(prefix + "benefits").alias("benefits"),
                part("cite"), pl.col(prefix + "may_decline").alias("may_decline"),
                pl.col(prefix + "missing").alias(UNCERTAIN_COLUMN),
                *([pl.col(prefix + FIRED_COLUMN)] if fired else [])]

    def differs(self, a: Variant, b: Variant) -> dict[str, pl.Expr]:
        """Per part of the decision, whether the two variants decide it differently."""
        out = {}
        for (part, left), right in zip(a.parts().items(), b.parts().values()):
            unequal = [x.ne_missing(y) for x, y in zip(left, right) if not self.same(x, y)]
            out[part] = pl.any_horizontal(unequal) if unequal else pl.lit(False)
        return out


def _open_reads(policy: P.CheckedPolicy) -> dict[str, frozenset]:
    """The fields each declaration reads (``decision_reads``), of those that read a field a
    reader can leave empty: the ones whose being left unknown ``Plan._missing`` asks."""
    fields = set(empty_fields(policy))
    return {item: read for item, read in decision_reads(policy).items() if fields & read}


def _open_conditions(policy: P.CheckedPolicy, open_reads: Mapping[str, frozenset]) -> list[ir.Node]:
    """The conditions whose being left unknown ``Plan._missing`` asks (of the declarations in
    ``open_reads``): their value is then one column, true, false or null."""
    items = [(item.id, item.when) for item in (*policy.rules, *policy.all_exemptions(), *policy.consequences)]
    items += [(p.id, node) for p in policy.prerequisites for node in (p.applies, p.requires)]
    return [node for item, node in items if item in open_reads and node is not None]


def _with_bars(prerequisites: pl.Expr, bars: pl.Expr) -> pl.Expr:
    """A target's flat text (decisions.PromotionCheck.text): the prerequisites' text, `ok`
    replaced by, or other ids followed by, the penalties that bar it."""
    return (pl.when(bars == "").then(prerequisites)
            .when(prerequisites == "ok").then(bars)
            .otherwise(pl.concat_str([prerequisites, pl.lit(";"), bars])))


def _outcome_of(rule: P.Rule, exempted_by: P.Exemption | None) -> Outcome:
    """What the deciding rule, exempted or not, makes of a person (as interpret.decide)."""
    own = [c.short() for c in rule.cites]
    if exempted_by is not None:
        cites = own + [c.short() for c in exempted_by.cites if c.short() not in own]
        return Outcome("exempt", rule.id, exempted_by.code, "", ";".join(cites))
    return Outcome(rule.outcome, rule.id, "", rule.direction or "", ";".join(own))


def lookup(values: list, index: pl.Expr, dtype) -> pl.Expr:
    """``values[index]`` per row: a gather from a small table (several times faster than
    ``replace_strict`` on a million rows)."""
    return pl.lit(pl.Series(values, dtype=dtype)).gather(index)


_DIRECT = 1 << 20  # keys below this are numbered through a table of this size, not by hashing


def _integers(column: pl.Expr, dtype) -> pl.Expr:
    """A column as 64-bit integers: equal values, equal integers; missing stays missing."""
    if dtype == pl.Boolean or (dtype.is_integer() and dtype != pl.UInt64):
        return column.cast(pl.Int64)
    if dtype.is_temporal():
        return column.to_physical().cast(pl.Int64)
    if dtype == pl.String:
        return column.cast(pl.Categorical).to_physical().cast(pl.Int64)
    if dtype in (pl.Categorical, pl.Enum):
        return column.to_physical().cast(pl.Int64)
    return column.rank("dense").cast(pl.Int64)  # any other values, by their order


def _packed(table: pl.DataFrame) -> pl.DataFrame:
    """A table's rows as a few 62-bit integers, equal rows equal integers: each column coded
    in as many bits as its values need, the codes side by side. A yes/no column is one bit
    (two if some are missing); any other is 0 for missing or 1 + its distance from the
    column's least value."""
    coded: list[tuple[pl.Expr, int]] = []
    others = [n for n in table.columns if table.schema[n] != pl.Boolean]
    integers = {n: _integers(pl.col(n), table.schema[n]) for n in others}
    ranges = table.select(*(i.min().alias(f"{n}:min") for n, i in integers.items()),
                          *(i.max().alias(f"{n}:max") for n, i in integers.items())).row(0, named=True) \
        if integers else {}
    for name in table.columns:
        if name not in integers:
            missing = table[name].null_count() > 0
            coded.append((pl.col(name).cast(pl.Int64).fill_null(2), 2 if missing else 1))
            continue
        low, high = ranges[f"{name}:min"], ranges[f"{name}:max"]
        if low is None:  # missing in every row
            continue
        code, bits = (integers[name] - low + 1).fill_null(0), (high - low + 1).bit_length()
        if bits > 62:  # too wide a range: rank the values instead, at most one code per row
            code, bits = integers[name].rank("dense").cast(pl.Int64).fill_null(0), (len(table) + 1).bit_length()
        coded.append((code, bits))
    words, word, used = [], pl.lit(0, dtype=pl.Int64), 0
    for code, bits in coded:
        if used + bits > 62:
            words.append(word)
            word, used = pl.lit(0, dtype=pl.Int64), 0
        word = word + code * (1 << used)
        used += bits
    named = [w.alias(f"word{k}") for k, w in enumerate([*words, word])]
    return table.with_columns(named).select(w.meta.output_name() for w in named)  # constants: a row per row


def _lit(value, type_: T.Type) -> pl.Expr:
    if value is None:
        return pl.lit(None, dtype=_dtype(type_))
    if isinstance(value, (bool, int, float, dt.date)):
        return pl.lit(value)
    return pl.lit(str(value))  # codes and texts


def _dtype(type_: T.Type):
    if isinstance(type_, T.BoolType):
        return pl.Boolean
    if isinstance(type_, T.DateType):
        return pl.Date
    if isinstance(type_, T.NumberType):
        return pl.Float64
    return pl.Utf8


def _span(op: str, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    if op == "days_between":
        return (end - start).dt.total_days()
    # month and day are Int8 in polars: widen before arithmetic, or month * 100 overflows
    y1, m1, d1 = (start.dt.year().cast(pl.Int32), start.dt.month().cast(pl.Int32), start.dt.day().cast(pl.Int32))
    y2, m2, d2 = (end.dt.year().cast(pl.Int32), end.dt.month().cast(pl.Int32), end.dt.day().cast(pl.Int32))
    # ops.completed_months: a month is complete on the corresponding day, or the month's last day
    last = end.dt.month_end().dt.day().cast(pl.Int32)
    months = (y2 - y1) * 12 + m2 - m1 - (d2 < pl.min_horizontal(d1, last)).cast(pl.Int32)
    return months.floordiv(12) if op == "years_between" else months


def _switch(key: pl.Expr, cases: Mapping, dtype) -> pl.Expr:
    out = pl.lit(None, dtype=dtype)
    for k, v in reversed(list(cases.items())):
        out = pl.when(key == k).then(v).otherwise(out)
    return out


def decide_frame(policy: P.CheckedPolicy, frame: pl.DataFrame | pl.LazyFrame, *, as_of: dt.date,
                 params: Mapping[str, object] | None = None, fired: bool = False) -> pl.LazyFrame:
    """Decisions for every row of ``frame`` (teacher columns plus ``school.*`` columns), in
    row order, with the flat columns of ``decisions.ROW_COLUMNS``, ``uncertain`` (the empty
    fields that leave a status open; ``io.columnar.decided_with_uncertain`` adds the year-month
    dates) and ``fired``, if asked."""
    return plan_decider(policy, as_of=as_of, params=params, fired=fired)(frame)


def plan_decider(policy: P.CheckedPolicy, *, as_of: dt.date, params: Mapping[str, object] | None = None,
                 fired: bool = False) -> Callable[[pl.DataFrame | pl.LazyFrame], pl.LazyFrame]:
    """``decide_frame`` for any number of frames, its plan built once: building it is most of
    the cost of deciding a small frame (a service's batch)."""
    plan = Plan()
    variant = plan.variant(policy, as_of, policy.parameter_values(params))
    keys, decisions = plan.keys(variant, fired=fired), plan.decisions(fired=fired)
    return _PlanDecider(lambda frame: plan.apply(frame).select(pl.col("id").cast(pl.Utf8), *keys).select("id", *decisions),
                        frozenset().union(*decision_reads(policy).values()))


@attrs.frozen
class _PlanDecider:
    """``plan_decider``'s decider, with the fields its decisions read (``reads.decision_reads``):
    a value the roster leaves open in a field no decision reads need not be tried."""

    decide: Callable[[pl.DataFrame | pl.LazyFrame], pl.LazyFrame]
    reads: frozenset

    def __call__(self, frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
        return self.decide(frame)


def _with_missing_columns(lazy: pl.LazyFrame, policies: list[P.CheckedPolicy]) -> pl.LazyFrame:
    """A column the roster does not have reads as the reader would: yes/no false, else missing."""
    present = set(lazy.collect_schema().names())
    missing = {}
    for policy in policies:
        for table in (policy.teachers, policy.schools):
            for f in table.fields:
                name = column_name(table.name, f.name)
                if name not in present:
                    missing.setdefault(name, f)
    if not missing:
        return lazy
    return lazy.with_columns(pl.lit(False if isinstance(f.type, T.BoolType) else None, dtype=_column_dtype(f))
                             .alias(name) for name, f in missing.items())


def _column_dtype(field: S.Field):
    t = field.type
    if isinstance(t, T.NumberType):
        return pl.Float64
    return _dtype(t)


def frame_from_records(policy: P.CheckedPolicy, teachers: list[Mapping], schools: Mapping[str, Mapping]) -> pl.DataFrame:
    """One row per teacher with typed columns, the teacher's school joined as ``school.*``."""
    columns: dict[str, pl.Series] = {}
    for field in policy.teachers.fields:
        columns[field.name] = pl.Series(field.name, [t.get(field.name) for t in teachers],
                                        dtype=_column_dtype(field), strict=False)
    for field in policy.schools.fields:
        name = column_name("school", field.name)
        values = [schools.get(t.get("school_id"), {}).get(field.name) for t in teachers]
        columns[name] = pl.Series(name, values, dtype=_column_dtype(field), strict=False)
    return pl.DataFrame(columns)


def records_from_frame(policy: P.CheckedPolicy, frame: pl.DataFrame, fields: list[str] | None = None
                       ) -> tuple[list[dict], dict[str, dict]]:
    """``frame_from_records`` undone: the teachers as records (field -> typed value; only
    ``fields``, if given), and their schools by id, as the roster reader gives them (whole
    numbers as int), for what works record by record."""
    names = fields or [f.name for f in policy.teachers.fields]
    teachers = _records(frame, names, policy.teachers)
    school_columns = [column_name("school", f.name) for f in policy.schools.fields]
    distinct = frame.select(school_columns).unique(column_name("school", "school_id"), maintain_order=True)
    schools = _records(distinct.rename(lambda c: c.removeprefix(SCHOOL_PREFIX)), [f.name for f in policy.schools.fields],
                       policy.schools)
    return teachers, {school["school_id"]: school for school in schools}


def _records(frame: pl.DataFrame, names: list[str], table: S.Table) -> list[dict]:
    def values(name: str) -> list:
        column = frame[name].to_list()
        field = table.field(name)
        if field is not None and isinstance(field.type, T.NumberType):
            return [whole_as_int(v) for v in column]
        return column

    return [dict(zip(names, row)) for row in zip(*(values(n) for n in names))] if names else [{} for _ in range(len(frame))]
