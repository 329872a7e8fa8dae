"""The OpenAPI 3.1 document of the service, written by hand (served at ``/openapi.json``)."""

from __future__ import annotations


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}


def openapi_document(max_batch: int, max_body: int, max_upload: int = 256 * 1024 * 1024) -> dict:
    return _with_common_errors(_document(max_batch, max_body, max_upload), max_body)


def _with_common_errors(document: dict, max_body: int) -> dict:
    """The errors every operation of a kind can answer, declared where the operation does not
    declare its own (a client generated from the document then knows them): 401 and 403 on an
    operation a token guards, 404 on one naming a policy, 400 and 413 on a JSON body."""
    for path, operations in document["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            if operation.get("security") != []:
                responses.setdefault("401", _error_response("no token, or one the tokens file does not know (S401)"))
                responses.setdefault("403", _error_response("the token is not allowed this policy or operation "
                                                            "(S403)"))
            content = operation.get("requestBody", {}).get("content", {})
            if "{name}" in path or path == "/v1/diff":  # (the diff names its two policies in the body)
                responses.setdefault("404", _error_response("no such policy (S404)"))
            if "application/json" in content:
                responses.setdefault("400", _error_response("the body is not JSON, or gives a key twice (S003)"))
                responses.setdefault("413", _error_response(f"body over {max_body} bytes"))
            if "multipart/form-data" in content:
                responses.setdefault("400", _error_response("the form cannot be read as multipart/form-data (S017)"))
    return document


# not `format: date`: the service also takes the forms an official writes (2025/9/1, 2025年9月1日),
# and the number 20250901, as a record's date
_AS_OF = {"type": ["string", "integer"], "description": "the reference date, in any form a record's date is read in: "
          "YYYY-MM-DD, or 2025/9/1, 2025.9.1, 2025年9月1日, 20250901 (text or a number), 2025-09-01T00:00:00 (midnight, "
          "no offset); not a month, nor a moment (…T23:59:00, …Z, …+08:00); the policy file's `as of` when absent"}
_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_TEXTS = {"type": "array", "items": {"type": "string"}}
_OBJECTS = {"type": "array", "items": {"type": "object"}}
# the fields of a decision as `eval --format json` writes them (contract.md, Decisions out)
_DECISION_FIELDS = {
    "id": _TEXT, "status": {"type": "string", "enum": ["must_rotate", "eligible", "exempt", "not_eligible"]},
    "status_label": _TEXT, "rule": _TEXT_OR_NULL, "exemption": _TEXT_OR_NULL, "exemption_label": _TEXT_OR_NULL,
    "may_decline": _TEXTS, "direction": _TEXT_OR_NULL, "direction_label": _TEXT_OR_NULL,
    "promotion": {"type": "object", "description": "per target (first, senior, full_senior, principal): "
                                                   "{ok, unmet, barred}"},
    "penalties": _OBJECTS, "benefits": _OBJECTS, "cite": _TEXTS, "assumptions": _TEXTS, "as_of": _TEXT,
    "fired": _OBJECTS, "roster": {"type": "object"}, "explanation": {"type": "object"}}


def _document(max_batch: int, max_body: int, max_upload: int) -> dict:
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "the policy file's stem (fujian_pilot_district for fujian_pilot_district.pol)"}
    json_ok = lambda ref, d: {"description": d, "content": {"application/json": {"schema": {"$ref": ref}}}}  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {"title": "policylang decision service (教师交流轮岗决策服务)", "version": "1",
                 "description": "Decides teachers under the policies of one folder. Every error is "
                                "{errors: [{code, message: {en, zh}, row, column}]}. See docs/service.md."},
        "paths": {
            "/health": {"get": {"summary": "The process answers", "security": [], "responses": {"200": {"description": "alive"}}}},
            "/ready": {"get": {"summary": "At least one policy is loaded", "security": [],
                               "responses": {"200": {"description": "ready"}, "503": {"description": "no policy"}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics (text format 0.0.4)",
                                 "responses": {"200": {"description": "metrics",
                                                       "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/v1/policies": {"get": {"summary": "The loaded policies", "responses": {
                "200": json_ok("#/components/schemas/PolicyList", "every policy of the folder")}}},
            "/v1/policies/{name}": {"get": {"summary": "One policy", "parameters": [name], "responses": {
                "200": json_ok("#/components/schemas/Policy", "the policy")}}},
            "/v1/policies/{name}/decide": {"post": {
                "summary": "Decide a batch of teachers",
                "parameters": [name,
                               {"name": "explain", "in": "query", "schema": {"type": "boolean", "default": False},
                                "description": "add each person's explanation"},
                               {"name": "lang", "in": "query", "schema": {"enum": ["en", "zh"], "default": "en"},
                                "description": "language of the labels (status_label …) and explanations"}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/DecideRequest"}}}},
                "responses": {
                    "200": json_ok("#/components/schemas/DecideResponse", "one decision per teacher, in order"),
                    "413": _error_response(f"body over {max_body} bytes, or over {max_batch} teachers"),
                    "422": _error_response("wrong types, invalid parameters or roster problems"),
                }}},
            "/v1/policies/{name}/evaluate": {"post": {
                "summary": "Decide an uploaded roster into a decisions file (streamed)",
                "parameters": [name] + [{"name": q, "in": "query", "schema": schema, "description": d} for q, schema, d in (
                    ("format", {"enum": ["csv", "xlsx", "parquet", "json"], "default": "csv"}, "the decisions file"),
                    ("lang", {"enum": ["en", "zh"]}, "headers and labels (default as eval: English, an XLSX for a "
                                                     "Chinese roster in Chinese)"),
                    ("as_of", _AS_OF | {"type": "string"}, "reference date"),
                    ("set", {"type": "array", "items": {"type": "string"}}, "NAME=VALUE, as --set"),
                    ("assume", {"type": "array", "items": {"type": "string"}}, "COLUMN=VALUE, as --assume"),
                    ("skip_invalid", {"type": "boolean", "default": False}, "decide the valid rows"))],
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["teachers", "schools"],
                    "properties": {"teachers": {"type": "string", "format": "binary"},
                                   "schools": {"type": "string", "format": "binary"}}}}}},
                "responses": {"200": {"description": "the decisions file, as `policylang eval -o FILE` writes it"},
                              "413": _error_response(f"upload over {max_upload} bytes"),
                              "415": _error_response("not a multipart form, or a file not .csv, .xlsx or .parquet"),
                              "422": _error_response("roster problems (R0xx), invalid parameters")}}},
            "/v1/policies/{name}/quota": {"post": {
                "summary": "Per quota group: what each quota requires, and a proposed selection",
                "parameters": [name], "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/DecideRequest"}}}},
                "responses": {"200": {"description": "{policy, version, plans}: what `policylang quota --format json` "
                                                     "writes"},
                              "422": _error_response("wrong types, invalid parameters or roster problems")}}},
            "/v1/diff": {"post": {
                "summary": "Whom a draft changes against a base policy, and why",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["base", "draft", "teachers"], "additionalProperties": False,
                    "properties": {"base": {"type": "string"}, "draft": {"type": "string"},
                                   "teachers": {"type": "array", "items": {"type": "object"}},
                                   "schools": {"type": "array", "items": {"type": "object"}},
                                   "as_of": _AS_OF,
                                   "base_params": {"type": "object"}, "draft_params": {"type": "object"},
                                   "assume": {"type": "object"}}}}}},
                "responses": {"200": {"description": "{base_version, draft_version, report}: the report of "
                                                     "`policylang diff --format json`"},
                              "422": _error_response("wrong types, invalid parameters or roster problems")}}},
            "/v1/reload": {"post": {"summary": "Re-read the policy folder; a file with errors keeps its last good "
                                               "version", "responses": {"200": {"description": "what changed"}}}},
            "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI"}}}},
        },
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description":
                                                      "a token of the --tokens file; 401 S401 without, 403 S403 "
                                                      "outside its policies and operations"}},
                       "schemas": {
            "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"},
                               "message": {"type": "object", "properties": {"en": {"type": "string"},
                                                                             "zh": {"type": "string"}}},
                               "row": {"type": ["integer", "null"]}, "column": {"type": ["string", "null"]},
                               "column_zh": {"type": "string",
                                             "description": "a missing column's Chinese name (孕期)"},
                               "value": {}}}}}},
            "DecideRequest": {"type": "object", "required": ["teachers"], "additionalProperties": False, "properties": {
                "teachers": {"type": "array", "maxItems": max_batch, "items": {"type": "object"},
                             "description": "contract columns, English or Chinese keys, codes or Chinese labels"},
                "schools": {"type": "array", "items": {"type": "object"}},
                "as_of": _AS_OF,
                "params": {"type": "object", "description": "parameter overrides, checked like --set"},
                "assume": {"type": "object", "description": "values for absent columns, like --assume"}}},
            "DecideResponse": {"type": "object", "properties": {
                "policy": {"type": "string"}, "version": {"type": "string"},
                "warnings": {"type": "array", "items": {"type": "object"},
                             "description": "keys no column knows (R012) and values assumed for absent columns "
                                            "(R013), as eval lists them"},
                "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}}}},
            "Decision": {"type": "object", "description": "the record `policylang eval --format json` writes",
                         "properties": _DECISION_FIELDS | {"uncertain": {
                             "type": "array", "items": {"type": "string"},
                             "description": "the fields whose unknown value could change this decision: an empty "
                                            "one a rule reads, a year-month date's day (数据不全待核实)"}}},
            "Policy": {"type": "object", "properties": {k: {} for k in (
                "name", "title", "version", "files", "as_of", "parameters", "reads", "loaded_at", "ok", "errors")}},
            "PolicyList": {"type": "object", "properties": {"generation": {"type": "integer"}, "policies": {
                "type": "array", "items": {"$ref": "#/components/schemas/Policy"}}}},
        }},
    }
