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


def _teachers(tmp_path, policy_text: str, columns: str, rows: dict, sexes: dict | None = None):
    """The policy and a roster of teachers at S1 (born 1980-03-01, at the school since 2015; women
    unless ``sexes`` says): ``columns`` and each row's cells after the common ones."""
    (tmp_path / "p.pol").write_text(policy_text, encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    head = f"id,sex,birth_date,school_id,school_start,work_start,post,{columns}\n"
    (tmp_path / "t.csv").write_text(head + "".join(
        f"{i},{(sexes or {}).get(i, 'F')},1980-03-01,S1,2015-09-01,2000-09-01,teacher,{row}\n"
        for i, row in rows.items()), encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    return policy, policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv")


def _by_every_evaluator(policy, roster, answer) -> dict:
    """``answer`` of each person's decision, the same by the bulk plan, the reference
    interpreter, the closures behind ``decide`` and the solver's ``decide``."""
    from policylang.backends import smt

    found = {d.id: answer(d) for d in policy.evaluate(roster)}
    assert {d.id: answer(d) for d in policy.evaluate(roster, engine="reference")} == found
    assert {d.id: answer(d) for d in policy.decide_each(roster)} == found
    school = {"school_id": "S1", "area": "urban"}
    for row in roster.valid_teachers():
        by_solver = smt.decide(policy.checked, row.values, school, as_of=policy.checked.as_of)
        assert answer(by_solver) == found[row.values["id"]], row.values["id"]
    return found


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
                "date's day), by field: rural_years: 1 (T1); weak_years: 1 (T2); title_date: 1 (T6)") in result.stderr
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
    assert "农村任教年限 1 人（T1）；薄弱学校任教年限 1 人（T2）；职称取得时间 1 人（T6）" in zh.stderr
    assert "农村任教年限、薄弱学校任教年限空白不按 0 计算：没有的请填 0" in zh.stderr  # (a date: no such word)
    # (the retirement category's own reading of a blank is said only where it is among the fields)
    assert "空白按缺少数据处理（读取它的条款不适用，晋升前提须具备的条件不明的算未满足），" in zh.stderr
    assert "退休类别" not in zh.stderr
    assert "农村任教年限" in (files / "z.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    table = runner.invoke(cli, [*base, "--format", "table", "--lang", "zh"]).stdout  # the terminal's table too
    assert "数据不全待核实" in table.splitlines()[1]
    assert {line.split("│")[1].strip(): line.split("│")[-2].strip() for line in table.splitlines()
            if line.startswith("│")} == {"T1": "农村任教年限", "T2": "薄弱学校任教年限", "T3": "", "T4": "", "T5": "",
                                         "T6": "职称取得时间"}
    runner.invoke(cli, [*base, "-o", str(files / "z.xlsx"), "--lang", "zh"])
    notes = dict(openpyxl.load_workbook(files / "z.xlsx", read_only=True)["说明"].iter_rows(values_only=True))
    assert notes["数据不全待核实的结论（空白的单元格或只有年月的日期可能改变结论或晋升、奖惩的判断，见“数据不全待核实”列）"] == "3 人"


def test_explain_names_the_rule_left_open_and_the_empty_field(files):
    from click.testing import CliRunner

    from policylang.cli import cli

    args = ["explain", str(files / "p.pol"), str(files / "t.csv"), "--schools", str(files / "s.csv")]
    zh = CliRunner().invoke(cli, [*args, "--id", "T1", "--lang", "zh"]).output
    assert "待核实：A-1 因缺少数据无法判断（农村任教年限为空），数据补全后结论可能不同" in zh
    en = CliRunner().invoke(cli, [*args, "--id", "T2", "--lang", "en"]).output
    # a target, whose exemption an empty value left open: had it been given, she could be exempt
    assert "to check: E-1 could not be decided (weak_years empty); with it, the decision could differ" in en
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
    assert rows["T4"]["uncertain"] == "待核实：薄弱学校任教年限空白" and rows["T5"]["uncertain"] == ""


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
    policy, roster = _teachers(tmp_path, PRECEDENCE, "rural_years,weak_years,mountain_years,title,title_date,pregnant",
                            PRECEDENCE_ROWS)
    expected = {"P1": ("exempt", ["weak_years"]), "P2": ("exempt", ["weak_years", "mountain_years"]),
                "P3": ("must_rotate", []), "P4": ("not_eligible", ["title_date", "mountain_years"])}
    assert _by_every_evaluator(policy, roster, lambda d: (d.status, list(d.uncertain))) == expected
    school = {"school_id": "S1", "area": "urban"}
    p1 = next(r.values for r in roster.valid_teachers() if r.values["id"] == "P1")
    explained = policy.explain(p1, school)
    assert explained.undecided == ("E-0",) and explained.missing == ("weak_years",)


# beyond the status: a promotion's prerequisites, a ground to decline, a penalty or benefit
BEYOND = """
policy "晋升、可不参加与奖惩"
  as of 2025-09-01
source S "来源"
rule A-1 "女教师须交流" cite S "一"
  when sex = F
  then must_rotate
rule A-2 "在编教师须交流" cite S "二"
  when on_staff
  then must_rotate
exemption D-1 "薄弱学校任教满5年的可申请不参加" as illness may decline cite S "三" to A-1
  when weak_years at least 5 years
exemption D-2 "同上" as illness may decline cite S "三" to A-2
  when weak_years at least 5 years or mountain_years at least 5 years
prerequisite P-1 "城镇教师评高级须有农村任教经历" cite S "四"
  for senior
  applies when rural_years less than 10 years
  requires mountain_years at least 1 year
benefit B-1 "山区任教满2年的给予奖励" cite S "五"
  when mountain_years at least 2 years
  effect bonus "奖励"
"""
BEYOND_COLUMNS = "on_staff,title,rural_years,weak_years,mountain_years"
BEYOND_ROWS = {  # sex, on_staff, title, rural, weak, mountain
    # P-1 applies, its requirement is empty: counted unmet, could be met; B-1 could be in force;
    # D-1 and D-2 could let her decline
    "B1": "F,是,first,1,,",
    # both rules let her decline already (weak 6): nothing about declining is open
    "B2": "F,是,first,1,6,3",
    # whether P-1 applies is unknown and its requirement unmet: counted as not applying, could apply
    "B3": "M,否,first,,0,0",
    # P-1 met whether it applies or not; no one holds her to rotate: no ground can matter
    "B4": "M,否,first,,0,3",
    # A-2 alone binds him and D-2 holds already: his empty weak_years cannot change anything
    "B5": "M,是,second,1,,6",
    # A-1 binds without a ground (weak 0): D-2, left open, could not give her a ground A-1 lacks;
    # mountain_years is named for B-1 alone
    "B6": "F,是,second,1,0,",
}


def test_an_open_prerequisite_ground_to_decline_or_benefit_is_named(tmp_path):
    split = {i: row.split(",", 1) for i, row in BEYOND_ROWS.items()}
    policy, roster = _teachers(tmp_path, BEYOND, BEYOND_COLUMNS, {i: rest for i, (_, rest) in split.items()},
                               {i: sex for i, (sex, _) in split.items()})
    expected = {"B1": ["weak_years", "mountain_years"], "B2": [], "B3": ["rural_years"], "B4": [],
                "B5": [], "B6": ["mountain_years"]}
    assert _by_every_evaluator(policy, roster, lambda d: list(d.uncertain)) == expected
    decided = {d.id: d for d in policy.evaluate(roster)}
    # read as the language reads it: an unknown requirement is unmet, an unknown `applies` does not apply
    assert decided["B1"].promotion[0].unmet == ("P-1",) and decided["B3"].promotion[0].ok
    assert decided["B2"].may_decline == ("illness",) and decided["B1"].may_decline == ()
    school = {"school_id": "S1", "area": "urban"}
    b1 = next(r.values for r in roster.valid_teachers() if r.values["id"] == "B1")
    explained = policy.explain(b1, school)
    assert explained.undecided == ("D-1", "D-2", "B-1", "P-1")
    from click.testing import CliRunner

    from policylang.cli import cli

    zh = CliRunner().invoke(cli, ["explain", str(tmp_path / "p.pol"), str(tmp_path / "t.csv"), "--schools",
                                  str(tmp_path / "s.csv"), "--id", "B1", "--lang", "zh"]).output
    assert "待核实：D-1、D-2、B-1、P-1 因缺少数据无法判断（薄弱学校任教年限、山区任教年限为空）" in zh
    assert "? P-1 城镇教师评高级须有农村任教经历 — 高级教师：无法判断（缺少数据）" in zh
    assert "晋升高级教师：未满足 P-1（待核实）" in zh  # counted unmet, to be checked
    b3 = CliRunner().invoke(cli, ["explain", str(tmp_path / "p.pol"), str(tmp_path / "t.csv"), "--schools",
                                  str(tmp_path / "s.csv"), "--id", "B3", "--lang", "zh"]).output
    assert "晋升高级教师：条件已满足（P-1 因数据空白待核实）" in b3  # counted as not applying, to be checked


def test_a_ground_to_decline_an_eligible_rule_is_decided_by_every_evaluator(tmp_path):
    # a `may decline` exemption to a rule that only makes people eligible lets no one decline;
    # the bulk evaluator used to fail on it (no must_rotate rule to fold over)
    (tmp_path / "p.pol").write_text(POLICY.replace("then must_rotate", "then eligible").replace(
        'as illness cite S "三" to A-1', 'as illness may decline cite S "三" to A-1'), encoding="utf-8")
    (tmp_path / "s.csv").write_text(SCHOOLS, encoding="utf-8")
    (tmp_path / "t.csv").write_text(HEAD + "".join(f"{i},{row}\n" for i, row in ROWS.items()), encoding="utf-8")
    policy = policylang.load(tmp_path / "p.pol")
    roster = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    bulk = _answers(policy.evaluate(roster))
    assert bulk == _answers(policy.evaluate(roster, engine="reference")) == _answers(policy.decide_each(roster))
    assert bulk["T2"] == ("eligible", [])  # the ground, open or not, changes nothing for an eligible person
    assert all(not d.may_decline for d in policy.evaluate(roster))


# what could change the grounds to decline of a person who must rotate
GROUNDS = """
policy "可申请不参加的理由"
  as of 2025-09-01
source S "来源"
rule A-1 "女教师须交流" cite S "一"
  when sex = F
  then must_rotate
rule A-2 "薄弱学校满3年的须交流" cite S "二"
  when weak_years at least 3 years
  then must_rotate
rule A-3 "山区任教满3年的须交流" cite S "三"
  when mountain_years at least 3 years
  then must_rotate
exemption E-3 "农村任教满8年的免于交流" as weak cite S "四" to A-3
  when rural_years at least 8 years
exemption D-1 "患病的可申请不参加" as illness may decline cite S "五" to A-1
  when serious_illness
"""
GROUNDS_ROWS = {  # weak, mountain, rural, serious_illness
    # A-1 binds with its ground; A-2, left open, would bind without one: she may decline only if it does not
    "G1": ",0,0,是",
    # A-1 binds with its ground, A-3 without one; E-3, left open, would take A-3 away: she could decline
    "G2": "0,5,,是",
    # bind, A-2 without a ground; nothing left open
    "G3": "5,0,0,是",
}


def test_what_could_change_the_grounds_to_decline_is_named(tmp_path):
    policy, roster = _teachers(tmp_path, GROUNDS, "weak_years,mountain_years,rural_years,serious_illness", GROUNDS_ROWS)
    expected = {"G1": (("illness",), ["weak_years"]), "G2": ((), ["rural_years"]), "G3": ((), [])}
    assert _by_every_evaluator(policy, roster, lambda d: (d.may_decline, list(d.uncertain))) == expected


def test_a_promotion_left_open_says_the_promotion_could_differ_not_the_status():
    """`待核实：FJ-5 …，数据补全后结论可能不同` of a teacher whose 须交流 no value could change: the
    empty 任教学校数 leaves only the 任校长 prerequisite open."""
    from click.testing import CliRunner

    from policylang.cli import cli

    said = CliRunner().invoke(cli, ["try", "policies/fujian_pilot_district.pol", "性别=女", "出生日期=1980-01-01",
                                    "参加工作时间=2002-09-01", "到校时间=2015-09-01", "区域=城区", "学段=小学",
                                    "编制=正常", "任教学校数=", "--lang", "zh"]).output
    assert "待核实：FJ-5 因缺少数据无法判断（任教学校数为空），数据补全后晋升判断可能不同" in said
