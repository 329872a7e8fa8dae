"""``policylang serve POLICY_DIR``: the evaluator as an HTTP service (docs/service.md)."""

from __future__ import annotations

import ipaddress
import json
import os

import click

from policylang.cli.common import EXIT_USAGE, err_console, fail
from policylang.service import MAX_BATCH, MAX_BODY, MAX_UPLOAD

_SETTINGS = "POLICYLANG_SERVE_SETTINGS"  # how the command hands its options to each uvicorn worker


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command("serve")
@click.argument("policy_dir", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8181, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--tokens", "tokens_file", type=click.Path(dir_okay=False),
              help="Tokens file (TOML): each token's SHA-256, id, policies and operations. Every request but "
                   "/health, /ready and /openapi.json then needs `Authorization: Bearer TOKEN`.")
@click.option("--insecure-no-auth", is_flag=True,
              help="Serve without tokens: every request is allowed. Only on a loopback address.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="uvicorn worker processes. Each has its own policies, metrics and decision log file; "
                   "with more than one, reload with --watch (POST /v1/reload reaches one worker).")
@click.option("--watch", default=0.0, show_default=True, type=click.FloatRange(0),
              help="Every this many seconds, reload if a policy file changed (0: only POST /v1/reload).")
@click.option("--decision-log", type=click.Path(dir_okay=False),
              help="Append every decision request to this file as JSON lines (with several workers, one file "
                   "each: FILE.PID).")
@click.option("--log-max-bytes", default=100 * 1024 * 1024, show_default=True, type=click.IntRange(1024),
              help="Rotate the decision log at this size (FILE.1, FILE.2 …).")
@click.option("--log-keep", default=10, show_default=True, type=click.IntRange(1), help="Rotated log files kept.")
@click.option("--log-batch", default=256, show_default=True, type=click.IntRange(1),
              help="Lines written and fsync'd together (also once a second): a crash loses at most these.")
@click.option("--log-input", is_flag=True, help="Write the request's records into the log, not only their SHA-256.")
@click.option("--log-unmask", multiple=True, metavar="COLUMN",
              help="Write this sensitive column (pregnant, nursing, serious_illness, under_investigation …) "
                   "as it is instead of ***; may be repeated.")
@click.option("--max-batch", default=MAX_BATCH, show_default=True, type=click.IntRange(1),
              help="Most teachers in one decide, quota or diff request.")
@click.option("--max-body", default=MAX_BODY, show_default=True, type=click.IntRange(1),
              help="Most bytes in one JSON request body.")
@click.option("--max-upload", default=MAX_UPLOAD, show_default=True, type=click.IntRange(1),
              help="Most bytes in one roster upload (both files).")
@click.option("--work-dir", type=click.Path(file_okay=False),
              help="Where uploads are kept while decided (default: the system's temporary folder).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve_command(policy_dir, host, port, tokens_file, insecure_no_auth, workers, watch, decision_log, log_max_bytes,
                  log_keep, log_batch, log_input, log_unmask, max_batch, max_body, max_upload, work_dir, log_level):
    """Serve the *.pol files of POLICY_DIR over HTTP (以 HTTP 提供目录中各政策的决策服务):
    POST /v1/policies/{name}/decide, /evaluate (a roster file), /quota; POST /v1/diff;
    GET /v1/policies, /health, /ready, /metrics, /openapi.json; POST /v1/reload re-reads the
    folder (a file with errors keeps its last good version). Access needs --tokens FILE, or
    --insecure-no-auth on loopback. TLS belongs to a reverse proxy (docs/service.md)."""
    import uvicorn

    from policylang.service.auth import Tokens, TokensFileError
    from policylang.service.decision_log import SENSITIVE

    if tokens_file and insecure_no_auth:
        fail("--tokens and --insecure-no-auth exclude each other (二者不能同时使用)", EXIT_USAGE)
    if not tokens_file and not insecure_no_auth:
        fail("give --tokens FILE, or --insecure-no-auth to serve without access control on loopback "
             "(请用 --tokens 指定令牌文件；仅在本机试用时可用 --insecure-no-auth)", EXIT_USAGE)
    if insecure_no_auth and not _loopback(host):
        fail(f"--insecure-no-auth is only allowed on loopback, not {host}; use --tokens FILE "
             f"(不设访问控制时只能监听本机地址，请用 --tokens)", EXIT_USAGE)
    if tokens_file:
        try:
            Tokens.read(tokens_file)  # refused now, not in each worker
        except TokensFileError as exc:
            fail(f"{exc.message_en}\n{exc.message_zh}", EXIT_USAGE)
    unknown = [c for c in log_unmask if c not in SENSITIVE + ("id_number",)]
    if unknown:
        fail(f"--log-unmask {unknown[0]}: not a masked column; they are {', '.join(SENSITIVE)}, id_number "
             f"(不是被遮盖的列)", EXIT_USAGE)
    settings = {"policy_dir": os.path.abspath(policy_dir), "max_batch": max_batch, "max_body": max_body,
                "max_upload": max_upload, "tokens": os.path.abspath(tokens_file) if tokens_file else None,
                "work_dir": os.path.abspath(work_dir) if work_dir else None, "watch": watch,
                "decision_log": os.path.abspath(decision_log) if decision_log else None,
                "log": {"max_bytes": log_max_bytes, "keep": log_keep, "batch": log_batch, "log_input": log_input,
                        "unmasked": list(log_unmask)}, "per_worker_log": workers > 1}
    from policylang.service.app import from_settings

    try:
        # loaded once here: what does not load is said before serving (the workers each load their own)
        app = from_settings(settings if workers == 1 else settings | {"decision_log": None})
    except OSError as exc:
        fail(f"{policy_dir}: {exc.strerror or exc}", EXIT_USAGE)
    for name, entry in sorted(app.state.registry.current.items()):
        if entry.errors:
            err_console().print(f"{name}: not loaded (未加载): " + "; ".join(e.en for e in entry.errors))
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
        return
    os.environ[_SETTINGS] = json.dumps(settings)
    uvicorn.run("policylang.service.app:from_environment", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False)
