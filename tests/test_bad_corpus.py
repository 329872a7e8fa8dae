"""The corpus of broken policies: every file's diagnostics, as an official sees them,
in English and Chinese. Each snapshot was read and judged right by a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policylang.frontend.pipeline import compile_source, read_source
from policylang.present.render import diagnostics_json, diagnostics_text

BAD = Path(__file__).parent / "cases" / "bad"
CASES = sorted(p for p in BAD.rglob("*.pol") if p.name != "base.pol")

# The codes each file must produce: the snapshot shows the wording, this pins the substance.
EXPECTED = {
    "syntax_errors.pol": ["P001", "P001"],
    "unit_mismatch.pol": ["T202", "T202"],
    "unknown_names.pol": ["L302", "R107", "R107", "R109", "T204", "T207"],  # (not `primary`, the code beside `school.stag`)
    "bad_outcomes.pol": ["R108", "T208", "T215", "T219"],
    "cycle.pol": ["R110"],
    "precedence.pol": ["T210"],
    "type_errors.pol": ["T201", "T203", "T205", "T206"],
    "lints.pol": ["L301", "L302", "L303", "L304", "L305"],
    "child.pol": ["L305", "R105", "R105", "R106", "R112"],
    "escape.pol": ["R102"],
    "missing.pol": ["R101"],
    "bad_tests.pol": ["R111", "T204", "T204", "T207", "T209", "T209"],
}


def _compile(path: Path):
    rel = path.relative_to(Path.cwd())
    return compile_source(read_source(rel))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_codes(path):
    _policy, diagnostics, _texts = _compile(path)
    assert sorted(d.code for d in diagnostics) == EXPECTED[path.name]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_rendered(path, snapshot):
    _policy, diagnostics, texts = _compile(path)
    assert diagnostics_text(diagnostics, texts, "en") == snapshot(name="en")
    assert diagnostics_text(diagnostics, texts, "zh") == snapshot(name="zh")


def test_every_case_has_expectations():
    assert {p.name for p in CASES} == set(EXPECTED)


def test_json_form_carries_spans_and_both_languages():
    _policy, diagnostics, _ = _compile(BAD / "unit_mismatch.pol")
    data = json.loads(diagnostics_json(diagnostics))
    first = data[0]
    assert first["code"] == "T202"
    assert first["span"] == {"file": "tests/cases/bad/unit_mismatch.pol", "line": 7, "column": 8,
                             "end_line": 7, "end_column": 17}
    assert first["message"]["zh"].startswith("单位不一致")
    assert "55 years" in first["help"]["en"]


def test_errors_block_the_policy_but_lints_do_not():
    policy, diagnostics, _ = _compile(BAD / "lints.pol")
    assert policy is not None and all(not d.is_error for d in diagnostics)
    policy, _, _ = _compile(BAD / "cycle.pol")
    assert policy is None
