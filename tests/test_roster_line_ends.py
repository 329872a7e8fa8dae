"""A CSV whose every line but the header ends in one separator more (``T01,王芳,…,`` under
``工号,姓名,…``), or whose header line alone does, as some old systems export: every row was
refused as too long or cut short (R016), so no teacher of such an export was decided (HR trial
hr25). The cells are the header's columns: both readers read them so and say it once (R049). A
row cut short or too long among rows of the header's length is still refused, and so is an
export whose extra last cell holds something."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame, unparsed_csv

POLICY = "policies/fujian.pol"
SCHOOLS = "examples/schools.csv"
ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:31]


def _write(path: Path, rows: list[list[str]], header_end: str = "", line_end: str = "",
           encoding: str = "gb18030") -> Path:
    """``rows`` as CSV lines, the header's ending in ``header_end`` and every other's in ``line_end``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    lines = out.getvalue().splitlines()
    text = "\r\n".join([lines[0] + header_end] + [line + line_end for line in lines[1:]]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


@pytest.mark.parametrize("header_end, line_end, said", ids=["lines", "header", "lines_two"], argvalues=[
    ("", ",", "每一行都比表头多 1 个单元格，多出的都是行末的空单元格（导出程序在每行末尾多写了分隔符）：各单元格按表头的列读取"),
    (",", "", "表头比每一行多 1 列，多出的是表头末尾没有列名的空列（导出程序在表头行末尾多写了分隔符）：各单元格按表头的列读取"),
    ("", ",,", "每一行都比表头多 2 个单元格，多出的都是行末的空单元格（导出程序在每行末尾多写了分隔符）：各单元格按表头的列读取"),
])
def test_rows_differing_from_the_header_only_by_a_separator_at_the_end_are_read_by_both_readers(
        policy, tmp_path, header_end, line_end, said):
    plain = _write(tmp_path / "plain.csv", ROWS)
    ended = _write(tmp_path / "ended.csv", ROWS, header_end, line_end)
    expected = policy.read_roster(plain, SCHOOLS)
    roster = policy.read_roster(ended, SCHOOLS)
    assert roster.problems == ()
    assert [r.values for r in roster.teachers] == [r.values for r in expected.teachers]
    [warning] = [w for w in roster.warnings if w.code == "R049"]
    assert warning.message_zh == said and warning.warning
    # the streamed reader hands the file to the row reader (as a ="…" cell's), which every command then reads
    problems, frame, _read, _warnings = read_frame(policy.checked, ended, SCHOOLS, chunk_rows=7)
    assert frame is None and unparsed_csv(problems, ended)


def test_eval_decides_such_an_export_as_the_plain_one(tmp_path):
    plain = _write(tmp_path / "plain.csv", ROWS)
    ended = _write(tmp_path / "ended.csv", ROWS, line_end=",")
    runner = CliRunner()
    outputs = {}
    for name, roster in (("plain", plain), ("ended", ended)):
        for fmt in ("csv", "xlsx"):  # streamed, and row by row
            out = tmp_path / f"{name}_decisions.{fmt}"
            result = runner.invoke(cli, ["eval", POLICY, str(roster), "--schools", SCHOOLS, "-o", str(out),
                                         "--lang", "zh"])
            assert result.exit_code == 0, result.output
            assert ("[R049]" in result.output) is (name == "ended")
            outputs[name, fmt] = out.read_bytes() if fmt == "csv" else None
    assert outputs["plain", "csv"] == outputs["ended", "csv"]


@pytest.mark.parametrize("change", ["one_short", "one_long", "filled_end", "two_lengths"])
def test_rows_that_are_not_so_are_still_refused_by_both_readers(policy, tmp_path, change):
    rows = [list(r) for r in ROWS]
    header_end, line_end = "", ","
    if change == "one_short":  # one row cut short among rows of the header's length
        header_end = line_end = ""
        rows[5] = rows[5][:-1]
    elif change == "one_long":
        header_end = line_end = ""
        rows[5] = rows[5] + [""]
    elif change == "filled_end":  # the extra last cell holds something: no separator only
        rows = [r + (["已调出"] if k == 5 else [""]) if k else r for k, r in enumerate(rows)]
        line_end = ""
    else:  # most lines end in a separator, one does not: which cell is which in it is not known alone
        rows = [r + [""] if k not in (0, 7) else r for k, r in enumerate(rows)]
        line_end = ""
    path = _write(tmp_path / "t.csv", rows, header_end, line_end)
    roster = policy.read_roster(path, SCHOOLS)
    refused = sorted({p.row for p in roster.problems if p.code == "R016"})
    assert refused and not any(w.code == "R049" for w in roster.warnings)
    # the streamed reader finds the same rows, or hands the file to the row reader (most of its lines alike)
    problems, _frame, _read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True, chunk_rows=7)
    if not unparsed_csv(problems, path):
        assert sorted({p.row for p in problems if p.code == "R016"}) == refused
        assert not any(w.code == "R049" for w in warnings)
    assert len(refused) == {"two_lengths": 29, "filled_end": 30}.get(change, 1)
