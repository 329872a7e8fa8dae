"""`policylang test --coverage` and `--min-coverage`: which of a file's rules, exemptions,
prerequisites and consequences no test exercises; the test summary in both languages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from policylang.analyses.testing import coverage, run_tests
from policylang.cli import cli
from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source

from .conftest import POLICIES

POLICY = '''policy "覆盖率"
  as of 2025-09-01
source S "来源"
field teacher.refused_on: date

rule R-1 "满6年须交流" cite S "一"
  when tenure at least 6 years
  then must_rotate

rule R-2 "满30年须交流" cite S "二"
  when tenure at least 30 years
  then must_rotate

exemption E-1 "孕期" as pregnancy cite S "三"
  to R-1, R-2
  when pregnant

prerequisite P-1 "申报高级须有农村经历" cite S "四"
  for senior
  requires rural_years at least 1 year

penalty PEN-1 "拒不交流" cite S "五"
  after refused_on
  effect no_promotion for 3 years

sample teacher 教师 { sex: 女, birth_date: 1980-03-15, work_start: 2000-09-01, school_start: 2015-09-01 }

test "满10年：须交流"
  teacher 教师
  expect status must_rotate
  expect rule R-1

test "满10年、孕期：豁免（期望写错了）"
  teacher 教师 with { pregnant: true }
  expect status must_rotate
'''


@pytest.fixture
def policy_file(tmp_path):
    path = tmp_path / "coverage.pol"
    path.write_text(POLICY, encoding="utf-8")
    return path


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _checked(text: str = POLICY):
    policy, diagnostics, _ = compile_source(Source("coverage.pol", text))
    assert policy is not None, diagnostics
    return policy


def test_coverage_lists_what_no_test_exercises():
    policy = _checked()
    covered = coverage(policy, run_tests(policy))
    # R-1 fired (both tests), E-1 applied (second test); the first-grade teacher's next target is
    # `first`, so P-1 (for senior) is never checked; nobody refused, so PEN-1 never triggered
    assert [(i.kind, i.id) for i in covered.missed] == [("rule", "R-2"), ("prerequisite", "P-1"), ("penalty", "PEN-1")]
    assert round(covered.percent) == 40


def test_a_test_that_exercises_each_declaration_brings_coverage_to_100():
    text = POLICY + '''
test "满30年、一级教师、拒绝过：都用到"
  teacher 教师 with { school_start: 1990-09-01, work_start: 1990-09-01, title: first, refused_on: 2024-09-01 }
  expect status must_rotate
  expect rule R-1
  expect penalty PEN-1 effect no_promotion until 2027-09-01
  expect promotion senior unmet P-1
'''
    policy = _checked(text)
    assert coverage(policy, run_tests(policy)).missed == ()


def test_only_the_file_s_own_declarations_count():
    policy = _checked_file(POLICIES / "fujian_pilot_district.pol")
    covered = coverage(policy, run_tests(policy))
    assert covered.items and all(i.span.source.endswith("fujian_pilot_district.pol") for i in covered.items)


def _checked_file(path):
    from policylang.frontend.pipeline import load_policy
    return load_policy(path.relative_to(POLICIES.parent))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_and_coverage_in_both_languages(policy_file, lang, snapshot, monkeypatch):
    monkeypatch.chdir(policy_file.parent)
    code, output = run("--lang", lang, "test", policy_file.name, "--coverage")
    assert code == 4  # a test failed
    assert output == snapshot


def test_min_coverage_fails_below_and_passes_at_it(policy_file, monkeypatch):
    passing = policy_file.parent / "passing.pol"
    passing.write_text(POLICY.replace("expect status must_rotate\n'''", "").replace(
        "（期望写错了）\"\n  teacher 教师 with { pregnant: true }\n  expect status must_rotate",
        "\"\n  teacher 教师 with { pregnant: true }\n  expect status exempt"), encoding="utf-8")
    assert run("test", str(passing))[0] == 0
    code, output = run("test", str(passing), "--min-coverage", "50")
    assert code == 4 and "below --min-coverage 50%" in output
    assert run("test", str(passing), "--min-coverage", "40")[0] == 0
    code, output = run("test", str(passing), "--min-coverage", "101")
    assert code == 2  # not a percentage


def test_coverage_in_json(policy_file):
    code, output = run("test", str(policy_file), "--coverage", "--format", "json")
    data = json.loads(output)
    assert code == 4 and len(data["tests"]) == 2
    (only,) = data["coverage"].values()
    assert only["declarations"] == 5 and only["exercised"] == 2
    assert [i["id"] for i in only["not_exercised"]] == ["R-2", "P-1", "PEN-1"]


def test_without_coverage_json_stays_a_list_of_results(policy_file):
    _, output = run("test", str(policy_file), "--format", "json")
    assert isinstance(json.loads(output), list)
