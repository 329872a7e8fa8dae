"""The one table of operators: each entry's type rule and row implementation side by
side, so every evaluator agrees on what ``>=`` on dates or ``and`` with a missing
value means. The bulk evaluator adds its columnar implementation beside these.

Null semantics, defined here once:
- comparison, arithmetic, ``in`` and date functions: a missing operand gives missing;
- ``and``/``or``/``not``: Kleene three-valued logic (false and missing = false,
  true or missing = true);
- ``is set``/``is empty`` never give missing;
- ``if``: a missing condition takes the ``else`` branch;
- a rule whose condition is missing does not fire (the explanation says "unknown").
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs

from policylang.lang import ir
from policylang.lang import legal_dates as L
from policylang.lang import types as T

# Enums whose codes have an order, lowest first (``title >= senior``).
ORDERED_ENUMS: dict[str, tuple[str, ...]] = {
    "title": ("none", "third", "second", "first", "senior", "full_senior"),
    "backbone": ("none", "school", "county", "city", "province", "national"),
    "rating": ("unqualified", "basic", "qualified", "excellent"),
}

TypeRule = Callable[[Sequence[T.Type]], "T.Type | tuple[str, str, str]"]
# A type rule returns the result type, or (code, message_en, message_zh) on error.


@attrs.frozen
class Operator:
    name: str
    symbol: str  # how the pretty printer writes it
    arity: int | None  # None: variadic
    type_rule: TypeRule
    row: Callable[..., object]
    kleene: bool = False  # handles missing values itself


# ---- dates -----------------------------------------------------------------------


def completed_months(start: dt.date, end: dt.date) -> int:
    """Completed months from ``start`` to ``end``: a month is complete on its corresponding day,
    or on the month's last day when it has none (Civil Code art. 202: 31 January's first month
    is complete on the last day of February; a 29 February birth completes a year on 28 February
    in common years), the same day ``add_months`` moves a date to."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < min(start.day, calendar.monthrange(end.year, end.month)[1]):
        months -= 1
    return months


def completed_years(start: dt.date, end: dt.date) -> int:
    """Completed years from ``start`` to ``end`` (周岁, 满N年): the anniversary must have been
    reached (``completed_months``)."""
    return completed_months(start, end) // 12


SPAN_MONTHS = {"years_between": 12, "months_between": 1}  # months in one unit of each span
_SPAN_LIMIT = 10_000 * 12  # more units than lie between any two dates


def _reached(end: dt.date, units: int, months: int) -> dt.date | bool:
    """The latest start date with at least ``units`` completed units at ``end`` (``d`` has them
    when ``add_months(d, units)`` is on or before ``end``: ``completed_months``): the day as many
    months before ``end``, or that month's last day when ``end`` is its month's last day (on
    28 February 2025 a 29 February 2000 birth is 25); ``False`` when no date has them (the
    cut-off would fall before year 1), ``True`` when every date has (after year 9999)."""
    try:
        back = add_months(end, -months * units)
    except (ValueError, OverflowError):
        return units < 0
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        return back.replace(day=calendar.monthrange(back.year, back.month)[1])
    return back


@attrs.frozen
class SpanTest:
    """``years_between(d, end) op n`` (or ``months_between``) with ``end`` and ``n`` fixed,
    as a test of ``d`` alone: it holds when ``d <= reached`` and not ``d <= beyond``, the
    whole negated when ``negate``. A bound of ``True`` or ``False`` is a cut-off outside the
    calendar: every date, or no date, is on or before it. Every evaluator builds its cut-off
    comparison from this one rule, so none can disagree on a date out of range."""

    reached: dt.date | bool
    beyond: dt.date | bool
    negate: bool

    @staticmethod
    def of(op: str, end: dt.date, n, months: int) -> "SpanTest":
        """``n`` is a number (never missing); ``op`` one of ge, gt, le, lt, eq, ne."""
        if n != n:  # NaN: equal to nothing, and no count of units is at least it
            return SpanTest(False, False, op in ("ne", "le", "lt"))
        n = min(max(n, -_SPAN_LIMIT), _SPAN_LIMIT)  # also takes an infinity into the calendar
        if abs(n - round(n)) < NEAR:  # a whole count of units nearer than NEAR is equal to it (compared_numbers)
            n = round(n)
        n = Fraction(n)
        whole = n.denominator == 1
        low, high = math.floor(n), math.ceil(n)
        if op in ("eq", "ne") and not whole:  # completed units are whole: never equal to a fraction
            return SpanTest(False, False, op == "ne")
        k = {"ge": high, "gt": low + 1, "le": low + 1, "lt": high, "eq": low, "ne": low}[op]
        beyond = _reached(end, k + 1, months) if op in ("eq", "ne") else False
        return SpanTest(_reached(end, k, months), beyond, op in ("le", "lt", "ne"))

    @staticmethod
    def match(op: str, left: ir.Node, right: ir.Node,
              constant: Callable[[ir.Node], tuple[bool, object]]) -> "tuple[ir.Node, SpanTest | None] | None":
        """``left op right`` when it is ``years_between(d, end) op n`` (or ``months_between``)
        with ``end`` and ``n`` fixed and ``d`` not: ``(d, test)``, the test ``None`` when ``n`` is
        missing (so is the comparison). ``None`` for any other shape. ``constant`` is the
        evaluator's folding, ``(True, value)`` for a node fixed for every record."""
        if not (isinstance(left, ir.Apply) and left.op in SPAN_MONTHS):
            return None
        start, end = left.args
        ok_end, end_value = constant(end)
        ok_n, n = constant(right)
        ok_start, _ = constant(start)
        if not ok_end or not ok_n or ok_start or end_value is None:
            return None
        return start, None if n is None else SpanTest.of(op, end_value, n, SPAN_MONTHS[left.op])

    def holds(self, d: dt.date) -> bool:
        return (on_or_before(d, self.reached) and not on_or_before(d, self.beyond)) != self.negate


def on_or_before(d: dt.date, bound: dt.date | bool) -> bool:
    return bound if isinstance(bound, bool) else d <= bound


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day: the
    corresponding day of Civil Code art. 202 (``legal_dates.add_months_clamped``). Raises
    ``ValueError`` outside years 1..9999."""
    return L.add_months_clamped(day, months)


def shift_date(day: dt.date, amount, unit: str, sign: int = 1) -> dt.date:
    """``day`` moved by whole units: a fractional amount read from a roster (1.5 years)
    counts its whole units only (1 year), as completed years are counted."""
    n = int(Fraction(amount)) * sign
    if unit == "years":
        return add_months(day, 12 * n)
    if unit == "months":
        return add_months(day, n)
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        raise L.DateOutOfRange(f"{day.isoformat()} + {n} days is outside years 1..9999",
                               f"{day.isoformat()} 加 {n} 天超出 1—9999 年") from None


_UNITS_LIMIT = 10_000 * 366  # more days (so months, years) than lie between any two dates


def whole_units(amount) -> int | None:
    """A duration's whole units, as dates move (1.5 years counts 1 year); an infinity as
    more units than the calendar holds; None for NaN."""
    if amount != amount:
        return None
    if amount in (math.inf, -math.inf):
        return _UNITS_LIMIT if amount > 0 else -_UNITS_LIMIT
    return max(-_UNITS_LIMIT, min(_UNITS_LIMIT, int(Fraction(amount))))


# ---- periods of law (民法典 arts. 200-204, lang.legal_dates) -----------------------------


def period_last_day(event: dt.date, amount, unit: str) -> dt.date:
    """The last day of a period of ``amount`` ``unit`` counted from ``event``: the event's
    day is not counted (art. 201), so the last day is the corresponding day of the final
    month, or that month's last day when it has none (art. 202); for days, ``event`` +
    N days. A period ending after 9999-12-31 is given that day (it is in force on every
    later day of the calendar); a period of no length ends on the event's day."""
    n = max(whole_units(amount) or 0, 0)
    if n == 0:
        return event
    try:
        if unit == "days":
            return event + dt.timedelta(days=n)
        return L.period_last_day(event, months=12 * n if unit == "years" else n)
    except (ValueError, OverflowError):
        return dt.date.max


def within_last(event: dt.date, amount, unit: str, as_of: dt.date) -> bool | None:
    """``within_last(d, N years)`` (近N年内): whether ``event`` lies in the window of the last
    N years (months, days) ending on the reference date: the period of N units counted from
    the event, per arts. 201-202, is still running on ``as_of``. An event after ``as_of`` is
    not within; a window of no length holds nothing; a NaN length is missing."""
    n = whole_units(amount)
    if n is None:
        return None
    if n <= 0 or event > as_of:
        return False
    return as_of <= period_last_day(event, n, unit)


@attrs.frozen
class WindowTest:
    """``within_last(d, N)`` with the reference date and N fixed, as a test of ``d`` alone:
    ``first <= d <= last``. ``first`` None: no lower bound (the window reaches before the
    calendar); ``last`` None: nothing is within. Every evaluator's cut-off comes from here."""

    first: dt.date | None
    last: dt.date | None

    @staticmethod
    def of(as_of: dt.date, amount, unit: str) -> "WindowTest | None":
        """None when the length is NaN (every answer missing)."""
        n = whole_units(amount)
        if n is None:
            return None
        if n <= 0:
            return WindowTest(None, None)
        if unit == "days":
            try:
                return WindowTest(as_of - dt.timedelta(days=n), as_of)
            except OverflowError:
                return WindowTest(None, as_of)
        months = 12 * n if unit == "years" else n
        return WindowTest(L.window_first_day(as_of, months=min(months, 12 * 10_000)), as_of)

    def holds(self, d: dt.date) -> bool:
        return self.last is not None and d <= self.last and (self.first is None or self.first <= d)


# ---- statutory retirement (2024 NPC Standing Committee decision, lang.legal_dates) -------


def retirement_category(sex: str, category) -> int | None | bool:
    """The original retirement age a person's dates follow, as ``legal_dates`` takes it:
    None for a man (no category) or for a woman whose category is not given (read as 55,
    the contract's default for teachers); 55 or 50 as given; False for a woman with any
    other category (her retirement date is missing)."""
    if sex != "F" or category is None:
        return None
    return int(category) if category in (55, 50) else False


def retirement_date(birth: dt.date, sex: str, category, as_of: dt.date) -> dt.date | None:
    """法定退休日期: the day the person reaches the statutory retirement age under the law in
    force on ``as_of`` (``legal_dates.statutory_retirement_date``: the 2024 decision from
    2025-01-01, the old ages 60/55/50 before). Missing when the birth date or sex is, when a
    woman's category is neither 55 nor 50, or when the date falls after 9999-12-31."""
    if birth is None or sex is None:
        return None
    category = retirement_category(sex, category)
    if category is False:
        return None
    try:
        return L.statutory_retirement_date(birth, sex, category, as_of)
    except ValueError:
        return None


@attrs.frozen
class RetirementTest:
    """``retirement_date op C`` with ``C`` and the reference date fixed, as a test of the birth
    date for each original age (``legal_dates.latest_birth_retiring_by``): retirement dates rise
    with the birth date, so ``R <= C`` exactly when the birth is on or before a cut-off. Missing
    where ``retirement_date`` is: no birth date or sex, an invalid category, or a date after the
    calendar (a birth after ``valid``). The closures and the bulk evaluator both test this way;
    the interpreter computes the date (``retirement_date``) and compares it."""

    tests: tuple[tuple[int, SpanTest, dt.date | bool], ...]  # (original age, test of the birth, valid)

    @staticmethod
    def of(op: str, day: dt.date, as_of: dt.date) -> "RetirementTest":
        tests = []
        for age in L.RETIREMENT_SCHEDULE:
            sex, category = ("M", None) if age == 60 else ("F", age)

            def latest(d: dt.date | None) -> dt.date | bool:
                if d is None:
                    return False
                found = L.latest_birth_retiring_by(d, sex, category, as_of)
                return False if found is None else found

            by_day = latest(day)
            before = latest(day - dt.timedelta(days=1) if day > dt.date.min else None)
            reached, beyond, negate = {"le": (by_day, False, False), "lt": (before, False, False),
                                       "gt": (by_day, False, True), "ge": (before, False, True),
                                       "eq": (by_day, before, False), "ne": (by_day, before, True)}[op]
            tests.append((age, SpanTest(reached, beyond, negate), latest(dt.date.max)))
        return RetirementTest(tuple(tests))

    @staticmethod
    def match(op: str, left: ir.Node, right: ir.Node,
              constant: Callable[[ir.Node], tuple[bool, object]]) -> "tuple[ir.Apply, RetirementTest | None] | None":
        """``left op right`` when it is ``retirement_date(birth, sex, category, as_of) op day`` with
        ``day`` and ``as_of`` fixed: ``(the retirement_date node, test)``, the test ``None`` when
        ``day`` is missing (so is the comparison). ``None`` for any other shape."""
        if not (isinstance(left, ir.Apply) and left.op == "retirement_date"):
            return None
        ok_day, day = constant(right)
        ok_end, end = constant(left.args[3])
        if not ok_day or not ok_end or end is None:
            return None
        return left, None if day is None else RetirementTest.of(op, day, end)

    def holds(self, birth: dt.date | None, sex: str | None, category) -> bool | None:
        if birth is None or sex is None:
            return None
        category = retirement_category(sex, category)
        if category is False:
            return None
        age = L.original_age(sex, category)
        for original, test, valid in self.tests:
            if original == age:
                return test.holds(birth) if on_or_before(birth, valid) else None
        raise AssertionError(age)  # pragma: no cover - every original age has a test


# ---- type rules --------------------------------------------------------------------


def _err(code: str, en: str, zh: str):
    return (code, en, zh)


def _same_kind(a: T.Type, b: T.Type) -> bool:
    if isinstance(a, T.NumberType) and isinstance(b, T.NumberType):
        return a.unit == b.unit
    if isinstance(a, T.EnumType) and isinstance(b, T.EnumType):
        return a.name == b.name
    return type(a) is type(b)


def _mismatch(a: T.Type, b: T.Type):
    if isinstance(a, T.NumberType) and isinstance(b, T.NumberType):
        ua, ub = a.unit or "no unit", b.unit or "no unit"
        said = [t.describe("zh") if t.unit else "不带单位的数" for t in (a, b)]  # (6年 beside 6: the unit left out)
        return _err("T202", f"cannot compare a number in {ua} with a number in {ub}",
                    f"单位不一致：{said[0]}不能与{said[1]}比较或相加")
    return _err("T201", f"cannot combine a {a.describe()} with a {b.describe()}",
                f"类型不一致：{a.describe('zh')}与{b.describe('zh')}不能一起使用")


def _equality(types):
    a, b = types
    return T.BOOL if _same_kind(a, b) else _mismatch(a, b)


def _ordering(types):
    a, b = types
    if not _same_kind(a, b):
        return _mismatch(a, b)
    if isinstance(a, T.EnumType) and a.name not in ORDERED_ENUMS:
        return _err("T206", f"`{a.name}` codes have no order; compare with `=` or `in`",
                    f"`{a.name}` 的取值没有大小顺序，请用 `=` 或 `in` 比较")
    if isinstance(a, (T.BoolType, T.TextType)):
        return _err("T206", f"a {a.describe()} has no order", f"{a.describe('zh')}没有大小顺序")
    return T.BOOL


def _logic(types):
    for t in types:
        if not isinstance(t, T.BoolType):
            return _err("T203", f"expected a yes/no condition, found a {t.describe()}",
                        f"此处应为条件（是/否），实际为{t.describe('zh')}")
    return T.BOOL


def _add(types):
    a, b = types
    if isinstance(a, T.DateType) and isinstance(b, T.NumberType) and b.unit in ("years", "months", "days"):
        return T.DATE
    if isinstance(a, T.NumberType) and isinstance(b, T.NumberType):
        return a if a.unit == b.unit else _mismatch(a, b)
    return _err("T201", f"cannot add a {b.describe()} to a {a.describe()}",
                f"{a.describe('zh')}不能与{b.describe('zh')}相加减")


def _multiply(types):
    a, b = types
    if isinstance(a, T.NumberType) and isinstance(b, T.NumberType):
        if a.unit and b.unit and "percent" not in (a.unit, b.unit):
            return _err("T202", "cannot multiply two numbers that both have units",
                        "两个带单位的数不能相乘")
        units = [u for u in (a.unit, b.unit) if u and u != "percent"]
        return T.NumberType(units[0] if units else None)
    return _err("T201", f"cannot multiply a {a.describe()} by a {b.describe()}",
                f"{a.describe('zh')}不能与{b.describe('zh')}相乘")


def _divide(types):
    a, b = types
    if isinstance(a, T.NumberType) and isinstance(b, T.NumberType):
        if b.unit is None:
            return a
        return T.NUMBER if a.unit == b.unit else _mismatch(a, b)
    return _err("T201", f"cannot divide a {a.describe()} by a {b.describe()}",
                f"{a.describe('zh')}不能除以{b.describe('zh')}")


def _negate(types):
    (a,) = types
    if isinstance(a, T.NumberType):
        return a
    return _err("T201", f"cannot negate a {a.describe()}", f"{a.describe('zh')}不能取负")


def _date_span(unit: T.NumberType):
    def rule(types):
        for t in types:
            if not isinstance(t, T.DateType):
                return _err("T201", f"expected a date, found a {t.describe()}",
                            f"此处应为日期，实际为{t.describe('zh')}")
        return unit
    return rule


def _same_or_unit(types):
    first = types[0]
    for t in types[1:]:
        if not _same_kind(first, t):
            return _mismatch(first, t)
    if not isinstance(first, (T.NumberType, T.DateType)):
        return _err("T206", f"a {first.describe()} has no order", f"{first.describe('zh')}没有大小顺序")
    return first


def _if(types):
    cond, a, b = types
    if not isinstance(cond, T.BoolType):
        return _logic([cond])
    return a if _same_kind(a, b) else _mismatch(a, b)


def _is_set(types):
    return T.BOOL


def _window(types):
    event, length, as_of = types
    if not isinstance(event, T.DateType):
        return _err("T201", f"`within_last` takes a date first, found a {event.describe()}",
                    f"`within_last` 的第一个参数应为日期，实际为{event.describe('zh')}")
    if not (isinstance(length, T.NumberType) and length.unit in ("years", "months", "days")):
        return _err("T202", f"`within_last` takes a length in years, months or days, found a {length.describe()}",
                    f"`within_last` 的第二个参数应为以年、月或天计的期间，实际为{length.describe('zh')}")
    return T.BOOL


def _retirement(types):
    birth, sex, category, as_of = types
    if not isinstance(birth, T.DateType):
        return _err("T201", f"a retirement date is counted from a birth date, found a {birth.describe()}",
                    f"法定退休日期应按出生日期计算，实际为{birth.describe('zh')}")
    if not (isinstance(sex, T.EnumType) and sex.name == "sex"):
        return _err("T201", f"a retirement date needs the sex code, found a {sex.describe()}",
                    f"法定退休日期需要性别代码，实际为{sex.describe('zh')}")
    if not (isinstance(category, T.NumberType) and category.unit in (None, "years")):
        return _err("T201", f"the retirement category is a number (55 or 50), found a {category.describe()}",
                    f"退休类别应为数字（55 或 50），实际为{category.describe('zh')}")
    return T.DATE


# ---- row implementations -----------------------------------------------------


def _key(value, ordered: tuple[str, ...] | None):
    return ordered.index(value) if ordered is not None else value


def _and(*values):
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(*values):
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _not(value):
    return None if value is None else not value


def _plus(a, b):
    if isinstance(a, dt.date):
        raise TypeError("dates are shifted by `shift`")
    return a + b


def _div(a, b):
    # floating point, as the bulk evaluator's columns and the roster's numbers: 1 / 10 = 0.1
    return None if b == 0 else a / b


OPERATORS: dict[ir.Op, Operator] = {
    ir.Op(op.name): op
    for op in (
        Operator("eq", "=", 2, _equality, lambda a, b: a == b),
        Operator("ne", "!=", 2, _equality, lambda a, b: a != b),
        # lt/le/gt/ge get their enum order passed by the evaluator through `cmp_key`.
        Operator("lt", "<", 2, _ordering, lambda a, b: a < b),
        Operator("le", "<=", 2, _ordering, lambda a, b: a <= b),
        Operator("gt", ">", 2, _ordering, lambda a, b: a > b),
        Operator("ge", ">=", 2, _ordering, lambda a, b: a >= b),
        Operator("and", "and", None, _logic, _and, kleene=True),
        Operator("or", "or", None, _logic, _or, kleene=True),
        Operator("not", "not", 1, _logic, _not, kleene=True),
        Operator("add", "+", 2, _add, _plus),
        Operator("sub", "-", 2, _add, lambda a, b: a - b),
        Operator("mul", "*", 2, _multiply, lambda a, b: a * b),
        Operator("div", "/", 2, _divide, _div),
        Operator("neg", "-", 1, _negate, lambda a: -a),
        Operator("years_between", "years_between", 2, _date_span(T.YEARS), completed_years),
        Operator("months_between", "months_between", 2, _date_span(T.MONTHS), completed_months),
        Operator("days_between", "days_between", 2, _date_span(T.DAYS), lambda a, b: (b - a).days),
        Operator("min", "min", None, _same_or_unit, lambda *xs: min(xs)),
        Operator("max", "max", None, _same_or_unit, lambda *xs: max(xs)),
        Operator("is_set", "is set", 1, _is_set, lambda a: a is not None, kleene=True),
        Operator("is_empty", "is empty", 1, _is_set, lambda a: a is None, kleene=True),
        # within_last(d, N, as_of): the unit of N is passed by `apply_row`
        Operator("within_last", "within_last", 3, _window, within_last),
        # a woman's missing category has a meaning (55), so this one handles missing values itself
        Operator("retirement_date", "statutory_retirement_date", 4, _retirement, retirement_date, kleene=True),
        Operator("if", "if", 3, _if, None, kleene=True),  # lazy: evaluated by the evaluator
        Operator("in", "in", None, None, None),  # typed and evaluated as a chain of eq
    )
}

COMPARISONS = {"=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
ARITHMETIC = {"+": "add", "-": "sub", "*": "mul", "/": "div"}

# Functions a policy may call, with how many arguments; ``*_since(d)`` and
# ``*_until(d)`` measure from or to the reference date.
FUNCTIONS: dict[str, tuple[str, int | None, str | None]] = {
    # name: (operator, arity, reference-date position: "end", "start" or None)
    "years_since": ("years_between", 1, "end"),
    "months_since": ("months_between", 1, "end"),
    "days_since": ("days_between", 1, "end"),
    "years_until": ("years_between", 1, "start"),
    "months_until": ("months_between", 1, "start"),
    "years_between": ("years_between", 2, None),
    "months_between": ("months_between", 2, None),
    "days_between": ("days_between", 2, None),
    "min": ("min", None, None),
    "max": ("max", None, None),
    "within_last": ("within_last", 2, "end"),
    "statutory_retirement_date": ("retirement_date", 3, "end"),
}
FUNCTION_NAMES_ZH = {
    "years_since": "距今整年数", "months_since": "距今整月数", "days_since": "距今天数",
    "years_until": "距到期整年数", "months_until": "距到期整月数",
    "within_last": "近期之内", "statutory_retirement_date": "法定退休日期",
}


# Numbers compare as decimals to this many places, in every evaluator: a roster's 0.1 + 4.6 + 0.3
# is 5 (in floating point 4.999999999999999, which `at least 5 years` would refuse). Two numbers
# nearer than NEAR are equal; equal infinities too (inf - inf is NaN). A policy's numbers have at
# most 6 decimals and a roster's years are whole or halves: two that differ at all differ by more.
COMPARED_DECIMALS = 9
NEAR = 10.0 ** -COMPARED_DECIMALS
# ``a op b`` as a test of the difference ``a - b`` against the threshold: a plain threshold, not
# rounding (Python and polars round a difference halfway between two ninth decimals apart). Each
# test reads a Python number and a polars column alike (``backends.polars`` applies them).
DIFFERENCE_TESTS = {"eq": lambda d: abs(d) < NEAR, "ne": lambda d: abs(d) >= NEAR, "lt": lambda d: d <= -NEAR,
                    "le": lambda d: d < NEAR, "gt": lambda d: d >= NEAR, "ge": lambda d: d > -NEAR}


def compares_numbers(op: str, types: Sequence[T.Type]) -> bool:
    """Whether a comparison (or `in`, a chain of `=`) is of numbers, and so ``compared_numbers``."""
    return (op in DIFFERENCE_TESTS or op == "in") and all(isinstance(t, T.NumberType) for t in types)


def compared_numbers(op: str, a, b) -> bool:
    """``a op b`` for numbers (``DIFFERENCE_TESTS``); a NaN difference is of equal infinities."""
    difference = a - b
    return DIFFERENCE_TESTS[op](0 if difference != difference else difference)


def apply_row(op: str, args: list, arg_types: Sequence[T.Type]):
    """Apply an operator to row values with the null semantics above."""
    operator = OPERATORS[op]
    if not operator.kleene and any(a is None for a in args):
        return None
    if compares_numbers(op, arg_types):
        return compared_numbers(op, *args)
    if op in ("lt", "le", "gt", "ge"):
        t = arg_types[0]
        ordered = ORDERED_ENUMS.get(t.name) if isinstance(t, T.EnumType) else None
        args = [_key(a, ordered) for a in args]
    if op in ("add", "sub") and isinstance(args[0], dt.date):
        return shift_date(args[0], args[1], arg_types[1].unit, 1 if op == "add" else -1)
    if op == "within_last":
        return within_last(args[0], args[1], arg_types[1].unit, args[2])
    if op == "retirement_date" and (args[0] is None or args[1] is None or args[3] is None):
        return None
    if op == "mul" and isinstance(arg_types[0], T.NumberType):
        return share_product(args[0] * args[1], [t.unit for t in arg_types])
    return operator.row(*args)


def share_product(product, units: Sequence[str | None]):
    """A product with its percent operands read as shares: 10% * 30 = 10 * 30 / 100 = 3.
    Multiplied first and divided once per percent, so a whole result is exact; every
    evaluator does it in this order, so all round alike."""
    for unit in units:
        if unit == "percent":
            product = product / 100
    return product
