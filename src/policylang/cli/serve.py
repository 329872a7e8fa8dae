"""``policylang serve POLICY_DIR``: the evaluator as an HTTP service (docs/service.md)."""

from __future__ import annotations

import ipaddress
import json
import os

import click

from policylang.cli import bilingual
from policylang.cli.ending import EXIT_USAGE, err_console, fail
from policylang.service import MAX_BATCH, MAX_BODY, MAX_UPLOAD
from policylang.core.file_errors import cannot_read
from policylang.core.i18n import LANGS

_SETTINGS = "POLICYLANG_SERVE_SETTINGS"  # how the command hands its options to each uvicorn worker


def _listenable_or_exit(host: str, port: int) -> None:
    """Refuse, as a bad command line (exit 2), an address the service cannot listen on: a port
    in use, an address this machine does not have. uvicorn would log it in English and exit 3,
    which means a roster's problems. Bound as uvicorn binds (SO_REUSEADDR), then let go."""
    import errno
    import socket

    reasons = {errno.EADDRINUSE: ("端口已被占用", "the port is in use"),
               errno.EADDRNOTAVAIL: ("本机没有这个地址", "this machine has no such address"),
               errno.EACCES: ("没有权限（1024 以下的端口需要管理员权限）", "permission denied (ports below 1024 need root)")}
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        zh, en = reasons.get(exc.errno, (exc.strerror or str(exc),) * 2)
        fail(f"无法在 {host}:{port} 上提供服务：{zh}。请用 --port 换一个端口，或先停止占用它的程序。\n"
             f"cannot listen on {host}:{port}: {en}; choose another --port, or stop the program using it.",
             EXIT_USAGE)


def _given(name: str) -> bool:
    """Whether the command line gave the option ``name``, not its default."""
    source = click.get_current_context().get_parameter_source(name)
    return source is not None and source != click.core.ParameterSource.DEFAULT


def _own_fields_unmasked_or_exit(log_unmask: tuple[str, ...], policies: dict) -> None:
    """``--log-unmask`` of a name no contract column has: a teacher field one of the served
    policies declares itself (county_draft.pol's 患病证明), masked by default; else refused."""
    from policylang.lang.schema import TEACHERS
    from policylang.service.decision_log import SENSITIVE, own_fields

    declared = {key for entry in policies.values() if entry.policy is not None
                for f in own_fields(entry.policy) for key in (f.name, f.zh)}
    unknown = [c for c in log_unmask if TEACHERS.field(c) is None and c not in declared]
    if unknown:
        listed_en = ", ".join(sorted(declared)) or "none"
        listed_zh = "、".join(sorted(declared)) or "无"
        fail(f"--log-unmask {unknown[0]}：既不是约定的列，也不是所提供政策自行声明的字段；被遮盖的是约定的敏感列和政策自行声明的字段"
             f"（{listed_zh}）\n"
             f"--log-unmask {unknown[0]}: no column of the contract nor of a served policy; the masked columns are "
             f"the contract's {', '.join(SENSITIVE)} and the policies' own fields ({listed_en})", EXIT_USAGE)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _say_unknown_policies(tokens: Tokens, loaded: set[str], folder: str) -> None:
    """A token granted a policy the folder does not have: a misspelt name would leave its holder
    refused (403) with no word why. Said at start, with the closest name; the service still
    starts (the file may come later, and a reload takes it)."""
    from policylang.core.diagnostics import did_you_mean
    from policylang.io.safe_text import terminal_text

    for grant in sorted(tokens.by_hash.values(), key=lambda g: g.id):
        for name in sorted(grant.policies - {"*"} - loaded):
            close = did_you_mean(name, loaded)
            en = f" (did you mean `{close}`?)" if close else ""
            zh = f"（是否应为 `{close}`？）" if close else ""
            for line in (f"token `{grant.id}`: no policy `{name}` in {folder}{en}",  # each line escaped as a whole
                         f"令牌 `{grant.id}`：{folder} 中没有政策 `{name}`{zh}"):
                err_console().print(terminal_text(line), markup=False)


@bilingual.command("serve", short_help_zh="以 HTTP 提供目录中各政策的决策服务", help_zh="""以 HTTP 提供 POLICY_DIR 目录中各政策（*.pol）的决策服务，文档见 docs/service.md。

默认只在本机地址监听；要求令牌（--tokens），或仅在本机地址上用 --insecure-no-auth 关闭认证。TLS 由反向代理负责。""")
@bilingual.argument("policy_dir", type=click.Path(exists=True, file_okay=False, dir_okay=True),
                    help="The folder of *.pol files to serve.", help_zh="要提供服务的 *.pol 文件所在文件夹。")
@bilingual.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.",
                  help_zh="监听的地址。")
@bilingual.option("--port", default=8181, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.",
                  help_zh="监听的端口。")
@bilingual.option("--tokens", "tokens_file", type=click.Path(dir_okay=False),
                  help="Tokens file (TOML): each token's SHA-256, id, policies and operations. Every request but "
                       "/health, /ready and /openapi.json then needs `Authorization: Bearer TOKEN`.",
                  help_zh="令牌文件（TOML）：每个令牌的 SHA-256、编号、可用的政策和操作。此后除 /health、/ready 和 /openapi.json 外，每个请求都须带 `Authorization: Bearer 令牌`。")
@bilingual.option("--insecure-no-auth", is_flag=True,
                  help="Serve without tokens: every request is allowed. Only on a loopback address.",
                  help_zh="不用令牌提供服务：允许所有请求。只能用于本机回环地址。")
@bilingual.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                  help="uvicorn worker processes. Each has its own policies, metrics and decision log file; "
                       "with more than one, reload with --watch (POST /v1/reload reaches one worker).",
                  help_zh="uvicorn 工作进程数。每个进程有自己的政策、指标和决策日志文件；多于一个时请用 --watch 重新加载（POST /v1/reload 只到达一个进程）。")
@bilingual.option("--watch", default=0.0, show_default=True, type=click.FloatRange(0),
                  help="Every this many seconds, reload if a policy file changed (0: only POST /v1/reload).",
                  help_zh="每隔这么多秒检查一次，政策文件有改动就重新加载（0：只在 POST /v1/reload 时）。")
@bilingual.option("--decision-log", type=click.Path(dir_okay=False),
                  help="Append every decision request to this file as JSON lines (with several workers, one file "
                       "each: FILE.PID).",
                  help_zh="把每个决策请求以 JSON 行追加到此文件（多个工作进程时各写一个文件：FILE.PID）。")
@bilingual.option("--log-max-bytes", default=100 * 1024 * 1024, show_default=True, type=click.IntRange(1024),
                  help="Rotate the decision log at this size (FILE.1, FILE.2 …).",
                  help_zh="决策日志达到此大小时轮换（FILE.1、FILE.2 …）。")
@bilingual.option("--log-keep", default=10, show_default=True, type=click.IntRange(1), help="Rotated log files kept.",
                  help_zh="保留的轮换日志文件数。")
@bilingual.option("--log-batch", default=256, show_default=True, type=click.IntRange(1),
                  help="Lines written and fsync'd together (also once a second): a crash loses at most these.",
                  help_zh="一起写入并 fsync 的行数（另外每秒一次）：崩溃时最多丢失这么多行。")
@bilingual.option("--log-input", is_flag=True, help="Write the request's records into the log, not only their SHA-256.",
                  help_zh="把请求中的记录写入日志，而不只是其 SHA-256。")
@bilingual.option("--log-unmask", multiple=True, metavar="COLUMN",
                  help="Write this sensitive column (pregnant, nursing, serious_illness, under_investigation …), or "
                       "a field a served policy declares itself (患病证明), as it is instead of ***; may be repeated.",
                  help_zh="原样写入这一敏感列（pregnant、nursing、serious_illness、under_investigation …）或政策自行声明的字段"
                          "（如 患病证明），而不是 ***；可多次给出。")
@bilingual.option("--max-batch", default=MAX_BATCH, show_default=True, type=click.IntRange(1),
                  help="Most teachers in one decide, quota or diff request.",
                  help_zh="一次 decide、quota 或 diff 请求中最多的教师人数。")
@bilingual.option("--max-body", default=MAX_BODY, show_default=True, type=click.IntRange(1),
                  help="Most bytes in one JSON request body.",
                  help_zh="一个 JSON 请求体最多的字节数。")
@bilingual.option("--max-upload", default=MAX_UPLOAD, show_default=True, type=click.IntRange(1),
                  help="Most bytes in one roster upload (both files).",
                  help_zh="一次上传名册（两个文件合计）最多的字节数。")
@bilingual.option("--work-dir", type=click.Path(file_okay=False),
                  help="Where uploads are kept while decided (default: the system's temporary folder).",
                  help_zh="处理期间存放上传文件的文件夹（默认：系统临时文件夹）。")
@bilingual.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
                  help="Let the web pages of ORIGIN (https://hr.example.edu.cn: scheme, host and port, no path) call "
                       "the service from a browser; may be repeated. None by default: no other site's page can.",
                  help_zh="允许来源 ORIGIN（如 https://hr.example.edu.cn：协议、主机和端口，不含路径）的网页在浏览器中调用本服务；"
                          "可多次给出。默认不允许任何其他网站的网页调用。")
@bilingual.option("--http", "http_impl", default="h11", show_default=True, type=click.Choice(["h11", "httptools"]),
                  help="HTTP parser. httptools takes less CPU a request but loses the body of a request that asks "
                       "to upgrade to HTTP/2, as Java's HttpClient does over http:// by default: use it behind a "
                       "proxy (nginx sends no such request).",
                  help_zh="HTTP 解析器。httptools 每个请求占用的 CPU 更少，但会丢失请求升级到 HTTP/2 的请求体"
                          "（Java 的 HttpClient 通过 http:// 访问时默认如此）：只在反向代理之后使用。")
@bilingual.option("--log-level", default="info", show_default=True,
                  type=click.Choice(["critical", "error", "warning", "info", "debug"]),
                  help="Level of the service's own log.",
                  help_zh="服务日志的级别。")
# taken as every command takes it, for its help: serve's messages and a request's errors are in both
# languages, and a request asks for its decisions' labels with ?lang= (docs/service.md)
@bilingual.option("--lang", type=click.Choice(LANGS), default=None,
                  help="Language of this help: en or zh (default: from the locale). serve's messages, and the errors "
                       "of a request, are in both languages; a request asks for Chinese labels with ?lang=zh.",
                  help_zh="本帮助的语言：en 或 zh（默认随系统语言环境）。serve 的提示和请求的错误信息总是中英文并列；"
                          "请求中加 ?lang=zh 可得到中文标签。")
def serve_command(policy_dir, host, port, tokens_file, insecure_no_auth, workers, watch, decision_log, log_max_bytes,
                  log_keep, log_batch, log_input, log_unmask, max_batch, max_body, max_upload, work_dir, cors_origins,
                  http_impl, log_level, lang):
    """Serve the *.pol files of POLICY_DIR over HTTP:
    POST /v1/policies/{name}/decide, /evaluate (a roster file), /quota; POST /v1/diff;
    GET /v1/policies, /health, /ready, /metrics, /openapi.json; POST /v1/reload re-reads the
    folder (a file with errors keeps its last good version). Access needs --tokens FILE, or
    --insecure-no-auth on loopback. TLS belongs to a reverse proxy (docs/service.md)."""
    import uvicorn

    from policylang.service.auth import Tokens, TokensFileError
    from policylang.lang.schema import SCHOOLS, TEACHERS
    from policylang.service.decision_log import SENSITIVE

    if tokens_file and insecure_no_auth:
        fail("--tokens 与 --insecure-no-auth 不能同时使用\n--tokens and --insecure-no-auth exclude each other",
             EXIT_USAGE)
    if not tokens_file and not insecure_no_auth:
        fail("请用 --tokens 指定令牌文件；仅在本机试用时可用 --insecure-no-auth（不设访问控制，只监听本机地址）\n"
             "give --tokens FILE, or --insecure-no-auth to serve without access control on loopback", EXIT_USAGE)
    if insecure_no_auth and not _loopback(host):
        fail(f"不设访问控制（--insecure-no-auth）时只能监听本机地址，不能监听 {host}：请用 --tokens 指定令牌文件\n"
             f"--insecure-no-auth is only allowed on loopback, not {host}; use --tokens FILE", EXIT_USAGE)
    # options of the decision log that would do nothing without one: an operator believing records kept
    given = ["--" + name.replace("_", "-") for name in ("log_input", "log_unmask", "log_keep", "log_max_bytes",
                                                        "log_batch") if _given(name)]
    if given and not decision_log:
        fail(f"{'、'.join(given)} 是决策日志的设置：请同时给出 --decision-log 文件，或去掉这些选项\n"
             f"{', '.join(given)} {'configure' if len(given) > 1 else 'configures'} the decision log: give "
             f"--decision-log FILE, or leave them out", EXIT_USAGE)
    tokens = None
    if tokens_file:
        try:
            tokens = Tokens.read(tokens_file)  # refused now, not in each worker
        except TokensFileError as exc:
            fail(f"{exc.message_zh}\n{exc.message_en}", EXIT_USAGE)
    # a column by its English or Chinese name (孕期), as every other option takes it
    log_unmask = tuple(f.name if (f := TEACHERS.field(c)) is not None else c for c in log_unmask)
    # a contract column that is not masked; a name no contract column has may be a policy's own field
    unknown = [c for c in log_unmask if c not in SENSITIVE + ("id_number",)
               and (TEACHERS.field(c) is not None or SCHOOLS.field(c) is not None)]
    if unknown:
        masked = "、".join(TEACHERS.label(c, "zh") for c in (*SENSITIVE, "id_number"))
        fail(f"--log-unmask {unknown[0]}：不是被遮盖的列；被遮盖的列为 {masked}\n"
             f"--log-unmask {unknown[0]}: not a masked column; they are {', '.join(SENSITIVE)}, id_number", EXIT_USAGE)
    from policylang.service.upload import usable_work_dir  # (the service's modules, loaded only to serve)

    if work_dir is not None and (why := usable_work_dir(work_dir)) is not None:  # else every upload would fail
        fail(f"--work-dir {work_dir}：无法在其中存放上传的文件：{why[1]}\n"
             f"--work-dir {work_dir}: uploads cannot be kept there: {why[0]}", EXIT_USAGE)
    from policylang.service.cors import origin_problem

    for origin in cors_origins:  # a misspelt origin would fail every browser's call without a word here
        if (why := origin_problem(origin)) is not None:
            fail(f"--cors-origin {origin}：{why[1]}\n--cors-origin {origin}: {why[0]}", EXIT_USAGE)
    _listenable_or_exit(host, port)
    settings = {"policy_dir": os.path.abspath(policy_dir), "max_batch": max_batch, "max_body": max_body,
                "max_upload": max_upload, "tokens": os.path.abspath(tokens_file) if tokens_file else None,
                "cors_origins": list(cors_origins),
                "work_dir": os.path.abspath(work_dir) if work_dir else None, "watch": watch,
                "decision_log": os.path.abspath(decision_log) if decision_log else None,
                "log": {"max_bytes": log_max_bytes, "keep": log_keep, "batch": log_batch, "log_input": log_input,
                        "unmasked": list(log_unmask)}, "per_worker_log": workers > 1}
    from policylang.service.app import from_settings

    try:
        # loaded once here: what does not load is said before serving (the workers each load their own)
        app = from_settings(settings if workers == 1 else settings | {"decision_log": None})
    except OSError as exc:
        fail(f"{cannot_read(policy_dir, exc, 'zh')}\n{cannot_read(policy_dir, exc, 'en')}", EXIT_USAGE)
    for name, entry in sorted(app.state.registry.current.items()):
        if entry.errors:
            err_console().print(f"{name}: not loaded (未加载): " + "; ".join(e.en for e in entry.errors))
    _own_fields_unmasked_or_exit(log_unmask, app.state.registry.current)
    if tokens is not None:
        _say_unknown_policies(tokens, set(app.state.registry.current), str(policy_dir))
    try:
        if workers == 1:
            uvicorn.run(app, host=host, port=port, http=http_impl, log_level=log_level, access_log=False)
            return
        os.environ[_SETTINGS] = json.dumps(settings)
        uvicorn.run("policylang.service.app:from_environment", factory=True, host=host, port=port, workers=workers,
                    http=http_impl, log_level=log_level, access_log=False)
    except SystemExit as exc:
        from uvicorn.config import STARTUP_FAILURE

        if exc.code == STARTUP_FAILURE:  # the address taken since it was looked at: as above, not a roster's exit 3
            fail(f"无法在 {host}:{port} 上启动服务（原因见上）。\ncould not start serving on {host}:{port} "
                 "(the reason is above).", EXIT_USAGE)
        raise
