"""The county file of dr24's trial (tests/cases/trial/tongchuan.pol: a school-cluster rotation
plan of 2025, seed 003, on the provincial file: three groups who may apply, a benefit for
those who did well, two provisions), as mended: it checks without a warning and its tests
pass; and what the drafter first wrote, each told what to write, in Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.trials import beside, first_mistake_told, run

MENDED = (ROOT / "tests" / "cases" / "trial" / "tongchuan.pol").read_text(encoding="utf-8")

# (as mended, as first written, what check said of it)
FIRST = [("骨干级别 != 无", "骨干级别 不是 无", "policylang 不认识“不是”；请写作 `!=`"),
         ("职称 in {", "职称 属于 {", "policylang 不认识“属于”；请写作 `in`"),
         ("teacher 教师甲 with { 到校时间: 2018-09-01 }", "teacher 教师甲 with { 本校任教年限: 7年 }",
          "`本校任教年限` 不是名册的列，而是按 `到校时间` 算到参考日期的已满整年数"),
         ("教龄 at least 普通教师教龄", "教龄 5年以上", "“5年以上”请写作 `at least 5年`"),
         ("then 可交流", "then 可申报交流", "是否应为 `可交流`？")]


@pytest.fixture
def folder(tmp_path):
    return beside(tmp_path, "fujian.pol")


@pytest.mark.parametrize("mended, written, said", FIRST, ids=[f[1] for f in FIRST])
def test_each_first_mistake_is_told_what_to_write(folder, mended, written, said):
    first_mistake_told(folder / "tongchuan.pol", MENDED, mended, written, said)


def test_the_mended_file_checks_and_its_tests_pass(folder):
    path = folder / "tongchuan.pol"
    path.write_text(MENDED, encoding="utf-8")
    checked = run("check", "--strict", path)
    assert checked.exit_code == 0 and "警告" not in checked.output, checked.output
    tested = run("test", path)
    assert tested.exit_code == 0 and "通过 6 项，未通过 0 项" in tested.output, tested.output
    assert run("fmt", "--check", path).exit_code == 0
