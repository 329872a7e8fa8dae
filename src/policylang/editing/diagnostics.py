"""Every diagnostic of the front end for one file, in the drafter's language, each with the
quick fixes it knows: those the front end attached (``core.diagnostics.Fix``: did-you-mean
names, full-width punctuation, the `precedence` line T210 asks for …), and the `cite` line
L303 misses, one fix for each source the policy declares (the checker does not choose one)."""

from __future__ import annotations

from pathlib import Path

from policylang.core import diagnostics as D
from policylang.core.i18n import word
from policylang.core.source import Source, Span
from policylang.editing.chain import File
from policylang.editing.model import EditorDiagnostic, Fix, Location, Position, Range, Related, TextEdit
from policylang.editing.text import Declaration, clamped, span_range, word_range
from policylang.editing.words import phrase
from policylang.frontend.pipeline import compile_source

_SEVERITY = {D.ERROR: "error", D.WARNING: "warning"}


class Compiled:
    """One run of the front end on a file and the texts it read."""

    def __init__(self, path: Path, chain: list[File], read_text):
        self.path = path
        self.names: dict[str, Path] = {str(path): path}  # a span's source -> its file

        def read(target: Path, name: str) -> Source:
            self.names[name] = target.resolve()
            return Source(name, read_text(target))

        self.policy, self.diagnostics, self.texts = compile_source(
            Source(str(path), chain[-1].text), root=path.parent, read=read)

    def path_of(self, span: Span | None) -> Path | None:
        if span is None:
            return None
        return self.names.get(span.source)


def editor_diagnostics(compiled: Compiled, chain: list[File], root: Path, lang: str) -> list[EditorDiagnostic]:
    me = chain[-1]
    out = []
    for d in compiled.diagnostics:
        where = compiled.path_of(d.span)
        message = d.message(lang)
        help_text = d.help(lang)
        if help_text:
            message += f"\n{word('help', lang)}{'：' if lang == 'zh' else ': '}{help_text}"
        if where == me.path or d.span is None:
            rng = clamped(span_range(d.span), me.text)
            fixes = _fixes(d, compiled, chain, lang)
        else:  # a problem in a base file: shown on this file's `extends` line
            shown = next((f.shown(root) for f in chain if f.path == where), d.span.source)
            message = f"{shown}:{d.span.line}:{d.span.column}: {message}"
            ext = next((x for x in me.decls if x.keyword == "extends"), None)
            rng = ext.range if ext else Range(Position(0, 0), Position(0, 0))
            fixes = ()
        related = tuple(
            Related(Location(compiled.path_of(label.span), span_range(label.span)),
                    label.zh if lang == "zh" else label.en)
            for label in d.labels if compiled.path_of(label.span) is not None)
        out.append(EditorDiagnostic(rng, _SEVERITY.get(d.severity, "info"), d.code, message, fixes, related))
    return out


def _fixes(d: D.Diagnostic, compiled: Compiled, chain: list[File], lang: str) -> tuple[Fix, ...]:
    me = chain[-1]
    out = []
    for fix in d.fixes:
        edits = []
        for edit in fix.edits:
            if compiled.path_of(edit.span) != me.path:
                break
            rng = clamped(span_range(edit.span), me.text)
            if edit.word is not None:
                rng = word_range(me.text, rng, edit.word)
                if rng is None:
                    break
            edits.append(TextEdit(rng, edit.text))
        else:
            out.append(Fix(fix.zh if lang == "zh" else fix.en, tuple(edits), d.code))
    if not out and d.code == "L303":
        out += _cite_fixes(d, chain, lang)
    return tuple(out)


def _declaration_at(file: File, line: int) -> Declaration | None:
    return next((x for x in file.decls if x.range.start.line <= line <= x.range.end.line), None)


def _cite_fixes(d: D.Diagnostic, chain: list[File], lang: str) -> list[Fix]:
    """`cite SOURCE` under the declaration's first line, one fix for each source declared."""
    me = chain[-1]
    decl = _declaration_at(me, d.span.line - 1)
    if decl is None:
        return []
    sources = [x.name for f in reversed(chain) for x in f.decls if x.keyword == "source" and x.name]
    first = decl.range.start.line
    end = Position(first, len(me.text.split("\n")[first]))
    return [Fix(phrase("add_cite", lang).format(s), (TextEdit(Range(end, end), f"\n  cite {s}"),), d.code)
            for s in dict.fromkeys(sources)][:5]  # the file's own sources first
