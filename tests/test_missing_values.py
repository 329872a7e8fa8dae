"""An empty cell a rule or exemption reads leaves its condition neither true nor false: the rule
does not apply, and where that could change the status (``semantics.undecided``) the decision
names the empty field in ``uncertain``, as it names a year-month date whose day is unknown. Never
a status decided one way without a word: by every evaluator (the reference interpreter, the
closures behind ``decide``, the bulk evaluator, the streamed reader), in every output, in the
command's notice, in ``explain`` and in a diff."""

from __future__ import annotations

import json

import openpyxl
import pytest

import policylang

POLICY = """
policy "空白的单元格"
  as of 2025-09-01
source S "来源"
rule A-1 "农村任教不足3年的教师须交流" cite S "一"
  when rural_years less than 3 years
  then must_rotate
rule B-1 "取得一级职称满5年的教师可交流" cite S "二"
  when title = first and years_between(title_date, as_of) at least 5 years
  then eligible
exemption E-1 "薄弱学校任教满5年的免于交流" as illness cite S "三" to A-1
  when weak_years at least 5 years
"""
SCHOOLS = "school_id,area\nS1,urban\n"
HEAD = "id,sex,birth_date,school_id,school_start,work_start,post,rural_years,weak_years,title,title_date\n"
ROWS = {
    "T1": "F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,,0,none,",  # A-1 open: could be a target
    "T2": "F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,1,,none,",  # a target; E-1 open: could be exempt
    "T3": "F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,1,6,none,",  # exempt: nothing empty
    "T4": "F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,5,,none,",  # A-1 does not hold: E-1 cannot matter
    "T5": "F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,5,0,none,",  # no title: B-1 fails without its date
    "T6": "F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,5,0,first,",  # B-1 open: could be eligible
}
EXPECTED = {"T1": ("not_eligible", ["rural_years"]), "T2": ("must_rotate", ["weak_years"]),
            "T3": ("exempt", []), "T4": ("not_eligible", []), "T5": ("not_eligible", []),
            "T6": ("not_eligible", ["title_date"])}


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "p.pol").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_text(HEAD + "".join(f"{i},{row}\n" for i, row in ROWS.items()), encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    return tmp_path


def _answers(decisions) -> dict:
    return {d.id: (d.status, list(d.uncertain)) for d in decisions}


def test_every_evaluator_names_the_empty_cells_that_leave_a_status_open(files):
    policy = policylang.load(files / "p.pol")
    roster = policy.read_roster(files / "t.csv", files / "s.csv")
    assert _answers(policy.evaluate(roster)) == EXPECTED
    assert _answers(policy.evaluate(roster, engine="reference")) == EXPECTED
    assert _answers(policy.decide_each(roster)) == EXPECTED
    school = {"school_id": "S1", "area": "urban"}
    for row in roster.valid_teachers():
        assert list(policy.decide(row.values, school).uncertain) == EXPECTED[row.values["id"]][1]
        assert list(policy.explain(row.values, school).decision.uncertain) == EXPECTED[row.values["id"]][1]


def test_every_output_lists_them_and_the_command_says_so(files):
    from click.testing import CliRunner

    from policylang.cli import cli

    runner = CliRunner()
    base = ["eval", str(files / "p.pol"), str(files / "t.csv"), "--schools", str(files / "s.csv")]
    found = {}
    for suffix in ("csv", "json", "xlsx"):
        out = files / f"d.{suffix}"
        result = runner.invoke(cli, [*base, "-o", str(out), "--lang", "en"])
        assert result.exit_code == 0, result.output
        # the notice names each person and the field, as for a year-month date
        assert ("note: 3 decision(s) depend on values the roster does not give (an empty cell, or a year-month "
                "date's day): T1 (rural_years), T2 (weak_years), T6 (title_date)") in result.stderr
        if suffix == "csv":
            lines = out.read_text(encoding="utf-8-sig").splitlines()
            column = lines[0].split(",").index("uncertain")
            found[suffix] = {line.split(",")[0]: line.split(",")[column] for line in lines[1:]}
        elif suffix == "json":
            found[suffix] = {d["id"]: ";".join(d["uncertain"]) for d in json.loads(out.read_text(encoding="utf-8"))}
        else:
            sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
            column = rows[0].index("uncertain")
            found[suffix] = {r[0]: r[column] or "" for r in rows[1:] if r[0]}
    expected = {i: ";".join(fields) for i, (_, fields) in EXPECTED.items()}
    assert found == {"csv": expected, "json": expected, "xlsx": expected}
    zh = runner.invoke(cli, [*base, "-o", str(files / "z.csv"), "--lang", "zh"])
    assert "T1（农村任教年限）、T2（薄弱学校任教年限）、T6（职称取得时间）" in zh.stderr
    assert "空白按缺少数据处理（读取它的条款不适用）" in zh.stderr
    assert "农村任教年限" in (files / "z.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    runner.invoke(cli, [*base, "-o", str(files / "z.xlsx"), "--lang", "zh"])
    notes = dict(openpyxl.load_workbook(files / "z.xlsx", read_only=True)["说明"].iter_rows(values_only=True))
    assert notes["数据不全待核实的结论（空白的单元格或只有年月的日期可能改变结论，见“数据不全待核实”列）"] == "3 人"


def test_explain_names_the_rule_left_open_and_the_empty_field(files):
    from click.testing import CliRunner

    from policylang.cli import cli

    args = ["explain", str(files / "p.pol"), str(files / "t.csv"), "--schools", str(files / "s.csv")]
    zh = CliRunner().invoke(cli, [*args, "--id", "T1", "--lang", "zh"]).output
    assert "待核实：A-1 因缺少数据无法判断（农村任教年限为空），数据补全后结论可能不同" in zh
    en = CliRunner().invoke(cli, [*args, "--id", "T2", "--lang", "en"]).output
    # a target, whose exemption an empty value left open: had it been given, she could be exempt
    assert "to check: E-1 could not be decided (weak_years empty); with it, the status could differ" in en
    assert "date not known" not in en  # the year-month line is for year-month dates
    certain = CliRunner().invoke(cli, [*args, "--id", "T4", "--lang", "zh"]).output
    assert "待核实" not in certain


def test_a_diff_counts_whom_an_empty_cell_leaves_open(files):
    from policylang.api import reading_both, what_if
    from policylang.present.report import person_rows, text_report

    base = policylang.load(files / "p.pol")
    (files / "d.pol").write_text(POLICY.replace("less than 3 years", "less than 6 years"), encoding="utf-8")
    draft = policylang.load(files / "d.pol")
    both = reading_both(base, draft)
    frame = both.roster_frame(both.read_roster(files / "t.csv", files / "s.csv"), months=True)
    report = what_if(base, draft, frame).report
    ids = frame["id"].to_list()
    # T4, T5 and T6 must rotate under the draft; T4's exemption is then open, T6's B-1 no longer matters
    assert sorted(ids[k] for k in report.changed) == ["T4", "T5", "T6"]
    assert {ids[row]: parts for row, parts in report.uncertain.items()} == {
        "T1": (("rural_years",), ("rural_years",)), "T2": (("weak_years",), ("weak_years",)),
        "T4": ((), ("weak_years",)), "T6": (("title_date",), ())}
    assert report.uncertain_changed == 2
    text = text_report(report, "zh")
    assert "有 4 人的结论取决于名册未写明的数据（空白的单元格，或只有年月的日期），待核实" in text
    assert "其中 2 人列在有变化的人员中" in text
    rows = {r["id"]: r for r in person_rows(report, "zh")}
    assert rows["T4"]["uncertain"] == "待核实：薄弱学校任教年限空白或只有年月" and rows["T5"]["uncertain"] == ""


# POLICY's A-1 and B-1, a stronger rule declared after A-1, and an exemption checked before E-1
PRECEDENCE = POLICY[:POLICY.index("exemption E-1")] + """rule C-1 "山区任教满10年的教师须交流" cite S "三"
  when mountain_years at least 10 years
  then must_rotate
exemption E-0 "薄弱学校任教满8年的免于交流" as illness cite S "四" to A-1
  when weak_years at least 8 years
exemption E-1 "孕期" as pregnancy cite S "五" to A-1
  when pregnant
precedence E-0 > E-1
"""
PRECEDENCE_ROWS = {  # rural, weak, mountain, title, title_date, pregnant
    # exempt by E-1; E-0, checked first, is open (another exemption); B-1 (eligible) could not beat exempt
    "P1": "1,,0,first,,是",
    # as P1, and C-1 (must rotate, stronger than exempt) is open too
    "P2": "1,,,first,,是",
    # must rotate by A-1; C-1, declared after it, could change nothing
    "P3": "1,0,,none,,否",
    # nothing holds: B-1 and C-1 are both open
    "P4": "5,0,,first,,否",
}


def test_only_what_could_change_the_decision_is_named(tmp_path):
    (tmp_path / "p.pol").write_text(PRECEDENCE, encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    head = "id,sex,birth_date,school_id,school_start,work_start,post,rural_years,weak_years,mountain_years,title," \
           "title_date,pregnant\n"
    (tmp_path / "t.csv").write_text(head + "".join(f"{i},F,1980-03-01,S1,2015-09-01,2000-09-01,teacher,{row}\n"
                                                   for i, row in PRECEDENCE_ROWS.items()), encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    roster = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    expected = {"P1": ("exempt", ["weak_years"]), "P2": ("exempt", ["weak_years", "mountain_years"]),
                "P3": ("must_rotate", []), "P4": ("not_eligible", ["title_date", "mountain_years"])}
    for engine in ("bulk", "reference"):
        assert _answers(policy.evaluate(roster, engine=engine)) == expected, engine
    assert _answers(policy.decide_each(roster)) == expected
    school = {"school_id": "S1", "area": "urban"}
    p1 = next(r.values for r in roster.valid_teachers() if r.values["id"] == "P1")
    explained = policy.explain(p1, school)
    assert explained.undecided == ("E-0",) and explained.missing == ("weak_years",)
