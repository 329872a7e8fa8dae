"""Source text and spans.

A ``Span`` points into a ``Source`` by name. Spans are excluded from equality on
every AST node (``attrs.field(eq=False)``) so that two policies that differ only
in layout compare equal.
"""

from __future__ import annotations

import attrs


PRELUDE_NAME = "<prelude>"  # the built-in definitions' file, as spans name it


@attrs.frozen
class Source:
    """A named piece of policy text (a file path or ``<string>``)."""

    name: str
    text: str

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 1 <= line <= len(lines) else ""


@attrs.frozen(order=True)
class Span:
    """A region of a source: 1-based lines and columns, ``end`` exclusive."""

    source: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"

    def to(self, other: Span) -> Span:
        """The span from the start of ``self`` to the end of ``other``."""
        return Span(self.source, self.line, self.column, other.end_line, other.end_column)


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)
