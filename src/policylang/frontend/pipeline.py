"""The front end's passes, in order. Reading this list tells the whole pipeline:

    parse    text -> Lark tree           (parser.py)
    lower    tree -> AST                 (lower.py)
    resolve  extends, override, repeal   (resolve.py; parses and lowers each file)
    check    names, types, units, lints  (check.py) -> CheckedPolicy
    reads    the roster columns it reads (lang/reads.py), for refusing a roster without one
"""

from __future__ import annotations

from pathlib import Path

from policylang.frontend import limits
from policylang.frontend.check import check
from policylang.frontend.files import (UnreadablePolicy, UnreadableSource, decode_source,  # noqa: F401 (decode_source: for the API)
                                       read_policy)
from policylang.core.diagnostics import Diagnostic, PolicyError
from policylang.lang.policy import CheckedPolicy
from policylang.lang.reads import with_reads
from policylang.frontend.resolve import load
from policylang.core.source import Source

PASSES = ("parse", "lower", "resolve", "check", "reads")


def compile_source(source: Source, *, root: Path | None = None, read=None
                   ) -> tuple[CheckedPolicy | None, list[Diagnostic], dict[str, Source]]:
    """Run every pass; return the checked policy (None on errors), every diagnostic (at
    most ``limits.MAX_DIAGNOSTICS`` and a count of the rest), and the text of every file
    read (to show diagnostics with their source lines). ``read`` reads an extended file
    (``resolve.load``; an editor passes one that sees its unsaved text)."""
    if isinstance(source, UnreadableSource):
        return None, [source.problem], {source.name: source}
    merged = load(source, root=root, read=read)
    if merged.parse_failed:
        return None, limits.capped(merged.diagnostics), merged.texts
    policy, diagnostics = check(merged)
    return policy and with_reads(policy), diagnostics, merged.texts


def read_source(path: str | Path) -> Source:
    """A policy file's text (UTF-8, UTF-16 with a BOM, or GB18030; ``files.py``), or an
    ``UnreadableSource`` that ``compile_source`` reports; raises ``UnreadablePolicy`` (P008, a
    ``PolicyError`` and an ``OSError``) when the file cannot be opened or read."""
    try:
        return read_policy(Path(path), str(path))
    except OSError as exc:
        raise UnreadablePolicy(path, exc) from None


def load_policy(path: str | Path, *, root: Path | None = None) -> CheckedPolicy:
    """Load and check a policy file; raise ``PolicyError`` with every diagnostic on errors
    (``UnreadablePolicy``, P008, when the file cannot be opened or read)."""
    source = read_source(path)
    policy, diagnostics, texts = compile_source(source, root=root)
    if policy is None:
        raise PolicyError(diagnostics, texts)
    return policy
