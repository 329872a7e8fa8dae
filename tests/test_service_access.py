"""`policylang serve`: who may ask what (bearer tokens), and the decision log (what was
decided, for whom, under which version; sensitive facts masked; a crash never corrupts it)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.cli import cli  # noqa: E402
from policylang.service.app import create_app  # noqa: E402
from policylang.service.auth import Tokens, TokensFileError, token_hash  # noqa: E402
from policylang.service.decision_log import DecisionLog  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"


def _records(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


TEACHERS, SCHOOLS = _records(EXAMPLES / "teachers.csv"), _records(EXAMPLES / "schools.csv")
ONE = {"teachers": TEACHERS[:1], "schools": SCHOOLS}
HR, ADMIN = "hr-7f3a9c2e", "admin-0b1d44e8"


def _tokens_file(folder: Path) -> Path:
    path = folder / "tokens.toml"
    path.write_text(f'''
[[token]]
id = "county-hr"
sha256 = "{token_hash(HR)}"
policies = ["fujian_pilot_district"]
operations = ["decide", "read"]

[[token]]
id = "admin"
sha256 = "{token_hash(ADMIN)}"
policies = ["*"]
operations = ["*"]
''', encoding="utf-8")
    return path


def _as(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    tokens = Tokens.read(_tokens_file(tmp_path_factory.mktemp("tokens")))
    with TestClient(create_app(POLICIES, tokens=tokens)) as c:
        yield c


def test_no_token_or_an_unknown_one_is_401(guarded):
    for headers in ({}, _as("guess"), {"Authorization": HR}, {"Authorization": f"Basic {HR}"}, _as("")):
        response = guarded.post(DECIDE, json=ONE, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"].startswith("Bearer")
        error = response.json()["errors"][0]
        assert error["code"] == "S401" and error["message"]["zh"]
    assert guarded.get("/v1/policies").status_code == 401
    for open_path in ("/health", "/ready", "/openapi.json"):  # probes and the API's description
        assert guarded.get(open_path).status_code == 200


def test_a_token_is_held_to_its_policies_and_operations(guarded):
    assert guarded.post(DECIDE, json=ONE, headers=_as(HR)).status_code == 200
    for method, path, body in (("POST", "/v1/policies/miyun/decide", ONE), ("POST", "/v1/reload", None),
                               ("GET", "/metrics", None), ("GET", "/v1/policies/miyun", None),
                               ("POST", "/v1/policies/fujian_pilot_district/quota", ONE),
                               ("POST", "/v1/diff", {"base": "fujian_pilot_district", "draft": "fujian_pilot_district",
                                                     "teachers": []})):
        response = guarded.request(method, path, json=body, headers=_as(HR))
        assert response.status_code == 403, path
        assert response.json()["errors"][0]["code"] == "S403"
    # an operation the token lacks on a policy names that policy, as a policy it lacks is named
    (quota,) = guarded.post("/v1/policies/fujian_pilot_district/quota", json=ONE, headers=_as(HR)).json()["errors"]
    assert (quota["code"], quota["policy"]) == ("S403", "fujian_pilot_district")
    said = guarded.get("/metrics", headers=_as(HR)).json()["errors"][0]["message"]
    assert said == {"en": "token `county-hr` is not granted the operation `metrics`",
                    "zh": "令牌 `county-hr` 未获准执行操作 `metrics`"}
    listed = guarded.get("/v1/policies", headers=_as(HR)).json()["policies"]
    assert [p["name"] for p in listed] == ["fujian_pilot_district"]
    assert len(guarded.get("/v1/policies", headers=_as(ADMIN)).json()["policies"]) > 1
    assert guarded.post("/v1/policies/miyun/decide", json=ONE, headers=_as(ADMIN)).status_code == 200
    assert guarded.get("/metrics", headers=_as(ADMIN)).status_code == 200
    assert 'policylang_errors_total{code="S403"}' in guarded.get("/metrics", headers=_as(ADMIN)).text


def test_a_policy_a_token_may_not_use_is_named_as_a_policy_whether_or_not_it_exists(guarded):
    """S403 named the policy in `column`, a roster column's field. A policy the folder lacks is
    403 too for a token without it (404 would tell the token which policies exist)."""
    for name in ("miyun", "no_such_policy"):
        (error,) = guarded.post(f"/v1/policies/{name}/decide", json=ONE, headers=_as(HR)).json()["errors"]
        assert (error["code"], error["policy"], error["column"]) == ("S403", name, None)
    assert guarded.post("/v1/policies/no_such_policy/decide", json=ONE, headers=_as(ADMIN)).status_code == 404


@pytest.mark.parametrize("text, fragment", [
    ('[[token]]\nid = "a"\nsha256 = "abc"\npolicies = ["*"]\noperations = ["decide"]\n', "sha256"),
    (f'[[token]]\nid = "a"\nsha256 = "{"0" * 64}"\npolicies = ["*"]\noperations = ["fly"]\n', "operations"),
    (f'[[token]]\nid = "a"\nsha256 = "{"0" * 64}"\npolicies = []\noperations = ["decide"]\n', "policies"),
    (f'[[token]]\nid = "a"\nsha256 = "{"0" * 64}"\npolicies = ["*"]\noperations = ["read"]\ntoken = "x"\n',
     "unknown key"),
    (f'[[token]]\nid = "a"\nsha256 = "{"0" * 64}"\npolicies = ["*"]\noperations = ["read"]\n'
     f'[[token]]\nid = "a"\nsha256 = "{"1" * 64}"\npolicies = ["*"]\noperations = ["read"]\n', "twice"),
    ("token = 3", "[[token]]"),
    ("[[token", "TOML"),
])
def test_a_tokens_file_not_as_documented_is_refused(tmp_path, text, fragment):
    path = tmp_path / "tokens.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TokensFileError) as raised:
        Tokens.read(path)
    assert fragment in raised.value.message_en and raised.value.message_zh


def test_the_command_demands_tokens_or_loopback_without_them(tmp_path):
    def serve(*args):
        return CliRunner().invoke(cli, ["serve", str(POLICIES), *args])

    plain = serve()
    assert plain.exit_code == 2 and "--tokens" in plain.output and "--insecure-no-auth" in plain.output
    exposed = serve("--insecure-no-auth", "--host", "0.0.0.0")
    assert exposed.exit_code == 2 and "loopback" in exposed.output
    bad = tmp_path / "tokens.toml"
    bad.write_text("[[token]]\nid = 1\n", encoding="utf-8")
    refused = serve("--tokens", str(bad))
    assert refused.exit_code == 2 and "token 1" in refused.output
    both = serve("--tokens", str(_tokens_file(tmp_path)), "--insecure-no-auth")
    assert both.exit_code == 2
    assert serve("--insecure-no-auth", "--log-unmask", "salary", "--decision-log", str(tmp_path / "d")).exit_code == 2
    # a decision log's settings without the log would do nothing: refused, naming them
    alone = serve("--insecure-no-auth", "--log-input", "--log-keep", "3")
    assert alone.exit_code == 2 and "--log-input, --log-keep configure the decision log" in alone.output


# ---- the decision log --------------------------------------------------------------------


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_decision_request_is_a_line_with_who_what_version_and_input_hash(tmp_path):
    tokens = Tokens.read(_tokens_file(tmp_path))
    log = DecisionLog(tmp_path / "log" / "decisions.jsonl", batch=100, interval=60)
    body = json.dumps({"teachers": TEACHERS[:3], "schools": SCHOOLS, "as_of": "2026-03-01",
                       "params": {"age_cap_female": 45}, "assume": {"backbone": "none"}}).encode()
    with TestClient(create_app(POLICIES, tokens=tokens, decision_log=log)) as client:
        answer = client.post(DECIDE, content=body, headers=_as(HR)).json()
        client.post(DECIDE, content=b"{", headers=_as(HR))  # refused: decided nothing, logs nothing
        client.post("/v1/policies/fujian_pilot_district/evaluate?assume=backbone=none",
                    files={"teachers": ("t.csv", (EXAMPLES / "teachers.csv").read_bytes()),
                           "schools": ("s.csv", (EXAMPLES / "schools.csv").read_bytes())}, headers=_as(ADMIN))
        assert not (tmp_path / "log" / "decisions.jsonl").read_bytes()  # a batch waits for its size or its time
    # leaving the application closes the log, which writes what is pending
    first, second = _lines(tmp_path / "log" / "decisions.jsonl")
    assert first["token"] == "county-hr" and first["operation"] == "decide"
    assert first["policy"] == "fujian_pilot_district" and first["version"] == answer["version"]
    assert first["as_of"] == "2026-03-01" and first["params"] == {"age_cap_female": 45}
    assert first["assume"] == {"backbone": "none"} == second["assume"]  # what was stated, whether used or not
    assert first["input_sha256"] == hashlib.sha256(body).hexdigest() and "input" not in first
    assert [(d["id"], d["status"]) for d in first["decisions"]] == \
        [(d["id"], d["status"]) for d in answer["decisions"]]
    assert second["token"] == "admin" and second["operation"] == "evaluate" and second["decided"] == 400
    assert second["input_sha256"]["teachers"] == hashlib.sha256((EXAMPLES / "teachers.csv").read_bytes()).hexdigest()


def test_sensitive_facts_are_masked_unless_configured(tmp_path):
    pregnant = next(t for t in TEACHERS if t["id"] == "T0052")
    body = {"teachers": [pregnant], "schools": SCHOOLS}

    def logged(**options) -> dict:
        path = tmp_path / f"log{len(options)}{options.get('unmasked', '')}.jsonl"
        with TestClient(create_app(POLICIES, decision_log=DecisionLog(path, **options))) as client:
            decided = client.post("/v1/policies/county_managed/decide", json=body).json()["decisions"][0]
        assert decided["exemption"] == "pregnancy"  # the answer to the caller is whole
        return _lines(path)[0]

    masked = logged(log_input=True)
    assert masked["decisions"][0]["status"] == "exempt"
    assert masked["decisions"][0]["exemption"] == "***"
    assert all(f.get("exemption") in (None, "***") for f in masked["decisions"][0]["fired"])
    record = masked["input"]["teachers"][0]
    assert record["pregnant"] == "***" and record["serious_illness"] == "***" and record["id"] == "T0052"
    assert "pregnancy" not in json.dumps(masked) and "XG-1c" not in json.dumps(masked)
    plain = logged(log_input=True, unmasked=["pregnant"])
    assert plain["decisions"][0]["exemption"] == "pregnancy" and plain["input"]["teachers"][0]["pregnant"] == "true"
    assert plain["input"]["teachers"][0]["nursing"] == "***"


def test_an_uncertain_sanction_date_and_an_empty_sensitive_value_are_masked_too(tmp_path):
    # `uncertain: ["sanction_until"]` tells a sanction is on record; an empty 孕期 (read as no)
    # beside a masked `false` tells what the mask hides
    from policylang.service.decision_log import masked_assumptions, masked_record, sensitive_headers

    headers = sensitive_headers()
    decision = {"id": "T1", "status": "must_rotate", "uncertain": ["birth_date", "sanction_until"], "assumptions": []}
    assert masked_assumptions(decision, headers)["uncertain"] == ["birth_date", "***"]
    assert masked_assumptions(decision, sensitive_headers(["sanction_until"]))["uncertain"] == decision["uncertain"]
    assert masked_record({"id": "T1", "孕期": "", "pregnant": None, "nursing": "false"}, headers) == \
        {"id": "T1", "孕期": "***", "pregnant": "***", "nursing": "***"}


def test_log_unmask_takes_a_column_by_its_chinese_name(tmp_path):
    from click.testing import CliRunner

    from policylang.cli import cli

    result = CliRunner().invoke(cli, ["serve", str(POLICIES), "--log-unmask", "学段", "--insecure-no-auth",
                                      "--decision-log", str(tmp_path / "d.log")])
    assert result.exit_code == 2 and "不是被遮盖的列；被遮盖的列为 孕期、产假、哺乳期" in result.output
    result = CliRunner().invoke(cli, ["serve", str(POLICIES), "--log-unmask", "孕期", "--insecure-no-auth",
                                      "--decision-log", str(tmp_path / "d.log"), "--port", "0", "--host", "256.0.0.1"])
    assert "不是被遮盖的列" not in result.output  # accepted: what stops it is the address


def test_a_masked_exemption_shows_neither_in_its_clauses_nor_among_the_grounds_to_decline(tmp_path):
    """An exempt person's ``cite`` is their exemption's clauses, and ``may_decline`` lists the
    grounds a person may invoke: either would tell what the masked exemption hides."""
    investigated = next(t for t in TEACHERS if t["id"] == "T0052") | {"pregnant": "false",
                                                                        "under_investigation": "true"}
    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(POLICIES / "county_draft.pol", folder)
    shutil.copy(Path(__file__).parent / "cases" / "verify" / "decline.pol", folder)
    ill = TEACHERS[0] | {"serious_illness": "true"}  # at an urban school for over six years

    def logged(policy: str, body: dict, **options) -> tuple[dict, dict]:
        path = tmp_path / f"{policy}{len(options)}.jsonl"
        with TestClient(create_app(folder, decision_log=DecisionLog(path, **options))) as client:
            answer = client.post(f"/v1/policies/{policy}/decide", json=body).json()
        assert "decisions" in answer, answer
        return answer["decisions"][0], _lines(path)[0]["decisions"][0]

    answer, line = logged("county_draft", {"teachers": [investigated], "schools": SCHOOLS})
    assert answer["exemption"] == "investigation" and answer["cite"]  # the caller is told in full
    assert line["exemption"] == "***" and line["cite"] == ["***"]
    assert not any(c in json.dumps(line, ensure_ascii=False) for c in answer["cite"])
    assert line["status"] == answer["status"] == "exempt"

    answer, line = logged("decline", {"teachers": [ill], "schools": SCHOOLS})
    assert answer["status"] == "must_rotate" and answer["may_decline"] == ["illness"]
    assert line["may_decline"] == ["***"] and line["status"] == "must_rotate"
    assert line["cite"] == answer["cite"]  # a rule's clauses tell nothing sensitive: kept
    _, plain = logged("decline", {"teachers": [ill], "schools": SCHOOLS}, unmasked=["serious_illness"])
    assert plain["may_decline"] == ["illness"]


OWN_FIELD = """policy "自设列样例"
  as of 2025-09-01
source S "样例"
field teacher.患病证明: bool default false "县级以上医院的诊断证明"
field teacher.离婚日期: date "本条只为示例"

rule R-1 "同校满6年的教师须交流"
  cite S "一"
  when post = teacher and tenure at least 6 years
  then must_rotate

exemption E-1 "患病（有诊断证明）" as illness
  cite S "二"
  to R-1
  when 患病证明 or 离婚日期 is set
"""


def test_a_field_the_policy_declares_itself_is_masked_unless_configured(tmp_path):
    """A policy's own field (county_draft.pol's 患病证明) is in no contract: nothing says it is
    harmless, so the log masks it as it masks 孕期, wherever its value would show."""
    import policylang
    from policylang.service.decision_log import masked_assumptions, sensitive_headers

    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "own.pol").write_text(OWN_FIELD, encoding="utf-8")
    shutil.copy(POLICIES / "county_draft.pol", folder)
    ill = TEACHERS[0] | {"患病证明": "是", "离婚日期": ""}
    lacking = dict(TEACHERS[1])  # the column absent: `患病证明=false` assumed, as the field's default

    def logged(policy: str, body: dict, **options) -> tuple[list, dict]:
        path = tmp_path / f"log{len(list(tmp_path.glob('*.jsonl')))}.jsonl"  # a new log each time
        with TestClient(create_app(folder, decision_log=DecisionLog(path, log_input=True, **options))) as client:
            answer = client.post(f"/v1/policies/{policy}/decide", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()["decisions"], _lines(path)[0]

    answer, line = logged("own", {"teachers": [ill], "schools": SCHOOLS})
    assert answer[0]["exemption"] == "illness"  # the caller is told in full
    assert line["input"]["teachers"][0]["患病证明"] == "***" and line["input"]["teachers"][0]["离婚日期"] == "***"
    assert line["decisions"][0]["exemption"] == "***" and line["decisions"][0]["cite"] == ["***"]
    assert line["decisions"][0]["status"] == "exempt" and line["input"]["teachers"][0]["id"] == ill["id"]
    assert '"illness"' not in json.dumps(line)

    answer, line = logged("own", {"teachers": [lacking], "schools": SCHOOLS, "assume": {"离婚日期": ""}})
    assert {"患病证明=false", "离婚日期="} <= set(answer[0]["assumptions"])
    assert {"患病证明=***", "离婚日期=***"} <= set(line["decisions"][0]["assumptions"])
    assert line["assume"] == {"离婚日期": "***"} and "患病证明=false" not in json.dumps(line, ensure_ascii=False)
    headers = sensitive_headers(policy=policylang.load(folder / "own.pol"))
    assert masked_assumptions({"uncertain": ["birth_date", "离婚日期"]}, headers)["uncertain"] == ["birth_date", "***"]

    _, line = logged("county_draft", {"teachers": [lacking], "schools": SCHOOLS, "assume": {"患病证明": "否"}})
    assert line["assume"] == {"患病证明": "***"} and "患病证明=***" in line["decisions"][0]["assumptions"]

    _, plain = logged("own", {"teachers": [ill], "schools": SCHOOLS}, unmasked=["患病证明"])
    assert plain["input"]["teachers"][0]["患病证明"] == "是" and plain["input"]["teachers"][0]["离婚日期"] == "***"
    assert plain["decisions"][0]["exemption"] == "***"  # 离婚日期, still masked, decides it too: it would tell


@pytest.mark.parametrize("key", ["id_number", "身份证号", "身份证号码", "公民身份号码", "身份证件号码", "身份证", "证件号码"])
def test_the_id_number_is_masked_under_every_header_the_readers_take(tmp_path, key):
    from policylang.io.id_number import check_character

    assert (TEACHERS[0]["sex"], TEACHERS[0]["birth_date"]) == ("F", "1980-03-01")  # what the number says
    number = "11010519800301002" + check_character("11010519800301002")
    teacher = {k: v for k, v in TEACHERS[0].items() if k not in ("sex", "birth_date")} | {key: number}
    if key == "证件号码":  # no column of the roster's, yet an ID number: the date and sex must be given
        teacher |= {"sex": TEACHERS[0]["sex"], "birth_date": TEACHERS[0]["birth_date"]}
    path = tmp_path / "log.jsonl"
    with TestClient(create_app(POLICIES, decision_log=DecisionLog(path, log_input=True))) as client:
        answer = client.post(DECIDE, json={"teachers": [teacher], "schools": SCHOOLS})
        assert answer.status_code == 200, answer.text
    line = path.read_text(encoding="utf-8")
    assert number not in line and json.loads(line)["input"]["teachers"][0][key] == "***"


@pytest.mark.parametrize("key, said", [("sfzh", "{}"), ("idNumber", "{}"), ("身份证件号", "{}"), ("", "{}"),
                                       ("备注", "原身份证号 {}，已调出")])
def test_an_id_number_under_a_key_the_readers_do_not_take_is_masked_in_the_log(tmp_path, key, said):
    """`sfzh` (身份证号's initials, an HR system's field), Jackson's `idNumber`, 身份证件号, an empty
    header cell's "" or a 备注: read by nothing (R012), and with --log-input the number went into
    the log as sent, while under 证件号码 it was masked. A value holding one is masked whatever its
    key, unless the ID number is unmasked (--log-unmask id_number)."""
    from policylang.io.id_number import check_character

    number = "11010519800301002" + check_character("11010519800301002")
    teacher = TEACHERS[0] | {key: said.format(number)}
    for unmasked in ((), ("id_number",)):
        path = tmp_path / f"log{len(unmasked)}.jsonl"
        with TestClient(create_app(POLICIES, decision_log=DecisionLog(path, log_input=True, unmasked=unmasked))) as client:
            answer = client.post(DECIDE, json={"teachers": [teacher], "schools": SCHOOLS})
            assert answer.status_code == 200, answer.text
        line = json.loads(path.read_text(encoding="utf-8"))
        if unmasked:
            assert line["input"]["teachers"][0][key] == said.format(number)
        else:
            assert number not in json.dumps(line) and line["input"]["teachers"][0][key] == "***"
            assert line["input"]["teachers"][0]["id"] == TEACHERS[0]["id"]  # (other values as sent)


def test_an_id_number_sent_as_a_json_number_is_masked_in_the_log(tmp_path):
    """A client whose HR system keeps the ID number as a number (most end in a digit) sends
    `"sfzh": 110105198003010028`, not text: it went into the log as sent, while the same
    digits as a string were masked."""
    number = 110105198003010028  # (a valid number: its check digit is 8)
    teacher = TEACHERS[0] | {"sfzh": number}
    path = tmp_path / "log.jsonl"
    with TestClient(create_app(POLICIES, decision_log=DecisionLog(path, log_input=True))) as client:
        answer = client.post(DECIDE, json={"teachers": [teacher], "schools": SCHOOLS})
        assert answer.status_code == 200, answer.text
    line = json.loads(path.read_text(encoding="utf-8"))
    assert str(number) not in json.dumps(line) and line["input"]["teachers"][0]["sfzh"] == "***"
    assert line["input"]["teachers"][0]["id"] == TEACHERS[0]["id"]  # (other values as sent)


def test_a_value_assumed_for_a_sensitive_column_is_masked_in_the_log(tmp_path):
    """The exemption it leads to is masked: the value stated for the absent column, in the
    request's `assume` and in each decision's `assumptions`, would tell it all the same."""
    teacher = {k: v for k, v in next(t for t in TEACHERS if t["id"] == "T0052").items() if k != "pregnant"}
    body = {"teachers": [teacher], "schools": SCHOOLS, "assume": {"孕期": "是", "骨干级别": "无"}}
    path = tmp_path / "log.jsonl"
    with TestClient(create_app(POLICIES, decision_log=DecisionLog(path))) as client:
        answer = client.post("/v1/policies/county_managed/decide", json=body).json()["decisions"][0]
    assert answer["exemption"] == "pregnancy" and "pregnant=true" in answer["assumptions"]  # the caller is told
    line = _lines(path)[0]
    assert line["assume"] == {"孕期": "***", "骨干级别": "无"}
    assert "pregnant=***" in line["decisions"][0]["assumptions"]
    assert "pregnant=true" not in json.dumps(line) and line["decisions"][0]["exemption"] == "***"


def test_the_log_rotates_by_size_and_keeps_every_line(tmp_path):
    path = tmp_path / "decisions.jsonl"
    log = DecisionLog(path, max_bytes=4_000, keep=50, batch=3, interval=60)
    for i in range(200):
        log.append({"n": i, "pad": "x" * 100})
    log.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) > 5 and all(f.stat().st_size <= 4_000 for f in files)
    numbers = sorted(line["n"] for f in files for line in _lines(f))
    assert numbers == list(range(200))
    newest = [line["n"] for line in _lines(path)]
    assert newest == sorted(newest) and newest[-1] == 199


def test_a_line_cut_by_a_crash_is_cut_back_when_the_log_opens(tmp_path):
    path = tmp_path / "decisions.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": 2}\n{"n": 3, "decis')
    log = DecisionLog(path)
    log.append({"n": 4})
    log.close()
    assert [line["n"] for line in _lines(path)] == [1, 2, 4]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", "from policylang.cli import main; main()", "serve",
                                str(POLICIES), "--port", str(port), "--log-level", "warning", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return process
        except OSError:
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "the service did not answer within 60 s"
            time.sleep(0.2)


def test_killing_the_server_mid_write_leaves_every_earlier_line_whole(tmp_path):
    """SIGKILL while large lines are being written: every line before the cut parses, and the
    log opened again is whole."""
    port = _free_port()
    path = tmp_path / "decisions.jsonl"
    process = _start(["--insecure-no-auth", "--decision-log", str(path), "--log-batch", "3", "--log-input"], port)
    body = json.dumps({"teachers": TEACHERS[:60], "schools": SCHOOLS}).encode()  # lines of about 100 kB
    stop = threading.Event()

    def ask():
        while not stop.is_set():
            request = urllib.request.Request(f"http://127.0.0.1:{port}{DECIDE}", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(request, timeout=30).read()
            except (urllib.error.URLError, ConnectionError, OSError):
                return

    clients = [threading.Thread(target=ask) for _ in range(4)]
    try:
        for c in clients:
            c.start()
        deadline = time.monotonic() + 120
        while (not path.exists() or path.stat().st_size < 1_500_000) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
        for c in clients:
            c.join(timeout=60)
    data = path.read_bytes()
    whole = data[:data.rfind(b"\n") + 1]
    lines = [json.loads(line) for line in whole.decode("utf-8").splitlines()]  # every line before the cut parses
    assert len(lines) >= 10 and all(len(line["decisions"]) == 60 for line in lines)
    DecisionLog(path).close()  # opened again: a cut line is cut back
    assert path.read_bytes() == whole


@pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None, reason="no Java here")
def test_the_java_example_of_the_docs_decides_with_a_token(tmp_path):
    """The java.net.http example of docs/service.md, compiled and run against the service."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "service.md").read_text(encoding="utf-8")
    block = re.search(r"```java\n(.*?)```", text, re.S)[1]
    imports = "\n".join(line for line in block.splitlines() if line.startswith("import "))
    body = "\n".join(line for line in block.splitlines() if not line.startswith("import "))
    port = _free_port()
    body = body.replace("https://policy.example.edu.cn", f"http://127.0.0.1:{port}")
    source = (f"{imports}\n\npublic class Example {{\n  public static void main(String[] args) throws Exception {{\n"
              f"{body}\n    System.out.println(response.statusCode());\n    System.out.println(response.body());\n"
              "  }\n}\n")
    (tmp_path / "Example.java").write_text(source, encoding="utf-8")
    subprocess.run(["javac", "-encoding", "UTF-8", "Example.java"], cwd=tmp_path, check=True, capture_output=True)
    process = _start(["--tokens", str(_tokens_file(tmp_path))], port)
    try:
        ran = subprocess.run(["java", "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "Example"], cwd=tmp_path,
                             capture_output=True, env=os.environ | {"POLICYLANG_TOKEN": HR}, timeout=120)
    finally:
        process.terminate()
        process.wait(timeout=20)
    status, answer = ran.stdout.decode("utf-8").split("\n", 1)
    assert status == "200", ran.stderr.decode()
    decided = json.loads(answer)["decisions"][0]
    assert decided["id"] == "T1" and decided["status"] in ("must_rotate", "eligible", "exempt", "not_eligible")
    assert decided["status_label"] in ("须交流", "可交流", "免于交流", "不在交流范围")  # (its Accept-Language: zh-CN)


def test_a_write_that_fails_part_way_leaves_no_half_line(tmp_path, monkeypatch):
    """A full disk: the batch that could not be written is lost (and logged), the lines before
    it and the batches after it are whole."""
    import policylang.service.decision_log as L

    path = tmp_path / "decisions.jsonl"
    log = DecisionLog(path, batch=10**6, interval=60)
    log.append({"n": 1})
    log.flush()
    real_write, calls = os.write, []

    def half_then_full(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(L.os, "write", half_then_full)
    log.append({"n": 2, "pad": "x" * 1000})
    with pytest.raises(OSError):
        log.flush()
    monkeypatch.setattr(L.os, "write", real_write)
    log.append({"n": 3})
    log.close()
    assert [line["n"] for line in _lines(path)] == [1, 3]


def test_every_answer_of_a_guarded_operation_is_in_the_openapi_document(guarded):
    """A Java or .NET client generated from /openapi.json knows every status it can get: the 401
    of no token, the 403 of a token held to other policies, the 404 of a policy not loaded."""
    document = guarded.get("/openapi.json").json()
    asked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation.get("security") == []:
                continue
            concrete = path.replace("{name}", "fujian_pilot_district")
            for headers in ({}, _as(HR)):
                status = guarded.request(method.upper(), concrete, json=ONE if method == "post" else None,
                                         headers=headers).status_code
                assert str(status) in operation["responses"], (method, path, status)
                asked += 1
            if "{name}" in path:
                absent = guarded.request(method.upper(), path.replace("{name}", "nosuch"), headers=_as(ADMIN),
                                         json=ONE if method == "post" else None).status_code
                assert absent == 404 and "404" in operation["responses"], (method, path, absent)
    assert asked >= 16


def test_a_token_granted_a_policy_the_folder_lacks_is_said_at_start(tmp_path, monkeypatch):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k["port"]))
    tokens = tmp_path / "tokens.toml"
    tokens.write_text(_tokens_file(tmp_path).read_text(encoding="utf-8").replace(
        'policies = ["fujian_pilot_district"]', 'policies = ["fujian_pilot_distrct", "miyun"]'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", str(POLICIES), "--tokens", str(tokens), "--port", "0"])
    assert result.exit_code == 0 and started, result.output
    assert (f"token `county-hr`: no policy `fujian_pilot_distrct` in {POLICIES} (did you mean "
            f"`fujian_pilot_district`?)") in result.stderr
    assert "?)\n令牌 `county-hr`：" in result.stderr and "miyun" not in result.stderr  # a policy it has is not named


def test_a_policy_file_linking_out_of_the_folder_is_not_read(tmp_path):
    """A `*.pol` link to a file elsewhere (`/etc/passwd`) was read, and its first word shown in a
    parse error to anyone who may list the policies; now nothing of it is read."""
    from policylang.service.registry import Registry

    folder, outside = tmp_path / "policies", tmp_path / "outside"
    folder.mkdir(), outside.mkdir()
    (outside / "secret.txt").write_text("SECRET_DB_PASSWORD=hunter2\n", encoding="utf-8")
    (folder / "leak.pol").symlink_to(outside / "secret.txt")
    shutil.copy(POLICIES / "fujian.pol", outside / "fujian.pol")
    (folder / "province.pol").symlink_to(outside / "fujian.pol")
    registry = Registry(folder)
    for name in ("leak", "province"):
        entry = registry.current[name]
        assert entry.policy is None and [e.code for e in entry.errors] == ["S010"]
        assert "outside the policy folder" in entry.errors[0].en and "SECRET" not in entry.errors[0].en


def test_a_policy_extending_a_file_outside_the_folder_is_refused_without_the_server_s_path(tmp_path):
    """R102 named the policy root as the server has it (`/srv/…/policies`), to anyone who may list
    the policies or reload them: now the folder is called so."""
    from policylang.service.registry import Registry

    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (folder / "county.pol").write_text('extends "../fujian.pol"\n\npolicy "县"\n  as of 2025-09-01\n', encoding="utf-8")
    entry = Registry(folder).current["county"]
    [error] = entry.errors
    assert error.code == "R102" and error.at.startswith("county.pol:")
    for message in (error.en, error.zh):
        assert str(tmp_path) not in message and "../fujian.pol" in message, message
    assert "outside the policy root `.` (the service's policy folder)" in error.en
    assert "不在政策根目录 `.`（服务的政策目录） 之内" in error.zh


def test_log_unmask_takes_a_policy_s_own_field_and_refuses_a_name_no_policy_declares(tmp_path):
    """A policy's own field (county_draft.pol's 患病证明) is masked by default; the operator may
    unmask it by name. A name neither the contract nor a served policy has is refused."""
    from click.testing import CliRunner

    from policylang.cli import cli

    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(POLICIES / "county_draft.pol", folder)
    log = str(tmp_path / "d.log")
    accepted = CliRunner().invoke(cli, ["serve", str(folder), "--log-unmask", "患病证明", "--insecure-no-auth",
                                        "--decision-log", log, "--port", "0", "--host", "256.0.0.1"])
    assert "--log-unmask" not in accepted.output  # accepted: what stops it is the address
    refused = CliRunner().invoke(cli, ["serve", str(folder), "--log-unmask", "患病证", "--insecure-no-auth",
                                       "--decision-log", log, "--port", "0"])
    assert refused.exit_code == 2
    assert "--log-unmask 患病证：既不是约定的列，也不是所提供政策自行声明的字段" in refused.output
    assert "患病证明" in refused.output
