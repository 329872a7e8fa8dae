"""Same language, proven: random policies (thresholds, exemptions, precedence, extends with
override and repeal) on random rosters (nulls, anniversaries, 29 February) must get
identical decisions from the reference interpreter and the bulk evaluator.

    HYPOTHESIS_PROFILE=nightly .venv/bin/python -m pytest tests/test_equivalence.py   # many more cases
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylang.backends.polars import decide_frame, frame_from_records
from policylang.frontend.pipeline import compile_source
from policylang.backends.reference import decide
from policylang.core.source import Source

from .conftest import engine_row
from .test_bulk import _record

settings.register_profile("ci", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("nightly", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

AS_OF = dt.date(2025, 9, 1)
OPS = ["<", "<=", ">", ">=", "=", "!=", "at least", "at most", "less than", "more than"]
YEAR_NAMES = ["age", "tenure", "service_years", "post_years", "title_years", "years_until(retirement_date)",
              "rural_years", "weak_years", "mountain_years", "years_since(support_end)", "months_since(work_start)"]
BOOLS = ["pregnant", "nursing", "teaching", "on_staff", "serious_illness", "surplus_subject", "school.weak",
         "school.quality", "support_selected"]
DATES = ["sanction_until", "support_end", "refused_exchange", "title_date"]


@st.composite
def atoms(draw):
    kind = draw(st.integers(0, 8))
    if kind == 7:  # a ratio, compared at values a quotient of small numbers hits exactly
        ratio = draw(st.sampled_from(["0.1", "0.2", "0.5", "1", "3", "10", "1.5"]))
        return f"school.students / school.establishment {draw(st.sampled_from(OPS[:6]))} {ratio}"
    if kind == 8:  # a share of a duration, compared where it is whole
        share = draw(st.sampled_from(["10%", "15%", "20%", "50%", "12.5%"]))
        return f"{share} * {draw(st.sampled_from(['rural_years', 'weak_years']))} {draw(st.sampled_from(OPS))} " \
            f"{draw(st.integers(0, 6))} years"
    if kind == 0:
        name = draw(st.sampled_from(YEAR_NAMES))
        unit = "months" if name.startswith("months") else "years"
        value = draw(st.integers(0, 60)) if unit == "years" else draw(st.integers(0, 400))
        op = draw(st.sampled_from(OPS))
        if draw(st.booleans()):
            return f"{name} {op} P{draw(st.integers(0, 2))}" if unit == "years" else f"{name} {op} {value} months"
        return f"{name} {op} {value}{'.5' if draw(st.booleans()) and unit == 'years' else ''} {unit}"
    if kind == 1:
        return draw(st.sampled_from(BOOLS)) if draw(st.booleans()) else f"not {draw(st.sampled_from(BOOLS))}"
    if kind == 2:
        return draw(st.sampled_from(["sex = F", "sex = 男", "post = teacher", "post in {principal, vice_principal}",
                                     "school.area in {urban, town}", "school.area not in {rural, 山区}",
                                     "school.stage = primary", "school.staffing = over", "compulsory_school",
                                     "rural_school"]))
    if kind == 3:
        return f"{draw(st.sampled_from(['title', 'backbone']))} {draw(st.sampled_from(OPS[:6]))} " + \
            draw(st.sampled_from(["first", "senior", "none"]) if draw(st.booleans()) else
                 st.sampled_from(["county", "school", "national"])).replace("county", "county")
    if kind == 4:
        field = draw(st.sampled_from(DATES))
        return draw(st.sampled_from([f"{field} is set", f"{field} is empty", f"{field} > as_of",
                                     f"{field} + 2 years > as_of", f"{field} <= 2023-02-28",
                                     "school_start + rural_years <= as_of", f"{field} - weak_years > 2020-01-01",
                                     'subject = "语文"', f"within_last({field}, 2 years)",
                                     f"within_last({field}, 1 months)", f"within_last({field}, 30 days)",
                                     f"within_last({field}, rural_years)", "retirement_date at most as_of + 3 years",
                                     "retirement_date < as_of + 5 years", f"retirement_date <= {field}"]))
    if kind == 5:
        return "(if sex = F then age <= P0 else age <= P1)"
    return f"min(tenure, service_years) >= {draw(st.integers(0, 12))} years"


def _fix_titles(text: str) -> str:
    # `backbone >= first` would not type-check: give each ordered enum its own codes
    for op in OPS[:6]:
        for code in ("first", "senior"):
            text = text.replace(f"backbone {op} {code}", f"backbone {op} county")
        for code in ("county", "school", "national"):
            text = text.replace(f"title {op} {code}", f"title {op} second")
    return text


@st.composite
def conditions(draw, depth=2):
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return _fix_titles(draw(atoms()))
    left, right = draw(conditions(depth - 1)), draw(conditions(depth - 1))
    return f"({left} {draw(st.sampled_from(['and', 'or']))} {right})"


@st.composite
def policies(draw):
    params = [draw(st.integers(30, 60)) for _ in range(3)]
    lines = ['policy "random"', "  as of 2025-09-01", 'source S "s"']
    lines += [f"parameter P{k} = {v} years" for k, v in enumerate(params)]
    rules = [f"R-{k}" for k in range(draw(st.integers(1, 4)))]
    for r in rules:
        outcome = draw(st.sampled_from(["must_rotate", "eligible"]))
        direction = draw(st.sampled_from(["", "direction to_rural", "direction within_cluster"]))
        lines.append(f'rule {r} "r" cite S "{r}" when {draw(conditions())} then {outcome} {direction}')
    exemptions = [f"E-{k}" for k in range(draw(st.integers(0, 3)))]
    for e in exemptions:
        targets = "all rules" if draw(st.booleans()) else ", ".join(draw(st.lists(st.sampled_from(rules), min_size=1,
                                                                                  max_size=len(rules), unique=True)))
        code = draw(st.sampled_from(["pregnancy", "illness", "sanction", "near_retirement", "own_reason"]))
        declinable = " may decline" if draw(st.integers(0, 3)) == 0 else ""  # a ground the person may invoke
        lines.append(f'exemption {e} "e" as {code}{declinable} cite S "{e}" to {targets} when {draw(conditions(1))}')
    if len(exemptions) > 1:
        lines.append("precedence " + " > ".join(draw(st.permutations(exemptions))))
    for k in range(draw(st.integers(0, 2))):
        targets = ", ".join(draw(st.lists(st.sampled_from(["first", "senior", "full_senior", "principal"]),
                                          min_size=1, max_size=2, unique=True)))
        applies = f" applies when {draw(conditions(1))}" if draw(st.booleans()) else ""
        lines.append(f'prerequisite Q-{k} "q" cite S for {targets}{applies} requires {draw(conditions(1))}')
    for k in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["penalty", "benefit"]))
        after = draw(st.sampled_from(["refused_exchange", "exchange_failed", "support_end"]))
        duration = draw(st.sampled_from(["", " for 3 years", " for 18 months", " for 30 days", " for 0 years"]))
        when = f" when {draw(conditions(1))}" if draw(st.booleans()) else ""
        lines.append(f'{kind} C-{k} "c" cite S after {after}{when} effect e{k} "x"{duration} effect f{k}')
    return "\n".join(lines) + "\n", rules


def _children(base_rules, draw):
    lines = ['extends "base.pol"', 'policy "child"', 'source T "t"', f"override parameter P0 = {draw(st.integers(30, 60))} years"]
    if len(base_rules) > 1 and draw(st.booleans()):
        lines.append(f'repeal {base_rules[-1]} "gone"')
    if draw(st.booleans()):
        lines.append(f'override rule {base_rules[0]} "o" cite T when {draw(conditions(1))} then must_rotate')
    lines.append(f'rule K-1 "k" cite T when {draw(conditions(1))} then eligible')
    return "\n".join(lines) + "\n"


@st.composite
def rosters(draw, policy):
    """1 to 10 typed teacher records, each at a school of their own: (teachers, schools by id)."""
    n = draw(st.integers(1, 10))
    teachers, schools = [], {}
    for i in range(n):
        teachers.append(draw(_record(policy.teachers)) | {"id": f"T{i}", "school_id": f"S{i}"})
        schools[f"S{i}"] = draw(_record(policy.schools)) | {"school_id": f"S{i}"}
    return teachers, schools


def _compare(policy, data):
    teachers, schools = data.draw(rosters(policy))
    expected = [engine_row(decide(policy, t, schools[t["school_id"]], as_of=AS_OF), fired=True) for t in teachers]
    frame = frame_from_records(policy, teachers, schools)
    assert decide_frame(policy, frame, as_of=AS_OF, fired=True).collect().to_dicts() == expected


@given(data=st.data())
def test_random_policies_decide_alike(data):
    text, _ = data.draw(policies())
    policy, diagnostics, _ = compile_source(Source("<random>", text))
    assert policy is not None, [(d.code, d.en) for d in diagnostics if d.is_error]
    _compare(policy, data)


def extended_policy(data, folder):
    """A random policy extending a random base policy, both written in `folder`, checked."""
    text, rules = data.draw(policies())
    (folder / "base.pol").write_text(text, encoding="utf-8")
    child = folder / "child.pol"
    child.write_text(_children(rules, data.draw), encoding="utf-8")
    policy, diagnostics, _ = compile_source(Source(str(child), child.read_text("utf-8")))
    assert policy is not None, [(d.code, d.en) for d in diagnostics if d.is_error]
    return policy


@settings(max_examples=40)
@given(data=st.data())
def test_random_extended_policies_decide_alike(data, tmp_path):
    _compare(extended_policy(data, tmp_path), data)
