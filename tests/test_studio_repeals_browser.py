"""The studio's source view, in a real browser, says a repeal as `policylang doc` does: beside
the province's paragraph, the county's reason and the section of its own document that repeals
(`已废止（理由；依据 JA 四、1（1））`); beside that section of the county's document, the repeal
itself (`废止 FJ-2 …`). Screenshots go to ``POLICYLANG_STUDIO_SHOTS`` for a person to look at."""

from __future__ import annotations

from tests.test_studio_browser import CHROMIUM, POLICY, _launched, _opened, playwright, shots, studio_url  # noqa: F401

import pytest

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (.ci/run installs it)")

ZH = "() => { localStorage.setItem('studio-lang', 'zh'); localStorage.setItem('studio-tab', 'source'); }"


def _source(page, source: str, text: str) -> None:
    page.click("nav .tab[data-tab='source']")
    page.select_option("#source-id", source)
    page.fill("#source-text", text)
    page.click("#run-source")
    page.wait_for_selector("#source-view .repeal")


def test_the_source_view_says_a_repeal_s_reason_and_citation(studio_url, shots):  # noqa: F811
    url, _root = studio_url
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = _launched(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        _opened(page, url, POLICY, ZH, errors)
        page.click("#run-source")  # (the policy's sources are listed once it has run)
        page.wait_for_selector("#source-id option[value='FJ']", state="attached")
        # the province's paragraph FJ-2 encoded: struck through, with why and under which section
        _source(page, "FJ", "“硬杠杠”：同校任教达到6年的教师须交流")
        link = page.locator("#source-view .cites a", has=page.locator(".repeal"))
        assert link.count() == 1 and link.locator("s").inner_text().startswith("FJ-2 ")
        assert link.locator(".repeal").inner_text() == \
            " 已废止（由 JA-1 取代：区里在6年的基础上增加了年龄上限；依据 JA 四、1（1））"
        page.screenshot(path=shots / "repeal-province.png")
        # the county's own paragraph (1): the repeal is there, said as an act, with its reason only
        _source(page, "JA", "四、交流对象和条件\n1. 交流对象\n（1）男55周岁以下、女50周岁以下、在同一所学校工作满6年的教师")
        act = page.locator("#source-view .cites a", has=page.locator(".repeal"))
        assert act.count() == 1
        assert act.inner_text().startswith("废止 FJ-2 ")
        assert act.locator(".repeal").inner_text() == "（由 JA-1 取代：区里在6年的基础上增加了年龄上限）"
        page.screenshot(path=shots / "repeal-county.png")
        browser.close()
    assert errors == []
