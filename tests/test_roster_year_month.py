"""Year-month dates (出生年月: 1985-03, 1985年3月, 198503) as contract.md reads them (issue 11): the
decision is made on the month's first day, and a person whose decision would differ on another
day of it is marked `uncertain`, naming the field, by every evaluator (the reference
interpreter, the closures behind ``decide``, the bulk evaluator, the streamed reader) and in
every output format."""

from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pytest

import policylang
from policylang.io.output import render
from policylang.io.roster.cells import parse_date
from policylang.lang.decisions import MonthDate

POLICY = """
policy "出生年月"
  as of 2025-09-15
source S "来源"
rule A-1 "年满55周岁的教师须交流" cite S "一"
  when age at least 55 years
  then must_rotate
"""
SCHOOLS = "school_id,area\nS1,urban\n"
ROSTER = """工号,性别,出生年月,学校代码,到校时间,参加工作时间
T1,女,1970-09,S1,2015-09-01,1992-09-01
T2,女,1970年8月,S1,2015-09-01,1992-09-01
T3,男,197010,S1,2015-09-01,1992-09-01
T4,男,1970-09-20,S1,2015-09-01,1992-09-01
T5,女,１９７０．０９,S1,2015-09-01,1992-09-01
"""
# T1: 55 on 2025-09-01, 54 on 2025-09-30 (as of 09-15): uncertain. T2: 55 all August. T3: 54 all
# October. T4: a full date. T5: as T1, in full-width digits.
EXPECTED = {"T1": ("must_rotate", ["birth_date"]), "T2": ("must_rotate", []), "T3": ("not_eligible", []),
            "T4": ("not_eligible", []), "T5": ("must_rotate", ["birth_date"])}


@pytest.mark.parametrize("text", ["1985-03", "1985.03", "1985/3", "1985年3月", "1985年03", "198503", "１９８５－０３",
                                  "1985-3 00:00"])
def test_year_month_forms_read_as_the_first_day_of_an_unknown_day(text):
    if text.endswith("00:00"):
        text = "1985-03"  # a date-time at midnight is only for full dates; the form itself
    date = parse_date(text)
    assert isinstance(date, MonthDate) and date == dt.date(1985, 3, 1) and date.last_day() == dt.date(1985, 3, 31)


@pytest.mark.parametrize("text", ["198513", "198500", "1985.1x", "١٩٨٥-٠٣", "19850"])
def test_what_is_no_year_month_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_number_cell_with_a_fraction_is_no_date():
    """Excel keeps 1985.10 as 1985.1: October or January is not known."""
    with pytest.raises(ValueError):
        parse_date(1985.1)
    assert isinstance(parse_date(198503.0), MonthDate)


def test_december_ends_on_the_31st():
    assert MonthDate(2024, 12, 1).last_day() == dt.date(2024, 12, 31)
    assert MonthDate(2024, 2, 1).last_day() == dt.date(2024, 2, 29)


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    return tmp_path


def _answers(decisions) -> dict:
    return {d.id: (d.status, list(d.uncertain)) for d in decisions}


@pytest.mark.parametrize("engine", ["reference", "bulk"])
def test_the_reference_and_bulk_evaluators_mark_the_uncertain(files, engine):
    policy = policylang.load(files / "p.pol")
    roster = policy.read_roster(files / "t.csv", files / "s.csv")
    assert roster.problems == ()
    assert _answers(policy.evaluate(roster, engine=engine)) == EXPECTED


def test_the_closures_mark_the_uncertain(files):
    policy = policylang.load(files / "p.pol")
    roster = policy.read_roster(files / "t.csv", files / "s.csv")
    assert _answers(policy.decide_each(roster)) == EXPECTED
    one = policy.decide({"id": "T1", "sex": "F", "birth_date": "1970-09", "school_id": "S1",
                         "school_start": "2015-09-01", "work_start": "1992-09-01"}, {"school_id": "S1", "area": "urban"})
    assert one.uncertain == ("birth_date",)
    assert policy.decide({"id": "T1", "sex": "F", "birth_date": "1970-09-01", "school_id": "S1",
                          "school_start": "2015-09-01", "work_start": "1992-09-01"},
                         {"school_id": "S1", "area": "urban"}).uncertain == ()


def test_an_explanation_says_its_decision_hangs_on_the_unknown_day(files):
    """`explain` and `try` once stated the age of a year-month birth date as a fact: the
    explained decision carries `uncertain` as `decide`'s does, and its text says so."""
    from click.testing import CliRunner

    from policylang.cli import cli
    from policylang.present.explain import explanation_text

    policy = policylang.load(files / "p.pol")
    roster = policy.read_roster(files / "t.csv", files / "s.csv")
    for row in roster.valid_teachers():
        ex = policy.explain(row.values, roster.schools[row.values["school_id"]])
        assert (ex.decision.status, list(ex.decision.uncertain)) == EXPECTED[row.values["id"]]
        said = "日期不详待核实：出生日期（只给出了年月，该月中另一天可能改变结论；结论按该月1日作出）"
        assert (said in explanation_text(ex, "zh")) == bool(ex.decision.uncertain)
    shown = CliRunner().invoke(cli, ["explain", str(files / "p.pol"), str(files / "t.csv"), "--schools",
                                     str(files / "s.csv"), "--id", "T1", "--lang", "en"])
    assert shown.exit_code == 0 and "date not known, to be checked: birth_date (only the year and month" in shown.stdout
    tried = CliRunner().invoke(cli, ["try", str(files / "p.pol"), "性别=女", "出生年月=1970.09", "到校时间=2015-09-01",
                                     "参加工作时间=1992-09-01", "区域=城区", "--lang", "zh"])
    assert tried.exit_code == 0 and "日期不详待核实：出生日期" in tried.stdout


def test_the_streamed_reader_writes_what_the_row_path_writes(files):
    policy = policylang.load(files / "p.pol")
    roster = policy.read_roster(files / "t.csv", files / "s.csv")
    out = files / "d.csv"
    streamed = policy.stream_decisions(files / "t.csv", files / "s.csv", out, chunk_rows=2)
    assert streamed.problems == [] and streamed.decided == 5
    assert out.read_bytes() == render(policy.evaluate(roster, engine="reference"), "csv")
    header, *rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    assert {row[0]: dict(zip(header, row))["uncertain"] for row in rows} == {
        name: ";".join(fields) for name, (_, fields) in EXPECTED.items()}


def test_every_output_format_carries_it(files):
    policy = policylang.load(files / "p.pol")
    decisions = policy.evaluate(policy.read_roster(files / "t.csv", files / "s.csv"))
    assert json.loads(render(decisions, "json"))[0]["uncertain"] == ["birth_date"]
    header, first = render(decisions, "csv").decode("utf-8").splitlines()[:2]
    assert dict(zip(header.split(","), first.split(",")))["uncertain"] == "birth_date"
    (files / "d.xlsx").write_bytes(render(decisions, "xlsx"))
    sheet = openpyxl.load_workbook(files / "d.xlsx").worksheets[0]
    row = dict(zip((c.value for c in sheet[1]), (c.value for c in sheet[2])))
    assert row["uncertain"] == "birth_date"


def test_the_command_writes_it_in_chinese(files):
    from click.testing import CliRunner

    from policylang.cli import cli

    out = files / "结论.csv"
    result = CliRunner().invoke(cli, ["eval", str(files / "p.pol"), str(files / "t.csv"), "--schools",
                                      str(files / "s.csv"), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert dict(zip(header, lines[1].split(",")))["数据不全待核实"] == "出生日期"


def test_the_command_lists_the_uncertain_on_stderr(files):
    from click.testing import CliRunner

    from policylang.cli import cli

    args = ["eval", str(files / "p.pol"), str(files / "t.csv"), "--schools", str(files / "s.csv"), "--format", "json"]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    assert zh.exit_code == 0 and "提示：2 条结论取决于名册未写明的数据（空白的单元格，或只填了年月的日期），按数据项：出生日期 2 人（T1、T5）" in zh.stderr
    en = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert "note: 2 decision(s) depend on values the roster does not give" in en.stderr and "birth_date: 2 (T1, T5)" in en.stderr


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_a_streamed_output_lists_the_uncertain_as_the_workbook_does(files, suffix):
    """A CSV roster written to a CSV, JSON or Parquet file is streamed: the notice is the one the
    in-memory path (a workbook) prints, word for word, before the file is announced."""
    from click.testing import CliRunner

    from policylang.cli import cli

    def run(name, lang):
        return CliRunner().invoke(cli, ["eval", str(files / "p.pol"), str(files / "t.csv"), "--schools",
                                        str(files / "s.csv"), "-o", str(files / name), "--lang", lang])

    for lang in ("zh", "en"):
        streamed, workbook = run(f"d.{suffix}", lang), run("d.xlsx", lang)
        assert streamed.exit_code == 0 and workbook.exit_code == 0, streamed.output
        notice = [line for line in workbook.stderr.splitlines() if "T1" in line]
        assert notice and notice == [line for line in streamed.stderr.splitlines() if "T1" in line]
    assert "提示：2 条结论取决于名册未写明的数据" in run(f"d.{suffix}", "zh").stderr


def test_the_streamed_writer_counts_the_uncertain_across_chunks_and_passes(files):
    """Chunk by chunk, in input order, the first ``keep`` kept and all counted; a pass the reader
    goes again for duplicate ids is not counted twice."""
    from policylang.io.columnar import Uncertain
    from policylang.io.output import Layout

    rows = ROSTER.splitlines()
    (files / "many.csv").write_text("\n".join(rows + [rows[1].replace("T1,", f"U{i},", 1) for i in range(6)]
                                              + [rows[1].replace("T1,", "T2,", 1)]) + "\n", encoding="utf-8")
    policy = policylang.load(files / "p.pol")
    unsure = Uncertain(keep=3)
    streamed = policy.stream_decisions(files / "many.csv", files / "s.csv", files / "d.csv", layout=Layout(),
                                       fmt="csv", skip_invalid=True, chunk_rows=2, uncertain=unsure)
    assert streamed.decided == 10  # both T2 are refused (a duplicate id)
    assert unsure.count == 8 and unsure.by_field == {"birth_date": 8} and unsure.ids == {"birth_date": ["T1", "T5", "U0"]}


# ---- quota and diff: the uncertain are counted as decided on the first day, and said to be ------

QUOTA = """
quota Q-1 "每校交流人数" cite S "二"
  per school
  require movers at least 50% of targets rounded up
"""


@pytest.fixture()
def with_quota(files):
    (files / "q.pol").write_text(POLICY + QUOTA, encoding="utf-8")
    # the draft lowers the cap to 56: T1 and T5 (55 or 54 in the as-of month) and T2 no longer move
    (files / "d.pol").write_text((POLICY + QUOTA).replace("55 years", "56 years"), encoding="utf-8")
    return files


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_quota_plan_counts_the_uncertain_and_marks_them_in_the_selection(with_quota, suffix):
    """T1 and T5 are targets on the as-of month's first day, not on its last: the plan counts
    them (as eval decides them) and says so, on the columnar (CSV) and the row (XLSX) path."""
    from click.testing import CliRunner

    from policylang.cli import cli

    roster = with_quota / f"t.{suffix}"
    if suffix == "xlsx":
        book = openpyxl.Workbook()
        for line in ROSTER.strip().splitlines():
            book.active.append(line.split(","))
        book.save(roster)
    args = ["quota", str(with_quota / "q.pol"), str(roster), "--schools", str(with_quota / "s.csv")]
    plans = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert [(p["group"], p["targets"], p["uncertain"]) for p in plans] == [("S1", 3, 2)]
    reasons = {s["id"]: s["reasons"] for s in plans[0]["selection"]}
    assert any("待核实：出生日期空白或只有年月" in zh for _, zh in reasons["T1"])
    assert not any("待核实" in zh for _, zh in reasons["T2"])  # a full month of August: certain
    # a month the roster gives is shown as a month, never as the first day it was taken to be
    born = {s["id"]: [zh for _, zh in s["reasons"] if zh.startswith("出生于")] for s in plans[0]["selection"]}
    assert all(b and "只有年月" in b[0] and not re.search(r"\d{4}-\d{2}-\d{2}", b[0]) for b in born.values())
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    assert zh.exit_code == 0 and "（有 2 人因数据空白或日期只有年月而待核实）" in zh.stdout
    en = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert "(2 counted on empty values or dates known to the month only: to be checked)" in en.stdout


def test_a_frame_without_the_month_flags_plans_as_before(with_quota):
    policy = policylang.load(with_quota / "q.pol")
    roster = policy.read_roster(with_quota / "t.csv", with_quota / "s.csv")
    assert [p.uncertain for p in policy.quota_plans(policy.roster_frame(roster))] == [0]
    assert [p.uncertain for p in policy.quota_plans(policy.roster_frame(roster, months=True))] == [2]


def test_a_diff_names_whom_the_unknown_day_leaves_uncertain(with_quota):
    from policylang.api import reading_both, what_if
    from policylang.present.report import json_report, person_rows, text_report

    base, draft = policylang.load(with_quota / "q.pol"), policylang.load(with_quota / "d.pol")
    both = reading_both(base, draft)
    frame = both.roster_frame(both.read_roster(with_quota / "t.csv", with_quota / "s.csv"), months=True)
    report = what_if(base, draft, frame).report
    ids = frame["id"].to_list()
    assert {ids[row]: parts for row, parts in report.uncertain.items()} == {
        "T1": (("birth_date",), ()), "T5": (("birth_date",), ())}
    assert report.uncertain_changed == 2  # both listed: must rotate on the 1st under the base, not under the draft
    assert json.loads(json_report(report))["uncertain"] == {"people": 2, "changed": 2}
    rows = {r["id"]: r for r in person_rows(report, "zh")}
    assert rows["T1"]["uncertain"] == "待核实：出生日期空白或只有年月" and rows["T2"]["uncertain"] == ""
    text = text_report(report, "zh")
    assert ("有 2 人的结论取决于名册未写明的数据（空白的单元格，或只有年月的日期），待核实：空白按缺少数据、"
            "年月按当月第一天比较，其中 2 人列在有变化的人员中") in text
    assert "T5：须交流 A-1 → 不在交流范围（变化：结论、依据规则、政策出处）；" in text and text.count("（待核实：出生日期空白或只有年月）") == 2


def test_a_diff_of_a_draft_that_changes_no_one_on_the_first_day_still_says_who_could_change(with_quota):
    """Lowering the cap to 54 changes no one on the 1st (T1 and T5 are 55 then), but on the
    month's last day they are 54: must rotate under the draft, not under the base."""
    from click.testing import CliRunner

    from policylang.cli import cli

    (with_quota / "d54.pol").write_text((POLICY + QUOTA).replace("55 years", "54 years"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(with_quota / "q.pol"), str(with_quota / "d54.pol"),
                                      str(with_quota / "t.csv"), "--schools", str(with_quota / "s.csv"),
                                      "--format", "json"])
    data = json.loads(result.stdout)
    assert data["uncertain"] == {"people": 2, "changed": 0}
    assert {p["id"] for p in data["persons"]} == {"T3", "T4"}  # 54 all month: newly must rotate


def test_the_service_answers_quota_and_diff_as_the_commands_do(with_quota, tmp_path):
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from policylang.service.app import create_app

    folder = tmp_path / "policies"
    folder.mkdir()
    for name in ("q.pol", "d.pol"):
        (folder / name).write_bytes((with_quota / name).read_bytes())
    header, *lines = ROSTER.strip().splitlines()
    teachers = [dict(zip(header.split(","), line.split(","))) for line in lines]
    body = {"teachers": teachers, "schools": [{"school_id": "S1", "area": "urban"}]}
    with TestClient(create_app(folder)) as client:
        plans = client.post("/v1/policies/q/quota", json=body)
        assert plans.status_code == 200, plans.text
        assert [p["uncertain"] for p in plans.json()["plans"]] == [2]
        report = client.post("/v1/diff", json={"base": "q", "draft": "d", **body})
        assert report.status_code == 200, report.text
        assert report.json()["report"]["uncertain"] == {"people": 2, "changed": 2}


def test_a_woman_s_empty_retirement_category_is_uncertain_where_50_would_change_her_decision(tmp_path):
    """An empty 退休类别 is read as 55 (the contract's default for teachers); a worker's is 50:
    where 50 would exempt her as near retirement, `uncertain` says so, in every evaluator and
    reader; a man's, or a woman whose decision 50 does not change, is not listed."""
    import json

    import policylang
    from click.testing import CliRunner

    from policylang.cli import cli

    import csv

    with open("examples/teachers.csv", encoding="utf-8") as f:
        sample = next(csv.DictReader(f))  # every column, a plain teacher's values
    plain = sample | {"school_id": "S07", "school_start": "2015-09-01", "work_start": "2008-09-01", "post": "teacher",
                      "post_start": "", "refused_exchange": "", "left_exchange_early": "", "exchange_failed": ""}
    people = [("F1", "F", "1977-06-01", ""), ("F2", "F", "1985-12-01", ""), ("F3", "F", "1977-06-01", "55"),
              ("M1", "M", "1977-06-01", "")]
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(sample))
        writer.writeheader()
        writer.writerows(plain | {"id": i, "sex": sex, "birth_date": born, "retirement_category": category}
                         for i, sex, born, category in people)
    policy = policylang.load("policies/county_managed.pol")
    roster = policy.read_roster(tmp_path / "t.csv", "examples/schools.csv")
    expected = [("retirement_category",), (), (), ()]
    for engine in ("bulk", "reference"):
        assert [d.uncertain for d in policy.evaluate(roster, engine=engine)] == expected, engine
    assert [d.uncertain for d in policy.decide_each(roster)] == expected
    out = tmp_path / "d.json"
    result = CliRunner().invoke(cli, ["eval", "policies/county_managed.pol", str(tmp_path / "t.csv"), "--schools",
                                      "examples/schools.csv", "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert [tuple(d["uncertain"]) for d in json.loads(out.read_text(encoding="utf-8"))] == expected
    assert "退休类别 1 人（F1）" in result.stderr
    assert "女教师的退休类别空白按55计" in result.stderr  # its own reading of a blank, said where it is listed
