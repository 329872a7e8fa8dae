"""`policylang serve`: a roster uploaded as files (`…/evaluate`), and the what-if questions
(`/v1/diff`, `…/quota`), each answered as the command line answers them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.cli import cli  # noqa: E402
from policylang.service.app import create_app  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402

EVALUATE = "/v1/policies/fujian_pilot_district/evaluate"


def _records(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


TEACHERS, SCHOOLS = _records(EXAMPLES / "teachers.csv"), _records(EXAMPLES / "schools.csv")


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="module")
def client(work):
    with TestClient(create_app(POLICIES, max_upload=3_000_000, work_dir=work)) as c:
        yield c


def _files(teachers=EXAMPLES / "teachers.csv", schools=EXAMPLES / "schools.csv"):
    return {"teachers": (teachers.name, teachers.read_bytes()), "schools": (schools.name, schools.read_bytes())}


def _eval(tmp_path, *args, suffix="csv", teachers="examples/teachers.csv", schools="examples/schools.csv") -> bytes:
    out = tmp_path / f"out.{suffix}"
    result = CliRunner().invoke(cli, ["eval", "policies/fujian_pilot_district.pol", teachers, "--schools", schools,
                                      "-o", str(out), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("teachers", ["teachers.csv", "teachers.xlsx", "teachers.parquet"])
def test_an_uploaded_roster_gives_the_file_eval_writes(client, work, tmp_path, teachers):
    response = client.post(EVALUATE, files=_files(EXAMPLES / teachers))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content == _eval(tmp_path, teachers=f"examples/{teachers}")
    assert response.headers["x-decided"] == "400" and response.headers["x-policy-version"]
    assert list(work.iterdir()) == []  # nothing of the request stays on disk


def _as_other_kind(kind: str, folder):
    """examples/teachers.csv saved as eval's other kinds: tab-separated (.tsv), Excel's "Unicode
    text" (.txt, UTF-16, tabs), a macro workbook (.xlsm: the .xlsx's sheet) and JSON."""
    if kind == "json":
        return EXAMPLES / "teachers.json"
    path = folder / f"teachers.{kind}"
    if kind == "xlsm":
        path.write_bytes((EXAMPLES / "teachers.xlsx").read_bytes())
        return path
    with open(EXAMPLES / "teachers.csv", encoding="utf-8-sig", newline="") as f:
        lines = ["\t".join(row) for row in csv.reader(f)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16" if kind == "txt" else "utf-8"))
    return path


@pytest.mark.parametrize("kind", ["tsv", "txt", "xlsm", "json"])
def test_every_kind_eval_reads_is_taken_as_an_upload(client, work, tmp_path, kind):
    """`.tsv` was refused (415 S016) though `eval` reads it; so were .txt, .xlsm and .json: each is
    decided as `eval` decides it."""
    teachers = _as_other_kind(kind, tmp_path)
    response = client.post(EVALUATE, files=_files(teachers))
    assert response.status_code == 200, response.text
    assert response.content == _eval(tmp_path, teachers=str(teachers))
    assert response.headers["x-decided"] == "400"
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("kind, media", [("tsv", "text/tab-separated-values"), ("txt", "text/plain"),
                                         ("json", "application/json")])
def test_a_blob_of_another_kind_is_read_by_its_media_type(client, work, tmp_path, kind, media):
    teachers = _as_other_kind(kind, tmp_path)
    typed = client.post(EVALUATE, files={"teachers": ("blob", teachers.read_bytes(), media),
                                         "schools": ("blob", (EXAMPLES / "schools.csv").read_bytes(), "text/csv")})
    assert typed.status_code == 200, typed.text
    assert typed.content == client.post(EVALUATE, files=_files()).content


def test_a_file_no_reader_takes_is_refused_naming_every_kind_read(client, work):
    refused = client.post(EVALUATE, files={"teachers": ("t.pdf", b"%PDF-1.4"), "schools": ("s.csv", b"id\n")})
    assert refused.status_code == 415
    message = refused.json()["errors"][0]["message"]
    for kind in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".json"):
        assert kind in message["en"] and kind in message["zh"]
    assert list(work.iterdir()) == []


def test_formats_languages_parameters_and_dates(client, tmp_path):
    as_json = client.post(EVALUATE + "?format=json&as_of=2030-09-01&set=age_cap_female=45", files=_files())
    assert as_json.status_code == 200
    assert json.loads(as_json.content) == json.loads(_eval(tmp_path, "--as-of", "2030-09-01", "--set",
                                                           "age_cap_female=45", suffix="json"))
    parquet = client.post(EVALUATE + "?format=parquet", files=_files())
    assert parquet.content[:4] == b"PAR1" and parquet.content == _eval(tmp_path, suffix="parquet")
    chinese = client.post("/v1/policies/miyun/evaluate?format=xlsx",
                          files=_files(EXAMPLES / "teachers_zh.csv", EXAMPLES / "schools_zh.csv"))
    assert chinese.status_code == 200 and chinese.content[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(chinese.content), read_only=True).worksheets[0]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:2] == ("工号", "结论")  # a Chinese roster's workbook is in Chinese, as eval writes it
    english = client.post(EVALUATE + "?lang=zh", files=_files())
    assert english.content.decode("utf-8-sig").startswith("工号,结论")


def test_a_workbook_says_how_it_was_made_as_eval_s_does(client, tmp_path):
    """The 说明 sheet of a service-made workbook: the policy, the running version's files and
    their hashes, the reference date, every parameter (the request's own marked), the files
    uploaded with their hashes, and the request, as eval's names the command."""
    import hashlib

    from openpyxl import load_workbook

    teachers, schools = EXAMPLES / "teachers_zh.csv", EXAMPLES / "schools_zh.csv"
    query = "?format=xlsx&as_of=2026-03-01&set=town_age_cap_female=50"
    answer = client.post("/v1/policies/miyun/evaluate" + query, files=_files(teachers, schools))
    assert answer.status_code == 200, answer.text
    about = load_workbook(io.BytesIO(answer.content), read_only=True)["说明"]
    items = [tuple(r) for r in about.iter_rows(min_row=2, values_only=True)]
    said = dict(items)
    version = client.get("/v1/policies/miyun").json()
    assert said["政策"] == version["title"]
    assert [v for k, v in items if k == "政策文件"] == [f["path"] for f in version["files"]]
    assert [v for k, v in items if k == "其内容的 SHA-256 校验值"] == [f["sha256"] for f in version["files"]]
    # the columns the roster lacks, assumed (R013), said as eval's 说明 says them: no server path in them
    # named as uploaded, as the 教师名册 row names the file; no command printed them: X-Warnings counted their codes
    notes = [v for k, v in items if k == "名册提示（其代码已列于响应头 X-Warnings）"]
    assert len(notes) == 2 and all("[R013]" in n and n.startswith("teachers_zh.csv ") for n in notes), notes
    assert not [k for k, _ in items if k.startswith("名册提示（运行时")]
    assert said["参考日期"] == "2026-03-01"
    parameters = [v for k, v in items if k == "参数"]
    assert len(parameters) == len(version["parameters"])
    [given] = [p for p in parameters if "指定" in p]
    assert given.endswith("：50周岁（town_age_cap_female）（本次以 ?set= 指定）")
    assert said["教师名册"] == f"teachers_zh.csv (SHA-256 {hashlib.sha256(teachers.read_bytes()).hexdigest()})"
    assert said["学校名册"].startswith("schools_zh.csv (SHA-256 ")
    assert said["命令"] == "POST /v1/policies/miyun/evaluate" + query
    cli = load_workbook(io.BytesIO(_eval(tmp_path, "--as-of", "2026-03-01", suffix="xlsx")), read_only=True)["about"]
    cli_items = {r[0] for r in cli.iter_rows(min_row=2, values_only=True)}
    assert {"policy", "policy file", "reference date", "parameter", "teachers file", "command"} <= cli_items


def test_a_workbook_masks_an_id_number_in_an_uploaded_file_s_name(client):
    """The 说明 sheet names the upload in its 教师名册 row and in each roster note, which the service
    words with the uploaded name after the reader masked it: 张三110105….csv was written whole there."""
    from openpyxl import load_workbook

    teachers, schools = EXAMPLES / "teachers_zh.csv", EXAMPLES / "schools_zh.csv"
    named = {"teachers": ("张三110105198003010028.csv", teachers.read_bytes()),
             "schools": (schools.name, schools.read_bytes())}
    answer = client.post("/v1/policies/miyun/evaluate?format=xlsx&as_of=2026-03-01", files=named)
    assert answer.status_code == 200, answer.text
    said = [str(v) for row in load_workbook(io.BytesIO(answer.content), read_only=True)["说明"].iter_rows(values_only=True)
            for v in row if v]
    notes = [v for v in said if "[R013]" in v]
    assert notes and all(v.startswith("张三110105********0028.csv ") for v in notes), notes
    assert not any("110105198003010028" in v for v in said)


def test_a_workbook_names_the_policy_file_run_first_and_the_one_it_extends_after(client):
    """As eval's: the file run, then the file it extends (the service wrote them the other way
    round, base first, so the district's workbook named fujian.pol as the policy file)."""
    from openpyxl import load_workbook

    answer = client.post(EVALUATE + "?format=xlsx&lang=zh", files=_files())
    assert answer.status_code == 200, answer.text
    items = [tuple(r) for r in load_workbook(io.BytesIO(answer.content), read_only=True)["说明"]
             .iter_rows(min_row=2, values_only=True)]
    files = [(k, v) for k, v in items if k in ("政策文件", "所继承的上级政策文件")]
    assert files == [("政策文件", "fujian_pilot_district.pol"), ("所继承的上级政策文件", "fujian.pol")]


def test_a_bad_roster_is_refused_with_the_reader_s_codes_rows_and_file(client, work):
    files = _files(EXAMPLES / "bad" / "teachers_bad.csv", EXAMPLES / "bad" / "schools.csv")
    response = client.post(EVALUATE, files=files)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"R002", "R003", "R004"} <= {e["code"] for e in errors}
    assert all(e["message"]["en"] and e["message"]["zh"] for e in errors)
    bad_date = next(e for e in errors if e["code"] == "R002")
    assert bad_date["row"] == 3 and bad_date["column"] == "出生日期" and bad_date["file"] == "teachers.csv"
    assert str(work) not in response.text  # the server's folders are its own
    skipped = client.post(EVALUATE + "?skip_invalid=true", files=files)
    assert skipped.status_code == 200 and int(skipped.headers["x-skipped"]) > 0
    # which rows were left out, as the refusal above names them: never a count alone
    refused_rows = sorted({e["row"] for e in errors if e["row"] is not None and e.get("file") == "teachers.csv"})
    listed = [int(r) for r in skipped.headers["x-skipped-rows"].split(",")]
    assert listed == refused_rows and len(listed) == int(skipped.headers["x-skipped"])
    as_xlsx = client.post(EVALUATE + "?skip_invalid=true&format=xlsx", files=files)  # the row reader's way
    assert as_xlsx.headers["x-skipped-rows"] == skipped.headers["x-skipped-rows"]
    # the workbook names each row left out and why, as `eval --skip-invalid -o X.xlsx` does
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(as_xlsx.content), read_only=True)
    left_out = [r for r in book[book.sheetnames[-1]].iter_rows(min_row=2, values_only=True)]
    assert book.sheetnames[-1] in ("not decided", "未作结论") and [r[0] for r in left_out] == listed
    bad_date_row = next(r for r in left_out if r[0] == bad_date["row"])
    assert "R002" in bad_date_row[4] and "1985-13-01" in bad_date_row[4]
    assert str(work) not in "".join(str(c) for r in left_out for c in r)
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])  # streamed and in memory
def test_more_skipped_rows_than_a_header_lists_end_in_ascii_dots_never_a_server_error(client, work, fmt):
    """At 2021-01-01 most of the sample started at its school later (R029): more than 200 rows
    skipped. `,…` in X-Skipped-Rows could not be sent (a header is Latin-1): 500 S500."""
    answer = client.post(EVALUATE + f"?skip_invalid=true&as_of=2021-01-01&format={fmt}", files=_files())
    assert answer.status_code == 200, answer.text
    listed = answer.headers["x-skipped-rows"]
    assert int(answer.headers["x-skipped"]) > 200 and listed.endswith(",...") and listed.isascii()
    assert len(listed.removesuffix(",...").split(",")) == 200
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])  # streamed and in memory
def test_what_reading_says_beside_the_decisions_is_counted_in_a_header(client, tmp_path, fmt):
    """eval prints its warnings and decide lists them; an upload's answer said nothing of a
    misspelt header or a fraction for a whole count."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    renamed = tmp_path / "teachers.csv"
    with open(renamed, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*rows[0], "备注"], *([*r, "x"] for r in rows[1:])])
    plain = client.post(EVALUATE + f"?format={fmt}", files=_files())
    assert plain.status_code == 200 and "x-warnings" not in plain.headers
    answer = client.post(EVALUATE + f"?format={fmt}&set=principal_schools=2.5", files=_files(renamed))
    assert answer.status_code == 200 and answer.headers["x-warnings"] == "L313=1,R012=1"


@pytest.mark.parametrize("fmt", ["csv", "json"])  # streamed and in memory
def test_the_rows_of_empty_yes_no_cells_are_given_to_a_program(client, tmp_path, fmt):
    """The embedder's trial: a blank 任课 exempted T0001 as not teaching, and the answer said only
    `R033=1`; a program now reads the rows (X-Warning-Rows), as decide gives them (`rows`)."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    at = rows[0].index("teaching")
    for k in (1, 5):
        rows[k][at] = ""
    blank = tmp_path / "teachers.csv"
    with open(blank, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    answer = client.post(EVALUATE + f"?format={fmt}", files=_files(blank))
    assert answer.status_code == 200 and answer.headers["x-warnings"] == "R033=1"
    assert answer.headers["x-warning-rows"].isascii()
    assert json.loads(answer.headers["x-warning-rows"]) == [{"code": "R033", "column": "teaching", "rows": [2, 6],
                                                             "count": 2}]
    assert "x-warning-rows" not in client.post(EVALUATE + f"?format={fmt}", files=_files()).headers


def test_a_missing_column_is_told_the_upload_s_way_to_state_its_value(client, tmp_path):
    lacking = tmp_path / "teachers.csv"
    rows = list(csv.reader((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    cut = rows[0].index("backbone")
    with open(lacking, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([r[:cut] + r[cut + 1:] for r in rows])
    refused = client.post("/v1/policies/miyun/evaluate", files=_files(lacking))
    told = next(e for e in refused.json()["errors"] if e["code"] == "R011")["message"]
    assert "`?assume=backbone=none|school|county|city|province|national`" in told["en"]
    assert "`?assume=骨干级别=无|校级|县级|市级|省级|国家级`" in told["zh"]
    assert "--assume" not in told["en"] + told["zh"]
    decided = client.post("/v1/policies/miyun/evaluate?assume=backbone=none", files=_files(lacking))
    assert decided.status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])  # streamed and in memory
def test_skip_invalid_skips_rows_never_a_missing_column_nor_every_row(client, work, tmp_path, fmt):
    """As eval --skip-invalid: a problem of the whole roster (a renamed column) or a roster whose
    every row is wrong is refused, not answered with an empty file."""
    renamed = tmp_path / "teachers.csv"
    renamed.write_text((EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").replace(",birth_date,", ",生日,", 1),
                       encoding="utf-8")
    refused = client.post(EVALUATE + f"?skip_invalid=true&format={fmt}", files=_files(renamed))
    assert refused.status_code == 422, refused.headers
    assert "R001" in {e["code"] for e in refused.json()["errors"]}  # a required column missing
    all_wrong = tmp_path / "wrong.csv"
    lines = (EXAMPLES / "teachers.csv").read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(",")
    born = head.index("birth_date")
    rows = [",".join(c if i != born else "not a date" for i, c in enumerate(line.split(","))) for line in lines[1:6]]
    all_wrong.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    refused = client.post(EVALUATE + f"?skip_invalid=true&format={fmt}", files=_files(all_wrong))
    assert refused.status_code == 422 and {e["code"] for e in refused.json()["errors"]} == {"R002"}
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("query, files, status, code", [
    ("", {"teachers": ("t.pdf", b"id\n")}, 415, "S016"),
    ("", {"teachers": ("t.csv", b"id\nT1\n")}, 422, "S004"),
    ("?format=pdf", None, 422, "S009"),
    ("?set=nonsense", None, 422, "S009"),
    ("?set=age_cap_female=old", None, 422, "T201"),
    ("?set=age_cap_femal=45", None, 422, "R107"),
    ("?as_of=soon", None, 422, "S009"),
    ("?assume=nowhere=1", None, 422, "S013"),
    # one name, two values (the embedder's trial: the last decided, unsaid, and the log kept it alone)
    ("?assume=pregnant=false&assume=pregnant=true", None, 422, "S013"),
    ("?set=age_cap_female=45&set=age_cap_female=40", None, 422, "S009"),
])
def test_bad_uploads_are_refused(client, work, query, files, status, code):
    response = client.post(EVALUATE + query, files=files or _files())
    assert response.status_code == status, response.text
    assert code in [e["code"] for e in response.json()["errors"]]
    assert list(work.iterdir()) == []


def test_an_upload_over_the_limit_or_not_a_form(client, work):
    big = {"teachers": ("teachers.csv", b"x" * 3_100_000), "schools": ("schools.csv", b"")}
    response = client.post(EVALUATE, files=big)
    assert response.status_code == 413 and response.json()["errors"][0]["code"] == "S002"
    # the limit is of the form's files together, and said so (it said "文件超过 … 上限", as of one file)
    assert response.json()["errors"][0]["message"]["zh"].startswith("上传的文件合计超过 2.86102 MB，超出上限")

    def chunks():  # no Content-Length: counted as it arrives
        yield b"--b\r\nContent-Disposition: form-data; name=\"teachers\"; filename=\"t.csv\"\r\n\r\n"
        for _ in range(40):
            yield b"y" * 100_000

    streamed = client.post(EVALUATE, content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413
    assert client.post(EVALUATE, json={"teachers": []}).status_code == 415
    garbled = client.post(EVALUATE, content=b"--b\r\nnonsense", headers={"content-type": "multipart/form-data"})
    assert garbled.status_code == 400 and garbled.json()["errors"][0]["code"] == "S017"
    assert list(work.iterdir()) == []


# ---- what if ---------------------------------------------------------------------------


def test_diff_answers_as_policylang_diff(client):
    result = CliRunner().invoke(cli, ["diff", "policies/fujian.pol", "policies/fujian_pilot_district.pol",
                                      "examples/teachers.csv", "--schools", "examples/schools.csv", "--format", "json"],
                                catch_exceptions=False)
    expected = json.loads(result.stdout)
    response = client.post("/v1/diff", json={"base": "fujian", "draft": "fujian_pilot_district",
                                             "teachers": TEACHERS, "schools": SCHOOLS})
    assert response.status_code == 200, response.text
    report = response.json()["report"]
    assert report["changed"] == expected["changed"] > 0
    assert report["transitions"] == expected["transitions"]
    assert [p["id"] for p in report["persons"]] == [p["id"] for p in expected["persons"]]
    # both versions named, in the body and in headers, as every other answer names its one
    versions = {p["name"]: p["version"] for p in client.get("/v1/policies").json()["policies"]}
    assert response.headers["x-base-version"] == response.json()["base_version"] == versions["fujian"]
    assert response.headers["x-draft-version"] == response.json()["draft_version"] == versions["fujian_pilot_district"]
    widened = client.post("/v1/diff", json={"base": "fujian_pilot_district", "draft": "fujian_pilot_district",
                                            "teachers": TEACHERS, "schools": SCHOOLS,
                                            "draft_params": {"age_cap_female": 45}}).json()["report"]
    assert widened["changed"] > 0 and widened["changed"] != report["changed"]


@pytest.mark.parametrize("body, status, code", [
    ({"base": "fujian", "teachers": []}, 422, "S004"),
    ({"base": 1, "draft": "fujian", "teachers": []}, 422, "S005"),  # given, not a name: not "required"
    ({"base": "fujian", "draft": "nowhere", "teachers": []}, 404, "S404"),
    ({"base": "fujian", "draft": "fujian", "teachers": [], "surprise": 1}, 422, "S007"),
    ({"base": "fujian", "draft": "fujian", "teachers": [{"id": "T1"}]}, 422, "R001"),
    ({"base": "fujian", "draft": "fujian", "teachers": [], "draft_params": {"nope": 1}}, 422, "R107"),
])
def test_bad_diff_requests(client, body, status, code):
    response = client.post("/v1/diff", json=body)
    assert response.status_code == status, response.text
    assert code in [e["code"] for e in response.json()["errors"]]


def test_quota_answers_as_policylang_quota(client):
    result = CliRunner().invoke(cli, ["quota", "policies/county_exchange.pol", "examples/teachers.csv", "--schools",
                                      "examples/schools.csv", "--format", "json"], catch_exceptions=False)
    expected = json.loads(result.stdout)
    response = client.post("/v1/policies/county_exchange/quota", json={"teachers": TEACHERS, "schools": SCHOOLS})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["plans"] == expected and expected
    assert body["version"] == response.headers["x-policy-version"]
    refused = client.post("/v1/policies/county_exchange/quota", json={"teachers": TEACHERS, "params": {"x": 1}})
    assert refused.status_code == 422


def test_quota_of_no_one_plans_no_group_and_is_no_server_error(client):
    """Found by the random-body test: an empty list of teachers made `quota` index an empty
    array (500). No one to select: no group, and a plan of none."""
    response = client.post("/v1/policies/county_exchange/quota", json={"teachers": [], "schools": SCHOOLS})
    assert response.status_code == 200, response.text
    assert response.json()["plans"] == []


def test_a_roster_sent_as_a_text_field_or_a_third_file_is_said_so_in_both_languages(client, work):
    """`-F teachers=abc` (text, not `@file`) came back 400 S017 with Starlette's English "Too
    many fields. Maximum number of fields is 0." in both languages."""
    text = client.post(EVALUATE, data={"teachers": "abc"}, files={"schools": ("s.csv", b"school_id\nS1\n")})
    assert text.status_code == 422
    [error] = text.json()["errors"]
    assert (error["code"], error["column"]) == ("S004", "teachers")
    assert "-F teachers=@teachers.csv" in error["message"]["en"]
    assert error["message"]["zh"].startswith("`teachers` 部分是文本字段而不是文件")
    assert "curl：-F teachers=@teachers.csv" in error["message"]["zh"]
    three = client.post(EVALUATE, files=_files() | {"more": ("m.csv", b"x")})
    assert three.status_code == 422
    assert [(e["code"], e["column"]) for e in three.json()["errors"]] == [("S007", "more")]
    assert three.json()["errors"][0]["message"]["zh"] == "未知的表单部分 `more`（应为 teachers 与 schools）"
    big = client.post(EVALUATE, data={"teachers": "x" * (1 << 20) + "x"}, files={"schools": ("s.csv", b"x")})
    assert big.status_code == 422 and big.json()["errors"][0]["code"] == "S004"  # curl -F teachers=<t.csv
    assert "-F teachers=@teachers.csv" in big.json()["errors"][0]["message"]["en"]
    many = client.post(EVALUATE, data={f"f{k}": "1" for k in range(20)}, files=_files())
    assert many.status_code == 422 and many.json()["errors"][0]["code"] == "S007"
    assert list(work.iterdir()) == []


def test_a_text_field_beside_the_two_files_is_named_not_taken_for_them(client, work):
    """`-F teachers=@t.csv -F schools=@s.csv -F foo=bar` was answered S004 "the parts `teachers`
    and `schools` must be files" though both were: the unknown part is named, in both languages,
    with every other problem of the form's parts."""
    extra = client.post(EVALUATE, data={"foo": "bar"}, files=_files())
    assert extra.status_code == 422, extra.text
    [error] = extra.json()["errors"]
    assert (error["code"], error["column"]) == ("S007", "foo")
    assert error["message"] == {"en": "unknown part `foo` (the parts: teachers, schools)",
                                "zh": "未知的表单部分 `foo`（应为 teachers 与 schools）"}
    both = client.post(EVALUATE, data={"schools": "S1", "foo": "bar"}, files={"teachers": _files()["teachers"]})
    assert sorted((e["code"], e["column"]) for e in both.json()["errors"]) == [("S004", "schools"), ("S007", "foo")]
    twice = client.post(EVALUATE, files=[*_files().items(), ("teachers", ("t2.csv", b"id\n"))])
    assert [(e["code"], e["column"]) for e in twice.json()["errors"]] == [("S007", "teachers")]
    assert "出现了两次" in twice.json()["errors"][0]["message"]["zh"]
    assert list(work.iterdir()) == []


def test_an_upload_cut_off_is_said_to_be_cut_off(client, work):
    # the multipart parser drops a part that never reached its end: without the form's closing
    # boundary the answer says the upload was cut off, not that the part is missing
    boundary = "XyZbOuNdArY"
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}

    def part(name, path):
        return (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
                f"Content-Type: text/csv\r\n\r\n").encode() + path.read_bytes() + b"\r\n"

    whole = part("schools", EXAMPLES / "schools.csv") + part("teachers", EXAMPLES / "teachers.csv") \
        + f"--{boundary}--\r\n".encode()
    assert client.post(EVALUATE, content=whole, headers=headers).status_code == 200
    for cut in (whole[:len(whole) // 2], whole[:-12]):
        answer = client.post(EVALUATE, content=cut, headers=headers)
        assert answer.status_code == 400, answer.text
        [error] = answer.json()["errors"]
        assert error["code"] == "S017" and "文件未上传完整" in error["message"]["zh"]
    only_schools = part("schools", EXAMPLES / "schools.csv") + f"--{boundary}--\r\n".encode()
    missing = client.post(EVALUATE, content=only_schools, headers=headers)  # whole, lacking a part: as before
    assert missing.status_code == 422 and missing.json()["errors"][0]["code"] == "S004"
    # whole too: the parameter's name in capitals, a space before `;`, a long epilogue, and the
    # closing delimiter split between two chunks of the body
    loose = {"content-type": f"multipart/form-data; Boundary={boundary} ; charset=utf-8"}
    epilogue = only_schools + b"x" * 500
    assert client.post(EVALUATE, content=epilogue, headers=loose).json()["errors"][0]["code"] == "S004"
    cut_at = len(only_schools) - 6

    def chunks():
        yield only_schools[:cut_at]
        yield only_schools[cut_at:]

    assert client.post(EVALUATE, content=chunks(), headers=headers).json()["errors"][0]["code"] == "S004"
    assert list(work.iterdir()) == []


def test_a_part_named_blob_is_read_by_its_media_type(client, work):
    """A browser's or a client's `Blob` is uploaded as `filename="blob"`: its Content-Type says
    what it is (415 before); a part that says neither is still refused."""
    teachers = (EXAMPLES / "teachers.csv").read_bytes()
    schools = (EXAMPLES / "schools.csv").read_bytes()
    typed = client.post(EVALUATE, files={"teachers": ("blob", teachers, "text/csv"),
                                         "schools": ("blob", schools, "text/csv; charset=utf-8")})
    named = client.post(EVALUATE, files=_files())
    assert typed.status_code == 200 and typed.content == named.content
    untyped = client.post(EVALUATE, files={"teachers": ("blob", teachers, "application/octet-stream"),
                                           "schools": ("blob", schools, "text/csv")})
    assert untyped.status_code == 415 and untyped.json()["errors"][0]["code"] == "S016"
    assert list(work.iterdir()) == []
