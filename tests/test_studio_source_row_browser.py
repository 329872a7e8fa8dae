"""The studio's 原文对照 tab in a real browser: the file's sources listed as the tab opens, and the
source's list and the text file's list on one row. A source's title as long as a document's name (national.pol's, 关于推进县（区）域内……的意见
（教师〔2014〕4号）) widened the first list until the second fell below it, alone on its line (the
drafter of trial dr25 looked twice for where to choose the .txt, once the folder held one)."""

from __future__ import annotations

import pytest

from tests.test_studio_browser import _launched, _opened, shots, studio_url  # noqa: F401 - fixtures

playwright = pytest.importorskip("playwright.sync_api")


def test_the_source_and_its_text_file_are_chosen_on_one_row(studio_url, shots):  # noqa: F811
    url, root = studio_url
    (root / "教师〔2014〕4号 意见原文.txt").write_text("二、交流轮岗的人员范围\n", encoding="utf-8")  # a text file to choose
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = _launched(p)
        page = browser.new_page(viewport={"width": 1500, "height": 950}, locale="zh-CN")
        _opened(page, url, "national.pol", "() => { localStorage.setItem('studio-lang', 'zh'); "
                "localStorage.setItem('studio-tab', 'source'); }", errors)
        # the file's sources are listed as the tab opens, before any text is compared (empty until 对照)
        page.wait_for_function("document.querySelectorAll('#source-id option').length > 1")
        listed = page.locator("#source-id option").all_text_contents()
        page.screenshot(path=str(shots / "source_row.png"))
        chosen = page.locator("#source-id").bounding_box()
        text_file = page.locator("#source-file").bounding_box()
        browser.close()
    assert not errors, errors
    assert any(o.startswith("NA ") for o in listed), listed  # national.pol's own source, by its id and title
    assert abs(chosen["y"] - text_file["y"]) < 4, (chosen, text_file)  # one row
