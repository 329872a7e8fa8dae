"""The editor's services, as the page asks for them: ``policylang.editing.Workspace`` (the
same language services as ``policylang lsp``) behind positions the browser's editor uses.

CodeMirror counts positions as offsets into the text in UTF-16 code units; the services count
(line, column) in code points. This module converts, and turns hover text into safe HTML.
One workspace serves the page; calls are serialised (the page sends one at a time anyway)."""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path

from policylang.core.source import PRELUDE_NAME
from policylang.editing import Position, Workspace
from policylang.editing.words import BUILT_IN_FILE


class Offsets:
    """Conversions between a text's UTF-16 offsets and (line, code-point column) positions."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.starts = [0]  # UTF-16 offset of each line's start
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + _utf16(line) + 1)

    def offset(self, pos: Position) -> int:
        line = min(max(pos.line, 0), len(self.lines) - 1)
        text = self.lines[line]
        return self.starts[line] + _utf16(text[:min(max(pos.column, 0), len(text))])

    def position(self, offset: int) -> Position:
        line = max(0, _last_at_most(self.starts, offset))
        units, column = offset - self.starts[line], 0
        for ch in self.lines[line]:
            step = 2 if ord(ch) > 0xFFFF else 1
            if units < step:
                break
            units -= step
            column += 1
        return Position(line, column)


def _utf16(text: str) -> int:
    return len(text) + sum(ord(ch) > 0xFFFF for ch in text)


def _last_at_most(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


# the built-in definitions' file, as a hover names where a name is declared (内置定义（prelude.pol）第 13 行):
# a drafter has no such file to open, so the page says what it is
_PRELUDE_LINE = re.compile("(?:" + "|".join([r"`" + re.escape(PRELUDE_NAME) + r"`", *map(re.escape, BUILT_IN_FILE.values())])
                           + r")(?: ?第 \d+ 行| line \d+)?")
_BUILT_IN = {"zh": "policylang 自带的内置定义", "en": "policylang's built-in definitions"}

# help lines of `policylang check` naming a command-line flag, as the page says them: the
# studio has the 参考日期 box where the CLI has `--as-of` (the CLI's own words stay the CLI's)
_PAGE_HELP = {
    "L309": {"zh": ("，或决定时用 `--as-of` 指定", "，或在页面上方的“参考日期”一栏另填日期"),
             "en": (", or give `--as-of` when deciding", ", or give another date in the “Reference date” box at the "
                                                         "top of the page")},
}


def page_words(text: str, lang: str, code: str | None = None) -> str:
    """A diagnostic's or a hover's text as the page says it: the built-in file named as built
    in, a flag of the command line as the page's own box (``_PAGE_HELP``)."""
    text = _PRELUDE_LINE.sub(_BUILT_IN["zh" if lang == "zh" else "en"], text)
    if code in _PAGE_HELP:
        cli, page = _PAGE_HELP[code]["zh" if lang == "zh" else "en"]
        text = text.replace(cli, page)
    return text


def markdown_html(text: str) -> str:
    """The little markdown hover text uses (code blocks, code, bold, line breaks) as HTML, every
    other character escaped: a policy's text never becomes markup."""
    parts = re.split(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    out = []
    for k, part in enumerate(parts):
        if k % 2:  # a code block: its lines as they are
            out.append(f"<pre>{html.escape(part.rstrip())}</pre>")
            continue
        part = html.escape(part)
        part = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", part)
        part = re.sub(r"\*\*([^*\n]+)\*\*", r"<b>\1</b>", part)
        out.append(part.strip("\n").replace("\n", "<br>"))
    return "".join(out)


class EditorServices:
    def __init__(self, root: Path):
        self.root = root
        self.workspace = Workspace(root)
        self._lock = threading.Lock()

    def _open(self, relative: str, text: str) -> tuple[Path, Offsets]:
        path = (self.root / relative).resolve()
        self.workspace.open(path, text)
        return path, Offsets(text)

    def _edits(self, edits, at: Offsets) -> list[dict]:
        return [{"from": at.offset(e.range.start), "to": at.offset(e.range.end), "text": e.new_text} for e in edits]

    def diagnostics(self, relative: str, text: str, lang: str) -> list[dict]:
        with self._lock:
            path, at = self._open(relative, text)
            found = self.workspace.diagnostics(path, lang=lang)
        return [{"from": at.offset(d.range.start), "to": at.offset(d.range.end), "severity": d.severity,
                 "code": d.code, "message": page_words(d.message, lang, d.code), "line": d.range.start.line + 1,
                 "fixes": [{"title": f.title, "edits": self._edits(f.edits, at)} for f in d.fixes]}
                for d in found]

    def complete(self, relative: str, text: str, offset: int, lang: str, after_space: bool = False) -> dict:
        with self._lock:
            path, at = self._open(relative, text)
            found = self.workspace.complete(path, at.position(offset), lang=lang, after_space=after_space)
        return {"options": [{"label": c.label, "detail": c.detail, "type": _KIND.get(c.kind, "text"),
                             "apply": c.insert_text or c.label} for c in found[:300]]}

    def hover(self, relative: str, text: str, offset: int, lang: str) -> dict | None:
        with self._lock:
            path, at = self._open(relative, text)
            found = self.workspace.hover(path, at.position(offset), lang=lang)
        if found is None:
            return None
        return {"from": at.offset(found.range.start), "to": at.offset(found.range.end),
                "html": markdown_html(page_words(found.markdown, lang))}

    def format(self, relative: str, text: str) -> str:
        """The formatted text (the formatter's edits applied); raises the front end's
        ``PolicyError`` when the text does not parse."""
        with self._lock:
            path, at = self._open(relative, text)
            edits = self.workspace.format(path)
        out = text
        for e in sorted(self._edits(edits, at), key=lambda e: e["from"], reverse=True):
            out = _splice_utf16(out, e["from"], e["to"], e["text"])
        return out


def _splice_utf16(text: str, start: int, end: int, insert: str) -> str:
    at = Offsets(text)
    a, b = at.position(start), at.position(end)
    lines = text.split("\n")

    def index(p: Position) -> int:
        return sum(len(lines[i]) + 1 for i in range(p.line)) + p.column
    return text[:index(a)] + insert + text[index(b):]


# the services' kinds of completion as CodeMirror's icon names
_KIND = {"keyword": "keyword", "field": "property", "parameter": "variable", "definition": "function",
         "code": "enum", "function": "function", "rule": "class", "source": "namespace", "sample": "constant",
         "unit": "type"}
