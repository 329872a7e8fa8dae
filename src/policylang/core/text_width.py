"""How wide text is on a terminal or in an editor with a fixed-width font: CJK characters
(and full-width forms) take two columns, combining marks none, everything else one; and
full-width forms as their ASCII ones."""

from __future__ import annotations

import re
import unicodedata

# What counts as a Chinese character, for every test of one (a header written in Chinese, a title's
# words, a line of a policy): the CJK unified ideographs, Extension A and the compatibility ones
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CHARACTER = re.compile(f"[{HAN}]")


def has_han(text: str) -> bool:
    return HAN_CHARACTER.search(text) is not None


def is_han(ch: str) -> bool:
    return HAN_CHARACTER.fullmatch(ch) is not None

# the full-width forms of ASCII (U+FF01-U+FF5E: １９８５－０３, Ｘ, as Chinese input methods type
# them) and the spaces NFKC makes plain. Not the whole of NFKC, which also reads ³, ₃ and ③ as
# 3, so that 1³ would be the number 13.
_ASCII_FORMS = ({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x00A0: 0x20}
                | {cp: 0x20 for cp in range(0x2000, 0x200B)})


# What a cell's or a name's ends lose: white space, and the characters that show nothing (a
# zero-width space, a byte-order mark, a direction mark pasted with a value: `T01` and
# `T01\u200b` are one id). Every reader, the codes' lookup and the output's headers trim with it.
TRIMMED = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + \
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def ascii_forms(text: str) -> str:
    """``text`` with full-width forms of ASCII characters, and wide or fixed spaces, as ASCII."""
    return text.translate(_ASCII_FORMS)


def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes: `教师` is 4, `teacher` 7."""
    return sum(char_width(ch) for ch in text)
