"""A repeal is an act of the county's document: it cites the section that repeals, as every other
declaration cites its own (`repeal FJ-2 "由 JA-1 取代" cite 区文件 "第八条"`), and a repeal that
says neither why nor where is told so (L319). The citation is carried to where repeals are shown:
the policy's `repealed`, `policylang diff`'s list of differences, the editor's hover and outline
(`policylang doc`: tests/test_doc_repeals.py)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

import policylang
from policylang.analyses.diff import diff
from policylang.analyses.testing import default_record
from policylang.cli import cli
from policylang.core.diagnostics import PolicyError
from policylang.editing import Workspace
from policylang.frontend.format import format_text
from policylang.present.report import json_report, text_report

from tests.conftest import POLICIES

COUNTY = '''extends "fujian.pol"
policy "青溪县"
  as of 2025-09-01
source QX "青溪县教师交流轮岗实施办法"
source QB "青溪县补充通知"
repeal FJ-2 "由 QX-1 取代" cite QX "第三条"
repeal FJ-X1 "本县不设新教师豁免"
  cite QB "第八条"
repeal FJ-X3
rule QX-1 "同校任教满8年的教师须交流"
  cite QX "第三条"
  when tenure at least 8 years
  then must_rotate
'''


@pytest.fixture
def folder(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    return tmp_path


def load(folder, text: str = COUNTY):
    (folder / "qx.pol").write_text(text, encoding="utf-8")
    return policylang.load(folder / "qx.pol")


def test_a_repeal_cites_the_section_that_repeals_and_the_policy_keeps_it(folder):
    policy = load(folder)
    repealed = {r.id: r for r in policy.checked.repealed}
    assert [(c.source, c.section, c.title) for c in repealed["FJ-2"].repeal_cites] == \
        [("QX", "第三条", "青溪县教师交流轮岗实施办法")]
    assert [c.short() for c in repealed["FJ-X1"].repeal_cites] == ["QB 第八条"]
    assert repealed["FJ-X1"].reason == "本县不设新教师豁免" and repealed["FJ-X3"].repeal_cites == ()
    # the province's own citation of the clause is kept apart from the repeal's
    assert [c.source for c in repealed["FJ-2"].cites] == ["FJ"]
    # QB is cited by a repeal only: it is cited (no L305)
    assert "L305" not in {d.code for d in policy.checked.diagnostics}


def test_a_repeal_citing_an_unknown_source_is_r109(folder):
    with pytest.raises(PolicyError) as info:
        load(folder, COUNTY.replace('cite QB "第八条"', 'cite QZ "第八条"'))
    (d,) = info.value.errors
    assert d.code == "R109" and d.zh == "未知来源 `QZ`" and d.span.line == 8


def test_a_repeal_with_neither_reason_nor_citation_is_l319(folder):
    policy = load(folder)
    (d,) = [d for d in policy.checked.diagnostics if d.code == "L319"]
    assert d.span.line == 9 and not d.is_error
    assert d.zh == "废止 `FJ-X3` 既没有写明理由，也没有注明出处"
    assert d.help_zh.startswith('请写明为何废止、依据本地文件的哪一条：`repeal FJ-X3 "理由" cite QX "第X条"`')
    assert d.en == "the repeal of `FJ-X3` gives neither a reason nor a citation"
    # a reason alone, or a citation alone, says enough
    cited = load(folder, COUNTY.replace("repeal FJ-X3\n", 'repeal FJ-X3 cite QX "第九条"\n'))
    assert "L319" not in {d.code for d in cited.checked.diagnostics}
    empty = load(folder, COUNTY.replace("repeal FJ-X3\n", 'repeal FJ-X3 " "\n'))  # a blank reason is none
    assert "L319" in {d.code for d in empty.checked.diagnostics}


def test_a_base_s_repeal_without_reason_is_not_the_county_s_warning(folder):
    (folder / "mid.pol").write_text('extends "fujian.pol"\npolicy "市"\n  as of 2025-09-01\nrepeal FJ-X3\n', "utf-8")
    (folder / "county.pol").write_text('extends "mid.pol"\npolicy "县"\n  as of 2025-09-01\n', "utf-8")
    policy = policylang.load(folder / "county.pol")
    assert "L319" not in {d.code for d in policy.checked.diagnostics}
    assert "L319" in {d.code for d in policylang.load(folder / "mid.pol").checked.diagnostics}


def test_fmt_puts_a_repeal_s_citation_on_its_own_line():
    text = 'policy "县"\nrepeal FJ-2 "由 QX-1 取代" cite QX "第三条"\n'
    assert format_text(text) == 'policy "县"\nrepeal FJ-2 "由 QX-1 取代"\n  cite QX "第三条"\n'


def test_diff_lists_a_repealed_clause_with_its_citation_and_reason(folder):
    base, draft = policylang.load(folder / "fujian.pol"), load(folder)
    people = [default_record(draft.checked.teachers) | {
        "id": "T1", "sex": "F", "birth_date": dt.date(1980, 3, 1), "work_start": dt.date(2000, 9, 1),
        "school_start": dt.date(2018, 9, 1), "school_id": "A", "post": "teacher", "on_staff": True}]
    schools = {"A": default_record(draft.checked.schools) | {"school_id": "A", "area": "urban", "stage": "primary"}}
    report = diff(base.checked, draft.checked, people, schools, as_of=dt.date(2025, 9, 1))
    zh = text_report(report, "zh")
    assert ("  - 删除规则 FJ-2“在同一所学校任教满6年的教师，须列为交流对象”（废止依据：QX 第三条；理由：由 QX-1 取代）"
            in zh.splitlines())
    assert "  - 删除豁免 FJ-X1“新参加工作未满3年的教师不交流（假设）”（废止依据：QB 第八条；理由：本县不设新教师豁免）" in zh
    assert "FJ-X3“招聘合同中写明任教6年后须交流（建议）”（废止，未写明理由和依据）" in zh
    en = text_report(report, "en")
    assert "rule FJ-2 removed “在同一所学校任教满6年的教师，须列为交流对象” (repealed under QX 第三条: 由 QX-1 取代)" in en
    # a cause names the change alone: the reason is said once, in the list
    assert all("废止依据" not in line for line in zh.split("原因（人数）：")[1].splitlines())
    data = __import__("json").loads(json_report(report))
    (fj2,) = [d for d in data["differences"] if d["key"] == "rule:FJ-2"]
    assert fj2["zh"].endswith("（废止依据：QX 第三条；理由：由 QX-1 取代）") and "(repealed under QX 第三条" in fj2["en"]


def test_diff_on_the_command_line_says_the_citation(folder):
    load(folder)
    from tests.conftest import EXAMPLES

    result = CliRunner().invoke(cli, ["--lang", "zh", "diff", str(folder / "fujian.pol"), str(folder / "qx.pol"),
                                      str(EXAMPLES / "teachers.csv"), "--schools", str(EXAMPLES / "schools.csv")])
    assert result.exit_code == 0, result.output
    assert "（废止依据：QX 第三条；理由：由 QX-1 取代）" in result.output


def test_the_editor_shows_a_repeal_s_reason_and_citation(folder):
    path = folder / "qx.pol"
    path.write_text(COUNTY, encoding="utf-8")  # (on disk: the province's hover finds the files extending it)
    ws = Workspace(folder)
    ws.open(path, COUNTY)
    line = COUNTY.split("\n").index('repeal FJ-2 "由 QX-1 取代" cite QX "第三条"')
    from policylang.editing import Position

    h = ws.hover(path, Position(line, 8), "zh").markdown
    assert h.endswith(f"- 废止于 `qx.pol` 第 {line + 1} 行：由 QX-1 取代（依据 QX 第三条）")
    x1 = ws.hover(path, Position(line + 1, 8), "en").markdown  # the citation on a line of its own
    assert x1.endswith(f"- repealed in `qx.pol` line {line + 2}: 本县不设新教师豁免 (under QB 第八条)")
    # in the province's file, what the county files make of its clause
    base = (folder / "fujian.pol").read_text(encoding="utf-8").split("\n")
    fj2 = next(i for i, text in enumerate(base) if text.startswith("rule FJ-2"))
    assert ws.hover(folder / "fujian.pol", Position(fj2, 6), "zh").markdown.endswith(
        f"在扩展本文件的政策中：\n- 废止于 `qx.pol` 第 {line + 1} 行：由 QX-1 取代（依据 QX 第三条）")
    # the outline's detail of a repeal is its reason, never the section it cites
    cited_only = COUNTY.replace("repeal FJ-X3\n", 'repeal FJ-X3 cite QX "第九条"\n')
    ws.open(path, cited_only)
    details = {s.name: s.detail for s in ws.outline(path) if s.kind == "repeal"}
    assert details == {"FJ-2": "由 QX-1 取代", "FJ-X1": "本县不设新教师豁免", "FJ-X3": ""}
    x3 = cited_only.split("\n").index('repeal FJ-X3 cite QX "第九条"')
    assert ws.hover(path, Position(x3, 8), "zh").markdown.endswith(f"第 {x3 + 1} 行：依据 QX 第九条")
