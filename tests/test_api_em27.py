"""An embedder's trial of the Python API (em27: a developer deciding an HR system's roster through
``evaluate_table``, ``decide`` and ``assuming``): what the API said to each mistake or odd input,
and what it says now. Each test fails without its fix."""

from __future__ import annotations

import warnings

import pytest

import policylang

from .conftest import POLICIES
from .test_api import SCHOOL, TEACHER


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


def test_a_fraction_in_a_record_is_the_number_it_is_as_in_a_parameter(policy):
    # `rural_years: Fraction(5, 2)` was "`5/2` is not a number" (R007), while `params=` and
    # `assuming` took a Fraction as the exact number it is
    import pandas as pd
    import polars as pl

    from fractions import Fraction

    half = dict(TEACHER, rural_years=Fraction(5, 2))
    as_float = policy.decide(dict(TEACHER, rural_years=2.5), SCHOOL)
    assert policy.decide(half, SCHOOL) == as_float
    assert policy.roster_from_records([half], [SCHOOL]).teachers[0].values["rural_years"] == 2.5
    expected = policy.evaluate_table([dict(TEACHER, rural_years=2.5)], [SCHOOL])
    for table in ([half], pd.DataFrame([half]), pl.DataFrame([half])):
        assert policy.evaluate_table(table, [SCHOOL]).equals(expected)
    assert policy.decide(dict(TEACHER, rural_years=Fraction(3)), SCHOOL) == \
        policy.decide(dict(TEACHER, rural_years=3), SCHOOL)
    # refused as a number of that value would be, saying why
    with pytest.raises(policylang.RosterError) as refused:
        policy.decide(dict(TEACHER, rural_years=Fraction(-1, 2)), SCHOOL)
    assert [p.code for p in refused.value.problems] == ["R017"]
    with pytest.raises(policylang.RosterError) as refused:
        policy.decide(dict(TEACHER, rural_years=Fraction(10 ** 400, 3)), SCHOOL)
    assert [p.code for p in refused.value.problems] == ["R007"]


def test_a_pandas_column_of_objects_of_several_kinds_is_read_cell_by_cell_not_refused(policy):
    # an HR export read with pandas (工号 numbers and text, dates beside text, True beside 是): Arrow
    # cannot hold such a column, and the whole table was refused (R015 "cannot be read as cells");
    # each record of it, given to decide, was decided
    import datetime

    import pandas as pd

    rows = [dict(TEACHER, id=1, birth_date=datetime.date(1978, 5, 1), teaching=True, 备注=3),
            dict(TEACHER, id="T2", birth_date="1979-02-01", teaching="否", 备注="已调出")]
    with pytest.warns(policylang.UnknownKeys) as said:
        table = policy.evaluate_table(pd.DataFrame(rows), [SCHOOL])
    assert table.equals(policy.evaluate_table(rows, [SCHOOL]))
    assert table["status"].to_list() == [policy.decide(r, SCHOOL).status for r in rows]
    assert [p.code for w in said for p in w.message.problems] == ["R012", "R051"]
    # a value no cell of the column reads is its row's problem, as in records
    with pytest.raises(policylang.RosterError) as refused:
        policy.evaluate_table(pd.DataFrame([rows[0], dict(rows[1], teaching="maybe")]), [SCHOOL])
    assert [(p.code, p.row) for p in refused.value.problems] == [("R008", 2)]


def test_the_api_given_the_wrong_kind_of_argument_says_so_with_a_code_not_a_bare_exception(policy, tmp_path):
    # each of these was pathlib's TypeError, an AttributeError ('NoneType' object has no attribute
    # 'collect' / 'valid_teachers' / 'checked' / 'strip'), a polars InvalidOperationError, or numpy's and
    # pandas's NaT decided at the policy's own date or failing to compare
    import datetime

    import numpy as np
    import pandas as pd
    import polars as pl

    from policylang import api

    roster = policy.roster_from_records([TEACHER], [SCHOOL])
    refused = {
        "read_roster": lambda: policy.read_roster(None, "examples/schools.csv"),
        "read_roster frame": lambda: policy.read_roster(pd.DataFrame([TEACHER]), "examples/schools.csv"),
        "stream_decisions": lambda: policy.stream_decisions("examples/teachers.csv", "examples/schools.csv", None),
        "roster_frame": lambda: policy.roster_frame([TEACHER]),
        "evaluate_frame None": lambda: policy.evaluate_frame(None),
        "evaluate_frame pandas": lambda: policy.evaluate_frame(pd.DataFrame([TEACHER])),
        "evaluate_frame untyped": lambda: policy.evaluate_frame(pl.DataFrame([TEACHER])),
        "quota_plans": lambda: policy.quota_plans([TEACHER]),
        "what_if": lambda: api.what_if(policy, policy, None),
        "carrying None": lambda: policy.carrying(None),
        "carrying a text": lambda: policy.carrying("备注"),  # would carry 备 and 注
        "evaluate_table Series": lambda: policy.evaluate_table(pd.Series(TEACHER), [SCHOOL]),
    }
    for name, call in refused.items():
        with pytest.raises(policylang.RosterError) as raised:
            call()
        [problem] = raised.value.problems
        assert problem.code == "R015" and problem.message_zh, name
    said = {
        "decide at NaT": (lambda: policy.decide(TEACHER, SCHOOL, as_of=pd.NaT), "T225"),
        "decide at numpy NaT": (lambda: policy.decide(TEACHER, SCHOOL, as_of=np.datetime64("NaT")), "T225"),
        "asked_by": (lambda: policy.asked_by("cli"), "T201"),
        "parse_parameter None": (lambda: policy.parse_parameter("age_cap_female", None), "T201"),
        "verify None": (lambda: api.verify(None), "P008"),
        "what_if None": (lambda: api.what_if(None, policy, policy.roster_frame(roster)), "P008"),
    }
    for name, (call, code) in said.items():
        with pytest.raises(policylang.PolicyError) as raised:
            call()
        assert [d.code for d in raised.value.diagnostics] == [code], name
    # a number, as params takes it, is the value it is
    assert policy.parse_parameter("age_cap_female", 45) == policy.parse_parameter("age_cap_female", "45 years")
    with pytest.raises(ValueError, match="chunk_rows"):
        policy.stream_decisions("examples/teachers.csv", "examples/schools.csv", tmp_path / "d.csv", chunk_rows=-1)
    assert policy.decide(TEACHER, SCHOOL, as_of=np.datetime64("2025-09-01")).as_of == datetime.date(2025, 9, 1)
