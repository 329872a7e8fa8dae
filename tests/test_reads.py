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
    assert roster.warnings[0].message("zh").count("名册无“职称”列") == 1  # (the reason began as the message does)
    [decision] = silent.evaluate(roster)
    assert decision.assumptions == ("title=none",) and [p.target for p in decision.promotion] == ["first"]
    reading = policylang.loads('policy "x"\n  as of 2025-09-01\nsource S "s"\n'
                               'rule R-1 "满6年" cite S when tenure at least 6 years then must_rotate\n'
                               'prerequisite P-1 "评高级须农村任教" cite S for senior requires rural_years at least 1 years\n')
    refused = reading.read_roster(teachers, schools)
    assert ("R011", "title") in {(p.code, p.column) for p in refused.problems}


def test_an_empty_field_names_a_decision_uncertain_only_where_it_can_leave_a_condition_unknown():
    """`support_end is set and support_end more than as_of` is false for an empty support_end, never
    unknown: the field read beside its guard, or inside `is set`/`is empty`, is no value missing;
    one read plainly, or past a guard of another field, is."""
    from policylang.lang.reads import decision_reads

    policy, diagnostics = compile_text(HEADER + """
define recent = support_end is set and (support_end more than as_of or title_date more than as_of)
rule R-1 "近期支教" cite S when recent then eligible
rule R-2 "处分" cite S when sanction_until is empty or sanction_until less than as_of then eligible
rule R-3 "职称" cite S when post_start is set and title_date more than as_of then eligible
rule R-4 "嵌套" cite S when on_staff and (support_end is set and (teaching and support_end less than as_of)) then eligible
""")
    assert policy is not None, [(d.code, d.en) for d in diagnostics]
    reads = decision_reads(policy)
    assert reads["R-1"] == {("teacher", "title_date")}  # (support_end guarded; title_date is not)
    assert reads["R-2"] == frozenset()
    assert reads["R-3"] == {("teacher", "title_date")}  # post_start only in its guard
    assert reads["R-4"] == {("teacher", "on_staff"), ("teacher", "teaching")}  # a guard within a chain of and


def test_a_complete_school_teacher_is_uncertain_for_the_section_alone():
    """county_draft's CD-2.1 reads 支教结束时间 behind `is set`: a 完中 teacher without 任教学段 was
    told 支教结束时间、任教学段 were missing."""
    import policylang

    policy = policylang.load("policies/county_draft.pol")
    teacher = {"id": "T1", "sex": "女", "birth_date": "1985-03-01", "school_id": "W1", "school_start": "2012-09-01",
               "work_start": "2008-09-01", "post": "教师", "on_staff": "是", "teaching": "是", "title": "一级教师",
               "support_end": None}
    teacher |= {name: None for name, _ in policy.checked.teachers.reads if name not in teacher}
    school = {"school_id": "W1", "area": "城区", "stage": "完中", "staffing": "正常", "weak": "否"}
    decided = policy.decide(teacher, school)
    assert "teaching_stage" in decided.uncertain and "support_end" not in decided.uncertain


def test_a_consequence_s_event_date_is_no_value_missing():
    """A penalty's `after refused_exchange` is tested in its `when` too (not before the file's
    `effective` date): an empty date is an event that did not happen, never unknown."""
    import policylang
    from policylang.lang.reads import decision_reads

    reads = decision_reads(policylang.load("policies/county_draft.pol").checked)
    assert ("teacher", "refused_exchange") not in reads["CD-5a"]
    assert ("teacher", "left_exchange_early") not in reads["CD-5b"]
