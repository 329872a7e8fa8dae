"""Policy text in one canonical layout: ``policylang fmt``, and what an editor calls on save.

The layout is read off the parser's own tokens (the grammar with every token kept), so it
follows the grammar as it grows: nothing here lists keywords or declarations.

- A declaration starts at column 0; each clause of it (a part that begins with a keyword:
  `cite`, `when`, `then`, `expect` …) on its own line, indented two columns.
- A line break the drafter put inside a clause is kept, and the continuation is aligned:
  inside `{…}` or `(…)` under the first thing after the bracket; inside an expression under
  its start (`when a` / `     and b`); otherwise four columns in from the clause.
- One space between tokens, none before `,` `:` `)` or around `.`, none in a call `f(x)`,
  in `10%` or `6年`, after a unary `-`; records are written `{ a: 1 }`, sets `{a, b}`.
- Every comment is kept. A comment on a line of its own takes the indentation of what
  follows it; trailing comments on consecutive lines are aligned. Columns are counted as a
  fixed-width font shows them: a CJK character takes two (``core.text_width``).
- At most one blank line, and only before a declaration or a comment at column 0.
- Full-width punctuation outside texts and comments (`，：（）＞＝`…, and `、`) becomes ASCII,
  and full-width digits in numbers and dates become ASCII digits (`５０` → `50`). Letters, and
  digits inside names, are left alone: they would rename something another file may use.

The result parses to the same tokens as the input (the digits aside): ``format_text``
checks this itself and refuses to return anything else, so formatting never changes what a
policy decides.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import lark
from lark import Lark, Token, Tree

from policylang.core.diagnostics import PolicyError
from policylang.core.source import Source
from policylang.core.text_width import display_width
from policylang.frontend import limits, parser

CLAUSE_INDENT = 2
HANGING_INDENT = 4  # a continuation that nothing else aligns: this far in from its clause

ascii_punctuation = parser.ascii_punctuation  # (the parser reads a draft so mended, to say what else is wrong)


def format_text(text: str, name: str = "<string>") -> str:
    """``text`` in the canonical layout. Raises the front end's ``PolicyError`` (with spans
    into ``text``, named ``name``) when it does not parse; never returns text that parses
    to other tokens than ``text``."""
    original = text.removeprefix("\ufeff").replace("\r\n", "\n")
    text = ascii_punctuation(original)
    too_long = limits.check_size(Source(name, text)) or limits.check_parentheses(Source(name, text))
    try:
        if too_long is not None:
            raise PolicyError([too_long])
        tree = _layout_parser().parse(text)
    except (lark.exceptions.LarkError, PolicyError):
        # the front end's own messages, on the lines as the drafter wrote them (the columns are the same)
        _, diagnostics = parser.parse(Source(name, text))
        raise PolicyError(diagnostics, {name: Source(name, original)}) from None
    tokens = _Tokens(text, tree)
    result = _Layout(text, tokens).render()
    _same_tokens_or_raise(tokens, result)
    return result


# ---- the grammar, with every token kept ---------------------------------------------------

@functools.cache
def _layout_parser() -> Lark:
    return Lark(parser.grammar_text(), parser="lalr", lexer="contextual", keep_all_tokens=True,
                maybe_placeholders=False)


@functools.cache
def _grammar_kinds() -> tuple[frozenset[str], frozenset[str]]:
    """The tree names of declarations (what `item` may be) and of expressions and literals
    (whatever `expr` and `literal` reach): a keyword that starts one of those is no clause."""
    rules = _layout_parser().rules

    def reached(*roots: str) -> set[str]:
        names, frontier = set(), list(roots)
        seen = set()
        while frontier:
            origin = frontier.pop()
            if origin in seen:
                continue
            seen.add(origin)
            for rule in rules:
                if rule.origin.name != origin:
                    continue
                names.add(rule.alias or origin)
                frontier += [s.name for s in rule.expansion if not s.is_term]
        return names

    declarations = {s.name for rule in rules if rule.origin.name == "item" for s in rule.expansion
                    if not s.is_term}
    return frozenset(declarations), frozenset(reached("expr", "literal"))


@functools.cache
def _is_keyword(terminal: str) -> bool:
    try:
        pattern = _layout_parser().get_terminal(terminal).pattern
    except KeyError:
        return False
    return isinstance(pattern, lark.lexer.PatternStr) and pattern.value.isalpha()


class _Tokens:
    """The tokens of a parsed text in order, with the tree each belongs to, and for each
    tree its parent and the index of its first token (walked without recursion: a chain of
    200 `and` is a tree 200 deep)."""

    def __init__(self, text: str, tree: Tree):
        self.text = text
        self.tree = tree
        self.list: list[Token] = []
        self.owner: list[Tree] = []  # the tree each token is a child of
        self.parent: dict[int, Tree | None] = {}
        self.first: dict[int, int] = {}
        stack: list[tuple[Tree | Token, Tree | None]] = [(tree, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, Token):
                self.list.append(node)
                self.owner.append(parent)
            else:
                self.parent[id(node)] = parent
                self.first[id(node)] = len(self.list)
                stack.extend((child, node) for child in reversed(node.children))


# ---- layout ------------------------------------------------------------------------------

class _Layout:
    def __init__(self, text: str, tokens: _Tokens):
        self.text = text
        self.t = tokens
        self.declarations, self.expressions = _grammar_kinds()
        self.lines: list[list] = []  # [code, trailing comment or None, display width of code, indent]
        self.column: list[int] = []  # display column of each token as written out
        self.line_indent: list[int] = []  # indentation of the line each token is on
        self.breaks = self._breaks()

    def _breaks(self) -> dict[int, str]:
        """Which tokens start a declaration (`decl`) or a clause (`clause`)."""
        breaks = {}
        t = self.t
        for child in t.tree.children:
            if isinstance(child, Tree):
                breaks[t.first[id(child)]] = "decl"
        stack = [c for c in t.tree.children if isinstance(c, Tree)]
        while stack:  # declarations, and those inside one (`override rule …`)
            decl = stack.pop()
            for child in decl.children:
                if not isinstance(child, Tree):
                    continue
                if child.data in self.declarations:
                    stack.append(child)
                elif child.data not in self.expressions and _is_keyword(t.list[t.first[id(child)]].type):
                    breaks.setdefault(t.first[id(child)], "clause")
        return breaks

    # -- the text between two tokens: whitespace and comments only
    def _gap(self, start: int, end: int) -> tuple[str | None, list[tuple[bool, str, bool]], bool]:
        """The trailing comment of the line before (if ``start`` follows a token), the
        comments on lines of their own, each with whether a blank line precedes it and
        whether it was indented, and whether a blank line precedes what follows."""
        gap = self.text[start:end]
        lines = gap.split("\n")
        trailing, comments, blank = None, [], False
        for i, line in enumerate(lines):
            stripped = line.strip(" \t\f\r")
            if stripped.startswith("#"):
                if i == 0 and start > 0:
                    trailing = stripped.rstrip()
                else:
                    comments.append((blank, stripped.rstrip(), line[:1] in (" ", "\t")))
                    blank = False
            elif stripped:
                raise RuntimeError(f"the formatter would drop text it does not know: {stripped[:40]!r}")
            elif 0 < i < len(lines) - 1:
                blank = True
        return trailing, comments, blank

    def render(self) -> str:
        tokens = self.t.list
        position = 0
        for i, token in enumerate(tokens):
            trailing, comments, blank = self._gap(position, token.start_pos)
            kind = self.breaks.get(i) or ("continue" if "\n" in self.text[position:token.start_pos] else "same")
            if trailing:
                self.lines[-1][1] = trailing
            indent = {"decl": 0, "clause": CLAUSE_INDENT}.get(kind) if kind != "continue" else self._aligned(i)
            self._comments(comments, blank, indent or 0, i > 0)
            if kind == "same":
                self._append(i, _space(self.t, i))
            else:
                self._new_line(indent, blank and indent == 0)
                self._append(i, "")
            position = token.end_pos
        trailing, comments, _ = self._gap(position, len(self.text))
        if trailing:
            self.lines[-1][1] = trailing
        self._comments(comments, True, 0, bool(tokens))
        return _with_comments_aligned(self.lines)

    def _comments(self, comments: list[tuple[bool, str, bool]], blank_after_last: bool, indent: int,
                  after_token: bool) -> None:
        """Comments on lines of their own, indented as what follows them; but those a blank
        line parts from what follows, before a declaration, stay with the declaration before
        them (indented as a clause if they were indented: a clause commented out)."""
        for n, (blank_before, comment, indented) in enumerate(comments):
            parted = blank_after_last or any(b for b, _, _ in comments[n + 1:])
            own = CLAUSE_INDENT if indent == 0 and after_token and parted and indented else indent
            self._new_line(own, blank_before and own == 0)
            self.lines[-1][0] += comment

    def _new_line(self, indent: int, blank: bool) -> None:
        if blank and self.lines:
            self.lines.append(["", None, 0, 0])
        self.lines.append([" " * indent, None, indent, indent])

    def _append(self, i: int, space: str) -> None:
        line = self.lines[-1]
        text = _token_text(self.t.list[i])
        self.column.append(line[2] + len(space))
        self.line_indent.append(line[3])
        line[0] += space + text
        line[2] += len(space) + display_width(text)

    def _aligned(self, i: int) -> int:
        """The column of a token that starts a continuation line."""
        t = self.t
        node = t.owner[i]
        while node is not None and t.first[id(node)] == i:  # the smallest tree begun on an earlier line
            node = t.parent[id(node)]
        if node is None:
            return HANGING_INDENT
        opened = _open_bracket(t, node, i)
        if opened is not None:
            closing = _BRACKETS.get(t.list[opened].value) == t.list[i].value and t.owner[i] is node
            if closing:
                return self.column[opened]
            if opened + 1 == i:  # the first item itself begins the line (a comment came after the bracket)
                return self.column[opened] + 1 + len(_space(t, i))
            return self.column[opened + 1]
        start = t.first[id(node)]
        if node.data in self.expressions or not self._is_clause_or_declaration(node):
            return self.column[start]
        return self.line_indent[start] + HANGING_INDENT

    def _is_clause_or_declaration(self, node: Tree) -> bool:
        return node.data in self.declarations or self.breaks.get(self.t.first[id(node)]) is not None


_BRACKETS = {"(": ")", "{": "}", "[": "]"}


def _open_bracket(t: _Tokens, node: Tree, i: int) -> int | None:
    """The index of the innermost bracket among ``node``'s own tokens that is open at
    token ``i`` (or closed by it)."""
    stack = []
    for child in node.children:
        if isinstance(child, Tree):
            if t.first[id(child)] >= i:
                break
            continue
        index = _index_of(t, child)
        if index >= i:
            if stack and _BRACKETS[t.list[stack[-1]].value] == child.value and index == i:
                return stack[-1]
            break
        if child.value in _BRACKETS and child.type != "STRING":
            stack.append(index)
        elif stack and child.value == _BRACKETS[t.list[stack[-1]].value]:
            stack.pop()
    return stack[-1] if stack else None


def _index_of(t: _Tokens, token: Token) -> int:
    # tokens are unique objects; their start positions are increasing
    lo, hi = 0, len(t.list)
    while lo < hi:
        mid = (lo + hi) // 2
        if t.list[mid].start_pos < token.start_pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _space(t: _Tokens, i: int) -> str:
    """What goes between token ``i`` and the one before it on the same line."""
    before, token = t.list[i - 1], t.list[i]
    if token.value in (",", ":", ")", ".") or before.value in ("(", "."):
        return ""
    if token.value == "(" and before.type == "NAME" and t.owner[i] is t.owner[i - 1]:
        return ""  # a call: within_last(…)
    if before.value == "-" and t.first[id(t.owner[i - 1])] == i - 1:
        return ""  # a unary minus
    if before.type == "NUMBER" and t.owner[i] is t.owner[i - 1] and (token.value == "%" or not token.value.isascii()):
        return ""  # 10%, 6年, 50周岁
    declarations, expressions = _grammar_kinds()
    if "/" in (token.value, before.value) and t.owner[i].data not in expressions:
        return ""  # a fraction: 1/3
    if before.value == "{" and token.value == "}":
        return ""
    if (before.value == "{" and t.owner[i - 1].data in expressions) or \
            (token.value == "}" and t.owner[i].data in expressions):
        return ""  # a set: {first, senior}
    return " "


def _token_text(token: Token) -> str:
    if token.value[:1].isdigit():  # a number or a date: its digits in ASCII
        return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
                       for c in token.value)
    return token.value


def _with_comments_aligned(lines: list[list]) -> str:
    """The lines as text; the trailing comments of consecutive lines start in one column,
    two after the widest code among them."""
    out: list[str] = []
    run: list[list] = []

    def flush():
        if run:
            column = max(display_width(code.rstrip()) for code, _ in run) + 2
            out.extend(code.rstrip() + " " * (column - display_width(code.rstrip())) + comment
                       for code, comment in run)
            run.clear()

    for code, comment, *_ in lines:
        if comment is not None and code.strip():
            run.append((code, comment))
            continue
        flush()
        out.append(code.rstrip())
    flush()
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _same_tokens_or_raise(tokens: _Tokens, result: str) -> None:
    """The formatted text must parse to the tokens of the original (digits made ASCII) and
    keep its comments: a layout rule that breaks a new piece of the grammar is a bug to
    report, never a policy silently changed."""
    again = _Tokens(result, _layout_parser().parse(result))
    before = [(tok.type, _token_text(tok)) for tok in tokens.list]
    after = [(tok.type, tok.value) for tok in again.list]
    if before != after or _comments(tokens) != _comments(again):
        raise RuntimeError("the formatter changed the policy's tokens or comments; please report this")


def _comments(tokens: _Tokens) -> list[str]:
    text, found, position = tokens.text, [], 0
    for token in tokens.list + [None]:
        end = token.start_pos if token is not None else len(text)
        found += [c.rstrip() for c in re.findall(r"#[^\n]*", text[position:end])]
        if token is not None:
            position = token.end_pos
    return found
