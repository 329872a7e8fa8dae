"""A failed in-language test, as a drafter reads it in Chinese: every part of the decision in the
words the rest of the tool uses (晋升高级教师, 未满足 …, 到农村学校, 哺乳期, 名额要求 …), not the
codes it was English in; and `expect quota … requires 0` where a quota does not apply."""

from __future__ import annotations

import json

from click.testing import CliRunner

from policylang.cli import cli

POLICY = """
policy "测试说明"
  as of 2025-09-01
source S "样例"
rule R-1 "同校满6年须交流" cite S "一"
  when post = teacher and tenure at least 6 years
  then must_rotate
  direction to_rural
exemption E-1 "产假不交流" as maternity cite S "二"
  to R-1
  when maternity_leave
exemption E-2 "哺乳期不交流" as nursing cite S "二"
  to R-1
  when nursing
precedence E-1 > E-2
prerequisite P-1 "评高级须有农村任教1年" cite S "三"
  for senior
  requires rural_years at least 1 years
quota Q-1 "城区学校每年交流不少于交流对象的10%" cite S "四"
  per school
  at schools where (school.area = urban)
  require movers at least 10% of targets rounded up
sample teacher 甲 { sex: 女, birth_date: 1980-03-01, work_start: 2005-09-01, school_start: 2015-09-01, title: first,
                    maternity_leave: true }
sample school 村小 { school_id: "S1", area: rural, stage: primary }
test "名额不适用于农村学校：requires 0 成立"
  teacher 甲
  school 村小
  expect quota Q-1 requires 0
test "说错了的期望"
  teacher 甲
  school 村小
  expect exemption nursing
  expect status must_rotate
  expect promotion senior ok
  expect quota Q-1 requires 1
"""


def test_a_failed_test_is_said_in_chinese_and_requires_0_holds_where_a_quota_does_not_apply(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"])
    out = result.output
    assert "通过 1 项，未通过 1 项" in out, out
    assert "豁免：预期 哺乳期（nursing），实际 产假（maternity）" in out
    # a status: which rule, and which exemption, gave the one the person got
    assert "结论：预期 须交流（must_rotate），实际 免于交流（exempt）（依据规则 R-1，豁免 产假）" in out
    en = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "en"]).output
    assert "status: expected must_rotate, got exempt (rule R-1, exemption maternity)" in en
    assert "晋升高级教师：预期 已满足，实际 未满足 P-1" in out
    assert "名额要求 Q-1（S1）：预期 须交流 1 人，实际 无要求（该名额不适用于此）" in out


def test_a_test_without_a_school_a_rule_reads_the_area_of_is_told_to_give_it(tmp_path):
    """A test with no `school` failed with only 实际 not_eligible: the rule read school.area, empty.
    A roster row without its school's area is refused (R006), never decided as if unknown: the
    test says the same, where it passed or failed for a reason no roster has (a school without
    its 学段 decided "not in scope" with no word of it)."""
    (tmp_path / "p.pol").write_text(
        'policy "x"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1"\n'
        '  when tenure at least 6 years and school.area = urban\n  then must_rotate\n'
        'test "没写学校"\n  teacher { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, school_start: 2010-09-01 }\n'
        '  expect status must_rotate\n'
        'test "写了学校"\n  teacher { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, school_start: 2010-09-01 }\n'
        '  school { school_id: "S1", area: rural }\n  expect status must_rotate\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    said = "测试的学校缺少区域（R-1 读取该项）：名册中此项为空的行不予处理（R006），测试中须写明（或使用样例）"
    assert out.count(said) == 1 and out.index("没写学校") < out.index(said) < out.index("写了学校")
    en = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "en"]).output
    assert "the test's school has no area, which R-1 read: a roster row without it is refused (R006)" in en


def test_a_test_s_teacher_lacking_a_required_field_is_told_it_by_its_chinese_name(tmp_path):
    import policylang

    path = tmp_path / "t.pol"
    path.write_text('policy "测试"\n  as of 2025-09-01\nsource S "来源"\n'
                    'rule R-1 "满六年须交流" cite S\n  when tenure at least 6 years\n  then must_rotate\n'
                    'test "缺字段"\n  teacher { birth_date: 1980-01-01 }\n  expect status must_rotate\n', encoding="utf-8")
    (result,) = policylang.load(path).test()
    assert result.error_zh == "测试的教师缺少性别、到校时间、参加工作时间（请写明，或使用样例）"
    assert result.error == "the test's teacher has no sex, school_start, work_start (give them, or use a sample)"


def test_a_test_s_teacher_with_a_date_after_its_reference_date_is_no_person_eval_would_decide(tmp_path):
    """A test person who started at the school after the test's date: eval refuses such a row
    (R029), so a test deciding them would pass on a person no roster of that day has."""
    import policylang

    path = tmp_path / "t.pol"
    path.write_text('policy "测试"\n  as of 2025-09-01\nsource S "来源"\n'
                    'rule R-1 "满六年须交流" cite S\n  when tenure at least 6 years\n  then must_rotate\n'
                    'test "晚到"\n  teacher { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, '
                    'school_start: 2026-03-01 }\n  expect status not_eligible\n'
                    'test "晚到，按更晚的日期"\n  as of 2026-09-01\n  teacher { sex: 男, birth_date: 1980-01-01, '
                    'work_start: 2005-09-01, school_start: 2026-03-01 }\n  expect status not_eligible\n',
                    encoding="utf-8")
    late, later = policylang.load(path).test()
    assert not late.passed and late.decision is None
    assert late.error_zh == ("测试的教师的到校时间“2026-03-01”晚于测试的参考日期（2025-09-01），名册中这样的行不按该日作决定"
                             "（R029）：请改正日期，或为测试写明 as of")
    assert later.passed, later.error


def test_a_person_of_a_test_s_small_roster_is_checked_too(tmp_path):
    import policylang

    path = tmp_path / "t.pol"
    path.write_text('policy "测试"\n  as of 2025-09-01\nsource S "来源"\n'
                    'rule R-1 "满六年须交流" cite S\n  when tenure at least 6 years\n  then must_rotate\n'
                    'quota Q-1 "每校不少于10%" cite S\n  per school\n  require movers at least 10% of targets\n'
                    'test "名额"\n  teacher { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, '
                    'school_start: 2010-09-01 }\n  school { school_id: "S1" }\n'
                    '  person P2 { sex: 女, birth_date: 1980-01-01, work_start: 2026-03-01, school_start: 2026-03-01 }\n'
                    '  expect quota Q-1 requires 1\n', encoding="utf-8")
    (result,) = policylang.load(path).test()
    assert not result.passed
    assert result.error_zh.startswith("人员 P2的到校时间“2026-03-01”、参加工作时间“2026-03-01”晚于测试的参考日期（2025-09-01）")
    assert result.error.startswith("person P2: school_start 2026-03-01, work_start 2026-03-01: after the test's")


PENALTY = """
policy "惩处不溯及既往"
  effective 2014-09-01
  as of 2025-09-01
source S "样例"
penalty PEN-1 "拒绝交流：三年内不得评优" cite S "六"
  after refused_exchange
  effect barred_from_awards "三年内不得评优评先" for 3 years
sample teacher 甲 { sex: 男, birth_date: 1980-03-01, work_start: 2005-09-01, school_start: 2015-09-01 }
sample school 村小 { school_id: "S1", area: rural, stage: primary }
test "生效前拒绝交流"
  teacher 甲 with { refused_exchange: 2013-09-01 }
  school 村小
  expect penalty PEN-1
test "期满"
  teacher 甲 with { refused_exchange: 2020-09-01 }
  school 村小
  expect penalty PEN-1 effect barred_from_awards
test "未拒绝"
  teacher 甲
  school 村小
  expect penalty PEN-1
"""


def test_a_test_expecting_a_penalty_it_does_not_get_says_what_became_of_it(tmp_path):
    """An event before the policy took effect (not retroactive), a penalty that has run out, and
    one whose event did not happen: the failed test says which, as `explain` does."""
    (tmp_path / "p.pol").write_text(PENALTY, encoding="utf-8")
    zh = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert "通过 0 项，未通过 3 项" in zh, zh
    assert "惩处：预期 PEN-1，实际 （无）（PEN-1 未触发：事件早于政策生效日期 2014-09-01，不溯及既往）" in zh
    assert "惩处：预期 PEN-1 效果 barred_from_awards，实际 （无）（PEN-1 已期满）" in zh
    assert "惩处：预期 PEN-1，实际 （无）（PEN-1 未触发）" in zh
    en = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "en"]).output
    assert ("penalty: expected PEN-1, got (none) (PEN-1 not triggered: its event came before the policy took effect "
            "on 2014-09-01, with no retroactive effect)") in en
    import policylang
    from policylang.analyses.testing import records_of
    from policylang.present.explain import explanation_text

    policy = policylang.load(tmp_path / "p.pol")
    teacher, school = records_of(policy.checked, policy.checked.tests[0])
    step = next(s for s in policy.explain(teacher, school).steps if s.id == "PEN-1")
    assert (step.outcome, step.detail) == ("before_effective", "2014-09-01")
    assert "PEN-1 拒绝交流：三年内不得评优 — 未触发：事件早于政策生效日期 2014-09-01，不溯及既往" in explanation_text(
        policy.explain(teacher, school), "zh")


CAP = """
policy "年龄上限"
  as of 2025-09-01
source S "样例"
parameter 女教师年龄上限 = 50 周岁 "女50周岁以下"
rule R-0 "校长满12年须交流" cite S "零"
  when 岗位 = 校长 and 本校任教年限 at least 12 年
  then must_rotate
rule R-1 "女50周岁以下满6年须交流" cite S "一"
  when 性别 = 女 and 年龄 at most 女教师年龄上限 and 本校任教年限 at least 6 年
  then must_rotate
rule R-2 "骨干教师可交流" cite S "二"
  when 骨干级别 at least 县级
  then eligible
sample teacher 甲 { sex: 女, birth_date: 1974-03-01, work_start: 1995-09-01, school_start: 2015-09-01 }
sample school 村小 { school_id: "S1", area: rural, stage: primary }
test "51周岁的女教师"
  teacher 甲
  school 村小
  expect status must_rotate
test "非骨干"
  teacher 甲
  school 村小
  expect rule R-2
"""


def test_a_failed_test_names_the_condition_that_did_not_hold(tmp_path):
    """A status or rule the person did not get: the rules that would give it, each with the
    condition it failed on and the values read, as `explain` words them."""
    (tmp_path / "p.pol").write_text(CAP, encoding="utf-8")
    zh = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert ("结论：预期 须交流（must_rotate），实际 不在交流范围（not_eligible）；"
            "R-1 未成立：✗ 年龄 ≤ 女教师年龄上限（年龄 = 51周岁；女教师年龄上限 = 50周岁）") in zh, zh
    assert "规则：预期 R-2，实际 （无）；R-2 未成立：✗ 骨干级别 ≥ 县级（骨干级别 = 无）" in zh
    # the rule nearest holding first: R-1 (one condition fails) before R-0, declared first (two fail)
    line = next(x for x in zh.splitlines() if "结论：预期" in x)
    assert line.index("R-1 未成立") < line.index("R-0 未成立：✗ 岗位 = 校长")
    data = json.loads(CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--format", "json"]).output)
    failed = [m["failed"] for r in data for m in r["mismatches"] if m["what"] == "status"]
    assert failed[0][0] == {"id": "R-1", "conditions": [{"text": "age <= 女教师年龄上限", "value": False, "reads": [
        {"name": "age", "value": "51 years"}, {"name": "女教师年龄上限", "value": "50 years"}]}]}
    assert [f["id"] for f in failed[0]] == ["R-1", "R-0"]


def test_a_status_the_person_got_instead_shows_the_rule_that_gave_it_and_its_values(tmp_path):
    """Expecting not_eligible for a woman of exactly 50 (以下 includes the number) said only
    `实际 须交流（依据规则 R-1）`: the rule that decided is shown with its conditions and the
    values read, as a rule that did not hold is."""
    policy = CAP.split("test ")[0] + (
        'test "刚满50周岁：不在范围（写错了）"\n'
        '  teacher 甲 with { birth_date: 1975-08-31 }\n  school 村小\n  expect status not_eligible\n')
    (tmp_path / "p.pol").write_text(policy, encoding="utf-8")
    zh = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert ("结论：预期 不在交流范围（not_eligible），实际 须交流（must_rotate）（依据规则 R-1）；R-1 成立："
            "✓ 性别 = 女（性别 = 女），✓ 年龄 ≤ 女教师年龄上限（年龄 = 50周岁；女教师年龄上限 = 50周岁），"
            "✓ 本校任教年限 ≥ 6年（本校任教年限 = 10年）") in zh, zh
    en = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "en"]).output
    assert "R-1 held: ✓ sex = F" in en and "(age = 50 years; 女教师年龄上限 = 50 years)" in en
    data = json.loads(CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--format", "json"]).output)
    (mismatch,) = data[0]["mismatches"]
    assert [h["id"] for h in mismatch["held"]] == ["R-1"] and mismatch["failed"] == []
    assert all(c["value"] is True for c in mismatch["held"][0]["conditions"])


def test_an_exemption_a_policy_lacks_is_named_as_the_test_wrote_it(tmp_path):
    """`expect exemption 重病` where no exemption gives illness was refused as `illness`, a word
    the drafter never wrote."""
    policy = CAP.split("test ")[0] + 'test "重病"\n  teacher 甲\n  school 村小\n  expect exemption 重病\n'
    (tmp_path / "p.pol").write_text(policy, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert "错误[T209]：本政策没有名为“重病”（illness）的豁免类别" in out, out


def test_a_rule_a_policy_lacks_lists_its_rules_when_no_name_is_near(tmp_path):
    policy = CAP.split("test ")[0] + 'test "x"\n  teacher 甲\n  school 村小\n  expect rule QX-2\n'
    (tmp_path / "p.pol").write_text(policy, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert "`QX-2` 不是本政策的规则" in out and "提示：本政策的规则：R-0、R-1、R-2" in out, out


UNCERTAIN = """
policy "任职年限"
  as of 2025-09-01
source S "样例"
define principal_years "校长在本校任职年限" = post_years
rule R-1 "校长任职满6年须交流" cite S "一"
  when post = principal and tenure at least 6 years and principal_years at least 6 years
  then must_rotate
sample teacher 校长 { sex: 男, birth_date: 1972-05-01, work_start: 1994-09-01, school_start: 2013-09-01,
                      post: principal }
test "未填任现职时间、到校12年：待核实"
  teacher 校长
  expect status not_eligible
  expect uncertain 任现职时间
test "写错的预期"
  teacher 校长
  expect no uncertain
test "到校不满6年：任职不可能满6年，无须核实"
  teacher 校长 with { school_start: 2022-09-01 }
  expect no uncertain
test "多写了学校的列"
  teacher 校长
  expect uncertain post_start, 学校.区域
"""


def test_expect_uncertain_pins_which_empty_values_leave_a_decision_open(tmp_path):
    """`expect uncertain 任现职时间` / `expect no uncertain`: a drafter pins that an empty value keeps
    a decision open (待核实), by the field's English or Chinese name, and that it does not where the
    other conditions settle it."""
    policy = tmp_path / "p.pol"
    policy.write_text(UNCERTAIN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["test", str(policy), "--lang", "zh"])
    assert result.exit_code == 4, result.output  # tests failed (docs/cli.md's exit codes)
    lines = result.output.splitlines()
    passed = {line.strip()[2:].split(" ", 1)[1] for line in lines if line.strip().startswith("✓")}
    assert passed == {"未填任现职时间、到校12年：待核实", "到校不满6年：任职不可能满6年，无须核实"}
    assert "数据不全待核实：预期 （无），实际 任现职时间（post_start）" in result.output
    assert "数据不全待核实：预期 任现职时间（post_start）、学校区域（school.area），实际 任现职时间（post_start）" \
        in result.output
    english = CliRunner().invoke(cli, ["test", str(policy), "--lang", "en"])
    assert "uncertain: expected (none), got post_start" in english.output


def test_expect_uncertain_of_no_such_field_is_t209(tmp_path):
    policy = tmp_path / "p.pol"
    policy.write_text(UNCERTAIN.replace("expect uncertain 任现职时间", "expect uncertain 任职时间"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(policy), "--lang", "zh"])
    assert result.exit_code != 0
    assert "[T209]：`任职时间` 不是名册的列" in result.output and "是否应为 `任现职时间`？" in result.output


MAY_DECLINE = """
policy "可暂缓"
  as of 2025-09-01
source S "样例"
rule R-1 "同校满6年须交流" cite S "一"
  when tenure at least 6 years
  then must_rotate
exemption E-1 "孕期可暂缓交流" as pregnancy cite S "二"
  to R-1
  may decline
  when pregnant
sample teacher 孕 { sex: 女, birth_date: 1985-01-01, work_start: 2005-09-01, school_start: 2015-09-01, pregnant: true }
sample school 校 { school_id: "S1", area: urban, stage: primary }
test "孕期可暂缓：仍须交流，可申请不参加"
  teacher 孕
  school 校
  expect 须交流
  expect may decline 孕期
test "未孕：无可申请不参加的情形"
  teacher 孕 with { pregnant: false }
  school 校
  expect no may decline
test "写成豁免"
  teacher 孕
  school 校
  expect exemption 孕期
test "写成没有"
  teacher 孕
  school 校
  expect no may decline
"""


def test_a_may_decline_exemption_is_tested_by_expect_may_decline_and_counts_as_covered(tmp_path):
    """The drafter's trial: 可暂缓 could not be tested (no expectation of `may_decline`), a test
    expecting `exemption 孕期` of it was told only `实际 （无）`, and coverage called it untested."""
    path = tmp_path / "p.pol"
    path.write_text(MAY_DECLINE, encoding="utf-8")
    zh = CliRunner().invoke(cli, ["test", str(path), "--lang", "zh", "--coverage"])
    assert zh.exit_code != 0
    lines = [line.replace(str(tmp_path) + "/", "") for line in zh.output.splitlines()]
    assert "  ✓ p.pol:14 孕期可暂缓：仍须交流，可申请不参加" in lines and "  ✓ p.pol:19 未孕：无可申请不参加的情形" in lines
    assert ("      豁免：预期 孕期（pregnancy），实际 （无）（依据规则 R-1，孕期（pregnancy）成立，但只是本人可申请不参加"
            "（仍为交流对象），应写 expect may decline 孕期）") in lines
    assert "      可申请不参加：预期 （无），实际 孕期（pregnancy）（依据规则 R-1）" in lines
    assert "覆盖：p.pol 的 2 项声明中有 2 项被测试覆盖（100%）" in lines
    en = CliRunner().invoke(cli, ["test", str(path), "--lang", "en"])
    assert "write `expect may decline pregnancy`" in en.output
    wrong = tmp_path / "w.pol"
    wrong.write_text(MAY_DECLINE.replace("expect may decline 孕期", "expect may decline 重病"), encoding="utf-8")
    refused = CliRunner().invoke(cli, ["check", str(wrong), "--lang", "zh"])
    assert refused.exit_code != 0 and "T209" in refused.output and "本政策没有名为“重病”（illness）的豁免类别" in refused.output


def test_a_test_without_expect_is_warned_and_said_to_assert_nothing_not_counted_as_passed(tmp_path):
    """A `test` block with no `expect` was listed ✓ and counted among the passes, and `check` said
    nothing (drafter's trial): it decides and checks nothing, whatever the policy says."""
    empty = POLICY.replace('test "名额不适用于农村学校', 'test "没有预期的测试"\n  teacher 甲\n  school 村小\ntest "名额不适用于农村学校')
    (tmp_path / "p.pol").write_text(empty, encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", str(tmp_path / "p.pol"), "--lang", "zh"])
    assert "警告[L318]：测试“没有预期的测试”没有写 expect：它不检验任何结论，政策怎样决定都会通过" in checked.output
    assert checked.output.count("L318") == 1  # the tests with an expect are not warned
    out = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert "  – " in out and "✓" not in out.split("没有预期的测试")[0].splitlines()[-1]
    assert "没有写 expect：本测试只作出决定，没有检验任何结论，不计为通过" in out
    assert "通过 1 项，未通过 1 项，未检验任何结论 1 项" in out
    results = json.loads(CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--format", "json"]).stdout)
    assert [r["asserts_nothing"] for r in results] == [True, False, False]


def test_expecting_no_penalty_is_said_in_chinese(tmp_path):
    """`惩处：预期 no penalty，实际 …` under --lang zh (drafter's trial): 无惩处."""
    (tmp_path / "p.pol").write_text(
        'policy "x"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1" when tenure at least 6 years then must_rotate\n'
        'penalty P-1 "拒绝交流的，三年内不得评优" cite S "2"\n  after refused_exchange\n  effect 不得评优 "不得评优" for 3 years\n'
        'sample teacher 甲 { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, school_start: 2010-09-01,'
        ' refused_exchange: 2025-01-01 }\n'
        'test "无惩处" teacher 甲 expect no penalty\n'
        'test "无 P-1" teacher 甲 expect no penalty P-1 effect 不得评优\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert "惩处：预期 无惩处，实际 P-1 效果 不得评优" in out
    assert "惩处：预期 无惩处 P-1 效果 不得评优，实际 P-1 效果 不得评优" in out and "no " not in out
    en = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "en"]).output
    assert "penalty: expected no penalty, got P-1 effect 不得评优" in en


def test_an_unknown_condition_beside_a_false_one_is_said_not_to_matter_as_explain_says_it(tmp_path):
    """A drafter's trial: a failed test said `✗ 岗位 = 校长 … ? 校长在本校任职年限 ≥ 10年`, asking for a
    value no decision needs, where explain marks it `–` (不影响结论)."""
    (tmp_path / "p.pol").write_text('''
policy "测试说明"
  as of 2025-09-01
source S "样例"
rule R-1 "校长任职满10年须交流" cite S "一"
  when post = principal and post_start is set and years_since(post_start) at least 10 years
  then must_rotate
test "说错了的期望"
  teacher { sex: 女, birth_date: 1980-03-01, work_start: 2005-09-01, school_start: 2015-09-01, post: teacher }
  school { school_id: "S1", area: rural, stage: primary }
  expect status must_rotate
''', encoding="utf-8")
    out = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert "R-1 未成立：✗" in out, out
    assert "? " not in out.split("R-1 未成立：", 1)[1] and "不影响结论" in out, out
