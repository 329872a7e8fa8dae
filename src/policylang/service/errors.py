"""A request refused: its HTTP status and its problems, each ``{code, message: {en, zh}, row,
column}`` with the project's codes (``S0xx`` the service's own, ``R0xx`` the roster reader's,
``T``/``R1xx`` the checker's); and the service's JSON answer (``JSONAnswer``), a refusal's as any."""

from __future__ import annotations

import json
from pathlib import PurePath

from starlette.responses import JSONResponse

from policylang.io.id_number import masked_in_text
from policylang.io.safe_text import json_utf8


class ServiceError(Exception):
    """A request refused: the HTTP status, the errors and any headers of the answer."""

    def __init__(self, status: int, errors: list[dict], headers: dict[str, str] | None = None):
        super().__init__(errors[0]["message"]["en"] if errors else str(status))
        self.status, self.errors, self.headers = status, errors, headers or {}


def problem(code: str, en: str, zh: str, row: int | None = None, column: str | None = None, **more) -> dict:
    """One error or warning of an answer, its texts masked as a roster's problems are (``id_number.
    masked_in_text``): every refusal is made here, and a request's own values are quoted by some (an
    `as_of`, a parameter's value or name, an `assume` key) that no roster problem masked for them."""
    if isinstance(more.get("value"), str):
        more["value"] = masked_in_text(more["value"])
    return {"code": code, "message": {"en": masked_in_text(en), "zh": masked_in_text(zh)}, "row": row,
            "column": masked_in_text(column) if column else column} | more


def refuse(status: int, code: str, en: str, zh: str, **more) -> ServiceError:
    return ServiceError(status, [problem(code, en, zh, **more)])


PROBLEMS_SHOWN = 500  # a roster with 100,000 bad rows is not 100,000 objects in an answer


def roster_problem(p, file: str | None = None, table: str | None = None) -> dict:
    """One problem of the roster reader: ``column`` as the roster or the contract names it, and
    ``column_zh`` beside it when the column is missing from the roster (its Chinese name, 孕期).
    A problem of the body's records says which list (``table``; its row the record's place in
    it), and has no ``file``: the warnings of a list's keys, read under the list's name, too."""
    named = {"column_zh": p.column_zh} if p.column_zh else {}
    if p.sheet is not None:  # a workbook of several sheets: its rows numbered alike on each
        named["sheet"] = str(p.sheet)
    if p.rows:  # a warning of several rows (R033), each named as the message names it
        named["rows"], named["count"] = list(p.rows), p.count
    table = table or _LISTS.get(p.file)
    if file is None and table is None and p.file and not p.file.startswith("<"):
        file = PurePath(p.file).name
    return problem(p.code, p.message_en, p.message_zh, row=p.row, column=p.column, value=p.value, file=file,
                   **named, **({"table": table} if table else {}))


_LISTS = {"<teachers>": "teachers", "<schools>": "schools"}


def roster_errors(problems) -> list[dict]:
    """The roster reader's problems as errors: the first ``PROBLEMS_SHOWN``, then one saying how
    many more there are."""
    shown = [roster_problem(p) for p in problems[:PROBLEMS_SHOWN]]
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        shown.append(problem("S015", f"{more} more problems not listed", f"另有 {more} 个问题未列出"))
    return shown


def policy_errors(exc, column: str | None = None) -> list[dict]:
    """A ``PolicyError`` (parameters, a reference date) as errors, each message with the
    checker's hint where it has one, as ``--set`` says it (`45岁`: 可写作 `45` 或 `45周岁`; a
    float past six decimals: 小数部分最多 6 位): a client shows the message, and nothing else.
    ``column``: what the request named it by (a parameter, `as_of`)."""
    return [problem(d.code, d.hinted("en"), d.hinted("zh"), column=column) for d in (exc.errors or exc.diagnostics)] \
        or [problem("S011", "the parameters are not valid", "参数无效", column=column)]


class JSONAnswer(JSONResponse):
    """Every JSON answer of the service, a refusal's as a policy's: its DEL, C1 and bidirectional
    controls escaped (``json_utf8``), as a decision is written. A message or a warning echoes the
    request's path, keys and ids, and a policy's title its file, whose U+202E or CSI (U+009B)
    would reorder or drive the terminal of whoever reads the answer or a log of it."""

    def render(self, content) -> bytes:
        return json_utf8(json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
