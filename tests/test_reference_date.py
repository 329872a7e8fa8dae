"""The reference date is settled once, within a range where every period and retirement date
counted from it stays in the calendar; explanations show a dated event as its date."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import policylang
from policylang.backends.reference import decide as reference_decide
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
    assert "--as-of：“2025-13-01”不是有效日期：没有13月" in out  # what is wrong, as a roster cell is told
    out = CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/county_managed.pol", *ROSTER,
                                   "--as-of", "2026-02-30"]).stderr
    assert "--as-of：“2026-02-30”不是有效日期：2026年2月只有28天" in out
    out = CliRunner().invoke(cli, ["--lang", "zh", "eval", "policies/county_managed.pol", *ROSTER,
                                   "--as-of", "明天"]).stderr
    assert "--as-of：“明天”不是日期（请写作 2025-09-01）" in out


def test_the_ends_of_the_range_decide_in_every_evaluator():
    policy = policylang.load("policies/county_managed.pol")
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    late = policy.evaluate(roster, as_of=dt.date(2199, 12, 31))
    assert [d.status for d in late] == [d.status for d in policy.evaluate(roster, as_of=dt.date(2199, 12, 31),
                                                                          engine="reference")]
    # no one of the roster was born by 1900 (a roster decided then is refused, R029); its date
    # arithmetic is still the evaluators' alike, asked directly
    early = dt.date(1900, 1, 1)
    with pytest.raises(policylang.api.RosterError):
        policy.evaluate(roster, as_of=early)
    rows = roster.valid_teachers()
    bulk = policy.frame_decider(as_of=early)(policy.roster_frame(roster).lazy()).collect()["status"].to_list()
    assert bulk == [reference_decide(policy.checked, r.values, roster.schools[r.values["school_id"]], as_of=early,
                                     params=None).status for r in rows]


def test_an_explanation_shows_a_dated_event_as_its_date():
    """`after refused_exchange` is a date, not a yes/no: the explanation used to crash on it; it
    shows the event as happened by the reference date, with its date."""
    result = CliRunner().invoke(cli, ["explain", "policies/county_draft.pol", *ROSTER, "--id", "T0011", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "✓ refused_exchange <= as_of   (refused_exchange = 2022-05-09)" in result.stdout
