"""A plain CSV's structure from its bytes (``columnar._plain_structure``): the streamed reader
skips its pass over the lines when the file's bytes allow it, and the parse confirms what the
bytes could not show. Each file here reads as the row reader reads it; the ones the bytes or
the parse do not confirm are read line by line, and those that are plain are not."""

from __future__ import annotations

from pathlib import Path

import pytest

import policylang
from policylang.io import columnar

from .conftest import stating_every_column
from .test_columnar import DISTRICT, _same_as_row_reader

EXAMPLE = Path("examples/teachers.csv")
SCHOOLS = "examples/schools.csv"


@pytest.fixture
def lines_read(monkeypatch) -> list[Path]:
    """The files whose lines the streamed reader read (``_structure``), in order."""
    read: list[Path] = []
    structure = columnar._structure

    def spied(source, required=()):
        read.append(source.path)
        return structure(source, required)

    monkeypatch.setattr(columnar, "_structure", spied)
    return read


def _read(path: Path, tmp_path: Path) -> list[tuple[str, int | None]]:
    """The streamed reader's problems, then its warnings (code and row), each equal to the row
    reader's, and its decisions too (``_same_as_row_reader``)."""
    problems = _same_as_row_reader(path, SCHOOLS, tmp_path)
    policy = stating_every_column(policylang.load(DISTRICT))
    warnings = policy.stream_decisions(path, SCHOOLS, tmp_path / "w.csv", skip_invalid=True, chunk_rows=2).warnings
    said = sorted((w.code, w.row) for w in warnings)
    assert said == sorted((w.code, w.row) for w in policy.read_roster(path, SCHOOLS).warnings)
    return [(p.code, p.row) for p in problems] + [(code, row) for code, row in said if code in LINES_SAY]


LINES_SAY = ("R016", "R018", "R030")  # what a file's lines say of its rows: too few or many cells, over several
# lines, a form's footer


def _lines() -> list[str]:
    return EXAMPLE.read_text(encoding="utf-8").splitlines()


def _write(tmp_path: Path, lines: list[str], end: str = "\n", last: bool = True) -> Path:
    path = tmp_path / "t.csv"
    path.write_bytes((end.join(lines) + (end if last else "")).encode("utf-8"))
    return path


def _cells(line: str) -> list[str]:
    return line.split(",")


def _row(cells: list[str]) -> str:
    return ",".join(cells)


def test_the_example_is_plain_and_its_lines_are_not_read(tmp_path, lines_read):
    path = _write(tmp_path, _lines())
    assert _read(path, tmp_path) == []
    assert lines_read == []


@pytest.mark.parametrize("end,last", [("\r\n", True), ("\n", False), ("\r\n", False)])
def test_line_ends_of_windows_and_a_last_line_without_one_are_plain(tmp_path, lines_read, end, last):
    path = _write(tmp_path, _lines(), end, last)
    assert _read(path, tmp_path) == []
    assert lines_read == []


def test_a_form_s_footer_is_found_from_the_file_s_end(tmp_path, lines_read):
    lines = _lines()
    width = len(_cells(lines[0]))
    footer = [_row([text] + [""] * (width - 1)) for text in ("制表人：张三", "填表日期：2026年9月1日")]
    path = _write(tmp_path, lines + footer + [_row([""] * width)])
    assert _read(path, tmp_path) == [("R030", 402), ("R030", 403)]
    assert lines_read == []


def test_a_footer_longer_than_the_lines_looked_at_first_is_found_whole(tmp_path, lines_read):
    lines = _lines()
    width = len(_cells(lines[0]))
    # more lines of notes than the 32 looked at first, and more bytes than the end read first
    note = "本表数据以人事系统为准。" * 200
    notes = [_row([f"说明{k}：{note}"] + [""] * (width - 1)) for k in range(40)]
    path = _write(tmp_path, lines + notes)
    assert _read(path, tmp_path) == [("R030", row) for row in range(402, 442)]
    assert lines_read == []


def _short_and_quoted(lines: list[str]) -> list[str]:
    """One row a cell short, another with a separator in a quoted cell: as many separators in all
    as a plain file's, which the bytes alone cannot tell from one."""
    short, quoted = _cells(lines[5]), _cells(lines[9])
    quoted[1] = f'"{quoted[1]},{quoted[1]}"'
    return lines[:5] + [_row(short[:-1])] + lines[6:9] + [_row(quoted)] + lines[10:]


def _short_and_quoted_code(lines: list[str]) -> list[str]:
    """``_short_and_quoted``, the separator quoted in a column of codes (read as categorical)."""
    short, quoted = _cells(lines[5]), _cells(lines[9])
    quoted[8] = f'"{quoted[8]},{quoted[8]}"'
    return lines[:5] + [_row(short[:-1])] + lines[6:9] + [_row(quoted)] + lines[10:]


def _quoted_plainly(lines: list[str]) -> list[str]:
    """Every name quoted, as some systems write every text cell: quotes, but only around cells."""
    return [lines[0]] + [_row([cells[0], f'"{cells[1]}"', *cells[2:]]) for cells in map(_cells, lines[1:])]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_cells_quoted_only_to_be_quoted_are_plain(tmp_path, lines_read, end):
    lines = _quoted_plainly(_lines())
    lines = [_row([*cells[:-1], f'"{cells[-1]}"']) for cells in map(_cells, lines)]  # the last cell too
    path = _write(tmp_path, lines, end)
    assert _read(path, tmp_path) == []
    assert lines_read == []


def _long_and_short(lines: list[str]) -> list[str]:
    long, short = _cells(lines[5]), _cells(lines[9])
    return lines[:5] + [_row(long + [""])] + lines[6:9] + [_row(short[:-1])] + lines[10:]


def _line_break(lines: list[str]) -> list[str]:
    cells = _cells(lines[7])
    cells[1] = f'"{cells[1]}\n（借调）"'
    return lines[:7] + [_row(cells)] + lines[8:]


def _escaped_quote(lines: list[str]) -> list[str]:
    cells = _cells(lines[7])
    cells[1] = f'"{cells[1]}""小""{cells[1]}"'
    return lines[:7] + [_row(cells)] + lines[8:]


def _quote_inside(lines: list[str]) -> list[str]:
    cells = _cells(lines[7])
    cells[1] = f'{cells[1]}"小'
    return lines[:7] + [_row(cells)] + lines[8:]


def _space_before_quote(lines: list[str]) -> list[str]:
    """A quote after a space opens no quoted cell: the separator after it splits the cell, and the
    row is one cell too long (R016), as the row reader reads it (rv28 found the streamed reader
    read the line's quotes as around one cell, and so said nothing of its cells' number)."""
    cells = _cells(lines[7])
    cells[1] = f' "{cells[1]},借调"'
    return lines[:7] + [_row(cells)] + lines[8:]


def test_a_quote_after_a_space_is_read_as_the_row_reader_reads_it(tmp_path, lines_read):
    path = _write(tmp_path, _space_before_quote(_lines()))
    said = _read(path, tmp_path)  # (its cells shifted: each said too, as the row reader says them)
    assert said[0] == ("R016", 8) and lines_read and set(lines_read) == {path}


def _empty_line(lines: list[str]) -> list[str]:
    return lines[:7] + [""] + lines[7:]


@pytest.mark.parametrize("change,said", [
    # the bytes count as a plain file's: the quoted separator gives it away
    (_short_and_quoted, [("R016", 6)]),
    (_short_and_quoted_code, [("R016", 6), ("R003", 10)]),
    (_long_and_short, [("R016", 6), ("R016", 10)]),  # likewise: polars refuses the long row
    (_line_break, [("R018", 8)]),
    (_escaped_quote, []),
    (_empty_line, []),
], ids=lambda v: getattr(v, "__name__", "") or None)
def test_files_not_plain_are_read_line_by_line_as_the_row_reader_reads_them(tmp_path, lines_read, change, said):
    path = _write(tmp_path, change(_lines()))
    assert _read(path, tmp_path) == said
    assert lines_read and set(lines_read) == {path}  # read line by line once, whether the bytes or the parse said so


def test_a_file_counted_plain_whose_parse_says_otherwise_is_read_again_from_the_start(tmp_path, lines_read):
    """The bytes of ``_short_and_quoted`` count as a plain file's: the streamed reader starts on
    them as such, finds the quoted separator in a chunk's cells, and starts again by the lines."""
    path = _write(tmp_path, _short_and_quoted(_lines()))
    source = columnar._open(path, None, table=columnar.S.TEACHERS)
    assert columnar._plain_structure(source) is not None
    assert _read(path, tmp_path) == [("R016", 6)]


def test_a_quote_inside_a_cell_is_left_to_the_row_reader(tmp_path, lines_read):
    """(As before the bytes were counted: polars and the csv module may read such a line apart.)"""
    path = _write(tmp_path, _quote_inside(_lines()))
    problems = policylang.load(DISTRICT).stream_decisions(path, SCHOOLS, tmp_path / "d.csv").problems
    assert columnar.unparsed_csv(problems, path) and set(lines_read) == {path}


def _unclosed_quote(lines: list[str]) -> list[str]:
    cells = _cells(lines[300])
    cells[1] = f'"{cells[1]}'
    return lines[:300] + [_row(cells)] + lines[301:]


def _lone_return(lines: list[str]) -> list[str]:
    cells = _cells(lines[-1])
    cells[1] = f"{cells[1]}\r借调"
    return lines[:-1] + [_row(cells)]


@pytest.mark.parametrize("change", [
    _short_and_quoted, _short_and_quoted_code, _quoted_plainly, _long_and_short, _line_break, _escaped_quote, _quote_inside, _empty_line, _unclosed_quote,
    _lone_return, _space_before_quote, list,
], ids=lambda change: change.__name__)
def test_counting_the_bytes_changes_nothing_the_streamed_reader_says_or_writes(tmp_path, monkeypatch, change):
    path = _write(tmp_path, change(_lines()))
    policy = stating_every_column(policylang.load(DISTRICT))

    def streamed(name: str):
        out = tmp_path / name
        said = policy.stream_decisions(path, SCHOOLS, out, skip_invalid=True, chunk_rows=50)
        return said, out.read_bytes() if out.exists() else None

    counted = streamed("counted.csv")
    monkeypatch.setattr(columnar, "_plain_structure", lambda *_: None)
    assert streamed("lines.csv") == counted
