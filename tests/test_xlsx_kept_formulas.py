"""A workbook written by a program (never opened in Excel) holds its formulas without their
results. A column no rule reads, carried into the decisions with ``--keep``, had the formula's
text written as if it were the value (`=B2&"老师"` under 备注): such a cell is now written empty,
and said once for the column with how many and the fix (R045). A column a field reads refuses
such a row, as before (R019): a decision may rest on it."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli

ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:8]


@pytest.fixture()
def workbook(tmp_path) -> Path:
    path = tmp_path / "程序生成.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(ROWS[0] + ["备注", "年龄"])
    for k, row in enumerate(ROWS[1:], 2):
        # 备注 a formula on every row but the last, which holds text; 年龄 on two rows only
        note = f'=B{k}&"老师"' if k < len(ROWS) else "已核对"
        wb.active.append(row + [note, "=2025-YEAR(D2)" if k in (3, 4) else ""])
    wb.save(path)  # openpyxl saves formulas without results: no program has calculated them
    return path


def _eval(*args: str):
    return CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/fujian.pol", *args,
                                    "--schools", "examples/schools_zh.csv"])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_kept_formula_without_its_result_is_written_empty_and_said_once_a_column(workbook, tmp_path, suffix):
    out = tmp_path / f"结论{suffix}"
    result = _eval(str(workbook), "-o", str(out), "--keep", "备注,年龄")
    assert result.exit_code == 0, result.output
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    notes = [r[rows[0].index("备注")] for r in rows[1:]]
    ages = [r[rows[0].index("年龄")] for r in rows[1:]]
    assert notes == [None if suffix == ".xlsx" else ""] * 6 + ["已核对"]
    assert set(ages) == {None if suffix == ".xlsx" else ""}
    assert not any("=" in str(cell) for row in rows for cell in row if cell)  # no formula's text anywhere
    said = [line for line in result.output.splitlines() if "[R045]" in line]
    assert said == [
        f"提示：{workbook} 列“备注” [R045]：带出的列“备注”有 6 个公式单元格没有保存计算结果（第 2、3、4、5、6 行等；"
        "名册由程序生成，未经 Excel 或 WPS 计算），结论文件中这些单元格留空，不写公式本身；请用 Excel 或 WPS 打开名册并保存"
        "（会计算公式）后再运行",
        f"提示：{workbook} 列“年龄” [R045]：带出的列“年龄”有 2 个公式单元格没有保存计算结果（第 3、4 行；"
        "名册由程序生成，未经 Excel 或 WPS 计算），结论文件中这些单元格留空，不写公式本身；请用 Excel 或 WPS 打开名册并保存"
        "（会计算公式）后再运行"]


def test_not_kept_it_is_no_value_either_and_a_read_column_refuses_the_row(workbook, tmp_path):
    policy = policylang.load("policies/fujian.pol")
    roster = policy.read_roster(workbook, "examples/schools_zh.csv")
    assert [w.code for w in roster.warnings if w.code == "R045"] == []  # not carried: R012 says nothing reads it
    assert [r.values["备注"] for r in roster.teachers] == [None] * 6 + ["已核对"]
    kept = policy.carrying(["备注"]).read_roster(workbook, "examples/schools_zh.csv")
    [said] = [w for w in kept.warnings if w.code == "R045"]
    assert (said.column, said.count, said.rows) == ("备注", 6, (2, 3, 4, 5, 6))
    assert "the decisions leave them empty, not the formula's text" in said.message_en
    # a column a field reads: the row is refused, as a decision may rest on the cell (R019)
    wb = openpyxl.load_workbook(workbook)
    wb.active["L2"] = '=IF(A2="","否","是")'  # 任课
    wb.save(workbook)
    assert wb.active["L1"].value == "任课"
    roster = policy.read_roster(workbook, "examples/schools_zh.csv")
    assert [(p.code, p.row, p.column) for p in roster.problems] == [("R019", 2, "任课")]
