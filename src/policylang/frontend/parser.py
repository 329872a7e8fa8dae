"""Text -> Lark parse tree. The only module that sees Lark's exceptions.

A file that fails to parse is parsed again declaration by declaration (each
chunk starts at a line that begins with a declaration keyword), so one run
reports a syntax error in every broken declaration, not just the first.

The parser is Lark's LALR, which keeps its stack in a list: no text can exhaust
Python's stack here. A file longer than the limit is not parsed at all, and a parsed
tree is measured (declarations, nesting, chains of `and`) before anything recurses
over it (``limits.py``).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import lark
from lark import Lark, Tree

from policylang.core.diagnostics import Diagnostic, error
from policylang.core.source import Source, Span
from policylang.frontend import limits

DECLARATION_KEYWORDS = (
    "policy", "extends", "source", "field", "parameter", "define", "rule", "exemption",
    "precedence", "prerequisite", "penalty", "benefit", "quota", "provision", "priority", "repeal",
    "override", "sample", "test",
)
_DECL_START = re.compile(r"^(%s)\b" % "|".join(DECLARATION_KEYWORDS), re.MULTILINE)

# How expected terminals are named in messages (others show their keyword).
_TERMINAL_NAMES = {
    "NAME": ("a name", "名称"),
    "STRING": ("a quoted text", "带引号的文字"),
    "NUMBER": ("a number", "数字"),
    "DATE": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "RULE_ID": ("a rule id such as `JA-1`", "规则编号（如 `JA-1`）"),
    "UNIT": ("a unit (years, months, days, %)", "单位（年、月、天、%）"),
    "TABLE": ("`teacher` or `school`", "`teacher` 或 `school`"),
    "CONSEQUENCE": ("`penalty` or `benefit`", "`penalty` 或 `benefit`"),
    "ROUNDING": ("`up`, `down` or `nearest`", "`up`、`down` 或 `nearest`"),
    "$END": ("end of file", "文件结尾"),
}


def grammar_text() -> str:
    return resources.files("policylang").joinpath("grammar/policylang.lark").read_text("utf-8")


@functools.cache
def _lark() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=True)


def parse(source: Source) -> tuple[Tree | None, list[Diagnostic]]:
    """Parse a whole file; on failure return no tree and every syntax error found (or the
    limit it goes beyond)."""
    too_long = limits.check_size(source)
    if too_long is not None:
        return None, [too_long]
    try:
        tree = _lark().parse(source.text)
    except lark.exceptions.LarkError:
        pass
    else:
        problems = limits.check_tree(tree, source.name)
        return (None, problems) if problems else (tree, [])
    diagnostics = []
    for line_offset, chunk in _chunks(source.text):
        try:
            _lark().parse(chunk)
        except lark.exceptions.LarkError as exc:
            diagnostics.append(_to_diagnostic(exc, source, chunk, line_offset))
    if not diagnostics:  # the whole failed but every chunk parsed: report the whole
        try:
            _lark().parse(source.text)
        except lark.exceptions.LarkError as exc:
            diagnostics.append(_to_diagnostic(exc, source))
    return None, diagnostics


def _chunks(text: str) -> list[tuple[int, str]]:
    """The declarations of a text, each with the number of lines before it."""
    starts = [m.start() for m in _DECL_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks, line, previous = [], 0, 0
    for a, b in zip(starts, starts[1:] + [len(text)]):
        line += text.count("\n", previous, a)
        previous = a
        chunks.append((line, text[a:b]))
    return chunks


_CLAUSE_WORDS = {"then", "when", "cite", "direction", "note", "to", "for", "requires", "applies",
                 "effect", "after", "per", "require", "expect", "teacher", "school", "as", "set"}


def _previous_word(text: str, pos: int) -> str | None:
    match = re.search(r"([^\W\d]\w*)\s*$", text[max(0, pos - 200):pos])
    return match.group(1) if match else None


def _shown(char: str) -> str:
    """A character as a message shows it: itself, or its code point if it is invisible or
    cannot be written out (a control character, a lone surrogate)."""
    if char.isprintable() and not 0xD800 <= ord(char) <= 0xDFFF:
        return char
    return f"U+{ord(char):04X}"


def _describe(terminal: str) -> tuple[str, str]:
    if terminal in _TERMINAL_NAMES:
        return _TERMINAL_NAMES[terminal]
    try:
        pattern = _lark().get_terminal(terminal).pattern
        text = f"`{pattern.value}`" if isinstance(pattern, lark.lexer.PatternStr) else terminal.lower()
    except KeyError:
        text = terminal.lower()
    return text, text


def _expected(names: set[str]) -> tuple[str, str]:
    described = sorted({_describe(n) for n in names if not n.startswith("__")})
    if len(described) > 8:
        described = described[:8] + [("…", "…")]
    return ", ".join(d[0] for d in described), "、".join(d[1] for d in described)


def _to_diagnostic(exc: lark.exceptions.LarkError, source: Source, text: str | None = None,
                   line_offset: int = 0) -> Diagnostic:
    """``text`` is what was parsed: the source, or one declaration of it that starts after
    ``line_offset`` lines (and at the start of a line, so columns need no shift)."""
    text = source.text if text is None else text
    last_line = max(1, source.text.count("\n") + 1)
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        line = exc.line + line_offset
        span = Span(source.name, line, exc.column, line, exc.column + 1)
        char = _shown(text[exc.pos_in_stream]) if exc.pos_in_stream < len(text) else ""
        return error("P001", span, f"unexpected character `{char}`", f"无法识别的字符 `{char}`",
                     help_en="check for a missing quote or a stray symbol",
                     help_zh="检查是否缺少引号或多了符号")
    if isinstance(exc, lark.exceptions.UnexpectedToken) and exc.token.type != "$END":
        tok = exc.token
        span = Span(source.name, tok.line + line_offset, tok.column, (tok.end_line or tok.line) + line_offset,
                    tok.end_column or tok.column + len(str(tok)))
        shown = "".join(_shown(c) for c in str(tok)[:80])
        en, zh = _expected(set(exc.expected))
        help_en, help_zh = f"expected {en}", f"此处应为：{zh}"
        before = _previous_word(text, tok.start_pos)
        if before in _CLAUSE_WORDS:
            # The contextual lexer read a clause keyword as a name: what precedes it is incomplete.
            help_en = f"`{before}` was read as a name, so something before it is incomplete (a condition or value missing?)"
            help_zh = f"`{before}` 被当作名称读取，说明它前面的内容不完整（是否缺少条件或取值？）"
            start = text.rfind(before, 0, tok.start_pos)
            col = start - text.rfind("\n", 0, start)
            line = text.count("\n", 0, start) + 1 + line_offset
            span = Span(source.name, line, col, line, col + len(before))
        return error("P001", span, f"unexpected `{shown}`", f"此处不应出现 `{shown}`",
                     help_en=help_en, help_zh=help_zh)
    # End of input (Lark reports line -1 there): point at the last line.
    expected = getattr(exc, "expected", None) or ()
    en, zh = _expected(set(expected))
    line_text = source.line_text(last_line)
    span = Span(source.name, last_line, max(1, len(line_text)), last_line, len(line_text) + 1)
    return error("P002", span, "the file ends in the middle of a declaration",
                 "文件在声明中途结束", help_en=f"expected {en}" if en else None,
                 help_zh=f"此处应为：{zh}" if zh else None)
