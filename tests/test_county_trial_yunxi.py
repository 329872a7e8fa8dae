"""A county file as the drafter of trial dr26 wrote it (tests/cases/trial/yunxi.pol: seed 001's county
draft, 篇四, redrafted on fujian.pol: the province's FJ-2 overridden with an age cap and "no support
teaching in three years", four exemptions of 三、4, FJ-4 overridden with a number of years, a
prerequisite and a penalty of its own). First as written, each slip told what to write; then as
mended: it checks without a warning, its tests pass and cover every declaration, and `diff`
against the province says its changes, the sensitive exemptions in one line."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.trials import beside, first_mistake_told, run

MENDED = (ROOT / "tests" / "cases" / "trial" / "yunxi.pol").read_text(encoding="utf-8")

# what the drafter first wrote (a condition copied from `explain`, a period in days), and what check said
FIRST = [("and not 近三年支教", "and 非近三年支教", "“非”（不是）在政策文件中写作 `not`，即 `not 近三年支教`"),
         ("年龄 at most 年龄上限", "年龄 ≤ 年龄上限", "policylang 不认识“≤”；请写作 `<=`"),
         ("if 性别 = 女 then", "如果 性别 = 女 then", "policylang 不认识“如果”；请写作 `if`"),
         ("principal_tenure = 6 years", "principal_tenure = 2190 天",
          "请以年为单位：`override parameter principal_tenure = 6 年`"),
         # a promotion expected in the words a failed test says it in
         ("expect promotion first unmet YX-补-1", "expect promotion 一级 未满足 YX-补-1",
          "policylang 不认识“未满足”；请写作 `unmet`"),
         ("expect promotion first ok", "expect promotion 一级教师 已满足", "policylang 不认识“已满足”；请写作 `ok`"),
         ('cite YX "三、4（一）"', "cite YX 三、4（一）", '引用的条款要加引号：请写作 `"三、4（一）"`')]


@pytest.fixture
def folder(tmp_path):
    return beside(tmp_path, "fujian.pol")


@pytest.mark.parametrize("mended, written, said", FIRST, ids=[f[1] for f in FIRST])
def test_each_first_mistake_is_told_what_to_write(folder, mended, written, said):
    first_mistake_told(folder / "yunxi.pol", MENDED, mended, written, said)


def test_the_mended_file_checks_tests_and_compares_with_the_province(folder):
    path = folder / "yunxi.pol"
    path.write_text(MENDED, encoding="utf-8")
    checked = run("check", "--strict", path)
    assert checked.exit_code == 0 and "警告" not in checked.output, checked.output
    tested = run("test", path, "--coverage", "--min-coverage", "100")
    assert tested.exit_code == 0 and "通过 14 项，未通过 0 项" in tested.output, tested.output
    compared = run("diff", folder / "fujian.pol", path, EXAMPLES / "teachers.csv", "--schools", EXAMPLES / "schools.csv")
    assert compared.exit_code == 0, compared.output
    out = compared.output
    assert "修改规则 FJ-2“在同一所学校任教满6年、近三年无支教经历、男50周岁女45周岁以下的在编在岗教师，须交流”" in out
    assert "新增晋升前提 YX-补-1" in out and "新增参数 女教师年龄上限“女45周岁以下（含45周岁）” = 45周岁" in out
    causes = out[out.index("原因（人数）："):out.index("按学校：")]
    protected = [line for line in causes.splitlines() if "受保护事由的豁免条款" in line]
    assert len(protected) == len(set(protected)), causes  # each said once (trial dr26)
    assert "YX-三-3" not in causes and "YX-三-4" not in causes and "YX-三-5" not in causes
