"""What one policy may ask of the front end, and of the evaluators after it.

Every limit is far above what a real policy needs (the bundled policies, measured: at most
12,000 characters, 60 declarations, expressions 6 levels deep with 5 terms in one `and`,
42 parts with every definition written out) and low enough that no input can exhaust the
stack, the memory or the patience of any pass. Each is checked before the work it
protects, and a policy beyond one gets a diagnostic (P005) naming the limit and pointing
at the place; the checker never sees a policy that failed one, and the evaluators never
see a literal out of range (P003). ``docs/language.md`` ("Limits") lists them for drafters.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from lark import Tree

from policylang.core.diagnostics import Diagnostic, error, warning
from policylang.core.source import Source, Span

MAX_SOURCE_CHARS = 1_000_000  # characters in one policy file (the largest bundled one: 12,000)
MAX_SOURCE_BYTES = 4 * MAX_SOURCE_CHARS  # what is read of a file at most (4 bytes a character)
MAX_DECLARATIONS = 2_000  # declarations in one file, and in a file with all it extends (bundled: 60)
MAX_DEPTH = 100  # levels of nesting in one expression, the definitions it uses written out
MAX_TERMS = 200  # conditions joined by `and` (or by `or`) in one chain
MAX_EXPANDED = 2_000  # parts of one expression with the definitions it uses written out
MAX_EXPANDED_TOTAL = 50_000  # the same, summed over every expression of a policy (bundled: 180)
MAX_EXTENDS = 16  # files in one chain of `extends` (a national-to-school chain has 6)
MAX_DIAGNOSTICS = 200  # problems reported for one policy; a count says how many more

# Literals. Numbers have at most 9 digits before the point and 6 after it: at most 15
# significant digits, so every number is exactly the same in the decimal text, the
# interpreter and the columnar engine (a double holds 15), and a product of two fits a
# 64-bit integer. A duration is at most 200 years, so that a date moved by one stays in
# every evaluator's calendar; dates run from 1900 to 2200 (a teacher born in 1900 would
# be 125 now; the statutory retirement schedules end before 2100).
MAX_INTEGER_DIGITS = 9
MAX_DECIMALS = 6
MAX_DURATION = {"years": 200, "months": 200 * 12, "days": 73_050}  # 200 years of 365.25 days
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)


def number_beyond(whole: str, decimals: str) -> bool:
    """Whether a number, by its digits before and after the point (written without leading or
    trailing zeros), is beyond those a policy may state: checked on the digits, before any
    conversion of a number 400 digits long."""
    return len(whole) > MAX_INTEGER_DIGITS or len(decimals) > MAX_DECIMALS


def value_beyond(value: Fraction) -> bool:
    """``number_beyond`` of a number given as a value (a parameter from the API or the service)."""
    magnitude = abs(value)
    return magnitude >= 10 ** MAX_INTEGER_DIGITS or (magnitude * 10 ** MAX_DECIMALS).denominator != 1


def number_beyond_error(span: Span | None, shown: str) -> Diagnostic:
    """P003 for a number beyond those a policy may state."""
    shown = shown if len(shown) <= 40 else f"{shown[:20]}…{shown[-8:]}"
    return error("P003", span, f"`{shown}` is beyond the numbers a policy may state", f"`{shown}` 超出政策中数字的范围",
                 help_en=f"a number has at most {MAX_INTEGER_DIGITS} digits before the decimal point "
                         f"and {MAX_DECIMALS} after it",
                 help_zh=f"数字的整数部分最多 {MAX_INTEGER_DIGITS} 位，小数部分最多 {MAX_DECIMALS} 位")


def duration_beyond(value: Fraction, unit: str | None) -> int | None:
    """The longest duration in ``unit`` when ``value`` is beyond it, else None."""
    longest = MAX_DURATION.get(unit)
    return longest if longest is not None and value > longest else None


def duration_beyond_error(span: Span | None, longest: int, unit: str) -> Diagnostic:
    """P003 for a duration beyond ``longest`` of its unit (``duration_beyond``)."""
    unit_zh = {"years": "年", "months": "个月", "days": "天"}[unit]
    return error("P003", span, f"a duration of more than {longest:,} {unit}", f"期限超过 {longest:,} {unit_zh}",
                 help_en="a duration is at most 200 years" + ("" if unit == "years" else f" ({longest:,} {unit})"),
                 help_zh="期限最长为 200 年" + ("" if unit == "years" else f"（{longest:,} {unit_zh}）"))


def limit_error(span: Span | None, en: str, zh: str, help_en: str, help_zh: str) -> Diagnostic:
    return error("P005", span, en, zh, help_en=help_en, help_zh=help_zh)


def _span(name: str, meta) -> Span:
    if getattr(meta, "empty", True) or not hasattr(meta, "line"):
        return Span(name, 1, 1, 1, 2)
    return Span(name, meta.line, meta.column, meta.end_line, meta.end_column)


def position(text: str, offset: int, name: str) -> Span:
    """The one-character span at ``offset`` of ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(name, line, column, line, column + 1)


def check_size(source: Source) -> Diagnostic | None:
    if len(source.text) <= MAX_SOURCE_CHARS:
        return None
    return limit_error(
        position(source.text, MAX_SOURCE_CHARS, source.name),
        f"the file is longer than {MAX_SOURCE_CHARS:,} characters",
        f"文件超过 {MAX_SOURCE_CHARS:,} 个字符",
        f"a policy file holds at most {MAX_SOURCE_CHARS:,} characters; this is where it goes beyond; "
        "split it into a base policy and a policy that extends it",
        f"一份政策文件最多 {MAX_SOURCE_CHARS:,} 个字符，此处超出；请拆分为基础政策和继承它的政策")


# what a parenthesis counts in: strings and comments (the grammar's STRING and COMMENT) hold none
_BRACKETS = re.compile(r'"(?:\\.|[^"\\\n])*"|“[^”\n]*”|#[^\n]*|[()（）]')


def check_parentheses(source: Source) -> Diagnostic | None:
    """P005 for parentheses nested past ``MAX_DEPTH``, found before the parser meets them: the
    tree keeps no node for a parenthesis, and 450,000 of them took the parser 17 seconds."""
    depth = 0
    for match in _BRACKETS.finditer(source.text):
        bracket = match.group()
        if bracket in "(（":
            depth += 1
            if depth > MAX_DEPTH:
                return limit_error(
                    position(source.text, match.start(), source.name),
                    f"parentheses are nested more than {MAX_DEPTH} levels deep",
                    f"括号嵌套超过 {MAX_DEPTH} 层",
                    f"an expression may nest at most {MAX_DEPTH} levels; this is the first parenthesis beyond",
                    f"表达式最多嵌套 {MAX_DEPTH} 层；此处为超出的第一个括号")
        elif bracket in ")）":
            depth = max(depth - 1, 0)
    return None


_CHAINS = ("and_", "or_")
_WORDS = {"and_": "and", "or_": "or"}


def check_tree(tree: Tree, name: str) -> list[Diagnostic]:
    """The declarations, nesting and chains of a parse tree, walked without recursion: at
    most one problem per declaration (the first place it goes beyond a limit)."""
    items = [c for c in tree.children if isinstance(c, Tree)]
    if len(items) > MAX_DECLARATIONS:
        return [limit_error(
            _span(name, items[MAX_DECLARATIONS].meta),
            f"the file has {len(items):,} declarations, more than {MAX_DECLARATIONS:,}",
            f"文件共有 {len(items):,} 项声明，超过 {MAX_DECLARATIONS:,} 项",
            f"a policy file holds at most {MAX_DECLARATIONS:,} declarations; this is the first one beyond; "
            "split it into a base policy and a policy that extends it",
            f"一份政策文件最多 {MAX_DECLARATIONS:,} 项声明，此处为超出的第一项；请拆分为基础政策和继承它的政策")]
    problems = []
    for item in items:
        problem = _check_declaration(item, name)
        if problem is not None:
            problems.append(problem)
    return problems


def _check_declaration(item: Tree, name: str) -> Diagnostic | None:
    # (node, depth, whether it continues its parent's chain of `and` or `or`)
    stack: list[tuple[Tree, int, bool]] = [(item, 1, False)]
    while stack:
        node, depth, continues = stack.pop()
        if depth > MAX_DEPTH:
            return limit_error(
                _span(name, node.meta),
                f"the expression is nested more than {MAX_DEPTH} levels deep",
                f"表达式嵌套超过 {MAX_DEPTH} 层",
                f"an expression may nest at most {MAX_DEPTH} levels (each `not`, `if`, comparison, "
                "arithmetic operator, function call or parenthesised `and`/`or` is a level); this is the "
                f"first part below level {MAX_DEPTH}",
                f"表达式最多嵌套 {MAX_DEPTH} 层（每个 `not`、`if`、比较、算术运算、函数调用或括号内的 "
                f"`and`/`or` 各为一层）；此处为第 {MAX_DEPTH} 层以下的第一部分")
        if node.data in _CHAINS and not continues:
            terms, x = 1, node
            while isinstance(x, Tree) and x.data == node.data:
                terms, x = terms + 1, x.children[0]
            if terms > MAX_TERMS:
                word = _WORDS[node.data]
                return limit_error(
                    _span(name, node.meta),
                    f"{terms:,} conditions are joined by `{word}`, more than {MAX_TERMS}",
                    f"用 `{word}` 连接了 {terms:,} 个条件，超过 {MAX_TERMS} 个",
                    f"at most {MAX_TERMS} conditions may be joined by `{word}` in one chain; "
                    "name groups of them with `define`",
                    f"一串 `{word}` 最多连接 {MAX_TERMS} 个条件；请用 `define` 为其中几组命名")
        for i, child in enumerate(node.children):
            if isinstance(child, Tree):
                chained = i == 0 and node.data in _CHAINS and child.data == node.data
                stack.append((child, depth if chained else depth + 1, chained))
    return None


def too_deep(span: Span | None, through: list[str]) -> Diagnostic:
    chain = " -> ".join(through[-4:])
    return limit_error(
        span, f"the expression is nested more than {MAX_DEPTH} levels deep once the definitions it uses "
        f"are written out" + (f" (through {chain})" if chain else ""),
        f"将所用定义展开后，表达式嵌套超过 {MAX_DEPTH} 层" + (f"（经由 {chain}）" if chain else ""),
        f"an expression, with the definitions it uses written out, may nest at most {MAX_DEPTH} levels; "
        "shorten the chain of definitions",
        f"表达式连同所用定义展开后最多嵌套 {MAX_DEPTH} 层；请缩短定义之间的引用链")


def too_large(span: Span | None, size: int) -> Diagnostic:
    return limit_error(
        span, f"the expression has {size:,} parts once the definitions it uses are written out, "
        f"more than {MAX_EXPANDED:,}",
        f"将所用定义展开后，表达式共有 {size:,} 个组成部分，超过 {MAX_EXPANDED:,} 个",
        f"an expression, with the definitions it uses written out, has at most {MAX_EXPANDED:,} parts "
        "(every evaluator writes them out); use each definition fewer times",
        f"表达式连同所用定义展开后最多 {MAX_EXPANDED:,} 个组成部分（各求值方式都会展开定义）；请减少定义的重复使用")


def too_large_in_all(span: Span | None) -> Diagnostic:
    return limit_error(
        span, f"with the definitions they use written out, the policy's expressions have more than "
        f"{MAX_EXPANDED_TOTAL:,} parts; this is the first beyond",
        f"将所用定义展开后，政策中各表达式的组成部分合计超过 {MAX_EXPANDED_TOTAL:,} 个；此处为超出的第一个",
        f"a policy's expressions, with the definitions they use written out, have at most "
        f"{MAX_EXPANDED_TOTAL:,} parts in all (every evaluator writes them out)",
        f"政策中各表达式连同所用定义展开后合计最多 {MAX_EXPANDED_TOTAL:,} 个组成部分（各求值方式都会展开定义）")


def capped(diagnostics: list[Diagnostic], unshown: int = 0) -> list[Diagnostic]:
    """At most ``MAX_DIAGNOSTICS`` problems, errors first (in their order), then a last one
    saying how many more there are (with ``unshown`` errors found but never described);
    as many as there are when within the limit."""
    if len(diagnostics) <= MAX_DIAGNOSTICS and not unshown:
        return diagnostics
    errors = [i for i, d in enumerate(diagnostics) if d.is_error]
    keep = set(errors[:MAX_DIAGNOSTICS])
    if len(keep) < MAX_DIAGNOSTICS:
        warnings = [i for i, d in enumerate(diagnostics) if not d.is_error]
        keep.update(warnings[:MAX_DIAGNOSTICS - len(keep)])
    hidden = [d for i, d in enumerate(diagnostics) if i not in keep]
    hidden_errors = sum(d.is_error for d in hidden) + unshown
    hidden_warnings = len(hidden) + unshown - hidden_errors
    total_errors = len(errors) + unshown
    en_parts = [f"{n:,} more {word}" for n, word in ((hidden_errors, "error(s)"), (hidden_warnings, "warning(s)")) if n]
    zh_parts = [f"另有 {n:,} 个{word}" for n, word in ((hidden_errors, "错误"), (hidden_warnings, "警告")) if n]
    summary = (error if hidden_errors else warning)(
        "P007", None,
        f"{' and '.join(en_parts)} not shown ({total_errors:,} error(s) in all)",
        f"{'，'.join(zh_parts)}未显示（共 {total_errors:,} 个错误）",
        help_en=f"at most {MAX_DIAGNOSTICS} problems are shown; fix these and check again",
        help_zh=f"最多显示 {MAX_DIAGNOSTICS} 个问题；请修改后重新检查")
    return [d for i, d in enumerate(diagnostics) if i in keep] + [summary]
