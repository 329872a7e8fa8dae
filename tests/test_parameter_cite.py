"""A parameter may cite the clause that sets its number: a county whose whole change is an age
cap (`override parameter age_cap_female = 48 years`) could not say where 48 comes from, and
`policylang doc` marked that clause 未被引用."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from policylang.cli import cli
from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source, read_source

from .conftest import POLICIES

COUNTY = '''extends "fujian_pilot_district.pol"
policy "青溪区"
source QX "青溪区办法"
override parameter age_cap_female = 48 years "女48周岁以下（含48）"
  cite QX "第三条"
'''


def test_an_overridden_parameter_cites_its_clause_and_the_doc_page_shows_it(tmp_path):
    for name in ("fujian.pol", "fujian_pilot_district.pol"):
        shutil.copy(POLICIES / name, tmp_path / name)
    (tmp_path / "c.pol").write_text(COUNTY, encoding="utf-8")
    policy, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"), root=tmp_path)
    assert policy is not None, diagnostics
    cap = policy.parameters["age_cap_female"]
    assert [(c.source, c.section) for c in cap.cites] == [("QX", "第三条")]
    assert not [d for d in diagnostics if d.code == "L305"]  # the source is cited: by the parameter
    (tmp_path / "原文.txt").write_text("第三条 女48周岁以下，同校满6年的教师须交流。\n第四条 其他。\n", encoding="utf-8")
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(cli, ["doc", str(tmp_path / "c.pol"), "--source", f"QX={tmp_path / '原文.txt'}",
                                      "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    cited = page.split("第三条 女48周岁以下")[1].split("</div></div>")[0]
    assert "<b>age_cap_female</b> <span class='kind'>参数</span>" in cited


def test_a_parameter_citing_an_unknown_source_is_r109():
    text = 'policy "x"\nsource S "s"\nparameter cap = 50 years "上限"\n  cite T "一"\n'
    _, diagnostics, _ = compile_source(Source("x.pol", text))
    assert [d.code for d in diagnostics if d.is_error] == ["R109"]
