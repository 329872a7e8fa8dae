"""An embedder's trial of the Python API (a county HR system's developer following
docs/api.md from an installed wheel): the mistakes such a developer makes, and what the API
answered them. Each test is a finding of that trial, failing before its fix."""

from __future__ import annotations

import warnings

import pytest

import policylang

from .conftest import POLICIES

TEACHER = {"id": "T1", "sex": "女", "birth_date": "1988-05-01", "school_id": "S1", "school_start": "2012-09-01",
           "work_start": "2010-09-01", "post": "教师", "post_start": "2012-09-01", "teaching": "是",
           "on_staff": "是", "title": "一级教师", "pregnant": "是", "rural_years": 0, "weak_years": 0,
           "schools_served": 1, "surplus_subject": "否"}
SCHOOL = {"school_id": "S1", "area": "城区", "stage": "小学", "staffing": "正常"}


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICIES / "fujian_pilot_district.pol")


@pytest.mark.parametrize("key", ["pregnant ", " pregnant", "\ufeffpregnant"])
def test_evaluate_table_does_not_warn_of_a_filled_column_whose_key_is_read_trimmed(policy, key):
    # BlankCells said `pregnant` was empty in every row, everyone read as no, beside a decision
    # that read 是 from it
    rows = [{(key if k == "pregnant" else k): v for k, v in TEACHER.items()}]
    with warnings.catch_warnings():
        warnings.simplefilter("error", policylang.BlankCells)
        table = policy.evaluate_table(rows, [SCHOOL], as_of="2025-09-01")
    assert table["exemption"].to_list() == ["pregnancy"]


def test_a_reference_date_is_taken_in_the_forms_the_service_takes_it(policy):
    # `as_of=20250901` (a date column of an HR database, as an int) was "not a date (YYYY-MM-DD,
    # 2025/9/1 or 2025年9月1日)", which the service's `as_of` takes, and `"2025.9.1"`, taken, was
    # not among the forms the message listed
    school = dict(SCHOOL)
    for as_of in (20250901, 20250901.0, "20250901", "2025.9.1"):
        assert policy.decide(TEACHER, school, as_of=as_of).as_of.isoformat() == "2025-09-01"
        assert policy.evaluate_table([TEACHER], [school], as_of=as_of)["status"].to_list() == ["exempt"]
    for wrong in (True, 2025, 202509):
        with pytest.raises(policylang.PolicyError) as raised:
            policy.decide(TEACHER, school, as_of=wrong)
        [said] = raised.value.diagnostics
        assert said.code == "T225" and "2025.9.1" in said.en and "20250901" in said.zh


def test_roster_from_records_reads_a_table_as_evaluate_table_does(policy):
    # `roster_from_records(df, schools_df)` (to use `explain` or `decide_each` on a frame) was
    # "the teacher record must map columns to values, not Series": a DataFrame iterated gives its
    # columns; and `evaluate_table(pl.scan_csv(...))` was "must be a list of records, not LazyFrame"
    import polars as pl

    from .conftest import EXAMPLES

    teachers, schools = pl.read_csv(EXAMPLES / "teachers.csv"), pl.read_csv(EXAMPLES / "schools.csv")
    roster = policy.roster_from_records(teachers, schools)
    assert not roster.problems and len(roster.teachers) == teachers.height
    by_records = policy.roster_from_records(teachers.to_dicts(), schools.to_dicts())
    assert [r.values for r in roster.teachers] == [r.values for r in by_records.teachers]
    assert [d.status for d in policy.decide_each(roster)] == [d.status for d in policy.evaluate(by_records)]
    lazy = policy.evaluate_table(pl.scan_csv(EXAMPLES / "teachers.csv"), pl.scan_csv(EXAMPLES / "schools.csv"))
    assert lazy.equals(policy.evaluate_table(teachers, schools))
    arrow = policy.roster_from_records(teachers.to_arrow(), schools.to_arrow())
    assert [r.values for r in arrow.teachers] == [r.values for r in roster.teachers]


def test_deciding_a_teacher_with_another_school_says_so(policy):
    # decide(teacher, school) with the school of the previous teacher in a loop was "school `S1`
    # is not in the schools table": one record was given, and no table
    other = dict(SCHOOL, school_id="S07")
    for call in (policy.decide, policy.explain):
        with pytest.raises(policylang.RosterError) as raised:
            call(TEACHER, other)
        [problem] = raised.value.problems
        assert (problem.code, problem.column, problem.value) == ("R005", "school_id", "S1")
        assert "the school given is `S07`, and the teacher's school_id is `S1`" in problem.message_en
        assert "给出的学校是“S07”" in problem.message_zh
    # the record's other problems are said beside it, as the roster reader says them
    with pytest.raises(policylang.RosterError) as raised:
        policy.decide(dict(TEACHER, sex="男性"), other)
    assert [p.code for p in raised.value.problems] == ["R003", "R005"]
    # the same id written otherwise is the same school
    assert policy.decide(dict(TEACHER, school_id=" S1"), SCHOOL).status == policy.decide(TEACHER, SCHOOL).status
    numbered = policy.decide(dict(TEACHER, school_id=7), dict(SCHOOL, school_id="7"))
    assert numbered.status == policy.decide(TEACHER, SCHOOL).status
