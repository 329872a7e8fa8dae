"""A workbook that unpacks far beyond its size (a zip bomb) is refused before anything of it is
unpacked: R009 naming the file, by the roster reader and through the command line."""

import io
import zipfile

import openpyxl
import pytest

from policylang.io import xlsx
from policylang.io.roster import load_table
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
