"""A benefit that lasts a period: its last day in every decision a person reads (the API, a JSON
file, the service, the studio's data), left out of the decisions file's `benefits` as the contract
has it (`RULE:effect`), and a change of the period is a change a diff reports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

import policylang
from policylang.analyses.diff import diff
from policylang.cli import cli

POLICY = """policy "测试：激励的期限"
  as of 2025-09-01
source S "来源"

rule R-1 "同校满六年须交流" cite S
  when tenure at least 6 years
  then must_rotate

benefit B-1 "支教期满三年内评优优先" cite S
  after support_end
  effect award_priority "评优优先" for {period}
  effect grade_up "晋升一级薪级"
"""

TEACHERS = [
    {"id": "T1", "school_id": "S1", "sex": "F", "birth_date": "1980-01-01", "school_start": "2010-09-01",
     "work_start": "2000-09-01", "title": "first", "post": "teacher", "support_end": "2024-07-01"},
    {"id": "T2", "school_id": "S1", "sex": "M", "birth_date": "1982-05-01", "school_start": "2022-09-01",
     "work_start": "2004-09-01", "title": "first", "post": "teacher", "support_end": ""},
]
SCHOOLS = [{"school_id": "S1", "area": "urban"}]
# supported until 2024-07-01, three years: in force through the corresponding day (民法典 art. 202)
UNTIL = "2027-07-01"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY.format(period="3 years"), encoding="utf-8")
    for name, rows in (("teachers.csv", TEACHERS), ("schools.csv", SCHOOLS)):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path


def _benefits(decision: dict) -> list[tuple[str, str, str | None]]:
    return [(b["rule"], b["effect"], b["until"]) for b in decision["benefits"]]


EXPECTED = [("B-1", "award_priority", UNTIL), ("B-1", "grade_up", None)]


def test_every_evaluator_gives_the_last_day(files):
    policy = policylang.load(files / "p.pol")
    roster = policy.read_roster(files / "teachers.csv", files / "schools.csv")
    assert _benefits(policy.decide(TEACHERS[0], SCHOOLS[0]).to_json()) == EXPECTED
    for engine in ("bulk", "reference"):
        decided = policy.evaluate(roster, engine=engine)
        assert _benefits(decided[0].to_json()) == EXPECTED, engine
        assert decided[1].benefits == ()
    assert _benefits(policy.decide_each(roster)[0].to_json()) == EXPECTED


def test_a_json_file_has_the_last_day_and_a_csv_file_the_contract_form(files):
    run = CliRunner()
    for name in ("teachers.csv", "teachers.parquet"):
        if name.endswith(".parquet"):  # the streamed reader too
            import polars as pl

            pl.read_csv(files / "teachers.csv", infer_schema=False).write_parquet(files / name)
        out = files / "d.json"
        result = run.invoke(cli, ["eval", str(files / "p.pol"), str(files / name), "--schools",
                                  str(files / "schools.csv"), "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert _benefits(json.loads(out.read_text(encoding="utf-8"))[0]) == EXPECTED, name
        out = files / "d.csv"
        result = run.invoke(cli, ["eval", str(files / "p.pol"), str(files / name), "--schools",
                                  str(files / "schools.csv"), "-o", str(out), "--lang", "en"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert rows[0]["benefits"] == "B-1:award_priority;B-1:grade_up", name
        assert rows[1]["benefits"] == ""
        out = files / "d_zh.csv"
        result = run.invoke(cli, ["eval", str(files / "p.pol"), str(files / name), "--schools",
                                  str(files / "schools.csv"), "-o", str(out), "--lang", "zh"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert rows[0]["激励"] == f"B-1 评优优先（至{UNTIL}）；B-1 晋升一级薪级", name


def test_a_table_of_decisions_has_the_contract_form(files):
    policy = policylang.load(files / "p.pol")
    import polars as pl

    table = policy.evaluate_table(pl.DataFrame(TEACHERS), SCHOOLS)
    assert table["benefits"].to_list() == ["B-1:award_priority;B-1:grade_up", ""]
    assert policy.evaluate_table(TEACHERS, SCHOOLS)["benefits"].to_list() == table["benefits"].to_list()
    frame = policy.roster_frame(policy.read_roster(files / "teachers.csv", files / "schools.csv"))
    assert policy.evaluate_frame(frame)["benefits"].to_list() == table["benefits"].to_list()


def test_the_service_answers_with_the_last_day(files):
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from policylang.service.app import create_app

    with TestClient(create_app(files)) as client:
        answer = client.post("/v1/policies/p/decide", json={"teachers": TEACHERS, "schools": SCHOOLS})
        assert answer.status_code == 200, answer.text
        assert _benefits(answer.json()["decisions"][0]) == EXPECTED


def test_a_diff_reports_a_benefit_that_now_lasts_longer(files):
    base = policylang.loads(POLICY.format(period="3 years")).checked
    draft = policylang.loads(POLICY.format(period="5 years")).checked
    rows = [{k: (dt.date.fromisoformat(v) if k.endswith(("_date", "_start", "_end")) and v else v or None)
             for k, v in t.items()} for t in TEACHERS]
    report = diff(base, draft, rows, {"S1": SCHOOLS[0]}, as_of=dt.date(2025, 9, 1))
    assert [p.id for p in report.persons] == ["T1"]
    before, after = report.persons[0].before, report.persons[0].after
    assert [c.until for c in before.benefits] == [dt.date(2027, 7, 1), None]
    assert [c.until for c in after.benefits] == [dt.date(2029, 7, 1), None]


def test_a_diff_s_table_of_people_shows_a_benefit_s_last_day_in_both_languages(files):
    (files / "draft.pol").write_text(POLICY.format(period="5 years"), encoding="utf-8")
    for lang, before, after in (("en", "B-1:award_priority:2027-07-01", "B-1:award_priority:2029-07-01"),
                                ("zh", "至2027-07-01", "至2029-07-01")):
        out = files / f"people_{lang}.csv"
        result = CliRunner().invoke(cli, ["diff", str(files / "p.pol"), str(files / "draft.pol"),
                                          str(files / "teachers.csv"), "--schools", str(files / "schools.csv"),
                                          "-o", str(out), "--lang", lang], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8-sig")
        assert before in text and after in text, text
