"""A date of a teacher's own life after the reference date (R029): a birth, a start at work,
at the school, in the post, a title. Typed wrong (2109 for 2019) it read as a tenure not yet
begun and decided the person out of every rule, without a word. Every reader refuses it when it
knows the date the roster is decided at, in the same words; a roster, record or frame read
without it is refused when it is decided at that date."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import policylang
from policylang.api import RosterError
from policylang.cli import cli
from policylang.io.columnar import read_frame

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools.csv"
AS_OF = dt.date(2026, 9, 1)


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


def _roster(tmp_path: Path, changes: dict[int, dict[str, str]], suffix: str = ".csv") -> Path:
    """The first eight example teachers, with the cells of ``changes`` (row index -> column -> cell)."""
    with open("examples/teachers.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:8]
    for k, cells in changes.items():
        rows[k].update(cells)
    path = tmp_path / f"teachers{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return path


LATE = {0: {"school_start": "2109-09-01"},  # 2019 typed as 2109
        2: {"work_start": "2027-03-01", "title_date": "2026-09-02"},
        4: {"birth_date": "2026-10"},  # a month after the reference date's
        5: {"post_start": "2026-09-01", "refused_exchange": "2027-01-05"},  # on the day: kept; an event: kept
        6: {"school_start": "2026-09"}}  # the reference date's month: kept
EXPECTED = [(2, "school_start"), (4, "work_start"), (4, "title_date"), (6, "birth_date")]


def _listed(problems, code="R029"):
    return [(p.row, p.column) for p in problems if p.code == code]


def test_the_row_and_the_columnar_readers_refuse_the_same_dates_in_the_same_words(policy, tmp_path):
    path = _roster(tmp_path, LATE)
    rows = policy.read_roster(path, SCHOOLS, as_of=AS_OF)
    assert _listed(rows.problems) == EXPECTED
    streamed, frame, read, _ = read_frame(policy.checked_at(AS_OF), path, SCHOOLS, skip_invalid=True)
    assert [(p.row, p.column, p.message("zh")) for p in streamed if p.code == "R029"] == [
        (p.row, p.column, p.message("zh")) for p in rows.problems if p.code == "R029"]
    assert read == 8 and frame.height == 5  # three teachers refused, counted
    first = rows.problems[0]
    assert first.value == "2109-09-01"
    assert first.message("zh") == "到校时间“2109-09-01”晚于参考日期（2026-09-01），该日尚未发生，不能按该日作决定（若非有意按更早的日期计算，请检查年份）"
    assert "after the reference date 2026-09-01" in first.message("en")


def test_without_the_reference_date_the_reader_does_not_guess_one(policy, tmp_path):
    roster = policy.read_roster(_roster(tmp_path, LATE), SCHOOLS)
    assert not _listed(roster.problems)


def test_a_later_reference_date_reads_the_same_roster_cleanly(policy, tmp_path):
    roster = policy.read_roster(_roster(tmp_path, {k: v for k, v in LATE.items() if k not in (0, 4)}), SCHOOLS,
                                as_of=dt.date(2027, 9, 1))
    assert not roster.problems
    assert len(policy.evaluate(roster, as_of=dt.date(2027, 9, 1))) == 8


def test_evaluate_refuses_a_roster_read_without_the_date_it_decides_at(policy, tmp_path):
    roster = policy.read_roster(_roster(tmp_path, LATE), SCHOOLS)
    for decide in (policy.evaluate, policy.decide_each):
        with pytest.raises(RosterError) as caught:
            decide(roster, as_of=AS_OF)
        # (T0005's birth after the date makes their work dates precede it: a row refused without it, R017)
        assert _listed(caught.value.problems) == EXPECTED[:-1]
        assert caught.value.problems[0].column_in("zh") == "到校时间"


def test_frames_are_refused_by_the_teachers_id(policy, tmp_path):
    frame = policy.roster_frame(policy.read_roster(_roster(tmp_path, LATE), SCHOOLS), months=True)
    for call in (lambda: policy.evaluate_frame(frame, as_of=AS_OF), lambda: policy.quota_plans(frame, as_of=AS_OF),
                 lambda: policylang.api.what_if(policy, policy, frame, as_of=AS_OF)):
        with pytest.raises(RosterError) as caught:
            call()
        assert sorted((p.file, p.column) for p in caught.value.problems) == sorted(
            [("T0001", "school_start"), ("T0003", "work_start"), ("T0003", "title_date")])
    assert policy.evaluate_frame(frame, as_of=dt.date(2110, 1, 1)).height == 7
    with pytest.raises(RosterError) as caught:  # a date as a moment of its day: that day
        policy.evaluate_frame(frame.with_columns(pl.col("school_start").cast(pl.Datetime)), as_of=AS_OF)
    assert [p.column for p in caught.value.problems][:1] == ["school_start"]


def test_one_record_and_a_table_are_refused_as_a_roster_is(policy):
    with open("examples/teachers.csv", encoding="utf-8") as f:
        teacher = next(csv.DictReader(f)) | {"school_start": "2109-09-01"}
    with open(SCHOOLS, encoding="utf-8") as f:
        school = next(s for s in csv.DictReader(f) if s["school_id"] == teacher["school_id"])
    for call in (policy.decide, policy.explain):
        with pytest.raises(RosterError) as caught:
            call(teacher, school, as_of=AS_OF)
        assert [(p.code, p.column) for p in caught.value.problems] == [("R029", "school_start")]
    assert policy.decide(teacher | {"school_start": "2019-09-01"}, school, as_of=AS_OF).status
    with pytest.raises(RosterError) as caught:
        policy.evaluate_table(pl.DataFrame([teacher]), [school], as_of=AS_OF)
    assert [p.code for p in caught.value.problems] == ["R029"]


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_eval_refuses_the_rows_and_skip_invalid_counts_them(tmp_path, suffix):
    path = _roster(tmp_path, LATE, suffix)
    runner = CliRunner()
    refused = runner.invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "--as-of", "2026-09-01",
                                  "--lang", "zh", "-o", str(tmp_path / "out.csv")])
    assert refused.exit_code == 3, refused.output
    assert "[R029]" in refused.output and "到校时间“2109-09-01”晚于参考日期（2026-09-01）" in refused.output
    assert "请用 --as-of 指定；若有意按更早的日期计算，可用 --skip-invalid" in refused.output  # said once, after the list
    assert not (tmp_path / "out.csv").exists()
    skipped = runner.invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "--as-of", "2026-09-01",
                                  "--skip-invalid", "-o", str(tmp_path / "out.csv"), "--lang", "en"])
    assert skipped.exit_code == 0, skipped.output
    with open(tmp_path / "out.csv", encoding="utf-8-sig") as f:
        decided = [r["id"] for r in csv.DictReader(f)]
    assert decided == ["T0002", "T0004", "T0006", "T0007", "T0008"]


def test_diff_and_quota_read_at_their_reference_date(tmp_path):
    path = _roster(tmp_path, LATE)
    runner = CliRunner()
    for args in (["diff", POLICY, POLICY, "--set", "age_cap_female=45"], ["quota", POLICY]):
        result = runner.invoke(cli, [*args, str(path), "--schools", SCHOOLS, "--as-of", "2026-09-01", "--lang", "en"])
        assert result.exit_code == 3 and "[R029]" in result.output, result.output


def test_the_service_refuses_them_in_a_batch_and_for_one_person():
    from starlette.testclient import TestClient

    from policylang.service.app import create_app
    from policylang.service.decide import SMALL_BATCH

    with open("examples/teachers.csv", encoding="utf-8") as f:
        teachers = list(csv.DictReader(f))[:SMALL_BATCH + 1]  # more than the closures decide: the columnar path
    with open(SCHOOLS, encoding="utf-8") as f:
        schools = list(csv.DictReader(f))
    teachers[3] = teachers[3] | {"school_start": "2109-09-01"}
    with TestClient(create_app("policies", max_batch=1000)) as client:
        for batch in (teachers, teachers[3:4]):  # the columnar path, then the closures
            response = client.post("/v1/policies/fujian_pilot_district/decide",
                                   json={"teachers": batch, "schools": schools, "as_of": "2026-09-01"})
            assert response.status_code == 422, response.text
            assert [(e["code"], e["row"], e["column"]) for e in response.json()["errors"]] == [
                ("R029", 4 if len(batch) > 1 else 1, "school_start")]
        later = client.post("/v1/policies/fujian_pilot_district/decide",
                            json={"teachers": teachers, "schools": schools, "as_of": "2110-01-01"})
        assert later.status_code == 200, later.text
