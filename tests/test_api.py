"""The embedding API as a newcomer meets it (docs/api.md): what every way of deciding gives,
the same values accepted wherever the API takes them, and errors in the API's own words."""

from __future__ import annotations

import datetime as dt
import warnings
from fractions import Fraction

import pytest

import policylang
from policylang.io.roster.reader import AssumptionError

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
    for t, s, expected in ((without, SCHOOL, ("pregnant=false",)), (teacher, school, ("school.staffing=normal",)),
                           (without, school, ("pregnant=false", "school.staffing=normal")), (teacher, SCHOOL, ())):
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


@pytest.mark.parametrize("value", [2.5, "2.5", Fraction(5, 2)])
def test_a_fractional_count_is_decided_alike_by_every_evaluator_as_the_next_whole_one(district, value):
    """`schools_served at least 2.5` holds from 3 schools: given as a float, as text or as a
    Fraction, by the bulk plan (which had no literal of a Fraction and failed), the reference
    interpreter, the one-person path and a table."""
    records = [TEACHER | {"id": f"T{n}", "schools_served": n} for n in (2, 3)]  # checked for principal too
    roster = district.roster_from_records(records, [SCHOOL])
    as_of = dt.date(2025, 9, 1)
    whole = district.evaluate(roster, as_of=as_of, params={"principal_schools": 3})
    assert [d.promotion for d in whole] != [whole[0].promotion] * 2  # the count decides something here
    for engine in ("bulk", "reference"):
        assert district.evaluate(roster, as_of=as_of, params={"principal_schools": value}, engine=engine) == whole
    assert [district.decide(r, SCHOOL, as_of=as_of, params={"principal_schools": value}) for r in records] == whole
    assert district.evaluate_table(records, [SCHOOL], as_of=as_of, params={"principal_schools": value}).equals(
        district.evaluate_table(records, [SCHOOL], as_of=as_of, params={"principal_schools": 3}))


@pytest.mark.parametrize("value, shown", [(1e308, "1e+308"), (10**40, "10000000000000000000…00000000"),
                                          (1e-300, "1e-300"), (45.1234567, "45.1234567"), ("45.1234567", "45.1234567"),
                                          (Fraction(1, 3), "1/3")])
def test_a_number_beyond_those_a_policy_may_state_is_refused_given_as_a_value_as_in_text(district, value, shown):
    """A JSON number of 1e308 for a count went past the language's limits (9 digits before the
    point, 6 after) to polars, which failed on it: a 500 from the service."""
    with pytest.raises(policylang.PolicyError) as raised:
        district.decide(TEACHER, SCHOOL, params={"principal_schools": value})
    [problem] = raised.value.diagnostics
    assert problem.code == "P003" and f"`{shown}` is beyond the numbers a policy may state" in problem.en
    assert f"`{shown}` 超出政策中数字的范围" in problem.zh
    with pytest.raises(policylang.PolicyError, match="a duration of more than 200 years"):
        district.decide(TEACHER, SCHOOL, params={"age_cap_female": 201})
    assert district.decide(TEACHER, SCHOOL, params={"principal_schools": 0.1}) == \
        district.decide(TEACHER, SCHOOL, params={"principal_schools": "0.1"})  # 0.1 as written, not as binary


def test_a_float_s_noise_past_six_decimals_is_the_decimal_meant_and_a_numpy_float_a_float(district):
    import numpy as np

    computed = district.decide(TEACHER, SCHOOL, params={"principal_schools": 0.1 + 0.2})  # 0.30000000000000004
    assert computed == district.decide(TEACHER, SCHOOL, params={"principal_schools": "0.3"})
    assert district.decide(TEACHER, SCHOOL, params={"age_cap_male": np.float64(55.0)}) == \
        district.decide(TEACHER, SCHOOL, params={"age_cap_male": 55})
    for beyond in (1e-7, 100 / 3):  # not noise: refused, as written as text
        with pytest.raises(policylang.PolicyError, match="beyond the numbers a policy may state"):
            district.decide(TEACHER, SCHOOL, params={"principal_schools": beyond})


def test_a_parameter_value_written_as_text_is_one_value_not_a_declaration_after_it(district):
    """`45 years` followed by a line declaring another parameter was taken as 45 years, the rest
    parsed and dropped without a word."""
    with pytest.raises(policylang.PolicyError) as raised:
        district.decide(TEACHER, SCHOOL, params={"age_cap_female": "45 years\nparameter age_cap_male = 10 years"})
    [problem] = raised.value.diagnostics
    assert problem.code == "T201" and problem.en == (
        "parameter `age_cap_female` is a number in years, not `45 years parameter age_cap_male = 10 years`")
    assert district.parse_parameter("age_cap_female", "45 years\n") == 45


@pytest.mark.parametrize("lang, said", [
    ("en", "--set age_cap_female=-5: parameter `age_cap_female` cannot be negative (-5 years)"),
    ("zh", "--set age_cap_female=-5：参数 `age_cap_female` 不能为负数（-5年）")])
def test_a_negative_value_set_on_the_command_line_is_refused_naming_it_not_as_a_syntax_error(lang, said):
    from click.testing import CliRunner

    from policylang.cli import cli

    result = CliRunner().invoke(cli, ["eval", DISTRICT, "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--set", "age_cap_female=-5", "--lang", lang])
    assert result.exit_code == 2 and said in result.stderr and "unexpected" not in result.stderr


@pytest.mark.parametrize("command, option", [(["eval", DISTRICT], "--set"), (["quota", DISTRICT], "--set"),
                                             *((["diff", DISTRICT, DISTRICT], o) for o in ("--set", "--base-set", "--sweep"))])
def test_a_duration_beyond_the_language_s_set_on_the_command_line_is_refused_not_an_internal_error(command, option):
    """`--set age_cap_female=540` (540 typed for 54) passed the reading of `--set` and was refused
    by the evaluator's own check: an internal error (exit 7) from eval, quota and diff, and a sweep
    to 250 ran on."""
    from click.testing import CliRunner

    from policylang.cli import cli

    value = "age_cap_female=150..540:130" if option == "--sweep" else "age_cap_female=540"
    result = CliRunner().invoke(cli, [*command, "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      option, value, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert f"{option} {value}: parameter `age_cap_female`: a duration of more than 200 years" in result.stderr
    assert "internal error" not in result.output
    assert policylang.load(DISTRICT).parse_parameter("age_cap_female", "200 years") == 200  # the limit itself holds


def test_an_age_written_in_sui_is_told_to_be_written_in_zhousui(district):
    """`--set age_cap_female=45岁` was told `可写作 45 或 45年`: an age is written in 周岁 (岁 alone may
    be read as a nominal age, 虚岁), a tenure in 年."""
    with pytest.raises(policylang.PolicyError) as raised:
        district.parse_parameter("age_cap_female", "45岁")
    assert raised.value.diagnostics[0].help_zh == "可写作 `45` 或 `45周岁`"
    assert district.parse_parameter("age_cap_female", "45周岁") == 45
    with pytest.raises(policylang.PolicyError) as raised:
        district.parse_parameter("teacher_tenure", "5岁")
    assert raised.value.diagnostics[0].help_zh == "可写作 `5` 或 `5年`"


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


# ---- messages for whoever asks: the API, the command line, the service ----------------------

LACKING = {k: v for k, v in TEACHER.items() if k != "pregnant"}


def _refused(policy, teacher=LACKING) -> tuple[str, str]:
    with pytest.raises(policylang.RosterError) as raised:
        policy.decide(teacher, SCHOOL)
    [problem] = raised.value.problems
    return problem.message("en"), problem.message("zh")


def test_the_apis_messages_name_its_own_way_to_state_a_value(district):
    en, zh = _refused(district)
    assert 'state its value: `Policy.assuming({"pregnant": "true|false"})` or a `default`' in en
    assert '声明其取值：`Policy.assuming({"孕期": "是|否"})`，或由政策起草人在政策文件中为此列写明默认取值（field 声明的 default）' in zh
    assert "--assume" not in en + zh
    with pytest.raises(AssumptionError) as raised:
        district.assuming({"孕期": "maybe"})
    assert raised.value.message("en").startswith("Policy.assuming 孕期: `maybe` is not a yes/no value")
    assert raised.value.message("zh").startswith("Policy.assuming 孕期：")
    with pytest.raises(policylang.PolicyError) as raised:
        district.decide(TEACHER, SCHOOL, params={"age_cap_female": "old"})
    assert "<params>:" in str(raised.value) and "--set" not in str(raised.value)
    stated = district.assuming({"孕期": "否"}).roster_from_records([LACKING], [SCHOOL]).warnings
    assert [(w.code, w.message("zh")) for w in stated] == [("R013", "名册无“孕期”列，每行按 Policy.assuming 声明的取值“否”处理")]
    assert stated[0].message("en").endswith("as Policy.assuming states")
    strict = district.assuming({}, strict=True).roster_from_records([TEACHER | {"pregnnt": "否"}], [SCHOOL])
    assert "(an error under assuming(strict=True))" in strict.problems[0].message("en")


def test_the_command_lines_messages_are_as_they_were(district):
    """`policylang` loads its policies asked by the command line: --assume, --set, --strict."""
    from click.testing import CliRunner

    from policylang.cli import cli
    from policylang.cli.common import load_policy_or_exit

    cli_policy = load_policy_or_exit(DISTRICT, "en")
    en, zh = _refused(cli_policy)
    assert "state its value: `--assume pregnant=true|false` or a `default`" in en
    assert "声明其取值：--assume 孕期=是|否，或由政策起草人在政策文件中为此列写明默认取值（field 声明的 default）" in zh
    with pytest.raises(AssumptionError, match="^--assume 孕期: `maybe`"):
        cli_policy.assuming({"孕期": "maybe"})
    with pytest.raises(policylang.PolicyError, match="<--set>:"):
        cli_policy.parse_parameter("age_cap_female", "old")
    result = CliRunner().invoke(cli, ["eval", DISTRICT, "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--assume", "孕期=maybe", "--lang", "zh"])
    assert result.exit_code == 2 and result.stderr.startswith("--assume 孕期：“maybe”不是是/否值")


def test_the_service_words_them_for_its_request(district):
    """The HTTP service passes its own caller (src/policylang/service does: docs/api.md)."""
    serving = district.asked_by(policylang.api.SERVICE_CALLER)
    assert serving.caller is policylang.api.SERVICE_CALLER and district.caller is policylang.api.API_CALLER
    en, zh = _refused(serving)
    assert 'state its value: the request\'s `"assume": {"pregnant": "true|false"}` or a `default`' in en
    assert '声明其取值：请求中的 `"assume": {"孕期": "是|否"}`，或由政策起草人在政策文件中' in zh
    with pytest.raises(AssumptionError) as raised:
        serving.assuming({"孕期": "maybe"})
    assert raised.value.message("en").startswith("the request's `assume` field 孕期: `maybe`")
    warned = serving.assuming({"孕期": "否"}).roster_from_records([LACKING], [SCHOOL]).warnings[0]
    assert "每行按请求的 `assume` 字段声明的取值“否”处理" in warned.message("zh")
    # what it asks for is kept by what is built on it
    assert _refused(serving.assuming({"哺乳期": "否"}))[0] == en


@pytest.mark.parametrize("values, said", [
    ("孕期=否", "Policy.assuming takes columns mapped to values, not str"),
    ({1: "否"}, "`1` is not a roster column")])
def test_values_stated_in_another_shape_are_the_apis_own_error_not_pythons(district, values, said):
    with pytest.raises(AssumptionError) as raised:
        district.assuming(values)
    assert raised.value.message("en") == said


@pytest.mark.parametrize("values, en, zh", [
    ({"孕期": "否", "怀孕": "是"},
     "Policy.assuming states two values for the column `pregnant`: `孕期=否` and `怀孕=是`; state one",
     "Policy.assuming 为列“孕期”给出了两个不同的取值：“孕期=否”和“怀孕=是”，请只给出一个"),
    ({"pregnant": True, "孕期": "否"},
     "Policy.assuming states two values for the column `pregnant`: `pregnant=true` and `孕期=否`; state one",
     "Policy.assuming 为列“孕期”给出了两个不同的取值：“pregnant=true”和“孕期=否”，请只给出一个"),  # as JSON writes it
    ({"任教学校数": "-2"}, "Policy.assuming 任教学校数: `-2` cannot be right for schools_served: negative",
     "Policy.assuming 任教学校数：“-2”不可能是任教学校数：为负数"),
    ({"schools_served": 2.5}, "Policy.assuming schools_served: `2.5` cannot be right for schools_served: not a whole "
                              "number: it counts schools, people or yearly assessments",
     "Policy.assuming schools_served：“2.5”不可能是任教学校数：不是整数：学校数、人数和按年度考核的年数都是整数"),
    # an empty value for a column no cell of which may be empty (R006): rules reading it would not apply
    ({"title_date": "2015-09", "职称取得时间": "2015-09-01"},  # a month and a day of it: two values
     "Policy.assuming states two values for the column `title_date`: `title_date=2015-09` and "
     "`职称取得时间=2015-09-01`; state one",
     "Policy.assuming 为列“职称取得时间”给出了两个不同的取值：“title_date=2015-09”和“职称取得时间=2015-09-01”，请只给出一个"),
    ({"school.staffing": None}, "Policy.assuming school.staffing: `staffing` is empty, and JA-2, JA-1o of the policy read "
                                "it: without it they could not be decided",
     "Policy.assuming school.staffing：“编制”为空：政策中 JA-2、JA-1o 条款读取该列，没有它无法判断")])
def test_a_stated_value_is_checked_as_a_cell_and_one_column_takes_one(district, values, en, zh):
    """Two values for one column under two spellings decided by whichever came first or last,
    and a value no cell may hold (a negative count, an empty school staffing) was stated for
    every row without a word."""
    with pytest.raises(AssumptionError) as raised:
        district.assuming(values)
    assert (raised.value.message("en"), raised.value.message("zh")) == (en, zh)
    same = district.assuming({"孕期": "否", "怀孕": "否", "pregnant": False})  # one value, said thrice: taken
    assert [(a.field, a.value) for a in same.checked.teachers.assumed if a.source == "user"] == [("pregnant", False)]


def test_the_same_column_assumed_twice_on_the_command_line_with_two_values_is_refused():
    from click.testing import CliRunner

    from policylang.cli import cli

    args = ["eval", DISTRICT, "examples/teachers.csv", "--schools", "examples/schools.csv"]
    result = CliRunner().invoke(cli, [*args, "--assume", "孕期=否", "--assume", "孕期=是", "--lang", "zh"])
    assert result.exit_code == 2 and result.stderr.strip() == "--assume 为“孕期”给出了两个不同的取值：“否”和“是”，请只给出一个"
    assert CliRunner().invoke(cli, [*args, "--assume", "孕期=否", "--assume", "孕期=否"]).exit_code == 0


@pytest.mark.parametrize("key", ["学校编码", "单位代码", "学校代码", "school_id"])
def test_a_school_id_under_any_header_the_readers_take_is_decided_as_under_school_id(district, key):
    """`decide` added `school_id` beside an alias (`学校编码`) and refused the record as giving the
    column twice (R010), while every other path read it."""
    expected = district.decide(TEACHER, SCHOOL)
    teacher = {k: v for k, v in TEACHER.items() if k != "school_id"} | {key: "S1"}
    school = {k: v for k, v in SCHOOL.items() if k != "school_id"} | {key: "S1"}
    assert district.decide(teacher, SCHOOL) == expected
    assert district.decide(TEACHER, school) == expected
    assert district.decide(teacher, school) == expected
    assert district.explain(teacher, school).decision == expected


@pytest.mark.parametrize("teachers, schools, row, zh", [
    ([None], [SCHOOL], None, "教师记录应为“列名: 取值”的映射（Mapping），而不是 Python 的 `NoneType`"),
    ([TEACHER, 3], [SCHOOL], 2, "教师记录应为“列名: 取值”的映射（Mapping），而不是 Python 的 `int`"),
    ([TEACHER], ["S1"], None, "学校记录应为“列名: 取值”的映射（Mapping），而不是 Python 的 `str`"),
    (None, [SCHOOL], None, "教师记录应为记录的列表，而不是 Python 的 `NoneType`"),
    ([TEACHER], "S1", None, "学校记录应为记录的列表，而不是 Python 的 `str`"),
])
def test_records_that_are_no_mappings_are_the_apis_own_error_on_every_path(district, teachers, schools, row, zh):
    for call in (district.roster_from_records, district.evaluate_table):
        with pytest.raises(policylang.RosterError) as raised:
            call(teachers, schools)
        assert [(p.code, p.row, p.message_zh) for p in raised.value.problems] == [("R015", row, zh)]


@pytest.mark.parametrize("as_of, why", [("x", ""), (2025, ""), ("2025-09", "：只有年月，而决定按日作出")])
def test_a_reference_date_that_is_no_date_is_the_apis_own_error_with_a_code(district, as_of, why):
    with pytest.raises(policylang.PolicyError) as raised:
        district.decide(TEACHER, SCHOOL, as_of=as_of)
    assert isinstance(raised.value, ValueError)  # what it raised before, for whoever catches that
    assert [(d.code, d.zh) for d in raised.value.diagnostics] == [
        ("T225", f"`{as_of}` 不是日期{why}（应写作 2025-09-01、2025/9/1、2025.9.1、2025年9月1日 或 20250901，文本或数字均可；"
                 "或 datetime.date）")]


def test_a_policy_that_is_no_text_and_a_json_true_are_read_as_what_they_are(district):
    with pytest.raises(policylang.PolicyError) as raised:
        policylang.loads(None)
    assert raised.value.diagnostics[0].code == "P008"
    for path in (None, b"policies/fujian.pol", 3):  # a TypeError from pathlib before
        with pytest.raises(policylang.PolicyError) as raised:
            policylang.load(path)
        assert raised.value.diagnostics[0].code == "P008" and "loads" in raised.value.diagnostics[0].en
    roster = district.roster_from_records([TEACHER | {"id": True}], [SCHOOL])
    # no id at all: read as the text "true" (JSON's spelling) it was decided as a teacher `true` (R048)
    [problem] = roster.teachers[0].problems
    assert (problem.code, problem.value, roster.teachers[0].values["id"]) == ("R048", "true", None)


def test_evaluate_table_says_a_misspelt_column_as_decide_does_and_refuses_it_when_strict(district):
    import polars as pl

    teachers = pl.read_csv("examples/teachers.csv", infer_schema=False).rename({"nursing": "nursng"})
    schools = pl.read_csv("examples/schools.csv", infer_schema=False)
    for given in (teachers, teachers.to_dicts()):
        with pytest.warns(policylang.UnknownKeys, match="column `nursng` is not a roster column.*did you mean `nursing`"):
            assert district.evaluate_table(given, schools).height == teachers.height
        with pytest.raises(policylang.RosterError) as raised:
            district.evaluate_table(given, schools, strict=True)
        assert [(p.code, p.column) for p in raised.value.problems] == [("R012", "nursng")]


def test_a_table_of_columns_no_cell_is_the_api_s_roster_error_not_a_library_s():
    """evaluate_table: an Arrow table with a column twice or of a union type, a polars list or
    bytes column: RosterError (R015, R009 as for a Parquet file), never DuplicateError,
    ComputeError or a lone list read as text."""
    import polars as pl
    import pyarrow as pa

    policy = policylang.load("policies/fujian_pilot_district.pol")
    schools = pl.read_csv("examples/schools.csv")
    base = pl.read_csv("examples/teachers.csv", infer_schema=False).head(3)
    union = pa.UnionArray.from_sparse(pa.array([0, 1, 0], pa.int8()),
                                      [pa.array([1, 2, 3]), pa.array(["a", "b", "c"])])
    tables = {
        "twice": (pa.table([base["id"].to_arrow(), base["id"].to_arrow()], names=["id", "id"]), "R015"),
        "union": (base.to_arrow().append_column("rural_years_u", union), "R015"),
        "list": (base.with_columns(pl.lit([1, 2]).alias("rural_years")), "R009"),
        "bytes": (base.with_columns(pl.lit(b"x").alias("name")), "R009"),
    }
    for name, (table, code) in tables.items():
        with pytest.raises(policylang.RosterError) as refused:
            policy.evaluate_table(table, schools)
        assert [p.code for p in refused.value.problems] == [code], name
        assert refused.value.problems[0].message_zh, name


def test_a_roster_no_row_of_which_can_be_decided_is_refused_not_an_empty_list(district, tmp_path):
    """`evaluate(read_roster("nope.csv"))` was `[]`: a file that cannot be read, or that lacks a
    column the policy reads, now raises RosterError naming the problem, as `eval` refuses it."""
    for roster in (district.read_roster(tmp_path / "nope.csv", "examples/schools.csv"),
                   district.roster_from_records([{k: v for k, v in TEACHER.items() if k != "pregnant"}], [SCHOOL])):
        assert roster.problems
        for decide in (district.evaluate, district.decide_each):
            with pytest.raises(policylang.RosterError) as refused:
                decide(roster)
            assert {p.code for p in refused.value.problems} <= {"R009", "R011"} and refused.value.problems


def test_rows_left_undecided_are_said_unless_the_caller_skips_them(district):
    roster = district.roster_from_records([TEACHER, TEACHER | {"id": "T2", "birth_date": "1978-13-01"}], [SCHOOL])
    with pytest.warns(policylang.SkippedRows, match="1 of 2 teachers not decided"):
        decisions = district.evaluate(roster)
    assert [d.id for d in decisions] == ["T1"]
    with pytest.warns(policylang.SkippedRows):
        district.decide_each(roster)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [d.id for d in district.evaluate(roster, skip_invalid=True)] == ["T1"]


def test_a_database_s_decimal_parameter_and_numpy_s_date_are_read_as_what_they_say(district):
    """psycopg and SQLAlchemy give NUMERIC as Decimal; numpy and pandas columns give datetime64."""
    import decimal

    import numpy as np

    as_decimal = district.decide(TEACHER, SCHOOL, params={"age_cap_female": decimal.Decimal("45")})
    assert as_decimal == district.decide(TEACHER, SCHOOL, params={"age_cap_female": 45})
    assert district.decide(TEACHER, SCHOOL, as_of=np.datetime64("2026-09-01")).as_of == dt.date(2026, 9, 1)


def test_numpy_numbers_are_parameters_as_the_numbers_they_stand_for_and_numpy_s_bool_is_no_number(district):
    """api.md: a numpy number (an np.int64 read from a frame) is a parameter's value, as the Python
    number; a float32 as its own shortest form (0.1, not 0.10000000149...); np.True_ is no number."""
    import numpy as np

    expected = district.decide(TEACHER, SCHOOL, params={"age_cap_female": 45})
    for value in (np.int64(45), np.int32(45), np.float64(45), np.float32(45)):
        assert district.decide(TEACHER, SCHOOL, params={"age_cap_female": value}) == expected
    assert district._params({"age_cap_female": np.float32(45.1)}) == district._params({"age_cap_female": "45.1 years"})
    with pytest.raises(policylang.PolicyError, match="is a number in years, not"):
        district.decide(TEACHER, SCHOOL, params={"age_cap_female": np.bool_(True)})



def test_two_keys_of_a_record_for_one_column_are_named_as_keys_not_lettered_columns(district):
    roster = district.roster_from_records([TEACHER | {"孕期": "是", "pregnant": "否"}], [SCHOOL])
    (doubled,) = [p for p in roster.problems if p.code == "R010"]
    assert doubled.message("en").startswith("keys `") and "column A" not in doubled.message("en")


@pytest.mark.parametrize("as_frame", [False, True], ids=["records", "polars"])
def test_evaluate_table_says_the_yes_no_cells_it_reads_as_no(as_frame):
    """A table whose 任课 is null in one record decided that teacher as not teaching (exempt,
    JA-9) without a word, where the service and the file readers say it (R033, R027)."""
    import csv

    import polars as pl

    policy = policylang.load("policies/fujian_pilot_district.pol")
    with open("examples/teachers.csv", encoding="utf-8") as f:
        teachers = list(csv.DictReader(f))[:30]
    with open("examples/schools.csv", encoding="utf-8") as f:
        schools = list(csv.DictReader(f))
    teachers[3] = dict(teachers[3], teaching=None)
    teachers = [dict(t, pregnant="") for t in teachers]  # empty in every row: everyone read as not pregnant
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = policy.evaluate_table(pl.DataFrame(teachers) if as_frame else teachers, schools)
    said = [w.message for w in caught if isinstance(w.message, policylang.BlankCells)]
    assert len(said) == 1 and table.height == 30
    assert {(p.code, p.column, p.row) for p in said[0].problems} == {("R027", "pregnant", None),
                                                                     ("R033", "teaching", None)}
    assert "(row 4; id T0004)" in str(said[0])  # the row for the spreadsheet, the id for the person
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # filled in: no word
        policy.evaluate_table([dict(t, pregnant="否", teaching=t["teaching"] or "是") for t in teachers], schools)


@pytest.mark.parametrize("as_frame", [False, True], ids=["records", "polars"])
def test_evaluate_table_says_a_boolean_not_known_in_most_rows(as_frame):
    """`None` for 任课 in 20 records of 30 (a typed column's null in a frame): not the few blanks of
    a sheet's slip, but a value not known, each read as 否: said (R033) whatever their number."""
    import csv

    import polars as pl

    policy = policylang.load("policies/fujian_pilot_district.pol")
    with open("examples/teachers.csv", encoding="utf-8") as f:
        teachers = list(csv.DictReader(f))[:30]
    with open("examples/schools.csv", encoding="utf-8") as f:
        schools = list(csv.DictReader(f))
    teachers = [dict(t, teaching=None if k >= 10 else t["teaching"] == "true") for k, t in enumerate(teachers)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        policy.evaluate_table(pl.DataFrame(teachers) if as_frame else teachers, schools)
    said = [p for w in caught if isinstance(w.message, policylang.BlankCells) for p in w.message.problems]
    assert [(p.code, p.column) for p in said] == [("R033", "teaching")] and "empty in 20 row(s)" in str(said[0])


def test_decide_without_a_school_says_so():
    """`decide(teacher, None)` listed R011 for every school column and R014: that no school was
    given is the one problem."""
    import csv

    policy = policylang.load("policies/fujian_pilot_district.pol")
    with open("examples/teachers.csv", encoding="utf-8") as f:
        teacher = next(csv.DictReader(f))
    for call in (lambda: policy.decide(teacher, None), lambda: policy.decide(teacher),
                 lambda: policy.explain(teacher)):
        with pytest.raises(policylang.RosterError) as refused:
            call()
        (problem,) = refused.value.problems
        assert problem.code == "R005" and "未给出学校" in problem.message("zh") and "stage" in problem.message("en")
    bare = policylang.loads('policy "p"\nsource S "s"\nrule A "a" cite S\n  when age at least 50 years\n'
                            '  then must_rotate\n')
    assert bare.decide(dict(teacher, birth_date="1970-01-01")).status == "must_rotate"  # no school read: none needed


def test_a_reference_date_that_is_a_moment_is_refused_with_its_day_as_the_service_does():
    """A zoned datetime was taken as its own day (UTC's 2025-08-31 for Beijing's 2025-09-01), and
    `2025-08-31T16:00:00Z` was "not a date" without its day. A naive datetime is its day (above)."""
    import csv

    policy = policylang.load("policies/fujian_pilot_district.pol")
    with open("examples/teachers.csv", encoding="utf-8") as f:
        teacher = next(csv.DictReader(f))
    with open("examples/schools.csv", encoding="utf-8") as f:
        school = next(s for s in csv.DictReader(f) if s["school_id"] == teacher["school_id"])
    assert policy.decide(teacher, school, as_of=dt.datetime(2025, 9, 1)) == policy.decide(teacher, school,
                                                                                           as_of="2025-09-01")
    for moment, day in (("2025-09-01T15:00:00", "2025-09-01"), ("2025-08-31T16:00:00Z", "2025-09-01"),
                        (dt.datetime(2025, 8, 31, 16, 0, tzinfo=dt.timezone.utc), "2025-09-01")):
        with pytest.raises(policylang.PolicyError) as refused:
            policy.decide(teacher, school, as_of=moment)
        (said,) = refused.value.diagnostics
        assert said.code == "T225" and f"请写日期 {day}" in said.zh and f"send the day, {day}" in said.en


def test_a_reference_date_no_month_has_is_refused_saying_why_as_a_roster_s_date_is():
    """`2025-02-29` listed the date forms, as if its form were wrong, where `--as-of` and a roster's
    date cell say the month has 28 days (embedder's trial em25)."""
    import csv

    policy = policylang.load("policies/fujian_pilot_district.pol")
    with open("examples/teachers.csv", encoding="utf-8") as f:
        teacher = next(csv.DictReader(f))
    with open("examples/schools.csv", encoding="utf-8") as f:
        school = next(s for s in csv.DictReader(f) if s["school_id"] == teacher["school_id"])
    for as_of, en, zh in (("2025-02-29", "2025-02 has 28 days", "2025年2月只有28天"),
                          ("2025-13-01", "there is no month 13", "没有13月")):
        with pytest.raises(policylang.PolicyError) as refused:
            policy.decide(teacher, school, as_of=as_of)
        (said,) = refused.value.diagnostics
        assert said.code == "T225" and f"`{as_of}` is not a date: {en}" in said.en and zh in said.zh


def test_decide_without_a_school_decides_where_every_school_column_has_a_stated_value():
    """The refusal of a missing school fired for a policy whose one school column has a default."""
    policy = policylang.loads('policy "p"\n  as of 2025-09-01\nsource S "s"\n'
                              'field school.试点: bool default false "ASSUMPTION: 未注明的学校不是试点学校"\n'
                              'rule A-1 "试点学校教师" cite S\n  when school.试点\n  then must_rotate\n')
    teacher = {"id": "T1", "sex": "男", "birth_date": "1980-03-01", "school_id": "S1", "school_start": "2015-09-01",
               "work_start": "2005-09-01"}
    decided = policy.decide(teacher)
    assert decided.status == "not_eligible" and "school.试点=false" in decided.assumptions


@pytest.mark.parametrize("given", [None, [TEACHER], {"teachers": [TEACHER]}])
def test_evaluate_of_what_is_no_roster_says_what_it_takes(district, given):
    """An embedder's trial: `evaluate(None)` and `evaluate([record])` raised AttributeError."""
    for method in (district.evaluate, district.decide_each):
        with pytest.raises(policylang.RosterError) as raised:
            method(given)
        [problem] = raised.value.problems
        assert problem.code == "R015" and "roster_from_records" in problem.message("en")
        assert "单条记录用 decide" in problem.message("zh")


def test_decide_says_a_key_with_no_name_that_the_record_gives_a_value(district):
    """csv.DictReader puts a row's cells past its header under the key None, and a sheet's empty
    header cell becomes the key "": a 已调出 note there was read by nothing and the teacher decided
    without a word, while a misspelt key gave UnknownKeys. Both keys are said alike now (R042,
    named as the record gives them), and refused with strict=True; an empty one says nothing."""
    import csv
    import io
    import warnings

    [row] = csv.DictReader(io.StringIO(",".join(TEACHER) + "\n" + ",".join(map(str, TEACHER.values())) + ",已调出\n"))
    assert row[None] == ["已调出"]
    for record, key in ((row, "None"), (TEACHER | {"": "已调出"}, '""')):
        for call in (district.decide, district.explain):
            with pytest.warns(policylang.UnknownKeys, match=f"the key {key} is a name left empty.*已调出"):
                call(record, SCHOOL)
        with pytest.raises(policylang.RosterError) as raised:
            district.decide(record, SCHOOL, strict=True)
        assert [p.code for p in raised.value.problems] == ["R042"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        district.decide(TEACHER | {"": ""}, SCHOOL)
