"""A workbook that unpacks far beyond its size (a zip bomb) is refused before anything of it is
unpacked: R009 naming the file, by the roster reader and through the command line."""

import io
import zipfile

import openpyxl
import pytest

from policylang.io import xlsx
from policylang.io.roster.reader import load_table
from policylang.lang import schema as S


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    wb.active.append(["T1", "女", "1985-03-01", "S1", "2015-09-01", "2008-09-01"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bomb(path, unpacked_mb: int) -> None:
    """A real workbook whose first sheet is followed by ``unpacked_mb`` MB of repeated rows,
    packed at about a thousand to one."""
    with zipfile.ZipFile(io.BytesIO(_workbook_bytes())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            block = b'<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is></c></row>' * 16384
            with dst.open(info.filename, "w") as out:
                out.write(head)
                for _ in range(unpacked_mb * (1 << 20) // len(block)):
                    out.write(block)
                out.write(b"</sheetData>" + tail)


def test_a_zip_bomb_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "花名册.xlsx"
    _bomb(path, 120)
    assert path.stat().st_size < 1 << 20  # packed well under a megabyte
    loaded = load_table(path, S.TEACHERS)
    [problem] = loaded.problems
    assert (problem.file, problem.code, problem.row) == (str(path), "R009", None)
    assert "解压后为 12" in problem.message_zh and "100 倍" in problem.message_zh
    assert "unpacks to 12" in problem.message_en
    assert loaded.rows == []


def test_a_bomb_under_a_hundred_megabytes_is_refused_too(tmp_path):
    # 93 MB of rows packed into 0.27 MB took 3.3 GB and a minute to read: the ratio counts from 16 MB
    path = tmp_path / "t.xlsx"
    _bomb(path, 40)
    [problem] = load_table(path, S.TEACHERS).problems
    assert problem.code == "R009" and "unpacks to 4" in problem.message_en


def test_the_cap_is_checked_before_unpacking(tmp_path, monkeypatch):
    path = tmp_path / "t.xlsx"
    _bomb(path, 120)
    unpacked = []
    monkeypatch.setattr(xlsx, "calamine_sheets", lambda p: unpacked.append(p))
    monkeypatch.setattr(xlsx, "openpyxl_sheets", lambda p: unpacked.append(p))
    with pytest.raises(Exception, match="bytes unpacked"):
        xlsx.sheets(path)
    assert unpacked == []


def test_the_absolute_cap(tmp_path, monkeypatch):
    """Past MAX_UNPACKED a workbook is refused whatever its ratio (lowered here: 2 GiB would take
    minutes to write)."""
    path = tmp_path / "t.xlsx"
    path.write_bytes(_workbook_bytes())
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1000)
    [problem] = load_table(path, S.TEACHERS).problems
    assert problem.code == "R009" and "GiB" in problem.message_en


def test_an_ordinary_workbook_is_read(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(_workbook_bytes())
    loaded = load_table(path, S.TEACHERS)
    assert loaded.problems == [] and [r.values["id"] for r in loaded.rows] == ["T1"]


def _roster(path, extra=None) -> None:
    """A header and three teachers; ``extra(ws)`` adds to the sheet before it is saved."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    for n in range(3):
        ws.append([f"T{n}", "女", "1985-03-01", "S1", "2015-09-01", "2008-09-01"])
    if extra:
        extra(ws)
    wb.save(path)


def test_a_cell_at_the_sheets_far_corner_is_refused_naming_it(tmp_path):
    # calamine would build a grid of 17 billion cells (512 GiB): the process aborted, nothing to catch.
    # In a subprocess: were the check gone, the abort would not take the tests down with it.
    import subprocess
    import sys

    path = tmp_path / "花名册.xlsx"
    _roster(path, lambda ws: ws.cell(row=1048576, column=16384, value="x"))
    script = ("import sys; from policylang.io.roster.reader import load_table; from policylang.lang import schema as S; "
              "[p] = load_table(sys.argv[1], S.TEACHERS).problems; print(p.code); print(p.message_zh); print(p.message_en)")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    code, zh, en = done.stdout.splitlines()
    assert code == "R009"
    assert "工作表“Sheet”的使用范围延伸到 XFD1048576（约 172 亿个单元格），但只有 25 个单元格有内容" in zh
    assert "sheet `Sheet` reaches XFD1048576" in en and "25 cells" in en


def test_a_far_cell_is_refused_by_both_readers(tmp_path):
    path = tmp_path / "t.xlsx"
    _roster(path, lambda ws: ws.cell(row=1048576, column=16384, value="x"))
    for read in (xlsx.calamine_sheets, xlsx.openpyxl_sheets):
        with pytest.raises(Exception, match="XFD1048576"):
            read(path)


def test_a_stray_cell_far_below_or_right_is_read(tmp_path):
    # a used range under 20 million cells, or not mostly empty, is read: its row numbers kept
    path = tmp_path / "t.xlsx"
    _roster(path, lambda ws: ws.cell(row=100000, column=26, value="x"))
    [(_, rows)] = xlsx.sheets(path)
    assert len(rows) == 100000 and rows[-1][25] == "x" and rows[1][0] == "T0"
    assert xlsx._sheet_extent(b'<row r="3"><c r="B3"/><c/><c t="s"><v>1</v></c></row><row><c/></row>') == (4, 4, 4)  # noqa: SLF001


def test_a_part_larger_than_its_header_says_is_refused_in_bounded_memory(tmp_path, monkeypatch):
    """A zip declaring a few bytes for a part that unpacks to many: the declared sizes pass, the
    part is counted as it unpacks, and refused past the cap (lowered here) without being held."""
    path = tmp_path / "t.xlsx"
    _roster(path)
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    head, tail = parts["xl/worksheets/sheet1.xml"].split(b"</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = head + b'<row r="9"><c r="A9" t="inlineStr"><is><t>x</t></is></c></row>' * 50000 \
        + b"</sheetData>" + tail
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    raw = bytearray(lying.read_bytes())
    real = len(parts["xl/worksheets/sheet1.xml"])
    for at in range(len(raw) - 4):  # the declared size, in the local header and the central directory
        if raw[at:at + 4] == real.to_bytes(4, "little"):
            raw[at:at + 4] = (1000).to_bytes(4, "little")
    lying.write_bytes(bytes(raw))
    with zipfile.ZipFile(lying) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    read = []
    original = xlsx._unpacked_size  # noqa: SLF001
    monkeypatch.setattr(xlsx, "_unpacked_size", lambda *a: read.append(original(*a)) or read[-1])
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1 << 20)
    monkeypatch.setattr(xlsx, "RATIO_FROM", 1 << 20)
    [problem] = load_table(lying, S.TEACHERS).problems
    assert problem.code == "R009" and "unpacks to" in problem.message_en
    assert max(read) <= (1 << 20) + (1 << 20)  # counted a block at a time, stopped at the cap
    # under the cap, a size that is not the one declared is refused too, naming the part
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1 << 30)
    monkeypatch.setattr(xlsx, "RATIO_FROM", 1 << 30)
    [problem] = load_table(lying, S.TEACHERS).problems
    assert "xl/worksheets/sheet1.xml" in problem.message_zh and f"{real:,}" in problem.message_en


def test_a_merged_range_to_the_sheets_edge_is_filled_only_over_the_data(tmp_path, monkeypatch):
    """C2:XFD20001 over rows of two cells filled 16,384 cells a row: 135 s and 2.7 GB. Held by a
    count, not a clock: the cells of the rows once ``_fill_merges`` (spied on, by both readers)
    has filled the merge, at most the data's grid (2,001 rows by the widest row, 6), never the
    merge's 32 million. Before 3929670 the range was filled to its right edge, column XFD: the
    rows it covers grew to 16,384 cells, 32,768,006 cells in all (that line taken out of
    ``_fill_merges`` again, this fails with that count), as the widths of the rows read say too."""
    filled = []  # (the merges, the cells of the rows) after each filling
    real = xlsx._fill_merges  # noqa: SLF001

    def counted(rows, merges):
        out = real(rows, merges)
        filled.append((list(merges), sum(map(len, rows))))
        return out

    monkeypatch.setattr(xlsx, "_fill_merges", counted)
    path = tmp_path / "t.xlsx"

    def rows(ws):
        for n in range(5, 2002):  # rows 5-2001: a teacher named by the row
            ws.append([f"T{n}", "女"])
    _roster(path, rows)
    with zipfile.ZipFile(path) as src:  # the merge written into the XML: openpyxl would make 32 million cells of it
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="C2:XFD2001"/></mergeCells>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    for read in (xlsx.sheets, xlsx.openpyxl_sheets):
        del filled[:]
        [(_, got)] = read(path)
        assert filled and all((2, 3, 2001, 16384) in merges for merges, _ in filled)  # the merge, to XFD
        assert max(cells for _, cells in filled) <= 2001 * 6  # the data's grid, not the merge's 32 million
        assert len(got) == 2001 and max(map(len, got)) == 6
        assert got[1][2] == got[1][5] == "1985-03-01"  # the merge's value, C2's
        assert got[2000] == ["T2001", "女"] + ["1985-03-01"] * 4
