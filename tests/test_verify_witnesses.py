"""A witness is a person an official recognises: at the current school since starting work."""

from __future__ import annotations

import pytest

import policylang
from policylang import api

from .conftest import ROOT


@pytest.mark.parametrize("draft, base", [("fujian_pilot_district.pol", "fujian.pol"),
                                         ("county_draft.pol", "national.pol")])
def test_a_witness_of_the_bundled_refinements_started_work_before_arriving_at_its_school(draft, base):
    report = api.verify(policylang.load(ROOT / "policies" / draft),
                               refines=policylang.load(ROOT / "policies" / base))
    assert report.witnesses
    for w in report.witnesses:
        assert w.teacher["work_start"] <= w.teacher["school_start"], w.teacher


def test_no_one_at_the_school_longer_than_they_have_worked_is_a_witness(tmp_path):
    """A new-teacher exemption loosens a six-years-at-the-school rule only for someone at the
    school longer than they have worked: no one. The refinement holds, and the answer says why."""
    base = 'policy "基准"\n  as of 2025-09-01\nrule R-1 "满6年" when tenure at least 6 years then must_rotate\n'
    draft = base.replace('"基准"', '"草案"') + ('exemption E-1 "新教师" as new_teacher to R-1 '
                                               'when service_years less than 3 years\n')
    report = api.verify(policylang.loads(draft), refines=policylang.loads(base))
    assert report.holds, [w.teacher for w in report.witnesses]
    assert "school_start >= work_start" in report.coverage.bounds["working_life"]
