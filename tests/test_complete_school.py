"""A 完中 (complete school) has a junior section, compulsory education, and a senior one, which is
not: the prelude's `compulsory_school` reads a 完中 teacher's 任教学段 (`teaching_stage`). A roster
may lack the column; then, or where a 完中 teacher's cell is empty, the rules reading it are not
known, and a decision they could change is marked uncertain, never decided as if the teacher
were outside compulsory education without a word (the fidelity finding that a 完中's junior-section
teachers were silently out of scope). An empty cell elsewhere is no missing value: the school's
stage says the section, and it must not be named beside a value that is missing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.present.explain import explanation_text

POLICY = """
policy "完中"
  as of 2025-09-01
source S "来源"
rule A-1 "义务教育学校同校满6年的教师须交流" cite S "一"
  when post = teacher and compulsory_school and tenure at least 6 years
  then must_rotate
rule A-2 "义务教育学校任职满6年的校长须交流" cite S "二"
  when post = principal and compulsory_school and years_since(post_start) at least 6 years
  then must_rotate
"""
SCHOOLS = "学校代码,区域,学段\nS1,城区,完中\nS2,城区,初中\nS3,城区,高中\n"
HEADER = "工号,性别,出生日期,学校代码,到校时间,参加工作时间,岗位,任现职时间,职称"
PEOPLE = [  # id, school, school_start, post, post_start, 任教学段
    ("T1", "S1", "2015-09-01", "教师", "", "初中"),   # 完中 junior section, 10 years: must rotate
    ("T2", "S1", "2015-09-01", "教师", "", "高中"),   # senior section: out of scope, known
    ("T3", "S1", "2015-09-01", "教师", "", ""),      # 完中, section not given: uncertain
    ("T4", "S1", "2023-09-01", "教师", "", ""),      # 完中, 2 years: not a target whatever the section
    ("T5", "S2", "2015-09-01", "教师", "", ""),      # 初中: in scope, the empty cell is no missing value
    ("T6", "S2", "2015-09-01", "校长", "", ""),      # a principal without 任现职时间: that alone is missing
    ("T7", "S3", "2015-09-01", "教师", "", ""),      # 高中: out of scope, known
]
WITH_COLUMN = {"T1": ("must_rotate", []), "T2": ("not_eligible", []), "T3": ("not_eligible", ["teaching_stage"]),
               "T4": ("not_eligible", []), "T5": ("must_rotate", []), "T6": ("not_eligible", ["post_start"]),
               "T7": ("not_eligible", [])}
# without the column, T1 and T2 are as T3: their section is not known
WITHOUT_COLUMN = {**WITH_COLUMN, "T1": WITH_COLUMN["T3"], "T2": WITH_COLUMN["T3"]}


def _roster(with_column: bool) -> str:
    lines = [HEADER + (",任教学段" if with_column else "")]
    for person, school, start, post, post_start, section in PEOPLE:
        cells = [person, "男", "1980-03-01", school, start, "2005-09-01", post, post_start, "一级教师"]
        lines.append(",".join(cells + ([section] if with_column else [])))
    return "\n".join(lines) + "\n"


@pytest.fixture(params=[True, False], ids=["with-column", "without-column"])
def files(tmp_path, request):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_text(_roster(request.param), encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    return tmp_path, WITH_COLUMN if request.param else WITHOUT_COLUMN


def _answers(decisions) -> dict:
    return {d.id: (d.status, list(d.uncertain)) for d in decisions}


@pytest.mark.parametrize("engine", ["reference", "bulk"])
def test_every_evaluator_leaves_a_complete_schools_teacher_open_without_a_section(files, engine):
    path, expected = files
    policy = policylang.load(path / "p.pol")
    roster = policy.read_roster(path / "t.csv", path / "s.csv")
    assert roster.problems == () and roster.assumptions == ()  # no refusal, nothing assumed
    assert _answers(policy.evaluate(roster, engine=engine)) == expected
    assert _answers(policy.decide_each(roster)) == expected


def test_the_streamed_reader_and_the_table_api_agree(files):
    path, expected = files
    policy = policylang.load(path / "p.pol")
    out = path / "d.csv"
    streamed = policy.stream_decisions(path / "t.csv", path / "s.csv", out, chunk_rows=3)
    assert streamed.problems == [] and streamed.decided == len(PEOPLE)
    header, *rows = [line.split(",") for line in out.read_text(encoding="utf-8-sig").splitlines()]
    assert {r[0]: (dict(zip(header, r))["status"], [f for f in dict(zip(header, r))["uncertain"].split(";") if f])
            for r in rows} == expected


def test_decide_takes_a_record_with_or_without_the_key(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    teacher = {"id": "T1", "sex": "男", "birth_date": "1980-03-01", "school_id": "S1", "school_start": "2015-09-01",
               "work_start": "2005-09-01", "post": "教师", "post_start": None, "title": "一级教师"}
    complete = {"school_id": "S1", "area": "城区", "stage": "完中"}
    bare = policy.decide(teacher, complete)
    assert (bare.status, bare.uncertain) == ("not_eligible", ("teaching_stage",))
    junior = policy.decide({**teacher, "任教学段": "初中部"}, complete)  # the section's other name
    assert (junior.status, junior.rule, junior.uncertain) == ("must_rotate", "A-1", ())
    elsewhere = policy.decide(teacher, {**complete, "stage": "初中"})
    assert (elsewhere.status, elsewhere.uncertain) == ("must_rotate", ())


def test_the_explanation_says_which_values_left_it_open(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_text(_roster(False), encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    roster = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    row = next(r for r in roster.valid_teachers() if r.values["id"] == "T3")
    text = explanation_text(policy.explain(row.values, roster.schools["S1"]), "zh")
    assert "待核实：A-1 因缺少数据无法判断（任教学段为空）" in text
    # the definition left unknown is shown by what it read: the school's stage and the empty section
    assert "（义务教育学校 = （空）；学校.学段 = 完中；任教学段 = （空））" in text


def test_eval_says_which_schools_need_the_column(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_text(_roster(False), encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "p.pol"), str(tmp_path / "t.csv"), "--schools",
                                      str(tmp_path / "s.csv"), "--lang", "zh", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {d["id"]: d["uncertain"] for d in json.loads(result.stdout)}["T1"] == ["teaching_stage"]
    assert "任教学段只有完中的教师需要填写：请为以上教师填写“任教学段”（初中、高中）；名册没有这一列的，加上这一列" in result.stderr
    assert "R011" not in result.stderr and "R013" not in result.stderr  # not refused, nothing assumed


def test_a_section_not_a_section_is_refused(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_text(_roster(True).replace(",初中\n", ",初一\n", 1), encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    roster = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    assert [(p.row, p.column, p.code) for p in roster.problems] == [(2, "任教学段", "R003")]


@pytest.mark.parametrize("engine", ["reference", "bulk"])
def test_an_empty_section_at_a_school_of_no_known_stage_is_named(tmp_path, engine):
    """A school whose 学段 the table does not give may be a 完中: an empty 任教学段 there was
    never named, and a rule left unknown by it passed as not applying without a word."""
    (tmp_path / "p.pol").write_text('policy "p"\n  as of 2025-09-01\nsource S "s"\n'
                                    'rule A-1 "高中部同校满6年" cite S\n  when teaching_stage = senior and tenure at least 6 years\n'
                                    '  then must_rotate\n', encoding="utf-8")
    (tmp_path / "t.csv").write_text("工号,性别,出生日期,学校代码,到校时间,参加工作时间,职称\n"
                                    "T1,男,1980-03-01,S1,2015-09-01,2005-09-01,一级教师\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("学校代码,区域\nS1,城区\n", encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    decided = policy.evaluate(policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv"), engine=engine)
    assert [(d.status, d.uncertain) for d in decided] == [("not_eligible", ("teaching_stage",))]
