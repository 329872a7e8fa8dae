"""The header again among the data: a second header row of the columns' English field names
(teacher_id, name, sex …, as provincial systems export them under the Chinese header), the header
given twice, or the header repeated down a printed report (one on every page). Each such row is
skipped and said once (R044, a warning naming the row), in both readers, CSV and XLSX, instead of
a problem for each of its cells (an HR trial: 36 of them for one row); a person's row is never
taken for one."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame, unparsed_csv
from policylang.lang import schema as S

CORPUS = Path("tests/cases/rosters_bad")
HEADER = ["id", "sex", "birth_date", "school_id", "school_start", "work_start", "on_staff", "pregnant",
          "rural_years", "title", "name"]
HEADER_ZH = [S.TEACHERS.field(n).zh for n in HEADER]
# as a provincial system names its fields: some the contract's, some its own (teacher_id)
FIELD_NAMES = ["teacher_id", *HEADER[1:]]
ROWS = [[f"T{k}", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "是", "否", "0", "一级教师", f"王芳{k}"]
        for k in range(1, 7)]


@pytest.fixture(scope="module")
def policy():
    return policylang.load(CORPUS / "policy.pol")


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _said(warnings) -> list[tuple[int, str]]:
    return [(w.row, w.message_zh) for w in warnings if w.code == "R044"]


SECOND = "是第二行表头（各列的英文字段名），已跳过，不作为教师读取"
TWICE = "与表头相同（表头重复了一行），已跳过，不作为教师读取"
PAGED = "重复了表头（分页打印的表格每页都有表头，或几份名册上下粘贴在了一起？），已跳过，不作为教师读取"


@pytest.mark.parametrize("write", [_csv, _xlsx])
def test_a_second_header_row_of_field_names_is_skipped_and_said_once(policy, tmp_path, write):
    path = write(tmp_path / f"t{'.csv' if write is _csv else '.xlsx'}", [HEADER_ZH, FIELD_NAMES, *ROWS])
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    assert roster.problems == ()  # no "`sex` is not a valid sex code" for each of its cells
    assert _said(roster.warnings) == [(2, SECOND)]
    assert [(r.line, r.values["id"]) for r in roster.teachers] == [(k + 3, f"T{k + 1}") for k in range(6)]
    [said] = [w for w in roster.warnings if w.code == "R044"]
    assert said.value == "teacher_id, sex, birth_date, school_id, …" and said.warning
    assert said.message_en == "a second header row (the columns' English field names), not a teacher: skipped, not read"


def test_the_header_given_twice_and_a_report_s_header_on_every_page(policy, tmp_path):
    twice = policy.read_roster(_csv(tmp_path / "twice.csv", [HEADER_ZH, HEADER_ZH, *ROWS]), CORPUS / "schools.csv")
    assert twice.problems == () and _said(twice.warnings) == [(2, TWICE)]
    # a printed report: the header on each page, a blank row before it in the workbook
    pages = [HEADER_ZH, *ROWS[:2], [], HEADER_ZH, *ROWS[2:4], HEADER_ZH, *ROWS[4:]]
    for path in (_csv(tmp_path / "paged.csv", pages), _xlsx(tmp_path / "paged.xlsx", pages)):
        roster = policy.read_roster(path, CORPUS / "schools.csv")
        assert roster.problems == ()  # and no duplicate 工号 either: those rows are no teachers
        assert _said(roster.warnings) == [(5, PAGED), (8, PAGED)]
        assert len(roster.valid_teachers()) == 6


@pytest.mark.parametrize("chunk", [1, 2, 100_000])
def test_the_streamed_reader_skips_such_rows_itself_and_eval_decides_alike(policy, tmp_path, chunk):
    """The streamed reader no longer hands such a CSV to the row reader (100,000 teachers pasted a school at
    a time under the header again took 8 times as long there: docs/performance.md): it says each row as the
    row reader does, a second header row as such whatever chunk it begins, and eval writes the same."""
    plain = _csv(tmp_path / "plain.csv", [HEADER_ZH, *ROWS])
    second = _csv(tmp_path / "second.csv", [HEADER_ZH, FIELD_NAMES, *ROWS])
    paged = _csv(tmp_path / "paged.csv", [HEADER_ZH, *ROWS[:3], HEADER_ZH, *ROWS[3:]])
    for path in (second, paged):
        roster = policy.read_roster(path, CORPUS / "schools.csv")
        problems, frame, read, warnings = read_frame(policy.checked, path, CORPUS / "schools.csv", chunk_rows=chunk)
        assert problems == [] and not unparsed_csv(problems, path) and frame.height == read == 6
        assert frame["id"].to_list() == [r.values["id"] for r in roster.teachers]
        assert [w for w in warnings if w.code == "R044"] == [w for w in roster.warnings if w.code == "R044"]
    assert _said(read_frame(policy.checked, paged, CORPUS / "schools.csv")[3]) == [(5, PAGED)]
    assert _said(read_frame(policy.checked, second, CORPUS / "schools.csv", chunk_rows=chunk)[3]) == [(2, SECOND)]
    written = {}
    for path in (plain, second, paged):
        out = tmp_path / f"out-{path.name}"
        result = CliRunner().invoke(cli, ["--lang", "zh", "eval", str(CORPUS / "policy.pol"), str(path), "--schools",
                                          str(CORPUS / "schools.csv"), "-o", str(out)])
        assert result.exit_code == 0, result.output
        written[path.name] = out.read_bytes()
        assert ("[R044]" in result.output) == (path is not plain)
    assert written["plain.csv"] == written["second.csv"] == written["paged.csv"]
    result = CliRunner().invoke(cli, ["--lang", "zh", "eval", str(CORPUS / "policy.pol"), str(paged), "--schools",
                                      str(CORPUS / "schools.csv"), "-o", str(tmp_path / "o.csv")])
    assert f"paged.csv 第5行 [R044]：{PAGED}" in result.output


def test_a_person_s_row_is_never_taken_for_a_header(policy, tmp_path):
    """A refused row with a cell or two that name a column (a name 姓名 typed by mistake) is a
    teacher's row with its problems; so is one with no problem, whatever it holds."""
    odd = [["T9", "女", "1980-13-01", "学校代码", "2015-09-01", "2002-09-01", "是", "否", "0", "一级教师", "姓名"]]
    roster = policy.read_roster(_csv(tmp_path / "t.csv", [HEADER_ZH, *ROWS, *odd]), CORPUS / "schools.csv")
    assert _said(roster.warnings) == []
    assert {(p.row, p.code) for p in roster.problems} >= {(8, "R002"), (8, "R005")}
    # records (JSON, the API's) have no header row among them: their keys are their header
    records = [dict(zip(HEADER, row)) for row in ROWS] + [dict(zip(HEADER, HEADER))]
    read = policy.roster_from_records(records, [{"school_id": "S1", "area": "城区"}])
    assert _said(read.warnings) == [] and {p.row for p in read.problems} == {7}


def test_a_schools_file_s_second_header_row(policy, tmp_path):
    schools = _csv(tmp_path / "s.csv", [["学校代码", "区域"], ["school_id", "area"], ["S1", "城区"]])
    roster = policy.read_roster(_csv(tmp_path / "t.csv", [HEADER_ZH, *ROWS]), schools)
    assert roster.problems == ()
    assert _said(roster.warnings) == [(2, "是第二行表头（各列的英文字段名），已跳过，不作为学校读取")]
