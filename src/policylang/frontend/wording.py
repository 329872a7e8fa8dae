"""How a Chinese policy document words a comparison or a period (以上, 少于6年, 满5年, 47周岁以上,
3年内), and what the language writes for it: the one place the front end's hints read it from,
the parser for the words it cannot read (`tenure 少于 6 years`, `for 3年内`) and the checker for
those it reads as a name (`at least 满5年`, `for 三年`).

The readings are those of docs/language.md, "Legal reading": 以上、以下、以内、满、不少于、不超过
include the number; 不满、未满、少于、超过、多于 exclude it."""

from __future__ import annotations

import re

import attrs

from policylang.core.diagnostics import Diagnostic, Edit, Fix, error
from policylang.core.source import Span
from policylang.lang.numerals import chinese_number

# Comparisons as Chinese policy text words them, and the operator to write.
CHINESE_COMPARISONS = {"以下": "at most", "以上": "at least", "不满": "less than", "未满": "less than",
                       "不足": "less than", "低于": "less than", "少于": "less than", "不到": "less than",
                       "超过": "more than", "高于": "more than", "多于": "more than",
                       "不低于": "at least", "不少于": "at least", "不高于": "at most", "不超过": "at most",
                       "不多于": "at most", "大于": "more than", "小于": "less than", "等于": "=",
                       "满": "at least", "达到": "at least", "届满": "at least", "以内": "at most",
                       "及以上": "at least", "及以下": "at most",
                       "未达到": "less than", "大于等于": "at least", "小于等于": "at most", "不小于": "at least",
                       "不大于": "at most"}

# what each operator of the language says, by the words the messages name it with
OPERATORS = {"at least": "at least", ">=": "at least", "at most": "at most", "<=": "at most",
             "less than": "less than", "<": "less than", "more than": "more than", ">": "more than", "=": "="}
_INCLUDES = {"at least": True, "at most": True, "=": True, "less than": False, "more than": False}

# the words a document writes after the number (6年以上, 55周岁以下); 内 only of a period (3年内)
_AFTER = ("及以上", "及以下", "以上", "以下", "以内")
_UNITS = {"周岁": "周岁", "岁": "周岁", "个月": "个月", "月": "个月", "年": "年", "天": "天", "日": "天",
          "years": "years", "year": "year", "months": "months", "month": "month", "days": "days", "day": "day"}
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+"
# a value a comparison word may follow, at the end of a line so far: `6年`, `47周岁`, `6 years`, `五年`
VALUE_BEFORE = re.compile(rf"(?:{_NUMBER})\s*(?:{_UNIT_WORDS})?\s*$")
# a penalty's period so far, `for 3年` (then `内`)
PERIOD_BEFORE = re.compile(rf"\bfor\s+(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>{_UNIT_WORDS})\s*$")
_WORDED = re.compile(
    r"(?P<lead>%s)?\s*(?P<number>%s)\s*(?P<unit>%s)?\s*(?P<trail>%s|内)?"
    % ("|".join(sorted(CHINESE_COMPARISONS, key=len, reverse=True)), _NUMBER, _UNIT_WORDS, "|".join(_AFTER)))
# the operator a line ends with, then a number as written: `age >= 47周岁`, `tenure at least 6 years`
OPERATOR_BEFORE = re.compile(r"(?:^|[\s\w)])(?P<op>at\s+least|at\s+most|less\s+than|more\s+than|>=|<=|<|>|=)\s*$")


@attrs.frozen
class Worded:
    """A number as a document words it: `少于6年` (lead 少于), `6年以上` (trail 以上), `三年内`."""

    lead: str | None
    quantity: str  # as the language writes it: digits, and the unit (`6年`, `55周岁`)
    trail: str | None

    @property
    def word(self) -> str | None:
        """The comparison word, the lead's first (满6年以上: 满)."""
        return self.lead or (self.trail if self.trail != "内" else None)

    @property
    def op(self) -> str | None:
        return CHINESE_COMPARISONS.get(self.word) if self.word else None


def worded(text: str) -> Worded | None:
    """``text`` as a number worded with a comparison before or after it (少于6年, 满五年, 6年以上, 三年内),
    or None: a plain number, or no number at all."""
    m = _WORDED.fullmatch(text.strip())
    if m is None or not (m["lead"] or m["trail"]):
        return None
    number = m["number"]
    if not number[0].isdigit():
        value = chinese_number(number)
        if value is None:
            return None
        number = str(value)
    unit = _UNITS.get(m["unit"] or "", "")
    return Worded(m["lead"], f"{number}{' ' if unit.isascii() and unit else ''}{unit}", m["trail"])


def number_then_word(text: str, pos: int) -> tuple[Worded, str] | None:
    """The number at ``pos`` of ``text`` with a comparison word after it (`6年以上`, `6 years 以上`), and
    the text so written; None for a number with none."""
    m = _WORDED.match(text, pos)
    if m is None or m["lead"] or m["trail"] not in _AFTER:
        return None
    whole = m.group().rstrip()
    return worded(whole), whole


def operator_written(text: str) -> str | None:
    """The operator ``text`` (a line up to a value) ends with, as written (`at least`, `>=`), or None."""
    m = OPERATOR_BEFORE.search(text)
    return re.sub(r"\s+", " ", m["op"]) if m else None


def _includes(op: str) -> tuple[str, str]:
    return ("includes", "含") if _INCLUDES[op] else ("excludes", "不含")


def comparison_word(word: str, span: Span, written: str | None = None, replacement: str | None = None,
                    whole: str | None = None) -> Diagnostic:
    """The hint for a comparison word (以上, 少于, 满) where the language writes an operator.

    ``written``: the operator written before the value it qualifies (`at least 6年以上`,
    `>= 47周岁以上`), or None. ``whole``, ``replacement``: the text the span covers when it is
    more than the word (`少于6年`, `满5年`) and what to write for it (`less than 6年`, `5年`)."""
    op = CHINESE_COMPARISONS[word]
    incl_en, incl_zh = _includes(op)
    if written is not None and OPERATORS.get(written) == op:  # said twice: the word goes
        edit = replacement if whole is not None else ""
        after = f"; write `{replacement}`" if whole is not None else ""
        after_zh = f"，写作 `{replacement}`" if whole is not None else ""
        return error("P001", span, f"`{written}` says `{word}` already: delete `{word}`{after}",
                     f"已写 `{written}`，即“{word}”，请删除“{word}”{after_zh}",
                     fixes=[Fix(f"Delete `{word}`", f"删除“{word}”", (Edit(span, edit),))])
    if written is not None:  # two operators that say different things: which one the document means is the drafter's
        other = OPERATORS[written]
        if other in _INCLUDES and _INCLUDES[other] != _INCLUDES[op]:  # 以下 and `<`: the boundary differs
            w_en, w_zh = _includes(other)
            help_en, help_zh = (f"`{word}` {incl_en} the number, `{written}` {w_en} it",
                                f"“{word}”{incl_zh}本数，`{written}` {w_zh}本数")
        else:  # 以上 and `at most`: the direction
            help_en, help_zh = (f"`{word}` is `{op}`, the other way from `{written}`",
                                f"“{word}”即 `{op}`，与 `{written}` 方向相反")
        return error("P001", span, f"`{written}` and `{word}` (`{op}`) say different things: keep the one the document means",
                     f"已写 `{written}`，又写“{word}”（即 `{op}`），两者不一致：请按原文只保留一个",
                     help_en=help_en, help_zh=help_zh)
    if whole is not None:  # 少于6年, 6年以上: the operator, then the number
        return error("P001", span, f"`{word}` is not an operator; for `{whole}` write `{replacement}`",
                     f"`{word}` 不是运算符；“{whole}”请写作 `{replacement}`",
                     help_en=f"`{word}` {incl_en} the number: `{replacement}`",
                     help_zh=f"“{word}”{incl_zh}本数：`{replacement}`",
                     fixes=[Fix(f"Write `{replacement}`", f"改为 `{replacement}`", (Edit(span, replacement),))])
    return error("P001", span, f"`{word}` is not an operator; write `{op}`", f"`{word}` 不是运算符；请写作 `{op}`",
                 help_en=f"write `{op}` between the two values (`{word}` {incl_en} the number: `age {op} 50 years`)",
                 help_zh=f"请在两个值之间写 `{op}`（“{word}”{incl_zh}本数：`年龄 {op} 50 周岁`）",
                 fixes=[Fix(f"Write `{op}`", f"改为 `{op}`", (Edit(span, op),))])


def worded_number(w: Worded, text: str, span: Span, written: str | None = None) -> Diagnostic:
    """The hint for a number worded as a document words it (`少于6年`, `满5年`, `6年以上`), ``text``
    as written, after the operator ``written`` or none."""
    if written is not None:
        return comparison_word(w.word, span, written, w.quantity, text)
    return comparison_word(w.word, span, None, f"{w.op} {w.quantity}", text)


_ZH_UNITS = {"year": "年", "month": "个月", "day": "天"}


def period(text: str, quantity: str, span: Span) -> Diagnostic:
    """The hint for a penalty's or benefit's period written as a document writes it, after `for`
    (`三年内`, `满3年`, `3年内`: `for 3年` is 3年内 already, counted as section 20 says)."""
    said_zh = re.sub(r"\s*(years?|months?|days?)$", lambda m: _ZH_UNITS[m[1].rstrip("s")], quantity)
    return error("P001", span, f"write the period as `{quantity}`: `for {quantity}` is within {quantity} of the event",
                 f"期限请写作 `{quantity}`：`for {quantity}` 即事件之后“{said_zh}内”",
                 help_en="the period runs from the event's day through its last day (docs/language.md, section 20)",
                 help_zh="自事件之日起算，至期满之日止（期满之日仍在期限内）",
                 fixes=[Fix(f"Write `{quantity}`", f"改为 `{quantity}`", (Edit(span, quantity),))])


def period_without_for(quantity: str, span: Span) -> Diagnostic:
    """`effect 不得评优 三年内`: the period is written after `for`."""
    return error("P001", span, f"a period is written after `for`: `for {quantity}`",
                 f"期限写在 `for` 之后：请写作 `for {quantity}`",
                 fixes=[Fix(f"Write `for {quantity}`", f"改为 `for {quantity}`", (Edit(span, f"for {quantity}"),))])
