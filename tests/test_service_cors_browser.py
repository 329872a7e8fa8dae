"""A web page of another origin calls the service in a real browser (the system Chromium): the
county HR system's page given with ``--cors-origin`` decides a teacher with a token, through the
browser's preflight, reads the service's own headers and gets the answer gzip'd; a page of an origin
not given is kept from the answer by the browser itself."""

from __future__ import annotations

import json
import shutil
import threading
import time

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (.ci/run installs it)")

from .conftest import POLICIES  # noqa: E402
from .test_service import SCHOOLS, TEACHERS, _free_port  # noqa: E402
from .test_studio_browser import _launched  # noqa: E402

TOKEN = "hr-page-token"


def _serving(app):
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "did not start"
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def origins(tmp_path_factory):
    """(the service, the allowed page's origin, another page's origin)."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    from policylang.service.app import create_app
    from policylang.service.auth import Tokens, token_hash

    page = Starlette(routes=[Route("/", lambda request: HTMLResponse("<!doctype html><title>HR</title>"))])
    allowed, allowed_url = _serving(page)
    other, other_url = _serving(page)
    tokens = tmp_path_factory.mktemp("tokens") / "tokens.toml"
    tokens.write_text(f'[[token]]\nid = "hr-page"\nsha256 = "{token_hash(TOKEN)}"\npolicies = ["fujian_pilot_district"]\n'
                      'operations = ["read", "decide"]\n', encoding="utf-8")
    service, service_url = _serving(create_app(POLICIES, tokens=Tokens.read(tokens), cors_origins=(allowed_url,)))
    yield service_url, allowed_url, other_url
    for server in (service, allowed, other):
        server.should_exit = True


CALL = """async ([url, token, body]) => {
  try {
    const r = await fetch(url + "/v1/policies/fujian_pilot_district/decide", {
      method: "POST", body,
      headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token, "Accept-Language": "zh-CN"}});
    const answer = await r.json();
    return {status: r.status, version: r.headers.get("X-Policy-Version"), language: r.headers.get("Content-Language"),
            label: answer.decisions ? answer.decisions[0].status_label : null, errors: answer.errors || null};
  } catch (e) { return {failed: String(e)}; }
}"""


def test_a_page_of_the_origin_given_calls_the_service_and_one_of_another_cannot(origins):
    service_url, allowed_url, other_url = origins
    body = json.dumps({"teachers": TEACHERS, "schools": SCHOOLS}, ensure_ascii=False)
    with playwright.sync_playwright() as p:
        browser = _launched(p)
        try:
            page = browser.new_page()
            gzipped = []
            page.on("response", lambda r: gzipped.append(r.headers.get("content-encoding"))
                    if r.url.endswith("/decide") else None)
            page.goto(allowed_url)
            answer = page.evaluate(CALL, [service_url, TOKEN, body])
            assert answer["status"] == 200 and len(answer["version"]) == 64  # a header the page's script may read
            assert answer["language"] == "zh" and any("\u4e00" <= c <= "\u9fff" for c in answer["label"])
            assert "gzip" in gzipped  # the browser asked, and 400 teachers' answer came gzip'd
            refused = page.evaluate(CALL, [service_url, "not-the-token", body])
            assert refused["status"] == 401 and refused["errors"][0]["code"] == "S401"  # a refusal readable too
            page.goto(other_url)
            blocked = page.evaluate(CALL, [service_url, TOKEN, body])
            assert "failed" in blocked  # the browser keeps the answer from a page of another origin
        finally:
            browser.close()
