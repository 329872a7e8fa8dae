"""The reference interpreter: statuses, precedence, promotion, penalties, null semantics."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylang.lang import ops as B
from policylang.backends.reference import decide
from policylang.analyses.testing import default_record

from .conftest import HEADER, codes, compile_text

AS_OF = dt.date(2025, 9, 1)

POLICY = HEADER + """
parameter cap = 50 years
rule R-1 "满6年须交流" cite S "一"
  when tenure at least 6 years and age at most cap
  then must_rotate
  direction to_rural
rule R-2 "在编可交流" cite S "二"
  when on_staff
  then eligible
exemption E-1 "孕期" as pregnancy cite S "三" to R-1, R-2 when pregnant
exemption E-2 "处分期内" as sanction cite S "四" to R-1 when sanction_until > as_of
precedence E-1 > E-2
prerequisite P-1 "评高级须农村2年" cite S for senior applies when school.area = urban requires rural_years >= 2 years
prerequisite P-2 "任校长须2校" cite S for principal requires schools_served >= 2
penalty X-1 "拒绝交流" cite S after refused_exchange
  effect barred_from_awards "三年内不得评优" for 3 years
  effect demoted "高职低聘"
benefit Y-1 "交流优秀" cite S when exchange_excellent_years >= 2 years effect salary_grade_up "晋升一级工资"
"""


@pytest.fixture(scope="module")
def policy():
    p, diagnostics = compile_text(POLICY)
    assert codes([d for d in diagnostics if d.is_error]) == []
    return p


def person(policy, **values):
    teacher = default_record(policy.teachers) | {
        "sex": "F", "birth_date": dt.date(1980, 1, 1), "work_start": dt.date(2000, 9, 1),
        "school_start": dt.date(2015, 9, 1), "title": "first"} | values
    return teacher


def school(policy, **values):
    return default_record(policy.schools) | {"area": "urban", "stage": "primary"} | values


def test_strongest_outcome_wins_and_names_its_rule(policy):
    d = decide(policy, person(policy), school(policy), as_of=AS_OF)
    assert (d.status, d.rule, d.direction, d.cite) == ("must_rotate", "R-1", "to_rural", ("S 一",))


def test_boundaries_follow_the_legal_reading(policy):
    exactly = decide(policy, person(policy, school_start=dt.date(2019, 9, 1)), school(policy), as_of=AS_OF)
    short = decide(policy, person(policy, school_start=dt.date(2019, 9, 2)), school(policy), as_of=AS_OF)
    at_cap = decide(policy, person(policy, birth_date=dt.date(1975, 9, 1)), school(policy), as_of=AS_OF)
    over = decide(policy, person(policy, birth_date=dt.date(1974, 8, 31)), school(policy), as_of=AS_OF)
    assert [exactly.status, short.status, at_cap.status, over.status] == [
        "must_rotate", "eligible", "must_rotate", "eligible"]


def test_exemption_turns_a_target_into_exempt(policy):
    d = decide(policy, person(policy, pregnant=True), school(policy), as_of=AS_OF)
    assert (d.status, d.rule, d.exemption, d.direction) == ("exempt", "R-1", "pregnancy", None)
    assert d.cite == ("S 一", "S 三")


def test_precedence_decides_which_exemption_is_reported(policy):
    both = person(policy, pregnant=True, sanction_until=dt.date(2026, 1, 1))
    assert decide(policy, both, school(policy), as_of=AS_OF).exemption == "pregnancy"
    sanction = person(policy, sanction_until=dt.date(2026, 1, 1))
    assert decide(policy, sanction, school(policy), as_of=AS_OF).exemption == "sanction"


def test_an_exempted_target_outranks_a_plain_eligible(policy):
    # R-2 (eligible) is not exempted by E-2, but the exempt must_rotate is stronger.
    d = decide(policy, person(policy, sanction_until=dt.date(2026, 1, 1)), school(policy), as_of=AS_OF)
    assert d.status == "exempt"


def test_every_rule_that_fired_is_carried_with_the_exemption_that_defeated_it(policy):
    from policylang.backends.polars import decide_frame, frame_from_records
    from policylang.lang.decisions import Fired

    people = {"both": person(policy, sanction_until=dt.date(2026, 1, 1), on_staff=True),
              "second": person(policy, school_start=dt.date(2024, 9, 1), on_staff=True),
              "none": person(policy, school_start=dt.date(2024, 9, 1), on_staff=False)}
    schools = {"S": school(policy, school_id="S")}
    d = {k: decide(policy, p | {"id": k, "school_id": "S"}, schools["S"], as_of=AS_OF) for k, p in people.items()}
    assert d["both"].fired == (Fired("R-1", "E-2"), Fired("R-2"))
    assert d["second"].fired == (Fired("R-2"),) and d["none"].fired == ()
    frame = frame_from_records(policy, [p | {"id": k, "school_id": "S"} for k, p in people.items()], schools)
    bulk = decide_frame(policy, frame, as_of=AS_OF, fired=True).collect()
    assert bulk["fired"].to_list() == ["R-1:E-2;R-2", "R-2", ""]
    assert [x.to_row(fired=True)["fired"] for x in d.values()] == bulk["fired"].to_list()
    assert d["both"].to_json()["fired"] == [{"rule": "R-1", "exemption": "E-2"}, {"rule": "R-2", "exemption": None}]


def test_missing_value_makes_a_rule_not_fire_and_says_unknown(policy):
    ex = decide(policy, person(policy, sanction_until=None), school(policy), as_of=AS_OF, explain=True)
    assert ex.decision.status == "must_rotate"
    step = next(s for s in ex.steps if s.id == "E-2")
    assert step.outcome == "unknown" and step.conditions[0].value is None
    # the exemption, had the date been given, could have exempted her: the decision says so
    assert ex.decision.uncertain == ex.missing == ("sanction_until",)


def test_not_eligible_when_no_rule_fires(policy):
    d = decide(policy, person(policy, on_staff=False, school_start=dt.date(2024, 9, 1)), school(policy), as_of=AS_OF)
    assert (d.status, d.rule, d.cite) == ("not_eligible", None, ())


def test_promotion_lists_unmet_prerequisites_for_the_next_title(policy):
    d = decide(policy, person(policy), school(policy), as_of=AS_OF)
    assert [(p.target, p.unmet) for p in d.promotion] == [("senior", ("P-1",)), ("principal", ("P-2",))]
    d = decide(policy, person(policy, rural_years=2, schools_served=2), school(policy), as_of=AS_OF)
    assert all(p.ok for p in d.promotion)
    rural = decide(policy, person(policy), school(policy, area="rural"), as_of=AS_OF)
    assert rural.promotion_for("senior").ok
    top = decide(policy, person(policy, title="full_senior", post="principal"), school(policy), as_of=AS_OF)
    assert top.promotion == ()


def test_penalties_run_from_the_event_for_their_duration(policy):
    """民法典 arts. 201-202: the event's day is not counted, the corresponding day is the last
    day in force, and `until` reports it."""
    recent = decide(policy, person(policy, refused_exchange=dt.date(2023, 3, 1)), school(policy), as_of=AS_OF)
    assert [(p.rule, p.effect, p.until) for p in recent.penalties] == [
        ("X-1", "barred_from_awards", dt.date(2026, 3, 1)), ("X-1", "demoted", None)]
    last_day = decide(policy, person(policy, refused_exchange=dt.date(2022, 9, 1)), school(policy), as_of=AS_OF)
    assert [(p.effect, p.until) for p in last_day.penalties] == [
        ("barred_from_awards", dt.date(2025, 9, 1)), ("demoted", None)]  # 2025-09-01 is the third year's last day
    expired = decide(policy, person(policy, refused_exchange=dt.date(2022, 8, 31)), school(policy), as_of=AS_OF)
    assert [p.effect for p in expired.penalties] == ["demoted"]  # lifted on 2025-09-01
    future = decide(policy, person(policy, refused_exchange=dt.date(2026, 1, 1)), school(policy), as_of=AS_OF)
    assert future.penalties == ()


def test_benefits(policy):
    d = decide(policy, person(policy, exchange_excellent_years=2), school(policy), as_of=AS_OF)
    assert [(b.rule, b.effect) for b in d.benefits] == [("Y-1", "salary_grade_up")]
    assert decide(policy, person(policy, exchange_excellent_years=1), school(policy), as_of=AS_OF).benefits == ()


def test_explanation_records_values_and_citations(policy):
    ex = decide(policy, person(policy, school_start=dt.date(2022, 9, 1)), school(policy), as_of=AS_OF, explain=True)
    r1 = next(s for s in ex.steps if s.id == "R-1")
    assert r1.outcome == "not_fired" and r1.cites == ("S 一",)
    tenure = r1.conditions[0]
    assert tenure.text == "tenure >= 6 years" and tenure.value is False
    assert [(r.name, r.value) for r in tenure.reads] == [("tenure", 3)]


def test_parameter_overrides_change_the_decision(policy):
    older = person(policy, birth_date=dt.date(1972, 1, 1))
    assert decide(policy, older, school(policy), as_of=AS_OF).status == "eligible"
    assert decide(policy, older, school(policy), as_of=AS_OF, params={"cap": 55}).status == "must_rotate"


# ---- the operator table --------------------------------------------------------


def test_completed_years_on_29_february():
    born = dt.date(2000, 2, 29)
    assert B.completed_years(born, dt.date(2025, 2, 27)) == 24
    assert B.completed_years(born, dt.date(2025, 2, 28)) == 25  # no 29th: the month's last day (art. 202)
    assert B.completed_months(dt.date(2025, 1, 31), dt.date(2025, 2, 28)) == 1
    assert B.completed_months(dt.date(2025, 1, 31), dt.date(2025, 2, 27)) == 0
    assert B.completed_years(born, dt.date(2024, 2, 29)) == 24


def test_date_shifts_clamp_to_month_end():
    assert B.shift_date(dt.date(2024, 2, 29), 1, "years") == dt.date(2025, 2, 28)
    assert B.shift_date(dt.date(2025, 1, 31), 1, "months") == dt.date(2025, 2, 28)
    assert B.shift_date(dt.date(2025, 1, 31), 3, "days") == dt.date(2025, 2, 3)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31)),
       st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_completed_years_is_the_last_anniversary_passed(start, end):
    years = B.completed_years(start, end)
    if end >= start:
        assert B.shift_date(start, years, "years") <= end < B.shift_date(start, years + 1, "years") or (
            start.month == 2 and start.day == 29)


def test_kleene_logic_for_missing_values():
    T = None
    assert B.apply_row("and", [False, T], []) is False
    assert B.apply_row("and", [True, T], []) is None
    assert B.apply_row("or", [True, T], []) is True
    assert B.apply_row("or", [False, T], []) is None
    assert B.apply_row("not", [T], []) is None
    assert B.apply_row("is_set", [T], []) is False
    from policylang.lang import types as Ty
    assert B.apply_row("lt", [T, 3], [Ty.YEARS, Ty.YEARS]) is None


def test_an_event_that_did_not_happen_is_explained_as_not_happened_not_unknown():
    """A penalty's empty `after` date is no event (docs: not unknown): its explanation says the
    event is false, and does not go on to its conditions as unknown."""
    import policylang

    policy = policylang.load("policies/county_draft.pol")
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    row = roster.valid_teachers()[0]
    explained = policy.explain(row.values, roster.schools[row.values["school_id"]])
    step = next(s for s in explained.steps if s.id == "CD-5a")
    assert step.outcome == "not_triggered"
    assert [(c.text, c.value) for c in step.conditions] == [("refused_exchange <= as_of", False)]
    assert step.conditions[0].text_zh == "拒绝交流日期 ≤ 参考日期"
