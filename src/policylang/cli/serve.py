"""``policylang serve POLICY_DIR``: the evaluator as an HTTP service (docs/service.md)."""

from __future__ import annotations

import ipaddress

import click

from policylang.cli.common import EXIT_USAGE, err_console, fail
from policylang.service import MAX_BATCH, MAX_BODY


@click.command("serve")
@click.argument("policy_dir", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8181, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--max-batch", default=MAX_BATCH, show_default=True, type=click.IntRange(1),
              help="Most teachers in one decide request.")
@click.option("--max-body", default=MAX_BODY, show_default=True, type=click.IntRange(1),
              help="Most bytes in one request body.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve_command(policy_dir, host, port, max_batch, max_body, log_level):
    """Serve the *.pol files of POLICY_DIR over HTTP: POST /v1/policies/{name}/decide,
    GET /v1/policies, /health, /ready, /metrics, /openapi.json; POST /v1/reload re-reads the
    folder (a file with errors keeps its last good version). The service has no access
    control: keep it on loopback, or behind a reverse proxy that authenticates."""
    import uvicorn

    from policylang.service.app import create_app

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        err_console().print(f"warning: listening on {host}, not loopback; the service has no access control "
                            "(警告：服务没有访问控制，请只在本机或认证代理之后使用)")
    try:
        app = create_app(policy_dir, max_batch=max_batch, max_body=max_body)
    except OSError as exc:
        fail(f"{policy_dir}: {exc.strerror or exc}", EXIT_USAGE)
    registry = app.state.registry
    for name, entry in sorted(registry.current.items()):
        if entry.errors:
            err_console().print(f"{name}: not loaded (未加载): " + "; ".join(e.en for e in entry.errors))
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
