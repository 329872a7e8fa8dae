"""policylang verify (issue 16): the planted errors of tests/cases/verify/ are found with the
expected witnesses; the bundled policies verify, and their refinements give their answers; the
SMT translation decides random persons as the reference interpreter does (hypothesis)."""

from __future__ import annotations

import datetime as dt
import functools
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from policylang import api
from policylang.analyses import verify as V
from policylang.backends import reference, smt
from policylang.cli import cli
from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source
from policylang.lang import ops as B
from policylang.lang import schema as S

from .conftest import POLICIES, ROOT
from .test_equivalence import AS_OF as EQ_AS_OF
from .test_equivalence import policies as random_policies
from .test_equivalence import rosters as random_rosters

CASES = ROOT / "tests" / "cases" / "verify"
AS_OF = dt.date(2025, 9, 1)


def _verify(name: str, **options):
    return api.verify(api.load(CASES / name), **options)


def _only(report, kind):
    found = [f for f in report.findings if f.kind == kind]
    assert len(found) == 1, [(f.kind, f.ids) for f in report.findings]
    return found[0]


# ---- planted errors ------------------------------------------------------------------------

def test_an_unreachable_rule_is_found_and_a_reachable_one_is_not():
    report = _verify("unreachable.pol")
    finding = _only(report, "unreachable_rule")
    assert finding.ids == ("U-2",) and finding.problem and finding.witness is None
    assert not report.holds


def test_an_overlapping_pair_is_found_with_a_person_both_rules_concern_and_the_winner():
    report = _verify("overlap.pol")
    finding = _only(report, "overlap")
    assert finding.ids == ("O-1", "O-2") and not finding.problem
    w = finding.witness
    decision = w.decision("A")
    assert {f.rule for f in decision.fired} == {"O-1", "O-2"}
    assert decision.rule == finding.detail["winner"] == "O-1" and decision.direction == "to_rural"
    assert w.school["area"] in ("urban", "town") and w.school["staffing"] == "over"
    assert report.holds  # an overlap is a note, not a problem


def test_a_less_than_more_than_gap_is_found_at_exactly_the_boundary():
    report = _verify("gap.pol")
    finding = _only(report, "gap")
    assert finding.ids == ("G-1", "G-2") and finding.detail == {"quantity": "age", "value": "50", "quantity_zh": "年龄"}
    w = finding.witness
    assert B.completed_years(w.teacher["birth_date"], AS_OF) == 50
    assert B.completed_years(w.teacher["school_start"], AS_OF) >= 6  # the rest of either rule holds
    assert w.decision("A").status == "not_eligible"
    shown = CliRunner().invoke(cli, ["verify", str(CASES / "gap.pol"), "--lang", "zh"]).stdout
    assert "边界空档：G-1 要求年龄小于 50，G-2 要求大于 50" in shown  # not `age`


def test_a_shadowed_exemption_is_found_with_the_one_that_shadows_it():
    report = _verify("shadowed.pol")
    finding = _only(report, "shadowed_exemption")
    assert finding.ids == ("H-X2", "H-X1")
    w = finding.witness
    assert w.teacher["nursing"] is True
    assert w.decision("A").exemption == "family"


def test_an_exemption_that_can_never_set_aside_some_of_the_rules_it_names_is_a_note():
    """county_draft's CD-2.1 (支教 within 2 years) names CD-3.1, CD-3.3 and CD-1, whose common
    condition already requires no 支教 within 3 years: verify said nothing of it (it meets CD-1p)."""
    report = V.verify_policy(api.load(POLICIES / "county_draft.pol").checked, as_of=AS_OF)
    finding = _only(report, "exemption_dead_targets")
    assert finding.ids == ("CD-2.1", "CD-3.1", "CD-3.3", "CD-1") and not finding.problem
    shown = CliRunner().invoke(cli, ["verify", str(POLICIES / "county_draft.pol"), "--lang", "zh"])
    assert shown.exit_code == 0 and "豁免 CD-2.1 永远不会免除 CD-3.1、CD-3.3、CD-1" in shown.stdout


def test_a_rule_every_person_of_which_is_exempted_is_a_problem_with_the_exemption():
    """`verify` said 未发现问题 of a draft whose only must_rotate rule an exemption always set aside."""
    report = _verify("always_exempted.pol")
    finding = _only(report, "always_exempted")
    assert finding.ids == ("A-1", "A-X1") and finding.problem and not report.holds
    decision = finding.witness.decision("A")
    assert decision.status == "exempt" and {(f.rule, f.exemption) for f in decision.fired} >= {("A-1", "A-X1")}
    assert not [f for f in report.findings if f.ids[:1] == ("A-2",) and f.problem]  # not exempted: decides
    shown = CliRunner().invoke(cli, ["verify", str(CASES / "always_exempted.pol"), "--lang", "zh"])
    assert shown.exit_code == 6
    assert "[问题] 规则 A-1 凡适用者都被豁免（此例为 A-X1），永远不会据此作出交流决定" in shown.stdout
    # one policy: its decision, not 政策A's; a rule an exemption set aside said in words
    assert "    决定（always_exempted.pol）：免于交流" in shown.stdout and "A-1（被 A-X1 豁免）" in shown.stdout
    assert "政策A" not in shown.stdout
    # where the rule and the exemption are written, as a diagnostic says it
    assert "  --> always_exempted.pol:7（A-1），always_exempted.pol:17（A-X1）" in shown.stdout
    # the bounds in Chinese: the fields by their Chinese names
    assert "可晚于参考日期的日期：1950-01-01 至 2035-09-01：处分期满" in shown.stdout and "sanction_until" not in shown.stdout
    assert ".." not in shown.stdout and "school_start" not in shown.stdout and "到校时间 不早于 参加工作时间" in shown.stdout


def test_a_number_that_makes_a_condition_hold_for_everyone_or_no_one_is_a_problem():
    """`age at most 148 years` (48 mistyped) and `age at least 4.5 years` verified clean: within the
    ages a verification covers, each holds for everyone. A school of 12,000 students is real."""
    report = _verify("constant_bound.pol")
    found = {(f.ids, f.detail["condition"], f.detail["always"]) for f in report.findings if f.kind == "constant_bound"}
    assert found == {(("C-1",), "age <= cap_female", "true"), (("C-2",), "age >= 4.5 years", "true")}
    assert all(f.problem for f in report.findings if f.kind == "constant_bound") and not report.holds
    assert not [f for f in report.findings if "C-3" in f.ids and f.problem]
    shown = CliRunner().invoke(cli, ["verify", str(CASES / "constant_bound.pol"), "--lang", "zh"])
    assert shown.exit_code == 6
    assert "[问题] C-2 的条件 `年龄 ≥ 4.5周岁` 对下列取值范围内的每个人都成立：数值是否笔误" in shown.stdout


def test_an_overlap_whose_witness_a_third_rule_decides_says_which_of_the_two_wins():
    """`CD-1 与 CD-1v … 决定依据为 CD-3.1` answered a question no one asked: of the two, CD-1 decides."""
    report = api.verify(api.load(POLICIES / "county_draft.pol"))
    [third] = [f for f in report.findings if f.ids == ("CD-1", "CD-1v")]
    assert third.kind == "overlap_third" and third.detail["winner"] == "CD-1"
    assert third.detail["decided"] == third.witness.decision("A").rule not in ("JA-2", "JA-3")
    assert all(f.detail["winner"] == f.witness.decision("A").rule for f in report.findings if f.kind == "overlap")


def test_a_draft_that_loosens_its_base_is_found_with_a_person_in_between():
    draft, base = api.load(CASES / "draft.pol"), api.load(CASES / "base.pol")
    report = api.verify(draft, refines=base, limit=3)
    assert not report.holds and report.witnesses
    for w in report.witnesses:
        tenure = B.completed_years(w.teacher["school_start"], AS_OF)
        assert 6 <= tenure < 8, tenure
        assert w.decision("BASE").status == "must_rotate" and w.decision("DRAFT").status != "must_rotate"
    # the same draft at its base's number refines it, and the reverse question holds both ways
    assert api.verify(draft, refines=base, params={"tenure_years": "6 years"}).holds
    assert api.verify(draft, no_stricter_than=base).holds
    assert not api.verify(base, no_stricter_than=draft).holds


def test_an_allowed_exemption_excuses_only_its_own_ground():
    base = api.load(CASES / "base.pol")
    stricter = api.loads((CASES / "base.pol").read_text(encoding="utf-8").replace(
        'exemption B-X1 "孕期不交流" as pregnancy', 'exemption B-X1 "孕期或哺乳期不交流" as pregnancy').replace(
        "  when pregnant", "  when pregnant or nursing"), name="nursing.pol")
    report = api.verify(stricter, refines=base)
    assert not report.holds and all(w.decision("DRAFT").exemption == "pregnancy" for w in report.witnesses)
    # the finding names the exemption that leaves them out, where the drafter is to look
    assert {f.ids for f in report.findings} == {("B-1", "B-1", "B-X1")}
    assert api.verify(stricter, refines=base, allow_exemption=["pregnancy"]).holds
    assert api.verify(stricter, refines=base, allow_exemption=["孕期"]).holds  # its Chinese name, as `as 孕期`
    base_file = str(CASES / "base.pol")
    said = CliRunner().invoke(cli, ["verify", base_file, "--refines", base_file, "--allow-exemption", "孕期，pregnancy"])
    assert said.exit_code == 0, said.output  # a full-width comma too
    refused = CliRunner().invoke(cli, ["verify", base_file, "--refines", base_file, "--allow-exemption", "孕期、未任课",
                                       "--lang", "zh"])
    assert refused.exit_code == 2 and "没有豁免类别 未任课（not_teaching）（有：孕期（pregnancy））" in refused.stderr


def test_equivalence_finds_the_one_parameter_that_differs_and_says_which_aspect():
    base = api.load(CASES / "base.pol")
    assert api.verify(base, equivalent=base).holds
    report = api.verify(base, equivalent=base, other_params={"tenure_years": "5 years"}, only=["status"])
    assert not report.holds
    for f in report.findings:
        assert f.ids == ("status",)
        assert B.completed_years(f.witness.teacher["school_start"], AS_OF) == 5
    assert api.verify(base, equivalent=base, other_params={"tenure_years": "5 years"}, only=["promotion"]).holds


# ---- the bundled policies ------------------------------------------------------------------

BUNDLED = sorted(p.name for p in POLICIES.glob("*.pol"))


# Findings on the bundled files that are explained rather than fixed (docs/policies.md, "Verified …")
EXPLAINED = {"fujian.pol": {("FJ-X1", "FJ-2")}}  # inert at the province's 6 years; live where a county lowers it


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_policy_verifies_without_problems(name):
    report = api.verify(api.load(POLICIES / name))
    problems = {f.ids for f in report.findings if f.problem}
    assert problems == EXPLAINED.get(name, set()), [(f.kind, f.ids) for f in report.findings if f.problem]
    for f in report.findings:  # every witness shown was confirmed by the interpreter
        assert f.witness is None or f.witness.decisions


def test_the_province_s_new_teacher_exemption_lives_where_a_county_lowers_the_tenure():
    fujian = api.load(POLICIES / "fujian.pol")
    assert {f.ids for f in api.verify(fujian, params={"teacher_tenure": "2 years"}).findings if f.problem} == set()


def test_the_county_draft_does_not_refine_the_national_opinion():
    """docs/policies.md: the draft leaves out principals over its age caps (both leave out those
    not on the staff: NA-1p's own scope, 在编在岗)."""
    report = api.verify(api.load(POLICIES / "county_draft.pol"), refines=api.load(POLICIES / "national.pol"),
                        allow_exemption=["pregnancy", "maternity", "nursing", "illness", "investigation", "sanction",
                                         "recent_support"])
    assert not report.holds
    reasons = set()
    for w in report.witnesses:
        assert w.teacher["post"] in ("principal", "vice_principal") and w.decision("BASE").rule == "NA-1p"
        cap = 45 if w.teacher["sex"] == "F" else 50
        found = {"over the cap"} if B.completed_years(w.teacher["birth_date"], AS_OF) > cap else set()
        found |= {"off the staff"} if not w.teacher["on_staff"] else set()
        found |= {"a vice principal"} if w.teacher["post"] == "vice_principal" else set()  # CD-1p names 校长
        assert found, w.teacher
        reasons |= found
    assert reasons == {"over the cap"} or reasons == {"over the cap", "a vice principal"}  # each has its witness


def test_the_pilot_district_does_not_refine_fujian():
    report = api.verify(api.load(POLICIES / "fujian_pilot_district.pol"), refines=api.load(POLICIES / "fujian.pol"),
                        allow_exemption=["pregnancy", "new_teacher", "not_teaching"], limit=10)
    assert not report.holds
    (w,) = report.witnesses  # one reason only: the district's age caps
    cap = 50 if w.teacher["sex"] == "F" else 55
    assert w.decision("BASE").rule == "FJ-2" and w.decision("DRAFT").status in ("eligible", "not_eligible")
    assert B.completed_years(w.teacher["birth_date"], AS_OF) == cap + 1


# ---- the command ---------------------------------------------------------------------------

def test_the_command_exits_6_with_witnesses_that_eval_reproduces(tmp_path):
    runner = CliRunner()
    out = tmp_path / "w"
    result = runner.invoke(cli, ["verify", str(CASES / "draft.pol"), "--refines", str(CASES / "base.pol"),
                                 "-o", str(out), "--format", "json", "--lang", "en"])
    assert result.exit_code == 6, result.output
    data = json.loads(result.output)
    assert data["question"] == "refines" and not data["holds"]
    assert data["coverage"]["as_of"] == "2025-09-01" and data["coverage"]["bounds"]["ages"] == "16–70"
    evaluated = runner.invoke(cli, ["eval", str(CASES / "base.pol"), str(out / "teachers.csv"), "--schools",
                                    str(out / "schools.csv"), "--format", "json"])
    assert evaluated.exit_code == 0, evaluated.output
    statuses = {d["id"]: d["status"] for d in json.loads(evaluated.output)}
    assert statuses and set(statuses.values()) == {"must_rotate"}
    assert set(statuses) == {f["witness"]["teacher"]["id"] for f in data["findings"]}


def test_the_domain_begins_at_the_youngest_age_a_roster_takes_and_its_witness_reads_back(tmp_path):
    """A rule only a teacher of 16 or 17 meets (the roster readers take working life from 16) is
    reachable, and its witnesses are rows eval reads: verify's domain began at 18, a narrower world
    than eval's, and called such a rule unreachable."""
    def policy(name: str, years: int):
        (tmp_path / name).write_text(
            'policy "未满18周岁的教师"\n  as of 2025-09-01\nsource S "样例"\n\n'
            'rule Y-1 "未满18周岁、同校任教满1年的教师须交流"\n  cite S "一"\n'
            f'  when post = teacher and age less than {years} years and tenure at least 1 years\n'
            '  then must_rotate\n', encoding="utf-8")
        return tmp_path / name
    young, younger = policy("young.pol", 18), policy("younger.pol", 16)
    assert not [f for f in api.verify(api.load(young)).findings if f.kind == "unreachable_rule"]
    assert [f.ids for f in api.verify(api.load(younger)).findings if f.kind == "unreachable_rule"] == [("Y-1",)]
    runner = CliRunner()
    out = tmp_path / "w"
    result = runner.invoke(cli, ["verify", str(young), "--equivalent", str(younger), "-o", str(out),
                                 "--format", "json", "--lang", "en"])
    assert result.exit_code == 6, result.output
    witnesses = [f["witness"]["teacher"] for f in json.loads(result.output)["findings"]]
    assert witnesses, result.output
    for teacher in witnesses:
        birth, start = dt.date.fromisoformat(teacher["birth_date"]), dt.date.fromisoformat(teacher["school_start"])
        assert 16 <= B.completed_years(birth, AS_OF) < 18 and B.completed_years(birth, start) >= 16
    evaluated = runner.invoke(cli, ["eval", str(young), str(out / "teachers.csv"), "--schools",
                                    str(out / "schools.csv"), "--format", "json"])
    assert evaluated.exit_code == 0, evaluated.output  # every witness a row the roster reader takes
    assert {d["status"] for d in json.loads(evaluated.output)} == {"must_rotate"}


def test_the_command_says_what_a_yes_covered_in_chinese():
    result = CliRunner().invoke(cli, ["verify", str(POLICIES / "national.pol"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output and "参考日期 2025-09-01" in result.output
    assert "年龄（周岁）：16–70" in result.output and "principal_term=3年" in result.output


def test_usage_errors_are_refused_without_a_traceback():
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", str(CASES / "base.pol"), "--allow-exemption", "pregnancy", "--lang", "en"])
    assert result.exit_code == 2 and "--allow-exemption goes with --refines" in result.output
    result = runner.invoke(cli, ["verify", str(CASES / "draft.pol"), "--refines", str(CASES / "base.pol"),
                                 "--allow-exemption", "pregnacy", "--lang", "en"])
    assert result.exit_code == 2 and "no exemption code pregnacy" in result.output


def test_a_witness_the_interpreter_does_not_confirm_fails_the_command(monkeypatch):
    """A translation bug must never be shown as a finding."""
    monkeypatch.setattr(reference, "decide", lambda policy, t, s, **kw: _not_rotating(policy, t, s, **kw))
    result = CliRunner().invoke(cli, ["verify", str(CASES / "draft.pol"), "--refines", str(CASES / "base.pol"),
                                      "--lang", "en"])
    assert result.exit_code == 7 and "not confirmed by the reference interpreter" in result.output


_real_decide = reference.decide


def _not_rotating(policy, teacher, school, **kw):
    import attrs
    return attrs.evolve(_real_decide(policy, teacher, school, **kw), status="eligible")


# ---- the translation against the interpreter (differential) ---------------------------------

def _dates(low: dt.date, high: dt.date):
    return st.one_of(st.none(), st.integers(low.toordinal(), high.toordinal()).map(dt.date.fromordinal))


@st.composite
def people(draw):
    """A teacher and their school, near the boundaries the bundled policies draw (ages 40–60,
    tenures around 6 and 10 years, recent events), with empty values."""
    birth = draw(st.integers(dt.date(1960, 1, 1).toordinal(), dt.date(1990, 12, 31).toordinal()).map(dt.date.fromordinal))
    recent = _dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31))
    teacher = {"id": "T1", "school_id": "S1", "sex": draw(st.sampled_from(["M", "F"])), "birth_date": birth,
               "school_start": draw(st.integers(dt.date(2010, 1, 1).toordinal(), AS_OF.toordinal()).map(dt.date.fromordinal)),
               "work_start": draw(st.sampled_from([dt.date(2005, 9, 1), dt.date(2022, 9, 1), dt.date(2022, 9, 2)])),
               "post_start": draw(_dates(dt.date(2010, 1, 1), AS_OF)),
               "retirement_category": draw(st.sampled_from([None, 55, 50]))}
    for name in ("post", "title", "backbone", "last_rating"):
        field = next(f for f in S.TEACHER_FIELDS if f.name == name)
        codes = list(field.type.codes)
        teacher[name] = draw(st.sampled_from(codes if name in ("title", "backbone") else codes + [None]))
    for f in S.TEACHER_FIELDS:
        if f.type == S.T.BOOL:
            teacher[f.name] = draw(st.booleans())
        elif f.name in ("sanction_until", "support_end", "refused_exchange", "left_exchange_early", "exchange_failed",
                        "title_date"):
            teacher[f.name] = draw(recent)
        elif isinstance(f.type, S.T.NumberType) and f.name not in teacher:
            teacher[f.name] = draw(st.one_of(st.none(), st.sampled_from([0, 0.5, 1, 2, 3, 6])))
    school = {"school_id": "S1"}
    for f in S.SCHOOL_FIELDS:
        if isinstance(f.type, S.T.EnumType):
            school[f.name] = draw(st.sampled_from(list(f.type.codes) + [None]))
        elif f.type == S.T.BOOL:
            school[f.name] = draw(st.booleans())
    return teacher, school


@functools.cache
def loaded(name: str):
    return api.load(POLICIES / name).checked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=people(), name=st.sampled_from(BUNDLED),
       as_of=st.sampled_from([AS_OF, dt.date(2024, 12, 31), dt.date(2026, 2, 28)]))
def test_the_solver_decides_a_random_person_as_the_interpreter_does(person, name, as_of):
    teacher, school = person
    policy = loaded(name)
    assert smt.decide(policy, teacher, school, as_of=as_of).to_row(fired=True) == \
        reference.decide(policy, teacher, school, as_of=as_of).to_row(fired=True)


def test_a_translation_it_cannot_give_exactly_is_refused_by_name():
    policy = api.loads('policy "t"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S\n'
                       '  when school_start + rural_years <= as_of\n  then must_rotate\n')
    with pytest.raises(V.VerifyError) as caught:
        api.verify(policy)
    assert "school_start + rural_years" in caught.value.message("en")


def test_a_part_it_cannot_translate_inside_a_prelude_definition_is_placed_at_the_drafter_s_line(tmp_path):
    """`本校任教年限 more than 教龄` compares two counts of years: refused at `<prelude>:13:27`, a
    place no drafter can find. Now at the drafter's own condition, the prelude's part named."""
    path = tmp_path / "e5.pol"
    path.write_text('policy "t"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S\n'
                    '  when 岗位 = 教师 and 本校任教年限 more than 教龄\n  then must_rotate\n', encoding="utf-8")
    with pytest.raises(V.VerifyError) as caught:
        api.verify(api.load(path))
    zh = caught.value.message("zh")
    assert zh.startswith(f"{path}:5:") and "<prelude>" not in zh and "`本校任教年限 > 教龄`（其中 `到校时间至今整年数`）" in zh


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_solver_decides_random_policies_as_the_interpreter_does(data):
    """The generated policies of test_equivalence (thresholds, exemptions with precedence,
    prerequisites, consequences) on its generated records: where the translation takes a
    policy, it decides every record as the interpreter does; where it does not, it says so."""
    text, _ = data.draw(random_policies())
    policy, diagnostics, _ = compile_source(Source("<random>", text))
    assert policy is not None, [(d.code, d.en) for d in diagnostics if d.is_error]
    teachers, schools = data.draw(random_rosters(policy))
    for t in teachers:
        school = schools[t["school_id"]]
        try:
            solver = smt.decide(policy, t, school, as_of=EQ_AS_OF)
        except smt.Unsupported:
            reject()
        assert solver.to_row(fired=True) == reference.decide(policy, t, school, as_of=EQ_AS_OF).to_row(fired=True)


def test_a_ground_to_decline_that_no_target_can_invoke_is_found():
    report = _verify("decline.pol")
    finding = _only(report, "decline_never_applies")
    assert finding.ids == ("D-X2", "D-1") and finding.problem


def test_a_ground_to_decline_given_for_an_eligible_rule_is_found_by_verify_and_check():
    """A ground to decline is a must_rotate person's: given for a rule that concludes eligible
    (its person may volunteer or not), it is given to no one, though its condition holds for
    people that rule reaches. `check` says so at the `to` (L314) and names the rules to use."""
    report = _verify("decline_eligible.pol")
    finding = _only(report, "decline_for_eligible_only")
    assert finding.ids == ("E-X1", "E-1") and finding.problem
    _, diagnostics, _ = compile_source(Source("d.pol", (CASES / "decline_eligible.pol").read_text("utf-8")))
    [lint] = [d for d in diagnostics if d.code == "L314"]
    assert (lint.span.line, lint.severity) == (20, "warning")  # `to E-1`
    assert "`E-1` 的结论是可交流" in lint.zh and "请在 `to` 后写明这样的规则（E-2）" in lint.help_zh


def test_may_decline_keeps_a_target_and_equivalence_tells_it_from_an_exemption():
    """A ground to decline leaves the person must_rotate with `may_decline`; the same clause as an
    exemption makes them exempt: the two drafts differ in status, on a seriously ill target."""
    declining = api.load(CASES / "decline.pol")
    person = ({"id": "T", "school_id": "S1", "sex": "F", "birth_date": dt.date(1980, 1, 1), "post": "teacher",
               "school_start": dt.date(2015, 9, 1), "work_start": dt.date(2005, 9, 1), "serious_illness": True},
              {"school_id": "S1", "area": "urban"})
    decision = smt.decide(declining.checked, *person, as_of=AS_OF)
    assert decision.status == "must_rotate" and decision.may_decline == ("illness",)
    assert decision.to_row(fired=True) == reference.decide(declining.checked, *person, as_of=AS_OF).to_row(fired=True)
    exempting = api.loads((CASES / "decline.pol").read_text(encoding="utf-8").replace(
        "  may decline\n  when serious_illness", "  when serious_illness"), name="exempting.pol")
    report = api.verify(declining, equivalent=exempting, only=["status"])
    assert not report.holds
    for f in report.findings:
        a, b = f.witness.decision("A"), f.witness.decision("B")
        assert f.witness.teacher["serious_illness"] and a.status == "must_rotate" and b.status == "exempt"


@pytest.mark.parametrize("name", BUNDLED)
def test_the_solver_decides_every_test_of_the_bundled_policies_as_the_interpreter(name):
    """The bundled policies' own test records, at each test's date and parameters."""
    from policylang.analyses.testing import records_of
    from policylang.lang.policy import reference_date

    policy = loaded(name)
    assert policy.tests
    for test in policy.tests:
        teacher, school = records_of(policy, test)
        as_of = reference_date(test.as_of, policy)
        assert smt.decide(policy, teacher, school, as_of=as_of, params=test.params).to_row(fired=True) == \
            reference.decide(policy, teacher, school, as_of=as_of, params=test.params).to_row(fired=True), test.title


def test_a_county_rule_an_inherited_rule_always_decides_first_is_a_problem(tmp_path):
    """The drafter's trial: a county's own age-capped rule beside the province's FJ-2, not overriding
    it, binds no one (FJ-2 still moves a 56-year-old); verify said so only as a note. A rule of the
    same file so placed stays a note."""
    import shutil

    shutil.copy(POLICIES / "fujian.pol", tmp_path)
    county = tmp_path / "县.pol"
    county.write_text('extends "fujian.pol"\n\npolicy "县"\n  as of 2026-09-01\n\nsource 本县 "某县办法"\n\n'
                      'rule 本县-1 "男55周岁以下、女50周岁以下，同校任教满6年的，应当交流"\n  cite 本县 "第三条"\n'
                      '  when post = teacher and compulsory_school and on_staff\n'
                      '       and age at most (if sex = F then 50 years else 55 years)\n'
                      '       and tenure at least 6 years\n  then must_rotate\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(county), "--lang", "zh"])
    assert result.exit_code == 6, result.output
    assert ("[问题] 规则 本县-1 有人适用，但从不作为决定依据：所继承文件中的 FJ-2 总是先作决定，本县-1 与之不同之处"
            "（条件、交流方向等）因此对任何人都不起作用；如 本县-1 意在取代 FJ-2，请以 本县-1 的条件写 "
            "`override rule FJ-2`，或写 `repeal FJ-2`") in result.output
    # declared in one file with the rule that decides first: a note, as before
    own = tmp_path / "一.pol"
    own.write_text(open(POLICIES / "fujian.pol", encoding="utf-8").read() + county.read_text(encoding="utf-8").split(
        "source 本县 \"某县办法\"")[1].replace("cite 本县", "cite FJ"), encoding="utf-8")
    note = CliRunner().invoke(cli, ["verify", str(own), "--lang", "zh"])
    assert "从不作为决定依据：总有更强的规则" in note.output and "所继承文件" not in note.output
