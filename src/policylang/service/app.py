"""The ASGI application of ``policylang serve`` (Starlette).

Every request takes the registry's snapshot once, so it decides with one version of its
policy however a reload runs beside it. Deciding runs in the thread pool (it is CPU work);
bad input of any kind is answered 400, 404, 413, 415 or 422 with the project's error codes
and English and Chinese messages, never a crash. Nothing in a request names a file: a policy
is chosen only among those loaded from the folder. With tokens, every request but the
probes needs one that allows its operation on its policies (``auth``); every decision
request is written to the decision log when there is one (``decision_log``)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import time
from collections import Counter
from pathlib import Path

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from policylang.io.safe_text import json_utf8
from policylang.service import MAX_BATCH, MAX_BODY, MAX_UPLOAD
from policylang.service import auth
from policylang.service import body as B
from policylang.service.coding import Compressed
from policylang.service.cors import cors
from policylang.service import upload as U
from policylang.service.decide import decide
from policylang.service.decision_log import (DecisionLog, masked_assumptions, masked_decision, masked_decision_id,
                                              masked_record, masked_records, now)
from policylang.service.errors import JSONAnswer, ServiceError, problem, refuse
from policylang.service.metrics import CONTENT_TYPE, Metrics
from policylang.service.openapi import openapi_document
from policylang.service.registry import Entry, Registry
from policylang.service.whatif import diff, policy_names, quota

log = logging.getLogger("policylang.service")

# a decide body up to this size (a handful of teachers) is decided on the event loop; larger
# ones, explanations, uploads and what-ifs in the thread pool, leaving the loop free
INLINE_BODY = 16 * 1024


@attrs.frozen
class Settings:
    max_batch: int = MAX_BATCH
    max_body: int = MAX_BODY
    max_upload: int = MAX_UPLOAD
    work_dir: str | None = None  # where uploads are written while decided (default: the system's temporary folder)
    watch: float = 0.0  # seconds between looks at the folder for changed files (0: only POST /v1/reload)


def create_app(policy_dir, *, max_batch: int = MAX_BATCH, max_body: int = MAX_BODY, max_upload: int = MAX_UPLOAD,
               tokens: auth.Tokens | None = None, decision_log: DecisionLog | None = None,
               work_dir: str | Path | None = None, watch: float = 0.0, cors_origins: tuple[str, ...] = ()) -> _Measured:
    """The service of the ``*.pol`` files of ``policy_dir``. Without ``tokens`` every request
    is allowed (``--insecure-no-auth``: the command allows that on loopback only).
    ``cors_origins``: the web origins whose pages may call it from a browser (``--cors-origin``)."""
    # the folder as before it is loaded: a file changed while it loads is reloaded
    baseline = _signature(Path(policy_dir).resolve()) if watch > 0 else ()
    registry = Registry(policy_dir)
    settings = Settings(max_batch, max_body, max_upload, str(work_dir) if work_dir else None, watch)
    metrics = Metrics()

    def failure(exc: ServiceError) -> Response:
        for e in exc.errors:
            metrics.error(e["code"])
        return JSONAnswer({"errors": exc.errors}, status_code=exc.status, headers=exc.headers)

    def allowed(request: Request, operation: str, *policies: str) -> auth.Grant:
        if tokens is None:
            return auth.OPEN
        grant = tokens.grant(request.headers.get("authorization"))
        try:
            auth.check(grant, operation, policies)
        except ServiceError as exc:
            raise _granted_hint(exc, grant, registry) from None
        return grant

    def running(name: str) -> Entry:
        entry = registry.current.get(name)  # once: the request decides with this version
        if entry is None:
            raise _unknown(name, registry)
        if entry.policy is None:
            # (the service's state, not the request's: a client retries or alerts, it does not fix its input)
            raise refuse(503, "S012", f"policy `{name}` has errors and no running version",
                         f"政策 `{name}` 有错误，且没有可用的版本", errors=[e.to_json() for e in entry.errors])
        return entry

    def logged(grant: auth.Grant, operation: str, entry: Entry, as_of, params: dict, assume: dict,
               headers: frozenset[str] | None = None, **more) -> None:
        """``headers``: the policy's masked headers (``DecisionLog.masks``), when the caller has them."""
        if decision_log is not None:
            headers = decision_log.masks(entry.policy)[0] if headers is None else headers
            decision_log.append({"time": now(), "token": grant.id, "operation": operation, "policy": entry.name,
                                 "version": entry.version, "as_of": str(as_of) if as_of else None,
                                 "params": params, "assume": masked_record(assume, headers, entry.policy.checked.teachers)} | more)

    async def health(request: Request) -> Response:
        return JSONAnswer({"status": "ok"})

    async def ready(request: Request) -> Response:
        snapshot = registry.current
        loaded = sorted(n for n, e in snapshot.items() if e.policy is not None)
        body = {"ready": bool(loaded), "policies": len(loaded), "generation": registry.generation}
        return JSONAnswer(body, status_code=200 if loaded else 503)

    async def policies(request: Request) -> Response:
        grant = allowed(request, "read")
        B.query(request, ())
        snapshot = registry.current
        return JSONAnswer({"generation": registry.generation,
                            "policies": [snapshot[n].to_json() for n in sorted(snapshot) if grant.allows_policy(n)]})

    async def one_policy(request: Request) -> Response:
        name = request.path_params["name"]
        allowed(request, "read", name)
        B.query(request, ())
        entry = registry.current.get(name)
        if entry is None:
            raise _unknown(name, registry)
        return JSONAnswer(entry.to_json())

    async def decide_endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        grant = allowed(request, "decide", name)
        entry = running(name)
        lang = B.query(request, ("explain",)) or "en"
        explain = B.flag(request.query_params.get("explain"), "explain")
        raw, body = await B.json_body(request, settings.max_body)
        if len(raw) <= INLINE_BODY and not explain:  # a few people: under a millisecond, less than a thread hand-off costs
            decided = decide(entry.policy, body, explain=False, lang=lang, max_batch=settings.max_batch,
                             version=entry.version)
        else:
            decided = await run_in_threadpool(decide, entry.policy, body, explain=explain, lang=lang,
                                              max_batch=settings.max_batch, version=entry.version)
        metrics.decided(name, decided.statuses)
        if decision_log is not None:
            def log_it():
                headers, hidden = decision_log.masks(entry.policy)
                more = {"input_sha256": hashlib.sha256(raw).hexdigest()}
                if decision_log.log_input:
                    teachers = entry.policy.checked.teachers  # a key read as a sensitive column is masked
                    more["input"] = {k: masked_records(body.get(k) or (), headers, teachers)
                                     for k in ("teachers", "schools")}
                logged(grant, "decide", entry, decided.as_of, decided.params, decided.assume, headers, **more,
                       decisions=[masked_assumptions(masked_decision_id(masked_decision(d, hidden), headers), headers)
                                  for d in decided.log_records()])

            if len(raw) <= INLINE_BODY:
                log_it()
            else:  # the line of a large batch is written out in the thread pool, not on the loop
                await run_in_threadpool(log_it)
        return _with_data({"policy": name, "version": entry.version, "warnings": decided.warnings},
                          "decisions", decided.data, {"X-Policy-Version": entry.version, **_in_language(lang)})

    async def evaluate_endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        grant = allowed(request, "evaluate", name)
        entry = running(name)
        # None: as eval, by the roster; ?lang= alone, not Accept-Language (review rv27: a client's stack sending
        # zh-CN turned an English roster's CSV into 工号,结论 and its codes into labels, a contract broken unasked)
        lang = B.query(request, ("format", "as_of", "set", "assume", "skip_invalid"), preference=False)
        query = request.query_params
        fmt = query.get("format", "csv")
        if fmt not in U.OUTPUT_FORMATS:
            raise U.unknown_format(fmt)
        options = U.Options(fmt, lang, B.date(query.get("as_of"), "as_of"), _pairs(query.getlist("set"), "set"),
                            _pairs(query.getlist("assume"), "assume"), B.flag(query.get("skip_invalid"), "skip_invalid"))
        folder = U.work_folder(settings.work_dir)
        try:
            files = await U.receive_files(request, settings.max_upload, folder)
            about = U.About(tuple(reversed(entry.files)), f"POST {request.url.path}" + (f"?{request.url.query}" if request.url.query else ""))
            done = await run_in_threadpool(U.evaluate, entry.policy, files, folder, options, about)
        finally:
            U.remove(folder)  # the decisions file stays open for the answer; nothing stays on disk
        metrics.decided(name, done.statuses or Counter({"streamed": done.decided}))
        logged(grant, "evaluate", entry, done.as_of, options.params, options.assume, input_sha256=done.inputs, format=fmt,
               decided=done.decided, skipped=done.skipped, statuses=dict(done.statuses) or None,
               output_sha256=done.sha256)

        def chunks():
            with done.file as f:
                while chunk := f.read(1 << 16):
                    yield chunk

        return StreamingResponse(chunks(), media_type=U.OUTPUT_FORMATS[fmt], headers={
            "Content-Disposition": f'attachment; filename="decisions.{fmt}"', "Content-Length": str(done.size),
            "X-Policy-Version": entry.version, "Content-Language": done.lang,
            "X-Decided": str(done.decided), "X-Skipped": str(done.skipped),
            **({"X-Skipped-Rows": U.rows_header(done.skipped_rows)} if done.skipped_rows else {}),
            **({"X-Warnings": U.warnings_header(done.warnings)} if done.warnings else {}),
            **({"X-Warning-Rows": U.warning_rows_header(done.warning_rows)} if done.warning_rows else {})})

    async def diff_endpoint(request: Request) -> Response:
        grant = allowed(request, "diff")  # before the body is read; its policies once it is
        B.query(request, ())  # (?lang= is taken, and changes nothing: the report says both languages)
        _, body = await B.json_body(request, settings.max_body)
        base_name, draft_name = policy_names(body)
        for key, value in (("base", base_name), ("draft", draft_name)):
            if value is None:
                raise refuse(422, "S004", f"`{key}` is required: the name of a policy", f"缺少 `{key}`：应为政策名",
                             column=key)
            if not isinstance(value, str):  # given, but not a name: not "required" (it is there)
                raise refuse(422, "S005", f"`{key}` must be the name of a policy (text)",
                             f"`{key}` 应为政策名（文本）", column=key)
        try:
            auth.check(grant, "diff", (base_name, draft_name))
        except ServiceError as exc:
            raise _granted_hint(exc, grant, registry) from None
        base, draft = running(base_name), running(draft_name)
        data, warnings = await run_in_threadpool(diff, base.policy, draft.policy, body, settings.max_batch)
        return _with_data({"base_version": base.version, "draft_version": draft.version, "warnings": warnings},
                          "report", data, {"X-Base-Version": base.version, "X-Draft-Version": draft.version})

    async def quota_endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        allowed(request, "quota", name)
        B.query(request, ())  # (as diff's: the plans say both languages)
        entry = running(name)
        _, body = await B.json_body(request, settings.max_body)
        data, warnings = await run_in_threadpool(quota, entry.policy, body, settings.max_batch)
        return _with_data({"policy": name, "version": entry.version, "warnings": warnings}, "plans", data,
                          {"X-Policy-Version": entry.version})

    async def reload(request: Request) -> Response:
        allowed(request, "reload")
        B.query(request, ())
        report = await reload_now()
        snapshot = registry.current
        return JSONAnswer(report | {"generation": registry.generation,
                                     "errors": {n: [e.to_json() for e in snapshot[n].errors]
                                                for n in report["failed"]}})

    async def reload_now() -> dict:
        # On the event loop, not in a thread: a thread waits for the GIL while the loop answers
        # requests inline, and a 30 ms reload took 4.4 s under load (bench/serve_bench.py,
        # reload). Here it holds the worker's requests for the time it takes to check the
        # changed files (20-40 ms a file), and no longer.
        report = registry.reload()
        for name in report["failed"]:
            log.error("policy %s failed to load; the running version stays: %s", name,
                      "; ".join(e.en for e in registry.current[name].errors))
        metrics.reloaded("failed" if report["failed"] else "ok")
        return report

    async def metrics_endpoint(request: Request) -> Response:
        allowed(request, "metrics")
        ok = {n: not e.errors for n, e in registry.current.items()}
        return Response(metrics.render(ok), media_type=CONTENT_TYPE)

    async def openapi(request: Request) -> Response:
        return JSONAnswer(openapi_document(settings.max_batch, settings.max_body, settings.max_upload))

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/policies", policies, methods=["GET"]),
        Route("/v1/policies/{name}", one_policy, methods=["GET"]),
        Route("/v1/policies/{name}/decide", decide_endpoint, methods=["POST"]),
        Route("/v1/policies/{name}/evaluate", evaluate_endpoint, methods=["POST"]),
        Route("/v1/policies/{name}/quota", quota_endpoint, methods=["POST"]),
        Route("/v1/diff", diff_endpoint, methods=["POST"]),
        Route("/v1/reload", reload, methods=["POST"]),
    ]

    async def refused(request: Request, exc: ServiceError) -> Response:
        return failure(exc)

    async def not_found(request: Request, exc) -> Response:
        status = getattr(exc, "status_code", 404)
        code = {404: "S404", 405: "S405"}.get(status, f"S{status}")
        path = request.url.path
        hint_en, hint_zh = ((f"; without the last slash: {path.rstrip('/')}", f"；请去掉末尾的斜杠：{path.rstrip('/')}")
                            if status == 404 and path.endswith("/") and len(path) > 1 else ("", ""))
        # a 405 says which methods the route takes (Allow, as HTTP requires), in both languages
        allow = (getattr(exc, "headers", None) or {}).get("Allow", "") if status == 405 else ""
        said_en = "no such route" if status == 404 else "not allowed" + (f"; this route takes {allow}" if allow else "")
        said_zh = "没有这个地址" if status == 404 else "不支持该请求方法" + (f"，此地址只接受 {allow}" if allow else "")
        return failure(ServiceError(status, [problem(code, f"{request.method} {path}: {said_en}{hint_en}",
                                                     f"{request.method} {path}：{said_zh}{hint_zh}")],
                                    headers={"Allow": allow} if allow else None))

    async def hung_up(request: Request, exc: Exception) -> Response:
        # the client closed the connection before its body was read (a timeout, a cancelled call):
        # no answer can reach it, and nothing went wrong here (499, as nginx counts it; not a 5xx)
        log.info("client closed the connection during %s %s", request.method, request.url.path)
        return Response(status_code=499)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return failure(ServiceError(500, [problem("S500", "internal error; the request was not decided",
                                                  "内部错误；该请求未作出结论")]))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        watcher = asyncio.create_task(_watch(registry, settings.watch, reload_now, baseline)) \
            if settings.watch > 0 else None
        try:
            yield
        finally:
            if watcher is not None:
                watcher.cancel()
            if decision_log is not None:
                decision_log.close()

    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={ServiceError: refused, HTTPException: not_found, ClientDisconnect: hung_up,
                                        Exception: crashed})
    # `…/decide/` answered 307 with no body, which Java's HttpClient does not follow: a JSON 404 instead
    app.router.redirect_slashes = False
    app.state.registry, app.state.metrics, app.state.settings = registry, metrics, settings
    app.state.decision_log = decision_log
    served = Compressed(app)
    if cors_origins:  # outermost, so that a refusal (a 500 too) carries the headers a browser needs to read it
        served = cors(served, cors_origins)
    return _Measured(served, app.state, routes, metrics)


def _with_data(head: dict, key: str, data: bytes, headers: dict[str, str]) -> Response:
    """The answer of ``head``'s fields and ``key``: ``data``, JSON the decisions, plans or report
    writer wrote (and escaped) already, not parsed again; ``head`` escaped as ``JSONAnswer``
    escapes it (its ``warnings`` echo the request's keys: R012 names `subjectt` as sent)."""
    text = json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": '
    return Response(json_utf8(text) + data + b"}", media_type="application/json", headers=headers)


def _in_language(lang: str) -> dict[str, str]:
    """The headers of decide's answer, in one language chosen by ``?lang=`` or ``Accept-Language``
    (``body.query``): which (Content-Language), and that a cache keeps one answer a language (Vary)."""
    return {"Content-Language": lang, "Vary": "Accept-Language"}


def _pairs(items: list[str], option: str) -> dict[str, str]:
    """``NAME=VALUE`` query values (``set``, ``assume``), as the command's ``--set`` takes them."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise refuse(422, "S009", f"{option} expects NAME=VALUE, not `{item}`", f"{option} 应写作 名称=取值，而不是 `{item}`",
                         column=option)
        name, value = name.strip(), value.strip()
        if out.get(name, value) != value:  # `?assume=pregnant=false&assume=pregnant=true`: which would decide?
            code = "S013" if option == "assume" else "S009"  # (as two names of one column, and a bad `?set=`)
            raise refuse(422, code, f"?{option}= gives `{name}` two values: `{out[name]}` and `{value}`; give one",
                         f"?{option}= 为“{name}”给出了两个不同的取值：“{out[name]}”和“{value}”，请只给出一个", column=option)
        out[name] = value
    return out


def _granted_hint(exc: ServiceError, grant: auth.Grant, registry: Registry) -> ServiceError:
    """A 403 for a policy the folder does not have, with the policy the token may use that its
    name is closest to (`fujian_pilot` for fujian_pilot_district, `miyun.pol` for miyun): a typo
    was answered as a missing grant, and its holder asked for one. Only the token's own policies
    are named, so that it learns nothing of those outside its grant."""
    from policylang.core.diagnostics import did_you_mean

    name = exc.errors[0].get("policy") if exc.status == 403 and len(exc.errors) == 1 else None
    if not isinstance(name, str) or name in registry.current:
        return exc
    mine = [n for n in registry.current if grant.allows_policy(n)]
    stem = name.strip().removesuffix(".pol")
    hint = stem if stem in mine else did_you_mean(name, mine)
    if hint is None:
        return exc
    error = exc.errors[0]
    said = {"en": error["message"]["en"] + f"; no policy `{name}` among those it may use: did you mean `{hint}`?",
            "zh": error["message"]["zh"] + f"；其可使用的政策中没有 `{name}`，是否应为 `{hint}`？"}
    return ServiceError(exc.status, [error | {"message": said}], exc.headers)


def _unknown(name: str, registry: Registry) -> ServiceError:
    from policylang.core.diagnostics import did_you_mean

    hint = did_you_mean(name, list(registry.current))
    if hint is None and name.strip():  # a policy called by its title (密云 for miyun: 密云县教师岗位双向交流)
        by_title = [n for n, e in registry.current.items() if e.policy is not None and name.strip() in e.policy.title]
        hint = by_title[0] if len(by_title) == 1 else None
    return refuse(404, "S404", f"no policy `{name}`" + (f"; did you mean `{hint}`?" if hint else ""),
                  f"没有政策 `{name}`" + (f"；是否应为 `{hint}`？" if hint else ""))


def _signature(folder: Path) -> tuple:
    """What the watcher compares: every policy file's name, size and modification time."""
    out = []
    for path in sorted(folder.rglob("*.pol")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


_SETTLED = 1.0  # seconds a changed file is left alone before it is loaded: its writer may not be done


def _settled(signature: tuple, now: float) -> bool:
    """Whether no policy file was written in the last ``_SETTLED`` seconds."""
    return all(now - mtime_ns / 1e9 >= _SETTLED for _path, _size, mtime_ns in signature)


async def _watch(registry: Registry, every: float, reload_now, seen: tuple) -> None:
    """Reload when a policy file of the folder changed since ``seen`` (the folder as it was
    before the registry first loaded it) and has since held still: the same at two looks and
    written at least ``_SETTLED`` seconds ago. A file copied or uploaded in place parses when
    half written (its first rules, none of its tests), and would decide until the rest came.
    Each worker of several watches alone."""
    pending = None
    while True:
        await asyncio.sleep(every)
        try:
            now_seen = await asyncio.to_thread(_signature, registry.folder)
            if now_seen == seen:
                pending = None
            elif now_seen == pending and _settled(now_seen, time.time()):
                seen, pending = now_seen, None
                await reload_now()
            else:
                pending = now_seen
        except Exception:  # noqa: BLE001 - a failed look is logged; the running policies stay
            log.exception("watching %s failed", registry.folder)


class _Measured:
    """ASGI middleware counting every HTTP request by route template and status, with its latency."""

    def __init__(self, app, state, routes: list[Route], metrics: Metrics):
        self.app, self.routes, self.metrics = app, routes, metrics  # routes: what the app serves (tests read them)
        self.state = state

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
            route = getattr(scope.get("route"), "path", "other")  # set by the router (404: none)
            self.metrics.request(scope.get("method", ""), route, status, time.perf_counter() - started)


class _UpgradeNotSaid(logging.Filter):
    """uvicorn's two warnings for a request asking to upgrade the connection, which it answers as
    plain HTTP/1.1: Java's HttpClient asks every request to become h2c, and the service, which
    speaks no WebSocket, logged "No supported WebSocket library detected" for each one."""

    said = ("Unsupported upgrade request.", "No supported WebSocket library detected")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.said)


_UPGRADES = _UpgradeNotSaid()


def from_settings(settings: dict) -> _Measured:
    """The application as ``policylang serve`` configures it (its options as a dict)."""
    logging.getLogger("uvicorn.error").addFilter(_UPGRADES)  # once per process: a logger keeps a filter once
    tokens = auth.Tokens.read(settings["tokens"]) if settings.get("tokens") else None
    decision_log = None
    if settings.get("decision_log"):
        path = Path(settings["decision_log"])
        if settings.get("per_worker_log"):
            path = path.with_name(f"{path.name}.{os.getpid()}")  # one file per worker: no two writers
        decision_log = DecisionLog(path, **settings["log"])
    return create_app(settings["policy_dir"], max_batch=settings["max_batch"], max_body=settings["max_body"],
                      max_upload=settings["max_upload"], tokens=tokens, decision_log=decision_log,
                      work_dir=settings.get("work_dir"), watch=settings.get("watch") or 0.0,
                      cors_origins=tuple(settings.get("cors_origins") or ()))


def from_environment() -> _Measured:
    """Each uvicorn worker's application (``--workers``): the command's settings from the environment."""
    return from_settings(json.loads(os.environ["POLICYLANG_SERVE_SETTINGS"]))
