"""The OpenAPI document (`/openapi.json`) against what the service sends: every endpoint's real
answers, successes and refusals, each of a status the document lists for the operation, with
a body of its schema and the headers it declares. A client generated from the document
(openapi-generator) reads what the service writes, or fails here first.

The schemas are checked by ``conforms`` below, the part of JSON Schema the document uses
($ref, type, enum, properties, required, additionalProperties, items, minItems, maxItems,
format date and date-time). It is stricter than JSON Schema in one way: a field sent but not
among an object's `properties` is a failure even where `additionalProperties: true` lets more
come later, so that every field is described.
The document itself, and every keyword of its schemas, openapi-spec-validator checks (a test
dependency: whether the document is OpenAPI 3.1 is what a client generator asks first)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil

import pytest

pytest.importorskip("httpx")
from starlette.routing import Match  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from policylang.service.app import create_app  # noqa: E402
from policylang.service.auth import Tokens, token_hash  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def conforms(value, schema: dict, root: dict, where: str = "$") -> list[str]:
    """Where ``value`` departs from ``schema`` (refs resolved in ``root``): empty if it conforms."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return conforms(value, root["components"]["schemas"][name], root, where)
    problems = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_is(value, t) for t in types):
            return [f"{where}: {json.dumps(value, ensure_ascii=False)[:80]} is not {'/'.join(types)}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is none of {schema['enum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{where}: `{value}` does not match {schema['pattern']}")
    if isinstance(value, str) and value and schema.get("format") in ("date", "date-time"):
        try:
            (dt.date if schema["format"] == "date" else dt.datetime).fromisoformat(value)
        except ValueError:
            problems.append(f"{where}: `{value}` is no {schema['format']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        more = schema.get("additionalProperties", True)
        problems += [f"{where}: `{k}` is required" for k in schema.get("required", ()) if k not in value]
        for key, item in value.items():
            if key in properties:
                problems += conforms(item, properties[key], root, f"{where}.{key}")
            elif isinstance(more, dict):
                problems += conforms(item, more, root, f"{where}.{key}")
            elif properties or more is False:  # (see the module's docstring)
                problems.append(f"{where}: `{key}` is not declared")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            problems.append(f"{where}: {len(value)} items")
        for i, item in enumerate(value):
            problems += conforms(item, schema.get("items", {}), root, f"{where}[{i}]")
    return problems


def _is(value, type_: str) -> bool:
    if type_ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[type_])


def _records(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


TEACHERS, SCHOOLS = _records(EXAMPLES / "teachers.csv"), _records(EXAMPLES / "schools.csv")
QUOTA_TEACHERS = [t | {"support_end": ""} for t in TEACHERS[:20]]
TOKEN = "hr-6d1c"


def _folder(tmp_path):
    """The bundled policies, a policy that never loaded, and a tokens file."""
    for path in POLICIES.glob("*.pol"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "never.pol").write_text('policy "never"\nrule A "a"\n  when nonsense\n  then must_rotate\n',
                                        encoding="utf-8")
    tokens = tmp_path / "tokens.toml"
    tokens.write_text(f'[[token]]\nid = "hr"\nsha256 = "{token_hash(TOKEN)}"\npolicies = ["miyun"]\n'
                      'operations = ["decide", "read"]\n', encoding="utf-8")
    return tmp_path, tokens


def _upload(teachers=EXAMPLES / "teachers.csv", schools=EXAMPLES / "schools.csv"):
    return {"teachers": (teachers.name, teachers.read_bytes()), "schools": (schools.name, schools.read_bytes())}


DECIDE = "/v1/policies/fujian_pilot_district/decide"
ONE = {"teachers": TEACHERS[:1], "schools": SCHOOLS}
# (what is asked, as TestClient.request's arguments) for every endpoint: its answers and refusals
ASKED = [
    ("GET", "/health", {}), ("GET", "/ready", {}), ("GET", "/metrics", {}), ("GET", "/openapi.json", {}),
    ("GET", "/v1/policies", {}), ("GET", "/v1/policies/miyun", {}), ("GET", "/v1/policies/never", {}),
    ("GET", "/v1/policies/nowhere", {}), ("DELETE", "/v1/policies/miyun", {}),
    ("POST", DECIDE, {"json": ONE}),
    ("POST", DECIDE + "?explain=true&lang=zh", {"json": {"teachers": TEACHERS[:5], "schools": SCHOOLS}}),
    ("POST", "/v1/policies/county_draft/decide?explain=true", {"json": {"teachers": TEACHERS[:40], "schools": SCHOOLS}}),
    ("POST", DECIDE, {"json": {"teachers": TEACHERS, "schools": SCHOOLS}}),  # the columnar batch
    ("POST", "/v1/policies/miyun/decide",  # warnings: R012, R013, L313
     {"json": {"teachers": [{k: v for k, v in t.items() if k != "backbone"} | {"subjectt": "x"} for t in TEACHERS[:3]],
               "schools": [s | {"cluser": "A"} for s in SCHOOLS], "assume": {"骨干级别": "无"},
               "params": {"excellent_years_for_grade": 1.5}}}),
    ("POST", DECIDE, {"content": b'{"teachers": [1,,]}', "headers": {"content-type": "application/json"}}),
    ("POST", DECIDE, {"content": json.dumps(ONE), "headers": {"content-type": "text/plain"}}),
    ("POST", DECIDE, {"json": {"teachers": TEACHERS[:501]}}),
    ("POST", DECIDE, {"json": {"teachers": [{"birthDate": "1980-01-01", "id": "T1"}], "schools": SCHOOLS}}),
    ("POST", DECIDE, {"json": {"teachers": TEACHERS[:1], "schools": [s | {"area": "moon"} for s in SCHOOLS]}}),
    ("POST", DECIDE, {"json": {"teachers": [TEACHERS[0] | {"id": {"a": 1}}]}}),
    ("POST", DECIDE, {"json": {"teachers": [], "as_of": "2025-09-01T23:59:00"}}),
    ("POST", DECIDE, {"json": {"teachers": [], "params": {"age_cap_femal": 45}}}),
    ("POST", "/v1/policies/never/decide", {"json": {"teachers": []}}),
    ("GET", DECIDE, {}),
    ("POST", "/v1/policies/nowhere/decide", {"json": ONE}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate", {"files": _upload()}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate?format=json", {"files": _upload()}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate?format=xlsx&lang=zh", {"files": _upload()}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate?format=parquet", {"files": _upload()}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate?skip_invalid=true",
     {"files": _upload(EXAMPLES / "bad" / "teachers_bad.csv", EXAMPLES / "bad" / "schools.csv")}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate",
     {"files": _upload(EXAMPLES / "bad" / "teachers_bad.csv", EXAMPLES / "bad" / "schools.csv")}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate", {"json": ONE}),
    ("POST", "/v1/policies/fujian_pilot_district/evaluate?format=pdf", {"files": _upload()}),
    ("POST", "/v1/policies/county_exchange/quota", {"json": {"teachers": QUOTA_TEACHERS, "schools": SCHOOLS}}),
    ("POST", "/v1/policies/county_exchange/quota", {"json": {"teachers": [{"id": "T1"}]}}),
    ("POST", "/v1/diff", {"json": {"base": "fujian", "draft": "fujian_pilot_district", "teachers": TEACHERS,
                                   "schools": SCHOOLS}}),
    ("POST", "/v1/diff", {"json": {"base": "county_exchange", "draft": "county_draft", "teachers": QUOTA_TEACHERS,
                                   "schools": SCHOOLS}}),
    ("POST", "/v1/diff", {"json": {"base": "nowhere", "draft": "fujian", "teachers": []}}),
    ("POST", "/v1/diff", {"json": {"base": "fujian", "teachers": []}}),
    ("POST", "/v1/reload", {}),
]
GUARDED = [  # with tokens: none, and one held to miyun
    ("POST", DECIDE, {}), ("GET", "/v1/policies", {}),
    ("GET", "/v1/policies", {"headers": {"Authorization": f"Bearer {TOKEN}"}}),
    ("POST", DECIDE, {"json": ONE, "headers": {"Authorization": f"Bearer {TOKEN}"}}),
    ("POST", "/v1/reload", {"headers": {"Authorization": f"Bearer {TOKEN}"}}),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """Each request of ASKED and GUARDED with its answer, and the document each app serves."""
    folder, tokens = _folder(tmp_path_factory.mktemp("served"))
    out = []
    for asked, guard in ((ASKED, None), (GUARDED, Tokens.read(tokens))):
        app = create_app(folder, max_batch=500, tokens=guard)
        with TestClient(app) as client:
            document = client.get("/openapi.json").json()
            out += [(method, path, app, client.request(method, path, **kwargs), document)
                    for method, path, kwargs in asked]
    with TestClient(create_app(tmp_path_factory.mktemp("empty"))) as client:  # 503: no policy runs
        out.append(("GET", "/ready", client.app, client.get("/ready"), client.get("/openapi.json").json()))
    return out


def _operation(document: dict, app, method: str, path: str) -> tuple[str, dict | None]:
    bare = path.split("?")[0]
    for route in app.routes:
        if route.matches({"type": "http", "path": bare, "method": "GET"})[0] != Match.NONE:
            operations = document["paths"][route.path]
            return route.path, operations.get(method.lower()) or next(iter(operations.values()))
    return bare, None


def test_every_answer_is_of_a_status_schema_and_headers_the_document_declares(answers):
    failures, seen = [], set()
    for method, path, app, response, document in answers:
        template, operation = _operation(document, app, method, path)
        said = f"{method} {path} -> {response.status_code}"
        if operation is None:
            failures.append(f"{said}: no operation in the document")
            continue
        declared = operation["responses"].get(str(response.status_code))
        if declared is None:
            failures.append(f"{said}: status not declared ({sorted(operation['responses'])})")
            continue
        seen.add((template, response.status_code))
        media = response.headers.get("content-type", "").split(";")[0]
        content = declared.get("content", {})
        if media not in content:
            failures.append(f"{said}: {media} is not among {sorted(content)}")
        elif media == "application/json":
            failures += [f"{said}: {p}" for p in conforms(response.json(), content[media].get("schema", {}), document)]
        headers = declared.get("headers", {})
        for name in response.headers:
            if name.lower().startswith("x-") and name.lower() not in {h.lower() for h in headers}:
                failures.append(f"{said}: header {name} not declared")
        for name, header in headers.items():
            value = response.headers.get(name)
            if value is not None and header["schema"].get("type") == "integer" and not value.isdigit():
                failures.append(f"{said}: header {name} `{value}` is no integer")
    assert not failures, "\n".join(failures)
    # every route answered at least once as it is meant to (2xx), and refused at least once
    routes = {r.path for r in answers[0][2].routes}
    assert {t for t, status in seen if status < 300} == routes
    assert {t for t, status in seen if status >= 400} >= routes - {"/health", "/openapi.json", "/metrics"}


def test_the_shapes_the_answers_above_hold_are_the_ones_the_embedder_met(answers):
    """That the answers checked above carry what was missing from the document: a never-loaded
    policy's nulls, S012's nested errors, an upload problem's file, a warning's table, the
    evaluate headers, a missing column's unknown key, a 405."""
    by = {(m, p, r.status_code): r for m, p, _, r, _ in answers}
    never = by["GET", "/v1/policies/never", 200].json()
    assert never["title"] is never["version"] is never["as_of"] is never["loaded_at"] is None
    # (503: the service's state, not the request's; a client retries or alerts, it does not mend its input)
    assert by["POST", "/v1/policies/never/decide", 503].json()["errors"][0]["errors"][0]["at"].startswith("never.pol:")
    skipped = by["POST", "/v1/policies/fujian_pilot_district/evaluate?skip_invalid=true", 200]
    assert int(skipped.headers["x-skipped"]) > 0 and skipped.headers["x-skipped-rows"]
    bad = by["POST", "/v1/policies/fujian_pilot_district/evaluate", 422].json()["errors"]
    assert any(e.get("file") == "teachers.csv" for e in bad)  # (the part's name, never the server's path)
    warned = by["POST", "/v1/policies/miyun/decide", 200].json()["warnings"]
    assert {w["code"] for w in warned} == {"R012", "R013", "L313"} and {w.get("table") for w in warned} > {None}
    assert any(e.get("unknown_key") == "birthDate" for _, p, _, r, _ in answers if p == DECIDE and r.status_code == 422
               for e in r.json()["errors"])
    assert (DECIDE, 405) in {(p, r.status_code) for m, p, _, r, _ in answers}
    listed = by["GET", "/v1/policies", 200].json()["policies"]  # (the guarded one: the token's policy only)
    assert [p["name"] for p in listed] == ["miyun"]


def test_the_document_s_references_resolve_and_its_dates_are_dates(answers):
    document = answers[0][4]
    text = json.dumps(document)
    names = set(document["components"]["schemas"])
    refs = {r.rsplit("/", 1)[1] for r in re.findall(r'"\$ref": "([^"]+)"', text)}
    assert refs <= names and names - refs <= {"Errors"} | {n for n in names if n.endswith("Response")} | {
        "PolicyList", "Health", "Ready", "Reload", "DecideRequest"}
    decision = document["components"]["schemas"]["Decision"]["properties"]
    assert decision["as_of"]["format"] == "date"
    # a generated client's method names (openapi-generator for Java and C#): stable, distinct, one each
    ids = [op.get("operationId") for ops in document["paths"].values() for op in ops.values()]
    assert all(ids) and len(set(ids)) == len(ids) and "decide" in ids
    upload = document["paths"]["/v1/policies/{name}/evaluate"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["properties"]["teachers"]["format"] == "binary"  # a file, not a String
    for name, schema in document["components"]["schemas"].items():  # an enum says of which type its values are
        for where, value in _walk(schema):
            if "enum" in value:
                assert "type" in value, (name, where)


def _walk(schema, where="$"):
    if isinstance(schema, dict):
        yield where, schema
        for key, value in schema.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _walk(value, f"{where}[{i}]")


def _validated(document: dict, value, schema: dict) -> list[str]:
    """Where ``value`` departs from ``schema`` by an OpenAPI 3.1 schema validator (JSON Schema
    2020-12, every keyword), its refs resolved in ``document``."""
    from openapi_schema_validator import OAS31Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resource("urn:document", Resource.from_contents(document, DRAFT202012))
    schema = json.loads(json.dumps(schema).replace('"#/components/', '"urn:document#/components/'))
    validator = OAS31Validator(schema, registry=registry, format_checker=OAS31Validator.FORMAT_CHECKER)
    return [f"{'.'.join(map(str, e.absolute_path)) or '$'}: {e.message[:160]}" for e in validator.iter_errors(value)]


def test_the_document_is_openapi_3_1_and_the_answers_hold_to_it_by_a_validator(answers):
    """What `conforms` cannot say: whether the document is OpenAPI 3.1 at all (a path parameter
    left undeclared, a type no JSON Schema has, a 3.0 `nullable`), which openapi-generator reads
    before it writes a line of the client; and every keyword of the schemas, not only those
    `conforms` knows. openapi-spec-validator (a test dependency, pyproject.toml) checks both;
    each answer above is checked by its schema validator as by `conforms`."""
    import copy

    from openapi_spec_validator import validate

    documents = {id(d): d for *_, d in answers}.values()  # (the open and the guarded service's, the empty one's)
    for document in documents:
        validate(document)
    failures = []
    for method, path, app, response, document in answers:
        _, operation = _operation(document, app, method, path)
        declared = (operation or {}).get("responses", {}).get(str(response.status_code), {})
        schema = declared.get("content", {}).get("application/json", {}).get("schema")
        if schema is not None and response.headers.get("content-type", "").startswith("application/json"):
            failures += [f"{method} {path} -> {response.status_code}: {p}"
                         for p in _validated(document, response.json(), schema)]
    assert not failures, "\n".join(failures)
    # (a check that cannot fail checks nothing: a document and an answer each broken once)
    broken = copy.deepcopy(next(iter(documents)))
    operation = broken["paths"]["/v1/policies/{name}"]["get"]
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "name"]
    with pytest.raises(Exception, match="name"):
        validate(broken)
    document = next(iter(documents))
    assert _validated(document, {"errors": [{"code": "S404", "message": {"en": "x"}, "row": "1", "column": None}]},
                      {"$ref": "#/components/schemas/Errors"})


def test_conforms_finds_what_departs():
    """The checker above, on what it must refuse: a test that cannot fail checks nothing."""
    root = {"components": {"schemas": {"Day": {"type": "string", "format": "date"}}}}
    schema = {"type": "object", "required": ["a"], "additionalProperties": False,
              "properties": {"a": {"type": ["integer", "null"]}, "d": {"$ref": "#/components/schemas/Day"},
                             "e": {"type": "string", "enum": ["x"]},
                             "l": {"type": "array", "items": {"type": "boolean"}, "maxItems": 1}}}
    assert conforms({"a": None, "d": "2025-09-01", "e": "x", "l": [True]}, schema, root) == []
    assert len(conforms({"d": "2025-9-1", "e": "y", "l": [1, True], "z": 0}, schema, root)) == 6
    assert conforms({"a": True}, schema, root) and conforms({"a": 1.5}, schema, root)
    assert conforms({"k": 1}, {"type": "object", "properties": {"j": {}}, "additionalProperties": True}, root)
    assert not conforms({"k": 1}, {"type": "object", "additionalProperties": {"type": "integer"}}, root)
    assert conforms(3, {"type": "string"}, root) and conforms(True, {"type": "integer"}, root)
    assert conforms("fr", {"type": "string", "pattern": "^(en|zh)$"}, root)


def test_what_a_java_client_sends_is_accepted_and_is_what_the_document_allows(tmp_path):
    """Jackson writes an unset field as null and Locale.toLanguageTag() gives zh-CN: the server took
    both, the document said neither (null for as_of, schools, params, assume, base_params; lang an
    enum of en and zh), so a client generated from it refused to send them."""
    folder, _ = _folder(tmp_path)
    with TestClient(create_app(folder, max_batch=500)) as client:
        document = client.get("/openapi.json").json()
        decide = {"teachers": TEACHERS[:2], "schools": SCHOOLS, "as_of": None, "params": None, "assume": None}
        quota = {"teachers": TEACHERS[:2], "schools": SCHOOLS, "as_of": None, "params": None, "assume": None}
        diff = {"base": "fujian", "draft": "fujian_pilot_district", "teachers": TEACHERS[:2], "schools": SCHOOLS,
                "as_of": None, "base_params": None, "draft_params": None, "assume": None}
        for path, body in ((DECIDE + "?lang=zh-CN", decide), ("/v1/policies/county_exchange/quota", quota),
                           ("/v1/diff", diff)):
            answer = client.post(path, json=body)
            assert answer.status_code == 200, (path, answer.text)
            _, operation = _operation(document, client.app, "POST", path)
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            assert conforms(body, schema, document) == [], path
            assert all(conforms("zh-CN", p["schema"], document) == [] for p in operation.get("parameters", [])
                       if p["name"] == "lang")


def test_every_request_s_teachers_are_held_to_the_batch_the_document_says(tmp_path):
    """/v1/diff refuses more teachers than --max-batch (413 S008) as decide and quota do, but its
    request schema gave no maxItems: a client validating against the document sent the batch and
    met a refusal the document had not said."""
    folder, _ = _folder(tmp_path)
    with TestClient(create_app(folder, max_batch=3)) as client:
        document = client.get("/openapi.json").json()
        for path, body in ((DECIDE, {}), ("/v1/policies/county_exchange/quota", {}),
                           ("/v1/diff", {"base": "fujian", "draft": "fujian_pilot_district"})):
            _, operation = _operation(document, client.app, "POST", path)
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            assert schema["properties"]["teachers"]["maxItems"] == 3, path
            refused = client.post(path, json=body | {"teachers": TEACHERS[:4], "schools": SCHOOLS})
            assert refused.status_code == 413 and refused.json()["errors"][0]["code"] == "S008", path


def test_a_record_s_columns_are_described_for_a_client(tmp_path):
    """The embedder's trial: a teacher was a map of any keys, and a Java developer found the
    columns, their types and codes only in the drafter's guide. Each contract column is now a
    property, with its Chinese name, how its values are written, and its codes."""
    from policylang.lang import schema as S

    folder, _ = _folder(tmp_path)
    with TestClient(create_app(folder)) as client:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
    teacher, school = schemas["Teacher"]["properties"], schemas["School"]["properties"]
    assert list(teacher) == [f.name for f in S.TEACHERS.fields] and list(school) == [f.name for f in S.SCHOOLS.fields]
    assert teacher["on_staff"] == {"type": ["boolean", "string", "integer", "null"],
                                   "description": "在编在岗; yes/no: true/false (or 是/否, 1/0 as text or a number)"}
    assert teacher["post"]["description"] == ("岗位; code, or its Chinese label: teacher (教师), principal (校长), "
                                              "vice_principal (副校长), staff (职员)")
    assert teacher["id"]["description"].endswith("; required") and "1" not in teacher["sex"]["description"]
    assert schemas["Teacher"]["additionalProperties"]  # Chinese keys, aliases, a policy's own columns
