"""Every workbook of a roster says on its 说明 sheet what reading the roster said (a newcomer's
trial, 2026-12: `quota -o 名额.xlsx` and `diff -o 对比.xlsx` printed that five blank 在编在岗 cells
were read as 否, and the workbooks handed on said nothing of it, though eval's did)."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from policylang.cli import cli

from .conftest import EXAMPLES, POLICIES

LABEL = "名册提示（运行时已提示）"


@pytest.fixture()
def blank_on_staff(tmp_path):
    """examples/teachers.csv with the 在编在岗 (on_staff) cells of rows 3 and 5 left blank: R033."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    column = rows[0].index("on_staff")
    for k in (2, 4):  # the records of rows 3 and 5 as a spreadsheet numbers them
        rows[k][column] = ""
    path = tmp_path / "teachers.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def _notes(path) -> list[str]:
    return [v for k, v in load_workbook(path)["说明"].iter_rows(values_only=True) if k == LABEL]


def _run(*args) -> None:
    result = CliRunner().invoke(cli, ["--lang", "zh", *map(str, args)])
    assert result.exit_code == 0, result.output
    assert "R033" in result.output  # said on the terminal


@pytest.mark.parametrize("command", ["eval", "quota"])
def test_a_workbook_of_decisions_or_quotas_says_the_blank_cells_read_as_no(tmp_path, blank_on_staff, command):
    out = tmp_path / "out.xlsx"
    _run(command, POLICIES / "fujian_pilot_district.pol", blank_on_staff, "--schools", EXAMPLES / "schools.csv",
         "-o", out)
    [said] = _notes(out)
    assert "[R033]" in said and "第 3、5 行" in said and "按“否”处理" in said, said


def test_a_comparison_workbook_says_them_too(tmp_path, blank_on_staff):
    out = tmp_path / "对比.xlsx"
    _run("diff", POLICIES / "fujian.pol", POLICIES / "fujian_pilot_district.pol", blank_on_staff,
         "--schools", EXAMPLES / "schools.csv", "-o", out)
    [said] = _notes(out)
    assert "[R033]" in said and "第 3、5 行" in said


def test_a_workbook_of_a_clean_roster_has_no_roster_note(tmp_path):
    out = tmp_path / "名额.xlsx"
    result = CliRunner().invoke(cli, ["--lang", "zh", "quota", str(POLICIES / "fujian_pilot_district.pol"),
                                      str(EXAMPLES / "teachers.csv"), "--schools", str(EXAMPLES / "schools.csv"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _notes(out) == []
