"""The embedder's trial em28 (a Java or .NET client of the service): the answer's language was
chosen by `?lang=` alone, and a client that sets `Accept-Language` once for every request (a
browser, Spring's `HttpHeaders.setAcceptLanguageAsLocales`, .NET's `DefaultRequestHeaders.AcceptLanguage`)
was answered in English; an empty body, a .NET upload of files with Chinese names, an explained
early start. Each test failed before its fix."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402
from policylang.service.body import accepted_language  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402
from .test_service import _EVERY_V1, SCHOOLS, TEACHERS  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"
EVALUATE = "/v1/policies/fujian_pilot_district/evaluate"
ONE = {"teachers": TEACHERS[:1], "schools": SCHOOLS}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(POLICIES, max_batch=500, max_body=2_000_000)) as c:
        yield c


@pytest.mark.parametrize("header, chosen", [
    ("zh-CN", "zh"), ("zh-TW", "zh"), ("zh-Hans-CN", "zh"), ("zh_CN", "zh"), ("ZH-cn", "zh"),
    ("en-US,en;q=0.9", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),  # a Chinese browser's
    ("en-GB;q=0.8, zh-CN;q=0.9", "zh"),  # the higher q, not the first named
    ("en ; q = 0.7 , zh ; q=0.8", "zh"),
    ("fr-FR, zh;q=0.5", "zh"),  # a language not served passed over
    ("zh;q=0.5, en;q=0.5", "zh"), ("en;q=0.5, zh;q=0.5", "en"),  # weighed alike: the first named
    ("*;q=0.5, en;q=0", "zh"),  # not English, anything else
    ("*, zh", "zh"),  # named beats `*` at the same weight
    ("zh;q=abc, en", "en"), ("zh;q=2", None),  # a malformed range passed over, never refused
    (None, None), ("", None), ("*", None), ("fr-FR", None), ("de-DE,de;q=0.9,*;q=0.1", None),
    ("en;q=0", None), ("zh;q=0, en;q=0", None), (";;,,", None),
])
def test_accept_language_is_read_by_language_and_weight(header, chosen):
    assert accepted_language(header) == chosen


def _labels(answer) -> list[str]:
    return [d["status_label"] for d in answer.json()["decisions"]]


def test_decide_answers_in_the_language_accept_language_prefers_and_says_which(client):
    english, chinese = client.post(DECIDE, json=ONE), client.post(DECIDE + "?lang=zh", json=ONE)
    assert _labels(english) != _labels(chinese)
    asked = client.post(DECIDE, json=ONE, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert asked.status_code == 200 and _labels(asked) == _labels(chinese)
    assert asked.headers["content-language"] == "zh" and "Accept-Language" in asked.headers["vary"]
    assert english.headers["content-language"] == "en"
    explained = client.post(DECIDE + "?explain", json=ONE, headers={"Accept-Language": "zh-Hans"}).json()
    assert explained["decisions"][0]["explanation"]["text"] == \
        client.post(DECIDE + "?explain&lang=zh", json=ONE).json()["decisions"][0]["explanation"]["text"]
    # ?lang= wins over the header, whichever way round
    assert _labels(client.post(DECIDE + "?lang=en", json=ONE, headers={"Accept-Language": "zh-CN"})) == _labels(english)
    assert _labels(client.post(DECIDE + "?lang=zh", json=ONE, headers={"Accept-Language": "en-US"})) == _labels(chinese)
    # a language not served is a preference the service cannot meet, not a refusal: the default stands
    other = client.post(DECIDE, json=ONE, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert other.status_code == 200 and _labels(other) == _labels(english)
    assert other.headers["content-language"] == "en"


def _files(teachers=EXAMPLES / "teachers.csv", schools=EXAMPLES / "schools.csv"):
    return {"teachers": (teachers.name, teachers.read_bytes()), "schools": (schools.name, schools.read_bytes())}


def test_evaluate_writes_the_file_in_the_language_lang_asks_not_accept_language(client):
    """A decisions file's columns are a contract programs read (id, status, must_rotate): its language is
    asked with ?lang=, or follows the roster's, as eval's; an Accept-Language a browser or an HTTP stack
    sends unasked does not turn an English roster's CSV into 工号,结论 (review rv27)."""
    plain = client.post(EVALUATE, files=_files())
    assert plain.content.decode("utf-8-sig").startswith("id,") and plain.headers["content-language"] == "en"
    unasked = client.post(EVALUATE, files=_files(), headers={"Accept-Language": "zh-CN"})
    assert unasked.status_code == 200, unasked.text[:300]
    assert unasked.content == plain.content and unasked.headers["content-language"] == "en"
    assert "Accept-Language" not in unasked.headers.get("vary", "")
    asked = client.post(EVALUATE + "?lang=zh", files=_files(), headers={"Accept-Language": "en-US"})
    assert asked.content.decode("utf-8-sig").startswith("工号,结论") and asked.headers["content-language"] == "zh"


def test_evaluate_of_a_chinese_roster_keeps_its_default_unless_a_language_is_asked(client):
    """Without ?lang= the workbook of a Chinese roster is Chinese, as eval writes it, whatever
    Accept-Language says; ?lang=en asks for English."""
    from openpyxl import load_workbook

    chinese = _files(EXAMPLES / "teachers_zh.csv", EXAMPLES / "schools_zh.csv")

    def header(answer) -> tuple:
        assert answer.status_code == 200, answer.text[:300]
        sheet = load_workbook(io.BytesIO(answer.content), read_only=True).worksheets[0]
        return next(sheet.iter_rows(max_row=1, values_only=True))[:2]

    path = "/v1/policies/miyun/evaluate?format=xlsx"
    for said in (None, "fr-FR", "*", "en-US,en;q=0.9,zh;q=0.5"):
        answer = client.post(path, files=chinese, headers={"Accept-Language": said} if said else {})
        assert header(answer) == ("工号", "结论") and answer.headers["content-language"] == "zh", said
    english = client.post(path + "&lang=en", files=chinese)
    assert header(english) == ("id", "status") and english.headers["content-language"] == "en"


# every /v1 operation but the two whose answer is in one language
_BILINGUAL = [case for case in _EVERY_V1 if not case[1].endswith(("/decide", "/evaluate"))]


@pytest.mark.parametrize("method, path, kwargs", _BILINGUAL, ids=[f"{m} {p}" for m, p, _ in _BILINGUAL])
def test_an_answer_in_both_languages_takes_any_accept_language_and_is_the_same(client, method, path, kwargs):
    plain = client.request(method, path, **kwargs)
    assert plain.status_code == 200, plain.text[:300]
    for said in ("zh-CN", "en-US", "fr-FR", "zh;q=oops"):
        asked = client.request(method, path, headers={"Accept-Language": said}, **kwargs)
        assert asked.status_code == 200, (said, asked.text[:300])
        assert "content-language" not in asked.headers  # (it says both)
        if path != "/v1/reload":  # (a reload's generation moves on)
            assert asked.json() == plain.json(), said


def test_the_document_says_accept_language_and_the_answers_content_language(client):
    document = client.get("/openapi.json").json()
    for path in (DECIDE, EVALUATE):
        operation = document["paths"][path.replace("fujian_pilot_district", "{name}")]["post"]
        lang = next(p for p in operation["parameters"] if p["name"] == "lang")
        assert "Accept-Language" in lang["description"] + lang["schema"]["description"]
        headers = operation["responses"]["200"]["headers"]
        assert headers["Content-Language"]["schema"]["enum"] == ["en", "zh"]
        assert ("Vary" in headers) is (path == DECIDE)  # (evaluate's file does not vary by it)
    assert "Accept-Language" in document["info"]["description"]


@pytest.mark.parametrize("sent", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_an_empty_body_is_said_to_be_empty(client, sent):
    """.NET's `PostAsync(url, null)` and Java's `BodyPublishers.noBody()` send no body: the answer
    was "line 1, column 1: a value is expected", as of a body with a typo at its start."""
    answer = client.post(DECIDE, content=sent, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert error["code"] == "S003" and "empty" in error["message"]["en"] and "请求体为空" in error["message"]["zh"]


def _dotnet_form(files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A form as .NET's MultipartFormDataContent writes it: a quoted boundary, unquoted part names,
    a file name that is not ASCII as an RFC 2047 encoded word beside its `filename*`, and a
    StreamContent's application/octet-stream."""
    import base64
    from urllib.parse import quote

    boundary = "8f2a0e0c-1b7e-4b9e-9c3f-5d2f7c1e0a11"
    body = b""
    for part, (name, data) in files.items():
        word = "=?utf-8?B?" + base64.b64encode(name.encode()).decode() + "?="
        body += (f"--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; "
                 f"name={part}; filename=\"{word}\"; filename*=utf-8''{quote(name)}\r\n\r\n").encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f'multipart/form-data; boundary="{boundary}"'


def test_an_upload_of_files_with_chinese_names_from_dotnet_is_read_by_their_suffix(client):
    """.NET writes 花名册.xlsx as `filename="=?utf-8?B?…?="`: the service read no suffix in it and
    refused the roster, 415 `a roster is a .csv … file, not =?utf-8?B?6Iqx5ZCN5YaMLnhsc3g=?=`."""
    from openpyxl import load_workbook

    body, content_type = _dotnet_form({"teachers": ("花名册.csv", (EXAMPLES / "teachers_zh.csv").read_bytes()),
                                       "schools": ("学校名册.csv", (EXAMPLES / "schools_zh.csv").read_bytes())})
    answer = client.post("/v1/policies/miyun/evaluate?format=xlsx", content=body,
                         headers={"content-type": content_type})
    assert answer.status_code == 200, answer.text[:500]
    made = load_workbook(io.BytesIO(answer.content), read_only=True)["说明"]
    said = " ".join(str(c) for row in made.iter_rows(values_only=True) for c in row if c)
    assert "花名册.csv" in said and "学校名册.csv" in said and "=?utf-8?" not in said


def test_an_explained_batch_says_an_early_start_in_its_answer_not_on_the_console(client):
    """The API now warns of a teacher at the school before starting work (R050); the service, which
    explains each person through it, says it once in the answer's `warnings`, and no Python warning
    a person reaches the server's console."""
    import warnings

    teachers = [dict(t) for t in TEACHERS[:3]]
    teachers[1]["school_start"], teachers[1]["work_start"] = teachers[1]["work_start"], teachers[1]["school_start"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = client.post(DECIDE + "?explain", json={"teachers": teachers, "schools": SCHOOLS})
    assert answer.status_code == 200, answer.text[:300]
    assert [(w["code"], w["rows"]) for w in answer.json()["warnings"]] == [("R050", [2])]
    assert not [w for w in caught if "school_start" in str(w.message)]


def test_a_camel_case_key_names_the_net_setting_too(client):
    """.NET's PostAsJsonAsync serializes with the web defaults, camelCase (`birthDate`), as Jackson
    does: the hint named Jackson's setting alone, no help to a .NET client."""
    teachers = [{"".join(w.title() if i else w for i, w in enumerate(k.split("_"))): v for k, v in TEACHERS[0].items()}]
    answer = client.post(DECIDE, json={"teachers": teachers, "schools": SCHOOLS})
    said = next(e for e in answer.json()["errors"] if e.get("column") == "birth_date")
    assert said["unknown_key"] == "birthDate"
    for lang in ("en", "zh"):
        assert "PostAsJsonAsync" in said["message"][lang] and "JsonNamingPolicy.SnakeCaseLower" in said["message"][lang]
        assert "PropertyNamingStrategies.SNAKE_CASE" in said["message"][lang]
