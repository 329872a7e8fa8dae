"""An embedder's trial of `policylang serve` (a provincial platform's Java developer following
docs/service.md): what such a client really sends, and what the service answered it. Each test
is a finding of that trial, failing before its fix."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402
from policylang.service.decision_log import DecisionLog  # noqa: E402

from .conftest import POLICIES  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"
# docs/service.md's Chinese record, a teacher who is pregnant (exempt under FJ-X2)
PREGNANT = {"工号": "T1", "性别": "女", "出生日期": "1988-05-01", "学校代码": "S1", "到校时间": "2012-09-01",
            "参加工作时间": "2010-09-01", "岗位": "教师", "任现职时间": "2012-09-01", "任课": "是", "在编在岗": "是",
            "职称": "一级教师", "孕期": "是", "农村任教年限": 0, "薄弱学校任教年限": 0, "任教学校数": 1, "富余学科": "否"}
SCHOOL = {"学校代码": "S1", "区域": "城区", "学段": "小学", "编制": "正常"}
# keys a real export writes for 孕期, each read as 孕期 by the roster reader (and so deciding as it)
KEYS_FOR_PREGNANT = ["孕期（是/否）", "孕期(是/否)", "孕 期", "\ufeff孕期", "孕期\u200b", " 孕期", "ＰＲＥＧＮＡＮＴ"]


def _renamed(record: dict, old: str, new: str) -> dict:
    return {(new if k == old else k): v for k, v in record.items()}


@pytest.mark.parametrize("key", KEYS_FOR_PREGNANT)
def test_the_log_masks_a_sensitive_column_under_every_key_the_readers_take_for_it(tmp_path, key):
    # --log-input wrote `"孕期（是/否）": "是"` in clear: masking compared the key with a list of
    # names, while the reader takes the decorated, spaced or BOM'd header as 孕期 and decided on it
    path = tmp_path / "decisions.jsonl"
    body = {"teachers": [_renamed(PREGNANT, "孕期", key)], "schools": [SCHOOL], "as_of": "2025-09-01"}
    with TestClient(create_app(POLICIES, decision_log=DecisionLog(path, log_input=True))) as client:
        answer = client.post(DECIDE, json=body)
        assert answer.status_code == 200 and answer.json()["decisions"][0]["exemption"] == "pregnancy"
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["input"]["teachers"][0][key] == "***"
    assert line["input"]["teachers"][0]["工号"] == "T1"  # the rest as sent
    assert line["decisions"][0]["exemption"] == "***"


def test_the_log_masks_a_policy_s_own_field_under_a_decorated_key(tmp_path):
    from policylang.service.decision_log import masked_record, sensitive_headers

    import policylang

    policy = policylang.load(POLICIES / "county_draft.pol")
    headers = sensitive_headers(policy=policy)
    record = {"工号": "T1", "患病证明（有/无）": "有", "患病证明": "有"}
    assert masked_record(record, headers, policy.checked.teachers) == {"工号": "T1", "患病证明（有/无）": "***",
                                                                       "患病证明": "***"}


@pytest.mark.parametrize("key", [" 孕期", "孕期 ", "\ufeff孕期", "孕期\u200b", "\u3000孕期"])
def test_a_key_read_trimmed_is_not_warned_of_as_empty(key):
    # `" 孕期": "是"` decided the teacher exempt for pregnancy, and the answer's warnings said
    # R027 "column 孕期 is empty in every row: everyone reads as no": the cells were looked up
    # under the trimmed name, which no record has
    batch = [_renamed(dict(PREGNANT, 工号=f"T{i}"), "孕期", key) for i in range(3)]
    batch[1] = dict(batch[1], **{key: None})  # one not known: said, naming its record
    with TestClient(create_app(POLICIES)) as client:
        answer = client.post(DECIDE, json={"teachers": batch, "schools": [SCHOOL], "as_of": "2025-09-01"}).json()
    assert [d["exemption"] for d in answer["decisions"]] == ["pregnancy", None, "pregnancy"]
    assert [(w["code"], w.get("rows")) for w in answer["warnings"]] == [("R033", [2])]


def test_an_error_names_the_record_s_id_under_a_key_read_trimmed():
    bad = dict(_renamed(PREGNANT, "工号", " 工号"), 出生日期="1988-02-30")
    with TestClient(create_app(POLICIES)) as client:
        errors = client.post(DECIDE, json={"teachers": [bad], "schools": [SCHOOL]}).json()["errors"]
    assert [(e["code"], e["row"], e.get("id")) for e in errors] == [("R002", 1, "T1")]


def test_a_body_compressed_otherwise_than_gzip_is_refused_as_compressed():
    # a body declared `br` but sent plain was decided as if nothing were declared; a gzip'd one,
    # once refused here too, is read (tests/test_service_em29.py)
    body = json.dumps({"teachers": [PREGNANT], "schools": [SCHOOL]}, ensure_ascii=False).encode("utf-8")
    with TestClient(create_app(POLICIES)) as client:
        for coding in ("br", "identity, br"):
            answer = client.post(DECIDE, content=body, headers={"Content-Type": "application/json",
                                                                "Content-Encoding": coding})
            assert answer.status_code == 415, (coding, answer.text)
            error = answer.json()["errors"][0]
            assert error["code"] == "S016" and error["column"] == "Content-Encoding"
            assert "Content-Encoding: br" in error["message"]["en"]
            assert "gzip" in error["message"]["zh"]
            assert answer.headers["Accept-Encoding"] == "gzip, identity"
        assert client.post(DECIDE, content=body, headers={"Content-Type": "application/json",
                                                           "Content-Encoding": "identity"}).status_code == 200
        form = client.post("/v1/policies/fujian_pilot_district/evaluate", headers={"Content-Encoding": "br"},
                           files={"teachers": ("t.csv", b"id\n"), "schools": ("s.csv", b"")})
        assert form.status_code == 415 and form.json()["errors"][0]["column"] == "Content-Encoding"


def _tokens(tmp_path):
    from policylang.service.auth import Tokens, token_hash

    path = tmp_path / "tokens.toml"
    path.write_text(f"""
[[token]]
id = "province"
sha256 = "{token_hash('province-token')}"
policies = ["fujian_pilot_district", "miyun"]
operations = ["read", "decide", "diff"]
""", encoding="utf-8")
    return Tokens.read(path)


@pytest.mark.parametrize("header, said", [
    (None, "no token: send the header `Authorization: Bearer TOKEN`"),
    ("Bearer null", "the token sent is the text `null`"),  # Java: "Bearer " + System.getenv(unset)
    ("Bearer undefined", "the token sent is the text `undefined`"),
    ("Bearer ", "no token after `Bearer`"),
    ("Basic cHJvdmluY2U6eA==", "the Authorization header is `Basic …`"),
    ("province-token", "holds no `Bearer ` before the token"),
    ("Bearer province-tokem", "not one the service's tokens file holds (its SHA-256 begins "),
])
def test_a_refused_token_is_said_what_was_wrong_with_it(tmp_path, header, said):
    # every one was "a valid bearer token is required (Authorization: Bearer TOKEN)": a Java
    # developer whose variable was unset sent `Bearer null` and was told to send what they sent
    with TestClient(create_app(POLICIES, tokens=_tokens(tmp_path))) as client:
        answer = client.post(DECIDE, json={"teachers": []}, headers={"Authorization": header} if header else {})
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == 'Bearer realm="policylang"'
    error = answer.json()["errors"][0]
    assert error["code"] == "S401" and said in error["message"]["en"] and error["message"]["zh"]
    assert "province-tok" not in json.dumps(answer.json())  # the token itself is never echoed
    if "SHA-256" in said:
        from policylang.service.auth import token_hash

        assert token_hash("province-tokem")[:12] in error["message"]["en"]


def test_a_policy_name_mistyped_is_said_among_the_token_s_own_policies(tmp_path):
    # `fujian_pilot` was "token `province` may not use policy `fujian_pilot`": its holder asked
    # for a grant they had, for a typo; the hint names only a policy the token may use
    auth = {"Authorization": "Bearer province-token"}
    with TestClient(create_app(POLICIES, tokens=_tokens(tmp_path))) as client:
        for path, hint in (("/v1/policies/fujian_pilot/decide", "fujian_pilot_district"),
                           ("/v1/policies/miyun.pol/decide", "miyun")):
            answer = client.post(path, json={"teachers": []}, headers=auth)
            assert answer.status_code == 403
            error = answer.json()["errors"][0]
            assert error["code"] == "S403" and error["policy"] == path.split("/")[3]
            assert f"did you mean `{hint}`?" in error["message"]["en"] and f"是否应为 `{hint}`" in error["message"]["zh"]
        diff = client.post("/v1/diff", json={"base": "fujian_pilot_distrct", "draft": "miyun", "teachers": []},
                           headers=auth)
        assert diff.status_code == 403 and "did you mean `fujian_pilot_district`?" in diff.text
        # a policy outside the grant is named by no hint, even when the folder has one close to it
        outside = client.post("/v1/policies/fujan/decide", json={"teachers": []}, headers=auth).json()["errors"][0]
        assert "fujian`" not in outside["message"]["en"] and "did you mean" not in outside["message"]["en"]
        held = client.post("/v1/policies/shenyang/decide", json={"teachers": []}, headers=auth).json()["errors"][0]
        assert "did you mean" not in held["message"]["en"]  # the folder has it: a grant, not a typo


def _form(*parts: tuple[str, str | None, bytes]) -> tuple[bytes, str]:
    boundary = "trial-boundary"
    body = b"".join(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
                    + (f"Content-Type: {media}\r\n".encode() if media else b"") + b"\r\n" + data + b"\r\n"
                    for disposition, media, data in parts)
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("disposition", ['form-data; name="teachers"',  # Spring's ByteArrayResource: no file name
                                         "form-data; name=\"teachers\"; filename*=UTF-8''%E6%95%99%E5%B8%88.csv"])
def test_a_file_part_without_a_file_name_is_said_so(disposition):
    # a Java client's CSV part, sent as a file but with no `filename=`, was told it "must be a
    # file (curl: -F teachers=@teachers.csv), not a text field", with no word of what made it one
    from .conftest import EXAMPLES

    body, media = _form((disposition, "text/csv", (EXAMPLES / "teachers.csv").read_bytes()),
                        ('form-data; name="schools"; filename="schools.csv"', "text/csv",
                         (EXAMPLES / "schools.csv").read_bytes()))
    with TestClient(create_app(POLICIES)) as client:
        answer = client.post("/v1/policies/fujian_pilot_district/evaluate", content=body,
                             headers={"Content-Type": media})
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert (error["code"], error["column"]) == ("S004", "teachers")
    assert 'no `filename="…"`' in error["message"]["en"] and "getFilename()" in error["message"]["en"]
    assert "filename*=" in error["message"]["en"] and 'filename="…"' in error["message"]["zh"]


@pytest.mark.parametrize("filename, media, said_en, said_zh", [
    # Apache HttpClient's addBinaryBody sends application/octet-stream; the name had no suffix
    ("教师名单", "application/octet-stream", "(Content-Type application/octet-stream): a file's kind is read from its "
     "name's suffix", "按文件名后缀判断"),
    ("教师名单.xls", "application/vnd.ms-excel", "an Excel 97-2003 workbook (.xls) is not read; save it as .xlsx",
     "请另存为 .xlsx"),
])
def test_a_roster_file_of_no_kind_read_is_said_how_its_kind_was_told(filename, media, said_en, said_zh):
    from .conftest import EXAMPLES

    body, content_type = _form((f'form-data; name="teachers"; filename="{filename}"', media,
                                (EXAMPLES / "teachers.csv").read_bytes()),
                               ('form-data; name="schools"; filename="schools.csv"', "text/csv",
                                (EXAMPLES / "schools.csv").read_bytes()))
    with TestClient(create_app(POLICIES)) as client:
        answer = client.post("/v1/policies/fujian_pilot_district/evaluate", content=body,
                             headers={"Content-Type": content_type})
    assert answer.status_code == 415
    [error] = answer.json()["errors"]
    assert (error["code"], error["column"]) == ("S016", "teachers")
    assert said_en in error["message"]["en"] and said_zh in error["message"]["zh"]


def test_a_record_the_service_decides_conforms_to_the_document_s_request_schema():
    # /openapi.json said a yes/no was boolean, string or null, a date a string, an id a string,
    # while the service decides `"teaching": 1`, `"birth_date": 19780501` and `"id": 1001` (a Java
    # Long): a client or gateway validating requests against the document refused them
    from .test_service_openapi import conforms

    english = {"id": 1001, "sex": "F", "birth_date": 19880501, "school_id": "S1", "school_start": "2012-09-01",
               "work_start": 20100901, "post": "teacher", "post_start": "2012-09-01", "teaching": 1, "on_staff": True,
               "title": "first", "pregnant": 0, "rural_years": "6", "weak_years": 0, "schools_served": 1,
               "surplus_subject": False}
    body = {"teachers": [english], "schools": [{"school_id": "S1", "area": "urban", "stage": "primary",
                                                "staffing": "normal"}], "as_of": "2025-09-01"}
    with TestClient(create_app(POLICIES)) as client:
        document = client.get("/openapi.json").json()
        answer = client.post(DECIDE, json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["decisions"][0]["id"] == "1001"
    assert conforms(body, {"$ref": "#/components/schemas/DecideRequest"}, document) == []


def test_a_batch_over_the_limit_is_told_how_to_send_it():
    # "10001 teachers in one request; at most 10000" said neither whose limit it is nor what to do
    with TestClient(create_app(POLICIES, max_batch=2)) as client:
        answer = client.post(DECIDE, json={"teachers": [PREGNANT] * 3, "schools": [SCHOOL]})
    assert answer.status_code == 413
    [error] = answer.json()["errors"]
    assert error["code"] == "S008" and "--max-batch" in error["message"]["en"]
    assert "batches of at most 2" in error["message"]["en"] and "分批发送" in error["message"]["zh"]


def test_a_header_s_first_word_is_named_only_when_it_is_a_scheme(tmp_path):
    # (the answer to `Authorization: secretpart1 secretpart2` must not echo a part of the secret)
    with TestClient(create_app(POLICIES, tokens=_tokens(tmp_path))) as client:
        for header, said in (("Bearer: province-token", "the Authorization header is `Bearer: …`"),
                             ("sEcReT-part1 part2", "holds no `Bearer ` before the token")):
            answer = client.post(DECIDE, json={"teachers": []}, headers={"Authorization": header})
            assert said in answer.json()["errors"][0]["message"]["en"]
            assert "province" not in answer.text and "sEcReT" not in answer.text


def test_a_reference_date_before_the_policy_takes_effect_is_said(tmp_path):
    # `"as_of": "2019-09-01"` (a year mistyped) on county_exchange (effective 2021-03-01) was decided
    # without a word, where `--as-of` and the studio say it (L309)
    from .conftest import EXAMPLES

    teachers = [{"工号": "T1", "性别": "女", "出生日期": "1978-05-01", "学校代码": "S1", "到校时间": "2012-09-01",
                 "参加工作时间": "2000-09-01", "岗位": "教师", "在编在岗": "是", "职称": "一级教师", "骨干级别": "无",
                 "农村任教年限": 0, "重病": "否", "上年考核": "合格", "支教结束时间": None}]
    schools = [{"学校代码": "S1", "区域": "城区", "学段": "小学", "优质学校": "是", "薄弱学校": "否"}]
    with TestClient(create_app(POLICIES)) as client:
        for path, body in (("/v1/policies/county_exchange/decide", {}), ("/v1/policies/county_exchange/quota", {}),
                           ("/v1/diff", {"base": "county_exchange", "draft": "county_exchange"})):
            answer = client.post(path, json=body | {"teachers": teachers, "schools": schools, "as_of": "2019-09-01"})
            assert answer.status_code == 200, answer.text
            said = [w for w in answer.json()["warnings"] if w["code"] == "L309"]
            assert len(said) == 1 and said[0]["column"] == "as_of", path
            assert "2021-03-01" in said[0]["message"]["en"] and "生效日期 2021-03-01" in said[0]["message"]["zh"]
            later = client.post(path, json=body | {"teachers": teachers, "schools": schools, "as_of": "2025-09-01"})
            assert not [w for w in later.json()["warnings"] if w["code"] == "L309"]
        upload = client.post("/v1/policies/county_managed/evaluate?as_of=2020-08-31&skip_invalid=true",
                             files={"teachers": ("t.csv", (EXAMPLES / "teachers.csv").read_bytes()),
                                    "schools": ("s.csv", (EXAMPLES / "schools.csv").read_bytes())})
        assert upload.status_code == 200, upload.text
        assert upload.headers["X-Warnings"] == "L309=1"  # (county_managed takes effect 2020-09-01)
        early = client.post("/v1/policies/county_managed/evaluate?as_of=1800-01-01",
                            files={"teachers": ("t.csv", b"id\n"), "schools": ("s.csv", b"school_id\n")})
        assert early.status_code == 422 and early.json()["errors"][0]["code"] == "T214"


def test_a_list_holding_what_is_no_record_names_each_by_its_place():
    # `"teachers": [{…}, null]` (a Java list holding a null) was "`teachers` must be a list of
    # objects": in a batch of 10,000, which?
    with TestClient(create_app(POLICIES)) as client:
        errors = client.post(DECIDE, json={"teachers": [PREGNANT, None, "T3", [PREGNANT]],
                                           "schools": [SCHOOL]}).json()["errors"]
        assert [(e["code"], e["row"], e["table"]) for e in errors] == [("S005", 2, "teachers"), ("S005", 3, "teachers"),
                                                                       ("S005", 4, "teachers")]
        assert errors[0]["message"] == {"en": "teachers 2: a record must be an object, not null (`null`)",
                                        "zh": "teachers 第 2 条：记录应为对象，而不是 null（`null`）"}
        assert "not text (`T3`)" in errors[1]["message"]["en"] and "而不是数组" in errors[2]["message"]["zh"]
        one = client.post(DECIDE, json={"teachers": PREGNANT, "schools": [SCHOOL]}).json()["errors"]
        assert [(e["code"], e["column"]) for e in one] == [("S005", "teachers")]
        assert one[0]["message"]["en"] == "`teachers` must be a list of objects, not an object"
        assert one[0]["message"]["zh"] == "`teachers` 应为对象列表，而不是对象"


@pytest.mark.parametrize("schools", [{}, {"schools": None}, {"schools": []}])
def test_teachers_sent_without_schools_are_told_so_once(schools):
    # every teacher was "school `S1` is not in the schools table" (300 errors for 300 teachers),
    # and nothing said that the body had no `schools` at all
    batch = [dict(PREGNANT, 工号=f"T{i}") for i in range(300)]
    batch[5] = dict(batch[5], 出生日期="1988-02-30")
    with TestClient(create_app(POLICIES)) as client:
        errors = client.post(DECIDE, json={"teachers": batch} | schools).json()["errors"]
        assert [(e["code"], e["row"], e["column"]) for e in errors] == [("S004", None, "schools"),
                                                                        ("R002", 6, "出生日期")]
        assert errors[0]["message"]["en"].startswith("`schools` is required: the policy reads each teacher's school (")
        assert errors[0]["message"]["zh"].startswith("缺少 `schools`：政策读取教师所在学校的")
        quota = client.post("/v1/policies/county_exchange/quota", json={"teachers": [{"工号": "T1", "学校代码": "S1"}]})
        assert "S004" in [e["code"] for e in quota.json()["errors"]]
        # a school missing from a table that was sent is each teacher's own problem, as before
        sent = client.post(DECIDE, json={"teachers": batch[:2], "schools": [dict(SCHOOL, 学校代码="S2")]}).json()
        assert [e["code"] for e in sent["errors"]] == ["R005", "R005"]


def test_every_code_a_parameter_s_refusal_gives_is_in_the_errors_table():
    # a code parameter given a code it lacks answered T204, which docs/service.md's table of
    # errors did not list among the checker's codes a parameter's value gives
    from .conftest import ROOT

    table = next(line for line in (ROOT / "docs" / "service.md").read_text(encoding="utf-8").splitlines()
                 if line.startswith("| 422 |"))
    with TestClient(create_app(POLICIES)) as client:
        answer = client.post("/v1/policies/shenyang/decide", json={"teachers": [], "params": {"backbone_level": "xx"}})
    assert answer.status_code == 422
    assert all(f"`{e['code']}`" in table for e in answer.json()["errors"]), answer.json()["errors"]
