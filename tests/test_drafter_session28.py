"""What the drafter of trial dr28 met: national.pol's 两届 read `本校任教年限 ≥ 3年 × 2`, leaving the
sum to the official; arithmetic on parameters and numbers alone is shown by the number it makes,
its parts beside it (`6年（3年 × 2）`), decided once by the printer for explain, doc and diff."""

from __future__ import annotations

import policylang
from policylang.lang.pretty import expr_text, policy_display_names
from policylang.present.explain import explanation_text

from tests.conftest import POLICIES

RULE = '''policy "两届"
  as of 2025-09-01
source S "来源"
parameter term = 3 years "一届任期"
parameter terms = 2 "届数"
parameter share = 10% "比例"
rule P-1 "连任两届"
  cite S "一"
  when CONDITION
  then must_rotate
'''


def _condition_zh(condition: str, **values) -> str:
    policy = policylang.loads(RULE.replace("CONDITION", condition))
    names = policy_display_names(policy.checked, policy.parameters | values)
    return expr_text(policy.checked.rules[0].when, lang="zh", names=names)


def test_a_product_of_parameters_reads_as_the_number_it_makes():
    assert _condition_zh("tenure at least term * terms") == "本校任教年限 ≥ 6年（3年 × 2）"
    assert _condition_zh("tenure at least term * terms", term=4) == "本校任教年限 ≥ 8年（4年 × 2）"  # as --set
    # a longer sum once, its parts as written (not 7年（6年（3年 × 2） + 1年）)
    assert _condition_zh("tenure at least term * terms + 1 years") == "本校任教年限 ≥ 7年（3年 × 2 + 1年）"


def test_a_sum_compared_with_an_age_is_in_full_years_throughout():
    # (its 50 years was 50年 beside 年龄 and the parameter's 周岁)
    assert _condition_zh("age at most 50 years + term") == "年龄 ≤ 53周岁（50周岁 + 3周岁）"
    assert _condition_zh("age at most 55 years") == "年龄 ≤ 55周岁"


def test_what_reads_a_field_or_a_percentage_is_left_as_written():
    assert _condition_zh("tenure at least service_years - term") == "本校任教年限 ≥ 教龄 - 3年"
    assert _condition_zh("tenure * share at least term") == "本校任教年限 × 10% ≥ 3年"
    # English shows the names, as the policy writes them
    policy = policylang.loads(RULE.replace("CONDITION", "tenure at least term * terms"))
    assert expr_text(policy.checked.rules[0].when) == "tenure >= term * terms"


def test_explain_shows_national_two_terms_as_six_years():
    policy = policylang.load(POLICIES / "national.pol")
    teacher = {"id": "T1", "sex": "男", "birth_date": "1970-01-01", "work_start": "1995-09-01",
               "school_start": "2010-09-01", "school_id": "S", "post": "校长", "post_start": "2012-09-01",
               "title": "未定级", "backbone": "无", "on_staff": "是"}
    school = {"school_id": "S", "area": "城区", "stage": "小学", "quality": "否"}
    text = explanation_text(policy.explain(teacher, school), "zh")
    assert "✓ 本校任教年限 ≥ 6年（3年 × 2）   （本校任教年限 = 15年）" in text, text


def test_a_quotient_with_many_decimals_is_left_as_written_and_binary_noise_is_not_shown():
    """Review rv27b: 10年 / 3 printed 3.3333333333333335年（10年 / 3）, 0.1年 × 3 printed
    0.30000000000000004年; a value beyond two decimals is left as written, / as ÷ in Chinese."""
    assert _condition_zh("tenure at least term / 3", term=10) == "本校任教年限 ≥ 10年 ÷ 3"
    assert _condition_zh("tenure at least term * 3", term=0.1) == "本校任教年限 ≥ 0.3年（0.1年 × 3）"
    assert _condition_zh("tenure at least term / terms") == "本校任教年限 ≥ 1.5年（3年 ÷ 2）"


def test_a_worked_out_value_copied_back_is_told_to_be_written_as_its_arithmetic():
    """dr28: `6年（3年 × 2）`, as explain shows national.pol's two terms, copied into a policy was told to
    mend ≥, × and the brackets one by one, towards `6 years (3 years * 2)`, which is no condition."""
    from policylang.core.diagnostics import PolicyError

    source = RULE.replace("CONDITION", "本校任教年限 ≥ 6年（3年 × 2）")
    try:
        policylang.loads(source)
    except PolicyError as exc:
        said = next(d for d in exc.diagnostics if "≥" in d.zh)
    else:
        raise AssertionError("a worked-out value was taken as a condition")
    assert "只写括号内的算式（“3年 × 2”）" in said.help_zh and "write only the arithmetic (`3年 × 2`)" in said.help_en


def test_display_names_are_no_dict_to_change_or_copy_without_their_parameters():
    """``DisplayNames`` was a dict: a copy of it (``dict(names)``, ``names | more``) was a plain dict that
    showed arithmetic as written without a word, and anything could change it under the explanation
    that kept it. It holds the names it was made with; ``as_written`` is the one way to drop the values."""
    import pytest

    policy = policylang.loads(RULE.replace("CONDITION", "tenure at least term * terms"))
    names = policy_display_names(policy.checked, policy.parameters)
    when = policy.checked.rules[0].when
    assert not isinstance(names, dict) and "term" in names and names["term"] == "3年"
    with pytest.raises(TypeError):
        names["term"] = "4年"  # type: ignore[index]
    assert expr_text(when, lang="zh", names=names) == "本校任教年限 ≥ 6年（3年 × 2）"
    assert expr_text(when, lang="zh", names=names.as_written()) == "本校任教年限 ≥ 3年 × 2"
    assert names.key() != names.as_written().key()  # (the quota's texts are kept by it)
