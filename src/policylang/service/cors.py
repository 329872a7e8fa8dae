"""Cross-origin calls (CORS): the web pages of the origins given with ``--cors-origin`` may call
the service from a browser; no other page may read an answer.

None by default: a browser lets a page call another origin only when that origin says so, and that
is what keeps a page of any web site a clerk opens from using the clerk's browser to reach the
service (on the county's network, or on the clerk's own machine with ``--insecure-no-auth``) and
read decisions about teachers. Each origin is named; ``*`` is refused (``origin_problem``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from policylang.service.errors import JSONAnswer, problem

# what a page's script sends beside the simple headers (Content-Type: application/json is not one)
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Accept-Language", "Content-Encoding")
# the answers' own headers a page's script may read (a browser hides all but a few otherwise)
EXPOSED_HEADERS = ("Content-Language", "Content-Disposition", "X-Policy-Version", "X-Base-Version",
                   "X-Draft-Version", "X-Decided", "X-Skipped", "X-Skipped-Rows", "X-Warnings", "X-Warning-Rows",
                   "Allow", "WWW-Authenticate")
PREFLIGHT_MAX_AGE = 600  # seconds a browser may keep a preflight's answer


def origin_problem(origin: str) -> tuple[str, str] | None:
    """Why ``origin`` is no web origin a browser sends (English, Chinese), or None. An origin is
    ``scheme://host[:port]``, as the page's address begins: a trailing slash or a path never
    matches the browser's ``Origin`` header, and the calls would fail without a word here."""
    if origin.strip() == "*":
        return ("`*` would let every web site's pages call the service from their visitors' browsers: name each "
                "origin (--cors-origin https://hr.example.edu.cn)",
                "`*` 会允许任何网站的页面借访问者的浏览器调用本服务：请逐一写出来源（--cors-origin https://hr.example.edu.cn）")
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ("an origin is scheme://host[:port], as the page's address begins (https://hr.example.edu.cn)",
                "来源应写作 协议://主机[:端口]，即网页地址的开头（如 https://hr.example.edu.cn）")
    if parts.path or parts.query or parts.fragment or parts.username or parts.password or origin != origin.strip():
        bare = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
        return (f"an origin has no path, not even `/`: {bare}", f"来源不含路径（末尾也不加 `/`）：{bare}")
    # review rv27b: a browser's Origin leaves out the scheme's own port and writes a host in punycode, so
    # https://hr.example.edu.cn:443 or https://人事.example.cn would be allowed and never match
    if parts.port is not None and parts.port == {"http": 80, "https": 443}[parts.scheme]:
        bare = f"{parts.scheme}://{parts.hostname}"
        return (f"a browser sends the origin without the scheme's own port: {bare}",
                f"浏览器发送的来源不含该协议的默认端口：{bare}")
    if not parts.hostname.isascii():
        host = parts.hostname.encode("idna").decode("ascii")
        bare = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
        return (f"a browser sends a host of other letters in its ASCII form: {bare}",
                f"浏览器发送的来源中，含中文等字符的域名写作 ASCII 形式：{bare}")
    return None


class _Cors(CORSMiddleware):
    """Starlette's CORS, a refused preflight said as every refusal of the service is (JSON, both
    languages, S029, naming what was not allowed), where Starlette answers "Disallowed CORS origin":
    the browser keeps it from the page, but its developer tools show it to whoever sets the page up."""

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 400:
            return answer

        origin = request_headers["origin"]
        method = request_headers["access-control-request-method"]
        asked = [h.strip() for h in request_headers.get("access-control-request-headers", "").split(",") if h.strip()]
        errors = []
        if not self.is_allowed_origin(origin=origin):
            # (not naming the origins allowed: a preflight needs no token, and any page may ask one; review rv27b)
            errors.append(problem("S029", f"a page of {origin} may not call the service: the origins allowed are "
                                          "those given with --cors-origin when the service was started",
                                  f"来源 {origin} 的网页不能调用本服务：允许的来源为启动服务时 --cors-origin 所列",
                                  column="Origin"))
        if method not in self.allow_methods:
            errors.append(problem("S029", f"a page may not call the service with {method}: GET and POST only",
                                  f"网页不能以 {method} 调用本服务：只接受 GET 与 POST",
                                  column="Access-Control-Request-Method"))
        if unknown := [h for h in asked if h.lower() not in self.allow_headers]:
            errors.append(problem("S029", f"a page may not send the header {', '.join(unknown)}: the headers taken "
                                          f"are {', '.join(ALLOWED_HEADERS)}",
                                  f"网页不能发送请求头 {'、'.join(unknown)}：可发送的请求头为 {'、'.join(ALLOWED_HEADERS)}",
                                  column="Access-Control-Request-Headers"))
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in ("content-length", "content-type")}
        return JSONAnswer({"errors": errors}, status_code=400, headers=headers)


def cors(app, origins: tuple[str, ...]):
    """``app`` answering the preflights of ``origins``' pages, and telling the browser that their
    scripts may read its answers. No cookies are sent (a call's token is in its Authorization
    header), so credentials are not allowed. A page on the internet calling a service on the
    county's network asks leave to reach a private network (Chrome's Private Network Access):
    granted, as its origin is named."""
    return _Cors(app, allow_origins=[o.lower() for o in origins], allow_methods=["GET", "POST"],
                 allow_headers=list(ALLOWED_HEADERS), expose_headers=list(EXPOSED_HEADERS),
                 allow_credentials=False, allow_private_network=True, max_age=PREFLIGHT_MAX_AGE)
