"""The bulk evaluator's plan grows with the policy, never with 2^depth: an expression references
each argument once (issue 12: a policy cannot run without bounds)."""

from __future__ import annotations

import datetime as dt

import pytest

import policylang
from policylang.backends.polars import Compiler


# (the innermost value, one level of nesting around {}, the comparison that makes it a condition)
NESTINGS = {
    "max": ("rural_years", "max({}, weak_years)", "at least 3 years"),
    "min": ("rural_years", "min(weak_years, {})", "at least 3 years"),
    "div": ("schools_served", "(1 / ({}))", "> 0"),
    "mul": ("schools_served", "(({}) * 2)", "> 0"),
    "add": ("schools_served", "(({}) + schools_served)", "> 0"),
    "neg": ("schools_served", "(-({}))", "> 0"),
    "if": ("rural_years", "(if pregnant then {} else weak_years)", "at least 3 years"),
}


def _plan_text(kind: str, depth: int) -> str:
    condition, wrap, comparison = NESTINGS[kind]
    for _ in range(depth):
        condition = wrap.format(condition)
    policy = policylang.loads(f'policy "深"\n  as of 2025-09-01\nrule R-1 "t"\n  when {condition} {comparison}\n'
                              f'  then must_rotate\n')
    (rule,) = policy.checked.rules
    return str(Compiler(policy.checked, dt.date(2025, 9, 1), {}).expr(rule.when))


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_nested_operators_plan_linearly(kind):
    """Nested divisions took minutes at 40 levels: the divisor was written twice (the zero test)."""
    small, large = len(_plan_text(kind, 4)), len(_plan_text(kind, 16))
    assert large < 6 * small, (small, large)  # 4x the depth, about 4x the plan; 2^depth would be 4096x


def test_nested_max_decides_as_the_interpreter():
    condition = "rural_years"
    for _ in range(30):
        condition = f"max({condition}, weak_years)"
    policy = policylang.loads(f'policy "深"\n  as of 2025-09-01\nrule R-1 "t"\n  when {condition} at least 3 years\n'
                              f'  then must_rotate\n')
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    assert [d.status for d in policy.evaluate(roster)] == [d.status for d in policy.evaluate(roster, engine="reference")]
