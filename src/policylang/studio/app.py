"""The ASGI application of ``policylang studio`` (Starlette): the page, its static assets, and
the JSON endpoints the page calls.

Every endpoint that works on a policy takes the editor's text as it is (unsaved) with its
path in the policy root, compiles it with ``policylang.api`` (``extends`` resolved inside the
root only) and answers in the page's language. Bad input is answered 4xx with the project's
codes and English and Chinese messages (``service.errors``); an unexpected failure is logged
and answered 500 with a message, never a traceback. Nothing leaves the policy root: paths are
checked by ``root.PolicyRoot``; uploads go to a folder of their own, capped in size."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import threading
import warnings
from collections import OrderedDict
from pathlib import Path

import attrs
import polars as pl
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import policylang
from policylang import api
from policylang.core.diagnostics import PolicyError
from policylang.core.i18n import word
from policylang.io.id_column import IN_STUDIO, IdsShown, holds_id_numbers, id_numbers_warning
from policylang.io.output import (IDENTITY, Layout, Notes, TooManyRows, alike_problems, alike_rows_text, csv_bytes,
                                  roster_problem_lines, xlsx_bytes)
from policylang.io import roster as R
from policylang.io.roster.reader import AssumptionError
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import UNCERTAIN_COLUMN, decision_from_row
from policylang.lang.legal_dates import DateOutOfRange
from policylang.lang.policy import STATUSES, not_yet_in_force, reference_date
from policylang.lang.pretty import display_name, parameter_text
from policylang.lang.reads import parameters_read, read_deciding_one
from policylang.present.render import asserts_nothing_text, mismatch_text, tests_summary
from policylang.present.roster_template import field_meaning
from policylang.present.report import changed_text, html_report
from policylang.lang.schema import Caller
from policylang.service.decide import (assuming, assuming_both, explanation_json, keys_said_in_the_answer, out_of_calendar,
                                       typed_params)
from policylang.service.body import date, fields, mapping, parse_json, read_bytes
from policylang.service.errors import ServiceError, policy_errors, problem, refuse, roster_errors, roster_problem
from policylang.studio import MAX_TEXT, MAX_UPLOAD
from policylang.studio import sources as SRC
from policylang.studio.editor import EditorServices
from policylang.studio.root import FileRefused, PolicyRoot
from policylang.studio.roster import KINDS, RosterStore, UploadError

log = logging.getLogger("policylang.studio")
STATIC = Path(__file__).parent / "static"
MAX_PAGE = 200
_COMPILED = 16  # compiled policy texts kept


class Studio:
    """The state behind one page: the policy root, the editor's services, the uploaded roster,
    and the policies compiled from the editor's texts (a few, most recent first)."""

    def __init__(self, root: str | Path, max_upload: int = MAX_UPLOAD):
        self.root = PolicyRoot(root)
        self.editor = EditorServices(self.root.folder)
        self.roster = RosterStore()
        self.max_upload = max_upload
        self._compiled: OrderedDict[tuple, policylang.Policy | PolicyError] = OrderedDict()
        self._lock = threading.Lock()

    def policy(self, path: str, text: str) -> tuple[policylang.Policy, str]:
        """The editor's text compiled (``extends`` inside the root), and a key naming it; raises
        ``ServiceError`` (422) listing the policy's errors."""
        file = self.root.resolve(path)
        key = (str(file), hashlib.sha256(text.encode("utf-8")).hexdigest(), self.root.stamp())
        with self._lock:
            found = self._compiled.get(key)
        if found is None:
            try:
                found = api.loads(text, name=str(file), root=self.root.folder).asked_by(STUDIO_CALLER)
            except PolicyError as exc:
                found = exc
            with self._lock:
                self._compiled[key] = found
                while len(self._compiled) > _COMPILED:
                    self._compiled.popitem(last=False)
        if isinstance(found, PolicyError):
            inside = str(self.root.folder) + "/"
            raise ServiceError(422, [problem(d.code, d.en, d.zh, at=str(d.span).replace(inside, "") if d.span else None)
                                     for d in found.errors] or [problem("S011", "the policy has errors", "政策有错误")])
        return found, "|".join(map(str, key))


# what the page's messages tell a drafter to do to state a value: the box beside the roster
STUDIO_CALLER = Caller("the box “Values for columns the roster lacks”", "“名册缺少的列按此取值”一栏",
                       "`{name}={value}` in the box “Values for columns the roster lacks”",
                       "在“名册缺少的列按此取值”一栏填写 `{name}={value}`", "strict", "<params>")


# ---- what the endpoints share -------------------------------------------------------------


def _policy(studio: Studio, body: dict, path: str | None = None, text: str | None = None, assume: bool = True
            ) -> tuple[policylang.Policy, str]:
    """The request's policy (the editor's text unless ``path`` and ``text`` are given), reading
    rosters with the values ``assume`` states for columns they lack (``{"孕期": "否"}``), as
    ``--assume`` does (unless not ``assume``: two policies compared share them out,
    ``assuming_both``); and the key naming both."""
    policy, key = studio.policy(body.get("path") if path is None else path, _text(body) if text is None else text)
    values = mapping(body, "assume")
    if not values or not assume:
        return policy, key
    return assuming(policy, values), key + "|" + json.dumps(sorted(values.items()), ensure_ascii=False)



def _text(body: dict, key: str = "text") -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise refuse(422, "S005", f"`{key}` must be text", f"`{key}` 应为文本", column=key)
    return value


def _int(body: dict, key: str, default: int, low: int = 0, high: int = 10**9) -> int:
    value = body.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise refuse(422, "S005", f"`{key}` must be a whole number from {low} to {high}",
                     f"`{key}` 应为 {low} 至 {high} 之间的整数", column=key)
    return value


def _yes_no(body: dict, key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise refuse(422, "S005", f"`{key}` must be true or false", f"`{key}` 应为 true 或 false", column=key)
    return value


def _lang(body: dict) -> str:
    return "en" if body.get("lang") == "en" else "zh"


def _params(policy: policylang.Policy, body: dict, key: str = "params") -> dict | None:
    given = {k: v for k, v in mapping(body, key).items() if v not in (None, "")}
    # a number from the page is read as the policy writes it (`45` is `45 years` for an age)
    return typed_params(policy, {k: str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                                 for k, v in given.items()}) or None


def _as_of(body: dict) -> dt.date | None:
    """The date typed in the page's 参考日期 box; one that is none is refused naming the box (it
    is no roster column), in the forms a person types in it (no date-time or time zone: the
    service's wording for a program's JSON)."""
    value = body.get("as_of")
    try:
        return date(value, "as_of", "参考日期")
    except ServiceError:
        pass
    try:
        read = R.parse_date(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    except ValueError:
        read = None
    why_en, why_zh = R.why_no_day(value, read)
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)[:60]
    raise refuse(422, "S009", f"the reference date `{shown}` is not a date{why_en} ({AS_OF_FORMS_EN})",
                 f"参考日期“{shown}”不是日期{why_zh}（{AS_OF_FORMS_ZH}）", field="as_of")


# the forms a date may be typed in the 参考日期 box (the roster reader's full dates)
AS_OF_FORMS_EN = "write it as 2025-09-01, 2025/9/1, 2025.9.1, 2025年9月1日 or 20250901"
AS_OF_FORMS_ZH = "应写作 2025-09-01、2025/9/1、2025.9.1、2025年9月1日 或 20250901"


def _reference(policy: policylang.Policy, body: dict) -> dt.date:
    """The date the body's decisions are made at, settled once (the roster is read for it)."""
    return reference_date(_as_of(body), policy.checked)


def _params_key(params: dict | None, as_of) -> str:
    return json.dumps(sorted((k, str(v)) for k, v in (params or {}).items())) + f"@{as_of}"


def _value(value: object) -> object:
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return float(value) if hasattr(value, "numerator") else str(value)


def _need_roster(studio: Studio, body: dict) -> None:
    """The roster uploaded, and the one the page shows (``roster_version``, as the roster's summary
    gave it): a page open in another window or tab replaces it for both, and the older page's rows
    would then name other people (its second row explained as another file's fourth)."""
    if not studio.roster.ready:
        raise refuse(409, "S020", "upload the teachers and the schools files first", "请先上传教师名册和学校名册")
    shown = body.get("roster_version")
    if shown is not None and shown != studio.roster.version:
        raise refuse(409, "S023", "the roster was replaced (in another window or tab, or by an upload this page has "
                     "not shown yet): reload this page", "名册已更换（在其他窗口或标签页中，或本页刚上传、尚未显示）：请刷新本页面，再查看或下载")


def _decisions(studio: Studio, policy: policylang.Policy, key: str, body: dict):
    _need_roster(studio, body)
    # the date settled here, once: the cache key, the decisions and the file all carry it
    params, as_of = _params(policy, body), _reference(policy, body)
    try:
        loaded, table = studio.roster.decisions(policy, key + _params_key(params, as_of), as_of, params)
    except DateOutOfRange as exc:
        raise out_of_calendar(exc) from None
    if table is None:
        raise ServiceError(422, roster_errors(list(loaded.problems)))
    return loaded, table, params, as_of


def _layout(policy: policylang.Policy, lang: str, fired: bool = False) -> Layout:
    return Layout.of_policy(policy.checked, lang=lang, carried=IDENTITY, fired=fired)


def _ids(table: pl.DataFrame) -> IdsShown:
    """How the studio shows the decided roster's ids: as its decisions files do (``id_column``: an ID
    number masked), whether the id column is one of ID numbers decided on the whole column."""
    return IdsShown(numbers=holds_id_numbers(table["id"]))


# ---- the endpoints, as plain functions of a studio and a body (run in the thread pool) ------


def list_files(studio: Studio, body: dict) -> dict:
    return {"root": studio.root.folder.name, "files": studio.root.files()}


def check(studio: Studio, body: dict) -> dict:
    path, text, lang = body.get("path"), _text(body), _lang(body)
    studio.root.resolve(path)
    return {"diagnostics": studio.editor.diagnostics(path, text, lang)}


def complete(studio: Studio, body: dict) -> dict:
    path, text = body.get("path"), _text(body)
    studio.root.resolve(path)
    return studio.editor.complete(path, text, _int(body, "offset", 0), _lang(body),
                                 _yes_no(body, "after_space"))


def hover(studio: Studio, body: dict) -> dict:
    path, text = body.get("path"), _text(body)
    studio.root.resolve(path)
    return {"hover": studio.editor.hover(path, text, _int(body, "offset", 0), _lang(body))}


def format_text(studio: Studio, body: dict) -> dict:
    path, text = body.get("path"), _text(body)
    studio.root.resolve(path)
    return {"text": studio.editor.format(path, text)}


def run_tests(studio: Studio, body: dict) -> dict:
    policy, _ = _policy(studio, body)
    lang = _lang(body)
    # each mismatch worded as `policylang test` words it, in the page's language (结论：预期 …，实际 …)
    results = [api.describe_result(r) | {"said": [mismatch_text(m, lang) for m in r.mismatches]
                                                 + ([asserts_nothing_text(lang)] if r.asserts_nothing else []),
                                         "error_said": r.error_text(lang) if r.error else None}
               for r in policy.test()]
    passed = sum(r["passed"] and not r["asserts_nothing"] for r in results)
    failed = sum(not r["passed"] for r in results)
    empty = len(results) - passed - failed
    return {"passed": passed, "failed": failed, "asserts_nothing": empty,
            "summary": tests_summary(passed, failed, empty, lang), "results": results}


def _field_json(field: S.Field, table: str, read: bool, start: object, lang: str) -> dict:
    """A box of the one-person form: the field, whether the policy reads it, the value it starts
    with, and what it holds in the page's language."""
    type_ = field.type
    kind = ("enum" if isinstance(type_, T.EnumType) else "date" if isinstance(type_, T.DateType)
            else "bool" if isinstance(type_, T.BoolType) else "number" if isinstance(type_, T.NumberType) else "text")
    out = {"name": field.name, "zh": field.zh, "table": table, "kind": kind, "doc": field_meaning(table, field, lang),
           "read": read, "start": _value(start),
           # a box a year and month alone may be typed in (1985-03), as its hint says: no date picker
           "year_month": (table, field.name) in _YEAR_MONTH}
    if field.enum is not None:
        out["codes"] = [{"code": c, "zh": field.enum.labels[c]} for c in field.enum.codes]
    return out


_YEAR_MONTH = {("teacher", "birth_date")}  # as the roster template marks it (its `month` kind)
_FORM_ALWAYS = ("id", "name", "school_id", "school.name")  # who and where, read or not
_FORM_NEVER = ("school.school_id",)  # the teacher's school_id, asked once


def form(studio: Studio, body: dict) -> dict:
    """The fields of one person's form (those the policy reads, those every roster must have,
    and who and where), and the parameters with their values."""
    policy, _ = _policy(studio, body)
    lang = _lang(body)
    reads = policy.reads
    deciding = read_deciding_one(policy.checked)  # in bold; not what a quota alone reads (区域 for NA-1a)
    start = policy.neutral_values()  # as `try` and an in-language test start (a 55 retirement category, not 0)
    out = []
    for table, prefix in ((policy.checked.teachers, ""), (policy.checked.schools, "school.")):
        for field in table.fields:
            if prefix + field.name not in _FORM_NEVER and (
                    prefix + field.name in reads or field.required or prefix + field.name in _FORM_ALWAYS):
                read = (table.name, field.name) in deciding
                out.append(_field_json(field, table.name, read, start.get(prefix + field.name), lang))
    read = parameters_read(policy.checked)  # (one only a repealed clause read moves nobody: not offered to move)
    parameters = [{"name": n, "value": _value(p.value), "type": p.type.describe(), "doc": p.doc,
                   "number": isinstance(p.type, T.NumberType) and not isinstance(p.value, bool), "read": n in read}
                  for n, p in policy.checked.parameters.items()]
    return {"title": policy.title, "as_of": _value(policy.as_of), "fields": out, "parameters": parameters}


def reference(studio: Studio, body: dict) -> dict:
    """The date the page's answers are made at, with a note when it is before the policy takes
    effect, as ``--as-of`` says it: decisions at a day the policy was not yet in force."""
    policy, _ = _policy(studio, body)
    as_of = _reference(policy, body)
    return {"as_of": as_of.isoformat(),
            "notes": [en if _lang(body) == "en" else zh for en, zh in not_yet_in_force(as_of, policy.checked)]}


def decide_one(studio: Studio, body: dict) -> dict:
    policy, _ = _policy(studio, body)
    lang = _lang(body)
    teacher, school = mapping(body, "teacher"), mapping(body, "school")
    # a box of the form left empty is an empty value, as `try` reads a field not given: stated, not missing
    blank = {name: "" for prefix, record in (("", teacher), ("school.", school))
             for k, v in record.items() if v in (None, "") and (name := prefix + k) in policy.reads}
    if blank:
        try:
            policy = policy.assuming(blank, open_ended=True)  # an empty stage: its rules said undecided, as by `try`
        except AssumptionError as exc:
            raise refuse(422, "S013", exc.message_en, exc.message_zh) from None
    teacher = {k: v for k, v in teacher.items() if v not in (None, "")}
    school = {k: v for k, v in school.items() if v not in (None, "")}
    params, as_of = _params(policy, body), _as_of(body)
    try:
        with keys_said_in_the_answer(), warnings.catch_warnings(record=True) as said:
            # a key no field has comes from no form of the page: not echoed; a start before work is said below
            warnings.simplefilter("always", api.ValuesToCheck)
            ex = policy.explain(teacher, school, as_of=as_of, params=params)
            decision = policy.decide(teacher, school, as_of=as_of, params=params)
    except api.RosterError as exc:
        raise ServiceError(422, roster_errors(_as_the_form_says(policy, exc.problems))) from None
    except DateOutOfRange as exc:
        raise out_of_calendar(exc) from None
    for w in said:  # (what the page has no place for: on the console, as before)
        if not isinstance(w.message, api.ValuesToCheck):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    uncertain = ";".join(decision.uncertain)
    shown = _layout(policy, lang).label(UNCERTAIN_COLUMN)
    return {"status": decision.status, "status_label": word(decision.status, lang), "rule": decision.rule,
            "cite": list(decision.cite), "uncertain": (shown(uncertain) if shown else uncertain) if uncertain else "",
            "notes": _person_notes(policy, teacher, said), "explanation": explanation_json(ex, lang)}


def _person_notes(policy: policylang.Policy, teacher: dict, said) -> list[dict]:
    """What reading the form's values warned of (``ValuesToCheck``), as the roster's notes are
    listed: a start at the school before work (R050), in one person's words, once (of the person on
    the form: not 工号 T1 的…, as ``decide`` names whose it is)."""
    checked = {p.code for w in said if isinstance(w.message, api.ValuesToCheck) for p in w.message.problems}
    notes = []
    if "R050" in checked:
        said = R.early_start_of_one(R.TEACHER_RECORDS, policy.checked.teachers, teacher["school_start"],
                                    teacher["work_start"])
        notes.append(problem(said.code, said.message_en, said.message_zh, column=said.column))
    return notes


def _as_the_form_says(policy: policylang.Policy, problems) -> list:
    """The problems of one person's form as its boxes name them: a field by its Chinese label
    (出生日期, not birth_date), and no row (第 1 行 of a form of one person says nothing)."""
    said = []
    for p in problems:
        table = policy.checked.schools if p.file == "<schools>" else policy.checked.teachers
        field = table.field(p.column) if p.column else None
        said.append(attrs.evolve(p, row=None, column_zh=field.zh if field is not None and field.zh else p.column_zh))
    return said


def roster_summary(studio: Studio, body: dict) -> dict:
    store = studio.roster
    out = {"files": dict(store.names), "ready": store.ready, "version": store.version}
    path, text = body.get("path"), body.get("text")
    if store.ready and isinstance(path, str) and isinstance(text, str):
        policy, _ = _policy(studio, body, path, text)
        as_of = _reference(policy, body)
        loaded = store.load(policy, as_of)
        # as the terminal lists them: the same problem down a column once, with its rows (第2至401行（共400行）)
        groups = alike_problems(loaded.problems)
        problems = roster_errors([group[0] for group in groups])
        for p, group in zip(problems, groups):
            p["file"] = group[0].file
            if len(group) > 1:
                p |= {"row": None, "rows": [q.row for q in group[:R.ROWS_NAMED]], "count": len(group)}
            if p["row"] is None and (rows := alike_rows_text(group, "en")) is not None:
                p["rows_said"] = {"en": rows, "zh": alike_rows_text(group, "zh")}
        out |= {"as_of": as_of.isoformat(), "read": loaded.read,
                "valid": loaded.frame.height if loaded.frame is not None else 0,
                "problems": problems, "problem_count": len(loaded.problems),
                "warnings": [roster_problem(w, file=w.file) for w in loaded.warnings[:100]]}
    return out


def decisions(studio: Studio, body: dict) -> dict:
    """One page of the decisions, filtered: ``query`` (id or name), ``status``, ``school``, ``rule``."""
    policy, key = _policy(studio, body)
    lang = _lang(body)
    loaded, table, _, _ = _decisions(studio, policy, key, body)
    size = _int(body, "size", 50, 1, MAX_PAGE)
    page = _int(body, "page", 0)
    shown = table
    query = body.get("query")
    if isinstance(query, str) and query.strip():
        q = query.strip()
        hit = pl.col("id").str.contains(q, literal=True)
        if "*" in q:  # an id copied from a decisions file, an ID number masked: the rows shown so
            hit = hit | pl.Series(_ids(table).texts(table["id"].to_list(), tally=False)).str.contains(q, literal=True)
        if "name" in shown.columns:
            hit = hit | pl.col("name").fill_null("").str.contains(q, literal=True)
        shown = shown.filter(hit)
    for column, key_ in (("status", "status"), ("school_id", "school")):
        value = body.get(key_)
        if isinstance(value, str) and value and column in shown.columns:
            shown = shown.filter(pl.col(column) == value)
    rule = body.get("rule")
    if isinstance(rule, str) and rule:
        shown = shown.filter((pl.col("rule") == rule) | pl.col("fired").fill_null("").str.split(";").list.eval(
            pl.element().str.split(":").list.first()).list.contains(rule))
    total = shown.height
    rows = shown.slice(page * size, size)
    layout = _layout(policy, lang)
    labels = {c: layout.label(c) for c in ("status", "exemption", "direction", UNCERTAIN_COLUMN)}

    def cell(column: str, value):
        label = labels.get(column)
        return label(value or "") if label and value else (value or "")

    ids = _ids(table).texts(rows["id"].to_list(), tally=False)
    out_rows = [{"row": r["row"], "id": ident, "name": r.get("name") or "", "school_id": r.get("school_id") or "",
                 "school_name": r.get("school_name") or "", "status": r["status"],
                 "status_label": word(r["status"], lang), "rule": r["rule"] or "",
                 "exemption": cell("exemption", r["exemption"]), "direction": cell("direction", r["direction"]),
                 "cite": r["cite"] or "", "uncertain": cell(UNCERTAIN_COLUMN, r[UNCERTAIN_COLUMN])}
                for r, ident in zip(rows.iter_rows(named=True), ids)]
    counts = dict(table.group_by("status").len().iter_rows())
    schools = table.select("school_id", "school_name").unique("school_id").sort("school_id") \
        if "school_name" in table.columns else table.select("school_id").unique().sort("school_id")
    return {"total": total, "all": table.height, "page": page, "size": size, "rows": out_rows,
            "counts": {s: counts.get(s, 0) for s in STATUSES},
            "schools": [{"id": r[0], "name": r[1] if len(r) > 1 else ""} for r in schools.iter_rows()][:5000],
            "rules": sorted({r for r in table["rule"].drop_nulls().unique().to_list() if r} |
                            {r.id for r in policy.checked.rules}),
            "problem_count": len(loaded.problems)}


def explain_row(studio: Studio, body: dict) -> dict:
    policy, key = _policy(studio, body)
    loaded, table, params, as_of = _decisions(studio, policy, key, body)
    if not table.height:  # every row refused at this date (a reference date before they were born)
        raise refuse(422, "S005", "no teacher is decided at this date: none to explain",
                     "该日期下没有可作出结论的教师，无从解释", column="row")
    row = _int(body, "row", 0, 0, table.height - 1)
    teacher, school, blank = studio.roster.record(policy, row, as_of)
    try:
        with keys_said_in_the_answer():
            ex = policy.explain(teacher, school, as_of=as_of, params=params)
    except api.RosterError as exc:
        raise ServiceError(422, roster_errors(list(exc.problems))) from None
    shown = _ids(table).texts([teacher.get("id")], tally=False)[0]
    return {"id": shown, "name": teacher.get("name"),
            "explanation": explanation_json(ex, _lang(body), teacher.get("name"), blank, shown)}


def download(studio: Studio, body: dict) -> bytes:
    """The decisions as a workbook (``io.output.xlsx_bytes``: Chinese headers and labels,
    a summary and a sheet saying how it was made; no cell is a formula), or with ``format``
    ``csv`` as a CSV file Excel and WPS open (a BOM; no cell a formula either), streamed
    where the roster allows: the quicker of the two over 100,000 rows (docs/performance.md)."""
    policy, key = _policy(studio, body)
    lang = _lang(body)
    loaded, table, params, as_of = _decisions(studio, policy, key, body)
    if body.get("format") == "csv":
        streamed = studio.roster.stream_csv(policy, attrs.evolve(_layout(policy, lang), bom=True), as_of, params)
        if streamed is not None:
            return streamed
    labels = policy.checked.effect_labels()
    flat = table.drop("row", "name", "school_id", "school_name", strict=False)
    decisions_ = [attrs.evolve(decision_from_row(r, as_of, labels), assumptions=loaded.assumptions)
                  for r in flat.iter_rows(named=True)]
    records = loaded.frame.to_dicts()
    files = tuple((Path(p).name, _sha(policy, p)) for p in reversed(policy.checked.chain) if not p.startswith("<"))
    if files and _unsaved(studio, body):  # the editor's text, not the file `policylang eval` would read
        name, digest = files[0]
        files = ((f"{name}（含未保存的修改，与磁盘上的文件内容不同）" if lang == "zh" else
                  f"{name} (with unsaved edits: not the file as it is on disk)", digest), *files[1:])
    layout = _layout(policy, lang)
    layout.ids.texts([d.id for d in decisions_])  # (the file is written with the same rule)
    ids = id_numbers_warning(studio.roster.names.get("teachers", ""), None, layout.ids.found(len(decisions_)),
                             len(decisions_), layout.ids.whole, keep=False, shown_in=IN_STUDIO)
    notes = Notes.of_policy(policy.checked, params, as_of, files=files, command="policylang studio", lang=lang,
                            teachers=studio.roster.names.get("teachers", ""),
                            schools=studio.roster.names.get("schools", ""), skipped=loaded.read - loaded.frame.height,
                            given_by="policylang studio",
                            warnings=tuple(roster_problem_lines([ids], lang)[0]) if ids else (),
                            warnings_said=("said on this sheet", "见本表"))
    if body.get("format") == "csv":
        return csv_bytes(decisions_, layout=attrs.evolve(layout, bom=True), records=records)
    try:
        return xlsx_bytes(decisions_, layout=layout, records=records, notes=notes)
    except TooManyRows as exc:
        raise refuse(422, "S021", exc.message("en"), exc.message("zh")) from None


def _unsaved(studio: Studio, body: dict) -> bool:
    """Whether the editor's text differs from its file as saved (or the file is gone)."""
    try:
        return studio.root.read(body.get("path")) != _text(body)
    except (OSError, FileRefused):
        return True


def _sha(policy: policylang.Policy, name: str) -> str:
    source = policy.checked.texts.get(name)
    return hashlib.sha256(source.text.encode("utf-8")).hexdigest() if source else ""


def what_if(studio: Studio, body: dict) -> dict:
    """The draft (the editor's text, with ``params``) against a base (``base``: a file of the
    root, default the same text) with ``base_params``: the report as ``policylang diff`` renders it."""
    draft, _ = _policy(studio, body, assume=False)
    lang = _lang(body)
    _need_roster(studio, body)
    base_path = body.get("base") or ""
    if base_path:
        base, _ = _policy(studio, body, base_path, studio.root.read(base_path), assume=False)
    else:
        base = draft
    # a column only one of them declares (the county's 婴儿出生日期) is stated for that one, as `diff` does
    base, draft = assuming_both(base, draft, mapping(body, "assume"))
    as_of = api.comparison_date(base, draft, _as_of(body))
    frame = _frame(studio, api.reading_both(base, draft), as_of)
    params = _params(draft, body)
    try:
        result = api.what_if(base, draft, frame, as_of=as_of, base_params=_params(base, body, "base_params"),
                             draft_params=params)
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc)) from None
    report = result.report
    if moved := _moved(draft, params, lang):  # the draft is not its file as written: its name says so
        report = attrs.evolve(report, draft=f"{report.draft}（按滑块取值：{moved}）" if lang == "zh" else
                              f"{report.draft} (set by the slider: {moved})")
    # a policy's own exemption codes by their titles, as `diff` writes its tables (either policy may decide)
    own = base.checked.exemption_titles() | draft.checked.exemption_titles()
    return {"html": html_report(report, lang, quota_rows=result.quota_changes, limit=200, exemptions=own),
            "changed": len(report.changed), "total": report.total}


def _moved(policy: policylang.Policy, params: dict | None, lang: str) -> str:
    """The parameters ``params`` sets apart from the policy's own values, as `name = value`; in Chinese
    a parameter named in English by its description where that is a name, the name beside it
    (女教师交流年龄上限（age_cap_female）= 45周岁): the official moved a slider, and reads no code."""
    own = policy.checked.parameters

    def named(name: str) -> str:
        called = display_name(name, own[name].doc) if lang == "zh" else None
        return f"{called}（{name}）" if called else name
    return ("，" if lang == "zh" else ", ").join(
        f"{named(name)} = {parameter_text(own[name], value, lang)}" for name, value in (params or {}).items()
        if name in own and value != own[name].value)


def _frame(studio: Studio, policy: policylang.Policy, as_of: dt.date) -> pl.DataFrame:
    loaded = studio.roster.load(policy, as_of)
    if loaded.frame is None:
        raise ServiceError(422, roster_errors(list(loaded.problems)))
    return loaded.frame


def slider(studio: Studio, body: dict) -> dict:
    """Counts per status, and per school and status, with one parameter set to ``value`` (the
    rest as ``params``), beside the counts at the policy's own value: the diff's classes make
    this one pass over the roster's distinct rows."""
    policy, _ = _policy(studio, body)
    _need_roster(studio, body)
    name = body.get("name")
    if not isinstance(name, str) or name not in policy.checked.parameters:
        raise refuse(422, "S005", f"`{name}` is not a parameter of the policy", f"“{name}”不是该政策的参数",
                     column="name")
    value = body.get("value")
    params = _params(policy, body) or {}
    moved = _params(policy, {"params": {name: value}})
    if not moved:
        raise refuse(422, "S005", f"give `{name}` a value", f"请给出“{name}”的取值", column="value")
    as_of = _reference(policy, body)
    frame = _frame(studio, policy, as_of)
    result = api.what_if(policy, policy, frame, as_of=as_of, base_params=params, draft_params=params | moved)
    statuses = result.report.statuses
    schools = frame["school_id"].cast(pl.Utf8) if "school_id" in frame.columns else pl.Series([""] * frame.height)
    per = pl.DataFrame({"school": schools, "before": statuses["before"], "after": statuses["after"]})
    by_status = {s: {"before": 0, "after": 0} for s in STATUSES}
    for column in ("before", "after"):
        for status, n in per.group_by(column).len().iter_rows():
            by_status[status][column] = n
    by_school = per.group_by("school").agg(
        *(((pl.col(c) == s).sum().alias(f"{c}:{s}")) for c in ("before", "after") for s in by_status)).sort("school")
    # each school with its name, where the schools file gives one (as the roster table shows it)
    named = result.report.frame
    names = {} if "school.name" not in named.columns else {
        i: n for i, n in named.select(pl.col("school_id").cast(pl.Utf8), pl.col("school.name").cast(pl.Utf8))
        .unique("school_id").iter_rows() if i is not None and n}
    value = next(iter(moved.values()))
    return {"name": name, "value": _value(value), "total": frame.height,
            # as an official writes it (45周岁, 6年), beside the slider and in the table's head
            "value_said": parameter_text(policy.checked.parameters[name], value, _lang(body)),
            "changed": len(result.report.changed), "status_changed": result.report.status_changed,
            # the headline as `policylang diff` words it: changed decisions, and of them changed statuses
            "changed_said": changed_text(result.report, _lang(body)), "statuses": by_status,
            "schools": [{"school": r["school"], "name": names.get(r["school"], ""),
                         **{k: v for k, v in r.items() if k != "school"}}
                        for r in by_school.iter_rows(named=True)]}


def source_view(studio: Studio, body: dict) -> dict:
    """A source document's paragraphs beside the clauses citing it."""
    policy, _ = _policy(studio, body)
    sources = policy.checked.sources
    name = str(studio.root.resolve(body.get("path")))
    own = [k for k, s in sources.items() if s.span and s.span.source == name]  # declared in the file shown
    source = body.get("source") or (own or list(sources) or [""])[0]
    if not isinstance(source, str) or source not in sources:
        raise refuse(422, "S005", f"`{source}` is no source of the policy", f"“{source}”不是该政策声明的来源",
                     column="source")
    document = body.get("document") or ""
    if not isinstance(document, str):
        raise refuse(422, "S005", "`document` must be text", "`document` 应为文本", column="document")
    file = body.get("file")
    if isinstance(file, str) and file:
        document = studio.root.read(file)
    cited = SRC.clauses(policy.checked, source, name)
    paragraphs = SRC.paragraphs(document, cited)
    # with a text, the citations it has no paragraph for, as `policylang doc` lists them
    lacking = SRC.unplaced(paragraphs, cited) if paragraphs else []
    return {"sources": [{"id": k, "title": s.title} for k, s in sources.items()], "source": source,
            "clauses": [attrs_json(c) for c in cited],
            "paragraphs": [{"number": p.number, "text": p.text, "heading": p.heading, "cited": p.cited,
                            "clauses": [attrs_json(c) for c in p.clauses],
                            "below": sorted({c.id for c in p.below}),
                            "above": sorted({c.id for c in p.above})} for p in paragraphs],
            "uncited": sum(not p.cited for p in paragraphs), "unplaced": [attrs_json(c) for c in lacking],
            "unplaced_said": SRC.UNPLACED[1 if _lang(body) == "zh" else 0]}


def attrs_json(clause: SRC.Clause) -> dict:
    return {"id": clause.id, "kind": clause.kind, "title": clause.title, "section": clause.section,
            "line": clause.line, "repealed": clause.repealed, "reason": clause.reason,
            "repeal_cites": list(clause.repeal_cites), "by_repeal": clause.by_repeal,
            "overridden_by": None if clause.overridden_by is None else list(clause.overridden_by)}


# ---- the application ------------------------------------------------------------------------

_JSON_ENDPOINTS = {
    "files": list_files, "check": check, "complete": complete, "hover": hover, "format": format_text,
    "tests": run_tests, "form": form, "reference": reference, "decide": decide_one, "roster": roster_summary,
    "decisions": decisions, "explain": explain_row, "whatif": what_if, "slider": slider, "sources": source_view,
}


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def create_app(root: str | Path, *, roster: tuple[str, str] | None = None, max_upload: int = MAX_UPLOAD,
               hosts: tuple[str, ...] | None = LOOPBACK_NAMES):
    """The studio's ASGI app for the policy root ``root``; ``hosts``: the names the page may be
    reached by (the ``Host`` header), loopback by default; None for any (listening on all
    addresses, whose names are not known)."""
    studio = Studio(root, max_upload)
    if roster:
        for kind, path in zip(KINDS, roster):
            studio.roster.store_path(kind, path)

    def failure(exc: ServiceError) -> JSONResponse:
        return JSONResponse({"errors": exc.errors}, status_code=exc.status, headers=exc.headers)

    async def guarded(call):
        try:
            return await call()
        except ServiceError as exc:
            return failure(exc)
        except PolicyError as exc:  # the formatter on a text that does not parse
            return failure(ServiceError(422, policy_errors(exc)))
        except (FileRefused, UploadError, AssumptionError) as exc:
            return failure(refuse(400, "S022", exc.message_en, exc.message_zh))
        except FileNotFoundError:
            return failure(refuse(404, "S404", "no such file in the policy folder", "政策文件夹中没有该文件"))
        except OSError as exc:
            return failure(refuse(500, "S010", f"the file could not be read or written: {exc.strerror or 'error'}",
                                  f"无法读写该文件：{exc.strerror or '错误'}"))

    def endpoint(fn):
        async def handle(request: Request) -> Response:
            async def call():
                body = fields(await _json(request) if request.method == "POST" else {},
                              _ALLOWED)
                return JSONResponse(await run_in_threadpool(fn, studio, body))
            return await guarded(call)
        return handle

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def read_file(request: Request) -> Response:
        async def call():
            path = request.query_params.get("path", "")
            text = await run_in_threadpool(studio.root.read, path)
            return JSONResponse({"path": path, "text": text})
        return await guarded(call)

    async def save_file(request: Request) -> Response:
        async def call():
            body = fields(await _json(request), ("path", "text"))
            path, text = body.get("path"), _text(body)
            await run_in_threadpool(studio.root.save, path, text)
            return JSONResponse({"saved": path})
        return await guarded(call)

    async def upload(request: Request) -> Response:
        async def call():
            kind, name = request.query_params.get("kind", ""), request.query_params.get("name", "")
            data = await read_bytes(request, studio.max_upload, "--max-upload")
            await run_in_threadpool(studio.roster.store, kind, name, data)
            return JSONResponse({"stored": kind, "name": studio.roster.names.get(kind), "version": studio.roster.version})
        return await guarded(call)

    async def download_endpoint(request: Request) -> Response:
        async def call():
            body = fields(await _json(request), _ALLOWED)
            data = await run_in_threadpool(download, studio, body)
            suffix = "csv" if body.get("format") == "csv" else "xlsx"
            name = f"交流结论.{suffix}" if _lang(body) == "zh" else f"decisions.{suffix}"
            return Response(data, media_type="text/csv; charset=utf-8" if suffix == "csv" else
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}"})
        return await guarded(call)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/api/file", read_file, methods=["GET"]),
        Route("/api/save", save_file, methods=["POST"]),
        Route("/api/upload", upload, methods=["POST"]),
        Route("/api/download", download_endpoint, methods=["POST"]),
        *(Route(f"/api/{name}", endpoint(fn), methods=["POST"]) for name, fn in _JSON_ENDPOINTS.items()),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def not_found(request: Request, exc) -> Response:
        status = getattr(exc, "status_code", 404)
        return failure(refuse(status, f"S{status}", f"{request.method} {request.url.path}: "
                              f"{'no such page' if status == 404 else 'not allowed'}",
                              "没有这个地址" if status == 404 else "不支持该请求方法"))

    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return failure(refuse(500, "S500", "internal error; nothing was changed", "内部错误；未作任何更改"))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            studio.roster.close()  # the uploaded copies go with the studio

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, Exception: crashed},
                    lifespan=lifespan)
    app.state.studio = studio
    return SameSite(app, hosts)


class SameSite:
    """ASGI middleware: only the studio's own page may use it. A request is refused (403) when
    its ``Host`` is none of the studio's names (another site's name resolved to this machine:
    DNS rebinding), when it comes from a page of another origin (``Origin``), or when a POST
    has a body type a page of another site could send without asking (a form or plain text):
    the page's own requests send JSON or ``application/octet-stream``."""

    SENDABLE = ("application/json", "application/octet-stream")

    def __init__(self, app: Starlette, hosts: tuple[str, ...] | None):
        self.app = app
        self.hosts = None if hosts is None else {h.strip("[]").lower() for h in hosts}  # None: any name
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            reason = self._refused(scope)
            if reason is not None:
                en, zh = reason
                response = JSONResponse({"errors": [problem("S403", en, zh)]}, status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refused(self, scope) -> tuple[str, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.hosts is not None and name.strip("[]").lower() not in self.hosts:
            return (f"the studio is not reached as `{host}`; open it at http://127.0.0.1",
                    f"不能以“{host}”访问工作台；请打开 http://127.0.0.1")
        origin = headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != host:
            return "a page of another site may not use the studio", "其他网站的页面不能使用工作台"
        if scope["method"] == "POST":
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in self.SENDABLE:
                return (f"a request of type `{kind or 'none'}` is not the studio page's",
                        f"“{kind or '无'}”类型的请求不是工作台页面发出的")
        return None


_ALLOWED = ("path", "text", "lang", "params", "base_params", "as_of", "offset", "after_space", "teacher", "school",
            "query", "status", "rule", "page", "size", "row", "base", "name", "value", "source", "document", "file",
            "format", "assume", "roster_version")


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


async def _json(request: Request) -> object:
    """The body as JSON: the editor's text and a little more, 413 past that."""
    return parse_json(await read_bytes(request, MAX_TEXT * 4 + 65536))
