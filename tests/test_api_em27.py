"""An embedder's trial of the Python API (em27: a developer deciding an HR system's roster through
``evaluate_table``, ``decide`` and ``assuming``): what the API said to each mistake or odd input,
and what it says now. Each test fails without its fix."""

from __future__ import annotations

import warnings

import pytest

import policylang

from .conftest import POLICIES

TEACHER = {"id": "T1", "sex": "女", "birth_date": "1978-05-01", "school_id": "S1", "school_start": "2015-09-01",
           "work_start": "2000-09-01", "post": "教师", "post_start": "2015-09-01", "teaching": "是",
           "on_staff": "是", "title": "一级教师", "pregnant": "否", "rural_years": 0, "weak_years": 0,
           "schools_served": 1, "surplus_subject": "否"}
SCHOOL = {"school_id": "S1", "area": "城区", "stage": "小学", "staffing": "正常"}


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICIES / "fujian_pilot_district.pol")


def _said(call) -> list[tuple[str, str, tuple]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [(p.code, p.column, p.rows) for w in caught if isinstance(w.message, policylang.UnknownKeys)
            for p in w.message.problems]


@pytest.mark.parametrize("as_table", ["records", "polars", "pandas"])
def test_evaluate_table_says_a_note_nothing_reads_as_decide_eval_and_the_service_do(policy, as_table):
    # a roster's 备注 saying 已调出, or a column with no name holding it: decide (R042), eval and
    # the service (R042, R051) said the person is decided like the others; evaluate_table said
    # only R012 of 备注, and nothing at all of the nameless column
    import pandas as pd
    import polars as pl

    others = dict(TEACHER, id="T2")
    make = {"records": lambda rows: rows, "polars": pl.DataFrame,
            "pandas": lambda rows: pd.DataFrame(rows)}[as_table]
    noted = [dict(others, 备注=""), dict(TEACHER, 备注="已调出（2025年7月）")]
    assert _said(lambda: policy.evaluate_table(make(noted), [SCHOOL])) == [
        ("R012", "备注", ()), ("R051", "备注", (2,))]
    assert _said(lambda: policy.decide(noted[1], SCHOOL)) == [("R012", "备注", ()), ("R051", "备注", (1,))]
    # a carried 备注 (written beside the decisions) is no unknown column, and its note still said
    carried = policy.carrying(["备注"])
    assert _said(lambda: carried.evaluate_table(make(noted), [SCHOOL])) == [("R051", "备注", (2,))]
    # with strict, R012 is refused as before; a note alone is said, never refused
    assert _said(lambda: carried.evaluate_table(make(noted), [SCHOOL], strict=True)) == [("R051", "备注", (2,))]
    if as_table != "pandas":  # (pandas has no column named "")
        unheaded = [dict(others, **{"": None}), dict(TEACHER, **{"": "已退休"})]
        assert _said(lambda: policy.evaluate_table(make(unheaded), [SCHOOL])) == [("R042", "", (2,))]
        with pytest.raises(policylang.RosterError) as refused:
            policy.evaluate_table(make(unheaded), [SCHOOL], strict=True)
        assert [p.code for p in refused.value.problems] == ["R042"]
    # nothing to say of a table whose notes say no one has left
    assert _said(lambda: carried.evaluate_table(make([dict(TEACHER, 备注="骨干教师")]), [SCHOOL])) == []


@pytest.mark.parametrize("stated", [None, ""])
def test_a_value_stated_for_a_column_the_roster_has_is_quoted_as_the_caller_wrote_it(stated):
    # `assuming(support_end=None)` and the request's `"assume": {"support_end": null}` were quoted
    # as `{"support_end": ""}`, a text the caller never wrote (R025)
    import csv

    from starlette.testclient import TestClient

    from policylang.service.app import create_app

    from .conftest import EXAMPLES

    with open(EXAMPLES / "teachers.csv", encoding="utf-8") as f:
        teachers = list(csv.DictReader(f))[:3]
    with open(EXAMPLES / "schools.csv", encoding="utf-8") as f:
        schools = list(csv.DictReader(f))
    county = policylang.load(POLICIES / "county_exchange.pol")
    written = {None: ("None", "null"), "": ('""', '""')}[stated]
    [unused] = [w for w in county.assuming({"support_end": stated}).roster_from_records(teachers, schools).warnings
                if w.code == "R025"]
    assert unused.message("en").startswith(f'`Policy.assuming({{"support_end": {written[0]}}})` is not used')
    assert "Policy.assuming 声明的“支教结束时间=（空）”未被采用" in unused.message("zh")
    with TestClient(create_app(POLICIES)) as client:
        said = client.post("/v1/policies/county_exchange/decide",
                           json={"teachers": teachers, "schools": schools, "assume": {"support_end": stated}}).json()
    [unused] = [w["message"] for w in said["warnings"] if w["code"] == "R025"]
    assert unused["en"].startswith(f'the request\'s `"assume": {{"support_end": {written[1]}}}` is not used')
    # a value stated for a column the roster lacks is still told as a text, quoted
    [lacking] = county.roster_from_records([{k: v for k, v in t.items() if k != "support_end"} for t in teachers],
                                           schools).problems[:1]
    assert lacking.code == "R011" and '`Policy.assuming({"support_end": "…"})`' in lacking.message("en")
