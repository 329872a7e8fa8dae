"""A school's code on its first teacher's row alone (merged over the school's teachers in a workbook and
exported to CSV, where a merge keeps its value on the first row only; or left blank as 同上): every other
row is refused as lacking 学校代码 (R006), as before, never filled in from the row above; the command
then says what the runs of empty cells look like and how to fill them down (HR trial hr26)."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from policylang.cli import cli
from policylang.io.roster.model import RosterProblem
from policylang.io.roster.problems import filled_once

from .conftest import write_table

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools.csv"
with open("examples/teachers.csv", encoding="utf-8") as _f:
    HEADER, *ROWS = list(csv.reader(_f))


def _empty(*rows: int, column: str = "学校代码") -> list[RosterProblem]:
    return [RosterProblem("t.csv", r, column, None, "R006", "", "") for r in rows]


def test_runs_with_one_filled_row_between_them_are_a_value_written_once():
    assert filled_once(_empty(3, 4, 5, 7, 8, 10, 11)) == ["学校代码"]
    assert filled_once(_empty(3, 4, 5)) == []  # one run: a block of rows missing it, no pattern
    assert filled_once(_empty(3, 4, 9, 10)) == []  # four rows between: not one group's first row
    assert filled_once(_empty(3, 4, 6, 7, 10, 11, 13, 14)) == ["学校代码"]  # (a school of one teacher: 8, 9)
    assert filled_once(_empty(3, 5, 7)) == []  # single rows: cells missed here and there


def test_the_command_says_so_after_the_problems(tmp_path):
    at = HEADER.index("school_id")
    rows = sorted(ROWS[:60], key=lambda r: r[at])
    shown = [r[:at] + [r[at] if k == 0 or rows[k - 1][at] != r[at] else ""] + r[at + 1:] for k, r in enumerate(rows)]
    path = write_table(tmp_path / "teachers.csv", HEADER, shown)
    result = CliRunner().invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "--lang", "zh"])
    assert result.exit_code == 3
    assert "提示：列“school_id”的空白成段出现，两段之间多只有一行已填写" in result.output
    assert "本程序不会按上一行补填" in result.output
