"""The fast workbook reader (calamine, ``io/xlsx.py``) against openpyxl's, the reference: on
workbooks with merged cells, formulas, several sheets, dates as date cells and as text,
Chinese headers, empty rows and odd cells, both give the same rows and the same problems.
Each workbook is also checked to take the reader it should: calamine where the two read
alike, openpyxl where they would not (a formula without a cached value, an error cell …)."""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles.numbers import is_date_format, is_timedelta_format
from python_calamine import CalamineWorkbook

from policylang.io import xlsx
from policylang.io.roster.model import LoadedTable
from policylang.io.roster.reader import load_table
from policylang.lang import schema as S
from policylang.lang.decisions import MonthDate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HEADER_ZH = ["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "职称", "骨干级别", "孕期",
             "乡村学校任教年限", "备注"]
SCHOOLS_HEADER = ["学校代码", "学校名称", "区域", "学段"]


def read_both(path: Path, table: S.Table = S.TEACHERS, monkeypatch=None) -> tuple[LoadedTable, LoadedTable]:
    """The table as openpyxl reads it, and as the workbook reader reads it."""
    new = load_table(path, table)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx, "calamine_sheets", _refuse)
        old = load_table(path, table)
    return old, new


def _refuse(path):
    raise xlsx._Unlike("the reference")  # noqa: SLF001


def fast(path: Path) -> bool:
    """Whether calamine reads the workbook (else openpyxl does)."""
    try:
        xlsx.calamine_sheets(path)
    except xlsx._Unlike:  # noqa: SLF001
        return False
    return True


def plain(rows):
    """Rows as the cell grammar sees them: an empty cell is empty whether None, "" or spaces alone
    (the grammar trims every cell; calamine reads a text of spaces alone as ""), a whole
    number alike as 3 or 3.0, a date cell alike as a date or a datetime at midnight; trailing
    empty cells dropped."""
    out = []
    for row in rows:
        cells = []
        for v in row:
            if v is None or (isinstance(v, str) and not v.strip()):
                v = None
            elif isinstance(v, dt.datetime) and v.time() == dt.time():
                v = v.date()
            elif isinstance(v, float) and v.is_integer():
                v = int(v)
            cells.append(v)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:  # empty rows below the table: openpyxl reads the rows a writer left, calamine not
        out.pop()
    return out


def assert_same(path: Path, table: S.Table = S.TEACHERS) -> LoadedTable:
    old, new = read_both(path, table)
    assert new.problems == old.problems
    assert new.warnings == old.warnings
    assert new.headers == old.headers
    assert [(r.line, r.values, r.problems) for r in new.rows] == [(r.line, r.values, r.problems) for r in old.rows]
    assert new == old
    reference = xlsx.openpyxl_sheets(path)
    read = xlsx.sheets(path)
    assert [t for t, _ in read] == [t for t, _ in reference]
    assert [plain(rows) for _, rows in read] == [plain(rows) for _, rows in reference]
    return new


# ---- workbooks that calamine reads ---------------------------------------------------------


def typed_workbook(path: Path) -> Path:
    """What an HR office's Excel sheet holds: dates as date cells in several formats and as
    text, numbers, booleans, ids as numbers, empty rows, bad values, Chinese headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADER_ZH)
    rows = [
        [1001, "王芳", "女", dt.datetime(1980, 3, 1), "S1", dt.datetime(2015, 9, 1), dt.date(2002, 9, 1), "中学高级",
         "区级", True, 3, "  备注 "],
        ["1002", "李强", "男", "1975-05-06", "S1", "2010.09", "1998年9月1日", "小学高级", "无", "否", 2.0, None],
        ["1003", "张三", "男", "198503", "S1", "2019/9/1", dt.datetime(2008, 9, 1), "一级", "无", 0, "5", "+86 备注"],
        [None] * 12,  # an empty row inside the table: not a person, and the rows after it keep their numbers
        ["1004", "赵四", "女", 1985.1, "S1", "二〇一〇年", dt.datetime(2008, 9, 1), "什么", "省级", "也许", -1, ""],
        ["1004", "钱五", "女", "１９８５－０３", "S9", dt.datetime(2015, 9, 1), dt.datetime(2008, 9, 1), "二级", "", "1",
         2.5, 7],
        ["", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    for row in rows:
        ws.append(row)
    for cell, fmt in (("D2", "yyyy-mm-dd"), ("F2", 'yyyy"年"m"月"d"日"'), ("G2", "m/d/yyyy"), ("G4", "[$-804]yyyy/m/d"),
                      ("F7", "yyyy.mm.dd;@"), ("G7", "d-mmm-yy"), ("K2", "0.00"), ("K6", "0_ ")):
        ws[cell].number_format = fmt
    ws.append([None] * 3)
    wb.save(path)
    return path


def test_a_typed_chinese_workbook_reads_alike(tmp_path):
    path = typed_workbook(tmp_path / "t.xlsx")
    assert fast(path)
    table = assert_same(path)
    codes = sorted(p.code for r in table.rows for p in r.problems)
    assert {"R002", "R003", "R004", "R008"} <= set(codes)  # the bad values are refused, alike
    assert [r.line for r in table.rows] == [2, 3, 4, 6, 7]
    assert table.rows[0].values["birth_date"] == dt.date(1980, 3, 1) and table.rows[0].values["id"] == "1001"


def test_merged_cells_read_alike(tmp_path):
    """A school code merged down its teachers' rows, a merged title cell across the header's
    width above nothing, a merged range reaching past the last cell of its row."""
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "孕期"])
    for k in range(6):
        ws.append([f"T{k}", f"教师{k}", "女", "1980-01-01", "S1" if k == 0 else None, "2015-09-01", "2002-09-01",
                   "否"])
    ws.merge_cells("E2:E5")
    ws.merge_cells("H6:J7")
    ws["A9"] = "合计"
    ws.merge_cells("A9:D9")
    wb.save(path)
    assert fast(path)
    table = assert_same(path)
    assert [r.values["school_id"] for r in table.rows[:5]] == ["S1", "S1", "S1", "S1", None]
    # the total, a form's footer (R030), is no teacher: its merged cell fills the required 性别
    # and 出生日期 with 合计 as well; a row below with no value of its own stays blank
    assert [(w.code, w.row) for w in table.warnings if w.code == "R030"] == [("R030", 9)]
    ws.merge_cells("A9:D10")
    wb.save(path)
    assert not fast(path)
    table = assert_same(path)
    assert [r.values["id"] for r in table.rows[-2:]] == ["T4", "T5"]
    assert [(w.code, w.row) for w in table.warnings if w.code == "R030"] == [("R030", 9)]
    # the school code merged down over its teachers' rows is no person's own value, the footer's
    # merged cell covers one row that is read: no word of them; 孕期 merged over T4 and T5 (R040)
    assert [(w.code, w.column) for w in table.warnings if w.code == "R040"] == [("R040", "孕期")]
    assert "H6:H7" in next(w for w in table.warnings if w.code == "R040").message_en


@pytest.mark.parametrize("force_openpyxl", [False, True])
def test_a_person_s_own_value_merged_over_several_rows_is_said_and_a_blank_row_stays_blank(tmp_path, force_openpyxl):
    """An HR trial: 孕期 是 merged over a man's row and a woman's exempted both, and a birth date
    merged over two people gave the second the first's, exit 0 without a word: each row is still
    read as the sheet shows it, and said once per column (R040, naming the ranges). A school
    code merged down over the blank row below a school's teachers leaves that row blank (it was
    read as a teacher with every other cell missing)."""
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "孕期"])
    for k in range(4):
        ws.append([f"T{k}", f"教师{k}", "女", "1980-01-01", "S1" if k == 0 else None, "2015-09-01", "2002-09-01",
                   "否" if k < 2 else ("是" if k == 2 else None)])
    ws.append([None] * 8)
    ws.merge_cells("E2:E6")  # S1 down over its teachers and the blank row below them
    ws.merge_cells("H4:H5")  # 孕期 是 over T2 and T3
    ws.merge_cells("D2:D3")  # one birth date for T0 and T1
    wb.save(path)
    with pytest.MonkeyPatch.context() as patch:
        if force_openpyxl:
            patch.setattr(xlsx, "calamine_sheets", _refuse)
        table = load_table(path, S.TEACHERS)
    assert [r.values["id"] for r in table.rows] == ["T0", "T1", "T2", "T3"] and not table.problems
    assert [r.values["pregnant"] for r in table.rows] == [False, False, True, True]  # as the sheet shows it
    said = {w.column: w for w in table.warnings if w.code == "R040"}
    assert set(said) == {"孕期", "出生日期"}
    assert "H4:H5" in said["孕期"].message_zh and "取消合并后逐行填写" in said["孕期"].message_zh
    assert "D2:D3" in said["出生日期"].message_en


def test_several_sheets_read_alike(tmp_path):
    """An instructions sheet before the roster, and a schools table after it, read for each table:
    no word of the other table's sheet nor of 填表说明 (the template's instructions), one of any
    other sheet with rows (R020 names the sheet read); two sheets with teachers are refused alike."""
    path = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["请按模板填写"])
    wb.active.append([None])
    teachers = wb.create_sheet("教师")
    teachers.append(["", *HEADER_ZH[:7]])  # a leading empty column
    teachers.append([None, "T1", "王芳", "女", dt.datetime(1980, 3, 1), "S1", "2015-09-01", "2002-09-01"])
    schools = wb.create_sheet("学校")
    schools.append(SCHOOLS_HEADER)
    schools.append(["S1", "城关小学", "城区", "小学"])
    wb.create_sheet("空表")
    wb.save(path)
    assert fast(path)
    for table in (S.TEACHERS, S.SCHOOLS):
        read = assert_same(path, table)
        assert [w.code for w in read.warnings if w.code == "R020"] == []
    wb.create_sheet("备注").append(["2025年9月"])
    wb.save(path)
    for table in (S.TEACHERS, S.SCHOOLS):
        read = assert_same(path, table)
        sheet = "教师" if table.name == "teacher" else "学校"
        assert [w.message("zh") for w in read.warnings if w.code == "R020"] == [
            f"工作簿有 4 张含数据的工作表：读取了“{sheet}”；“备注”（1 行）没有{sheet}表头，未读取：其中如有{sheet}，"
            f"请移到“{sheet}”"]
    wb.copy_worksheet(teachers).title = "教师（副本）"
    wb.save(path)
    old, new = read_both(path)
    assert new == old and [p.code for p in new.problems] == ["R009"]


def test_formulas_with_their_values_are_read_by_calamine(tmp_path):
    """A workbook saved by a program that calculates (Excel, WPS; here XlsxWriter with the
    values given) holds each formula's value: read alike, by calamine."""
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("名册")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "乡村学校任教年限"])
    for r in range(1, 4):
        ws.write_row(r, 0, [f"T{r}", "某", "男"])
        ws.write_datetime(r, 3, dt.datetime(1980, r, 1), date)
        ws.write_formula(r, 4, '="S"&1', None, "S1")
        ws.write_datetime(r, 5, dt.datetime(2015, 9, 1), date)
        ws.write_formula(r, 6, "=F2-4000", date, 38000 + r)
        ws.write_formula(r, 7, "=1+1", None, 2)
    wb.close()
    assert fast(path)
    table = assert_same(path)
    assert table.rows[0].values["school_id"] == "S1" and table.rows[0].values["work_start"] == dt.date(2004, 1, 15)


def test_inline_strings_and_the_bundled_example_read_alike(tmp_path):
    path = tmp_path / "inline.xlsx"
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})  # strings inline, not shared
    ws = wb.add_worksheet()
    ws.write_row(0, 0, SCHOOLS_HEADER)
    ws.write_row(1, 0, ["S1", "城关小学", "城区", "小学"])
    ws.write_row(3, 0, ["S2", "  山区学校  ", "山区", "初中"])
    wb.close()
    assert fast(path)
    assert_same(path, S.SCHOOLS)
    assert fast(EXAMPLES / "teachers.xlsx")
    assert_same(EXAMPLES / "teachers.xlsx")


CELLS = [None, "", " ", "是", "否", "true", "0", "1", 0, 1, 2.5, 3.0, -1, True, False, "1985-03-01", "1985.3",
         "198503", "1985年3月1日", "1985/13/1", dt.datetime(1985, 3, 1), dt.datetime(2020, 2, 29), "S1", "S2", "T1",
         "中学高级", "一级", "区级", "女", "M", "x", 1001, 123456789012, "  空格  "]


@pytest.mark.parametrize("seed", range(12))
def test_random_workbooks_read_alike(tmp_path, seed):
    """Random cells of every kind in every column, under a header in English or Chinese, some
    rows empty, some cells merged; each read alike by both."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    header = (HEADER_ZH if seed % 2 else
              ["id", "name", "sex", "birth_date", "school_id", "school_start", "work_start", "title", "backbone",
               "pregnant", "rural_years", "note"])
    ws.append(header)
    for _ in range(40):
        ws.append([] if rng.random() < 0.1 else [rng.choice(CELLS) for _ in header])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and rng.random() < 0.3:
                # a date format on a whole day's number (1001 is 1902-09-27); a fraction or a number before
                # 1900-03-01 as a date goes to openpyxl (test_what_calamine_reads_otherwise_goes_to_openpyxl)
                cell.number_format = rng.choice(["0.0", "@", "General"] + (["yyyy-mm-dd"] * 3 if cell.value == 1001 else []))
    for _ in range(rng.randrange(3)):
        top, left = rng.randrange(2, 40), rng.randrange(1, 12)
        ws.merge_cells(start_row=top, start_column=left, end_row=top + rng.randrange(3), end_column=left + rng.randrange(2))
    path = tmp_path / "r.xlsx"
    wb.save(path)
    assert fast(path)  # every cell kind here is one calamine reads as openpyxl does
    assert_same(path)


# ---- workbooks that go to openpyxl -------------------------------------------------------


def _one_cell(path: Path, value, number_format: str | None = None, epoch_1904: bool = False, data_type=None) -> Path:
    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "身份证号", "备注"])
    ws.append(["T1", "王芳", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "", None])
    cell = ws["I2"] if not isinstance(value, (dt.date, dt.time, dt.timedelta)) else ws["D2"]
    cell.value = value
    if number_format:
        cell.number_format = number_format
    if data_type:
        cell.data_type = data_type
    wb.save(path)
    return path


@pytest.mark.parametrize("what,value,fmt,epoch_1904,data_type", [
    ("a formula without its value", "=A2&B2", None, False, None),
    ("an error cell", "#N/A", None, False, "e"),
    ("an escaped character", "a_x000D_b", None, False, None),
    ("a date-time", dt.datetime(1980, 3, 1, 10, 30), None, False, None),
    ("a time", dt.time(10, 30), None, False, None),
    ("a duration", dt.timedelta(hours=30), "[h]:mm", False, None),
    ("a date in 1900's first months", dt.datetime(1900, 2, 1), None, False, None),
    ("a 1904-based workbook", dt.datetime(1980, 3, 1), None, True, None),
    ("a number format the two read differently", 3, "0*d", False, None),
])
def test_what_calamine_reads_otherwise_goes_to_openpyxl(tmp_path, what, value, fmt, epoch_1904, data_type):
    path = _one_cell(tmp_path / "x.xlsx", value, fmt, epoch_1904, data_type)
    assert not fast(path), what
    assert_same(path)


def test_dates_written_as_iso_text_go_to_openpyxl(tmp_path):
    """A date cell may hold its date as ISO text (``t="d"``, openpyxl's ``iso_dates``)."""
    wb = openpyxl.Workbook()
    wb.iso_dates = True
    wb.active.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    wb.active.append(["T1", "王芳", "女", dt.datetime(1980, 3, 1), "S1", dt.date(2015, 9, 1), "2002-09-01"])
    path = tmp_path / "iso.xlsx"
    wb.save(path)
    assert b't="d"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert not fast(path)
    assert assert_same(path).rows[0].values["birth_date"] == dt.date(1980, 3, 1)


def test_a_number_of_18_digits_goes_to_openpyxl(tmp_path):
    """openpyxl writes such a number as a float, as Excel does; other writers keep every digit,
    which openpyxl reads exactly and calamine as a float (110105198001010016)."""
    path = _one_cell(tmp_path / "x.xlsx", 110105198001010012)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"<v>1.1010519800101e+17</v>" in parts[sheet]
    parts[sheet] = parts[sheet].replace(b"<v>1.1010519800101e+17</v>", b"<v>110105198001010012</v>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert not fast(path)
    assert assert_same(path).rows[0].values["备注"] == "110105198001010012"


def test_a_formula_without_its_value_is_said_as_before(tmp_path):
    table = assert_same(_one_cell(tmp_path / "x.xlsx", "=A2&B2"))
    # an unknown column, read by nothing: the formula's text is no value either (carried, said: R045)
    assert table.rows[0].values["备注"] is None
    path = tmp_path / "y.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    wb.active.append(["T1", "王芳", "女", "=DATE(1980,3,1)", "S1", "2015-09-01", "2002-09-01"])
    wb.save(path)
    assert not fast(path)
    table = assert_same(path)
    assert [p.code for p in table.rows[0].problems] == ["R019"]


def test_a_formula_whose_result_is_the_empty_text_is_an_empty_cell(tmp_path):
    """`=IF(…,"是","")` as Excel, WPS and LibreOffice save it when the result is "" (``t="str"``,
    an empty ``<v>``): an empty cell, as the sheet shows it (an HR trial: 399 rows refused as
    formulas left uncalculated, R019, after the clerk had recalculated and saved as told). A
    formula with no stored result at all is still R019."""
    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "孕期"])
    for k, result in enumerate(["是", "", None]):
        wb.active.append([f"T{k}", "王芳", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01",
                          f'=IF(A{k + 2}="T0","是","")'])
    wb.save(path)
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    for k, result in enumerate(["是", "", None]):  # the results stored as Excel stores them (openpyxl stores none)
        if result is not None:
            xml = re.sub(rf'<c r="H{k + 2}"><f>(.*?)</f><v ?/>', rf'<c r="H{k + 2}" t="str"><f>\1</f><v>{result}</v>', xml)
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert '<v></v>' in xml and '<v>是</v>' in xml
    table = assert_same(path)
    assert [r.values.get("pregnant") for r in table.rows[:2]] == [True, False]
    assert [[p.code for p in r.problems] for r in table.rows] == [[], [], ["R019"]]


def test_a_whole_number_formatted_with_leading_zeros_is_read_as_shown(tmp_path):
    """工号 1 in a cell formatted `000000` is 000001 on the clerk's screen, and 学校代码 2 formatted
    `0000` is 0002, the code the schools sheet has as text (an HR trial: the decisions carried 工号
    1, and the school was unknown, R005). Read as shown, alike by both readers; a number in
    another format, and a 18-digit number past a cell's 15 digits, are read as before."""
    path = tmp_path / "z.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "任教学校数"])
    ws.append([1, "王芳", "女", "1980-03-01", 2, "2015-09-01", "2002-09-01", 2])
    ws.append([12, "李明", "男", "1979-03-01", 2, "2015-09-01", "2002-09-01", 1])
    for cell, code in (("A2", "000000"), ("A3", "000000"), ("E2", "0000"), ("E3", "0000"), ("H2", "0.00")):
        ws[cell].number_format = code
    wb.save(path)
    assert not fast(path)
    table = assert_same(path)
    assert [(r.values["id"], r.values["school_id"], r.values["schools_served"]) for r in table.rows] == [
        ("000001", "0002", 2), ("000012", "0002", 1)]


def test_a_group_s_title_merged_across_the_row_is_said_and_not_read(tmp_path):
    """第二中学教师 merged across the row above each school's teachers (an HR trial: each such row
    was a teacher with 30 problems, 376 lines, and counted among the teachers): not read, said
    once a row (R041), alike by both readers; a title above the header is the header's business."""
    path = tmp_path / "g.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["青溪县教师花名册"] + [None] * 6)
    ws.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    ws.append(["第一中学教师"] + [None] * 6)
    ws.append(["T1", "王芳", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01"])
    ws.append(["第二中学教师"] + [None] * 6)
    ws.append(["T2", "李明", "男", "1979-03-01", "S1", "2015-09-01", "2002-09-01"])
    for row in (1, 3, 5):
        ws.merge_cells(f"A{row}:G{row}")
    wb.save(path)
    table = assert_same(path)
    assert [(r.line, r.values["id"]) for r in table.rows] == [(4, "T1"), (6, "T2")] and not table.problems
    assert [(w.code, w.row, w.value) for w in table.warnings if w.code == "R041"] == [
        ("R041", 3, "第一中学教师"), ("R041", 5, "第二中学教师")]


def test_a_file_calamine_cannot_open_is_refused_as_before(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    old, new = read_both(path)
    assert new == old and [p.code for p in new.problems] == ["R009"]


# ---- the number formats calamine reads as dates -----------------------------------------

FORMATS = ["yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "[$-804]yyyy/m/d", "m/d/yy h:mm", "hh:mm:ss", "[h]:mm:ss", "[mm]:ss",
           "0.00", "#,##0", "@", "General", '0.0 "天"', "0*d", "*-yyyy", "\\d0", "_d0", "[Red]0", "[Red]d", "am/pm",
           "a", "0;d", "d;0", "[DBNum1][$-804]yyyy\"年\"m\"月\"", "e/m/d", "[$-F800]dddd, mmmm dd, yyyy",
           "yyyy.mm.dd;@", "0_ ", "[>=100]0", "[s].0", "h AM/PM", "mmss.0", '"y"0']


def test_the_copy_of_calamines_date_formats_agrees_with_calamine(tmp_path):
    """``xlsx._calamine_format`` decides which workbooks calamine may read: it must say what
    calamine itself does, format by format (a new calamine that reads them otherwise fails here)."""
    path = tmp_path / "formats.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    for r, fmt in enumerate(FORMATS):
        ws.write_number(r, 0, 40000.25, wb.add_format({"num_format": fmt}))
    wb.close()
    with CalamineWorkbook.from_path(str(path)) as book:
        read = [row[0] for row in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    kinds = ["duration" if isinstance(v, dt.timedelta) else "date" if isinstance(v, (dt.date, dt.time)) else None
             for v in read]
    assert [xlsx._calamine_format(f) for f in FORMATS] == kinds  # noqa: SLF001
    openpyxl_kinds = [None if not is_date_format(f) else "duration" if is_timedelta_format(f) else "date"
                      for f in FORMATS]
    assert openpyxl_kinds != kinds  # the two do differ (0*d): the guard has something to guard


@pytest.mark.parametrize("code", ['yyyy"年"m"月"', "yyyy-mm", "yyyy.mm", "mmm-yy", "mmmm yyyy",
                                  '[$-804]yyyy"年"m"月";@'])
def test_a_date_cell_shown_as_a_year_and_month_is_read_as_a_month_its_day_not_known(tmp_path, code):
    """Excel stores 1970年9月 typed into a cell as 1970-09-01 with a year-month format: the day is
    not known, so the cell reads as a year-month date (``MonthDate``), as `1970-09` in a CSV does;
    a full date, or the same value formatted with its day, stays a date."""
    import datetime as dt

    import openpyxl

    from policylang.lang.decisions import MonthDate

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["id", "birth_date", "school_start"])
    sheet.append(["T1", dt.datetime(1970, 9, 1), dt.datetime(2015, 9, 1)])
    sheet.append(["T2", dt.datetime(1970, 9, 1), dt.datetime(2015, 9, 1)])
    sheet["B2"].number_format = code
    sheet["B3"].number_format = 'yyyy"年"m"月"d"日"'
    path = tmp_path / "t.xlsx"
    wb.save(path)
    for read in (xlsx.sheets, xlsx.openpyxl_sheets):
        rows = read(path)[0][1]
        assert type(rows[1][1]) is MonthDate and rows[1][1] == dt.date(1970, 9, 1), (read.__name__, rows[1])
        assert type(rows[2][1]) is dt.datetime and type(rows[1][2]) is dt.datetime


@pytest.mark.parametrize("code, month", [('yyyy"年"m"月"', True), ("yyyy-mm", True), ("mmm-yy", True),
                                         ("yyyy-mm-dd", False), ('m"月"d"日"', False), ("h:mm", False),
                                         ('"day" yyyy-mm', True), ("0.00", False), (None, False),
                                         ("yyyy-mm hh:mm", False), ('e"年"m"月"', True),
                                         ('[$-804]e"年"m"月"', True), ('e"年"m"月"d"日"', False)])
def test_which_formats_show_a_year_and_month_only(code, month):
    from policylang.io.xlsx import year_month_format

    assert year_month_format(code) is month


def _with_builtin_format(path, number: int) -> None:
    """``path``'s custom number format `yyyy"年"m"月"` turned into the built-in ``number``, as a
    Chinese Excel or WPS writes a cell typed as 1970年9月 (format 57, which openpyxl cannot write)."""
    import re
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    styles = parts["xl/styles.xml"].decode()
    custom = re.search(r'<numFmt numFmtId="(\d+)" formatCode="yyyy&quot;年', styles).group(1)
    styles = re.sub(r"<numFmts.*?</numFmts>", "", styles.replace(f'numFmtId="{custom}"', f'numFmtId="{number}"'))
    parts["xl/styles.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("number, month", [(27, True), (36, True), (50, True), (52, True), (57, True), (31, False),
                                           (28, False), (58, False)])
def test_a_chinese_locale_s_built_in_date_formats_are_read_as_excel_shows_them(tmp_path, number, month):
    """Formats 27-36 and 50-58 are the locale's: in a Chinese Excel or WPS 27, 36, 50, 52 and 57
    show a year and a month (1970年9月 typed into a cell), 31 a full date, 28 and 58 a month and
    day. A year-month one reads as a month, its day not known, by both readers (before, calamine
    read it as the first of the month and openpyxl as the number 25812)."""
    from policylang.lang.decisions import MonthDate

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["id", "birth_date"])
    sheet.append(["T1", dt.datetime(1970, 9, 1)])
    sheet["B2"].number_format = 'yyyy"年"m"月"'
    path = tmp_path / "t.xlsx"
    wb.save(path)
    _with_builtin_format(path, number)
    for read in (xlsx.sheets, xlsx.openpyxl_sheets):
        value = read(path)[0][1][1][1]
        day = value.date() if isinstance(value, dt.datetime) else value  # (openpyxl: a datetime at midnight)
        assert (type(value) is MonthDate) is month and day == dt.date(1970, 9, 1), (read.__name__, value)
    with CalamineWorkbook.from_path(str(path)) as book:  # xlsx._CALAMINE_BUILTIN says what calamine does
        read = book.get_sheet_by_index(0).to_python()[1][1]
    assert isinstance(read, dt.date) is (xlsx._CALAMINE_BUILTIN.get(number) == "date")  # noqa: SLF001


@pytest.mark.parametrize("force_openpyxl", [False, True])
def test_a_year_and_month_typed_into_a_number_cell_reads_as_the_sheet_shows_it(tmp_path, force_openpyxl):
    """1985.03 in a General cell is the number 1985.03: read as March 1985, as the CSV that Excel
    exports of the sheet says it; 1985.1 (1985.10 kept as a number, or January?) is refused saying
    why, as that CSV's text is. Both readers of a workbook alike; a number elsewhere stays a number."""
    import openpyxl

    import policylang

    header = ["工号", "性别", "出生年月", "学校代码", "到校时间", "参加工作时间", "岗位", "农村任教年限"]
    rows = [["1", "女", 1985.03, "S1", 2010.09, "2005-09-01", "教师", 12.25],
            ["2", "女", 1985.1, "S1", "2010-09-01", "2005-09-01", "教师", 2.5],
            ["3", "男", 1975.12, "S1", "2010-09-01", "2005-09-01", "教师", 0]]
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(tmp_path / "t.xlsx")
    (tmp_path / "t.csv").write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("学校代码,区域,学段\nS1,城区,小学\n", encoding="utf-8")
    policy = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                              'rule R-1 "x" cite S when age at most 50 years and rural_years at least 1 year then eligible\n')
    with pytest.MonkeyPatch.context() as patch:
        if force_openpyxl:
            patch.setattr(xlsx, "calamine_sheets", _refuse)
        read = policy.read_roster(tmp_path / "t.xlsx", tmp_path / "s.csv")
    exported = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    for roster_read in (read, exported):
        (problem,) = roster_read.problems
        assert problem.code == "R002" and problem.column == "出生年月" and "1985.01 或 1985.10" in problem.message("zh")
        first, third = roster_read.valid_teachers()
        assert (type(first.values["birth_date"]), first.values["birth_date"]) == (MonthDate, MonthDate(1985, 3, 1))
        assert (type(first.values["school_start"]), first.values["school_start"]) == (MonthDate, MonthDate(2010, 9, 1))
        assert first.values["rural_years"] == 12.25  # a number column's number, as it was
        assert third.values["birth_date"] == MonthDate(1975, 12, 1)


@pytest.mark.parametrize("force_openpyxl", [False, True])
def test_a_number_in_a_date_cell_that_is_no_date_is_read_as_the_number(tmp_path, force_openpyxl):
    """19780313 typed into a cell formatted as a date (Excel shows #####) is the number the file
    holds: read as YYYYMMDD by either reader, never openpyxl's `#VALUE!` with an English warning;
    a number that is no date is refused quoting its digits."""
    import warnings

    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    book.active.append(["T1", "王芳", "女", 19780313, "S1", "2015-09-01", 10 ** 12])
    for cell in ("D2", "G2"):
        book.active[cell].number_format = "yyyy-mm-dd"
    path = tmp_path / "d.xlsx"
    book.save(path)
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl's warning would fail the read
        if force_openpyxl:
            patch.setattr(xlsx, "calamine_sheets", _refuse)
        loaded = load_table(path, S.TEACHERS)
    (row,) = loaded.rows
    assert row.values["birth_date"] == dt.date(1978, 3, 13)
    (problem,) = row.problems
    assert problem.code == "R002" and problem.column == "参加工作时间" and "1000000000000" in problem.message("zh")


def test_a_date_cell_holding_a_time_is_told_in_the_spreadsheet_s_words(tmp_path):
    """A date cell with a time its yyyy-mm-dd format hides was refused with Java's and .NET's advice
    (LocalDate, DateOnly), meant for a service's JSON: a clerk is told what Excel or WPS does."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    sheet.append(["T1", "女", dt.datetime(1980, 1, 1), "S1", dt.datetime(2019, 8, 31, 23, 59, 59), "2000-09-01"])
    sheet["E2"].number_format = "yyyy-mm-dd"
    path = tmp_path / "r.xlsx"
    book.save(path)
    read = load_table(path, S.TEACHERS)
    [problem] = [p for row in read.rows for p in row.problems if p.column == "到校时间"]
    assert problem.code == "R002" and "=INT(单元格)" in problem.message("zh") and "23:59:59" in problem.message("zh")
    assert "LocalDate" not in problem.message("en") and "DateOnly" not in problem.message("zh")


def test_an_id_number_in_a_merged_title_is_masked_where_r041_quotes_it(tmp_path):
    """R041 quotes a merged title as R054 quotes one typed in a cell, and masks an ID number in it
    alike (a title naming one seconded teacher by the number: 借调人员 王芳 110105…)."""
    number = "110105198003010028"
    path = tmp_path / "g.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    ws.append([f"借调人员 王芳 {number}"] + [None] * 6)
    ws.append(["T1", "王芳", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01"])
    ws.merge_cells("A2:G2")
    wb.save(path)
    table = assert_same(path)
    [said] = [w for w in table.warnings if w.code == "R041"]
    assert said.value == "借调人员 王芳 110105********0028" and number not in said.message("zh")
