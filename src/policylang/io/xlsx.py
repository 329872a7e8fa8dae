"""Workbooks (XLSX): a roster's sheets read, decisions written.

Reading. A sheet's rows are what openpyxl reads in read-only mode with cached values
(``openpyxl_sheets``, the reference): a merged range's value in each of its cells, and
``roster.cells.Uncomputed`` for a formula whose value the file does not hold. openpyxl parses
every cell in Python (12 s of CPU for 100,000 teachers); calamine parses them in Rust in
an eighth of that, a fifth with the checks below (``bench/xlsx_bench.py``). The two differ on a few things, so a workbook is read by
calamine only when it holds none of them (``_Unlike``), and otherwise by openpyxl:

- a formula without a cached value (openpyxl's reading names it: R019), an error cell
  (``#N/A``: openpyxl reads its text, calamine an empty cell), a date cell written as ISO
  text (``t="d"``), a number of 16 or more digits
  (openpyxl reads it exactly, calamine as a float), text with ``_xHHHH_`` escapes, phonetic
  runs or carriage returns (each library decodes them its own way);
- a merged range reaching below the sheet's last value (openpyxl fills rows calamine has not);
- a number format the two classify differently as a date, or one showing a year and a month
  and no day (`yyyy"年"m"月"`, or the Chinese locale's built-in formats 27, 36, 50, 52 and 57, which
  openpyxl is taught with the locale's others: the cells so formatted are read as ``MonthDate``, their
  day not known, which needs each cell's format), a 1904-based workbook, a date
  cell before 1900-03-01 (Excel's 1900 leap-year bug, corrected by openpyxl alone), a
  date-time, time or duration cell;
- parts of the package at other paths than Excel's (calamine does not follow the
  relationships), or anything calamine cannot open (the error said is then openpyxl's).

What remains differs only in form: calamine reads an empty cell as ``""`` (openpyxl
``None``), a text of spaces alone as ``""``, a whole number as ``3.0`` (``3``) and a date cell
as a ``date`` (a ``datetime`` at midnight); the roster's one cell grammar
(``roster.cell_value``, which trims every cell) reads each pair alike.
``tests/test_xlsx_reading.py`` holds the two readers to the same rows and problems.

Writing. ``workbook_bytes`` writes sheets with XlsxWriter in constant-memory mode (each row
written out as it comes): every text a string cell, never a formula nor an error
value, one starting like a formula (or reading as an error value) marked ``quotePrefix``
(``safe_text``'s rule), what XML cannot hold shown as on a terminal.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from xml.etree import ElementTree

from policylang.core.text_width import display_width
from policylang.io.safe_text import FORMULA_START, xlsx_text
from policylang.io.roster.cells import Uncomputed
from policylang.io.roster.files import UnreadableFile, WorkbookTooLarge
from policylang.io.roster.model import sheet_shown
from policylang.lang.decisions import MonthDate

Rows = list[list[object]]

# ---- reading: the reference (openpyxl) ------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _sheet_marks(sheet) -> tuple[list[tuple[int, int, int, int]], bool]:
    """A read-only sheet's merged ranges (1-based first row, first column, last row, last
    column) and whether it holds any formula, from its XML (read-only sheets keep neither)."""
    merges, formulas, tail = [], False, b""
    source = sheet._get_source()  # noqa: SLF001 - the sheet's XML, which openpyxl's read-only mode streams too
    try:
        while block := source.read(1 << 20):
            text = tail + block
            formulas = formulas or bool(_FORMULA.search(text))
            cut = text.rfind(b"<")  # a tag cut by the block boundary is read with the next block
            done, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            merges += _merges(done)
    finally:
        source.close()
    return merges, formulas


def _merges(xml: bytes) -> list[tuple[int, int, int, int]]:
    from openpyxl.utils.cell import coordinate_to_tuple

    merges = []
    for m in _MERGE.finditer(xml):
        first = coordinate_to_tuple(m.group(1).decode())
        last = coordinate_to_tuple(m.group(2).decode()) if m.group(2) else first
        merges.append((*first, *last))
    return merges


def _fill_merges(rows: Rows, merges: Sequence[tuple[int, int, int, int]]
                 ) -> tuple[tuple[tuple[int, int, int, int], ...], tuple[int, ...]]:
    """A merged range's value (its first cell's) in each of its cells within the sheet's rows
    and its widest row: cells to their right carry nothing a roster reads, and a range to
    column XFD filled 16,384 cells a row (C2:XFD20001 over rows of two cells: 135 s, 2.7 GB).
    A row with no value of its own is left blank (a school's code merged down over the blank row
    below its teachers made that row a teacher with every cell missing). The ranges filled down
    more than one row are returned (``SheetTitle.merged_down``: each row's value is a copy), and the
    rows that are one range merged across the row and nothing else (a group's title between
    schools, 第二中学教师: ``SheetTitle.group_rows``), left as their first cell."""
    if not merges:
        return (), ()
    width = max(map(len, rows), default=0)
    def filled(v) -> bool:
        return v is not None and v != ""

    own = [any(map(filled, row)) for row in rows]
    down, groups = [], []
    for top, left, bottom, right in merges:
        if top > len(rows) or left > len(rows[top - 1]):
            continue
        value = rows[top - 1][left - 1]
        right = min(right, width)
        if top == bottom and right - left >= 2 and filled(value) and not any(
                filled(v) for k, v in enumerate(rows[top - 1]) if not left - 1 <= k < right):
            groups.append(top)  # one text across the row: a title, its cells no person's values
            continue
        covered = [r for r in range(top - 1, min(bottom, len(rows))) if own[r]]
        for r in covered:
            row = rows[r]
            row.extend([None] * (right - len(row)))
            for c in range(left - 1, right):
                row[c] = value
        if len(covered) > 1:
            down.append((top, left, covered[-1] + 1, right))
    return tuple(down), tuple(sorted(groups))


_NOT_SHOWN = re.compile(r'"[^"]*"|\[[^\]]*\]|[\\_*].')  # quoted text, [colours, locales], escaped characters


# The number formats ECMA-376 leaves to the locale (ids 27-36 and 50-58), as a Chinese Excel or
# WPS writes them: 1974年9月 typed into a cell is stored as 1974-09-01 with format 57. openpyxl
# knows none of them (such a date reads as the number 27273) until they are registered
# (``_know_chinese_formats``); calamine reads them all as dates.
_ZH_CN_FORMATS = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"'}


@functools.cache
def _know_chinese_formats() -> None:
    """openpyxl's table of built-in formats, with the Chinese locale's (``_ZH_CN_FORMATS``): it
    then reads those cells as dates, and a year-month one as a ``MonthDate``. (Its table of
    formats to write by id is another, left as it is.)"""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    for number, code in _ZH_CN_FORMATS.items():
        BUILTIN_FORMATS.setdefault(number, code)


@functools.cache
def _keep_numbers_past_dates() -> None:
    """openpyxl reads a number in a date-formatted cell that is no date (19780313 typed into a
    出生日期 cell; Excel shows #####) as the error `#VALUE!`, with an English warning; calamine
    reads the number the file holds. Taught to keep the number, openpyxl reads such a cell as
    calamine does, and the roster's cell grammar reads it (19780313 as YYYYMMDD, a number that is
    no date refused with its digits quoted)."""
    from openpyxl.worksheet import _reader

    from_excel = _reader.from_excel

    def date_or_number(value, *args, **kwargs):
        try:
            return from_excel(value, *args, **kwargs)
        except (OverflowError, ValueError):
            return value

    _reader.from_excel = date_or_number


def year_month_format(code: str | None) -> bool:
    """Whether a date number format shows a year and a month and no day (`yyyy"年"m"月"`,
    `e"年"m"月"`, `yyyy-mm`, `mmm-yy`): a date cell so formatted was entered as a month, its day not known
    (Excel stores 1985年3月 as 1985-03-01)."""
    from openpyxl.styles.numbers import is_date_format

    if not code or not is_date_format(code):
        return False
    shown = _NOT_SHOWN.sub("", code.split(";")[0]).lower()
    year = "y" in shown or "e" in shown  # e: the year by the locale's era (`e"年"m"月"` in a Chinese Excel)
    return year and "m" in shown and not any(c in shown for c in "dhs")


_ZERO_PADDED = re.compile(r"0{2,}")  # `000000`: a whole number shown with leading zeros (工号 000001)


def zero_padded_width(code: str | None) -> int | None:
    """The width a number format pads a whole number to with zeros (`0000`: 4), or None: a
    school code typed as 2 in a cell formatted `0000` shows, and is, 0002 to the clerk."""
    return len(code) if code and _ZERO_PADDED.fullmatch(code) else None


def _read_by_format(code: str | None) -> bool:
    """Whether a cell of this number format is read by its format (``_cell_value``)."""
    return year_month_format(code) or zero_padded_width(code) is not None


def _has_formats_read_by(wb) -> bool:
    """Whether a workbook (openpyxl, read-only) has a cell style whose format a cell is read by
    (``_read_by_format``: a year-month date, a whole number padded with zeros); True when its
    styles cannot be looked at (cells are then read one by one, which is slower)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    _know_chinese_formats()
    try:
        custom = list(wb._number_formats)  # noqa: SLF001 - the styles' own number formats, from 164 on
        codes = [BUILTIN_FORMATS.get(s.numFmtId) if s.numFmtId < 164 else custom[s.numFmtId - 164]
                 for s in wb._cell_styles]  # noqa: SLF001
    except (AttributeError, IndexError, TypeError):
        return True
    return any(_read_by_format(code) for code in codes)


def _cell_value(cell) -> object:
    """A cell's value; a date shown as a year and month as a ``MonthDate`` (``year_month_format``);
    a whole number shown padded with zeros as that text (``zero_padded_width``: 工号 000001)."""
    value = cell.value
    code = getattr(cell, "number_format", None)
    if isinstance(value, dt.date) and year_month_format(code):
        return MonthDate(value.year, value.month, 1)
    # (past 15 digits a number cell has lost digits, which its own check says: R021)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 10 ** 15 \
            and value == int(value) and (width := zero_padded_width(code)) is not None:
        return str(int(value)).zfill(width)
    return value


def _openpyxl_rows(wb, formulas_wb, index: int, by_format: bool = False) -> tuple[Rows, tuple, tuple]:
    sheet = wb.worksheets[index]
    sheet.reset_dimensions()  # some writers record a wrong used range; read what is there
    if by_format:  # cell by cell: a number format says whether a date's day was given, or a number's zeros
        rows = [[_cell_value(c) for c in r] for r in sheet.iter_rows()]
    else:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    merges, formulas = _sheet_marks(sheet)
    if formulas:
        formula_sheet = formulas_wb().worksheets[index]
        formula_sheet.reset_dimensions()
        empty = None  # the formula cells whose result is the empty text, once one without a value is met
        for r, row in enumerate(formula_sheet.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("=") and r < len(rows) and c < len(rows[r]) \
                        and rows[r][c] is None:
                    empty = _empty_results(sheet) if empty is None else empty
                    rows[r][c] = "" if (r + 1, c + 1) in empty else Uncomputed(value)
    return (rows, *_fill_merges(rows, merges))


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_TEXT_RESULT = re.compile(rb"""\bt\s*=\s*["']str["']""")  # a formula's result stored as text (openpyxl writes none)
_EMPTY_VALUE = re.compile(rb"<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>")


def _empty_results(sheet) -> set[tuple[int, int]]:
    """The (row, column), 1-based, of a sheet's formula cells whose stored result is the empty
    text (`=IF(…,"是","")` as Excel, WPS and LibreOffice save it: ``t="str"`` and an empty ``<v>``;
    openpyxl saves a formula with ``<v />`` and no type, having calculated nothing), which openpyxl
    reads as no value: an empty cell, not a formula left uncalculated (R019)."""
    from openpyxl.utils.cell import column_index_from_string

    source = sheet._get_source()  # noqa: SLF001 - as ``_sheet_marks``
    try:
        xml = source.read()
    finally:
        source.close()
    found = set()
    for m in _CELL.finditer(xml):
        body = m.group(2)
        if body and _TEXT_RESULT.search(m.group(1)) and _FORMULA.search(body) and _EMPTY_VALUE.search(body) \
                and (ref := _REF_ATTR.search(m.group(1))):
            found.add((int(ref.group(2)), column_index_from_string(ref.group(1).decode())))
    return found


class SheetTitle(str):
    """A worksheet's title, knowing whether the workbook hides it: Excel and WPS show no tab for
    a hidden sheet, so a message naming one says so (``roster.sheet_shown``); and the numbers of
    the sheet's hidden rows (a filter left on hides rows too), which are read like the others."""

    hidden: bool
    hidden_rows: tuple[int, ...]
    outline_rows: tuple[int, ...]  # of the hidden rows, those in an outline collapsed (``_outline_rows``)
    merged_down: tuple[tuple[int, int, int, int], ...]  # the merged ranges filled down over rows (``_fill_merges``)
    group_rows: tuple[int, ...]  # rows that are one text merged across the row (a group's title)
    struck_rows: tuple[int, ...]  # rows with a filled cell whose font is struck through (``_struck_rows``)
    hidden_columns: tuple[tuple[int, int], ...]  # the ranges (first, last; from 1) of columns hidden

    def __new__(cls, title: str, hidden: bool = False, hidden_rows: tuple[int, ...] = (),
                merged_down: tuple[tuple[int, int, int, int], ...] = (), group_rows: tuple[int, ...] = (),
                struck_rows: tuple[int, ...] = (), hidden_columns: tuple[tuple[int, int], ...] = (),
                outline_rows: tuple[int, ...] = ()):
        made = super().__new__(cls, title)
        made.hidden, made.hidden_rows, made.merged_down, made.group_rows = hidden, hidden_rows, merged_down, group_rows
        made.struck_rows, made.hidden_columns, made.outline_rows = struck_rows, hidden_columns, outline_rows
        return made

    def column_hidden(self, column: int) -> bool:
        """Whether the sheet hides its ``column``-th column (from 1)."""
        return any(first <= column <= last for first, last in self.hidden_columns)


_HIDDEN_ROW = re.compile(rb"""<(?:\w+:)?row\b[^>]*?\bhidden\s*=\s*["'](?:1|true)["'][^>]*>""")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_OUTLINE_LEVEL = re.compile(rb"""\boutlineLevel\s*=\s*["']([1-7])["']""")


_HIDDEN_COLUMNS = re.compile(rb"""<(?:\w+:)?col\b[^>]*?\bhidden\s*=\s*["'](?:1|true)["'][^>]*>""")
_COLUMN_SPAN = (re.compile(rb"""\bmin\s*=\s*["'](\d+)["']"""), re.compile(rb"""\bmax\s*=\s*["'](\d+)["']"""))


def _hidden_columns(xml: bytes) -> tuple[tuple[int, int], ...]:
    """The ranges of a sheet's columns marked hidden (``<col min max hidden>``; the columns right of
    a table are often hidden to the sheet's end, 16384)."""
    if b"hidden" not in xml:
        return ()
    spans = []
    for m in _HIDDEN_COLUMNS.finditer(xml):
        first, last = (found.search(m.group(0)) for found in _COLUMN_SPAN)
        if first and last:
            spans.append((int(first.group(1)), int(last.group(1))))
    return tuple(spans)


def _hidden_rows(xml: bytes) -> tuple[int, ...]:
    """The numbers of a sheet's rows marked hidden (by hand, or by a filter)."""
    if b"hidden" not in xml:
        return ()
    found = (_ROW_NUMBER.search(m.group(0)) for m in _HIDDEN_ROW.finditer(xml))
    return tuple(int(r.group(1)) for r in found if r)


# a row marked collapsed (the total below or above a folded group); a column group's <col collapsed> is no row's
_COLLAPSED = re.compile(rb"""<(?:\w+:)?row\b[^>]*?\bcollapsed\s*=\s*["'](?:1|true)["']""")


def _outline_rows(xml: bytes) -> tuple[int, ...]:
    """The numbers of a sheet's hidden rows that are in an outline (an ``outlineLevel`` from 1): rows
    grouped, by hand (Data → Group) or by 分类汇总 (Data → Subtotal), and collapsed to a level above
    them, which hides them as a filter or a hand would. Only where a group is marked collapsed and no
    filter is on: a row an active filter hides inside an open group is no folded one (review rv27)."""
    if b"outlineLevel" not in xml or not _COLLAPSED.search(xml) or b"filterColumn" in xml:
        return ()
    found = ((_ROW_NUMBER.search(m.group(0)), _OUTLINE_LEVEL.search(m.group(0))) for m in _HIDDEN_ROW.finditer(xml))
    return tuple(int(r.group(1)) for r, level in found if r and level)


def _sheets_hidden_rows(path: str | Path) -> list[tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...],
                                                       tuple[int, ...]]]:
    """Each worksheet's hidden rows, struck rows (``_struck_rows``), hidden columns and hidden rows of a collapsed
    outline (``_outline_rows``), in the workbook's order; none
    known when its parts cannot be found. A sheet whose used range is too empty to read
    (``_check_extent``) is refused here, before openpyxl reads it."""
    try:
        with zipfile.ZipFile(path) as archive:
            (_book, _root, targets), sheets = _worksheet_parts(archive)
            styles = next((target for kind, target in targets.values() if kind == "styles"), None)
            struck = _struck_styles(_read(archive, styles)) if styles else frozenset()
            hidden = []
            for name, part in sheets:
                xml = _read(archive, part)
                _check_extent(xml, name)
                hidden.append((_hidden_rows(xml), _struck_rows(xml, struck), _hidden_columns(xml), _outline_rows(xml)))
            return hidden
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - a workbook read by openpyxl however it is put together: nothing said
        return []


def _struck_styles(xml: bytes) -> frozenset[bytes]:
    """The cell styles (their index, as a cell's ``s`` gives it) whose font is struck through: how a
    clerk marks a person deleted from the list, who is still on it. None for a workbook without
    such a font (most: nothing more to look for); none known when the styles cannot be read."""
    if b"strike" not in xml:
        return frozenset()
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return frozenset()
    fonts = root.find(f"{_NS}fonts")
    struck = {k for k, font in enumerate(fonts.iter(f"{_NS}font") if fonts is not None else ())
              if (mark := font.find(f"{_NS}strike")) is not None and mark.get("val", "1").lower() not in ("0", "false")}
    xfs = root.find(f"{_NS}cellXfs")
    return frozenset(str(k).encode() for k, xf in enumerate(xfs.iter(f"{_NS}xf") if xfs is not None else ())
                     if int(xf.get("fontId", 0) or 0) in struck) if struck else frozenset()


def _struck_rows(xml: bytes, styles: frozenset[bytes]) -> tuple[int, ...]:
    """The rows of a sheet with a filled cell of one of ``styles`` (``_struck_styles``): each place
    the sheet names such a style (` s="7"`, found as bytes: a regular expression over every cell
    of 100,000 rows took a fifth of the read), taken where it is a cell's, with a value."""
    found = set()
    for style in styles:
        for quote in (b'"', b"'"):
            needle = b" s=" + quote + style + quote
            at = xml.find(needle)
            while at >= 0:
                start = xml.rfind(b"<", 0, at)
                tag = _CELL_TAG.match(xml, start)
                if tag is not None and not tag.group(2):
                    end = _CELL_END.search(xml, tag.end())
                    body = xml[tag.end():end.start()] if end is not None else b""
                    if (_VALUE.search(body) or b"<is" in body or b":is" in body) \
                            and (ref := _REF_ATTR.search(tag.group(1))):
                        found.add(int(ref.group(2)))
                at = xml.find(needle, at + 1)
    return tuple(sorted(found))


_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")  # a cell's opening tag (self-closing: no value)


# A cell's reference, or none: calamine places cells without one after the previous (as Excel does)
_CELL_REF = re.compile(rb"""<(?:\w+:)?c\b(?=[\s>/])[^>]*?(?:\br\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']|>)""")
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b(?=[\s>/])([^>]*)>")
_R_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Z]{0,3})([0-9]{1,7})["']""")
# calamine reads a sheet into a grid from A1 to its last cell (Range::from_sparse): one cell at
# XFD1048576 of a 6 KB file asked for 512 GiB and aborted the process, no exception to catch.
# A sheet whose grid is both that large and mostly empty is refused; 1,000,000 dense rows of 20
# columns are still read, and so is a stray formatted cell at Z100000.
MAX_EMPTY_AREA = 20_000_000  # cells of the grid, refused beyond this ...
MAX_EMPTY_RATIO = 4  # ... when over this many times the cells present


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, d = divmod(n - 1, 26)
        letters = chr(65 + d) + letters
    return letters


def _sheet_extent(xml: bytes) -> tuple[int, int, int]:
    """A sheet's last row and last column holding a cell, and the cells present, from its XML."""
    refs = _CELL_REF.findall(xml)
    if all(row for _, row in refs):  # every cell says where it is (Excel, WPS, openpyxl, XlsxWriter)
        if not refs:
            return 0, 0, 0
        letters = max(set(c for c, _ in refs), key=lambda c: (len(c), c))
        return max(map(int, set(r for _, r in refs))), _column_number(letters), len(refs)
    last_row = last_col = cells = row = col = 0
    for tag, attrs in _ROW_OR_CELL.findall(xml):  # cells without a reference: counted in order
        ref = _R_ATTR.search(attrs)
        if tag == b"row":
            row, col = (int(ref.group(2)) if ref and not ref.group(1) else row + 1), 0
            continue
        if ref and ref.group(1):
            col, row = _column_number(ref.group(1)), int(ref.group(2))
        else:
            col += 1
        cells += 1
        last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col, cells


def _check_extent(xml: bytes, sheet: str) -> None:
    """``roster.UnreadableFile`` for a sheet whose used range is huge and mostly empty
    (``MAX_EMPTY_AREA``), naming the sheet and its far corner."""
    rows, columns, cells = _sheet_extent(xml)
    area = rows * columns
    if area <= MAX_EMPTY_AREA or area <= MAX_EMPTY_RATIO * cells:
        return
    corner = f"{_column_letters(columns)}{rows}"
    size_zh = f"{area / 1e8:,.0f} 亿" if area >= 1e8 else f"{area / 1e4:,.0f} 万"
    size_en = f"{area / 1e9:,.1f} billion" if area >= 1e9 else f"{area / 1e6:,.0f} million"
    raise UnreadableFile(
        f"the used range of sheet {sheet_shown(sheet, 'en')} reaches {corner} (about {size_en} cells), but only "
        f"{cells:,} cells are present: cells formatted to the end of the sheet, perhaps; delete the extra rows and "
        "columns and save the workbook again",
        f"工作表{sheet_shown(sheet, 'zh')}的使用范围延伸到 {corner}（约 {size_zh}个单元格），但只有 {cells:,} 个单元格有内容："
        "可能有格式设置到表格末尾的单元格；请删除多余的行和列后重新保存")


def openpyxl_sheets(path: str | Path) -> list[tuple[str, Rows]]:
    """Every worksheet's title and rows as openpyxl reads them (see the module's doc)."""
    from openpyxl import load_workbook

    _know_chinese_formats()
    _keep_numbers_past_dates()
    wb = load_workbook(path, read_only=True, data_only=True)
    opened = []

    def with_formulas():
        if not opened:
            opened.append(load_workbook(path, read_only=True, data_only=False))
        return opened[0]

    try:
        by_format = _has_formats_read_by(wb)
        marked = _sheets_hidden_rows(path)
        out = []
        for index, sheet in enumerate(wb.worksheets):
            rows, merged_down, groups = _openpyxl_rows(wb, with_formulas, index, by_format)
            hidden, struck, columns, outline = marked[index] if index < len(marked) else ((), (), (), ())
            out.append((SheetTitle(sheet.title, sheet.sheet_state != "visible", hidden, merged_down, groups, struck,
                                   columns, outline), rows))
        return out
    finally:
        wb.close()
        for other in opened:
            other.close()


def sheet_heads(path: str | Path, rows: int) -> list[tuple[str, Rows]]:
    """Every worksheet's title and first ``rows`` rows, as openpyxl reads them, the rest of the
    sheet left unread (merged ranges are not filled in: a header's cells are its own)."""
    from openpyxl import load_workbook

    check_unpacked_size(path)
    _know_chinese_formats()
    _keep_numbers_past_dates()
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        out = []
        for sheet in wb.worksheets:
            sheet.reset_dimensions()  # as ``_openpyxl_rows``: a recorded used range may be wrong
            out.append((SheetTitle(sheet.title, sheet.sheet_state != "visible"),
                        [list(r) for r in sheet.iter_rows(max_row=rows, values_only=True)]))
        return out
    finally:
        wb.close()


# ---- reading: calamine, where it reads as openpyxl does -------------------------------


class _Unlike(Exception):
    """The workbook holds something calamine reads otherwise than openpyxl."""


# A workbook is a zip: its parts are unpacked whole, by either library. A small file may unpack
# to gigabytes (a zip bomb: 0.4 MB took 872 MB to read), so the parts' sizes, as the zip
# declares them, are summed first (the zip module refuses a part longer than it declares).
# A real roster unpacks to 10-15 times its size (50,000 teachers, written by openpyxl: 2.4 MB to 30 MB).
MAX_UNPACKED = 2 << 30  # 2 GiB: no roster the service accepts (256 MB) unpacks to more
MAX_RATIO = 100  # unpacked / packed, refused beyond this when the parts exceed ...
RATIO_FROM = 16 << 20  # ... 16 MB (a 0.27 MB file unpacking to 93 MB of rows, 343 to one, took 3.3 GB to read)


def check_unpacked_size(path: str | Path) -> None:
    """``roster.WorkbookTooLarge`` when the workbook's parts unpack to more than ``MAX_UNPACKED``,
    or to more than ``RATIO_FROM`` at over ``MAX_RATIO`` times the file's size; a file that is no
    zip is left to the readers to say so. The sizes declared are summed first, then every part is
    unpacked and counted, a megabyte at a time: a zip may declare 477 KB for a part of 1.79 GB,
    which a whole read (``ZipFile.read``) inflates entirely before its CRC check fails. A part
    whose size is not the one declared is refused (``roster.UnreadableFile``): the zip module
    stops at the size declared, calamine's reader does not, and the two would read other cells."""
    packed = max(Path(path).stat().st_size, 1)
    limit = min(MAX_UNPACKED, max(RATIO_FROM, MAX_RATIO * packed))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if unpacked > limit:
                raise WorkbookTooLarge(unpacked, packed, MAX_UNPACKED, RATIO_FROM, MAX_RATIO)
            unpacked = 0
            for info in infos:
                size = _unpacked_size(archive, info, limit - unpacked)
                unpacked += size
                if unpacked > limit:
                    raise WorkbookTooLarge(unpacked, packed, MAX_UNPACKED, RATIO_FROM, MAX_RATIO)
                if size != info.file_size:
                    raise UnreadableFile(
                        f"its part `{info.filename}` unpacks to {size:,} bytes, not the {info.file_size:,} its "
                        "header declares: the workbook is damaged (or crafted). Save the roster again in Excel or "
                        "WPS, or as CSV",
                        f"其中的“{info.filename}”解压后为 {size:,} 字节，而不是文件头声明的 {info.file_size:,} 字节："
                        "工作簿已损坏（或被构造）。请用 Excel 或 WPS 重新保存，或另存为 CSV")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
            zlib.error):
        return  # no zip, or one the readers cannot open either: they say why


def _unpacked_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, allowance: int) -> int:
    """The bytes a part really unpacks to, counted up to ``allowance`` + 1, whatever its header
    declares (the zip module would stop at the size declared: here at the allowance)."""
    unbound = copy.copy(info)
    unbound.file_size = allowance + 1
    del unbound.CRC  # the CRC is of the size declared: not checked here (the readers check it)
    size = 0
    with archive.open(unbound) as part:
        while size <= allowance and (block := part.read(1 << 20)):
            size += len(block)
    return size


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part, read a block at a time: never more than its declared size in memory (a whole read
    inflates all the compressed data first, whatever the size declared)."""
    with archive.open(name) as part:
        return b"".join(iter(functools.partial(part.read, 1 << 24), b""))


def sheets(path: str | Path) -> list[tuple[str, Rows]]:
    """Every worksheet's title and rows, as ``openpyxl_sheets`` reads them: by calamine when the
    workbook holds nothing the two read differently, else by openpyxl. ``check_unpacked_size``
    first: nothing is unpacked of a workbook that would unpack too large."""
    check_unpacked_size(path)
    try:
        return calamine_sheets(path)
    except UnreadableFile:  # the file refused (a sheet too empty to read): openpyxl would read it no better
        raise
    except Exception:  # noqa: BLE001 - _Unlike, or calamine cannot open it: openpyxl reads it, or says why not
        return openpyxl_sheets(path)


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ERROR_OR_DATE_CELL = re.compile(rb"""\bt\s*=\s*["'][ed]["']""")  # an error, or a date written as ISO text
_LONG_NUMBER = re.compile(rb"v>\s*-?\d{16}")  # a whole number past 2**53 in a <v>: openpyxl keeps every digit
_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_|x005[Ff]_")  # text escapes, and openpyxl's own removal of x005F_
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_PLAIN = frozenset({str, float, int, bool, dt.date})


def calamine_sheets(path: str | Path) -> list[tuple[str, Rows]]:
    """``openpyxl_sheets`` by calamine; ``_Unlike`` when the workbook holds what the two read differently."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    with zipfile.ZipFile(path) as archive:
        parts = _parts(archive)
        if _text_unlike(_read(archive, parts["strings"])) if parts["strings"] else False:
            raise _Unlike("shared strings")
        styles = _read(archive, parts["styles"]) if parts["styles"] else b""
        if styles and not _formats_alike(styles):
            raise _Unlike("number formats")
        struck = _struck_styles(styles)
        marks, hidden, struck_rows, hidden_columns, outlines = [], [], [], [], []
        for name, part in parts["sheets"]:  # one sheet's XML in memory at a time
            xml = _read(archive, part)
            _check_extent(xml, name)  # before calamine builds the sheet's grid
            marks.append(_sheet_scan(xml))
            hidden.append(_hidden_rows(xml))
            struck_rows.append(_struck_rows(xml, struck))
            hidden_columns.append(_hidden_columns(xml))
            outlines.append(_outline_rows(xml))
    out = []
    with CalamineWorkbook.from_path(str(path)) as wb:
        worksheets = [m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if len(worksheets) != len(marks):
            raise _Unlike("sheets")
        worksheets = [SheetTitle(m.name, m.visible != SheetVisibleEnum.Visible, rows)
                      for m, rows in zip(worksheets, hidden)]
        for name, merges, struck, columns, outline in zip(worksheets, marks, struck_rows, hidden_columns, outlines):
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            _values_alike(rows)
            if any(bottom > len(rows) for _, _, bottom, _ in merges):
                # calamine's rows end at the last cell with a value; openpyxl's at the last <row>,
                # and a merged range fills its value into the rows it covers there
                raise _Unlike("a merged range below the last value")
            out.append((SheetTitle(name, name.hidden, name.hidden_rows, *_fill_merges(rows, merges), struck, columns,
                                   outline), rows))
    return out


def _parts(archive: zipfile.ZipFile) -> dict:
    """The workbook's worksheets (title, XML part), in order, its shared strings and its styles."""
    (book, root, targets), sheets = _worksheet_parts(archive)
    pr = root.find(f"{_NS}workbookPr")
    if pr is not None and pr.get("date1904", "").lower() in ("1", "true"):
        raise _Unlike("1904 dates")
    kinds = {kind: target for kind, target in targets.values()}
    parts = {"sheets": sheets, "strings": kinds.get("sharedStrings"), "styles": kinds.get("styles")}
    # calamine looks for these parts at Excel's own paths, whatever the relationships say
    if book != "xl/workbook.xml" or parts["strings"] not in (None, "xl/sharedStrings.xml") \
            or parts["styles"] not in (None, "xl/styles.xml") \
            or not all(part.startswith("xl/worksheets/") for _, part in parts["sheets"]):
        raise _Unlike("parts elsewhere")
    return parts


def _worksheet_parts(archive: zipfile.ZipFile) -> tuple[tuple[str, ElementTree.Element, dict],
                                                        list[tuple[SheetTitle, str]]]:
    """The workbook part (its path, its XML and its relationships' targets by id) and its
    worksheets' titles (hidden or not) and parts, in the workbook's order."""
    rels = ElementTree.fromstring(_read(archive, "_rels/.rels"))
    book = next(r.get("Target") for r in rels.iter(f"{_REL_NS}Relationship")
                if r.get("Type", "").endswith("/officeDocument")).lstrip("/")
    folder = posixpath.dirname(book)
    book_rels = ElementTree.fromstring(_read(archive, posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")))
    targets = {}
    for r in book_rels.iter(f"{_REL_NS}Relationship"):
        target = r.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[r.get("Id")] = (r.get("Type", "").rsplit("/", 1)[-1], target)
    root = ElementTree.fromstring(_read(archive, book))
    named = []
    for s in root.iter(f"{_NS}sheet"):
        kind, part = targets.get(s.get(_R_ID), ("", ""))
        if kind == "worksheet":
            named.append((SheetTitle(s.get("name", ""), s.get("state", "visible") != "visible"), part))
    return (book, root, targets), named


def _text_unlike(xml: bytes) -> bool:
    # each search behind a plain ``in``, many times faster over a sheet of 100 MB
    return b"<rPh" in xml or b"\r" in xml or ((b"_x" in xml or b"x005" in xml) and bool(_ESCAPED.search(xml)))


def _sheet_scan(xml: bytes) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges; ``_Unlike`` for what calamine reads otherwise than openpyxl."""
    odd = (b'"e"' in xml or b"'e'" in xml or b'"d"' in xml or b"'d'" in xml) and _ERROR_OR_DATE_CELL.search(xml)
    if odd or _LONG_NUMBER.search(xml) or _text_unlike(xml):
        raise _Unlike("cells")
    for m in _FORMULA.finditer(xml) if b"<f" in xml or b":f" in xml else ():
        end = _CELL_END.search(xml, m.end())
        if end is None or not _VALUE.search(xml, m.end(), end.start()):
            raise _Unlike("a formula without its value")
    data_end = max(xml.rfind(b"sheetData>"), 0)  # merged ranges follow the cells
    return _merges(xml[data_end:])


def _values_alike(rows: Rows) -> None:
    """``_Unlike`` for a value whose type openpyxl reads otherwise: a date-time, a time, a
    duration; a date before 1900-03-01, which openpyxl moves a day (Excel's 1900 leap year)."""
    kinds = set(map(type, chain.from_iterable(rows)))
    if not kinds <= _PLAIN:
        raise _Unlike("values")
    if dt.date in kinds and min(v for v in chain.from_iterable(rows) if v.__class__ is dt.date) < dt.date(1900, 3, 1):
        raise _Unlike("early dates")


def _formats_alike(xml: bytes) -> bool:
    """Whether openpyxl and calamine agree, for every cell style, on whether its number
    format makes a number a date, a duration or a number."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    _know_chinese_formats()
    root = ElementTree.fromstring(xml)
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(f"{_NS}numFmt")}
    xfs = root.find(f"{_NS}cellXfs")
    for xf in xfs.iter(f"{_NS}xf") if xfs is not None else ():
        number = int(xf.get("numFmtId", 0))
        code = custom[number] if number in custom else BUILTIN_FORMATS.get(number)
        if _read_by_format(code):  # a year-month date or a zero-padded number: openpyxl reads the cells' formats
            return False
        theirs = None if not is_date_format(code) else "duration" if is_timedelta_format(code) else "date"
        if theirs != (_calamine_format(code) if number in custom else _CALAMINE_BUILTIN.get(number)):
            return False
    return True


_CALAMINE_BUILTIN = {**dict.fromkeys((14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47), "date"), 46: "duration",
                     **dict.fromkeys(_ZH_CN_FORMATS, "date")}


def _calamine_format(code: str) -> str | None:
    """How calamine (``formats.rs``, ``detect_custom_number_format``) reads a custom number
    format: "date", "duration" or None. Only to choose the reader: a format on which it and
    openpyxl differ sends the workbook to openpyxl (``tests/test_xlsx_reading.py`` checks this
    against calamine itself)."""
    escaped = quoted = ap = hms = False
    brackets = 0
    prev = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return "duration"
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ap and brackets == 0:
            ap = True
        elif ch in "pm/PM" and ap and brackets == 0:
            return "date"
        elif ch in "dmhysDMHYS" and not ap and brackets == 0:
            return "date"
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return None


# ---- writing ---------------------------------------------------------------------------

class Sheet:
    """A sheet to write: a header and rows, the header bold on a fill, frozen at ``freeze``
    (a cell, "B2"), with filters; columns ``widths`` wide; printed across the page's width,
    landscape on A4, the header on every page; ``total``: the last row is a total, bold and
    outside the filter (sorting or filtering the rows leaves it in place, counting them all);
    ``marked``: the rows (0-based in ``rows``) on a fill of their own, to be looked at; ``wrap``:
    long text wraps within its column's width."""

    def __init__(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
                 freeze: str, total: bool = False, header_fill: str = "DDEBF7", marked: frozenset[int] = frozenset(),
                 wrap: bool = False):
        self.title, self.headers, self.rows, self.widths = title, list(headers), rows, list(widths)
        self.freeze, self.total, self.header_fill = freeze, total, header_fill
        self.marked, self.wrap = marked, wrap


MAX_CELL = 32_767  # the characters an Excel cell holds
_MARKED_FILL = "#FFF2CC"  # a row to look at (a decision an empty cell or a year-month date could change)
_PAGE_WIDTH = 150  # column widths (characters) an A4 landscape page prints legibly
CUT_MARK = "…〔截断 cut: 原文 {n:,} 字 chars〕"


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one workbook, written by XlsxWriter in constant-memory mode."""
    import xlsxwriter
    from openpyxl.cell.cell import ERROR_CODES  # the error values, as safe_text.xlsx_row marks them
    from xlsxwriter.utility import xl_cell_to_rowcol

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    def styled(style: dict) -> tuple:  # a row's formats: its own, for text marked as text, for a date
        return (wb.add_format(style) if style else None, wb.add_format(style | {"quote_prefix": True}),
                wb.add_format(style | {"num_format": DATE_FORMAT}))

    quote = styled({})
    bold = styled({"bold": True})
    marked = styled({"bg_color": _MARKED_FILL, "pattern": 1})
    wrapped = styled({"text_wrap": True, "valign": "top"})
    texts: dict[str, tuple[str, bool]] = {}  # a cell's text as written, and whether it is marked text (once per text)
    for sheet in sheets:
        header_formats = styled({"bold": True, "bg_color": "#" + sheet.header_fill, "pattern": 1, "valign": "vcenter"})
        ws = wb.add_worksheet(sheet.title)
        for i, width in enumerate(sheet.widths):
            ws.set_column(i, i, width)
        ws.freeze_panes(*xl_cell_to_rowcol(sheet.freeze))
        filtered = len(sheet.rows) - (1 if sheet.total and sheet.rows else 0)  # the header and the rows, no total
        ws.autofilter(0, 0, filtered, max(len(sheet.headers), 1) - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        # as many pages wide as keeps the print legible (a page of A4 landscape holds about _PAGE_WIDTH
        # characters at 100%: 18 columns fitted to one came out at 4 points), the first column and the
        # header on every page; as many pages long as needed
        across = max(1, math.ceil(sum(sheet.widths) / _PAGE_WIDTH))
        ws.fit_to_pages(across, 0)
        ws.repeat_rows(0)
        if across > 1:
            ws.repeat_columns(0)
        _write_row(ws, 0, sheet.headers, texts, ERROR_CODES, header_formats)
        last = len(sheet.rows)
        usual = wrapped if sheet.wrap else quote
        for r, row in enumerate(sheet.rows, 1):
            formats = bold if sheet.total and r == last else marked if r - 1 in sheet.marked else usual
            if sheet.wrap and (lines := _lines(row, sheet.widths)) > 1:  # (before the row: constant memory)
                ws.set_row(r, _LINE_HEIGHT * lines)
            _write_row(ws, r, row, texts, ERROR_CODES, formats)
    wb.close()
    return buf.getvalue()


_LINE_HEIGHT = 15  # points a line of the default 11-point font takes


def _lines(values: Sequence[object], widths: Sequence[float]) -> int:
    """The lines the row's longest cell wraps into at its column's width: a wrapped row is made
    that tall, as not every reader grows a row for its wrapped text (LibreOffice overlapped them)."""
    most = 1
    for value, width in zip(values, widths):
        if isinstance(value, str) and value:
            room = max(width - 1, 1)
            most = max(most, sum(math.ceil(max(display_width(part), 1) / room) for part in value.split("\n")))
    return min(most, 40)


DATE_FORMAT = "yyyy-mm-dd"  # a date cell's number format: the dates as the CSV file writes them


def _write_row(ws, r: int, values: Sequence[object], texts: dict, errors, formats) -> None:
    """One row: text always a string cell (``safe_text``'s rule; a carriage return as the
    newline an XML reader makes of it), numbers as numbers, a date (no date-time) as a date cell
    shown ``DATE_FORMAT``; None and "" as no value (a blank cell where the row has a format: the
    header, the total). ``formats``: the row's own, for text marked as text, and for a date."""
    plain, quoted, dated = formats
    for c, value in enumerate(values):
        if value is None or value == "":
            if plain is not None:
                ws.write_blank(r, c, None, plain)
        elif isinstance(value, str):
            written = texts.get(value)
            if written is None:
                text = xlsx_text(value)
                marked = text.startswith(FORMULA_START) or text in errors
                if "\r" in text:
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                if len(text) > MAX_CELL:  # Excel's limit: cut where the cell says so, never silently
                    mark = CUT_MARK.format(n=len(text))
                    text = text[:MAX_CELL - len(mark)] + mark
                written = texts[value] = (text, marked)
            ws.write_string(r, c, written[0], quoted if written[1] else plain)
        elif type(value) is dt.date:
            ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dated)
        elif isinstance(value, (bool, dt.date)):  # (a date-time, a year-month date: their text is written)
            raise TypeError(f"a workbook cell is text, a number or a date, not {type(value).__name__}")
        else:
            ws.write_number(r, c, value, plain)
