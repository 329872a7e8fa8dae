"""The OpenAPI 3.1 document of the service, written by hand (served at ``/openapi.json``): what
each operation takes and every answer it gives, with the schema of each answer's body and
headers as the service writes them (tests/test_service_openapi.py checks the service's real
answers against it), for a client generated from it (openapi-generator) to read them."""

from __future__ import annotations

from policylang.lang import schema as S
from policylang.lang import types as T


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}},
            **({"headers": headers} if headers else {})}


def _error_response(description: str) -> dict:
    return _json(_ref("Errors"), description)


def _header(schema: dict, description: str) -> dict:
    return {"schema": schema, "description": description}


_VERSION_HEADER = {"X-Policy-Version": _header({"type": "string"}, "the version decided with (`version`)")}
# decide's answer, in one language: which, and that it varies by Accept-Language
_LANGUAGE_HEADERS = {"Content-Language": _header({"type": "string", "enum": ["en", "zh"]},
                                                 "the language of the labels, chosen by ?lang= or Accept-Language"),
                     "Vary": _header({"type": "string"}, "Accept-Language")}


def openapi_document(max_batch: int, max_body: int, max_upload: int = 256 * 1024 * 1024) -> dict:
    document = _with_common_errors(_document(max_batch, max_body, max_upload), max_body)
    for name, schema in document["components"]["schemas"].items():
        if not name.endswith("Request"):
            _open(schema)
    return document


def _open(schema: object) -> None:
    """An answer's objects may gain fields (docs/service.md: a caller ignores those it does not
    know): none says `additionalProperties: false`, which a generated client (openapi-generator's
    okhttp-gson) enforces by refusing the answer. A request's stay closed: the service refuses
    an unknown field (S005)."""
    if isinstance(schema, dict):
        if schema.get("additionalProperties") is False:
            schema["additionalProperties"] = True
        for value in schema.values():
            _open(value)
    elif isinstance(schema, list):
        for value in schema:
            _open(value)


def _with_common_errors(document: dict, max_body: int) -> dict:
    """The errors every operation of a kind can answer, declared where the operation does not
    declare its own (a client generated from the document then knows them): 401 and 403 on an
    operation a token guards, 404 on one naming a policy, 400, 413 and 415 on a JSON body, and
    405 on every path (any other method); on every ``/v1`` operation, ``?lang=`` (``_LANG_ANY``)
    and the 422 of a query parameter it does not take or a ``lang`` of another language."""
    for path, operations in document["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            if path.startswith("/v1/"):
                parameters = operation.setdefault("parameters", [])
                if not any(p["name"] == "lang" for p in parameters):
                    parameters.append(_LANG_ANY)
                said = "a query parameter the operation does not take (S007), a `lang` of another language (S009)"
                if "422" in responses:
                    responses["422"]["description"] += f"; {said}"
                else:
                    responses["422"] = _error_response(said)
            if operation.get("security") != []:
                responses.setdefault("401", _json(_ref("Errors"), "no token, or one the tokens file does not know "
                                                                  "(S401)", {"WWW-Authenticate": _header(
                                                                      {"type": "string"}, "Bearer realm=\"policylang\"")}))
                responses.setdefault("403", _error_response("the token is not allowed this operation, or this policy "
                                                            "(named in `policy`), whether or not the folder has it "
                                                            "(S403)"))
            content = operation.get("requestBody", {}).get("content", {})
            if "{name}" in path or path == "/v1/diff":  # (the diff names its two policies in the body)
                responses.setdefault("404", _error_response("no such policy (S404)"))
                if path != "/v1/policies/{name}":  # (listing one: its errors are in the answer)
                    responses.setdefault("503", _error_response(
                        "the policy has errors and no running version: `errors` says why (S012)"
                        + ("; or the service's work folder takes no upload (S024)" if path.endswith("/evaluate") else "")))
            if "application/json" in content:
                responses.setdefault("400", _error_response("the body is not UTF-8 JSON, or gives a key twice (S003); "
                                                            "declared gzip'd, it cannot be decompressed (S028)"))
                responses.setdefault("413", _error_response(f"body over {max_body} bytes, a gzip'd one counted "
                                                            "decompressed (S002)"))
                responses.setdefault("415", _error_response("the body is declared as another media type than "
                                                            "application/json or application/*+json, or is sent "
                                                            "compressed otherwise than with gzip (a Content-Encoding "
                                                            "other than gzip, x-gzip or identity) (S016)"))
            if "multipart/form-data" in content:
                responses.setdefault("400", _error_response("the form cannot be read as multipart/form-data (S017); "
                                                            "declared gzip'd, it cannot be decompressed (S028)"))
            responses.setdefault("405", _error_response("the path answers no other method (S405)"))
    return document


# not `format: date`: the service also takes the forms an official writes (2025/9/1, 2025年9月1日),
# and the number 20250901, as a record's date
_AS_OF = {"type": ["string", "integer", "null"], "description": "the reference date, in any form a record's date is read in: "
          "YYYY-MM-DD, or 2025/9/1, 2025.9.1, 2025年9月1日, 20250901 (text or a number), 2025-09-01T00:00:00 (midnight, "
          "no offset); not a month, nor a moment (…T23:59:00, …Z, …+08:00); the policy file's `as of` when absent or null"}
_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_TEXTS = {"type": "array", "items": _TEXT}
_INTEGER = {"type": "integer"}
_BOOLEAN = {"type": "boolean"}
# what a withheld count of the diff's report means: not that it is small (``diff.suppressed_cells``)
_SUPPRESSED = ("the count is withheld: either 1 to 4 people changed for a sensitive reason, or withheld beside "
               "such a count so that the total less the counts shown does not give it (it may then hold any "
               "number); the two are not told apart, as that would give both")
_DATE = {"type": "string", "format": "date"}
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
_CELL = {"type": ["string", "number", "boolean", "null"]}  # a value of a record, as JSON gives one
def _column(field: S.Field) -> dict:
    """A roster column as a record's key gives it: its JSON types as the service reads them (a
    yes/no as true/false or 是/否, a number as a number or its text), its Chinese name, its
    codes (each, or its Chinese label), as docs/language.md section 4 lists them."""
    t = field.type
    # every JSON type the service reads a column's cell from (a schema narrower than that fails a
    # validating client or gateway on what the service takes: 1 for yes, 19780501 for a date, an id
    # a Java Long)
    if isinstance(t, T.BoolType):
        types, said = ["boolean", "string", "integer", "null"], "yes/no: true/false (or 是/否, 1/0 as text or a number)"
    elif isinstance(t, T.NumberType):
        types, said = ["number", "string", "null"], t.describe("en")
    elif isinstance(t, T.DateType):
        types, said = ["string", "integer", "null"], ("date: YYYY-MM-DD (a year-month, YYYY-MM, where only that is "
                                                      "known; YYYYMMDD also as a number, 19780501)")
    elif field.enum is not None:
        codes = ", ".join(f"{code} ({label})" for code, label in field.enum.labels.items())
        types, said = ["string", "null"], f"code, or its Chinese label: {codes}"
    else:
        types, said = ["string", "number", "null"], "text (a number is read as its text: 1001 as \"1001\")"
    return {"type": types, "description": f"{field.zh}; {said}" + ("; required" if field.required else "")}


def _record(table: S.Table) -> dict:
    """A teacher's or a school's record: the contract's columns by their English keys (the same
    under their Chinese names or aliases, and a policy's own columns, as further keys)."""
    return {"type": "object", "properties": {f.name: _column(f) for f in table.fields},
            "additionalProperties": _CELL,
            "description": "the contract's columns (docs/language.md section 4), by English key; Chinese names and "
                           "aliases (docs/roster.md) and a policy's own columns as further keys. Send every key in "
                           "every record: null is a value not known, and a key absent from a record is a column "
                           "the roster lacks"}


_TEACHER_RECORDS = {"type": "array", "items": _ref("Teacher")}
_SCHOOL_RECORDS = {"type": "array", "items": _ref("School")}
# null as absent: what Jackson writes for a field left unset (its default inclusion)
_SCHOOL_RECORDS_OR_NULL = _SCHOOL_RECORDS | {"type": ["array", "null"]}
_MAPPING_OR_NULL = {"type": ["object", "null"], "additionalProperties": _CELL}
# a file part: `format: binary` beside 3.1's contentMediaType, which client generators (openapi-generator's
# Java and C#) read as a file, not a String
_UPLOAD = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream",
           "description": "a roster file, a part with its file name (Content-Disposition's filename=\"teachers.csv\"; "
                          "without one a part is a text field, S004): the name's suffix, any `eval` reads (.csv, .tsv, "
                          ".txt, .xlsx, .xlsm, .parquet, .json), tells its kind, or where it has none the part's "
                          "Content-Type (S016)"}
_WARNINGS = {"type": "array", "items": _ref("Problem"),
             "description": "what reading the request says beside the answer, as `eval` prints it: keys no column "
                            "knows (R012), values assumed for absent columns (R013), a key null or blank in every "
                            "record (R027) or in a few (R033, naming them), teachers at the school before starting "
                            "work (R050), a key nothing reads saying someone has left (R051), a key with no name (\"\") "
                            "that records give a value (R042), a fraction for a parameter compared with a whole count "
                            "(L313), an as_of before the policy takes effect (L309)"}
_LANG = {"type": "string", "pattern": "^([Ee][Nn]|[Zz][Hh])([-_].*)?$", "examples": ["en", "zh", "zh-CN"],
         "description": "en or zh, or a language tag of either (zh-CN, zh_Hans, en-US), by its language; without "
                        "it, the language the Accept-Language header prefers of en and zh (q-values weighed; zh-CN, "
                        "zh-Hans, zh-TW are zh; a header naming neither, or only `*`, leaves the default); given "
                        "both, ?lang= wins"}


# `?lang=` where the answer says everything in both languages: every /v1 operation takes it, so that a
# client may send its user's language with every request (a Java Locale interceptor), not learn where
_LANG_ANY = {"name": "lang", "in": "query", "schema": _LANG,
             "description": "the language of the caller, taken by every /v1 operation; this one's answer says "
                            "everything in both languages (a message's `en` and `zh`, the diff report's `en` and "
                            "`zh`, a quota's `reasons` and `text_zh`), so it changes nothing here, nor does "
                            "Accept-Language; another language is refused (422 S009)"}


def _object(properties: dict, required: tuple[str, ...] | None = None, more: object = False, **extra) -> dict:
    """An object of these properties, all of them always there unless ``required`` says which;
    ``more``: whether (or of what schema) other properties may come, where the shape can grow."""
    return {"type": "object", "required": list(properties if required is None else required),
            "properties": properties, "additionalProperties": more, **extra}


# the fields of a decision as `eval --format json` writes them (contract.md, Decisions out)
_DECISION_FIELDS = {
    "id": _TEXT, "status": {"type": "string", "enum": ["must_rotate", "eligible", "exempt", "not_eligible"]},
    "status_label": _TEXT, "rule": _TEXT_OR_NULL, "exemption": _TEXT_OR_NULL, "exemption_label": _TEXT_OR_NULL,
    "may_decline": {"type": "array", "items": _TEXT, "description": "the grounds on which the person may decline"},
    "direction": _TEXT_OR_NULL, "direction_label": _TEXT_OR_NULL,
    "promotion": {"type": "object", "description": "per promotion the person could apply for (first, senior, "
                                                   "full_senior, principal): whether its prerequisites are met",
                  "properties": {t: _ref("Promotion") for t in ("first", "senior", "full_senior", "principal")},
                  "additionalProperties": _ref("Promotion")},
    "penalties": {"type": "array", "items": _ref("Consequence")},
    "benefits": {"type": "array", "items": _ref("Consequence")},
    "cite": _TEXTS, "uncertain": {"type": "array", "items": _TEXT, "description": "the fields whose unknown value "
                                  "could change this decision: an empty one a rule reads, a year-month date's day "
                                  "(数据不全待核实)"},
    "assumptions": {"type": "array", "items": _TEXT, "description": "values stated for absent columns "
                                                                    "(`pregnant=false`)"},
    "as_of": _DATE,
    "fired": {"type": "array", "items": _object({"rule": _TEXT, "exemption": _TEXT_OR_NULL}),
              "description": "every rule that fired, with the exemption that set it aside"},
    "roster": _object({"name": _CELL, "school_id": _CELL, "school_name": _CELL}, ("school_id",), _CELL,
                      description="the person's name, school id and school name as the roster gives them"),
    "explanation": _ref("Explanation"),
}
_DECISION_OPTIONAL = ("roster", "explanation")  # roster: of a roster with the columns; explanation: ?explain=true
# a decision as Decision.to_json gives it (the diff's persons, before and after): no labels
_RECORD_FIELDS = ("id", "status", "rule", "exemption", "may_decline", "direction", "promotion", "penalties", "benefits",
                  "cite", "uncertain", "assumptions", "as_of", "fired")


def _schemas(max_batch: int) -> dict:
    message = _object({"en": _TEXT, "zh": _TEXT})
    return {
        "Message": message,
        "Teacher": _record(S.TEACHERS),
        "School": _record(S.SCHOOLS),
        "Problem": _object({
            "code": {"type": "string", "description": "S0xx the request's, R0xx the roster reader's, T2xx, R1xx and "
                                                      "P0xx the checker's; L3xx a warning (docs/diagnostics.md)"},
            "message": _ref("Message"),
            "row": {"type": ["integer", "null"], "description": "the record's place in its list (1-based), the "
                                                                "spreadsheet row of a file"},
            "column": {"type": ["string", "null"], "description": "the column as the roster or the contract names "
                                                                  "it; a parameter's or a query parameter's name"},
            "column_zh": {"type": "string", "description": "a missing column's Chinese name (孕期)"},
            "value": _CELL,
            "file": {"type": ["string", "null"], "description": "the uploaded part (teachers.csv); null for a JSON "
                                                                "body's records"},
            "sheet": {"type": "string", "description": "of a workbook with several sheets of rows, the sheet the row "
                                                       "is on"},
            "id": {"type": "string", "description": "a JSON body's record's: its id (工号 of a teacher, 学校代码 of a "
                                                    "school), beside its place in its list (row)"},
            "table": {"type": "string", "enum": ["teachers", "schools"], "description": "the list of a JSON body"},
            "rows": {"type": "array", "items": {"type": "integer"},
                     "description": "R033's: the rows (records' places) of the empty cells, the first 10 of `count`"},
            "count": {"type": "integer", "description": "R033's: how many rows have the empty cell"},
            "unknown_key": {"type": "string", "description": "a missing column's: the request's key that looks "
                                                             "meant for it (birthDate for birth_date)"},
            "policy": {"type": "string", "description": "S403's: the policy the token may not use"},
            "errors": {"type": "array", "items": _ref("PolicyProblem"),
                       "description": "S012's: why the policy has no running version"},
        }, ("code", "message", "row", "column"), True,
            description="a problem of a request, or a warning of an answer; more fields may come"),
        "Errors": _object({"errors": {"type": "array", "items": _ref("Problem")}}),
        "PolicyProblem": _object({"code": _TEXT, "message": _ref("Message"),
                                  "at": {"type": ["string", "null"], "description": "FILE:LINE:COLUMN, the file "
                                                                                     "relative to the policy folder"}},
                                 more=True, description="why a policy file is not (or no longer) the running version"),
        "DecideRequest": {"type": "object", "required": ["teachers"], "additionalProperties": False, "properties": {
            "teachers": _TEACHER_RECORDS | {"maxItems": max_batch, "description": "contract columns, English or Chinese keys, "
                                                                          "codes or Chinese labels"},
            "schools": _SCHOOL_RECORDS_OR_NULL,
            "as_of": _AS_OF,
            "params": _MAPPING_OR_NULL | {"description": "parameter overrides, checked like --set"},
            "assume": _MAPPING_OR_NULL | {"description": "values for absent columns, like --assume"}}},
        "DecideResponse": _object({
            "policy": _TEXT, "version": _TEXT,
            "warnings": _WARNINGS,
            "decisions": {"type": "array", "items": _ref("Decision")}}),
        "Decision": _object(_DECISION_FIELDS, tuple(k for k in _DECISION_FIELDS if k not in _DECISION_OPTIONAL), True,
                            description="the record `policylang eval --format json` writes"),
        "DecisionRecord": _object({k: _DECISION_FIELDS[k] for k in _RECORD_FIELDS},
                                  tuple(k for k in _RECORD_FIELDS if k != "fired"), True,
                                  description="a decision without its labels (Decision.to_json)"),
        "Promotion": _object({"ok": _BOOLEAN, "unmet": _TEXTS, "barred": {"type": "array", "items": _object(
            {"rule": _TEXT, "lifts": _DATE_OR_NULL | {"description": "the first day the penalty no longer bars it"}})}}),
        "Consequence": _object({"rule": _TEXT, "effect": _TEXT, "label": _TEXT_OR_NULL,
                                "until": _DATE_OR_NULL | {"description": "its last day in force"}}),
        "Explanation": _object({
            "policy": _TEXT, "as_of": _DATE, "text": {"type": "string", "description": "as `policylang explain` "
                                                                                      "prints it"},
            "steps": {"type": "array", "items": _object({
                "kind": {"type": "string", "description": "rule, exemption, prerequisite, penalty, benefit"},
                "id": _TEXT, "title": _TEXT,
                "outcome": {"type": "string", "description": "fired, not_fired, unknown, exempted, set_aside, "
                                                             "applies, met, unmet, not_applicable, in_force, expired, "
                                                             "not_triggered, before_effective"},
                "detail": _TEXT_OR_NULL, "cites": _TEXTS,
                "version": {"type": "string", "description": "the file of an earlier version of a penalty or "
                                                             "benefit"},
                "conditions": {"type": "array", "items": _object({
                    "text": _TEXT, "value": {"type": ["boolean", "string", "null"],
                                             "description": "yes/no, unknown (null), or a value's text"},
                    "reads": {"type": "array", "items": _object({"name": _TEXT, "value": _TEXT})}})}},
                ("kind", "id", "title", "outcome", "detail", "cites", "conditions"))}}),
        "QuotaResponse": _object({"policy": _TEXT, "version": _TEXT, "warnings": _WARNINGS,
                                  "plans": {"type": "array", "items": _ref("QuotaPlan")}}),
        "QuotaPlan": _object({
            "per": _TEXT, "group": _TEXT, "teachers": _INTEGER, "targets": _INTEGER, "eligible": _INTEGER,
            "movers": _INTEGER, "may_decline": _INTEGER, "uncertain": _INTEGER, "feasible": _BOOLEAN,
            "outside": {"type": "array", "items": _TEXT,
                        "description": "ids of the targets no quota counts: whether they move is for their rule to say"},
            "group_name": {"type": ["string", "null"], "description": "a school group's name, as the roster gives it"},
            "requirements": {"type": "array", "items": _object({
                "quota": _TEXT, "title": _TEXT, "text": _TEXT, "text_zh": _TEXT,
                "kind": {"type": "string", "description": "movers, composition or headcount"},
                "base": {"type": ["number", "null"]}, "required": {"type": ["integer", "null"]},
                "available": _INTEGER, "feasible": _BOOLEAN, "lacking": _TEXTS, "base_column": _TEXT_OR_NULL},
                more=True)},
            "selection": {"type": "array", "items": _object({
                "id": _TEXT, "name": _TEXT_OR_NULL, "rank": _INTEGER, "of": _INTEGER, "status": _TEXT,
                "reasons": {"type": "array", "items": {"type": "array", "items": _TEXT, "minItems": 2, "maxItems": 2},
                            "description": "each [English, Chinese]"}}, more=True)}},
            more=True, description="what `policylang quota --format json` writes for a group"),
        "DiffResponse": _object({"base_version": _TEXT, "draft_version": _TEXT, "warnings": _WARNINGS,
                                 "report": _ref("DiffReport")}),
        "DiffReport": _object({
            "base": _TEXT, "draft": _TEXT, "as_of": _DATE, "people": _INTEGER, "changed": _INTEGER,
            "uncertain": _object({"people": _INTEGER, "changed": _INTEGER}),
            "differences": {"type": "array", "items": _object({
                "key": _TEXT, "kind": _TEXT, "id": _TEXT_OR_NULL, "change": _TEXT, "before": {}, "after": {},
                "en": _TEXT, "zh": _TEXT}, more=True)},
            "transitions": {"type": "array", "items": _object({"before": _TEXT, "after": _TEXT, "count": _INTEGER})},
            "causes": {"type": "array", "items": _object({"part": _TEXT, "kind": _TEXT, "changes": _TEXTS,
                                                          "people": _INTEGER}, more=True)},
            "breakdowns": {"type": "object", "description": "per dimension (school, age band …)", "additionalProperties": {
                "type": "array", "items": _object({
                    "value": {"type": ["string", "integer", "null"]},
                    "people": {"type": ["integer", "null"], "description": "null in the merged row (`others`)"},
                    "changed": _INTEGER,
                    "to_must_rotate": _INTEGER, "from_must_rotate": _INTEGER,
                    "protected": {"type": ["integer", "null"], "description": "people changed for a sensitive "
                                  "reason; null when suppressed"},
                    "others": {**_INTEGER, "description": "the last row only: how many values it merges, each "
                               "listed apart would tell a sensitive reason of fewer than 5 people (value null)"},
                    "suppressed": {**_BOOLEAN, "description": _SUPPRESSED}},
                    ("value", "people", "changed", "to_must_rotate", "from_must_rotate", "protected", "suppressed"),
                    more=True)}},
            "exemptions": {"type": "array", "items": _object({
                "exemption": _TEXT, "count": {"type": ["integer", "null"], "description": "null when suppressed"},
                "suppressed": {**_BOOLEAN, "description": "present (true) where the count is null: " + _SUPPRESSED}},
                ("exemption", "count"), True)},
            "persons": {"type": "array", "items": _object({
                "id": _TEXT, "before": _ref("DecisionRecord"), "after": _ref("DecisionRecord"), "fields": _TEXTS,
                "causes": {"type": "array", "items": _object({"part": _TEXT, "kind": _TEXT, "changes": _TEXTS},
                                                             more=True)}}, more=True)},
            "privacy": _object({"min_cell": _INTEGER, "note": _ref("Message")}),
            "quota_changes": {"type": "array", "items": _object({
                "per": _TEXT, "group": _TEXT, "group_name": _TEXT_OR_NULL, "movers_before": {"type": ["integer", "null"]},
                "movers_after": {"type": ["integer", "null"]}, "feasible_before": {"type": ["boolean", "null"]},
                "feasible_after": {"type": ["boolean", "null"]}}, more=True)}},
            tuple(k for k in ("base", "draft", "as_of", "people", "changed", "uncertain", "differences", "transitions",
                              "causes", "breakdowns", "exemptions", "persons", "privacy")), True,
            description="the report of `policylang diff --format json`"),
        "Policy": _object({
            "name": {"type": "string", "description": "the file's stem"},
            "title": _TEXT_OR_NULL, "version": {"type": ["string", "null"], "description": "null: never loaded"},
            "files": {"type": "array", "items": _object({"path": _TEXT, "sha256": _TEXT})},
            "as_of": _DATE_OR_NULL,
            "parameters": {"type": "object", "additionalProperties": _CELL,
                           "description": "each parameter's value, bare (its unit in parameter_details)"},
            "parameter_details": {"type": "object", "additionalProperties": _ref("Parameter")},
            "reads": {"type": "object", "additionalProperties": _TEXTS,
                      "description": "each roster column read (school.FIELD for a school's), with what reads it"},
            "loaded_at": {"type": ["string", "null"], "format": "date-time"},
            "ok": {"type": "boolean", "description": "false: the file on disk has errors (the last good version, if "
                                                     "any, runs)"},
            "errors": {"type": "array", "items": _ref("PolicyProblem")}}, more=True),
        "Parameter": _object({
            "value": _CELL, "type": {"type": "string", "enum": ["number", "date", "boolean", "text", "code"]},
            "unit": {"type": ["string", "null"], "enum": ["years", "months", "days", "percent", None],
                     "description": "null: a plain count"},
            "codes": _TEXTS | {"description": "a code's: the codes it takes"},
            "description": _TEXT_OR_NULL,
            "whole": {"type": "boolean", "description": "compared with a whole count (completed years, schools): "
                                                        "a fraction acts as the whole number next to it"}},
            ("value", "type", "unit", "description", "whole"), True),
        "PolicyList": _object({"generation": _INTEGER, "policies": {"type": "array", "items": _ref("Policy")}}),
        "Health": _object({"status": {"type": "string", "enum": ["ok"]}}),
        "Ready": _object({"ready": _BOOLEAN, "policies": _INTEGER, "generation": _INTEGER}),
        "Reload": _object({
            "loaded": _TEXTS, "failed": _TEXTS, "unchanged": _TEXTS, "removed": _TEXTS, "generation": _INTEGER,
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": _ref("PolicyProblem")},
                       "description": "per failed policy"}}),
    }


def _document(max_batch: int, max_body: int, max_upload: int) -> dict:
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "the policy file's stem (fujian_pilot_district for fujian_pilot_district.pol)"}
    lang = {"name": "lang", "in": "query", "schema": _LANG | {"default": "en"},
            "description": "language of the labels (status_label …) and explanations (without it, Accept-Language's; "
                           "the answer's Content-Language says which)"}
    decisions_file = {"text/csv": {"schema": {"type": "string"}},
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                          "schema": {"type": "string", "contentMediaType": "application/vnd.openxmlformats-"
                                                                           "officedocument.spreadsheetml.sheet"}},
                      "application/vnd.apache.parquet": {"schema": {"type": "string",
                                                                    "contentMediaType": "application/vnd.apache.parquet"}},
                      "application/json": {"schema": {"type": "array", "items": _ref("Decision")}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "policylang decision service (教师交流轮岗决策服务)", "version": "1",
                 "description": "Decides teachers under the policies of one folder. Every error is "
                                "{errors: [{code, message: {en, zh}, row, column, …}]}. The language of decide's "
                                "labels is ?lang=, else the one Accept-Language prefers of en and zh; of evaluate's "
                                "file, ?lang= alone, else as eval writes it (Content-Language names it). An answer of 1,400 bytes or more is gzip'd for a "
                                "client whose Accept-Encoding takes gzip (not an XLSX or Parquet file); a JSON body or "
                                "an upload may be sent gzip'd (Content-Encoding: gzip), its size limit counted "
                                "decompressed. A web page of another origin may call the service from a browser only "
                                "if the server was started with that origin (--cors-origin). See docs/service.md."},
        "paths": {
            "/health": {"get": {"summary": "The process answers", "security": [],
                                "responses": {"200": _json(_ref("Health"), "alive")}}},
            "/ready": {"get": {"summary": "At least one policy is loaded", "security": [],
                               "responses": {"200": _json(_ref("Ready"), "ready"),
                                             "503": _json(_ref("Ready"), "no policy runs")}}},
            "/metrics": {"get": {"summary": "Prometheus metrics (text format 0.0.4)",
                                 "responses": {"200": {"description": "metrics",
                                                       "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/v1/policies": {"get": {"summary": "The loaded policies", "responses": {
                "200": _json(_ref("PolicyList"), "every policy of the folder the token may use")}}},
            "/v1/policies/{name}": {"get": {"summary": "One policy", "parameters": [name], "responses": {
                "200": _json(_ref("Policy"), "the policy")}}},
            "/v1/policies/{name}/decide": {"post": {
                "summary": "Decide a batch of teachers",
                "parameters": [name,
                               {"name": "explain", "in": "query", "schema": {"type": "boolean", "default": False},
                                "description": "add each person's explanation"}, lang],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("DecideRequest")}}},
                "responses": {
                    "200": _json(_ref("DecideResponse"), "one decision per teacher, in order",
                                 _VERSION_HEADER | _LANGUAGE_HEADERS),
                    "413": _error_response(f"body over {max_body} bytes (S002), or over {max_batch} teachers (S008)"),
                    "422": _error_response("wrong types, invalid parameters or roster problems"),
                }}},
            "/v1/policies/{name}/evaluate": {"post": {
                "summary": "Decide an uploaded roster into a decisions file (streamed)",
                "parameters": [name] + [{"name": q, "in": "query", "schema": schema, "description": d} for q, schema, d in (
                    ("format", {"type": "string", "enum": ["csv", "xlsx", "parquet", "json"], "default": "csv"},
                     "the decisions file"),
                    ("lang", _LANG | {"description": "en or zh, or a language tag of either (zh-CN, en-US), by its "
                                                     "language; Accept-Language is not read here"},
                     "headers and labels (without it, as eval: English, a CSV or XLSX of a Chinese roster in "
                     "Chinese; never Accept-Language, which a client's stack sends unasked, since the file's "
                     "columns are a contract; the answer's Content-Language says which)"),
                    ("as_of", _AS_OF | {"type": "string"}, "reference date"),
                    ("set", {"type": "array", "items": {"type": "string"}}, "NAME=VALUE, as --set"),
                    ("assume", {"type": "array", "items": {"type": "string"}}, "COLUMN=VALUE, as --assume"),
                    ("skip_invalid", {"type": "boolean", "default": False}, "decide the valid rows"))],
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["teachers", "schools"],
                    "properties": {"teachers": _UPLOAD, "schools": _UPLOAD}}}}},
                "responses": {"200": {"description": "the decisions file, as `policylang eval -o FILE` writes it, in "
                                                     "the media type of ?format=",
                                      "content": decisions_file,
                                      "headers": _VERSION_HEADER | {
                                          "Content-Language": _header({"type": "string", "enum": ["en", "zh"]},
                                                                      "the language of the file's headers and labels"),
                                          "Content-Disposition": _header(_TEXT, "attachment; filename=\"decisions.csv\""),
                                          "X-Decided": _header(_INTEGER, "the teachers decided"),
                                          "X-Skipped": _header(_INTEGER, "the teachers left undecided "
                                                                         "(?skip_invalid=true)"),
                                          "X-Skipped-Rows": _header(_TEXT, "with skip_invalid, the rows of the "
                                                                           "teachers file left undecided: `3,7,12`, "
                                                                           "past 200 ending `,...`; absent when none"),
                                          "X-Warnings": _header(_TEXT, "what reading the files and parameters said "
                                                                       "beside the decisions, by code and count: "
                                                                       "`R012=2,L313=1`; absent when nothing"),
                                          "X-Warning-Rows": _header(_TEXT, "the warnings that name rows, as JSON in "
                                                                           "ASCII: `[{\"code\":\"R033\",\"column\":"
                                                                           "\"teaching\",\"rows\":[2,10],\"count\":2}]` "
                                                                           "(empty cells of a yes/no column read as 否, "
                                                                           "the first 10 rows); absent when none")}},
                              "413": _error_response(f"upload over {max_upload} bytes, a gzip'd one counted "
                                                     "decompressed (S002), more decisions than a sheet holds (S008)"),
                              "415": _error_response("not a multipart form, a form compressed otherwise than "
                                                     "with gzip (a Content-Encoding other than gzip, x-gzip or "
                                                     "identity), or a file `eval` does not read (S016)"),
                              "422": _error_response("roster problems (R0xx), invalid parameters")}}},
            "/v1/policies/{name}/quota": {"post": {
                "summary": "Per quota group: what each quota requires, and a proposed selection",
                "parameters": [name], "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("DecideRequest")}}},
                "responses": {"200": _json(_ref("QuotaResponse"), "what `policylang quota --format json` writes",
                                           _VERSION_HEADER),
                              "413": _error_response(f"body over {max_body} bytes (S002), or over {max_batch} "
                                                     "teachers (S008)"),
                              "422": _error_response("wrong types, invalid parameters or roster problems")}}},
            "/v1/diff": {"post": {
                "summary": "Whom a draft changes against a base policy, and why",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["base", "draft", "teachers"], "additionalProperties": False,
                    "properties": {"base": _TEXT, "draft": _TEXT,
                                   "teachers": _TEACHER_RECORDS | {"maxItems": max_batch},  # (S008 past it, as decide's)
                                   "schools": _SCHOOL_RECORDS_OR_NULL, "as_of": _AS_OF, "base_params": _MAPPING_OR_NULL, "draft_params": _MAPPING_OR_NULL,
                                   "assume": _MAPPING_OR_NULL}}}}},
                "responses": {"200": _json(_ref("DiffResponse"), "the report of `policylang diff --format json`, "
                                           "the people by their ids as sent (an id that is an ID number whole, as "
                                           "/decide answers it, where the command masks it)", {
                    "X-Base-Version": _header(_TEXT, "the base's version (`base_version`)"),
                    "X-Draft-Version": _header(_TEXT, "the draft's version (`draft_version`)")}),
                              "413": _error_response(f"body over {max_body} bytes (S002), or over {max_batch} "
                                                     "teachers (S008)"),
                              "422": _error_response("wrong types, invalid parameters or roster problems")}}},
            "/v1/reload": {"post": {"summary": "Re-read the policy folder; a file with errors keeps its last good "
                                               "version",
                                    "responses": {"200": _json(_ref("Reload"), "what changed, and why what failed "
                                                                               "failed")}}},
            "/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}}},
        },
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description":
                                                      "a token of the --tokens file; 401 S401 without, 403 S403 "
                                                      "outside its policies and operations"}},
                       "schemas": _schemas(max_batch)},
    }
    for path, operations in document["paths"].items():  # stable method names for a generated client (Java, C#)
        for method, operation in operations.items():
            operation["operationId"] = _OPERATION_IDS[(method, path)]
    return document


_OPERATION_IDS = {("get", "/health"): "health", ("get", "/ready"): "ready", ("get", "/metrics"): "metrics",
                  ("get", "/v1/policies"): "listPolicies", ("get", "/v1/policies/{name}"): "getPolicy",
                  ("post", "/v1/policies/{name}/decide"): "decide",
                  ("post", "/v1/policies/{name}/evaluate"): "evaluate",
                  ("post", "/v1/policies/{name}/quota"): "quota", ("post", "/v1/diff"): "diff",
                  ("post", "/v1/reload"): "reload", ("get", "/openapi.json"): "openApi"}
