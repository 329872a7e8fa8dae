"""What the drafter of trial dr27 met: a school's yes/no field negated read `非学校.改革试点`
(not-the-school's pilot) in explain and quota; it reads `学校非改革试点`, and either form copied
into a policy is told to write `not 学校.改革试点`."""

from __future__ import annotations

import datetime as dt

import policylang
from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source

PILOT = '''policy "试点"
  as of 2025-09-01
source S "来源"
rule P-1 "非改革试点学校满6年须交流"
  cite S "一"
  when CONDITION
  then must_rotate
'''
TEACHER = {"id": "T1", "sex": "女", "birth_date": "1978-05-01", "school_id": "S1", "school_start": "2015-09-01",
           "work_start": "2000-09-01", "post": "教师", "teaching": "是", "on_staff": "是", "title": "一级教师",
           "pregnant": "否"}


def test_a_negated_school_field_reads_as_the_school_being_not_so():
    policy = policylang.loads(PILOT.replace("CONDITION", "not school.pilot and tenure at least 6 years"))
    school = {"school_id": "S1", "area": "城区", "stage": "小学", "pilot": "是"}
    explained = policy.explain(TEACHER, school, as_of=dt.date(2025, 9, 1))
    (step,) = [s for s in explained.steps if s.id == "P-1"]
    assert [(c.text_zh, c.text, c.value) for c in step.conditions][0] == ("学校非改革试点", "not school.pilot", False)


def test_a_negation_copied_from_an_explanation_is_told_to_write_not():
    for written in ("学校非改革试点", "非学校.改革试点", "学校非pilot"):
        _, diagnostics, _ = compile_source(Source("c.pol", PILOT.replace("CONDITION", written)))
        (d,) = [d for d in diagnostics if d.severity == "error"]
        mended = "not 学校.pilot" if written.endswith("pilot") else "not 学校.改革试点"
        assert d.code == "R107" and d.zh == f"`{written}`：“非”（不是）在政策文件中写作 `not`，即 `{mended}`", d.zh
        assert [e.text for e in d.fixes[0].edits] == [mended]


def test_a_declaration_or_note_written_with_the_word_check_and_doc_use_is_told_the_keyword():
    """`注 "…"` and `名额要求 YC-7 …` were "`注` is not expected here", listing English keywords: the
    words are those check's summary and doc name the kinds by (名额要求, 晋升前提, 不能按名册判断的条款)."""
    clause = 'provision YC-1 "走校送课"\n  cite S "一"\n  note "不转人事关系"\n'
    for written, keyword in (('  注 "', "note"), ('  备注 "', "note"), ("不能按名册判断的条款 YC-1", "provision"),
                             ("名额要求 YC-1", "quota"), ("晋升前提 YC-1", "prerequisite")):
        original = '  note "' if keyword == "note" else "provision YC-1"
        text = PILOT.replace("CONDITION", "tenure at least 6 years") + clause.replace(original, written)
        _, diagnostics, _ = compile_source(Source("c.pol", text))
        word = written.strip().split()[0]
        assert [(d.code, d.zh) for d in diagnostics] == [("P001", f"policylang 不认识“{word}”；请写作 `{keyword}`")]
