"""The C reader of plain CSVs (``_plaincsv.c``) at its edges: the end of the buffer, a reader
whose making failed, a small file read in big chunks, a chunk not made for want of memory.
What would crash the process is run in a child process, so that a crash fails one test."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from policylang.io import plaincsv

from .test_plaincsv import view_texts

_plaincsv = pytest.importorskip("policylang.io._plaincsv")

# a buffer whose last byte is the last of a page, the page after it not readable: any read past
# the end faults (as in an mmap of a file whose size is a whole number of pages)
_GUARDED = textwrap.dedent("""
    import ctypes, ctypes.util, mmap
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    PAGE = mmap.PAGESIZE

    def guarded(data):
        pages = (len(data) + PAGE - 1) // PAGE + 1
        base = libc.mmap(None, pages * PAGE, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
        assert base and base != ctypes.c_void_p(-1).value
        assert libc.mprotect(base + (pages - 1) * PAGE, PAGE, 0) == 0
        at = base + (pages - 1) * PAGE - len(data)
        ctypes.memmove(at, data, len(data))
        return memoryview((ctypes.c_char * len(data)).from_address(at)).cast("B")
""")


def _child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _GUARDED + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)


def _cells(reader, rows: int, coded: list[bool]) -> list[list[str | None]]:
    """Every record a reader reads, ``rows`` at a time, its cells as texts (None: no cell)."""
    texts = [[None] for _ in coded]
    records = []
    while (got := reader.read(rows)) is not None:
        records += _records(got, coded, texts)
    return records


def _records(chunk: tuple, coded: list[bool], texts: list[list[str | None]]) -> list[list[str | None]]:
    """A chunk's records, its cells as texts (None: no cell); ``texts``: each coded column's texts
    so far, by code (the chunk's new ones added)."""
    height, columns = chunk
    cells = []
    for k, column in enumerate(columns):
        if coded[k]:
            codes, new = column
            texts[k] += new
            cells.append([texts[k][c] for c in struct.unpack(f"<{height}I", codes)])
        else:
            cells.append(view_texts(height, *column[:3]))
    return [list(r) for r in zip(*cells)]



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the guard page is made with Linux's mmap")
@pytest.mark.parametrize("quoted", [False, True])
def test_a_separator_ending_the_file_is_not_read_past(quoted):
    """A file ending with a separator (``1,`` and no line feed): its last cell is none, and the
    byte after the buffer is not read (it was: a fault when the file is a whole number of pages)."""
    last = b'"1",' if quoted else b"1,"
    done = _child(f"""
        from policylang.io import _plaincsv
        data = b"a,b\\n1,2\\n" + {last!r}
        for coded in ([False, False], [True, True]):
            reader = _plaincsv.Reader(guarded(data), 4, 1, ",", coded)
            rows, columns = reader.read(10)
            assert rows == 2, rows
            reader.close()
        print("read")
    """)
    assert done.returncode == 0 and done.stdout.strip() == "read", done.stderr[-2000:]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the guard page is made with Linux's mmap")
@pytest.mark.parametrize("texts", [3, 40])
def test_short_texts_compared_as_whole_words_are_not_read_past_the_end(texts):
    """Short coded texts are compared as words read in place (``same_short``, ``head_in``): a
    few texts one by one, many by their hash, a cell as the one before it. Within 16 bytes of the
    end each is read as it is, not past it; every cell is read as written (0 to 17 bytes), and
    each text is given once (a word compared past a text's end would take it for a new one)."""
    done = _child(f"""
        import struct
        from policylang.io import _plaincsv
        import random
        draw = random.Random({texts})
        # texts of one length differ in their last byte only, or in every byte
        cells = [(("x" * 16 if draw.random() < 0.5 else "") + str(draw.randrange({texts})) * 17)[-n:] if n else ""
                 for n in (draw.choice([0, 1, 2, 7, 8, 9, 15, 16, 17]) for _ in range(300))]
        pairs = [t for n in (1, 2, 7, 8, 9, 15, 16) for t in (("x" * n)[:-1] + "3", ("x" * n)[:-1] + "4")]
        cells = pairs + cells + pairs  # (a pair of one length, in turn: the first few one by one, then by the hash)
        seen = sorted({{c for c in cells if c}}, key=len)
        # the last cells: new, the one before again, and texts met before (by their hash, when many)
        for tail in (["ab", "ab"], ["abcdefgh", "abcdefgh"], ["abcdefghijklmnop", "a"], ["q", "abcdefghijklmno"],
                     seen[:2], seen[-2:], [seen[-1], seen[0]], pairs[-2:]):
            for end in ("", "\\n"):
                data = ("b,c\\n" + "\\n".join("1," + c for c in cells + tail) + end).encode()
                reader = _plaincsv.Reader(guarded(data), 4, 1, ",", [True, True])
                texts, got = [None], []
                while (chunk := reader.read(7)) is not None:
                    rows, (_, (codes, new)) = chunk
                    texts += new
                    got += [texts[c] for c in struct.unpack(f"<{{rows}}I", codes)]
                reader.close()
                assert got == [c or None for c in cells + tail], (got[-5:], tail)
                assert sorted(texts[1:]) == sorted({{c for c in cells + tail if c}}), tail
        print("read")
    """)
    assert done.returncode == 0 and done.stdout.strip() == "read", done.stderr[-2000:]


def test_a_last_cell_after_a_separator_ending_the_file_is_none():
    reader = _plaincsv.Reader(b"a,b,c\n1,2,3\nx,,", 6, 1, ",", [False, True, False])
    assert _cells(reader, 5, [False, True, False]) == [["1", "2", "3"], ["x", None, None]]
    reader = _plaincsv.Reader(b"a,b\n1,", 4, 1, ",", [True, True])
    assert _cells(reader, 5, [True, True]) == [["1", None]]


@pytest.mark.parametrize("start", [-1, -100, 9, 1 << 40])
def test_a_start_outside_the_data_is_refused(start):
    """(``start`` -1 read the byte before the buffer.)"""
    with pytest.raises(ValueError):
        _plaincsv.Reader(b"a,b\n1,2\n", start, 1, ",", [False, False])


def test_a_start_at_the_end_reads_nothing():
    assert _plaincsv.Reader(b"a,b\n", 4, 1, ",", [False, False]).read(5) is None


@pytest.mark.parametrize("made", [
    lambda r: r.__init__(b"a,b\n1,2\n", 4, 1, '"', [True, False]),  # a separator refused
    lambda r: r.__init__(b"a,b\n1,2\n", 4, 1, ",", []),  # no column
    lambda r: r.__init__(b"a,b\n1,2\n", 4, 1, ",", [True, _Untrue()]),  # a column's truth not known
    lambda r: r.__init__(b"a,b\n1,2\n", -1, 1, ",", [True, False]),
])
def test_a_reader_whose_making_failed_reads_nothing(made):
    """It held the buffer, and read (without columns) ever more rows of none, never at the end
    (a loop to the end of the file would not end); now it holds nothing, and can be made again."""
    reader = _plaincsv.Reader.__new__(_plaincsv.Reader)
    with pytest.raises((ValueError, ZeroDivisionError)):
        made(reader)
    with pytest.raises(RuntimeError):
        reader.read(5)
    reader.__init__(b"a,b\n1,2\n", 4, 1, ",", [True, False])
    assert _cells(reader, 5, [True, False]) == [["1", "2"]]
    with pytest.raises(RuntimeError):  # (made once)
        reader.__init__(b"a,b\n1,2\n", 4, 1, ",", [True, False])


class _Untrue:
    def __bool__(self):
        raise ZeroDivisionError


def test_a_bytearray_held_by_a_reader_whose_making_failed_can_grow():
    """(A failed making kept the buffer exported: the bytearray could not be resized.)"""
    data = bytearray(b"a,b\n1,2\n")
    reader = _plaincsv.Reader.__new__(_plaincsv.Reader)
    with pytest.raises(ValueError):
        reader.__init__(data, 4, 1, '"', [True, False])
    data += b"3,4\n"
    assert len(data) == 12


def test_a_column_list_emptied_while_it_is_read_is_not_read_past():
    """A ``coded`` list that a ``__bool__`` empties: its items are not read after it (they were,
    from the list's freed storage)."""
    done = _child("""
        from policylang.io import _plaincsv
        coded = []
        class Emptying:
            def __bool__(self):
                coded.clear()
                return True
        coded += [Emptying()] + [True] * 1000
        reader = _plaincsv.Reader(b"a,b\\n1,2\\n", 4, 1, ",", coded)
        print("made")
    """)
    assert done.returncode == 0 and done.stdout.strip() == "made", done.stderr[-2000:]


def test_a_small_file_read_in_big_chunks_takes_little_memory():
    """A read makes room for the rows the rest of the file can hold, not for all those asked: two
    rows of 200 columns read by the streamed reader's chunk (half a million rows) took 800 MiB."""
    data = (",".join(f"c{k}" for k in range(200)) + "\n" + ",".join("x" * 200) + "\n" + ",".join("y" * 200)).encode()
    coded = [k % 2 == 0 for k in range(200)]
    reader = _plaincsv.Reader(data, data.index(b"\n") + 1, 1, ",", coded)
    tracemalloc.start()
    try:
        rows, _ = reader.read(1 << 19)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 2
    assert peak < 1 << 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the guard page is made with Linux's mmap")
def test_a_read_undone_at_the_end_of_the_buffer_is_read_again_within_it():
    """A read undone for want of memory keeps the texts it met (the last cell, at the buffer's
    end, among them); read again, a text is compared with one that may now come after it: no
    word is read past the buffer (it was: a fault, from review rv31)."""
    pytest.importorskip("_testcapi")
    done = _child("""
        import _testcapi
        from policylang.io import _plaincsv, plaincsv
        data = b"h\\n" + b"xy\\n" * 20 + b"ab"
        undone = 0
        for fail in range(30):
            reader = _plaincsv.Reader(guarded(data), 2, 1, ",", [True], plaincsv._EDGE)
            _testcapi.set_nomemory(fail, fail + 1)
            try:
                reader.read(100)
                continue
            except MemoryError:
                undone += 1
            finally:
                _testcapi.remove_mem_hooks()
            rows, ((codes, texts),) = reader.read(100)
            assert rows == 21 and texts == ["xy", "ab"], (rows, texts)
            reader.close()
        assert undone > 2, undone
        print("read")
    """)
    assert done.returncode == 0 and done.stdout.strip() == "read", done.stderr[-2000:]


def test_a_chunk_not_made_for_want_of_memory_is_read_again():
    """A read whose chunk could not be made (a MemoryError) leaves the reader where it was: the
    next read gives those rows, and their new texts (they were lost, the reader gone on past them,
    or their texts never given, the codes then naming none)."""
    _testcapi = pytest.importorskip("_testcapi")
    lines = ["a,b,c"] + [f"{k % 7},{k % 5}-x,n{k}" for k in range(40)]
    data = ("\n".join(lines) + "\n").encode()
    coded = [True, True, False]
    want = [line.split(",") for line in lines[1:]]
    failed = 0
    for fail in range(1, 60):
        reader = _plaincsv.Reader(data, data.index(b"\n") + 1, 1, ",", coded)
        texts = [[None] for _ in coded]
        got = []
        first = True
        while True:
            if first:
                _testcapi.set_nomemory(fail, fail + 1)
            try:
                chunk = reader.read(16)
            except MemoryError:
                failed += 1
                continue
            finally:
                if first:
                    _testcapi.remove_mem_hooks()
                    first = False
            if chunk is None:
                break
            got += _records(chunk, coded, texts)
        assert got == want, fail
    assert failed > 5  # (the failures fell in the making of the chunk, not only before the read)


def test_the_streamed_reader_reads_a_file_ending_with_a_separator_as_without_the_c_reader(tmp_path):
    """The whole pipeline on a roster whose last line ends with a separator and no line feed."""
    from pathlib import Path

    import policylang

    from .test_columnar import DISTRICT

    text = Path("examples/teachers.csv").read_text(encoding="utf-8").rstrip("\n")
    path = tmp_path / "t.csv"
    path.write_text(text[:text.rindex(",") + 1], encoding="utf-8")
    said = []
    for on in (True, False):
        before = plaincsv.use(on)
        try:
            out = tmp_path / f"{on}.csv"
            streamed = policylang.load(DISTRICT).stream_decisions(path, "examples/schools.csv", out,
                                                                   skip_invalid=True, chunk_rows=3)
        finally:
            plaincsv.use(before)
        said.append((out.read_bytes(), [(p.code, p.row, p.column) for p in streamed.problems],
                     [(w.code, w.row) for w in streamed.warnings]))
    assert said[0] == said[1]


@pytest.mark.parametrize("data", [b"c0,c1\n,\r", b"c0,c1\nx,y\r", b'c0,c1\nx,"y"\r', b"c0,c1\nx,y\r\nz,w\r"])
def test_a_last_line_ended_by_a_carriage_return_is_read_as_polars_reads_it(tmp_path, data):
    """The file's last line ended by a carriage return, no line feed after it: polars reads it as a
    line, the C reader stopped at it (hypothesis found ``c0,c1\\n,\\r`` in tests/test_plaincsv.py,
    whose files are so when their last cell is drawn as "\\r")."""
    import polars as pl

    path = tmp_path / "t.csv"
    path.write_bytes(data)
    schema = {"c0": pl.String, "c1": pl.Categorical(pl.Categories.random())}
    ours = pl.concat([c.rows for c in plaincsv.chunks(path, ",", schema, 1)])
    theirs = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=False, schema_overrides=schema)
    assert ours.cast(pl.String).rows() == theirs.cast(pl.String).rows()


@pytest.mark.parametrize("data", [b"c0,c1\nx,y\n\r", b"c0,c1\nx,y\rz,w\n", b"c0,c1\nx,y\r\r", b'c0,c1\nx,"y\r"'])
def test_a_carriage_return_elsewhere_is_not_plain(data):
    reader = _plaincsv.Reader(data, 6, 1, ",", [False, True])
    with pytest.raises(plaincsv.NotPlain):
        while reader.read(1) is not None:
            pass
