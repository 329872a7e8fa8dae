"""The ASGI application of ``policylang serve`` (Starlette).

Every request takes the registry's snapshot once, so it decides with one version of its
policy however a reload runs beside it. Deciding runs in the thread pool (it is CPU work);
bad input of any kind is answered 400, 404, 413 or 422 with the project's error codes and
English and Chinese messages, never a crash. Nothing in a request names a file: a policy is
chosen only among those loaded from the folder."""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter
from collections.abc import Mapping

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

import policylang
from policylang.api import RosterError
from policylang.core.diagnostics import PolicyError
from policylang.io.output import Layout, identity_columns, json_bytes, roster_records
from policylang.io.roster import AssumptionError
from policylang.lang.legal_dates import DateOutOfRange
from policylang.lang.pretty import value_text
from policylang.present.explain import explanation_text
from policylang.service import MAX_BATCH, MAX_BODY
from policylang.service.metrics import CONTENT_TYPE, Metrics
from policylang.service.openapi import openapi_document
from policylang.service.registry import Registry

log = logging.getLogger("policylang.service")

BODY_FIELDS = ("teachers", "schools", "as_of", "params", "assume")


@attrs.frozen
class Settings:
    max_batch: int = MAX_BATCH
    max_body: int = MAX_BODY


class ServiceError(Exception):
    """A request refused: the HTTP status and the errors, each ``{code, message: {en, zh}, row, column}``."""

    def __init__(self, status: int, errors: list[dict]):
        super().__init__(errors[0]["message"]["en"] if errors else str(status))
        self.status, self.errors = status, errors


def problem(code: str, en: str, zh: str, row: int | None = None, column: str | None = None, **more) -> dict:
    return {"code": code, "message": {"en": en, "zh": zh}, "row": row, "column": column} | more


def _refuse(status: int, code: str, en: str, zh: str, **more) -> ServiceError:
    return ServiceError(status, [problem(code, en, zh, **more)])


# ---- reading a request -----------------------------------------------------------------


async def read_json(request: Request, limit: int) -> object:
    """The body as JSON: 413 past ``limit`` bytes (by Content-Length, and counted as read, so
    a body without one or lying about it is cut off too), 400 if it is no UTF-8 JSON."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            declared = int(length)
        except ValueError:
            raise _refuse(400, "S001", "Content-Length is not a number", "Content-Length 不是数字") from None
        if declared > limit:
            raise _refuse(413, "S002", f"the body is larger than {limit} bytes", f"请求体超过 {limit} 字节")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _refuse(413, "S002", f"the body is larger than {limit} bytes", f"请求体超过 {limit} 字节")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(400, "S003", f"the body is not JSON in UTF-8: {exc}", f"请求体不是 UTF-8 编码的 JSON：{exc}") \
            from None
    except RecursionError:
        raise _refuse(400, "S003", "the body is nested too deeply", "请求体嵌套过深") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_SCALARS = (str, int, float, bool, type(None))


def _records(body: Mapping, key: str, required: bool) -> list[dict]:
    value = body.get(key)
    if value is None:
        if required:
            raise _refuse(422, "S004", f"`{key}` is required: a list of objects", f"缺少 `{key}`：应为对象列表",
                          column=key)
        return []
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise _refuse(422, "S005", f"`{key}` must be a list of objects", f"`{key}` 应为对象列表", column=key)
    errors = []
    for i, record in enumerate(value, 1):
        for column, cell in record.items():
            if not isinstance(cell, _SCALARS) or (isinstance(cell, float) and not math.isfinite(cell)):
                errors.append(problem("S006", f"{key} {i}: `{column}` must be text, a number, true/false or null",
                                      f"{key} 第 {i} 条：`{column}` 应为文本、数字、布尔值或 null",
                                      row=i, column=column, table=key))
    if errors:
        raise ServiceError(422, errors)
    return value


def _object(body: Mapping, key: str) -> dict:
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, _SCALARS) for v in value.values()):
        raise _refuse(422, "S005", f"`{key}` must be an object of names to text, numbers or true/false",
                      f"`{key}` 应为“名称: 取值”的对象（取值为文本、数字或布尔值）", column=key)
    return value


# ---- deciding ---------------------------------------------------------------------------


def _roster_errors(problems) -> list[dict]:
    return [problem(p.code, p.message_en, p.message_zh, row=p.row, column=p.column, value=p.value)
            for p in problems]


def _policy_errors(exc: PolicyError) -> list[dict]:
    return [problem(d.code, d.en, d.zh) for d in (exc.errors or exc.diagnostics)] or \
        [problem("S011", "the parameters are not valid", "参数无效")]


def decide(policy: policylang.Policy, name: str, body: object, *, explain: bool, lang: str,
           settings: Settings) -> tuple[bytes, Counter]:
    """The decisions of one request body, as ``eval --format json`` writes them: the JSON
    array's bytes (written once, not parsed and written again)."""
    if not isinstance(body, dict):
        raise _refuse(422, "S005", "the body must be a JSON object", "请求体应为 JSON 对象")
    unknown = [k for k in body if k not in BODY_FIELDS]
    if unknown:
        raise ServiceError(422, [problem("S007", f"unknown field `{k}` (the fields: {', '.join(BODY_FIELDS)})",
                                         f"未知字段 `{k}`（可用字段：{'、'.join(BODY_FIELDS)}）", column=k)
                                 for k in unknown])
    teachers = _records(body, "teachers", True)
    if len(teachers) > settings.max_batch:
        raise _refuse(413, "S008", f"{len(teachers)} teachers in one request; at most {settings.max_batch}",
                      f"一次请求 {len(teachers)} 名教师，超过上限 {settings.max_batch}")
    schools = _records(body, "schools", False)
    params, assume = _object(body, "params"), _object(body, "assume")
    as_of = body.get("as_of")
    if as_of is not None:
        try:
            as_of = policylang.api._date(as_of) if isinstance(as_of, str) else _bad_date(as_of)
        except ValueError:
            raise _refuse(422, "S009", f"as_of `{as_of}` is not a date (YYYY-MM-DD)",
                          f"as_of `{as_of}` 不是日期（YYYY-MM-DD）", column="as_of") from None
    if assume:
        try:
            policy = policy.assuming(assume)
        except AssumptionError as exc:
            raise _refuse(422, "S013", exc.message_en, exc.message_zh, column="assume") from None
    try:
        typed = policy._params(params)
    except PolicyError as exc:
        raise ServiceError(422, _policy_errors(exc)) from None
    roster = policy.roster_from_records(teachers, schools)
    if roster.problems:
        raise ServiceError(422, _roster_errors(roster.problems))
    try:
        decisions = _evaluate(policy, roster, as_of, typed)
    except RosterError as exc:
        raise ServiceError(422, _roster_errors(exc.problems)) from None
    except PolicyError as exc:
        raise ServiceError(422, _policy_errors(exc)) from None
    except DateOutOfRange as exc:
        raise _refuse(422, "S014", f"a date this decision needs is outside years 1..9999 ({exc})",
                      f"作出该决定所需的日期超出 1–9999 年（{exc}）", column="as_of") from None
    checked = policy.checked
    layout = Layout(lang=lang, carried=identity_columns(checked.teachers, checked.schools, _keys(teachers),
                                                        _keys(schools) if schools else None),
                    effects={(c.id, e.name): e.label for c in checked.consequences for e in c.effects},
                    exemptions={e.code: e.title for e in checked.all_exemptions()})
    written = json_bytes(decisions, layout=layout, records=roster_records(roster))
    statuses = Counter(d.status for d in decisions)
    if not explain:
        return written, statuses
    out = json.loads(written)
    for record, row in zip(out, roster.valid_teachers()):
        school = roster.schools.get(row.values.get("school_id")) or {}
        try:
            ex = policy.explain(row.values, school, as_of=as_of, params=typed)
        except DateOutOfRange as exc:
            raise _refuse(422, "S014", f"a date this decision needs is outside years 1..9999 ({exc})",
                          f"作出该决定所需的日期超出 1–9999 年（{exc}）", column="as_of") from None
        record["explanation"] = explanation_json(ex, lang)
    return json.dumps(out, ensure_ascii=False).encode("utf-8"), statuses


SMALL_BATCH = 64  # up to this many teachers, each is decided by the compiled closures, not a polars plan


def _evaluate(policy: policylang.Policy, roster, as_of, params) -> list:
    """``policy.evaluate``; a small batch person by person with ``policy.decide`` (the closures,
    about 10 µs each, where a polars plan costs milliseconds however few the rows): the same
    decisions (tests/test_closures.py, tests/test_service.py)."""
    rows = roster.valid_teachers()
    if len(rows) > SMALL_BATCH:
        return policy.evaluate(roster, as_of=as_of, params=params)
    decisions = [policy.decide(row.values, roster.schools.get(row.values.get("school_id")) or {}, as_of=as_of,
                               params=params) for row in rows]
    applied = tuple(a.text() for a in roster.assumptions)
    return [attrs.evolve(d, assumptions=applied) for d in decisions] if applied else decisions


def _bad_date(value):
    raise ValueError(value)


def _keys(records: list[dict]) -> list[str]:
    seen = {}
    for r in records:
        seen.update(dict.fromkeys(r))
    return list(seen)


def explanation_json(ex, lang: str) -> dict:
    """An explanation: its steps as data, and the text `policylang explain` prints. A condition
    whose value is no yes/no (`after refused_exchange` traces the date itself) is given as
    that value's text, and counts as holding in the text form (present/explain.py expects a
    yes/no there)."""
    return {
        "policy": ex.policy,
        "as_of": ex.as_of.isoformat(),
        "steps": [{"kind": s.kind, "id": s.id, "title": s.title, "outcome": s.outcome, "detail": s.detail,
                   "cites": list(s.cites),
                   "conditions": [{"text": c.text, "value": c.value if _yes_no(c.value) else
                                   value_text(c.value, None, lang),
                                   "reads": [{"name": r.name, "value": value_text(r.value, r.type, lang)}
                                             for r in c.reads]} for c in s.conditions]}
                  for s in ex.steps],
        "text": explanation_text(_yes_no_conditions(ex), lang),
    }


def _yes_no(value) -> bool:
    return value is None or isinstance(value, bool)


def _yes_no_conditions(ex):
    """The explanation with every condition's value a yes/no or unknown (a date read as a
    condition holds: the event happened)."""
    if all(_yes_no(c.value) for s in ex.steps for c in s.conditions):
        return ex
    steps = tuple(attrs.evolve(s, conditions=tuple(c if _yes_no(c.value) else attrs.evolve(c, value=True)
                                                   for c in s.conditions)) for s in ex.steps)
    return attrs.evolve(ex, steps=steps)


# ---- the application ----------------------------------------------------------------------


def create_app(policy_dir, *, max_batch: int = MAX_BATCH, max_body: int = MAX_BODY) -> Starlette:
    registry = Registry(policy_dir)
    settings = Settings(max_batch=max_batch, max_body=max_body)
    metrics = Metrics()

    def failure(exc: ServiceError) -> JSONResponse:
        for e in exc.errors:
            metrics.error(e["code"])
        return JSONResponse({"errors": exc.errors}, status_code=exc.status)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> Response:
        snapshot = registry.current
        running = sorted(n for n, e in snapshot.items() if e.policy is not None)
        body = {"ready": bool(running), "policies": len(running), "generation": registry.generation}
        return JSONResponse(body, status_code=200 if running else 503)

    async def policies(request: Request) -> Response:
        snapshot = registry.current
        return JSONResponse({"generation": registry.generation,
                             "policies": [snapshot[n].to_json() for n in sorted(snapshot)]})

    async def one_policy(request: Request) -> Response:
        entry = registry.current.get(request.path_params["name"])
        if entry is None:
            return failure(_unknown(request.path_params["name"], registry))
        return JSONResponse(entry.to_json())

    async def decide_endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        entry = registry.current.get(name)  # once: this request decides with this version
        try:
            if entry is None or entry.policy is None:
                raise _unknown(name, registry) if entry is None else _refuse(
                    422, "S012", f"policy `{name}` has errors and no running version",
                    f"政策 `{name}` 有错误，且没有可用的版本", errors=[e.to_json() for e in entry.errors])
            explain = _flag(request.query_params.get("explain"), "explain")
            lang = request.query_params.get("lang", "en")
            if lang not in ("en", "zh"):
                raise _refuse(422, "S009", "lang must be en or zh", "lang 应为 en 或 zh", column="lang")
            body = await read_json(request, settings.max_body)
            decisions, statuses = await run_in_threadpool(decide, entry.policy, name, body, explain=explain,
                                                          lang=lang, settings=settings)
        except ServiceError as exc:
            return failure(exc)
        metrics.decided(name, statuses)
        head = json.dumps({"policy": name, "version": entry.version}, ensure_ascii=False).encode("utf-8")[:-1]
        return Response(head + b', "decisions": ' + decisions + b"}", media_type="application/json",
                        headers={"X-Policy-Version": entry.version})

    async def reload(request: Request) -> Response:
        report = await run_in_threadpool(registry.reload)
        for name in report["failed"]:
            log.error("policy %s failed to load; the running version stays: %s", name,
                      "; ".join(e.en for e in registry.current[name].errors))
        metrics.reloaded("failed" if report["failed"] else "ok")
        snapshot = registry.current
        return JSONResponse(report | {"generation": registry.generation,
                                      "errors": {n: [e.to_json() for e in snapshot[n].errors]
                                                 for n in report["failed"]}})

    async def metrics_endpoint(request: Request) -> Response:
        ok = {n: not e.errors for n, e in registry.current.items()}
        return Response(metrics.render(ok), media_type=CONTENT_TYPE)

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(settings.max_batch, settings.max_body))

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/policies", policies, methods=["GET"]),
        Route("/v1/policies/{name}", one_policy, methods=["GET"]),
        Route("/v1/policies/{name}/decide", decide_endpoint, methods=["POST"]),
        Route("/v1/reload", reload, methods=["POST"]),
    ]

    async def not_found(request: Request, exc) -> Response:
        status = getattr(exc, "status_code", 404)
        code = {404: "S404", 405: "S405"}.get(status, f"S{status}")
        return failure(ServiceError(status, [problem(code, f"{request.method} {request.url.path}: "
                                                     f"{'no such route' if status == 404 else 'not allowed'}",
                                                     "没有这个地址" if status == 404 else "不支持该请求方法")]))

    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return failure(ServiceError(500, [problem("S500", "internal error; the request was not decided",
                                                  "内部错误；该请求未作出结论")]))

    from starlette.exceptions import HTTPException

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, Exception: crashed})
    app.state.registry, app.state.metrics, app.state.settings = registry, metrics, settings
    return _Measured(app, routes, metrics)


def _unknown(name: str, registry: Registry) -> ServiceError:
    from policylang.core.diagnostics import did_you_mean

    hint = did_you_mean(name, list(registry.current))
    return _refuse(404, "S404", f"no policy `{name}`" + (f"; did you mean `{hint}`?" if hint else ""),
                   f"没有政策 `{name}`" + (f"；是否应为 `{hint}`？" if hint else ""))


def _flag(value: str | None, name: str) -> bool:
    if value is None or value.lower() in ("", "0", "false", "no"):
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    raise _refuse(422, "S009", f"{name} must be true or false", f"{name} 应为 true 或 false", column=name)


class _Measured:
    """ASGI middleware counting every HTTP request by route template and status, with its latency."""

    def __init__(self, app: Starlette, routes: list[Route], metrics: Metrics):
        self.app, self.routes, self.metrics = app, routes, metrics
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = next((r.path for r in self.routes if r.matches(scope)[0] != Match.NONE), "other")
            self.metrics.request(scope.get("method", ""), route, status, time.perf_counter() - started)
