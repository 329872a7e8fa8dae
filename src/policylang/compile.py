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
import math
from collections.abc import Mapping

import polars as pl

from . import builtins as B
from . import ir
from . import policy as P
from . import schema as S
from . import types as T

SCHOOL_PREFIX = "school."

_COMPARE = {"eq": "__eq__", "ne": "__ne__", "lt": "__lt__", "le": "__le__", "gt": "__gt__", "ge": "__ge__"}
_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
_STRENGTH = {("must_rotate", False): 3, ("must_rotate", True): 2, ("eligible", False): 1, ("eligible", True): 0}
_STATUS = {3: "must_rotate", 2: "exempt", 1: "eligible", 0: "exempt"}
_UNIT_OFFSET = {"years": "y", "months": "mo", "days": "d"}


def column_name(table: str, field: str) -> str:
    return field if table == "teacher" else SCHOOL_PREFIX + field


class Compiler:
    def __init__(self, policy: P.CheckedPolicy, as_of: dt.date, params: Mapping[str, object]):
        self.policy = policy
        self.as_of = as_of
        self.params = params

    # ---- constant folding -------------------------------------------------
    def constant(self, node: ir.Node) -> tuple[bool, object]:
        """(True, value) when the node's value is the same for every row."""
        if isinstance(node, ir.Const):
            return True, node.value
        if isinstance(node, ir.ParamRef):
            return True, self.params[node.name]
        if isinstance(node, ir.AsOf):
            return True, self.as_of
        if isinstance(node, ir.DefRef):
            return self.constant(self.policy.definitions[node.name].expr)
        if isinstance(node, ir.Apply) and node.op not in ("if", "in"):
            values = [self.constant(a) for a in node.args]
            if all(ok for ok, _ in values):
                return True, B.apply_row(node.op, [v for _, v in values], [a.type for a in node.args])
        return False, None

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
            a, b = (self.expr(x) * 0.01 if x.type == T.PERCENT else self.expr(x) for x in args)
            return a * b
        if op == "div":
            right = self.expr(args[1])
            return pl.when(right == 0).then(None).otherwise(self.expr(args[0]) / right)
        if op == "neg":
            return -self.expr(args[0])
        if op in ("years_between", "months_between", "days_between"):
            return _span(op, self.expr(args[0]), self.expr(args[1]))
        if op in ("min", "max"):
            parts = [self.expr(a) for a in args]
            # the interpreter gives null if any argument is null
            folded = pl.min_horizontal(parts) if op == "min" else pl.max_horizontal(parts)
            any_null = pl.any_horizontal([p.is_null() for p in parts])
            return pl.when(any_null).then(None).otherwise(folded)
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
        if folded is None:
            folded = self._date_cutoff(_FLIP[op], right, left)
        if folded is not None:
            return folded
        if isinstance(right, ir.Apply) and right.op == "if":
            # x op (if c then a else b)  ->  if c then x op a else x op b, so each branch folds
            cond, a, b = right.args
            return pl.when(self.expr(cond)).then(self._compare(ir.Apply(T.BOOL, op, (left, a)))) \
                .otherwise(self._compare(ir.Apply(T.BOOL, op, (left, b))))
        if op in ("lt", "le", "gt", "ge"):
            l, r = self._ranked(left), self._ranked(right)
        else:
            l, r = self.expr(left), self.expr(right)
        return getattr(l, _COMPARE[op])(r)

    def _date_cutoff(self, op: str, left: ir.Node, right: ir.Node) -> pl.Expr | None:
        """`years_between(d, as_of) op N` as a comparison of `d` with a cut-off date."""
        if not (isinstance(left, ir.Apply) and left.op in ("years_between", "months_between")):
            return None
        start, end = left.args
        ok_end, end_value = self.constant(end)
        ok_n, n = self.constant(right)
        ok_start, _ = self.constant(start)
        if not ok_end or not ok_n or ok_start or end_value is None:
            return None
        d = self.expr(start)
        if n is None:
            return pl.lit(None, dtype=pl.Boolean)
        months = 12 if left.op == "years_between" else 1

        def reached(k: int) -> pl.Expr:  # completed units >= k  <=>  d <= end - k units
            return d <= pl.lit(B.add_months(end_value, -months * k))

        if op == "ge":
            return reached(math.ceil(n))
        if op == "gt":
            return reached(math.floor(n) + 1)
        if op == "le":
            return ~reached(math.floor(n) + 1)
        if op == "lt":
            return ~reached(math.ceil(n))
        if op == "eq":
            if n != int(n):
                return pl.when(d.is_null()).then(None).otherwise(pl.lit(False))
            return reached(int(n)) & ~reached(int(n) + 1)
        if op == "ne":
            if n != int(n):
                return pl.when(d.is_null()).then(None).otherwise(pl.lit(True))
            return ~(reached(int(n)) & ~reached(int(n) + 1))
        return None

    def _in(self, node: ir.Apply) -> pl.Expr:
        operand, items = node.args[0], node.args[1:]
        consts = [self.constant(i) for i in items]
        x = self.expr(operand)
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
            return self.expr(date).dt.offset_by(f"{sign * int(n)}{unit}")
        # an amount read per row: whole units only, truncated toward zero like the interpreter
        whole = self.expr(amount).cast(pl.Float64).cast(pl.Int64) * sign
        return self.expr(date).dt.offset_by(pl.format("{}" + unit, whole))

    def holds(self, node: ir.Node | None) -> pl.Expr:
        return pl.lit(True) if node is None else self.expr(node).fill_null(False)

    # ---- decisions ----------------------------------------------------------
    # Decisions are computed in stages of materialised columns (`with_columns`), so
    # each rule's condition is evaluated once however often its result is used.
    def stages(self) -> list[list[pl.Expr]]:
        policy = self.policy
        rules = policy.rules
        if not rules:
            return [self._empty_decision()]
        ex_index = {e.id: k for k, e in enumerate(policy.all_exemptions())}
        fired_and_exempted, strengths = [], []
        for i, rule in enumerate(rules):
            by = pl.lit(None, dtype=pl.Int32)
            for ex in reversed(policy.exemptions.get(rule.id, ())):
                by = pl.when(self.holds(ex.when)).then(pl.lit(ex_index[ex.id], dtype=pl.Int32)).otherwise(by)
            fired_and_exempted += [self.holds(rule.when).alias(f"__f{i}"), by.alias(f"__x{i}")]
            strengths.append(
                pl.when(pl.col(f"__f{i}"))
                .then(pl.when(pl.col(f"__x{i}").is_null()).then(_STRENGTH[(rule.outcome, False)])
                      .otherwise(_STRENGTH[(rule.outcome, True)]))
                .otherwise(-1).cast(pl.Int8).alias(f"__s{i}"))
        best = pl.max_horizontal([pl.col(f"__s{i}") for i in range(len(rules))]).alias("__best")
        chosen = pl.lit(None, dtype=pl.Int32)
        for i in reversed(range(len(rules))):
            chosen = pl.when(pl.col(f"__s{i}") == pl.col("__best")).then(pl.lit(i, dtype=pl.Int32)).otherwise(chosen)
        chosen = pl.when(pl.col("__best") >= 0).then(chosen).alias("__rule")
        exemption_id = _switch(pl.col("__rule"), {i: pl.col(f"__x{i}") for i in range(len(rules))}, pl.Int32)
        is_exempt = pl.col("__best").is_in([0, 2])
        return [
            fired_and_exempted,
            strengths,
            [best],
            [chosen],
            [pl.when(is_exempt).then(exemption_id).alias("__ex")],
            self._outputs(),
        ]

    def _outputs(self) -> list[pl.Expr]:
        """Final columns: small integer keys mapped to their strings in one lookup each."""
        policy = self.policy
        exemptions = policy.all_exemptions()
        n_ex = len(exemptions) + 1  # key 0: not exempted
        status = pl.col("__best").replace_strict({**_STATUS, -1: "not_eligible"}, default="not_eligible",
                                                 return_dtype=pl.Utf8)
        rule_key = pl.col("__rule").fill_null(-1)
        ex_key = pl.col("__ex").fill_null(-1) + 1
        rule_id = rule_key.replace_strict({-1: "", **{i: r.id for i, r in enumerate(policy.rules)}},
                                          return_dtype=pl.Utf8)
        code = ex_key.replace_strict({0: "", **{k + 1: e.code for k, e in enumerate(exemptions)}},
                                     return_dtype=pl.Utf8)
        direction = pl.when(ex_key == 0).then(
            rule_key.replace_strict({-1: "", **{i: r.direction or "" for i, r in enumerate(policy.rules)}},
                                    return_dtype=pl.Utf8)).otherwise(pl.lit(""))
        cites = {-1 * n_ex: ""}
        for i, r in enumerate(policy.rules):
            own = [c.short() for c in r.cites]
            cites[i * n_ex] = ";".join(own)
            for k, e in enumerate(exemptions):
                cites[i * n_ex + k + 1] = ";".join(own + [c.short() for c in e.cites if c.short() not in own])
        cite = (rule_key * n_ex + ex_key).replace_strict(cites, default="", return_dtype=pl.Utf8)
        return [
            status.alias("status"),
            rule_id.alias("rule"),
            code.alias("exemption"),
            direction.alias("direction"),
            *self._promotion_columns(),
            *self._consequence_columns(),
            cite.alias("cite"),
        ]

    def _empty_decision(self) -> list[pl.Expr]:
        return [pl.lit("not_eligible").alias("status"), pl.lit("").alias("rule"), pl.lit("").alias("exemption"),
                pl.lit("").alias("direction"), *self._promotion_columns(), *self._consequence_columns(),
                pl.lit("").alias("cite")]

    def _promotion_columns(self) -> list[pl.Expr]:
        order = S.TITLE_ORDER
        next_of = {}
        for i, title in enumerate(order):
            next_of[title] = next((t for t in order[i + 1:] if t in S.PROMOTION_TARGETS), None)
        next_target = pl.col("title").fill_null("none").replace_strict(next_of, default=None, return_dtype=pl.Utf8)
        has_principal = any("principal" in p.targets for p in self.policy.prerequisites)
        columns = []
        for target in S.PROMOTION_TARGETS:
            if target == "principal":
                applicable = pl.lit(has_principal) & (pl.col("post").fill_null("") != "principal")
            else:
                applicable = (next_target == target).fill_null(False)
            prereqs = [p for p in self.policy.prerequisites if target in p.targets]
            # unmet prerequisites as a bit mask, mapped to "ok" or the ids joined by ";"
            mask = pl.lit(0, dtype=pl.Int64)
            for bit, p in enumerate(prereqs):
                mask = mask + pl.when(self.holds(p.applies) & ~self.holds(p.requires)).then(1 << bit).otherwise(0)
            texts = {m: ";".join(p.id for bit, p in enumerate(prereqs) if m >> bit & 1) or "ok"
                     for m in range(1 << len(prereqs))}
            value = pl.when(applicable).then(mask.replace_strict(texts, return_dtype=pl.Utf8)).otherwise(pl.lit(""))
            columns.append(value.alias(f"promotion_{target}"))
        return columns

    def _consequence_columns(self) -> list[pl.Expr]:
        found: dict[str, list[pl.Expr]] = {"penalty": [], "benefit": []}
        as_of = pl.lit(self.as_of)
        for item in self.policy.consequences:
            if item.after is not None:
                event = self.expr(item.after)
                triggered = (event <= as_of).fill_null(False) & self.holds(item.when)
            else:
                event = None
                triggered = self.holds(item.when)
            for effect in item.effects:
                if effect.duration is not None:
                    n, unit = effect.duration
                    until = event.dt.offset_by(f"{n}{_UNIT_OFFSET[unit]}")
                    in_force = triggered & (as_of < until).fill_null(False)
                    until_text = until.dt.strftime("%Y-%m-%d")
                else:
                    in_force = triggered
                    until_text = pl.lit("")
                if item.kind == "penalty":
                    text = pl.concat_str([pl.lit(f"{item.id}:{effect.name}:"), until_text])
                else:
                    text = pl.lit(f"{item.id}:{effect.name}")
                found[item.kind].append(pl.when(in_force).then(text))
        return [
            (pl.concat_str(found[k], separator=";", ignore_nulls=True).fill_null("") if found[k] else pl.lit(""))
            .alias(column)
            for k, column in (("penalty", "penalties"), ("benefit", "benefits"))
        ]


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
    if op == "years_between":
        return y2 - y1 - ((m2 * 100 + d2) < (m1 * 100 + d1)).cast(pl.Int32)
    return (y2 - y1) * 12 + m2 - m1 - (d2 < d1).cast(pl.Int32)


def _switch(key: pl.Expr, cases: Mapping, dtype) -> pl.Expr:
    out = pl.lit(None, dtype=dtype)
    for k, v in reversed(list(cases.items())):
        out = pl.when(key == k).then(v).otherwise(out)
    return out


def decide_frame(policy: P.CheckedPolicy, frame: pl.DataFrame | pl.LazyFrame, *, as_of: dt.date | None = None,
                 params: Mapping[str, object] | None = None) -> pl.LazyFrame:
    """Decisions for every row of ``frame`` (teacher columns plus ``school.*`` columns), in
    row order, with the flat columns of ``decisions.ROW_COLUMNS``."""
    as_of = as_of or policy.as_of or dt.date.today()
    compiler = Compiler(policy, as_of, policy.parameter_values(params))
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    # a column the roster does not have reads as the reader would: yes/no false, else missing
    present = set(lazy.collect_schema().names())
    missing = [(column_name(table.name, f.name), f) for table in (policy.teachers, policy.schools)
               for f in table.fields if column_name(table.name, f.name) not in present]
    if missing:
        lazy = lazy.with_columns(pl.lit(False if isinstance(f.type, T.BoolType) else None, dtype=_column_dtype(f))
                                 .alias(name) for name, f in missing)
    *intermediate, outputs = compiler.stages()
    for stage in intermediate:
        lazy = lazy.with_columns(stage)
    return lazy.select(pl.col("id").cast(pl.Utf8), *outputs)


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
