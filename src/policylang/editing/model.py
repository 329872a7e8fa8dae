"""The values the language services exchange with an editor. Positions are 0-based (line,
column), columns in Unicode code points; an adapter converts them (LSP: UTF-16)."""

from __future__ import annotations

from pathlib import Path

import attrs


@attrs.frozen(order=True)
class Position:
    line: int
    column: int


@attrs.frozen
class Range:
    start: Position
    end: Position

    def contains(self, pos: Position) -> bool:
        return self.start <= pos <= self.end

    def overlaps(self, other: Range) -> bool:
        return self.start <= other.end and other.start <= self.end


@attrs.frozen
class TextEdit:
    range: Range
    new_text: str


@attrs.frozen
class Fix:
    """A quick fix: what the editor offers (``title``, in the drafter's language) and the edits,
    all in the file the fix was asked for."""

    title: str
    edits: tuple[TextEdit, ...]
    code: str = ""  # the diagnostic it fixes


@attrs.frozen
class Location:
    path: Path
    range: Range


@attrs.frozen
class Related:
    location: Location
    message: str


@attrs.frozen
class EditorDiagnostic:
    range: Range
    severity: str  # "error" | "warning" | "info"
    code: str
    message: str  # the message, and its help on the next line, in the language asked for
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = ()


@attrs.frozen
class Hover:
    markdown: str
    range: Range


@attrs.frozen
class Completion:
    label: str
    kind: str  # keyword | field | parameter | definition | code | function | rule | source | sample | unit
    detail: str = ""
    insert_text: str | None = None  # None: the label


@attrs.frozen
class Symbol:
    name: str
    kind: str  # the declaration's keyword: rule, exemption, parameter, define, test …
    range: Range  # the whole declaration
    selection_range: Range  # its name
    detail: str = ""  # its title or value
    children: tuple[Symbol, ...] = ()
