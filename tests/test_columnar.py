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


def test_streamed_reading_agrees_on_edge_cases(tmp_path):
    """Blank rows, number forms and mixed date separators read as the row reader reads them."""
    header = "工号,性别,出生日期,学校代码,到校时间,参加工作时间,农村任教年限"
    lines = [header,
             "1,女,1980-03-01,S1,2015-09-01,2002-09-01,\"1,200\"",
             ",,,,,,",
             "2,男,1980-03/01,S1,2015-09-01,2002-09-01,1e3",
             "3,男,1981.3.1,S1,2015.09,2002/9/1,\"1,5\"",
             "4,女,1982年3月1日,S1,2015年9月,2002-09-01,inf"]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("school_id\nS1\n", encoding="utf-8")
    policy = policylang.load(DISTRICT)
    problems, _ = stream_decisions(policy.checked, tmp_path / "t.csv", tmp_path / "s.csv", tmp_path / "o.csv")
    reference = load_roster(tmp_path / "t.csv", tmp_path / "s.csv").problems
    assert sorted((p.row, p.column, p.value, p.code) for p in problems) == \
        sorted((p.row, p.column, p.value, p.code) for p in reference)
    assert {(p.row, p.code) for p in reference} == {(4, "R002"), (4, "R007"), (5, "R007"), (6, "R007")}
