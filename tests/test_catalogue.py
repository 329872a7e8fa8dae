"""One catalogue of codes: every code the source emits is in it, with an English and a Chinese
title, and docs/diagnostics.md is generated from it."""

from __future__ import annotations

import re

from policylang.core.diagnostics import CATALOGUE, catalogue_markdown

from .conftest import ROOT


def test_every_code_the_source_emits_is_in_the_catalogue():
    emitted = set()
    for path in (ROOT / "src" / "policylang").rglob("*.py"):
        emitted |= set(re.findall(r"""["']([PRTL]\d{3})["']""", path.read_text(encoding="utf-8")))
    assert emitted - set(CATALOGUE) == set()
    assert len(emitted) > 40


def test_every_code_has_both_titles():
    assert all(en and zh and en != zh for en, zh in CATALOGUE.values())


def test_the_docs_page_is_generated_from_the_catalogue():
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert page.strip() == catalogue_markdown().strip(), "run `make docs`"
