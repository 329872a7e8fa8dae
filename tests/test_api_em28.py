"""The embedder's trial em28 (a program embedding the Python API beside a Java or .NET system
calling the service): what the API said otherwise than the service. Each test failed before its fix."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest

import policylang
from policylang.api import RosterError
from policylang.io.roster import AssumptionError

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
    # one person's two dates, not the roster's 列…有 1 行…（第 1 行…）全部 1 行都如此 (review of dr29)
    [one] = said["ValuesToCheck"]
    assert (one.code, one.row, one.rows, one.count, one.column) == ("R050", None, (), None, "school_start")
    assert one.message_zh == (f"工号 {early['id']} 的到校时间 1999-09-01 早于参加工作时间 2000-09-01：到本校一般在参加"
                              "工作之后，本校任教年限按所填的到校时间计算；是否把两项填反了？")
    assert one.message_en == (f"school_start 1999-09-01 of teacher {early['id']} is earlier than work_start 2000-09-01: "
                              "a teacher comes to the school after starting work, and the years at the school are "
                              "counted from school_start as written; were the two dates filled the wrong way round?")
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


@pytest.mark.parametrize("engine, hint", [("fast", None), ("Bulk", "bulk"), ("ref", "reference"), (None, None)])
def test_an_unknown_engine_is_the_apis_own_error_with_a_code(district, engine, hint):
    """`evaluate(engine="fast")` raised a bare ValueError with no code and no Chinese; it is checked
    before the roster (a roster that is none is not what is wrong here)."""
    for roster in (district.roster_from_records([TEACHER], [SCHOOL]), None):
        with pytest.raises(policylang.PolicyError) as raised:
            district.evaluate(roster, engine=engine)
        assert isinstance(raised.value, ValueError)  # what it raised before, for whoever catches that
        [said] = raised.value.diagnostics
        assert said.code == "T201" and repr(engine) in said.en and "bulk" in said.zh and "reference" in said.zh
        assert (f'did you mean "{hint}"?' in said.en) == (hint is not None)


@pytest.mark.parametrize("values, code, column", [
    ("孕期=否", "R015", None),  # no mapping
    ({"怀孕x": "否"}, "R043", "怀孕x"),  # no column of this policy
    ({1: "否"}, "R043", "1"),
    ({"孕期": "maybe"}, "R008", "孕期"),  # a cell its column refuses, by the cell's own code
    ({"任教学校数": "-2"}, "R017", "任教学校数"),
    ({"school.staffing": None}, "R006", "school.staffing"),
    ({"孕期": "否", "怀孕": "是"}, "R010", "怀孕"),  # two values for one column
])
def test_a_value_assuming_refuses_is_a_roster_error_with_its_code(district, values, code, column):
    """`Policy.assuming` raised an AssumptionError with a message and no code, which an embedder
    catching `policylang.RosterError` (every other refusal of its input) let through."""
    with pytest.raises(policylang.RosterError) as raised:
        district.assuming(values)
    assert isinstance(raised.value, AssumptionError) and raised.value.code == code
    [problem] = raised.value.problems
    assert (problem.code, problem.column, problem.file) == (code, column, "Policy.assuming")
    assert (problem.message("en"), problem.message("zh")) == (raised.value.message("en"), raised.value.message("zh"))
    assert str(raised.value) == raised.value.message("en")  # (as it always was)


def test_a_format_stream_decisions_does_not_write_is_the_apis_own_error_in_both_languages(district, tmp_path):
    for kwargs, output in (({"fmt": "xlsx"}, "d.csv"), ({}, "d.xlsx"), ({"chunk_rows": 0}, "d.csv")):
        with pytest.raises(policylang.PolicyError) as raised:
            district.stream_decisions("examples/teachers.csv", "examples/schools.csv", tmp_path / output, **kwargs)
        assert isinstance(raised.value, ValueError)
        [said] = raised.value.diagnostics
        assert said.code == "T201" and said.zh and said.zh != said.en
        assert not (tmp_path / output).exists()


_NONE_COLUMNS = {  # a column of all None as pandas holds it, by how the table was made
    "object": lambda n: pd.Series([None] * n, dtype=object),
    "float NaN (read_csv, read_excel)": lambda n: pd.Series([float("nan")] * n),
    "str (pandas 3's default)": lambda n: pd.Series([None] * n, dtype="str"),
    "string": lambda n: pd.Series([None] * n, dtype="string"),
    "category": lambda n: pd.Series(pd.Categorical([None] * n)),
    "Int64": lambda n: pd.Series([None] * n, dtype="Int64"),
    "boolean": lambda n: pd.Series([None] * n, dtype="boolean"),
    "datetime64": lambda n: pd.Series([None] * n, dtype="datetime64[ns]"),
}


@pytest.mark.parametrize("made", list(_NONE_COLUMNS))
@pytest.mark.parametrize("column", ["name", "subject", "title", "sanction_until", "rural_years", "pregnant"])
def test_a_pandas_column_of_all_none_is_missing_as_none_is(district, made, column):
    """None in a pandas table reads as an empty cell whatever the column's dtype, as None in a
    record does (the usual missing-value rules then apply: an empty title is 未定级, an empty yes/no
    否, an empty date or number not known), never as the text "nan" or "None"."""
    records = [dict(t, **{column: None}) for t in TEACHERS[:6]]
    frame = pd.DataFrame(TEACHERS[:6]).assign(**{column: _NONE_COLUMNS[made](6)})
    roster = district.roster_from_records(frame, SCHOOLS)
    assert not roster.problems and [r.values[column] for r in roster.teachers] == \
        [r.values[column] for r in district.roster_from_records(records, SCHOOLS).teachers]
    table, said = _said(lambda: district.evaluate_table(frame, SCHOOLS))
    expected, expected_said = _said(lambda: district.evaluate_table(records, SCHOOLS))
    assert table.equals(expected)
    codes = {kind: [p.code for p in problems] for kind, problems in said.items()}
    assert codes == {kind: [p.code for p in problems] for kind, problems in expected_said.items()}


def test_a_pandas_row_given_as_a_record_is_told_how_to_give_it(district):
    """`decide(df.iloc[0], …)` was refused "must map columns to values, not Series", without a word
    of what to give instead."""
    frame = pd.DataFrame([TEACHER])
    with pytest.raises(RosterError) as raised:
        district.decide(frame.iloc[0], SCHOOL)
    [problem] = raised.value.problems
    assert problem.code == "R015" and "row.to_dict()" in problem.message_en and "row.to_dict()" in problem.message_zh
    assert district.decide(frame.iloc[0].to_dict(), SCHOOL) == district.decide(TEACHER, SCHOOL)


def test_the_commands_say_an_early_start_in_their_language_once(tmp_path):
    """The API's new warning reached `try` and `explain` as Python's: `warning: column … (row 1 …)`
    in English under --lang zh, and for `explain` after the roster's own R050 note."""
    import csv

    from click.testing import CliRunner

    from policylang.cli import cli

    rows = _swapped(TEACHERS, 1)
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tried = CliRunner().invoke(cli, ["try", "policies/fujian.pol", "性别=女", "出生日期=1985-03-15",
                                         "参加工作时间=2008-09-01", "到校时间=2005-09-01", "区域=城区", "学段=小学",
                                         "--lang", "zh"])
        explained = CliRunner().invoke(cli, ["explain", DISTRICT, str(tmp_path / "t.csv"), "--schools",
                                             "examples/schools.csv", "--id", rows[1]["id"], "--lang", "zh"])
    assert tried.exit_code == 0 and explained.exit_code == 0, tried.output + explained.output
    # one person's two dates, not the roster's 列…有 1 行…全部 1 行都如此 (drafter trial dr28)
    assert "提示：到校时间 2005-09-01 早于参加工作时间 2008-09-01：" in tried.stderr and "行" not in tried.stderr
    assert explained.stderr.count("[R050]") == 1
    assert not [w for w in caught if w.category is policylang.ValuesToCheck]  # (no Python warning besides)


@pytest.mark.parametrize("missing", [float("nan"), np.float32("nan"), np.float16("nan")],
                         ids=["float NaN", "float32 NaN", "float16 NaN"])
def test_nan_of_any_float_is_an_empty_cell_in_every_column(district, missing):
    """docs/api.md: a record's missing value is an empty cell whichever way it is given, NaN among
    them. NaN in a text column (name, subject: pandas's mark of an empty cell in a column of text)
    was refused as "the number NaN, not text" (R048); numpy's float32 and float16, which are no
    Python float (a float32 column's row by `df.iloc`), were read as the text "nan" (a name, a note)
    and refused in a number or date column."""
    columns = ("name", "subject", "rural_years", "sanction_until", "备注")
    given = dict(TEACHER, **{k: missing for k in columns})
    roster = district.carrying(["备注"]).roster_from_records([given], [SCHOOL])
    assert not roster.problems and [roster.teachers[0].values.get(k) for k in columns] == [None] * len(columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", policylang.UnknownKeys)  # (备注: read by nothing, said so)
        assert district.decide(given, SCHOOL) == district.decide(dict(TEACHER, **{k: None for k in columns}), SCHOOL)
        # a float32 column's row as `dict(row.items())` gives it: numpy's own scalars (to_dict() makes floats)
        row = dict(pd.DataFrame([given]).astype({"rural_years": "float32"}).iloc[0].items())
        assert type(row["rural_years"]) is np.float32
        assert district.decide(row, SCHOOL) == district.decide(dict(TEACHER, **{k: None for k in columns}), SCHOOL)


def test_a_float32_number_reads_as_the_number_it_is_and_a_fractional_id_stays_refused(district):
    given = dict(TEACHER, rural_years=np.float32(2.0), weak_years=np.float32(2.5))
    values = district.roster_from_records([given], [SCHOOL]).teachers[0].values
    assert (values["rural_years"], values["weak_years"]) == (2, 2.5)
    refused = district.roster_from_records([dict(TEACHER, id=np.float32(1001.0))], [SCHOOL]).problems
    assert [(p.code, p.column) for p in refused] == [("R048", "id")]  # (as a Python float 1001.0 is: R048)


def test_a_what_if_sweep_is_checked_as_parameters_are(district):
    """`what_if(sweep=("age_cap_femal", [45, 50]))` swept nothing and answered 'no one changes' at
    every point; a value written as text was not read as a parameter's value is."""
    frame = district.roster_frame(district.read_roster("examples/teachers.csv", "examples/schools.csv"))
    with pytest.raises(policylang.PolicyError) as raised:
        policylang.api.what_if(district, district, frame, sweep=("age_cap_femal", [45, 50]))
    assert [d.code for d in raised.value.diagnostics] == ["R107"]
    assert "did you mean `age_cap_female`" in raised.value.diagnostics[0].en
    for shape in ("age_cap_female", ("age_cap_female", "45"), ("age_cap_female",)):
        with pytest.raises(policylang.PolicyError) as raised:
            policylang.api.what_if(district, district, frame, sweep=shape)
        assert [d.code for d in raised.value.diagnostics] == ["T201"] and isinstance(raised.value, ValueError)
    as_text = policylang.api.what_if(district, district, frame, sweep=("age_cap_female", ["45 years", "50"])).sweep
    assert as_text == policylang.api.what_if(district, district, frame, sweep=("age_cap_female", [45, 50])).sweep
    assert as_text[0][1] > 0  # (45 moves some women the district's 50 leaves: the sweep sees them)


def test_options_of_the_wrong_kind_to_the_readers_and_loaders_are_the_apis_own_errors(district, tmp_path):
    """An encoding of 1 was said of each file as "damaged (TypeError …), export it again"; a progress
    of 1 failed after the first chunk with Python's "'int' object is not callable"; a root of 123
    was pathlib's bare TypeError."""
    for call in (lambda: district.read_roster("examples/teachers.csv", "examples/schools.csv", encoding=1),
                 lambda: district.stream_decisions("examples/teachers.csv", "examples/schools.csv", tmp_path / "d.csv",
                                                   encoding=b"utf-8"),
                 lambda: district.stream_decisions("examples/teachers.csv", "examples/schools.csv", tmp_path / "d.csv",
                                                   progress=1)):
        with pytest.raises(policylang.PolicyError) as raised:
            call()
        assert [d.code for d in raised.value.diagnostics] == ["T201"] and raised.value.diagnostics[0].zh
    assert not (tmp_path / "d.csv").exists()
    # an unknown encoding's name stays each file's problem, as it was (test_roster_hardening)
    assert {p.code for p in district.read_roster("examples/teachers.csv", "examples/schools.csv",
                                                 encoding="no-such-code").problems} == {"R009"}
    for call in (lambda: policylang.load(DISTRICT, root=123), lambda: policylang.loads("policy x", root=1.5)):
        with pytest.raises(policylang.PolicyError) as raised:
            call()
        assert [d.code for d in raised.value.diagnostics] == ["P008"] and "root" in raised.value.diagnostics[0].en
    calls = []
    streamed = district.stream_decisions("examples/teachers.csv", "examples/schools.csv", tmp_path / "d.csv",
                                         progress=lambda *counts: calls.append(counts))
    assert streamed.decided and calls  # (a function is taken, as before)


def test_a_table_of_many_early_starts_is_counted_and_named_as_the_row_reader_says_it(district):
    """A typed table's R050 is counted by polars and only its first rows read in Python (a million
    teachers, most of them swapped, took a second more): its words are the row reader's all the same."""
    teachers = [dict(t, id=f"X{k:03d}") for k, t in enumerate(TEACHERS[:40])]
    teachers = _swapped(teachers, *range(0, 40, 4), *range(1, 40, 4), *range(2, 40, 4))  # 30 of 40
    _, by_rows = _said(lambda: district.evaluate_table(teachers, SCHOOLS))
    _, by_table = _said(lambda: district.evaluate_table(pl.DataFrame(teachers), SCHOOLS))
    [rows], [table] = by_rows["ValuesToCheck"], by_table["ValuesToCheck"]
    assert (table.count, table.rows, table.message_en, table.message_zh) == \
        (rows.count, rows.rows, rows.message_en, rows.message_zh)
    assert rows.count == sum(t["school_start"][:7] < t["work_start"][:7] for t in teachers) and len(rows.rows) == 10


def test_a_float32_reads_as_the_number_it_shows_and_a_date_as_a_float64_does(district):
    """Review rv27: np.float32(2.3) was read as 2.299999952316284, which `≥ 2.3` reads as less; a
    float32 where a date belongs is refused as a Python float is (a number sent: text is asked for),
    not read one way for float32 and another for float64."""
    values = district.roster_from_records([dict(TEACHER, weak_years=np.float32(2.3))], [SCHOOL]).teachers[0].values
    assert values["weak_years"] == 2.3
    for number in (np.float32(1980.03), 1980.03):
        [problem] = district.roster_from_records([dict(TEACHER, birth_date=number)], [SCHOOL]).problems
        assert (problem.column, problem.value) == ("birth_date", "1980.03")
