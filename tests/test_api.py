"""The embedding API as a newcomer meets it (docs/api.md): what every way of deciding gives,
the same values accepted wherever the API takes them, and errors in the API's own words."""

from __future__ import annotations

import datetime as dt

import pytest

import policylang

DISTRICT = "policies/fujian_pilot_district.pol"
TEACHER = {"id": "T1", "sex": "女", "birth_date": "1978-05-01", "school_id": "S1", "school_start": "2015-09-01",
           "work_start": "2000-09-01", "post": "教师", "post_start": "2015-09-01", "teaching": "是",
           "on_staff": "是", "title": "一级教师", "pregnant": "否", "rural_years": 0, "weak_years": 0,
           "schools_served": 1, "surplus_subject": "否"}
SCHOOL = {"school_id": "S1", "area": "城区", "stage": "小学", "staffing": "正常"}


@pytest.fixture(scope="module")
def district():
    return policylang.load(DISTRICT)


def test_a_datetime_reference_date_is_taken_as_its_day(district):
    noon, day = dt.datetime(2025, 9, 1, 12), dt.date(2025, 9, 1)
    assert district.decide(TEACHER, SCHOOL, as_of=noon) == district.decide(TEACHER, SCHOOL, as_of=day)
    assert district.decide(TEACHER, SCHOOL, as_of=noon).as_of == day
    assert district.explain(TEACHER, SCHOOL, as_of=noon).as_of == day
    roster = district.roster_from_records([TEACHER], [SCHOOL])
    assert district.evaluate(roster, as_of=noon) == district.evaluate(roster, as_of=day)
    assert district.evaluate_table([TEACHER], [SCHOOL], as_of=noon).equals(
        district.evaluate_table([TEACHER], [SCHOOL], as_of=day))


def test_a_table_of_decisions_and_a_flat_decision_carry_uncertain_and_assumptions(district):
    """Every output has the decision fields `uncertain` and `assumptions`: evaluate_table and
    to_row as the CLI's decisions file writes them (joined by `;`)."""
    import polars as pl

    lenient = district.assuming({"孕期": "否"})
    by_month = TEACHER | {"id": "T2", "birth_date": "1974.03"}
    without = {k: v for k, v in by_month.items() if k != "pregnant"}
    as_of = dt.date(2025, 3, 15)
    decisions = lenient.evaluate(lenient.roster_from_records([without], [SCHOOL]), as_of=as_of)
    assert (decisions[0].uncertain, decisions[0].assumptions) == (("birth_date",), ("pregnant=false",))
    row = decisions[0].to_row()
    assert (row["uncertain"], row["assumptions"]) == ("birth_date", "pregnant=false")
    texts = pl.DataFrame([{k: str(v) for k, v in without.items()}])
    for teachers in ([without], texts):  # records read row by row; a table of text read column by column
        table = lenient.evaluate_table(teachers, [SCHOOL], as_of=as_of)
        assert table.to_dicts() == [row]
        assert lenient.evaluate_table(teachers, [SCHOOL], as_of=as_of, fired=True).to_dicts() == \
            [decisions[0].to_row(fired=True)]
    assert district.evaluate_table([TEACHER], [SCHOOL]).select("uncertain", "assumptions").row(0) == ("", "")


@pytest.mark.parametrize("form", ["usual", "unusual"])  # read by the one-record reader, or by the roster reader
def test_one_person_decided_lists_the_values_stated_for_the_columns_their_record_lacks(district, form):
    lenient = district.assuming({"孕期": "否", "school.staffing": "normal"})
    teacher = TEACHER if form == "usual" else TEACHER | {"sex": " 女 "}
    without = {k: v for k, v in teacher.items() if k != "pregnant"}
    school = {k: v for k, v in SCHOOL.items() if k != "staffing"}
    for t, s, expected in ((without, SCHOOL, ("pregnant=false",)), (teacher, school, ("staffing=normal",)),
                           (without, school, ("pregnant=false", "staffing=normal")), (teacher, SCHOOL, ())):
        evaluated = lenient.evaluate(lenient.roster_from_records([t], [s]))[0]
        assert evaluated.assumptions == expected
        assert lenient.decide(t, s) == evaluated
        assert lenient.explain(t, s).decision == evaluated


@pytest.mark.parametrize("value", [-5, -0.5, "-5", "-5 years", " - 5 years"])
def test_a_negative_parameter_is_refused_naming_it(district, value):
    with pytest.raises(policylang.PolicyError) as raised:
        district.decide(TEACHER, SCHOOL, params={"age_cap_female": value})
    [problem] = raised.value.diagnostics
    shown = "-0.5" if value == -0.5 else "-5"
    assert (problem.code, problem.en, problem.zh) == (
        "T223", f"parameter `age_cap_female` cannot be negative ({shown} years)",
        f"参数 `age_cap_female` 不能为负数（{shown}年）")


def test_a_negative_count_is_refused_and_zero_is_not(district):
    with pytest.raises(policylang.PolicyError, match="`principal_schools` cannot be negative \\(-1\\)"):
        district.decide(TEACHER, SCHOOL, params={"principal_schools": -1})
    assert district.decide(TEACHER, SCHOOL, params={"principal_schools": "-0"}) == \
        district.decide(TEACHER, SCHOOL, params={"principal_schools": 0})


@pytest.mark.parametrize("lang, said", [
    ("en", "--set age_cap_female=-5: parameter `age_cap_female` cannot be negative (-5 years)"),
    ("zh", "--set age_cap_female=-5: 参数 `age_cap_female` 不能为负数（-5年）")])
def test_a_negative_value_set_on_the_command_line_is_refused_naming_it_not_as_a_syntax_error(lang, said):
    from click.testing import CliRunner

    from policylang.cli import cli

    result = CliRunner().invoke(cli, ["eval", DISTRICT, "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--set", "age_cap_female=-5", "--lang", lang])
    assert result.exit_code == 2 and said in result.stderr and "unexpected" not in result.stderr


def test_no_records_are_no_teachers_not_a_roster_lacking_every_column(district):
    import polars as pl

    roster = district.roster_from_records([], [SCHOOL])
    assert (roster.problems, district.evaluate(roster), district.decide_each(roster)) == ((), [], [])
    decided = district.decide(TEACHER, SCHOOL).to_row(fired=True)
    for teachers in ([], pl.DataFrame()):
        table = district.evaluate_table(teachers, [SCHOOL], fired=True)
        assert table.height == 0 and table.columns == list(decided)
    # a record lacking a column the policy reads is refused as before, and a teacher whose school
    # no record gives
    lacking = {k: v for k, v in TEACHER.items() if k != "pregnant"}
    with pytest.raises(policylang.RosterError) as raised:
        district.evaluate_table([lacking], [SCHOOL])
    assert [p.code for p in raised.value.problems] == ["R011"]
    with pytest.raises(policylang.RosterError) as raised:
        district.evaluate_table([TEACHER], [])
    assert [p.code for p in raised.value.problems] == ["R005"]
