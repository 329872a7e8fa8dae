"""The drafter items of session 24: a repeal's `note`, two-letter source names' did-you-mean
(R109), a penalty test's failure said plainly, the doc's penalty period said once."""

from __future__ import annotations

import shutil

import pytest

import policylang
from policylang.editing import Position, Workspace
from policylang.frontend.format import format_text
from policylang.studio.sources import html_page

from tests.conftest import POLICIES

COUNTY = '''extends "fujian.pol"
policy "青溪县"
  as of 2025-09-01
source QX "青溪县教师交流轮岗实施办法"
repeal FJ-2 "由 QX-1 取代" cite QX "第三条"
  note "省文件按6年计，本县按8年"
  note "2026年起执行"
repeal FJ-X3
  note "招聘合同条款由人事科另行处理"
rule QX-1 "同校任教满8年的教师须交流"
  cite QX "第三条"
  when tenure at least 8 years
  then must_rotate
'''


@pytest.fixture
def folder(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "qx.pol").write_text(COUNTY, encoding="utf-8")
    return tmp_path


def test_a_repeal_takes_notes_as_any_clause_does(folder):
    policy = policylang.load(folder / "qx.pol")
    repealed = {r.id: r for r in policy.checked.repealed}
    assert repealed["FJ-2"].notes == ("省文件按6年计，本县按8年", "2026年起执行")
    assert repealed["FJ-2"].reason == "由 QX-1 取代" and [c.short() for c in repealed["FJ-2"].repeal_cites] == ["QX 第三条"]
    assert repealed["FJ-X3"].notes == ("招聘合同条款由人事科另行处理",)
    # a note is no reason nor citation: the bare repeal is still told to give one
    assert [d.span.line for d in policy.checked.diagnostics if d.code == "L319"] == [8]
    # fmt keeps the note on its own line, as a rule's
    assert format_text('policy "县"\nrepeal FJ-2 "理由" cite QX "第三条" note "注"\n') == \
        'policy "县"\nrepeal FJ-2 "理由"\n  cite QX "第三条"\n  note "注"\n'


def test_the_hover_and_the_doc_show_a_repeal_s_notes(folder):
    path = folder / "qx.pol"
    ws = Workspace(folder)
    ws.open(path, COUNTY)
    h = ws.hover(path, Position(4, 8), "zh").markdown
    assert h.endswith("- 废止于 `qx.pol` 第 5 行：由 QX-1 取代（依据 QX 第三条）（注：省文件按6年计，本县按8年；2026年起执行）")
    assert ws.hover(path, Position(7, 8), "en").markdown.endswith(
        "- repealed in `qx.pol` line 8: note: 招聘合同条款由人事科另行处理")
    checked = policylang.load(path).checked
    page = html_page(checked, str(path), {}, "zh")
    row = next(r for r in page.split("<tr>") if "<s>FJ-2</s>" in r and "repeal-cites" in r)
    assert "已废止（由 QX-1 取代）<span class='what'>注：省文件按6年计，本县按8年</span><span class='what'>注：2026年起执行</span>" in row


def _r109(folder, sources: str, cited: str):
    (folder / "c.pol").write_text(f'extends "fujian.pol"\npolicy "县"\n  as of 2025-09-01\n{sources}'
                                  f'rule QX-1 "同校满8年"\n  cite {cited} "第三条"\n  when tenure at least 8 years\n'
                                  f'  then must_rotate\n', encoding="utf-8")
    with pytest.raises(policylang.PolicyError) as info:
        policylang.load(folder / "c.pol")
    (d,) = [d for d in info.value.errors if d.code == "R109"]
    return d


def test_a_two_letter_source_one_slip_from_one_declared_is_suggested(folder):
    d = _r109(folder, 'source JA "晋安区办法"\n', "JB")  # one letter for another (FJ, the base's, is two away)
    assert d.help_zh == '是否应为 `JA`？如 `JB` 是另一份文件，请先声明：`source JB "…"`'
    assert d.help_en == 'did you mean `JA`? If `JB` is another document, declare it: `source JB "…"`'
    assert [e.text for f in d.fixes for e in f.edits] == ["JA"]  # the quick fix writes it
    assert _r109(folder, 'source QB "青溪县补充通知"\n', "BQ").help_zh.startswith("是否应为 `QB`？")  # two swapped


def test_no_suggestion_where_two_sources_are_one_slip_away_or_none_is(folder):
    said = '请先用 `source 编号 "标题"` 声明来源'
    assert _r109(folder, 'source JA "晋安区办法"\n', "AJ").help_zh == said  # JA swapped, or FJ's F for an A
    assert _r109(folder, 'source JA "甲"\nsource JB "乙"\n', "JC").help_zh == said  # either could be meant
    assert _r109(folder, 'source JA "晋安区办法"\n', "QX").help_zh == said  # two letters off: no slip
    # the base's XM is as near to XQ as the county's QX is: none is said
    assert _r109(folder, 'source QX "青溪县办法"\n', "XQ").help_zh == said


def _failed_until(tmp_path, old: str, new: str) -> list:
    from policylang.analyses.testing import run_tests

    text = (POLICIES / "county_draft.pol").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "county_draft.pol").write_text(text.replace(old, new, 1), encoding="utf-8")
    checked = policylang.load(tmp_path / "county_draft.pol").checked
    return [m for r in run_tests(checked) for m in r.mismatches]


def test_a_penalty_s_last_day_not_the_one_expected_is_said_plainly(tmp_path):
    from policylang.present.render import mismatch_text

    (m,) = _failed_until(tmp_path, "barred_from_awards until 2027-09-01\n  expect penalty CD-5a effect demoted_one_post",
                         "barred_from_awards until 2027-08-31\n  expect penalty CD-5a effect demoted_one_post")
    assert mismatch_text(m, "zh") == (
        "惩处 CD-5a 的“三年内不得参与评优评先”（barred_from_awards）：预期最后一天是 2027-08-31，实际最后一天是 "
        "2027-09-01（相差一天：期限自事件次日起算，期满之年的对应日是最后一天，当天仍在期内）")
    assert mismatch_text(m, "en").startswith(
        "penalty CD-5a, effect barred_from_awards (三年内不得参与评优评先): expected its last day to be 2027-08-31, "
        "but it ends on 2027-09-01 (one day apart:")


def test_a_penalty_s_last_day_with_an_effect_of_no_end_names_each_effect(tmp_path):
    from policylang.present.render import mismatch_text

    (m,) = _failed_until(tmp_path, "expect penalty CD-5a effect barred_from_awards until 2025-09-01",
                         "expect penalty CD-5a until 2025-09-01")
    assert mismatch_text(m, "zh") == (
        "惩处 CD-5a：预期最后一天是 2025-09-01，实际“聘任合同期满后高职低聘”（demoted_one_post）没有截止日期，"
        "“三年内不得参与评优评先”（barred_from_awards）最后一天是 2025-09-01"
        "（如只检验其中一项，请写 expect penalty CD-5a effect barred_from_awards until 2025-09-01）")
    assert mismatch_text(m, "en") == (
        "penalty CD-5a: expected its last day to be 2025-09-01, but demoted_one_post (聘任合同期满后高职低聘) has no end "
        "date and barred_from_awards (三年内不得参与评优评先) ends on 2025-09-01 (to test that one alone, write "
        "`expect penalty CD-5a effect barred_from_awards until 2025-09-01`)")
    assert "(none)" not in mismatch_text(m, "zh")


def test_doc_says_a_penalty_s_period_once():
    from policylang.lang.numerals import periods_worded

    checked = policylang.load(POLICIES / "county_draft.pol").checked
    page = html_page(checked, str(POLICIES / "county_draft.pol"), {}, "zh")
    # a label that says its period (三年内) has no `3年` after it; one that does not keeps it
    assert "→ 聘任合同期满后高职低聘；三年内不得参与评优评先</span>" in page
    assert "三年内不得参与评优评先，3年" not in page
    assert "；不得参与各种评优评模活动，2年</span>" in page
    assert "barred_from_awards, 3 years" in html_page(checked, str(POLICIES / "county_draft.pol"), {}, "en")
    assert periods_worded("三年内不得参与评优评先") == [(3.0, "years")]
    assert periods_worded("6个月内不得调动；2024年起") == [(6.0, "months"), (2024.0, "years")]


def test_a_label_saying_another_period_than_the_effect_keeps_both(tmp_path):
    (tmp_path / "p.pol").write_text('''policy "县"
  as of 2025-09-01
source QX "办法"
penalty QX-5 "拒绝交流者五年内不得评优"
  cite QX "第五条"
  after refused_exchange
  effect no_awards "三年内不得评优" for 5 years
''', encoding="utf-8")
    checked = policylang.load(tmp_path / "p.pol").checked
    assert "→ 三年内不得评优，5年</span>" in html_page(checked, str(tmp_path / "p.pol"), {}, "zh")


def _syntax_errors(text: str) -> list[tuple[int, str]]:
    from policylang.core.source import Source
    from policylang.frontend.parser import parse

    tree, diagnostics = parse(Source("p.pol", text))
    assert tree is None
    return [(d.span.line, d.en) for d in diagnostics]


def test_independent_syntax_errors_within_one_declaration_are_each_reported():
    text = ('policy "县"\nsource QX "办法"\n'
            'rule QX-1 "同校满8年"\n'
            '  cite QX "第三条" "多余"\n'            # 4: a second text
            '  when tenure at least 8 years\n'
            '  then must_rotate\n'
            '  direction within within\n'         # 7: a word too many
            '  note "x"\n')
    assert _syntax_errors(text) == [(4, 'unexpected `"多余"`'), (7, "unexpected `within`")]


def test_a_clause_left_unfinished_gives_one_error_not_one_per_clause_after_it():
    text = ('policy "县"\nsource QX "办法"\n'
            'rule QX-2 "满9年"\n'
            '  cite QX "第四条"\n'
            '  when (tenure at least 9 years\n'  # 5: the parenthesis never closed
            '  then must_rotate\n'                # 6: where the parser finds it out
            '  direction within_cluster\n'
            '  note "y"\n'
            'penalty QX-5 "拒绝交流者三年内不得评优"\n'
            '  after refused_exchange\n'
            '  effect no_awards "三年内不得评优"\n'
            '      for 3 yeers\n'                 # 12: a continuation line, not a clause of its own
            '  note "n"\n')
    assert _syntax_errors(text) == [(6, "unexpected `then`"), (12, "unexpected `yeers`")]


def test_an_error_in_a_declaration_s_head_is_its_only_one():
    # the title unquoted: what follows cannot be read without the head, so nothing more is said of it
    text = 'policy "县"\nsource QX "办法"\nrule QX-1 同校满8年\n  cite QX "第三条" "多余"\n  then must_rotate\n'
    assert [line for line, _ in _syntax_errors(text)] == [3]


@pytest.mark.parametrize("written, to", [("不是", "!="), ("不等于", "!="), ("属于", "in"), ("不属于", "not in"),
                                         ("已填写", "is set"), ("为空", "is empty")])
def test_a_condition_in_the_words_doc_and_explain_show_it_in_is_told_what_to_write(written, to):
    """The drafter's trial: doc shows `职称 属于 {一级教师、…}` and `骨干级别 ≠ 无`; a drafter copying
    it, or writing 不是 as the document says it, was told only which tokens were expected."""
    from policylang.core.source import Source
    from policylang.frontend.parser import parse

    rhs = "" if to.startswith("is") else " {一级教师, 高级教师}" if "in" in to else " 无"
    line = f"  when 骨干级别 {written}{rhs}\n"
    text = 'policy "区"\nrule 方案-3a "骨干教师"\n' + line + "  then 可交流\n"
    _, (d,) = parse(Source("p.pol", text))
    assert d.code == "P001" and d.zh == f"policylang 不认识“{written}”；请写作 `{to}`"
    assert (d.span.line, d.span.column) == (3, line.index(written) + 1)
    fixed = text.replace(f" {written}", f" {to}", 1)
    assert [e.text for f in d.fixes for e in f.edits] == [to]
    assert parse(Source("p.pol", fixed))[1] == []


def _record_error(tmp_path, entry: str):
    (tmp_path / "q.pol").write_text(
        'policy "区"\n  as of 2026-09-01\nsource 方案 "方案"\n'
        f'test "教师"\n  teacher {{ 性别: 女, 出生日期: 1985-03-15, 参加工作时间: 2008-09-01, 到校时间: 2015-09-01, {entry} }}\n'
        '  school { 区域: 城区, 学段: 小学 }\n  expect status 不在交流范围\n', encoding="utf-8")
    with pytest.raises(policylang.PolicyError) as info:
        policylang.load(tmp_path / "q.pol")
    (d,) = info.value.errors
    return d


def test_a_test_giving_years_counted_from_a_date_is_told_to_give_the_date(tmp_path):
    """The drafter's trial: `本校任教年限: 7年` in a test was answered “did you mean
    薄弱学校任教年限?”, a wrong field; `教龄: 10年` with nothing."""
    d = _record_error(tmp_path, "本校任教年限: 7年")
    assert d.code == "T207" and d.zh == "教师记录没有字段 `本校任教年限`"
    assert d.help_zh == ("`本校任教年限` 不是名册的列，而是按 `到校时间` 算到参考日期的已满整年数：请写 `到校时间`"
                         "（参考日期为 2026-09-01 时，`到校时间: 2019-09-01` 或更早即满7年）")
    assert "薄弱" not in d.help_zh and d.fixes == ()
    assert "`参加工作时间: 2016-09-01` 或更早即满10年" in _record_error(tmp_path, "教龄: 10年").help_zh
    en = _record_error(tmp_path, "tenure: 3 years")
    assert en.help_en == ("`tenure` is counted from `school_start` (whole years completed at the reference date), "
                          "not given: write `school_start` (`school_start: 2023-09-01` or earlier is 3 years on 2026-09-01)")
    # a key that is no definition keeps its did-you-mean
    assert _record_error(tmp_path, "职务: 教师").code == "T207"


def test_a_test_without_its_school_names_the_clauses_reading_it_in_plain_chinese(tmp_path):
    from policylang.analyses.testing import run_tests

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "q.pol").write_text(
        'extends "fujian.pol"\npolicy "区"\n  as of 2025-09-01\n'
        'rule Q-1 "初中教师可交流"\n  when 学校.学段 = 初中\n  then 可交流\n'  # (a fourth clause reading it)
        'test "高中教师"\n  teacher { 性别: 女, 出生日期: 1985-03-15, 参加工作时间: 2008-09-01, 到校时间: 2015-09-01 }\n'
        '  expect status 不在交流范围\n', encoding="utf-8")
    (result,) = run_tests(policylang.load(tmp_path / "q.pol").checked)
    assert result.error_text("zh").startswith("测试的学校缺少学段（FJ-3b、FJ-3、FJ-2 等读取该项）：")


def test_a_citation_shortened_as_san_er_is_placed_at_its_paragraph():
    """The drafter's trial: `cite 方案 "三（二）"` for the text's 三、…/(二)… was listed as placed
    nowhere; only `三、（二）` was found."""
    from policylang.studio import sources as SRC

    text = ("三、交流轮岗范围与对象\n(一)交流轮岗范围\n我校与区内兄弟学校之间开展教师交流轮岗工作。\n"
            "(二)交流轮岗对象\n骨干教师：具有中级及以上职称的教师。\n四、交流轮岗方式与期限\n(二)交流轮岗期限\n")
    clauses = [SRC.Clause("方案-3a", "rule", "骨干教师", section, None) for section in ("三（二）", "三、（二）", "四(二)")]
    paras = SRC.paragraphs(text, clauses)
    placed = {c.section: p.text for p in paras for c in p.clauses}
    assert placed == {"三（二）": "(二)交流轮岗对象", "三、（二）": "(二)交流轮岗对象", "四(二)": "(二)交流轮岗期限"}
    assert SRC.unplaced(paras, clauses) == []


@pytest.mark.parametrize("written, mended", [("方案3.2a", "方案-3.2a"), ("三(二)1", "三-二-1"), ("QX3.1", "QX-3.1")])
def test_an_id_written_as_a_document_numbers_its_section_is_told_how_ids_are_written(written, mended):
    from policylang.core.source import Source
    from policylang.frontend.parser import parse

    text = f'policy "区"\nsource 方案 "方案"\nrule {written} "骨干教师"\n  cite 方案 "三、（二）"\n  then 可交流\n'
    _, (d,) = parse(Source("p.pol", text))
    assert d.code == "P001" and d.zh.startswith(f"`{written}` 不是有效的编号：") and d.zh.endswith(f"可写作 `{mended}`")
    assert (d.span.line, d.span.column, d.span.end_column) == (3, 6, 6 + len(written))
    (fix,) = d.fixes
    assert [e.text for e in fix.edits] == [mended]
    assert parse(Source("p.pol", text.replace(written, mended)))[1] == []


def test_a_phrase_quoted_with_straight_quotes_inside_a_text_is_told_to_use_chinese_quotes():
    """The drafter's trial: `note "……；"教学业绩突出"读作……"` was answered with a list of keywords."""
    from policylang.core.source import Source
    from policylang.frontend.parser import parse

    note = '"ASSUMPTION：中级职称即一级教师；"教学业绩突出"读作名册中有骨干级别"'
    text = f'policy "区"\nsource 方案 "方案"\nrule 方案-3a "骨干教师"\n  cite 方案 "三、（二）"\n  then 可交流\n  note {note}\n'
    _, (d,) = parse(Source("p.pol", text))
    assert d.zh == "文字中又用了半角引号 `\"`，文字在“教学业绩突出”之前就结束了：文字中引用的词语请用中文引号“…”"
    assert (d.span.line, d.span.column, d.span.end_column) == (6, 8, 8 + len(note))
    (fix,) = d.fixes
    (edit,) = fix.edits
    assert edit.text == '"ASSUMPTION：中级职称即一级教师；“教学业绩突出”读作名册中有骨干级别"'
    assert parse(Source("p.pol", text.replace(note, edit.text)))[1] == []
