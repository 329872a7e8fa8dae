"""An empty cell of a code every teacher or school has (岗位, and the school's 区域, 学段, 编制)
is refused where the policy reads it: it was read as unknown, every rule reading it did not
apply, and the teacher came out 不在交流范围 with no word (a 岗位 left blank in an HR export)."""

from __future__ import annotations

import csv
import json
import io

import pytest
from click.testing import CliRunner

import policylang
from policylang.api import RosterError
from policylang.cli import cli

from .conftest import POLICIES

EXAMPLES = POLICIES.parent / "examples"
DISTRICT = str(POLICIES / "fujian_pilot_district.pol")


def _teacher(**changes) -> dict:
    with open(EXAMPLES / "teachers.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == "T0001")
    return {**row, **changes}


def _school(school_id: str, **changes) -> dict:
    with open(EXAMPLES / "schools.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["school_id"] == school_id)
    return {**row, **changes}


def _csv(path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_an_empty_post_is_refused_naming_the_rules_that_read_it(tmp_path):
    teacher = _teacher()
    _csv(tmp_path / "t.csv", [teacher, {**teacher, "id": "T9", "post": ""}])
    args = ["eval", DISTRICT, str(tmp_path / "t.csv"), "--schools", str(EXAMPLES / "schools.csv"),
            "-o", str(tmp_path / "out.csv")]
    zh = CliRunner().invoke(cli, ["--lang", "zh", *args])
    assert zh.exit_code == 3 and not (tmp_path / "out.csv").exists()
    assert "第3行 列“post” [R006]：“岗位”为空：政策中 FJ-3b、FJ-3、JA-2、JA-1o、JA-1 等条款读取该列，没有它无法判断" \
        in zh.output
    en = CliRunner().invoke(cli, ["--lang", "en", *args, "--skip-invalid"])
    assert en.exit_code == 0
    assert "row 3 column `post` [R006]: `post` is empty, and FJ-3b, FJ-3, JA-2, JA-1o, JA-1 … of the policy read it" \
        in en.output
    assert [r["id"] for r in csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8-sig"))] == [teacher["id"]]


@pytest.mark.parametrize("column", ["area", "stage", "staffing"])
def test_an_empty_school_code_the_policy_reads_refuses_the_school(column):
    policy = policylang.load(DISTRICT)
    teacher = _teacher()
    with pytest.raises(RosterError) as caught:
        policy.decide(teacher, _school(teacher["school_id"], **{column: ""}))
    assert [(p.code, p.column) for p in caught.value.problems][:1] == [("R006", column)]
    assert policy.decide(teacher, _school(teacher["school_id"])).status  # filled in: decided


def test_an_empty_code_a_policy_does_not_read_is_no_problem(tmp_path):
    (tmp_path / "p.pol").write_text('policy "p"\nsource S "s"\nrule R-1 "满6年" cite S "一"\n'
                                    "  when tenure at least 6 years\n  then must_rotate\n", encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    teacher = _teacher(post="")
    assert policy.decide(teacher, _school(teacher["school_id"], stage="", area="")).status == "must_rotate"


@pytest.mark.parametrize("size", [2, "large"])  # one by one, and the columnar path of a large batch
def test_the_service_refuses_it_as_the_row_reader_does(size):
    from policylang.service import decide as D

    size = D.SMALL_BATCH + 1 if size == "large" else size
    from policylang.service.errors import ServiceError

    teacher = _teacher()
    teachers = [{**teacher, "id": f"T{i}"} for i in range(size)]
    teachers[1]["post"] = ""
    body = {"teachers": teachers, "schools": [_school(teacher["school_id"])]}
    with pytest.raises(ServiceError) as caught:
        D.decide(policylang.load(DISTRICT), body, explain=False, lang="zh", max_batch=1000)
    assert caught.value.status == 422
    assert [(e["code"], e["row"], e["column"]) for e in caught.value.errors] == [("R006", 2, "post")]
    assert "“岗位”为空" in caught.value.errors[0]["message"]["zh"]


def test_a_quota_on_an_empty_establishment_is_not_known_not_met_by_zero(tmp_path):
    # 编制数 empty at S02: its 15% is not 0 of nothing, and the plan says so
    schools = (EXAMPLES / "schools.csv").read_text(encoding="utf-8").splitlines()
    header = schools[0].split(",")
    rows = [line.split(",") for line in schools[1:]]
    at = header.index("establishment")
    s02 = next(r for r in rows if r[0] == "S02")
    s02[at] = ""
    (tmp_path / "s.csv").write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    args = ["quota", str(POLICIES / "shenyang.pol"), str(EXAMPLES / "teachers.csv"), "--schools", str(tmp_path / "s.csv")]
    plans = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    sy6 = next(r for p in plans if p["group"] == "S02" for r in p["requirements"] if r["quota"] == "SY-6")
    assert (sy6["base"], sy6["required"], sy6["feasible"], sy6["lacking"]) == (None, None, False, ["S02"])
    others = [r for p in plans if p["group"] != "S02" for r in p["requirements"] if r["quota"] == "SY-6"]
    assert others and all(r["required"] is not None for r in others)
    zh = CliRunner().invoke(cli, ["--lang", "zh", *args]).output
    assert "本年应交流 ? 人 — ? 无法测算（学校 S02 的“编制数”为空，SY-6 无法测算，请补全）" in zh
    assert "交流人数不少于学校编制数的15%" in zh and "establishment" not in zh
    assert "现有人数" in zh and "能否满足" in zh  # every column of the table headed
