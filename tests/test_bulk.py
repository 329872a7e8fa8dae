"""The bulk evaluator decides exactly as the reference interpreter, record for record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import policylang
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.backends.polars import Plan, decide_frame, frame_from_records
from policylang.analyses.diff import diff, widest
from policylang.frontend.pipeline import compile_source, read_source
from policylang.backends.reference import decide

from .conftest import POLICIES, engine_row

BUNDLED = sorted(POLICIES.glob("*.pol"))
AS_OF = dt.date(2025, 9, 1)


def _policy(path: Path):
    policy, diagnostics, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    assert policy is not None, diagnostics
    return policy


# Dates cluster around the boundaries that matter: anniversaries of the reference date and 29 February.
_boundary_dates = st.one_of(
    st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.builds(lambda y, d: dt.date(y, 9, 1) + dt.timedelta(days=d), st.integers(1960, 2025), st.integers(-1, 1)),
    st.builds(lambda y: dt.date(y, 2, 29), st.sampled_from([1964, 1972, 1980, 1988, 1996, 2000, 2004, 2020, 2024])),
)


def _value(field: S.Field):
    t = field.type
    if field.name == "retirement_category":  # 55 and 50 are the categories; anything else is invalid
        return st.sampled_from([None, 55, 50, 55.0, 45])
    if isinstance(t, T.BoolType):
        return st.booleans()
    if isinstance(t, T.DateType):
        return _boundary_dates if field.required else st.one_of(st.none(), _boundary_dates)
    if isinstance(t, T.EnumType):
        codes = st.sampled_from(S.ENUMS[t.name].codes)
        return codes if field.required else st.one_of(st.none(), codes)
    if isinstance(t, T.NumberType):
        return st.one_of(st.none(), st.integers(0, 40), st.sampled_from([0.5, 1.0, 2.5, 3.0]))
    return st.just("x")


def _record(table: S.Table, skip=("id", "school_id", "name", "subject", "cluster", "township")):
    fields = {f.name: _value(f) for f in table.fields if f.name not in skip}
    return st.fixed_dictionaries(fields)


def _row(policy, teacher, school):
    return engine_row(decide(policy, teacher, school, as_of=AS_OF), fired=True)


def _bulk_rows(policy, teachers, schools):
    frame = frame_from_records(policy, teachers, schools)
    return decide_frame(policy, frame, as_of=AS_OF, fired=True).collect().to_dicts()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_bulk_matches_reference_on_random_rosters(path, data):
    policy = _policy(path)
    n = data.draw(st.integers(1, 12))
    teachers, schools = [], {}
    for i in range(n):
        teacher = data.draw(_record(policy.teachers)) | {"id": f"T{i}", "school_id": f"S{i}"}
        school = data.draw(_record(policy.schools)) | {"school_id": f"S{i}"}
        teachers.append(teacher)
        schools[f"S{i}"] = school
    expected = [_row(policy, t, schools[t["school_id"]]) for t in teachers]
    assert _bulk_rows(policy, teachers, schools) == expected


def test_variants_of_a_policy_share_what_they_have_in_common():
    policy = _policy(POLICIES / "fujian_pilot_district.pol")
    one = Plan()
    one.variant(policy, AS_OF, policy.parameter_values(None))
    two = Plan()
    a = two.variant(policy, AS_OF, policy.parameter_values(None))
    b = two.variant(policy, AS_OF, policy.parameter_values({"age_cap_female": 45}))
    columns = sum(len(s) for s in one.stages)
    # the age cap is read by two rules (JA-1o, JA-1, through ja1_target): their conditions (whether
    # each holds, whether an empty value leaves it open) and what depends on them are new, nothing else
    assert columns < sum(len(s) for s in two.stages) < columns + 16
    assert all(two.same(x, y) for x, y in zip(a.promotion + (a.penalties, a.benefits),
                                              b.promotion + (b.penalties, b.benefits)))
    assert not two.same(a.outcome, b.outcome)
    assert str(two.differs(a, b)["promotion"]) == str(pl.lit(False))


PAIRS = [("fujian.pol", "fujian_pilot_district.pol"), ("national.pol", "county_draft.pol"),
         ("miyun.pol", "shenyang.pol")]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: "-".join(p))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_diff_finds_exactly_the_people_the_interpreter_decides_differently(pair, data):
    base, draft = (_policy(POLICIES / name) for name in pair)
    both = widest(base, draft)
    teachers, schools = [], {}
    for i in range(data.draw(st.integers(1, 12))):
        teachers.append(data.draw(_record(both.teachers)) | {"id": f"T{i}", "school_id": f"S{i}"})
        schools[f"S{i}"] = data.draw(_record(both.schools)) | {"school_id": f"S{i}"}
    report = diff(base, draft, teachers, schools, as_of=AS_OF)
    before = [engine_row(decide(base, t, schools[t["school_id"]], as_of=AS_OF)) for t in teachers]
    after = [engine_row(decide(draft, t, schools[t["school_id"]], as_of=AS_OF)) for t in teachers]
    decided = [{k: v for k, v in row.items() if k != "uncertain"} for row in before + after]  # a change is in these
    assert list(report.changed) == [k for k in range(len(teachers)) if decided[k] != decided[len(teachers) + k]]
    assert report.before.to_dicts() == [before[k] for k in report.changed]
    assert report.after.to_dicts() == [after[k] for k in report.changed]
    statuses = [(b["status"], a["status"]) for b, a in zip(before, after)]
    assert dict(report.transitions) == {pair: statuses.count(pair) for pair in set(statuses)}


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: "-".join(p))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_rows_of_one_class_are_decided_alike_by_every_variant(pair, data):
    """Plan.classes may put two rows in one class only if no variant of the plan tells them
    apart. Rosters are a few records repeated with one field redrawn, so classes have members."""
    base, draft = (_policy(POLICIES / name) for name in pair)
    both = widest(base, draft)
    templates = [data.draw(_record(both.teachers)) for _ in range(data.draw(st.integers(1, 3)))]
    school = data.draw(_record(both.schools)) | {"school_id": "S"}
    teachers = []
    for i in range(data.draw(st.integers(2, 16))):
        record = dict(data.draw(st.sampled_from(templates)))
        field = data.draw(st.sampled_from([f for f in both.teachers.fields if f.name in record]))
        record[field.name] = data.draw(_value(field))
        teachers.append(record | {"id": f"T{i}", "school_id": "S"})
    frame = frame_from_records(both, teachers, {"S": school})
    plan = Plan()
    variants = [plan.variant(base, AS_OF, base.parameter_values(None)),
                plan.variant(draft, AS_OF, draft.parameter_values({"age_cap_female": 45}
                                                                  if "age_cap_female" in draft.parameters else None))]
    columns = [e for k, v in enumerate(variants) for e in plan.keys(v, f"{k}:", fired=True)]
    decided = plan.apply(frame).select(columns).collect().rows()
    classes, representatives = plan.classes(frame)
    assert len(classes) == len(teachers) and len(representatives) == len(set(classes.tolist()))
    assert [classes[r] for r in representatives] == list(range(len(representatives)))
    for row, group in enumerate(classes.tolist()):
        assert decided[row] == decided[representatives[group]], (row, teachers[row])


def test_classes_tell_apart_every_value_a_later_stage_reads():
    """Inputs read after the first stage (text, dates, numbers, small integers, with missing
    values) are part of a row's class: equal values share one, any difference splits it."""
    frame = pl.DataFrame({
        "on": [True, True, True, True, True, True, False, False, None],
        "text": ["a", "a", "b", None, None, "a", "a", "b", "a"],
        "date": [dt.date(2020, 1, 1)] * 2 + [None, dt.date(1960, 2, 29), dt.date(1960, 2, 29), None, None, None, None],
        "number": [1.5, 1.5, None, 2.0, 2.0, -3.0, 1.5, 1.5, 1.5],
        "small": pl.Series([1, 1, None, -128, -128, 127, 1, 1, 1], dtype=pl.Int8),
        "wide": pl.Series([-(1 << 62), -(1 << 62), 0, 1 << 62, 1 << 62, 0, 0, 0, 0], dtype=pl.Int64),
        "empty": pl.Series([None] * 9, dtype=pl.Float64),
    })
    plan = Plan()
    on = plan.column(pl.col("on"))
    plan.column(pl.concat_str([pl.when(on).then(pl.col("text")), *(pl.col(c).cast(pl.Utf8) for c in
                                                                     ("date", "number", "small", "wide", "empty"))]))
    classes, representatives = plan.classes(frame)
    seen = [tuple(r) for r in frame.rows()]
    assert [len({classes[i] for i in range(9) if seen[i] == seen[k]}) for k in range(9)] == [1] * 9
    assert len(set(classes.tolist())) == len(set(seen)) == len(representatives)


_CLASS_COLUMNS = {
    "flag": (pl.Boolean, [True, False, None]),
    "text": (pl.Utf8, ["a", "b", "", None]),
    "date": (pl.Date, [dt.date(1960, 2, 29), dt.date(2025, 9, 1), dt.date(1, 1, 1), None]),
    "small": (pl.Int8, [-128, 0, 1, 127, None]),
    "big": (pl.Int64, [-(1 << 63), -1, 0, 1, (1 << 63) - 1, None]),  # too wide a range: ranked
    "number": (pl.Float64, [-1.5, 0.0, 2.0, float("inf"), None]),
}


@settings(max_examples=200, deadline=None)
# codes overlapping their neighbour's bits: a missing yes/no, a ranked column
@example(rows=[(None, "a", None, 0, 0, -1.5), (False, "a", None, 0, 0, 0.0)], read={"flag", "number"})
@example(rows=[(True, "a", None, 0, (1 << 63) - 1, 0.0), (True, "a", dt.date(2025, 9, 1), 0, None, 0.0),
               (True, "a", None, 0, -(1 << 63), 0.0)], read={"big", "date"})
@given(rows=st.lists(st.tuples(*(st.sampled_from(values) for _, values in _CLASS_COLUMNS.values())),
                     min_size=1, max_size=30), read=st.sets(st.sampled_from(sorted(_CLASS_COLUMNS)), min_size=1))
def test_rows_share_a_class_exactly_when_they_agree_on_what_the_plan_reads(rows, read):
    frame = pl.DataFrame([pl.Series(name, [r[k] for r in rows], dtype=dtype)
                          for k, (name, (dtype, _)) in enumerate(_CLASS_COLUMNS.items())])
    plan = Plan()
    first = plan.column(pl.col("small").is_null())  # the first stage; `read` is read by a later one
    plan.column(pl.concat_str([first.cast(pl.Utf8), *(pl.col(c).cast(pl.Utf8) for c in sorted(read))]))
    classes, representatives = plan.classes(frame)
    seen = frame.select(pl.col("small").is_null().alias("first"), *sorted(read)).rows()
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (classes[i] == classes[j]) == (seen[i] == seen[j]), (seen[i], seen[j])
    assert sorted(classes[representatives].tolist()) == list(range(len(representatives)))


def test_classes_of_rows_wider_than_one_integer():
    """Four dates spanning the calendar need 88 bits: two integers per row, both compared."""
    first, last = dt.date(1, 1, 1), dt.date(9999, 12, 31)
    rows = [(first, first, first, first), (last, last, last, last), (first, first, first, last),
            (first, first, first, last), (last, first, first, first)]
    frame = pl.DataFrame(rows, schema=["d1", "d2", "d3", "d4"], orient="row")
    plan = Plan()
    missing = plan.column(pl.col("d1").is_null())  # the first stage; the second reads the dates
    plan.column(pl.when(missing).then(None).otherwise(pl.concat_str([pl.col(c).cast(pl.Utf8) for c in frame.columns])))
    classes, _ = plan.classes(frame)
    assert classes[2] == classes[3] and len(set(classes.tolist())) == 4


def test_a_signature_missing_in_every_row_is_one_class_of_every_row():
    plan = Plan()
    plan.column(plan.column(pl.col("x") + 1) * 2)  # a number, missing in every row: nothing to code
    classes, representatives = plan.classes(pl.DataFrame({"x": pl.Series([None] * 3, dtype=pl.Int64)}))
    assert classes.tolist() == [0, 0, 0] and len(representatives) == 1


def test_a_plan_that_reads_nothing_has_one_class():
    plan = Plan()
    plan.column(pl.lit(True))
    classes, representatives = plan.classes(pl.DataFrame({"id": ["a", "b", "c"]}))
    assert classes.tolist() == [0, 0, 0] and len(representatives) == 1
    classes, representatives = plan.classes(pl.DataFrame({"id": []}, schema={"id": pl.Utf8}))
    assert len(classes) == 0 and len(representatives) == 0


def test_a_frame_decider_is_built_once_per_date_parameters_and_fired_and_decides_by_them():
    """The service decides each batch with the plan kept for its date and parameters: the same
    plan for the same ones, another for others, and each decides as a plan built afresh."""
    policy = policylang.load("policies/fujian_pilot_district.pol")
    frame = policy.roster_frame(policy.read_roster("examples/teachers.csv", "examples/schools.csv"))
    day = dt.date(2025, 9, 1)
    kept = policy.frame_decider(as_of=day, params={"age_cap_female": "45 years"})
    assert kept is policy.frame_decider(as_of="2025-09-01", params={"age_cap_female": "45 years"})
    assert kept is not policy.frame_decider(as_of=day, params={"age_cap_female": "45 years"}, fired=True)
    assert kept is not policy.frame_decider(as_of=day)
    for params in ({"age_cap_female": "45 years"}, None):
        expected = decide_frame(policy.checked, frame, as_of=day, params=policy._params(params)).collect()
        expected = expected.with_columns(pl.lit("").alias("uncertain"))  # no year-month date: none
        for _ in range(2):  # the kept plan, used again, decides the same
            assert policy.evaluate_frame(frame, as_of=day, params=params).equals(expected)
    assert not policy.evaluate_frame(frame, as_of=day, params={"age_cap_female": "45 years"})["status"].equals(
        policy.evaluate_frame(frame, as_of=day)["status"])


def test_small_and_large_tables_are_read_and_decided_alike_on_either_polars_engine(monkeypatch):
    """``io.columnar.collected`` runs a small frame's plans on polars's in-memory engine and a
    large one's on its default: the same checks and decisions either way, a row with a problem
    refused either way."""
    from policylang.io import columnar

    policy = policylang.load("policies/fujian_pilot_district.pol")
    teachers = pl.read_csv("examples/teachers.csv", infer_schema=False)
    schools = pl.read_csv("examples/schools.csv", infer_schema=False)
    answers = {}
    for small in (0, teachers.height):  # every frame large; every frame small
        monkeypatch.setattr(columnar, "SMALL_FRAME", small)
        answers[small] = (policy.evaluate_table(teachers, schools, fired=True),
                          policy.evaluate_frame(policy.roster_frame(policy.read_roster(
                              "examples/teachers.csv", "examples/schools.csv")), fired=True))
        with pytest.raises(policylang.RosterError):
            policy.evaluate_table(teachers.with_columns(pl.lit("soon").alias("birth_date")), schools)
    assert answers[0][0].height == teachers.height
    assert answers[0][0].equals(answers[teachers.height][0])
    assert answers[0][1].equals(answers[teachers.height][1])
    assert answers[0][0].select("id", "status").equals(answers[0][1].select("id", "status"))
