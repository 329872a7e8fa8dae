"""Excel's mark of a cell stored as text, the leading apostrophe ('T0001, '0012, '1985-03-01),
which Excel never shows nor counts as the value, is written literally into a CSV by some exports.
Kept, it made every id another id ('T0001 is not T0001, and its school not S02) and every date no
date. Both readers read a CSV's cells without it and say so once a column, with how many (R046);
text in single quotes ('已调出') is kept as written, and a workbook's cells are read as they are
(an apostrophe a workbook's cell holds is one Excel shows)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame

POLICY = "policies/fujian.pol"
SCHOOLS = "examples/schools.csv"
ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:41]
HEADER = ROWS[0]
MARKED = {"工号": "'{}", "出生日期": "'{}", "学校代码": " '{}", "农村任教年限": "'{}"}  # (a space before one)


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def _marked(rows: list[list[str]], every: int = 1) -> list[list[str]]:
    """Each marked column's cells with the mark, on every ``every``th row, and a note in quotes."""
    out = [HEADER + ["备注"]]
    for k, row in enumerate(rows[1:]):
        out.append([MARKED[h].format(c) if h in MARKED and c and k % every == 0 else c for h, c in zip(HEADER, row)]
                   + ["'已调出'" if k == 3 else "'" if k == 4 else ""])
    return out


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


def test_marked_cells_are_read_without_the_mark_by_both_readers_and_said_once_a_column(policy, tmp_path):
    plain = _write(tmp_path / "plain.csv", [HEADER + ["备注"], *(r + [""] for r in ROWS[1:])])
    marked = _write(tmp_path / "marked.csv", _marked(ROWS, every=2))
    expected = policy.read_roster(plain, SCHOOLS)
    roster = policy.read_roster(marked, SCHOOLS)
    assert roster.problems == ()
    assert [{k: v for k, v in r.values.items() if k != "备注"} for r in roster.teachers] == \
        [{k: v for k, v in r.values.items() if k != "备注"} for r in expected.teachers]
    assert [r.values["备注"] for r in roster.teachers][3:5] == ["'已调出'", None]  # quoted text kept; ' alone: empty
    said = [w for w in roster.warnings if w.code == "R046"]
    assert [(w.column, w.count, w.rows) for w in said] == [(h, 20, (2, 4, 6, 8, 10)) for h in MARKED] + [
        ("备注", 1, (6,))]
    assert said[0].message_zh == ("列“工号”有 20 个单元格以撇号（'）开头（第 2、4、6、8、10 行等）：这是 Excel“以文本形式存储”"
                                  "的标记，导出时被写进了 CSV；已去掉撇号读取（'0012 读作 0012，'1985-03-01 读作 1985-03-01）")
    assert "20 cells begin with an apostrophe (rows 2, 4, 6, 8, 10, …), Excel's mark of a cell stored as text" \
        in said[0].message_en
    # the streamed reader, in chunks: the same rows, values and words
    problems, frame, read, warnings = read_frame(policy.checked, marked, SCHOOLS, chunk_rows=7)
    assert problems == [] and read == 40
    assert frame["id"].to_list() == [r.values["id"] for r in expected.teachers]
    assert frame["birth_date"].to_list() == [r.values["birth_date"] for r in expected.teachers]
    assert [w for w in warnings if w.code == "R046"] == said


def test_eval_decides_a_marked_roster_as_the_plain_one(tmp_path):
    plain = _write(tmp_path / "plain.csv", ROWS)
    marked = _write(tmp_path / "marked.csv", [row[:-1] for row in _marked(ROWS)])
    for fmt in ("csv", "xlsx"):  # streamed, and row by row
        out = {}
        for path in (plain, marked):
            out[path.name] = tmp_path / f"out-{path.stem}.{fmt}"
            result = CliRunner().invoke(cli, ["--lang", "zh", "eval", POLICY, str(path), "--schools", SCHOOLS,
                                              "-o", str(out[path.name])])
            assert result.exit_code == 0, result.output
            assert result.output.count("[R046]") == (4 if path is marked else 0)
        if fmt == "csv":
            assert out["plain.csv"].read_bytes() == out["marked.csv"].read_bytes()
        else:
            sheets = [[list(r) for r in openpyxl.load_workbook(out[n]).worksheets[0].iter_rows(values_only=True)]
                      for n in ("plain.csv", "marked.csv")]
            assert sheets[0] == sheets[1]


def test_a_zero_padded_id_keeps_its_zeros_and_a_workbook_s_apostrophe_is_its_text(policy, tmp_path):
    """'0012 is the id 0012 (what the mark kept Excel from making 12), never 12. A workbook's cell
    holding an apostrophe (typed ''T1 in Excel, shown 'T1) is that text: no CSV's mark."""
    rows = [HEADER, *(list(r) for r in ROWS[1:3])]
    rows[1][0], rows[2][0] = "'0012", "0013"
    roster = policy.read_roster(_write(tmp_path / "t.csv", rows), SCHOOLS)
    assert [r.values["id"] for r in roster.teachers] == ["0012", "0013"]
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "t.xlsx")
    book = policy.read_roster(tmp_path / "t.xlsx", SCHOOLS)
    assert [r.values["id"] for r in book.teachers] == ["'0012", "0013"]
    assert [w.code for w in book.warnings if w.code == "R046"] == []
