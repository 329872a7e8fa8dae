"""``POST /v1/policies/{name}/decide``: a body of records decided as ``eval --format json``
writes them, person by person for small batches (the compiled closures), column-wise for a
larger batch of text records without a problem (``fastpath.py``), and by the row reader and one
polars plan otherwise (the same decisions: tests/test_closures.py, tests/test_service.py,
tests/test_batch_fastpath.py)."""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections import Counter
from collections.abc import Callable
from fractions import Fraction

import attrs

import policylang
from policylang import api
from policylang.api import RosterError
from policylang.core.diagnostics import PolicyError, did_you_mean
from policylang.io.id_column import IdsShown
from policylang.io.output import Layout, identity_columns, json_bytes, roster_records
from policylang.io.safe_text import json_utf8
from policylang.io import roster as R
from policylang.io.roster.reader import AssumptionError
from policylang.lang import schema as S
from policylang.lang.legal_dates import DateOutOfRange
from policylang.lang.pretty import value_text
from policylang.lang.policy import not_yet_in_force, reference_date
from policylang.present.explain import explanation_text
from policylang.service import body as B
from policylang.service.fastpath import columnar_batch
from policylang.service.errors import ServiceError, policy_errors, problem, refuse, roster_errors, roster_problem

BODY_FIELDS = ("teachers", "schools", "as_of", "params", "assume")
# Up to this many teachers, each is decided by the compiled closures, not a polars plan: a plan
# costs 15-25 ms of CPU however few the rows, the closures about 0.13 ms a teacher, so they
# cross at 220-235 teachers (`bench/batch_stages.py --switch`, two policies, docs/performance.md).
SMALL_BATCH = 224


@attrs.frozen
class Decided:
    data: bytes  # the JSON array of the decisions, as ``eval --format json`` writes it
    statuses: Counter
    log_records: Callable[[], list[dict]]  # each decision's ``to_json`` (for the decision log)
    as_of: object  # the reference date decided at
    params: dict  # the parameters as given
    warnings: list = attrs.field(factory=list)  # the keys no column knows (R012), values assumed (R013)
    assume: dict = attrs.field(factory=dict)  # the values the body states for absent columns, as given


@attrs.frozen
class Request:
    """A decide (or quota) body, its fields checked for type; what every stage asks of its lists
    worked out once (a batch of 1,000 is 37,000 values: each look at them all costs 0.7 ms)."""

    teachers: list[dict]
    schools: list[dict]
    as_of: object
    params: dict
    assume: dict
    headers: dict[str, list[str]]  # of each list, its keys as a table's header (``roster.records_header``)
    types: dict[str, frozenset[type]]  # of each list, the types of its values


def read_request(body: object, max_batch: int, allowed: tuple[str, ...] = BODY_FIELDS) -> Request:
    body = B.fields(body, allowed)
    teachers, teacher_types = B.records(body, "teachers", True)
    if len(teachers) > max_batch:
        raise refuse(413, "S008", f"{len(teachers)} teachers in one request; at most {max_batch} (the server's "
                                  f"--max-batch): send them in batches of at most {max_batch}, each with the schools "
                                  "its teachers are at, or upload the roster as a file (POST …/evaluate)",
                     f"一次请求 {len(teachers)} 名教师，超过上限 {max_batch}（服务的 --max-batch 设定）：请分批发送，每批不超过 "
                     f"{max_batch} 人，各带其教师所在的学校；或以文件上传名册（POST …/evaluate）")
    schools, school_types = B.records(body, "schools", False)
    return Request(teachers, schools, B.date(body.get("as_of"), "as_of"), B.mapping(body, "params"),
                   B.mapping(body, "assume"), {"teachers": R.records_header(teachers), "schools": R.records_header(schools)},
                   {"teachers": teacher_types, "schools": school_types})


def assuming(policy: policylang.Policy, values: dict) -> policylang.Policy:
    if not values:
        return policy
    with _assumption_refused():
        return policy.assuming(values)


def assuming_both(base: policylang.Policy, draft: policylang.Policy, values: dict
                  ) -> tuple[policylang.Policy, policylang.Policy]:
    """``api.assuming_both``: a column one of two compared policies declares is stated for it alone."""
    if not values:
        return base, draft
    with _assumption_refused():
        return api.assuming_both(base, draft, values)


@contextlib.contextmanager
def _assumption_refused():
    try:
        yield
    except AssumptionError as exc:
        raise refuse(422, "S013", exc.message_en, exc.message_zh, column=exc.key or "assume") from None


def typed_params(policy: policylang.Policy, params: dict):
    """The parameters checked as ``--set`` checks them, each alone: every bad one is listed,
    named in its problem's ``column``."""
    errors = []
    for name, value in (params or {}).items():
        try:
            policy._params({name: value})
        except PolicyError as exc:
            errors += policy_errors(exc, column=name)
    if errors:
        raise ServiceError(422, errors)
    try:
        return policy._params(params)
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc)) from None


def fraction_notes(policy: policylang.Policy, typed: dict | None) -> list[dict]:
    """L313 for a parameter given a fraction where it is compared with a whole count (completed
    years, schools served: principal_schools 2.5): every evaluator decides it as the whole number
    next to it, as a file's own value (L313) and ``--set`` (its note); said, never silent."""
    notes = []
    for name, value in (typed or {}).items():
        param = policy.checked.parameters[name]
        if param.whole and isinstance(value, (int, float, Fraction)) and not isinstance(value, bool) \
                and Fraction(value).denominator != 1:
            en, zh = value_text(value, param.type), value_text(value, param.type, "zh")
            notes.append(problem("L313", f"parameter `{name}` is compared with a whole count (completed years, "
                                         f"schools): {en} acts as a whole number next to it; give a whole number",
                                 f"参数 `{name}` 与整数（已满的年、月、天数，学校数等）比较，取 {zh} 实际等于取与它相邻的"
                                 "整数；请给出整数", column=name))
    return notes


def in_force_notes(as_of, *policies: policylang.Policy) -> list[dict]:
    """L309 for each policy ``as_of`` (a settled date) is before the ``effective`` date of: its
    decisions are then those of a day it was not yet in force, as ``--as-of`` and the studio say
    (a client's `as_of` of the wrong year was decided without a word)."""
    return [problem("L309", en, zh, column="as_of")
            for en, zh in not_yet_in_force(as_of, *(p.checked for p in policies))]


def settled(as_of, policy: policylang.Policy):
    """The date a request's decisions are made at (``reference_date``), or the refusal of it,
    naming the field it refuses (`as_of`: 1899-12-31 is before any date a decision reads)."""
    try:
        return reference_date(as_of, policy.checked)
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc, column="as_of")) from None


def roster_of(policy: policylang.Policy, request: Request, as_of, schools: list[dict] | None = None):
    """The request's records read to be decided at ``as_of`` (a settled date), or the refusal."""
    roster = policy.roster_from_records(request.teachers, request.schools if schools is None else schools,
                                        as_of=as_of)
    if roster.problems:
        errors = with_keys_meant(roster_errors(roster.problems), policy, request)
        errors = with_ids(keys_named_alike(errors, policy, request), policy, request)
        raise ServiceError(422, no_schools_said_once(errors, policy, request))
    return roster


def no_schools_said_once(errors: list[dict], policy: policylang.Policy, request: Request) -> list[dict]:
    """The errors, a body without `schools` (absent, null or empty) said once where the policy
    reads the teachers' school, instead of each teacher's school missing from a table (R005 for
    every one of 10,000 teachers, and not a word that no table was sent)."""
    if request.schools or not any(e["code"] == "R005" and e.get("table") == "teachers" for e in errors):
        return errors
    fields = policy._school_fields_needed
    said = problem("S004", "`schools` is required: the policy reads each teacher's school ("
                   + ", ".join(f.name for f in fields) + "); give the records of the schools the teachers are at",
                   f"缺少 `schools`：政策读取教师所在学校的{'、'.join(f.zh for f in fields)}，请给出这些教师所在学校的记录",
                   column="schools")
    return [said] + [e for e in errors if not (e["code"] == "R005" and e.get("table") == "teachers")]


def _lists(policy: policylang.Policy, request: Request):
    """Each list of the body that has records: its name, records, table and what its keys say."""
    checked = policy.checked
    for kind, records, table in (("teachers", request.teachers, checked.teachers),
                                 ("schools", request.schools, checked.schools)):
        if records:
            yield kind, records, table, R.map_header(kind, table, request.headers[kind])


def header_warnings(policy: policylang.Policy, request: Request) -> dict[str, list]:
    """Per list of the body, what reading its keys says beside its rows (R012: a key no column
    knows; R013: a value assumed for an absent column), as ``eval`` lists them."""
    return {kind: mapped.warnings for kind, _, _, mapped in _lists(policy, request)}


def reading_warnings(policy: policylang.Policy, request: Request) -> list[dict]:
    """What reading the body's lists says beside their rows, as ``eval`` lists it, whichever
    reader then reads them: their keys (``header_warnings``; a key no column knows with the first
    record giving it, as ``row``), and a yes/no or coded key given null or blank in every record
    (R027) or in a few (R033), each read as the contract's empty value (a Java client writing
    null for an unknown Boolean); teachers at the school before starting work (R050), and a key
    nothing reads noting that someone has left (R051)."""
    said, lists = [], list(_lists(policy, request))
    for kind, records, table, mapped in lists:
        for w in [*mapped.warnings, *R.records_blank_warnings(kind, table, mapped, records),
                  *R.records_alike_warnings(kind, table, mapped, records),
                  *R.records_reading_notes(kind, table, mapped, records, header=request.headers[kind])]:
            if w.code == "R012":  # which record gives it a value: a misspelt key in record 4 of 5 is that record's
                w = attrs.evolve(w, row=next((k for k, r in enumerate(records, 1) if r.get(w.column) not in (None, "")),
                                             next((k for k, r in enumerate(records, 1) if w.column in r), None)))
            said.append(roster_problem(w, table=kind))
    return with_ids(said, policy, request, lists)


def keys_named_alike(errors: list[dict], policy: policylang.Policy, request: Request) -> list[dict]:
    """The errors, a list whose records name a column by different keys (record 1 `工号`, record 2
    `id`: a client mixing Chinese and English keys) said once, as that, instead of what it makes
    of the list's every column (given twice, R010; lacking where others give it, R026; a required
    one empty, R006), which no record's own value is the cause of."""
    for kind, records, table, _ in _lists(policy, request):
        first: dict[str, tuple[int, str]] = {}  # field -> (record, key) naming it first
        maps: dict[tuple, dict[str, str]] = {}
        found = None
        for k, record in enumerate(records, 1):
            keys = tuple(record)
            if keys not in maps:
                maps[keys] = R.map_header(kind, table, list(keys)).written
            for field, key in maps[keys].items():
                seen = first.setdefault(field, (k, key))
                if seen[1] != key:
                    found = (field, seen, (k, key))
                    break
            if found:
                break
        if found is None:
            continue
        field, (i, key_i), (j, key_j) = found
        said = problem("R010", f"record {j} of `{kind}` gives the column `{field}` as `{key_j}`, record {i} as "
                               f"`{key_i}`: give every record the same keys (all English or all Chinese)",
                       f"`{kind}` 的第 {j} 条记录用“{key_j}”、第 {i} 条记录用“{key_i}”表示同一列（{S.column_label(field, 'zh')}）："
                       "同一列表中各条记录的键名应一致（全用英文或全用中文）", row=j, column=key_j, table=kind)
        errors = [said] + [e for e in errors if e.get("table") != kind]
    return errors


_ID_FIELDS = {"teachers": "id", "schools": "school_id"}


def with_ids(errors: list[dict], policy: policylang.Policy, request: Request, lists=None) -> list[dict]:
    """Each problem of a record naming the record's id (工号, 学校代码) beside its place in its list
    (``row``): a client of 10,000 records maps no position back by hand. ``lists``: ``_lists``'s,
    when the caller has them."""
    if not any(isinstance(e.get("row"), int) and e.get("table") for e in errors):
        return errors
    keys = {kind: (records, mapped.keys.get(_ID_FIELDS[kind]))
            for kind, records, _, mapped in (lists if lists is not None else _lists(policy, request))}
    out = []
    for error in errors:
        records, key = keys.get(error.get("table"), ((), None))
        row = error.get("row")
        if key is not None and isinstance(row, int) and 0 < row <= len(records):
            ident = records[row - 1].get(key)
            if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
                error = error | {"id": str(ident).strip()}
        out.append(error)
    return out


KEYS_HINTED = 200  # unknown keys compared for a missing column's suggestion (each a fuzzy match)
MISSING_COLUMN = ("R001", "R011")  # a required column, or one the policy reads, not among the keys


def with_keys_meant(errors: list[dict], policy: policylang.Policy, request: Request) -> list[dict]:
    """The errors, each column a list lacks naming the key of the request that looks meant for
    it (``unknown_key``): Jackson writes `birthDate` for birth_date, and the answer was ten
    'required column missing' with no word of the keys it had instead."""
    if not any(e["code"] in MISSING_COLUMN for e in errors):
        return errors
    unknown = {kind: [w.column for w in warnings if w.code == "R012"]
               for kind, warnings in header_warnings(policy, request).items()}
    # each key's snake case once, not once for each missing column (a body may have 200,000 keys)
    camels: dict[str, dict[str, str]] = {}
    for kind, keys in unknown.items():
        for k in reversed(keys):  # (the first key of a snake case wins, as a search in order finds)
            camels.setdefault(kind, {})[_snake_case(k)] = k
    return [_key_meant(e, unknown.get(e.get("table"), ()), camels.get(e.get("table"), {}))
            if e["code"] in MISSING_COLUMN else e for e in errors]


def _key_meant(error: dict, unknown, camels: dict[str, str]) -> dict:
    column, zh = error["column"], error.get("column_zh")
    camel = camels.get(column)  # birthDate: birth_date
    # the first KEYS_HINTED keys only: a body of 4,000 unknown keys is no 4,000 fuzzy matches a missing column
    key = camel or next((h for name in (column, zh)
                         if name and (h := did_you_mean(name, unknown, at_most=KEYS_HINTED))), None)
    if key is None:
        return error
    en, zh_said = error["message"]["en"], error["message"]["zh"]
    camel_en, camel_zh = _naming_hint(key) if camel else ("", "")
    if f"`{key}`" in en:  # (R001 and R011 ask of a near key themselves: only Jackson's way is added)
        en, zh_said = en + camel_en, zh_said + camel_zh
    else:
        written_en, written_zh = (f"`{column}` or `{zh}`", f"`{column}` 或“{zh}”") if zh else (f"`{column}`", f"`{column}`")
        en += f"; the request gives `{key}`: is it this column? (the key is written {written_en}{camel_en})"
        zh_said += f"；请求中的“{key}”是否就是此列？（键名应写作 {written_zh}{camel_zh}）"
    return error | {"message": {"en": en, "zh": zh_said}, "unknown_key": key}


def _naming_hint(key: str) -> tuple[str, str]:
    """How the client's serializer is told to write snake case, by the case of ``key``: `birthDate`
    is Jackson's default (camelCase), and .NET's web defaults' (PostAsJsonAsync); `BirthDate`
    System.Text.Json's otherwise (.NET writes a property's own name), to which Jackson's setting
    was no help."""
    if key[:1].isupper():
        named = f'[JsonPropertyName("{_snake_case(key)}")]'
        return (f" (.NET's System.Text.Json writes a property's own name, PascalCase; JsonNamingPolicy.SnakeCaseLower, "
                f"or {named}, writes it so)",
                f"（.NET 的 System.Text.Json 默认按属性名写出帕斯卡式键名；可用 JsonNamingPolicy.SnakeCaseLower 或 "
                f"{named} 写成下划线式）")
    # (camelCase is Jackson's default, and .NET's too where it serializes with the web defaults: PostAsJsonAsync)
    return (" (Jackson's PropertyNamingStrategies.SNAKE_CASE writes camelCase fields so; .NET's PostAsJsonAsync "
            "writes camelCase, JsonNamingPolicy.SnakeCaseLower snake case)",
            "（驼峰式的键名可用 Jackson 的 PropertyNamingStrategies.SNAKE_CASE 写成下划线式；.NET 的 PostAsJsonAsync "
            "默认写驼峰式，可用 JsonNamingPolicy.SnakeCaseLower 写成下划线式）")


def _snake_case(key: str) -> str:
    return _CAMEL_HUMP.sub("_", key).lower()


_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


_SCHOOL_ID = ("school_id", "学校代码")


class SchoolsSeen:
    """Schools tables that read without a problem before, so that a request sending one again
    has only its teachers' schools read: a system deciding one person at a time sends its
    whole schools table with each, and reading every school row was most of a request's CPU.

    A table is known by the policy's version, the assumed values and the table's JSON; it is
    remembered only when a request with it read without any problem. Its rows are then all
    valid, so reading the teachers with just their own schools gives the same roster (the
    same teachers, values and problems) as reading them with all of them. Used only when
    every school row has the same keys (the header, and so what is assumed for an absent
    column, is then the same) and each teacher's school id is written exactly as one row's;
    anything else reads the whole table."""

    def __init__(self, size: int = 256):
        self.size = size
        self._valid: dict[str, bool] = {}

    def key(self, version: str | None, request: Request) -> str | None:
        schools = request.schools
        if not schools or version is None:
            return None
        header = tuple(schools[0])
        if any(tuple(s) != header for s in schools) or not any(k in header for k in _SCHOOL_ID):
            return None
        return version + json.dumps([request.assume, schools], ensure_ascii=False, sort_keys=True)

    def needed(self, key: str | None, request: Request) -> list[dict] | None:
        """The school rows the teachers name, when the table is known valid; else None."""
        if key is None or not self._valid.get(key):
            return None
        id_key = next(k for k in _SCHOOL_ID if k in request.schools[0])
        by_id = {s[id_key]: s for s in request.schools}
        out: dict[object, dict] = {}
        for t in request.teachers:
            school_id = next((t[k] for k in _SCHOOL_ID if k in t), None)
            if school_id is None or school_id not in by_id:
                return None
            out[school_id] = by_id[school_id]
        return list(out.values())

    def remember(self, key: str | None, roster) -> None:
        if key is not None and not roster.problems:
            if len(self._valid) >= self.size:
                self._valid.clear()
            self._valid[key] = True


SEEN = SchoolsSeen()


def out_of_calendar(exc: DateOutOfRange) -> ServiceError:
    return refuse(422, "S014", f"a date this decision needs is outside years 1..9999 ({exc})",
                  f"作出该决定所需的日期超出 1–9999 年（{exc.message('zh')}）", column="as_of")


def decide(policy: policylang.Policy, body: object, *, explain: bool, lang: str, max_batch: int,
           version: str | None = None) -> Decided:
    """The decisions of one request body (``version``: the policy's, for ``SEEN``)."""
    request = read_request(body, max_batch)
    policy = assuming(policy, request.assume)
    typed = typed_params(policy, request.params)
    notes = fraction_notes(policy, typed)
    checked = policy.checked
    as_of = settled(request.as_of, policy)
    notes += in_force_notes(as_of, policy)
    if not request.teachers:  # no one to decide: no columns to check either
        return Decided(json_bytes([]), Counter(), list, as_of, request.params, notes, request.assume)
    # the ids as the request sent them, ID numbers too (id_column): the calling system joins the answer on
    # them, and echoing what it sent discloses nothing; the decision log masks them (masked_decision_id)
    layout = Layout.of_policy(checked, lang=lang, carried=identity_columns(
        checked.teachers, checked.schools, request.headers["teachers"], request.headers["schools"] or None),
        ids=IdsShown(whole=True))
    # keys the reader ignores, and values it assumes, are said, as eval lists them (never silently)
    warnings = notes + reading_warnings(policy, request)
    if not explain and len(request.teachers) > SMALL_BATCH:
        with refusals():
            fast = columnar_batch(policy, request, layout=layout, as_of=as_of, params=typed)
        if fast is not None:  # None: the row reader reads the batch, and words its problems
            data, statuses, logged = fast
            return Decided(data, statuses, logged, as_of, request.params, warnings, request.assume)
    key = SEEN.key(version, request)
    roster = roster_of(policy, request, as_of, SEEN.needed(key, request))
    SEEN.remember(key, roster)
    with refusals():
        decisions = _evaluate(policy, roster, as_of, typed)
    written = json_bytes(decisions, layout=layout, records=roster_records(roster))  # as eval -o FILE.json
    statuses = Counter(d.status for d in decisions)
    logged = lambda: [d.to_json() for d in decisions]  # noqa: E731 - only when a decision log is kept
    if not explain:
        return Decided(written, statuses, logged, as_of, request.params, warnings, request.assume)
    out = json.loads(written)
    for record, row in zip(out, roster.valid_teachers()):
        school = roster.schools.get(row.values.get("school_id")) or {}
        try:
            with keys_said_in_the_answer():
                ex = policy.explain(row.values, school, as_of=request.as_of, params=typed)
        except DateOutOfRange as exc:
            raise out_of_calendar(exc) from None
        record["explanation"] = explanation_json(ex, lang, row.values.get("name"), row.blank)
    # (escaped as json_bytes escaped them: the ids and names, parsed again above, are the request's)
    return Decided(json_utf8(json.dumps(out, ensure_ascii=False)), statuses, logged, as_of, request.params,
                   warnings, request.assume)


@contextlib.contextmanager
def refusals():
    """Deciding's errors as the service's refusals."""
    try:
        yield
    except RosterError as exc:
        raise ServiceError(422, roster_errors(exc.problems)) from None
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc)) from None
    except DateOutOfRange as exc:
        raise out_of_calendar(exc) from None


def _evaluate(policy: policylang.Policy, roster, as_of, params) -> list:
    """``policy.evaluate``; a small batch person by person by the closures (``decide_each``)."""
    if len(roster.valid_teachers()) > SMALL_BATCH:
        return policy.evaluate(roster, as_of=as_of, params=params)
    return policy.decide_each(roster, as_of=as_of, params=params)


@contextlib.contextmanager
def keys_said_in_the_answer():
    """Calls of the API whose warnings the answer's ``warnings`` already says (R012 unknown keys,
    R050 a start at the school before work), or the page has no place for: not said again as a
    Python warning on the server's console, once a person (a key is the client's text)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", policylang.UnknownKeys)
        warnings.simplefilter("ignore", policylang.ValuesToCheck)
        yield


def explanation_json(ex, lang: str, name: str | None = None, blank: frozenset[str] = frozenset(),
                     shown_id: str | None = None) -> dict:
    """An explanation: its steps as data, and the text `policylang explain` prints for the
    person (``name``: theirs, as the roster gives it; ``blank``: the fields read from an empty
    value; ``shown_id``: the id as a decisions file shows it, an ID number masked). A condition whose
    value is no yes/no (`after refused_exchange` traces the date itself) is given as that value's text."""
    return {
        "policy": ex.policy,
        "as_of": ex.as_of.isoformat(),
        "steps": [{"kind": s.kind, "id": s.id, "title": s.title, "outcome": s.outcome, "detail": s.detail,
                   "cites": list(s.cites), **({"version": s.version} if s.version else {}),
                   "conditions": [c.to_json(lang) for c in s.conditions]}
                  for s in ex.steps],
        "text": explanation_text(ex, lang, name, blank, shown_id),
    }


