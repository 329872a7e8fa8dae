"""What-if diffs on constructed rosters whose true causes are known."""

from __future__ import annotations

import datetime as dt
import csv
import json
import re
import os
import shutil
import subprocess
from collections import Counter

import attrs
import pytest
from click.testing import CliRunner

from policylang.cli import cli
from policylang.analyses.diff import breakdown, diff, exemption_summary, sweep
from policylang.present.report import cause_text, html_report, json_report, text_report
from policylang.analyses.testing import default_record

from .conftest import HEADER, compile_text

AS_OF = dt.date(2025, 9, 1)
BASE = HEADER + """
parameter cap = 50 years
parameter tenure_min = 6 years
rule R-1 "满6年、50周岁以下须交流" cite S when tenure >= tenure_min and age <= cap then must_rotate
rule R-2 "在编可交流" cite S when on_staff then eligible
exemption E-1 "孕期" as pregnancy cite S to all rules when pregnant
"""
DRAFT = BASE.replace("parameter cap = 50 years", "parameter cap = 45 years") + """
exemption E-2 "重病" as illness cite S to all rules when serious_illness
precedence E-1 > E-2
"""


def _policies(base=BASE, draft=DRAFT):
    b, db = compile_text(base)
    d, dd = compile_text(draft)
    assert b is not None and d is not None, (db, dd)
    return b, d


def _person(policy, ident, age, tenure, school="A", **extra):
    return default_record(policy.teachers) | {
        "id": ident, "sex": "F", "birth_date": dt.date(AS_OF.year - age, 3, 1), "work_start": dt.date(1990, 9, 1),
        "school_start": dt.date(AS_OF.year - tenure, 3, 1), "school_id": school} | extra


def _schools(policy, *ids):
    return {i: default_record(policy.schools) | {"school_id": i, "area": "urban", "cluster": "C1"} for i in ids}


def _causes(report):
    return {p.id: [(c.group, c.kind, c.keys) for c in p.causes] for p in report.persons}


def test_each_change_gets_its_true_cause():
    base, draft = _policies()
    rows = [_person(base, "age", 48, 8),                       # only the lower cap moves them
            _person(base, "ill", 40, 8, serious_illness=True),  # only the new exemption moves them
            _person(base, "both", 48, 8, serious_illness=True),  # needs both to reach the draft's decision
            _person(base, "same", 30, 8),                       # unaffected
            _person(base, "young", 30, 2)]                      # unaffected
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    assert [c.key for c in report.changes] == ["parameter:cap", "exemption:E-2"]
    assert _causes(report) == {
        "age": [("status", "single", ("parameter:cap",))],
        "ill": [("status", "single", ("exemption:E-2",))],
        "both": [("status", "together", ("parameter:cap", "exemption:E-2"))],
    }
    assert report.transitions[("must_rotate", "eligible")] == 1
    assert report.transitions[("must_rotate", "exempt")] == 1
    # "both": over the new cap only the eligible R-2 fires, and an exemption of an eligible rule
    # makes no one exempt (docs/language.md section 9): not in the pool
    assert report.transitions[("must_rotate", "not_eligible")] == 1
    assert report.transitions[("must_rotate", "must_rotate")] == 1


def test_any_of_when_each_change_alone_suffices():
    base, draft = _policies(draft=BASE.replace("parameter cap = 50 years", "parameter cap = 45 years")
                            .replace("parameter tenure_min = 6 years", "parameter tenure_min = 8 years"))
    report = diff(base, draft, [_person(base, "p", 48, 7)], _schools(base, "A"), as_of=AS_OF)
    assert _causes(report) == {"p": [("status", "any_of", ("parameter:cap", "parameter:tenure_min"))]}


def test_a_rule_the_draft_adds_in_place_of_one_it_repeals_is_no_cause_alone():
    """The district repeals FJ-2 and adds JA-1, both must_rotate: a teacher both reach is named by
    JA-1 now. Added alone, JA-1 comes after FJ-2 (a base's rules before an extending file's), so
    FJ-2 still names the decision: the cause is the pair, not "JA-1 added" (it was, because the
    cause search put the draft's rules before the base's)."""
    base, _ = _policies()
    draft, diagnostics = compile_text(BASE.replace('rule R-1 "满6年、50周岁以下须交流"', 'rule R-0 "满6年须交流"')
                                      .replace("and age <= cap then", "then"))
    assert draft is not None, diagnostics
    report = diff(base, draft, [_person(base, "p", 40, 8), _person(base, "old", 55, 8)], _schools(base, "A"),
                  as_of=AS_OF)
    assert _causes(report) == {
        "p": [("status", "together", ("rule:R-1", "rule:R-0"))],  # was ("single", ("rule:R-0",))
        "old": [("status", "single", ("rule:R-0",))]}  # past the cap R-1 never fired: R-0 alone moves them


def test_a_draft_of_many_differences_is_still_taken_apart_in_pairs_and_past_that_says_so():
    """A county's redraft has some 17 differences (national → county_draft): pairs were not tried
    past 16, and every person needing two was "only all these changes together", naming a dozen."""
    result = CliRunner().invoke(cli, ["diff", "policies/national.pol", "policies/county_draft.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    by_id = {p["id"]: p for p in json.loads(result.stdout)["persons"]}
    # a vice-principal of 59: NA-1p made him a target, CD-1v makes him eligible
    assert by_id["T0058"]["causes"] == [{"part": "status", "kind": "together",
                                         "changes": ["rule:NA-1p", "rule:CD-1v"]}]
    base, draft = _policies()
    rows = [_person(base, "both", 48, 8, serious_illness=True)]
    tried = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    untried = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF, max_pair_changes=1)
    assert not untried.pairs_tried and _causes(untried) == {"both": [("status", "all", ("parameter:cap", "exemption:E-2"))]}
    assert cause_text(tried, tried.persons[0].causes[0], "zh").startswith("交流结论及依据：两项共同导致：")
    assert "未逐对拆分检验，其中部分可能无关" in cause_text(untried, untried.persons[0].causes[0], "zh")


def test_a_changed_clause_or_definition_says_what_of_it_changed():
    """`修改定义 cd_teacher_target` alone: an official could not see that 以下 became 不满, nor which
    backbone level CD-3.3 now asks for. Each says its part before → after."""
    base, _ = _policies()
    draft, diagnostics = compile_text(BASE.replace("age <= cap", "age < cap").replace('"满6年、50周岁以下须交流"',
                                                                                      '"满6年、不满50周岁须交流"'))
    assert draft is not None, diagnostics
    report = diff(base, draft, [_person(base, "p", 50, 8)], _schools(base, "A"), as_of=AS_OF)
    (change,) = [c for c in report.changes if c.key == "rule:R-1"]
    # in Chinese as explain shows it: parameters by their values, 周岁 for an age
    assert change.describe("zh") == ("修改规则 R-1“满6年、不满50周岁须交流”：标题 满6年、50周岁以下须交流 → 满6年、不满50周岁须交流；"
                                     "条件 本校任教年限 ≥ 6年 且 年龄 ≤ 50周岁 → 本校任教年限 ≥ 6年 且 年龄 < 50周岁")
    assert "condition tenure >= tenure_min and age <= cap → tenure >= tenure_min and age < cap" in change.describe("en")


def test_a_changed_condition_in_chinese_is_worded_as_explain_words_it_and_never_shown_unchanged():
    """The diff printed `年龄 ≤ cap 且 teacher_target` where explain, doc and the studio say
    `年龄 ≤ 50周岁 且 交流对象` (drafter's trial dr27): each side by its own policy's names and values.
    A condition whose new parameter has the old one's value (`cap` → `cap2`, both 50) would then read
    the same before and after: it is said by the names as written."""
    base, _ = _policies(BASE + 'define target "交流对象" = tenure >= tenure_min\n')
    draft, diagnostics = compile_text(BASE.replace("age <= cap", "age <= cap2 and target")
                                      .replace("parameter cap = 50 years", "parameter cap = 50 years\nparameter cap2 = 50 years")
                                      + 'define target "交流对象" = tenure > tenure_min\n')
    assert draft is not None, diagnostics
    report = diff(base, draft, [_person(base, "p", 50, 8)], _schools(base, "A"), as_of=AS_OF)
    said = {c.key: c for c in report.changes}
    assert said["rule:R-1"].what_zh == ("条件 本校任教年限 ≥ 6年 且 年龄 ≤ 50周岁 → "
                                        "本校任教年限 ≥ 6年 且 年龄 ≤ 50周岁 且 交流对象")
    assert (said["definition:target"].before_zh, said["definition:target"].after_zh) == (
        "本校任教年限 ≥ 6年", "本校任教年限 > 6年")
    alike, diagnostics = compile_text(BASE.replace("age <= cap", "age <= cap2")
                                      .replace("parameter cap = 50 years", "parameter cap = 50 years\nparameter cap2 = 50 years"))
    assert alike is not None, diagnostics
    (change,) = [c for c in diff(base, alike, [_person(base, "p", 50, 8)], _schools(base, "A"), as_of=AS_OF).changes
                 if c.key == "rule:R-1"]
    assert change.what_zh == "条件 本校任教年限 ≥ tenure_min 且 年龄 ≤ cap → 本校任教年限 ≥ tenure_min 且 年龄 ≤ cap2"


def test_a_changed_direction_outcome_or_category_is_said_by_its_chinese_label():
    """`交流方向 （无） → to_rural` where eval says 到农村学校 (drafter's trial)."""
    base, _ = _policies()
    draft, diagnostics = compile_text(BASE.replace("then must_rotate", "then must_rotate direction to_rural")
                                      .replace('as pregnancy cite S', 'as maternity cite S')
                                      .replace("when on_staff then eligible", "when on_staff then must_rotate"))
    assert draft is not None, diagnostics
    report = diff(base, draft, [_person(base, "p", 40, 8)], _schools(base, "A"), as_of=AS_OF)
    said = {c.key: c.describe("zh") for c in report.changes}
    assert said["rule:R-1"].endswith("交流方向 （无） → 到农村学校") and "to_rural" not in said["rule:R-1"]
    assert said["rule:R-2"].endswith("结论 可交流 → 须交流")
    assert said["exemption:E-1"].endswith("豁免类别 孕期 → 产假")
    assert {c.key: c.describe("en") for c in report.changes}["rule:R-1"].endswith("direction (none) → to_rural")


def test_a_policy_against_itself_with_a_parameter_override():
    base, _ = _policies()
    rows = [_person(base, f"p{k}", 40 + k, 8) for k in range(12)]
    report = diff(base, base, rows, _schools(base, "A"), as_of=AS_OF, draft_params={"cap": 45})
    assert [p.id for p in report.persons] == [f"p{k}" for k in range(6, 11)]  # ages 46..50
    assert {c.keys for p in report.persons for c in p.causes} == {("parameter:cap",)}
    points = sweep(base, base, rows, _schools(base, "A"), "cap", [40, 45, 50, 55], as_of=AS_OF)
    assert points == [(40, 10, 10), (45, 5, 5), (50, 0, 0), (55, 1, 1)]  # p11 is 51: only a higher cap adds them


def test_a_sweep_whose_points_all_decide_as_the_base_counts_nobody():
    base, _ = _policies()
    rows = [_person(base, f"p{k}", 40 + k, 8) for k in range(12)]
    # the base's own value, and a parameter no rule reads: every point is the base, column for column
    assert sweep(base, base, rows, _schools(base, "A"), "cap", [50], as_of=AS_OF) == [(50, 0, 0)]
    unused, _ = _policies(BASE + "parameter unused = 3 years\n")
    assert sweep(unused, unused, rows, _schools(unused, "A"), "unused", [2, 4], as_of=AS_OF) == [(2, 0, 0), (4, 0, 0)]


def test_promotion_causes_are_separate_from_status_causes():
    base, draft = _policies(draft=BASE.replace("parameter cap = 50 years", "parameter cap = 45 years") + """
prerequisite P-1 "评高级须农村经历" cite S for senior requires rural_years >= 1 years
""")
    report = diff(base, draft, [_person(base, "p", 48, 8, title="first")], _schools(base, "A"), as_of=AS_OF)
    assert _causes(report) == {"p": [("status", "single", ("parameter:cap",)),
                                     ("promotion", "single", ("prerequisite:P-1",))]}


def test_breakdowns_and_small_cells_of_sensitive_reasons_are_suppressed():
    base, draft = _policies()
    rows = ([_person(base, f"a{k}", 40, 8, school="A", serious_illness=True) for k in range(2)]
            + [_person(base, f"b{k}", 40, 8, school="B", serious_illness=True) for k in range(6)]
            + [_person(base, f"c{k}", 48, 8, school="B") for k in range(3)]
            + [_person(base, f"d{k}", 48, 8, school="C") for k in range(4)]
            + [_person(base, "e0", 40, 8, school="D", serious_illness=True)]
            + [_person(base, f"e{k}", 48, 8, school="D") for k in range(1, 7)])
    report = diff(base, draft, rows, _schools(base, "A", "B", "C", "D"), as_of=AS_OF)
    by_school = breakdown(report, "school")
    # A's two changes are its two ill teachers: A is not listed by name, its counts merged with
    # C's, the row of fewest changes besides, or the county's 22 less the others' would give A's;
    # D's one ill teacher among six other changes is not told by D's counts: D is named, its
    # sensitive count withheld (None); so is the merged row's 2, the two withheld together
    assert by_school == [
        {"value": "B", "people": 9, "changed": 9, "to_must_rotate": 0, "from_must_rotate": 9, "protected": 6,
         "suppressed": False},
        {"value": "D", "people": 7, "changed": 7, "to_must_rotate": 0, "from_must_rotate": 7, "protected": None,
         "suppressed": True},
        {"value": None, "others": 2, "people": None, "changed": 6, "to_must_rotate": 0, "from_must_rotate": 6,
         "protected": None, "suppressed": True}]
    for lang, others in (("en", "2 others (merged)"), ("zh", "其余 2 项（合并）")):
        text = text_report(report, lang)
        table = text.split("By school:" if lang == "en" else "按学校：")[1].split("\n\n")[0]
        lines = [line.strip() for line in table.split("\n")[2:]]
        assert [r.split()[-5:] for r in lines] == [["9", "9", "0", "9", "6"], ["7", "7", "0", "7", "*"],
                                                   ["—", "6", "0", "6", "*"]], table
        assert lines[0].startswith("B ") and lines[1].startswith("D ") and lines[2].startswith(others), table
    assert exemption_summary(report) == [{"exemption": "illness", "count": 9}]
    few = diff(base, draft, rows[:2] + rows[8:11], _schools(base, "A", "B"), as_of=AS_OF)
    assert exemption_summary(few) == [{"exemption": "protected (merged)", "count": None, "suppressed": True}]
    page = html_report(few, "en")
    persons = page[page.index("id='persons'"):page.index("id='privacy'")]
    # no one whose change a sensitive reason is part of is named on the page (a mask beside a name,
    # with the one new illness exemption listed among the differences, said which it was): counted
    listed = persons[:persons.index("</table>")]
    assert "illness" not in persons and "E-2" not in persons and "protected reason" not in listed
    assert "a0" not in listed and "a1" not in listed and "c0" in listed
    assert "2 of the people above involve a protected reason and are not listed" in page
    assert "另有 2 人的变化涉及受保护事由，本页不逐一列出" in html_report(few, "zh")
    causes = page[page.index("id='causes'"):page.index("</table>", page.index("id='causes'"))]
    # the two ill teachers' cause withheld, and beside it the other cause of the status: the
    # five changed less the other's three would give them
    assert causes.count("<td>*</td>") == 2 and "&lt;5" not in causes and "E-2" not in causes
    assert "fewer than 5 people" in text_report(few, "en")
    schools = {r["value"]: r for r in json.loads(json_report(few))["breakdowns"]["school"]}
    # B, the only other school, merged with A: neither is named
    assert list(schools) == [None] and schools[None]["others"] == 2 and schools[None]["changed"] == 5


def test_an_exemption_reading_a_sensitive_column_is_masked_whatever_its_category_is_called():
    """`as 哺乳` (meant: 哺乳期, nursing) made a category of its own, not sensitive: the report meant
    for circulation listed the three nursing teachers by id with 哺乳, and counted them exactly. An
    exemption that reads a sensitive column is masked, whatever its code."""
    base, _ = _policies()
    draft, diagnostics = compile_text(BASE + 'exemption E-9 "哺乳期女教师" as 哺乳 cite S to all rules when nursing\n'
                                      'precedence E-1 > E-9\n')
    assert draft is not None, diagnostics
    rows = ([_person(base, f"n{k}", 40, 8, nursing=True) for k in range(3)]
            + [_person(base, f"o{k}", 40, 8) for k in range(3)])
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    assert "哺乳" in report.sensitive_codes and [p.id for p in report.persons] == ["n0", "n1", "n2"]
    assert exemption_summary(report) == [{"exemption": "protected (merged)", "count": None, "suppressed": True}]
    assert breakdown(report, "school")[0]["protected"] is None  # 3: fewer than 5, not shown
    page = html_report(report, "zh")
    persons = page[page.index("id='persons'"):page.index("id='privacy'")]
    assert "n0" not in persons and "哺乳期女教师" not in persons and "as 哺乳" not in persons


def sick_leave_draft():
    """The base with two exemptions of the county's own: 病假超过3个月 (as 病假, a category no standard
    code fits: sensitive) and 临近退休 (as 临近退休, near_retirement: not)."""
    draft, diagnostics = compile_text(BASE + 'field teacher.病假开始日期: date "病假开始日期"\n'
                                      'exemption E-8 "病假超过3个月" as 病假 cite S to all rules\n'
                                      '  when 病假开始日期 is set and 病假开始日期 + 3 个月 less than 参考日期\n'
                                      'exemption E-9 "临近退休" as 临近退休 cite S to all rules when work_start less than 1991-01-01\n'
                                      'precedence E-1 > E-8 > E-9\n')
    assert draft is not None, diagnostics
    return draft


def test_a_category_the_county_names_itself_is_sensitive_unless_the_contract_says_it_is_not():
    """`as 病假` (病假超过3个月: no standard code fits, and its date column is the county's own, no
    sensitive one) printed its exact count, 1, in the report's causes, beside `<5` for 哺乳期
    (drafter's trial): a category none of the contract's non-sensitive codes is masked; a
    non-sensitive one (临近退休, near_retirement) is named, its count withheld only where it would
    give the masked one away."""
    base, draft = _policies()[0], sick_leave_draft()
    rows = ([_person(base, "s0", 40, 8, 病假开始日期=dt.date(2025, 1, 1), work_start=dt.date(1995, 9, 1))]
            + [_person(base, f"r{k}", 40, 8) for k in range(2)])  # work_start 1990: near retirement
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    assert "病假" in report.sensitive_codes and "near_retirement" not in report.sensitive_codes
    # the merged cell alone withheld, the three with an exemption less near_retirement's 2 would give
    # it: near_retirement's count is withheld beside it
    assert exemption_summary(report) == [{"exemption": "near_retirement", "count": None, "suppressed": True},
                                         {"exemption": "protected (merged)", "count": None, "suppressed": True}]
    text = text_report(report, "zh")
    counts = {line.split("交流结论及依据：")[1]: line.split()[0] for line in text.splitlines()
              if ("新增豁免 E-" in line or "受保护事由" in line) and "交流结论及依据：" in line
              and "：" not in line.split()[0]}
    # (their titles: in 政策差异 above; the sensitive one by no name, as the HTML page gives it)
    # 临近退休's 2 is no sensitive count, but shown beside the masked one it would give it away (the
    # headline's 3 changed, less 2): it is withheld with it
    assert counts == {"受保护事由的豁免条款": "*", "新增豁免 E-9": "*"}
    assert "政策自起名称的豁免类别也按敏感事由处理" in text


def test_a_cause_of_every_change_at_once_does_not_count_a_person_as_touched_by_a_sensitive_reason():
    """``all``: no fewer changes explain the person's; it names a sensitive exemption among the
    rest without its having mattered, so 敏感事由 does not count them (the decision's own
    exemption still does); its text still hides it."""
    base, draft = _policies()
    rows = [_person(base, f"b{k}", 40, 8, school="B", serious_illness=True) for k in range(6)]
    report = diff(base, draft, rows, _schools(base, "B"), as_of=AS_OF)
    assert report.sensitive_causes().all()
    every = attrs.evolve(report, cause_table=tuple(attrs.evolve(c, kind="all") for c in report.cause_table))
    assert not every.sensitive_causes().any()
    assert all(every.is_sensitive(c) for c in every.cause_table)  # still masked where it is written


def test_district_against_province_on_the_sample_roster():
    result = CliRunner().invoke(cli, ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {d["key"] for d in data["differences"]} == {
        "rule:FJ-2", "rule:JA-1", "rule:JA-1o", "rule:JA-2", "rule:JA-3", "exemption:JA-9", "exemption:FJ-X1", "prerequisite:JA-5a",
        "prerequisite:JA-5b",
        # what decides no one's case alone is listed too: the draft's new numbers, quota and provisions
        "parameter:age_cap_male", "parameter:age_cap_female", "parameter:rural_years_for_title",
        "parameter:weak_years_for_title", "parameter:young_teacher_age", "parameter:rural_years_young_senior",
        "quota:JA-1q", *(f"provision:JA-{n}" for n in (4, 6, 7, 8, "9b", 10, 11))}
    new_cap = next(d for d in data["differences"] if d["key"] == "parameter:age_cap_female")
    assert (new_cap["change"], new_cap["zh"]) == ("added", "新增参数 age_cap_female“女教师交流年龄上限（50周岁以下，含50）” = 50周岁")
    by_id = {p["id"]: p for p in data["persons"]}
    # T0004, a woman of 51 at the same school for 15 years: FJ-2 made her a target; the district's
    # age cap does not, JA-3 makes her eligible: both changes are needed together.
    t4 = by_id["T0004"]
    assert (t4["before"]["status"], t4["after"]["status"]) == ("must_rotate", "eligible")
    assert t4["causes"] == [{"part": "status", "kind": "together", "changes": ["rule:FJ-2", "rule:JA-3"]}]
    assert sum(t["count"] for t in data["transitions"]) == data["people"] == 400
    # a cause names only differences that can reach its part: no prerequisite moves a status
    assert {"needed", "together", "single"} <= {c["kind"] for c in data["causes"]}
    # T0034, must rotate under FJ-2, exempt from the district's JA-1 as not teaching (JA-9): no one or
    # two changes give that; of the six that can move a status, these three are each needed (the HR
    # trial was told all six were, among them JA-2 for a school not over its staffing)
    assert (by_id["T0034"]["before"]["status"], by_id["T0034"]["after"]["status"]) == ("must_rotate", "exempt")
    assert by_id["T0034"]["causes"] == [{"part": "status", "kind": "needed",
                                         "changes": ["rule:FJ-2", "rule:JA-1", "exemption:JA-9"]}]
    for cause in data["causes"]:
        reach = {"status": ("rule:", "exemption:"), "promotion": ("prerequisite:",)}[cause["part"]]
        assert all(key.startswith(reach) for key in cause["changes"]), cause


def test_cli_set_and_sweep_and_outputs(tmp_path):
    args = ["diff", "policies/fujian_pilot_district.pol", "policies/fujian_pilot_district.pol",
            "examples/teachers.csv", "--schools", "examples/schools.csv", "--set", "age_cap_female=45"]
    text = CliRunner().invoke(cli, args + ["--sweep", "age_cap_female=44..46", "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "parameter age_cap_female “女教师交流年龄上限（50周岁以下，含50）” changed: 50 years → 45 years" in text.output
    assert "sweep: people with a changed decision (of them, with a changed status) at each value of age_cap_female" \
        in text.output
    assert "  age_cap_female = 45 years: " in text.output
    zh = CliRunner().invoke(cli, args + ["--sweep", "age_cap_female=44..46", "--lang", "zh"]).output
    assert "参数扫描：age_cap_female（女教师交流年龄上限） 取各值时，决定有变化的人数（其中结论改变的人数）" in zh
    assert "  age_cap_female = 45周岁：25 人（结论改变 25 人）" in zh
    # the breakdowns: a heading over each column, schools with their names, age bands in order of age
    assert "  学校" in zh and "人数  有变化  新增须交流  不再须交流  敏感事由" in zh
    bands = [line.split()[0] for line in zh.split("按年龄段：\n")[1].split("\n\n")[0].splitlines()[1:]]
    assert len(bands) > 1 and bands == sorted(bands, key=lambda b: -1 if b[0] == "<" else int(b[:2]))
    for fmt in ("csv", "xlsx", "html", "json"):
        out = tmp_path / f"r.{fmt}"
        assert CliRunner().invoke(cli, args + ["-o", str(out)]).exit_code == 0
        assert out.stat().st_size > 0
    assert CliRunner().invoke(cli, args + ["--sweep", "age_cap_female=50..40"]).exit_code == 2
    unknown = CliRunner().invoke(cli, args + ["--sweep", "age_cap_femal=40..45", "--lang", "en"])
    assert unknown.exit_code == 2 and "did you mean `age_cap_female`" in unknown.output


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must have Chromium (.ci/run installs it) to check the HTML report")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def test_html_report_renders_in_a_real_browser(tmp_path):
    browser = _chromium()
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--sweep", "age_cap_female=45..55", "--lang", "zh", "-o", str(out)])
    assert result.exit_code == 0, result.output
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120)
    assert "<table class=\"matrix\" id=\"transitions\">" in dom.stdout
    assert dom.stdout.count("<svg") == 2  # per-school bars and the sweep curve
    assert "政策调整影响报告" in dom.stdout
    shot = tmp_path / "report.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1100,1600", out.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_diff_reports_the_change_in_each_schools_quota():
    common = ["examples/teachers.csv", "--schools", "examples/schools.csv"]
    district = "policies/fujian_pilot_district.pol"

    def movers(*extra):
        result = CliRunner().invoke(cli, ["quota", district, *common, "--format", "json", *extra])
        return {p["group"]: p["movers"] for p in json.loads(result.stdout)}

    before, after = movers(), movers("--set", "age_cap_female=40")
    expected = {g: (before[g], after[g]) for g in before if before[g] != after[g]}
    assert expected  # the lower cap removes targets somewhere
    result = CliRunner().invoke(cli, ["diff", district, district, *common, "--set", "age_cap_female=40",
                                      "--format", "json"])
    changes = json.loads(result.stdout)["quota_changes"]
    got = {r["group"]: (r["movers_before"], r["movers_after"]) for r in changes}
    assert got == expected
    # each school by its code and name, as quota names it
    with open("examples/schools.csv", encoding="utf-8-sig") as f:
        school_names = {r["school_id"]: r["name"] for r in csv.DictReader(f)}
    assert {r["group"]: r["group_name"] for r in changes} == {g: school_names[g] for g in got}
    text = CliRunner().invoke(cli, ["diff", district, district, *common, "--set", "age_cap_female=40", "--lang", "zh"])
    first = next(iter(got))
    assert f"学校 {first} {school_names[first]}：{got[first][0]} → {got[first][1]}" in text.output


def test_the_chinese_report_speaks_chinese_and_a_long_list_is_capped_in_html(tmp_path):
    args = ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol", "examples/teachers.csv",
            "--schools", "examples/schools.csv", "--lang", "zh"]
    text = CliRunner().invoke(cli, args + ["--limit", "2"]).output
    by_area = text[text.index("按区域："):text.index("按性别：")]
    assert "城区" in by_area and "urban" not in by_area
    assert "按骨干级别：" in text and "按职称：" in text and "按片区：" in text
    assert "学校 S01 中山中学：无名额要求 → 2；— → 能" in text and "None" not in text and "school" not in text
    assert text.count("T000") == 2
    out = tmp_path / "r.html"
    assert CliRunner().invoke(cli, args + ["--limit", "3", "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    persons = page[page.index("id='persons'"):page.index("</table>", page.index("id='persons'"))]
    assert persons.count("<tr>") == 1 + 3
    changed = re.search(r"决定有变化 (\d+) 人", text).group(1)
    assert f"仅列出前 3 人（共 {changed} 人）" in page
    assert "None" not in page and "True" not in page


def test_a_csv_roster_read_by_columns_gives_the_diff_of_the_same_roster_read_row_by_row(tmp_path):
    """CSV and Parquet rosters are read by the columnar reader, XLSX and JSON by the row reader."""
    outputs = []
    for teachers in ("examples/teachers.csv", "examples/teachers.parquet", "examples/teachers.xlsx"):
        out = tmp_path / (teachers.rsplit(".", 1)[1] + ".json")
        result = CliRunner().invoke(cli, ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol", teachers,
                                          "--schools", "examples/schools.csv", "--sweep", "age_cap_female=45..55",
                                          "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0]["quota_changes"] and outputs[0]["sweep"]


def test_a_bad_roster_is_refused_by_the_diff_with_every_problem_or_skipped(tmp_path):
    args = ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol", "examples/bad/teachers_bad.csv",
            "--schools", "examples/bad/schools.csv", "--lang", "en", "--format", "json"]
    refused = CliRunner().invoke(cli, args)
    evaluated = CliRunner().invoke(cli, ["eval", "policies/fujian_pilot_district.pol", "examples/bad/teachers_bad.csv",
                                         "--schools", "examples/bad/schools.csv", "--lang", "en"])
    assert refused.exit_code == evaluated.exit_code == 3
    problems = [line for line in refused.stderr.splitlines() if "[R" in line]
    assert problems and problems == [line for line in evaluated.stderr.splitlines() if "[R" in line]
    skipped = CliRunner().invoke(cli, args + ["--skip-invalid"])
    assert skipped.exit_code == 0 and "skipped 9 of 12 teachers" in skipped.stderr
    assert json.loads(skipped.stdout)["people"] == 3
    # the report itself says who it leaves out (a workbook handed on has no stderr)
    text = CliRunner().invoke(cli, args[:-2] + ["--skip-invalid", "--lang", "zh"])
    assert "共 3 人" in text.stdout and "另有 9 名教师因记录有误未作比较（--skip-invalid），不在以上人数之内" in text.stdout
    book = tmp_path / "d.xlsx"
    assert CliRunner().invoke(cli, args[:-2] + ["--skip-invalid", "--lang", "zh", "-o", str(book)]).exit_code == 0
    from openpyxl import load_workbook

    overview = {r[0]: r[1] for r in load_workbook(book)["概况"].iter_rows(values_only=True)}
    assert overview["人数"] == 3 and overview["未作比较"].startswith("另有 9 名教师因记录有误未作比较")


def test_quota_without_the_invalid_rows_says_its_counts_may_be_short(tmp_path):
    """`quota --skip-invalid` plans on the valid rows: a school's targets, and the movers its share
    requires, may be short by the teachers left out; every output a director reads says so."""
    from openpyxl import load_workbook

    args = ["quota", "policies/fujian_pilot_district.pol", "examples/bad/teachers_bad.csv", "--schools",
            "examples/bad/schools.csv", "--skip-invalid", "--lang", "zh"]
    said = "有 9 名教师因记录有误未计入（--skip-invalid）：其所在学校（或片区、乡镇）的教师人数、交流对象和本年应交流人数可能因此偏少"
    table = CliRunner().invoke(cli, args)
    assert table.exit_code == 0, table.output
    assert said in table.stdout
    book = tmp_path / "q.xlsx"
    assert CliRunner().invoke(cli, [*args, "-o", str(book)]).exit_code == 0
    notes = {r[0]: r[1] for r in load_workbook(book)["说明"].iter_rows(values_only=True)}
    assert notes["未计入的教师"].startswith(said)
    whole = CliRunner().invoke(cli, ["quota", "policies/fujian_pilot_district.pol", "examples/teachers.csv",
                                     "--schools", "examples/schools.csv", "--lang", "zh"])
    assert "未计入" not in whole.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_a_diff_in_which_nobody_changes_is_an_empty_report(fmt, tmp_path):
    out = tmp_path / f"r.{fmt}"
    result = CliRunner().invoke(cli, ["diff", "policies/miyun.pol", "policies/miyun.pol", "examples/teachers.csv",
                                      "--schools", "examples/schools.csv", "--lang", "en", "--format", fmt,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(text)
        assert (data["changed"], data["persons"], data["causes"]) == (0, [], [])
    elif fmt == "text":
        assert "400 people, 0 with a changed decision" in text
    elif fmt == "csv":
        assert text.count("\n") == 1  # the header only
    else:
        assert "<span id='changed-count'>0</span>" in text


def test_a_diff_without_as_of_decides_and_counts_quotas_at_one_date(tmp_path):
    """Two policies that differ only in their `as of` header: the diff settles one date (the
    draft's) and counts every quota at it, so nothing changes. Counting each policy's quota at
    its own header date reported a change from 0 to 1."""
    base = HEADER + """
rule R-1 "50周岁以下在编须交流" cite S when on_staff and age < 50 years then must_rotate
quota Q-1 "每校交流不少于对象的10%" cite S
  per school
  require movers at least 10% of targets where (age < 50 years) rounded up
"""
    (tmp_path / "base.pol").write_text(base, encoding="utf-8")
    (tmp_path / "draft.pol").write_text(base.replace("as of 2025-09-01", "as of 2030-09-01"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "base.pol"), str(tmp_path / "draft.pol"),
                                      "examples/teachers.csv", "--schools", "examples/schools.csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["as_of"] == "2030-09-01"
    assert report["quota_changes"] == []


def test_the_summary_tells_a_changed_status_from_another_changed_part_of_a_decision():
    base, draft = _policies(draft=BASE.replace('then must_rotate', 'then must_rotate direction to_rural'))
    rows = [_person(base, "moved", 40, 8), _person(base, "volunteer", 40, 2), _person(base, "older", 55, 8)]
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    assert len(report.changed) == 1 and report.status_changed == 0  # only R-1's direction is new
    assert "决定有变化 1 人（其中结论改变 0 人）" in text_report(report, "zh")
    base, capped = _policies()
    report = diff(base, capped, [_person(base, "age", 48, 8)], _schools(base, "A"), as_of=AS_OF)
    assert report.status_changed == 1  # must_rotate -> eligible under the lower cap
    assert "1 with a changed decision (1 with a changed status)" in text_report(report, "en")


def test_the_html_report_s_headline_gives_the_text_s_breakdown():
    base, draft = _policies(draft=BASE.replace('then must_rotate', 'then must_rotate direction to_rural'))
    report = diff(base, draft, [_person(base, "moved", 40, 8), _person(base, "older", 55, 8)], _schools(base, "A"),
                  as_of=AS_OF)
    assert "决定有变化 <span id='changed-count'>1</span> 人（其中结论改变 0 人）" in html_report(report, "zh")
    assert "<span id='changed-count'>1</span> with a changed decision (0 with a changed status)" in html_report(report)


def test_the_html_report_of_a_policy_against_itself_says_there_is_no_difference():
    """The studio trial: a text compared with itself left the heading 政策差异 over nothing."""
    base, same = _policies(), _policies()[0]
    report = diff(base[0], same, [_person(base[0], "moved", 40, 8)], _schools(base[0], "A"), as_of=AS_OF)
    assert report.changes == () or list(report.changes) == []
    assert "<ul id='differences'><li class='note'>无：两者的条款与参数都相同</li></ul>" in html_report(report, "zh")
    assert "none: the same rules and parameters" in html_report(report)


def test_the_html_report_names_each_school_as_the_text_does():
    """The text said `S04 十五中`; the HTML page, meant for officials, only `S04`."""
    result = CliRunner().invoke(cli, ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv", "--lang", "zh",
                                      "--format", "html"])
    assert result.exit_code == 0, result.output
    table = result.stdout.split("data-dimension='school'", 1)[1].split("</table>", 1)[0]
    bars = result.stdout.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "S04 十五中" in table and "S04 十五中" in bars


def test_the_html_report_heads_its_tables_and_labels_exemptions_as_the_other_outputs_do():
    """A trial of the studio's report: the matrix's note read 行为原结论 (行为, "behaviour"), each
    breakdown headed its first column 值 whatever it was by, and a changed person's exemption was
    its code (`免于交流 R-1 near_retirement`, a policy's own `JA-9`'s `not_teaching`) where the
    changed people's CSV and XLSX give its label."""
    base, _ = _policies()
    draft, diagnostics = compile_text(BASE + 'exemption E-3 "年满48周岁" as near_retirement cite S to all rules '
                                      'when age at least 48 years\n'
                                      'exemption E-4 "借调外单位" as seconded_out cite S to all rules when rural_years at least 9 years\n'
                                      'precedence E-1 > E-3 > E-4\n')
    assert draft is not None, diagnostics
    rows = [_person(base, "old", 49, 8), _person(base, "lent", 40, 8, rural_years=9), _person(base, "young", 30, 8)]
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    assert sorted(p.id for p in report.persons) == ["lent", "old"]
    own = {e.code: e.title for e in draft.all_exemptions()}  # as `diff` passes the CSV and XLSX theirs
    page = html_report(report, "zh", exemptions=own)
    assert "<p class='note'>（行：原结论，列：新结论）</p>" in page and "行为" not in page
    # each breakdown's first column headed by what it is by, as the text report heads it
    for dim, head in (("school", "学校"), ("cluster", "片区"), ("area", "区域"), ("sex", "性别"), ("age_band", "年龄段"),
                      ("title", "职称"), ("backbone", "骨干级别")):
        assert f"data-dimension='{dim}'><tr><th>{head}</th><th>人数</th>" in page
    assert "<th>值</th>" not in page
    english = html_report(report, "en", exemptions=own)
    assert "data-dimension='age_band'><tr><th>age_band</th><th>people</th>" in english
    # an exemption by its label: a built-in code as 临近退休 (not its clause's title), the policy's own by its title
    persons = page[page.index("id='persons'"):page.index("</table>", page.index("id='persons'"))]
    assert "免于交流 R-1 临近退休" in persons and "near_retirement" not in persons
    # a category of the policy's own is taken as sensitive (none of the contract's harmless codes):
    # the page handed round withholds the person, whom the CSV's record names by its label
    assert "lent" not in persons and "借调外单位" not in persons and "seconded_out" not in persons
    from policylang.present.report import person_rows

    labelled = {r["id"]: r["after_exemption"] for r in person_rows(report, "zh", own)}
    assert labelled == {"old": "临近退休", "lent": "借调外单位"}  # the CSV's words, the page's
    # in English the code, as the English CSV gives it
    assert "exempt R-1 near_retirement" in english[english.index("id='persons'"):]


@pytest.mark.parametrize("spec, zh, en", [
    ("age_cap_female=60..40", "终点 40 小于起点 60；请写作 40..60", "the end 40 is below the start 60; write 40..60"),
    # completed years: 53.5 decides as 54 does; half-year points were drawn as if they differed
    ("age_cap_female=40..55:0.5", "age_cap_female 与已满的年数（或个数）比较，只有整数取值才有区别",
     "age_cap_female is compared with whole counts"),
    ("age_cap_female=40..55:0", "步长应大于 0", "the step must be above 0"),
    ("age_cap_female=40..55:0.01", "共 1501 个取值，最多 201 个（200 步）；请加大步长", "1501 values, at most 201"),
])
def test_a_sweep_that_cannot_be_run_says_why(spec, zh, en):
    """Each of these once said "range invalid (200 steps at most)", whatever was wrong."""
    from click.testing import CliRunner

    from policylang.cli import cli

    args = ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol", "examples/teachers.csv",
            "--schools", "examples/schools.csv", "--sweep", spec]
    for lang, said in (("zh", f"--sweep {spec}：{zh}"), ("en", f"--sweep {spec}: {en}")):
        result = CliRunner().invoke(cli, [*args, "--lang", lang])
        assert result.exit_code == 2 and said in result.stderr


def test_the_changed_people_in_chinese_are_a_file_hr_can_hand_on(tmp_path):
    """`diff --lang zh -o 变化.csv/.xlsx`: Chinese headers and labels as `eval --lang zh` writes
    them, who each person is (name, school), a BOM on the CSV file, and a workbook with a frozen
    header and filters. It was English headers and codes, no names, no BOM."""
    import csv
    import io

    from openpyxl import load_workbook

    args = ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol", "examples/teachers_zh.csv",
            "--schools", "examples/schools_zh.csv", "--lang", "zh"]
    out_csv, out_xlsx = tmp_path / "变化.csv", tmp_path / "变化.xlsx"
    for out in (out_csv, out_xlsx):
        assert CliRunner().invoke(cli, [*args, "-o", str(out)]).exit_code == 0
    data = out_csv.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    first = rows[0]
    assert list(first)[:6] == ["工号", "姓名", "学校代码", "学校名称", "改变的部分", "原结论"] and "原因" in first
    assert first["工号"] == "T0001" and first["姓名"] == "邵欣" and first["学校名称"] == "九中"
    statuses = {r["原结论"] for r in rows} | {r["新结论"] for r in rows}
    assert statuses <= {"须交流", "可交流", "免于交流", "不在交流范围"} and len(statuses) > 1
    assert all("_" not in r["改变的部分"] for r in rows) and any("晋升" in r["改变的部分"] for r in rows)
    # the pilot district's not_teaching by its Chinese label, as eval --lang zh writes it, not its code
    own = {r["新豁免情形"] for r in rows} - {""}
    assert "未任课" in own and "not_teaching" not in own
    sheet = load_workbook(out_xlsx).worksheets[0]
    assert sheet.title == "结论变化" and sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    assert [c.value for c in sheet[1]] == list(first) and sheet.max_row == len(rows) + 1
    english = CliRunner().invoke(cli, [*args[:-2], "--lang", "en", "--format", "csv"]).stdout
    assert english.startswith("id,name,school_id,school_name,fields,before_status")
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 0 and text.stdout.startswith("福建省")  # the text report is still text
    # no --lang: a workbook or CSV from a Chinese roster is Chinese, as eval's, whatever the locale
    for out in (out_csv, out_xlsx):
        assert CliRunner().invoke(cli, [*args[:-2], "-o", str(out)], env={"LANG": "en_US.UTF-8"}).exit_code == 0
    assert [c.value for c in load_workbook(out_xlsx).worksheets[0][1]] == list(first)
    assert out_csv.read_text(encoding="utf-8-sig").startswith("工号,姓名,学校代码")


def test_assume_states_a_column_the_draft_declares_for_the_draft_alone(tmp_path):
    """`--assume` for a column only the draft declares (a county's own field): stated for the
    draft, not refused by the base which has no such column (what R011 told the user to do)."""
    shutil.copy("policies/fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "county.pol").write_text(
        'extends "fujian.pol"\npolicy "青溪县"\nsource QX "青溪县实施办法"\n'
        'field teacher.援派结束时间: date "援疆援藏返回日期"\n'
        'exemption QX-1 "援疆援藏返回未满2年" as aid_return cite QX "第五条" to all rules\n'
        '  when 援派结束时间 is set and within_last(援派结束时间, 2 years)\n'
        'precedence FJ-X2 > FJ-X1 > QX-1\n', encoding="utf-8")
    args = ["diff", str(tmp_path / "fujian.pol"), str(tmp_path / "county.pol"), "examples/teachers.csv",
            "--schools", "examples/schools.csv", "--lang", "zh"]
    lacking = CliRunner().invoke(cli, args)
    assert lacking.exit_code == 3 and "--assume 援派结束时间=" in lacking.output
    none = CliRunner().invoke(cli, [*args, "--assume", "援派结束时间="])
    assert none.exit_code == 0, none.output
    assert "决定有变化 0 人" in none.output
    returned = CliRunner().invoke(cli, [*args, "--assume", "援派结束时间=2024-09-01", "--assume", "nursing=false"])
    assert returned.exit_code == 0, returned.output
    assert "决定有变化 0 人" not in returned.output
    typo = CliRunner().invoke(cli, [*args, "--assume", "援派结束=2024-09-01"])
    assert typo.exit_code == 2 and "[R043]" in typo.output and "是否应为“援派结束时间”？" in typo.output
    # the province alone does not read the county's column: said so, with no near name of its own offered
    # (婴儿出生日期 was told 是否应为“出生日期”; drafter's trial)
    province = CliRunner().invoke(cli, ["eval", str(tmp_path / "fujian.pol"), "examples/teachers.csv", "--schools",
                                        "examples/schools.csv", "--lang", "zh", "--assume", "婴儿出生日期="])
    assert province.exit_code == 2 and "--assume 婴儿出生日期 [R043]：本政策没有声明、也不读取“婴儿出生日期”这一列" in province.output
    assert "是否应为" not in province.output


def test_a_draft_that_only_cites_another_clause_is_said_to_change_the_grounds_not_the_status(tmp_path):
    shutil.copy("policies/fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "county.pol").write_text(
        'extends "fujian.pol"\npolicy "青溪县"\nsource QX "青溪县实施办法"\n'
        'override rule FJ-2 "在同一所学校任教满6年的教师，须列为交流对象" cite QX "第三条"\n'
        '  when fj_teacher and fj_scope and fj_staff and tenure at least teacher_tenure\n  then must_rotate\n',
        encoding="utf-8")
    args = ["diff", str(tmp_path / "fujian.pol"), str(tmp_path / "county.pol"), "examples/teachers.csv",
            "--schools", "examples/schools.csv"]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"]).output
    assert "其中结论改变 0 人" in zh
    assert "交流结论及依据：修改规则 FJ-2" in zh and "须交流 FJ-2 → 须交流 FJ-2（变化：政策出处）；" in zh
    en = CliRunner().invoke(cli, [*args, "--lang", "en"]).output
    assert "must rotate FJ-2 → must rotate FJ-2 (changed: cite); status and its grounds: rule FJ-2 changed" in en


def test_the_changes_workbook_says_which_policies_what_differs_and_the_transitions(tmp_path):
    """Beside the changed people, a workbook handed on says what was compared, every difference
    between the policies (a clause by its title, not its id alone) and the status transitions."""
    from openpyxl import load_workbook

    import policylang

    base, draft = "policies/fujian.pol", "policies/fujian_pilot_district.pol"
    out = tmp_path / "变化.xlsx"
    args = ["diff", base, draft, "examples/teachers.csv", "--schools", "examples/schools.csv", "--lang", "zh"]
    assert CliRunner().invoke(cli, [*args, "-o", str(out)]).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["结论变化", "概况", "结论转移", "变化原因", "分项统计", "名额变化", "说明"]
    about = dict(((k, v) for k, v in book["说明"].iter_rows(min_row=2, values_only=True) if "参数" not in k))
    assert about["原政策：政策文件"] == base and about["新政策：政策文件"] == draft
    assert len(about["新政策：其内容的 SHA-256 校验值"]) == 64 and about["参考日期"] == "2025-09-01"
    assert about["假定取值（名册缺少的列）"] == "无" and about["命令"].startswith("policylang diff policies/fujian.pol")
    overview = list(book["概况"].iter_rows(values_only=True))
    assert overview[1] == ("原政策", policylang.load(base).title) and overview[2] == ("新政策", policylang.load(draft).title)
    differences = [v for k, v in overview if k == "政策差异"]
    assert "删除规则 FJ-2“在同一所学校任教满6年的教师，须列为交流对象”（废止依据：JA 四、1（1）；理由：由 JA-1 取代：" \
           "区里在6年的基础上增加了年龄上限）" in differences  # the repeal's citation and reason beside it
    assert differences == [line[4:] for line in CliRunner().invoke(cli, args).stdout.splitlines()
                           if line.startswith("  - ")]  # the text report's list, each one
    matrix = list(book["结论转移"].iter_rows(values_only=True))
    assert matrix[0] == ("原结论＼新结论", "须交流", "可交流", "免于交流", "不在交流范围")
    people = list(book["结论变化"].iter_rows(values_only=True))
    before, after = people[0].index("原结论"), people[0].index("新结论")
    moved = sum(n for row in matrix[1:] for k, n in enumerate(row[1:], 1) if matrix[0][k] != row[0])
    assert moved == sum(row[before] != row[after] for row in people[1:]) > 0
    # the analyst's trial: why, where and the quotas were in every report but the workbook handed on
    report = json.loads(CliRunner().invoke(cli, [*args[:-2], "--format", "json"]).stdout)
    quotas = list(book["名额变化"].iter_rows(values_only=True))
    text = CliRunner().invoke(cli, args).stdout
    assert len(quotas) - 1 == len(report["quota_changes"]) > 0
    assert all(f"  {g}：{b} → {a}；{fb} → {fa}" in text for g, b, a, fb, fa in quotas[1:])
    causes = list(book["变化原因"].iter_rows(values_only=True))
    # the workbook handed on withholds a sensitive reason's small count (JA-9's not_teaching is no
    # harmless contract code), and in its part of the decision at least one other beside it: the
    # JSON record keeps the numbers
    shown, exact = Counter(n for _, n in causes[1:]), Counter(c["people"] for c in report["causes"])
    assert causes[0] == ("原因", "人数") and len(causes) - 1 == len(report["causes"])
    numbers = shown - Counter({"*": shown["*"]})
    hidden = exact - numbers
    assert shown["*"] > 0 and not numbers - exact and any(n < 5 for n in hidden) and hidden.total() == shown["*"]
    withheld = Counter(text.split("：")[0] for text, n in causes[1:] if n == "*")
    assert all(n >= 2 for n in withheld.values()), withheld  # none alone in its part
    breakdowns = list(book["分项统计"].iter_rows(values_only=True))
    assert breakdowns[0] == ("分项", "取值", "人数", "有变化", "新增须交流", "不再须交流", "敏感事由")
    by_school = [r for r in breakdowns[1:] if r[0] == "学校"]
    # (a merged row of schools not named would give its people as —: JSON's null)
    assert [(r[2], r[3]) for r in by_school] == [("—" if b["people"] is None else b["people"], b["changed"])
                                                 for b in report["breakdowns"]["school"]]


def test_what_is_to_be_checked_says_a_date_may_be_known_to_the_month_and_nothing_else_can():
    """The HR trial read `待核实：任教学段空白或只有年月`: a section cannot be a year-month."""
    from policylang.lang.schema import unknown_values_text

    assert unknown_values_text(["teaching_stage", "post_start", "school.stage"], "zh") == \
        "任教学段、学校学段空白、任现职时间空白或只有年月"
    assert unknown_values_text(["rural_years"], "en") == "rural_years empty"
    assert unknown_values_text(["birth_date"], "en") == "birth_date empty or known to the month only"


def test_the_text_report_names_a_cause_by_its_ids_and_says_once_what_its_short_words_mean():
    """A cause used to repeat every clause's title (and 须以下修改合在一起才导致，缺一不可（…）) on
    each of hundreds of lines; the list of differences above already gives them in full. The
    files read apart from that list (CSV) keep the full sentence. (county_exchange → county_managed: against
    county_draft there are now more than 24 differences, which are not tried pair by pair.)"""
    result = CliRunner().invoke(cli, ["diff", "policies/county_exchange.pol", "policies/county_managed.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--as-of", "2025-09-01", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    differences, causes = result.stdout.split("政策差异：")[1].split("原因（人数）：")
    causes, people = causes.split("有变化的人员")
    assert "删除规则 ZX-1“男45周岁、女40周岁以下" in differences  # the title, once, where the change is listed
    cause_lines = [line for line in causes.splitlines() if line.strip()[:1].isdigit() or line.strip()[:1] == "*"]
    assert cause_lines and not any("“" in line for line in cause_lines)
    assert any("缺一不可：删除规则 ZX-1；新增规则 XG-0；新增豁免 XG-1b" in line for line in cause_lines)
    assert causes.count("“缺一不可”：所列修改须合在一起才导致") == 1
    assert "删除规则 ZX-1“" not in people and "两项共同导致：删除规则 ZX-1；新增规则 XG-0" in people
    listed = CliRunner().invoke(cli, ["diff", "policies/county_exchange.pol", "policies/county_managed.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--as-of", "2025-09-01", "--lang", "zh", "--format", "csv"])
    assert listed.exit_code == 0 and "删除规则 ZX-1“男45周岁、女40周岁以下" in listed.stdout


def test_a_parameter_description_with_quotes_of_its_own_is_not_quoted_again():
    """新增参数 年轻教师年龄“ASSUMPTION：“年轻教师”…” put quotes around quotes (drafter trial dr25): such a
    description is given in brackets; one without quotes keeps its quotes."""
    from policylang.analyses.diff import PolicyChange

    quoted = PolicyChange("parameter:young", "parameter", "年轻教师年龄", "added", None, "35 years", None, "35周岁",
                          about="“年轻教师”指35周岁以下")
    assert quoted.describe("zh") == "新增参数 年轻教师年龄（“年轻教师”指35周岁以下） = 35周岁"
    assert quoted.describe("en") == "parameter 年轻教师年龄 (“年轻教师”指35周岁以下) added = 35 years"
    plain = attrs.evolve(quoted, about="年轻教师的年龄上限")
    assert plain.describe("zh") == "新增参数 年轻教师年龄“年轻教师的年龄上限” = 35周岁"


def test_causes_that_differ_only_in_which_sensitive_exemption_are_one_line():
    """Trial dr26: a county adding two exemptions on sensitive reasons (哺乳期, 审查调查) got two
    identical lines in the causes, `<5 …受保护事由的豁免条款` twice, which reads as a mistake: once
    masked they say the same, so they are one line with their people added."""
    base, _ = _policies()
    draft, diagnostics = compile_text(BASE + 'exemption E-2 "重病" as illness cite S to all rules when serious_illness\n'
                                      'exemption E-3 "哺乳期" as nursing cite S to all rules when nursing\n'
                                      'precedence E-1 > E-2 > E-3\n')
    assert draft is not None, diagnostics
    rows = ([_person(base, f"i{k}", 40, 8, serious_illness=True) for k in range(3)]
            + [_person(base, f"n{k}", 40, 8, nursing=True) for k in range(3)])
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    assert len(report.cause_counts()) == 2  # each exemption the cause of three
    for lang, said in (("zh", "受保护事由的豁免条款"), ("en", "an exemption on a protected reason")):
        lines = [line.split() for line in text_report(report, lang).splitlines() if line.endswith(said)]
        assert len(lines) == 1 and lines[0][0] == "6", lines
        page = html_report(report, lang)
        causes = page[page.index("id='causes'"):page.index("</table>", page.index("id='causes'"))]
        assert causes.count(said) == 1 and "E-2" not in causes and "E-3" not in causes
    few = diff(base, draft, rows[:2] + rows[3:5], _schools(base, "A"), as_of=AS_OF)
    (line,) = [line for line in text_report(few, "zh").splitlines() if "受保护事由的豁免条款" in line]
    assert line.split()[0] == "*"  # 2 and 2: still fewer than five together


def test_a_sweep_of_a_county_draft_counts_the_statuses_that_move_beside_the_decisions(tmp_path):
    """Trial dr26: a county draft overriding the province's FJ-2 (its own citation, an age cap)
    changes the decision of everyone FJ-2 decides, whatever the cap: `--sweep 女教师年龄上限=45..50`
    against the province said 224 people at every value, a flat line, as if the cap did not matter.
    Each point now says how many of them change in status too, and that count moves."""
    from tests.conftest import ROOT

    shutil.copy(ROOT / "policies" / "fujian.pol", tmp_path / "fujian.pol")
    shutil.copy(ROOT / "tests" / "cases" / "trial" / "yunxi.pol", tmp_path / "yunxi.pol")
    args = ["diff", str(tmp_path / "fujian.pol"), str(tmp_path / "yunxi.pol"), "examples/teachers.csv",
            "--schools", "examples/schools.csv", "--sweep", "女教师年龄上限=45..50"]
    out = CliRunner().invoke(cli, [*args, "--lang", "zh"]).output
    lines = [line for line in out.splitlines() if line.startswith("  女教师年龄上限 = ")]
    assert len(lines) == 6
    changed = {line.split("：")[1].split(" 人")[0] for line in lines}
    moved = [int(line.split("结论改变 ")[1].split(" 人")[0]) for line in lines]
    assert len(changed) == 1 and moved == sorted(moved, reverse=True) and moved[0] > moved[-1], lines
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert [p["status_changed"] for p in data["sweep"]] == moved
