"""The Chinese drafter's guide (docs/zh/language.md): every complete policy in it checks and passes its tests."""

from __future__ import annotations

import re
import shutil

import pytest

import policylang

from .conftest import ROOT

GUIDE = ROOT / "docs" / "zh" / "language.md"


def _policies() -> list[str]:
    return re.findall(r"```pol\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def test_the_guide_has_its_complete_examples():
    assert len(_policies()) >= 2


@pytest.mark.parametrize("index", range(len(_policies())))
def test_each_complete_example_checks_and_its_tests_pass(index, tmp_path):
    text = _policies()[index]
    # A county example extends a bundled provincial file: keep it next to that file, as the guide says.
    for bundled in (ROOT / "policies").glob("*.pol"):
        shutil.copy(bundled, tmp_path / bundled.name)
    path = tmp_path / "青溪县.pol"
    path.write_text(text, encoding="utf-8")
    policy = policylang.load(path)
    results = policy.test()
    assert results, "every example pins its meaning with tests"
    assert [r.name for r in results if not r.passed] == []


@pytest.mark.parametrize("index", range(len(_policies())))
def test_each_complete_example_is_as_fmt_writes_it(index):
    """A drafter starts from the guide's file: `policylang fmt --check` on it failed (6 年 for 6年)."""
    from policylang.frontend.format import format_text

    text = _policies()[index]
    assert format_text(text) == text


def test_the_guide_is_linked_from_the_readme_and_the_english_guide():
    for page in ("README.md", "docs/language.md"):
        assert "zh/language.md" in (ROOT / page).read_text(encoding="utf-8"), page
