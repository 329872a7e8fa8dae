"""A CSV (.csv, .tsv, .txt) file's rows: its delimiter, its header found below a title, the
quoted and spaced cells, Excel's text mark (') said and removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from policylang.core.text_width import TRIMMED
from policylang.lang import schema as S
from policylang.io.roster.model import RosterProblem, Shape
from policylang.io.roster.cells import header_name, _letters, _blank
from policylang.io.roster.problems import _first_rows
from policylang.io.roster.files import BrokenCsv, UnreadableFile, EMPTY_CSV, empty_csv, text_lines
from policylang.io.roster.encoding import mixed_encoding_warning, _decode_text
from policylang.io.roster.header import HEADER_ROWS, find_header, header_row_notes, _holds


def csv_records(text: str, delimiter: str) -> tuple[list[list[str]], dict[int, tuple[int, int, int | None]]]:
    """The records of a CSV text (the header first), and those running over several lines of
    the text: record index -> (first line, lines, index of the first cell holding a line
    break). ``BrokenCsv`` when a quote is never closed, or the csv module gives up (a cell
    longer than its limit), naming the record's row (the header is row 1)."""
    consumed = pulled = 0  # characters and lines of the text handed to the csv module

    def lines():
        nonlocal consumed, pulled
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            pulled += 1
            yield line

    rows: list[list[str]] = []
    spans: dict[int, tuple[int, int, int | None]] = {}
    start = last_start = 0  # where the next record, and the last one read, start in the text
    breaks = last_breaks = 0  # line breaks inside the cells read so far: each record but these is one line
    seen = 0  # lines pulled up to the last record
    # a cell may be as long as the file (as polars reads it): the csv module's default limit,
    # 131,072 characters, would refuse a long cell the columnar reader reads
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            inside = [cell.count("\n") for cell in row] if pulled - seen > 1 else ()
            seen = pulled
            last_breaks = breaks
            if any(inside):
                first = next(k for k, n in enumerate(inside) if n)
                spans[len(rows)] = (len(rows) + breaks + 1, sum(inside) + 1, first)
                breaks += sum(inside)
            rows.append(row)
            last_start, start = start, consumed
    except csv.Error as exc:
        line = len(rows) + breaks + 1
        raise BrokenCsv(len(rows) + 1, line, text_lines(text) - line + 1, text.count('"', start) % 2 == 1,
                        str(exc)) from None
    # a quote never closed: the csv module reads the rest of the text as the last record's cell
    if rows and text.count('"', last_start) % 2 == 1:
        line = len(rows) + last_breaks
        raise BrokenCsv(len(rows), line, text_lines(text) - line + 1, True)
    return rows, spans


def csv_delimiter(first_line: str) -> str:
    return max(",\t;", key=first_line.count)  # a tie (one column) is a comma


_NAMED_DELIMITER = {".tsv": "\t"}


def named_delimiter(path: str | Path) -> str | None:
    """The delimiter a text table's name says (.tsv: a tab), or None: the header's."""
    return _NAMED_DELIMITER.get(Path(path).suffix.lower())


def csv_head(lines: Sequence[str], table: S.Table | None, delimiter: str | None = None
             ) -> tuple[str, list[list[str]], int, int]:
    """A CSV's delimiter, its first records, which of them is the header (``find_header``; 0
    when none is) and the line it begins on (0-based), from its first ``HEADER_ROWS`` lines (each
    with its line break but the last): the first line's delimiter, unless a title above the header
    hides it. A quoted cell may hold line breaks (性别\n（男/女）, as Excel saves a header cell of
    two lines), as in the file's records. ``delimiter``: the one the file's name says (.tsv), tried
    first. The one rule for both readers."""
    def records(delimiter: str) -> tuple[list[list[str]], list[int]]:
        reader = csv.reader(io.StringIO("\n".join(lines[:HEADER_ROWS]), newline=""), delimiter=delimiter)
        found, starts, start = [], [], 0
        try:
            for record in reader:
                found.append(record)
                starts.append(start)
                start = reader.line_num
        except csv.Error:  # a cell past the csv module's limit: no header; ``csv_records`` reads it
            pass
        return found, starts

    first = delimiter or csv_delimiter(lines[0] if lines else "")
    for loose in (False, True):  # a header by the strict measure under any delimiter first
        for tried in dict.fromkeys((first, ",", "\t", ";")) if table is not None else ():
            head, starts = records(tried)
            if (at := find_header(head, table, loose)) is not None:
                return tried, head, at, starts[at]
    head = records(first)[0]
    if table is not None and any(_spaced(row, table) for row in head):
        raise UnreadableFile(*_SPACED)
    return first, head, 0, 0


_SPACED = ("its columns are separated by spaces, not by commas or tabs (a text file exported with spaces, or of fixed "
           "width): which cell is which column cannot be told. Save the sheet from Excel or WPS as “CSV UTF-8” or "
           "as “Text (tab delimited)”",
           "各列之间用空格分隔，而不是逗号或制表符（Tab）（按空格或固定宽度导出的文本文件），无法确定各单元格属于哪一列。"
           "请在 Excel 或 WPS 中把表格另存为“CSV UTF-8”或“文本文件（制表符分隔）”")


def _spaced(row: Sequence[str], table: S.Table) -> bool:
    """Whether a text table's line is a header whose columns are separated by spaces: one cell,
    holding the table's own columns' names between spaces (工号 姓名 性别 出生日期 …), as no
    header of this reader is (``_SPACED``)."""
    cells = [c for c in row if c.strip(TRIMMED)]
    return len(cells) == 1 and _holds(cells[0].split(), table)


def _read_csv(path: Path, encoding: str | None, table: S.Table | None = None
              ) -> tuple[list[str], list[Sequence[object]], Shape]:
    text, other = _decode_text(path.read_bytes(), encoding)
    if empty_csv(text):
        raise UnreadableFile(*EMPTY_CSV)
    delimiter, *_ = csv_head(text.split("\n", HEADER_ROWS)[:HEADER_ROWS], table, named_delimiter(path))
    rows, spans = csv_records(text, delimiter)
    at = find_header(rows, table, loose=True) or 0 if table is not None else 0
    said = ((mixed_encoding_warning(str(path), other),) if other else ()) + header_row_notes(str(path), rows, at)
    said += text_marks_removed(str(path), rows[at], rows[at + 1:], at + 2)
    said += lines_end_alike(str(path), rows[at], rows[at + 1:])
    shape = Shape(len(rows[at]), {k - at - 1: span for k, span in spans.items() if k > at}, keep_blank=False,
                  said=said, above=at)
    return rows[at], rows[at + 1:], shape


TEXT_MARK = "'"  # Excel's mark of a cell stored as text ('0012), which some systems write into a CSV's cells


def without_text_mark(cell: str) -> str | None:
    """A CSV cell without the apostrophe it begins with (`'T0001`, `'1985-03-01`, `'0012`): Excel's
    mark of a cell stored as text, which it never shows nor counts as the value, written literally
    into the CSV by some exports. None for a cell without one, and for text in single quotes
    (`'已调出'`), which is kept as written."""
    text = cell.strip(TRIMMED)
    if not text.startswith(TEXT_MARK):
        return None
    rest = text[1:]
    return None if rest.endswith(TEXT_MARK) else rest


def text_marks_removed(file: str, header: Sequence[str], rows: list[list[str]], first_line: int
                       ) -> tuple[RosterProblem, ...]:
    """The data rows of a CSV (their first on ``first_line``) read without Excel's text marks
    (``without_text_mark``): each cell so marked loses its apostrophe, in place, so that an id,
    a date or a number reads as the sheet showed it, whatever the column; and each column with
    such cells is said once, with how many (R046, a warning). The one rule for both readers (the
    columnar reader's is ``columnar._without_text_marks``, by ``without_text_mark``)."""
    found: dict[int, list[int]] = {}
    for position, row in enumerate(rows):
        for k, cell in enumerate(row):
            if "'" in cell and (rest := without_text_mark(cell)) is not None:
                row[k] = rest
                found.setdefault(k, []).append(first_line + position)
    return tuple(text_mark_warning(file, header_name(header[k]) if k < len(header) and header_name(header[k])
                                   else _letters(k + 1), lines) for k, lines in sorted(found.items()))


def text_mark_warning(file: str, column: str, lines: Sequence[int], count: int | None = None) -> RosterProblem:
    """R046: a CSV column whose cells began with Excel's text mark, read without it: ``count`` of
    them (all ``lines`` when not given), the first on ``lines``."""
    n = len(lines) if count is None else count
    shown, rows_en, rows_zh = _first_rows(lines, n)
    said = RosterProblem(
        file, None, column, None, "R046",
        f"column `{column}`: {n} cell{'s' if n != 1 else ''} begin{'' if n != 1 else 's'} with an apostrophe "
        f"(row{'s' if n != 1 else ''} {rows_en}), Excel's mark of a cell stored as text, which the export wrote into the CSV: read without it "
        "(`'0012` as 0012, `'1985-03-01` as 1985-03-01)",
        f"列“{column}”有 {n} 个单元格以撇号（'）开头（第 {rows_zh}）：这是 Excel“以文本形式存储”的标记，导出时被写进了 CSV；"
        "已去掉撇号读取（'0012 读作 0012，'1985-03-01 读作 1985-03-01）",
        warning=True, rows=tuple(shown), count=n)
    return said


def separators_at_the_end(header: Sequence[str], lengths: Sequence[int], beyond_filled: bool) -> bool:
    """Whether the data rows of a CSV, of ``lengths`` cells each (every row that is not blank), differ
    from its header only by a separator written at the end of every line but the header's, or of
    the header's alone (``工号,姓名,…,`` over ``T01,王芳,…``): all of one length other than the
    header's, every cell the header names there, and none filled past the header's last cell
    (``beyond_filled``). A program writes each line so, and the cells are the header's columns.
    A row cut short or too long among rows of the header's length is no such thing (R016). The
    one rule for both readers (the streamed one hands such a file to the row reader)."""
    width = len(header)
    named = width
    while named and not header_name(header[named - 1]):
        named -= 1
    return bool(lengths) and len(set(lengths)) == 1 and lengths[0] != width and lengths[0] >= named \
        and not beyond_filled


def lines_end_alike(file: str, header: list[str], rows: list[list[str]]) -> tuple[RosterProblem, ...]:
    """The data rows of a CSV made as long as its header, in place, when they differ from it only by a
    separator at the end of the lines (``separators_at_the_end``), and that said once (R049, a warning):
    refused row by row (R016), every teacher of an export whose lines end so was left undecided."""
    filled = [row for row in rows if not _blank(row)]
    width = len(header)
    if not separators_at_the_end(header, [len(row) for row in filled], any(not _blank(row[width:]) for row in filled)):
        return ()
    cells = len(filled[0])
    for row in filled:
        del row[width:]
        row.extend([""] * (width - len(row)))
    return (lines_end_warning(file, cells, width),)


def lines_end_warning(file: str, cells: int, width: int) -> RosterProblem:
    """R049: every data row of a CSV has ``cells`` cells where the header has ``width``, the difference
    only an empty cell at the end (a separator more or less at the end of the lines): read by the
    header's columns."""
    more = cells > width
    diff = abs(cells - width)
    plural = "s" if diff != 1 else ""
    if more:
        en = (f"every row has {diff} cell{plural} more than the header, empty, at its end (the exporting "
              "program ends each line but the header with a separator): the cells are read by the header's columns")
        zh = (f"每一行都比表头多 {diff} 个单元格，多出的都是行末的空单元格（导出程序在每行末尾多写了分隔符）："
              "各单元格按表头的列读取")
    else:
        en = (f"the header has {diff} column{plural} more than every row, with no name, at its end (the "
              "exporting program ends the header line with a separator): the cells are read by the header's columns")
        zh = (f"表头比每一行多 {diff} 列，多出的是表头末尾没有列名的空列（导出程序在表头行末尾多写了分隔符）："
              "各单元格按表头的列读取")
    return RosterProblem(file, None, None, None, "R049", en, zh, warning=True)
