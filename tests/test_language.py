"""Parser, lowering and checker on small policies."""

from __future__ import annotations

import datetime as dt
import datetime
from fractions import Fraction

import pytest

from policylang.lang import ast as A
from policylang.core.diagnostics import PolicyError
from policylang.frontend.lower import lower
from policylang.frontend.parser import parse
from policylang.core.source import Source

from .conftest import HEADER, codes, compile_text


def _module(text: str) -> A.Module:
    tree, diagnostics = parse(Source("<t>", text))
    assert diagnostics == []
    module, more = lower(tree, "<t>")
    assert more == []
    return module


def test_spans_are_recorded_but_not_compared():
    a = _module('parameter x = 6 years "年限"')
    b = _module('\n\n   parameter   x =   6 years\n "年限"')
    assert a.decls == b.decls
    assert a.decls[0].span.line == 1 and b.decls[0].span.line == 3


def test_chinese_identifiers_units_and_dates():
    module = _module('parameter 女教师年龄上限 = 50 周岁\nparameter 生效 = 2025年9月1日\nparameter 比例 = 10%')
    cap, date, share = module.decls
    assert cap == A.Parameter("女教师年龄上限", None, A.Quantity(Fraction(50), "years"), None)
    assert date.value == A.DateLit(dt.date(2025, 9, 1))
    assert share.value == A.Quantity(Fraction(10), "percent")


def test_word_comparisons_read_as_legal_conventions():
    # 以下 (at most) includes the number, 不满 (less than) excludes it.
    module = _module('define a = age at most 55 years and tenure less than 3 years')
    expr = module.decls[0].expr
    assert expr.op == "and"
    assert expr.left.op == "<=" and expr.right.op == "<"


def test_curly_quotes_as_typed_by_a_chinese_input_method():
    module = _module('source S “福建省意见”')
    assert module.decls[0].title == "福建省意见"


def test_all_syntax_errors_of_a_file_are_reported():
    text = 'rule A-1 "x"\n  when age <=\n  then must_rotate\n\nrule A-2 "y"\n  when (a))\n\nrule A-3 "ok" then eligible\n'
    tree, diagnostics = parse(Source("<t>", text))
    assert tree is None
    assert [(d.code, d.span.line) for d in diagnostics] == [("P001", 2), ("P001", 6)]  # where `<=` lacks its operand


def test_unterminated_file_points_at_its_last_line():
    tree, diagnostics = parse(Source("<t>", 'policy "x"\nrule A-1 "y"\n  when age <='))
    assert tree is None
    assert diagnostics[0].code == "P002" and diagnostics[0].span.line == 3


def test_a_bare_word_beside_an_enum_is_a_code_in_english_or_chinese():
    policy, diagnostics = compile_text(HEADER + """
rule R-1 "城区或山区学校" cite S
  when school.area in {urban, 山区} and sex = 女
  then eligible
""")
    assert codes(diagnostics) == []
    when = policy.rules[0].when
    assert [a.value for a in when.args[0].args[1:]] == ["urban", "mountain"]
    assert when.args[1].args[1].value == "F"


def test_ordered_codes_compare_by_rank():
    policy, diagnostics = compile_text(HEADER + """
rule R-1 "县级以上骨干" cite S
  when backbone >= county and title >= 高级教师
  then eligible
""")
    assert codes(diagnostics) == []


def test_unknown_names_suggest_the_closest():
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when tenur >= 6 years then eligible')
    (d,) = [d for d in diagnostics if d.code == "R107"]
    assert "`tenure`" in d.help_en and "`tenure`" in d.help_zh


def test_extra_fields_are_declared_with_a_type():
    policy, diagnostics = compile_text(HEADER + """
field teacher.编外: bool "编外人员"
rule R-1 "编外人员不交流" cite S when not 编外 then eligible
""")
    assert codes(diagnostics) == []
    assert policy.teachers.field("编外").type.describe() == "bool"


def test_definitions_resolve_in_any_order_and_cycles_are_caught():
    policy, diagnostics = compile_text(HEADER + """
define late "后定义" = early + 1 years
define early "先定义" = tenure
rule R-1 "x" cite S when late >= 3 years then eligible
""")
    assert codes(diagnostics) == []
    _, diagnostics = compile_text(HEADER + """
define a = b
define b = c
define c = a
rule R-1 "x" cite S when a then eligible
""")
    assert "R110" in codes(diagnostics)


def test_precedence_must_order_exemptions_of_the_same_rule():
    base = HEADER + """
rule R-1 "x" cite S when tenure >= 6 years then must_rotate
exemption E-1 "孕期" as pregnancy cite S to R-1 when pregnant
exemption E-2 "哺乳期" as nursing cite S to R-1 when nursing
"""
    assert "T210" in codes(compile_text(base)[1])
    policy, diagnostics = compile_text(base + "precedence E-2 > E-1")
    assert codes(diagnostics) == []
    assert [e.id for e in policy.exemptions["R-1"]] == ["E-2", "E-1"]
    assert "T211" in codes(compile_text(base + "precedence E-2 > E-1\nprecedence E-1 > E-2")[1])


def test_precedence_is_transitive():
    policy, diagnostics = compile_text(HEADER + """
rule R-1 "x" cite S when tenure >= 6 years then must_rotate
exemption E-1 "a" as pregnancy cite S to all rules when pregnant
exemption E-2 "b" as nursing cite S to all rules when nursing
exemption E-3 "c" as illness cite S to all rules when serious_illness
precedence E-3 > E-2
precedence E-2 > E-1
""")
    assert codes(diagnostics) == []
    assert [e.id for e in policy.exemptions["R-1"]] == ["E-3", "E-2", "E-1"]


def test_never_firing_rule_uses_parameter_values():
    _, diagnostics = compile_text(HEADER + """
parameter low = 40 years
parameter high = 50 years
rule R-1 "x" cite S when age < low and age > high then eligible
rule R-2 "y" cite S when age <= low and age >= low then eligible
""")
    assert codes(diagnostics) == ["L301"]


def test_parameter_values_check_their_declared_type():
    policy, diagnostics = compile_text(HEADER + """
parameter home: area = 山区
rule R-1 "x" cite S when school.area = home then eligible
""")
    assert codes(diagnostics) == []
    assert policy.parameters["home"].value == "mountain"
    _, diagnostics = compile_text(HEADER + "parameter home: area = 海边\nrule R-1 \"x\" cite S when school.area = home then eligible")
    assert codes(diagnostics) == ["T204"]


def test_a_word_for_two_codes_is_an_error_naming_both():
    """城镇 means 城区 and 县城 in the sources: read as 县城 alone it would leave every 城区 school out."""
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when school.area = 城镇 then eligible')
    (d,) = diagnostics
    assert d.code == "T204" and "城区、县城" in d.message("zh") and "`in {城区, 县城}`" in d.help_zh
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when school.area in {城区, 县城} then eligible')
    assert codes(diagnostics) == []


def test_quoted_text_values_keep_every_character():
    policy, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when subject = "数学" and post = "教师" then eligible')
    assert codes(diagnostics) == []
    subject, post = policy.rules[0].when.args
    assert (subject.args[1].value, post.args[1].value) == ("数学", "teacher")


def test_a_clause_given_twice_is_an_error_not_a_silent_choice():
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when tenure >= 6 years when age <= 50 years then eligible')
    assert "P004" in codes(diagnostics)
    _, diagnostics = compile_text('extends "a.pol"\nextends "b.pol"\npolicy "x"')
    assert "P004" in codes(diagnostics)


def test_dates_move_by_whole_units():
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when school_start <= as_of - 1.5 years then eligible')
    assert codes(diagnostics) == ["T202"]
    assert codes(compile_text(HEADER + 'rule R-1 "x" cite S when school_start + rural_years <= as_of then eligible')[1]) == []


def test_an_extending_file_inherits_the_header_it_does_not_restate(tmp_path):
    from policylang.frontend.pipeline import compile_source as compile_file
    from policylang.core.source import Source

    (tmp_path / "base.pol").write_text('policy "省"\n  jurisdiction "某省"\n  effective 2010-09-01\n  as of 2024-09-01\n',
                                       encoding="utf-8")
    child = tmp_path / "child.pol"
    child.write_text('extends "base.pol"\npolicy "县"\n', encoding="utf-8")
    policy, diagnostics, _ = compile_file(Source(str(child), child.read_text("utf-8")))
    assert (policy.title, policy.jurisdiction, policy.effective, policy.as_of) == (
        "县", "某省", datetime.date(2010, 9, 1), datetime.date(2024, 9, 1))


@pytest.mark.parametrize("declaration", [
    'define post_years "x" = years_since(work_start)',
    'benefit B-1 "x" cite S when on_staff effect paid "x"',
])
def test_a_redeclaration_suggests_an_override_that_compiles(declaration, tmp_path):
    from policylang.frontend.pipeline import load_policy

    (tmp_path / "base.pol").write_text(HEADER + 'benefit B-1 "y" cite S when teaching effect paid "y"\n',
                                       encoding="utf-8")
    child = tmp_path / "child.pol"
    child.write_text('extends "base.pol"\n' + declaration + "\n", encoding="utf-8")
    with pytest.raises(PolicyError) as refused:
        load_policy(child)
    (r112,) = [d for d in refused.value.diagnostics if d.code == "R112"]
    suggested = r112.help_en.split("`")[1].removesuffix(" ...")
    child.write_text('extends "base.pol"\n' + suggested.split()[0] + " " + declaration + "\n", encoding="utf-8")
    assert declaration.startswith(suggested.removeprefix("override "))
    load_policy(child)  # the suggested override compiles


@pytest.mark.parametrize("as_of", ["2200-12-31", "2200-06-01"])
def test_a_reference_date_no_evaluation_can_be_made_at_is_an_error_of_the_policy_not_of_eval(as_of):
    """`as of 2200-12-31` passed `check` (policy dates run to 2200) and every command deciding
    at it stopped with an internal error (reference dates end in 2199)."""
    policy, diagnostics = compile_text(HEADER.replace("2025-09-01", as_of) + """
rule R-1 "规则" cite S "一" when on_staff then eligible
""")
    assert policy is None and codes(diagnostics) == ["T214"]
    assert f"the reference date {as_of} is not between 1900-01-01 and 2199-12-31" in diagnostics[0].en
    policy, diagnostics = compile_text(HEADER + f"""
rule R-1 "规则" cite S "一" when on_staff then eligible
test "t" as of {as_of} teacher {{ on_staff: 是 }} expect eligible
""")
    assert policy is None and codes(diagnostics) == ["T214"] and diagnostics[0].span.line == 7  # the test's line


def test_a_test_sets_a_duration_parameter_to_a_whole_number_as_an_override_must():
    policy, diagnostics = compile_text(HEADER + """
parameter m = 6 months
rule R-1 "规则" cite S "一" when on_staff then eligible
penalty P-1 "惩处" cite S "二" after refused_exchange effect e for m
test "t" set m = 1.5 months teacher { on_staff: 是 } expect no penalty
""")
    assert policy is None and codes(diagnostics) == ["T202"]
    assert diagnostics[0].en == "parameter `m` is a duration: a whole number, not 1.5 months"
    assert diagnostics[0].zh == "参数 `m` 是期限，应为整数，不能取 1.5个月"


@pytest.mark.parametrize("date", ["2025-02-29", "2025-13-01"])
def test_a_day_the_calendar_has_not_is_said_so_not_taken_for_a_wrong_format(date):
    policy, diagnostics = compile_text(HEADER + f"""
rule R-1 "规则" cite S "一" when school_start at least {date} then eligible
""")
    assert policy is None and codes(diagnostics) == ["P003"]
    assert diagnostics[0].en == f"`{date}` is not a valid date"
    assert diagnostics[0].help_en == "the calendar has no such day (months 1-12, days as many as the month has)"
    assert diagnostics[0].help_zh == "日历中没有这一天（月份为 1–12，日数不超过该月的天数）"


@pytest.mark.parametrize("condition, meant, acts_as", [
    ("tenure at least 5.5 years", "months_since(school_start)", "6"),    # 满5年半: holds from 6 as written
    ("age at most 45.5 years", "months_since(birth_date)", "45"),
    ("schools_served at least 2.5", None, "3"),                          # a count of schools
    ("schools_served = 2.5", None, "2 或 3"),                            # (never true: either said)
])
def test_a_whole_count_compared_with_a_fraction_is_said_with_what_it_means(condition, meant, acts_as):
    """Decided as the whole number next to it by every evaluator, but hardly what 5.5 was meant to
    say (满5年半): a warning that says so, which whole number it acts as, and how to count in months."""
    _, diagnostics = compile_text(HEADER + f'rule R-1 "x" cite S when {condition} then eligible')
    (d,) = diagnostics
    assert d.code == "L313" and not d.is_error and d.message("zh").endswith(f"实际是与 {acts_as} 比较")
    assert (meant in (d.help_en or "")) if meant else d.help_en is None


def test_a_window_or_a_parameter_of_a_whole_count_is_whole_too():
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when support_end is set and '
                                           'within_last(support_end, 2.5 years) then eligible')
    assert codes(diagnostics) == ["L313"] and "30 个月" in diagnostics[0].help_zh
    _, diagnostics = compile_text(HEADER + 'parameter tenure_years = 5.5 years\n'
                                           'rule R-1 "x" cite S when tenure at least tenure_years then eligible')
    assert codes(diagnostics) == ["L313"] and "tenure_years" in diagnostics[0].message("en")
    policy, diagnostics = compile_text(HEADER + 'parameter tenure_years = 6 years\n'
                                                'rule R-1 "x" cite S when tenure at least tenure_years then eligible')
    assert diagnostics == [] and policy.parameters["tenure_years"].whole  # (--set says so of a fraction)


def test_a_unit_hint_never_keeps_the_number_under_another_unit():
    """`days_since(school_start) at least 6 years` was told to write `6 days`, and `service_years at
    least 2190 days` `2190 years`: the count in the number's unit is offered instead."""
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when days_since(school_start) at least 6 years '
                                           'then eligible\nrule R-2 "y" cite S when service_years at least 2190 days '
                                           'then eligible')
    days, years = diagnostics
    assert "to count in years, write `years_since(school_start)`; if 6 days was meant" in days.help_en
    assert "to count in days, write `days_since(work_start)`; if 2190 years was meant" in years.help_en
    assert [e.text for f in days.fixes for e in f.edits] == ["years_since(school_start)"]
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when tenure at least 72 months then eligible')
    assert "`6 years`" in diagnostics[0].help_en  # an exact conversion is still given


def test_repealing_every_rule_an_exemption_sets_aside_is_said_at_the_repeal(tmp_path):
    """A county that repeals FJ-2 also silently ended FJ-X1 (新教师不交流), whose one rule it was:
    the check says so (L312), at the repeal the drafter wrote."""
    import policylang

    (tmp_path / "base.pol").write_text(HEADER + 'rule R-1 "满6年" cite S when tenure at least 6 years then must_rotate\n'
                                       'exemption E-1 "新教师" as new_teacher cite S to R-1 '
                                       'when service_years less than 3 years\n', encoding="utf-8")
    (tmp_path / "county.pol").write_text('extends "base.pol"\npolicy "县"\n  as of 2025-09-01\nsource C "县"\n'
                                         'repeal R-1 "改为本县第三条"\n'
                                         'rule C-1 "满2年" cite C when tenure at least 2 years then must_rotate\n',
                                         encoding="utf-8")
    policy = policylang.load(tmp_path / "county.pol")
    (said,) = [d for d in policy.checked.diagnostics if d.code == "L312"]
    assert said.span.line == 5 and said.span.source.endswith("county.pol")
    assert "豁免 `E-1`" in said.message("zh") and "override exemption E-1" in said.help_zh


def test_a_misspelt_field_is_one_error_not_one_more_for_its_code():
    """`性別 = 女` said `性別` unknown, and then `男`/`女` unknown too: a valid code reported as wrong."""
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when 性別 = 女 then eligible\n'
                                           'rule R-2 "y" cite S when 区城 in {城区, 县城} then eligible')
    assert [(d.code, d.message("zh")) for d in diagnostics] == [("R107", "未知名称 `性別`"), ("R107", "未知名称 `区城`")]


def test_a_whole_column_in_years_compared_with_months_is_an_error_not_a_crash():
    """交流优秀年数 is a whole count held as a column, not a count since a date: the unit hint
    cannot name a `months_since` for it, and must not look for one."""
    _, diagnostics = compile_text(HEADER + 'rule R-1 "x" cite S when exchange_excellent_years at least 18 months '
                                           'then eligible')
    assert codes(diagnostics) == ["T202"] and "one unit" in diagnostics[0].help_en


def _replaced(text: str, span, new: str) -> str:
    """``text`` with the one-line ``span`` (1-based columns) replaced by ``new``."""
    lines = text.split("\n")
    line = lines[span.line - 1]
    lines[span.line - 1] = line[:span.column - 1] + new + line[span.end_column - 1:]
    return "\n".join(lines)


# 病假超过3个月 at 2025-09-01: a leave from 2025-05-31 is 3 months and a day (over 3 months as a
# period), from 2025-06-01 exactly 3 months (not over), from 2025-05-01 four whole months
SICK_LEAVE = HEADER + '''field teacher.病假开始日期: date "病假开始日期"
rule R-1 "病假超过3个月" cite S when months_since(病假开始日期) more than 3 个月 then eligible
''' + "".join(f'test "{d}" teacher {{ 性别: 女, 出生日期: 1980-01-01, 参加工作时间: 2002-09-01, 到校时间: 2010-09-01, 病假开始日期: {d} }} '
              f'expect status {"eligible" if d <= "2025-05-31" else "not_eligible"}\n'
              for d in ("2025-05-01", "2025-05-31", "2025-06-01"))


def test_more_than_a_count_of_months_is_said_not_to_be_a_period_and_both_rewrites_decide_as_they_say():
    """病假超过3个月 written `months_since(d) more than 3 个月` held only from four whole months, and
    nothing said so (drafter's trial): L317 says what it holds from, and of its two rewrites the
    period's holds from the day after three months, the count's from four whole months."""
    from policylang.analyses.testing import run_tests
    policy, diagnostics = compile_text(SICK_LEAVE)
    (d,) = diagnostics
    assert d.code == "L317" and not d.is_error
    assert d.message("zh") == ("`病假开始日期至今整月数` 是已满的整月数，`more than 3 个月` 满4个月起才成立；"
                               "而条文说期间“超过3个月”，期满3个月的次日就已超过")
    assert [r.title for r in run_tests(policy) if not r.passed] == ["2025-05-31"]  # as written: 4 months
    period, count = d.fixes
    assert period.edits[0].text == "病假开始日期 + 3 个月 less than 参考日期" and period.edits[0].text in d.help_zh
    policy, diagnostics = compile_text(_replaced(SICK_LEAVE, d.span, period.edits[0].text))
    assert diagnostics == [] and all(r.passed for r in run_tests(policy))
    assert count.edits[0].text == "months_since(病假开始日期) at least 4 个月"
    policy, diagnostics = compile_text(_replaced(SICK_LEAVE, d.span, count.edits[0].text))
    assert diagnostics == [] and [r.title for r in run_tests(policy) if not r.passed] == ["2025-05-31"]


@pytest.mark.parametrize("condition, warned", [
    ("tenure at most 5 years", "school_start + 5 years at least as_of"),   # 不超过5年
    ("tenure <= 5 years", "school_start + 5 years at least as_of"),
    ("5 years < service_years", "work_start + 5 years less than as_of"),
    ("years_until(retirement_date) at most 3 years", "as_of + 3 years at least retirement_date"),
    ("tenure more than teacher_tenure", "school_start + teacher_tenure less than as_of"),
    ("tenure at least 5 years", None),          # exact either way
    ("tenure less than 5 years", None),
    ("age more than 45 years", None),           # 超过45周岁: a completed count by convention
    ("years_since(birth_date) > 45 years", None),
    ("days_since(school_start) more than 90 days", None),  # the count of days is the period's length
])
def test_a_period_warning_for_more_than_and_at_most_only(condition, warned):
    parameter = "parameter teacher_tenure = 6 years\n" if "teacher_tenure" in condition else ""
    _, diagnostics = compile_text(HEADER + parameter + f'rule R-1 "x" cite S when {condition} then eligible')
    if warned is None:
        assert codes(diagnostics) == []
    else:
        assert codes(diagnostics) == ["L317"] and f"`{warned}`" in diagnostics[0].help_en
