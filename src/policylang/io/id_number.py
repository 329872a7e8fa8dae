"""The 18-character resident identity number (公民身份号码, GB 11643-1999).

Layout, left to right:

* 6-digit address code (地址码), the county where the number was first issued;
* 8-digit birth date (出生日期码), ``YYYYMMDD``;
* 3-digit sequence code (顺序码): odd for men, even for women;
* 1 check character (校验码), ISO 7064 MOD 11-2 over the first 17 digits:
  the weights are ``2**(17 - i) mod 11`` (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
  10, 5, 8, 4, 2), the check value is ``(12 - sum mod 11) mod 11`` and the value
  10 is written ``X``.

Because every weight is non-zero modulo the prime 11 and two different digits
differ by 1..9, changing any one of the first 17 digits always changes the check
value; changing the check character itself is caught as well. So every
single-character error is detected.

What is not checked: the address code is not looked up in the GB/T 2260 table
(codes are retired and renumbered over the years, and people keep their numbers),
and no lower bound is put on the birth year beyond being a real calendar date.

Only the standard library is used (and ``core.text_width``'s full-width forms), and nothing
here reads the clock: a birth date in the future is refused only when the caller passes
``today``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from policylang.core.text_width import ascii_forms

__all__ = [
    "GATE",
    "REASONS",
    "WEIGHTS",
    "IdInfo",
    "canonical_id_number",
    "InvalidIdNumber",
    "check_character",
    "holds_id_number",
    "mask_id_number",
    "masked_in_text",
    "parse_id_number",
]

LENGTH = 18

#: ISO 7064 MOD 11-2 weights of the first 17 digits (``2**(17 - i) mod 11``).
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

_DIGITS = frozenset("0123456789")
_CHECK_CHARS = "0123456789X"

#: Why a value is not a valid identity number: reason code -> (English, Chinese).
#: The reason codes are a closed set; ``InvalidIdNumber.reason`` is always one of them.
REASONS: dict[str, tuple[str, str]] = {
    "length": ("must have 18 characters", "应为 18 位"),
    "characters": (
        "the first 17 characters must be digits and the last a digit or X",
        "前 17 位应为数字，最后一位应为数字或 X",
    ),
    "birth_date": ("the birth date is not a valid date", "出生日期无效"),
    "check_digit": (
        "the check character does not match the first 17 digits",
        "校验码与前 17 位不符",
    ),
}


class InvalidIdNumber(ValueError):
    """A value that is not a valid 18-character identity number.

    ``reason`` is one of the keys of :data:`REASONS`. The messages never contain
    the value itself (it is personal data and ends up in logs and reports).
    """

    def __init__(self, reason: str, detail: str = "", detail_zh: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reason code {reason!r}; expected one of {sorted(REASONS)}")
        self.reason = reason
        self.detail = detail
        self.detail_zh = detail_zh
        english = f"invalid identity number: {REASONS[reason][0]}"
        if detail:
            english += f" ({detail})"
        super().__init__(english)

    @property
    def message(self) -> str:
        """The English message (the same as ``str(error)``)."""
        return str(self)

    @property
    def message_zh(self) -> str:
        """The Chinese message."""
        chinese = f"身份证号码无效：{REASONS[self.reason][1]}"
        if self.detail_zh:
            chinese += f"（{self.detail_zh}）"
        return chinese

    def __reduce__(self):
        # Rebuild from the reason, not from the message, so the error survives
        # pickling (multiprocessing) with its attributes.
        return (type(self), (self.reason, self.detail, self.detail_zh))


@dataclass(frozen=True)
class IdInfo:
    """What a valid identity number says about its holder."""

    birth_date: date
    sex: str  # "M" (odd sequence code) or "F" (even)


def check_character(first17: str) -> str:
    """The MOD 11-2 check character (``0``-``9`` or ``X``) of 17 ASCII digits.

    The argument is taken as is (no normalisation, no whitespace stripping);
    anything but exactly 17 ASCII digits raises :class:`InvalidIdNumber`
    with reason ``length`` or ``characters``.
    """
    if not isinstance(first17, str):
        raise TypeError(f"expected a str, got {type(first17).__name__}")
    if len(first17) != LENGTH - 1:
        raise InvalidIdNumber(
            "length",
            f"check_character takes the first 17 digits, got {len(first17)} characters",
            f"计算校验码需要前 17 位，实际为 {len(first17)} 位",
        )
    if not _DIGITS.issuperset(first17):
        raise InvalidIdNumber("characters")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS))
    return _CHECK_CHARS[(12 - total % 11) % 11]


def _normalise(text: str) -> str:
    """Full-width digits and Ｘ as ASCII (``ascii_forms``), then surrounding whitespace off."""
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    return ascii_forms(text).strip()


def _canonical(text: str, today: date | None) -> tuple[str, IdInfo]:
    """The number in canonical form (ASCII, upper-case X) and what it says.

    The checks run in a fixed order and the first that fails is reported:
    length, characters, birth date, check character.
    """
    value = _normalise(text)
    if len(value) != LENGTH:
        if len(value) == 15 and _DIGITS.issuperset(value):
            # The 15-digit numbers issued before 1999 are refused, not upgraded.
            # They write the year with two digits (implicitly 19YY) and carry no
            # check character, so a typo cannot be detected; turning one into an
            # 18-digit number (insert "19", append a computed check character)
            # would manufacture a "valid" number out of whatever was typed.
            # Every holder has had an 18-digit number since the 1999 standard
            # (the 15-digit first-generation cards stopped being valid in 2013)
            # and rosters export it: a 15-digit value is a data error to be
            # corrected at the source.
            raise InvalidIdNumber(
                "length",
                "got 15 digits: the old 15-digit numbers issued before 1999 are not accepted",
                "实为 15 位；1999 年以前的 15 位旧号码不予受理，请改用 18 位号码",
            )
        raise InvalidIdNumber(
            "length", f"got {len(value)} character{'s' if len(value) != 1 else ''}", f"实为 {len(value)} 位"
        )
    if not _DIGITS.issuperset(value[:17]) or value[17] not in "0123456789Xx":
        raise InvalidIdNumber("characters")
    value = value[:17] + value[17].upper()

    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date") from None
    if today is not None and birth > today:
        raise InvalidIdNumber(
            "birth_date", "the birth date is in the future", "出生日期晚于当前日期"
        )

    if check_character(value[:17]) != value[17]:
        raise InvalidIdNumber("check_digit")

    sex = "M" if int(value[16]) % 2 == 1 else "F"
    return value, IdInfo(birth_date=birth, sex=sex)


def parse_id_number(text: str, today: date | None = None) -> IdInfo:
    """Validate an 18-character identity number and return its birth date and sex.

    Accepted: surrounding whitespace (including the ideographic space), a
    lower-case ``x``, and full-width digits and ``Ｘ`` (read as their ASCII
    forms first). Refused with :class:`InvalidIdNumber`, whose ``reason`` is:

    * ``length``: not 18 characters after normalisation (the 15-digit numbers
      from before 1999 included, see the comment in the code);
    * ``characters``: the first 17 are not all digits, or the last is not a
      digit or X;
    * ``birth_date``: characters 7-14 are not a real date, or, when ``today``
      is given, the date is after ``today`` (born today is fine);
    * ``check_digit``: the check character does not match.

    When several things are wrong the first in that order is reported.
    ``today=None`` (the default) skips the future-date check, so the result
    never depends on the clock; pass ``date.today()`` or a roster's reference
    date to have it.
    """
    return _canonical(text, today)[1]


def canonical_id_number(text: str) -> str:
    """A valid number as written in canonical form (ASCII digits, upper-case X); raises
    :class:`InvalidIdNumber` as :func:`parse_id_number` does."""
    return _canonical(text, None)[0]


def mask_id_number(text: str) -> str:
    """The number for reports: the first 6 and last 4 characters, the middle 8 as ``*``.

    A valid number (after the same normalisation as :func:`parse_id_number`)
    is shown in canonical form, e.g. ``110105********002X``. Anything that is not a valid
    number (wrong length, stray characters, impossible date, wrong check
    character) is masked entirely: the result is ``*`` repeated as many times
    as the value has characters once surrounding whitespace is removed, so a
    typo'd or truncated number never leaks its birth date or sequence code.
    The future-date check is not applied here.
    """
    try:
        value, _info = _canonical(text, None)
    except InvalidIdNumber:
        return "*" * len(text.strip())
    return value[:6] + "*" * 8 + value[14:]


# 18 characters that may be an ID number (17 digits and a digit or X, half- or full-width), not inside a longer run of
# digits (a 19-digit account number is none), written whole or in its three parts (110105 19800301 0028, as a clerk
# types it to read it back); a first-generation 15-digit number (6-digit area code, the birth date as YYMMDD, a 3-digit
# sequence code, no check character), whole or in its three parts; and an 18-digit number as a spreadsheet shows it,
# 1.10105198003010E+17. Between the parts, what a Chinese spreadsheet's cell holds when a number was typed to be read
# back or pasted from a form: a space (half- or full-width, one on either side of a mark too) or a hyphen, a dash, a
# dot, an underscore or a slash (half- or full-width), or nothing.
_DIGIT = "[0-9０-９]"
_GAP = "[ \u3000]?[-\u2010-\u2015\u2212\ufe63－_＿.．/／]?[ \u3000]?"
# (A number ending in X ends its run of digits there: a digit after it, 35010219800301002X1.10105E+17, starts
# another run, and the number is masked all the same; masked only once the run after it was, it showed whole.)
_LOOKS_LIKE_ID = re.compile(
    rf"(?<![0-9０-９])({_DIGIT}{{6}}){_GAP}"
    rf"(?:({_DIGIT}{{8}}){_GAP}({_DIGIT}{{3}}(?:{_DIGIT}(?![0-9０-９])|[XxＸｘ]))"
    rf"|({_DIGIT}{{6}}){_GAP}({_DIGIT}{{3}})(?![0-9０-９]))"
    rf"|(?<![0-9０-９.])[1-9１-９][.．]{_DIGIT}{{5,16}}[Ee]\+17(?![0-9])")


# five digits in a row, which every form above has (1.10105E+17 the fewest): most texts have none, and
# looking for them first is a third of the pattern's cost (a column's texts are looked at so in polars too)
GATE = "[0-9０-９]{5}"
_FIVE_DIGITS = re.compile(GATE)
_SHORTEST = len("1.10105E+17")


def _looks_like_id(m: re.Match[str]) -> bool:
    """Whether a run the pattern found is a person's number: a spreadsheet's 1.1E+17 is (18 digits in
    a roster are an ID kept as a number), else its birth date must be a date from 1900 on or one a
    digit mistyped (month up to 19, day up to 39: 19801301, 19800230): 17 of the digits are still the
    person's. An 18-digit school code (a 统一社会信用代码, 320102200100000001, month 00) or a run of
    zeros has none, and a problem naming it, or suggesting it, must show it: the official reads it.

    A 15-digit number's year is two digits (19YY, any of them a birth year), so the same month and
    day alone decide: a random 15 digits pass one time in 14 (19/100 × 39/100). The 15-digit values a
    roster holds otherwise are few: a phone number has 11 digits (12 with its area code), a bank card
    16 to 19 (no run inside a longer one is looked at), a 统一社会信用代码 18, a 学校标识码 10, a
    组织机构代码 9; what is left is a school's old 15-digit 工商注册号 or 税务登记号 (area code and
    9 more), which a problem then shows starred one time in 14, where the schools table names it; and
    the 15 decimals of a number as Python writes a float (0.123456010112345), not looked at.

    Nor is a run of digits inside a digest (a file's SHA-256, which the 说明 sheet names beside the
    roster file: one in 600 has 15 digits in a row with such a date between its letters)."""
    if m.group(2) is not None:
        born = ascii_forms(m.group(2))
        year, month, day = int(born[:4]), int(born[4:6]), int(born[6:])
        return 1900 <= year <= 2099 and 1 <= month <= 19 and 1 <= day <= 39 and not _in_a_digest(m)
    if m.group(4) is not None:
        if m.string[m.start() - 1:m.start()] in (".", "．") or _in_a_digest(m):  # (0.333333333333336)
            return False
        born = ascii_forms(m.group(4))
        month, day = int(born[2:4]), int(born[4:])
        return 1 <= month <= 19 and 1 <= day <= 39
    return True


_HEX = frozenset("0123456789abcdef")  # as a digest is written (hexdigest, sha256sum)


def _in_a_digest(m: re.Match[str]) -> bool:
    """Whether the run found is part of 32 or more lower-case hexadecimal characters (an MD5, a SHA-256)."""
    text, start, end = m.string, m.start(), m.end()
    while start and text[start - 1] in _HEX:
        start -= 1
    while end < len(text) and text[end] in _HEX:
        end += 1
    return end - start >= 32


def _may_hold_one(text: str) -> bool:
    """Whether ``text`` is long enough and has the digits in a row for the pattern to find a number in."""
    return len(text) >= _SHORTEST and _FIVE_DIGITS.search(text) is not None


def _id_masked(m: re.Match[str]) -> str:
    if not _looks_like_id(m):
        return m.group()
    if m.group(2) is not None:
        return mask_id_number(m.group(1) + m.group(2) + m.group(3))
    return "*" * (15 if m.group(4) is not None else len(m.group()))  # no 15 digits are a valid number


def holds_id_number(value: object) -> bool:
    """Whether ``value`` is text holding a run that looks like an ID number (``masked_in_text``), or
    a whole number whose digits are one (a JSON record's `110105198003010028`: most end in a digit)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return isinstance(value, str) and _may_hold_one(value) and any(map(_looks_like_id, _LOOKS_LIKE_ID.finditer(value)))


def masked_in_text(text: str) -> str:
    """``text`` (a problem's message, a cell it quotes, a header) with every run that looks like an ID
    number (``_looks_like_id``) masked as :func:`mask_id_number` masks it (a 1.1E+17 entirely): a column
    read by nothing may hold them all the same, and a problem is copied into tickets and logs."""
    return _LOOKS_LIKE_ID.sub(_id_masked, text) if _may_hold_one(text) else text
