"""`policylang serve` under stress: random JSON bodies are answered 4xx, never 5xx
(hypothesis); policy files rewritten while several worker processes answer lose no request
and mix no versions within one."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import policylang
import urllib.error
import urllib.request

import pytest

pytest.importorskip("httpx")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402
from policylang.service.decide import SMALL_BATCH  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402

EXAMPLES_RUN = int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "150"))


def _records(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


TEACHERS, SCHOOLS = _records(EXAMPLES / "teachers.csv"), _records(EXAMPLES / "schools.csv")
COLUMNS = list(TEACHERS[0]) + ["工号", "出生日期", "性别", "孕期", "school.area"]
FIELDS = ["teachers", "schools", "as_of", "params", "assume", "base", "draft", "base_params", "draft_params"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["", "是", "否", "1980-02-29", "2025-09-01", "T0001", "S01",
                                                            "fujian", "miyun", "45 years", "urban", "城区", "F",
                                                            "\ud800", "张\udfff", "😀"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)
record = st.dictionaries(st.sampled_from(COLUMNS), json_values, max_size=6)
# a real teacher with a few columns changed to anything: deep into the roster reader and the deciders
mutated = st.builds(lambda changes, k: [dict(TEACHERS[k], **changes)], st.dictionaries(st.sampled_from(COLUMNS),
                                                                                       scalars, max_size=4),
                    st.integers(0, len(TEACHERS) - 1))
bodies = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5),
    st.fixed_dictionaries({"teachers": st.one_of(st.lists(record, max_size=3), mutated)},
                          optional={"schools": st.just(SCHOOLS), "as_of": json_values,
                                    "params": st.dictionaries(st.sampled_from(["age_cap_female", "x"]), scalars),
                                    "base": st.sampled_from(["fujian", "miyun", "nowhere", 3]),
                                    "draft": st.sampled_from(["fujian_pilot_district", "county_draft"])}),
)
PATHS = ["/v1/policies/fujian_pilot_district/decide", "/v1/policies/county_draft/decide?explain=true",
         "/v1/policies/county_exchange/quota", "/v1/diff", "/v1/policies/miyun/evaluate"]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(POLICIES, max_batch=50, max_body=200_000)) as c:
        yield c


@settings(max_examples=EXAMPLES_RUN, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
@given(body=bodies, path=st.sampled_from(PATHS))
def test_random_json_is_answered_4xx_never_5xx(client, body, path):
    response = client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code < 500, (path, body, response.text)
    if response.status_code >= 400:
        errors = response.json()["errors"]
        assert errors and all(e["code"] and e["message"]["en"] and e["message"]["zh"] for e in errors)


# ---- reload under load, several workers ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_files_rewritten_under_load_with_two_workers_lose_no_request_and_mix_no_versions(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    text = (POLICIES / "fujian_pilot_district.pol").read_text(encoding="utf-8")
    # a version passing its own tests (JA-1's citation, which decisions carry, written another way) and a broken one
    variants = [text, text.replace("四、1（1）", "四、1（一）"), text + "\nrule BROKEN {\n"]
    path = tmp_path / "district.pol"
    body = {"teachers": TEACHERS[:SMALL_BATCH + 1], "schools": SCHOOLS}  # a polars plan per request, not the closures
    expected = {}  # version -> its decisions, decided in process
    for v in variants[:2]:
        path.write_text(v, encoding="utf-8")
        with TestClient(create_app(tmp_path)) as c:
            answer = c.post("/v1/policies/district/decide", json=body).json()
        expected[answer["version"]] = answer["decisions"]
    assert len(expected) == 2 and len({json.dumps(d) for d in expected.values()}) == 2
    path.write_text(variants[0], encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", "from policylang.cli import main; main()", "serve", str(tmp_path),
                                "--port", str(port), "--insecure-no-auth", "--workers", "2", "--watch", "0.2",
                                "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    answers, failures = [], []
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/ready", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode()
                assert time.monotonic() < deadline, "the service did not answer within 90 s"
                time.sleep(0.3)
        data = json.dumps(body).encode()

        done = threading.Event()

        def ask():  # until the rewrites are over, and at least 10 requests each
            sent = 0
            while not done.is_set() or sent < 10:
                sent += 1
                request = urllib.request.Request(base + "/v1/policies/district/decide", data=data, method="POST",
                                                 headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=60) as r:
                        answers.append(json.load(r))
                except (urllib.error.URLError, OSError) as exc:
                    failures.append(exc)

        clients = [threading.Thread(target=ask) for _ in range(4)]
        for c in clients:
            c.start()
        for i in range(6):  # each left to settle (the watcher loads a file written a second ago or more)
            path.write_text(variants[i % 3], encoding="utf-8")
            time.sleep(1.6)
        done.set()
        for c in clients:
            c.join(timeout=180)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    assert not failures and len(answers) >= 40
    assert all(a["decisions"] == expected[a["version"]] for a in answers)
    assert len({a["version"] for a in answers}) == 2  # the rewrites were seen, and a broken file never ran


def test_the_watcher_sees_a_file_changed_while_the_service_was_starting(tmp_path):
    text = (POLICIES / "miyun.pol").read_text(encoding="utf-8")
    path = tmp_path / "miyun.pol"
    path.write_text(text, encoding="utf-8")
    app = create_app(tmp_path, watch=0.1)  # loaded; the workers' lifespan (the watcher) not yet begun
    before = app.state.registry.current["miyun"].version
    path.write_text(text.replace('policy "', 'policy "（修订）', 1), encoding="utf-8")
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while client.get("/v1/policies/miyun").json()["version"] == before:
            assert time.monotonic() < deadline, "the change was never reloaded"
            time.sleep(0.1)
        assert client.get("/v1/policies/miyun").json()["title"].startswith("（修订）")


def test_a_file_being_written_is_not_loaded_until_it_holds_still(tmp_path):
    """The embedder's trial: a policy copied in place was loaded half written (its first 42 lines
    parse, none of its tests) and decided a teacher who does not teach as must_rotate until the
    rest came. The watcher now loads a file that is the same at two looks and a second old."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    text = (POLICIES / "fujian_pilot_district.pol").read_text(encoding="utf-8")
    path = tmp_path / "district.pol"
    path.write_text(text, encoding="utf-8")
    def district_file() -> str:  # the running version's district.pol, by its hash
        files = client.get("/v1/policies/district").json()["files"]
        return next(f["sha256"] for f in files if f["path"] == "district.pol")

    with TestClient(create_app(tmp_path, watch=0.1)) as client:
        versions = [district_file()]
        half = "\n".join(text.split("\n")[:42]) + "\n"
        path.write_text(half, encoding="utf-8")  # the copy part way through ...
        time.sleep(0.5)
        revised = text.replace("四、1（1）", "四、1（一）")
        path.write_text(revised, encoding="utf-8")  # ... and done
        deadline = time.monotonic() + 30
        while versions[-1] == versions[0] or len(versions) < 3:
            assert time.monotonic() < deadline, "the finished file was never loaded"
            versions.append(district_file())
            time.sleep(0.05)
        assert set(versions) == {versions[0], hashlib.sha256(revised.encode()).hexdigest()}


def test_a_version_whose_own_tests_fail_never_runs(tmp_path):
    """The embedder's trial: a district file with age_cap_female = 45 fails one of its own tests
    (`policylang test`: 30 passed, 1 failed), and the service loaded it as ok. Reloaded, the running
    version stays, with why; at the start, the policy has no running version (503 S012)."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    text = (POLICIES / "fujian_pilot_district.pol").read_text(encoding="utf-8")
    path = tmp_path / "district.pol"
    path.write_text(text, encoding="utf-8")
    failing = text.replace("age_cap_female = 50", "age_cap_female = 45")
    with TestClient(create_app(tmp_path)) as client:
        good = client.get("/v1/policies/district").json()
        path.write_text(failing, encoding="utf-8")
        assert client.post("/v1/reload").json()["failed"] == ["district"]
        shown = client.get("/v1/policies/district").json()
        assert shown["version"] == good["version"] and not shown["ok"]
        [error] = shown["errors"]
        # (how many of its tests a cap of 45 fails grows with the file's tests: the count is policylang test's)
        failed = sum(not r.passed for r in policylang.load(path).test())
        assert error["code"] == "S011" and error["message"]["zh"].startswith(f"政策自带的测试有 {failed} 个未通过（")
        assert error["at"].startswith("district.pol:")
        decided = client.post("/v1/policies/district/decide", json={"teachers": TEACHERS[:1], "schools": SCHOOLS})
        assert decided.status_code == 200 and decided.json()["version"] == good["version"]
    with TestClient(create_app(tmp_path)) as client:  # started with it: nothing to decide by
        refused = client.post("/v1/policies/district/decide", json={"teachers": TEACHERS[:1], "schools": SCHOOLS})
        assert refused.status_code == 503 and refused.json()["errors"][0]["code"] == "S012"
        said = client.get("/v1/policies/district").json()["errors"][0]["message"]["zh"]
        assert said.startswith(f"政策自带的测试有 {failed} 个未通过（") and "测试通过之前不使用此政策" in said
        assert client.get("/ready").json()["policies"] == 1  # fujian.pol alone


def test_a_lone_surrogate_escape_is_refused_as_no_json_text(client):
    """`"\\ud800"`, half a UTF-16 pair, is no character: 400 S003, where it was a 500 from
    writing the answer; a pair (an emoji) is one character and decided."""
    teachers = [dict(TEACHERS[0], name="\ud800"), dict(TEACHERS[1], name="😀")]
    path = "/v1/policies/fujian_pilot_district/decide"
    refused = client.post(path, content=json.dumps({"teachers": teachers, "schools": SCHOOLS}),
                          headers={"content-type": "application/json"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "S003"
    assert "\\ud800" in refused.json()["errors"][0]["message"]["en"]
    decided = client.post(path, json={"teachers": teachers[1:], "schools": SCHOOLS})
    assert decided.status_code == 200 and decided.json()["decisions"][0]["roster"]["name"] == "😀"


def test_thousands_of_unknown_keys_are_answered_4xx_with_bounded_suggestion_work(client, monkeypatch):
    """A 14 KB body of 1,400 unknown keys held the event loop 9 s (4,000 keys 16 s): for each
    missing column every key was scored with difflib. The first keys only are compared now, so
    4,000 keys are as much suggestion work as 1,000, and every missing column is still named."""
    from policylang.core import diagnostics

    calls, ratio = [], diagnostics._similarity
    monkeypatch.setattr(diagnostics, "_similarity", lambda matcher: calls.append(1) or ratio(matcher))
    path, said = "/v1/policies/fujian_pilot_district/decide", {}
    for n in (1000, 4000):
        calls.clear()
        keys = [f"{w}{i}" for i in range(n) for w in ("sex", "birth_dat", "性别x")][:n]  # near the columns' names
        response = client.post(path, json={"teachers": [dict.fromkeys(keys, 1)], "schools": SCHOOLS})
        assert response.status_code == 422, response.text
        said[n] = (len(calls), sorted(e["column"] for e in response.json()["errors"] if e["code"] in ("R001", "R011")))
    assert said[1000][0] > 0 and said[4000] == said[1000]
    assert {"id", "sex", "birth_date"} <= set(said[4000][1])


_HOSTILE = "A\u202eB\u0085C\u009b31mD"  # a bidi override, CSI and NEL: reorder or drive a terminal
_HOSTILE_RECORDS = [dict(t, id=f"T{k}{_HOSTILE}", name=_HOSTILE, support_end="", **{f"note{_HOSTILE}": "x"})
                    for k, t in enumerate(TEACHERS[:3])]


@pytest.mark.parametrize("path, body", [
    ("/v1/policies/fujian_pilot_district/decide", {"teachers": _HOSTILE_RECORDS, "schools": SCHOOLS}),
    ("/v1/policies/fujian_pilot_district/decide?explain=true", {"teachers": _HOSTILE_RECORDS, "schools": SCHOOLS}),
    ("/v1/policies/county_exchange/quota", {"teachers": _HOSTILE_RECORDS, "schools": SCHOOLS}),
    ("/v1/diff", {"base": "fujian", "draft": "fujian_pilot_district", "teachers": _HOSTILE_RECORDS,
                  "schools": SCHOOLS})])
def test_an_answer_and_its_log_line_escape_the_controls_the_request_s_keys_and_ids_carry(tmp_path, path, body):
    """A refusal was escaped (json_utf8), but an answer's `warnings` (R012 names the key as sent),
    the decisions with ?explain=true (parsed and written again) and the decision log's line wrote
    U+202E and CSI raw: `tail -f` of the log, or a log of the answers, reordered and drove the
    reader's terminal. Each is escaped now, and reads back as sent."""
    from policylang.service.decision_log import DecisionLog

    log = tmp_path / "decisions.jsonl"
    with TestClient(create_app(POLICIES, decision_log=DecisionLog(log, log_input=True))) as served:
        response = served.post(path, json=body)
    assert response.status_code == 200, response.text[:500]
    for raw in (response.content, log.read_bytes()):
        assert not any(c.encode() in raw for c in "\u202e\u009b\u0085")
    answer = response.json()
    assert f"note{_HOSTILE}" in [w["column"] for w in answer["warnings"] if w["code"] == "R012"]
    if "decisions" in answer:
        assert [d["id"] for d in answer["decisions"]] == [t["id"] for t in _HOSTILE_RECORDS]
        assert json.loads(log.read_bytes().splitlines()[0])["input"]["teachers"][0]["name"] == _HOSTILE


@pytest.mark.parametrize("path", ["/v1/policies/%C2%9B31m%E2%80%AE", "/v1/nothing%E2%80%AE%C2%9B/"])
def test_an_error_answer_escapes_the_bidi_and_c1_controls_it_echoes(client, path):
    """A 404 echoed the path's U+202E and CSI (U+009B) raw, to reorder or drive the terminal of
    whoever reads the log; an error answer is written as a decision is (``json_utf8``): escaped."""
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"].startswith("application/json")
    assert "\u202e".encode() not in response.content and "\u009b".encode() not in response.content
    assert b"\\u202e" in response.content and b"\\u009b" in response.content
    error = response.json()["errors"][0]
    assert error["code"] == "S404" and "\u202e" in error["message"]["en"] and "\u202e" in error["message"]["zh"]
