"""Files whose bytes count as a plain CSV's (``columnar._plain_structure``) but whose parse
does not show what their lines do: each must read as the row reader reads it, and as the
streamed reader read it before the bytes were counted (``_structure``, a pass over the lines)."""

from __future__ import annotations

import pytest

import policylang
from policylang.io import columnar

from .conftest import stating_every_column
from .test_columnar import DISTRICT
from .test_columnar_plain import SCHOOLS, _cells, _lines, _read, _row, _write


def _short_and_trailing_separator(lines: list[str]) -> list[str]:
    """One row a cell short, and the last line one separator more than the header's: as many
    separators in all as a plain file's. Without a line feed after it, polars reads that last
    separator as nothing (with ``truncate_ragged_lines=False`` too), refusing no line."""
    short = _cells(lines[5])
    return lines[:5] + [_row(short[:-1])] + lines[6:-1] + [lines[-1] + ","]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_row_cut_short_is_said_when_the_last_line_ends_in_a_separator_and_no_line_feed(tmp_path, end):
    """R016 for the short row (the row reader's), and for the last (one cell too many); not
    the short row read as if its last cell were empty, and decided."""
    path = _write(tmp_path, _short_and_trailing_separator(_lines()), end, last=False)
    assert _read(path, tmp_path) == [("R016", 6), ("R016", 401)]


@pytest.mark.parametrize("separator", [",", "\t", ";"])
def test_counting_the_bytes_changes_nothing_when_the_last_line_ends_in_a_separator(tmp_path, monkeypatch, separator):
    lines = [line.replace(",", separator) for line in _short_and_trailing_separator(_lines())]
    path = tmp_path / "t.csv"
    path.write_bytes("\n".join(lines).encode("utf-8"))  # no line feed after the last line
    policy = stating_every_column(policylang.load(DISTRICT))

    def streamed(name: str):
        out = tmp_path / name
        said = policy.stream_decisions(path, SCHOOLS, out, skip_invalid=True, chunk_rows=50)
        return [(p.code, p.row) for p in said.problems], out.read_bytes() if out.exists() else None

    counted = streamed("counted.csv")
    monkeypatch.setattr(columnar, "_plain_structure", lambda *_: None)
    lines_read = streamed("lines.csv")
    assert lines_read[0] == [("R016", 6), ("R016", 401)]
    assert counted == lines_read
