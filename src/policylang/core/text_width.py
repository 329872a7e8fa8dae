"""How wide text is on a terminal or in an editor with a fixed-width font: CJK characters
(and full-width forms) take two columns, combining marks none, everything else one."""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes: `教师` is 4, `teacher` 7."""
    return sum(char_width(ch) for ch in text)
