"""A drafter can write a whole condition in Chinese: the prelude's definitions have Chinese names."""

from __future__ import annotations

import datetime

import pytest

import policylang
from policylang.frontend.check import PRELUDE_CHINESE_NAMES

HEADER = 'policy "名称测试"\n  as of 2025-09-01\n'


def _decide(condition: str, teacher: dict, school: dict | None = None) -> str:
    policy = policylang.loads(HEADER + f'rule R-1 "测试"\n  when {condition}\n  then must_rotate\n')
    base = {"id": "T1", "sex": "F", "birth_date": datetime.date(1980, 9, 1), "work_start": datetime.date(2000, 9, 1),
            "school_start": datetime.date(2019, 9, 1), "school_id": "S1", "post": "teacher"}
    return policy.decide({**base, **teacher}, {"school_id": "S1", "area": "rural", "stage": "primary",
                                               **(school or {})}).status


@pytest.mark.parametrize("chinese, english", sorted(PRELUDE_CHINESE_NAMES.items()))
def test_each_chinese_name_decides_as_its_english_definition(chinese, english):
    policy = policylang.loads(HEADER + f'define 甲 = {chinese}\ndefine 乙 = {english}\n')
    assert policy.checked.definitions["甲"].expr.type == policy.checked.definitions["乙"].expr.type


def test_a_condition_in_chinese_decides_on_the_boundary():
    condition = "年龄 at most 45 years and 本校任教年限 at least 6 years and 义务教育学校"
    assert _decide(condition, {"birth_date": datetime.date(1980, 9, 1)}) == "must_rotate"   # exactly 45
    assert _decide(condition, {"birth_date": datetime.date(1979, 9, 2)}) == "must_rotate"   # 46 tomorrow
    assert _decide(condition, {"birth_date": datetime.date(1979, 9, 1)}) == "not_eligible"  # 46 today
    assert _decide(condition, {"school_start": datetime.date(2019, 9, 2)}) == "not_eligible"  # a day short
    assert _decide(condition, {}, {"stage": "senior"}) == "not_eligible"


def test_a_policy_s_own_name_wins_over_the_prelude_s_chinese_name():
    policy = policylang.loads(HEADER + 'parameter 教龄 = 30 years\nrule R-1 "测试"\n  when service_years at least 教龄\n'
                                       '  then must_rotate\n')
    assert policy.parameters["教龄"] == 30


def test_a_misspelt_chinese_name_suggests_the_prelude_s():
    with pytest.raises(policylang.PolicyError) as raised:
        policylang.loads(HEADER + 'rule R-1 "测试"\n  when 本校任教年 at least 6 years\n  then must_rotate\n')
    assert [(d.code, d.help_zh) for d in raised.value.errors] == [("R107", "是否应为 `本校任教年限`？")]


def test_a_section_number_may_start_in_chinese_and_carry_hyphens_and_dots():
    text = (HEADER + 'source 本县 "本县办法"\n'
            'rule 本县-2 "满50周岁"\n  cite 本县 "第二条"\n  when age at least 50 years\n  then must_rotate\n'
            'exemption 第三条-1.2 "孕期" as pregnancy\n  cite 本县 "第三条"\n  to 本县-2\n  when pregnant\n'
            'test "本县-2"\n  teacher { sex: 女, birth_date: 1975-09-01, work_start: 2000-09-01, '
            'school_start: 2015-09-01, pregnant: true }\n  expect status exempt\n  expect rule 本县-2\n')
    policy = policylang.loads(text)
    assert [r.id for r in policy.checked.rules] == ["本县-2"]
    assert [e.id for e in policy.checked.all_exemptions()] == ["第三条-1.2"]
    assert [r.passed for r in policy.test()] == [True]


@pytest.mark.parametrize("written", ["2025/09/01", "2025/9/1", "2025年9月1日", "2025.9.1", "２０２５-０９-０１"])
def test_a_reference_date_may_be_written_as_a_roster_writes_it(written):
    from click.testing import CliRunner

    from policylang.cli import cli

    policy = policylang.loads(HEADER)
    assert policy.decide({"id": "T1", "sex": "F", "birth_date": "1980-01-01", "work_start": "2000-09-01",
                          "school_start": "2010-09-01", "school_id": "S1"}, {"school_id": "S1"},
                         as_of=written).as_of == datetime.date(2025, 9, 1)
    result = CliRunner().invoke(cli, ["try", "policies/fujian.pol", "sex=F", "birth_date=1980-01-01",
                                      "work_start=2000-09-01", "school_start=2010-09-01", "--as-of", written])
    assert result.exit_code == 0 and "2025-09-01" in result.output


@pytest.mark.parametrize("written", ["2025-09", "2025年9月", "2025-02-30", "soon"])
def test_a_month_or_a_non_date_is_no_reference_date(written):
    with pytest.raises(ValueError, match="is not a date"):
        policylang.loads(HEADER).decide({"id": "T1", "sex": "F", "birth_date": "1980-01-01", "work_start": "2000-09-01",
                                         "school_start": "2010-09-01", "school_id": "S1"}, {"school_id": "S1"},
                                        as_of=written)


def test_a_chinese_explanation_counts_ages_in_zhousui_and_years_of_service_in_years():
    from policylang.present.explain import explanation_text
    policy = policylang.loads(HEADER + 'parameter cap_f = 40 years\nparameter cap_m = 45 years\n'
                                       'define cap = if sex = F then cap_f else cap_m\n'
                                       'rule R-1 "测试"\n  when age at most cap and age at least 30 years\n'
                                       '    and (age at least 60 years or tenure at least 6 years)\n  then must_rotate\n')
    teacher = {"id": "T1", "sex": "F", "birth_date": datetime.date(1990, 9, 1), "work_start": datetime.date(2010, 9, 1),
               "school_start": datetime.date(2015, 9, 1), "school_id": "S1", "post": "teacher"}
    text = explanation_text(policy.explain(teacher, {"school_id": "S1"}), "zh")
    assert "年龄 ≤ cap   （年龄 = 35周岁；cap = 40周岁）" in text  # Chinese punctuation in Chinese
    assert "年龄 ≥ 30周岁" in text
    assert "年龄 ≥ 60周岁 或 本校任教年限 ≥ 6年" in text and "本校任教年限 = 10年" in text  # a tenure stays in 年
    assert "周岁" not in explanation_text(policy.explain(teacher, {"school_id": "S1"}), "en")


def test_a_chinese_explanation_names_a_definition_by_its_description_when_that_is_a_name():
    """`年龄 ≤ age_cap` told an official nothing: a definition named in English is shown by its
    description when that names it (its trailing note left out); one whose description is a
    sentence keeps its name; a parameter named in English goes by its value (its description says
    what the number is for: 满此年限须交流, no name). English is as written."""
    from policylang.present.explain import explanation_text
    policy = policylang.loads(HEADER + 'parameter cap_f = 40 years "女教师交流年龄上限"\nparameter cap_m = 45 years\n'
                                       'define cap "本人适用的交流年龄上限（按性别）" = if sex = F then cap_f else cap_m\n'
                                       'define long "同校任教：满6年的，须交流" = tenure at least 6 years\n'
                                       'rule R-1 "测试"\n  when age at most cap and long\n  then must_rotate\n'
                                       'rule R-2 "测试二"\n  when age at most cap_f\n  then eligible\n')
    teacher = {"id": "T1", "sex": "F", "birth_date": datetime.date(1990, 9, 1), "work_start": datetime.date(2010, 9, 1),
               "school_start": datetime.date(2015, 9, 1), "school_id": "S1", "post": "teacher"}
    ex = policy.explain(teacher, {"school_id": "S1"})
    text = explanation_text(ex, "zh")
    assert "✓ 年龄 ≤ 本人适用的交流年龄上限   （年龄 = 35周岁；本人适用的交流年龄上限 = 40周岁）" in text
    assert "✓ 同校任教：满6年的，须交流   （long）" in text  # a sentence: its name beside it, as before
    assert "✓ 年龄 ≤ 40周岁   （年龄 = 35周岁）" in text and "cap_f" not in text  # by its value, in 周岁
    assert "年龄 ≤ cap   (年龄" not in explanation_text(ex, "en") and "age <= cap" in explanation_text(ex, "en")
