"""Every evaluator answers alike on extreme constants: cut-off dates outside the calendar,
fractions, 29 February and missing values. The reference interpreter, the closures behind
``Policy.decide`` and the bulk (polars) evaluator each build the comparison of a span
(``age``, ``tenure``, ``years_between``) with a number from one rule, ``ops.SpanTest``; a
window ``within_last`` from ``ops.WindowTest``; a consequence's last day from
``semantics.effect_until``; and statutory retirement dates from ``legal_dates``."""

from __future__ import annotations

import datetime as dt

import pytest

from policylang.backends.closures import _Compiler, compile_decider
from policylang.backends.polars import Compiler, decide_frame, frame_from_records
from policylang.backends.reference import Evaluation, decide
from policylang.frontend import limits
from policylang.lang import ir
from policylang.lang import types as T
from policylang.lang.decisions import decision_from_row
from policylang.lang.legal_dates import RETIREMENT_SCHEDULE, DateOutOfRange, add_months_clamped, statutory_retirement_date
from policylang.lang.ops import SpanTest, completed_years

from .conftest import HEADER, compile_text, engine_row

AS_OF = dt.date(2025, 2, 28)
CONDITIONS = [
    "age at least 3000 years", "age at most 3000 years", "age > -3000 years", "age < -3000 years",
    "age >= 9999 years", "age = 40.5 years", "age != 40.5 years", "age = 25 years", "age != 25 years",
    "tenure >= 100000 years", "tenure < 100000 years", "tenure > 1.5 years", "tenure <= 1.5 years",
    "years_between(birth_date, 9999-12-31) >= 9000 years", "years_between(birth_date, 0001-01-01) < 5 years",
    "months_between(school_start, as_of) >= 1000000000000 months",
]
BIRTHS = [dt.date(2000, 2, 29), dt.date(2000, 2, 28), dt.date(1999, 3, 1), dt.date(1, 1, 1),
          dt.date(9999, 12, 31), None]


@pytest.fixture(autouse=True)
def _extreme_literals(monkeypatch):
    """The front end refuses these literals (docs/language.md, "Limits"); lifted here, since
    the evaluators must agree on extreme values all the same (a roster's dates, arithmetic)."""
    monkeypatch.setattr(limits, "MAX_INTEGER_DIGITS", 20)
    monkeypatch.setattr(limits, "MAX_DURATION", {})
    monkeypatch.setattr(limits, "MIN_DATE", dt.date.min)
    monkeypatch.setattr(limits, "MAX_DATE", dt.date.max)


def _three_ways(condition: str):
    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    teachers = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": birth,
                 "school_start": dt.date(2024, 8, 31), "work_start": dt.date(2020, 9, 1)}
                for i, birth in enumerate(BIRTHS)]
    schools = {"S1": {"school_id": "S1", "area": "urban"}}
    reference = [decide(policy, t, schools["S1"], as_of=AS_OF).status for t in teachers]
    decider = compile_decider(policy, AS_OF)
    closures = [decider(t, schools["S1"]).status for t in teachers]
    bulk = decide_frame(policy, frame_from_records(policy, teachers, schools), as_of=AS_OF).collect()["status"]
    return reference, closures, bulk.to_list()


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_evaluator_answers_alike_on_extreme_spans(condition):
    reference, closures, bulk = _three_ways(condition)
    assert reference == closures == bulk


def test_an_age_no_one_can_reach_is_not_eligible_in_every_evaluator():
    """The bulk evaluator used to crash: the cut-off date for 3000 years before 2025 is year -975."""
    assert _three_ways("age at least 3000 years") == (["not_eligible"] * len(BIRTHS),) * 3


@pytest.mark.parametrize("op", ["ge", "gt", "le", "lt", "eq", "ne"])
@pytest.mark.parametrize("n", [0, 1, 24, 25, 25.5, -1, 10**12, -10**12, float("inf"), float("-inf")])
def test_a_span_test_agrees_with_counting_completed_years(op, n):
    compare = {"ge": lambda a, b: a >= b, "gt": lambda a, b: a > b, "le": lambda a, b: a <= b,
               "lt": lambda a, b: a < b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}[op]
    test = SpanTest.of(op, AS_OF, n, 12)
    for birth in BIRTHS[:-1] + [AS_OF, dt.date(2024, 2, 29), dt.date(2024, 3, 1)]:
        assert test.holds(birth) == compare(completed_years(birth, AS_OF), n), birth


# ---- statutory retirement dates (the 2024 NPC Standing Committee decision) ---------------

def _step_births() -> list[dt.date]:
    """For every schedule (men 60, women 55, women 50): the first and the last birth month of
    each step of the delay, the month before the first step and the month after the last,
    each on its 1st and its last day; and births on 29 February in and around the transition."""
    births = set()
    for (year, month), step, cap in RETIREMENT_SCHEDULE.values():
        first = dt.date(year, month, 1)
        for k in range(cap + 1):
            for start in (add_months_clamped(first, step * k), add_months_clamped(first, step * k + step - 1)):
                last = add_months_clamped(start, 1) - dt.timedelta(days=1)
                births |= {start, last}
        births |= {first - dt.timedelta(days=1), add_months_clamped(first, -1)}  # the month before
    births |= {dt.date(y, 2, 29) for y in (1964, 1968, 1972, 1976, 1980, 1984, 1988, 2000)}
    births |= {dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(9939, 1, 1), dt.date(9940, 12, 31)}
    return sorted(births)


RETIREMENT_AS_OF = [dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 9, 1)]
PEOPLE = [(sex, category) for sex in ("M", "F") for category in (None, 55, 50, 55.0, 45)]


def _retirement_rows():
    return [{"id": f"T{i}", "school_id": "S1", "birth_date": birth, "sex": sex, "retirement_category": category,
             "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2020, 9, 1)}
            for i, (birth, (sex, category)) in enumerate((b, p) for b in _step_births() for p in PEOPLE)]


def _expected_retirement(row, as_of):
    sex, category = row["sex"], row["retirement_category"]
    if sex == "F" and category not in (None, 55, 50):
        return None
    try:
        return statutory_retirement_date(row["birth_date"], sex, category if sex == "F" else None, as_of)
    except ValueError:  # after 9999-12-31
        return None


@pytest.mark.parametrize("as_of", RETIREMENT_AS_OF)
def test_every_evaluator_computes_the_statutory_retirement_date_alike(as_of):
    """The first and last birth months of each step, 29 February births, both sexes, both
    women's categories (and an invalid one), before and after 2025-01-01, and births whose
    retirement falls outside the calendar: the interpreter, the closures and the bulk
    evaluator all give legal_dates' date."""
    policy, diagnostics = compile_text(HEADER + 'rule R-1 "测试" cite S when retirement_date is set then eligible\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    node = ir.DefRef(T.DATE, "retirement_date")
    rows = _retirement_rows()
    school = {"school_id": "S1"}
    params = policy.parameter_values(None)
    expected = [_expected_retirement(r, as_of) for r in rows]
    reference = [Evaluation(policy, r, school, as_of, params).value(node) for r in rows]
    closure = _Compiler(policy, as_of, params).expr(node)
    closures = [closure(r, school, {}) for r in rows]
    frame = frame_from_records(policy, rows, {"S1": school})
    bulk = frame.select(Compiler(policy, as_of, params).expr(node).alias("d"))["d"].to_list()
    assert reference == expected
    assert closures == expected
    assert bulk == expected
    assert len(set(expected)) > 500 and None in expected  # the grid reaches every step, and the calendar's end


def test_the_published_tables_at_their_ends():
    """附件1-3 of the decision: the first and the last step of each table."""
    first = statutory_retirement_date
    assert first(dt.date(1965, 1, 15), "M") == dt.date(2025, 2, 15)  # 60y1m
    assert first(dt.date(1965, 4, 30), "M") == dt.date(2025, 5, 30)
    assert first(dt.date(1976, 9, 1), "M") == dt.date(2039, 9, 1)  # 63
    assert first(dt.date(1970, 1, 1), "F") == dt.date(2025, 2, 1)  # 55y1m
    assert first(dt.date(1981, 9, 1), "F", 55) == dt.date(2039, 9, 1)  # 58
    assert first(dt.date(1975, 1, 1), "F", 50) == dt.date(2025, 2, 1)  # 50y1m
    assert first(dt.date(1984, 11, 1), "F", 50) == dt.date(2039, 11, 1)  # 55
    # 29 February: the age is reached on the corresponding day, or on the month's last day
    assert first(dt.date(1972, 2, 29), "F") == dt.date(2027, 9, 29)  # 55y7m
    assert first(dt.date(1984, 2, 29), "F") == dt.date(2042, 2, 28)  # 58
    assert first(dt.date(1988, 2, 29), "F", 50) == dt.date(2043, 2, 28)  # 55
    assert first(dt.date(1972, 2, 29), "F", as_of=dt.date(2024, 9, 1)) == dt.date(2027, 2, 28)  # the old 55


RETIREMENT_CONDITIONS = [  # against a fixed day (a cut-off of the birth date), and against a date per row
    "retirement_date at most as_of + 3 years", "retirement_date less than as_of + 5 years",
    "retirement_date <= as_of", "retirement_date > 2039-09-01", "retirement_date >= 2042-02-28",
    "retirement_date = 2028-09-01", "retirement_date != 2043-02-28", "9999-12-31 >= retirement_date",
    "retirement_date < 0001-01-02", "years_until(retirement_date) < 4 years",
    "retirement_date <= school_start + 40 years", "retirement_date is set",
]


@pytest.mark.parametrize("condition", RETIREMENT_CONDITIONS)
@pytest.mark.parametrize("as_of", [dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2028, 2, 29)])
def test_every_evaluator_decides_retirement_conditions_alike(condition, as_of):
    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    rows, school = _retirement_rows(), {"school_id": "S1"}
    reference = [decide(policy, r, school, as_of=as_of).status for r in rows]
    decider = compile_decider(policy, as_of)
    assert [decider(r, school).status for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=as_of).collect()["status"]
    assert bulk.to_list() == reference


# ---- windows "近N年内" and the periods of consequences (民法典 arts. 201-202) --------------

WINDOW_CONDITIONS = [
    "within_last(support_end, 2 years)", "within_last(support_end, 1 months)", "within_last(support_end, 30 days)",
    "within_last(support_end, 0 years)", "within_last(support_end, 1.5 years)",
    "within_last(support_end, 100000 years)", "within_last(support_end, 5000000 days)",
    "within_last(support_end, rural_years)", "not within_last(support_end, 3 years)",
    "not within_last(support_end, rural_years)",
]
WINDOW_AS_OF = [dt.date(2025, 2, 28), dt.date(2024, 2, 29), dt.date(2025, 3, 31), dt.date(9999, 12, 31),
                dt.date(1, 1, 1)]


def _events(as_of: dt.date) -> list[dt.date | None]:
    """Events around the reference date and around the corresponding days 1, 12, 18, 24 and
    36 months before it, 29 February, the calendar's ends and a missing date."""
    def around(d: dt.date) -> list[dt.date]:
        return [d + dt.timedelta(days=k) for k in (-1, 0, 1)] if dt.date.min < d < dt.date.max else [d]

    events = around(as_of)
    for months in (1, 12, 18, 24, 36):
        try:
            events += around(add_months_clamped(as_of, -months))
        except ValueError:  # before the calendar
            pass
    return events + [dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2023, 3, 1), dt.date(1, 1, 1),
                     dt.date(9999, 12, 31), None]


@pytest.mark.parametrize("condition", WINDOW_CONDITIONS)
@pytest.mark.parametrize("as_of", WINDOW_AS_OF)
def test_every_evaluator_reads_a_window_alike(condition, as_of):
    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "support_end": e,
             "rural_years": years, "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2020, 9, 1)}
            for i, (e, years) in enumerate((e, y) for e in _events(as_of) for y in (None, 0, 1, 1.5, 2, 10**5))]
    school = {"school_id": "S1"}
    reference = [decide(policy, r, school, as_of=as_of).status for r in rows]
    decider = compile_decider(policy, as_of)
    assert [decider(r, school).status for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=as_of).collect()["status"]
    assert bulk.to_list() == reference


def test_a_window_is_the_period_counted_from_the_event():
    """近两年内 at 2025-09-01 reaches back to 2023-09-01 (that period's last day is 2025-09-01);
    近一个月内 at 2025-03-31 starts on 2025-03-01, as 2025-02-28 + 1 month is 2025-03-28."""
    policy, _ = compile_text(HEADER + 'rule R-1 "测试" cite S when within_last(support_end, 2 years) then must_rotate\n'
                             'rule R-2 "测试" cite S when within_last(support_end, 1 months) then eligible\n')
    school = {"school_id": "S1"}

    def status(event, as_of):
        row = {"id": "T", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "support_end": event,
               "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2020, 9, 1)}
        return decide(policy, row, school, as_of=as_of).status

    assert status(dt.date(2023, 9, 1), dt.date(2025, 9, 1)) == "must_rotate"
    assert status(dt.date(2023, 8, 31), dt.date(2025, 9, 1)) == "not_eligible"
    assert status(dt.date(2025, 9, 2), dt.date(2025, 9, 1)) == "not_eligible"  # not yet
    assert status(dt.date(2025, 3, 1), dt.date(2025, 3, 31)) == "must_rotate"
    # 2025-02-28: outside the month, but inside the two years
    assert status(dt.date(2025, 2, 28), dt.date(2025, 3, 31)) == "must_rotate"


PENALTY_EVENTS = [dt.date(2023, 9, 1), dt.date(2023, 8, 31), dt.date(2024, 2, 29), dt.date(2023, 2, 28),
                  dt.date(2025, 9, 1), dt.date(2025, 9, 2), dt.date(1, 1, 1), dt.date(9999, 6, 1),
                  dt.date(9999, 12, 31), None]


@pytest.mark.parametrize("duration", ["3 years", "6 months", "30 days", "0 years", "1000000 years",
                                      "100000000 days"])
@pytest.mark.parametrize("as_of", [dt.date(2026, 9, 1), dt.date(2026, 9, 2), dt.date(2027, 2, 28),
                                   dt.date(2026, 2, 28), dt.date(9999, 12, 31)])
def test_every_evaluator_ends_a_penalty_on_the_same_last_day(duration, as_of):
    """`for N` is in force from the event's day through the period's last day, reported as
    `until`; a period ending after the calendar reports 9999-12-31."""
    policy, diagnostics = compile_text(HEADER + f'penalty P-1 "测试" cite S after refused_exchange '
                                                f'effect barred "不得评优" for {duration}\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "refused_exchange": e,
             "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2020, 9, 1)}
            for i, e in enumerate(PENALTY_EVENTS)]
    school = {"school_id": "S1"}
    reference = [engine_row(decide(policy, r, school, as_of=as_of)) for r in rows]
    decider = compile_decider(policy, as_of)
    assert [engine_row(decider(r, school)) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=as_of).collect().to_dicts()
    assert bulk == reference
    if duration == "3 years" and as_of == dt.date(2026, 9, 1):
        assert reference[0]["penalties"] == "P-1:barred:2026-09-01"  # the issue's example: in force that day
    if duration == "3 years" and as_of == dt.date(2026, 9, 2):
        assert reference[0]["penalties"] == ""  # and lifted the next


BARRING = """
prerequisite P-1 "城镇教师评高级须有农村任教经历" cite S for senior applies when school.area = urban
  requires rural_years at least 1 years
penalty X-1 "交流考核不合格：延后两年晋升" cite S
  after exchange_failed
  effect delayed "延后两年晋升高一级职务" for {duration} bars promotion
  effect no_award "不得申报优秀教师" for 3 years
penalty X-2 "拒绝交流：待聘" cite S
  after refused_exchange
  effect waiting "待聘" bars promotion senior, principal
prerequisite P-2 "任校长须有两校经历" cite S for principal requires schools_served at least 2
"""


@pytest.mark.parametrize("duration", ["2 years", "6 months", "1000000 years"])
@pytest.mark.parametrize("as_of", [dt.date(2025, 9, 1), dt.date(2025, 9, 2), dt.date(2024, 2, 29), dt.date(9999, 12, 31)])
def test_every_evaluator_bars_promotion_alike(duration, as_of):
    """A penalty in force whose effect `bars promotion` makes the promotion unmet, after the unmet
    prerequisites, naming the day it lifts (the day after its last day; none when open-ended or
    at the calendar's end); the same in all three evaluators and in the flat form."""
    policy, diagnostics = compile_text(HEADER + BARRING.format(duration=duration))
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    base = {"school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "school_start": dt.date(2010, 9, 1),
            "work_start": dt.date(2000, 9, 1), "title": "first", "post": "teacher", "schools_served": 1}
    rows = [dict(base, id=f"F{i}", exchange_failed=e) for i, e in enumerate(PENALTY_EVENTS)]
    rows += [dict(base, id="R", refused_exchange=dt.date(2020, 1, 1), rural_years=2),
             dict(base, id="RS", refused_exchange=dt.date(2020, 1, 1), title="senior"),
             dict(base, id="RP", refused_exchange=dt.date(2020, 1, 1), exchange_failed=dt.date(2023, 9, 1),
                  post="principal")]
    school = {"school_id": "S1", "area": "urban"}
    reference = [decide(policy, r, school, as_of=as_of) for r in rows]
    decider = compile_decider(policy, as_of)
    assert [decider(r, school) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=as_of).collect().to_dicts()
    assert bulk == [engine_row(d) for d in reference]
    assert [decision_from_row(row, as_of, {}).promotion for row in bulk] == [d.promotion for d in reference]
    flat = {d.id: d.to_row() for d in reference}
    if duration == "2 years" and as_of == dt.date(2025, 9, 1):
        # failed on 2023-09-01: in force through 2025-09-01, lifts 2025-09-02 (民法典 arts. 201-203)
        assert flat["F0"]["promotion_senior"] == "P-1;X-1:2025-09-02"
        assert flat["F0"]["promotion_principal"] == "P-2;X-1:2025-09-02"
        assert flat["F1"]["promotion_senior"] == "P-1"  # failed a day earlier: lifted on the day
        # open-ended 待聘 bars only senior and principal: a senior's next target is full_senior
        assert flat["R"]["promotion_senior"] == "X-2:"
        assert flat["RS"]["promotion_full_senior"] == "ok"
        assert flat["RP"]["promotion_senior"] == "P-1;X-1:2025-09-02;X-2:"
        assert flat["RP"]["promotion_principal"] == ""  # a principal is not checked for appointment
    if duration == "2 years" and as_of == dt.date(2025, 9, 2):
        assert flat["F0"]["promotion_senior"] == "P-1"


def test_only_a_penalty_bars_promotion_and_only_to_targets():
    for text, code in (('benefit B-1 "奖" cite S effect up "晋级" bars promotion\n', "T218"),
                       ('penalty X-1 "罚" cite S after refused_exchange effect e "x" bars promotion professor\n', "T219")):
        policy, diagnostics = compile_text(HEADER + text)
        assert policy is None and code in [d.code for d in diagnostics]


# ---- the SMT back end of `policylang verify`, on the same extremes --------------------------

# What the translation cannot give exactly, and refuses by name (docs/verify.md, "Limits").
SMT_UNSUPPORTED = {"within_last(support_end, rural_years)", "not within_last(support_end, rural_years)",
                   "retirement_date <= school_start + 40 years", "years_until(retirement_date) < 4 years"}


def _smt_rows(condition: str, as_of: dt.date, rows, school):
    from policylang.backends import smt

    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    reference = [decide(policy, r, school, as_of=as_of).to_row() for r in rows]
    try:
        solver = [smt.decide(policy, r, school, as_of=as_of).to_row() for r in rows]
    except smt.Unsupported:
        assert condition in SMT_UNSUPPORTED
        return
    assert condition not in SMT_UNSUPPORTED
    assert solver == reference


@pytest.mark.parametrize("condition", CONDITIONS)
def test_the_solver_answers_extreme_spans_as_the_interpreter(condition):
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": birth,
             "school_start": dt.date(2024, 8, 31), "work_start": dt.date(2020, 9, 1)} for i, birth in enumerate(BIRTHS)]
    _smt_rows(condition, AS_OF, rows, {"school_id": "S1", "area": "urban"})


@pytest.mark.parametrize("condition", WINDOW_CONDITIONS)
@pytest.mark.parametrize("as_of", WINDOW_AS_OF)
def test_the_solver_reads_a_window_as_the_interpreter(condition, as_of):
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "support_end": e,
             "rural_years": years, "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2020, 9, 1)}
            for i, (e, years) in enumerate((e, y) for e in _events(as_of) for y in (None, 1, 10**5))]
    _smt_rows(condition, as_of, rows, {"school_id": "S1"})


@pytest.mark.parametrize("condition", RETIREMENT_CONDITIONS)
def test_the_solver_decides_retirement_conditions_as_the_interpreter(condition):
    rows = _retirement_rows()[::7]  # every step's ends, both sexes and categories, in a sample
    for as_of in (dt.date(2024, 12, 31), dt.date(2025, 1, 1)):
        _smt_rows(condition, as_of, rows, {"school_id": "S1"})


DECLINING = """
rule R-1 "满6年" cite S when tenure at least 6 years then must_rotate
rule R-2 "超编富余学科" cite S when surplus_subject then must_rotate
rule R-3 "自愿" cite S when on_staff then eligible
exemption E-1 "患病的，可不参加交流" as illness cite S to all rules may decline when serious_illness
exemption E-2 "哺乳期本人申请可以暂缓" as nursing cite S to R-1 may decline when nursing
exemption E-3 "孕期原则上不作为交流对象" as pregnancy cite S to all rules when pregnant
precedence E-3 > E-1 > E-2
"""


def test_every_evaluator_lets_a_target_decline_alike():
    """`may decline` (可不参加、可暂缓) keeps the person a target, with the codes every must_rotate
    rule holding them lets them invoke; an exemption without it takes them out (不作为交流对象)."""
    policy, diagnostics = compile_text(HEADER + DECLINING)
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    base = {"school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "school_start": dt.date(2019, 9, 1),
            "work_start": dt.date(2000, 9, 1), "post": "teacher", "on_staff": True}
    cases = {  # id: (changes, status, may_decline)
        "plain": ({}, "must_rotate", ()),
        "ill": ({"serious_illness": True}, "must_rotate", ("illness",)),
        "ill_nursing": ({"serious_illness": True, "nursing": True}, "must_rotate", ("illness", "nursing")),
        "nursing": ({"nursing": True}, "must_rotate", ("nursing",)),
        # R-2 binds her too, and lets no nursing mother defer: she may not decline
        "nursing_surplus": ({"nursing": True, "surplus_subject": True}, "must_rotate", ()),
        "ill_surplus": ({"serious_illness": True, "surplus_subject": True}, "must_rotate", ("illness",)),
        "pregnant_ill": ({"pregnant": True, "serious_illness": True}, "exempt", ()),
        # a day short of 6 years: only the voluntary R-3; may_decline is for targets alone
        "short_ill": ({"school_start": dt.date(2019, 9, 2), "serious_illness": True}, "eligible", ()),
    }
    rows = [dict(base, id=name, **changes) for name, (changes, _, _) in cases.items()]
    school = {"school_id": "S1", "area": "urban"}
    reference = [decide(policy, r, school, as_of=AS_OF_DECLINE) for r in rows]
    assert [(d.status, d.may_decline) for d in reference] == [(s, m) for _, s, m in cases.values()]
    decider = compile_decider(policy, AS_OF_DECLINE)
    assert [decider(r, school) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=AS_OF_DECLINE).collect()
    assert bulk.to_dicts() == [engine_row(d) for d in reference]
    assert [decision_from_row(r, AS_OF_DECLINE, {}).may_decline for r in bulk.to_dicts()] == \
        [d.may_decline for d in reference]
    assert reference[2].to_json()["may_decline"] == ["illness", "nursing"]


AS_OF_DECLINE = dt.date(2025, 9, 1)


# ---- every operator of the IR, through every back end, on extreme values ------------------------

# At least one condition per operator (ir.Op), each with the extremes of its operands: dates at the
# calendar's ends and 29 February, huge and fractional numbers, missing values, ordered codes.
OPERATOR_CASES: dict[str, tuple[str, ...]] = {
    "eq": ("title = senior", "birth_date = 2000-02-29", "rural_years = 100000 years"),
    "ne": ("school.area != urban", "birth_date != 0001-01-01", "rural_years != 2.5 years"),
    "lt": ("title < first", "birth_date < 0001-01-02", "rural_years < 0.5 years"),
    "le": ("backbone <= county", "support_end <= 9999-12-31", "rural_years <= 0 years"),
    "gt": ("title > none", "birth_date > 9999-12-30", "rural_years > 99999 years"),
    "ge": ("title >= full_senior", "support_end >= 2025-02-28", "rural_years >= 100000 years"),
    "and": ("pregnant and rural_years > 1 years", "not pregnant and school.area = rural"),
    "or": ("pregnant or rural_years > 1 years", "pregnant or birth_date is empty"),
    "not": ("not pregnant", "not (rural_years > 1 years)"),
    "add": ("birth_date + 60 years > 2025-02-28", "birth_date + 1 months = 2000-03-29",
            "support_end + 1 days > 9999-12-30", "rural_years + 1 years > 2 years"),
    "sub": ("birth_date - 1 days < 0001-01-02", "support_end - 8000 years < 2000-01-01",
            "rural_years - 100000 years < 0 years"),
    "mul": ("rural_years * 2 > 3 years", "rural_years * 10% >= 1 years"),
    "div": ("rural_years / 3 > 1 years", "rural_years / 0.5 >= 5 years"),
    "neg": ("-rural_years < 0 years", "-rural_years >= -2.5 years"),
    "years_between": ("years_between(birth_date, 9999-12-31) >= 9000 years", "age >= 25 years"),
    "months_between": ("months_between(birth_date, as_of) > 12 months", "months_since(support_end) >= 0 months"),
    "days_between": ("days_between(birth_date, 2025-02-28) > 365 days", "days_since(support_end) < 1 days"),
    "min": ("min(rural_years, 3 years) >= 3 years", "min(rural_years, 100000 years, 2.5 years) = 2.5 years"),
    "max": ("max(rural_years, 3 years) > 3 years", "max(rural_years, 0 years) = 0 years"),
    "is_set": ("birth_date is set", "support_end is set and rural_years is set"),
    "is_empty": ("rural_years is empty", "title is empty"),
    "within_last": ("within_last(support_end, 3 years)", "within_last(birth_date, 30 years)"),
    "retirement_date": ("retirement_date <= 2025-02-28", "statutory_retirement_date(birth_date, sex, retirement_category) > as_of"),
    "if": ("(if pregnant then rural_years else 0 years) > 1 years", "(if title >= senior then 1 years else rural_years) >= 1 years"),
    "in": ("school.area in {urban, town}", "title in {senior, none}", "school.area not in {rural}"),
}
_EXTREME_ROWS = [
    {"sex": sex, "birth_date": birth, "rural_years": years, "pregnant": pregnant, "title": title, "backbone": backbone,
     "support_end": end, "school_id": school}
    for sex, birth, years, pregnant, title, backbone, end, school in zip(
        ("F", "M", "F", "M", "F", "M", "F", "M"),
        (dt.date(2000, 2, 29), dt.date(1, 1, 1), dt.date(9999, 12, 31), None, dt.date(1966, 2, 28),
         dt.date(1980, 3, 1), dt.date(2000, 2, 28), dt.date(1970, 6, 30)),
        (None, 0, 100000, 2.5, 1, 3, 99999.5, 0.25),
        (False, True, False, True, False, True, True, False),  # a yes/no is never empty: the reader reads no
        ("senior", "none", None, "full_senior", "first", "third", "senior", "second"),
        ("county", None, "national", "none", "school", "city", "province", "county"),
        (None, dt.date(9999, 12, 31), dt.date(2025, 2, 28), dt.date(1, 1, 1), dt.date(2022, 2, 28), None,
         dt.date(2025, 3, 1), dt.date(2000, 2, 29)),
        ("S1", "S2", "S3", "S1", "S2", "S3", "S1", "S2"))
]
_EXTREME_SCHOOLS = {"S1": {"school_id": "S1", "area": "urban"}, "S2": {"school_id": "S2", "area": "rural"},
                    "S3": {"school_id": "S3", "area": None}}


def test_every_operator_has_its_cases():
    """A new operator without cases here (or an operator the table of ops.py lacks) fails."""
    from policylang.lang.ops import OPERATORS

    assert set(OPERATOR_CASES) == set(ir.Op) == set(OPERATORS)


@pytest.mark.parametrize("condition", [c for cases in OPERATOR_CASES.values() for c in cases])
def test_every_back_end_applies_every_operator_alike(condition):
    from policylang.backends import smt

    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    teachers = [{"id": f"T{i}", "school_start": dt.date(2024, 8, 31), "work_start": dt.date(2020, 9, 1), **row}
                for i, row in enumerate(_EXTREME_ROWS)]
    school = lambda t: _EXTREME_SCHOOLS[t["school_id"]]  # noqa: E731

    def each(decide_one):  # a teacher's flat decision, or the calendar's refusal
        out = []
        for t in teachers:
            try:
                out.append(decide_one(t).to_row())
            except DateOutOfRange:
                out.append(DateOutOfRange)
        return out

    reference = each(lambda t: decide(policy, t, school(t), as_of=AS_OF))
    decider = compile_decider(policy, AS_OF)
    assert each(lambda t: decider(t, school(t))) == reference
    frame = frame_from_records(policy, teachers, _EXTREME_SCHOOLS)
    if DateOutOfRange in reference:  # the whole table is refused, not decided on a date no calendar has
        with pytest.raises(DateOutOfRange):
            decide_frame(policy, frame, as_of=AS_OF).collect()
    else:
        bulk = decide_frame(policy, frame, as_of=AS_OF).collect()
        assert [decision_from_row(r, AS_OF, {}).to_row() for r in bulk.to_dicts()] == reference
    if DateOutOfRange in reference:
        return  # the solver's dates are unbounded integers; the front end's limits keep a policy in the calendar
    try:
        solver = each(lambda t: smt.decide(policy, t, school(t), as_of=AS_OF))
    except smt.Unsupported:
        assert condition in SMT_UNSUPPORTED_OPERATORS
    else:
        assert solver == reference
        assert condition not in SMT_UNSUPPORTED_OPERATORS


# what the solver refuses by name (docs/verify.md, "Limits"): windows with a length it cannot bound
SMT_UNSUPPORTED_OPERATORS: set[str] = set()


def test_a_wrong_target_is_pointed_at_where_it_is_written():
    """R108 and T219 point at the name in `to` or `for`, not at the whole declaration."""
    text = HEADER + ("rule R-1 \"满六年\" cite S when tenure at least 6 years then must_rotate\n"
                     "prerequisite P-1 \"评高级\" cite S for senior, princpal requires rural_years at least 1 years\n"
                     "exemption E-1 \"孕期\" as pregnancy cite S to R-1, R-2, P-1 when pregnant\n")
    _, diagnostics = compile_text(text)
    lines = text.splitlines()
    found = sorted((d.code, lines[d.span.line - 1][d.span.column - 1:d.span.end_column - 1]) for d in diagnostics)
    assert found == [("R108", "P-1"), ("R108", "R-2"), ("T219", "princpal")]


def test_promotion_targets_are_written_in_chinese_as_the_decisions_name_them():
    """`for 高级教师`, `expect promotion 校长 ok` and `bars promotion 中级` were refused (T219, T209)
    where `then 须交流` and `direction 到农村学校` are taken: the targets as `fields` shows them."""
    from policylang.analyses.testing import run_tests

    text = HEADER + (
        "rule R-1 \"满六年\" cite S when tenure at least 6 years then must_rotate\n"
        "prerequisite P-1 \"评高级\" cite S for 高级教师, 校长 requires rural_years at least 1 years\n"
        "penalty X-1 \"拒绝交流\" cite S after refused_exchange effect e \"暂停\" for 1 years bars promotion 中级\n"
        + "".join(f"test \"{title}\"\n  teacher {{ sex: F, birth_date: 1985-01-01, work_start: 2008-09-01, "
                  f"school_start: 2015-09-01, title: {title}, rural_years: 0, refused_exchange: 2025-03-01 }}\n"
                  f"  school {{ school_id: \"S1\" }}\n{expect}" for title, expect in (
                      ("first", "  expect promotion 高级 unmet P-1\n  expect promotion 校长 unmet P-1\n"),
                      ("second", "  expect promotion 一级教师 unmet X-1\n"))))
    policy, diagnostics = compile_text(text)
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    [prerequisite], [penalty] = policy.prerequisites, policy.penalties
    assert prerequisite.targets == ("senior", "principal") and penalty.effects[0].bars == ("first",)
    results = run_tests(policy)
    assert len(results) == 2 and all(r.passed for r in results), [r.mismatches for r in results]
    _, wrong = compile_text(HEADER + "prerequisite P-1 \"评\" cite S for 副高 requires rural_years at least 1 years\n")
    [t219] = [d for d in wrong if d.code == "T219"]
    assert "一级教师（first）、高级教师（senior）、正高级教师（full_senior）、校长（principal）" in t219.help_zh


def test_a_penalty_follows_no_event_before_its_file_took_effect(tmp_path):
    """Not retroactive (立法法 art. 104): a refusal before the `effective` date of the file that
    declares the penalty triggers nothing; the base's penalties count from the base's date, the
    extending file's from its own. Alike in every evaluator."""
    import policylang
    from policylang.backends import smt

    (tmp_path / "province.pol").write_text(
        'policy "省"\n  effective 2006-08-01\n  as of 2025-09-01\nsource S "来源"\n'
        'penalty P-1 "拒绝交流：待聘" cite S\n  after refused_exchange\n  effect waiting "待聘"\n', encoding="utf-8")
    (tmp_path / "county.pol").write_text(
        'extends "province.pol"\npolicy "县"\n  effective 2014-09-01\nsource C "县"\n'
        'penalty C-1 "拒绝交流：二十年内不得评优" cite C\n  after refused_exchange\n  when sex = F\n'
        '  effect no_awards "不得评优" for 20 years\n', encoding="utf-8")
    policy = policylang.load(tmp_path / "county.pol").checked
    events = [dt.date(2005, 9, 1), dt.date(2006, 7, 31), dt.date(2006, 8, 1), dt.date(2014, 8, 31),
              dt.date(2014, 9, 1), dt.date(2023, 9, 1)]
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "refused_exchange": e,
             "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2000, 9, 1)} for i, e in enumerate(events)]
    school = {"school_id": "S1"}
    as_of = dt.date(2025, 9, 1)
    reference = [decide(policy, r, school, as_of=as_of) for r in rows]
    assert [[(c.rule, c.until) for c in d.penalties] for d in reference] == [
        [], [], [("P-1", None)], [("P-1", None)], [("P-1", None), ("C-1", dt.date(2034, 9, 1))],
        [("P-1", None), ("C-1", dt.date(2043, 9, 1))]]
    assert [compile_decider(policy, as_of)(r, school) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=as_of).collect().to_dicts()
    assert bulk == [engine_row(d) for d in reference]
    assert [smt.decide(policy, r, school, as_of=as_of).penalties for r in rows] == [d.penalties for d in reference]


def _versions_policy(tmp_path, county_effective: str, county_body: str):
    import policylang

    (tmp_path / "province.pol").write_text(
        'policy "省"\n  effective 2006-08-01\n  as of 2025-09-01\nsource S "来源"\n'
        'parameter refusal_years = 3 years\n'
        'penalty P-1 "拒绝交流：不得评优" cite S\n  after refused_exchange\n'
        '  effect no_awards "不得评优" for refusal_years bars promotion senior\n'
        'penalty P-2 "考核不合格：待聘" cite S\n  after exchange_failed\n  effect waiting "待聘" for 2 years\n',
        encoding="utf-8")
    (tmp_path / "county.pol").write_text(
        f'extends "province.pol"\npolicy "县"\n  effective {county_effective}\nsource C "县"\n' + county_body,
        encoding="utf-8")
    return policylang.load(tmp_path / "county.pol").checked


from policylang.lang.policy import version_file  # noqa: E402

_VERSION_EVENTS = [dt.date(2005, 9, 1), dt.date(2021, 9, 1), dt.date(2023, 6, 1), dt.date(2023, 12, 31),
                   dt.date(2024, 1, 1), dt.date(2024, 6, 1)]


def _decided_alike(policy, rows, school, as_of):
    from policylang.backends import smt

    reference = [decide(policy, r, school, as_of=as_of) for r in rows]
    assert [compile_decider(policy, as_of)(r, school) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=as_of).collect().to_dicts()
    assert bulk == [engine_row(d) for d in reference]
    assert [smt.decide(policy, r, school, as_of=as_of).penalties for r in rows] == [d.penalties for d in reference]
    return reference


@pytest.mark.parametrize("county_body", [
    # the county's own version of the penalty, five years
    'override penalty P-1 "拒绝交流：五年内不得评优" cite C\n  after refused_exchange\n'
    '  effect no_awards "五年内不得评优" for 5 years bars promotion senior\n',
    # the same through the parameter the province's penalty reads
    'override parameter refusal_years = 5 years "本县五年"\n',
])
def test_an_event_before_a_later_file_took_effect_is_judged_by_the_policy_then_in_force(tmp_path, county_body):
    """立法法 art. 104: a county file in force from 2024-01-01 that lengthens the province's
    penalty (by overriding it or the parameter it reads) judges a refusal of 2023 by the
    province's three years, not its own five, and not by nothing; under the same id, alike in
    every evaluator. A penalty it leaves as it was keeps one version."""
    policy = _versions_policy(tmp_path, "2024-01-01", county_body)
    assert [(c.id, version_file(c.version)) for c in policy.consequences] == [
        ("P-1", ""), ("P-2", ""), ("P-1", "province.pol")]
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "refused_exchange": e,
             "exchange_failed": e, "title": "first", "school_start": dt.date(2020, 9, 1),
             "work_start": dt.date(2000, 9, 1)} for i, e in enumerate(_VERSION_EVENTS)]
    reference = _decided_alike(policy, rows, {"school_id": "S1"}, dt.date(2025, 9, 1))
    assert [[(c.rule, c.until) for c in d.penalties if c.rule == "P-1"] for d in reference] == [
        [], [], [("P-1", dt.date(2026, 6, 1))], [("P-1", dt.date(2026, 12, 31))],
        [("P-1", dt.date(2029, 1, 1))], [("P-1", dt.date(2029, 6, 1))]]
    # a decision names an effect by id and name: one wording for both versions, the county's (L311 says so)
    assert {e.label for c in policy.consequences if c.id == "P-1" for e in c.effects} == {
        "五年内不得评优" if "override penalty" in county_body else "不得评优"}
    assert ("L311" in {d.code for d in policy.diagnostics}) is ("override penalty" in county_body)
    assert {c.label for d in reference for c in d.penalties if c.rule == "P-1"} <= {
        "五年内不得评优" if "override penalty" in county_body else "不得评优"}
    # the penalty left alone: one version, counted from the province's date
    assert [[c.rule for c in d.penalties if c.rule == "P-2"] for d in reference] == [[], [], [], ["P-2"], ["P-2"], ["P-2"]]
    # one bar of promotion, whichever version holds it back
    assert [[(b.rule, b.lifts) for p in d.promotion for b in p.barred] for d in reference] == [
        [], [], [("P-1", dt.date(2026, 6, 2))], [("P-1", dt.date(2027, 1, 1))],
        [("P-1", dt.date(2029, 1, 2))], [("P-1", dt.date(2029, 6, 2))]]


def test_a_county_penalty_needs_the_county_files_own_effective_date(tmp_path):
    """T228: a county file that adds a dated penalty but states no `effective` date would count
    refusals from the province's date (2006), years before the county wrote it; refused, naming
    the date it would take. With its own date it compiles, and counts from it; a file that
    adds no dated penalty may inherit the date."""
    import policylang
    from policylang.core.diagnostics import PolicyError

    penalty = ('penalty C-1 "拒绝交流：三年内考核不得优秀" cite C\n  after refused_exchange\n'
               '  effect no_excellent "考核不得优秀" for 3 years\n')
    _versions_policy(tmp_path, "2024-01-01", "")  # province.pol, effective 2006-08-01
    for effective, body, refused in (("", penalty, True), ("  effective 2024-01-01\n", penalty, False),
                                     ("", 'rule C-2 "县" cite C when tenure at least 5 years then must_rotate\n', False)):
        (tmp_path / "county.pol").write_text(f'extends "province.pol"\npolicy "县"\n{effective}source C "县"\n' + body,
                                             encoding="utf-8")
        if not refused:
            assert policylang.load(tmp_path / "county.pol").checked is not None
            continue
        with pytest.raises(PolicyError) as raised:
            policylang.load(tmp_path / "county.pol")
        (said,) = [d for d in raised.value.diagnostics if d.code == "T228"]
        assert "2006-08-01" in said.zh and "province.pol" in said.zh and "effective" in said.help_zh
        assert said.span.line == 5  # at the penalty's `after`


def test_versions_of_files_of_one_name_in_three_folders_stay_apart(tmp_path):
    """A province, a city and a county file each named rules.pol, each in force later: three
    versions of the penalty, each judging its own years, alike in every evaluator."""
    import policylang

    def write(folder, text):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rules.pol").write_text(text, encoding="utf-8")
    write("prov", 'policy "省"\n  effective 2006-08-01\n  as of 2025-09-01\nsource S "来源"\n'
                  'penalty P-1 "拒绝交流" cite S\n  after refused_exchange\n  effect no_awards "不得评优" for 1 year\n')
    for folder, base, date, years in (("city", "../prov/rules.pol", "2015-01-01", 2),
                                      ("county", "../city/rules.pol", "2024-01-01", 5)):
        write(folder, f'extends "{base}"\npolicy "{folder}"\n  effective {date}\nsource {folder.upper()} "来源"\n'
                      f'override penalty P-1 "拒绝交流" cite {folder.upper()}\n  after refused_exchange\n'
                      f'  effect no_awards "不得评优" for {years} years\n')
    policy = policylang.load(tmp_path / "county" / "rules.pol", root=tmp_path).checked
    assert len({c.key for c in policy.consequences}) == 3
    events = [dt.date(2014, 12, 31), dt.date(2015, 1, 1), dt.date(2023, 12, 31), dt.date(2024, 1, 1)]
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "refused_exchange": e,
             "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2000, 9, 1)} for i, e in enumerate(events)]
    reference = _decided_alike(policy, rows, {"school_id": "S1"}, dt.date(2015, 6, 1))
    assert [[c.until for c in d.penalties] for d in reference] == [[dt.date(2015, 12, 31)], [dt.date(2017, 1, 1)], [], []]
    reference = _decided_alike(policy, rows, {"school_id": "S1"}, dt.date(2025, 9, 1))
    assert [[c.until for c in d.penalties] for d in reference] == [[], [], [dt.date(2025, 12, 31)], [dt.date(2029, 1, 1)]]


def test_a_later_file_cannot_give_a_penalty_another_event_nor_be_judged_by_a_broken_base(tmp_path):
    """T226: one id following two events would hold twice at once; T227: the base as in force
    before the file cannot be read (an error this file's override hides), so its events cannot
    be judged by it. Both said, not left to decide as if nothing came before."""
    from policylang.frontend.pipeline import compile_source, read_source

    _versions_policy(tmp_path, "2024-01-01", "")
    (tmp_path / "other.pol").write_text(
        'extends "province.pol"\npolicy "县"\n  effective 2024-01-01\nsource C "县"\n'
        'override penalty P-1 "考核不合格" cite C\n  after exchange_failed\n  effect no_awards "不得评优" for 5 years\n',
        encoding="utf-8")
    _, said, _ = compile_source(read_source(tmp_path / "other.pol"))
    assert [(d.code, d.zh) for d in said if d.is_error] == [(
        "T226", "`P-1` 在本文件中由 `交流考核不合格日期` 触发，而在 `" + str(tmp_path / "province.pol") + "` 中由 "
        "`拒绝交流日期` 触发；本文件生效日期（2024-01-01）前的事件仍按后者判断")]
    (tmp_path / "broken.pol").write_text(
        'extends "province.pol"\npolicy "市"\n  effective 2015-01-01\n'
        'penalty P-9 "市" cite S\n  after exchange_failed\n  effect waiting "待聘" for wait_years\n', encoding="utf-8")
    (tmp_path / "fixed.pol").write_text(
        'extends "broken.pol"\npolicy "县"\n  effective 2024-01-01\n'
        'override penalty P-9 "市" cite S\n  after exchange_failed\n  effect waiting "待聘" for 2 years\n',
        encoding="utf-8")
    _, said, _ = compile_source(read_source(tmp_path / "fixed.pol"))
    assert [d.code for d in said if d.is_error] == ["T227"]


def test_a_repealed_penalty_and_a_file_in_force_from_its_base_s_day_keep_one_version(tmp_path):
    """从轻: a penalty the later file repeals follows no event, however early; a file in force
    from its base's own day has nothing earlier to judge by."""
    repealed = _versions_policy(tmp_path, "2024-01-01", 'repeal P-1 "本县不再适用"\n')
    assert [(c.id, c.version) for c in repealed.consequences] == [("P-2", "")]
    same_day = _versions_policy(tmp_path, "2006-08-01", 'override parameter refusal_years = 5 years "本县五年"\n')
    assert [(c.id, c.version) for c in same_day.consequences] == [("P-1", ""), ("P-2", "")]


@pytest.mark.parametrize("condition, expected", [
    ("rural_years + weak_years + mountain_years at least 5 years", [True, False, True]),
    ("rural_years + weak_years + mountain_years = 5 years", [True, False, False]),
    ("rural_years + weak_years + mountain_years more than 5 years", [False, False, True]),
    ("3 * rural_years at most 0.3 years", [True, True, False]),
    ("rural_years + weak_years + mountain_years in {5 years, 6 years}", [True, False, False]),
])
def test_every_evaluator_adds_a_roster_s_decimals_as_decimals(condition, expected):
    """0.1 + 4.6 + 0.3 is 5 (the float sum is 4.999999999999999); 4.999999 is not: numbers
    compare to ``ops.COMPARED_DECIMALS`` places, alike in every evaluator."""
    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    cells = [(0.1, 4.6, 0.3), (0.1, 4.6, 0.299999), (0.2, 4.6, 0.3)]
    rows = [{"id": f"T{i}", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "rural_years": r,
             "weak_years": w, "mountain_years": m, "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2000, 9, 1)}
            for i, (r, w, m) in enumerate(cells)]
    school = {"school_id": "S1"}
    reference = [decide(policy, r, school, as_of=AS_OF) for r in rows]
    assert [d.status == "must_rotate" for d in reference] == expected
    assert [compile_decider(policy, AS_OF)(r, school) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, {"S1": school}), as_of=AS_OF).collect().to_dicts()
    assert bulk == [engine_row(d) for d in reference]
    _smt_rows(condition, AS_OF, rows, school)


@pytest.mark.parametrize("condition", ["rural_years more than 0 years", "rural_years at least 0.000001 years",
                                       "school.students * 10 at most school.establishment * 10",
                                       "rural_years * 1000 = 0 years"])
def test_numbers_nearer_than_the_ninth_decimal_and_equal_infinities_compare_alike_in_every_evaluator(condition):
    """A plain threshold, not rounding (Python and polars round a halfway difference apart), and
    inf - inf (NaN) read as equal: the interpreter, the closures and the bulk engine agree."""
    policy, diagnostics = compile_text(HEADER + f'rule R-1 "测试" cite S when {condition} then must_rotate\n')
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    rows = [{"id": f"T{i}", "school_id": f"S{i}", "sex": "F", "birth_date": dt.date(1980, 1, 1), "rural_years": r,
             "school_start": dt.date(2020, 9, 1), "work_start": dt.date(2000, 9, 1)}
            for i, r in enumerate([0.0000000005, 0.000000001, 0.0000000015, 0.0])]
    schools = {f"S{i}": {"school_id": f"S{i}", "students": s, "establishment": e}
               for i, (s, e) in enumerate([(1e308, 1e308), (1e308, 1.0), (1.0, 1e308), (3.0, 3.0)])}
    reference = [decide(policy, r, schools[r["school_id"]], as_of=AS_OF) for r in rows]
    assert [compile_decider(policy, AS_OF)(r, schools[r["school_id"]]) for r in rows] == reference
    bulk = decide_frame(policy, frame_from_records(policy, rows, schools), as_of=AS_OF).collect().to_dicts()
    assert bulk == [engine_row(d) for d in reference]
