"""The reference date is settled once, within a range where every period and retirement date
counted from it stays in the calendar; explanations show a dated event as its date."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli

ROSTER = ["examples/teachers.csv", "--schools", "examples/schools.csv"]


@pytest.mark.parametrize("date", ["9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_reference_date_out_of_range_is_a_usage_error_not_a_crash(date):
    result = CliRunner().invoke(cli, ["eval", "policies/county_managed.pol", *ROSTER, "--as-of", date])
    assert result.exit_code == 2 and "is not between 1900-01-01 and 2199-12-31" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    policy = policylang.load("policies/county_managed.pol")
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    with pytest.raises(policylang.PolicyError, match="T214|not between"):
        policy.evaluate(roster, as_of=date)


def test_a_bad_reference_date_is_said_in_chinese_under_lang_zh():
    out = CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/county_managed.pol", *ROSTER,
                                   "--as-of", "9999-12-31"]).stderr
    assert "参考日期 9999-12-31 不在 1900-01-01 至 2199-12-31 之间" in out and "between" not in out
    out = CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/county_managed.pol", *ROSTER,
                                   "--as-of", "2025-13-01"]).stderr
    assert "--as-of：“2025-13-01”不是日期（请写作 2025-09-01）" in out


def test_the_ends_of_the_range_decide_in_every_evaluator():
    policy = policylang.load("policies/county_managed.pol")
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    for date in (dt.date(1900, 1, 1), dt.date(2199, 12, 31)):
        bulk = policy.evaluate(roster, as_of=date)
        assert [d.status for d in bulk] == [d.status for d in policy.evaluate(roster, as_of=date, engine="reference")]


def test_an_explanation_shows_a_dated_event_as_its_date():
    """`after refused_exchange` is a date, not a yes/no: the explanation used to crash on it; it
    shows the event as happened by the reference date, with its date."""
    result = CliRunner().invoke(cli, ["explain", "policies/county_draft.pol", *ROSTER, "--id", "T0011", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "✓ refused_exchange <= as_of   (refused_exchange = 2022-05-09)" in result.stdout
