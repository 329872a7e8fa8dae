from __future__ import annotations

import contextlib
import csv
import functools
import importlib.util
from pathlib import Path

import openpyxl
import pytest

from policylang.frontend.pipeline import compile_source
from policylang.core.source import Source

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    """Messages show paths relative to the working folder: keep it fixed."""
    monkeypatch.chdir(ROOT)


def compile_text(text: str, name: str = "<test>"):
    """Compile policy text; return (policy or None, diagnostics)."""
    policy, diagnostics, _texts = compile_source(Source(name, text))
    return policy, diagnostics


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A table written as a roster file of ``path``'s kind: a UTF-8 CSV, or a workbook whose
    empty cells are blank."""
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *rows])
    else:
        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append([cell or None for cell in row])
        book.save(path)
    return path


def stating_every_column(policy):
    """The policy with a value stated (empty) for every column it reads: for tests whose
    rosters or records hold only the fields under test. Without one, a roster lacking a
    column the policy reads is refused (R011). A column no cell of which may be empty (R006)
    gets its first code (a school's area, stage and staffing, a teacher's post), or nothing
    when every roster must have it (a birth date: R001 without it)."""
    def stated(table, prefix: str = "") -> dict[str, str]:
        fields = [table.field(name) for name, _ in table.reads]
        return {prefix + f.name: f.enum.codes[0] if f.must_fill else "" for f in fields
                if not f.required and (f.enum or not f.must_fill)}

    return policy.assuming(stated(policy.checked.teachers) | stated(policy.checked.schools, "school."))


def engine_row(decision, fired: bool = False) -> dict[str, str]:
    """A decision's flat form as an evaluator's own frame has it (``decide_frame``, a diff's
    rows): ``to_row`` without the column the readers add (``assumptions``); ``uncertain`` has
    the empty fields the evaluator found (the year-month dates are the readers'); a benefit's
    last day as a penalty's, `RULE:effect:until`, which a decisions file leaves out."""
    row = decision.to_row(fired, benefit_until=True)
    del row["assumptions"]
    return row


def codes(diagnostics) -> list[str]:
    return sorted(d.code for d in diagnostics)


HEADER = """
policy "测试"
  as of 2025-09-01
source S "来源"
"""


@functools.cache
def make_examples():
    """The sample roster's generator (examples/make_examples.py), as a module."""
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decided_valid(policy, roster) -> list:
    """What the streamed reader writes with ``skip_invalid``: the valid rows decided (by the
    reference interpreter), none when no row can be (a problem of the whole file)."""
    from policylang.io.roster.files import whole_file_problems

    if whole_file_problems(roster.problems):
        return []
    return policy.evaluate(roster, engine="reference", skip_invalid=True)


@contextlib.contextmanager
def studio_with_roster(tmp_path: Path, policy_text: str, teachers: Path, schools: Path):
    """The studio's app (a test client) over a folder holding ``policy_text`` as corpus.pol, with the
    roster's two files uploaded as the page uploads them."""
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from policylang.studio.app import create_app

    root = tmp_path / "policies"
    root.mkdir()
    (root / "corpus.pol").write_text(policy_text, encoding="utf-8")
    octets = {"Content-Type": "application/octet-stream"}
    with TestClient(create_app(root), base_url="http://127.0.0.1:8282") as client:
        for kind, path in (("teachers", teachers), ("schools", schools)):
            answer = client.post("/api/upload", params={"kind": kind, "name": path.name}, content=path.read_bytes(),
                                 headers=octets)
            assert answer.status_code == 200, answer.text
        yield client
