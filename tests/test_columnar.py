"""The streaming (columnar) roster path reads and decides exactly as the row reader."""

from __future__ import annotations

import polars as pl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.columnar import stream_decisions
from policylang.roster import load_roster

DISTRICT = "policies/fujian_pilot_district.pol"


@pytest.mark.parametrize("teachers,schools", [
    ("examples/teachers.csv", "examples/schools.csv"),
    ("examples/teachers_zh.csv", "examples/schools_zh.csv"),
    ("examples/teachers.parquet", "examples/schools.csv"),
])
def test_streamed_decisions_equal_the_row_path(teachers, schools, tmp_path):
    streamed = tmp_path / "s.csv"
    policy = policylang.load(DISTRICT)
    problems, _ = stream_decisions(policy.checked, teachers, schools, streamed)
    assert problems == []
    rows = pl.read_csv(streamed, infer_schema=False).fill_null("").to_dicts()
    expected = [d.to_row() for d in policy.evaluate(policy.read_roster(teachers, schools), engine="reference")]
    assert rows == expected


def test_streamed_validation_reports_the_same_problems():
    policy = policylang.load(DISTRICT)
    problems, count = stream_decisions(policy.checked, "examples/bad/teachers_bad.csv", "examples/bad/schools.csv",
                                       "/nonexistent/never-written.csv")
    assert count == 0
    reference = load_roster("examples/bad/teachers_bad.csv", "examples/bad/schools.csv").problems
    assert sorted(map(repr, problems)) == sorted(map(repr, reference))


def test_cli_streams_to_parquet_and_skips_invalid(tmp_path):
    out = tmp_path / "d.parquet"
    result = CliRunner().invoke(cli, ["eval", DISTRICT, "examples/bad/teachers_bad.csv", "--schools",
                                      "examples/bad/schools.csv", "--skip-invalid", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out)["id"].to_list() == ["T0001", "T0010", "T0011", "T0012"]
    assert "[R002]" in result.stderr
