"""A parameter a person's age is compared with is written in 周岁 wherever its value is shown
(`fields`, `verify`'s bounds, `diff`'s changes, the workbook's 说明, `doc`): an age cap of 55 read
“55年” to an official, as a tenure of 55 years would."""

from __future__ import annotations

from click.testing import CliRunner

from policylang.cli import cli
from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source

TEXT = '''policy "x"
source S "s"
parameter cap_f = 50 years "女"
parameter cap_m = 55 years "男"
parameter young = 40 years "青年"
parameter tenure_years = 6 years "年限"
define cap "上限" = if sex = F then cap_f else cap_m
rule R-1 "r" cite S "一"
  when age at most cap and tenure at least tenure_years
  then must_rotate
rule R-2 "r2" cite S "二"
  when young more than age
  then eligible
'''


def test_the_parameters_compared_with_an_age_are_found_through_definitions_and_either_side():
    policy, diagnostics, _ = compile_source(Source("x.pol", TEXT))
    assert policy is not None, diagnostics
    assert {n for n, p in policy.parameters.items() if p.age} == {"cap_f", "cap_m", "young"}


def test_fields_and_diff_write_an_age_in_zhousui_and_a_tenure_in_years(tmp_path):
    (tmp_path / "x.pol").write_text(TEXT, encoding="utf-8")
    out = CliRunner().invoke(cli, ["--lang", "zh", "fields", str(tmp_path / "x.pol")]).output
    assert "50周岁" in out and "55周岁" in out and "40周岁" in out and "6年" in out and "50年" not in out
    english = CliRunner().invoke(cli, ["--lang", "en", "fields", str(tmp_path / "x.pol")]).output
    assert "50 years" in english and "50周岁" not in english
