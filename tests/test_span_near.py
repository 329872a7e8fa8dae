"""A count of completed years (or months) compared with a number nearer a whole count than
``ops.NEAR`` is compared with that whole count, in every evaluator: the interpreter tests the
difference (``ops.compared_numbers``), and the compiled closures, the polars plan and the
verifier a cut-off date (``ops.SpanTest``). 6.000000000000001 years (0.1 years x 60 in floating
point) was 6 to the interpreter and more than 6 to the others, which then found a teacher of
exactly 6 years at the school under it (tests/test_closures.py's random policies found it with
1.4e-40 years against 0)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from policylang.backends.closures import compile_decider
from policylang.backends.polars import decide_frame
from policylang.backends.reference import decide
from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source

TEXT = '''policy "t"
  as of 2025-09-01
source S "s"
parameter P = 6 years
rule R-1 "r" cite S "R-1" when tenure {op} P then must_rotate
'''
AS_OF = dt.date(2025, 9, 1)
SCHOOL = {"school_id": "S1", "area": "urban", "stage": "primary", "staffing": "normal"}


def _teacher(years: int) -> dict:
    return {"id": "T1", "sex": "F", "birth_date": dt.date(1980, 3, 1), "school_id": "S1", "on_staff": True,
            "teaching": True, "post": "teacher", "school_start": dt.date(AS_OF.year - years, 9, 1),
            "work_start": dt.date(2000, 9, 1)}


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "=", "!="])
@pytest.mark.parametrize("p,years", [(0.1 * 60, 6), (6 - 1e-12, 6), (1.4e-40, 0), (1e-12, 0), (5.5, 5), (5.5, 6)])
def test_every_evaluator_compares_completed_years_alike(op, p, years):
    policy, diagnostics, _ = compile_source(Source("<t>", TEXT.format(op=op)))
    assert policy is not None, [(d.code, d.en) for d in diagnostics if d.is_error]
    teacher, params = _teacher(years), {"P": p}
    interpreted = [f.rule for f in decide(policy, teacher, SCHOOL, as_of=AS_OF, params=params).fired]
    compiled = [f.rule for f in compile_decider(policy, AS_OF, params)(teacher, SCHOOL).fired]
    row = pl.DataFrame([{**teacher, **{f"school.{k}": v for k, v in SCHOOL.items()}}])
    planned = decide_frame(policy, row.lazy(), as_of=AS_OF, params=params).collect()
    assert compiled == interpreted
    assert (planned["status"][0] == "must_rotate") == bool(interpreted)
    if p != 5.5:  # the whole count the number is nearer than NEAR to, exactly
        assert bool(interpreted) == {"<": False, "<=": True, ">": False, ">=": True, "=": True, "!=": False}[op]
