"""The decision workbook written by XlsxWriter (``io/xlsx.py``) against the one openpyxl's
write-only mode wrote before it (``openpyxl_workbook`` below, that writer as it was): read
back with openpyxl, the same sheets, cells, cell types, quote prefixes, bold and filled
header, bold total row, frozen panes, filters, print settings and column widths."""

from __future__ import annotations

import io
import math

import attrs
import pytest
from openpyxl import Workbook, load_workbook

import policylang
from policylang.io import output, xlsx
from policylang.io.safe_text import xlsx_row

DISTRICT = "policies/fujian_pilot_district.pol"
TEACHERS = "examples/teachers.csv"
SCHOOLS = "examples/schools.csv"
HOSTILE = ["=cmd|' /C calc'!A6", "+1", "-3", "@SUM(A1)", "\ttab", "\rcr", "a\r\nb", "#N/A", "#DIV/0!", "esc\x1b[31m",
           "bel\x07", "王芳", "  spaces  ", "", "'=quoted", "a=b"]
# text that looks like XML's escapes: openpyxl reads these back otherwise than it wrote them (test below)
ESCAPE_LIKE = ["_x0041_ literal", "x005F_ too", "_x000D_"]


def openpyxl_workbook(sheets: list[xlsx.Sheet]) -> bytes:
    """The sheets as ``io.output`` wrote them with openpyxl (write-only) until XlsxWriter."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for i, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = sheet.freeze
        # the filter leaves a total row out (a change made since: the summary's 合计 was inside it)
        filtered = len(sheet.rows) + 1 - (1 if sheet.total and sheet.rows else 0)
        ws.auto_filter.ref = f"A1:{get_column_letter(max(len(sheet.headers), 1))}{filtered}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        across = max(1, math.ceil(sum(sheet.widths) / 150))  # legible: a wide sheet across pages (a change since)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = across, 0
        ws.print_title_rows = "1:1"
        if across > 1:
            ws.print_title_cols = "A:A"
        header = []
        for value in xlsx_row(ws, sheet.headers):
            cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=sheet.header_fill)
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        ws.append(header)
        for k, row in enumerate(sheet.rows):
            cells = xlsx_row(ws, row)
            if sheet.total and k == len(sheet.rows) - 1:
                cells = [WriteOnlyCell(ws, value=c) if not hasattr(c, "font") else c for c in cells]
                for c in cells:
                    c.font = Font(bold=True)
            elif k in sheet.marked or sheet.wrap:  # (changes since: rows to look at on a fill; wrapped text)
                cells = [WriteOnlyCell(ws, value=c) if not hasattr(c, "font") else c for c in cells]
                for c in cells:
                    if c.value is None or c.value == "":
                        continue
                    if k in sheet.marked:
                        c.fill = PatternFill("solid", fgColor="FFF2CC")
                    else:
                        c.alignment = Alignment(wrap_text=True, vertical="top")
            ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def described(data: bytes) -> dict:
    """Everything a reader of the workbook sees, as openpyxl reads it back."""
    wb = load_workbook(io.BytesIO(data))
    out = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            cells.append([(c.value, c.data_type, bool(c.quotePrefix), bool(c.font.b),
                           c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None,
                           c.alignment.vertical) for c in row if c.value is not None])
        while cells and not cells[-1]:
            cells.pop()
        widths = {column: d.width for d in ws.column_dimensions.values() if d.width
                  for column in range(d.min, d.max + 1)}  # a run of equal widths may be one <col>
        out[ws.title] = dict(cells=cells, freeze=ws.freeze_panes, filter=ws.auto_filter.ref,
                             titles=ws.print_title_rows, title_columns=ws.print_title_cols,
                             orientation=ws.page_setup.orientation,
                             paper=int(ws.page_setup.paperSize), fit=ws.sheet_properties.pageSetUpPr.fitToPage,
                             fit_width=ws.page_setup.fitToWidth or 1, fit_height=ws.page_setup.fitToHeight,
                             widths=widths)
    return out


def assert_alike(sheets: list[xlsx.Sheet]) -> dict:
    new, old = described(xlsx.workbook_bytes(sheets)), described(openpyxl_workbook(sheets))
    for title in new["sheets"]:
        # XlsxWriter stores a width as Excel stores one typed in its dialog: with the cell's padding
        new_widths, old_widths = new[title].pop("widths"), old[title].pop("widths")
        assert new_widths.keys() == old_widths.keys()
        for column, width in old_widths.items():
            assert width <= new_widths[column] <= width + 1, column
    assert new == old
    return new


def test_hostile_text_is_written_as_before():
    rows = [[k, v, v] for k, v in enumerate(HOSTILE)]
    got = assert_alike([xlsx.Sheet("交流结论", ["工号", "=序号", "#N/A"], rows, [10, 8, 12], "B2"),
                        xlsx.Sheet("汇总", ["学校", "合计"], [["S1", 3], ["合计", 3]], [8, 6], "C2", total=True)])
    cells = got["交流结论"]["cells"]
    assert [row[1][0] if len(row) > 1 else None for row in cells[1:]] == [
        v.replace("\x1b", r"\x1b").replace("\x07", r"\x07").replace("\r\n", "\n").replace("\r", "\n") or None
        for v in HOSTILE]
    assert all(c[1] == "s" for row in cells for c in row if isinstance(c[0], str))  # never a formula nor an error
    assert cells[0][1][2] and cells[0][2][2]  # the header's "=序号" and "#N/A" are marked text
    assert got["汇总"]["cells"][-1][1][:4] == (3, "n", False, True)  # a number, in the bold total row


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_decision_workbook_is_written_as_before(monkeypatch, lang):
    """The whole ``xlsx_bytes`` of the sample roster, hostile ids among them, in both languages."""
    policy = policylang.load(DISTRICT)
    decisions = policy.evaluate(policy.read_roster(TEACHERS, SCHOOLS))
    decisions = [attrs.evolve(d, id=v) for d, v in zip(decisions, HOSTILE)] + list(decisions[len(HOSTILE):])
    made: list[list[xlsx.Sheet]] = []
    write = xlsx.workbook_bytes
    monkeypatch.setattr(xlsx, "workbook_bytes", lambda sheets: made.append(sheets) or write(sheets))
    data = output.xlsx_bytes(decisions, layout=output.Layout(lang=lang))
    got = assert_alike(made[0])
    again = described(data)  # the bytes xlsx_bytes returned are those of the sheets it made
    for title in again["sheets"]:
        again[title].pop("widths")
    assert again == got
    assert len(got[got["sheets"][0]]["cells"]) == 401


def test_text_like_an_escape_is_kept_as_written(tmp_path):
    """``_x0041_`` in a cell is Excel's escape of "A": XlsxWriter escapes the underscore
    (``_x005F_x0041_``), as Excel does, so Excel and calamine read the text as written;
    openpyxl wrote it bare, and Excel showed "A literal". (openpyxl's own reading of either is
    off: it decodes no escape but drops every ``x005F_`` of a shared string.)"""
    from python_calamine import CalamineWorkbook

    sheets = [xlsx.Sheet("s", ["v"], [[v] for v in ESCAPE_LIKE], [10], "A2")]
    for name, data in (("new", xlsx.workbook_bytes(sheets)), ("old", openpyxl_workbook(sheets))):
        (tmp_path / f"{name}.xlsx").write_bytes(data)
    read = {}
    for name in ("new", "old"):
        with CalamineWorkbook.from_path(str(tmp_path / f"{name}.xlsx")) as wb:
            read[name] = [r[0] for r in wb.get_sheet_by_index(0).to_python()[1:]]
    assert read["new"] == ESCAPE_LIKE
    assert read["old"] == ["A literal", "x005F_ too", "\r"]


def test_text_longer_than_a_cell_holds_is_cut_where_the_cell_says_so():
    """XlsxWriter cut a 40,000-character text to 32,767 without a word: the cell now ends saying
    it was cut, and how long the text was."""
    long, short = "名" * 40_000, "名" * 32_767
    data = xlsx.workbook_bytes([xlsx.Sheet("s", ["v"], [[long], [short]], [10], "A2")])
    cells = [r[0] for r in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert len(cells[0]) == xlsx.MAX_CELL and cells[0].endswith("…〔截断 cut: 原文 40,000 字 chars〕")
    assert cells[0].startswith("名" * 32_000)
    assert cells[1] == short  # what fits is written whole


def test_a_wide_sheet_prints_across_pages_legibly_with_its_first_column_on_each():
    """18 columns fitted to one page printed at about 4 points: a sheet wider than a page's
    worth of characters is fitted to as many pages across as keep it legible, the id column
    repeated on each."""
    wide = xlsx.Sheet("交流结论", [f"列{k}" for k in range(18)], [["T1", *["内容" * 4] * 17]], [16.0] * 18, "B2")
    narrow = xlsx.Sheet("汇总", ["学校", "合计"], [["S1", 3]], [8, 6], "C2")
    got = assert_alike([wide, narrow])
    assert (got["交流结论"]["fit_width"], got["交流结论"]["title_columns"]) == (2, "$A:$A")
    assert (got["汇总"]["fit_width"], got["汇总"]["title_columns"]) == (1, None)


def test_a_kept_date_or_number_is_a_date_or_number_cell_and_a_csv_keeps_iso_text(tmp_path):
    """`--keep 出生日期,农村任教年限` into a workbook: the dates were text (`1980-03-01` in a General
    cell, sorted and filtered as text in Excel), now date cells shown yyyy-mm-dd, and the years numbers;
    a year-month date stays the text 1985-03 (a date cell would hold a day the roster did not give);
    the CSV file writes the same dates as ISO text, as before. Marked rows (uncertain) keep their fill."""
    import csv
    import datetime as dt

    from click.testing import CliRunner

    from policylang.cli import cli

    rows = list(csv.reader(open(TEACHERS, encoding="utf-8")))[:8]
    rows[2][rows[0].index("birth_date")] = "1980.03"  # a year and a month
    rows[3][rows[0].index("rural_years")] = ""  # empty: nothing written
    (tmp_path / "t.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    for fmt in ("xlsx", "csv"):
        result = CliRunner().invoke(cli, ["eval", DISTRICT, str(tmp_path / "t.csv"), "--schools", SCHOOLS, "--keep",
                                          "出生日期,农村任教年限", "-o", str(tmp_path / f"out.{fmt}")])
        assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    births = [sheet.cell(r, header.index("birth_date") + 1) for r in range(2, 9)]
    years = [sheet.cell(r, header.index("rural_years") + 1).value for r in range(2, 9)]
    assert births[0].value == dt.datetime(1980, 3, 1) and births[0].number_format == "yyyy-mm-dd"
    assert (births[1].value, births[1].data_type) == ("1980-03", "s")
    assert all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in births[2:])
    assert years[:3] == [int(rows[1][rows[0].index("rural_years")]), int(rows[2][rows[0].index("rural_years")]), None]
    assert all(isinstance(y, int) for y in years[3:])
    with open(tmp_path / "out.csv", encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    assert [r["birth_date"] for r in written][:3] == ["1980-03-01", "1980-03", rows[3][rows[0].index("birth_date")]]
    # a date on a marked row, and on the total row: the row's own format, with the date's
    data = xlsx.workbook_bytes([xlsx.Sheet("s", ["day", "n"], [[dt.date(2020, 1, 2), 1], [dt.date(2021, 2, 3), 2],
                                                                [dt.date(2022, 3, 4), 3]],
                                           [12, 12], "A2", total=True, marked=frozenset({1}))])
    cells = load_workbook(io.BytesIO(data)).worksheets[0]["A"]
    assert [c.number_format for c in cells[1:]] == ["yyyy-mm-dd"] * 3
    assert cells[2].fill.fgColor.rgb.endswith("FFF2CC") and cells[3].font.b and not cells[1].font.b
    with pytest.raises(TypeError):  # a date-time is no date cell: its text is written, never its midnight
        xlsx.workbook_bytes([xlsx.Sheet("s", ["t"], [[dt.datetime(2020, 1, 2, 8, 30)]], [12], "A2")])


def test_a_kept_column_of_plain_numbers_is_numbers_and_an_id_or_a_code_stays_text(tmp_path):
    """The HR trial (hr27): a kept column no schema declares (课时, 绩效分) was text in the workbook, and
    Excel flagged every cell with a green triangle. A column of plain numbers is numbers now, read as
    such from a CSV roster and from a workbook's number cells alike; a column of codes with leading
    zeros (0012), of phone or ID numbers (11 digits or more), one a header names as codes or ids (档案编号,
    邮编), a decimal Excel would cut (1985.10), or a column with any text in it, stays text."""
    import csv

    from click.testing import CliRunner
    from openpyxl import Workbook

    from policylang.cli import cli

    header, *rows = list(csv.reader(open(TEACHERS, encoding="utf-8")))[:7]
    extra = {"课时": ["12", "14", "", "8", "16", "10"], "绩效分": ["88.5", "-2", "90", "0", "0.75", "100"],
             "岗位代码": ["0012", "103", "104", "105", "106", "107"],
             "联系电话": ["13812345678", "13912345678", "", "", "", ""], "档案编号": ["1001", "1002", "1003", "1004",
                                                                                 "1005", "1006"],
             "邮编": ["350001"] * 6, "入党年月": ["1985.10", "1990.3", "", "", "", ""],
             "备注": ["12", "借调", "", "", "", ""]}
    numbers = {"课时", "绩效分"}
    as_csv = tmp_path / "t.csv"
    with open(as_csv, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header + list(extra), *(r + [v[k] for v in extra.values()] for k, r in enumerate(rows))])
    book = Workbook()  # the same roster as a workbook whose number cells hold numbers, as Excel saves them
    book.active.append(header + list(extra))
    for k, r in enumerate(rows):
        cells = [v[k] for v in extra.values()]
        book.active.append(r + [(float(c) if "." in c else int(c)) if name in numbers and c else c or None
                                for name, c in zip(extra, cells)])
    book.save(tmp_path / "t.xlsx")
    for source in (as_csv, tmp_path / "t.xlsx"):
        out = tmp_path / "out.xlsx"
        result = CliRunner().invoke(cli, ["eval", DISTRICT, str(source), "--schools", SCHOOLS, "--keep",
                                          ",".join(extra), "-o", str(out)])
        assert result.exit_code == 0, result.output
        sheet = load_workbook(out).worksheets[0]
        written = [c.value for c in sheet[1]]
        ids = [sheet.cell(r, 1).value for r in range(2, 8)]
        for name, given in extra.items():
            cells = [sheet.cell(r, written.index(name) + 1) for r in range(2, 8)]
            by_id = dict(zip(ids, cells))
            values = [by_id[r[0]].value for r in rows]
            if name in numbers:
                assert values == [(float(g) if "." in g else int(g)) if g else None for g in given], (source, name)
                assert all(c.data_type == "n" for c in cells), (source, name)
            else:
                assert values == [g or None for g in given], (source, name)
                assert all(c.data_type == "s" for c in cells if c.value is not None), (source, name)
