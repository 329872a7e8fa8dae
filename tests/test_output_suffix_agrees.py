"""A file is written under a name whose suffix says its format (a newcomer's trial, 2026-12:
`eval -o 结论.csv --format xlsx` wrote a workbook into 结论.csv, which WPS would not open, and
`Policy.stream_decisions(…, "decisions.xlsx")` wrote CSV into a file Excel refused)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli

from .conftest import EXAMPLES, POLICIES

POLICY = str(POLICIES / "fujian_pilot_district.pol")
ROSTER = [str(EXAMPLES / "teachers.csv"), "--schools", str(EXAMPLES / "schools.csv")]


@pytest.mark.parametrize("command, name, fmt", [
    ("eval", "结论.csv", "xlsx"), ("eval", "结论.xlsx", "csv"), ("eval", "out.json", "csv"),
    ("eval", "out.parquet", "json"),
    ("quota", "名额.csv", "xlsx"), ("quota", "名额.xlsx", "json"), ("diff", "对比.json", "html"),
])
def test_a_format_under_a_name_of_another_is_refused_before_any_work(tmp_path, command, name, fmt):
    out = tmp_path / name
    policies = [str(POLICIES / "fujian.pol"), POLICY] if command == "diff" else [POLICY]
    result = CliRunner().invoke(cli, ["--lang", "zh", command, *policies, *ROSTER, "-o", str(out), "--format", fmt])
    assert result.exit_code == 2, result.output
    assert f"--format {fmt}" in result.output and f"请把文件名改为 .{fmt}" in result.output
    assert not out.exists()


@pytest.mark.parametrize("name", ["out.dat", "out", "out.txt", "out.xls"])
def test_a_name_of_no_format_written_takes_the_format_given(tmp_path, name):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["eval", POLICY, *ROSTER, "-o", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,")


@pytest.mark.parametrize("name, fmt", [("decisions.xlsx", None), ("decisions.csv", "xlsx"),
                                       ("decisions.json", "csv"), ("decisions.parquet", "json")])
def test_stream_decisions_refuses_a_file_its_name_would_misread(tmp_path, name, fmt):
    policy = policylang.load(POLICY)
    with pytest.raises(ValueError):
        policy.stream_decisions(EXAMPLES / "teachers.csv", EXAMPLES / "schools.csv", tmp_path / name,
                                **({"fmt": fmt} if fmt else {}))
    assert not (tmp_path / name).exists()


def test_stream_decisions_writes_the_format_its_name_says(tmp_path):
    policy = policylang.load(POLICY)
    streamed = policy.stream_decisions(EXAMPLES / "teachers.csv", EXAMPLES / "schools.csv", tmp_path / "d.json")
    assert streamed.decided == 400 and (tmp_path / "d.json").read_text(encoding="utf-8").lstrip().startswith("[")
