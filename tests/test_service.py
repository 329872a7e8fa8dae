"""`policylang serve`: the HTTP service through Starlette's TestClient (no network), and once
as a real process on a loopback port."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.routing import Match

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

import policylang  # noqa: E402
from policylang.cli import cli  # noqa: E402
from policylang.service.app import create_app  # noqa: E402
from policylang.service.decide import SMALL_BATCH  # noqa: E402

LARGE = SMALL_BATCH + 1  # a batch the columnar path decides (up to SMALL_BATCH, the closures)

from .conftest import EXAMPLES, POLICIES, ROOT  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"


def _records(path: Path, encoding: str = "utf-8-sig") -> list[dict]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


TEACHERS = _records(EXAMPLES / "teachers.csv")
SCHOOLS = _records(EXAMPLES / "schools.csv")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(POLICIES, max_batch=500, max_body=2_000_000)) as c:
        yield c


def _codes(response) -> list[str]:
    return [e["code"] for e in response.json()["errors"]]


# ---- what is served ------------------------------------------------------------------


def test_health_ready_and_the_policies_with_their_versions(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").status_code == 200
    listed = {p["name"]: p for p in client.get("/v1/policies").json()["policies"]}
    assert set(listed) == {p.stem for p in POLICIES.glob("*.pol")}
    miyun = listed["miyun"]
    assert miyun["version"] == hashlib.sha256((POLICIES / "miyun.pol").read_bytes()).hexdigest()
    assert miyun["ok"] and miyun["title"] and miyun["parameters"] and "birth_date" in miyun["reads"]
    district = listed["fujian_pilot_district"]
    assert [f["path"] for f in district["files"]] == ["fujian.pol", "fujian_pilot_district.pol"]
    assert client.get("/v1/policies/miyun").json() == miyun


def test_decisions_are_exactly_what_eval_writes_as_json(client):
    result = CliRunner().invoke(cli, ["eval", "policies/fujian_pilot_district.pol", "examples/teachers.csv",
                                      "--schools", "examples/schools.csv", "--format", "json"],
                                catch_exceptions=False)
    written = json.loads(result.stdout)
    response = client.post(DECIDE, json={"teachers": TEACHERS, "schools": SCHOOLS})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decisions"] == written
    assert body["version"] == response.headers["x-policy-version"]


def test_chinese_keys_and_labels_decide_as_english_ones(client):
    zh = _records(EXAMPLES / "teachers_zh.csv", "gb18030")
    zh_schools = _records(EXAMPLES / "schools_zh.csv")
    en = client.post("/v1/policies/miyun/decide", json={"teachers": TEACHERS, "schools": SCHOOLS}).json()
    cn = client.post("/v1/policies/miyun/decide?lang=zh", json={"teachers": zh, "schools": zh_schools}).json()
    assert [(d["id"], d["status"], d["rule"]) for d in cn["decisions"]] == \
        [(d["id"], d["status"], d["rule"]) for d in en["decisions"]]
    assert cn["decisions"][0]["status_label"] not in (None, en["decisions"][0]["status_label"])


def test_as_of_params_assume_and_explain(client):
    one = {"teachers": TEACHERS[:1], "schools": SCHOOLS}
    plain = client.post(DECIDE, json=one).json()["decisions"][0]
    later = client.post(DECIDE, json=one | {"as_of": "2030-09-01"}).json()["decisions"][0]
    assert later["as_of"] == "2030-09-01" and plain["as_of"] == "2025-09-01"
    assert client.post(DECIDE, json=one | {"params": {"age_cap_female": 45}}).status_code == 200
    assert client.post(DECIDE, json=one | {"params": {"age_cap_female": "45 years"}}).status_code == 200
    explained = client.post(DECIDE + "?explain=true", json=one).json()["decisions"][0]
    assert {k: v for k, v in explained.items() if k != "explanation"} == plain
    steps = explained["explanation"]["steps"]
    assert steps and {"kind", "id", "outcome", "conditions"} <= set(steps[0])
    assert plain["id"] in explained["explanation"]["text"]
    lacking = [{k: v for k, v in t.items() if k != "backbone"} for t in TEACHERS[:2]]
    refused = client.post("/v1/policies/miyun/decide", json={"teachers": lacking, "schools": SCHOOLS})
    assert refused.status_code == 422 and "R011" in _codes(refused)
    assumed = client.post("/v1/policies/miyun/decide",
                          json={"teachers": lacking, "schools": SCHOOLS, "assume": {"骨干级别": "无"}})
    assert assumed.status_code == 200 and "backbone=none" in assumed.json()["decisions"][0]["assumptions"]
    # the refusal tells the caller how to state a value in a request, not on a command line
    told = next(e for e in refused.json()["errors"] if e["code"] == "R011")["message"]
    assert "`\"assume\": {\"backbone\": \"none|school|county|city|province|national\"}`" in told["en"] and "--assume" not in told["en"]
    assert "请求中的 `\"assume\": {\"骨干级别\": \"无|校级|县级|市级|省级|国家级\"}`" in told["zh"] and "--assume" not in told["zh"]
    unused = client.post("/v1/policies/miyun/decide",
                         json={"teachers": TEACHERS[:2], "schools": SCHOOLS, "assume": {"骨干级别": "无"}})
    said = next(w for w in unused.json()["warnings"] if w["code"] == "R025")["message"]
    assert said["en"].startswith("the request's `\"assume\": {\"backbone\": \"none\"}` is not used")
    assert "请求的 `assume` 字段声明的“骨干级别=无”未被采用" in said["zh"]
    wrong = client.post(DECIDE, json=one | {"params": {"age_cap_female": "old"}}).json()["errors"][0]["message"]
    assert wrong["zh"].startswith("参数 `age_cap_female` 应为") and "parameter" not in wrong["zh"]


def test_an_empty_batch_decides_no_one_yet_its_date_and_parameters_are_checked(client):
    empty = client.post(DECIDE, json={"teachers": [], "schools": SCHOOLS})
    assert empty.status_code == 200, empty.text
    assert empty.json()["decisions"] == [] and empty.json()["warnings"] == []
    assert client.post(DECIDE, json={"teachers": []}).json()["decisions"] == []
    refused = client.post(DECIDE, json={"teachers": [], "params": {"age_cap_femal": 45}})
    assert refused.status_code == 422 and "R107" in _codes(refused)


@pytest.mark.parametrize("written", ["2030-09-01", "2030/9/1", "2030年9月1日"])
def test_the_reference_date_is_read_as_the_command_line_reads_it(client, written):
    one = {"teachers": TEACHERS[:1], "schools": SCHOOLS, "as_of": written}
    answer = client.post(DECIDE, json=one)
    assert answer.status_code == 200, answer.text
    assert answer.json()["decisions"][0]["as_of"] == "2030-09-01"


# ---- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("body, status, code", [
    (b"{", 400, "S003"),
    (b"\xff\xfe", 400, "S003"),
    (b'{"teachers": [NaN]}', 400, "S003"),
    # a record giving a key twice: which value is meant nothing says (eval refuses the file, R009)
    (b'{"teachers": [{"id": "T1", "pregnant": true, "pregnant": false}]}', 400, "S003"),
    (b'{"teachers": [], "teachers": []}', 400, "S003"),
    (b"[]", 422, "S005"),
    (b"{}", 422, "S004"),
    (b'{"teachers": 3}', 422, "S005"),
    (b'{"teachers": [1, 2]}', 422, "S005"),
    (b'{"teachers": [{"id": {"a": 1}}]}', 422, "S006"),
    (b'{"teachers": [], "schools": [], "surprise": 1}', 422, "S007"),
    (b'{"teachers": [], "as_of": "tomorrow"}', 422, "S009"),
    (b'{"teachers": [], "as_of": 2025.09}', 422, "S009"),
    (b'{"teachers": [], "as_of": "2025.09"}', 422, "S009"),
    (b'{"teachers": [], "params": [1]}', 422, "S005"),
    (b'{"teachers": [], "params": {"age_cap_female": "old"}}', 422, "T201"),
    (b'{"teachers": [], "params": {"age_cap_femal": 45}}', 422, "R107"),
    (b'{"teachers": [], "assume": {"no_such_column": "1"}}', 422, "S013"),
])
def test_bad_bodies_are_refused_with_codes_in_both_languages(client, body, status, code):
    response = client.post(DECIDE, content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    assert code in [e["code"] for e in errors]
    assert all(e["message"]["en"] and e["message"]["zh"] and {"row", "column"} <= set(e) for e in errors)


@pytest.mark.parametrize("body, where", [(b'{"teachers": [1,,]}', "第 1 行第 17 列"), (b"\xff\xfe", "第 1 个字节"),
                                         (b'{"teachers": [\n  NaN]}', "NaN")])
def test_a_body_that_is_no_json_is_told_in_chinese_where(client, body, where):
    response = client.post(DECIDE, content=body, headers={"content-type": "application/json"})
    zh = response.json()["errors"][0]["message"]["zh"]
    assert where in zh
    # Python's own English (`Expecting value`, `invalid start byte`) is not passed on to a Chinese reader
    assert not re.search(r"[a-z]{4,}", zh.replace("Infinity", "")), zh


def test_a_key_given_twice_names_the_record_that_gives_it(client):
    """`"pregnant": true, "pregnant": false` in one of 1,000 records: 400 S003 said neither which
    record nor which key, where a roster problem names both."""
    body = ('{"teachers": [{"id": "T1", "pregnant": false}, {"id": "T2", "pregnant": true, "pregnant": false}], '
            '"schools": []}').encode()
    [error] = client.post(DECIDE, content=body, headers={"content-type": "application/json"}).json()["errors"]
    assert (error["code"], error["row"], error["column"], error["table"]) == ("S003", 2, "pregnant", "teachers")
    assert "`teachers` 的第 2 条记录两次给出“pregnant”" in error["message"]["zh"]
    [top] = client.post(DECIDE, content=b'{"teachers": [], "teachers": []}',
                        headers={"content-type": "application/json"}).json()["errors"]
    assert (top["code"], top["row"], top["column"]) == ("S003", None, "teachers")


def test_roster_problems_name_their_row_and_column(client):
    teachers = [dict(t) for t in TEACHERS[:3]]
    teachers[1]["birth_date"] = "1980-13-45"
    teachers[2]["id"] = teachers[0]["id"]
    response = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["row"] == 2 and e["column"] == "birth_date" for e in errors)
    assert len({e["code"] for e in errors}) >= 2


def test_unknown_policies_routes_and_methods(client):
    response = client.post("/v1/policies/nowhere/decide", json={"teachers": []})
    assert response.status_code == 404 and _codes(response) == ["S404"]
    assert "miyun" in client.post("/v1/policies/miyum/decide", json={}).json()["errors"][0]["message"]["en"]
    for name in ("..%2Fpolicies%2Fmiyun", "%2Fetc%2Fpasswd", "miyun.pol"):
        assert client.post(f"/v1/policies/{name}/decide", json={"teachers": TEACHERS[:1]}).status_code == 404
    # a trailing slash: a JSON 404 saying so, not a 307 without a body (Java's HttpClient follows no redirect)
    slashed = client.post("/v1/policies/miyun/decide/", json={"teachers": []}, follow_redirects=False)
    assert slashed.status_code == 404 and _codes(slashed) == ["S404"]
    assert "去掉末尾的斜杠：/v1/policies/miyun/decide" in slashed.json()["errors"][0]["message"]["zh"]
    nothing = client.get("/v1/nothing")
    assert nothing.status_code == 404 and nothing.json()["errors"][0]["message"]["zh"] == "GET /v1/nothing：没有这个地址"
    # a 405 names the methods the route takes, in its Allow header (HTTP requires it) and in both languages
    wrong = client.get(DECIDE)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert wrong.json()["errors"][0]["message"] == {"en": f"GET {DECIDE}: not allowed; this route takes POST",
                                                    "zh": f"GET {DECIDE}：不支持该请求方法，此地址只接受 POST"}


def test_a_client_hanging_up_before_its_body_is_read_is_no_server_error(client, caplog):
    """A Java client timing out mid-body: it was logged as an unexpected error with tracebacks,
    and counted in the metrics as a 500."""
    import asyncio

    app = client.app
    messages = iter([{"type": "http.request", "body": b'{"teachers": [', "more_body": True},
                     {"type": "http.disconnect"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": DECIDE, "raw_path": DECIDE.encode(), "query_string": b"",
             "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")],
             "http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 8181), "client": ("127.0.0.1", 1),
             "root_path": "", "app": app}
    with caplog.at_level("INFO"):
        asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 499
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    assert 'status="500"' not in client.get("/metrics").text


def test_oversize_bodies_and_batches(client):
    big = b'{"teachers": [' + b'{"id": "x"},' * 200_000 + b'{"id": "y"}]}'
    assert client.post(DECIDE, content=big).status_code == 413

    def chunks():  # no Content-Length: counted as read
        for _ in range(300):
            yield b" " * 10_000

    assert client.post(DECIDE, content=chunks()).status_code == 413
    many = client.post(DECIDE, json={"teachers": [TEACHERS[0]] * 501, "schools": SCHOOLS})
    assert many.status_code == 413 and _codes(many) == ["S008"]


def test_random_bodies_get_4xx_never_5xx(client):
    rng = random.Random(17)
    atoms = [None, True, 0, -1, 1e308, "", "x", "是", "1980-02-30", "T0001", [], {}]
    keys = list(TEACHERS[0]) + ["工号", "出生日期", "teachers", "schools", "as_of", "params", "assume"]

    def value(depth=0):
        r = rng.random()
        if depth > 2 or r < 0.5:
            return rng.choice(atoms)
        if r < 0.75:
            return [value(depth + 1) for _ in range(rng.randrange(3))]
        return {rng.choice(keys): value(depth + 1) for _ in range(rng.randrange(4))}

    for _ in range(60):
        body = {k: value() for k in rng.sample(["teachers", "schools", "as_of", "params", "assume"], 3)}
        if rng.random() < 0.5:
            body["teachers"] = [dict(TEACHERS[0], **{rng.choice(keys): rng.choice(atoms)})]
            body["schools"] = SCHOOLS
        response = client.post(DECIDE, content=json.dumps(body))
        assert response.status_code < 500, (body, response.text)


# ---- metrics, OpenAPI, reload ---------------------------------------------------------------


def test_metrics_count_requests_decisions_and_errors(client):
    client.post(DECIDE, json={"teachers": TEACHERS[:2], "schools": SCHOOLS})
    client.post(DECIDE, content=b"{")
    text = client.get("/metrics").text
    assert re.search(r'policylang_http_requests_total\{method="POST",route="/v1/policies/\{name\}/decide",'
                     r'status="200"\} [1-9]', text)
    assert 'policylang_http_request_duration_seconds_bucket{route="/v1/policies/{name}/decide",le="+Inf"}' in text
    assert re.search(r'policylang_decisions_total\{policy="fujian_pilot_district",status="\w+"\} [1-9]', text)
    assert re.search(r'policylang_errors_total\{code="S003"\} [1-9]', text)


def test_made_up_methods_add_no_series_to_the_metrics(client):
    """The embedder's trial: 200 requests with made-up methods, no token needed for a 405, added
    200 series to /metrics; a method no route takes is counted as `other`."""
    for i in range(20):
        assert client.request(f"M{i}X", DECIDE).status_code == 405
    text = client.get("/metrics").text
    assert "M1X" not in text
    assert re.search(r'policylang_http_requests_total\{method="other",route="/v1/policies/\{name\}/decide",'
                     r'status="405"\} 20', text)


def test_every_bad_parameter_is_listed_and_named(client):
    answer = client.post(DECIDE, json={"teachers": [], "params": {"age_cap_female": "45岁", "age_cap_male": "50岁",
                                                                   "teacher_tenure": 6}})
    assert answer.status_code == 422
    assert [e["column"] for e in answer.json()["errors"]] == ["age_cap_female", "age_cap_male"]


def test_the_openapi_document_names_every_route(client):
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {r.path for r in client.app.routes} == set(document["paths"])
    assert document["paths"]["/health"]["get"]["security"] == [] and document["security"] == [{"bearer": []}]


def test_the_openapi_document_describes_every_field_of_a_decision(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Decision"]["properties"]
    decided = client.post(DECIDE + "?explain=true", json={"teachers": TEACHERS[:3], "schools": SCHOOLS}).json()
    assert {key for d in decided["decisions"] for key in d} <= set(schema)
    assert all(schema[k] for k in schema)  # typed: a generated client has no field of type Object
    assert schema["status"]["enum"] == ["must_rotate", "eligible", "exempt", "not_eligible"]


def test_the_openapi_document_lists_the_answers_the_service_gives(client):
    """A diff naming no policy answers 404, a form that is no multipart form 400, and a
    reference date is any form the service reads (2025年9月1日), not RFC 3339 alone."""
    document = client.get("/openapi.json").json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    assert "404" in paths["/v1/diff"]["post"]["responses"]
    assert client.post("/v1/diff", json={"base": "nosuch", "draft": "fujian", "teachers": []}).status_code == 404
    evaluate = next(p for p in paths if p.endswith("/evaluate"))
    assert "400" in paths[evaluate]["post"]["responses"]
    assert "format" not in schemas["DecideRequest"]["properties"]["as_of"]
    answer = client.post(DECIDE, json={"teachers": TEACHERS[:1], "schools": SCHOOLS, "as_of": "2025年9月1日"})
    assert answer.status_code == 200 and answer.json()["decisions"][0]["as_of"] == "2025-09-01"


def test_a_broken_file_never_replaces_a_good_one(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    shutil.copy(POLICIES / "fujian_pilot_district.pol", tmp_path / "district.pol")
    with TestClient(create_app(tmp_path)) as client:
        good = client.get("/v1/policies/district").json()
        assert good["ok"]
        registry = client.app.state.registry
        snapshot = registry.current
        text = (tmp_path / "district.pol").read_text(encoding="utf-8")
        (tmp_path / "district.pol").write_text(text + "\nrule BROKEN {\n", encoding="utf-8")
        report = client.post("/v1/reload").json()
        assert report["failed"] == ["district"] and report["errors"]["district"]
        shown = client.get("/v1/policies/district").json()
        assert not shown["ok"] and shown["errors"] and shown["version"] == good["version"]
        assert shown["errors"][0]["at"].startswith("district.pol:")
        decided = client.post("/v1/policies/district/decide", json={"teachers": TEACHERS[:1], "schools": SCHOOLS})
        assert decided.status_code == 200 and decided.json()["version"] == good["version"]
        assert 'policylang_policy_ok{policy="district"} 0' in client.get("/metrics").text
        assert snapshot["district"] is good_entry(snapshot) and snapshot is not registry.current  # old one untouched

        (tmp_path / "district.pol").write_text(text.replace("四、1（1）", "四、1（一）"), encoding="utf-8")
        (tmp_path / "broken_new.pol").write_text("policy {", encoding="utf-8")
        report = client.post("/v1/reload").json()
        assert report["loaded"] == ["district"] and report["failed"] == ["broken_new"]
        fixed = client.get("/v1/policies/district").json()
        assert fixed["ok"] and fixed["version"] != good["version"]
        assert client.post("/v1/policies/broken_new/decide", json={"teachers": []}).status_code == 503  # S012: the service's state
        # a base file changed reloads what extends it
        (tmp_path / "fujian.pol").write_text((tmp_path / "fujian.pol").read_text(encoding="utf-8") + "\n",
                                             encoding="utf-8")
        assert "district" in client.post("/v1/reload").json()["loaded"]
        (tmp_path / "broken_new.pol").unlink()
        assert client.post("/v1/reload").json()["removed"] == ["broken_new"]


def good_entry(snapshot):
    return snapshot["district"]


@pytest.mark.parametrize("served", ["relative", "absolute"])
def test_where_a_reload_failed_is_a_file_of_the_folder_for_every_policy_it_breaks(tmp_path, monkeypatch, served):
    """A base file broken was `fujian.pol:229:8` for its own policy and `pols/fujian.pol:229:8`
    for the one extending it, the folder as the server was given it."""
    (tmp_path / "pols").mkdir()
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "pols" / "fujian.pol")
    shutil.copy(POLICIES / "fujian_pilot_district.pol", tmp_path / "pols" / "district.pol")
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app("pols" if served == "relative" else tmp_path / "pols")) as client:
        with open(tmp_path / "pols" / "fujian.pol", "a", encoding="utf-8") as f:
            f.write('\nrule ZZ "x"\n  when nonsense\n  then must_rotate\n')
        report = client.post("/v1/reload").json()
        assert report["failed"] == ["district", "fujian"]
        at = {name: [e["at"] for e in errors] for name, errors in report["errors"].items()}
        lines = (tmp_path / "pols" / "fujian.pol").read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if "nonsense" in text)
        assert at["district"] == at["fujian"] == [f"fujian.pol:{line}:{lines[line - 1].index('nonsense') + 1}"]
        listed = {p["name"]: p for p in client.get("/v1/policies").json()["policies"]}
        assert [e["at"] for e in listed["district"]["errors"]] == at["fujian"]


# ---- the documented examples, and the real command ----------------------------------------


def _curl_commands() -> list[tuple[list[str], int]]:
    """Every curl command of docs/service.md, and the status it is expected to get (200 unless
    a comment says `# expect 4xx`)."""
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for command in re.split(r"\n(?=curl )", block.replace("\\\n", " ")):
            if command.startswith("curl "):
                expect = re.search(r"# expect (\d{3})", command)
                commands.append((shlex.split(command, comments=True), int(expect[1]) if expect else 200))
    return commands


def _option_values(argv: list[str], option: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == option]


def test_the_curl_examples_of_the_docs_answer_as_documented(tmp_path):
    from policylang.service.auth import Tokens

    commands = _curl_commands()
    assert len(commands) >= 15
    routes = set()
    for argv, status in commands:
        url = next(a for a in argv if a.startswith("http://"))
        path = url.split("8181", 1)[1]
        data = (_option_values(argv, "-d") or [None])[0]
        forms = [f.split("=@", 1) for f in _option_values(argv, "-F")]
        headers = dict(h.split(": ", 1) for h in _option_values(argv, "-H"))
        method = "POST" if data is not None or forms or "POST" in _option_values(argv, "-X") else "GET"
        tokens = Tokens.read(ROOT / "deploy" / "tokens.example.toml") if "Authorization" in headers else None
        app = create_app(POLICIES, tokens=tokens, work_dir=tmp_path)  # the documented defaults
        with TestClient(app) as fresh:
            if forms:
                files = {name: (Path(p).name, (ROOT / p).read_bytes()) for name, p in forms}
                response = fresh.request(method, path, files=files, headers=headers)
            else:  # the headers curl sends: `-d` declares a form unless the example says otherwise (415 here)
                said = data is None or any(h.lower() == "content-type" for h in headers)
                sent = {} if said else {"Content-Type": "application/x-www-form-urlencoded"}
                response = fresh.request(method, path, content=data, headers=sent | headers)
        routes |= {r.path for r in app.routes
                   if r.matches({"type": "http", "path": path.split("?")[0], "method": method})[0] == Match.FULL}
        assert response.status_code == status, (argv, response.text[:500])
    every = {r.path for r in app.routes}
    assert routes == every, f"endpoints without a curl example: {every - routes}"
    assert list(tmp_path.iterdir()) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_policylang_serve_answers_on_a_loopback_port():
    port = _free_port()
    command = [sys.executable, "-c", "from policylang.cli import main; main()", "serve", str(POLICIES),
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--insecure-no-auth"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=os.environ | {"PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    assert json.load(r) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode()
                assert time.monotonic() < deadline, "the service did not answer within 60 s"
                time.sleep(0.2)
        request = urllib.request.Request(base + DECIDE, method="POST", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"teachers": TEACHERS[:2], "schools": SCHOOLS}).encode())
        with urllib.request.urlopen(request, timeout=30) as r:
            decisions = json.load(r)["decisions"]
        assert [d["id"] for d in decisions] == [t["id"] for t in TEACHERS[:2]]
        # Java's HttpClient asks every request to upgrade to h2c: answered as HTTP/1.1, and not logged
        # as a missing WebSocket library, once a request
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # (urllib sends Connection: close)
        connection.request("GET", "/health", headers={
            "Connection": "Upgrade, HTTP2-Settings", "Upgrade": "h2c", "HTTP2-Settings": "AAMAAABkAARAAAAAAAIAAAAA"})
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    logged = process.stderr.read().decode("utf-8", "replace")
    assert "WebSocket" not in logged and "upgrade request" not in logged, logged


def test_one_person_at_a_time_decides_as_the_batch(client):
    """Small batches are decided by the closures, large ones by a polars plan: one answer."""
    for name in ("fujian_pilot_district", "county_draft"):
        batch = client.post(f"/v1/policies/{name}/decide", json={"teachers": TEACHERS[:LARGE], "schools": SCHOOLS})
        single = [client.post(f"/v1/policies/{name}/decide", json={"teachers": [t], "schools": SCHOOLS})
                  .json()["decisions"][0] for t in TEACHERS[:LARGE]]
        assert batch.json()["decisions"] == single


def test_a_reload_during_requests_loses_none_and_mixes_no_versions(tmp_path):
    import threading

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    text = (POLICIES / "fujian_pilot_district.pol").read_text(encoding="utf-8")
    # a version passing its own tests (JA-1's citation, which decisions carry, written another way) and a broken one
    variants = [text, text.replace("四、1（1）", "四、1（一）"), text + "\nrule BROKEN {\n"]
    path = tmp_path / "district.pol"
    path.write_text(variants[0], encoding="utf-8")
    with TestClient(create_app(tmp_path)) as client:
        body = {"teachers": TEACHERS[:3], "schools": SCHOOLS}
        expected = {}  # version -> its decisions
        for v in variants[:2]:
            path.write_text(v, encoding="utf-8")
            client.post("/v1/reload")
            answer = client.post("/v1/policies/district/decide", json=body).json()
            expected[answer["version"]] = answer["decisions"]
        assert len(expected) == 2
        answers, failures = [], []

        def ask():
            for _ in range(25):
                r = client.post("/v1/policies/district/decide", json=body)
                (answers if r.status_code == 200 else failures).append(r)

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for t in threads:
            t.start()
        for i in range(12):
            path.write_text(variants[i % 3], encoding="utf-8")
            client.post("/v1/reload")
        for t in threads:
            t.join(timeout=120)
        assert not failures and len(answers) == 100
        assert all(r.json()["decisions"] == expected[r.json()["version"]] for r in answers)
        registry = client.app.state.registry
        entry = registry.current["district"]
        main = next(k for k in entry.policy.checked.texts if k.endswith("district.pol"))
        assert hashlib.sha256(entry.policy.checked.texts[main].text.encode()).hexdigest() == entry.files[-1][1]


def test_edge_dates_and_dated_conditions_are_answered_not_crashed(client):
    """Found by fuzzing: a reference date at the calendar's end (a 3-year period past 9999)
    and the explanation of a penalty `after refused_exchange` (its condition traces a date)."""
    late = client.post("/v1/policies/county_managed/decide",
                       json={"teachers": TEACHERS[:80], "schools": SCHOOLS, "as_of": "9999-12-31"})
    # a reference date beyond 2199 is refused where it enters (T214); S014 still guards any
    # other date a decision would need outside the calendar
    assert late.status_code == 422 and _codes(late) == ["T214"]
    refused = next(t for t in TEACHERS if t["refused_exchange"])
    explained = client.post("/v1/policies/county_draft/decide?explain=true",
                            json={"teachers": [refused], "schools": SCHOOLS})
    assert explained.status_code == 200, explained.text
    conditions = [c for s in explained.json()["decisions"][0]["explanation"]["steps"] for c in s["conditions"]
                  if c["text"] == "refused_exchange <= as_of"]  # the event, happened by the reference date
    assert conditions and conditions[0]["value"] is True
    assert refused["refused_exchange"] in json.dumps(conditions[0]["reads"])  # the date it read, as a date
    # the text is what `policylang explain` prints for that person: their name, the date as a date
    from click.testing import CliRunner

    from policylang.cli import cli

    printed = CliRunner().invoke(cli, ["--lang", "en", "explain", str(POLICIES / "county_draft.pol"),
                                       str(EXAMPLES / "teachers.csv"), "--schools", str(EXAMPLES / "schools.csv"),
                                       "--id", refused["id"]]).stdout  # (the R013 warning: on stderr)
    text = explained.json()["decisions"][0]["explanation"]["text"]
    assert text.startswith(f"{refused['name']} ({refused['id']}) — ")
    assert f"✓ refused_exchange <= as_of   (refused_exchange = {refused['refused_exchange']})" in text
    assert text.strip() == printed.strip()


def test_every_code_the_service_emits_is_in_the_catalogue():
    from policylang.core.diagnostics import CATALOGUE

    emitted = set()
    for path in (ROOT / "src" / "policylang" / "service").glob("*.py"):
        emitted |= set(re.findall(r"""["'](S\d{3})["']""", path.read_text(encoding="utf-8")))
    assert len(emitted) > 15 and emitted <= set(CATALOGUE)


def test_a_schools_table_sent_again_answers_as_the_first_time(client):
    """A schools table read once without a problem is read again only for the teachers'
    own schools: the same answers; a table with a bad row is never taken as read."""
    body = {"teachers": TEACHERS[:3], "schools": SCHOOLS}
    first, again = (client.post(DECIDE, json=body).json() for _ in range(2))
    assert first == again
    bad = [dict(s) for s in SCHOOLS]
    unused = next(s for s in bad if s["school_id"] not in {t["school_id"] for t in TEACHERS[:3]})
    unused["area"] = "moon"
    for _ in range(2):  # a row no teacher of the request names still refuses the request, each time
        refused = client.post(DECIDE, json={"teachers": TEACHERS[:3], "schools": bad})
        assert refused.status_code == 422 and "R003" in _codes(refused)
    spaced = [dict(t, school_id=" " + t["school_id"]) for t in TEACHERS[:3]]  # read alike, written otherwise
    assert client.post(DECIDE, json={"teachers": spaced, "schools": SCHOOLS}).json()["decisions"] == \
        first["decisions"]


def test_a_column_no_field_knows_is_said_not_silently_ignored(client):
    teacher = dict(TEACHERS[0]) | {"subjectt": "数学"}  # a misspelling of a column this policy does not read
    answer = client.post(DECIDE, json={"teachers": [teacher], "schools": SCHOOLS}).json()
    assert [(w["code"], w["column"]) for w in answer["warnings"]] == [("R012", "subjectt")]
    assert "subjectt" in answer["warnings"][0]["message"]["zh"]
    big = client.post(DECIDE, json={"teachers": [dict(t) | {"subjectt": "数学"} for t in TEACHERS[:LARGE]],
                                    "schools": SCHOOLS}).json()  # the columnar batch path says it too
    assert [(w["code"], w["column"]) for w in big["warnings"]] == [("R012", "subjectt")]
    missing = dict(TEACHERS[0])
    missing["on_stafff"] = missing.pop("on_staff")  # one it reads: refused, as eval refuses it
    assert client.post(DECIDE, json={"teachers": [missing], "schools": SCHOOLS}).status_code == 422
    clean = client.post(DECIDE, json={"teachers": TEACHERS[:1], "schools": SCHOOLS}).json()
    assert clean["warnings"] == []


@pytest.mark.parametrize("size", [22, LARGE])  # decided person by person, and as a columnar batch
def test_a_yes_no_key_null_or_blank_in_a_few_records_is_said_as_eval_says_it(client, size):
    """A Java client writes null for an unknown Boolean: `teaching` null reads as 否 and exempts the
    teacher (JA-9) as the contract says, and `eval` says so of such a file (R033); decide said
    nothing. Both paths now list the records, as eval lists the rows."""
    teachers = [dict(t) for t in TEACHERS[:size]]
    teachers[4]["teaching"], teachers[16]["teaching"] = None, " "
    answer = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS}).json()
    [said] = [w for w in answer["warnings"] if w["code"] == "R033"]
    assert (said["column"], said["table"], said["row"]) == ("teaching", "teachers", None)
    assert (said["rows"], said["count"]) == ([5, 17], 2)  # for a program, as the message names them
    assert "(row 5, 17; ids T0005, T0017)" in said["message"]["en"]  # the rows, and the people on them
    assert "第 5、17 行，工号 T0005、T0017" in said["message"]["zh"]
    as_no = client.post(DECIDE, json={"teachers": [dict(teachers[4], teaching="false")], "schools": SCHOOLS}).json()
    assert answer["decisions"][4] == as_no["decisions"][0]  # read as 否, as the contract says: said, not hidden
    explained = client.post(DECIDE + "?explain=true&lang=zh", json={"teachers": teachers[4:5], "schools": SCHOOLS})
    assert "（任课 = 否（空白））" in explained.json()["decisions"][0]["explanation"]["text"]
    whole = client.post(DECIDE, json={"teachers": TEACHERS[:size], "schools": SCHOOLS}).json()
    assert [w for w in whole["warnings"] if w["code"] in ("R027", "R033")] == []
    none = [dict(t, title=None) for t in TEACHERS[:size]]  # 职称 null everywhere: everyone untitled, said (R027)
    assert [(w["code"], w["column"]) for w in client.post(DECIDE, json={"teachers": none, "schools": SCHOOLS}
                                                          ).json()["warnings"]] == [("R027", "title")]


@pytest.mark.parametrize("size", [22, LARGE])  # decided person by person, and as a columnar batch
def test_swapped_start_dates_and_a_note_of_one_who_left_are_said_as_eval_says_them(client, size):
    """到校时间 before 参加工作时间 (R050: the two columns swapped count every tenure from the first job)
    and a key nothing reads saying 已调出 (R051) are said by eval of a file; a batch said neither."""
    teachers = [dict(t) for t in TEACHERS[:size]]
    for t in teachers:
        t["school_start"], t["work_start"] = t["work_start"], t["school_start"]
    teachers[2]["备注"] = "已调出"
    answer = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS}).json()
    said = {w["code"]: w for w in answer["warnings"] if w["code"] in ("R050", "R051")}
    roster = policylang.load(POLICIES / "fujian_pilot_district.pol").roster_from_records(teachers, SCHOOLS)
    by_reader = {w.code: w for w in roster.warnings if w.code in ("R050", "R051")}
    assert set(said) == set(by_reader) == {"R050", "R051"}
    for code, w in by_reader.items():  # the row reader's words, records numbered alike
        assert (said[code]["message"]["zh"], said[code]["rows"]) == (w.message("zh"), list(w.rows))
    assert "是否把两列填反了" in said["R050"]["message"]["zh"] and "第3行“已调出”" in said["R051"]["message"]["zh"]
    clean = client.post(DECIDE, json={"teachers": TEACHERS[:size], "schools": SCHOOLS}).json()
    assert [w for w in clean["warnings"] if w["code"] in ("R050", "R051")] == []


@pytest.mark.parametrize("size", [2, 10, LARGE])
def test_a_yes_no_key_null_in_half_the_records_or_more_is_said_too(client, size):
    """A spreadsheet column blank in most rows is the usual way (孕期 filled for the few); a JSON
    null is a value not known: a batch of 2 with `teaching` null in one, or of 10 with it null in
    9, decided those teachers 不在任课 (JA-9) without a word."""
    teachers = [dict(t) for t in TEACHERS[:size]]
    nulls = list(range(1, size))  # all but the first: never every record (R027 says that)
    for k in nulls:
        teachers[k]["teaching"] = None
    answer = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS}).json()
    [said] = [w for w in answer["warnings"] if w["code"] == "R033"]
    assert said["column"] == "teaching" and f"empty in {len(nulls)} row(s)" in said["message"]["en"]
    # "" in most records is a sheet's habit (孕期 blank for no), as a file's empty cells: not said; of 任课,
    # which nearly everyone reads 是 in, never a habit: said
    blank = [dict(t, pregnant="") if k else dict(t) for k, t in enumerate(TEACHERS[:size])]
    assert [w for w in client.post(DECIDE, json={"teachers": blank, "schools": SCHOOLS}).json()["warnings"]
            if w["code"] == "R033"] == []
    blank = [dict(t, teaching="") if k else dict(t) for k, t in enumerate(TEACHERS[:size])]
    assert [w["column"] for w in client.post(DECIDE, json={"teachers": blank, "schools": SCHOOLS}).json()["warnings"]
            if w["code"] == "R033"] == ["teaching"]


def test_diff_and_quota_say_what_reading_the_request_says_as_decide_does(client):
    """A fraction for a whole count (L313) and a key no column knows (R012) were dropped by /v1/diff
    and /quota: their answers had no `warnings`."""
    teachers = [dict(t) | ({"nursng": "true"} if k == 0 else {}) for k, t in enumerate(TEACHERS[:30])]
    teachers = [dict(t, nursng=t.get("nursng")) for t in teachers]  # a key every record has (else R026)
    diff = client.post("/v1/diff", json={"base": "fujian", "draft": "fujian_pilot_district", "teachers": teachers,
                                         "schools": SCHOOLS, "draft_params": {"principal_schools": 2.5}})
    assert diff.status_code == 200, diff.text
    assert sorted((w["code"], w["column"]) for w in diff.json()["warnings"]) == [("L313", "principal_schools"),
                                                                                 ("R012", "nursng")]
    quota = client.post("/v1/policies/fujian_pilot_district/quota", json={
        "teachers": teachers, "schools": SCHOOLS, "params": {"principal_schools": 2.5}})
    assert quota.status_code == 200, quota.text
    assert sorted((w["code"], w["column"]) for w in quota.json()["warnings"]) == [("L313", "principal_schools"),
                                                                                  ("R012", "nursng")]


@pytest.mark.parametrize("path, query", [(DECIDE, "as_of=2020-01-01"), (DECIDE, "set=age_cap_female=45"),
                                         ("/v1/diff", "explain=true"),
                                         ("/v1/policies/county_exchange/quota", "as_of=2025-09-01")])
def test_a_query_parameter_the_endpoint_does_not_take_is_refused_not_dropped(client, path, query):
    """`?as_of=` is how /evaluate takes the date; on /decide it was dropped without a word and the
    answer was for the policy's own date."""
    body = {"teachers": TEACHERS[:1], "schools": SCHOOLS} if "diff" not in path else \
        {"base": "fujian", "draft": "fujian_pilot_district", "teachers": TEACHERS[:1], "schools": SCHOOLS}
    refused = client.post(f"{path}?{query}", json=body)
    assert refused.status_code == 422, refused.text
    error = refused.json()["errors"][0]
    assert error["code"] == "S007" and error["column"] == query.split("=")[0]
    assert error["message"]["zh"].startswith(f"未知的查询参数 `{query.split('=')[0]}`")
    assert client.post(path, json=body).status_code == 200


_EVERY_V1 = [("GET", "/v1/policies", {}), ("GET", "/v1/policies/miyun", {}),
             ("POST", DECIDE, {"json": {"teachers": TEACHERS[:1], "schools": SCHOOLS}}),
             ("POST", "/v1/policies/fujian_pilot_district/evaluate",
              {"files": {n: (f"{n}.csv", (EXAMPLES / f"{n}.csv").read_bytes()) for n in ("teachers", "schools")}}),
             ("POST", "/v1/policies/county_exchange/quota", {"json": {"teachers": TEACHERS[:3], "schools": SCHOOLS}}),
             ("POST", "/v1/diff", {"json": {"base": "fujian", "draft": "fujian_pilot_district",
                                            "teachers": TEACHERS[:3], "schools": SCHOOLS}}),
             ("POST", "/v1/reload", {})]


@pytest.mark.parametrize("method, path, kwargs", _EVERY_V1, ids=[f"{m} {p}" for m, p, _ in _EVERY_V1])
def test_every_v1_endpoint_takes_lang_and_refuses_another_language_alike(client, method, path, kwargs):
    """A Java client sends its user's Locale with every request (one interceptor): /v1/diff and
    /quota refused `?lang=zh-CN` (422 S007, "this endpoint takes: none") while decide took it, and
    /v1/policies and /v1/reload dropped any query parameter without a word. Every /v1 endpoint now
    takes it, read in one place, and refuses another language alike (S009); the document says so."""
    plain = client.request(method, path, **kwargs)
    assert plain.status_code == 200, plain.text[:300]
    taken = client.request(method, f"{path}?lang=zh-CN", **kwargs)
    assert taken.status_code == 200, taken.text[:300]
    if method == "POST" and path.endswith(("/quota", "/diff")):  # (their answers say both languages)
        assert {k: v for k, v in taken.json().items() if k != "warnings"} == \
            {k: v for k, v in plain.json().items() if k != "warnings"}
    refused = client.request(method, f"{path}?lang=fr", **kwargs)
    assert refused.status_code == 422, refused.text[:300]
    assert [(e["code"], e["column"]) for e in refused.json()["errors"]] == [("S009", "lang")]
    assert "`fr`" in refused.json()["errors"][0]["message"]["en"] and "`fr`" in refused.json()["errors"][0]["message"]["zh"]
    unknown = client.request(method, f"{path}?lnag=zh", **kwargs)  # (dropped by /v1/policies and /v1/reload)
    assert [(e["code"], e["column"]) for e in unknown.json()["errors"]] == [("S007", "lnag")]
    assert "lang" in unknown.json()["errors"][0]["message"]["en"]
    operation = client.get("/openapi.json").json()["paths"][path.replace("miyun", "{name}").replace(
        "fujian_pilot_district", "{name}").replace("county_exchange", "{name}")][method.lower()]
    assert "lang" in [p["name"] for p in operation["parameters"]] and "422" in operation["responses"]


@pytest.mark.parametrize("size", [3, SMALL_BATCH + 1])  # the row reader, and the columnar batch
def test_a_key_with_no_name_that_records_fill_in_is_said_as_a_column_with_no_header(client, size):
    """A platform converting an uploaded sheet to JSON made its empty header cell the key `""`,
    and its 已调出 notes went into it: the upload of the same sheet says R042 (a column with no
    header holds values), the JSON was decided without a word, the person who left among those
    to move. The answers' `warnings` now say it, naming the records."""
    teachers = [dict(t, **{"": "已调出" if k == 1 else None}) for k, t in enumerate(TEACHERS[:size])]
    for path, body in ((DECIDE, {"teachers": teachers, "schools": SCHOOLS}),
                       ("/v1/policies/county_exchange/quota", {"teachers": [dict(t, support_end="") for t in teachers],
                                                               "schools": SCHOOLS}),
                       ("/v1/diff", {"base": "fujian", "draft": "fujian_pilot_district", "teachers": teachers,
                                     "schools": SCHOOLS})):
        answer = client.post(path, json=body)
        assert answer.status_code == 200, answer.text[:300]
        said = [w for w in answer.json()["warnings"] if w["code"] == "R042"]
        assert [(w["column"], w["rows"], w["count"], w["table"]) for w in said] == [("", [2], 1, "teachers")], path
        assert "已调出" in said[0]["message"]["en"] and '键名 ""' in said[0]["message"]["zh"]
    blank = [dict(t, **{"": ""}) for t in TEACHERS[:3]]  # a key with no name and no values: nothing to say
    assert client.post(DECIDE, json={"teachers": blank, "schools": SCHOOLS}).json()["warnings"] == []
    numbered = [dict(t, **{"": "110105197805010025"}) for t in TEACHERS[:3]]  # (an ID number: quoted masked)
    answer = client.post(DECIDE, json={"teachers": numbered, "schools": SCHOOLS})
    assert "110105********0025" in answer.text and "110105197805010025" not in answer.text


@pytest.mark.parametrize("extra", [{"as_of": "110105197805010025"}, {"params": {"age_cap_female": "110105197805010025"}},
                                   {"params": {"110105197805010025": 1}}, {"assume": {"110105197805010025": "1"}},
                                   {"assume": {"pregnant": "110105780501002"}}])
def test_a_refusal_quoting_the_request_masks_an_id_number_in_it(client, extra):
    """A refusal made of the request's own values (S009 an `as_of`, P003 a parameter's value, R107 its
    name, S013 an `assume` key's column) quoted an ID number whole, where a roster's problems mask it:
    an answer is logged and pasted into tickets. Every error is made by ``errors.problem``, which masks."""
    answer = client.post(DECIDE, json={"teachers": TEACHERS[:1], "schools": SCHOOLS, **extra})
    assert answer.status_code == 422
    assert "110105197805010025" not in answer.text and "110105780501002" not in answer.text
    assert "110105********0025" in answer.text or "*" * 15 in answer.text


def test_a_name_sent_with_an_id_number_in_it_is_answered_masked(client):
    """The records reader reads a name as the file readers do: an ID number typed into it is masked in
    the answer's roster and its explanation, where the 身份证号 itself is not in the answer at all."""
    teacher = dict(TEACHERS[0], name="张三110105197805010025")
    answer = client.post(DECIDE + "?explain=true", json={"teachers": [teacher], "schools": SCHOOLS})
    assert answer.status_code == 200, answer.text[:300]
    [decision] = answer.json()["decisions"]
    assert decision["roster"]["name"] == "张三110105********0025" and "110105197805010025" not in answer.text


def test_a_problem_of_the_schools_list_says_it_is_the_schools_and_which_record(client):
    """A bad school row came back as `"row": 2, "file": null`, like the second teacher, and
    R014 named "its row 2 of <records>"."""
    schools = [dict(s) for s in SCHOOLS]
    schools[1]["area"] = "moon"
    teacher = TEACHERS[0] | {"school_id": schools[1]["school_id"]}
    errors = client.post(DECIDE, json={"teachers": [teacher], "schools": schools}).json()["errors"]
    assert [(e["code"], e.get("table"), e["row"]) for e in errors] == [("R003", "schools", 2), ("R014", "teachers", 1)]
    assert "学校列表第2条记录有问题" in errors[1]["message"]["zh"]
    assert "its record 2 in the schools list" in errors[1]["message"]["en"] and "<" not in errors[1]["message"]["en"]


@pytest.mark.parametrize("query", ["explain=true&explain=false", "lang=zh&lang=en"])
def test_a_query_parameter_of_one_value_given_twice_is_refused(client, query):
    """`?explain=true&explain=false` was answered as one of them, without a word of which."""
    answer = client.post(f"{DECIDE}?{query}", json={"teachers": []})
    assert answer.status_code == 422 and _codes(answer) == ["S009"]
    assert "given more than once" in answer.json()["errors"][0]["message"]["en"]


def test_a_language_tag_is_read_by_its_language_and_a_bare_flag_is_true(client):
    """Java's `Locale.toLanguageTag()` sends zh-CN, which was refused; a bare `?explain` was read
    as false, without a word."""
    one = {"teachers": TEACHERS[:1], "schools": SCHOOLS}
    tagged = client.post(f"{DECIDE}?lang=zh-CN&explain", json=one).json()["decisions"][0]
    assert tagged["status_label"] == client.post(f"{DECIDE}?lang=zh", json=one).json()["decisions"][0]["status_label"]
    assert tagged["status_label"] != client.post(f"{DECIDE}?lang=en-US", json=one).json()["decisions"][0]["status_label"]
    assert "explanation" in tagged
    assert "explanation" not in client.post(f"{DECIDE}?explain=0", json=one).json()["decisions"][0]
    refused = client.post(f"{DECIDE}?lang=fr&explain=maybe", json=one)
    assert refused.status_code == 422 and _codes(refused) == ["S009"]



def test_a_reference_date_no_month_has_says_so(client):
    answer = client.post(DECIDE, json={"teachers": TEACHERS[:1], "schools": SCHOOLS, "as_of": "2025-02-29"})
    assert answer.status_code == 422 and _codes(answer) == ["S009"]
    message = answer.json()["errors"][0]["message"]
    assert "2025-02 has 28 days" in message["en"] and "2025年2月只有28天" in message["zh"]


@pytest.mark.parametrize("size", [5, LARGE])  # decided person by person, and as a columnar batch
def test_a_record_s_problem_names_its_id_beside_its_place(client, size):
    """A Java client of 10,000 records was given `row: 5` alone, and mapped positions back itself;
    a key no column knows said no record at all."""
    teachers = [dict(t) for t in TEACHERS[:size]]
    teachers[4]["birth_date"] = "1985-13-01"
    teachers[3]["subjectt"] = "数学"
    teachers = [dict(t, subjectt=t.get("subjectt")) for t in teachers]  # every record gives the key (else R026)
    refused = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS})
    assert refused.status_code == 422
    [bad] = [e for e in refused.json()["errors"] if e["code"] == "R002"]
    assert (bad["row"], bad["id"], bad["table"]) == (5, teachers[4]["id"], "teachers")
    teachers[4]["birth_date"] = TEACHERS[4]["birth_date"]
    teachers = [dict(t, subjectt=None) for t in teachers]
    teachers[3]["subjectt"] = "数学"
    said = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS}).json()["warnings"]
    [unknown] = [w for w in said if w["code"] == "R012"]
    assert (unknown["column"], unknown["row"], unknown["id"]) == ("subjectt", 4, teachers[3]["id"])  # the one giving it


def test_a_reference_date_out_of_range_names_as_of(client):
    refused = client.post(DECIDE, json={"teachers": TEACHERS[:2], "schools": SCHOOLS, "as_of": "1899-12-31"})
    assert refused.status_code == 422
    assert [(e["code"], e["column"]) for e in refused.json()["errors"]] == [("T214", "as_of")]


def test_records_naming_columns_in_two_languages_are_told_so_once(client):
    """One record with Chinese keys, the next with English: 53 errors, each "keys 工号 and id both
    give id" with no record named, where one says what is wrong and where."""
    import codecs

    chinese = list(csv.reader(codecs.open(EXAMPLES / "teachers_zh.csv", encoding="gb18030")))
    first = dict(zip(chinese[0], chinese[1]))
    refused = client.post(DECIDE, json={"teachers": [first, TEACHERS[1]], "schools": SCHOOLS})
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["code"], error["row"], error["column"], error["table"]) == ("R010", 2, "id", "teachers")
    assert "第 2 条记录用“id”、第 1 条记录用“工号”表示同一列（工号）" in error["message"]["zh"]
    alike = client.post(DECIDE, json={"teachers": [first, dict(zip(chinese[0], chinese[2]))], "schools": SCHOOLS})
    assert alike.status_code == 200, alike.text


def test_an_unknown_key_of_an_explained_request_is_said_in_the_answer_not_on_the_server_console(client):
    """`?explain=true` with a key holding terminal escapes (`\x1b]0;…` sets the operator's window
    title): said in the answer's `warnings`, never raised as a Python warning, which the server
    printed raw to its console."""
    import warnings

    key = "\x1b]0;pwned\x07k\x1b[2J"
    body = {"teachers": [TEACHERS[0] | {key: 1}], "schools": SCHOOLS}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = client.post(DECIDE + "?explain=true", json=body)
    assert answer.status_code == 200
    assert any(w.get("column") == key for w in answer.json()["warnings"])
    assert not [w for w in caught if key in str(w.message)]


def test_a_warning_the_command_line_prints_is_terminal_safe():
    """The console's one-line warning (cli.main's formatwarning) escapes a quoted request's text."""
    import subprocess
    import sys

    code = ("import warnings, sys; sys.argv = ['policylang', '--help']; import policylang.cli as c\n"
            "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
            "warnings.warn('column `\\x1b]0;pwned\\x07k` is not a roster column')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    line = [x for x in done.stderr.splitlines() if "roster column" in x]
    assert line and "\x1b" not in line[0] and "\x07" not in line[0], done.stderr


def test_a_value_of_the_wrong_shape_is_quoted_as_json_not_as_python(client):
    """The integrator's trial: `"as_of": {"y": 2025}` was answered "`{'y': 2025}` is not a date"."""
    answer = client.post(DECIDE, json={"teachers": TEACHERS[:1], "schools": SCHOOLS, "as_of": {"y": 2025}})
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["code"] == "S009" and '`{"y": 2025}` is not a date' in error["message"]["en"]
    assert "'y'" not in error["message"]["en"] and '“{"y": 2025}”不是日期' in error["message"]["zh"]


def test_a_year_and_month_sent_as_a_json_number_is_told_to_be_sent_as_text(client):
    """The integrator's trial: `"到校时间": 2019.09` was told of Excel's number cells."""
    teacher = dict(TEACHERS[0]) | {"school_start": 2019.09}
    answer = client.post(DECIDE, json={"teachers": [teacher], "schools": SCHOOLS})
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["code"] == "R002" and "Excel" not in error["message"]["en"]
    assert '请以文字发送，如 "2019-09"' in error["message"]["zh"] and 'Send it as text: "2019-09"' in error["message"]["en"]


def test_a_policy_named_by_its_title_is_pointed_to_its_name(client):
    """The integrator's trial: /v1/policies/密云 said "no policy `密云`" and nothing of `miyun`."""
    answer = client.post("/v1/policies/密云/decide", json={"teachers": TEACHERS[:1], "schools": SCHOOLS})
    assert answer.status_code == 404
    [error] = answer.json()["errors"]
    assert error["code"] == "S404" and "did you mean `miyun`?" in error["message"]["en"]
    assert "是否应为 `miyun`？" in error["message"]["zh"]


def test_a_diff_s_parameter_refusal_names_the_side(client):
    """age_cap_female is the district's, not fujian's: given as base_params it was R107 'unknown
    parameter' with no word of which policy; a draft's wrong type alike."""
    base = client.post("/v1/diff", json={"base": "fujian", "draft": "fujian_pilot_district", "teachers": [],
                                         "base_params": {"age_cap_female": 45}})
    assert base.status_code == 422
    [error] = base.json()["errors"]
    assert error["code"] == "R107" and error["column"] == "base_params.age_cap_female"
    assert error["message"]["en"].startswith("base_params: ") and error["message"]["zh"].startswith("基准政策的参数")
    draft = client.post("/v1/diff", json={"base": "fujian", "draft": "fujian_pilot_district", "teachers": [],
                                          "draft_params": {"age_cap_female": "old"}}).json()["errors"]
    assert draft and all(e["column"] == "draft_params.age_cap_female" and e["message"]["zh"].startswith("草案的参数")
                         for e in draft)


@pytest.mark.parametrize("size", [22, LARGE])  # decided person by person, and as a columnar batch
def test_ids_that_look_alike_in_a_batch_are_said_as_eval_says_them(client, size):
    """`Ｔ0001` beside `T0001`: one person sent twice by a client that typed one id full-width, both
    decided; eval says it (R037), and so does the service, on either path."""
    teachers = [dict(t) for t in TEACHERS[:size]]
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in teachers[0]["id"])
    teachers[7]["id"] = wide
    answer = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS}).json()
    [said] = [w for w in answer["warnings"] if w["code"] == "R037"]
    assert said["value"] == wide and wide in said["message"]["zh"] and len(answer["decisions"]) == size
    assert [w for w in client.post(DECIDE, json={"teachers": TEACHERS[:size], "schools": SCHOOLS}).json()["warnings"]
            if w["code"] == "R037"] == []
