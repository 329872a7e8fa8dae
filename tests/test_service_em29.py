"""The embedder's trial em29: a batch of 10,000 answered 5.8 MB of JSON uncompressed, a gzip'd
request body (what a Java or .NET client set to compress sends) was refused, and a browser page of
the county's HR system on another origin could not call the service at all. Answers are gzip'd for
a client that accepts it; a gzip'd body is read, counted decompressed against the limit; and
``--cors-origin`` lets named origins' pages call it."""

from __future__ import annotations

import gzip
import hashlib
import json
import tracemalloc
import zlib

import pytest

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402
from policylang.service.decision_log import DecisionLog  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402
from .test_service import SCHOOLS, TEACHERS  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"
EVALUATE = "/v1/policies/fujian_pilot_district/evaluate"
BATCH = {"teachers": TEACHERS, "schools": SCHOOLS}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(POLICIES, max_body=2_000_000, max_upload=2_000_000)) as c:
        yield c


def _raw(client, method, url, **kwargs):
    """The answer as sent, its body not decoded (httpx would gunzip it): (response, bytes)."""
    with client.stream(method, url, **kwargs) as answer:
        return answer, b"".join(answer.iter_raw())


def test_a_large_answer_is_gzipd_for_a_client_that_accepts_it(client):
    plain, plain_body = _raw(client, "POST", DECIDE, json=BATCH, headers={"Accept-Encoding": "identity"})
    zipped, zipped_body = _raw(client, "POST", DECIDE, json=BATCH, headers={"Accept-Encoding": "gzip, deflate"})
    assert plain.status_code == zipped.status_code == 200
    assert "content-encoding" not in plain.headers and int(plain.headers["content-length"]) == len(plain_body)
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) == len(zipped_body) < len(plain_body) / 5
    assert gzip.decompress(zipped_body) == plain_body
    # the answer's own headers stay, and a cache between is told it varies by both
    assert zipped.headers["x-policy-version"] == plain.headers["x-policy-version"]
    assert {v.strip() for v in zipped.headers["vary"].split(",")} == {"Accept-Language", "Accept-Encoding"}


@pytest.mark.parametrize("accept", ["gzip;q=0", "br", "identity", "deflate, gzip;q=0, *"])
def test_gzip_is_not_sent_to_a_client_that_does_not_take_it(client, accept):
    answer, body = _raw(client, "POST", DECIDE, json=BATCH, headers={"Accept-Encoding": accept})
    assert "content-encoding" not in answer.headers and json.loads(body)["decisions"]


@pytest.mark.parametrize("accept", ["GZIP", "x-gzip", "*", "br;q=1, gzip;q=0.1"])
def test_gzip_is_sent_to_a_client_naming_it_otherwise(client, accept):
    answer, _ = _raw(client, "POST", DECIDE, json=BATCH, headers={"Accept-Encoding": accept})
    assert answer.headers["content-encoding"] == "gzip"


def test_a_small_answer_and_a_head_are_answered_as_they_were(client):
    small, _ = _raw(client, "GET", "/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    got, _ = _raw(client, "GET", "/v1/policies", headers={"Accept-Encoding": "gzip"})
    head, head_body = _raw(client, "HEAD", "/v1/policies", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head_body == b""
    # a HEAD says the headers the GET would: its Content-Length is the gzip'd answer's
    assert {k: head.headers[k] for k in ("content-encoding", "content-length")} == \
        {k: got.headers[k] for k in ("content-encoding", "content-length")}


def test_a_large_refusal_is_gzipd_and_reads_as_one(client):
    bad = [dict(t, birth_date="1980-13-01") for t in TEACHERS]
    answer, body = _raw(client, "POST", DECIDE, json={"teachers": bad, "schools": SCHOOLS},
                        headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 422 and answer.headers["content-encoding"] == "gzip"
    assert {e["code"] for e in json.loads(gzip.decompress(body))["errors"]} == {"R002"}


def _upload(client, fmt: str, accept: str):
    files = {"teachers": ("teachers.csv", (EXAMPLES / "teachers.csv").read_bytes()),
             "schools": ("schools.csv", (EXAMPLES / "schools.csv").read_bytes())}
    return _raw(client, "POST", f"{EVALUATE}?format={fmt}", files=files, headers={"Accept-Encoding": accept})


def test_a_streamed_decisions_file_is_gzipd_as_text_and_left_alone_as_a_workbook(client):
    plain, plain_body = _upload(client, "csv", "identity")
    zipped, zipped_body = _upload(client, "csv", "gzip")
    assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
    assert "content-length" not in zipped.headers  # sent chunked: its length is known only at the end
    assert gzip.decompress(zipped_body) == plain_body and int(plain.headers["content-length"]) == len(plain_body)
    assert zipped.headers["x-decided"] == plain.headers["x-decided"] == "400"
    workbook, workbook_body = _upload(client, "xlsx", "gzip")  # a zip already: gzip would only cost CPU
    assert "content-encoding" not in workbook.headers
    assert int(workbook.headers["content-length"]) == len(workbook_body) and workbook_body[:2] == b"PK"


def _gzip_members(data: bytes, parts: int) -> bytes:
    """``data`` as a gzip stream of ``parts`` members (as `cat a.gz b.gz` makes one)."""
    step = -(-len(data) // parts)
    return b"".join(gzip.compress(data[i:i + step]) for i in range(0, len(data), step))


def test_a_gzipd_body_is_decided_as_the_same_body_sent_plain(client):
    body = json.dumps(BATCH, ensure_ascii=False).encode()
    plain = client.post(DECIDE, content=body, headers=JSON).json()
    for coding, sent in (("gzip", gzip.compress(body)), ("x-gzip", gzip.compress(body)),
                         ("identity, gzip", gzip.compress(body)), ("GZIP", _gzip_members(body, 3))):
        answer = client.post(DECIDE, content=sent, headers=JSON | {"Content-Encoding": coding})
        assert answer.status_code == 200, (coding, answer.text)
        assert answer.json() == plain


@pytest.mark.parametrize("coding", ["br", "deflate", "gzip, gzip", "compress"])
def test_a_body_compressed_otherwise_is_refused_naming_what_is_taken(client, coding):
    body = json.dumps(BATCH).encode()
    answer = client.post(DECIDE, content=body, headers=JSON | {"Content-Encoding": coding})
    assert answer.status_code == 415 and answer.headers["accept-encoding"] == "gzip, identity"
    error = answer.json()["errors"][0]
    assert error["code"] == "S016" and error["column"] == "Content-Encoding"
    assert f"Content-Encoding: {coding}" in error["message"]["en"] and "gzip" in error["message"]["zh"]


@pytest.mark.parametrize("sent, said", [
    (b"{\"teachers\": []}", "not gzip data"),  # declared gzip, sent plain
    (gzip.compress(json.dumps(BATCH).encode(), mtime=0)[:5000], "cut off"),
    (gzip.compress(b"{}", mtime=0) + b"trailing", "not gzip data"),
    (b"", "cut off"),
])
def test_a_body_declared_gzip_that_is_none_is_refused_as_such(client, sent, said):
    answer = client.post(DECIDE, content=sent, headers=JSON | {"Content-Encoding": "gzip"})
    assert answer.status_code == 400, answer.text
    error = answer.json()["errors"][0]
    assert error["code"] == "S028" and said in error["message"]["en"] and "无法解压" in error["message"]["zh"]


def _bomb(size: int) -> bytes:
    """``size`` bytes of zeros gzip'd (about a thousandth of it), never held whole."""
    packer, out = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS), []
    zeros = bytes(1 << 20)
    for _ in range(size >> 20):
        out.append(packer.compress(zeros))
    return b"".join(out) + packer.flush()


def test_a_zip_bomb_is_refused_at_the_limit_counted_decompressed_without_holding_it(client):
    bomb = _bomb(512 << 20)  # 512 MiB of zeros in about 500 KB: under the limit of 2 MB as sent
    assert len(bomb) < 2_000_000
    tracemalloc.start()
    try:
        answer = client.post(DECIDE, content=bomb, headers=JSON | {"Content-Encoding": "gzip"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer.status_code == 413
    error = answer.json()["errors"][0]
    assert error["code"] == "S002" and "decompressed is larger than 2000000 bytes" in error["message"]["en"]
    assert "解压后" in error["message"]["zh"]
    assert peak < 16 << 20  # the limit, a slice and the bomb itself, not its 512 MiB


def _form(parts: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "em29boundary"
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n"
                    for name, (filename, data) in parts.items()) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_gzipd_upload_is_read_and_its_bomb_refused_by_the_upload_limit(client):
    body, media = _form({"teachers": ("teachers.csv", (EXAMPLES / "teachers.csv").read_bytes()),
                         "schools": ("schools.csv", (EXAMPLES / "schools.csv").read_bytes())})
    plain = client.post(EVALUATE, content=body, headers={"Content-Type": media})
    zipped = client.post(EVALUATE, content=gzip.compress(body), headers={"Content-Type": media,
                                                                          "Content-Encoding": "gzip"})
    assert zipped.status_code == plain.status_code == 200 and zipped.content == plain.content
    head = _form({"teachers": ("teachers.csv", b"")})[0].partition(b"\r\n\r\n")[0] + b"\r\n\r\n"
    bomb = client.post(EVALUATE, content=gzip.compress(head) + _bomb(64 << 20),  # a file of zeros, never ending
                       headers={"Content-Type": media, "Content-Encoding": "gzip"})
    assert bomb.status_code == 413
    assert "files uploaded are decompressed larger than" in bomb.json()["errors"][0]["message"]["en"]


def test_the_log_hashes_a_gzipd_body_as_the_json_it_holds(tmp_path):
    body = json.dumps({"teachers": TEACHERS[:2], "schools": SCHOOLS}).encode()
    path = tmp_path / "decisions.jsonl"
    with TestClient(create_app(POLICIES, decision_log=DecisionLog(path, batch=1))) as c:
        assert c.post(DECIDE, content=gzip.compress(body), headers=JSON | {"Content-Encoding": "gzip"}).status_code == 200
        assert c.post(DECIDE, content=body, headers=JSON).status_code == 200
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["input_sha256"] for line in lines] == [hashlib.sha256(body).hexdigest()] * 2


HR = "https://hr.example.edu.cn"


@pytest.fixture(scope="module")
def cors_client():
    with TestClient(create_app(POLICIES, cors_origins=(HR, "http://10.1.2.3:8080"))) as c:
        yield c


def test_a_preflight_from_a_named_origin_is_answered(cors_client):
    answer = cors_client.options(DECIDE, headers={
        "Origin": HR, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, accept-language, content-encoding"})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == HR
    allowed = {h.strip().lower() for h in answer.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "accept-language", "content-encoding"} <= allowed
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in answer.headers


def test_a_page_on_the_internet_may_reach_the_service_on_the_county_s_network(cors_client):
    answer = cors_client.options(DECIDE, headers={"Origin": HR, "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Private-Network": "true"})
    assert answer.status_code == 200 and answer.headers["access-control-allow-private-network"] == "true"


def test_a_call_from_a_named_origin_may_read_the_answer_and_its_headers(cors_client):
    answer = cors_client.post(DECIDE, json={"teachers": TEACHERS[:1], "schools": SCHOOLS}, headers={"Origin": HR})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == HR
    exposed = {h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")}
    assert {"x-policy-version", "content-language", "x-warnings", "x-decided"} <= exposed
    refused = cors_client.post(DECIDE, json={"teachers": [{"id": "T1"}]}, headers={"Origin": HR})
    assert refused.status_code == 422 and refused.headers["access-control-allow-origin"] == HR  # its errors readable


def test_another_origin_is_not_let_in(cors_client, client):
    preflight = cors_client.options(DECIDE, headers={"Origin": "https://evil.example.com",
                                                     "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers
    error = preflight.json()["errors"][0]  # said as the service says a refusal, for the page's developer
    # the origins allowed are not listed to any page that asks (a preflight needs no token: review rv27b)
    assert (error["code"], error["column"]) == ("S029", "Origin") and HR not in str(error["message"])
    assert "来源 https://evil.example.com 的网页不能调用本服务" in error["message"]["zh"]
    asked = cors_client.options(DECIDE, headers={"Origin": HR, "Access-Control-Request-Method": "DELETE",
                                                 "Access-Control-Request-Headers": "authorization, x-trace-id"})
    assert asked.status_code == 400
    assert [e["column"] for e in asked.json()["errors"]] == ["Access-Control-Request-Method",
                                                             "Access-Control-Request-Headers"]
    assert "x-trace-id" in asked.json()["errors"][1]["message"]["en"]
    call = cors_client.post(DECIDE, json={"teachers": []}, headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in call.headers
    # without --cors-origin no page of another origin is let in, and a preflight is no route
    none = client.options(DECIDE, headers={"Origin": HR, "Access-Control-Request-Method": "POST"})
    assert none.status_code == 405 and "access-control-allow-origin" not in none.headers


def test_a_preflight_needs_no_token(tmp_path):
    from policylang.service.auth import Tokens, token_hash

    path = tmp_path / "tokens.toml"
    path.write_text(f'[[token]]\nid = "hr"\nsha256 = "{token_hash("hr-token")}"\npolicies = ["*"]\n'
                    'operations = ["*"]\n', encoding="utf-8")
    with TestClient(create_app(POLICIES, tokens=Tokens.read(path), cors_origins=(HR,))) as c:
        preflight = c.options(DECIDE, headers={"Origin": HR, "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "authorization"})
        assert preflight.status_code == 200  # a browser sends no Authorization with a preflight
        refused = c.post(DECIDE, json={"teachers": []}, headers={"Origin": HR})
        assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == HR


@pytest.mark.parametrize("origin, said", [
    ("*", "name each origin"), ("https://hr.example.edu.cn/", "no path"), ("hr.example.edu.cn", "scheme://host"),
    ("https://hr.example.edu.cn/app", "https://hr.example.edu.cn"),
    # as a browser never sends them (review rv27b): the scheme's own port, a host not in ASCII
    ("https://hr.example.edu.cn:443", "without the scheme's own port: https://hr.example.edu.cn"),
    ("http://10.1.2.3:80", "http://10.1.2.3"), ("https://人事.example.cn", "https://xn--"),
])
def test_serve_refuses_an_origin_no_browser_sends(origin, said):
    from click.testing import CliRunner

    from policylang.cli import cli

    result = CliRunner().invoke(cli, ["serve", str(POLICIES), "--insecure-no-auth", "--cors-origin", origin])
    assert result.exit_code == 2 and said in result.output and "来源" in result.output


def test_an_empty_php_array_is_no_parameters_and_a_list_is_refused_saying_how_php_writes_an_object(client):
    # PHP's json_encode writes an empty array as [], whether it was meant as a list or as names to values
    plain = client.post(DECIDE, json={"teachers": TEACHERS[:3], "schools": SCHOOLS}).json()
    for key in ("params", "assume"):
        answer = client.post(DECIDE, json={"teachers": TEACHERS[:3], "schools": SCHOOLS, key: []})
        assert answer.status_code == 200 and answer.json() == plain
    diff = client.post("/v1/diff", json={"base": "fujian_pilot_district", "draft": "fujian_pilot_district",
                                         "teachers": TEACHERS[:3], "schools": SCHOOLS, "base_params": [],
                                         "draft_params": {"age_cap_female": 45}})
    assert diff.status_code == 200
    listed = client.post(DECIDE, json={"teachers": TEACHERS[:3], "schools": SCHOOLS, "params": [45]})
    error = listed.json()["errors"][0]
    assert listed.status_code == 422 and (error["code"], error["column"]) == ("S005", "params")
    assert "JSON_FORCE_OBJECT" in error["message"]["en"] and "JSON_FORCE_OBJECT" in error["message"]["zh"]


def test_a_php_array_posted_as_a_form_is_refused_saying_to_json_encode_it(client):
    # curl_setopt($ch, CURLOPT_POSTFIELDS, $body) with $body an array sends multipart/form-data
    answer = client.post(DECIDE, data={"teachers": "x"}, files={"schools": ("s", b"y")})
    error = answer.json()["errors"][0]
    assert answer.status_code == 415 and error["code"] == "S016"
    assert "json_encode($body)" in error["message"]["en"] and "json_encode($body)" in error["message"]["zh"]


def test_a_stream_of_empty_gzip_members_is_bounded_by_what_was_sent(client):
    """Review rv27b: only decompressed bytes were counted, and 3 MB of empty gzip members (20 bytes each,
    nothing out) under a 2 MB limit was answered 'the body is empty' after inflating them all; what is
    sent counts too, and so does the number of members a body holds."""
    empty = gzip.compress(b"")
    answer = client.post(DECIDE, content=empty * (3_000_000 // len(empty)), headers=JSON | {"Content-Encoding": "gzip"})
    assert answer.status_code == 413 and answer.json()["errors"][0]["code"] == "S002"
    tiny = b"".join(gzip.compress(b" ") for _ in range(5_000)) + gzip.compress(json.dumps(BATCH).encode())
    answer = client.post(DECIDE, content=tiny, headers=JSON | {"Content-Encoding": "gzip"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == "S028"
    # a body of a few members, as pigz or bgzip write one, is read as it is
    text = json.dumps(BATCH).encode()
    step = len(text) // 4 + 1
    members = b"".join(gzip.compress(text[k:k + step]) for k in range(0, len(text), step))
    plain = client.post(DECIDE, json=BATCH).json()
    assert client.post(DECIDE, content=members, headers=JSON | {"Content-Encoding": "gzip"}).json() == plain
