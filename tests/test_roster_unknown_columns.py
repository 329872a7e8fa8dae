"""A provincial export of 150 columns, of which the roster's are 30: the columns no rule reads
are said in one problem naming the first of them and counting them all (R012), not in 150 lines;
a column that looks like one the roster lacks keeps its own, with its did-you-mean (身分证号); ``--strict``
makes them one error; ``--keep`` carries one of them, no longer counted."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli

EXTRA = [f"字段{i:03d}" for i in range(150)]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """examples/teachers_zh.csv's first rows with 151 more columns: 身分证号 (身份证号 misspelt) and 150 others."""
    rows = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:11]
    path = tmp_path_factory.mktemp("wide") / "省平台导出.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([rows[0] + ["身分证号", *EXTRA]]
                                                     + [r + [""] + ["x"] * len(EXTRA) for r in rows[1:]])
    return path


def _eval(*args: str):
    return CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/fujian_pilot_district.pol", *args,
                                    "--schools", "examples/schools_zh.csv"])


def test_many_unknown_columns_are_one_problem_and_a_hint_keeps_its_own(export, tmp_path):
    roster = policylang.load("policies/fujian_pilot_district.pol").read_roster(export, "examples/schools_zh.csv")
    unknown = [w for w in roster.warnings if w.code == "R012"]
    assert [(w.column, w.count) for w in unknown] == [("身分证号", None), (None, 150)]
    assert "是否应为“身份证号”？" in unknown[0].message_zh
    assert unknown[1].message_zh == (
        "有 150 列不是名册规定的列，不会被读取：" + "、".join(f"“{h}”" for h in EXTRA[:8]) + "等 150 列")
    assert unknown[1].message_en.startswith("150 columns are no roster columns: nothing reads them (`字段000`, ")
    assert "and 142 more)" in unknown[1].message_en
    result = _eval(str(export), "-o", str(tmp_path / "结论.csv"))
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "[R012]" in line]
    assert len(said) == 2  # not 151 lines
    assert said[1].endswith("等 150 列；结论文件中也不含这些列（如需带出某列，请加 --keep 列名）")


def test_strict_makes_them_one_error_and_keep_carries_one(export, tmp_path):
    out = tmp_path / "结论.csv"
    strict = _eval(str(export), "-o", str(out), "--strict")
    assert strict.exit_code == 3 and not out.exists()
    assert "等 150 列；结论文件中也不含这些列（如需带出某列，请加 --keep 列名）（--strict 下视为错误）" in strict.output
    kept = _eval(str(export), "-o", str(out), "--keep", "字段007")
    assert kept.exit_code == 0, kept.output
    assert "有 149 列不是名册规定的列" in kept.output and "“字段008”等 149 列" in kept.output
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].split(",").count("字段007") == 1
