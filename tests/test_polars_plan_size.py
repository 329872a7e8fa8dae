"""The bulk evaluator's plan grows with the policy, never with 2^depth: an expression references
each argument once (issue 12: a policy cannot run without bounds)."""

from __future__ import annotations

import datetime as dt

import policylang
from policylang.backends.polars import Compiler


def _plan_text(depth: int) -> str:
    condition = "rural_years"
    for _ in range(depth):
        condition = f"max({condition}, weak_years)"
    policy = policylang.loads(f'policy "深"\n  as of 2025-09-01\nrule R-1 "t"\n  when {condition} at least 3 years\n'
                              f'  then must_rotate\n')
    (rule,) = policy.checked.rules
    return str(Compiler(policy.checked, dt.date(2025, 9, 1), {}).expr(rule.when))


def test_nested_min_and_max_plan_linearly():
    small, large = len(_plan_text(4)), len(_plan_text(16))
    assert large < 6 * small, (small, large)  # 4x the depth, about 4x the plan; 2^depth would be 4096x


def test_nested_max_decides_as_the_interpreter():
    condition = "rural_years"
    for _ in range(30):
        condition = f"max({condition}, weak_years)"
    policy = policylang.loads(f'policy "深"\n  as of 2025-09-01\nrule R-1 "t"\n  when {condition} at least 3 years\n'
                              f'  then must_rotate\n')
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    assert [d.status for d in policy.evaluate(roster)] == [d.status for d in policy.evaluate(roster, engine="reference")]
