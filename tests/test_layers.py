"""The package's layers and the directions they may import in, written down once and checked
against every import in src/policylang (read with ast, nothing is run).

    core        source text and spans, diagnostics, the interface's words      imports nothing
    lang        the language's values, IR, policy model, operators, semantics  core
    frontend    text -> checked policy                                          core, lang
    backends    checked policy -> decisions (reference, closures, polars, smt)  core, lang
    io          roster files in, decision files out                             core, lang
    analyses    tests, diff, quota, verify                                      core, lang, backends, io
    present     text, HTML and explanations for people                          core, lang, io, analyses
    api         the one entry point of cli/ and of embedders                    everything but cli
    cli         one module per command                                          api, core, lang, io, present, service, studio, lsp
    service     the decision service (policylang serve)                         api, core, lang, io, present
    studio      the drafter's web page                                          api, core, lang, io, present, service, editing
    editing     language services for editors (docs/editors.md)                 core, lang, frontend, present, analyses
    lsp         the language server (policylang lsp), a thin adapter            api, editing, core, lang, io, present
    __main__    `python -m policylang`: the command line                        cli

A backend imports no other backend. Nothing but cli (and __main__, which runs it) imports cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "policylang"
ALLOWED = {
    "core": set(),
    "lang": {"core"},
    "frontend": {"core", "lang"},
    "backends": {"core", "lang"},
    "io": {"core", "lang"},
    "analyses": {"core", "lang", "backends", "io"},
    "present": {"core", "lang", "io", "analyses"},
    "api": {"core", "lang", "frontend", "backends", "io", "analyses", "present"},
    "cli": {"api", "core", "lang", "io", "present", "service", "studio", "lsp"},
    "service": {"api", "core", "lang", "io", "present"},
    "studio": {"api", "core", "lang", "io", "present", "service", "editing"},
    "editing": {"core", "lang", "frontend", "present", "analyses"},  # language services for editors
    "lsp": {"api", "editing", "core", "lang", "io", "present"},  # the language server over editing
    "__main__": {"cli"},  # python -m policylang
}
# Imports that break the rules today, each to be removed (never added to).
KNOWN: set[tuple[str, str]] = set()


def _layer(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path):
    """The policylang modules a file imports (absolute form; the package uses no other)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path.relative_to(SRC)}: relative import; write it absolute")
        names = [node.module] if isinstance(node, ast.ImportFrom) else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            if name and name.split(".")[0] == "policylang" and "." in name:
                parts = name.split(".")
                if isinstance(node, ast.ImportFrom) and len(parts) == 2 and (SRC / parts[1]).is_dir():
                    for alias in node.names:  # from policylang.lang import ops
                        yield f"{name}.{alias.name}"
                else:
                    yield name


def _violations():
    found = set()
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "__init__.py" and path.parent == SRC:
            continue  # the package's face re-exports the API
        layer = _layer(path)
        for module in _imports(path):
            target = module.split(".")[1]
            if target == layer:
                if layer == "backends" and module.split(".")[2] != path.stem:
                    found.add((path.relative_to(SRC).as_posix(), "backends"))
                continue
            if target not in ALLOWED.get(layer, set()):
                found.add((path.relative_to(SRC).as_posix(), target))
    return found


def test_every_module_is_in_a_layer():
    layers = {_layer(p) for p in SRC.rglob("*.py") if p.parent != SRC or p.stem not in ("__init__",)}
    assert layers <= set(ALLOWED), layers - set(ALLOWED)


def test_imports_go_only_in_the_allowed_directions():
    assert _violations() - KNOWN == set()


def test_the_list_of_known_breaks_holds_only_breaks_that_still_exist():
    """A break mended comes off the list, so the list only shrinks."""
    assert KNOWN - _violations() == set()


# every backend, so a new one is held to the rule too
BACKENDS = sorted(p.relative_to(SRC).as_posix() for p in (SRC / "backends").glob("*.py") if p.stem != "__init__")


def test_every_evaluator_is_a_backend():
    assert BACKENDS == ["backends/closures.py", "backends/polars.py", "backends/reference.py", "backends/smt.py"]


@pytest.mark.parametrize("layer", BACKENDS)
def test_a_backend_imports_no_other_backend(layer):
    imported = {m for m in _imports(SRC / layer) if m.startswith("policylang.backends.")}
    assert imported == set()
