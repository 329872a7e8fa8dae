"""Values from a roster written where they could act instead of being read: the one home of
the escaping rules (issue 12, items 3 and 5; docs/cli.md, "What is escaped").

Spreadsheets (CSV, XLSX). A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel, LibreOffice and Google Sheets. In a CSV such a cell
gets a single quote in front (OWASP's rule): ``'=cmd|' /C calc'!A6``. Only text is
escaped, every text cell alike: an id ``-3`` is text and becomes ``'-3``; a number
(``int``, ``float``, ``Decimal``) is written as the number it is. In an XLSX every text cell
is a string cell, never a formula or an error value, and keeps its exact text; one that
starts with a trigger character (or reads as an error value, ``#DIV/0!``) is marked as
Excel marks a value typed after a quote (``quotePrefix``), so editing it keeps it text.
Characters XML cannot hold (C0 controls but tab, newline and carriage return) are shown
as on a terminal, ``\\x1b``.

Terminals. A value shown on a terminal has its control characters replaced by visible
escapes, so none can move the cursor, set the window title, make a link or reorder the
line: C0 controls (``\\n``, ``\\t``, ``\\r`` and ``\\xNN``; a newline is kept only where the
text is ours, never inside a value), DEL and C1 (``\\x7f``, ``\\x9b``), the bidirectional
overrides and isolates and the line and paragraph separators (``\\u202e``). Rich markup
is not escaped here: values go to rich as ``Text`` objects (or with ``markup=False``),
which are never parsed as markup.

JSON escapes C0 itself; ``json_text`` escapes the rest of the terminal's set (``\\u009b``):
the same document, safe on a terminal. Parquet keeps every value as it is (typed data, not
a spreadsheet's cells); the HTML report escapes HTML and shows control characters as a
terminal does.
"""

from __future__ import annotations

import csv
import io
import re

# OWASP: what makes a spreadsheet cell a formula; and their full-width forms, as a Chinese input method
# types them (a spreadsheet's own input may take ＝ for =: quoted too, at the cost of a quote before them)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_TRIGGERS = frozenset(FORMULA_START)
QUOTE = "'"

_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SEPARATORS = "\u2028\u2029"
# everything a terminal may obey: C0, DEL, C1, bidirectional controls, line and paragraph separators
_UNSAFE = [chr(c) for c in (*range(0x20), *range(0x7f, 0xa0))] + list(_BIDI + _SEPARATORS)


def visible_escape(ch: str) -> str:
    """One character as its visible escape: ``\\n``, ``\\x1b``, ``\\u202e``."""
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xff else f"\\u{code:04x}"


_TERMINAL = str.maketrans({ch: visible_escape(ch) for ch in _UNSAFE})
_TERMINAL_LINES = str.maketrans({ch: visible_escape(ch) for ch in _UNSAFE if ch != "\n"})
# XML 1.0 cannot hold C0 but tab, newline and carriage return, nor U+FFFE, U+FFFF, lone surrogates
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_JSON_CHARS = "".join(map(chr, range(0x7F, 0xA0))) + _BIDI + _SEPARATORS
_JSON = re.compile("[" + _JSON_CHARS + "]")
# their UTF-8 forms by first byte: finding a byte is a hundred times faster than the pattern (a
# batch's 600 KB of JSON: 0.05 ms, not 3.5), and of the bytes it finds only a few (“ and ” share
# \xe2 with the bidirectional controls) need the bytes after them looked at
_JSON_FORMS = {lead: tuple(f for f in map(str.encode, _JSON_CHARS) if f[0] == lead)
               for lead in dict.fromkeys(ch.encode()[0] for ch in _JSON_CHARS)}
_LOOKED_AT = 4096  # first bytes met beyond this many: the pattern, whose time does not grow with them


# ---- terminals -------------------------------------------------------------------


def json_shown(value: object, most: int = 60) -> str:
    """A value as JSON writes it (``{"a": 1}``, not Python's ``{'a': 1}``), at most ``most``
    characters, for a message naming an object or array given where a value was wanted."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):  # (a list holding itself)
        text = repr(value)
    return text if len(text) <= most else text[:most - 1] + "…"


def html_text(value: object) -> str:
    """Text in an HTML page: escaped, its control and direction characters shown as on a terminal
    (\\x1b, \\u202e), so a title cannot reorder or hide what the page says."""
    import html

    return html.escape(terminal_text(value))


def terminal_text(value: object, *, newlines: bool = False) -> str:
    """``value`` as text safe to show on a terminal (None shows as nothing). ``newlines``
    keeps line breaks: for a whole text of ours, never for a single value."""
    if value is None:
        return ""
    return str(value).translate(_TERMINAL_LINES if newlines else _TERMINAL)


def terminal_bytes(data: bytes) -> bytes:
    """A UTF-8 file (a CSV) about to be shown on a terminal: its lines kept, every other
    control character made visible."""
    return terminal_text(data.decode("utf-8", errors="replace"), newlines=True).encode("utf-8")


def json_text(text: str) -> str:
    """A JSON document with DEL, C1 and the bidirectional controls escaped as ``\\u009b``
    (outside strings JSON is ASCII, so only strings change, and only in form)."""
    return _json_escaped(text) if _may_escape(text.encode("utf-8", "surrogatepass")) else text


def json_utf8(text: str) -> bytes:
    """``json_text(text)`` in UTF-8, the text encoded once when nothing needs escaping."""
    data = text.encode("utf-8")
    return _json_escaped(text).encode("utf-8") if _may_escape(data) else data


def _may_escape(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a character ``json_text`` escapes (or, past ``_LOOKED_AT``
    first bytes of one, may)."""
    looked = 0
    for lead, forms in _JSON_FORMS.items():
        at = data.find(lead)
        while at != -1:
            if data.startswith(forms, at):
                return True
            looked += 1
            if looked > _LOOKED_AT:
                return True
            at = data.find(lead, at + 1)
    return False


def _json_escaped(text: str) -> str:
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ---- spreadsheets ----------------------------------------------------------------


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_cell(value):
    """A cell of a CSV file: text starting like a formula gets a quote in front; numbers and
    anything else not text are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return QUOTE + value
    return value


def csv_text(rows) -> str:
    """Rows (sequences of cells) as CSV text, lines ending in a newline: each cell through
    ``csv_cell``, and quoted when it holds a comma, a double quote, a carriage return or a
    newline. (The csv module leaves a carriage return bare unless its own lines end with
    one; a spreadsheet reads a bare one as the end of the row, and what follows as the
    first cell of a new row, unescaped. Polars, which writes the streamed CSV, quotes it.)"""
    rows = rows if isinstance(rows, list) else list(rows)
    text = _csv_module(rows)
    if _FIELD_START.search(text):  # a cell may start like a formula: escape cell by cell
        rows = [[QUOTE + v if v.__class__ is str and v[:1] in _TRIGGERS else v for v in row] for row in rows]
        text = _csv_module(rows)
    if "\r" in text:  # rare: the same, quoting the carriage returns
        text = "".join(('""' if list(row) == [""] else ",".join(map(_csv_field, row))) + "\n" for row in rows)
    return text


# where a field of the csv module's text may start with a trigger: at a line start or after a
# comma, quoted or not (a match inside a quoted field costs time, never a missed cell)
_FIELD_START = re.compile('(?:^|,)"?[' + "".join({"-": "\\-"}.get(c, c) for c in FORMULA_START) + "]", re.M)


def _csv_module(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _csv_field(value) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# the same rule as a regular expression (for polars): a first character of FORMULA_START
_FORMULA_RE = "^[" + "".join({"\t": r"\t", "\r": r"\r", "-": r"\-"}.get(c, c) for c in FORMULA_START) + "]"
_FORMULA_FIRST_BYTES = sorted({c.encode("utf-8")[0] for c in FORMULA_START})  # of those characters in UTF-8


def spreadsheet_expr(col):
    """``csv_cell`` on a polars text column (the streamed CSV writer). A test of the first
    character and a join where it matches: a regex replace on every cell took 0.65 s of CPU
    per million rows of decisions."""
    import polars as pl

    return pl.when(~col.str.contains(_FORMULA_RE)).then(col).otherwise(pl.concat_str(pl.lit(QUOTE), col))  # col's name


def spreadsheet_frame(frame, columns):
    """``spreadsheet_expr`` on the text ``columns`` of a polars frame, made only for the columns
    that may hold such a cell (one starting with the first byte of a formula's first character),
    found first in one pass: the join's other branch is built for every cell of a column it is
    made for (0.1 s a million rows of decisions), and a decisions file's columns are codes that
    hardly ever start so."""
    import polars as pl

    if not columns or not frame.height:
        return frame
    # (a cell's first byte looked at, not a pattern: two thirds of the time)
    found = frame.select(pl.col(c).cast(pl.Binary).bin.get(0, null_on_oob=True).is_in(_FORMULA_FIRST_BYTES).any()
                         for c in columns).row(0)
    return frame.with_columns(spreadsheet_expr(pl.col(c)) for c, hit in zip(columns, found) if hit)


def xlsx_text(text: str) -> str:
    """Text as an XLSX cell can hold it: what XML cannot hold shown as its visible escape."""
    return _XML_ILLEGAL.sub(lambda m: visible_escape(m.group()), text)


def xlsx_row(ws, values) -> list:
    """A row for a write-only worksheet: text always a string cell (never a formula nor an
    error value like ``#DIV/0!``; such a cell is marked ``quotePrefix``, as Excel marks a
    value typed after a quote); numbers and dates as openpyxl writes them."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    cells = []
    for value in values:
        if isinstance(value, str):
            value = xlsx_text(value)
            if value.startswith(FORMULA_START) or value in ERROR_CODES:
                # openpyxl would make "=…" a formula and "#N/A" an error: a cell of our own says text
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                value = cell
        cells.append(value)  # anything else: openpyxl writes a str as a string cell, a number as a number
    return cells


# ---- JSON read: a `\ud800` escape with no pair is no character ----------------------------

_ESCAPED_SURROGATE = re.compile(r"\\[uU][dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(json_source: str, data: object) -> str | None:
    """The first lone UTF-16 surrogate (``\\ud800``) of what ``json.loads`` read from
    ``json_source``, as its escape, or None: Python reads such an escape, which stands for no
    character, into a text no UTF-8 file or answer can hold (RFC 8259 section 8.2). Only a text
    with such an escape is looked at again (a pair, as an emoji's, reads as one character)."""
    if not _ESCAPED_SURROGATE.search(json_source):
        return None
    import json

    found = _SURROGATE.search(json.dumps(data, ensure_ascii=False))
    return f"\\u{ord(found.group()):04x}" if found else None
