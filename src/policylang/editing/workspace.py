"""The language services of one policy folder (docs/editors.md; the contract both the
language server and the studio use): open texts over the files on disk, and for a file its
diagnostics with quick fixes, hover, definition, references, completion, outline and
formatting. Positions are 0-based, columns in code points."""

from __future__ import annotations

from pathlib import Path

from policylang.editing import completion, symbols
from policylang.editing.chain import Files
from policylang.editing.text import unquote
from policylang.frontend.format import format_text
from policylang.editing.diagnostics import Compiled, editor_diagnostics
from policylang.editing.model import (Completion, EditorDiagnostic, Fix, Hover, Location, Position, Range,
                                      Symbol, TextEdit)
from policylang.lang.pretty import parameter_text


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._files = Files()
        self._compiled: dict[Path, tuple[tuple[str, ...], Compiled]] = {}

    # ---- the texts -------------------------------------------------------------------
    def open(self, path: Path, text: str) -> None:
        """The text the editor shows (unsaved), used instead of the file for every service."""
        self._files.overlay[Path(path).resolve()] = text

    def close(self, path: Path) -> None:
        self._files.overlay.pop(Path(path).resolve(), None)

    def text(self, path: Path) -> str:
        return self._files.text(Path(path))

    def _compile(self, path: Path):
        path = Path(path).resolve()
        chain = self._files.chain(path)
        key = tuple(f.text for f in chain)
        cached = self._compiled.get(path)
        if cached is None or cached[0] != key:
            cached = (key, Compiled(path, chain, self._files.text))
            self._compiled[path] = cached
        return cached[1], chain

    # ---- the services ----------------------------------------------------------------
    def diagnostics(self, path: Path, lang: str = "zh") -> list[EditorDiagnostic]:
        """Every diagnostic `policylang check` reports for the file, those of its bases shown on
        its `extends` line."""
        compiled, chain = self._compile(path)
        return editor_diagnostics(compiled, chain, self.root, lang)

    def code_actions(self, path: Path, rng: Range, lang: str = "zh") -> list[Fix]:
        return [fix for d in self.diagnostics(path, lang) if d.range.overlaps(rng) for fix in d.fixes]

    def hover(self, path: Path, pos: Position, lang: str = "zh") -> Hover | None:
        return symbols.hover(self._files, self._files.chain(Path(path)), self.root, pos, lang,
                             lambda file, name: self._parameter_text(file, name, lang))

    def _parameter_text(self, path: Path, name: str, lang: str) -> str | None:
        """A parameter's value as the file ``path`` sets it, as a reader of ``lang`` writes it
        (`6年`, `55周岁`); None when the file does not check."""
        compiled, _chain = self._compile(path)
        param = compiled.policy.parameters.get(name) if compiled.policy else None
        return parameter_text(param, param.value, lang) if param else None

    def definition(self, path: Path, pos: Position) -> list[Location]:
        return symbols.definition(self._files.chain(Path(path)), pos)

    def references(self, path: Path, pos: Position) -> list[Location]:
        return symbols.references(self._files, self._files.chain(Path(path)), self.root, pos)

    def complete(self, path: Path, pos: Position, lang: str = "zh", after_space: bool = False) -> list[Completion]:
        return completion.complete(self._files.chain(Path(path)), pos, lang, after_space)

    def outline(self, path: Path) -> list[Symbol]:
        file = self._files.file(Path(path))
        out = []
        for d in file.decls:
            name = d.name or d.title or d.keyword
            if d.keyword in ("precedence", "extends"):
                name = unquote(file.text.split("\n")[d.range.start.line].split(None, 1)[-1].strip())
            out.append(Symbol(name, d.keyword, d.range, d.name_range, d.title if d.title != name else ""))
        return out

    def format(self, path: Path) -> list[TextEdit]:
        """The edit that formats the whole file (``frontend.format``), none when it is formatted
        already; raises the front end's ``PolicyError`` when the text does not parse (the
        caller says so, or, as the language server does, leaves the text alone)."""
        text = self.text(path)
        formatted = format_text(text)
        if formatted == text:
            return []
        lines = text.split("\n")
        return [TextEdit(Range(Position(0, 0), Position(len(lines) - 1, len(lines[-1]))), formatted)]
