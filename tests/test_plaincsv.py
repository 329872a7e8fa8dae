"""The C reader of plain CSVs (``policylang.io.plaincsv``, ``_plaincsv.c``) against polars and
the csv module: a file it reads is read to the same frame as polars reads it, and it reads
exactly the plain files (``columnar._plain_structure``); a file it stops at is read by its lines,
to the same decisions as without the C reader."""

from __future__ import annotations

import csv
import io
import re
import struct
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.core.text_width import TRIMMED
from policylang.io import plaincsv

_EDGE = {c.encode("utf-8")[0] for c in TRIMMED}

from .test_columnar import DISTRICT

SCHOOLS = "examples/schools.csv"


def test_the_c_reader_is_built_here():
    """Where the package was built with a C compiler (this checkout, CI), the C reader is there:
    else every test below would pass by polars alone, unseen."""
    assert plaincsv.available()


@pytest.fixture
def by_polars():
    """Plain CSVs read by polars, as where the C reader was not built."""
    before = plaincsv.use(False)
    yield
    plaincsv.use(before)


# cells as a roster's: mostly ordinary texts, and now and then what makes a file not plain
_TEXT = st.sampled_from(["", "T1", "1985-03-01", "1985-3-1", "是", "否", "true", "4.0", "王芳", "一级", " a ", "x y",
                         "1e5", "ő", "\u3000", "2025-13-40", "9999-12-31", "T2\u00a0", "\ufeffT3", "王\u200b", "、",
                         "\u3000李", "a\u2028", "\u2010", "𝔘",
                         # 12 bytes, held in a string view; 13 and more, in the buffer beside it
                         "abcdefghijkl", "abcdefghijklm", "福建省福州市鼓楼区", "x" * 40])
_ODD = st.sampled_from(['"', "'", "=", ",", "\r", "\n", '""', "a\"b", "\t", ";", "'0012", '="1"', "\r\n"])


@st.composite
def _files(draw) -> tuple[bytes, int, list[bool]]:
    """A plain file, or one with one thing that makes it not plain (a cell, a row's width, a
    byte): each about half the time."""
    width = draw(st.integers(2, 5))
    rows = draw(st.lists(st.lists(_TEXT, min_size=width, max_size=width), min_size=1, max_size=12))
    odd = draw(st.sampled_from(["none", "cell", "width", "byte"]))
    if odd == "cell":
        row = draw(st.integers(0, len(rows) - 1))
        rows[row][draw(st.integers(0, width - 1))] = draw(st.one_of(_ODD, st.text(st.characters(codec="utf-8"),
                                                                                  max_size=4)))
    elif odd == "width":
        row = draw(st.integers(0, len(rows) - 1))
        rows[row] = rows[row][:-1] if draw(st.booleans()) else rows[row] + [draw(_TEXT)]
    quoting = draw(st.sampled_from(["none", "some", "all"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(f"c{k}" for k in range(width))]
    for row in rows:
        cells = [f'"{c}"' if quoting == "all" or (quoting == "some" and draw(st.booleans())) else c for c in row]
        lines.append(",".join(cells))
    data = (end.join(lines) + (end if draw(st.booleans()) else "")).encode("utf-8")
    if odd == "byte":  # a byte that is no UTF-8, below the header
        at = draw(st.integers(data.index(b"\n") + 1, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80"])) + data[at:]
    coded = draw(st.lists(st.booleans(), min_size=width, max_size=width))
    return data, width, coded


def _plain(data: bytes, width: int) -> bool:
    """The oracle: UTF-8; below the header, lines (a last without a line feed) of ``width`` cells,
    none blank, each cell bare or in quotes, holding no quote, apostrophe, ``=``, separator or
    line break."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    body = text.split("\n", 1)[1] if "\n" in text else ""
    if not body:  # (the header alone; a blank line after it, "c0,c1\n\n", is not plain)
        return True
    if body.endswith("\n"):
        body = body[:-1]
    cell = "(?:\"[^\"',=\r\n]*\"|[^\"',=\r\n]*)"
    line = re.compile(f"{cell}(?:,{cell}){{{width - 1}}}\r?")
    return all(line.fullmatch(row) and row not in ("", "\r") for row in body.split("\n"))


def _schema(width: int, coded: list[bool]) -> dict:
    return {f"c{k}": pl.Categorical(pl.Categories.random()) if c else pl.String for k, c in enumerate(coded)}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files(), st.integers(1, 5))
def test_a_file_is_read_as_polars_reads_it_or_is_not_plain(tmp_path_factory, file, rows):
    data, width, coded = file
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(data)
    schema = _schema(width, coded)
    try:
        chunks = list(plaincsv.chunks(path, ",", schema, rows))
    except plaincsv.NotPlain:
        assert not _plain(data, width)
        return
    assert _plain(data, width)
    frames = [c.rows for c in chunks]
    assert all(f.height <= rows for f in frames)
    for chunk in chunks:  # a settled column is one the text rules leave as it is; the reader finds each
        assert chunk.settled <= {n for n, c in zip(schema, coded) if not c}
        for name in chunk.settled:
            texts = chunk.rows[name].drop_nulls()
            assert (texts != "").all() and (texts.str.strip_chars(TRIMMED) == texts).all()
    for name, c in zip(schema, coded):  # settled in a chunk as its cells are (the first bytes of both ends)
        if not c:
            cells = [t for r in pl.concat(frames)[name].to_list() if (t := r) is not None] if frames else []
            clean = all(t and t[0].encode()[0] not in _EDGE and t[-1].encode()[0] not in _EDGE for t in cells)
            assert clean == all(name in chunk.settled for chunk in chunks)
    ours = pl.concat(frames) if frames else pl.DataFrame(schema=schema)
    theirs = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=False, schema_overrides=schema)
    assert ours.schema == theirs.schema
    assert ours.cast(pl.String).to_dicts() == theirs.cast(pl.String).to_dicts()
    # and as the csv module reads the cells (an unquoted empty cell: none)
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]
    assert [[None if v is None else v for v in r.values()] for r in ours.cast(pl.String).to_dicts()] == \
        [[c if c or raw == '""' else None for c, raw in zip(r, _raw_cells(data, n))] for n, r in enumerate(records)]


def view_texts(height: int, views: bytes, data: bytes, valid: bytes | None) -> list[str | None]:
    """A free-text column's cells from its Arrow string views (Arrow's layout, read here by hand):
    a length, then the text itself up to 12 bytes, else its first 4 bytes, its buffer (0) and
    where in it."""
    texts = []
    for i in range(height):
        length, = struct.unpack_from("<I", views, 16 * i)
        if valid is not None and not valid[i >> 3] >> (i & 7) & 1:
            texts.append(None)
        elif length <= 12:
            assert views[16 * i + 4 + length:16 * i + 16] == bytes(12 - length)  # (zero after the text)
            texts.append(views[16 * i + 4:16 * i + 4 + length].decode())
        else:
            prefix, buffer, at = struct.unpack_from("<4sII", views, 16 * i + 4)
            assert buffer == 0 and data[at:at + 4] == prefix
            texts.append(data[at:at + length].decode())
    return texts


def _raw_cells(data: bytes, n: int) -> list[str]:
    """The cells of record ``n`` as written (quotes kept): a plain file's lines split at commas."""
    line = data.decode("utf-8").split("\n")[n + 1].rstrip("\r")
    return line.split(",")


def _decisions(path: Path, out: Path) -> tuple[bytes, list, list]:
    policy = policylang.load(DISTRICT)
    streamed = policy.stream_decisions(path, SCHOOLS, out, skip_invalid=True, chunk_rows=3)
    return (out.read_bytes() if out.exists() else b"", [(p.code, p.row, p.column) for p in streamed.problems],
            [(w.code, w.row) for w in streamed.warnings])


def _example_lines() -> list[str]:
    return Path("examples/teachers.csv").read_text(encoding="utf-8").splitlines()


def _variants() -> dict[str, str]:
    """The example roster, and ways of it that are not plain from some line on."""
    lines = _example_lines()
    last = lines[-1].split(",")
    return {
        "plain": "\n".join(lines) + "\n",
        "crlf, no last line feed": "\r\n".join(lines),
        "quoted cells": "\n".join([lines[0]] + [",".join(f'"{c}"' for c in line.split(",")) for line in lines[1:]]),
        "an apostrophe in the last row": "\n".join(lines[:-1] + [",".join(["'" + last[0]] + last[1:])]) + "\n",
        "=\"…\" in the last row": "\n".join(lines[:-1] + [",".join([f'="{last[0]}"'] + last[1:])]) + "\n",
        "a short last row": "\n".join(lines[:-1] + [",".join(last[:-1])]) + "\n",
        "a quoted separator in row 40": "\n".join(lines[:40] + [",".join(['"a,b"'] + lines[40].split(",")[1:])]
                                                  + lines[41:]) + "\n",
        "a blank line": "\n".join(lines[:10] + [""] + lines[10:]) + "\n",
        # ids and names with ends to trim (no column settled: ``plaincsv.Chunk``), and a name "" (an empty text)
        "ends to trim": "\n".join(lines[:40] + [",".join([f"{c[0]}\u3000", f"\u200b{c[1]}"] + c[2:])
                                                for c in (line.split(",") for line in lines[40:-1])]
                                   + [",".join(['"T9999"', '""'] + last[2:])]) + "\n",
        "a bad byte": "\n".join(lines) + "\n",
    }


@pytest.mark.parametrize("name", list(_variants()))
def test_the_decisions_are_those_polars_reads_to(tmp_path, name, request):
    text = _variants()[name]
    data = text.encode("utf-8")
    if name == "a bad byte":
        at = data.index(b"\n", len(data) // 2) + 3
        data = data[:at] + b"\xff" + data[at:]
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    ours = _decisions(path, tmp_path / "c.csv")
    request.getfixturevalue("by_polars")
    theirs = _decisions(path, tmp_path / "p.csv")
    assert ours == theirs
    assert ours[0] or ours[1]  # (something was decided or said)


def test_the_reader_refuses_what_it_cannot_read(tmp_path):
    from policylang.io import _plaincsv

    data = b"a,b\n1,2\n"
    with pytest.raises(ValueError):
        _plaincsv.Reader(data, 4, 1, "\u3001", [True, False])  # (a separator of more than one byte)
    with pytest.raises(ValueError):
        _plaincsv.Reader(data, 4, 1, '"', [True, False])
    reader = _plaincsv.Reader(data, 4, 1, ",", [True, False])
    with pytest.raises(ValueError):
        reader.read(0)
    rows, (coded, text) = reader.read(10)
    assert rows == 1 and coded[1] == ["1"] and view_texts(rows, *text[:3]) == ["2"]
    assert reader.read(10) is None


def test_a_file_the_c_reader_cannot_map_is_read_by_polars(tmp_path, monkeypatch, request):
    """An ``OSError`` of the C reader (a file system that cannot map the file into memory) is no
    failure of the run: the file is read again, by polars, to the same decisions."""
    path = tmp_path / "t.csv"
    path.write_text(_variants()["plain"], encoding="utf-8")

    def unmappable(*args, **kwargs):
        raise OSError(19, "No such device")
        yield  # (a generator, as the real one)

    monkeypatch.setattr(plaincsv, "chunks", unmappable)
    ours = _decisions(path, tmp_path / "c.csv")
    request.getfixturevalue("by_polars")
    assert ours == _decisions(path, tmp_path / "p.csv") and ours[0]


def test_small_chunks_are_cut_from_bigger_reads(tmp_path):
    """The reader reads at least ``BLOCK_ROWS`` rows at a time (the first two reads an eighth and
    three eighths of that) and the chunks are cut from them: each of ``rows`` rows at most, in order."""
    lines = _example_lines()
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema = {name: pl.String for name in lines[0].split(",")}
    chunks = [c.rows for c in plaincsv.chunks(path, ",", schema, 7)]
    assert all(c.height == 7 for c in chunks[:-1]) and 0 < chunks[-1].height <= 7
    assert pl.concat(chunks)["id"].to_list() == [line.split(",")[0] for line in lines[1:]]


def test_without_the_c_reader_the_package_reads_by_polars_to_the_same_decisions(tmp_path):
    """A package installed where no C compiler was (the module absent): no C reader, a ``NotPlain``
    that nothing raises (not ``ValueError`` itself, which the streamed reader would take for it),
    and the same decisions file."""
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['policylang.io._plaincsv'] = None\n"
        "import datetime as dt, policylang\n"
        "from policylang.io import plaincsv\n"
        "assert not plaincsv.available() and plaincsv.NotPlain is not ValueError\n"
        f"policylang.load({str(DISTRICT)!r}).stream_decisions('examples/teachers.csv', {SCHOOLS!r}, sys.argv[1],\n"
        "    as_of=dt.date(2025, 9, 1))\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "p.csv")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    import datetime as dt

    policylang.load(DISTRICT).stream_decisions("examples/teachers.csv", SCHOOLS, tmp_path / "c.csv",
                                               as_of=dt.date(2025, 9, 1))
    assert (tmp_path / "p.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()


def test_an_id_number_in_a_name_is_masked_alike_by_both_readers(tmp_path, request):
    """A plain file's name column is read as it is (``columnar._unchanged``) only where no name
    holds five digits in a row: one holding an ID number is masked as polars's reading masks it."""
    from click.testing import CliRunner

    from policylang.cli import cli

    lines = _example_lines()
    cells = lines[5].split(",")
    lines[5] = ",".join([cells[0], cells[1] + "110101199003070038"] + cells[2:])
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def written(name: str) -> str:
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["eval", DISTRICT, str(path), "--schools", SCHOOLS, "-o", str(out),
                                          "--skip-invalid", "--lang", "en"])
        assert result.exit_code in (0, 3), result.output
        return out.read_text(encoding="utf-8-sig")

    ours = written("c.csv")
    request.getfixturevalue("by_polars")
    assert ours == written("p.csv")
    assert "110101199003070038" not in ours and "110101********0038" in ours
