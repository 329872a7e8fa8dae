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
                     ("teacher", "nursing"): ("E-1",), ("teacher", "on_staff"): ("R-1",)}


def test_promotion_targets_read_the_title_and_quota_groups_their_school_field():
    reads = _reads("""
prerequisite P-1 "晋升高级须有农村任教经历" cite S for senior
  requires rural_years at least 1 years
quota Q-1 "片区交流不少于10%" cite S
  per cluster
  require movers at least 10% of targets where (backbone >= county) rounded up
""")
    assert reads[("teacher", "title")] == ("P-1",)
    assert reads[("teacher", "rural_years")] == ("P-1",)
    assert reads[("school", "cluster")] == ("Q-1",)
    assert reads[("teacher", "backbone")] == ("Q-1",)
    assert ("teacher", "post") not in reads  # no principal target
