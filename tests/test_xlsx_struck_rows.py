"""A row struck through in a workbook (its cells' font, 删除线: how clerks mark a person deleted
from the list, who is still on it) was decided without a word. Such rows are read and decided as
before (a format is no value to decide on), and named in one warning (R047), from the styles and
the sheet's XML, by both workbook readers alike; a workbook with no struck font is looked at no
further."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

import policylang
from policylang.io import xlsx

ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:31]
SCHOOLS = "examples/schools_zh.csv"


def _book(path: Path, struck: dict[int, list[int] | None], title: str | None = None) -> Path:
    """The roster (a title above the header when ``title``), the given sheet rows struck: every
    cell (None) or the columns listed (1-based)."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "花名册"
    if title:
        sheet.append([title])
    for row in ROWS:
        sheet.append(row)
    for row, columns in struck.items():
        for cell in (sheet[row] if columns is None else [sheet.cell(row, c) for c in columns]):
            cell.font = Font(strike=True)
    sheet.cell(40, 3).font = Font(strike=True)  # an empty cell below the rows, formatted: no row
    wb.save(path)
    return path


def _both(path: Path) -> list[tuple[int, ...]]:
    return [sheets[0][0].struck_rows for sheets in (xlsx.calamine_sheets(path), xlsx.openpyxl_sheets(path))]


def test_struck_rows_are_decided_and_named_once(tmp_path):
    path = _book(tmp_path / "花名册.xlsx", {5: None, 9: [2]})  # a whole row; a name alone
    assert _both(path) == [(5, 9), (5, 9)]
    policy = policylang.load("policies/fujian.pol")
    roster = policy.read_roster(path, SCHOOLS)
    assert roster.problems == () and len(roster.valid_teachers()) == 30  # read and decided, as before
    [said] = [w for w in roster.warnings if w.code == "R047"]
    assert (said.rows, said.count, said.row) == ((5, 9), 2, None)
    assert said.message_zh == ("工作表“花名册”的第 5、9 行有带删除线的单元格（常用来标记已删除的人员），这些行照常读取并作出决定；"
                               "如其中有不应参加的人员，请删除其行")
    assert said.message_en.startswith("sheet `花名册`: rows 5, 9 have cells struck through (a mark clerks use for a "
                                      "person deleted from the list); they are read and decided like the others")


def test_a_struck_title_or_header_is_no_person_and_many_rows_are_counted(tmp_path):
    struck = {1: None, 2: None, **{r: [1] for r in range(3, 33)}}  # the title, the header, then every teacher
    roster = policylang.load("policies/fujian.pol").read_roster(
        _book(tmp_path / "t.xlsx", struck, title="青溪县教师花名册"), SCHOOLS)
    [said] = [w for w in roster.warnings if w.code == "R047"]
    assert said.rows == tuple(range(3, 13)) and said.count == 30
    assert "第 3、4、5、6、7、8、9、10、11、12 等 30 行有带删除线的单元格" in said.message_zh


def test_a_workbook_without_a_struck_font_is_not_looked_at_further(tmp_path, monkeypatch):
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    for row in ROWS:
        wb.active.append(row)
    for cell in wb.active["C"]:
        cell.font = Font(strike=False, bold=True)
    wb.save(path)
    looked = []
    monkeypatch.setattr(xlsx, "_struck_rows", lambda xml, styles: looked.append(styles) or ())
    assert _both(path) == [(), ()]
    assert looked == [frozenset(), frozenset()]  # no style is struck: nothing to find in the cells
    assert xlsx._struck_styles(b'<styleSheet><fonts><font><strike val="0"/></font></fonts></styleSheet>') == frozenset()
