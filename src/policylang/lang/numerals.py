"""Numbers as a document writes them in Chinese characters (六年, 五十五周岁), for the hint
that the language reads digits: a drafter copying a clause writes what it says."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = re.compile(r"([零〇一二两三四五六七八九十百]+)(周岁|个月|年|月|天|日|岁)?")


def chinese_number(text: str) -> int | None:
    """零 to 九百九十九 as a document writes them (十五, 二十, 五十五, 一百零五); None for another form."""
    if text == "零" or text == "〇":
        return 0
    total, rest = 0, text
    if "百" in rest:
        head, _, rest = rest.partition("百")
        if head not in _DIGITS or _DIGITS[head] == 0:
            return None
        total += _DIGITS[head] * 100
        rest = rest.removeprefix("零")
    if "十" in rest:
        head, _, rest = rest.partition("十")
        if head and (head not in _DIGITS or _DIGITS[head] == 0):
            return None
        total += (_DIGITS[head] if head else 1) * 10
    if rest:
        if rest not in _DIGITS:
            return None
        total += _DIGITS[rest]
    return total


def arabic(word: str) -> str | None:
    """``word`` with its Chinese numeral written in digits (六年 → 6年, 五十五周岁 → 55周岁, 十 → 10),
    or None when it is no number so written."""
    m = _NUMERAL.fullmatch(word.strip())
    if m is None:
        return None
    value = chinese_number(m[1])
    if value is None:
        return None
    unit = {"岁": "周岁", "月": "个月", "日": "天"}.get(m[2] or "", m[2] or "")
    return f"{value}{unit}"


# a period a text words (三年内不得评优, 2年内, 六个月): its number and unit, as a quantity's unit
_PERIOD = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)\s*(个月|年|月|天|日)")
_PERIOD_UNITS = {"年": "years", "个月": "months", "月": "months", "天": "days", "日": "days"}


def periods_worded(text: str) -> list[tuple[float, str]]:
    """The periods ``text`` words, each (number, unit: years, months or days): an effect's label
    that says its period (三年内不得参与评优评先: (3, years)) needs no `3年` after it. A year of a
    date (2024年) is a period of 2024 years, which no effect lasts."""
    out = []
    for number, unit in _PERIOD.findall(text):
        value = float(number) if number[0].isdigit() else chinese_number(number)
        if value is not None:
            out.append((float(value), _PERIOD_UNITS[unit]))
    return out
