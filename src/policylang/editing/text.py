"""Policy text as an editor sees it: tokens that survive a half-typed file, and the
conversion between the front end's spans (1-based) and editor positions (0-based).

The lexer here never fails: it is what outline, hover, go-to and completion read while
the drafter is typing, when the file may not parse. Meaning comes from the front end."""

from __future__ import annotations

import itertools
import re

import attrs

from policylang.core.source import Span
from policylang.editing.model import Position, Range
from policylang.frontend.parser import DECLARATION_KEYWORDS

# A word as the grammar reads names and ids: `tenure`, `女教师年龄上限`, `FJ-X2`, `CD-2.1`.
_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"?|“[^”\n]*”?)
  | (?P<date>\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)
  | (?P<word>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?:\.[A-Za-z0-9]+)*|[^\W\d]\w*)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<space>\s+)
  | (?P<punct>!=|<=|>=|.)
''', re.VERBOSE)


@attrs.frozen
class Token:
    kind: str  # comment, string, date, word, number, punct
    text: str
    line: int  # 0-based
    column: int  # code points
    offset: int

    @property
    def range(self) -> Range:
        return Range(Position(self.line, self.column), Position(self.line, self.column + len(self.text)))


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    line, line_start = 0, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "space":
            newlines = m.group().count("\n")
            if newlines:
                line += newlines
                line_start = m.start() + m.group().rfind("\n") + 1
            continue
        out.append(Token(kind, m.group(), line, m.start() - line_start, m.start()))
    return out


def span_range(span: Span | None) -> Range:
    """A front-end span as an editor range (the start of the file when there is none)."""
    if span is None or span.line < 1:
        return Range(Position(0, 0), Position(0, 0))
    return Range(Position(span.line - 1, max(0, span.column - 1)),
                 Position(max(0, span.end_line - 1), max(0, span.end_column - 1)))


def clamped(rng: Range, text: str) -> Range:
    """The range inside the text: a span the front end puts just past a line's end (where
    something is missing) ends at the end of that line."""
    lines = text.split("\n")

    def inside(p: Position) -> Position:
        line = min(max(p.line, 0), len(lines) - 1)
        return Position(line, min(max(p.column, 0), len(lines[line])))

    return Range(inside(rng.start), inside(rng.end))


def offset_of(text: str, pos: Position) -> int:
    """The string offset of a position (clamped to the text)."""
    lines = text.split("\n")
    line = min(max(pos.line, 0), len(lines) - 1)
    return sum(len(lines[i]) + 1 for i in range(line)) + min(max(pos.column, 0), len(lines[line]))


def position_of(text: str, offset: int) -> Position:
    before = text[:offset]
    return Position(before.count("\n"), offset - (before.rfind("\n") + 1))


def token_at(toks: list[Token], pos: Position) -> tuple[int, Token] | None:
    """The token under the cursor (or just before it, as when the cursor ends a word)."""
    best = None
    for i, t in enumerate(toks):
        if t.line > pos.line:
            break
        if t.line == pos.line and t.column <= pos.column <= t.column + len(t.text):
            best = (i, t)
            if pos.column < t.column + len(t.text):
                return best
    return best


def dotted_at(toks: list[Token], index: int) -> tuple[str, Range]:
    """The whole dotted name a word belongs to: `school.area` for `area` or `school`."""
    start = end = index
    while start >= 2 and toks[start - 1].text == "." and toks[start - 2].kind == "word" \
            and toks[start - 1].offset == toks[start - 2].offset + len(toks[start - 2].text):
        start -= 2
    while end + 2 < len(toks) and toks[end + 1].text == "." and toks[end + 2].kind == "word" \
            and toks[end + 1].offset == toks[end].offset + len(toks[end].text):
        end += 2
    name = "".join(t.text for t in toks[start:end + 1])
    return name, Range(toks[start].range.start, toks[end].range.end)


def word_range(text: str, rng: Range, word: str) -> Range | None:
    """Where the whole word ``word`` first occurs inside ``rng``, outside quoted text and
    comments (a fix of the front end names the word inside a wider span)."""
    start, end = offset_of(text, rng.start), offset_of(text, rng.end)
    for t in tokens(text[start:end]):
        if t.kind == "word" and t.text == word:
            return Range(position_of(text, start + t.offset), position_of(text, start + t.offset + len(word)))
    return None


def unquote(text: str) -> str:
    """A string token's text without its quotes (`"…"` or `“…”`; an unclosed one too)."""
    close = {'"': '"', "“": "”"}.get(text[:1])
    if close is None:
        return text
    return text[1:-1] if len(text) > 1 and text.endswith(close) else text[1:]


@attrs.frozen
class Declaration:
    """A declaration found by its keyword at the start of a line."""

    keyword: str  # rule, exemption, parameter, define, penalty, test …
    override: bool
    name: str  # its name or id ("" when not yet typed); a test's title
    name_range: Range
    range: Range  # from its keyword to its last non-blank line
    title: str  # the quoted title or description, unquoted ("" if none)
    table: str = ""  # `field teacher.X`, `sample school X`: the table


_DECL_LINE = re.compile(r"^(override\s+)?(%s)\b" % "|".join(DECLARATION_KEYWORDS))


def declarations(text: str) -> list[Declaration]:
    """Every declaration of a file, in order, read lexically (so also in a file that does
    not parse). Each runs until the next line that starts with a declaration keyword."""
    toks = tokens(text)
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _DECL_LINE.match(line)]
    out = []
    for n, first in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else len(lines)) - 1
        while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
            last -= 1
        m = _DECL_LINE.match(lines[first])
        override, keyword = bool(m.group(1)), m.group(2)
        head = [t for t in toks if t.line == first and t.kind not in ("comment",)]
        rest = head[2:] if override else head[1:]
        table = ""
        if keyword in ("field", "sample") and rest and rest[0].text in ("teacher", "school"):
            table = rest[0].text
            rest = rest[2:] if keyword == "field" and len(rest) > 1 and rest[1].text == "." else rest[1:]
        name_tok = next((t for t in rest[:1] if t.kind in ("word", "string")), None)
        if keyword == "test" or keyword == "policy" or keyword == "extends":
            name = unquote(name_tok.text) if name_tok and name_tok.kind == "string" else ""
        else:
            name = name_tok.text if name_tok and name_tok.kind == "word" else ""
        # (before any `cite` on the line: `repeal FJ-2 cite QX "第八条"` has no title, not the section's)
        said = list(itertools.takewhile(lambda t: not (t.kind == "word" and t.text == "cite"), rest))
        title_tok = next((t for t in said if t.kind == "string"), None)
        kw_tok = head[1] if override else head[0]
        name_range = name_tok.range if name_tok else kw_tok.range
        out.append(Declaration(keyword, override, name, name_range,
                               Range(Position(first, 0), Position(last, len(lines[last]))),
                               unquote(title_tok.text) if title_tok else "", table))
    return out
