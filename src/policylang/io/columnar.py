"""Rosters as polars frames, for rosters too large to read row by row.

The same reading as the row reader, ``roster`` (headers in English or Chinese, codes or labels,
the contract's date and boolean forms, required values, duplicate ids, unknown
schools), expressed as column expressions. ``stream_decisions`` reads the teachers
file in chunks and, chunk by chunk, normalises, validates, decides and appends the
decisions to the output, so memory is bounded by the chunk and not by the roster.
A CSV's (or a service batch's) columns of codes, dates, yes/no and numbers are read as
categorical, and the cell rules read each distinct text once (``_Reading``).
The row reader stays the reference: tests run both on the same files, and every
problem message comes from its constructors.
"""

from __future__ import annotations

import bisect
import codecs
import collections
import csv
import datetime as dt
import functools
import io
import itertools
import operator
import re
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import attrs
import polars as pl
import polars.selectors as cs

from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.frame import BLANK, MONTH, SCHOOL_PREFIX
from policylang.io import plaincsv
from policylang.io.output import Layout
from policylang.io.output import make_temporary, publish, remove_temporary, sync_data, temporary_beside
from policylang.lang.decisions import (ASSUMPTIONS_COLUMN, CONTRACT_BENEFIT, FIRED_COLUMN, OPEN_CATEGORY, ROW_COLUMNS,
                                       UNCERTAIN_COLUMN, flat_columns, month_dates)
from policylang.io.safe_text import spreadsheet_frame
from policylang.lang.policy import CheckedPolicy
from policylang.core.text_width import TRIMMED
from policylang.lang.decisions import MonthDate
from policylang.io.roster.model import RosterProblem, LoadedTable
from policylang.io.id_number import GATE, masked_in_text
from policylang.io.roster.cells import (EXACT_WHOLE, EXCEL_YEAR_DAYS, MASKED_FIELDS, header_name, parse_bool, parse_date,
                                        parse_number, cell_value, _letters)
from policylang.io.roster.plausible import (AFTER_BIRTH, EARLY_START, early_start_warning, WORKING_AGE, WORKING_LIFE, EARLIEST_BIRTH, NOT_NEGATIVE,
                                            RETIREMENT_CATEGORIES, after_reference, after_reference_problem,
                                            checked_at_reference, implausible, WOMEN_ONLY, EXAMPLE_WORDS,
                                            FROM_ID_NUMBER, id_number_reading)
from policylang.io.roster.problems import (ROWS_NAMED, cell_problem, duplicate_problem, implausible_problem,
                                           unknown_school_problem, alike_key_warnings, looks)
from policylang.io.roster.files import (BrokenCsv, multiline_warning, ragged_problem, scalar_columns_or_raise,
                                        EMPTY_CSV, empty_csv, UnreadableFile, school_row_problem, unreadable_error,
                                        unreadable_files, unreadable_problem, CSV_SUFFIXES)
from policylang.io.roster.encoding import decode_line, may_be_gbk_by_chance, mixed_encoding_warning, utf8_lines
from policylang.io.roster.layout import (footer_rows, footer_warning, summary_only, summary_label, serial_columns,
                                         ROW_NUMBER, HeaderAgain, header_again_text, header_again_warning, Unheaded, GONE,
                                         GoneNotes, lone_text, nearest_school, Subtotals,
                                         Titles, where_school_changes, cell_marks, LABEL, NAME, FILLED)
from policylang.io.roster.header import blank_reads_as, HEADER_ROWS, header_row_notes, map_header
from policylang.io.roster.csv_file import (csv_head, named_delimiter, without_text_mark, text_mark_warning, TEXT_MARK,
                                          separators_at_the_end)
from policylang.io.roster.records import outside_calendar_as_text
from policylang.io.roster.reader import blank_warnings, load_table, unusable_schools
from policylang.io.roster.tables import read_table
from policylang.io.roster.workbook import choose_sheet, header_below, _read_xlsx
from policylang.io.xlsx import sheet_heads

ROW = "__row"
BIRTH_MONTH = "__birth_month"  # the first day of the month of birth, for the dates none may precede
WORKING_MONTH = "__working_month"  # the first day of the month the person turned WORKING_AGE
BIRTH = "birth_date"
STREAMABLE = (*CSV_SUFFIXES, ".parquet")
CHUNK_ROWS = 1 << 19  # measured on 20M rows: as fast as 1M-row chunks, with two thirds of the memory
SMALL_FRAME = 1 << 16  # rows up to which a plan runs on polars's in-memory engine (``collected``)
# rows up to which a plan runs unoptimised, as polars runs its eager API's plans: optimising a plan of ~150
# expressions (a batch's checks, a policy's decisions) costs 0.5-1.3 ms, more than it saves on a service's
# batch; measured (docs/performance.md) as cheaper at 250 and 1,000 rows, no dearer at 4,000, dearer at 10,000
FEW_ROWS = 1 << 12
Progress = Callable[[int, int], None]  # (rows read, rows in the file)

# ---- the file as written -------------------------------------------------------------


@attrs.frozen
class _Source:
    path: Path
    raw: pl.LazyFrame  # the columns as found, untyped for CSV
    header: list[str]  # the header as written (polars renames a repeated name; the row reader does not)
    first_line: int  # row number of the first record: the header is row 1 in a CSV, or below a title
    delimiter: str | None = None  # a CSV's; None for Parquet
    encoding: str | None = None  # a CSV's, as read
    keep_blank: bool = False  # every record is a row, blank or not (Parquet); else blank rows are not rows
    data: Path | None = None  # the file polars reads, when not ``path`` (a mixed file transcoded to UTF-8)
    above: tuple[list[str], ...] = ()  # a CSV's records above its header (a title), not read as rows
    header_line: int = 0  # the line a CSV's header begins on (0-based): a record above may take several
    options: dict | None = None  # how polars scans a CSV (None for Parquet)
    text_marks: bool = False  # ``raw`` is the cells without Excel's text marks ('0012: ``_without_text_marks``)
    by_c: bool = False  # a plain CSV whose rows the C reader reads (``plaincsv``), not polars (``_Structure.by_c``)

    @property
    def read_from(self) -> Path:
        return self.data or self.path


def _csv_encoding(path: Path, encoding: str | None) -> str:
    """The row reader's detection on the head of the file: UTF-16 by its BOM, UTF-8, else GB18030;
    ``mixed`` for UTF-8 with lines of GBK whose bytes are UTF-8 by chance (``roster.decode_line``:
    the file is read line by line)."""
    if encoding:
        return encoding
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start <= len(head) - 4:  # not merely a character cut at the end of the sample
            return "gb18030"
        text = head[:exc.start].decode("utf-8")
    if may_be_gbk_by_chance(text):  # 女 read as Ů: GBK, or some lines of it
        lines = head.splitlines(keepends=True)
        lines = lines[:-1] if len(head) == 1 << 16 and len(lines) > 1 else lines  # (the last may be cut)
        if any(decode_line(line)[1] for line in lines):
            return "mixed" if utf8_lines(lines) else "gb18030"
    return "utf8"


def _open(path: Path, encoding: str | None, data: Path | None = None, table: S.Table | None = None) -> _Source:
    """The file as polars scans it, from ``table``'s header (``roster.csv_head``: a title may be
    above it); ``data``: a UTF-8 copy to read instead (named ``path``)."""
    if data is not None:
        source = _open(data, "utf8", table=table)
        return attrs.evolve(source, path=path, data=data)
    return _open_file(path, encoding, table)


def _spans_as_text(frame: pl.LazyFrame | pl.DataFrame, schema: Mapping[str, object]):
    """``frame`` with its columns of time spans as text, as the row reader shows such a cell
    (``730 days, 0:00:00``, then not a number, R007): polars casts no span to text."""
    spans = [name for name, dtype in schema.items() if isinstance(dtype, pl.Duration)]

    def shown(values: pl.Series) -> pl.Series:
        return pl.Series([None if v is None else str(v) for v in values.to_list()], dtype=pl.Utf8)
    return frame.with_columns(pl.col(n).map_batches(shown, return_dtype=pl.Utf8, is_elementwise=True)
                              for n in spans) if spans else frame


def _open_file(path: Path, encoding: str | None, table: S.Table | None = None) -> _Source:
    if path.suffix.lower() == ".parquet":
        raw = pl.scan_parquet(path)
        schema = raw.collect_schema()
        scalar_columns_or_raise(schema)  # as the row reader: lists or bytes are no cells
        return _Source(path, outside_calendar_as_text(_spans_as_text(raw, schema)), schema.names(), 1, keep_blank=True)
    encoding = _csv_encoding(path, encoding)
    if encoding == "mixed":  # (read line by line by ``_read``; a frame read otherwise: the row reader's)
        raise _Unparsed("lines of GBK among lines of UTF-8")
    with open(path, "rb") as f:
        head = f.read(1 << 16).decode(encoding, errors="ignore")
        if empty_csv(head):  # the row reader's rule, on the whole file: said once (R009)
            if f.read(1):  # more beyond the head, unseen: the row reader reads the file whole
                raise _Unparsed("nothing but blank space in the first 64 KiB")
            raise UnreadableFile(*EMPTY_CSV)
    if _BARE_CR.search(head):  # polars ends a line at a line feed only: the whole file would be its header
        raise _Unparsed("lines ended by a carriage return alone")
    delimiter, lines, at, line = csv_head(head.lstrip("\ufeff").split("\n", HEADER_ROWS)[:HEADER_ROWS], table,
                                          named_delimiter(path))
    options = dict(infer_schema=False, separator=delimiter, truncate_ragged_lines=True, skip_lines=line)
    raw = _scan_csv(path, encoding, options)
    names = raw.collect_schema().names()
    header = lines[at]
    return _Source(path, raw, header if len(header) == len(names) else names, at + 2, delimiter, encoding,
                   above=tuple(lines[:at]), options=options, header_line=line)


def _scan_csv(path: Path, encoding: str, options: dict, types: dict | None = None) -> pl.LazyFrame:
    if _utf8(encoding):
        return pl.scan_csv(path, encoding="utf8", schema_overrides=types, **options)
    # polars scans only UTF-8: other encodings are decoded whole (small CSVs in practice)
    return pl.read_csv(path, encoding=encoding, schema_overrides=types, **options).lazy()


def _categorised(source: _Source, columns: _Columns, table: S.Table) -> _Source:
    """A CSV read again with the columns of codes, dates, yes/no and numbers as categorical:
    each distinct text is then read once (``_per_category``), not every row's. Each read has its
    own categories, which go with it."""
    if source.options is None:  # Parquet: typed already
        return source
    types = {raw: pl.Categorical(pl.Categories.random()) for _, raw in _read_per_text(columns, table)}
    if source.text_marks:  # the texts without their marks, made categorical (a rare file: not scanned so)
        return attrs.evolve(source, raw=source.raw.with_columns(pl.col(raw).cast(t) for raw, t in types.items()))
    return attrs.evolve(source, raw=_scan_csv(source.read_from, source.encoding, source.options, types))


def _marked(col: pl.Expr) -> pl.Expr:
    """The cells ``roster.without_text_mark`` reads without Excel's text mark ('0012, '1985-03-01)."""
    text = col.str.strip_chars(TRIMMED)
    return (text.str.starts_with(TEXT_MARK) & ~text.str.slice(1).str.ends_with(TEXT_MARK)).fill_null(False)


def _without_text_marks(source: _Source) -> tuple[_Source, list[RosterProblem]]:
    """A CSV with cells marked as text by Excel's apostrophe (``_Structure.text_marks``): its cells
    without it, as the row reader reads them (``roster.text_marks_removed``), and what it says of
    each column so read (R046), from one look at the marked rows."""
    names = source.raw.collect_schema().names()
    marked = (source.raw.select(_marked(pl.col(c)).alias(c) for c in names).with_row_index("pos")
              .filter(pl.any_horizontal(names)).collect())
    warnings = []
    for k, name in enumerate(names):
        rows = marked.filter(pl.col(name))["pos"]
        if rows.len():
            header = header_name(source.header[k]) if k < len(source.header) else ""
            lines = (rows.head(_MARKS_SHOWN) + source.first_line).to_list()
            warnings.append(text_mark_warning(str(source.path), header or _letters(k + 1), lines, rows.len()))
    stripped = [pl.when(_marked(pl.col(c))).then(pl.col(c).str.strip_chars(TRIMMED).str.slice(1))
                .otherwise(pl.col(c)).alias(c) for c in names]
    return attrs.evolve(source, raw=source.raw.with_columns(stripped), text_marks=True), warnings


def _read_per_text(columns: _Columns, table: S.Table) -> list[tuple[S.Field, str]]:
    """The fields read, with their columns, whose cells are read once per distinct text (as
    categorical): codes, dates, yes/no and numbers; not free text (ids, names), mostly distinct."""
    return [(field, raw) for name, raw in columns.raw.items() if not _is_plain_text(field := table.field(name))]


def collected(plan: pl.LazyFrame, rows: int) -> pl.DataFrame:
    """``plan`` run on ``rows`` rows: by polars's in-memory engine for a small frame (a service
    batch), where the streaming engine's fixed cost a plan is felt (about 2.5 ms of a batch of
    1,000's 15 to check it; the same time on 100,000 rows either way), and by its default
    otherwise. The in-memory engine re-raises an error of Python code in the plan (a date moved
    past year 9999) as its type called with one message, which a bilingual error cannot be
    (a TypeError instead): on any error the plan runs again by the default engine, which
    raises it as it was raised. Up to ``FEW_ROWS`` rows the plan is not optimised (the same
    result, by the same types: only the optimiser's rewrites are left out)."""
    if rows <= SMALL_FRAME:
        try:
            return plan.collect(engine="in-memory", optimizations=_UNOPTIMISED if rows <= FEW_ROWS else _OPTIMISED)
        except Exception:  # noqa: BLE001 - raised again, as it is, just below
            pass
    return plan.collect()


_UNOPTIMISED, _OPTIMISED = pl.QueryOptFlags.none(), pl.QueryOptFlags()


def _utf8(encoding: str) -> bool:
    return encoding.lower().replace("-", "") in ("utf8", "utf8sig")


@attrs.frozen
class _Structure:
    """What a CSV's lines say of its rows, as the row reader's ``csv_records`` finds it: polars
    reads a row cut short as if its last cells were empty, drops the cells of a long one, and
    reads a cell over several lines without a word."""

    ragged: dict[int, int] = attrs.Factory(dict)  # row -> its cells, where the header has another number
    spans: dict[int, tuple[int, int, int | None]] = attrs.Factory(dict)
    # ^ row -> (first line, lines, first cell holding a line break), for rows over several lines
    records: int | None = None  # the records of the file, the header one included; None: not counted
    footer: dict[int, str] = attrs.Factory(dict)  # row -> its text, for a form's footer (``roster.footer_rows``)
    text_marks: bool = False  # a data row has a cell marked as text by Excel's apostrophe ('0012)
    # known from the file's bytes, not its lines (``_plain_structure``): the parse must confirm it
    unconfirmed: bool = False
    quotes: bool = False  # (unconfirmed) the file holds a quote: no cell may hold one, nor a line break or separator
    by_c: bool = False  # (unconfirmed) the C reader reads it (``plaincsv``), checking each line as it reads it


_BARE_CR = re.compile(r"\r(?=[^\n])")  # a carriage return not ending a line with a line feed (old Mac files)


class _Unparsed(ValueError):
    """A CSV whose lines the columnar reader cannot map to rows as the row reader would (quotes
    inside unquoted cells, bare carriage returns): the row reader reads it."""


def _no_unheaded_values(source: _Source) -> None:
    """``_Unparsed`` when a column with no header holds a value (a note beside a person, 已调出):
    the row reader reads the file and says which rows (R042). A pass over those columns alone,
    only when the header has an empty cell (a trailing separator on every line makes one)."""
    names = source.raw.collect_schema().names()
    unheaded = [names[k] for k, h in enumerate(source.header) if not header_name(h) and k < len(names)]
    if unheaded and source.raw.select(pl.any_horizontal(
            _text(pl.col(n)).str.len_chars().fill_null(0) > 0 for n in unheaded).any()).collect().item():
        raise _Unparsed("a column with no header holds values")


def _structure(source: _Source, required: Sequence[int] = ()) -> _Structure:
    """One pass over the lines of a CSV, in polars: the lines whose quotes leave a cell open
    (a cell over several lines, or a quote never closed) and those with other than the header's
    number of cells, each then read by the csv module as the row reader reads it. Quotes are
    counted as CSV writers put them (a quoted cell, "" for a quote inside it). The rows of a
    form's footer (``roster.footer_rows``; ``required``: the cells a row must fill) are found
    among its last lines that are not blank."""
    if source.delimiter is None or not source.header:
        return _Structure()
    width = len(source.raw.collect_schema().names())
    if _utf8(source.encoding):
        lines = pl.scan_lines(source.read_from)
    else:  # as ``_open`` reads it: decoded whole
        lines = pl.scan_lines(io.BytesIO(source.path.read_bytes().decode(source.encoding).encode("utf-8")))
    sep, line = source.delimiter, pl.col("line")
    quotes = line.str.count_matches('"', literal=True)
    unquoted = pl.when(pl.col("q") > 0).then(line.str.replace_all('"[^"]*"', "")).otherwise(line)
    marked = lines.with_row_index("i").with_columns(q=quotes).with_columns(
        inside=(pl.col("q").cum_sum() - pl.col("q")) % 2 == 1)  # the line starts inside a quoted cell
    # a quote within a cell's text (` "a,b"`, a space before it) opens no quoted cell to the csv module, where
    # ``unquoted`` takes it for one: the csv module reads such a line (its cells, R016 if they are too many)
    inner = re.escape(sep) + '"'
    suspect = (pl.col("q") % 2 == 1) | pl.col("inside") | (unquoted.str.count_matches(sep, literal=True) + 1 != width) \
        | ((pl.col("q") > 0) & line.str.contains('="', literal=True)) \
        | ((pl.col("q") > 0) & line.str.contains(f'[^{inner}]"[^{inner}\\r]')) \
        | line.str.contains(TEXT_MARK, literal=True)  # ="00123" for Excel, '0012 marked as text (below)
    blank = _blank_line(sep)
    found, count, tail, filled = pl.collect_all([
        marked.filter(suspect).select("i", "q", "inside", "line"), lines.select(pl.len()),
        marked.filter(~blank).tail(_TAIL_LINES).select("i", "inside", "line"),
        # the data rows that are not blank (``roster.separators_at_the_end`` reads them all)
        marked.filter((pl.col("i") > source.header_line) & ~blank & ~pl.col("inside")).select(pl.len())])
    continued = found.filter(pl.col("inside"))["i"].to_list()

    def row_of(i: int) -> int:  # the spreadsheet row of the record starting on line i (0-based; the header's is 1)
        return i + 1 - bisect.bisect_left(continued, i)

    ragged: dict[int, int] = {}
    beyond: list[bool] = []  # of each ragged row, whether a cell past the header's last is filled
    spans: dict[int, tuple[int, int, int | None]] = {}
    marks: list[int] = []  # the lines starting rows with a cell marked as text

    def settle(first: int, texts: list[str], closed: bool) -> None:
        if first == 0:  # a BOM before a quote would make it no quote to the csv module (as the row reader reads none)
            texts = [texts[0].removeprefix("\ufeff"), *texts[1:]]
        reader = csv.reader(io.StringIO("\n".join(texts) + "\n", newline=""), delimiter=sep)
        try:
            records = [next(reader, None), next(reader, None)]
        except csv.Error:
            records = None
        if not closed and (records is None or records[1] is None):
            # read to the end as one cell, as the row reader finds
            raise BrokenCsv(row_of(first), first + 1, count.item() - first, True)
        if records is None or records[0] is None or records[1] is not None:
            raise _Unparsed("the lines of the file do not map to its rows")
        cells = records[0]
        bare = [c if (b := without_text_mark(c)) is None else b for c in cells] if first > source.header_line else cells
        if first > source.header_line and any(c.strip(TRIMMED).startswith('="') for c in bare):
            raise _Unparsed('cells written ="…" for Excel')  # the row reader reads the text they show (roster._text)
        if bare is not cells and bare != cells:
            marks.append(first)  # read without the mark (``_without_text_marks``), as the row reader reads them
        if first <= source.header_line or all(not c.strip() for c in cells):  # the header, the lines above it; a blank row
            return
        row = row_of(first)
        if len(cells) != width:
            ragged[row] = len(cells)
            beyond.append(any(c.strip(TRIMMED) for c in cells[width:]))
        breaks = [c.count("\n") for c in cells]
        if any(breaks):
            spans[row] = (first + 1, sum(breaks) + 1, next(k for k, n in enumerate(breaks) if n))

    pending: tuple[int, list[str]] | None = None  # a record over several lines, not closed yet
    for i, q, inside, text in found.iter_rows():
        if inside:
            pending[1].append(text)
            if q % 2:
                settle(*pending, closed=True)
                pending = None
        elif q % 2:
            pending = (i, [text])
        else:
            settle(i, [text], closed=True)
    if pending is not None:
        settle(*pending, closed=False)
    if ragged and 2 * len(ragged) > filled.item() and separators_at_the_end(source.header, list(ragged.values()),
                                                                            any(beyond)):
        # every line but the header's ends in one separator more (or the header's alone): the row reader makes
        # the rows as long as the header and says it once (R049), or finds the rows that are not so
        raise _Unparsed("the lines end in a separator the header's does not (or the header's alone)")
    # (a footer longer than the lines looked at first: looked for again, a pass over the lines)
    ends = _footer(lambda looked: tail if looked == _TAIL_LINES else
                   marked.filter(~blank).tail(looked).select("i", "inside", "line").collect(), sep, required)
    footer = {row_of(i): text for i, text in ends.items() if i > source.header_line}
    return _Structure(ragged, spans, count.item() - len(continued) - len(source.above), footer, bool(marks))


def _blank_line(sep: str) -> pl.Expr:
    """A line of empty cells: no character but separators, quotes and spaces (a search that stops
    at the first other character, not a rewrite of every line)."""
    return ~pl.col("line").str.contains(f'[^{re.escape(sep)}"\\s]')


def _footer(last_lines: Callable[[int], pl.DataFrame], sep: str, required: Sequence[int]) -> dict[int, str]:
    """The rows of a form's footer (``_footer_lines``), by the line each starts on, from the file's
    last lines that are not blank (``last_lines(n)``: at most ``n`` of them, as ``i``, ``inside``
    and ``line``), looking further up while the footer goes on above those looked at."""
    looked = _TAIL_LINES
    while (ends := _footer_lines(tail := last_lines(looked), sep, required, whole=tail.height < looked)) is None:
        looked *= 8
    return ends


_PLAIN_BLOCK = 1 << 24  # bytes of a CSV counted at a time (``_plain_structure``): memory stays small
_FILE_END = 1 << 16  # bytes read first from a CSV's end for its last lines (``_last_lines``)


def _plain_structure(source: _Source, required: Sequence[int] = (),
                     counted: Callable[[], int] | None = None) -> _Structure | None:
    """What ``_structure`` would find of a plain CSV, from counting its bytes rather than reading
    its lines (a quarter of the CPU time or less, docs/performance.md): None for any other file,
    whose lines ``_structure`` reads. Plain: UTF-8, the header on the first line, no apostrophe
    and no ``=`` anywhere (no cell marked as text, no ="…"), as many separators as lines times
    the header's, and none as the file's last byte (polars reads that one as nothing). What the
    bytes cannot show, the parse confirms (``unconfirmed``; ``_plain_cells``): polars, told to
    refuse a line with too many cells, refuses none, no cell holds a quote, a line break or a
    separator, and there are as many rows as lines. Then each line is one row, its quotes only
    open and close cells, and no line has more separators than the header's: with as many in
    all, none has fewer (none is ragged), and no line is one ``_structure`` would look at. (In
    UTF-8 no byte of a Chinese character is an ASCII one.) Where the C reader was built, it reads
    the file (``by_c``) and checks all of this as it reads each line: only the lines are counted
    (``counted``: by a count begun before)."""
    sep = source.delimiter
    if (sep is None or len(sep.encode("utf-8")) != 1 or not _utf8(source.encoding) or source.above
            or source.header_line or any(c in h for h in source.header for c in _NOT_PLAIN + [sep])):
        return None
    width = len(source.raw.collect_schema().names())
    if plaincsv.available() and width > 1 and source.read_from.is_file() \
            and not any(c in h for h in source.header for c in "'="):  # (a regular file: mapped into memory)
        # the C reader checks every line and cell as it reads it (``plaincsv``): only the lines are counted here,
        # and nothing is left for the parse to look at (``quotes``)
        lines, quotes, by_c = (counted or functools.partial(plaincsv.lines, source.read_from))(), False, True
    elif (counted := _separators_and_lines(source.read_from, sep)) is None:
        return None
    else:
        (seps, lines, last, quotes), by_c = counted, False
        # a separator ending the file, no line feed after it, polars reads as nothing, even told to refuse a line
        # with too many cells: that line's one separator more would hide a row a cell short
        if seps != (width - 1) * lines or last == sep.encode("utf-8"):
            return None
    ends = _footer(lambda looked: _last_lines(source.read_from, lines, looked, sep), sep, required)
    return _Structure(records=lines, footer={i + 1: text for i, text in ends.items() if i > 0}, unconfirmed=True,
                      quotes=quotes, by_c=by_c)


def _separators_and_lines(path: Path, sep: str) -> tuple[int, int, bytes, bool] | None:
    """A file's separators, its lines, its last byte and whether it holds a quote, counted 16 MiB
    at a time with numpy; None if it holds an apostrophe or ``=`` (``_plain_structure``)."""
    import numpy as np

    code, seps, breaks, last, quotes = ord(sep), 0, 0, b"\n", False
    with open(path, "rb") as f:
        while block := f.read(_PLAIN_BLOCK):
            if b"'" in block or b"=" in block:
                return None
            quotes = quotes or b'"' in block
            codes = np.frombuffer(block, np.uint8)
            seps += int(np.count_nonzero(codes == code))
            breaks += int(np.count_nonzero(codes == 10))
            last = block[-1:]
    return seps, breaks + (last != b"\n"), last, quotes  # (a last line without a line feed is a line)


def _last_lines(path: Path, lines: int, wanted: int, sep: str) -> pl.DataFrame:
    """The last ``wanted`` lines of a plain CSV of ``lines`` lines (``_plain_structure``) that are
    not blank, as ``_structure`` finds them (``i``, ``inside``, ``line``), read from its end."""
    size, span = path.stat().st_size, _FILE_END
    while True:
        with open(path, "rb") as f:
            f.seek(max(0, size - span))
            data = f.read()
        whole = span >= size
        if not whole:  # the first line read may be cut: not a line
            data = data[data.index(b"\n") + 1:] if b"\n" in data else b""
        found = pl.scan_lines(io.BytesIO(data)).with_row_index("i").filter(_blank_line(sep).not_()).collect()
        if found.height >= wanted or whole:
            # (the lines read are the file's last: numbered from its line count)
            at = lines - (data.count(b"\n") + (not data.endswith(b"\n")) if data else 0)
            return found.tail(wanted).select((pl.col("i").cast(pl.Int64) + at).alias("i"),
                                             pl.lit(False).alias("inside"), "line")
        span *= 8


def _plain_cells(chunk: pl.DataFrame, sep: str) -> bool:
    """Whether no text cell of a chunk holds a quote, a line break or a separator (``_plain_structure``;
    the texts of its categorical columns: ``_plain_categories``, once all are read)."""
    texts = [c for c, t in chunk.schema.items() if t == pl.Utf8]
    return not texts or not chunk.select(pl.any_horizontal(
        pl.col(texts).str.contains_any(_NOT_PLAIN + [sep]).fill_null(False)).any()).item()


def _plain_categories(schema: pl.Schema, sep: str) -> bool:
    """``_plain_cells`` of the categorical columns of a read's ``schema``: the texts read into them."""
    return not any(t.categories.to_series().str.contains_any(_NOT_PLAIN + [sep]).any() for t in schema.values()
                   if _categorical(t))


_NOT_PLAIN = ['"', "\r", "\n"]  # what a plain CSV's cell does not hold, but for its separator (``_plain_structure``)
_NOT_PLAIN_CELL = "a plain CSV's cell holds a quote, a line break or a separator"  # (its lines are read then)


_TAIL_LINES = 32  # the last lines of a CSV looked at first for a form's footer (more if it goes on above them)
_MARKS_SHOWN = Unheaded.SHOWN  # the rows a warning of a column's text marks names (R046), as the row reader's


def _footer_lines(tail: pl.DataFrame, sep: str, required: Sequence[int], whole: bool) -> dict[int, str] | None:
    """The rows of a form's footer (``roster.footer_rows``) among the last lines of a CSV that
    are not blank, each by the line it starts on, with its text; read from the first of those
    lines that starts a row (in a short file, the header: no footer row). None when the footer
    begins at the first line looked at and ``whole`` (the lines are all the file's) is not said:
    it may go on above them."""
    numbers, lines, inside = tail["i"].to_list(), tail["line"].to_list(), tail["inside"].to_list()
    start = next((k for k, open_ in enumerate(inside) if not open_), len(lines))
    reader = csv.reader((text + "\n" for text in lines[start:]), delimiter=sep)
    records, starts, consumed = [], [], 0
    try:
        for record in reader:  # (as the row reader reads them: without Excel's text marks)
            records.append([c if (bare := without_text_mark(c)) is None else bare for c in record])
            starts.append(numbers[start + consumed])
            consumed = reader.line_num
    except (csv.Error, IndexError):  # (a quote never closed: the line pass says it)
        return {}
    footer = footer_rows(records, required)
    if 0 in footer and not whole:
        return None
    return {starts[k]: text for k, text in footer.items()}


@attrs.frozen
class _Columns:
    """Which column of the file gives which field."""

    raw: dict[str, str]  # field -> polars column name, in file order (the row reader's problem order)
    written: dict[str, str]  # field -> header as written
    problems: tuple[RosterProblem, ...]  # the header's own (R001, R011 missing, R010 doubled)
    warnings: tuple[RosterProblem, ...] = ()  # R012: unknown headers
    assumptions: tuple[S.Assumption, ...] = ()  # stated values standing in for absent columns


def _columns(source: _Source, table: S.Table) -> _Columns:
    mapped = map_header(str(source.path), table, source.header)
    names = source.raw.collect_schema().names()
    above = header_row_notes(str(source.path), source.above, len(source.above))  # as the row reader says it
    return _Columns({f.name: names[i] for i, f in mapped.fields.items()}, mapped.written, tuple(mapped.problems),
                    tuple(mapped.warnings) + above, mapped.assumptions)


# ---- values: one expression per field, as the row reader converts a cell ------------


# trimmed as the row reader trims (``TRIMMED``): polars's own set, Unicode White_Space, lacks the
# information separators U+001C-U+001F and the characters that show nothing
def _text(col: pl.Expr) -> pl.Expr:
    return col.cast(pl.Utf8).str.strip_chars(TRIMMED)


def _is_text(dtype) -> bool:
    return not (dtype.is_numeric() or dtype.is_temporal() or dtype == pl.Boolean or dtype == pl.Null)


def _present(col: pl.Expr, dtype) -> pl.Expr:
    """A cell that is not empty (the row reader reads NaN and blank text as empty)."""
    if _is_text(dtype):
        return _text(col).str.len_bytes().fill_null(0) > 0
    if dtype.is_float():
        return col.is_not_null() & col.is_not_nan()
    return col.is_not_null()


_DATE_PARTS = pl.Struct({"d": pl.Date, "m": pl.Boolean})


def _date_parts(col: pl.Expr, dtype) -> pl.Expr:
    """Each cell's date (``d``) and whether it was a year-month form (``m``): ISO dates in
    polars, every other value by the row reader's ``parse_date``, once per distinct value, so
    that one grammar reads both (full-width digits, 198503, a date-time at midnight …)."""
    if dtype == pl.Date:  # typed Parquet: nothing to parse
        return pl.struct(col.alias("d"), pl.lit(False).alias("m"))
    if isinstance(dtype, pl.Datetime):  # a day only at midnight without a zone (the row reader's parse_date)
        day = pl.lit(None, dtype=pl.Date) if dtype.time_zone else \
            pl.when((col.dt.time() == pl.time(0)) | col.dt.date().is_between(*map(pl.lit, EXCEL_YEAR_DAYS))
                    ).then(col.dt.date())
        return pl.struct(day.alias("d"), pl.lit(False).alias("m"))

    def parse(values: pl.Series) -> pl.Series:
        if values.dtype == pl.Utf8:
            iso = values.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").fill_null(False)
            fast = values.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
            fast = fast.to_frame("d").select(pl.when(pl.col("d").dt.year() >= 1).then(pl.col("d"))).to_series()
        else:
            iso = pl.repeat(False, len(values), eager=True)
            fast = pl.repeat(None, len(values), dtype=pl.Date, eager=True)
        rest = values.filter(~iso & values.is_not_null()).unique().to_list()
        read = {v: _date_or_none(v) for v in rest}
        keys = pl.Series(list(read), dtype=values.dtype)
        dates = values.replace_strict(keys, pl.Series([d for d, _ in read.values()], dtype=pl.Date), default=None,
                                      return_dtype=pl.Date) if read else fast.clear(len(values))
        months = values.replace_strict(keys, pl.Series([m for _, m in read.values()], dtype=pl.Boolean),
                                       default=False, return_dtype=pl.Boolean) if read else iso & False
        frame = pl.DataFrame({"iso": iso, "fast": fast, "dates": dates, "months": months})
        return frame.select(pl.struct(pl.when("iso").then("fast").otherwise("dates").alias("d"),
                                      (pl.col("months").fill_null(False) & ~pl.col("iso")).alias("m"))).to_series()

    return col.map_batches(parse, return_dtype=_DATE_PARTS, is_elementwise=True)


def _date_or_none(value) -> tuple[dt.date | None, bool]:
    try:
        date = parse_date(value)
    except (ValueError, TypeError, OverflowError):
        return None, False
    return date, isinstance(date, MonthDate)


def _date(col: pl.Expr, dtype) -> pl.Expr:
    return _date_parts(col, dtype).struct.field("d")


def _bool(col: pl.Expr, dtype) -> pl.Expr:
    if dtype == pl.Boolean:
        return col.fill_null(False)
    if dtype.is_numeric():  # 1 and 0 (1.0 too); empty is false
        return pl.when(~_present(col, dtype)).then(False).when(col == 1).then(True).when(col == 0).then(False)
    return _per_distinct(col.cast(pl.Utf8).fill_null(""), _or_none(parse_bool), pl.Boolean)  # the row reader's words


def _or_none(parse: Callable[[object], object]) -> Callable[[object], object]:
    """The row reader's ``parse``, with None for a value it refuses."""
    def read(value):
        try:
            return parse(value)
        except ValueError:
            return None

    return read


def _number(col: pl.Expr, dtype) -> pl.Expr:
    if dtype.is_numeric():  # NaN is empty, infinity is not a number, nor a whole one past a float's (as parse_number)
        number = col.cast(pl.Float64)
        exact = number.is_finite()
        if dtype.is_integer():
            exact = exact & col.is_between(-EXACT_WHOLE, EXACT_WHOLE)
        return pl.when(exact).then(number)

    def parse(values: pl.Series) -> pl.Series:
        # plain numbers in polars; every other value (1,200, full-width digits, 400 digits …) by the
        # row reader's parse_number, once per distinct value
        plain = values.str.contains(r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$").fill_null(False)
        rest = values.filter(~plain & values.is_not_null()).unique().to_list()
        read = {v: _or_none(parse_number)(v) for v in rest}
        slow = values.replace_strict(list(read), [None if n is None else float(n) for n in read.values()],
                                     default=None, return_dtype=pl.Float64) if read else None
        fast = values.cast(pl.Float64, strict=False)
        return fast if slow is None else fast.zip_with(plain, slow)

    return col.cast(pl.Utf8).map_batches(parse, return_dtype=pl.Float64, is_elementwise=True)


def _per_distinct(col: pl.Expr, fn: Callable[[str], object], dtype) -> pl.Expr:
    """``fn`` of each cell's text, called once per distinct value: for columns with a handful
    of values (codes), where Python on the distinct values is cheaper than string work per row."""

    def apply(values: pl.Series) -> pl.Series:
        mapping = {v: fn(v) for v in values.unique().drop_nulls().to_list()}
        if all(k == out for k, out in mapping.items()):
            return values  # fn changes nothing: canonical codes, as in a typed Parquet file
        return values.replace_strict(mapping, default=None, return_dtype=dtype)

    return col.cast(pl.Utf8).map_batches(apply, return_dtype=dtype, is_elementwise=True)


def _enum(col: pl.Expr, enum: S.Enum) -> pl.Expr:
    return _per_distinct(col, enum.lookup, pl.Utf8)  # the row reader's lookup


def _code_present(col: pl.Expr) -> pl.Expr:
    """``_present`` for a text column of codes: the empty texts are found among the distinct values."""
    def apply(values: pl.Series) -> pl.Series:
        empty = [v for v in values.unique().drop_nulls().to_list() if not v.strip(TRIMMED)]
        return values.is_not_null() & ~values.is_in(empty) if empty else values.is_not_null()

    return col.cast(pl.Utf8).map_batches(apply, return_dtype=pl.Boolean, is_elementwise=True)


def _plain_text(col: pl.Expr, dtype) -> pl.Expr:
    if dtype == pl.Boolean:  # a yes/no cell is no id or name (R048, as the row reader's ``_as_text``)
        return pl.lit(None, dtype=pl.Utf8)
    if dtype.is_float():  # an id typed as a number in a spreadsheet: 1001.0 is "1001"
        whole = col.is_finite() & (col == col.floor())
        text = (pl.when(col.is_nan()).then(None).when(whole).then(col.cast(pl.Int64, strict=False).cast(pl.Utf8))
                .otherwise(col.cast(pl.Utf8)))
    else:
        text = _text(col)
    return pl.when(text == "").then(None).otherwise(text)


def _is_plain_text(field: S.Field) -> bool:
    return not isinstance(field.type, (T.DateType, T.BoolType, T.NumberType, T.EnumType))


def _typed(field: S.Field, col: pl.Expr, dtype, settled: bool = False) -> pl.Expr:
    """A column's cells read as ``field``'s values (``settled``: text that reading as text,
    trimmed and masked, leaves as it is: ``_unchanged``)."""
    t = field.type
    if isinstance(t, T.DateType):
        return _date(col, dtype)
    if isinstance(t, T.BoolType):
        return _bool(col, dtype)
    if isinstance(t, T.NumberType):
        return _number(col, dtype)
    if isinstance(t, T.EnumType):
        if field.enum.lookup("") is not None:  # title and backbone: an empty cell is "none"
            col = col.cast(pl.Utf8).fill_null("")
        return _enum(col, field.enum)
    if settled and dtype == pl.Utf8:
        return col
    text = _plain_text(col, dtype)
    return text.map_batches(_ids_masked, pl.Utf8, is_elementwise=True) if field.name in MASKED_FIELDS else text


def _ids_masked(texts: pl.Series) -> pl.Series:
    """A name column as the row reader reads it (``cells.MASKED_FIELDS``): an ID number in a name
    masked, only the texts with five digits in a row looked at (``id_number.GATE``), a few if any."""
    hit = texts.str.contains(GATE).fill_null(False)
    if not hit.any():
        return texts
    where = hit.arg_true()
    return texts.clone().scatter(where, [masked_in_text(t) for t in texts.gather(where).to_list()])


def _categorical(dtype) -> bool:
    return isinstance(dtype, pl.Categorical)


class _Cells(NamedTuple):
    """A field's column as ``_normalised`` needs it: each cell's typed value, whether it is
    not empty, whether it was a year-month date, and whether it is wrong (a value the field
    cannot take, or none where one is required); of a birth date, its ``_birth_months``."""

    value: pl.Expr
    present: pl.Expr
    month: pl.Expr
    bad: pl.Expr
    birth_months: tuple[pl.Expr, pl.Expr] | None = None


@attrs.frozen
class _Reading:
    """What the text rules read of a categorical column's texts, by code + 1 (index 0: a
    missing cell), with what ``_per_category`` asks of them worked out once."""

    value: pl.Series
    present: pl.Series
    month: pl.Series
    bad: dict[bool, pl.Series]  # by whether a value is required: the cells that are wrong
    # whether any text (a missing cell apart) is empty, a year-month date, wrong (by required)
    some_empty: bool
    some_month: bool
    some_bad: dict[bool, bool]
    keeper: pl.Series  # empty, of the column's type: its categories live as long as their reading (``_keeping``)
    # of a birth date: the first days of the month of birth and of the month the person turned WORKING_AGE
    # (``_birth_months``; a date offset by years costs about 60 ns, per row rather than per text)
    birth_months: tuple[pl.Series, pl.Series] | None
    # the series above as literals, made once: a batch's plan gathers from them
    literal: dict[str, pl.Expr] = attrs.field(init=False, eq=False, repr=False)
    texts: int = attrs.field(init=False)  # the distinct texts read

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "texts", self.value.len() - 1)
        object.__setattr__(self, "literal", {
            "value": pl.lit(self.value), "present": pl.lit(self.present), "month": pl.lit(self.month),
            **{f"bad{required}": pl.lit(b) for required, b in self.bad.items()},
            **({"birth_month": pl.lit(self.birth_months[0]), "working_month": pl.lit(self.birth_months[1])}
               if self.birth_months is not None else {})})

    @classmethod
    def of(cls, field: S.Field, dtype) -> _Reading:
        """The text rules of text columns, on the texts of ``dtype``'s categories."""
        keeper = _keeping(dtype)
        texts = plaincsv.texts_of(dtype)  # (the C reader's, without a loop over them in Python)
        texts = dtype.categories.to_series() if texts is None else texts
        text = pl.col("t")
        if isinstance(field.type, T.DateType):
            parts = [_date_parts(text, pl.Utf8).struct.rename_fields(["v", "m"]).alias("vm")]
        else:
            parts = [_typed(field, text, pl.Utf8).alias("v"), pl.lit(False).alias("m")]
        # (one chunk: a gather from a series of two, the null and the texts, costs five times as much)
        frame = pl.DataFrame({"t": pl.Series([None], dtype=pl.Utf8).append(texts).rechunk()})
        frame = frame.select(*parts, _present(text, pl.Utf8).alias("p"))
        frame = frame.unnest("vm") if "vm" in frame.columns else frame
        value, present, month = frame["v"], frame["p"], frame["m"]
        wrong = present & value.is_null()
        bad = {False: wrong, True: wrong | ~present}
        births = None
        if field.name == BIRTH:
            births = tuple(frame.select(_birth_months(pl.col("v")))[n] for n in (BIRTH_MONTH, WORKING_MONTH))
        return cls(value, present, month, bad, not present.slice(1).all(), month.slice(1).any(),
                   {k: b.slice(1).any() for k, b in bad.items()}, keeper, births)


def _keeping(dtype) -> pl.Series:
    """An empty series of a categorical type, which keeps its categories alive: polars frees
    them with the last series using them, and a later cast by the same name would start afresh,
    other texts under the same codes."""
    return pl.Series([], dtype=dtype)


_READINGS: dict[tuple[str, str], _Reading] = {}  # (categories, field) -> their reading, for the next chunk or batch
_READINGS_KEPT = 1 << 21  # distinct texts kept in all: bounded memory in a long-running service
_READINGS_LOCK = threading.Lock()


_FALSE = pl.lit(False)


def _per_category(field: S.Field, col: pl.Expr, dtype, required: bool, top: int | None) -> _Cells:
    """``_Cells`` of a categorical column (``_categorised``: a CSV's coded, dated and numeric
    columns; ``_coded``: a batch's) whose largest code is ``top``: the text rules read once per
    distinct text (``_Reading``), and each cell's reading gathered by its code. What no
    distinct text has (a year-month date, a wrong value, an empty one) costs no pass over the rows."""
    key = (dtype.categories.name(), field.name)
    reading = _READINGS.get(key)
    if reading is None or (top is not None and top >= reading.texts):  # the categories grow as texts are met
        reading = _Reading.of(field, dtype)
        with _READINGS_LOCK:  # the service's threads read batches at once
            _READINGS[key] = reading
            while sum(r.texts for r in _READINGS.values()) > _READINGS_KEPT and len(_READINGS) > 1:
                _READINGS.pop(next(iter(_READINGS)))  # the oldest: most likely a file read before
    code = (col.to_physical() + 1).fill_null(0)
    literal = reading.literal

    def per_cell(part: pl.Series, name: str, some: bool) -> pl.Expr:
        if not some:  # true of no text: of a missing cell at most
            return col.is_null() if part[0] else _FALSE
        return literal[name].gather(code)

    present = literal["present"].gather(code) if reading.some_empty else col.is_not_null()
    births = None if reading.birth_months is None else \
        (literal["birth_month"].gather(code), literal["working_month"].gather(code))
    return _Cells(literal["value"].gather(code), present, per_cell(reading.month, "month", reading.some_month),
                  per_cell(reading.bad[required], f"bad{required}", reading.some_bad[required]), births)


def _dtype(field: S.Field):
    t = field.type
    return {T.BoolType: pl.Boolean, T.DateType: pl.Date, T.NumberType: pl.Float64}.get(type(t), pl.Utf8)


def _bad(name: str) -> str:
    return f"__bad_{name}"


def _birth_months(birth: pl.Expr) -> list[pl.Expr]:
    """BIRTH_MONTH and WORKING_MONTH of a birth date: the dates of a person's life none may
    precede (``roster.plausible``)."""
    month = birth.dt.month_start()
    return [month.alias(BIRTH_MONTH), month.dt.offset_by(f"{WORKING_AGE}y").alias(WORKING_MONTH)]


def _normalised(raw: pl.LazyFrame, columns: _Columns, table: S.Table, first_row: int,
                keep_blank: bool = False, settled: Collection[str] = (),
                birth_months: bool = False) -> tuple[pl.LazyFrame, list[str]]:
    """Typed canonical columns, ROW, a ``__bad_<field>`` flag per field read that can be
    wrong, ``__month_<field>`` for a date read from a year-month form, and ``__idnum`` for a row
    whose ID number is wrong (the row reader's ``id_number_reading``, which also gives the birth
    date and sex the roster lacks); rows with every cell empty (formatted rows below the data)
    are dropped unless ``keep_blank`` (Parquet), as in the row reader; ``birth_months``: of a
    teacher, BIRTH_MONTH and WORKING_MONTH too (none where no birth date is known before the
    reference date: a later one is R029's, a slip of the year). With the frame, the names of its
    flags (asking the plan for its columns would resolve it whole)."""
    schema = raw.collect_schema()
    coded = [n for n in schema.names() if _categorical(schema[n])]
    # each coded column's largest code: of a chunk the C reader read, its categories' last (the texts it read so
    # far, ``plaincsv.texts_of``: none of the chunk's is above), else looked for
    known = {n: texts.len() - 1 for n in coded if (texts := plaincsv.texts_of(schema[n])) is not None}
    asked = [n for n in coded if n not in known]
    tops = known | (raw.select(pl.col(n).to_physical().max() for n in asked).collect().row(0, named=True)
                    if asked else {})
    typed = [(pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias(ROW)]
    flags, flagged, presence, dates = [], [], [], []  # flagged: the names of the flags of categorical columns
    by_id = table.name == "teacher" and "id_number" in columns.raw
    birth_months = birth_months and table.name == "teacher"
    months_read = False  # the birth months read once per distinct text (not where an ID number may give the date)
    for field in table.fields:
        if field.name not in columns.raw:
            typed.append(pl.lit(table.absent_value(field), dtype=_dtype(field)).alias(field.name))
            continue
        name = columns.raw[field.name]
        col, dtype = pl.col(name), schema[name]
        value = pl.col(field.name)  # the typed column, computed once, in the first stage
        # a birth date or sex the ID number can give: its absence is for id_number_reading to judge
        required = field.must_fill and not (by_id and field.name in FROM_ID_NUMBER)
        if _categorical(dtype):  # read once per distinct text
            cells = _per_category(field, col, dtype, required, tops[name])
            typed += [cells.value.alias(field.name), cells.present.alias(f"__present_{field.name}"),
                      cells.bad.alias(_bad(field.name))]
            flagged.append(_bad(field.name))
            if isinstance(field.type, T.DateType):
                typed.append(cells.month.alias(f"{MONTH}{field.name}"))
            if birth_months and cells.birth_months is not None and not by_id:
                typed += [cells.birth_months[0].alias(BIRTH_MONTH), cells.birth_months[1].alias(WORKING_MONTH)]
                months_read = True
            presence.append(pl.col(f"__present_{field.name}"))
            continue
        if isinstance(field.type, T.DateType):  # the date and whether it was a year-month, in one pass
            typed.append(_date_parts(col, dtype).alias(f"__parts_{field.name}"))
            dates.append(field.name)
        else:
            typed.append(_typed(field, col, dtype, name in settled).alias(field.name))
        value = pl.col(field.name)  # the typed column, computed once, in the first stage
        if _is_plain_text(field) and dtype != pl.Boolean:  # missing exactly when the cell is empty: no second pass
            present = value.is_not_null()
        else:
            is_code = isinstance(field.type, T.EnumType) and _is_text(dtype)
            cell = _code_present(col) if is_code else _present(col, dtype)
            typed.append(cell.alias(f"__present_{field.name}"))
            present = pl.col(f"__present_{field.name}")
        presence.append(present)
        if _always_of_type(field, dtype):  # only a missing required value can be wrong here
            if required:
                flags.append((~present).alias(_bad(field.name)))
        else:
            bad = present & value.is_null()
            flags.append((bad | ~present if required else bad).alias(_bad(field.name)))
    names = schema.names()
    serial = serial_columns(names, [names.index(c) for c in columns.raw.values()])  # (a 序号 alone: a blank row)
    others = [(c, k in serial) for k, c in enumerate(names) if c not in set(columns.raw.values())]
    if others:  # a row is blank only if the columns that give no field are empty too (a 序号 but its row number)
        typed.append(pl.any_horizontal([
            _present(pl.col(c), schema[c]) & ~_text(pl.col(c)).str.contains(f"^(?:{ROW_NUMBER})$").fill_null(False)
            if numbering else _present(pl.col(c), schema[c]) for c, numbering in others]).alias("__present_others"))
        presence.append(pl.col("__present_others"))
    filled = pl.lit(True) if keep_blank else pl.any_horizontal(presence) if presence else pl.lit(False)
    frame = raw.select(typed)
    if dates:
        frame = frame.with_columns(
            *(pl.col(f"__parts_{n}").struct.field("d").alias(n) for n in dates),
            *(pl.col(f"__parts_{n}").struct.field("m").alias(f"{MONTH}{n}") for n in dates),
        ).select(~cs.starts_with("__parts_"))
    frame = frame.with_columns(flags)
    flagged += [f.meta.output_name() for f in flags]
    if by_id:
        frame = _with_id_number(frame, columns, flagged)
        flagged.append("__idnum")
    if birth_months:
        if not months_read:
            frame = frame.with_columns(_birth_months(pl.col(BIRTH)))
        if table.reference is not None:
            known = pl.col(BIRTH) <= pl.lit(table.reference)
            frame = frame.with_columns(pl.when(known).then(pl.col(n)).alias(n) for n in (BIRTH_MONTH, WORKING_MONTH))
    # an empty cell read as its empty value (任课 blank as 否), for an explanation to say so
    blanks = [(~pl.col(f"__present_{f.name}")).alias(BLANK + f.name) for f in blank_reads_as(table)
              if f.name in columns.raw]
    return frame.filter(filled).with_columns(blanks).select(~cs.starts_with("__present_")), flagged


_ID_PARTS = pl.Struct({"id_number": pl.Utf8, "birth_date": pl.Date, "sex": pl.Utf8, "wrong": pl.Boolean})


def _with_id_number(frame: pl.LazyFrame, columns: _Columns, flags: list[str]) -> pl.LazyFrame:
    """The birth date and sex an ID number gives where the roster lacks them (the exact birth
    date for a year-month one), and ``__idnum`` where it is wrong: the row reader's
    ``id_number_reading``. A number already in canonical form (18 ASCII characters, X upper
    case) is checked in polars (``_canonical_id``); any other value by ``id_number_reading``
    itself, row by row. ``flags``: the frame's flags so far."""
    has = {n: n in columns.raw for n in FROM_ID_NUMBER}
    bad = {n: pl.col(_bad(n)) if _bad(n) in flags else pl.lit(False) for n in FROM_ID_NUMBER}
    month = pl.col("__month_birth_date") if has["birth_date"] else pl.lit(False)
    ok, birth_id, sex_id = _canonical_id(pl.col("id_number"))
    # the canonical numbers, as id_number_reading judges them
    given_birth, given_sex = pl.col("birth_date"), pl.col("sex")
    same_month = (given_birth.dt.year() == birth_id.dt.year()) & (given_birth.dt.month() == birth_id.dt.month())
    if has["birth_date"]:
        fill_birth = pl.when(~bad["birth_date"] & (given_birth.is_null() | (month & same_month))).then(birth_id)
        wrong_birth = ~bad["birth_date"] & given_birth.is_not_null() & pl.when(month).then(~same_month).otherwise(
            given_birth != birth_id)
    else:
        fill_birth, wrong_birth = birth_id, pl.lit(False)
    if has["sex"]:
        fill_sex = pl.when(~bad["sex"] & given_sex.is_null()).then(sex_id)
        wrong_sex = ~bad["sex"] & given_sex.is_not_null() & (given_sex != sex_id)
    else:
        fill_sex, wrong_sex = sex_id, pl.lit(False)

    inputs = [ok.alias("ok"), pl.col("id_number")]
    for n in FROM_ID_NUMBER:
        if has[n]:
            inputs += [pl.col(n).alias(f"given_{n}"), bad[n].alias(f"bad_{n}")]
    inputs.append(month.alias("month"))
    written = columns.written

    def read(rows: pl.Series) -> pl.Series:
        out = []
        for row in rows.to_list():
            if row["ok"]:
                out.append(None)
                continue
            given = {}
            for n in FROM_ID_NUMBER:
                if not has[n]:
                    given[n] = None
                elif not row[f"bad_{n}"]:
                    value = row[f"given_{n}"]
                    if n == "birth_date" and value is not None and row["month"]:
                        value = MonthDate(value.year, value.month, 1)
                    given[n] = value
            got, wrong = id_number_reading("", 0, "", row["id_number"], given, written)
            out.append({"id_number": got.get("id_number"), "birth_date": got.get("birth_date"), "sex": got.get("sex"),
                        "wrong": bool(wrong)})
        return pl.Series(out, dtype=_ID_PARTS)

    parts = pl.struct(inputs).map_batches(read, return_dtype=_ID_PARTS, is_elementwise=True)
    frame = frame.with_columns(parts.alias("__id_parts"), ok.alias("__id_ok"), fill_birth.alias("__id_birth"),
                               fill_sex.alias("__id_sex"), (wrong_birth | wrong_sex).fill_null(False).alias("__id_wrong"))
    from_id = pl.col("__id_parts").struct.field
    fast = pl.col("__id_ok")
    birth = pl.when(fast).then(pl.col("__id_birth")).otherwise(from_id("birth_date"))
    frame = frame.with_columns(
        pl.coalesce(birth, pl.col("birth_date")).alias("birth_date"),
        pl.coalesce(pl.when(fast).then(pl.col("__id_sex")).otherwise(from_id("sex")), pl.col("sex")).alias("sex"),
        pl.coalesce(from_id("id_number"), pl.col("id_number")).alias("id_number"),
        pl.when(fast).then(pl.col("__id_wrong")).otherwise(from_id("wrong")).alias("__idnum"),
        *((pl.col("__month_birth_date") & birth.is_null()).alias("__month_birth_date"),) if has["birth_date"] else ())
    return frame.drop("__id_parts", "__id_ok", "__id_birth", "__id_sex", "__id_wrong")


def _canonical_id(number: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """For ID numbers in canonical form: whether each is valid (io/id_number.py's checks: a
    real birth date, the MOD 11-2 check character), its birth date and its sex. One ending in
    000 is left to ``id_number_reading``, which refuses it where it would give the sex."""
    from policylang.io.id_number import WEIGHTS

    canonical = number.str.contains(r"^[0-9]{17}[0-9X]$").fill_null(False)
    total = pl.sum_horizontal(number.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS))
    check = ((12 - total % 11) % 11).replace_strict(list(range(11)), list("0123456789X"), default=None,
                                                    return_dtype=pl.Utf8)
    birth = number.str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
    valid = canonical & (birth.dt.year() >= 1).fill_null(False) & (check == number.str.slice(17, 1)).fill_null(False) \
        & ~number.str.ends_with("000").fill_null(False)
    sex = pl.when(number.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F"))
    return valid, birth, sex


def _implausible_flags(columns: _Columns, table: S.Table) -> list[pl.Expr]:
    """An ``__odd_<field>`` flag per field read whose value no person or school has: the row
    reader's rule (``roster.implausible``), on the typed columns."""
    flags = []
    for name in columns.raw:
        col = pl.col(name)
        if table.name == "teacher" and name == "birth_date":
            odd = (col < pl.lit(EARLIEST_BIRTH)) | col.is_between(pl.lit(EXCEL_YEAR_DAYS[0]), pl.lit(EXCEL_YEAR_DAYS[1]))
        elif table.name == "teacher" and name in AFTER_BIRTH:  # the birth date read, or the ID number's
            # before the month of birth: before its first day (one date comparison a row); of their own work,
            # before the month they turned 16
            odd = col < pl.col(WORKING_MONTH if name in WORKING_LIFE else BIRTH_MONTH)
            # 0001-01-01, a program's unset date (plausible._unset), whether or not a birth date is known
            odd = odd.fill_null(False) | (col == pl.lit(dt.date(1, 1, 1)))
        elif table.name == "teacher" and name in ("id", "name"):
            odd = col.cast(pl.Utf8).str.contains("|".join(EXAMPLE_WORDS))
        elif table.name == "teacher" and name in WOMEN_ONLY:
            if "sex" not in columns.raw:
                continue
            odd = col & (pl.col("sex") == "M")
        elif table.name == "teacher" and name == "retirement_category":
            odd = ~col.is_in([float(c) for c in RETIREMENT_CATEGORIES]) & (pl.col("sex") != "M").fill_null(True)
        elif name in NOT_NEGATIVE.get(table.name, ()):
            odd = (col < 0) | (col != col.floor()) if name in S.WHOLE.get(table.name, ()) else col < 0
            if table.name == "teacher":
                odd = odd | (col > S.MOST_YEARS)
        else:
            continue
        flags.append(odd.fill_null(False).alias(f"__odd_{name}"))
    return flags


def _late_flags(columns: _Columns, table: S.Table) -> list[pl.Expr]:
    """A ``__late_<field>`` flag per date of the person's life after the reference date the
    table is read for: the row reader's rule (``roster.after_reference``)."""
    return [(pl.col(name) > pl.lit(table.reference)).fill_null(False).alias(f"__late_{name}")
            for name in checked_at_reference(table, columns.raw)]


def after_reference_in_frame(frame: pl.DataFrame, table: S.Table) -> list[RosterProblem]:
    """``roster.after_reference`` of a frame of typed rows (``api.Policy.roster_frame``,
    ``read_frame``) read without the reference date it is decided at, each problem named by
    the teacher's id (a frame keeps no file row)."""
    names = [name for name in checked_at_reference(table, frame.columns)
             if frame.schema[name] == pl.Date or isinstance(frame.schema[name], pl.Datetime)]
    if not names:
        return []
    days = [pl.col(name).cast(pl.Date) for name in names]  # a Datetime column too, by its day
    late = frame.select("id", *days).filter(pl.any_horizontal(day > pl.lit(table.reference) for day in days))
    return [attrs.evolve(after_reference_problem(str(row["id"]), None, name, table.field(name), row[name], en, zh),
                         column_zh=table.field(name).zh)
            for row in late.iter_rows(named=True)
            for name, en, zh in after_reference(table, row, names)]


def _always_of_type(field: S.Field, dtype) -> bool:
    """Every value of such a column reads as the field's type: text as text, typed Parquet columns."""
    t = field.type
    return ((_is_plain_text(field) and dtype != pl.Boolean)
            or (isinstance(t, T.DateType) and dtype == pl.Date)  # (a date-time: a date at midnight only)
            or (isinstance(t, T.BoolType) and dtype == pl.Boolean)
            or (isinstance(t, T.NumberType) and dtype in _SMALL_INTEGERS))


_SMALL_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32)  # every value a float holds exactly


@attrs.frozen
class Scanned:
    frame: pl.LazyFrame  # canonical typed columns, plus ROW and a `__bad_<field>` flag per field that can be wrong
    columns: dict[str, str]  # canonical field -> header as written
    problems: tuple[RosterProblem, ...]  # file-level problems (missing or doubled columns)
    first_line: int
    path: str


def scan_table(path: str | Path, table: S.Table, encoding: str | None = None) -> Scanned:
    """The whole table as one lazy frame (for a roster that fits in memory)."""
    source = _open(Path(path), encoding, table=table)
    columns = _columns(source, table)
    frame, _ = _normalised(source.raw, columns, table, source.first_line, source.keep_blank)
    return Scanned(frame, columns.written, columns.problems, source.first_line, str(path))


SCHOOL_AT = "__school_at"  # the position of a teacher's school in the schools frame


def _school_position(schools: pl.DataFrame) -> pl.Expr:
    """School ids are unique: the school of a teacher is a lookup, and a gather by position keeps
    the teachers' order at a fraction of the cost of an order-keeping join."""
    return pl.col("school_id").replace_strict(
        schools["school_id"], pl.int_range(schools.height, dtype=pl.UInt32, eager=True), default=None)


def _with_school(frame: pl.LazyFrame, schools: pl.DataFrame) -> pl.LazyFrame:
    """``frame`` (with SCHOOL_AT) with its school's columns as ``school.*``, missing for an unknown school."""
    return frame.with_columns(pl.lit(schools[c]).gather(pl.col(SCHOOL_AT)).alias(SCHOOL_PREFIX + c)
                              for c in schools.columns).drop(SCHOOL_AT)


def joined(teachers: Scanned | pl.LazyFrame, schools: pl.DataFrame) -> pl.LazyFrame:
    """Each teacher with their school's columns as ``school.*`` (missing for an unknown school)."""
    frame = teachers.frame if isinstance(teachers, Scanned) else teachers
    return _with_school(frame.with_columns(_school_position(schools).alias(SCHOOL_AT)), schools)


# ---- validation across chunks --------------------------------------------------------


@attrs.frozen
class _Schools:
    problems: list[RosterProblem]  # file-level first, then rows
    warnings: list[RosterProblem]  # the header's: values assumed for absent columns, unknown columns
    assumptions: tuple[S.Assumption, ...]  # the values stated for absent columns
    # one row per school id of the file, with the typed values of its valid row (missing when it has none)
    table: pl.DataFrame
    check: bool  # False when the file itself is unusable: then every teacher's school is (R014), none unknown
    path: str = ""  # as given
    unusable: dict[str, int] = attrs.Factory(dict)  # school id -> its first row with problems (R014)
    sheet: str | None = None  # the sheet read, of a workbook with several sheets of rows


def _schools(policy: CheckedPolicy, path: str | Path, encoding: str | None) -> _Schools:
    return _schools_of(policy, load_table(path, policy.schools, encoding), path)


def _schools_of(policy: CheckedPolicy, loaded: LoadedTable, path: str | Path) -> _Schools:
    rows, file_problems = loaded.rows, loaded.problems
    # a missing or doubled column makes every school row invalid, as in the row reader
    usable = [] if file_problems else [r for r in rows if r.valid]
    valid = pl.DataFrame(
        [{f.name: r.values.get(f.name) for f in policy.schools.fields} for r in usable] or None,
        schema={f.name: _dtype(f) for f in policy.schools.fields}, strict=False)
    # as the row reader: a teacher's school is checked against every school row, valid or not
    ids = pl.Series("school_id", [r.values["school_id"] for r in rows], dtype=pl.Utf8).drop_nulls().unique(
        maintain_order=True)
    table = ids.to_frame().join(valid, on="school_id", how="left", maintain_order="left")
    return _Schools(list(file_problems) + [p for r in rows for p in r.problems], loaded.warnings,
                    loaded.assumptions, table, not file_problems, str(path), unusable_schools(rows), loaded.sheet)


@attrs.frozen
class _Duplicates:
    """Every row of a unique key (the id) given more than once."""

    first_of: dict[str, dict[int, int]]  # field -> row -> the row its problem names (the first; the first's next)

    def rows(self, field: str) -> pl.Series:
        return pl.Series(list(self.first_of.get(field, {})), dtype=pl.Int64)


_SEED = 0x5EED


def _key_hashes(flagged: pl.DataFrame, table: S.Table, columns: _Columns) -> dict[str, pl.Series]:
    """The hash of each unique key of a chunk. Keeping 8 bytes a row instead of the keys, the
    chunks can be checked for duplicates together at the end in well under a second for 20M rows."""
    return {f.name: flagged[f.name].drop_nulls().hash(_SEED) for f in table.fields
            if f.unique and f.name in columns.raw}


def _look_hashes(flagged: pl.DataFrame, table: S.Table, columns: _Columns) -> dict[str, pl.Series]:
    """The hash of each unique key of a chunk as it looks (``roster.looks``: full-width letters as
    ASCII, case folded): fewer distinct than the keys themselves, two keys look alike (R037)."""
    return {f.name: _looks_of(flagged[f.name].drop_nulls()).hash(_SEED) for f in table.fields
            if f.unique and f.name in columns.raw}


def _looks_of(keys: pl.Series) -> pl.Series:
    """``roster.looks`` of each key: ASCII lower-cased in polars, a key with any other character
    folded by the rule itself (few: ids are ASCII)."""
    keys = keys.cast(pl.Utf8)
    folded = keys.str.to_lowercase()
    odd = keys.str.len_bytes() != keys.str.len_chars()  # (not ASCII: a quarter of the cost of a pattern)
    if odd.any():
        at = odd.arg_true()
        folded = folded.scatter(at, [looks(k) for k in keys.gather(at).to_list()])
    return folded


def _look_alike(hashes: dict[str, list[pl.Series]], look_hashes: dict[str, list[pl.Series]],
                repeated: Collection[str]) -> list[str]:
    """The fields of which two keys look alike: fewer distinct looks than keys (``repeated``: the
    fields whose keys may repeat, ``_may_repeat``; the others' keys are as many as their rows)."""
    def keys(name: str) -> int:
        return pl.concat(hashes[name]).n_unique() if name in repeated else sum(h.len() for h in hashes[name])

    return [name for name, parts in look_hashes.items() if pl.concat(parts).n_unique() < keys(name)]


def _alike_warnings(source: _Source, columns: _Columns, table: S.Table, fields: list[str],
                    footer: Collection[int] = ()) -> list[RosterProblem]:
    """R037 for the keys of ``fields`` that look alike, from their key columns read again (as
    ``_duplicates`` does: a rare case, found by the hashes)."""
    warnings = []
    for name in fields:
        keys = _key_column(source, columns, table, name, footer).collect(engine="streaming").unique(
            "key", keep="first", maintain_order=True)
        keys = keys.with_columns(_looks_of(keys["key"]).alias("look")).filter(pl.len().over("look") > 1)
        firsts = {k: p + source.first_line for k, p in zip(keys["key"].to_list(), keys["pos"].to_list())}
        warnings += alike_key_warnings(str(source.path), table.field(name), columns.written[name], firsts)
    return warnings


def _key_column(source: _Source, columns: _Columns, table: S.Table, name: str,
                footer: Collection[int] = ()) -> pl.LazyFrame:
    """A unique field's keys read again from the file, as the chunks read them (``key``), each with
    its row's place (``pos``): the rare second look at a column the hashes found something in.
    The rows of a form's footer (``footer``: their rows) are no records, as the chunks skip them."""
    schema = source.raw.collect_schema()
    raw = columns.raw[name]
    key = _typed(table.field(name), pl.col(raw), schema[raw]).alias("key")
    keys = source.raw.select(key).with_row_index("pos").filter(pl.col("key").is_not_null())
    if footer:
        rows = pl.Series(sorted(footer), dtype=pl.Int64).implode()
        keys = keys.filter(~(pl.col("pos").cast(pl.Int64) + source.first_line).is_in(rows))
    return keys


def _may_repeat(hashes: dict[str, list[pl.Series]]) -> list[str]:
    """The fields with a repeated hash: a duplicate key, or (seldom) two keys with the same hash."""
    return [name for name, parts in hashes.items() if (h := pl.concat(parts)).n_unique() < h.len()]


def _duplicates(source: _Source, columns: _Columns, table: S.Table, fields: list[str],
                footer: Collection[int] = ()) -> _Duplicates:
    """The exact duplicates of ``fields``, from their key columns read again (``footer``: the rows
    of a form's footer, no records)."""
    first_of: dict[str, dict[int, int]] = {}
    for name in fields:
        keys = _key_column(source, columns, table, name, footer)
        hashes = keys.select("pos", pl.col("key").hash(_SEED)).collect(engine="streaming")
        candidates = hashes.filter(pl.col("key").is_duplicated())["pos"]  # few: compare their strings
        # every row of a key given twice, with the row its problem names: the first, or for the
        # first, the next (``duplicate_problem``)
        found = (keys.filter(pl.col("pos").is_in(candidates.implode())).collect(engine="streaming")
                 .filter(pl.len().over("key") > 1)
                 .with_columns(pl.col("pos").min().over("key").alias("first"),
                               pl.col("pos").sort().get(1).over("key").alias("second"))
                 .with_columns(pl.when(pl.col("pos") == pl.col("first")).then(pl.col("second"))
                               .otherwise(pl.col("first")).alias("other")))
        if found.height:
            first_of[name] = {p + source.first_line: f + source.first_line
                              for p, f in zip(found["pos"].to_list(), found["other"].to_list())}
    return _Duplicates(first_of)


def _flagged(chunk: pl.DataFrame, first_row: int, columns: _Columns, table: S.Table, duplicates: _Duplicates,
             schools: _Schools, structure: _Structure = _Structure(), keep_blank: bool = False,
             settled: Collection[str] = ()) -> pl.DataFrame:
    """The chunk's typed columns with every problem flag, ``__problem`` for a row with any, and
    ``__invalid`` for a row not to decide (``settled``: ``plaincsv.Chunk.settled``)."""
    settled = _unchanged(chunk, columns, settled)
    frame, flags = _normalised(chunk.lazy(), columns, table, first_row, keep_blank, settled, birth_months=True)
    if structure.footer:  # a form's footer: no row, as a blank one (said once, ``_footer_warnings``)
        frame = frame.filter(~pl.col(ROW).is_in(pl.Series(list(structure.footer), dtype=pl.Int64).implode()))
    if structure.ragged:
        frame = frame.with_columns(pl.col(ROW).is_in(pl.Series(list(structure.ragged), dtype=pl.Int64).implode())
                                   .alias("__ragged"))
        flags.append("__ragged")
    odd = _implausible_flags(columns, table) + _late_flags(columns, table)
    frame = frame.with_columns(odd).drop(BIRTH_MONTH, WORKING_MONTH, strict=False)
    flags += [f.meta.output_name() for f in odd]
    for field in duplicates.first_of:
        frame = frame.with_columns(pl.col(ROW).is_in(duplicates.rows(field).implode()).alias(f"__dup_{field}"))
        flags.append(f"__dup_{field}")
    frame = frame.with_columns(_school_position(schools.table).alias(SCHOOL_AT))
    if "school_id" in columns.raw:
        known = pl.col("school_id").is_not_null()
        if schools.check:
            unusable = known & pl.col("school_id").is_in(pl.Series(list(schools.unusable), dtype=pl.Utf8).implode())
            frame = frame.with_columns(unusable.alias("__school_row"),
                                       (known & pl.col(SCHOOL_AT).is_null()).alias("__school"))
            flags.append("__school")
        else:  # the schools file itself is unusable: so is every teacher's school
            frame = frame.with_columns(known.alias("__school_row"))
        flags.append("__school_row")
    problem = pl.any_horizontal([pl.col(f) for f in flags] or [pl.lit(False)])
    # a missing or doubled column leaves no row decidable, as in the row reader
    invalid = pl.lit(True) if columns.problems else pl.col("__problem")
    return collected(frame.with_columns(problem.alias("__problem")).with_columns(invalid.alias("__invalid")),
                     chunk.height)


def _unchanged(chunk: pl.DataFrame, columns: _Columns, settled: Collection[str]) -> frozenset[str]:
    """Of the columns ``settled`` (no cell to trim: ``plaincsv.Chunk``), those that reading as
    text leaves as they are: a name's ID numbers are masked (``cells.MASKED_FIELDS``), so its
    column only where no cell has five digits in a row (``id_number.GATE``; a look at the column
    here is a fifth of the cost of a Python function in the plan)."""
    masked = {columns.raw[name] for name in MASKED_FIELDS if name in columns.raw}
    return frozenset(c for c in settled if c not in masked or not chunk[c].str.contains(GATE).any())


def _row_problems(flagged: pl.DataFrame, chunk: pl.DataFrame, first_row: int, path: str, columns: _Columns,
                  table: S.Table, duplicates: _Duplicates, schools: _Schools | None = None,
                  structure: _Structure = _Structure(), set_aside: bool = False) -> list[RosterProblem]:
    """The problems of the chunk's rows, in the row reader's order: the cells the row has, the
    columns in file order, values no one has, then duplicate keys, then the school. A CSV's rows
    that are the header again, its totals rows and groups' titles were set aside before
    (``_SetAside``, ``set_aside``: no row left is one ``summary_label`` takes); of Parquet (records,
    no form's rows) a totals row is refused as one problem (R031), as the row reader does."""
    problems: list[RosterProblem] = []
    if not flagged["__problem"].any():
        return problems
    fields = [table.field(name) for name in columns.raw]
    bad = flagged.filter(pl.col("__problem"))
    as_found = chunk.select(pl.col(columns.raw[f.name]) for f in fields)  # cells as the row reader sees them
    width = len(chunk.columns)
    required = [chunk.columns.index(columns.raw[f.name]) for f in fields if f.must_fill]
    known_ids = None  # the schools' ids and names, once a teacher's school is not among them (R005 names a look-alike)
    # a totals record is asked for only where a cell is a total's label (``summary_only``)
    positions = [line - first_row for line in bad[ROW]]
    labels = [False] * len(positions) if set_aside else _row_marks(chunk, positions).label
    found = as_found[positions].iter_rows() if fields else itertools.repeat(())  # (no field: no cells to show)
    said: dict[tuple, RosterProblem] = {}  # each wrong cell's problem, made once a column and value, then of its row
    # the flags raised in some row, and the fields they are of: each row is asked of these only
    flags = [c for c, t in bad.schema.items() if c.startswith("__") and t == pl.Boolean]
    raised = {c for c, on in zip(flags, bad.select(pl.col(c).any() for c in flags).row(0)) if on} if flags else set()
    wrong = [(k, field, _bad(field.name)) for k, field in enumerate(fields) if _bad(field.name) in raised]
    odd_flags = [(f.name, f"__odd_{f.name}") for f in fields if f"__odd_{f.name}" in raised]
    late_flags = [(f.name, f"__late_{f.name}") for f in fields if f"__late_{f.name}" in raised]
    # each row with its typed values and the flags raised (a flag raised in no row reads as not raised)
    kept = [ROW, *(f.name for f in table.fields if f.name in bad.columns), *(f for f in flags if f in raised)]
    for row, label, cells in zip(bad.select(kept).iter_rows(named=True), labels, found):
        line = row[ROW]
        mine: list[RosterProblem] = []
        if row.get("__ragged"):
            mine.append(ragged_problem(path, line, structure.ragged[line], width))
        for k, field, flag in wrong:
            if row[flag]:
                cell = cells[k]
                if (made := said.get(key := (field.name, type(cell), cell))) is None:
                    made = said[key] = cell_problem(path, line, columns.written[field.name], field, cell)
                mine.append(made if made.row == line else _of_row(made, line))
        if row.get("__idnum"):  # the row reader's reading of the ID number, on the cells as found
            mine += id_number_reading(path, line, columns.written["id_number"],
                                          cells[list(columns.raw).index("id_number")],
                                          _given(fields, cells, columns), columns.written)[1]
        odd = [name for name, flag in odd_flags if row[flag]]
        for name, en, zh in implausible(table.name, row, odd, table.reference):
            cell = cells[list(columns.raw).index(name)]
            mine.append(implausible_problem(path, line, columns.written[name], table.field(name), cell, en, zh))
        late = [name for name, flag in late_flags if row[flag]]
        for name, en, zh in after_reference(table, row, late):
            cell = cells[list(columns.raw).index(name)]
            mine.append(after_reference_problem(path, line, columns.written[name], table.field(name), cell, en, zh))
        for name, first in duplicates.first_of.items():
            if row.get(f"__dup_{name}"):
                mine.append(duplicate_problem(path, line, columns.written[name], table.field(name), row[name],
                                                  first[line]))
        if row.get("__school_row"):
            school = row["school_id"]
            mine.append(school_row_problem(path, line, columns.written["school_id"], school, schools.path,
                                               schools.unusable.get(school) if schools.check else None, schools.sheet))
        elif row.get("__school"):
            if known_ids is None:
                names = schools.table["name"] if "name" in schools.table.columns else [None] * schools.table.height
                known_ids = dict(zip(schools.table["school_id"].to_list(), list(names)))
            mine.append(unknown_school_problem(path, line, columns.written["school_id"], row["school_id"], known_ids))
        # a totals record (Parquet's): its one problem, as the row reader says it
        problems += summary_only(mine, chunk.row(line - first_row), required, path, line) if label else mine
    return problems


_PROBLEM_FIELDS = tuple(a.name for a in attrs.fields(RosterProblem))
_problem_values = operator.attrgetter(*_PROBLEM_FIELDS)


def _of_row(problem: RosterProblem, line: int) -> RosterProblem:
    """``problem`` of another row, its texts as they were made. Not ``attrs.evolve``: it runs the
    converters again, masking texts already masked, which costs time and, where masking twice is not
    masking once (35010219800301002X1.10105E+17 was not, before the pattern found such a number at
    once), would quote a wrong cell otherwise in its later rows than in its first."""
    copied = object.__new__(RosterProblem)
    for name, value in zip(_PROBLEM_FIELDS, _problem_values(problem)):
        object.__setattr__(copied, name, value)
    object.__setattr__(copied, "row", line)
    return copied


class _Marks(NamedTuple):
    """Of some of a chunk's rows, what their cells (``layout.cell_marks``) leave possible: a cell that is
    a total's label (``label``), one that is a column's name (``named``), one filled cell alone (``lone``)."""

    label: list[bool]
    named: list[bool]
    lone: list[bool]


_FEW_MARKED = 64  # rows fewer than the distinct cells' look costs (a few ms a chunk): the recognisers are asked


def _row_marks(chunk: pl.DataFrame, positions: Sequence[int], again: HeaderAgain | None = None,
               skipped: Collection[int] = ()) -> _Marks:
    """``cell_marks`` of the cells of the chunk's rows at ``positions``, each distinct cell of a
    column looked at once: a roster refused in every row (one wrong column, every id twice) was
    asked the recognisers row by row in Python, about 0.1 ms a row. Of a few rows, everything is
    left possible."""
    if len(positions) <= _FEW_MARKED:
        possible = [True] * len(positions)
        return _Marks(possible, possible, possible)
    rows = chunk[list(positions)]
    marked = []
    for k, name in enumerate(chunk.columns):
        column = rows.get_column(name)
        if _categorical(column.dtype):
            column = column.cast(pl.Utf8)
        values = column.drop_nulls().unique()  # (an empty cell marks nothing: ``cell_marks`` of None is 0)
        marks = [cell_marks(value, k, again, skipped) for value in values.to_list()]
        if any(marks):
            marked.append(column.replace_strict(values, pl.Series(marks, dtype=pl.UInt8), default=0,
                                                return_dtype=pl.UInt8).alias(str(k)))
    if not marked:
        none = [False] * len(positions)
        return _Marks(none, none, none)
    frame = pl.DataFrame(marked)
    has = [lambda bit, c=c: (pl.col(c) & bit) > 0 for c in frame.columns]
    found = frame.select(pl.any_horizontal(h(LABEL) for h in has).alias("label"),
                         pl.any_horizontal(h(NAME) for h in has).alias("named"),
                         (pl.sum_horizontal(h(FILLED).cast(pl.UInt32) for h in has) == 1).alias("lone"))
    return _Marks(found["label"].to_list(), found["named"].to_list(), found["lone"].to_list())


def _given(fields: list[S.Field], cells: tuple, columns: _Columns) -> dict[str, object]:
    """The birth date and sex of a row as the row reader gives them to ``id_number_reading``:
    None when absent or empty, left out when the cell cannot be read."""
    given: dict[str, object] = {n: None for n in FROM_ID_NUMBER if n not in columns.raw}
    for field, cell in zip(fields, cells):
        if field.name in FROM_ID_NUMBER:
            try:
                given[field.name] = cell_value(field, cell)
            except (ValueError, TypeError, OverflowError):
                pass
    return given


# ---- year-month dates: the decisions they leave uncertain ----------------------------


FrameDecider = Callable[[pl.LazyFrame], pl.LazyFrame]
"""Typed rows (the teacher columns and ``school.*``) to their flat decisions, in row order:
``api.Policy.frame_decider`` gives one, bound to a reference date and parameters. This module
reads and writes; what decides is handed to it. One may say what its decisions read (``reads``,
(table, field) pairs): a value left open in a field it does not read is not tried."""


@attrs.frozen
class Deciding:
    """How the streamed reader decides each chunk: ``decide``, and whether its decisions list
    the rules that fired (``fired``, a column the output then has)."""

    decide: FrameDecider
    fired: bool = False
    as_of: dt.date | None = None  # the date ``decide`` decides at, which a JSON file states


def decided_with_uncertain(decide: FrameDecider, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` decided, with the ``uncertain`` column: the bulk form of
    ``lang.decisions.uncertain_fields``. The empty fields that leave a decision open come with the
    decisions (``backends.polars.Plan._missing``); the rows with a year-month date
    (``__month_<field>``) are decided again with that date at its month's last day, field by
    field, and a date is uncertain for a row whose flat decision differs. Only those rows are
    decided again, below the others in one run of the plan (a row's decision is its own): a
    run's fixed cost is most of a small batch's."""
    months = [c for c in frame.columns if c.startswith(MONTH)]
    base = frame.drop(months)
    variants = []  # (field, the rows with a value it leaves open, those rows with the other value)
    for flag in months:
        name = flag[len(MONTH):]
        rows = frame.select(pl.arg_where(pl.col(flag).fill_null(False))).to_series()
        if not rows.is_empty():
            variants.append((name, rows, base[rows].with_columns(pl.col(name).dt.month_end())))
    field, other = OPEN_CATEGORY
    read = getattr(decide, "reads", None)  # (a decider that does not say what it reads is tried with it)
    if (open_category := open_category_rows(frame)) is not None and (read is None or ("teacher", field) in read):
        rows = frame.select(pl.arg_where(open_category)).to_series()
        if not rows.is_empty():
            variants.append((field, rows, base[rows].with_columns(pl.lit(other).cast(frame.schema[field]).alias(field))))
    every = pl.concat([base, *(variant for _, _, variant in variants)]) if variants else base
    decided_every = collected(decide(every.lazy()), every.height)
    decided = decided_every.slice(0, frame.height)
    hits, below = [], frame.height
    for name, rows, variant in variants:
        again = decided_every.slice(below, variant.height)
        below += variant.height
        differs = pl.any_horizontal(decided[rows].select(c).to_series().ne_missing(again[c]) for c in ROW_COLUMNS)
        changed = rows.filter(pl.select(differs).to_series())
        hits.append(_at(changed, frame.height).alias(name))
    if not hits:
        return decided
    marks = pl.DataFrame(hits)
    dates = marks.select(pl.concat_str([pl.when(pl.col(n)).then(pl.lit(n)) for n in marks.columns],
                                       separator=";", ignore_nulls=True)).to_series().replace("", None)
    missing = decided[UNCERTAIN_COLUMN].replace("", None)  # the empty fields first, as uncertain_fields
    return decided.with_columns(pl.concat_str([missing, dates], separator=";", ignore_nulls=True).fill_null("")
                                .alias(UNCERTAIN_COLUMN))


def open_category_rows(frame: pl.DataFrame) -> pl.Expr | None:
    """The women whose retirement category the roster leaves empty (``decisions.open_values``):
    None when the frame has no such column (a column the roster lacks holds its stated value)."""
    field, _ = OPEN_CATEGORY
    if field not in frame.columns or "sex" not in frame.columns:
        return None
    return ((pl.col("sex") == "F") & pl.col(field).is_null()).fill_null(False)


def decided_rows(decide: FrameDecider, frame: pl.DataFrame, assumed: Sequence[S.Assumption]) -> pl.DataFrame:
    """``frame`` (with its ``__month_*`` flags) decided in the flat form ``Decision.to_row`` gives
    (``flat_columns``): the decision, the ``uncertain`` dates, the ``assumptions`` applied to
    every row, and ``fired`` when ``decide`` gives it."""
    decided = decided_with_uncertain(decide, frame)
    decided = decided.with_columns(pl.lit(";".join(a.text() for a in assumed)).alias(ASSUMPTIONS_COLUMN))
    return decided.select(flat_columns(FIRED_COLUMN in decided.columns))


def contract_frame(decided: pl.DataFrame) -> pl.DataFrame:
    """Flat decisions as a decisions file or a table of decisions has them: a benefit's last day,
    which the evaluators' frames carry for a decision's JSON, left out (``CONTRACT_BENEFIT``)."""
    return decided.with_columns(pl.col("benefits").str.replace_all(CONTRACT_BENEFIT, "$2"))


def carried_value(frame: pl.DataFrame, source: str) -> pl.Expr:
    """A roster column carried into the decisions file: as read, but a date column some of whose
    cells were year-month forms as text, those cells ``1985-03`` (``output.date_text``): never
    a day the roster did not give."""
    if MONTH + source not in frame.columns or frame.schema[source] != pl.Date:
        return pl.col(source)
    return (pl.when(pl.col(MONTH + source)).then(pl.col(source).dt.to_string("%Y-%m"))
            .otherwise(pl.col(source).dt.to_string("%Y-%m-%d")))


def month_flags(rows: list[Mapping[str, object]]) -> list[pl.Series]:
    """The ``__month_<field>`` columns of rows the row reader read (``MonthDate`` values)."""
    names = dict.fromkeys(name for values in rows for name in month_dates(values))
    return [pl.Series(MONTH + name, [isinstance(values.get(name), MonthDate) for values in rows], dtype=pl.Boolean)
            for name in names]


def blank_flags(blanks: Sequence[frozenset[str]]) -> list[pl.Series]:
    """The ``__blank_<field>`` columns of rows the row reader read (``RosterRow.blank`` of each)."""
    names = dict.fromkeys(name for blank in blanks for name in blank)
    return [pl.Series(BLANK + name, [name in blank for blank in blanks], dtype=pl.Boolean) for name in names]


def _at(positions: pl.Series, length: int) -> pl.Series:
    """A boolean column of ``length`` rows, true at ``positions``."""
    marks = pl.repeat(False, length, dtype=pl.Boolean, eager=True)
    return marks.scatter(positions, True) if len(positions) else marks


@attrs.define
class Uncertain:
    """The decisions whose ``uncertain`` field is not empty (an empty cell or a year-month date
    could change them), as a notice lists them: how many, and by field how many and the ids of
    the first ``keep`` in input order (memory stays bounded however many there are). A streamed
    run adds its decisions chunk by chunk (``add``), the row path its people (``add_people``)."""

    keep: int = 20
    count: int = 0
    by_field: dict[str, int] = attrs.Factory(dict)  # field -> how many decisions it leaves uncertain
    ids: dict[str, list[str]] = attrs.Factory(dict)  # field -> the first ``keep`` of their ids

    def add(self, decisions: pl.DataFrame) -> None:
        unsure = decisions.filter(pl.col(UNCERTAIN_COLUMN).fill_null("") != "")
        if not unsure.height:
            return
        self.count += unsure.height  # (by field in polars: a column left blank leaves every row uncertain)
        fields = unsure.select(pl.col("id").cast(pl.Utf8), pl.col(UNCERTAIN_COLUMN).str.split(";").alias("field"))
        grouped = fields.explode("field").group_by("field", maintain_order=True).agg(
            pl.len().alias("n"), pl.col("id").head(self.keep))
        for field, n, ids in grouped.iter_rows():
            self._count(field, n, ids)

    def add_people(self, people: Iterable[tuple[str, Sequence[str]]]) -> None:
        for person, fields in people:
            if fields:
                self.count += 1
                for field in fields:
                    self._count(field, 1, [person])

    def _count(self, field: str, n: int, ids: Sequence[str]) -> None:
        self.by_field[field] = self.by_field.get(field, 0) + n
        listed = self.ids.setdefault(field, [])
        listed += ids[:self.keep - len(listed)]


# ---- output: appended chunk by chunk, in place only when complete --------------------


_JSON_SLICE = 20_000  # objects of a JSON file made into text and written at once


class _Writer:
    """Decisions appended to a temporary file beside ``output``; ``commit`` puts it in place,
    ``discard`` removes it: the output appears complete or not at all. Each chunk is written
    on a second thread while the next one is decided (one chunk in flight: memory stays bounded).

    Without a ``layout`` the chunks are written as they come (``stream_decisions``). With one
    (``output.Layout``) the file has its columns, language and bytes, cell for cell as the
    in-memory writer makes them; and given ``deciding`` (``_Writer.stream``), the writer is
    given each chunk's valid rows undecided, decides them and keeps the roster columns the
    layout carries (a name, a school name) beside the decisions."""

    def __init__(self, output: Path, fmt: str, layout=None,
                 deciding: tuple[FrameDecider, tuple[S.Assumption, ...]] | None = None, as_of: dt.date | None = None,
                 uncertain: Uncertain | None = None):
        self.output = output
        self.fmt = fmt  # csv, parquet or json
        self.as_of = as_of  # the reference date, which a JSON file gives with each decision
        self._objects = 0  # of a JSON file: the objects written
        self.layout = layout  # output.Layout, or None: the chunks' own columns
        self.deciding = deciding  # (the decider, the assumptions applied), or None: chunks come decided
        self.tmp: str | None = None  # made with the first chunk: a roster refused at once leaves no trace
        self._sink = None
        self._file = None  # the temporary file, open while chunks are written
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policylang-writer")
        self._pending = None
        self.rows = 0
        # the uncertain decisions this writer wrote, told to ``uncertain`` when it commits (a pass
        # discarded for duplicate ids tells nothing)
        self.uncertain = uncertain
        self._unsure = Uncertain(keep=uncertain.keep) if uncertain is not None else None

    @classmethod
    def stream(cls, policy: CheckedPolicy, teachers_path: str | Path, schools_path: str | Path, output: str | Path,
               layout, *, decide: FrameDecider, fmt: str, as_of: dt.date, encoding: str | None = None,
               skip_invalid: bool = False, progress: Progress | None = None,
               chunk_rows: int = CHUNK_ROWS, uncertain: Uncertain | None = None) -> Streamed:
        """``stream_decisions`` writing ``layout``'s file: the same reading, validation and
        decisions, with the roster's columns the layout carries (``decide`` lists the rules
        that fired when the layout has their column)."""
        deciding = (decide, assumptions_applied(policy, teachers_path, schools_path, encoding))
        problems, writer, read, warnings = _read(policy, teachers_path, schools_path,
                                                 lambda: cls(Path(output), fmt, layout, deciding, as_of, uncertain),
                                                 encoding=encoding, skip_invalid=skip_invalid, progress=progress,
                                                 chunk_rows=chunk_rows, decide=None)
        return Streamed(problems, writer.rows if writer else None, read, warnings)

    def leave(self, rows: pl.DataFrame) -> None:
        """The rows ``--skip-invalid`` leaves out: their problems say them; a decisions file has no row of theirs."""

    def write(self, decisions: pl.DataFrame) -> None:
        self._wait()
        if self.deciding is not None:
            decisions = self._decided(decisions)
        if self._unsure is not None:
            self._unsure.add(decisions)
        if self.tmp is None:
            # named before it is made: ``discard`` removes it whenever a signal comes
            self.tmp = temporary_beside(self.output, self.output.suffix)
            make_temporary(self.tmp)
        self._pending = self._thread.submit(self._append, decisions)
        self.rows += decisions.height

    def _decided(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Undecided rows (teacher columns and ``school.*``) decided, with the carried columns."""
        decide, assumed = self.deciding
        decided = decided_rows(decide, frame, assumed)
        carried = frame.select(carried_value(frame, c.source).alias(c.key) for c in self.layout.carried)
        return pl.concat([decided, carried], how="horizontal")

    def _append(self, decisions: pl.DataFrame) -> None:
        self._append_only(decisions)
        # on the disk as it goes, on this thread, while the rows after are read: what is left at the end to
        # write before the file is put in place (``publish``) is the last chunk, not the whole file
        self._file.flush()
        sync_data(self._file.fileno())

    def _append_only(self, decisions: pl.DataFrame) -> None:
        from policylang.io.output import label_frame
        from policylang.io.safe_text import csv_cell

        layout = self.layout
        if self.fmt == "json":
            self._append_json(decisions)
            return
        decisions = contract_frame(decisions) if layout is None else label_frame(decisions, layout)
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            table = decisions.to_arrow()  # large strings, not views: readable by older Arrow readers
            if self._sink is None:
                # no dictionary for the unique id; min/max only for it (a handful of codes filter nothing)
                others = [c for c in table.column_names if c != "id"]
                self._sink = pq.ParquetWriter(self._open_tmp(), table.schema, compression="zstd", use_dictionary=others,
                                              write_statistics=["id"])
            self._sink.write_table(table)
        else:
            first = self._sink is None
            if first:
                self._sink = self._open_tmp()
                if layout is not None:
                    self._sink.write(layout.preamble)
            # polars quotes an empty string ("" is not null); the row path's CSV writes nothing: so do we;
            # and a text cell that starts like a formula gets the row path's quote (safe_text)
            text = [c for c, t in decisions.schema.items() if t == pl.Utf8]
            decisions = spreadsheet_frame(decisions.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c)
                                                                for c in text), text)
            if layout is not None:  # the header as the row path writes it: in its language, escaped alike
                decisions = decisions.rename(dict(zip(layout.columns, (csv_cell(h) for h in layout.headers))))
            if layout is not None and layout.encoding != "utf-8":
                import io

                buf = io.BytesIO()
                decisions.write_csv(buf, include_header=first)
                self._sink.write(layout.encode(buf.getvalue().decode("utf-8")))
            else:
                decisions.write_csv(self._sink, include_header=first)

    def _append_json(self, decisions: pl.DataFrame) -> None:
        """A chunk's objects, one a line, as ``output.json_bytes`` writes them."""
        from policylang.io.output import JSON_BETWEEN, JSON_OPEN, json_lines
        from policylang.io.safe_text import json_utf8

        if self._sink is None:
            self._sink = self._open_tmp()
            self._sink.write(JSON_OPEN.encode("utf-8"))
        lines = json_lines(decisions, self.layout, self.as_of)
        for start in range(0, len(lines), _JSON_SLICE):  # a slice's text at a time: memory stays small
            text = JSON_BETWEEN.join(lines.slice(start, _JSON_SLICE).to_list())
            self._sink.write(json_utf8((JSON_BETWEEN if self._objects else "") + text))
            self._objects += min(_JSON_SLICE, len(lines) - start)

    def _open_tmp(self):
        """The temporary file the main thread made, opened without making it: if ``discard``
        removed it already (a signal while this thread was starting), nothing is made again."""
        self._file = open(self.tmp, "r+b")
        return self._file

    def _close(self) -> None:
        if self._sink is not None:
            self._sink.close()
        if self._file is not None:
            self._file.close()  # a Parquet writer leaves the file it was given open

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()  # a failed write raises here

    def commit(self) -> None:
        from policylang.io.output import json_close

        try:
            self._wait()
        finally:
            self._thread.shutdown()
        if self.fmt == "json" and self._sink is not None:
            self._sink.write(json_close(self._objects > 0).encode("utf-8"))
        self._close()
        publish(self.tmp, self.output)
        if self.uncertain is not None:
            self.uncertain.count, self.uncertain.by_field, self.uncertain.ids = \
                self._unsure.count, self._unsure.by_field, self._unsure.ids

    def discard(self) -> None:
        try:
            self._wait()
        except Exception:  # noqa: BLE001 - the file goes anyway
            pass
        self._thread.shutdown()
        self._close()
        if self.tmp is not None:
            remove_temporary(self.tmp)


class Streamed(NamedTuple):
    problems: list[RosterProblem]  # in the row reader's order
    decided: int | None  # rows decided and written; None when no file was written
    read: int  # teacher rows read (blank rows are not rows)
    warnings: list[RosterProblem] = []  # the headers': values assumed for absent columns, unknown columns


def roster_header(path: str | Path, encoding: str | None = None, table: S.Table = S.TEACHERS) -> list[str] | None:
    """The header of a roster file as written, read without reading the rows: ``table``'s, found
    as the readers find it (a title may be above it; of a workbook, on the sheet holding the
    table: ``roster.workbook.choose_sheet``); None when the file cannot be read (its reading says why)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (*CSV_SUFFIXES, ".parquet"):
            try:
                return [str(h) for h in _open(path, encoding, table=table).header]
            except _Unparsed:  # a CSV the row reader reads (carriage returns alone): its header, below
                pass
        if suffix in (".xlsx", ".xlsm"):
            chosen = choose_sheet(str(path), sheet_heads(path, HEADER_ROWS), table)
            if chosen is None:
                return []
            rows, at, _said, _sheet = chosen
            header = [header_name(h) for h in rows[at]]
            if at + 1 < len(rows) and header_below(header, rows[at + 1], table):
                # a header over two rows (任教经历 above 农村任教年限 …): its columns as the row reader reads them
                return _read_xlsx(path, encoding, table)[0]
            return header
        return [str(h) for h in read_table(path, encoding)[0]]
    except Exception:  # noqa: BLE001 - reading the roster itself reports an unreadable file
        return None


def stream_layout(policy: CheckedPolicy, teachers: str | Path, schools: str | Path, output: str | Path,
                  layout: Layout, **options) -> Streamed:
    """Decide a CSV or Parquet roster chunk by chunk into ``output`` (CSV, JSON or Parquet) in
    ``layout``, written atomically: ``stream_decisions`` with the layout's columns, the
    roster's carried ones included (a column no schema declares is not among the streamed
    reader's columns: ``Carried.extra``). ``options``: decide (``FrameDecider``), fmt,
    encoding, skip_invalid, progress, chunk_rows, uncertain (``Uncertain``: told the
    decisions a year-month date leaves uncertain)."""
    if any(c.extra for c in layout.carried):
        raise ValueError("a column no schema declares is kept by the row reader only")
    return _Writer.stream(policy, teachers, schools, output, layout, **options)


def stream_decisions(policy: CheckedPolicy, teachers_path: str | Path, schools_path: str | Path, output: str | Path,
                     *, deciding: Deciding, encoding: str | None = None, skip_invalid: bool = False,
                     progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                     fmt: str | None = None, uncertain: Uncertain | None = None) -> Streamed:
    """Validate and decide (``deciding``) every teacher, ``chunk_rows`` at a time, streaming the
    flat decisions to ``output`` as ``fmt`` (csv, parquet or json; default from the file's suffix),
    written atomically. With problems and without ``skip_invalid`` the whole file is still
    checked, so that every problem is listed, and nothing is written. ``progress(rows read,
    rows in the file)`` is called as the chunks are done; ``uncertain``, given, is told the
    decisions written that a year-month date leaves uncertain. ``api.Policy.stream_decisions`` is
    this with the policy's decider."""
    output = Path(output)
    fmt = fmt or {".parquet": "parquet", ".json": "json"}.get(output.suffix.lower(), "csv")
    # a JSON file's objects carry the effects' labels and the exemptions' titles (output.json_lines)
    layout = Layout.of_policy(policy) if fmt == "json" else None
    problems, writer, read, warnings = _read(policy, teachers_path, schools_path,
                                             lambda: _Writer(output, fmt, layout, as_of=deciding.as_of,
                                                             uncertain=uncertain),
                                   encoding=encoding, skip_invalid=skip_invalid, progress=progress,
                                   chunk_rows=chunk_rows, decide=deciding)
    return Streamed(problems, writer.rows if writer else None, read, warnings)


def unparsed_csv(problems: list[RosterProblem], teachers_path: str | Path) -> bool:
    """Whether polars could not parse the teachers file, a CSV (quotes inside unquoted cells,
    say): the row reader, which reads what it can and says which rows are wrong, should read
    it. An R009 naming a row (a quote never closed) is the row reader's answer already."""
    return Path(teachers_path).suffix.lower() in CSV_SUFFIXES and any(
        p.code == "R009" and p.file == str(teachers_path) and p.row is None for p in problems)


def assumptions_applied(policy: CheckedPolicy, teachers_path: str | Path, schools_path: str | Path,
                        encoding: str | None = None) -> tuple[S.Assumption, ...]:
    """The values stated for the columns these files lack, which every decision on them lists;
    none for a file that cannot be read (its reading says so, and nothing is decided)."""
    try:
        teachers = _columns(_open(Path(teachers_path), encoding, table=policy.teachers), policy.teachers).assumptions
        schools = load_table(schools_path, policy.schools, encoding).assumptions
    except Exception:  # noqa: BLE001 - an unreadable file: the reading says so
        return ()
    return teachers + schools


def read_frame(policy: CheckedPolicy, teachers_path: str | Path, schools_path: str | Path, *,
               encoding: str | None = None, skip_invalid: bool = False, progress: Progress | None = None,
               chunk_rows: int = CHUNK_ROWS, months: bool = False, blanks: bool = False,
               left_out: list | None = None) -> tuple[list[RosterProblem], pl.DataFrame | None, int, list[RosterProblem]]:
    """Validate every teacher as ``stream_decisions`` does and keep the valid ones in memory:
    the problems, one frame of the teachers' typed columns and their school's as ``school.*``
    in input order (what ``compile.decide_frame`` and ``diff.diff_frame`` take), and the
    teacher rows read, and the headers' warnings. The frame is None when there are problems and not ``skip_invalid``,
    or when the file could not be read. With ``months``, the frame also has the
    ``__month_*`` flags ``decided_with_uncertain`` marks the uncertain decisions by; with
    ``blanks``, the ``__blank_*`` flags of the fields each row read from an empty cell. A
    ``left_out`` list is given the (row, id, name, school_id) of the rows ``skip_invalid`` left out
    (the first ``LEFT_OUT_KEPT``; a cell it could not read as None)."""
    sink = functools.partial(_Frames, months=months, blanks=blanks)
    problems, frames, read, warnings = _read(policy, teachers_path, schools_path, sink, encoding=encoding,
                                             skip_invalid=skip_invalid, progress=progress, chunk_rows=chunk_rows,
                                             decide=None)
    if frames and left_out is not None:
        left_out += frames.left
    return problems, frames.frame() if frames else None, read, warnings


def _read(policy: CheckedPolicy, teachers_path: str | Path, schools_path: str | Path, new_sink, *, encoding,
          skip_invalid, progress, chunk_rows, decide):
    """One validating pass (two when there are duplicate ids) over the teachers file, giving each
    chunk's valid rows (decided with ``decide``'s arguments, or as they are when it is None) to
    a sink made by ``new_sink`` for the pass; returns the problems, the committed sink (None
    when nothing is to be kept), the teacher rows read and the headers' warnings."""
    teachers_path = Path(teachers_path)
    with ThreadPoolExecutor(2, thread_name_prefix="policylang-begun") as ahead:
        lines = ahead.submit(plaincsv.lines, teachers_path).result if plaincsv.available() and \
            teachers_path.suffix.lower() in CSV_SUFFIXES and teachers_path.is_file() else None
        begun = _Begun(ahead.submit(_schools, policy, schools_path, encoding).result, lines)
        return _read_with(policy, teachers_path, begun, new_sink, encoding=encoding, skip_invalid=skip_invalid,
                          progress=progress, chunk_rows=chunk_rows, decide=decide)


class _Begun(NamedTuple):
    """What is read on threads of their own while the teachers' file is first looked at, so that
    its first rows are decided sooner: the schools, and the lines of a CSV the C reader may read
    (``_plain_structure``; counted in C, the GIL let go)."""

    schools: Callable[[], _Schools]
    lines: Callable[[], int] | None


def _read_with(policy: CheckedPolicy, teachers_path: Path, begun: _Begun, new_sink, *, encoding,
               skip_invalid, progress, chunk_rows, decide):
    guessed = _csv_encoding(teachers_path, None) if encoding is None and teachers_path.suffix.lower() in CSV_SUFFIXES \
        else None
    if guessed != "mixed":
        problems, sink, read, warnings = _read_teachers(policy, teachers_path, begun, new_sink, encoding,
                                                        skip_invalid, progress, chunk_rows, decide)
        if not (guessed == "utf8" and any(p.code == "R009" and p.file == str(teachers_path) and p.row is None
                                          for p in problems)):
            return problems, sink, read, warnings
    # the head of the file looked like UTF-8 but a line is not, or is GBK that reads as UTF-8 by chance: read it
    # line by line, such a line as GB18030, as the row reader would; a copy in UTF-8 is streamed, not the file
    # held in memory
    with tempfile.TemporaryDirectory(prefix="policylang-") as folder:
        copy = Path(folder) / teachers_path.name
        try:
            other = _transcoded(teachers_path, copy)
        except UnicodeDecodeError:
            other = None
        if other is not None:
            retried = _read_teachers(policy, teachers_path, begun, new_sink, encoding, skip_invalid, progress,
                                     chunk_rows, decide, data=copy)
    if other is not None and not any(p.code == "R009" for p in retried[0]):
        said = [mixed_encoding_warning(str(teachers_path), other)] if other else []
        return retried[0], retried[1], retried[2], said + retried[3]
    if guessed == "mixed":  # a line neither UTF-8 nor GB18030: the read as UTF-8 says where
        return _read_teachers(policy, teachers_path, begun, new_sink, "utf8", skip_invalid, progress, chunk_rows,
                              decide)
    return problems, sink, read, warnings


def _transcoded(path: Path, copy: Path) -> list[int]:
    """``path`` written to ``copy`` in UTF-8, line by line (``roster.decode_line``): the numbers
    of the lines read as GB18030. ``UnicodeDecodeError`` for a line that is neither."""
    other = []
    with open(path, "rb") as src, open(copy, "wb") as dst:
        for number, line in enumerate(src, 1):
            text, gb = decode_line(line)
            if gb:
                other.append(number)
            dst.write(text.encode("utf-8"))
    return other


class _Unconfirmed(Exception):
    """A plain CSV's structure (``_plain_structure``) that its parse did not confirm: its lines are read."""


def _read_teachers(policy, teachers_path: Path, begun: _Begun, new_sink, encoding, skip_invalid, progress,
                   chunk_rows, decide, data: Path | None = None):
    reading = functools.partial(_read_teachers_as, policy, teachers_path, begun, new_sink, encoding, skip_invalid,
                                progress, chunk_rows, decide, data)
    try:
        return reading(plain=True)
    except _Unconfirmed:  # read again from the start, by the file's lines
        return reading(plain=False)


def _read_teachers_as(policy, teachers_path: Path, begun: _Begun, new_sink, encoding, skip_invalid, progress,
                      chunk_rows, decide, data: Path | None, plain: bool):
    """``_read_teachers``; ``plain``: a plain CSV's structure from its bytes (``_plain_structure``),
    ``_Unconfirmed`` when its parse does not confirm it."""
    structure = None
    try:
        source = _open(teachers_path, encoding, data, policy.teachers)
        columns = _columns(source, policy.teachers)
        _no_unheaded_values(source)
        names = source.raw.collect_schema().names()
        required = [names.index(columns.raw[f.name]) for f in policy.teachers.fields
                    if f.must_fill and f.name in columns.raw]
        counted = begun.lines if source.read_from == teachers_path else None  # (not of a copy in UTF-8)
        structure = (_plain_structure(source, required, counted) if plain else None) or _structure(source, required)
        if structure.unconfirmed:  # a line with more cells than the header's is refused, not cut short
            source = attrs.evolve(source, options={**source.options, "truncate_ragged_lines": False})
        marks: list[RosterProblem] = []
        if structure.text_marks:  # '0012, '1985-03-01: read without the mark, each column said (R046)
            source, marks = _without_text_marks(source)
        source = _categorised(source, columns, policy.teachers)
        if structure.by_c:
            source = attrs.evolve(source, by_c=True)
        # counting the rows is a pass over the file: only for a progress bar (a plain file's lines are counted)
        total = (structure.records - 1 if structure.unconfirmed else source.raw.select(pl.len()).collect().item()) \
            if progress else None
    except BaseException as exc:  # noqa: BLE001 - as the row reader: an unreadable file is a problem, not a crash
        if not unreadable_error(exc):
            raise
        if structure is not None and structure.unconfirmed:
            raise _Unconfirmed() from exc
        schools = begun.schools()
        return [unreadable_problem(str(teachers_path), exc)] + schools.problems, None, 0, schools.warnings
    schools = begun.schools()
    before = list(columns.problems) + schools.problems  # the row reader's order: files, schools, teachers
    again = HeaderAgain(source.header, {names.index(raw): policy.teachers.field(name) for name, raw in columns.raw.items()},
                        policy.teachers) if source.delimiter is not None and columns.raw else None
    run = _Run(policy, source, columns, schools, new_sink, decide, skip_invalid, chunk_rows, progress, total,
               write=(skip_invalid or not before) and not unreadable_files(before), structure=structure, again=again)
    writer = None
    try:
        problems, writer, may_repeat, read = run.stream(_Duplicates({}))
        no_rows = set(structure.footer) | run.aside.rows  # rows that are no teacher: no key of one
        if may_repeat:
            duplicates = _duplicates(source, columns, policy.teachers, may_repeat, no_rows)
            if duplicates.first_of:  # known only after the last chunk: go again, knowing them
                _discard(writer)
                problems, writer, _, read = run.stream(duplicates)
        warnings = (list(columns.warnings) + marks + _multiline_warnings(source, structure, no_rows)
                    + _footer_warnings(source, structure) + _alike_warnings(source, columns, policy.teachers, run.alike,
                                                                      no_rows)
                    + run.aside.warnings(str(source.path), policy.teachers.name)
                    + run.gone_warnings() + run.blank_warnings(read) + run.early_start_warnings() + schools.warnings)
        if writer is None:
            return before + problems, None, read, warnings
        writer.commit()
    except _Unreadable as exc:  # part way through: as if the file could not be read at all
        _discard(writer)
        if structure.unconfirmed:  # (or a plain CSV's structure not confirmed: its lines say)
            raise _Unconfirmed() from exc
        return [unreadable_problem(str(teachers_path), exc.__cause__)] + schools.problems, None, 0, schools.warnings
    except BaseException:
        _discard(writer)
        raise
    return before + problems, writer, read, warnings


def _footer_warnings(source: _Source, structure: _Structure) -> list[RosterProblem]:
    """A form's footer rows (R030), as the row reader says them."""
    return [footer_warning(str(source.path), row, text) for row, text in sorted(structure.footer.items())]


def _multiline_warnings(source: _Source, structure: _Structure, no_rows: Collection[int] = ()) -> list[RosterProblem]:
    """The rows over several lines of the file (R018), as the row reader says them (a row of a
    form's footer, or another that is no teacher, ``no_rows``, is not read, and not said so)."""
    warnings = []
    for row, (first, lines, cell) in sorted(structure.spans.items()):
        if row in structure.footer or row in no_rows:
            continue
        column = header_name(source.header[cell]) if cell is not None and cell < len(source.header) else None
        warnings.append(multiline_warning(str(source.path), row, column, first, lines))
    return warnings


LEFT_OUT_KEPT = 10_000  # rows left out named by a workbook, at most (the problems name every one)
_LEFT_OUT_COLUMNS = ("id", "name", "school_id")


class _Frames:
    """A sink keeping the chunks in memory, for ``read_frame``: with the ``__month_*`` flags of
    its year-month dates if ``months`` (a frame to be decided), and the ``__blank_*`` flags of
    the fields read from an empty cell if ``blanks`` (rows to be explained)."""

    def __init__(self, months: bool = False, blanks: bool = False):
        self.chunks: list[pl.DataFrame] = []
        self.rows = 0
        self.dropped = tuple(prefix for prefix, kept in ((MONTH, months), (BLANK, blanks)) if not kept)
        self.left: list[tuple[int, str | None, str | None, str | None]] = []  # (row, id, name, school_id), the first

    def leave(self, rows: pl.DataFrame) -> None:
        """Keep the row, id, name and school of the first ``LEFT_OUT_KEPT`` rows ``--skip-invalid``
        leaves out (those it could read), for a workbook to name them."""
        room = LEFT_OUT_KEPT - len(self.left)
        if room > 0 and rows.height:
            said = [pl.col(c).cast(pl.Utf8) if c in rows.columns else pl.lit(None, pl.Utf8) for c in _LEFT_OUT_COLUMNS]
            self.left += rows.head(room).select(pl.col(ROW), *said).rows()

    def write(self, rows: pl.DataFrame) -> None:
        self.chunks.append(rows.select(~cs.starts_with(*self.dropped)) if self.dropped else rows)
        self.rows += rows.height

    def frame(self) -> pl.DataFrame:
        return pl.concat(self.chunks, how="vertical") if len(self.chunks) > 1 else self.chunks[0]

    def commit(self) -> None:
        pass

    def discard(self) -> None:
        self.chunks.clear()
        self.left.clear()
        self.rows = 0


def _discard(writer: _Writer | None) -> None:
    if writer is not None:
        writer.discard()


class _Ahead:
    """The chunks in turn, with a look at those after the last given (``after``): read ahead as
    asked for, and kept until their turn."""

    def __init__(self, chunks: Iterable[pl.DataFrame]):
        self._chunks = iter(chunks)
        self._read: collections.deque[pl.DataFrame] = collections.deque()

    def __iter__(self) -> Iterator[pl.DataFrame]:
        return self

    def __next__(self) -> pl.DataFrame:
        return self._read.popleft() if self._read else next(self._chunks)

    def after(self) -> Iterator[pl.DataFrame]:
        k = 0
        while True:
            if k == len(self._read):
                chunk = next(self._chunks, None)
                if chunk is None:
                    return
                self._read.append(chunk)
            yield self._read[k]
            k += 1


class _Unreadable(Exception):
    """The teachers file turned out unreadable part way through (a malformed line, a bad byte)."""


def _chunks(source: _Source, rows: int) -> Iterator[plaincsv.Chunk]:
    """The file's rows, ``rows`` at a time. A Parquet file is sliced: its row groups are read as
    needed and nothing ahead, which keeps memory at about a chunk; a CSV is read in batches (a
    slice would read the file again from the start each time). Only the C reader tells which
    free-text columns need no trimming (``plaincsv.Chunk.settled``)."""
    try:
        if source.by_c:
            try:
                yield from plaincsv.chunks(source.read_from, source.delimiter, source.raw.collect_schema(), rows)
            except OSError as exc:  # (the file could not be mapped into memory): polars reads it, by its lines
                raise _Unreadable() from _Unparsed(f"the C reader could not read the file: {exc}")
        elif source.path.suffix.lower() == ".parquet":
            offset = 0
            while (chunk := source.raw.slice(offset, rows).collect()).height:
                offset += chunk.height
                yield plaincsv.Chunk(chunk)
        else:
            yield from map(plaincsv.Chunk, source.raw.collect_batches(chunk_size=rows))
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        raise _Unreadable() from exc
    except plaincsv.NotPlain as exc:  # (the C reader's: what, and the line) its lines are read, as polars's unconfirmed
        raise _Unreadable() from _Unparsed(f"{exc.args[0]} (line {exc.args[1] + 1})")


def starts_before_work_exprs() -> tuple[pl.Expr, pl.Expr]:
    """R050 on a typed table's columns, for the streamed reader and ``api``'s tables alike: the rows at the
    school in an earlier month than they started work (``plausible.starts_before_work``, the row reader's
    rule), and the rows giving both dates."""
    school, work = (pl.col(name) for name in EARLY_START)
    both = school.is_not_null() & work.is_not_null()
    return both & (school < work.dt.month_start()), both


@attrs.define
class _EarlyStarts:
    """Of the rows read so far, those at the school before starting work (R050): the first rows, their ids,
    how many, and how many rows give both dates."""

    lines: list[int] = attrs.Factory(list)
    ids: list[object] = attrs.Factory(list)
    count: int = 0
    both: int = 0

    def clear(self) -> None:  # a pass again (knowing the duplicates) reads the same rows
        self.lines, self.ids, self.count, self.both = [], [], 0, 0


@attrs.define
class _SetAside:
    """Of a CSV's rows read so far, those that are no teacher and are set aside as the row reader sets
    them aside, by its recognisers: the header again (``roster.HeaderAgain``: a second header row, a
    report's on every page, several schools' exports pasted one under another; R044, a warning a row),
    totals rows among the data (``roster.summary_label``: 小计 after each school's teachers, R053) and
    groups' titles (``roster.lone_text`` where the school changes, ``roster.where_school_changes``:
    R054), each looked for among the rows refused; every such row (``rows``, which the second look at a
    unique column's keys leaves out as the chunks do), the school nearest above the next chunk
    (``above``), and how many rows before it are read (``kept``: a header again above them all is a
    second header row)."""

    headers: list[RosterProblem] = attrs.Factory(list)
    subtotals: Subtotals = attrs.Factory(Subtotals)
    titles: Titles = attrs.Factory(Titles)
    rows: set[int] = attrs.Factory(set)
    above: str | None = None
    kept: int = 0

    def clear(self) -> None:  # a pass again (knowing the duplicates) reads the same rows
        self.headers, self.subtotals, self.titles, self.rows, self.above, self.kept = [], Subtotals(), Titles(), \
            set(), None, 0

    def find(self, flagged: pl.DataFrame, chunk: pl.DataFrame, first_row: int, following: Iterable[pl.DataFrame],
             columns: _Columns, table: S.Table, again: HeaderAgain, footer_lines: Mapping[int, str],
             path: str) -> list[int]:
        """The chunk's rows set aside (said once, or a row at a time), in order; ``following``: the chunks
        after it, which tell whether a row of text at the chunk's end stands above another school's
        teachers (only as far as the first row giving a school); ``footer_lines``: the rows of the
        file's footer (``_Structure.footer``)."""
        at = {name: chunk.columns.index(raw) for name, raw in columns.raw.items()}
        required = [at[f.name] for f in table.fields if f.must_fill and f.name in at]
        school = at.get("school_id") if table.name == "teacher" else None
        serial = serial_columns(chunk.columns, at.values()) if school is not None else ()
        lone: dict[int, str] = {}  # the chunk's rows of one text, by position
        found: list[int] = []
        headers: list[tuple[int, str, str]] = []  # the header again: (row, kind, its first cells)
        refused = flagged.filter(pl.col("__problem"))[ROW].to_list() if flagged["__problem"].any() else []
        if refused:  # only the rows with a cell that one of the recognisers below needs
            marks = _row_marks(chunk, [line - first_row for line in refused], again, serial)
            refused = [line for line, label, named, lone in zip(refused, *marks)
                       if label or named or (school is not None and lone)]
        # a form's footer is no row of the chunk, but one of one text gives no school (as in the row reader)
        footer = [line for line in sorted(footer_lines) if first_row <= line < first_row + chunk.height]
        for line in sorted(refused + footer):
            row = chunk.row(line - first_row)
            if line in footer_lines:
                if school is not None and (text := lone_text(row, serial, at.get("name"))) is not None:
                    lone[line - first_row] = text
                continue
            if (kind := again.kind(row)) is not None:  # (first: a repeated header is no title, nor a total)
                headers.append((line, kind, header_again_text(row)))
                found.append(line)
                continue
            if (label := summary_label(row, required)) is not None:
                self.subtotals.add(line, label)
                found.append(line)
            elif school is not None and (text := lone_text(row, serial, at.get("name"))) is not None:
                lone[line - first_row] = text
        if school is not None and lone:
            cells = chunk.get_column(columns.raw["school_id"])
            below = next((s for after in following if (s := self._school(after, columns, serial, at, last=False))),
                         None)
            titles = {k: text for k, text in where_school_changes(lone, cells.__getitem__, chunk.height, self.above,
                                                                  below).items() if first_row + k not in footer_lines}
            for position, text in sorted(titles.items()):
                self.titles.add(first_row + position, text)
            found += [first_row + position for position in titles]
        found.sort()
        if headers:  # a second header row: no row read above it (as the row reader's, of the rows it keeps)
            lines = flagged[ROW]
            for line, kind, text in headers:
                first = not self.kept and (lines < line).sum() == bisect.bisect_left(found, line)
                self.headers.append(header_again_warning(path, line, kind, first, table.name, text))
        if school is not None:
            self.above = self._school(chunk, columns, serial, at, last=True) or self.above
        self.kept += flagged.height - len(found)
        self.rows.update(found)
        return found

    @staticmethod
    def _school(chunk: pl.DataFrame, columns: _Columns, serial: Collection[int], at: Mapping[str, int],
                last: bool) -> str | None:
        """``roster.nearest_school`` of the chunk's rows from its first (its last, if ``last``): only the
        rows whose school cell holds a character are looked at, the 64 nearest first (the school is
        nearly always there), then 64 times as many, and so on: each a part of the rows in order."""
        school = _text(pl.col(columns.raw["school_id"])).str.len_chars() > 0
        size = _NEAREST_FIRST
        while True:
            part = chunk.tail(size) if last else chunk.head(size)
            filled = part.select(pl.arg_where(school)).to_series()
            rows = (part.row(k) for k in (filled.reverse() if last else filled))
            if (found := nearest_school(rows, serial, at.get("name"), at["school_id"])) is not None \
                    or size >= chunk.height:
                return found
            size *= _NEAREST_FIRST

    def warnings(self, path: str, table: str) -> list[RosterProblem]:
        """R044 of each row, R053 and R054, once every row was read, as the row reader says them."""
        return self.headers + self.subtotals.warnings(path, table) + self.titles.warnings(path)


_NEAREST_FIRST = 64  # the rows nearest a chunk's end (or start) looked at first for a school (``_SetAside._school``)


@attrs.frozen
class _Run:
    """One pass over the teachers file, chunk by chunk."""

    policy: CheckedPolicy
    source: _Source
    columns: _Columns
    schools: _Schools
    new_sink: Callable[[], _Writer | _Frames]  # a sink per pass, taking each chunk's valid rows
    decide: Deciding | None  # None: keep the rows undecided
    skip_invalid: bool
    chunk_rows: int
    progress: Progress | None
    total: int | None  # rows in the file, counted only for a progress callback
    write: bool  # False: problems already (a file or the schools): only look for more
    structure: _Structure = _Structure()  # what the CSV's lines say of its rows
    # the columns the policy reads whose empty cell reads as a value (``blank_reads_as``); their
    # empty cells: how many, and the rows of the first. Empty in every row: R027; in a few: R033
    blank: dict[str, S.Field] = attrs.Factory(dict)
    empties: dict[str, list[int]] = attrs.Factory(dict)
    empty_ids: dict[str, list[object]] = attrs.Factory(dict)  # the teachers' ids on those rows, as R033 names them
    empty_counts: dict[str, int] = attrs.Factory(dict)
    early: _EarlyStarts = attrs.Factory(_EarlyStarts)  # the rows at the school before starting work (R050)
    gone: GoneNotes = attrs.Factory(GoneNotes)  # notes that someone has left, in columns nothing reads (R051)
    alike: list[str] = attrs.Factory(list)  # the unique fields with keys that look alike (R037)
    again: HeaderAgain | None = None  # of a CSV: whether a refused row is the header again (R044)
    aside: _SetAside = attrs.Factory(_SetAside)  # of a CSV: its totals rows and groups' titles (R053, R054)

    def stream(self, duplicates: _Duplicates) -> tuple[list[RosterProblem], _Writer | None, list[str], int]:
        """The rows' problems; the writer holding the decisions, not yet in place (None when
        nothing is to be written); the unique fields that may have duplicates not known yet; and
        the teacher rows read."""
        table, path = self.policy.teachers, str(self.source.path)
        problems: list[RosterProblem] = []
        # each chunk's empty cells and early starts counted and its keys hashed (``_counted``), in turn on a thread
        # of their own while the chunk is decided and the next read (polars lets the GIL go)
        counted: list[Future] = []
        self.blank.clear()
        self.blank.update({f.name: f for f in blank_reads_as(table) if f.name in self.columns.raw})
        self.empties.clear()
        self.empties.update({name: [] for name in self.blank})
        self.empty_ids.clear()
        self.empty_ids.update({name: [] for name in self.blank})
        self.empty_counts.clear()
        self.early.clear()
        self.gone.clear()
        self.aside.clear()
        writer = self.new_sink() if self.write else None
        counting = ThreadPoolExecutor(1, thread_name_prefix="policylang-counts")
        try:
            done = read = 0
            self._report(0)
            chunks = _Ahead(_chunks(self.source, self.chunk_rows))
            for chunk, settled in chunks:
                if self.structure.quotes and not _plain_cells(chunk, self.source.delimiter):
                    raise _Unreadable() from _Unparsed(_NOT_PLAIN_CELL)
                first_row = self.source.first_line + done
                flagged = _flagged(chunk, first_row, self.columns, table, duplicates, self.schools, self.structure,
                                   self.source.keep_blank, settled)
                # (a group's title may end a chunk: the school below it is in a chunk after, read ahead)
                later = (c.rows for c in chunks.after())
                aside = self.aside.find(flagged, chunk, first_row, later, self.columns, table, self.again,
                                        self.structure.footer, path) if self.again is not None else []
                if aside:  # no row: as a blank one or a footer's (said once, ``_SetAside.warnings``)
                    flagged = flagged.filter(~pl.col(ROW).is_in(pl.Series(aside, dtype=pl.Int64).implode()))
                problems += _row_problems(flagged, chunk, first_row, path, self.columns, table, duplicates,
                                          self.schools, self.structure, set_aside=self.again is not None)
                if writer and problems and not self.skip_invalid:
                    _discard(writer)  # keep reading for the problems; write nothing
                    writer = None
                if writer:
                    writer.write(self._output(flagged.filter(~pl.col("__invalid"))))
                    writer.leave(flagged.filter(pl.col("__invalid")))
                done += chunk.height
                read += flagged.height
                counted.append(counting.submit(self._counted, flagged, not duplicates.first_of))
                self._gone_notes(chunk, first_row, aside)
                self._report(done)
            # (a categorical column's texts, of every chunk: the chunks share their categories)
            if self.structure.quotes and done and not _plain_categories(chunk.schema, self.source.delimiter):
                raise _Unreadable() from _Unparsed(_NOT_PLAIN_CELL)
            if self.structure.records is not None and done != self.structure.records - 1:
                # polars found other rows than the lines say: let the row reader read the file
                raise _Unreadable() from _Unparsed(f"{done} rows read where the file's lines hold "
                                                   f"{self.structure.records - 1}")
            if writer and not writer.rows:  # no row decided: still a file, with the columns
                empty = _flagged(self.source.raw.head(0).collect(), self.source.first_line, self.columns, table,
                                 duplicates, self.schools)
                writer.write(self._output(empty))
            hashes: dict[str, list[pl.Series]] = {}
            looked: dict[str, list[pl.Series]] = {}  # the keys' hashes as they look (R037)
            for part in counted:
                for into, made in zip((hashes, looked), part.result()):
                    for name, h in made.items():
                        into.setdefault(name, []).append(h)
            repeated = _may_repeat(hashes)
            if not duplicates.first_of:  # (the first pass: a second, knowing the duplicates, reads the same keys)
                self.alike[:] = _look_alike(hashes, looked, repeated)
            return problems, writer, repeated, read
        except BaseException:
            _discard(writer)
            raise
        finally:
            counting.shutdown(cancel_futures=True)

    def _counted(self, flagged: pl.DataFrame, keyed: bool) -> tuple[dict[str, pl.Series], dict[str, pl.Series]]:
        """A chunk's empty cells and early starts counted (the chunks in order: each count keeps the first rows
        it meets), and where ``keyed`` its keys' hashes and their looks' (``_key_hashes``, ``_look_hashes``)."""
        self._empty_cells(flagged)
        self._early_starts(flagged)
        table = self.policy.teachers
        return (_key_hashes(flagged, table, self.columns), _look_hashes(flagged, table, self.columns)) if keyed \
            else ({}, {})

    def _empty_cells(self, flagged: pl.DataFrame) -> None:
        """Count the empty cells of ``empties``'s columns in the chunk's rows (those ``flagged``
        holds: no blank row, no footer; its ``__blank_*`` flags say which), and keep the rows of
        the first."""
        if not (self.empties and flagged.height):
            return
        # counted first: a filter of the id column costs 10-30 ms a column even when nothing passes
        counts = flagged.select(pl.col(BLANK + name).sum() for name in self.empties).row(0)
        for name, count in zip(self.empties, counts):
            if count:
                self.empty_counts[name] = self.empty_counts.get(name, 0) + count
                first = flagged[BLANK + name].arg_true().head(max(ROWS_NAMED - len(self.empties[name]), 0))
                named = flagged.select(ROW, "id")[first]
                self.empties[name] += named[ROW].to_list()
                self.empty_ids[name] += named["id"].to_list()

    def _early_starts(self, flagged: pl.DataFrame) -> None:
        """Count the chunk's rows at the school before starting work (``roster.starts_before_work``: the
        month of the one before the other's) and those giving both dates, and keep the rows of the first."""
        if not (flagged.height and all(name in self.columns.raw for name in EARLY_START)):
            return
        early, both = starts_before_work_exprs()
        count, given = flagged.select(early.sum().alias("early"), both.sum().alias("both")).row(0)
        self.early.count += count or 0
        self.early.both += given or 0
        if count and len(self.early.lines) < ROWS_NAMED:
            named = flagged.filter(early).select(ROW, "id").head(ROWS_NAMED - len(self.early.lines))
            self.early.lines += named[ROW].to_list()
            self.early.ids += named["id"].to_list()

    def _gone_notes(self, chunk: pl.DataFrame, first_row: int, aside: Sequence[int] = ()) -> None:
        """Look at the chunk's cells of the columns no field reads (备注, 人员状态) for a note that someone has
        left (``roster.GONE``), as the row reader does (``roster.GoneNotes``): a form's footer is no row,
        nor a row set aside (``aside``: a totals row, a group's title)."""
        names, read = chunk.columns, set(self.columns.raw.values())
        header = self.source.header
        others = [(n, header_name(header[k])) for k, n in enumerate(names)
                  if n not in read and k < len(header) and header_name(header[k])]
        if not others or not chunk.height:
            return
        texts = chunk.lazy().select((pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias(ROW),
                                    *(_text(pl.col(n)).alias(f"\x00{k}") for k, (n, _) in enumerate(others)))
        if self.structure.footer or aside:
            none = pl.Series([*self.structure.footer, *aside], dtype=pl.Int64)
            texts = texts.filter(~pl.col(ROW).is_in(none.implode()))
        found = texts.select(pl.col(f"\x00{k}").str.contains(GONE.pattern).fill_null(False).sum()
                             for k in range(len(others))).collect().row(0)
        for k, ((_n, column), count) in enumerate(zip(others, found)):
            if count:
                first = texts.filter(pl.col(f"\x00{k}").str.contains(GONE.pattern).fill_null(False)).select(
                    ROW, f"\x00{k}").head(GoneNotes.SHOWN).collect()
                self.gone.add(column, count, list(first.iter_rows()))

    def gone_warnings(self) -> list[RosterProblem]:
        """R051, once every row was read, as the row reader says it."""
        return self.gone.warnings(str(self.source.path))

    def early_start_warnings(self) -> list[RosterProblem]:
        """R050, once every row was read, as the row reader says it."""
        e = self.early
        return [early_start_warning(str(self.source.path), self.columns.written, e.lines, e.count, e.both, e.ids)] \
            if e.count else []

    def blank_warnings(self, read: int) -> list[RosterProblem]:
        """R027 for each column of ``blank`` empty in every row, and R033 for each empty in a few,
        once every row was read (``read`` of them)."""
        counts = {n: self.empty_counts.get(n, 0) for n in self.blank}
        return blank_warnings(str(self.source.path), self.policy.teachers, self.columns.written, counts, self.empties,
                              read, ids=self.empty_ids)

    def _report(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.total)

    def _output(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The rows' typed columns and their school's (with the year-month flags, ``__month_*``,
        for a sink that decides), or their decisions."""
        flags = (MONTH,) if self.decide else (MONTH, BLANK)  # the blank cells' flags for a frame kept, to explain
        months = [c for c in rows.columns if c.startswith(flags)]
        teachers = rows.select(*(f.name for f in self.policy.teachers.fields), SCHOOL_AT, *months).lazy()
        if self.decide is None:
            return _with_school(teachers, self.schools.table).collect()
        # (deciding here: of the schools' columns, only those the policy reads, gathered)
        read = {name for name, _ in self.policy.schools.reads}
        frame = _with_school(teachers, self.schools.table.select(c for c in self.schools.table.columns if c in read))
        frame = frame.collect()
        return decided_rows(self.decide.decide, frame, self.columns.assumptions + self.schools.assumptions)


# ---- records in memory: a batch of the service ---------------------------------------

_LASTING: dict[S.Field, pl.Series] = {}  # a field's texts met across batches, in an empty series (``_keeping``)
_LASTING_TEXTS = 1 << 16  # texts a field keeps before starting afresh: memory stays bounded


def _lasting(field: S.Field):
    """The categorical type a batch's text column of ``field`` is read in: the field's lasting
    categories, afresh when their texts are many, or their reading was let go (their number then
    unknown)."""
    kept = _LASTING.get(field)
    reading = _READINGS.get((kept.dtype.categories.name(), field.name)) if kept is not None else None
    if kept is None or reading is None or reading.texts > _LASTING_TEXTS:
        kept = _LASTING[field] = _keeping(pl.Categorical(pl.Categories.random()))
    return kept.dtype


def _coded(chunk: pl.DataFrame, columns: _Columns, table: S.Table) -> pl.DataFrame:
    """A batch's text columns of codes, dates, yes/no and numbers as categorical, each in its
    field's lasting categories (``_lasting``): the texts later batches repeat (codes, common
    dates) are read once for all of them (``_per_category``), not for each batch. A column made
    categorical already (``checked_records`` makes its frame so) is left as it is."""
    schema = chunk.schema  # (a frame's schema is built anew each time it is asked for)
    casts = [pl.col(raw).cast(_lasting(field)) for field, raw in _read_per_text(columns, table)
             if schema[raw] == pl.Utf8]  # (not typed already: a table of typed columns)
    return chunk.with_columns(casts) if casts else chunk


def frame_blank_warnings(source: str, table: S.Table, header: Sequence[str], frame: pl.DataFrame
                         ) -> list[RosterProblem]:
    """``roster.records_blank_warnings`` of a frame (the API's table, rows numbered from 1): R027 for
    a yes/no or coded column empty in every row, R033 for one empty in a few, each read as the
    contract's empty value; a typed column's null (a Boolean not known) in any number of rows but all."""
    mapped = map_header(source, table, header)
    counts, lines, ids, unknown = {}, {}, {}, set()
    id_column = mapped.keys.get("id")
    for field in blank_reads_as(table):
        if field.name in mapped.keys and mapped.keys[field.name] in frame.columns:  # (` pregnant`: as given)
            column = mapped.keys[field.name]
            empty = frame.select(pl.arg_where(~_present(pl.col(column), frame.schema[column]))).to_series()
            counts[field.name], lines[field.name] = empty.len(), (empty.head(ROWS_NAMED) + 1).to_list()
            if id_column in frame.columns:
                ids[field.name] = frame[id_column].gather(empty.head(ROWS_NAMED)).to_list()
            if not _is_text(frame.schema[column]):
                unknown.add(field.name)
    return blank_warnings(source, table, mapped.written, counts, lines, frame.height, unknown, ids)


def checked_records(policy: CheckedPolicy, header: list[str], cells: list[list[str | None]], schools: LoadedTable,
                    source: str = "<records>"
                    ) -> tuple[pl.DataFrame, tuple[S.Assumption, ...]] | None:
    """A batch of text records (``header``; one list of cells, text or None, per column) read
    and checked as a file's chunk is: the teachers' typed columns and their school's as
    ``school.*`` and the ``__month_*`` flags, ready for ``decided_with_uncertain``, and the
    values assumed for absent columns. None when anything would be reported or read otherwise (a
    header, a cell, a duplicate key, a school, a blank row): the caller then reads the batch
    with the row reader, which words each problem, so both paths say the same."""
    columns = _records_columns(policy.teachers, header, source)
    # the columns read once per distinct text made in their lasting categories as the frame is made (a cast
    # after it was a pass of its own: 1 ms of a batch of 1,000)
    types = {n: pl.Utf8 for n in _record_names(header)} | {
        raw: _lasting(field) for field, raw in _read_per_text(columns, policy.teachers)}
    return checked_frame(policy, header, pl.DataFrame(dict(zip(types, cells)), schema=types), schools, source,
                         columns)


def _record_names(header: Sequence[str]) -> list[str]:
    """The frame's name of each of a batch's columns: no header can collide with the reader's own columns."""
    return [f"\x00{i}" for i in range(len(header))]


def _records_columns(table: S.Table, header: Sequence[str], source: str) -> _Columns:
    """The ``_Columns`` of a batch's header, its columns named by ``_record_names``."""
    names = _record_names(header)
    mapped = map_header(source, table, header)
    return _Columns({f.name: names[i] for i, f in mapped.fields.items()}, mapped.written, tuple(mapped.problems),
                    tuple(mapped.warnings), mapped.assumptions)


def checked_frame(policy: CheckedPolicy, header: list[str], text: pl.DataFrame, schools: LoadedTable,
                  source: str = "<records>", columns: _Columns | None = None
                  ) -> tuple[pl.DataFrame, tuple[S.Assumption, ...]] | None:
    """``checked_records`` of a frame of text columns, one per name of ``header`` in order
    (``api.Policy.evaluate_table``'s table with its values as text, its days outside the
    calendar already text: ``roster.outside_calendar_as_text``); ``columns``: the header's
    ``_records_columns``, when the caller has them already."""
    table = policy.teachers
    text = _spans_as_text(text, text.schema)
    columns = columns or _records_columns(table, header, source)
    if columns.problems or schools.problems or any(not r.valid for r in schools.rows):
        return None
    chunk = _coded(text.rename(dict(zip(text.columns, _record_names(header)))), columns, table)
    known = _schools_of(policy, schools, source)
    flagged = _flagged(chunk, 1, columns, table, _Duplicates({}), known)
    if flagged.height != chunk.height or flagged["__problem"].any() or _may_repeat(
            {k: [h] for k, h in _key_hashes(flagged, table, columns).items()}):
        return None
    months = [c for c in flagged.columns if c.startswith(MONTH)]
    rows = flagged.select(*(f.name for f in table.fields), SCHOOL_AT, *months).lazy()
    return collected(_with_school(rows, known.table), flagged.height), columns.assumptions + known.assumptions
