"""A record of a batch that lacks a key other records give is refused where the policy reads
the key (R026): read as an empty cell, a teacher without `"pregnant"` (a Java client leaving out
false or null values) was decided as not pregnant, beside a colleague whose record said true."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

import policylang
from policylang.api import RosterError
from policylang.cli import cli

from .conftest import POLICIES

EXAMPLES = POLICIES.parent / "examples"
DISTRICT = POLICIES / "fujian_pilot_district.pol"


def _records():
    with open(EXAMPLES / "teachers.csv", encoding="utf-8") as f:
        teacher = next(r for r in csv.DictReader(f) if r["id"] == "T0001")
    with open(EXAMPLES / "schools.csv", encoding="utf-8") as f:
        school = next(r for r in csv.DictReader(f) if r["school_id"] == teacher["school_id"])
    pregnant = {**teacher, "id": "T1", "sex": "F", "pregnant": "true"}
    lacking = {k: v for k, v in {**teacher, "id": "T2", "sex": "F"}.items() if k != "pregnant"}
    return [pregnant, lacking], [school]


def test_the_api_refuses_the_record_lacking_a_key_the_policy_reads():
    teachers, schools = _records()
    with pytest.raises(RosterError) as caught:
        policylang.load(DISTRICT).evaluate_table(teachers, schools)
    problem, = caught.value.problems
    assert (problem.code, problem.row, problem.column) == ("R026", 2, "pregnant")
    assert "FJ-X2" in problem.message_en and "write null for an empty value, false for no" in problem.message_en
    assert "该记录没有“pregnant”一项（其他记录有）" in problem.message_zh


def test_a_lacking_key_no_one_reads_is_no_problem():
    teachers, schools = _records()
    teachers[1]["pregnant"] = None  # null: an empty cell, which a yes/no field reads as no
    del teachers[0]["name"]  # the name is read by no rule
    decided = policylang.load(DISTRICT).evaluate_table(teachers, schools)
    assert decided["status"].to_list()[1] != "exempt" and decided["exemption"].to_list()[0] == "pregnancy"


@pytest.mark.parametrize("size", [2, 100])
def test_the_service_refuses_it_on_both_its_paths(size):
    from policylang.service import decide as D
    from policylang.service.errors import ServiceError

    teachers, schools = _records()
    teachers = [{**teachers[0], "id": f"P{i}"} for i in range(size - 1)] + [teachers[1]]
    with pytest.raises(ServiceError) as caught:
        D.decide(policylang.load(DISTRICT), {"teachers": teachers, "schools": schools}, explain=False, lang="en",
                 max_batch=1000)
    assert [(e["code"], e["row"], e["column"]) for e in caught.value.errors] == [("R026", size, "pregnant")]
    assert caught.value.errors[0]["value"] is None  # no key, no value: not "", the blank it is told apart from


def test_eval_refuses_a_json_roster_with_such_a_record(tmp_path):
    teachers, schools = _records()
    (tmp_path / "t.json").write_text(json.dumps(teachers, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps(schools, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "zh", "eval", str(DISTRICT), str(tmp_path / "t.json"),
                                      "--schools", str(tmp_path / "s.json"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 3 and not (tmp_path / "o.csv").exists()
    assert "第2行 列“pregnant” [R026]：该记录没有“pregnant”一项（其他记录有）：政策中 FJ-X2 条款读取该项" in result.output
