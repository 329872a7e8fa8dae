"""Records from pandas (``DataFrame.to_dict("records")``), as docs/api.md offers them to the API: a
missing date is ``NaT`` and a missing value of a nullable column ``NA``. Each reads as an empty
cell, as ``None`` and NaN do; ``NaT`` raised ``ValueError: NaTType does not support time`` out of
``decide`` (embedder's trial em25)."""

from __future__ import annotations

import pandas as pd
import pytest

import policylang
from policylang.api import RosterError

DISTRICT = "policies/fujian_pilot_district.pol"
DATES = ["birth_date", "school_start", "work_start", "post_start", "title_date", "sanction_until", "support_end"]


@pytest.fixture(scope="module")
def policy():
    return policylang.load(DISTRICT)


def _records():
    teachers = pd.read_csv("examples/teachers.csv", parse_dates=DATES).head(40).to_dict("records")
    schools = {r["school_id"]: r for r in pd.read_csv("examples/schools.csv").to_dict("records")}
    return teachers, schools


def test_pandas_missing_values_read_as_empty_cells(policy):
    teachers, schools = _records()
    teacher = next(t for t in teachers if t["sanction_until"] is pd.NaT)  # the sample's own missing dates
    as_none = {k: (None if v is pd.NaT or (isinstance(v, float) and v != v) else v) for k, v in teacher.items()}
    school = schools[teacher["school_id"]]
    assert policy.decide(teacher, school, as_of="2025-09-01") == policy.decide(as_none, school, as_of="2025-09-01")
    flagged = dict(teacher, pregnant=pd.NA)
    assert policy.decide(flagged, school, as_of="2025-09-01") == policy.decide(
        dict(as_none, pregnant=None), school, as_of="2025-09-01")


def test_a_required_date_given_as_nat_is_empty_not_a_crash(policy):
    teachers, schools = _records()
    teacher = dict(teachers[0], birth_date=pd.NaT)
    with pytest.raises(RosterError) as caught:
        policy.decide(teacher, schools[teacher["school_id"]], as_of="2025-09-01")
    assert [(p.code, p.column) for p in caught.value.problems] == [("R006", "birth_date")]
    roster = policy.roster_from_records([teacher, teachers[1]], list(schools.values()))
    assert [(p.code, p.row, p.column) for p in roster.problems] == [("R006", 1, "birth_date")]
