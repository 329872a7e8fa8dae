"""Messages that say how to fix (issue 14, item 4), each as a drafter sees it in English and
Chinese (the snapshots, each read and judged), and what each pins down: the code, where the
caret is, and the fix an editor can offer."""

from __future__ import annotations

import datetime as dt

import pytest

from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source
from policylang.present.render import diagnostics_text

HEAD = 'policy "消息"\n  as of 2025-09-01\nsource S "来源"\n'

CASES = {
    # full-width punctuation typed on a Chinese keyboard: each one, with the ASCII to write
    "full_width.pol": HEAD + 'rule R-1 "满6年"\n  cite S\n  when（tenure >＝ 6 years）\n  then must_rotate\n'
                             'define 城区学校 = school.area in {urban，town}\n',
    # a text not closed on its line
    "unclosed.pol": HEAD + 'rule R-1 "满6年\n  cite S\n  when tenure at least 6 years\n  then must_rotate\n',
    # a text opened with “ and closed with "
    "mismatched.pol": HEAD + 'rule R-1 “满6年"\n  cite S\n  when tenure at least 6 years\n  then must_rotate\n',
    # a comparison without its right-hand side: reported where it is missing
    "incomplete.pol": HEAD + 'rule R-1 "满6年"\n  cite S\n  when tenure at least\n  then must_rotate\n',
    # the same, with another declaration after it (a blank line between)
    "incomplete_before_next.pol": HEAD + 'rule R-1 "满6年"\n  cite S\n  when tenure at least\n\n'
                                         'rule R-2 "满3年"\n  cite S\n  when tenure at least 3 years\n  then eligible\n',
    # 以下 written as an operator
    "chinese_comparison.pol": HEAD + 'parameter age_cap = 50 years\n'
                                     'rule R-1 "50周岁以下"\n  cite S\n  when 年龄 以下 age_cap\n  then must_rotate\n',
    # an outcome written in Chinese that is not one
    "outcome.pol": HEAD + 'rule R-1 "满6年"\n  cite S\n  when tenure at least 6 years\n  then 可以交流\n',
    # a status no rule concludes (免于交流 is exempt: an exemption's)
    "outcome_status.pol": HEAD + 'rule R-1 "孕期"\n  cite S\n  when pregnant\n  then 免于交流\n',
    # a number in months compared with years
    "unit.pol": HEAD + 'rule R-1 "满5年"\n  cite S\n  when age at least 5 months\n  then must_rotate\n',
    # a parameter stated in months, used with years: reported at the parameter
    "parameter_unit.pol": HEAD + 'parameter age_cap = 600 months\ndefine young = age at most age_cap\n'
                                 'rule R-1 "年轻"\n  cite S\n  when young\n  then must_rotate\n',
    # the same parameter reached through definitions (an alias, and an `if` choosing by sex)
    "parameter_unit_via_definition.pol": HEAD + 'parameter cap_f = 480 months\nparameter cap_m = 540 months\n'
                                                'define cap = if sex = F then cap_f else cap_m\ndefine limit = cap\n'
                                                'rule R-1 "年轻"\n  cite S\n  when age at most limit\n  then must_rotate\n',
    # an `if` choosing between a parameter with no unit and one in years: at the one without
    "parameter_unit_in_if.pol": HEAD + 'parameter cap_m = 55 years\nparameter cap_f = 50\n'
                                       'define cap = if sex = F then cap_f else cap_m\n'
                                       'rule R-1 "年轻"\n  cite S\n  when age at most cap\n  then must_rotate\n',
    # one exemption added to a chain: one precedence line
    "precedence_chain.pol": HEAD + 'rule R-1 "满6年"\n  cite S\n  when tenure at least 6 years\n  then must_rotate\n'
                                   + "".join(f'exemption E-{i} "豁免{i}" as {code}\n  cite S\n  to R-1\n  when {field}\n'
                                             for i, (code, field) in enumerate(
                                                 [("pregnancy", "pregnant"), ("nursing", "nursing"),
                                                  ("illness", "serious_illness")], 1))
                                   + 'precedence E-1 > E-2 > E-3\n'
                                   'exemption E-4 "临近退休" as near_retirement\n  cite S\n  to R-1\n'
                                   '  when age at least 58 years\n',
    # types named in the drafter's language
    "types.pol": HEAD + 'rule R-1 "类型"\n  cite S\n  when tenure\n  then must_rotate\n'
                        'define d = birth_date + work_start\n',
    # a duration that names no parameter, and one whose parameter is a percentage
    "durations.pol": HEAD + 'field teacher.refused_on: date\nparameter share = 10%\n'
                            'penalty PEN-1 "拒不交流"\n  cite S\n  after refused_on\n'
                            '  effect no_promotion for refusal_years\n  effect no_excellent for share\n',
    # a test that expects an effect the consequence does not have
    "test_effect.pol": HEAD + 'field teacher.refused_on: date\n'
                              'penalty PEN-1 "拒不交流"\n  cite S\n  after refused_on\n  effect no_promotion for 3 years\n'
                              'test "拒绝"\n  teacher { sex: F, birth_date: 1980-01-01, work_start: 2000-09-01, '
                              'school_start: 2015-09-01, refused_on: 2024-09-01 }\n'
                              '  expect penalty PEN-1 effect no_promotoin until 2027-09-01\n',
}

# What each case pins: (code, line, column) of every diagnostic, in the order shown.
EXPECTED = {
    "full_width.pol": [("P001", 6, 7), ("P001", 6, 16), ("P001", 6, 25), ("P001", 8, 36)],
    "unclosed.pol": [("P001", 4, 10)],
    "mismatched.pol": [("P001", 4, 10)],
    "incomplete.pol": [("P001", 6, 23)],
    "incomplete_before_next.pol": [("P001", 6, 23)],
    "chinese_comparison.pol": [("P001", 7, 11)],
    "outcome.pol": [("T208", 7, 3)],
    "outcome_status.pol": [("T208", 7, 3)],
    "unit.pol": [("T202", 6, 8)],
    "parameter_unit.pol": [("T202", 4, 1)],
    "parameter_unit_via_definition.pol": [("T202", 4, 1), ("T202", 5, 1)],
    "parameter_unit_in_if.pol": [("T202", 5, 1)],
    "precedence_chain.pol": [("T210", 21, 1)],
    "types.pol": [("T203", 6, 8), ("T201", 8, 12)],
    "durations.pol": [("R107", 9, 27), ("T202", 10, 3)],
    "test_effect.pol": [("T209", 11, 10)],
}


def _compiled(name: str):
    source = Source(name, CASES[name])
    policy, diagnostics, texts = compile_source(source)
    return policy, sorted(diagnostics, key=lambda d: (d.span.line, d.span.column)), texts


def test_every_case_has_expectations():
    assert set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_where_each_message_points(name):
    policy, diagnostics, _ = _compiled(name)
    assert policy is None
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_message_in_both_languages(name, snapshot):
    _, diagnostics, texts = _compiled(name)
    assert diagnostics_text(diagnostics, texts, "en") == snapshot(name="en")
    assert diagnostics_text(diagnostics, texts, "zh") == snapshot(name="zh")


def _edits(diagnostic) -> list[tuple[int, int, int, int, str]]:
    return [(e.span.line, e.span.column, e.span.end_line, e.span.end_column, e.text)
            for fix in diagnostic.fixes for e in fix.edits]


def _apply(text: str, edits) -> str:
    """The text with single-line edits applied, last first (so columns stay right)."""
    lines = text.split("\n")
    for line, col, _end_line, end_col, new in sorted(edits, reverse=True):
        row = lines[line - 1]
        lines[line - 1] = row[:col - 1] + new + row[end_col - 1:]
    return "\n".join(lines)


def test_full_width_fixes_make_the_policy_parse():
    _, diagnostics, _ = _compiled("full_width.pol")
    edits = [e for d in diagnostics for e in _edits(d)]
    assert [e[4] for e in edits] == ["(", "=", ")", ", "]  # (a comma as the formatter writes it: JA-1, JA-2)
    policy, fixed, _ = compile_source(Source("fixed.pol", _apply(CASES["full_width.pol"], edits)))
    assert policy is not None, fixed


def test_full_width_inside_quoted_text_and_comments_is_left_alone():
    text = HEAD + '# 注释（全角）：可以\nrule R-1 "满6年（含）：须交流"\n  cite S\n  when tenure at least 6 years\n  then must_rotate\n'
    policy, diagnostics, _ = compile_source(Source("ok.pol", text))
    assert policy is not None, diagnostics


def test_full_width_digits_in_dates_read_as_digits():
    text = ('policy "全角日期"\n  as of ２０２５-０９-０１\nsource S "来源"\n'
            'rule R-1 "入校早"\n  cite S\n  when school_start at most ２０１９年９月１日\n  then must_rotate\n')
    policy, diagnostics, _ = compile_source(Source("dates.pol", text))
    assert policy is not None, diagnostics
    assert policy.as_of == dt.date(2025, 9, 1)
    assert policy.rules[0].when.args[1].value == dt.date(2019, 9, 1)


def test_mismatched_quote_fix_closes_it_with_its_pair():
    _, (d,), _ = _compiled("mismatched.pol")
    assert _edits(d) == [(4, 14, 4, 15, "”")]
    policy, diagnostics, _ = compile_source(Source("fixed.pol", _apply(CASES["mismatched.pol"], _edits(d))))
    assert policy is not None and policy.rules[0].title == "满6年", diagnostics


def test_chinese_comparison_fix_writes_the_operator():
    _, (d,), _ = _compiled("chinese_comparison.pol")
    assert _edits(d) == [(7, 11, 7, 13, "at most")]
    policy, diagnostics, _ = compile_source(Source("fixed.pol", _apply(CASES["chinese_comparison.pol"], _edits(d))))
    assert policy is not None, diagnostics


def test_one_exemption_added_to_a_chain_is_one_line_that_extends_it():
    _, (d,), _ = _compiled("precedence_chain.pol")
    assert "precedence E-1 > E-2 > E-3 > E-4" in d.help_en
    ((line, col, end_line, end_col, text),) = _edits(d)
    assert (line, text) == (20, "precedence E-1 > E-2 > E-3 > E-4")
    policy, diagnostics, _ = compile_source(Source("fixed.pol", _apply(CASES["precedence_chain.pol"], _edits(d))))
    assert policy is not None, diagnostics
    assert [e.id for e in policy.exemptions["R-1"]] == ["E-1", "E-2", "E-3", "E-4"]


def test_two_unordered_exemptions_with_no_chain_get_a_new_line_inserted():
    text = (HEAD + 'rule R-1 "满6年"\n  cite S\n  when tenure at least 6 years\n  then must_rotate\n'
            'exemption E-1 "孕期" as pregnancy\n  cite S\n  to R-1\n  when pregnant\n'
            'exemption E-2 "哺乳" as nursing\n  cite S\n  to R-1\n  when nursing\n')
    _, (d,), _ = compile_source(Source("two.pol", text))
    ((line, col, end_line, end_col, new),) = _edits(d)
    assert (line, col, end_line, end_col) == (15, 15, 15, 15) and new == "\n\nprecedence E-1 > E-2"
    policy, diagnostics, _ = compile_source(Source("fixed.pol", _apply(text, _edits(d))))
    assert policy is not None, diagnostics


def test_unit_fix_writes_the_number_in_the_unit_compared_with():
    """A number that converts exactly is written in the other unit; one that does not keeps its
    quantity, the count being written in its unit (5 months are never made 5 years by a fix)."""
    _, (d,), _ = _compiled("unit.pol")
    assert _edits(d) == [(6, 8, 6, 11, "months_since(birth_date)")]
    assert "if 5 years was meant, write `5 years`" in d.help_en
    text = HEAD + 'rule R-1 "满5年"\n  cite S\n  when tenure at least 60 months\n  then must_rotate\n'
    _, (d,), _ = compile_source(Source("m.pol", text))
    assert _edits(d)[0][4] == "5 years"  # 60 months is exactly 5 years


def test_a_parameter_s_unit_error_is_reported_once_at_the_parameter():
    text = CASES["parameter_unit.pol"] + 'rule R-2 "也用它"\n  cite S\n  when age at most age_cap\n  then eligible\n'
    _, diagnostics, _ = compile_source(Source("twice.pol", text))
    assert [(d.code, d.span.line) for d in diagnostics] == [("T202", 4)]
    assert "600 months" not in diagnostics[0].help_en and "50 years" in diagnostics[0].help_en


def test_chinese_outcome_status_and_direction_words_are_their_codes():
    text = (HEAD + 'rule R-1 "满6年"\n  cite S\n  when tenure at least 6 years\n  then 须交流\n  direction 到农村学校\n'
            'test "满6年"\n  teacher { sex: F, birth_date: 1980-01-01, work_start: 2000-09-01, school_start: 2015-09-01 }\n'
            '  expect status 须交流\n  expect direction 到农村学校\n'
            'test "满5年"\n  teacher { sex: F, birth_date: 1980-01-01, work_start: 2000-09-01, school_start: 2020-09-01 }\n'
            '  expect status 不在交流范围\n')
    policy, diagnostics, _ = compile_source(Source("zh.pol", text))
    assert policy is not None, diagnostics
    assert (policy.rules[0].outcome, policy.rules[0].direction) == ("must_rotate", "to_rural")
    assert [e.args[0] for t in policy.tests for e in t.expectations] == ["must_rotate", "to_rural", "not_eligible"]


EXPLAINED = HEAD + '''parameter teacher_tenure = 6 years
rule R-1 "50周岁以下、同校满6年、城区或县城学校的教师须交流"
  cite S "一"
  when age at most 50 years and tenure at least teacher_tenure and school.area in {urban, town} and not pregnant
  then must_rotate
'''


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_shows_conditions_in_the_reader_s_language(lang, snapshot):
    """`explain --lang zh`: names, values and connectives in Chinese (`年龄 ≤ 50周岁 且 …`)."""
    from policylang.backends.reference import decide
    from policylang.present.explain import explanation_text

    policy, diagnostics, _ = compile_source(Source("explained.pol", EXPLAINED))
    assert policy is not None, diagnostics
    teacher = {"id": "T1", "sex": "F", "birth_date": dt.date(1980, 3, 15), "work_start": dt.date(2000, 9, 1),
               "school_start": dt.date(2015, 9, 1), "school_id": "S1", "post": "teacher", "pregnant": False,
               "on_staff": True, "teaching": True}
    school = {"school_id": "S1", "area": "urban", "stage": "primary"}
    explanation = decide(policy, teacher, school, as_of=dt.date(2025, 9, 1), explain=True)
    text = explanation_text(explanation, lang)
    assert ("年龄 ≤ 50周岁" in text) == (lang == "zh")
    assert text == snapshot


def test_a_function_reads_as_chinese_in_a_chinese_explanation():
    """`within_last(援派结束时间, 2年)` reads 援派结束时间在近2年内: no function names in the Chinese."""
    import policylang
    from policylang.lang.pretty import expr_text

    policy = policylang.loads(
        'policy "t"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "x" cite S\n'
        '  when within_last(support_end, 2 years) and years_since(school_start) at least 6 years'
        ' and max(rural_years, weak_years) at least 1 years\n  then must_rotate\n').checked
    assert expr_text(policy.rules[0].when, 0, "zh") == (
        "支教结束时间在近2年内 且 到校时间至今整年数 ≥ 6年 且 较大值（农村任教年限、薄弱学校任教年限） ≥ 1年")
    assert expr_text(policy.rules[0].when, 0, "en") == (
        "within_last(support_end, 2 years) and years_since(school_start) >= 6 years"
        " and max(rural_years, weak_years) >= 1 year")


def test_a_letter_typed_for_the_digit_it_looks_like_is_suggested_the_digit():
    """`repeal FJ-XI` (I for 1): did you mean FJ-X1, not FJ-X3, as near by letters alone."""
    from policylang.core.diagnostics import did_you_mean

    assert did_you_mean("FJ-XI", ["FJ-X1", "FJ-X2", "FJ-X3", "FJ-2"]) == "FJ-X1"
    assert did_you_mean("JA-O1", ["JA-01", "JA-02"]) == "JA-01"
    assert did_you_mean("age_capp", ["age_cap", "age"]) == "age_cap"


def test_a_chinese_name_typed_as_a_homophone_is_suggested_the_name_it_sounds_like(tmp_path):
    """Pinyin input's slip: a character that sounds like the one meant, sharing no stroke with it
    (年令 for 年龄, 姓别 for 性别, not 姓名 by its first character). A homophone of two
    candidates alike is no suggestion; a name with no Chinese in it is not read for sound."""
    from policylang.core.diagnostics import did_you_mean

    pool = ["性别", "姓名", "年龄", "岗位", "任教年限", "孕期", "学段", "age"]
    assert [did_you_mean(n, pool) for n in ("年令", "姓别", "任教年现", "孕其", "学断")] == [
        "年龄", "性别", "任教年限", "孕期", "学段"]
    assert did_you_mean("试别", ["是别", "事别"]) is None
    assert did_you_mean("aeg", ["age", "年龄"]) == "age"
    # another word is another meaning, no slip (drafter trial dr25: 支教开始日期 was asked if it meant
    # 支教中止日期); 日期 for 时间 is one meaning said two ways
    assert did_you_mean("支教开始日期", ["支教中止日期", "出生日期"]) is None
    assert did_you_mean("参加工作日期", ["参加工作时间", "出生日期"]) == "参加工作时间"
    source = HEADER_TEXT + "  when 姓别 = 女 and 年令 at most 50 周岁\n  then must_rotate\n"
    _, diagnostics, _ = compile_source(Source("t.pol", source))
    assert [d.help_zh for d in diagnostics if d.code == "R107"] == ["是否应为 `性别`？", "是否应为 `年龄`？"]


@pytest.mark.parametrize("written, to", [("满", "at least"), ("大于等于", "at least"), ("小于等于", "at most"),
                                         ("达到", "at least")])
def test_more_chinese_comparisons_are_told_the_operator_to_write(written, to):
    _, diagnostics, _ = compile_source(Source("t.pol", HEADER_TEXT + f"  when tenure {written} 6 years\n  then must_rotate\n"))
    assert [(d.code, d.zh) for d in diagnostics] == [("P001", f"`{written}` 不是运算符；请写作 `{to}`")]


def test_a_chinese_full_stop_is_told_to_be_deleted_with_its_fix():
    _, diagnostics, _ = compile_source(Source("t.pol", HEADER_TEXT + "  when tenure at least 6 years\n  then must_rotate。\n"))
    assert [(d.code, d.zh) for d in diagnostics] == [("P001", "全角句号“。”不是本语言的符号，请删除")]
    assert diagnostics[0].fixes and diagnostics[0].fixes[0].edits[0].text == ""


HEADER_TEXT = HEAD + 'rule R-1 "满六年须交流" cite S\n'  # a rule's first line, its `when` to follow


def test_a_date_of_a_year_and_month_in_a_policy_is_told_to_give_the_day():
    text = 'policy "测试"\n  effective 2025年9月\n  as of 2025-09-01\nsource S "来源"\n'
    _, diagnostics, _ = compile_source(Source("t.pol", text))
    assert [(d.code, d.zh) for d in diagnostics] == [
        ("P001", "“2025年9月”没有写到日；日期要写到日，如 `2025-09-01` 或 `2025年9月1日`")]


def test_an_exemption_category_a_test_expects_wrongly_is_told_the_policy_s_categories_in_chinese():
    text = (HEADER_TEXT + "  when tenure at least 6 years\n  then must_rotate\n"
            'exemption E-1 "孕期" as pregnancy cite S to R-1\n  when pregnant\n'
            'exemption E-2 "援疆" as 援疆返回 cite S to 全部规则\n  when schools_served at least 3\n'
            'test "孕期"\n  teacher { sex: F, birth_date: 1980-01-01, work_start: 2000-09-01, school_start: 2010-09-01,'
            ' pregnant: true }\n  expect exemption 怀孕\n')
    _, diagnostics, _ = compile_source(Source("t.pol", text))
    said = {d.code: d.help_zh for d in diagnostics}
    assert said["R108"] == "免除全部规则请写作 `to all rules`"
    assert said["T209"] == "本政策的豁免类别：孕期（pregnancy）、援疆返回"


def test_a_declaration_keyword_written_in_chinese_is_told_the_keyword_with_its_fix():
    _, diagnostics, _ = compile_source(Source("t.pol", 'policy "县"\nsource QX "县"\n规则 R-1 "满5年" cite QX\n'
                                                        "  when tenure at least 5 years\n  then must_rotate\n"))
    assert [(d.code, d.zh) for d in diagnostics] == [("P001", "policylang 不认识“规则”；请写作 `rule`")]
    assert diagnostics[0].fixes[0].edits[0].text == "rule"


@pytest.mark.parametrize("written, meant", [("区域", "学校.区域"), ("area", "school.area"), ("学段", "学校.学段")])
def test_a_school_column_named_without_its_table_is_told_the_table(written, meant):
    """`when 区域 = 城区`: a school's column is `学校.区域`; the hint, and its quick fix, say so."""
    _, diagnostics, _ = compile_source(Source("t.pol", HEADER_TEXT + f"  when {written} = 城区\n  then must_rotate\n"
                                              if written != "学段" else
                                              HEADER_TEXT + f"  when {written} = 小学\n  then must_rotate\n"))
    [said] = [d for d in diagnostics if d.code == "R107"]
    assert said.help_zh == f"是否应为 `{meant}`？" and [e.text for f in said.fixes for e in f.edits] == [meant]


def test_a_parameter_whose_description_states_another_number_is_warned():
    """`女教师年龄上限 = 45 周岁 "女50周岁以下"`: the value changed, the words not (L315). A number of
    another kind in the words is not compared: 40周岁 in a count of years says whom it is for,
    a date's 2024年 is no count."""
    text = HEADER_TEXT.replace("rule R-1", 'parameter 女教师年龄上限 = 45 周岁 "女50周岁以下（含50周岁）"\n'
                               'parameter 农村年限 = 2 年 "40周岁以下教师须有的农村任教年限，2024年9月1日起"\n'
                               'rule R-1', 1) + "  when 年龄 at most 女教师年龄上限 and rural_years at least 农村年限\n" \
                                                "  then must_rotate\n"
    _, diagnostics, _ = compile_source(Source("t.pol", text))
    assert [(d.code, d.zh) for d in diagnostics if d.code == "L315"] == [
        ("L315", "参数 `女教师年龄上限` 的取值为45周岁，说明中却写着50周岁")]
    agreeing = text.replace("= 45 周岁", "= 50 周岁")
    assert not [d for d in compile_source(Source("t.pol", agreeing))[1] if d.code == "L315"]
    # a day or month of the calendar, and two periods of one unit, are no statement of the value
    others = text.replace('"40周岁以下教师须有的农村任教年限，2024年9月1日起"', '"任教满此年限、且近3年考核合格，8月31日前报到"')
    assert not [d for d in compile_source(Source("t.pol", others))[1] if d.code == "L315" and "农村年限" in d.en]


def test_a_value_given_in_another_unit_is_told_the_unit_in_the_file_s_words():
    """`parameter 等待: years = 24 个月`: write `2 年`, not `2 years`, on a line written in Chinese, in
    the help of either language (what the drafter is to write into the file, not the message's words)."""
    text = HEAD + 'parameter 任教年限 = 6 年\nrule R-1 "满6年" cite S\n  when 本校任教年限 at least 任教年限\n' \
                  '  then must_rotate\nparameter 等待 = 2 年\n'
    chinese = text.replace("parameter 等待 = 2 年\n", "parameter 等待: years = 24 个月\n")
    _, diagnostics, _ = compile_source(Source("t.pol", chinese))
    assert [(d.help_zh, d.help_en) for d in diagnostics if d.code == "T202"] == [("请写作 `2 年`", "write `2 年`")]
    english = text.replace("parameter 等待 = 2 年\n", "parameter wait: years = 24 months\n")
    _, diagnostics, _ = compile_source(Source("t.pol", english))
    assert [(d.help_zh, d.help_en) for d in diagnostics if d.code == "T202"] == [("请写作 `2 years`", "write `2 years`")]


def test_a_roster_header_written_for_a_field_is_told_its_name_in_a_policy():
    """The drafter's trial: `到校日期` in a test record, and `纪律审查` in a condition, were refused
    with no pointer to 到校时间 and 审查调查 (a roster with those headers reads them as those fields)."""
    from policylang.lang import schema as S

    text = ('policy "提示"\n  as of 2025-09-01\nsource S "来源"\n'
            'rule A-1 "x" cite S\n  when 纪律审查 and years_since(到校日期) at least 6 years\n  then must_rotate\n'
            'test "t"\n  teacher { sex: F, birth_date: 1985-01-01, work_start: 2005-09-01, 到校日期: 2015-09-01 }\n'
            '  school { school_id: "S1", area: urban, stage: primary }\n  expect 须交流\n')
    policy, diagnostics, _ = compile_source(Source("hint.pol", text))
    assert policy is None
    said = [(d.code, d.span.line, d.help_zh) for d in diagnostics]
    assert said == [("R107", 5, "是否应为 `审查调查`？"), ("R107", 5, "是否应为 `到校时间`？"),
                    ("T207", 8, "是否应为 `到校时间`？")]
    assert S.TEACHERS.header_field("正在接受纪律审查").name == "under_investigation"


def test_the_same_citation_twice_under_one_declaration_is_said_once_and_kept_once():
    """Two identical `cite` lines (a drafter's slip, trial dr25) listed the clause twice in doc and the
    studio, without a word; another section of the same source is no slip."""
    text = HEAD + ('rule R-1 "满六年须交流"\n  cite S "一"\n  cite S "一"\n  cite S "二"\n'
                   '  when tenure at least 6 years\n  then must_rotate\n')
    policy, diagnostics, _ = compile_source(Source("t.pol", text))
    assert [(d.code, d.span.line, d.zh) for d in diagnostics] == [
        ("L320", text.splitlines().index('  cite S "一"') + 2, "`cite S` 重复写了两次（条款相同）：请删去一行")]
    assert [c.short() for c in policy.rules[0].cites] == ["S 一", "S 二"]
