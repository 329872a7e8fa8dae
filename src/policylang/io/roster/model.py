"""What reading a roster gives: the problems it finds (``RosterProblem``), its rows (``RosterRow``),
a table (``LoadedTable``), the roster (``Roster``), and a file's rows as a format's reader finds
them (``Table``, ``Shape``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import attrs

from policylang.io.id_number import masked_in_text
from policylang.lang import schema as S


@functools.lru_cache(maxsize=4096)  # (a roster's problems repeat their texts: one bad value on many rows)
def _id_numbers_masked(text: str | None) -> str | None:
    """``text`` with every run that looks like an ID number masked (``masked_in_text``): whatever a
    problem quotes (a cell of any column, a header, a footer's note, a title) and however its message
    was made, a person's number is never in it, since problem lists are copied into tickets and logs."""
    return masked_in_text(text) if text else text


@attrs.frozen
class RosterProblem:
    """A problem of a roster, or a warning about it. Its texts are masked as they are made
    (``_id_numbers_masked``): the one place that rule is kept, for every reader and every code."""
    file: str = attrs.field(converter=_id_numbers_masked)  # (a file may be named by its person: 张三110105….xlsx)
    row: int | None = attrs.field()  # spreadsheet row (the first is 1, a title above the header too); 1-based object index for JSON; None for the file
    column: str | None = attrs.field(converter=_id_numbers_masked)  # header as written in the file
    value: str | None = attrs.field(converter=_id_numbers_masked)  # the offending value as written
    code: str = attrs.field()
    message_en: str = attrs.field(converter=_id_numbers_masked)
    message_zh: str = attrs.field(converter=_id_numbers_masked)
    warning: bool = False  # said, but decides nothing: no row is refused for it
    column_zh: str | None = None  # a column the file lacks, named by its key in ``column``: its Chinese name
    sheet: str | None = attrs.field(default=None, converter=_id_numbers_masked)  # of a workbook with several sheets of rows, the one read (``xlsx.SheetTitle``)
    # a warning of several rows (R033: the empty cells' rows, the first ``ROWS_NAMED``), for a program
    # to act on as the message names them; ``count``: how many there are in all
    rows: tuple[int, ...] = ()
    count: int | None = None

    def message(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def file_in(self, lang: str = "en") -> str:
        """The file, and the sheet when the workbook has several with rows (both.xlsx 工作表“学校”)."""
        if self.sheet is None:
            return self.file
        return f"{self.file} 工作表{sheet_shown(self.sheet, lang)}" if lang == "zh" else \
            f"{self.file} sheet {sheet_shown(self.sheet, lang)}"

    def column_in(self, lang: str = "en") -> str | None:
        """The column as a message in ``lang`` names it: a header as written in the file; a
        column the file lacks, by its key (`pregnant`) or its Chinese name (孕期)."""
        return self.column_zh if lang == "zh" and self.column_zh else self.column


@attrs.frozen
class RosterRow:
    index: int  # 0-based position among the input's rows
    line: int  # as RosterProblem.row
    values: dict[str, object]  # canonical field name -> typed value; unknown columns under their header
    problems: tuple[RosterProblem, ...]
    # the fields whose empty cell was read as their empty value (任课 blank as 否: ``blank_reads_as``),
    # which an explanation says were blank, not that the roster said 否
    blank: frozenset[str] = frozenset()

    @property
    def valid(self) -> bool:
        return not self.problems


@attrs.frozen
class Roster:
    teachers: tuple[RosterRow, ...]  # every input teacher, in input order, valid or not
    schools: dict[str, dict[str, object]]  # school_id -> typed values, valid school rows only
    problems: tuple[RosterProblem, ...]  # file-level first, then school rows, then teacher rows
    teacher_file: str
    school_file: str
    warnings: tuple[RosterProblem, ...] = ()  # unknown columns, kept and read by nothing
    assumptions: tuple[S.Assumption, ...] = ()  # stated values standing in for absent columns

    def valid_teachers(self) -> list[RosterRow]:
        return [r for r in self.teachers if r.valid]


Table = tuple[list[str], list[Sequence[object]]]  # header as found, data rows


@attrs.frozen
class Shape:
    """What a file's own structure says of its rows (the columnar reader finds the same)."""

    width: int | None = None  # the header's cells, which every row must have (a CSV); None: any
    spans: Mapping[int, tuple[int, int, int | None]] = attrs.Factory(dict)
    # ^ a data row's position -> (its first line in the file, its lines, the first cell holding a line break)
    keep_blank: bool = True  # False: rows with every cell empty are not rows (CSV, XLSX)
    said: tuple[RosterProblem, ...] = ()  # warnings about the file as a whole (the sheet read)
    above: int = 0  # rows above the header (a title): the header is row ``above + 1``
    sheet: str | None = None  # the sheet read, of a workbook with several sheets of rows: its rows' problems name it
    groups: Mapping[int, str] = attrs.Factory(dict)  # a data row's position -> its text: a group's title (R041)


def sheet_shown(title: str, lang: str) -> str:
    """A sheet's title as a message quotes it, saying when the workbook hides it (``xlsx.SheetTitle``)."""
    hidden = getattr(title, "hidden", False)
    if lang == "zh":
        return f"“{title}”（隐藏的工作表）" if hidden else f"“{title}”"
    return f"`{title}` (a hidden sheet)" if hidden else f"`{title}`"


@attrs.frozen
class LoadedTable:
    rows: list[RosterRow]
    problems: list[RosterProblem]  # file-level
    headers: dict[str, str]  # canonical field -> header as written
    warnings: list[RosterProblem] = attrs.Factory(list)  # the header's: unknown columns
    assumptions: tuple[S.Assumption, ...] = ()  # stated values standing in for absent columns
    sheet: str | None = None  # the sheet read, of a workbook with several sheets of rows (``Shape.sheet``)
