"""Every evaluator answers alike on extreme constants: cut-off dates outside the calendar,
fractions, 29 February and missing values. The reference interpreter, the closures behind
``Policy.decide`` and the bulk (polars) evaluator each build the comparison of a span
(``age``, ``tenure``, ``years_between``) with a number from one rule, ``ops.SpanTest``."""

from __future__ import annotations

import datetime as dt

import pytest

from policylang.backends.closures import compile_decider
from policylang.backends.polars import decide_frame, frame_from_records
from policylang.backends.reference import decide
from policylang.lang.ops import SpanTest, completed_years

from .conftest import HEADER, compile_text

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
