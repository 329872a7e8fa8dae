"""A date whose year is written in two digits (出生年月 85.03, 85年3月, 05-9-1), as people write a
year of the last century: refused as before (R002), but the HR trial's message listed the
contract's forms and not why; it now says the year has two digits and shows the date in four, in
both readers' words."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import policylang
from policylang.io.columnar import read_frame

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools_zh.csv"
ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:21]
HEADER = ROWS[0]


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


@pytest.mark.parametrize("cell, example", [("85.03", "1985.03"), ("85年3月", "1985年3月"), ("05-9-1", "2005-9-1")])
def test_a_year_in_two_digits_is_said_so_by_both_readers(policy, tmp_path, cell, example):
    rows = [list(r) for r in ROWS]
    rows[5][HEADER.index("出生日期")] = cell
    path = _write(tmp_path / "t.csv", rows)
    [problem] = [p for p in policy.read_roster(path, SCHOOLS).problems if p.row == 6]
    yy = cell[:2]
    assert problem.code == "R002" and problem.message_zh == (
        f"“{cell}”的年份只写了两位，无法确定是 19{yy} 年还是 20{yy} 年：请写四位年份，如 {example}")
    problems, _frame, _read, _warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
    assert [p for p in problems if p.row == 6] == [problem]
