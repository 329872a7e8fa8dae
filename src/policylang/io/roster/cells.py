"""A cell's value: dates, yes/no, numbers and codes as rosters write them, read into a field's
type (``cell_value``, ``column_reader``: the rule of each kind, ``_KINDS``, written once); a cell's,
a header's text and a column's letters.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from policylang.core.text_width import TRIMMED, ascii_forms
from policylang.io.id_number import masked_in_text
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import MonthDate


_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})", re.ASCII),
    # spaces between the parts, as some people type them (1985 年 3 月 12 日); not inside a number
    # (9月1号: 号, as people say a day of the month)
    re.compile(r"(?P<y>\d{4}) *年 *(?P<m>\d{1,2}) *月 *(?P<d>\d{1,2}) *[日号]?", re.ASCII),
    # 19850312, as provincial systems export dates (and a number cell holds them): eight digits, a month
    # and a day among them (19851312 is none)
    re.compile(r"(?P<y>\d{4})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])", re.ASCII),
)


# an Excel date's serial number, pasted as a value into a text cell (42248: 2015-09-01): said, not read
_EXCEL_SERIAL = re.compile(r"[1-5]\d{4}", re.ASCII)


# year-month forms (出生年月): the day is not known
_MONTH_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})", re.ASCII),
    re.compile(r"(?P<y>\d{4}) *年 *(?P<m>\d{1,2}) *月?", re.ASCII),
    re.compile(r"(?P<y>\d{4})(?P<m>0[1-9]|1[0-2])", re.ASCII),  # 198503; not 198513, which is no month
)


_MIDNIGHT = re.compile(r"[ T]0?0:00(:00)?(\.0+)?$")  # Excel date-times exported as text (1980/3/1 0:00)


# a point in time in a time zone (Java's Instant or OffsetDateTime, .NET's DateTimeOffset): its day depends on the zone
_ZONED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})", re.ASCII)


_EPOCH_MS = re.compile(r"-?\d{11,13}", re.ASCII)  # milliseconds since 1970: how Jackson writes a java.util.Date


# 1985.1: January, or 1985.10 that Excel kept as the number 1985.1 and a CSV export wrote so
_JANUARY_OR_OCTOBER = re.compile(r"\d{4}\.1", re.ASCII)


_YEAR_DOT = re.compile(r"\d{4}\.\d{1,2}", re.ASCII)  # a year and month typed into a number cell (1985.03)


_NUMBER = re.compile(r"[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)", re.ASCII)  # 1,200 but not 1,5 (1.5 or 15?)


_TRUE = frozenset({"true", "1", "y", "yes", "是", "有", "t"})


_FALSE = frozenset({"false", "0", "n", "no", "否", "无", "f", ""})


@attrs.frozen
class Uncomputed:
    """A formula cell whose value the workbook does not hold (saved by a program that does not
    calculate): read as empty it would be "no" or missing, so it is a problem of its row (R019)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


# pandas's missing values, as ``DataFrame.to_dict("records")`` gives them to the API: NaT (a datetime
# that raises on ``.time()``) and NA (a singleton whose truth raises); by type name, for pandas is no dependency
_MISSING_TYPES = frozenset({"NaTType", "NAType"})


def missing_marker(value: object) -> bool:
    """Whether ``value`` is a library's mark of a missing value, read as an empty cell as NaN is."""
    return type(value).__name__ in _MISSING_TYPES


def _floating(value) -> bool:
    """Whether ``value`` is a binary floating-point number: Python's float, or numpy's float32 and
    float16 (a pandas column's, a row's by ``df.iloc``), which are no ``float``: their text (`nan`,
    `1001.0`) was read as written, a missing value as the name "nan"."""
    return isinstance(value, float) or (isinstance(value, numbers.Real) and not isinstance(value, numbers.Rational))


def _as_float(value) -> float:
    """A binary floating-point number (``_floating``) as the number it shows: numpy's float32 2.3 is
    2.299999952316284 as a Python float, which a `≥ 2.3` would read as less, and 1980.03 no year and
    month; its own text is the shortest that reads back at its precision (2.3)."""
    return value if isinstance(value, float) else float(str(value))


def _text(value) -> str:
    """A cell as trimmed text (``TRIMMED``). Spreadsheets store ids as numbers (1001.0 is
    "1001") and pandas marks missing cells with NaN, which reads as empty; a CSV cell written
    for Excel as ="00123" is the text it shows, 00123."""
    if type(value) is str:  # the usual cell, first: this runs for every cell of every record
        text = value.strip(TRIMMED)
        # ="00123": how systems write a CSV cell for Excel to show as the text 00123, keeping its zeros
        return text[2:-1].strip(TRIMMED) if text.startswith('="') and text.endswith('"') and len(text) > 2 else text
    if value is None or missing_marker(value):
        return ""
    if isinstance(value, bool):  # JSON's true, not Python's True
        return "true" if value else "false"
    if _floating(value):
        value = _as_float(value)
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date().isoformat()
    return str(value).strip(TRIMMED)


def _grammar_text(value) -> str:
    """A cell as the date, number and yes/no grammar reads it: trimmed, full-width characters as
    their ASCII forms (１９８５－０３, as Chinese input methods type them). Digits of other scripts,
    superscript and circled ones are not digits here: the regular expressions are ASCII."""
    text = _text(value)
    return text if text.isascii() else ascii_forms(text).strip(TRIMMED)


def date_grammar_text(value) -> str:
    """A date cell's text as its forms are matched (``_grammar_text``), with 。 for . (2015。09。01: the
    full stop a Chinese input method types in its place)."""
    return _grammar_text(value).replace("。", ".")


def parse_date(value) -> dt.date | None:
    """A date in any of the contract's forms (or a date cell); None when empty; ValueError otherwise.
    A date-time is a date only at midnight and without a time zone, as its text would be read
    (Parquet's and a spreadsheet's typed cells, an API caller's ``datetime``): a moment in a zone
    has its day by the zone, and a Java ``LocalDate`` written as Beijing's midnight is the day
    before in UTC."""
    if isinstance(value, dt.datetime):
        # (a year typed into a date cell, 1975.1 days after 1899, is a moment of 1905: its own R017 says so)
        if value.tzinfo is not None or (value.time() != dt.time()
                                        and not EXCEL_YEAR_DAYS[0] <= value.date() <= EXCEL_YEAR_DAYS[1]):
            raise ValueError(_text(value))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _floating(value) and math.isfinite(value) and not _as_float(value).is_integer():
        if not isinstance(value, SheetNumber):  # a number sent (JSON, Parquet): text is asked for, one rule for all
            raise ValueError(_text(value))
        # a spreadsheet's number cell, read as the sheet shows it: 1985.03 is March, as its CSV export says;
        # 1985.1 (1985.10 kept as a number) is January or October, refused below as that text is
        value = repr(float(value))
    text = _MIDNIGHT.sub("", date_grammar_text(value))
    if not text:
        return None
    if "." in text and _JANUARY_OR_OCTOBER.fullmatch(text):
        raise ValueError(text)
    for form in _DATE_FORMS:
        if m := form.fullmatch(text):
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    for form in _MONTH_FORMS:
        if m := form.fullmatch(text):
            return MonthDate(int(m["y"]), int(m["m"]), 1)
    raise ValueError(text)


def parse_bool(value) -> bool:
    """The contract's booleans (or a boolean cell); empty is false; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _grammar_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


EXACT_WHOLE = 2 ** 53  # the whole numbers a float (a polars column of numbers) holds exactly


def parse_number(value) -> int | float | None:
    """An int or decimal (with or without thousands separators); None when empty; ValueError otherwise.
    Whole numbers come back as int, so 3.0 years and 3 years compare and print alike. A fraction
    (``Fraction(5, 2)``, exact as a parameter's is) is the number it is, as a float or a Decimal."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, numbers.Rational) and not isinstance(value, numbers.Integral):
        if value.denominator == 1:  # a whole number, held to what a float holds exactly as an int is
            return parse_number(int(value.numerator))
        try:
            value = value.numerator / value.denominator
        except OverflowError:  # past any float: no count of years or schools
            raise ValueError(str(value)) from None
    if isinstance(value, int):
        if abs(value) > EXACT_WHOLE:  # past a float's whole numbers: a table column could not hold it as given
            raise ValueError(str(value))
        return value
    if _floating(value) and not math.isnan(value):
        number = _as_float(value)
    else:
        text = _grammar_text(value)
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise ValueError(text)
        number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(str(value))
    return T.whole_as_int(number)


def _parse_enum(field: S.Field, value) -> str | None:
    text = _text(value)
    code = field.enum.lookup(text)
    if code is None and text:
        raise ValueError(text)
    return code


@attrs.frozen
class _Kind:
    """How one type of field is read, and what is said when a value is not of it."""

    parse: Callable[[S.Field, object], object]
    code: str = ""
    en: str = ""  # formatted with raw, name, zh, codes_en, codes_zh
    zh: str = ""


_KINDS: dict[type, _Kind] = {
    T.DateType: _Kind(
        lambda f, v: parse_date(v), "R002",
        "`{raw}` is not a date (expected YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年MM月DD日, YYYYMMDD or a year-month "
        "form)",
        "“{raw}”不是有效日期（应为 YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、YYYYMMDD 或 YYYY-MM 等年月格式）"),
    T.BoolType: _Kind(
        lambda f, v: parse_bool(v), "R008",
        "`{raw}` is not a yes/no value (true/false, 1/0, Y/N, yes/no, 是/否, 有/无)",
        "“{raw}”不是是/否值（应为 是/否、有/无、1/0、Y/N、yes/no、true/false）"),
    T.NumberType: _Kind(lambda f, v: parse_number(v), "R007", "`{raw}` is not a number", "“{raw}”不是数字"),
    T.EnumType: _Kind(
        _parse_enum, "R003", "`{raw}` is not a valid {name} code (expected one of {codes_en})",
        "“{raw}”不是有效的{zh}取值（应为：{codes_zh}）"),
}


# the text fields every decision shows (a teacher's or a school's name), read with an ID number typed into
# them masked (``id_number.masked_in_text``: 张三110105********0028): a decisions file, an explanation, the
# studio and the service carry them unasked, where the number is written only when asked (--keep 身份证号).
# A key (工号, 学校代码) is read as written: the decisions are joined back by it.
MASKED_FIELDS = frozenset({"name"})


def _as_text(field: S.Field, value):
    """A text field's value (an id, a name): the cell's text; a yes/no value (JSON's ``true``, a
    workbook's TRUE) is no text, and "true" is nobody's id or name (R048). A name masks an ID number
    in it (``MASKED_FIELDS``)."""
    if isinstance(value, bool):
        raise ValueError(value)
    text = _text(value) or None
    return masked_in_text(text) if text is not None and field.name in MASKED_FIELDS else text


def _as_records_text(field: S.Field, value):
    """``_as_text`` of a record's value (JSON, the API's and the service's lists), where a number
    is what the sender wrote: a whole number is its digits (123: "123"); one with a fraction or an
    exponent (1.5e3, 1001.0) is no id or name, whose digits are not known as written (R048). (A
    sheet's number cell is a float however it was typed: 1001.0 there is "1001".) NaN is pandas's
    mark of a missing value: an empty cell, as in every other column."""
    if _floating(value) and not math.isnan(value):
        raise ValueError(value)
    return _as_text(field, value)


_TEXT_KIND = _Kind(_as_text, "R048")
_RECORDS_TEXT_KIND = _Kind(_as_records_text, "R048")


def _kind(field: S.Field) -> _Kind:
    return _KINDS.get(type(field.type), _TEXT_KIND)


def cell_value(field: S.Field, value):
    """The typed value of a cell, or ValueError: the cell grammar, which every reader uses."""
    return _kind(field).parse(field, value)


_UNREADABLE = object()


def column_reader(field: S.Field, records: bool = False) -> Callable[[object], object]:
    """``cell_value`` for the cells of one column, each distinct text or number cell read once: a
    roster repeats its yes/no values, codes, counts and dates, and reading them is most of reading
    a row. The values are immutable (numbers, dates, texts), so rows may share one. (Texts and
    numbers are kept apart: 1.0 and True are equal keys.) ``records``: the cells are records'
    values (``_as_records_text``)."""
    kind = _kind(field)
    parse = (_RECORDS_TEXT_KIND if records and kind is _TEXT_KIND else kind).parse
    seen_by_type: dict[type, dict] = {str: {}, float: {}}

    def read(raw):
        seen = seen_by_type.get(type(raw))
        if seen is None:
            if missing_marker(raw):
                return parse(field, None)
            if isinstance(raw, _NO_CELL):  # a JSON object or array: no value (a text column took its repr)
                raise ValueError(raw)
            return parse(field, raw)
        value = seen.get(raw, seen)
        if value is seen:
            try:
                value = parse(field, raw)
            except (ValueError, TypeError, OverflowError):
                value = _UNREADABLE
            seen[raw] = value
        if value is _UNREADABLE:
            raise ValueError(raw)
        return value

    return read


# the days Excel's serial numbers 1900 to 2100 stand for: a year (1975) or year.month (1975.10,
# kept as 1975.1) typed into a cell formatted as a date reads as a day of 1905, as no birth is
EXCEL_YEAR_DAYS = (dt.date(1899, 12, 30) + dt.timedelta(days=1900), dt.date(1899, 12, 30) + dt.timedelta(days=2100))


# what no cell holds: a JSON roster's or a request's object or array (read as text, {"a": 1}
# became the id "{'a': 1}")
_NO_CELL = (Mapping, list, tuple, set, frozenset)


class SheetNumber(float):
    """A spreadsheet cell's number that is no whole number, as the XLSX reader gives it: a number
    everywhere, but a date column reads it as the text the sheet shows (1985.03, a year and month
    typed into a General cell), as the CSV that Excel or WPS exports of the same sheet does."""

    __slots__ = ()


def _keyed(file: str) -> bool:
    """Whether ``file`` is records with keys (a JSON file, the API's or the service's records),
    not a sheet whose columns have letters."""
    return file.startswith("<") or file.lower().endswith(".json")


def header_name(raw: object) -> str:
    """A header cell as a column is named in messages (a BOM trimmed with the rest: ``TRIMMED``)."""
    return _text(raw)


def _letters(number: int) -> str:
    """A column's number as a spreadsheet names it (1: A, 27: AA), which is also how a CSV's
    columns are counted when opened in one."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _blank(row: Sequence[object]) -> bool:
    return all(_text(cell) == "" for cell in row)
