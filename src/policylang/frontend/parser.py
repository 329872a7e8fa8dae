"""Text -> Lark parse tree. The only module that sees Lark's exceptions.

A file that fails to parse is parsed again declaration by declaration (each
chunk starts at a line that begins with a declaration keyword), so one run
reports a syntax error in every broken declaration, not just the first; and within a
declaration, in every broken clause (``_chunk_errors``: the clause at fault blanked out, the
declaration parsed again, so no error is one the first caused).

The parser is Lark's LALR, which keeps its stack in a list: no text can exhaust
Python's stack here. A file longer than the limit is not parsed at all, and a parsed
tree is measured (declarations, nesting, chains of `and`) before anything recurses
over it (``limits.py``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from importlib import resources

import lark
from lark import Lark, Tree

from policylang.core.diagnostics import Diagnostic, Edit, Fix, did_you_mean, error
from policylang.core.i18n import DECLARATION_KINDS
from policylang.core.source import Source, Span
from policylang.frontend import limits, wording
from policylang.frontend.wording import CHINESE_COMPARISONS
from policylang.lang.pretty import SHOWN_ZH_TO_WRITE

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
    "ORDER_DIRECTION": ("`descending` or `ascending`", "`descending` 或 `ascending`"),
    "ADD_OP": ("`+` or `-`", "`+` 或 `-`"),
    "MUL_OP": ("`*` or `/`", "`*` 或 `/`"),
    "$END": ("end of file", "文件结尾"),
}


# Full-width punctuation a Chinese keyboard types, and what to write instead (digits need no
# entry: the grammar reads full-width digits as digits). Outside quoted text only.
FULL_WIDTH = {"，": ",", "、": ",", "：": ":", "（": "(", "）": ")", "＞": ">", "＜": "<", "＝": "=",
              "！": "!", "｛": "{", "｝": "}", "．": ".", "－": "-", "＋": "+", "％": "%", "＊": "*",
              "／": "/", "＃": "#", "\u3000": " "}
# The full-width forms the parser names (FULL_WIDTH), replaced outside texts and
# comments, and the full-width `＿` and the no-break space. Not `＃` (nor `＂`): they would
# start a comment or a text where the drafter's file had neither.
_FULL_WIDTH = str.maketrans({k: v for k, v in FULL_WIDTH.items() if k != "＃"} | {"＿": "_", "\u00a0": " "})
# What the replacement skips: texts (an unclosed one to the end of its line) and comments.
_VERBATIM = re.compile(r'"(?:\\.|[^"\\\n])*"?|“[^”\n]*”?|#[^\n]*')


def ascii_punctuation(text: str) -> str:
    """``text`` with full-width punctuation outside texts and comments made ASCII; every
    character stays where it was (one for one), so spans into either text agree."""
    out, last = [], 0
    for match in _VERBATIM.finditer(text):
        out += [text[last:match.start()].translate(_FULL_WIDTH), match.group()]
        last = match.end()
    out.append(text[last:].translate(_FULL_WIDTH))
    return "".join(out)


def grammar_text() -> str:
    return resources.files("policylang").joinpath("grammar/policylang.lark").read_text("utf-8")


@functools.cache
def _lark() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=True)


def parse(source: Source) -> tuple[Tree | None, list[Diagnostic]]:
    """Parse a whole file; on failure return no tree and every syntax error found (or the
    limit it goes beyond)."""
    too_long = limits.check_size(source) or limits.check_parentheses(source)
    if too_long is not None:
        return None, [too_long]
    try:
        tree = _lark().parse(source.text)
    except lark.exceptions.LarkError:
        pass
    else:
        problems = limits.check_tree(tree, source.name) or look_alike_names(tree, source.name)
        return (None, problems) if problems else (tree, [])
    diagnostics = full_width_diagnostics(source)  # every one, not only the first of a declaration
    if diagnostics:  # the text with them mended: if it parses, the checker says what else is wrong, not only them
        try:
            mended = _lark().parse(ascii_punctuation(source.text))
        except lark.exceptions.LarkError:
            pass
        else:
            if not (limits.check_tree(mended, source.name) or look_alike_names(mended, source.name)):
                return mended, diagnostics  # (each character where it was: the spans hold)
    for line_offset, chunk in _chunks(source.text):
        diagnostics += [_to_diagnostic(exc, source, parsed, line_offset) for exc, parsed in _chunk_errors(chunk)]
    if not diagnostics:  # the whole failed but every chunk parsed: report the whole
        try:
            _lark().parse(source.text)
        except lark.exceptions.LarkError as exc:
            diagnostics.append(_to_diagnostic(exc, source))
    return None, _inside_quotes_to_be(diagnostics)


def _inside_quotes_to_be(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics but those inside a text another one's fix quotes (`rule QL-3 同校满6年的教师，
    须交流`: the full-width comma is the title's, once it is quoted)."""
    def quoting(d: Diagnostic) -> Span | None:
        edit = d.fixes[0].edits[0] if d.fixes and d.fixes[0].edits else None
        return edit.span if edit and len(edit.text) > 1 and edit.text[0] == edit.text[-1] == '"' else None

    quoted = [q for d in diagnostics if (q := quoting(d)) is not None and q.line == q.end_line]
    return [d for d in diagnostics if quoting(d) is not None or d.span is None or not any(
        q.line == d.span.line and q.column <= d.span.column < q.end_column for q in quoted)]


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")  # alphabets with letters alike (е U+0435 and e)


def look_alike_names(tree: Tree, name: str) -> list[Diagnostic]:
    """A P001 for each name or id mixing Latin letters with Cyrillic or Greek ones: `tеnure`
    with a Cyrillic е reads as `tenure` and is another name (a definition so named was taken
    for the prelude's tenure by a reader, and matched everyone)."""
    import unicodedata

    found = []
    for token in tree.scan_values(lambda t: isinstance(t, lark.Token) and t.type in ("NAME", "RULE_ID")):
        scripts = {}
        for char in str(token):
            if not char.isascii() and char.isalpha():
                script = unicodedata.name(char, "").split(" ")[0]
                if script in _SCRIPTS:
                    scripts.setdefault(script, char)
            elif char.isascii() and char.isalpha():
                scripts.setdefault("LATIN", char)
        if len(scripts) < 2:
            continue
        odd = next(c for s, c in scripts.items() if s != "LATIN")
        code = f"U+{ord(odd):04X} {unicodedata.name(odd, '')}"
        span = Span(name, token.line, token.column, token.end_line, token.end_column)
        found.append(error("P001", span, f"`{token}` mixes Latin letters with `{odd}` ({code}): it reads as another name",
                           f"`{token}` 中混有与拉丁字母形似的 `{odd}`（{code}），看起来像另一个名称",
                           help_en="write the name in one alphabet (retype the letter)",
                           help_zh="请用同一种字母书写名称（重新输入该字母）"))
    return found


def full_width_diagnostics(source: Source) -> list[Diagnostic]:
    """A P001 for each full-width character outside quoted text and comments, with its fix."""
    found, skip_to = [], 0
    for match in _FULL_WIDTH_OR_SKIPPED.finditer(source.text):
        char = match.group("char")
        if char is None:
            continue
        start = match.start()
        line = source.text.count("\n", 0, start) + 1
        column = start - source.text.rfind("\n", 0, start)
        span = Span(source.name, line, column, line, column + 1)
        if skip_to > start:  # the closing bracket of a （含） said already
            continue
        if (note := _INCLUSIVE.match(source.text, start)) is not None:
            end_column = column + note.end() - start
            found.append(_inclusive_note(note, Span(source.name, line, column, line, end_column)))
            skip_to = note.end()
            continue
        cited = char == "：" and _CITE_SOURCE.search(source.text, source.text.rfind("\n", 0, start) + 1, start)
        found.append(_colon_after_cite(span, cited["source"], source.text[start + 1:start + 200]) if cited
                     else _full_width(span, char))
    return found


# a document's （含）/（不含本数） after a number, which the comparison's words say: `at least` includes it
_INCLUSIVE = re.compile(r"[（(][ \t]*(不)?含(?:本数)?[ \t]*[）)]")


def _inclusive_note(note: re.Match, span: Span) -> Diagnostic:
    """（含） or （不含） after a number: the operator says it (`at least`, `at most` include the
    number; `more than`, `less than` exclude it). （含） is deleted; （不含） asks for the operator.
    Said as a document writes it, full-width (fmt may have made the brackets ASCII already)."""
    if note.group(1):
        return error("P001", span, "`(不含)` is not written here: `more than` and `less than` exclude the number",
                     "此处不写“（不含）”：`more than`、`less than` 即不含本数",
                     help_en="write `more than` or `less than` before the number and delete the note",
                     help_zh="请在数字前写 `more than`（超过）或 `less than`（不满），并删除此注")
    return error("P001", span, "`(含)` is not written here: `at least` and `at most` include the number",
                 "此处不写“（含）”：`at least`、`at most` 已含本数，请删除",
                 help_en="delete it", help_zh="删除即可",
                 fixes=[Fix("Delete `(含)`", "删除“（含）”", (Edit(span, ""),))])


def _colon_after_cite(span: Span, source: str, after: str = "") -> Diagnostic:
    """A colon between a citation's source and its section, as a document writes 依据：…: deleted.
    ``after``: the text after the colon, whose quoted section the help shows."""
    section = re.match(r'\s*(?:"((?:\\.|[^"\\\n])*)"|“([^”\n]*)”)', after)
    shown = f'"{(section[1] if section[1] is not None else section[2]) if section else "七、4"}"'
    return error("P001", span, "no colon between a citation's source and its section; delete it",
                 "引用的来源与条款之间不用冒号，请删除", help_en=f"write `cite {source} {shown}`",
                 help_zh=f"写作 `cite {source} {shown}`", fixes=[Fix("Delete the colon", "删除冒号", (Edit(span, ""),))])


# what a Chinese message calls the ASCII sign written for a full-width one
_ASCII_NAMES_ZH = {",": "逗号", ":": "冒号", "(": "左括号", ")": "右括号", "=": "等号", ">": "大于号", "<": "小于号",
                   "{": "左花括号", "}": "右花括号", ".": "句点", "-": "减号", "+": "加号", "%": "百分号", "*": "乘号",
                   "/": "斜杠", "!": "叹号", "#": "井号"}


def _full_width(span: Span, char: str) -> Diagnostic:
    ascii_ = FULL_WIDTH[char]
    shown = "a space" if ascii_ == " " else f"`{ascii_}`"
    shown_zh = "半角空格" if ascii_ == " " else f"半角{_ASCII_NAMES_ZH.get(ascii_, '符号')} `{ascii_}`"
    name, name_zh = ("U+3000", "全角空格") if char == "\u3000" else (char, f"全角字符 `{char}`")
    # a comma written as a comma and a space, as the formatter writes it (JA-1, JA-2)
    written = ", " if ascii_ == "," else ascii_
    return error("P001", span, f"full-width `{name}`; write {shown}", f"{name_zh}；请写作{shown_zh}",
                 help_en="outside quoted text, a policy is written with ASCII punctuation (`policylang fmt` fixes it)",
                 help_zh="引号之外须用半角（英文）标点（`policylang fmt` 可自动改正）",
                 fixes=[Fix(f"Write {shown}", f"改为{shown_zh}", (Edit(span, written),))])


def _at_full_width(exc: lark.exceptions.LarkError, text: str) -> bool:
    return (isinstance(exc, lark.exceptions.UnexpectedCharacters) and exc.pos_in_stream < len(text)
            and text[exc.pos_in_stream] in FULL_WIDTH)


_CITE_SOURCE = re.compile(r"\bcite\s+(?P<source>[^\s\"“：:]+)\s*$")  # a line up to a citation's source (then a colon)
_FULL_WIDTH_OR_SKIPPED = re.compile(  # quoted text (closed or not, to the line's end), a comment, or a character
    r'"(?:\\.|[^"\\\n])*"?|“[^”\n]*”?|#[^\n]*|(?P<char>[%s])' % re.escape("".join(FULL_WIDTH)))


def _chunk_errors(chunk: str) -> list[tuple[lark.exceptions.LarkError, str]]:
    """The syntax errors of one declaration, each in a clause of its own. After an error in a
    clause, that clause (and the one before it, when the error is at a clause's first word: the
    one before was left unfinished) is blanked out, every character but the line breaks, so
    spans hold, and the declaration parsed again: a later clause's own error is found, never
    one the blanked clause caused. An error in the declaration's head ends it (what follows
    cannot be read without it), and so does one the blanking did not move past. Each error
    comes with the text it was found in (the hints read the words before it as parsed)."""
    found: list[tuple[lark.exceptions.LarkError, str]] = []
    text, last = chunk, -1
    while len(found) < limits.MAX_DIAGNOSTICS:
        try:
            _lark().parse(text)
            break
        except lark.exceptions.LarkError as exc:
            pos = _error_offset(exc)
            if last >= 0 and (pos is None or pos <= last):
                break  # (not past the last: nothing new)
            if not _at_full_width(exc, text):
                found.append((exc, text))
            blanked = _without_clause_at(text, pos) if pos is not None else None
            if blanked is None:
                break
            text, last = blanked, pos
    return found


def _error_offset(exc: lark.exceptions.LarkError) -> int | None:
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        return exc.pos_in_stream
    if isinstance(exc, lark.exceptions.UnexpectedToken) and exc.token.type != "$END":
        return exc.token.start_pos
    return None  # (at the end: nothing after it to read)


@functools.cache
def _clause_keywords() -> frozenset[str]:
    """The words a clause begins with, as the grammar has them (`cite`, `when`, `expect` …)."""
    out = set()
    for rule in _lark().rules:
        name = rule.origin.name
        if (name.endswith("_clause") or name == "cite") and rule.expansion and rule.expansion[0].is_term:
            pattern = _lark().get_terminal(rule.expansion[0].name).pattern
            if isinstance(pattern, lark.lexer.PatternStr) and pattern.value.isalpha():
                out.add(pattern.value)
    return frozenset(out)


_CLAUSE_LINE = re.compile(r"[ \t]+(?P<word>[^\W\d]\w*)(?=[ \t{\"“]|$)")


def _without_clause_at(text: str, pos: int) -> str | None:
    """``text`` (one declaration) with the clause holding offset ``pos`` blanked out, and the
    clause before it when ``pos`` is that clause's first word; None when ``pos`` is in the
    declaration's head (its first clause not begun)."""
    starts, offset, indent = [], 0, None  # the offset of each line that begins a clause
    for line in text.split("\n"):
        m = _CLAUSE_LINE.match(line)
        # (a line indented deeper than the first clause continues one: `    for 3 years` after an `effect`)
        if m and m["word"] in _clause_keywords() and (indent is None or m.start("word") <= indent):
            indent = m.start("word") if indent is None else indent
            starts.append(offset)
        offset += len(line) + 1
    before = [k for k, start in enumerate(starts) if start <= pos]
    if not before:
        return None
    k = before[-1]
    if not text[starts[k]:pos].strip():  # the error at the clause's first word: the one before was unfinished
        if k == 0:
            return None  # (the head's: its end is the first clause's start)
        k -= 1
    first = starts[k]
    end = next((start for start in starts if start > pos), len(text))
    return text[:first] + re.sub(r"[^\n]", " ", text[first:end]) + text[end:]


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


# The last word or operator of a text (what an incomplete clause ends with).
_LAST_WORD = re.compile(r"(at least|at most|less than|more than|not in|[<>!=]=?|[-+*/,(]|[^\W\d]\w*|\S+)$")
QUOTES = '"“”'


# a quota's requirement ending in a count of people or a name (`require movers at least 3`), where
# a share of a group is written (`at least 10% of targets`): 至少选派3名 as a document says it
_QUOTA_COUNT = re.compile(r"^\s*require\b.*\b(?:at least|at most|more than|less than|>=|<=|>|<)\s*"
                          r"(?P<count>[\w.]+)\s*(?:#.*)?$")


def _quota_count(line: str, name: str, line_no: int) -> Diagnostic | None:
    """A quota written as a number of people (line ``line_no`` of ``name`` reads ``line``): what a
    quota is, and where such a clause goes."""
    m = _QUOTA_COUNT.match(line)
    if m is None or m["count"] in ("of", "rounded"):
        return None
    span = Span(name, line_no, m.start("count") + 1, line_no, m.end("count") + 1)
    return error("P001", span,
                 f"a quota requires a share of a group (`at least 10% of targets`, `at least 1/3 of teachers`), "
                 f"not a number of people (`{m['count']}`)",
                 f"名额要求写作比例及其基数（`at least 10% of targets`、`at least 1/3 of teachers`），"
                 f"不能写固定人数（`{m['count']}`）",
                 help_en="a number of people (至少选派3名) cannot be a quota yet: write the clause as a `provision` "
                         "and say the number in its `note`",
                 help_zh="“至少选派3名”这样的固定人数目前不能写成名额：请把这一条写成 `provision`，在 `note` 中写明人数")


def _unclosed(text: str, pos: int, span: Span) -> Diagnostic:
    """The diagnostic of a quote the lexer could not read: a text not closed on its line, or
    opened and closed by different quotes (`“…"`), reported at its start."""
    quote = text[pos]
    rest = text[pos + 1:text.find("\n", pos) if "\n" in text[pos:] else len(text)]
    if quote == "”":
        return error("P001", span, "a closing `”` with no opening `“`", "有右引号 `”` 而没有左引号 `“`",
                     help_en="open the text with `“`, or write `\"` at both ends",
                     help_zh="请在文字开头加上 `“`，或两端都用 `\"`")
    other = "”" if quote == '"' else '"'  # the closing quote of the other kind, if the line has one
    where = rest.find(other)
    if where >= 0:
        closing = '"' if quote == '"' else "”"
        column = span.column + 1 + where
        bad = Span(span.source, span.line, column, span.line, column + 1)
        return error("P001", span, f"text not closed: it opens with `{quote}` and ends with `{other}`",
                     f"文字没有闭合：以 `{quote}` 开始，却以 `{other}` 结束",
                     help_en=f"end it with `{closing}` (quotes come in pairs: `\"…\"` or `“…”`)",
                     help_zh=f"请以 `{closing}` 结束（引号须成对：`\"…\"` 或 `“…”`）",
                     fixes=[Fix(f"End it with `{closing}`", f"改用 `{closing}` 结束", (Edit(bad, closing),))])
    return error("P001", span, "text not closed: its quote has no closing quote on this line",
                 "文字没有闭合：该行没有对应的右引号",
                 help_en=f"close it with `{'”' if quote == '“' else quote}` on the same line (a text cannot run over lines)",
                 help_zh=f"请在同一行用 `{'”' if quote == '“' else quote}` 闭合（文字不能跨行）")


_CITE_SOURCE_END = re.compile(r"\bcite\s+(?P<source>[^\s\"“：:]+)\s+$")  # a line up to a citation's source and a space
_YEARS_BEFORE = re.compile(r"(\d+)\s*(?:年|years?)\s*$")
# a unit as a drafter may write it after a number, and the language's word for it
_UNIT_WORDS = {"yrs": "years", "yr": "years", "周年": "年", "年度": "年", "mos": "months", "mo": "months",
               "月份": "个月", "个月份": "个月", "日": "天"}


def _after_a_number(word: str, line_before: str, span: Span) -> Diagnostic | None:
    """A word after a number that the language does not read there: 6年半 (78个月), `6 yrs`, 6 周年."""
    if word == "半" and (years := _YEARS_BEFORE.search(line_before)):
        months = int(years[1]) * 12 + 6
        return error("P001", span, f"`半` is not read: write the length in months, `{months} months`",
                     f"“半”无法读取：请按月写，如 `{months}个月`",
                     help_en=f"{years[1]} and a half years are {months} months; compare with a count of months "
                             "(`months_since(school_start)`)",
                     help_zh=f"{years[1]}年半即{months}个月；与按月计的期间比较（如 `months_since(到校时间)`）")
    if word in _UNIT_WORDS and re.search(r"\d\s*$", line_before):
        to = _UNIT_WORDS[word]
        return error("P001", span, f"`{word}` is not a unit of the language; write `{to}`",
                     f"“{word}”不是本语言的单位；请写作 `{to}`",
                     help_en="units: years, months, days, % (or 年, 个月, 天, 周岁)",
                     help_zh="单位：年、个月、天、周岁、%（或 years、months、days）",
                     fixes=[Fix(f"Write `{to}`", f"改为 `{to}`", (Edit(span, to),))])
    return None


# a declaration's head up to its title: `rule QL-3 `, `repeal FJ-X1 `, `policy `, `test `
_TITLE_DUE = re.compile(r"^(?:override\s+)?(?:(?P<kw>rule|exemption|prerequisite|penalty|benefit|quota|provision|priority"
                        r"|repeal|source)\s+[^\s\"“]+|policy|test)\s+$")


def _unquoted_title(word: str, text: str, pos: int, line_before: str, span: Span) -> Diagnostic | None:
    """A title (or a repeal's reason) written without quotes, as a document's heading is: quoted, to
    the end of the line when nothing else is on it."""
    due = _TITLE_DUE.match(line_before)
    if due is None or not any(not c.isascii() and c.isalpha() for c in word):
        return None
    rest = text[pos:text.find("\n", pos) if "\n" in text[pos:] else len(text)].rstrip()
    whole = rest if not any(c in rest for c in '"“”#') else word  # (a `cite` after it: the word alone)
    what_en, what_zh = ("reason", "理由") if due["kw"] == "repeal" else ("title", "标题")
    quoted = f'"{whole}"'
    at = Span(span.source, span.line, span.column, span.line, span.column + len(whole))
    return error("P001", at, f"a {what_en} is quoted text: write `{quoted}`", f"{what_zh}要加引号：请写作 `{quoted}`",
                 fixes=[Fix(f"Write `{quoted}`", f"改为 `{quoted}`", (Edit(at, quoted),))])


def _unquoted_section(word: str, span: Span, source: str) -> Diagnostic:
    """`cite QX 第三条`: the section is quoted text."""
    quoted = f'"{word}"'
    return error("P001", span, f"a citation's section is quoted: write `{quoted}`",
                 f"引用的条款要加引号：请写作 `{quoted}`", help_en=f'write `cite {source} {quoted}`',
                 help_zh=f"写作 `cite {source} {quoted}`", fixes=[Fix(f"Write `{quoted}`", f"改为 `{quoted}`",
                                                            (Edit(span, quoted),))])


# an effect so far, its label and words perhaps (`effect 待聘 "三年内不得评优"`), then a period without `for`
_EFFECT_BEFORE = re.compile(r"^\s*effect\s+[^\W\d]\w*\s*(?:\"(?:\\.|[^\"\\\n])*\"|“[^”\n]*”)?\s*$")


def _comparison_hint(word: str, tok: lark.Token, text: str, line_before: str, span: Span) -> Diagnostic | None:
    """A comparison worded as a document words it where the parser expected something else
    (``wording``): `tenure 少于 6 years`, `age >= 47周岁以上`, `tenure 少于6年`, `tenure 6年以上`,
    `at least 满 5年`, `effect … for 3年内`, `effect 待聘 三年内`."""
    if word in ("内", "以内") and (period := wording.PERIOD_BEFORE.search(line_before)):  # for 3年内
        start = span.column - (len(line_before) - period.start("number"))
        quantity = period["number"] + (" " if period["unit"].isascii() else "") + period["unit"]
        return wording.period(f"{line_before[period.start('number'):]}{word}", quantity,
                              Span(span.source, span.line, start, span.end_line, span.end_column))
    if word in CHINESE_COMPARISONS:  # after the value it qualifies (6年以上), perhaps after an operator too
        value = wording.VALUE_BEFORE.search(line_before)
        written = wording.operator_written(line_before[:value.start()]) if value and value.group().strip() else None
        return wording.comparison_word(word, span, written)
    w = wording.worded(word)
    if _EFFECT_BEFORE.search(line_before):  # effect 待聘 三年内, effect 待聘 3年内: no `for`
        if tok.type == "NUMBER" and (m := re.match(r"\d+(?:\.\d+)?\s*\S*", text[tok.start_pos:])):
            word = m.group()  # 3年内, 3 years, 3年
            w = wording.worded(word) or wording.Worded(None, word, None)
            span = Span(span.source, span.line, span.column, span.line, span.column + len(word))
        if w is not None:
            return wording.period_without_for(w.quantity, span)
    if w is not None and w.word is not None:  # 少于6年 read as one name
        return wording.worded_number(w, word, span, wording.operator_written(line_before))
    before = _previous_word(text, tok.start_pos)
    if tok.type == "NUMBER" and before in CHINESE_COMPARISONS:  # `at least 满 5年`: 满 read as a name
        at = text.rfind(before, 0, tok.start_pos)
        line_start = text.rfind("\n", 0, at) + 1
        column = span.column - (tok.start_pos - at)
        return wording.comparison_word(before, Span(span.source, span.line, column, span.line, column + len(before)),
                                       wording.operator_written(text[line_start:at]))
    if tok.type == "NUMBER":  # `tenure 6年以上`: the word after the number
        if (ahead := wording.number_then_word(text, tok.start_pos)) is not None:
            w, whole = ahead
            return wording.worded_number(w, whole, Span(span.source, span.line, span.column, span.line,
                                                        span.column + len(whole)))
    return None


# words and signs a drafter writes for what the language spells otherwise: written -> to write
SPELLINGS = {"并且": "and", "而且": "and", "AND": "and", "And": "and",
             "或者": "or", "OR": "or", "Or": "or", "NOT": "not", "Not": "not",
             "不等于": "!=", "不是": "!=", "岁": "周岁", "那么": "then",  # (如果…那么…, as 则 below)
             # the words doc, explain and the studio write a condition in (职称 属于 {…}, 任现职时间 已填写,
             # 且, ≥, 非, 如果 … 则 … 否则 …): the printer's own table, so none is shown that check cannot mend
             **SHOWN_ZH_TO_WRITE,
             # a declaration's keyword in Chinese, where a keyword is due (`override 规则 FJ-2`): as check and
             # doc name each kind (名额要求, 不能按名册判断的条款), and a few other words for them
             **{zh: "define" if en == "definition" else en for en, zh in DECLARATION_KINDS.values()},
             "前提条件": "prerequisite", "测试": "test", "覆盖": "override", "名额": "quota",
             "注": "note", "备注": "note",
             # a clause's, where a clause is due (`repeal FJ-X1 "…" 依据 QL "第六条"`)
             "依据": "cite", "引用": "cite",
             # a promotion's, as a failed test says it (晋升一级教师：预期 已满足，实际 未满足 YX-补-1)
             "已满足": "ok", "未满足": "unmet"}
_SHORT_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")


_INNER_QUOTES = re.compile(r'"([^"\n]*)"([^"\n]+)"([^"\n]*)"')


def _inner_quotes(text: str, pos: int, span: Span) -> Diagnostic | None:
    """A text quoting a phrase in straight quotes (`note "……"教学业绩突出"读作……"`): the second
    quote ends it, and what follows is read as code. The phrase in Chinese quotes is the fix.
    ``pos``: the offset just after that second quote."""
    start = text.rfind("\n", 0, pos) + 1
    line = text[start:text.find("\n", pos) if "\n" in text[pos:] else len(text)]
    m = next((m for m in _INNER_QUOTES.finditer(line) if start + m.start(2) == pos), None)
    if m is None:
        return None
    column = span.column - (pos - start - m.start())
    whole = Span(span.source, span.line, column, span.line, column + m.end() - m.start())
    mended = f'"{m[1]}“{m[2]}”{m[3]}"'
    return error("P001", whole, f"a straight quote `\"` inside a text ends it before `{m[2]}`: quote a phrase "
                                f"inside a text with “…”",
                 f"文字中又用了半角引号 `\"`，文字在“{m[2]}”之前就结束了：文字中引用的词语请用中文引号“…”",
                 fixes=[Fix("Quote it with “…”", "改用中文引号“…”", (Edit(whole, mended),))])


# a declaration's head up to its id, the id begun: `rule 方案3`, `override penalty 三`
_ID_HEAD = re.compile(r"^(?:override\s+)?(?:rule|exemption|prerequisite|penalty|benefit|quota|provision|priority"
                      r"|repeal)\s+(?P<id>[^\W\d]\w*)$")
_ID = re.compile(r"[^\W\d]\w*(-\w+)+(\.\w+)*")  # (the grammar's RULE_ID)


def _id_as_a_section(text: str, start: int, span: Span, began: str) -> Diagnostic:
    """An id written as a document numbers its section, `方案3.2a` (a dot with no hyphen before
    it) or `三(二)1` (brackets): how ids are written, and the id so written as the fix when there
    is one (`方案-3.2a`, `三-二-1`)."""
    written = re.match(r"[^\s\"“]+", text[start:]).group()
    mended = re.sub(r"-+", "-", re.sub(r"\s*[(（]\s*(\w+)\s*[)）]\s*", r"-\1-", written)).strip("-")
    if "-" not in mended:
        mended = re.sub(r"^([^\W\d]+)(?=\d)", r"\1-", mended)
    whole = Span(span.source, span.line, span.column - len(began), span.line, span.column - len(began) + len(written))
    fix = [Fix(f"Write `{mended}`", f"改为 `{mended}`", (Edit(whole, mended),))] if _ID.fullmatch(mended) else []
    said_en, said_zh = (f"; write `{mended}`", f"，可写作 `{mended}`") if fix else ("", "")
    return error("P001", whole, f"`{written}` is not an id: an id is a name with hyphens, then dots{said_en}",
                 f"`{written}` 不是有效的编号：编号以字母或汉字开头，用连字符分段，点号写在连字符之后，不能有括号{said_zh}",
                 help_en="ids read like section numbers: `JA-1`, `FJ-3b`, `CD-2.1`, `方案-3a`",
                 help_zh="编号写法如 `JA-1`、`FJ-3b`、`CD-2.1`、`方案-3a`", fixes=fix)


# a value explain worked out, its arithmetic beside it (`6年（3年 × 2）`, ``pretty._worked_out``): copied back,
# the number is the printer's, and what is in the brackets is what the policy writes
_WORKED_OUT = re.compile(r"[\d.]+\s*(?:年|周岁|天|个月)?（([^（）]*[×÷+\-][^（）]*)）")


def _spelling(word: str, span: Span, text: str | None = None, pos: int | None = None) -> Diagnostic:
    """A word or sign written as a drafter writes it (并且, AND, ≥, 50岁), with the one to write.
    ``text`` and ``pos`` (the word's offset in it): the others of these on its line are said too,
    with a fix mending them all (a condition copied from explain has several, and the parser stops
    at the first)."""
    to = SPELLINGS[word]
    # the number before 岁 is the drafter's own: say the unit, not another number
    example = {"周岁": ("`周岁` after the number (or `years`)", "`周岁`，写在数字之后（或写 `years`）")}.get(
        to, (f"`{to}`", f"`{to}`"))
    replacement = " 周岁" if to == "周岁" else to  # `50岁` becomes `50 周岁`
    fixes = [Fix(f"Write `{to}`", f"改为 `{to}`", (Edit(span, replacement),))]
    others = _spellings_on_line(text, pos, span) if text is not None and pos is not None else []
    help_en = help_zh = None
    if others:
        counted = Counter(w for w, _ in others)
        listed_en = ", ".join(f"`{w}` (`{SPELLINGS[w]}`" + (f", {n} times)" if n > 1 else ")") for w, n in counted.items())
        listed_zh = "、".join(f"“{w}”（`{SPELLINGS[w]}`" + (f"，{n} 处）" if n > 1 else "）") for w, n in counted.items())
        help_en, help_zh = f"this line also has {listed_en}", f"本行还有 {listed_zh}，也要改"
        fixes.append(Fix(f"Mend all {len(others) + 1} on this line", f"本行 {len(others) + 1} 处一并改正",
                         (Edit(span, replacement), *(edit for _, edit in others))))
    if text is not None and pos is not None and (worked := _WORKED_OUT.search(_line_of(text, pos))):
        said_en = (f"`{worked[0]}` is how explain shows a worked-out value, its arithmetic in brackets: write "
                   f"only the arithmetic (`{worked[1]}`)")
        said_zh = f"“{worked[0]}”是说明中显示的计算结果，括号内是算式：政策中只写括号内的算式（“{worked[1]}”）"
        help_en = f"{help_en}; {said_en}" if help_en else said_en
        help_zh = f"{help_zh}；{said_zh}" if help_zh else said_zh
    return error("P001", span, f"`{word}` is not a word of the language; write {example[0]}",
                 f"policylang 不认识“{word}”；请写作 {example[1]}", help_en=help_en, help_zh=help_zh, fixes=fixes)


# a line's words, apart from its quoted texts and its comment: the brackets around a word
# (`(如果`, `{教师、`) are not part of it
_LINE_WORD = re.compile(r'"[^"\n]*"?|“[^”\n]*”?|#.*|[^\s"“#(){},、]+')


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:len(text) if end < 0 else end]


def _spellings_on_line(text: str, pos: int, span: Span) -> list[tuple[str, Edit]]:
    """The words on the line of ``pos`` (other than the one there) that SPELLINGS mends, each with
    its edit: `且`, `≤`, `已填写` … of a condition copied from an explanation."""
    start = text.rfind("\n", 0, pos) + 1
    line = _line_of(text, pos)
    out = []
    for m in _LINE_WORD.finditer(line):
        w = m.group()
        if start + m.start() == pos or w not in SPELLINGS or SPELLINGS[w] == "周岁":
            continue
        column = span.column - (pos - start) + m.start()
        out.append((w, Edit(Span(span.source, span.line, column, span.line, column + len(w)), SPELLINGS[w])))
    return out


_MONTH_ONLY = re.compile(r"(\d{4})[ \t]*年[ \t]*(\d{1,2})[ \t]*月(?![ \t]*\d)")


def _short_date(text: str, pos: int, span: Span) -> Diagnostic | None:
    """`2019-9-1` (a month or day of one digit) read as a sum, or `2025年9月` (no day) as a
    document may write it: the date as the language writes it."""
    def whole(m: re.Match) -> Span:  # the date as written, not the token the parser stopped at (`2025` of it)
        column = span.column - (pos - m.start())
        return Span(span.source, span.line, column, span.line, column + m.end() - m.start())

    for m in _MONTH_ONLY.finditer(text, max(0, pos - 12), pos + 16):
        if m.start() <= pos <= m.end():
            iso = f"{m[1]}-{int(m[2]):02d}-01"
            return error("P001", whole(m), f"`{m[0]}` has no day; a date is written to the day, as `{iso}`",
                         f"“{m[0]}”没有写到日；日期要写到日，如 `{iso}` 或 `{m[1]}年{int(m[2])}月1日`")
    start = max(0, pos - 8)
    for m in _SHORT_DATE.finditer(text, start, pos + 12):
        iso = f"{m[1]}-{int(m[3]):02d}-{int(m[4]):02d}"
        if m.start() <= pos <= m.end() and m[0] != iso:  # a date written as the language writes it is not this
            return error("P001", whole(m), f"`{m[0]}` is no date here; write `{iso}`",
                         f"`{m[0]}` 在此不是日期；请写作 `{iso}`（月、日各两位）",
                         fixes=[Fix(f"Write `{iso}`", f"改为 `{iso}`", (Edit(whole(m), iso),))])  # one day: safe
    return None


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
    # what a value is (a quoted text, a name) before the keywords, which the list may cut short
    end = _TERMINAL_NAMES["$END"]
    described = sorted({_describe(n) for n in names if not n.startswith("__")},
                       key=lambda d: (d == end, d[0].startswith("`"), d))
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
        if exc.pos_in_stream < len(text) and text[exc.pos_in_stream] in QUOTES:
            return _unclosed(text, exc.pos_in_stream, span)
        char = _shown(text[exc.pos_in_stream]) if exc.pos_in_stream < len(text) else ""
        if char in SPELLINGS:
            return _spelling(char, span, text, exc.pos_in_stream)
        if char == "。":  # a sentence's end, as the document's clause has it: nothing ends so here
            return error("P001", span, "a Chinese full stop `。` ends nothing here; delete it",
                         "全角句号“。”不是本语言的符号，请删除", help_en="a line ends a clause; no stop is written",
                         help_zh="条款写完换行即可，不用句号",
                         fixes=[Fix("Delete `。`", "删除“。”", (Edit(span, ""),))])
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
        line_before = text[text.rfind("\n", 0, tok.start_pos) + 1:tok.start_pos]
        line_rest = text[tok.start_pos:(text.find("\n", tok.start_pos) + 1 or len(text) + 1) - 1]
        if (count := _quota_count(line_before + line_rest, source.name, span.line)) is not None:
            return count  # `require movers at least 结对人数`
        if not line_before.strip():  # the next clause (`note`) after `require movers at least 3`
            above = text[:tok.start_pos - len(line_before)].rstrip()
            if (count := _quota_count(above[above.rfind("\n") + 1:], source.name,
                                      above.count("\n") + 1 + line_offset)) is not None:
                return count
        if (hint := _after_a_number(str(tok), line_before, span)) is not None:
            return hint
        if (note := _INCLUSIVE.match(text, tok.start_pos)) is not None:  # (含) half-width
            return _inclusive_note(note, Span(span.source, span.line, span.column, span.line,
                                              span.column + note.end() - note.start()))
        if "STRING" in exc.expected and str(tok)[:1].isalnum() and (cite := _CITE_SOURCE_END.search(line_before)):
            # `cite QX 第三条`; the section to the line's end (its comment apart): `三、4（一）` is one, not `三`
            section = line_rest.split("#", 1)[0].strip()
            section = section if section and not any(q in section for q in QUOTES) else str(tok)
            return _unquoted_section(section, Span(span.source, span.line, span.column, span.line,
                                                   span.column + len(section)), cite["source"])
        if "STRING" in exc.expected and (title := _unquoted_title(str(tok), text, tok.start_pos, line_before, span)):
            return title  # `rule QL-3 同校任教满6年的教师须交流`
        if (compared := _comparison_hint(str(tok), tok, text, line_before, span)) is not None:
            return compared
        if str(tok) in SPELLINGS:
            return _spelling(str(tok), span, text, tok.start_pos)
        if before in SPELLINGS and re.search(re.escape(before) + r"[ \t]+$", line_before):
            # `非 任课`, `如果 性别 = 女`: the word read as a name, and the error at the next one
            back = len(line_before) - line_before.rstrip().rfind(before)
            at = span.column - back
            return _spelling(before, Span(span.source, span.line, at, span.line, at + len(before)), text,
                             tok.start_pos - back)
        if (short := _short_date(text, tok.start_pos, span)) is not None:
            return short
        if str(tok) == ":" and "STRING" in exc.expected and \
                (cite := _CITE_SOURCE.search(text, text.rfind("\n", 0, tok.start_pos) + 1, tok.start_pos)):
            return _colon_after_cite(span, cite["source"], text[tok.end_pos:tok.end_pos + 200])  # `cite QX: "七、4"`
        if text[tok.start_pos - 1:tok.start_pos] == '"' and (quoted := _inner_quotes(text, tok.start_pos, span)):
            return quoted  # `note "……"教学业绩突出"……"`
        if str(tok) in (".", "(", ")") and (head := _ID_HEAD.match(line_before)) is not None:
            return _id_as_a_section(text, tok.start_pos - len(head["id"]), span, head["id"])  # `rule 方案3.2a`
        keywords = [d[0].strip("`") for d in map(_describe, exc.expected) if d[0].startswith("`")]
        close = did_you_mean(str(tok), [k for k in keywords if k.isalpha()])
        if close is not None and str(tok).isascii():  # `ruel`, `wehn`: a keyword mistyped
            return error("P001", span, f"unexpected `{shown}`; did you mean `{close}`?",
                         f"此处不应出现 `{shown}`；是否应为 `{close}`？",
                         fixes=[Fix(f"Write `{close}`", f"改为 `{close}`", (Edit(span, close),))])
        if before in _CLAUSE_WORDS:
            # The contextual lexer read a clause keyword as a name: what precedes it is incomplete,
            # so the error is where the text before that keyword ends.
            start = text.rfind(before, 0, tok.start_pos)
            end = len(text[:start].rstrip())
            last = _LAST_WORD.search(text[max(0, end - 200):end])
            if last is not None:
                col = end - text.rfind("\n", 0, end)
                line = text.count("\n", 0, end) + 1 + line_offset
                after = last.group(0)
                return error("P001", Span(source.name, line, col, line, col + 1),
                             f"something is missing after `{after}`", f"`{after}` 之后缺少内容",
                             help_en=f"complete it on this line (a value, a name or a condition); "
                                     f"`{before}` on the next line starts another clause",
                             help_zh=f"请在本行补全（取值、名称或条件）；下一行的 `{before}` 是另一个子句的开头")
        return error("P001", span, f"unexpected `{shown}`", f"此处不应出现 `{shown}`",
                     help_en=help_en, help_zh=help_zh)
    # End of input (Lark reports line -1 there): point just after the last text, where
    # something is missing; in a declaration followed by others, that is not the file's end.
    expected = getattr(exc, "expected", None) or ()
    en, zh = _expected(set(expected))
    end = len(text.rstrip())
    if end:  # the text's last character: where the declaration ends
        column = end - text.rfind("\n", 0, end)
        line = text.count("\n", 0, end) + 1 + line_offset
        if (count := _quota_count(text[text.rfind("\n", 0, end) + 1:end], source.name, line)) is not None:
            return count  # `require movers at least 3`, in the file's last declaration or another
    if end and not source.text.endswith(text):
        last = _LAST_WORD.search(text[max(0, end - 200):end]).group(0)
        return error("P001", Span(source.name, line, column, line, column + 1),
                     f"something is missing after `{last}`", f"`{last}` 之后缺少内容",
                     help_en=f"the declaration ends here; expected {en}" if en else None,
                     help_zh=f"声明在此结束；此处应为：{zh}" if zh else None)
    if end:
        span = Span(source.name, line, column, line, column + 1)
    else:
        line_text = source.line_text(last_line)
        span = Span(source.name, last_line, max(1, len(line_text)), last_line, len(line_text) + 1)
    return error("P002", span, "the file ends in the middle of a declaration",
                 "文件在声明中途结束", help_en=f"expected {en}" if en else None,
                 help_zh=f"此处应为：{zh}" if zh else None)
