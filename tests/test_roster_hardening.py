"""Malformed rosters (issue 12, items 1, 2, 7, 8, 10 and 15): every problem counted and
listed with its row, by every reader alike; a file that cannot be read stops every
command, with --skip-invalid too; a signal never leaves a temporary file behind.

The corpus is tests/cases/rosters_bad/: the files, and expected.json with the problems
each must give (file, code, row, column), the rows read and the teachers decided."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import policylang
from policylang.api import RosterError
from policylang.cli import cli
from policylang.io.columnar import read_frame
from policylang.io.output import render

from .conftest import EXAMPLES, POLICIES, decided_valid

CORPUS = Path("tests/cases/rosters_bad")
POLICY = str(CORPUS / "policy.pol")
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["cases"]
STREAMABLE = [name for name, case in EXPECTED.items() if case["teachers"].endswith((".csv", ".parquet"))]


def _policy():
    return policylang.load(POLICY)


def _paths(case) -> tuple[Path, Path]:
    return CORPUS / case["teachers"], CORPUS / case["schools"]


def _listed(problems) -> list[list]:
    return [[Path(p.file).name, p.code, p.row, p.column] for p in problems]


def _unreadable(case) -> bool:
    return case["exit"] == 3


# ---- the row reader ----------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPECTED)
def test_the_row_reader_lists_every_problem_with_its_row(name):
    case = EXPECTED[name]
    roster = _policy().read_roster(*_paths(case))
    assert _listed(roster.problems) == case["problems"]
    assert _listed(w for w in roster.warnings if w.row is not None) == case["warnings"]
    assert all(w.warning for w in roster.warnings) and not any(p.warning for p in roster.problems)
    assert len(roster.teachers) == case["read"]
    if case["decided"] is not None:
        assert len(roster.valid_teachers()) == case["decided"]


@pytest.mark.parametrize("name, zh", [
    ("garbage.json", "不是有效的 JSON（第 2 行第 1 列有误）"),
    ("teachers.dat", "不支持“.dat”格式（请用 .csv、.tsv、.txt、.xlsx、.xlsm、.parquet 或 .json：Excel 和 WPS 可将工作簿另存为 .xlsx 或“CSV UTF-8”）"),
    ("garbage.xlsx", "不是有效的 Excel 工作簿（.xlsx），或文件已损坏；请用 Excel 或 WPS 打开，另存为 .xlsx（或 CSV）后再试"),
    ("no such file.csv", "文件不存在"),
    ("binary.csv", "第 2 行（文件第 129 个字节）既不是 UTF-8 也不是 GB18030 编码：无法判断其文字编码。请在 Excel 或 WPS 中另存为“CSV UTF-8”，或指明其编码（命令行：--encoding）"),
    ("list.json", "应为对象的列表，每人一个（[{\"工号\": …}, …]）"),
])
def test_a_file_that_cannot_be_read_is_said_in_chinese_too(name, zh, tmp_path):
    """R009 for a whole file: the Chinese message says why in Chinese, not in the reading
    library's English (a library's error class may follow, for whoever reports it)."""
    path = CORPUS / name
    if name == "binary.csv":  # bytes that are no text in any encoding, nor one a guess can tell
        path = tmp_path / name
        path.write_bytes(bytes(range(256)) * 8)
    elif name == "list.json":
        path = tmp_path / name
        path.write_text('{"teachers": [1, 2]}', encoding="utf-8")
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [(p.code, p.message_zh) for p in roster.problems] == [("R009", f"无法读取文件：{zh}")]
    assert roster.problems[0].message_en.startswith("cannot read the file: ")


def test_an_unknown_encoding_is_said_in_chinese_with_the_library_s_words_beside():
    roster = _policy().read_roster(CORPUS / "schools.csv", CORPUS / "schools.csv", encoding="no-such-code")
    assert {(p.code, p.message_zh) for p in roster.problems} == {
        ("R009", "无法读取文件：不认识所给的编码（unknown encoding: no-such-code）")}


# ---- the columnar reader agrees --------------------------------------------------------


@pytest.mark.parametrize("name", STREAMABLE)
def test_the_streamed_reader_agrees_with_the_row_reader(name, tmp_path):
    """Problems (messages too), warnings, rows read and the decisions written, chunk by chunk."""
    case = EXPECTED[name]
    teachers, schools = _paths(case)
    policy = _policy()
    out = tmp_path / "streamed.csv"
    streamed = policy.stream_decisions(teachers, schools, out, skip_invalid=True, chunk_rows=3)
    roster = policy.read_roster(teachers, schools)
    if name == "garbage_csv":
        # polars cannot read it: the CLI hands it to the row reader (tested below); nothing written
        assert streamed.decided is None and [(p.code, p.row) for p in streamed.problems] == [("R009", None)]
        assert not out.exists()
        return
    assert streamed.problems == list(roster.problems)
    assert [w for w in streamed.warnings if w.row is not None] == [w for w in roster.warnings if w.row is not None]
    assert streamed.read == len(roster.teachers) == case["read"]
    if _unreadable(case):
        assert streamed.decided is None and not out.exists()
        return
    assert streamed.decided == case["decided"]
    assert out.read_bytes() == render(decided_valid(policy, roster), "csv")


@pytest.mark.parametrize("name", [n for n in STREAMABLE if not _unreadable(EXPECTED[n])])
def test_the_in_memory_columnar_reader_agrees(name):
    case = EXPECTED[name]
    problems, frame, read, _ = read_frame(_policy().checked, *_paths(case), skip_invalid=True, chunk_rows=4)
    assert _listed(problems) == case["problems"] and read == case["read"]
    assert frame.height == case["decided"]


def test_a_parquet_row_of_nulls_is_a_row_on_both_readers(tmp_path):
    """Only a CSV or XLSX has blank rows below the data; a record of nulls elsewhere is a row."""
    rows = pl.read_csv(CORPUS / "teachers.csv", infer_schema=False).head(3)
    nulls = pl.DataFrame({c: [None] for c in rows.columns}, schema=rows.schema)
    pl.concat([rows.head(1), nulls, rows.tail(2)]).write_parquet(tmp_path / "t.parquet")
    policy = _policy()
    roster = policy.read_roster(tmp_path / "t.parquet", CORPUS / "schools.csv")
    assert {(p.row, p.code) for p in roster.problems} == {(2, "R006")} and len(roster.teachers) == 4
    streamed = policy.stream_decisions(tmp_path / "t.parquet", CORPUS / "schools.csv", tmp_path / "d.csv",
                                skip_invalid=True, chunk_rows=2)
    assert streamed.problems == list(roster.problems) and (streamed.read, streamed.decided) == (4, 3)


@pytest.mark.parametrize("moment, said", [
    # Java's LocalDate written as Beijing's midnight, stored in UTC: the day before, read silently
    (pl.col("birth_date").cast(pl.Datetime("ms")).dt.replace_time_zone("Asia/Shanghai").dt.convert_time_zone("UTC"),
     "是带时区的时刻（北京时间 1980-03-01 00:00）"),
    (pl.col("birth_date").cast(pl.Datetime("ms")) + pl.duration(hours=9), "是一个时刻（09:00），不是日期"),
])
def test_a_parquet_date_time_in_a_zone_or_past_midnight_is_refused_by_both_readers(tmp_path, moment, said):
    """A typed date-time is a date only at midnight and without a zone, as its text in a CSV is
    (R002): was read by its day in UTC, T0002 decided 须交流 instead of 可交流, with no word."""
    rows = pl.read_parquet(EXAMPLES / "teachers.parquet")
    day = rows["birth_date"][0]
    rows.with_columns(moment.alias("birth_date")).write_parquet(tmp_path / "t.parquet")
    plain = rows.with_columns(pl.col("birth_date").cast(pl.Datetime("ms")))  # at midnight, no zone: the day
    plain.write_parquet(tmp_path / "plain.parquet")
    policy = policylang.load(POLICIES / "fujian_pilot_district.pol")
    schools = EXAMPLES / "schools.csv"
    roster = policy.read_roster(tmp_path / "t.parquet", schools)
    streamed = policy.stream_decisions(tmp_path / "t.parquet", schools, tmp_path / "d.csv", skip_invalid=True)
    assert streamed.problems == list(roster.problems) and len(roster.problems) == rows.height
    first = roster.problems[0]
    assert (first.code, first.row, first.column) == ("R002", 1, "birth_date") and said in first.message("zh")
    assert policy.read_roster(tmp_path / "plain.parquet", schools).teachers[0].values["birth_date"] == day
    assert not policy.stream_decisions(tmp_path / "plain.parquet", schools, tmp_path / "p.csv").problems


def test_a_cell_running_to_the_end_of_a_large_file_is_r009_naming_its_row(tmp_path):
    """Past the csv module's field limit (131,072 characters) the row reader cannot read on: it
    says from which row, and nothing is decided."""
    lines = (CORPUS / "teachers.csv").read_text(encoding="utf-8").splitlines()
    body = [lines[1].replace("T01", f"T{k:05d}") for k in range(5000)]
    body[1200] = body[1200].replace(",王芳,", ',"王芳,')
    path = tmp_path / "t.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    assert [(p.code, p.row) for p in roster.problems] == [("R009", 1202)]
    assert "the 3800 lines from there to the end of the file" in roster.problems[0].message("en")
    streamed = policy.stream_decisions(path, CORPUS / "schools.csv", tmp_path / "d.csv", skip_invalid=True)
    assert streamed.problems == list(roster.problems) and streamed.decided is None


# ---- the records API ---------------------------------------------------------------------


def test_records_of_nulls_and_empty_records_are_rows_with_problems():
    records = json.loads((CORPUS / "empty_records.json").read_text(encoding="utf-8"))
    policy = _policy()
    roster = policy.roster_from_records(records, [{"school_id": "S1", "area": "urban"},
                                                  {"school_id": "S2", "area": "rural"}])
    assert [[p.code, p.row, p.column] for p in roster.problems] == [c[1:] for c in EXPECTED["empty_records"]["problems"]]
    assert len(roster.teachers) == 5
    with pytest.raises(RosterError):
        policy.evaluate_table([{}], [{"school_id": "S1", "area": "urban"}])


TEACHER = {"id": "T1", "sex": "F", "birth_date": "1980-03-01", "school_id": "S1", "school_start": "2015-09-01",
           "work_start": "2002-09-01", "on_staff": True, "pregnant": False, "rural_years": 0}
SCHOOL = {"school_id": "S1", "area": "urban"}


@pytest.mark.parametrize("changes,column", [
    ({"birth_date": "1850-01-01"}, "birth_date"),
    ({"birth_date": dt.date(1899, 12, 31)}, "birth_date"),
    ({"work_start": "1979-09-01"}, "work_start"),
    ({"school_start": dt.date(1970, 1, 1)}, "school_start"),
    ({"rural_years": -1}, "rural_years"),
    ({"rural_years": "-0.5"}, "rural_years"),
    ({"schools_served": 1.5}, "schools_served"),  # a count: years of service may be 2.5, schools not
    ({"schools_served": "2.5"}, "schools_served"),
])
def test_the_api_refuses_implausible_values_on_its_fast_path_too(changes, column):
    policy = _policy()
    policy.decide(TEACHER, SCHOOL)  # the record as it is decides
    with pytest.raises(RosterError) as caught:
        policy.decide(TEACHER | changes, SCHOOL)
    assert [(p.code, p.column) for p in caught.value.problems] == [("R017", column)]


def test_the_api_refuses_a_teacher_whose_school_record_is_invalid():
    with pytest.raises(RosterError) as caught:
        _policy().decide(TEACHER, {"school_id": "S1", "area": "moon"})
    assert [p.code for p in caught.value.problems] == ["R003", "R014"]


def test_a_start_in_the_month_of_the_sixteenth_birthday_is_not_refused_and_one_before_is():
    """A year-month date stands for its month: a start in the month the person turned 16 (the
    youngest anyone may be employed) may be later in it; the month before cannot be right; an
    event that is no work of theirs (a refusal) only not before birth."""
    _policy().decide(TEACHER | {"birth_date": "1980-03-15", "school_start": "1996-03"}, SCHOOL)
    with pytest.raises(RosterError, match="before the person turned 16"):
        _policy().decide(TEACHER | {"birth_date": "1980-03-15", "school_start": "1996-02"}, SCHOOL)
    _policy().decide(TEACHER | {"birth_date": "1980-03-15", "refused_exchange": "1980-03"}, SCHOOL)


# ---- the commands ----------------------------------------------------------------------------


def _run(*args):
    return CliRunner().invoke(cli, [*map(str, args), "--lang", "en"])


COMMANDS = {
    "eval": lambda t, s, *extra: _run("eval", POLICY, t, "--schools", s, "--format", "json", *extra),
    "eval -o": lambda t, s, out, *extra: _run("eval", POLICY, t, "--schools", s, "-o", out, *extra),
    "diff": lambda t, s, *extra: _run("diff", POLICY, POLICY, t, "--schools", s, "--format", "json", *extra),
    "quota": lambda t, s, *extra: _run("quota", POLICY, t, "--schools", s, "--format", "json", *extra),
}


def _command(command, case, tmp_path, *extra):
    teachers, schools = _paths(case)
    if command == "eval -o":
        out = tmp_path / "decisions.csv"
        out.write_text("kept\n", encoding="utf-8")  # an earlier run's file: replaced only by a whole new one
        return COMMANDS[command](teachers, schools, out, *extra), out
    return COMMANDS[command](teachers, schools, *extra), None


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", EXPECTED)
def test_every_command_skips_exactly_the_listed_rows_and_stops_on_an_unreadable_file(name, command, tmp_path):
    case = EXPECTED[name]
    result, out = _command(command, case, tmp_path, "--skip-invalid")
    # skipping rows cannot save a file that cannot be read, a problem of a whole file (no row: a
    # column missing) or a roster whose every row has a problem: each is refused, nothing written
    whole = any(row is None for _, _, row, _ in case["problems"])
    refused = _unreadable(case) or whole or (case["read"] > 0 and case["decided"] == 0)
    assert result.exit_code == (3 if refused else 0), result.output
    for file, code, row, column in case["problems"]:
        assert f"[{code}]" in result.stderr and file in result.stderr
    if refused:
        assert "skipped" not in result.stderr
        assert ("could not be read" if _unreadable(case) else
                "of the roster as a whole" if whole else "have problems (listed above)") in result.stderr
        if out is not None:
            assert out.read_text(encoding="utf-8") == "kept\n"
        return
    skipped = case["read"] - case["decided"]
    assert (f"skipped {skipped} of {case['read']} teachers" in result.stderr) == bool(case["problems"])
    if command == "eval":
        assert len(json.loads(result.stdout)) == case["decided"]
    if command == "eval -o":
        assert pl.read_csv(out, infer_schema=False).height == case["decided"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", [n for n, c in EXPECTED.items() if c["problems"]])
def test_without_skip_invalid_every_case_with_a_problem_is_refused(name, command, tmp_path):
    result, out = _command(command, EXPECTED[name], tmp_path)
    assert result.exit_code == 3, result.output
    if out is not None:
        assert out.read_text(encoding="utf-8") == "kept\n"


def test_warnings_name_the_lines_a_row_runs_over():
    result, _ = _command("eval", EXPECTED["quote_closed_lines_later"], None, "--skip-invalid")
    assert "warning: tests/cases/rosters_bad/quote_closed_lines_later.csv row 4 column `name` [R018]" in result.stderr
    assert "lines 4–6" in result.stderr


# ---- signals -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory) -> Path:
    """Enough teachers for a streamed run to take a few seconds (three chunks)."""
    folder = tmp_path_factory.mktemp("big")
    one = pl.read_csv(CORPUS / "teachers.csv", infer_schema=False).head(1)
    one.select(pl.all().repeat_by(1_200_000).explode()).with_columns(
        pl.format("T{}", pl.int_range(pl.len())).alias("id")).write_csv(folder / "teachers.csv")
    return folder / "teachers.csv"


def _temporary_files(folder: Path) -> list[Path]:
    # eval holds the decisions beside the output until the roster is accepted, and the writer
    # writes them beside that: ``..decisions.csv.*``
    return [p for p in folder.iterdir() if p.name.lstrip(".").startswith("decisions.csv.")]


def _written(folder: Path) -> bool:
    """Whether the first chunk's decisions are being written to the temporary file. (A signal
    before that, in the first chunk's ``_Writer.write``, can come while the writer's thread is
    starting; the thread then writes its chunk after ``discard``, leaving the file: a race
    in ``_Writer`` this test does not cover.)"""
    try:
        return any(p.stat().st_size > 0 for p in _temporary_files(folder))
    except FileNotFoundError:  # gone between the listing and the look
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_write_leaves_no_temporary_file_and_the_old_output(signum, big_roster, tmp_path):
    out = tmp_path / "decisions.csv"
    out.write_text("kept\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", "from policylang.cli import main; main()", "eval", POLICY, str(big_roster),
         "--schools", str(CORPUS / "schools.csv"), "-o", str(out), "--lang", "zh"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _written(tmp_path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the run ended before it wrote anything: make the roster bigger"
    process.send_signal(signum)
    process.wait(timeout=60)
    assert process.returncode == 128 + signum  # 130 for Ctrl-C (click said "Aborted!" and 1), 143 for SIGTERM
    assert _temporary_files(tmp_path) == [] and out.read_text(encoding="utf-8") == "kept\n"
    said = process.stderr.read().decode("utf-8")
    process.stderr.close()
    if signum == signal.SIGINT:
        assert said.strip().endswith("已中断；输出文件（如有）未改动。") and "Aborted" not in said


# ---- values read one way by one path and another by another (found by the embedder's trial)


def test_a_whole_number_past_a_floats_is_refused_on_every_path_not_decided_two_ways():
    """10**309 was exact for `decide` and null for the table paths: the same teacher was decided
    two ways. Past 2**53 a number is refused (R007) by every reader."""
    policy = policylang.load("policies/fujian_pilot_district.pol")
    teachers = pl.read_csv("examples/teachers.csv", infer_schema=False).head(3).to_dicts()
    schools = pl.read_csv("examples/schools.csv", infer_schema=False).to_dicts()
    for huge in (10 ** 309, 2 ** 53 + 1, -(2 ** 60)):
        record = teachers[0] | {"schools_served": huge}
        with pytest.raises(RosterError) as caught:
            policy.decide(record, next(s for s in schools if s["school_id"] == record["school_id"]))
        assert [(p.code, p.column) for p in caught.value.problems] == [("R007", "schools_served")]
        assert "数值过大" in caught.value.problems[0].message_zh
        roster = policy.roster_from_records([record, *teachers[1:]], schools)
        assert [(p.code, p.row) for p in roster.problems] == [("R007", 1)] and len(roster.valid_teachers()) == 2
        with pytest.raises(RosterError):
            policy.evaluate_table([record, *teachers[1:]], schools)
    exact = teachers[0] | {"exchange_years": 2 ** 53}  # (a number no working life bounds, as 任教学校数's 60)
    assert policy.decide(exact, next(s for s in schools if s["school_id"] == exact["school_id"])).status


@pytest.mark.parametrize("text, said", [("NaN", "“NaN”不是 JSON 的值（空值请写 null）"),
                                        ("Infinity", "“Infinity”不是 JSON 的值（空值请写 null）")])
def test_a_json_roster_with_nan_is_refused_not_read_as_empty(tmp_path, text, said):
    path = tmp_path / "t.json"
    path.write_text(f'[{{"id": "T1", "rural_years": {text}}}]', encoding="utf-8")
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [(p.code, p.message_zh) for p in roster.problems] == [("R009", f"无法读取文件：{said}")]


def test_a_json_roster_giving_a_key_twice_is_refused_not_read_as_its_last_value(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('[{"id": "T1", "teaching": true, "teaching": false}]', encoding="utf-8")
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [(p.code, p.message_zh) for p in roster.problems] == [("R009", "无法读取文件：某个对象两次给出“teaching”")]


def test_a_year_month_that_may_be_january_or_october_is_refused_by_both_readers(tmp_path):
    """A CSV exported from a workbook holding 1974.10 as a number writes `1974.1`: read as
    January it decided a person as if born nine months earlier, without a word."""
    rows = pl.read_csv(CORPUS / "teachers.csv", infer_schema=False)
    dates = ["1974.1", "1974.10", "1974.01", "1974.2", "1974.11", "1974.1.5"]
    rows = rows.head(len(dates)).with_columns(pl.Series("birth_date", dates))
    path = tmp_path / "t.csv"
    rows.write_csv(path)
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    assert [(p.code, p.row, p.value) for p in roster.problems] == [("R002", 2, "1974.1")]
    assert roster.problems[0].message_zh == ("“1974.1”无法确定是 1 月还是 10 月：Excel 会把 1974.10 当作数字存成 1974.1，"
                                             "导出的 CSV 也是如此。请写作 1974.01 或 1974.10，并将单元格设为文本格式")
    problems, frame, _, _ = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True)
    assert [(p.code, p.row, p.message_en) for p in problems] == [(p.code, p.row, p.message_en) for p in roster.problems]
    assert frame.height == len(dates) - 1


# ---- what Excel does to a roster, said as what it is (found by the HR user's trial)


def test_an_id_number_excel_kept_as_a_number_is_said_to_have_lost_its_last_digits(tmp_path):
    import openpyxl

    from policylang.io.id_number import check_character

    valid = "11010519800301002" + check_character("11010519800301002")
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["id", "school_id", "school_start", "work_start", "id_number"])
    sheet.append(["T1", "S1", "2015-09-01", "2000-09-01", int(valid[:15] + "000")])  # as Excel keeps it
    sheet.append(["T2", "S1", "2015-09-01", "2000-09-01", "1.10105198003010E+17"])  # as a CSV export writes it
    sheet.append(["T3", "S1", "2015-09-01", "2000-09-01", valid])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    roster = policylang.load("tests/cases/rosters_bad/policy.pol").read_roster(path, CORPUS / "schools.csv")
    lost = "身份证号被存成了数字，只保留 15 位有效数字，末几位已丢失；请将该列设为文本格式后重新录入"
    assert [(p.code, p.row, p.message_zh.endswith(lost)) for p in roster.problems if p.column == "id_number"] == \
        [("R021", 2, True), ("R021", 3, True)]
    assert valid not in " ".join(p.message_zh + p.message_en for p in roster.problems)
    exact = policylang.load("tests/cases/rosters_bad/policy.pol").roster_from_records(
        [{"id": "T1", "school_id": "S1", "school_start": "2015-09-01", "work_start": "2000-09-01",
          "id_number": int(valid)}], [{"school_id": "S1", "area": "urban"}])
    assert not [p for p in exact.problems if p.column == "id_number"]  # a whole int (JSON) holds all 18 digits
    # a roster that gives birth date and sex in their own columns needs no ID number: it may go
    sheet.delete_rows(2, 3)
    sheet.append(["T1", "S1", "2015-09-01", "2000-09-01", "3.50102E+17"])
    for cell, (header, value) in zip(("F", "G"), (("sex", "女"), ("birth_date", "1980-03-01"))):
        sheet[f"{cell}1"], sheet[f"{cell}2"] = header, value
    wb.save(path)
    roster = policylang.load("tests/cases/rosters_bad/policy.pol").read_roster(path, CORPUS / "schools.csv")
    assert [p.message_zh.endswith(lost + "；名册已有“出生日期”“性别”列，也可以删除该列")
            for p in roster.problems if p.column == "id_number"] == [True]


@pytest.mark.parametrize("text", ["1980/3/1 0:00", "1980/3/1 0:00:00", "1980-03-01 00:00"])
def test_a_date_time_at_midnight_as_chinese_excel_exports_it_is_its_day(text):
    from policylang.io.roster.cells import parse_date

    assert parse_date(text) == dt.date(1980, 3, 1)


def test_a_workbook_under_a_csv_name_and_an_old_or_locked_workbook_are_said_as_what_they_are(tmp_path):
    import shutil

    renamed = tmp_path / "教师.csv"
    shutil.copy("examples/teachers.xlsx", renamed)
    old = tmp_path / "教师.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    policy = _policy()
    for path, said in ((renamed, "这是 Excel 工作簿（.xlsx），只是文件名以 .csv 结尾：请把文件名改为 .xlsx"),
                       (old, "这是 Excel 97-2003 工作簿（.xls）或设有密码的工作簿：请在 Excel 或 WPS 中另存为 .xlsx（不设密码）")):
        roster = policy.read_roster(path, CORPUS / "schools.csv")
        assert [(p.code, p.message_zh) for p in roster.problems] == [("R009", f"无法读取文件：{said}")]
        problems, frame, _, _ = read_frame(policy.checked, path, CORPUS / "schools.csv") if path.suffix == ".csv" \
            else (roster.problems, None, 0, ())
        assert [p.message_zh for p in problems] == [f"无法读取文件：{said}"] and frame is None


def test_a_count_is_whole_and_years_of_service_need_not_be():
    policy = _policy()
    assert policy.decide(TEACHER | {"rural_years": "2.5", "schools_served": "2.0"}, SCHOOL).id == "T1"
    with pytest.raises(RosterError) as caught:
        policy.decide(TEACHER | {"schools_served": "1.5"}, SCHOOL)
    problem = caught.value.problems[0]
    assert problem.message("zh").endswith("不是整数：学校数、人数和按年度考核的年数都是整数")


def test_a_json_roster_with_a_lone_surrogate_escape_is_refused_naming_it(tmp_path):
    """`"\\ud800"` in a JSON roster is half a UTF-16 pair, no character: R009 in both
    languages, where it was an internal error writing the decisions."""
    import json

    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": "1", "name": "\ud800"}]), encoding="utf-8")
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [(p.code, p.message_zh) for p in roster.problems] == [
        ("R009", "无法读取文件：含有无效的转义 `\\ud800`（不成对的 UTF-16 代理码，不代表任何字符）")]


@pytest.mark.parametrize("written", ["Ｓ1", "s1"])
def test_a_school_id_differing_only_in_width_or_case_is_named(tmp_path, written):
    """S1 in the schools file, Ｓ1 or s1 in the teachers': they look alike on a screen; R005 says which it is."""
    import policylang

    (tmp_path / "t.csv").write_text("工号,性别,出生日期,学校代码,到校时间,参加工作时间\n"
                                    f"1,女,1980-01-01,{written},2010-09-01,2000-09-01\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("学校代码,区域,学段\nS1,城区,小学\n", encoding="utf-8")
    policy = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                              'rule R-1 "x" cite S when age at most 50 years then eligible\n')
    (problem,) = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv").problems
    assert problem.code == "R005" and "学校名册中有“S1”" in problem.message("zh")
    streamed = policy.stream_decisions(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path / "d.csv")
    assert streamed.problems == [problem]


@pytest.mark.parametrize("written", ["第一小学", "第一 小学"])
def test_a_school_s_name_written_where_its_id_belongs_names_the_id(tmp_path, written):
    """HR staff type the school's name in 学校代码: R005 says whose name it is and what the column
    takes, by the row reader and the streamed reader alike (it said only "not in the schools table")."""
    import policylang

    (tmp_path / "t.csv").write_text("工号,性别,出生日期,学校代码,到校时间,参加工作时间\n"
                                    f"1,女,1980-01-01,{written},2010-09-01,2000-09-01\n"
                                    "2,女,1980-01-01,S3,2010-09-01,2000-09-01\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("学校代码,学校名称,区域,学段\nS1,第一小学,城区,小学\nS2,第二小学,城区,小学\n",
                                    encoding="utf-8")
    policy = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                              'rule R-1 "x" cite S when age at most 50 years then eligible\n')
    named, unknown = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv").problems
    assert named.code == unknown.code == "R005"
    assert named.message("zh") == (f"学校代码“{written}”不在学校名册中；“{written}”是学校名册中代码为 S1 的学校的名称，"
                                   "此列应填学校代码")
    assert "it is the name of school `S1`" in named.message("en")
    assert unknown.message("zh") == "学校代码“S3”不在学校名册中"  # no name alike: nothing guessed
    streamed = policy.stream_decisions(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path / "d.csv")
    assert streamed.problems == [named, unknown]
    records = policy.roster_from_records([{"id": "1", "sex": "F", "birth_date": "1980-01-01", "school_id": written,
                                           "school_start": "2010-09-01", "work_start": "2000-09-01"}],
                                         [{"school_id": "S1", "name": "第一小学", "area": "urban", "stage": "primary"}])
    assert [p.message("zh") for p in records.problems] == [named.message("zh")]


def test_a_school_id_with_a_letter_for_a_digit_is_asked_about():
    """S1O typed for S10 (the letter O for a zero) got no suggestion, where a name in its place did."""
    import policylang

    policy = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                              'rule R-1 "x" cite S when age at most 50 years then eligible\n')
    teacher = {"id": "1", "sex": "F", "birth_date": "1980-01-01", "school_id": "S1O", "school_start": "2010-09-01",
               "work_start": "2000-09-01"}
    schools = [{"school_id": f"S{i:02d}", "area": "urban", "stage": "primary"} for i in range(1, 13)]
    (problem,) = policy.roster_from_records([teacher], schools).problems
    assert problem.code == "R005" and problem.message("zh") == "学校代码“S1O”不在学校名册中；是否应为“S10”？"


def _with_teaching(tmp_path, cells: list[str], column: str = "teaching"):
    """The sample roster with its 任课 (teaching) column, or ``column``, as ``cells`` give it, row after row."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    at = rows[0].index(column)
    for row, cell in zip(rows[1:], cells):
        row[at] = cell
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path, len(rows) - 1


def test_a_few_empty_yes_no_cells_in_a_filled_column_are_said_by_both_readers(tmp_path):
    """A clerk's missed 任课 cell read as 否, and JA-9 (not teaching) exempted the teacher without a
    word (the contract reads an empty yes/no cell as no): a column filled but for a few rows says
    which rows, as a warning, by the streamed and the row reader alike."""
    import policylang

    policy = policylang.load(POLICIES / "fujian_pilot_district.pol")
    path, n = _with_teaching(tmp_path, ["true"] * 4 + [""] + ["true"] * 3 + [""] + ["true"] * 400)
    said = "列“teaching”有 2 行空白（第 6、10 行，工号 T0005、T0009），按“否”处理；该列其余各行都已填写，如为漏填请补上"
    (row_reader,) = [w for w in policy.read_roster(path, EXAMPLES / "schools.csv").warnings if w.code == "R033"]
    assert row_reader.message("zh") == said and row_reader.warning
    streamed = policy.stream_decisions(path, EXAMPLES / "schools.csv", tmp_path / "d.csv")
    assert [w for w in streamed.warnings if w.code == "R033"] == [row_reader]
    assert streamed.decided == n  # said, not refused: the contract's reading decides


def test_more_empty_cells_than_are_named_read_as_chinese_writes_it(tmp_path):
    """第 2、3 … 11 行等, not 第 2、3 … 11 等 行 (HR trial hr26)."""
    import policylang

    policy = policylang.load(POLICIES / "fujian_pilot_district.pol")
    path, _ = _with_teaching(tmp_path, [""] * 12 + ["true"] * 400)
    (said,) = [w for w in policy.read_roster(path, EXAMPLES / "schools.csv").warnings if w.code == "R033"]
    assert said.message("zh").startswith("列“teaching”有 12 行空白（第 2、3、4、5、6、7、8、9、10、11 行等，工号 T0001、")


def test_explain_says_a_yes_no_read_from_a_blank_cell_was_blank(tmp_path):
    """`任课 = 否` read as if the roster said 否, where its cell was empty: the explanation of the
    exemption it gave (JA-9, not teaching) now says the cell was blank; a 否 written is shown as is."""
    from click.testing import CliRunner

    from policylang.cli import cli

    path, _ = _with_teaching(tmp_path, ["false"] * 4 + [""] + ["true"] * 400)
    ids = [r["id"] for r in csv.DictReader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines())]

    def explained(ident: str, lang: str) -> str:
        result = CliRunner().invoke(cli, ["explain", str(POLICIES / "fujian_pilot_district.pol"), str(path), "--schools",
                                          str(EXAMPLES / "schools.csv"), "--id", ident, "--lang", lang])
        assert result.exit_code == 0, result.output
        return result.output

    assert "（任课 = 否（空白））" in explained(ids[4], "zh") and "(teaching = no (blank))" in explained(ids[4], "en")
    written = explained(ids[3], "zh")
    assert "（任课 = 否）" in written and "空白）" not in written


@pytest.mark.parametrize("column, cells, code", [
    ("pregnant", ["是"] * 10 + [""] * 390, None),  # empty but for the rows that hold something: the usual way
    ("pregnant", ["否"] * 340 + [""] * 60, None),  # (many blanks, each read as the 否 the others say)
    ("teaching", [""] * 400, "R027"),              # empty in every row: R027, not this
    ("teaching", ["否"] * 400, None),
    # 任课, 在编在岗: nearly everyone reads 是, so blanks (read as 否: out of scope, exempt) are never a habit
    ("teaching", ["是"] * 350 + [""] * 50, "R033"),
    ("teaching", ["是"] * 10 + [""] * 390, "R033"),
    ("on_staff", ["是"] * 300 + [""] * 100, "R033")])
def test_a_column_mostly_empty_or_all_filled_says_no_few_blanks(tmp_path, column, cells, code):
    import policylang

    policy = policylang.load(POLICIES / "fujian_pilot_district.pol")
    path, _ = _with_teaching(tmp_path, cells, column)
    codes = {w.code for w in policy.read_roster(path, EXAMPLES / "schools.csv").warnings} & {"R027", "R033"}
    assert codes == ({code} if code else set())
    streamed = policy.stream_decisions(path, EXAMPLES / "schools.csv", tmp_path / "d.csv")
    assert {w.code for w in streamed.warnings} & {"R027", "R033"} == codes


@pytest.mark.parametrize("column, cell, said", [
    ("birth_date", "1982.6.31", "“1982.6.31”不是有效日期：1982年6月只有30天"),
    ("birth_date", "2023-02-29", "“2023-02-29”不是有效日期：2023年2月只有28天"),
    ("rural_years", "2年", "“2年”不是数字：请只写数字 2（该列的单位已由列名确定，不必写“年”）"),
    ("rural_years", "3个月", "“3个月”不是数字：该列以年计，请换算成年后只写数字"),  # never read as 3 years
    ("rural_years", "三年", "“三年”不是数字：请用阿拉伯数字只写 3"),  # (HR trial hr26: 三年 was "not a number")
    ("rural_years", "十二", "“十二”不是数字：请用阿拉伯数字只写 12"),
    ("rural_years", "三个月", "“三个月”不是数字：该列以年计，请换算成年后只写数字"),
    ("rural_years", "无", "“无”不是数字：没有的请填 0"),
    ("pregnant", "√", "“√”不是是/否值：请写“是”（表格中的 √ 写作“是”，× 写作“否”）")])
def test_a_cell_in_a_form_the_reader_knows_says_what_is_wrong_with_it(column, cell, said):
    """A clerk was told the date's forms for 1982.6.31 (the form is right: June has 30 days), that
    `2年` is not a number, that √ is not yes/no, and left to guess the fix."""
    policy = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "x" cite S\n'
                              '  when age at most 50 years and rural_years at least 1 years and pregnant\n  then eligible\n')
    teacher = {"id": "1", "sex": "F", "birth_date": "1980-01-01", "school_id": "S1", "school_start": "2010-09-01",
               "work_start": "2000-09-01", "rural_years": "1", "pregnant": "否"}
    (problem,) = policy.roster_from_records([teacher | {column: cell}],
                                            [{"school_id": "S1", "area": "urban", "stage": "primary"}]).problems
    assert problem.message("zh") == said


@pytest.mark.parametrize("teachers, schools, swapped", [
    ("teachers_zh.csv", "teachers_zh.csv", "teachers_zh.csv"),  # the roster given for both
    ("schools.csv", "teachers.csv", "both")])                    # the two swapped
def test_the_other_table_s_file_is_said_to_be_swapped_once_not_by_its_symptoms(tmp_path, teachers, schools, swapped):
    """The teachers' roster given as --schools said 38 unknown columns (with --keep advice), every
    school id repeated, and R014 per school; never that the files were swapped."""
    policy = policylang.load(POLICIES / "fujian.pol")
    roster = policy.read_roster(EXAMPLES / teachers, EXAMPLES / schools)
    r034 = [p for p in roster.problems if p.code == "R034"]
    assert [p.file for p in r034] == ([str(EXAMPLES / teachers), str(EXAMPLES / schools)] if swapped == "both"
                                      else [str(EXAMPLES / schools)])
    assert "是否把教师名册和学校名册弄反了" in r034[0].message("zh") and "swapped" in r034[0].message("en")
    codes = {p.code for p in [*roster.problems, *roster.warnings]}
    assert not codes & {"R004", "R012", "R001", "R011"}, codes  # none of its symptoms
    streamed = policy.stream_decisions(EXAMPLES / teachers, EXAMPLES / schools, tmp_path / "d.csv", skip_invalid=True)
    assert [p for p in streamed.problems if p.code == "R034"] == r034


def test_a_birth_year_slip_past_the_reference_date_blames_the_birth_date_alone(tmp_path):
    """出生日期 2109-08-31 (for 2019? 1979?) said first that 到校时间, 参加工作时间 and 职称取得时间 were
    before the birth, three right dates blamed (R017), then the birth (R029). The birth alone."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    rows[1][rows[0].index("birth_date")] = "2109-08-31"
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    policy = policylang.load(POLICIES / "fujian.pol")
    roster = policy.read_roster(path, EXAMPLES / "schools.csv", as_of=dt.date(2025, 9, 1))  # read for a day
    assert [(p.code, p.row, p.column) for p in roster.problems] == [("R029", 2, "birth_date")]
    streamed = policy.stream_decisions(path, EXAMPLES / "schools.csv", tmp_path / "d.csv", skip_invalid=True)
    assert streamed.problems == list(roster.problems)


@pytest.mark.parametrize("text, said", [
    ('[{"id": "T1", "rural_years": ' + "9" * 10_000 + "}]", "有一个 10,000 位的数字：名册中没有这样的取值"),
    ("[" * 100_000 + "]" * 100_000, "列表或对象嵌套过深，不是名册"),
])
def test_a_json_roster_python_cannot_read_is_said_in_the_tool_s_words(tmp_path, text, said):
    """Python's own words reached the clerk: `Exceeds the limit (4300 digits) … use
    sys.set_int_max_str_digits()`, `(RecursionError)`."""
    (tmp_path / "t.json").write_text(text, encoding="utf-8")
    roster = policylang.load(POLICIES / "fujian.pol").read_roster(tmp_path / "t.json", EXAMPLES / "schools.csv")
    (problem,) = [p for p in roster.problems if p.code == "R009"]
    assert said in problem.message("zh") and "sys." not in problem.message("en") and "Error" not in problem.message("en")


def test_writing_into_a_folder_that_takes_no_new_file_is_not_said_to_lack_the_folder(tmp_path):
    """`-o /proc/version` said 文件夹不存在: the folder is there; it takes no new file."""
    from policylang.core.file_errors import reason

    missing = FileNotFoundError(2, "No such file or directory", str(tmp_path / "x" / "t.tmp"))
    there = FileNotFoundError(2, "No such file or directory", str(tmp_path / "t.tmp"))
    assert reason(missing, writing=True)[1] == "文件夹不存在"
    assert reason(there, writing=True)[1] == "无法在该文件夹中新建文件"


def test_a_missing_date_column_says_an_empty_value_states_nobody_has_the_date(tmp_path):
    """`--assume 拒绝交流日期=…`: a clerk whose system records no refusals did not know to write it
    empty (`=空` is refused); the message says what an empty value means."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    at = rows[0].index("refused_exchange")
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([r[:at] + r[at + 1:] for r in rows])
    result = CliRunner().invoke(cli, ["eval", str(POLICIES / "county_draft.pol"), str(path), "--schools",
                                      str(EXAMPLES / "schools.csv"), "--lang", "zh", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 3 and "取值为空（--assume 拒绝交流日期=）表示所有人都没有此日期" in result.output
    stated = CliRunner().invoke(cli, ["eval", str(POLICIES / "county_draft.pol"), str(path), "--schools",
                                      str(EXAMPLES / "schools.csv"), "--assume", "拒绝交流日期=", "-o",
                                      str(tmp_path / "o.csv")])
    assert stated.exit_code == 0, stated.output


def test_the_workbook_handed_on_keeps_the_roster_s_warnings(tmp_path):
    """A blank 任课 read as 否 exempted 张伟 under JA-9, and a hidden row was decided: the terminal
    said both, the workbook HR hands on said neither. Its 说明 sheet now does, as the terminal did."""
    from openpyxl import Workbook, load_workbook

    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    rows[3][rows[0].index("teaching")] = ""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.active.row_dimensions[6].hidden = True
    book.save(tmp_path / "t.xlsx")
    out = tmp_path / "结论.xlsx"
    result = CliRunner().invoke(cli, ["eval", str(POLICIES / "fujian_pilot_district.pol"), str(tmp_path / "t.xlsx"),
                                      "--schools", str(EXAMPLES / "schools.csv"), "--lang", "zh", "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = [v for k, v in load_workbook(out)["说明"].iter_rows(values_only=True) if k == "名册提示（运行时已提示）"]
    assert [s.split("[")[1][:4] for s in said] == ["R028", "R033"]
    assert "第 4 行" in said[1] and "按“否”处理" in said[1]


def _scored(monkeypatch) -> list[int]:
    """The candidates the did-you-mean scores with difflib's ratio, counted."""
    from policylang.core import diagnostics

    calls, ratio = [], diagnostics._similarity
    monkeypatch.setattr(diagnostics, "_similarity", lambda matcher: calls.append(1) or ratio(matcher))
    return calls


def test_the_suggestions_for_thousands_of_unknown_headers_are_bounded_and_every_problem_still_said(tmp_path,
                                                                                                     monkeypatch):
    """3,000 unknown headers took 12 s: each was scored against each missing column's names. A
    suggestion is a hint: the first headers only are compared, and every missing column and every
    unknown header is still said, however many there are."""
    calls = _scored(monkeypatch)
    said = {}
    for n in (1000, 3000):
        calls.clear()
        headers = [f"{w}{i}" for i in range(n) for w in ("sex", "性别x", "birth_dat")][:n]  # near field names
        path = tmp_path / f"t{n}.csv"
        path.write_text(",".join(headers) + "\n" + ",".join("1" for _ in headers) + "\n", encoding="utf-8")
        roster = _policy().read_roster(path, CORPUS / "schools.csv")
        said[n] = (len(calls), [(p.code, p.column) for p in roster.problems if p.code in ("R001", "R011")])
        assert sum(w.count or 1 for w in roster.warnings if w.code == "R012") == n  # (those not hinted: in one)
    assert said[1000][0] > 0 and said[3000] == said[1000]  # the same work and the same missing columns
    assert {"id", "sex", "birth_date", "school_id"} <= {column for _, column in said[3000][1]}


@pytest.mark.parametrize("cell, shown", [({"a": 1}, '{"a": 1}'), (["x"], '["x"]')])
def test_a_json_roster_cell_that_is_an_object_or_array_is_refused_naming_row_and_column(tmp_path, cell, shown):
    """`"id": {"a": 1}` was decided as the id "{'a': 1}", Python's repr: no cell holds an object
    or an array (R015), and the row is not read."""
    rows = list(csv.DictReader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    path = tmp_path / "t.json"
    path.write_text(json.dumps([rows[0], dict(rows[1], id=cell)], ensure_ascii=False), encoding="utf-8")
    roster = policylang.load(POLICIES / "fujian.pol").read_roster(path, EXAMPLES / "schools.csv")
    assert [(p.code, p.row, p.column, p.value) for p in roster.problems] == [("R015", 2, "id", shown)]
    assert "不是取值" in roster.problems[0].message_zh and "not a value" in roster.problems[0].message_en
    assert [t.valid for t in roster.teachers] == [True, False]


@pytest.mark.parametrize("column, cell, said", [
    ("sex", "2", "“2”不是性别取值：不按国家标准代码（1 为男、2 为女）读取，以免误读；请写作 男 或 女（或 M、F）"),
    ("sex", 1, "“1”不是性别取值：不按国家标准代码（1 为男、2 为女）读取，以免误读；请写作 男 或 女（或 M、F）"),
    # 一级 alone: 一级教师, or the old 小学一级, which is 二级教师
    ("title", "一级", "“一级”包括一级教师和二级教师两级，无法确定是哪一级：请写明一级教师或二级教师"),
    ("title", "正高级教", "；是否应为“正高级教师”？"),  # a part of the names of one code alone
])
def test_codes_as_other_systems_write_them_are_refused_with_what_to_write(column, cell, said):
    """The embedder's and the HR trials: `"sex": 2` (GB/T 2261.1) and 职称 一级 were refused with no
    word of what was meant. Still refused (which is meant is not certain), now saying it."""
    import policylang

    policy = policylang.load(POLICIES / "fujian_pilot_district.pol")
    teachers = list(csv.DictReader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    schools = list(csv.DictReader((EXAMPLES / "schools.csv").read_text(encoding="utf-8-sig").splitlines()))
    (problem,) = policy.roster_from_records([dict(teachers[0], **{column: cell})], schools).problems
    assert problem.code == "R003" and said in problem.message("zh")


def test_an_unset_date_is_said_alike_by_both_readers_when_the_birth_date_is_missing(tmp_path):
    """0001-01-01 (.NET's unset DateTime) is R017 whatever else the row lacks: the row reader said it on
    a row without its birth date too, the streamed reader, which told it from the birth date, did not,
    and their problems differed for the same file."""
    header, *rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    rows = rows[:4]
    rows[1][header.index("birth_date")] = ""
    for row in rows[1:3]:
        row[header.index("school_start")] = "0001-01-01"
    path = tmp_path / "unset.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    policy = policylang.load(POLICIES / "fujian_pilot_district.pol")
    roster = policy.read_roster(path, EXAMPLES / "schools.csv")
    assert [(p.row, p.code) for p in roster.problems] == [(3, "R006"), (3, "R017"), (4, "R017")]
    streamed = policy.stream_decisions(path, EXAMPLES / "schools.csv", tmp_path / "d.csv", skip_invalid=True)
    assert list(streamed.problems) == list(roster.problems)
