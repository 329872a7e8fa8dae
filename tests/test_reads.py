"""What a policy reads: the ground on which a roster lacking a column is refused."""

from __future__ import annotations

from policylang.lang.reads import columns_read

from .conftest import HEADER, compile_text


def _reads(text: str):
    policy, diagnostics = compile_text(HEADER + text)
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    return columns_read(policy)


def test_each_column_names_every_part_that_reads_it_through_definitions():
    reads = _reads("""
define young = age < 40 years
rule R-1 "青年教师在编须交流" cite S when young and on_staff then must_rotate
exemption E-1 "哺乳期" as nursing cite S to R-1 when nursing
rule R-2 "农村学校" cite S when school.area = rural then eligible
""")
    assert reads == {("school", "area"): ("R-2",), ("teacher", "birth_date"): ("R-1",),
                     ("teacher", "nursing"): ("E-1",), ("teacher", "on_staff"): ("R-1",),
                     ("teacher", "title"): ("promotion",)}  # every decision's entry for the next title


def test_promotion_targets_read_the_title_and_quota_groups_their_school_field():
    reads = _reads("""
prerequisite P-1 "晋升高级须有农村任教经历" cite S for senior
  requires rural_years at least 1 years
quota Q-1 "片区交流不少于10%" cite S
  per cluster
  require movers at least 10% of targets where (backbone >= county) rounded up
""")
    assert reads[("teacher", "title")] == ("P-1", "promotion")
    assert reads[("teacher", "rural_years")] == ("P-1",)
    assert reads[("school", "cluster")] == ("Q-1",)
    assert reads[("teacher", "backbone")] == ("Q-1",)
    assert ("teacher", "post") not in reads  # no principal target


def test_a_roster_without_titles_is_decided_on_a_title_stated_not_taken_silently(tmp_path):
    """Every decision's promotion entry is for the title next above the person's: a roster
    without 职称 read for a policy no clause of which reads it has 未定级 stated (R013, and in
    each decision's assumptions); one whose clauses read it is refused (R011)."""
    import policylang
    from policylang.lang.reads import UNTITLED

    teachers = tmp_path / "t.csv"
    teachers.write_text("工号,性别,出生日期,学校代码,到校时间,参加工作时间,岗位,在编在岗\n"
                        "H1,男,1975-03-01,S1,2010-09-01,1997-08-01,教师,是\n", encoding="utf-8")
    schools = tmp_path / "s.csv"
    schools.write_text("学校代码,区域,学段\nS1,城区,小学\n", encoding="utf-8")
    silent = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                              'rule R-1 "满6年" cite S when tenure at least 6 years then must_rotate\n')
    roster = silent.read_roster(teachers, schools)
    assert not roster.problems and [(w.code, w.column) for w in roster.warnings] == [("R013", "title")]
    assert UNTITLED.split("：")[1] in roster.warnings[0].message("zh")
    [decision] = silent.evaluate(roster)
    assert decision.assumptions == ("title=none",) and [p.target for p in decision.promotion] == ["first"]
    reading = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                               'rule R-1 "满6年" cite S when tenure at least 6 years then must_rotate\n'
                               'prerequisite P-1 "评高级须农村任教" cite S for senior requires rural_years at least 1 years\n')
    refused = reading.read_roster(teachers, schools)
    assert ("R011", "title") in {(p.code, p.column) for p in refused.problems}
