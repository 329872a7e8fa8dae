"""`policylang doc` says what a county file repeals of its province's: the repealed clause,
struck through beside the paragraph it encoded, with the repeal's reason, and a table of every
repeal (the page showed the county's own clauses only, as if the province's were still in force)."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from policylang.cli import cli

from .conftest import POLICIES

COUNTY = '''extends "fujian.pol"
policy "青溪区"
source QX "青溪区办法"
repeal FJ-2 "本区改按第三条执行"
rule QX-1 "同校任教满8年的教师须交流"
  cite QX "第三条"
  when tenure at least 8 years
  then must_rotate
'''


def _page(tmp_path, *args):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "c.pol").write_text(COUNTY, encoding="utf-8")
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(cli, ["doc", str(tmp_path / "c.pol"), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_a_repealed_clause_is_struck_through_beside_the_paragraph_it_encoded(tmp_path):
    (tmp_path / "fj.txt").write_text("“硬杠杠”：同校任教达到6年的，须交流。\n其他段落。\n", encoding="utf-8")
    page = _page(tmp_path, "--source", f"FJ={tmp_path / 'fj.txt'}", "--lang", "zh")
    beside = page.split("“硬杠杠”：同校任教达到6年的，须交流。")[1].split("</div></div>")[0]
    assert "<div class='clause repealed'><b><s>FJ-2</s></b>" in beside
    assert "已废止（本区改按第三条执行）" in beside
    assert "class='para cited'><div class='text'>“硬杠杠”：同校任教达到6年" in page


def test_the_page_lists_every_repeal_with_the_file_that_declared_it(tmp_path):
    page = _page(tmp_path, "--lang", "zh")
    table = page.split("<h2 id='repealed'>废止的条款</h2>")[1].split("</table>")[0]
    assert "本政策废止了所继承文件的 1 条条款" in table
    assert "<td class='id'><s>FJ-2</s></td><td class='kind id'>规则</td>" in table
    assert "<td>fujian.pol</td>" in table and "已废止（本区改按第三条执行）" in table
    english = _page(tmp_path, "--lang", "en")
    assert "<h2 id='repealed'>Repealed clauses</h2>" in english and "repealed (本区改按第三条执行)" in english


def test_a_policy_repealing_nothing_has_no_repeal_table(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    out = tmp_path / "doc.html"
    assert CliRunner().invoke(cli, ["doc", str(tmp_path / "fujian.pol"), "-o", str(out)]).exit_code == 0
    assert "id='repealed'" not in out.read_text(encoding="utf-8")


def test_a_clause_citing_a_source_at_no_paragraph_of_its_text_is_listed_not_left_out(tmp_path):
    """With the source's text given, the page showed only the clauses it could place beside a
    paragraph: a clause citing no section, or one the text lacks, was missing, and the page
    said no clause cited the source."""
    import re

    (tmp_path / "A.txt").write_text("第一条 教师交流。\n\n第二条 校长交流。\n", encoding="utf-8")
    (tmp_path / "a.pol").write_text('policy "省"\n  as of 2025-09-01\nsource A "省文件"\n'
                                    'rule A-1 "满6年须交流" cite A "第一条" when tenure at least 6 years then must_rotate\n'
                                    'rule A-2 "其他可交流" cite A "第九条" when post = teacher then eligible\n'
                                    'exemption A-X1 "孕期" as pregnancy cite A to all rules when pregnant\n',
                                    encoding="utf-8")
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(cli, ["doc", str(tmp_path / "a.pol"), "--source", f"A={tmp_path / 'A.txt'}",
                                      "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    unplaced = page.split("未对应到原文段落的条款", 1)[1]
    listed = re.findall(r"<b>([A-Z]-[A-Z0-9]+)</b>", unplaced)
    assert listed == ["A-2", "A-X1"]  # A-1 is beside 第一条
    assert "A-1" in page.split("未对应到原文段落的条款", 1)[0]


CITED = COUNTY.replace('repeal FJ-2 "本区改按第三条执行"\n', 'repeal FJ-2 "本区改按第三条执行"\n  cite QX "第八条"\n')


def test_a_repeal_s_citation_is_shown_beside_both_paragraphs_and_in_the_table(tmp_path):
    """`repeal FJ-2 "…" cite QX "第八条"`: the county's 第八条, which repeals, is encoded (by the
    repeal), and the province's paragraph and the table of repeals say under which section."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "c.pol").write_text(CITED, encoding="utf-8")
    (tmp_path / "fj.txt").write_text("“硬杠杠”：同校任教达到6年的，须交流。\n", encoding="utf-8")
    (tmp_path / "qx.txt").write_text("第三条 同校任教满8年的教师须交流。\n\n第八条 省级文件同校满6年须交流的规定，本区不再执行。\n",
                                     encoding="utf-8")
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(cli, ["doc", str(tmp_path / "c.pol"), "-o", str(out), "--lang", "zh",
                                      "--source", f"FJ={tmp_path / 'fj.txt'}", "--source", f"QX={tmp_path / 'qx.txt'}"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    beside_fj = page.split("“硬杠杠”：同校任教达到6年的，须交流。")[1].split("</div></div>")[0]
    assert "已废止（本区改按第三条执行；依据 QX 第八条）" in beside_fj
    beside_qx = page.split("第八条 省级文件同校满6年须交流的规定，本区不再执行。")[1].split("</div></div>")[0]
    assert "<div class='clause repealed'><span class='kind'>废止</span> <b><s>FJ-2</s></b>" in beside_qx
    assert "<span class='section'>第八条</span> <span class='repeal'>（本区改按第三条执行）</span>" in beside_qx
    assert "2 段，其中 0 段未被任何条款引用" in page  # 第八条 is cited, by the repeal
    table = page.split("<h2 id='repealed'>废止的条款</h2>")[1].split("</table>")[0]
    assert "<th>废止依据</th>" in table and "<td class='repeal-cites'>QX 第八条</td>" in table
    # a repeal citing nothing: said so in the table
    assert "<td class='repeal-cites'>未注明</td>" in _page(tmp_path, "--lang", "zh")
