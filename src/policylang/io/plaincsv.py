"""A plain CSV's rows, chunk by chunk, read by the C reader (``_plaincsv.c``) where it was built.

The streamed reader (``columnar``) reads a plain CSV (``columnar._plain_structure``: UTF-8, the
header on the first line, every line of the header's number of cells, no cell holding a quote,
an apostrophe, ``=``, a line break or the separator) with polars, and checks afterwards that it
was plain. The C reader reads the same files to the same frames (tests/test_plaincsv.py holds
them equal) in about half the CPU time of polars's read: a coded column's cells (dates, yes/no, codes, numbers) as a code per
row into the distinct texts read so far, which need no hashing of a whole string per cell
(a date is its own index), and it checks as it reads that the file is plain, so nothing needs
looking at again. At the first line that is not plain it stops (``NotPlain``), and the caller
reads the file by its lines, as it does when polars's read is not confirmed.

The C reader is an optional part of the package (setup.py): without it, ``available()`` is
false and polars reads every file."""

from __future__ import annotations

import itertools
import mmap
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl
import pyarrow as pa

from policylang.core.text_width import TRIMMED

try:
    from policylang.io import _plaincsv
except ImportError:  # (built where a C compiler was found: setup.py)
    _plaincsv = None

if _plaincsv is not None:
    NotPlain = _plaincsv.NotPlain
else:
    class NotPlain(ValueError):
        """(Never raised: there is no C reader to raise it.)"""

BLOCK_ROWS = 1 << 16  # the fewest rows read at a time (but for the first two reads: ``_read``)

# POLICYLANG_C_READER=0 reads every CSV by polars, as where the C reader was not built (a check
# of the two against each other; tests switch it with ``use``)
_ENABLED = [os.environ.get("POLICYLANG_C_READER", "1") != "0"]


# categories' name -> their texts in the order of their codes, where the C reader put them there (a read under
# way): what ``Categories.to_series`` gives, without its loop in Python over every text (``texts_of``)
_TEXTS: dict[str, pl.Series] = {}


def texts_of(dtype: pl.Categorical) -> pl.Series | None:
    """The texts of a categorical type's categories, in the order of their codes, where a read
    by the C reader under way made them (else None: ``dtype.categories.to_series()`` gives them)."""
    return _TEXTS.get(dtype.categories.name())


def available() -> bool:
    """Whether plain CSVs are read by the C reader."""
    return _plaincsv is not None and _ENABLED[0]


def use(on: bool) -> bool:
    """Read plain CSVs by the C reader (where it was built) or not; the setting before."""
    before, _ENABLED[0] = _ENABLED[0], on
    return before


def _mapped(f) -> mmap.mmap:
    """A file mapped into memory to be read whole, once: its pages mapped at once where the system
    can (Linux: MAP_POPULATE, about two thirds of the time of a fault a page, measured), else read ahead."""
    if hasattr(mmap, "MAP_POPULATE"):
        return mmap.mmap(f.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if hasattr(mmap, "MADV_SEQUENTIAL"):
        data.madvise(mmap.MADV_SEQUENTIAL)
    return data


def lines(path: Path) -> int:
    """The lines of a file (the last may lack its line feed), counted in C."""
    if path.stat().st_size == 0:
        return 0
    with open(path, "rb") as f, _mapped(f) as data:
        return _plaincsv.lines(data)


class Chunk(NamedTuple):
    """Rows read, and their free-text columns known to be ``settled``: no cell with an end the text
    rules trim (``text_width.TRIMMED``), none an empty text (``""``), so that reading them as text
    changes nothing. (Any column may be left out: it is trimmed, to the same texts.)"""

    rows: pl.DataFrame
    settled: frozenset[str] = frozenset()


# the first bytes of the characters trimmed from a cell's ends, in UTF-8: the C reader finds the cells that may need it
_EDGE = bytes(sorted({c.encode("utf-8")[0] for c in TRIMMED}))


def chunks(path: Path, separator: str, schema: Mapping[str, pl.DataType], rows: int) -> Iterator[Chunk]:
    """The records below the header line of a plain CSV, ``rows`` at a time at most, as polars reads them
    with ``schema`` (the file's columns in order: ``pl.String``, or categorical for a coded
    column): an unquoted empty cell is null, a quoted one (``""``) an empty text. The next chunk
    is read on another thread while the caller works on this one. ``NotPlain`` (a ``ValueError``:
    what, and the 0-based line) at the first line that is not plain; chunks before it were
    yielded."""
    names = list(schema)
    coded = [isinstance(schema[n], pl.Categorical) for n in names]
    if path.stat().st_size == 0:
        return
    with open(path, "rb") as f, _mapped(f) as data:
        start = data.find(b"\n") + 1  # (below the header line)
        if 0 < start < len(data):
            yield from _read(_plaincsv.Reader(data, start, 1, separator, coded, _EDGE), names, coded, schema, rows)


def _read(reader, names: list[str], coded: list[bool], schema: Mapping[str, pl.DataType],
          rows: int) -> Iterator[Chunk]:
    texts = {n: pl.Series(n, [None], dtype=schema[n]) for n, c in zip(names, coded) if c}
    # read in blocks of half ``rows``, or of BLOCK_ROWS if that is more (then cut into chunks of ``rows`` at most:
    # a read, and a reading of the texts new in it, costs the same for 3 rows as for thousands); the first two
    # smaller (an eighth of ``rows``, then three): the caller starts on a few rows soon, and while it works on them
    # the reader gets ahead. Half a chunk, not a whole one: the reader and the caller share two cores, and the
    # caller, given its rows sooner, waits less for them (a million rows: 1.18 s, not 1.22; docs/performance.md)
    block = max(rows, BLOCK_ROWS)
    sizes = itertools.chain([max(block // 8, 1), max(block * 3 // 8, 1)], itertools.repeat(max(block // 2, BLOCK_ROWS)))
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="policylang-csv") as ahead:
            read = ahead.submit(reader.read, next(sizes))
            while (got := read.result()) is not None:
                read = ahead.submit(reader.read, next(sizes))
                frame, settled = _frame(got, names, coded, texts)
                yield from (Chunk(frame.slice(at, rows), settled) for at in range(0, frame.height, rows))
    finally:
        reader.close()  # (it holds the file's buffer, which is closed after it; no read is under way now)
        for series in texts.values():
            _TEXTS.pop(series.dtype.categories.name(), None)


def _known(texts: pl.Series) -> None:
    """``texts_of`` of a column's categories: the texts (after the null, code 0) where their codes
    are the categories' first, in order (no other read put texts there before these). Another's
    after them would not matter: a chunk the C reader read holds none of them."""
    categories = texts.dtype.categories
    codes = texts.to_physical().slice(1)
    if codes.len() == 0 or (codes == pl.int_range(codes.len(), dtype=codes.dtype, eager=True)).all():
        _TEXTS[categories.name()] = texts.slice(1).cast(pl.String)
    else:
        _TEXTS.pop(categories.name(), None)


def _frame(got: tuple, names: list[str], coded: list[bool], texts: dict[str, pl.Series]
           ) -> tuple[pl.DataFrame, frozenset[str]]:
    """One chunk of the C reader as a frame: each coded column's texts (the new ones added)
    gathered by its codes, all in one select; each free-text column made from its Arrow buffers (string
    views, which polars holds as they are: a large_string's offsets took 15 ns a cell to convert);
    with the free-text columns ``Chunk.settled``."""
    height, columns = got
    codes, free, settled = {}, {}, set()
    for name, is_coded, column in zip(names, coded, columns):
        if is_coded:
            numbers, new = column
            if new:
                # (one chunk: a gather from a series of several costs several times as much)
                texts[name] = texts[name].append(pl.Series(name, new, dtype=texts[name].dtype)).rechunk()
                _known(texts[name])
            codes[name] = np.frombuffer(numbers, np.uint32)
        else:
            views, data, valid, nulls, edged = column
            if not edged:
                settled.add(name)
            array = pa.Array.from_buffers(pa.string_view(), height, [None if valid is None else pa.py_buffer(valid),
                                                                     pa.py_buffer(views), pa.py_buffer(data)], nulls)
            free[name] = pl.Series(name, array, dtype=pl.String)  # (polars takes the views as they are)
    if codes:
        free.update(pl.DataFrame(codes).select(pl.lit(texts[n]).gather(pl.col(n)).alias(n) for n in codes).to_dict())
    return pl.DataFrame([free[n] for n in names]), frozenset(settled)
