"""The service's columnar batch path (`service/fastpath.py`) against the row path `eval --format
json` takes: random batches (bad cells, missing and unknown columns, duplicate ids, unknown
schools, Chinese keys and values) must give the same decision records, or the same problems
(code, row, column), and the fast path must answer exactly the batches the row reader accepts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policylang
from policylang.cli import cli
from policylang.io import roster as R
from policylang.io.output import Layout, identity_columns, json_bytes, roster_records
from policylang.lang.policy import reference_date
from policylang.service import decide as D
from policylang.service import fastpath as F
from policylang.service.errors import roster_errors

from .conftest import EXAMPLES, POLICIES

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402


def _records(path: Path, encoding: str = "utf-8-sig") -> list[dict]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


TEACHERS = _records(EXAMPLES / "teachers.csv")
TEACHERS_ZH = _records(EXAMPLES / "teachers_zh.csv", "gb18030")  # Chinese keys and Chinese values
SCHOOLS = _records(EXAMPLES / "schools.csv")
SCHOOLS_ZH = _records(EXAMPLES / "schools_zh.csv")
BATCH = D.SMALL_BATCH + 1  # the smallest batch the columnar path takes

# cells a roster may hold: good ones in other forms, bad ones, and ones only a careful reader gets right
CELLS = ["", " ", None, "x", "abc", "0", "1", "-1", "1.5", "1e3", "１２", " 12 ", "true", "FALSE", "是", "否", "yes",
         "2025-09-01", "2025-13-01", "2025-02-29", "2024-02-29", "1990-02", "1990年3月", "1990年3月1日", "1990/3/1",
         "19900301", "0001-01-01", "9999-12-31", "1850-01-01", "F", "M", "女", "teacher", "senior", "city", "S01",
         "S99", "=cmd()", "\u202eevil", "T0001", "qualified", "urban", "\x7f", "11010519491231002X"]


def _policy(name: str = "fujian_pilot_district") -> policylang.Policy:
    return policylang.load(POLICIES / f"{name}.pol")


POLICY = _policy()


@st.composite
def batches(draw):
    zh = draw(st.booleans())
    teachers, schools = (TEACHERS_ZH, SCHOOLS_ZH) if zh else (TEACHERS, SCHOOLS)
    start = draw(st.integers(0, len(teachers) - BATCH))
    size = draw(st.integers(BATCH, BATCH + 40))
    rows = [dict(teachers[(start + k) % len(teachers)]) for k in range(size)]
    id_key, school_key = ("工号", "学校代码") if zh else ("id", "school_id")
    for k, row in enumerate(rows):  # unique ids, as the examples repeated
        row[id_key] = f"{row[id_key]}-{k}"
    keys = list(rows[0])
    for _ in range(draw(st.integers(0, 3))):  # a bad or unusual cell
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(keys))] = draw(st.sampled_from(CELLS))
    if draw(st.integers(0, 4)) == 0:  # a column missing from every record
        gone = draw(st.sampled_from(keys))
        for row in rows:
            del row[gone]
    if draw(st.integers(0, 6)) == 0:  # a column missing from one record only
        gone = draw(st.sampled_from(keys))
        draw(st.sampled_from(rows)).pop(gone, None)
    if draw(st.integers(0, 6)) == 0:  # an unknown column
        for row in rows:
            row["备注" if zh else "remark"] = draw(st.sampled_from(CELLS))
    if draw(st.integers(0, 6)) == 0:  # a duplicate id
        a, b = draw(st.sampled_from(rows)), draw(st.sampled_from(rows))
        if id_key in a and id_key in b:
            b[id_key] = a[id_key]
    if draw(st.integers(0, 6)) == 0:  # an unknown school
        draw(st.sampled_from(rows))[school_key] = "S99"
    school_rows = [dict(s) for s in schools]
    if draw(st.integers(0, 6)) == 0:  # a bad school cell
        draw(st.sampled_from(school_rows))[draw(st.sampled_from(list(school_rows[0])))] = draw(st.sampled_from(CELLS))
    if draw(st.integers(0, 8)) == 0:  # a typed value: the row reader's own
        draw(st.sampled_from(rows))[keys[-1]] = draw(st.sampled_from([0, 1.5, True]))
    when = draw(st.sampled_from([{}, {"as_of": "2024-09-01"}, {"as_of": "2027-03-01"}]))
    params = draw(st.sampled_from([{}, {"params": {"age_cap_female": 45}}, {"params": {"age_cap_female": "52 years"}}]))
    return rows, school_rows, draw(st.sampled_from(["en", "zh"])), when | params


def _row_path(policy: policylang.Policy, teachers: list[dict], schools: list[dict], lang: str, options=None):
    """What `eval --format json` does with a JSON roster of these records (cli/eval.py):
    (the records, None) or (None, the problems as the service words them)."""
    options = options or {}
    as_of = reference_date(D.B.date(options.get("as_of"), "as_of"), policy.checked)
    roster = policy.roster_from_records(teachers, schools, as_of=as_of)  # as eval --as-of reads it
    if roster.problems:
        return None, roster_errors(roster.problems)
    checked = policy.checked
    layout = Layout(lang=lang, carried=identity_columns(checked.teachers, checked.schools, R.records_header(teachers),
                                                        R.records_header(schools) if schools else None),
                    effects={(c.id, e.name): e.label for c in checked.consequences for e in c.effects},
                    exemptions={e.code: e.title for e in checked.all_exemptions()})
    decisions = policy.evaluate(roster, as_of=as_of,
                                params=D.typed_params(policy, options.get("params") or {}))
    return json.loads(json_bytes(decisions, layout=layout, records=roster_records(roster))), None


def _where(errors: list[dict]) -> list[tuple]:
    return [(e["code"], e.get("row"), e.get("column")) for e in errors]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(POLICIES, max_batch=1000, max_body=4_000_000)) as c:
        yield c


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches())
def test_random_batches_decide_and_refuse_as_the_row_path(client, batch):
    teachers, schools, lang, options = batch
    expected, problems = _row_path(POLICY, teachers, schools, lang, options)
    request = D.read_request({"teachers": teachers, "schools": schools} | options, 1000)
    fast = F.columnar_batch(POLICY, request, layout=D.Layout(lang=lang, carried=identity_columns(
        POLICY.checked.teachers, POLICY.checked.schools, R.records_header(teachers), R.records_header(schools))),
        as_of=reference_date(request.as_of, POLICY.checked), params=D.typed_params(POLICY, request.params))
    event("refused" if problems else "decided by the fast path" if fast else "decided by the row path")
    if problems:  # the fast path never decides what the row reader refuses
        assert fast is None
    elif F.text_only(request.types["teachers"]):  # and decides every clean batch of text
        assert fast is not None
    response = client.post(f"/v1/policies/fujian_pilot_district/decide?lang={lang}",
                           json={"teachers": teachers, "schools": schools} | options)
    if problems:
        assert response.status_code == 422, response.text
        assert _where(response.json()["errors"]) == _where(problems)
    else:
        assert response.status_code == 200, response.text
        assert response.json()["decisions"] == expected


def test_a_clean_batch_takes_the_columnar_path_and_counts_its_statuses():
    teachers = [dict(t, id=f"{t['id']}-{k}") for k, t in enumerate(TEACHERS * 3)]
    request = D.read_request({"teachers": teachers, "schools": SCHOOLS}, 10_000)
    layout = Layout(carried=identity_columns(POLICY.checked.teachers, POLICY.checked.schools, R.records_header(teachers),
                                             R.records_header(SCHOOLS)))
    data, statuses, logged = F.columnar_batch(POLICY, request, layout=layout, as_of=reference_date(None, POLICY.checked),
                                              params=None)
    expected, _ = _row_path(POLICY, teachers, SCHOOLS, "en")
    assert json.loads(data) == expected
    assert sum(statuses.values()) == len(teachers) and statuses == {
        s: sum(d["status"] == s for d in expected) for s in statuses}
    roster = POLICY.roster_from_records(teachers, SCHOOLS)
    assert logged() == [d.to_json() for d in POLICY.evaluate(roster)]


def test_the_service_answers_a_batch_as_eval_writes_a_json_roster(tmp_path, client):
    """The whole command, once: a JSON roster file through `policylang eval --format json`."""
    teachers = [dict(t, 工号=f"{t['工号']}-{k}") for k, t in enumerate(TEACHERS_ZH[:200])]
    (tmp_path / "t.json").write_text(json.dumps(teachers, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps(SCHOOLS_ZH, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(POLICIES / "fujian_pilot_district.pol"), str(tmp_path / "t.json"),
                                      "--schools", str(tmp_path / "s.json"), "--format", "json", "--lang", "zh"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    response = client.post("/v1/policies/fujian_pilot_district/decide?lang=zh",
                           json={"teachers": teachers, "schools": SCHOOLS_ZH})
    assert response.json()["decisions"] == json.loads(result.stdout)


def test_a_text_that_looks_like_a_control_is_escaped_as_the_row_path_escapes_it(client):
    teachers = [dict(t, id=f"{t['id']}-{k}") for k, t in enumerate(TEACHERS[:BATCH])]
    teachers[3]["name"] = "王\u202e\x9b=cmd()"  # (at a cell's end a direction mark is trimmed: text_width.TRIMMED)
    response = client.post("/v1/policies/fujian_pilot_district/decide", json={"teachers": teachers, "schools": SCHOOLS})
    assert b"\\u202e\\u009b=cmd()" in response.content
    assert response.json()["decisions"][3]["roster"]["name"] == "王\u202e\x9b=cmd()"



@pytest.mark.parametrize("typed", [False, True], ids=["text", "typed"])
@pytest.mark.parametrize("size", [D.SMALL_BATCH, D.SMALL_BATCH + 1])
def test_either_side_of_the_switch_the_closures_and_a_polars_plan_decide_alike(monkeypatch, size, typed):
    """A batch of SMALL_BATCH teachers is decided one by one, one more by a polars plan (the
    columnar path's for text records, the row reader's for a typed value); each answer equals
    the other path's for the same batch."""
    teachers = [dict(t, id=f"{t['id']}-{k}") for k, t in enumerate((TEACHERS * 2)[:size])]
    if typed:  # a JSON number: not text only, so the row reader reads the batch
        teachers[0]["rural_years"] = int(teachers[0]["rural_years"])
    body = {"teachers": teachers, "schools": SCHOOLS, "as_of": "2026-09-01"}
    taken = []

    def spy(name, fn):  # notes the path that answered (the columnar path answers None to the row path)
        def called(*args, **kwargs):
            out = fn(*args, **kwargs)
            if out is not None:
                taken.append(name)
            return out
        return called

    monkeypatch.setattr(policylang.Policy, "decide_each", spy("closures", policylang.Policy.decide_each))
    monkeypatch.setattr(policylang.Policy, "evaluate", spy("plan", policylang.Policy.evaluate))
    monkeypatch.setattr(D, "columnar_batch", spy("plan", D.columnar_batch))

    def decided():
        taken.clear()
        out = D.decide(POLICY, json.loads(json.dumps(body)), explain=False, lang="zh", max_batch=1000)
        return (json.loads(out.data), out.statuses, out.log_records()), taken[:]

    answer, path = decided()
    assert path == (["closures"] if size <= D.SMALL_BATCH else ["plan"])
    monkeypatch.setattr(D, "SMALL_BATCH", 10**6 if size > D.SMALL_BATCH else 0)  # the other path
    other, other_path = decided()
    assert other_path == (["plan"] if path == ["closures"] else ["closures"])
    assert other == answer
