"""A title above the header (``青溪县…教师花名册（2025年9月）``, often merged across, then maybe
a blank row), as county offices write rosters: the header is the first of the first rows that
gives the table's required columns (``roster.find_header``), in both readers, for CSV and XLSX;
the rows above it are said (R024, a warning) and are neither rows nor problems; the rows keep
the numbers the spreadsheet shows. A roster with no such row is refused as before."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

import policylang
from policylang.io.columnar import read_frame
from policylang.io.columnar import roster_header
from policylang.io.roster.reader import load_table
from policylang.lang import schema as S

CORPUS = Path("tests/cases/rosters_bad")
HEADER = ["id", "sex", "birth_date", "school_id", "school_start", "work_start", "on_staff", "pregnant",
          "rural_years", "title", "name"]
HEADER_ZH = [S.TEACHERS.field(n).zh for n in HEADER]
TITLE = "青溪县2025年义务教育学校教师花名册（2025年9月）"
ROWS = [["T1", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "是", "否", "0", "一级教师", "王芳"],
        ["T2", "男", "1979-13-01", "S1", "2015-09-01", "2002-09-01", "是", "否", "0", "一级教师", "李明"]]


@pytest.fixture(scope="module")
def policy():
    return policylang.load(CORPUS / "policy.pol")


def _csv(folder: Path, above: list[list[str]], header: list[str] = HEADER, delimiter: str = ",",
         name: str = "t.csv") -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerows([*above, header, *ROWS])
    return path


def _xlsx(folder: Path, with_instructions: bool = True) -> Path:
    path = folder / "花名册.xlsx"
    wb = openpyxl.Workbook()
    if with_instructions:
        wb.active.title = "填表说明"
        wb.active.append(["1. 日期按 2025-09-01 填写"])
        wb.active.append(["2. 是/否 列填 是 或 否"])
        sheet = wb.create_sheet("花名册")
    else:
        sheet = wb.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append([])
    sheet.append(HEADER_ZH)
    for row in ROWS:
        sheet.append(row)
    wb.save(path)
    return path


def _said(warnings, code: str = "R024") -> list[str]:
    return [w.message_zh for w in warnings if w.code == code]


def test_a_workbook_with_a_title_and_an_instructions_sheet(policy, tmp_path):
    path = _xlsx(tmp_path)
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    # the one problem is the bad birth date, in the row the spreadsheet shows (5: title, blank, header, T1)
    assert [(p.code, p.row, p.column) for p in roster.problems] == [("R002", 5, "出生日期")]
    assert [(r.line, r.values["id"]) for r in roster.teachers] == [(4, "T1"), (5, "T2")]
    assert _said(roster.warnings) == [f"表头在第3行：其上的第1–2行（“{TITLE}”）不作为名册读取"]
    assert _said(roster.warnings, "R020") == []  # (填表说明: the template's instructions, no table)
    assert not [w for w in roster.warnings if w.code == "R012"]  # the title is not taken for a column


def test_a_csv_with_a_title_line_reads_alike_in_both_readers(policy, tmp_path):
    path = _csv(tmp_path, [[TITLE] + [""] * (len(HEADER) - 1), []])  # as Excel saves a merged title
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, read, warnings = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True)
    assert roster.problems == tuple(problems)
    assert [(p.code, p.row, p.column) for p in problems] == [("R002", 5, "birth_date")]
    assert [r.values["id"] for r in roster.valid_teachers()] == frame["id"].to_list() == ["T1"]
    assert read == 2
    note = f"表头在第3行：其上的第1–2行（“{TITLE}”）不作为名册读取"
    assert _said(roster.warnings) == _said(warnings) == [note]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_title_line_does_not_hide_the_delimiter(policy, tmp_path, delimiter):
    """The title line has no delimiter: the header's is found all the same."""
    path = _csv(tmp_path, [[TITLE]], delimiter=delimiter)
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, _, warnings = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True)
    assert [(p.code, p.row) for p in roster.problems] == [(p.code, p.row) for p in problems] == [("R002", 4)]
    assert frame["id"].to_list() == ["T1"]
    assert _said(roster.warnings) == _said(warnings) == [f"表头在第2行：其上的第1行（“{TITLE}”）不作为名册读取"]


def test_a_header_lacking_a_required_column_is_still_found(policy, tmp_path):
    """Under a title, a header naming the teacher and school but without 参加工作时间: that
    column is said missing, not every column."""
    header = [h if h != "work_start" else "备注" for h in HEADER]
    path = _csv(tmp_path, [[TITLE]], header=header)
    loaded = load_table(path, policy.checked.teachers)
    assert [(p.code, p.column) for p in loaded.problems] == [("R001", "work_start")]
    assert [r.line for r in loaded.rows] == [3, 4]


@pytest.mark.parametrize("school_header", ["现任学校", "工作单位"])
def test_under_a_title_a_header_naming_the_school_its_own_way_is_found_and_the_column_named(policy, tmp_path,
                                                                                             school_header):
    """A county's export calls the school 现任学校: the header is still the row naming the teacher's
    id and their own required columns (not the title), and the one column missing is said with the
    column that may be it (the HR trial: every column was said missing, the title offered to --keep)."""
    header = [school_header if h == "学校代码" else h for h in HEADER_ZH]
    path = _csv(tmp_path, [[TITLE]], header=header)
    loaded = load_table(path, policy.checked.teachers)
    [missing] = loaded.problems
    assert (missing.code, missing.column) == ("R001", "school_id")
    assert f"名册中的“{school_header}”列是否就是此列？如是，请把表头改为“学校代码”" in missing.message_zh
    assert f"is the roster's column `{school_header}` this one?" in missing.message_en
    assert [r.line for r in loaded.rows] == [3, 4]
    assert [w.code for w in loaded.warnings if w.code == "R024"] == ["R024"]
    # a school's name column is not taken for its code
    named = _csv(tmp_path, [[TITLE]], header=["学校名称" if h == "学校代码" else h for h in HEADER_ZH], name="n.csv")
    [missing] = load_table(named, policy.checked.teachers).problems
    assert missing.code == "R001" and "是否就是此列" not in missing.message_zh


def test_without_a_header_in_the_first_rows_the_first_row_is_the_header(policy, tmp_path):
    """No row gives the table's columns: the first row is the header, refused as before."""
    path = _csv(tmp_path, [[TITLE]], header=["编号", "名字"])
    loaded = load_table(path, policy.checked.teachers)
    assert "id" in {p.column for p in loaded.problems if p.code == "R001"}
    assert TITLE in {w.column for w in loaded.warnings if w.code == "R012"}  # the title read as a header
    assert [w.code for w in loaded.warnings if w.code == "R024"] == []
    # the header eleven rows down is not looked for
    far = _csv(tmp_path, [[TITLE]] + [["说明"]] * 10, name="far.csv")
    assert "id" in {p.column for p in load_table(far, policy.checked.teachers).problems}


def test_roster_header_is_the_roster_sheets_header(tmp_path):
    """The header the output's columns are chosen by: the roster sheet's (not the instructions
    sheet's), its header row (not the title), for a CSV too."""
    assert roster_header(_xlsx(tmp_path)) == HEADER_ZH
    assert roster_header(_csv(tmp_path, [[TITLE], []])) == HEADER


def test_rows_cut_short_or_over_several_lines_are_numbered_alike_below_a_title(policy, tmp_path):
    """The CSV's structure (R016 a row cut short, R018 a cell over lines) below a title: the
    same rows, in both readers."""
    path = tmp_path / "t.csv"
    lines = [TITLE, ",".join(HEADER), ",".join(ROWS[0][:-1]).replace("T1", "T0") + ',"王\n芳"',
             ",".join(ROWS[0][:5]), ",".join(ROWS[0]).replace("T1", "T3")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, _, warnings = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True)
    assert [(p.code, p.row) for p in roster.problems] == [(p.code, p.row) for p in problems] == [("R016", 4), ("R006", 4)]
    assert [(w.code, w.row) for w in roster.warnings if w.code in ("R018", "R024")] == \
        [(w.code, w.row) for w in warnings if w.code in ("R018", "R024")]
    assert ("R018", 3) in [(w.code, w.row) for w in warnings]
    assert frame["id"].to_list() == ["T0", "T3"]


@pytest.mark.parametrize("title", [TITLE, f"{TITLE}\n填报单位：青溪县教育局"])
def test_cells_of_two_lines_in_the_title_or_the_header_of_a_csv(policy, tmp_path, title):
    """A header cell of two lines (备注 / 说明, as Excel saves a cell with a line break) below a
    title, itself perhaps of two lines: the header is found and the rows numbered alike by both
    readers (the streamed one skips the lines, not the records, above the header)."""
    header = [h if h != "name" else "备注\n说明" for h in HEADER]
    path = _csv(tmp_path, [[title] + [""] * (len(HEADER) - 1)], header=header)
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, read, warnings = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True)
    assert roster.problems == tuple(problems)
    assert [(p.code, p.row, p.column) for p in problems] == [("R002", 4, "birth_date")]
    assert frame["id"].to_list() == ["T1"] and read == 2
    assert [(w.code, w.column) for w in roster.warnings] == [(w.code, w.column) for w in warnings] == [
        ("R012", "备注\n说明"), ("R024", None)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_under_a_title_a_roster_numbered_by_xuhao_without_gonghao_is_read_from_its_header(policy, tmp_path, kind):
    """The HR trial: a 花名册 with 序号 and 身份证号 but no 工号, under a title. No row named the
    teacher's id, so the title was taken for the header: sixteen R042 and R001 for every column.
    Its header is found; the one column missing is 工号, said with why 序号 and 身份证号 cannot stand for it."""
    header = ["序号", "身份证号", *[h for h in HEADER_ZH if h != "工号"]]
    rows = [[str(k + 1), "", *row[1:]] for k, row in enumerate(ROWS)]
    if kind == "csv":
        path = tmp_path / "t.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([[TITLE], header, *rows])
    else:
        path = tmp_path / "t.xlsx"
        wb = openpyxl.Workbook()
        for row in ([TITLE], [], header, *rows):
            wb.active.append(row)
        wb.save(path)
    loaded = load_table(path, policy.checked.teachers)
    assert [(p.code, p.column) for p in loaded.problems] == [("R001", "id")]
    [missing] = loaded.problems
    assert "二者都不能代替工号" in missing.message_zh and "neither can stand for it" in missing.message_en
    assert [w.code for w in loaded.warnings if w.code == "R024"] == ["R024"]
    assert not [w for w in loaded.warnings if w.code in ("R012", "R042")]


def test_under_a_title_a_sheet_of_teachers_and_their_schools_gives_its_schools(policy, tmp_path):
    """The same sheet given for the schools (its header names 工号 too): its schools are read from
    the header below the title, not R001 学校代码 and R011 for every school column."""
    path = tmp_path / "一览.xlsx"
    wb = openpyxl.Workbook()
    for row in ([TITLE], [], ["工号", "姓名", "学校代码", "区域", "学段", "编制"],
                ["T1", "王芳", "S1", "城区", "初中", "超编"], ["T2", "李明", "S2", "农村", "小学", "缺编"]):
        wb.active.append(row)
    wb.save(path)
    loaded = load_table(path, policy.checked.schools)
    assert loaded.problems == []
    assert sorted(r.values["school_id"] for r in loaded.rows) == ["S1", "S2"]
