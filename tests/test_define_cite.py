"""A definition may cite the clause that says whom a policy covers (drafter trial dr25: seed 004's
district plan says 三、对象和范围：区属各中小学、幼儿园在编教师, which is a `define` every rule reads;
`cite` under it was `此处不应出现 cite`, and `policylang doc` marked 三、 未被引用 however the
county wrote it)."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from policylang.cli import cli
from policylang.core.source import Source
from policylang.frontend.format import format_text
from policylang.frontend.pipeline import compile_source, read_source

from .conftest import POLICIES

COUNTY = '''extends "national.pol"
policy "某区城乡教师交流"
  effective 2022-09-01
source 方案 "城乡教师交流工作实施方案"
define 区属在编教师 "区属各中小学在编教师" = 在编在岗 and 岗位 = 教师
  cite 方案 "三、"
rule 四-一a "城区学校教师到农村学校任教"
  cite 方案 "四、（一）"
  when 区属在编教师 and 城区或县城学校
  then 可交流
'''

SOURCE = "三、对象和范围\n区属各中小学在编教师。\n四、具体措施\n（一）城乡学校一对一教师交流。\n"


def test_a_definition_cites_its_clause_and_the_doc_page_puts_it_there(tmp_path):
    shutil.copy(POLICIES / "national.pol", tmp_path / "national.pol")
    (tmp_path / "c.pol").write_text(COUNTY, encoding="utf-8")
    policy, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"), root=tmp_path)
    assert policy is not None and not [d for d in diagnostics if d.is_error], diagnostics
    scope = policy.definitions["区属在编教师"]
    assert [(c.source, c.section) for c in scope.cites] == [("方案", "三、")]
    (tmp_path / "原文.txt").write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(cli, ["doc", str(tmp_path / "c.pol"), "--source", f"方案={tmp_path / '原文.txt'}",
                                      "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    heading = page.split("三、对象和范围")[1].split("</div></div>")[0]  # the heading's paragraph
    assert "<b>区属在编教师</b> <span class='kind'>定义</span>" in heading
    assert "在编在岗 且 岗位 = 教师" in heading  # what it says, beside the clause it encodes
    assert "未被引用" not in heading


def test_a_definition_citing_an_unknown_source_is_r109_and_a_cited_source_is_not_l305():
    text = 'policy "x"\nsource S "s"\ndefine 在编 "在编" = on_staff\n  cite T "一"\n'
    _, diagnostics, _ = compile_source(Source("x.pol", text))
    assert [d.code for d in diagnostics if d.is_error] == ["R109"]
    text = 'policy "x"\nsource S "s"\ndefine 在编 "在编" = on_staff\n  cite S "一"\n'
    _, diagnostics, _ = compile_source(Source("x.pol", text))
    assert "L305" not in [d.code for d in diagnostics]


def test_fmt_keeps_a_definitions_cite_on_its_own_line():
    text = 'policy "x"\nsource S "s"\ndefine 在编 "在编" = on_staff cite S "一"\n'
    assert format_text(text).endswith('define 在编 "在编" = on_staff\n  cite S "一"\n')
