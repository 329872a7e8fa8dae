"""`policylang serve` as another system's code calls it (a Java HttpClient, Jackson, curl): what
it declares and sends is either read as meant or refused saying why, in both languages."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402
from policylang.service.decide import SMALL_BATCH  # noqa: E402

from .conftest import POLICIES, ROOT  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"
TEACHER = {"id": "T1", "sex": "F", "birth_date": "1978-05-01", "school_id": "S1", "school_start": "2015-09-01",
           "work_start": "2000-09-01", "post": "teacher", "post_start": "2015-09-01", "teaching": True,
           "on_staff": True, "title": "first", "pregnant": False, "rural_years": 0, "weak_years": 0,
           "schools_served": 1, "surplus_subject": False}
SCHOOL = {"school_id": "S1", "area": "urban", "stage": "primary", "staffing": "normal"}
BODY = {"teachers": [TEACHER], "schools": [SCHOOL], "as_of": "2025-09-01"}
DIFF = {"base": "fujian", "draft": "fujian_pilot_district", "teachers": [TEACHER], "schools": [SCHOOL]}
# each JSON endpoint, with a body it answers 200
JSON_ENDPOINTS = [(DECIDE, BODY), ("/v1/policies/fujian_pilot_district/quota", BODY), ("/v1/diff", DIFF)]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(POLICIES)) as c:
        yield c


def _errors(response) -> list[dict]:
    return response.json()["errors"]


# ---- the body's media type and encoding --------------------------------------------------------


@pytest.mark.parametrize("path, body", JSON_ENDPOINTS)
@pytest.mark.parametrize("declared", ["text/plain", "application/xml", "application/x-www-form-urlencoded",
                                      "multipart/form-data; boundary=x"])
def test_a_body_declared_as_no_json_is_refused_415(client, path, body, declared):
    """A valid body sent as text, XML, a form was decided all the same (200)."""
    answer = client.post(path, content=json.dumps(body), headers={"content-type": declared})
    assert answer.status_code == 415, answer.text
    (error,) = _errors(answer)
    assert error["code"] == "S016" and declared.split(";")[0] in error["message"]["en"]
    assert "Content-Type: application/json" in error["message"]["zh"]
    if declared == "application/x-www-form-urlencoded":  # what curl -d sends unless told otherwise
        assert "-H 'Content-Type: application/json'" in error["message"]["en"]


@pytest.mark.parametrize("path, body", JSON_ENDPOINTS)
@pytest.mark.parametrize("declared", [None, "application/json", "application/json; charset=utf-8",
                                      "Application/JSON;charset=UTF-8", "application/vnd.policylang+json"])
def test_json_and_no_declared_type_are_read(client, path, body, declared):
    headers = {"content-type": declared} if declared else {}
    answer = client.post(path, content=json.dumps(body).encode(), headers=headers)
    assert answer.status_code == 200, answer.text


def test_a_body_in_another_charset_is_told_the_service_reads_utf8_only(client):
    gbk = json.dumps(BODY | {"teachers": [TEACHER | {"name": "张三"}]}, ensure_ascii=False).encode("gbk")
    answer = client.post(DECIDE, content=gbk, headers={"content-type": "application/json; charset=GBK"})
    assert answer.status_code == 400
    (error,) = _errors(answer)
    en, zh = error["message"]["en"], error["message"]["zh"]
    assert error["code"] == "S003" and "charset=GBK" in en and "charset=GBK" in zh
    assert "UTF-8 only" in en and "只接受 UTF-8" in zh
    byte = gbk.index("张".encode("gbk"))
    assert f"byte {byte + 1} (0x{gbk[byte]:02X}) cannot be read as UTF-8" in en  # (it stopped at "byte N is not")
    # a charset that changes nothing (RFC 8259: JSON is UTF-8) is no refusal
    ascii_ = client.post(DECIDE, content=json.dumps(BODY).encode(), headers={"content-type": "application/json; "
                                                                                               "charset=ISO-8859-1"})
    assert ascii_.status_code == 200


def test_a_utf8_byte_order_mark_is_let_pass(client):
    answer = client.post(DECIDE, content=b"\xef\xbb\xbf" + json.dumps(BODY).encode(),
                         headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text
    utf16 = client.post(DECIDE, content=json.dumps(BODY).encode("utf-16"), headers={"content-type": "application/json"})
    assert utf16.status_code == 400 and "UTF-16" in _errors(utf16)[0]["message"]["en"]


# Python's json module's own words: the caller is owed the service's, in both languages
PYTHON_WORDS = re.compile(r"Expecting|Unterminated|Invalid|Extra data|delimiter|BOM|utf-8-sig")


@pytest.mark.parametrize("body, at, said", [
    (b'{"teachers": [{"id": "T1}]}', b'"T1', "the text that begins here has no closing"),
    (b'{"teachers": [1 2]}', b"2]", "`,` or the end of the list or object is expected"),
    (b'{"teachers": [], }', b"}", "a key in double quotes is expected"),
    (b'{teachers: []}', b"teachers", "a key in double quotes is expected"),
    (b'{"teachers" []}', b"[", "`:` is expected after the key"),
    (b'{"teachers": []} []', b" []", "more follows the end"),
    (b'{"teachers": ["\\x"]}', b"\\x", "`\\` begins no escape JSON has"),
    (b"   x", b"x", "a value is expected"),  # (an empty body is said to be empty: test_service_em28)
])
def test_a_body_that_is_no_json_is_told_in_the_service_s_words(client, body, at, said):
    answer = client.post(DECIDE, content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    (error,) = _errors(answer)
    en, zh = error["message"]["en"], error["message"]["zh"]
    column = body.rindex(at) + 1 + (at == b" []")  # (extra data is said where it begins, after the space)
    assert error["code"] == "S003" and f"line 1, column {column}: {said}" in en, en
    assert f"第 1 行第 {column} 列，" in zh and not PYTHON_WORDS.search(en + zh)


def test_a_number_out_of_range_is_said_to_be_out_of_range(client):
    """1e400 is a number (Python reads it as infinity): it was refused as being no number."""
    raw = json.dumps(BODY).replace('"rural_years": 0', '"rural_years": 1e400').encode()
    (error,) = _errors(client.post(DECIDE, content=raw, headers={"content-type": "application/json"}))
    assert (error["code"], error["row"], error["column"], error["table"]) == ("S006", 1, "rural_years", "teachers")
    assert "out of range (`1e400`" in error["message"]["en"] and "超出范围" in error["message"]["zh"]
    raw = json.dumps(BODY | {"params": {"age_cap_female": 45}}).replace("45", "-1E+999").encode()
    (error,) = _errors(client.post(DECIDE, content=raw, headers={"content-type": "application/json"}))
    assert error["code"] == "S006" and error["column"] == "age_cap_female" and "`-1E+999`" in error["message"]["en"]
    raw = json.dumps(BODY).replace('"rural_years": 0', '"rural_years": ' + "9" * 5000).encode()
    answer = client.post(DECIDE, content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 422 and _errors(answer)[0]["code"] == "S006"
    assert not PYTHON_WORDS.search(answer.text) and "Exceeds" not in answer.text


# ---- dates ------------------------------------------------------------------------------------

# each form a caller may write a day in, made of a day: as_of and a record's dates are read alike
DAY_FORMS = [lambda d: d.isoformat(), lambda d: f"{d.year}/{d.month}/{d.day}", lambda d: f"{d.year}.{d.month}.{d.day}",
             lambda d: f"{d.year}年{d.month}月{d.day}日", lambda d: d.strftime("%Y%m%d"), lambda d: int(d.strftime("%Y%m%d")),
             lambda d: f"{d}T00:00:00", lambda d: f"{d} 00:00", lambda d: f"{d}T00:00:00.000",
             lambda d: f"{d}T23:59:00", lambda d: f"{d}T00:00:00Z", lambda d: f"{d}T00:00:00+08:00",
             lambda d: d.strftime("%d/%m/%Y"), lambda d: float(d.strftime("%Y%m%d")) + 0.5, lambda d: True]


@pytest.mark.parametrize("form", DAY_FORMS, ids=lambda form: repr(form(dt.date(2025, 9, 1))))
def test_as_of_is_read_as_a_record_s_date_is(client, form):
    """`2025-09-01T00:00:00` was a reference date and 20250901 not, while a birth date took the
    number and refused the date-time; now a form is a day in both, or in neither."""
    as_of, birth = dt.date(2025, 9, 1), dt.date(1978, 5, 1)
    by_as_of = client.post(DECIDE, json=BODY | {"as_of": form(as_of)})
    by_record = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": form(birth)}]})
    assert (by_as_of.status_code == 200) == (by_record.status_code == 200), (by_as_of.text, by_record.text)
    if by_as_of.status_code == 200:
        assert by_as_of.json()["decisions"][0]["as_of"] == "2025-09-01"
    else:
        (error,) = _errors(by_as_of)
        assert error["code"] == "S009" and error["column"] == "as_of"
        # the refusal lists what is taken: every form a record's date is read in, but a month
        assert "YYYYMMDD, as text or as a number" in error["message"]["en"] and "20250901" in error["message"]["zh"]


@pytest.mark.parametrize("written, day", [("2025-09-01T23:59:00", "2025-09-01"), ("2025-09-01T00:00:00Z", "2025-09-01"),
                                          ("2025-08-31T16:00:00Z", "2025-09-01"), ("2025-09-01T00:00:00+08:00", "2025-09-01")])
def test_a_moment_for_a_day_is_told_which_day_it_is_in_beijing(client, written, day):
    """Java's Instant and OffsetDateTime write a moment: the decision is for a calendar day, in
    China Beijing time's (2025-08-31T16:00:00Z is 2025-09-01 00:00 there)."""
    (error,) = _errors(client.post(DECIDE, json=BODY | {"as_of": written}))
    assert f"send the day, {day}" in error["message"]["en"] and f"请写日期 {day}" in error["message"]["zh"]
    assert ("Beijing time" in error["message"]["en"]) == written.endswith(("Z", "+08:00"))


def test_a_month_is_no_reference_date_and_is_told_so(client):
    (error,) = _errors(client.post(DECIDE, json=BODY | {"as_of": "2025-09"}))
    assert "a month, and a decision is made for a day" in error["message"]["en"] and "只有年月" in error["message"]["zh"]


# ---- keys -------------------------------------------------------------------------------------


def _camel(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(word.title() for word in rest)


@pytest.mark.parametrize("size", [1, SMALL_BATCH + 1])  # person by person, and the columnar batch
def test_a_missing_column_names_the_key_that_looks_meant_for_it(client, size):
    """Jackson's default camelCase (birthDate, schoolId, onStaff) got ten 'required column
    `birth_date` is missing' and no word of the keys the request had instead."""
    teachers = [{_camel(k): (f"T{i}" if k == "id" else v) for k, v in TEACHER.items()} for i in range(size)]
    schools = [{_camel(k): v for k, v in SCHOOL.items()}]
    answer = client.post(DECIDE, json={"teachers": teachers, "schools": schools})
    assert answer.status_code == 422
    missing = [e for e in _errors(answer) if e["code"] in ("R001", "R011")]
    assert {e["column"] for e in missing if e["table"] == "teachers"} >= {"birth_date", "school_id", "on_staff"}
    for error in missing:
        assert error["unknown_key"] == _camel(error["column"]), error
        assert f"`{error['unknown_key']}`" in error["message"]["en"]
        assert f"“{error['unknown_key']}”" in error["message"]["zh"]
    said = next(e for e in missing if e["column"] == "birth_date")["message"]
    assert "PropertyNamingStrategies.SNAKE_CASE" in said["en"] and "“出生日期”" in said["zh"]


def test_a_pascal_case_key_is_named_with_the_net_serializer_s_setting(client):
    """System.Text.Json writes a .NET property's own name (BirthDate, SchoolId): the key was
    found, but the hint named Jackson's PropertyNamingStrategies, no help to a .NET client."""
    teachers = [{"".join(w.title() for w in k.split("_")): v for k, v in TEACHER.items()}]
    missing = {e["column"]: e for e in _errors(client.post(DECIDE, json=BODY | {"teachers": teachers}))
               if e["code"] in ("R001", "R011")}
    said = missing["birth_date"]
    assert said["unknown_key"] == "BirthDate" and "Jackson" not in said["message"]["en"] + said["message"]["zh"]
    assert 'JsonNamingPolicy.SnakeCaseLower, or [JsonPropertyName("birth_date")]' in said["message"]["en"]
    assert "JsonNamingPolicy.SnakeCaseLower" in said["message"]["zh"]


@pytest.mark.parametrize("size", [1, SMALL_BATCH + 1])
def test_a_code_sent_as_an_enum_s_number_says_so(client, size):
    """System.Text.Json writes a .NET enum as its number unless told otherwise (Jackson too, with
    WRITE_ENUMS_USING_INDEX): `"title": 3` was "not a valid title code", the client left to guess
    why. The refusal now says what wrote it and how to send the code; a file's "0" cell, and a
    code that is a number itself (retirement_category 55), are not so said."""
    teachers = [TEACHER | {"id": f"T{i}"} | ({"title": 3, "post": 0} if i == 0 else {}) for i in range(size)]
    errors = _errors(client.post(DECIDE, json=BODY | {"teachers": teachers}))
    said = {e["column"]: e["message"] for e in errors if e["code"] == "R003"}
    assert set(said) == {"title", "post"}
    assert "JsonStringEnumConverter" in said["title"]["en"] and "WRITE_ENUMS_USING_INDEX" in said["post"]["zh"]
    assert "first (一级教师)" in said["title"]["en"] and "一级教师（first）" in said["title"]["zh"]
    from policylang.io.roster.problems import bad_value_problem
    from policylang.lang import schema as S

    title = S.TEACHERS.field("title")
    assert "enum" not in bad_value_problem("teachers.csv", 2, "职称", title, "3").message_en


@pytest.mark.parametrize("key", ["birth_date", "work_start", "post_start"])
def test_dot_net_s_unset_date_is_said_as_such(client, key):
    """A .NET DateTime left unset is written 0001-01-01T00:00:00 (DateTime.MinValue): refused as
    "before the birth date (1980-03-01)", or for a birth date as one before 1900, the client left to
    find which property its serializer wrote so. The refusal says it, and to send null."""
    (error,) = _errors(client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {key: "0001-01-01T00:00:00"}]}))
    assert (error["code"], error["column"]) == ("R017", key)
    assert "DateTime.MinValue" in error["message"]["en"] and "send null" in error["message"]["en"]
    assert "DateTime.MinValue" in error["message"]["zh"] and "null" in error["message"]["zh"]


def test_a_misspelt_key_is_named_for_the_column_it_misses(client):
    teacher = {("brith_date" if k == "birth_date" else k): v for k, v in TEACHER.items()}
    (error,) = _errors(client.post(DECIDE, json=BODY | {"teachers": [teacher]}))
    assert (error["code"], error["column"], error["unknown_key"]) == ("R001", "birth_date", "brith_date")
    clean = {k: v for k, v in TEACHER.items() if k != "birth_date"}  # no key like it: nothing guessed
    (error,) = _errors(client.post(DECIDE, json=BODY | {"teachers": [clean]}))
    assert error["code"] == "R001" and "unknown_key" not in error



def test_warnings_name_their_list_as_errors_do(client):
    """A warning said `"file": "teachers"` with no `table`, where an error of the same list says
    `"table": "teachers", "file": null`."""
    body = BODY | {"teachers": [TEACHER | {"subjectt": "数学"}], "schools": [SCHOOL | {"cluser": "A"}]}
    warnings = client.post(DECIDE, json=body).json()["warnings"]
    assert [(w["code"], w["column"], w["table"], w["file"]) for w in warnings] == \
        [("R012", "subjectt", "teachers", None), ("R012", "cluser", "schools", None)]
    refused = client.post(DECIDE, json=body | {"schools": [SCHOOL | {"area": "moon"}]})
    assert [(e["table"], e["file"]) for e in _errors(refused) if e["code"] == "R003"] == [("schools", None)]


# ---- parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{"principal_schools": 2.5}, {"principal_schools": "2.5"},
                                    {"teacher_tenure": "5.5 years"}])
def test_a_fraction_for_a_parameter_compared_with_a_whole_count_is_said(client, params):
    """`principal_schools: 2.5` was decided as 3 without a word, where a file's own 2.5 is
    warned of (L313) and `--set` notes it; a record's schools_served 1.5 is refused (R017)."""
    (name,) = params
    answer = client.post(DECIDE, json=BODY | {"params": params})
    assert answer.status_code == 200, answer.text
    (note,) = answer.json()["warnings"]
    assert (note["code"], note["column"]) == ("L313", name)
    assert "acts as a whole number next to it" in note["message"]["en"] and "相邻的整数" in note["message"]["zh"]
    whole = client.post(DECIDE, json=BODY | {"params": {name: 3}})
    assert whole.json()["warnings"] == []


def test_each_parameter_is_listed_with_its_unit_and_description(client):
    """GET /v1/policies gave bare numbers: 50, in years or months?"""
    import policylang

    for listed in client.get("/v1/policies").json()["policies"]:
        checked = policylang.load(POLICIES / f"{listed['name']}.pol").checked
        details = listed["parameter_details"]
        assert set(details) == set(listed["parameters"]) == set(checked.parameters)
        for name, detail in details.items():
            param = checked.parameters[name]
            assert detail["value"] == listed["parameters"][name]  # (the bare values stay, for those reading them)
            assert detail["unit"] == getattr(param.type, "unit", None) and detail["description"] == param.doc
    district = client.get("/v1/policies/fujian_pilot_district").json()["parameter_details"]
    cap = district["age_cap_female"]
    assert (cap["type"], cap["unit"], cap["whole"]) == ("number", "years", True)
    assert cap["description"].startswith("女教师交流年龄上限")
    assert (district["principal_schools"]["unit"], district["principal_schools"]["whole"]) == (None, True)
    shenyang = client.get("/v1/policies/shenyang").json()["parameter_details"]["backbone_level"]
    assert shenyang["type"] == "code" and shenyang["value"] in shenyang["codes"]


@pytest.mark.parametrize("body", [
    {"as_of": "1800-01-01"}, {"as_of": "2025-09"}, {"params": {"age_cap_female": "old"}},
    {"params": {"age_cap_female": "45 months"}}, {"params": {"age_cap_female": -1}},
    {"params": {"age_cap_female": "45 kg"}}, {"params": {"age_cap_female": 1e10}}, {"params": {"age_cap_femal": 45}},
    {"params": {"age_cap_female": 1e400}}, {"assume": {"nursng": "否"}}, {"teachers": [{"id": "T1"}]},
    {"surprise": 1}, {"teachers": 3}, {"teachers": [TEACHER | {"birth_date": "1978-13-01"}]}])
def test_every_code_of_a_422_is_in_the_documented_list(client, body):
    """docs/service.md's 422 row listed S004–S015, T201, T214, R107 and R0xx, while P001, P003,
    T202 and T223 came too."""
    raw = json.dumps(BODY | body).replace("Infinity", "1e400")  # (1e400 as a caller writes it)
    answer = client.post(DECIDE, content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 422 |")).rsplit("|", 2)[1]
    listed = set(re.findall(r"`([A-Z]\d{3})`", row))
    listed |= {f"S{n:03d}" for a, b in re.findall(r"`S(\d{3})`–`S(\d{3})`", row) for n in range(int(a), int(b) + 1)}
    for error in _errors(answer):
        code = error["code"]
        assert code in listed or (code.startswith("R0") and "`R0xx`" in row), (code, row)


# ---- dates as Java and .NET serialise them ---------------------------------------------------------


@pytest.mark.parametrize("written", ["1978-05-01T00:00:00+08:00", "1978-04-30T16:00:00Z",
                                     "1978-05-01T00:00:00.000+0800"])
def test_a_zoned_time_stamp_for_a_date_is_refused_saying_to_send_the_date_alone(client, written):
    """Jackson writes an OffsetDateTime or Instant with its zone; which day it is depends on the
    zone, so it is refused (never read as one day or the other), and the answer says what to send."""
    answer = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": written}]})
    assert answer.status_code == 422
    (error,) = _errors(answer)
    assert error["code"] == "R002" and error["column"] == "birth_date"
    assert "depends on the zone" in error["message"]["en"] and "LocalDate" in error["message"]["en"]
    assert error["message"]["zh"].startswith(f"“{written}”是带时区的时刻（北京时间 1978-05-01 00:00），不是日期")


@pytest.mark.parametrize("written, day", [(262800000000, "1978-05-01"), ("262800000000", "1978-05-01"),
                                          (581094000000, "1988-06-01")])  # in China's summer time (UTC+9) of 1988
def test_milliseconds_since_1970_for_a_date_are_refused_naming_the_day_they_would_be(client, written, day):
    """Jackson's default for a java.util.Date is its milliseconds since 1970: 1978-05-01 in Beijing,
    and 1988-06-01 midnight in that summer's time, which a fixed UTC+8 read as 05-31 23:00."""
    answer = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": written}]})
    assert answer.status_code == 422
    (error,) = _errors(answer)
    assert error["code"] == "R002"
    assert "milliseconds since 1970" in error["message"]["en"] and f"北京时间 {day} 00:00" in error["message"]["zh"]


def test_jackson_s_default_local_date_array_is_refused_saying_what_to_send(client):
    """JavaTimeModule writes a LocalDate as [1978, 5, 1] unless WRITE_DATES_AS_TIMESTAMPS is off: in a
    record and as as_of it was "must be text…" or "not a date", with no word of why or what to send."""
    answer = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": [1978, 5, 1]}]})
    assert answer.status_code == 422
    (error,) = _errors(answer)
    assert error["code"] == "S006" and "WRITE_DATES_AS_TIMESTAMPS" in error["message"]["en"]
    assert '"1978-05-01"' in error["message"]["zh"]
    as_of = client.post(DECIDE, json=BODY | {"as_of": [2025, 9, 1]})
    assert as_of.status_code == 422 and '"2025-09-01"' in _errors(as_of)[0]["message"]["en"]
    other = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": [1978, 13, 1]}]})
    assert "WRITE_DATES_AS_TIMESTAMPS" not in other.text  # no date: no such word


def test_a_local_midnight_date_time_is_read_as_its_date(client):
    """.NET's DateTime and Java's LocalDateTime at midnight, without a zone: the day is that day."""
    plain = client.post(DECIDE, json=BODY)
    midnight = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": "1978-05-01T00:00:00"}]})
    assert midnight.status_code == plain.status_code == 200
    assert midnight.json()["decisions"] == plain.json()["decisions"]


def test_a_local_date_time_at_another_hour_is_refused_naming_its_day(client):
    """A LocalDateTime at 08:00 got the generic "not a date"."""
    answer = client.post(DECIDE, json=BODY | {"teachers": [TEACHER | {"birth_date": "1978-05-01T08:00:00"}]})
    (error,) = _errors(answer)
    assert error["code"] == "R002"
    assert error["message"]["zh"].startswith("“1978-05-01T08:00:00”是一个时刻（08:00），不是日期：请只传日期 1978-05-01")


@pytest.mark.parametrize("as_of, said", [
    (1756656000000, "milliseconds since 1970 (how Jackson writes a java.util.Date), 2025-09-01 00:00 in Beijing time"),
    (True, "as_of `true` is not a date")])
def test_an_as_of_as_java_writes_it_is_said_in_json_s_words(client, as_of, said):
    """as_of in milliseconds got no hint where a record's date did; `true` was said as Python's `True`."""
    (error,) = _errors(client.post(DECIDE, json=BODY | {"as_of": as_of}))
    assert error["code"] == "S009" and said in error["message"]["en"]


def test_an_assumed_value_refused_is_named_by_its_key_and_a_parameter_by_what_it_takes(client):
    """S013 named `assume` as its column, where R107 names the parameter; `45 kg` got the parser's
    "unexpected `kg`", naming neither the parameter nor what it takes."""
    (error,) = _errors(client.post(DECIDE, json=BODY | {"assume": {"nursng": "否"}}))
    assert (error["code"], error["column"]) == ("S013", "nursng")
    (error,) = _errors(client.post(DECIDE, json=BODY | {"params": {"age_cap_female": "45 kg"}}))
    assert (error["code"], error["column"]) == ("T201", "age_cap_female")
    # with the hint --set gives (em25: the service dropped it)
    assert error["message"]["zh"] == "参数 `age_cap_female` 应为以年计的数，不能取 `45 kg`；可写作 `45` 或 `45周岁`"
