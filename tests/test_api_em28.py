"""The embedder's trial em28 (a program embedding the Python API beside a Java or .NET system
calling the service): what the API said otherwise than the service. Each test failed before its fix."""

from __future__ import annotations

import warnings

import pandas as pd
import polars as pl
import pytest

import policylang
from policylang.api import RosterError

from .test_api import SCHOOL, TEACHER
from .test_service import SCHOOLS, TEACHERS

DISTRICT = "policies/fujian_pilot_district.pol"


@pytest.fixture(scope="module")
def district():
    return policylang.load(DISTRICT)


def _said(call) -> tuple[object, dict[str, list]]:
    """What ``call()`` returns, and the problems of the warnings it gave, by warning class."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    said: dict[str, list] = {}
    for w in caught:
        said.setdefault(w.category.__name__, []).extend(getattr(w.message, "problems", ()))
    return result, said


def _swapped(records: list[dict], *at: int) -> list[dict]:
    """The records, those at ``at`` with 到校时间 and 参加工作时间 the wrong way round."""
    out = [dict(r) for r in records]
    for k in at:
        out[k]["school_start"], out[k]["work_start"] = out[k]["work_start"], out[k]["school_start"]
    return out


@pytest.fixture(scope="module")
def service_warnings():
    """What the service's decide says of a batch, for the API to say alike."""
    from starlette.testclient import TestClient

    from policylang.service.app import create_app

    with TestClient(create_app("policies")) as client:
        def said(teachers: list[dict]) -> list[dict]:
            answer = client.post("/v1/policies/fujian_pilot_district/decide", json={"teachers": teachers,
                                                                                   "schools": SCHOOLS})
            assert answer.status_code == 200, answer.text[:300]
            return answer.json()["warnings"]
        yield said


@pytest.mark.parametrize("kind", [list, pl.DataFrame, pd.DataFrame])
def test_evaluate_table_says_teachers_at_the_school_before_starting_work_as_the_service(district, service_warnings,
                                                                                       kind):
    """R050: the service said that the two dates of rows 2 and 3 look swapped (every tenure then
    counted from the first job); evaluate_table of the same records decided them without a word."""
    teachers = _swapped(TEACHERS[:6], 1, 2)
    table, said = _said(lambda: district.evaluate_table(kind(teachers), SCHOOLS))
    expected = [w for w in service_warnings(teachers) if w["code"] == "R050"]
    assert [(p.code, p.rows, p.count, p.message_en, p.message_zh) for p in said["ValuesToCheck"]] == \
        [("R050", tuple(w["rows"]), w["count"], w["message"]["en"], w["message"]["zh"]) for w in expected]
    assert table.height == 6 and "UnknownKeys" not in said
    _, quiet = _said(lambda: district.evaluate_table(kind(TEACHERS[:6]), SCHOOLS))
    assert "ValuesToCheck" not in quiet


def test_decide_says_a_teacher_at_the_school_before_starting_work_and_decides_as_before(district):
    early = dict(TEACHER, school_start="1999-09-01", work_start="2000-09-01")
    decision, said = _said(lambda: district.decide(early, SCHOOL))
    assert [(p.code, p.rows) for p in said["ValuesToCheck"]] == [("R050", (1,))]
    assert "是否把两列填反了" in said["ValuesToCheck"][0].message_zh
    roster = district.roster_from_records([early], [SCHOOL])
    assert decision == district.evaluate(roster, engine="reference")[0]  # (read by the roster reader: the same)
    explained, said = _said(lambda: district.explain(early, SCHOOL))
    assert explained.decision == decision and [p.code for p in said["ValuesToCheck"]] == ["R050"]
    # a start at the school in the month one started work is no earlier month: nothing to say, as the readers
    same_month = dict(TEACHER, school_start="2000-09-01", work_start="2000-09-15")
    _, quiet = _said(lambda: district.decide(same_month, SCHOOL))
    assert quiet == {}


def test_a_note_that_someone_left_is_said_by_decide_and_evaluate_table_as_by_the_service(district, service_warnings):
    """R051 (备注 已调出): said by all three, in the same words."""
    teachers = [dict(t, 备注="已调出" if k == 1 else "") for k, t in enumerate(TEACHERS[:4])]
    expected = [(w["message"]["en"], w["message"]["zh"]) for w in service_warnings(teachers) if w["code"] == "R051"]
    _, said = _said(lambda: district.evaluate_table(teachers, SCHOOLS))
    assert [(p.message_en, p.message_zh) for p in said["UnknownKeys"] if p.code == "R051"] == expected
    one = {r["school_id"]: r for r in SCHOOLS}[teachers[1]["school_id"]]
    _, said = _said(lambda: district.decide(teachers[1], one))
    assert [p.code for p in said["UnknownKeys"]] == ["R012", "R051"]


def test_a_record_with_problems_is_refused_not_warned_of(district):
    """The warning comes with decisions, as the service's does with its answer; a record refused
    says its problems alone."""
    early = dict(TEACHER, school_start="1999-09-01", work_start="2000-09-01", sex="?")
    for call in (lambda: district.evaluate_table([early], [SCHOOL]), lambda: district.decide(early, SCHOOL)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(RosterError) as refused:
                call()
        assert [p.code for p in refused.value.problems] == ["R003"]
        assert not [w for w in caught if w.category is policylang.ValuesToCheck]
