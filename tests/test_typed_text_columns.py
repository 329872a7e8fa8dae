"""A Parquet roster whose text column (an id, a name) holds yes/no values: "true" is nobody's id or
name, so both readers refuse each such cell (R048), as they do a JSON record's or a workbook's
TRUE. The streamed reader once read the name as the text "true" and decided everyone, and an id
column of yes/no values as duplicate ids."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import policylang

DISTRICT = "policies/fujian_pilot_district.pol"
TEACHERS, SCHOOLS = "examples/teachers.csv", "examples/schools.csv"
AS_OF = dt.date(2025, 9, 1)


@pytest.mark.parametrize("column", ["id", "name"])
def test_yes_no_values_in_a_text_column_are_refused_by_both_readers(tmp_path, column):
    policy = policylang.load(DISTRICT)
    roster = pl.read_csv(TEACHERS, infer_schema=False).head(6).with_columns(
        pl.Series(column, [True, False, None, True, False, True], dtype=pl.Boolean))
    path = tmp_path / "teachers.parquet"
    roster.write_parquet(path)

    streamed = policy.stream_decisions(path, SCHOOLS, tmp_path / "out.csv", as_of=AS_OF)
    rows = policy.read_roster(path, SCHOOLS)
    said = sorted((p.code, p.row, p.column) for p in streamed.problems)
    assert said == sorted((p.code, p.row, p.column) for p in rows.problems)
    given = [k + 1 for k, v in enumerate(roster[column].to_list()) if v is not None]
    assert [(code, row) for code, row, col in said if col == column and code == "R048"] == [
        ("R048", r) for r in given]
    assert streamed.decided is None and not (tmp_path / "out.csv").exists()  # no decision on such a roster


def test_a_text_column_of_strings_in_parquet_still_reads(tmp_path):
    """The typed check is of the column's type, not its values: "true" written as text is a name."""
    policy = policylang.load(DISTRICT)
    roster = pl.read_csv(TEACHERS, infer_schema=False).head(3).with_columns(pl.lit("true").alias("name"))
    path = tmp_path / "teachers.parquet"
    roster.write_parquet(path)
    streamed = policy.stream_decisions(path, SCHOOLS, tmp_path / "out.csv", as_of=AS_OF)
    assert (streamed.problems, streamed.decided) == ([], 3)
