"""Workbooks and Parquet files as real offices send them (issue 12, items 6 and 11): the sheet
holding the table is read and said, merged cells carry their value, a formula without a
computed value is a problem of its row, and a Parquet column of lists or bytes is refused by
both readers with its name. The files are made by tests/cases/rosters_bad/make_binary_cases.py;
tests/test_roster_hardening.py runs them through every reader and command as well."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli

from .conftest import write_table

CORPUS = Path("tests/cases/rosters_bad")
WORKBOOK = CORPUS / "xlsx_workbook.xlsx"


def _policy():
    return policylang.load(CORPUS / "policy.pol")


def test_each_table_is_read_from_its_own_sheet_and_the_sheet_read_is_said():
    roster = _policy().read_roster(WORKBOOK, WORKBOOK)
    assert sorted(roster.schools) == ["S1", "S2"]
    said = [(w.code, w.row, w.message("zh")) for w in roster.warnings if w.code != "R013"]  # (no 职称: assumed)
    # (the other table's sheet is no surprise: only 说明, a sheet of neither, is said)
    assert said == [("R020", None, "工作簿有 3 张含数据的工作表：读取了“花名册”；“说明”（1 行）没有教师表头，未读取："
                                   "其中如有教师，请移到“花名册”"),
                    ("R020", None, "工作簿有 3 张含数据的工作表：读取了“学校”；“说明”（1 行）没有学校表头，未读取："
                                   "其中如有学校，请移到“学校”")]


_HEADER = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"]


def _one_teacher_book(title: str) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(_HEADER)
    sheet.append(["T1", "女", "1980-01-01", "S1", "2015-09-01", "2000-09-01"])
    return book


def test_a_sheet_of_teacher_rows_without_a_header_is_said_with_its_rows_not_read(tmp_path):
    """Teachers continued on a second sheet without the header are not read (the sheet holds no
    table): the warning counts them and says where they belong, instead of calling it no roster."""
    book = _one_teacher_book("一中")
    rest = book.create_sheet("二中")
    for k in range(2, 5):
        rest.append([f"T{k}", "男", "1981-01-01", "S1", "2015-09-01", "2000-09-01"])
    rest.append([])
    path = tmp_path / "r.xlsx"
    book.save(path)
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [t.values["id"] for t in roster.teachers] == ["T1"]
    assert [(w.message("zh"), w.message("en")) for w in roster.warnings if w.code == "R020"] == [(
        "工作簿有 2 张含数据的工作表：读取了“一中”；“二中”（3 行）没有教师表头，未读取：其中如有教师，请移到“一中”",
        "the workbook has 2 sheets with rows: read `一中`; `二中` (3 rows) has no header of the teachers table and "
        "is not read: any teachers there belong in `一中`")]


def test_a_merged_cell_gives_its_value_to_every_cell_it_covers():
    sheet = openpyxl.load_workbook(WORKBOOK)["花名册"]
    assert sheet["E3"].value is None and "E2:E3" in {str(r) for r in sheet.merged_cells.ranges}  # as saved
    roster = _policy().read_roster(WORKBOOK, WORKBOOK)
    assert [r.values["school_id"] for r in roster.teachers[:2]] == ["S1", "S1"]


def test_a_formula_is_read_by_its_computed_value_and_refused_without_one():
    roster = _policy().read_roster(WORKBOOK, WORKBOOK)
    t05, t06 = roster.teachers[4], roster.teachers[5]
    assert [(p.code, p.column, p.value) for p in t05.problems] == [("R019", "on_staff", '=IF(1=1,"是","否")')]
    assert t06.valid and t06.values["pregnant"] is False  # the file holds 否 for it
    assert "Excel" in t05.problems[0].message("zh") and "Excel" in t05.problems[0].message("en")


def test_a_row_s_problem_names_its_sheet_in_a_workbook_of_several(tmp_path):
    """Both tables in one workbook number their rows alike: 第6行 alone does not say whose."""
    from policylang.service.errors import roster_problem

    roster = _policy().read_roster(WORKBOOK, WORKBOOK)
    formula = roster.teachers[4].problems[0]
    assert formula.sheet == "花名册" and formula.file_in("zh") == f"{WORKBOOK} 工作表“花名册”"
    assert formula.file_in("en") == f"{WORKBOOK} sheet `花名册`"
    assert roster_problem(formula)["sheet"] == "花名册"  # the service's and the studio's errors
    result = CliRunner().invoke(cli, ["eval", str(CORPUS / "policy.pol"), str(WORKBOOK), "--schools", str(WORKBOOK),
                                      "--lang", "zh", "-o", str(tmp_path / "d.csv")])
    assert result.exit_code == 3
    assert f"{WORKBOOK} 工作表“花名册” 第{formula.row}行 列“on_staff” [R019]" in result.output
    # a workbook of one sheet with rows: the file says where, as a CSV's does
    wb = openpyxl.Workbook()
    wb.active.append(["id", "sex", "birth_date", "school_id", "school_start", "work_start"])
    wb.active.append(["T1", "F", "1985-13-01", "S1", "2015-09-01", "2008-09-01"])
    wb.save(tmp_path / "one.xlsx")
    [bad] = [p for p in _policy().read_roster(tmp_path / "one.xlsx", CORPUS / "schools.csv").problems
             if p.code == "R002"]
    assert bad.sheet is None and bad.file_in("zh") == str(tmp_path / "one.xlsx")
    assert "sheet" not in roster_problem(bad)


def _both_tables(tmp_path, schools_header=lambda h: h, bad_school: str | None = None):
    """The sample roster as one workbook, teachers on 教师 and schools on 学校."""
    examples = Path("examples")
    book = openpyxl.Workbook()
    book.active.title = "教师"
    for row in csv.reader((examples / "teachers_zh.csv").read_bytes().decode("gb18030").splitlines()):
        book["教师"].append(row)
    schools = book.create_sheet("学校")
    rows = list(csv.reader((examples / "schools_zh.csv").read_text(encoding="utf-8-sig").splitlines()))
    keep = [i for i, h in enumerate(rows[0]) if schools_header(h)]
    for row in rows:
        schools.append([row[i] for i in keep])
    if bad_school:
        schools.append([bad_school])  # a school row with its required cells empty
    path = tmp_path / "名册.xlsx"
    book.save(path)
    return path


def test_a_column_and_a_school_row_are_named_by_their_sheet_in_a_workbook_of_both_tables(tmp_path):
    """A column the 学校 sheet lacks was said of the workbook alone (a clerk added it to 教师), and a
    teacher's school row with problems was "名册.xlsx 第14行", a row of the other sheet too."""
    policy = policylang.load("policies/fujian_pilot_district.pol")
    lacking = _both_tables(tmp_path, lambda h: h != "编制")
    [missing] = [p for p in policy.read_roster(lacking, lacking).problems if p.code == "R011"]
    assert missing.sheet == "学校" and missing.file_in("zh").endswith("名册.xlsx 工作表“学校”")
    bad = _both_tables(tmp_path, bad_school="S01")  # S01 given twice: which row is right is not known
    roster = policy.read_roster(bad, bad)
    [school_row] = {p.message("zh") for p in roster.problems if p.code == "R014"}
    assert f"{bad} 工作表“学校” 第2行有问题" in school_row  # the first of its rows (each has R004)
    assert {p.sheet for p in roster.problems if p.code == "R014"} == {"教师"}


def test_a_workbook_with_the_roster_on_two_sheets_is_refused_naming_them():
    roster = _policy().read_roster(CORPUS / "xlsx_split.xlsx", CORPUS / "schools.csv")
    [problem] = roster.problems
    assert problem.code == "R009" and "“一部”、“二部”" in problem.message("zh") and "`一部`, `二部`" in problem.message("en")


def test_a_workbook_without_a_roster_sheet_is_read_from_its_first_sheet_with_rows(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "空"
    sheet = wb.create_sheet("名单")
    sheet.append(["编号", "姓名"])
    sheet.append(["T1", "王芳"])
    wb.save(tmp_path / "t.xlsx")
    roster = _policy().read_roster(tmp_path / "t.xlsx", CORPUS / "schools.csv")
    assert {(p.code, p.column) for p in roster.problems} >= {("R001", "id"), ("R001", "school_id")}
    assert [w.code for w in roster.warnings if w.code not in ("R012", "R013")] == []  # one sheet: nothing to say


@pytest.mark.parametrize("name,column,kind", [("parquet_list.parquet", "name", "List(String)"),
                                              ("parquet_binary.parquet", "id", "Binary")])
def test_a_parquet_column_of_lists_or_bytes_is_refused_alike_by_both_readers(name, column, kind, tmp_path):
    policy = _policy()
    roster = policy.read_roster(CORPUS / name, CORPUS / "schools.csv")
    [problem] = roster.problems
    assert (problem.code, problem.row, problem.column) == ("R009", None, column)
    assert f"`{column}` ({kind}) holds lists" in problem.message("en")
    streamed = policy.stream_decisions(CORPUS / name, CORPUS / "schools.csv", tmp_path / "d.csv",
                                skip_invalid=True)
    assert streamed.problems == [problem] and streamed.decided is None and not (tmp_path / "d.csv").exists()


def test_a_utf8_file_with_a_gb18030_line_is_read_line_by_line_by_both_readers(tmp_path):
    """Issue 12, item 14: a row pasted from a GBK export near the end of a UTF-8 file is read as
    GB18030, said (R023), and the streamed reader streams a UTF-8 copy instead of reading the whole
    file again into memory."""
    lines = (CORPUS / "teachers.csv").read_text(encoding="utf-8").splitlines()
    body = [lines[1].replace("T01", f"T{k:04d}") for k in range(3000)]
    data = [(line + "\n").encode("utf-8") for line in [lines[0], *body]]
    data[2900] = data[2900].decode("utf-8").replace("王芳", "张伟").encode("gb18030")
    path = tmp_path / "t.csv"
    path.write_bytes(b"".join(data))
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    assert roster.problems == () and roster.teachers[2899].values["name"] == "张伟"
    [said] = [w for w in roster.warnings if w.code == "R023"]
    assert "line 2,901 is not" in said.message("en") and "第 2901 行" in said.message("zh")
    streamed = policy.stream_decisions(path, CORPUS / "schools.csv", tmp_path / "d.csv", chunk_rows=1000)
    assert streamed.problems == [] and streamed.decided == 3000
    assert [w for w in streamed.warnings if w.code == "R023"] == [said]
    from policylang.io.output import render
    assert (tmp_path / "d.csv").read_bytes() == render(policy.evaluate(roster), "csv")
    assert not list(tmp_path.glob(".d.csv*"))


@pytest.mark.parametrize("kind", ["gbk", "ascii header", "mixed"])
def test_gbk_whose_bytes_are_utf8_by_chance_is_read_as_gbk_by_every_reader(tmp_path, kind):
    """郑一 and 女 in GBK are also valid UTF-8 (֣һ, Ů): a GBK file with such a line, or a UTF-8 file
    with one pasted in, had that line read as UTF-8 by one reader and garbled, without a word."""
    header, *rows = (CORPUS / "teachers.csv").read_text(encoding="utf-8").splitlines()[:3]
    odd = rows[0].replace("王芳", "郑一").replace(",F,", ",女,").replace("是", "1").replace("否", "0")
    assert (odd + "\n").encode("gbk").decode("utf-8")  # valid UTF-8, by chance
    encoded = {"gbk": [(line + "\n").encode("gbk") for line in (header.replace("name", "姓名"), odd, rows[1])],
               "ascii header": [(line + "\n").encode("gbk") for line in (header, odd, rows[1].replace("李强", "Li"))],
               "mixed": [(header + "\n").encode(), (odd + "\n").encode("gbk"), (rows[1] + "\n").encode()]}[kind]
    path = tmp_path / "t.csv"
    path.write_bytes(b"".join(encoded))
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    assert roster.problems == ()
    assert (roster.teachers[0].values["name"], roster.teachers[0].values["sex"]) == ("郑一", "F")
    said = [w for w in roster.warnings if w.code == "R023"]
    assert [w.row for w in said] == [None] * (kind == "mixed")  # a GBK file is no UTF-8 file with GBK lines
    streamed = policy.stream_decisions(path, CORPUS / "schools.csv", tmp_path / "d.csv")
    assert streamed.problems == [] and streamed.decided == 2
    assert [w for w in streamed.warnings if w.code == "R023"] == said
    from policylang.io.output import render
    assert (tmp_path / "d.csv").read_bytes() == render(policy.evaluate(roster), "csv")


def test_a_parquet_column_of_time_spans_is_refused_cell_by_cell_alike_by_every_reader(tmp_path):
    """Polars casts no time span (Duration) to text: the streamed reader stopped with an internal
    error where the row reader refuses each cell (R007, the span as Python shows it)."""
    import datetime as dt

    import polars as pl

    teachers = pl.read_csv(CORPUS / "teachers.csv", infer_schema=False)
    spans = teachers.with_columns(pl.col("rural_years").cast(pl.Int64).map_elements(
        lambda years: dt.timedelta(days=365 * years), return_dtype=pl.Duration("us")))
    path = tmp_path / "t.parquet"
    spans.write_parquet(path)
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    expected = [(p.code, p.row, p.column, p.value) for p in roster.problems]
    assert expected and {(code, column) for code, _, column, _ in expected} == {("R007", "rural_years")}
    assert ("R007", 2, "rural_years", "1460 days, 0:00:00") in expected  # T02, 4 years (a Parquet has no header row)
    streamed = policy.stream_decisions(path, CORPUS / "schools.csv", tmp_path / "d.csv")
    assert [(p.code, p.row, p.column, p.value) for p in streamed.problems] == expected
    with pytest.raises(policylang.RosterError) as refused:
        policy.evaluate_table(spans, pl.read_csv(CORPUS / "schools.csv", infer_schema=False))
    assert [(p.code, p.column, p.value) for p in refused.value.problems] == \
        [(code, column, value) for code, _, column, value in expected]


@pytest.mark.parametrize("dtype", ["Int64", "UInt64"])
def test_a_parquet_whole_number_past_a_float_s_is_refused_alike_by_every_reader(dtype, tmp_path):
    """The columnar reader read an Int64 of 2**53 + 1 as the nearest float and decided on it;
    the row reader refuses it (R007: too large a number to decide on exactly)."""
    import polars as pl

    teachers = pl.read_csv(CORPUS / "teachers.csv", infer_schema=False).with_columns(
        pl.when(pl.col("id") == "T02").then(pl.lit(2**53 + 1)).when(pl.col("id") == "T03").then(pl.lit(2**53))
        .otherwise(pl.col("rural_years").cast(pl.Int64)).cast(getattr(pl, dtype)).alias("rural_years"))
    path = tmp_path / "t.parquet"
    teachers.write_parquet(path)
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    said = [(p.code, p.row, p.value) for p in roster.problems]
    # 2**53 itself is a float's, and read: then more years than a working life (R017)
    assert said == [("R007", 2, "9007199254740993"), ("R017", 3, "9007199254740992")]
    streamed = policy.stream_decisions(path, CORPUS / "schools.csv", tmp_path / "d.csv")
    assert [(p.code, p.row, p.value) for p in streamed.problems] == said
    assert [p.message("en") for p in streamed.problems] == [p.message("en") for p in roster.problems]


def test_the_gb18030_lines_of_a_utf8_file_are_listed_in_chinese_without_a_doubled_word():
    from policylang.io.roster.encoding import mixed_encoding_warning

    said = [mixed_encoding_warning("t.csv", lines).message("zh") for lines in ([2], [2, 3], [2, 3, 4, 5, 6, 7])]
    assert [s.split("，但")[1].split("不是")[0] for s in said] == ["第 2 行", "第 2、3 行", "第 2、3、4、5、6 行等 6 行"]


@pytest.mark.parametrize("formula", [False, True])  # True: openpyxl reads it (a formula without its value)
def test_a_message_naming_a_hidden_sheet_says_it_is_hidden(tmp_path, formula):
    """Excel and WPS show no tab for a hidden sheet: R020, and R009 for a roster on two sheets,
    say which sheet is hidden, whichever library read the workbook."""
    book = _one_teacher_book("花名册")
    notes = book.create_sheet("旧表")
    notes.append(["说明", "=1+1" if formula else "旧数据"])
    notes.sheet_state = "hidden"
    path = tmp_path / "r.xlsx"
    book.save(path)
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    assert [w.message("zh") for w in roster.warnings if w.code == "R020"] == [
        "工作簿有 2 张含数据的工作表：读取了“花名册”；“旧表”（隐藏的工作表）（1 行）没有教师表头，未读取：其中如有教师，"
        "请移到“花名册”"]
    notes.append(_HEADER)
    book.save(path)
    problems = policy.read_roster(path, CORPUS / "schools.csv").problems
    assert [(p.code, p.message("en")) for p in problems if p.code == "R009"] == [(
        "R009", "cannot read the file: sheets `花名册`, `旧表` (a hidden sheet) each hold a teachers table; which one "
        "is the roster is not known. If each holds part of the roster (a sheet per school), copy their rows under one "
        "header on one sheet; if one is an old copy, delete it")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_yes_no_column_the_policy_reads_left_empty_in_every_row_is_said(tmp_path, suffix):
    """An empty yes/no cell reads as no: a whole column left empty (an export that lost it)
    decides everyone as not teaching without a word; R027 says so, by the row reader (XLSX) and
    the columnar one (CSV) alike, and not once a cell is filled."""
    import csv

    with open("examples/teachers.csv", encoding="utf-8-sig") as f:
        header, *rows = list(csv.reader(f))
    at = header.index("teaching")
    for row in rows:
        row[at] = ""

    def said(rows) -> list[str]:  # the R027 lines of `eval` on the rows, written as a CSV or a workbook
        path = write_table(tmp_path / f"t{suffix}", header, rows)
        result = CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/fujian_pilot_district.pol", str(path),
                                          "--schools", "examples/schools.csv", "--skip-invalid",
                                          "-o", str(tmp_path / "out.csv")])
        assert result.exit_code == 0, result.output
        return [line.replace("提示：", "提示 ", 1).split(" ", 2)[2] for line in result.output.splitlines()
                if "R027" in line or "R008" in line]

    assert said(rows) == ["列“teaching” [R027]：列“teaching”每一行都是空白：所有人都按“否”处理（任课空白即为“否”）；"
                          "如不是这样，请填写该列"]
    rows[-1][at] = "true"
    assert said(rows) == []
    rows[-1][at] = "也许"  # filled, though not a yes/no: its own problem (R008), and no R027
    assert [("[R008]" in line, "[R027]" in line) for line in said(rows)] == [(True, False)]


@pytest.mark.parametrize("formula", [False, True])  # True: openpyxl reads it (a formula without its value)
def test_rows_hidden_by_hand_or_by_a_filter_are_said_to_have_been_read(tmp_path, formula):
    """A filter left on hides rows from the clerk, who then sees fewer people than are decided:
    R028 names the hidden rows that hold data, whichever library read the workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "备注"])
    for k in range(1, 6):
        sheet.append([f"T{k}", "女", "1980-01-01", "S1", "2015-09-01", "2000-09-01", "=1+1" if formula else ""])
    sheet.append([])
    for row in (3, 5, 8):  # the eighth is empty: nothing hidden there to say
        sheet.row_dimensions[row].hidden = True
    path = tmp_path / "r.xlsx"
    book.save(path)
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [w.message("zh") for w in roster.warnings if w.code == "R028"] == [
        "工作表“花名册”的第 3、5 行被隐藏（可能是筛选未取消），这些行也已读取，与其他行一样处理；如只应处理部分人员，请删除其他行"]
    sheet.row_dimensions[5].hidden = False
    sheet.row_dimensions[1].hidden = True  # the header, above the rows: not a person
    book.save(path)
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert [w.message("en") for w in roster.warnings if w.code == "R028"] == [
        "sheet `花名册`: row 3 is hidden (perhaps by a filter left on); it was read and taken like the others. "
        "If only some people are to be decided, delete the other rows"]


@pytest.mark.parametrize("formula", [False, True])  # True: openpyxl reads it (a formula without its value)
def test_rows_hidden_by_a_collapsed_subtotal_outline_are_said_as_such(tmp_path, formula):
    """Excel's 分类汇总 (Data → Subtotal) collapsed to level 2 shows each school's 计数 alone and hides its
    teachers in the outline (HR trial hr27): R028 said they were hidden perhaps by a filter, which the
    clerk looked for in vain. It says the outline hides them and how to show them; a row hidden by hand
    beside them is said apart, as before."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "备注"])
    for k in range(1, 4):  # rows 2-4, then S1's 计数 on row 5
        sheet.append([f"T{k}", "女", "1980-01-01", "S1", "2015-09-01", "2000-09-01", "=1+1" if formula else ""])
        sheet.row_dimensions[k + 1].outlineLevel, sheet.row_dimensions[k + 1].hidden = 2, True
    sheet.append(["3", None, None, "S1 计数", None, None, None])
    sheet.row_dimensions[5].outlineLevel, sheet.row_dimensions[5].collapsed = 1, True  # (Excel marks the total)
    sheet.append(["T9", "女", "1980-01-01", "S1", "2015-09-01", "2000-09-01", "=1+1" if formula else ""])
    sheet.row_dimensions[6].hidden = True  # (hidden by hand, outside the outline)
    sheet.append(["4", None, None, "总计数", None, None, None])
    path = tmp_path / "r.xlsx"
    book.save(path)
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    assert len(roster.teachers) == 4 and [w.count for w in roster.warnings if w.code == "R053"] == [2]
    assert [w.message("zh") for w in roster.warnings if w.code == "R028"] == [
        "工作表“花名册”的第 2、3、4 行因分级显示折叠而被隐藏（分类汇总或组合后只显示到汇总一级；点左上角分级按钮中最大的数字，"
        "或行左侧的“+”，即可展开），这些行也已读取，与其他行一样处理；如只应处理部分人员，请删除其他行",
        "工作表“花名册”的第 6 行被隐藏（可能是筛选未取消），该行也已读取，与其他行一样处理；如只应处理部分人员，请删除其他行"]
    assert [w.message("en") for w in roster.warnings if w.code == "R028"][0] == (
        "sheet `花名册`: rows 2, 3, 4 are hidden in a collapsed outline (Data → Subtotal or Group, shown only to the "
        "totals' level; the largest of the level buttons at the top left, or + beside the rows, shows them); they were "
        "read and taken like the others. If only some people are to be decided, delete the other rows")
    # review rv27: a group left open, or a filter on, hides rows by the filter, not by the outline; nor
    # does a column group folded beside an open row group (rv27b)
    sheet.column_dimensions.group("H", "I", hidden=True, outline_level=1)
    sheet.column_dimensions["J"].collapsed = True
    for open_group, filtered in ((True, False), (False, True)):
        sheet.row_dimensions[5].collapsed = not open_group
        sheet.auto_filter.ref = "A1:G7" if filtered else None
        if filtered:
            sheet.auto_filter.add_filter_column(0, ["T9"])
        book.save(path)
        said = [w.message("zh") for w in _policy().read_roster(path, CORPUS / "schools.csv").warnings if w.code == "R028"]
        assert said == ["工作表“花名册”的第 2、3、4、6 行被隐藏（可能是筛选未取消），这些行也已读取，与其他行一样处理；"
                        "如只应处理部分人员，请删除其他行"], said


@pytest.mark.parametrize("formula", [False, True])  # True: openpyxl reads it (a formula without its value)
def test_columns_hidden_are_said_to_have_been_read(tmp_path, formula):
    """A hidden column is read like the others: a stale 任课 or 身份证号 out of the clerk's sight
    decides people unseen. R052 names the hidden columns with a header and a value (HR trial hr25),
    whichever library read the workbook; the columns right of the table hidden to the sheet's end,
    as many templates hide them, are nothing to say."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "孕期", "备注"])
    for k in range(1, 4):
        sheet.append([f"T{k}", "女", "1980-01-01", "S1", "2015-09-01", "2000-09-01", "是" if k == 2 else "否",
                      "=1+1" if formula else ""])
    sheet.column_dimensions["G"].hidden = True  # 孕期, read by the policy
    sheet.column_dimensions["H"].hidden = True  # 备注, empty (without the formula): nothing hidden to say
    sheet.column_dimensions.group("J", "XFD", hidden=True)  # beyond the table
    path = tmp_path / "r.xlsx"
    book.save(path)
    roster = _policy().read_roster(path, CORPUS / "schools.csv")
    hidden = "“孕期”、“备注”" if formula else "“孕期”"
    assert [w.message("zh") for w in roster.warnings if w.code == "R052"] == [
        f"工作表“花名册”的列{hidden}被隐藏，{'这些列' if formula else '该列'}也已读取，与其他列一样处理；"
        "请取消隐藏核对其内容，如不应读取请删除"]
    sheet.column_dimensions["G"].hidden = False
    sheet.column_dimensions["H"].hidden = False
    book.save(path)
    assert [w for w in _policy().read_roster(path, CORPUS / "schools.csv").warnings if w.code == "R052"] == []


EMPTY_FILES = {"empty.csv": b"", "bom.csv": b"\xef\xbb\xbf", "blank.csv": b"\xef\xbb\xbf,,,\r\n , ,\r\n\r\n",
               "gbk_blank.csv": "\u3000,\r\n".encode("gb18030"), "empty.xlsx": b"", "empty.json": b"",
               "empty.parquet": b""}


def _empty_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active["B3"].number_format = "@"  # a formatted cell, nothing in it
    book.create_sheet("Sheet2")
    book.save(path)
    return path


@pytest.mark.parametrize("name", [*EMPTY_FILES, "workbook.xlsx"])
def test_an_empty_file_is_said_to_be_empty_once(tmp_path, name):
    """A file with nothing in it (0 bytes, a BOM alone, blank lines and delimiters, a workbook of
    empty sheets) is one problem of the file that says so (R009, naming it), in both readers; not
    16 missing columns and "all 0 teachers cannot be decided"."""
    from policylang.io.columnar import read_frame

    path = _empty_workbook(tmp_path / name) if name == "workbook.xlsx" else tmp_path / name
    if name in EMPTY_FILES:
        path.write_bytes(EMPTY_FILES[name])
    policy = _policy()
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    (problem,) = roster.problems
    assert (problem.code, problem.file, problem.row, problem.column) == ("R009", str(path), None, None)
    assert "没有表头，也没有任何数据" in problem.message_zh and "no header" in problem.message_en
    assert ("0 字节" in problem.message_zh) == (path.stat().st_size == 0)
    if path.suffix in (".csv", ".parquet"):  # the streamed reader says the same
        problems, frame, _, _ = read_frame(policy.checked, path, CORPUS / "schools.csv")
        assert frame is None and [(p.code, p.message_zh) for p in problems] == [(problem.code, problem.message_zh)]
    # the schools file alike
    schools = policy.read_roster(CORPUS / "teachers.csv", path)
    assert [(p.code, p.message_zh) for p in schools.problems if p.file == str(path)] == [
        (problem.code, problem.message_zh)]
    result = CliRunner().invoke(cli, ["eval", str(CORPUS / "policy.pol"), str(path), "--schools",
                                      str(CORPUS / "schools.csv"), "--lang", "zh", "-o", str(tmp_path / "out.csv")])
    assert result.exit_code != 0 and result.stderr.count("[R") == 1 and "R001" not in result.stderr
    assert "全部 0 名" not in result.stderr


def test_a_blank_head_of_a_longer_csv_is_read_by_the_row_reader(tmp_path):
    """64 KiB of blank lines, then a header: the streamed reader does not guess from its head."""
    from policylang.io.columnar import read_frame

    path = tmp_path / "t.csv"
    path.write_bytes(b"\r\n" * 40_000 + b"id,sex\r\n")
    problems, frame, _, _ = read_frame(_policy().checked, path, CORPUS / "schools.csv")
    assert frame is None and [p.code for p in problems] == ["R009"]  # the sign to read it row by row
    assert all(p.code != "R009" for p in _policy().read_roster(path, CORPUS / "schools.csv").problems)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rows_a_template_numbers_ahead_are_blank_rows(tmp_path, suffix):
    """A template numbers its rows (序号) down the sheet before anyone is entered: those rows were
    teachers with every required cell empty (6 rows, 42 problems, nothing decided). A row that
    fills anything else is still read, and its problems said."""
    import csv

    import openpyxl

    with open("examples/teachers.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    width = len(rows[0])
    table = [["序号", *rows[0]]] + [[k, *r] for k, r in enumerate(rows[1:6], 1)] + [[k] + [""] * width
                                                                                  for k in range(6, 12)]
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(table)
    else:
        book = openpyxl.Workbook()
        for r in table:
            book.active.append(r)
        book.save(path)
    policy = policylang.load("policies/fujian_pilot_district.pol")
    out = tmp_path / "d.csv"
    streamed = policy.stream_decisions(path, "examples/schools.csv", out) if suffix == ".csv" else None
    roster = policy.read_roster(path, "examples/schools.csv")
    assert not roster.problems and len(roster.teachers) == 5
    if streamed is not None:
        assert not streamed.problems and len(out.read_text(encoding="utf-8-sig").splitlines()) == 6
    table[8][2] = "女"  # a row that fills a column of the table is a row: its empty cells are its problems
    with open(tmp_path / "u.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    assert {p.row for p in policy.read_roster(tmp_path / "u.csv", "examples/schools.csv").problems} == {9}


def _one_sheet(tmp_path, change=None) -> Path:
    """examples/teachers.csv with each row's school columns beside it, as a county's one-sheet roster."""
    import csv

    with open("examples/teachers.csv", encoding="utf-8") as f:
        teachers = list(csv.DictReader(f))
    with open("examples/schools.csv", encoding="utf-8") as f:
        schools = {r["school_id"]: r for r in csv.DictReader(f)}
    rows = [t | {k: v for k, v in schools[t["school_id"]].items() if k != "school_id" and k != "name"}
            for t in teachers]
    if change:
        change(rows)
    path = tmp_path / "one.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_one_sheet_roster_given_for_both_tables_reads_its_schools_from_its_rows(tmp_path):
    """A county's roster of one sheet, each teacher's row carrying its school's columns, given as
    both files: the schools table was its rows (school ids repeated, R004 on every row, ~20 R012
    lines), nothing decided. Now one school per id, the same decisions as two files."""
    path = _one_sheet(tmp_path)
    policy = policylang.load("policies/fujian_pilot_district.pol")
    roster = policy.read_roster(path, path)
    assert not roster.problems
    codes = [w.code for w in roster.warnings]
    assert codes.count("R036") == 1 and codes.count("R012") == 1, codes  # the school columns said once
    two = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    assert [d.to_json() for d in policy.evaluate(roster)] == [d.to_json() for d in policy.evaluate(two)]
    streamed = policy.stream_decisions(path, path, tmp_path / "d.csv")
    assert not streamed.problems and len((tmp_path / "d.csv").read_text(encoding="utf-8-sig").splitlines()) == 401


def test_a_one_sheet_roster_whose_rows_disagree_on_a_school_says_where(tmp_path):
    def disagree(rows):
        mine = [r for r in rows if r["school_id"] == rows[0]["school_id"]]
        mine[1]["area"] = "rural" if mine[0]["area"] != "rural" else "urban"
    path = _one_sheet(tmp_path, disagree)
    roster = policylang.load("policies/fujian_pilot_district.pol").read_roster(path, path)
    said = [p for p in roster.problems if p.code == "R004"]
    assert len(said) == 2 and all("area" in p.message("en") and "must agree" in p.message("en") for p in said)
    assert {p.row for p in said} == {2, next(p.row for p in said if p.row != 2)}
    school = roster.teachers[0].values["school_id"]
    assert all(not t.valid for t in roster.teachers if t.values.get("school_id") == school)  # R014: not decided
    assert any(t.valid for t in roster.teachers)


def test_a_one_sheet_roster_s_bad_school_cell_leaves_that_school_s_teachers_undecided(tmp_path):
    """A school column read from the teachers' rows is checked as a schools file's is: 区域 月球 on
    one row is that row's problem (R003), and the school's teachers are not decided (R014)."""
    def bad(rows):
        rows[0]["area"] = "moon"
    path = _one_sheet(tmp_path, bad)
    roster = policylang.load("policies/fujian_pilot_district.pol").read_roster(path, path)
    assert [(p.code, p.row, p.column) for p in roster.problems if p.code in ("R003", "R004")] == [("R003", 2, "area")]
    school = roster.teachers[0].values["school_id"]
    assert all(not t.valid for t in roster.teachers if t.values.get("school_id") == school)


def test_a_header_over_two_rows_with_cells_merged_down_is_read_as_one(tmp_path):
    """The HR trial: 任教经历 spanning 农村任教年限, 薄弱学校任教年限 and 任教学校数 in the row below,
    the other headers merged down over both rows, was refused: those columns said missing, and
    the second header row read as a teacher with twelve problems."""
    from openpyxl import Workbook

    header, *rows = list(csv.reader(Path("examples/teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    grouped = header[header.index("rural_years"):header.index("schools_served") + 1]  # five columns side by side
    upper = ["任教经历" if h in grouped else h for h in header]
    book = Workbook()
    sheet = book.active
    sheet.append(["XX县2026年教师花名册"])
    sheet.append(upper)
    sheet.append(header)  # the merged cells read as their first cell's value: the header again, but the group's
    for row in rows[:30]:
        sheet.append(row)
    for k, h in enumerate(header, 1):
        if h not in grouped:
            sheet.merge_cells(start_row=2, start_column=k, end_row=3, end_column=k)
    first, last = header.index(grouped[0]) + 1, header.index(grouped[-1]) + 1
    sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
    path = tmp_path / "two_rows.xlsx"
    book.save(path)
    policy = policylang.load("policies/fujian_pilot_district.pol")
    roster = policy.read_roster(path, "examples/schools.csv")
    assert not roster.problems and len(roster.teachers) == 30 and roster.teachers[0].line == 4
    said = [w.message("zh") for w in roster.warnings if w.code == "R024"]
    assert said[-1] == ("表头占第2–3行（单元格上下合并）：“任教经历”下的各列按第3行的列名（“rural_years”、"
                        "“rural_continuous_years”、“weak_years”、“mountain_years”、“schools_served”）读取")
    plain = policy.read_roster(Path("examples/teachers.csv"), "examples/schools.csv")
    assert [r.values for r in roster.teachers] == [r.values for r in plain.teachers[:30]]
