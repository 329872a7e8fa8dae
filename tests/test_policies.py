"""Every bundled policy checks without errors and passes its own tests; a test whose
expectation is wrong is reported with the expected and the actual decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.frontend import compile_source, read_source
from policylang.source import Source
from policylang.testing import run_tests

from .conftest import POLICIES

BUNDLED = sorted(POLICIES.glob("*.pol"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_policy_is_clean(path):
    policy, diagnostics, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    assert [(d.code, d.en) for d in diagnostics] == []
    assert policy.tests, "every bundled policy pins its meaning with tests"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_policy_tests_pass(path):
    policy, _, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    failures = [(r.title, r.error, r.mismatches) for r in run_tests(policy) if not r.passed]
    assert failures == []


def test_a_wrong_expectation_fails_with_expected_and_actual():
    text = (POLICIES / "fujian.pol").read_text("utf-8").replace(
        'test "差一天满6年：不在交流对象之列"\n  teacher 教师 with { school_start: 2019-09-02 }\n  school 城区小学\n  expect status not_eligible',
        'test "差一天满6年：不在交流对象之列"\n  teacher 教师 with { school_start: 2019-09-02 }\n  school 城区小学\n  expect status must_rotate')
    policy, diagnostics, _ = compile_source(Source(str(POLICIES / "fujian.pol"), text))
    results = {r.title: r for r in run_tests(policy)}
    failed = results["差一天满6年：不在交流对象之列"]
    assert not failed.passed
    assert [(m.what, m.expected, m.actual) for m in failed.mismatches] == [("status", "must_rotate", "not_eligible")]
    assert sum(not r.passed for r in results.values()) == 1


def test_district_inherits_and_overrides_the_province():
    policy, _, _ = compile_source(read_source("policies/fujian_pilot_district.pol"))
    ids = [r.id for r in policy.rules]
    assert "FJ-2" not in ids and "JA-1" in ids and "FJ-3" in ids
    assert policy.chain == ("<prelude>", "policies/fujian.pol", "policies/fujian_pilot_district.pol")
    assert [e.id for e in policy.exemptions["JA-1"]] == ["FJ-X2", "JA-9", "FJ-X1"]
