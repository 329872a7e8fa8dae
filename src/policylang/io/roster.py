"""Reading and validating rosters: the teachers and schools tables of the contract,
from CSV (UTF-8 with or without BOM, GB18030/GBK as Excel and WPS write it, or
UTF-16 as Excel's "Unicode text" writes it), XLSX, Parquet or JSON, with English or
Chinese headers and codes or labels.

Every input row is kept: a row with problems carries them, and every problem
names the file, row (as a spreadsheet numbers it: the header is row 1 unless a title is above it), column
(as written in the file) and value. Nothing is dropped silently. The only rows
not read are those of a CSV or XLSX file with every cell empty (spreadsheets leave
them below the data); they are not people, and the line numbers of the rows after
them stay right. A record of JSON or Parquet is a row even when every value is
empty. A CSV row must have as many cells as the header (R016): a row cut short
would read its missing yes/no cells as "no"; a row running over several lines of
the file (a cell holding line breaks) is said (R018), since a quote left open
joins the rows up to the next quote into one cell; a quote never closed leaves
the rest of the file unreadable (R009, naming the row). Values no person can have
(born before 1900, starting work before being born, negative years) are refused
(R017), and a teacher whose school row is refused is refused too (R014).
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import functools
import io
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import chain
from pathlib import Path

import attrs

from policylang.core.diagnostics import BilingualError, did_you_mean
from policylang.core.i18n import without_assumption_label
from policylang.core.text_width import TRIMMED, ascii_forms
from policylang.io.id_number import InvalidIdNumber, canonical_id_number, mask_id_number, parse_id_number
from policylang.io.safe_text import json_shown, lone_surrogate
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import MonthDate
from policylang.lang.reads import PROMOTION_ENTRY
from policylang.lang.pretty import value_text


@attrs.frozen
class RosterProblem:
    file: str
    row: int | None  # spreadsheet row (the first is 1, a title above the header too); 1-based object index for JSON; None for the file
    column: str | None  # header as written in the file
    value: str | None  # the raw offending value
    code: str
    message_en: str
    message_zh: str
    warning: bool = False  # said, but decides nothing: no row is refused for it
    column_zh: str | None = None  # a column the file lacks, named by its key in ``column``: its Chinese name
    sheet: str | None = None  # of a workbook with several sheets of rows, the one read (``xlsx.SheetTitle``)
    # a warning of several rows (R033: the empty cells' rows, the first ``ROWS_NAMED``), for a program
    # to act on as the message names them; ``count``: how many there are in all
    rows: tuple[int, ...] = ()
    count: int | None = None

    def message(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def file_in(self, lang: str = "en") -> str:
        """The file, and the sheet when the workbook has several with rows (both.xlsx 工作表“学校”)."""
        if self.sheet is None:
            return self.file
        return f"{self.file} 工作表{sheet_shown(self.sheet, lang)}" if lang == "zh" else \
            f"{self.file} sheet {sheet_shown(self.sheet, lang)}"

    def column_in(self, lang: str = "en") -> str | None:
        """The column as a message in ``lang`` names it: a header as written in the file; a
        column the file lacks, by its key (`pregnant`) or its Chinese name (孕期)."""
        return self.column_zh if lang == "zh" and self.column_zh else self.column


@attrs.frozen
class RosterRow:
    index: int  # 0-based position among the input's rows
    line: int  # as RosterProblem.row
    values: dict[str, object]  # canonical field name -> typed value; unknown columns under their header
    problems: tuple[RosterProblem, ...]
    # the fields whose empty cell was read as their empty value (任课 blank as 否: ``blank_reads_as``),
    # which an explanation says were blank, not that the roster said 否
    blank: frozenset[str] = frozenset()

    @property
    def valid(self) -> bool:
        return not self.problems


@attrs.frozen
class Roster:
    teachers: tuple[RosterRow, ...]  # every input teacher, in input order, valid or not
    schools: dict[str, dict[str, object]]  # school_id -> typed values, valid school rows only
    problems: tuple[RosterProblem, ...]  # file-level first, then school rows, then teacher rows
    teacher_file: str
    school_file: str
    warnings: tuple[RosterProblem, ...] = ()  # unknown columns, kept and read by nothing
    assumptions: tuple[S.Assumption, ...] = ()  # stated values standing in for absent columns

    def valid_teachers(self) -> list[RosterRow]:
        return [r for r in self.teachers if r.valid]


# ---- values ------------------------------------------------------------------------

_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})", re.ASCII),
    # spaces between the parts, as some people type them (1985 年 3 月 12 日); not inside a number
    re.compile(r"(?P<y>\d{4}) *年 *(?P<m>\d{1,2}) *月 *(?P<d>\d{1,2}) *日?", re.ASCII),
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


def _text(value) -> str:
    """A cell as trimmed text (``TRIMMED``). Spreadsheets store ids as numbers (1001.0 is
    "1001") and pandas marks missing cells with NaN, which reads as empty; a CSV cell written
    for Excel as ="00123" is the text it shows, 00123."""
    if type(value) is str:  # the usual cell, first: this runs for every cell of every record
        text = value.strip(TRIMMED)
        # ="00123": how systems write a CSV cell for Excel to show as the text 00123, keeping its zeros
        return text[2:-1].strip(TRIMMED) if text.startswith('="') and text.endswith('"') and len(text) > 2 else text
    if value is None:
        return ""
    if isinstance(value, bool):  # JSON's true, not Python's True
        return "true" if value else "false"
    if isinstance(value, float):
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
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        if not isinstance(value, SheetNumber):  # a number sent (JSON, Parquet): text is asked for, one rule for all
            raise ValueError(_text(value))
        # a spreadsheet's number cell, read as the sheet shows it: 1985.03 is March, as its CSV export says;
        # 1985.1 (1985.10 kept as a number) is January or October, refused below as that text is
        value = repr(float(value))
    text = _MIDNIGHT.sub("", _grammar_text(value))
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
    Whole numbers come back as int, so 3.0 years and 3 years compare and print alike."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        if abs(value) > EXACT_WHOLE:  # past a float's whole numbers: a table column could not hold it as given
            raise ValueError(str(value))
        return value
    if isinstance(value, float) and not math.isnan(value):
        number = value
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
_TEXT_KIND = _Kind(lambda f, v: _text(v) or None)


def _kind(field: S.Field) -> _Kind:
    return _KINDS.get(type(field.type), _TEXT_KIND)


def cell_value(field: S.Field, value):
    """The typed value of a cell, or ValueError: the cell grammar, which every reader uses."""
    return _kind(field).parse(field, value)


_UNREADABLE = object()


def column_reader(field: S.Field) -> Callable[[object], object]:
    """``cell_value`` for the cells of one column, each distinct text or number cell read once: a
    roster repeats its yes/no values, codes, counts and dates, and reading them is most of reading
    a row. The values are immutable (numbers, dates, texts), so rows may share one. (Texts and
    numbers are kept apart: 1.0 and True are equal keys.)"""
    parse = _kind(field).parse
    seen_by_type: dict[type, dict] = {str: {}, float: {}}

    def read(raw):
        seen = seen_by_type.get(type(raw))
        if seen is None:
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


# ---- values no person has: the rule, written once (the columnar and record readers use it)

EARLIEST_BIRTH = dt.date(1900, 1, 1)
# the days Excel's serial numbers 1900 to 2100 stand for: a year (1975) or year.month (1975.10,
# kept as 1975.1) typed into a cell formatted as a date reads as a day of 1905, as no birth is
EXCEL_YEAR_DAYS = (dt.date(1899, 12, 30) + dt.timedelta(days=1900), dt.date(1899, 12, 30) + dt.timedelta(days=2100))
# dates in a teacher's working life: none is before the month of their birth (a year-month
# date stands for its whole month, so a start in the month of birth is not refused)
AFTER_BIRTH = ("school_start", "work_start", "post_start", "title_date", "sanction_until", "support_end",
               "refused_exchange", "left_exchange_early", "exchange_failed")
WORKING_LIFE, WORKING_AGE = S.WORKING_LIFE, S.WORKING_AGE  # (the rule, lang/schema.py)
# the dates of what had happened by the day a decision is made at: a birth, a start at work, at the
# school, in the post, a title. One after the reference date (2109 typed for 2019) would be read as
# a tenure not yet begun and decide the person out of every rule, without a word. Events and
# periods (a refusal, a sanction's end) may lie after it: they are compared with it, as the rules say.
LIFE_DATES = ("birth_date", *WORKING_LIFE)
# years and counts: none is negative
NOT_NEGATIVE = {"teacher": S.WORKING_LIFE_COUNTS, "school": ("students", "establishment")}


# a woman's original statutory retirement age, the contract's two values; a man's cell is not read
RETIREMENT_CATEGORIES = (55, 50)
# what only a woman can be (女职工劳动保护特别规定): yes for a man is a slip of the row or the column
WOMEN_ONLY = ("pregnant", "maternity_leave", "nursing")


def _month(date: dt.date) -> int:
    return date.year * 12 + date.month


# The rules of values no one has: each takes a field's value, the row's values and the birth date
# (a teacher's, when it is a date) and gives the reason (English, Chinese) or None.

def _before_1900(value, values, birth):
    return value < EARLIEST_BIRTH and ("a birth date before 1900", "出生日期早于1900年")


def _excel_year(value, values, birth):
    return EXCEL_YEAR_DAYS[0] <= value <= EXCEL_YEAR_DAYS[1] and (
        "a birth in 1905: a year or year.month (1975.10) typed as a number into a cell formatted as a date is kept "
        "by Excel as that many days after 1899; format the cell as text and write 1975-10",
        "出生于1905年：把年份或年.月（如 1975.10）当作数字填进了日期格式的单元格，Excel 会把它当作"
        "1899年底起的天数；请将单元格设为文本格式，填写 1975-10")


def _before_birth(value, values, birth):
    return birth is not None and _month(value) < _month(birth) and (
        f"before the birth date ({birth.isoformat()})", f"早于出生日期（{birth.isoformat()}）")


def _before_working_age(value, values, birth):
    return birth is not None and _month(value) < _month(birth) + 12 * WORKING_AGE and (
        f"before the person turned {WORKING_AGE} (born {birth.isoformat()}): no one younger may be employed "
        "(Labour Law art. 15)",
        f"早于年满{WORKING_AGE}周岁（出生日期 {birth.isoformat()}）：《劳动法》第十五条禁止招用未满十六周岁的未成年人")


def _no_retirement_category(value, values, birth):
    return value not in RETIREMENT_CATEGORIES and values.get("sex") != "M" and (
        "a woman's original statutory retirement age (read unless the person is a man) is 55 (cadres and "
        "professional staff) or 50 (workers)",
        "女职工的原法定退休年龄只能是55（干部和专业技术人员）或50（工人）（男职工的不读取）")


# what marks a template's example row (张三（示例）, 示例), which is no teacher
EXAMPLE_WORDS = ("示例", "样例", "范例")


def _an_example(value, values, birth):
    return isinstance(value, str) and any(word in value for word in EXAMPLE_WORDS) and (
        "the row is the form's example (示例), not a teacher: delete it",
        "该行是填表示例，不是教师：请删除该行")


def _a_man(value, values, birth):
    return value is True and values.get("sex") == "M" and (
        "the person is a man (sex M): only a woman is pregnant, on maternity leave or nursing (a value in the "
        "wrong row or column?)",
        "此人性别为男：只有女职工才有孕期、产假、哺乳期（是否填错了行或列？）")


def _negative(value, values, birth):
    return value < 0 and ("negative", "为负数")


def _past_working_life(value, values, birth):
    return value > S.MOST_YEARS and (
        f"more than {S.MOST_YEARS}: longer than a working life (a year typed for a number of years?)",
        f"超过{S.MOST_YEARS}：比一个人的工作年限还长（是否把年份填成了年数？）")


def _not_whole(value, values, birth):
    return value != int(value) and ("not a whole number: it counts schools, people or yearly assessments",
                                    "不是整数：学校数、人数和按年度考核的年数都是整数")


def _plausibility_rules() -> dict[str, dict[str, tuple]]:
    """Each table's fields that have rules, and their rules in order (the first that fails is said)."""
    def counts(table: str, *rules) -> dict[str, tuple]:
        return {name: (_negative, *rules, *((_not_whole,) if name in S.WHOLE.get(table, ()) else ()))
                for name in NOT_NEGATIVE[table]}
    teacher = {"birth_date": (_before_1900, _excel_year), "retirement_category": (_no_retirement_category,),
               **{name: (_a_man,) for name in WOMEN_ONLY}, "id": (_an_example,), "name": (_an_example,),
               **{name: (_before_birth, *((_before_working_age,) if name in WORKING_LIFE else ()))
                  for name in AFTER_BIRTH},
               **counts("teacher", _past_working_life)}
    return {"teacher": teacher, "school": counts("school")}


_PLAUSIBLE = _plausibility_rules()
# each table's fields ``implausible`` has a rule for
PLAUSIBILITY_CHECKED = {table: frozenset(rules) for table, rules in _PLAUSIBLE.items()}


def implausible(table: str, values: Mapping[str, object], fields: Iterable[str], reference: dt.date | None = None
                ) -> list[tuple[str, str, str]]:
    """The values of ``fields`` (read from the roster, typed) that no person or school has,
    each as (field, reason in English, in Chinese), in the order of ``fields``: a birth before
    1900, a date of working life before the month of birth, or of the teacher's own work before
    the month they turned 16, a woman's retirement category other
    than 55 or 50 (for a man it is not read), negative years or counts, a count that is no
    whole number.
    A date after the reference date is ``after_reference``'s (R029), and a birth after it
    (2109 for 2019: a slip of the year) is no ground to call the other dates early."""
    out = []
    rules = _PLAUSIBLE.get(table, {})
    birth = values.get("birth_date") if table == "teacher" else None
    birth = birth if isinstance(birth, dt.date) and (reference is None or birth <= reference) else None
    for name in fields:
        if name not in rules or (value := values.get(name)) is None:
            continue
        for rule in rules[name]:
            if reason := rule(value, values, birth):
                out.append((name, *reason))
                break
    return out


def checked_at_reference(table: S.Table, fields: Iterable[str]) -> list[str]:
    """The fields among ``fields`` whose dates ``after_reference`` checks: the dates of a
    teacher's life, when the table is read for a reference date."""
    if table.reference is None or table.name != "teacher":
        return []
    return [name for name in fields if name in LIFE_DATES]


def after_reference(table: S.Table, values: Mapping[str, object], fields: Iterable[str]) -> list[tuple[str, str, str]]:
    """The values of ``fields`` that lie after the reference date the table is read for
    (``Table.reference``; none when it is not known), each as (field, reason in English, in
    Chinese). A year-month date stands for its month: one of the reference date's month is kept."""
    day = table.reference
    out = []
    for name in checked_at_reference(table, fields):
        value = values.get(name)
        if isinstance(value, dt.date) and value > day:
            out.append((name, f"after the reference date {day.isoformat()}: it had not happened on that day, so no "
                              "decision at that date can rest on it (unless deciding at an earlier date on purpose, "
                              "check the year)",
                        f"晚于参考日期（{day.isoformat()}），该日尚未发生，不能按该日作决定（若非有意按更早的日期计算，请检查年份）"))
    return out


def after_reference_problem(file: str, line: int, column: str, field: S.Field, cell: object, reason_en: str,
                            reason_zh: str) -> RosterProblem:
    """A date of the person's life after the reference date (R029; see ``after_reference``)."""
    raw = _text(cell)
    return RosterProblem(file, line, column, raw, "R029", f"{field.name} `{raw}` is {reason_en}",
                         f"{field.zh}“{raw}”{reason_zh}")


def after_reference_rows(roster: Roster, table: S.Table) -> list[RosterProblem]:
    """``after_reference`` of every valid teacher of a roster read without ``table``'s
    reference date, named by the field (the header as written is not kept with the roster)."""
    problems = []
    for row in roster.valid_teachers():
        for name, en, zh in after_reference(table, row.values, LIFE_DATES):
            field = table.field(name)
            problems.append(attrs.evolve(after_reference_problem(roster.teacher_file, row.line, name, field,
                                                                 row.values[name], en, zh), column_zh=field.zh))
    return problems


# ---- the resident ID number (身份证号): the rule, written once (the columnar reader uses it)

FROM_ID_NUMBER = ("birth_date", "sex")  # what a valid ID number gives (io/id_number.py)


def _agrees(given: object, from_id: object) -> bool:
    if isinstance(given, MonthDate):  # a year-month birth date: the month must be the ID's
        return (given.year, given.month) == (from_id.year, from_id.month)
    return given == from_id


_AS_A_NUMBER = re.compile(r"\d(\.\d+)?[eE]\+?\d+")  # 1.10105198003010E+17: a number cell exported as text


def _stored_as_a_number(file: str, line: int, id_column: str, text: str, surely: bool = True,
                        spare: bool = False) -> RosterProblem:
    """R021 for an ID number typed into a cell not formatted as text: Excel keeps 15 significant
    digits of a number, so its last ones are gone (110105198003010028 is kept as …010000).
    ``surely`` False: an invalid number of a text file ending in 000, as such a cell exports.
    ``spare``: the roster gives birth date and sex in their own columns, so the column could go."""
    or_en = "; or, as the roster gives birth dates and sexes in their own columns, delete the column" if spare else ""
    or_zh = "；名册已有“出生日期”“性别”列，也可以删除该列" if spare else ""
    # no digit of it, as any invalid number is shown (a number's shape kept: 3.50102E+17): a number cell's
    # 15 digits padded with its own may pass the check by chance, and were shown as 110105********4992
    masked = re.sub(r"[0-9Xx]", "*", text)
    if not surely:
        return RosterProblem(
            file, line, id_column, masked, "R021",
            f"`{masked}`: the check character does not match, and the number ends in 000: it was likely stored as "
            "a number somewhere, which keeps 15 digits, and its last digits are lost. Format the column as text "
            "and enter the numbers again" + or_en,
            f"“{masked}”：校验码与前 17 位不符，且末三位为 000：多半是身份证号曾被存成数字（只保留 15 位有效数字），"
            "末几位已丢失；请将该列设为文本格式后重新录入" + or_zh)
    return RosterProblem(
        file, line, id_column, masked, "R021",
        f"`{masked}`: the ID number was stored as a number, which keeps 15 digits: its last digits are lost. "
        "Format the column as text and enter the numbers again" + or_en,
        f"“{masked}”：身份证号被存成了数字，只保留 15 位有效数字，末几位已丢失；请将该列设为文本格式后重新录入" + or_zh)


def _sex_not_trusted(file: str, line: int, id_column: str, masked: str) -> RosterProblem:
    """R021 for a valid number ending in 000 that would give the sex the roster does not."""
    return RosterProblem(
        file, line, id_column, masked, "R021",
        f"`{masked}` ends in 000, as an ID number stored as a number (which keeps 15 digits) does: the sex its "
        "17th digit gives may be lost. Give the sex in its own column, or format the column as text and enter the "
        "numbers again",
        f"“{masked}”末三位为 000，可能是身份证号被存成数字后丢失了末几位（只保留 15 位有效数字），由此得出的性别可能有误；"
        "请在“性别”列填写，或将该列设为文本格式后重新录入")


def id_number_reading(file: str, line: int, id_column: str, id_cell: object, given: Mapping[str, object],
                      columns: Mapping[str, str]) -> tuple[dict[str, object], list[RosterProblem]]:
    """What a row's ID number gives, and what is wrong with it. ``given``: birth_date and sex as
    read from their cells, None when the column is absent or the cell empty (a field whose cell
    cannot be read is left out: it has its own problem); ``columns``: field -> header, of the
    fields the file has. Returns the values the number gives (for a field not given; the exact
    birth date for a year-month one; the number in canonical form), and the problems: the
    number is not valid (R021; nor is one ending in 000 that would give the sex), a birth date
    or sex disagrees with it (R022), or it is empty where it must give a value (R006). The
    number itself is never in a message but masked (io/id_number.mask_id_number)."""
    text = _text(id_cell)
    if not text:
        problems = [empty_required_problem(file, line, columns[n], S.TEACHERS.header_field(n))
                    for n in FROM_ID_NUMBER if n in columns and n in given and given[n] is None]
        absent = [S.TEACHERS.header_field(n) for n in FROM_ID_NUMBER if n not in columns]
        if absent:
            en = " and ".join(f"`{f.name}`" for f in absent)
            zh = "、".join(f"“{f.zh}”" for f in absent)
            problems.append(RosterProblem(file, line, id_column, "", "R006",
                                          f"`id_number` is required but empty: the roster has no {en} column",
                                          f"“身份证号”为必填项，不能为空：名册没有{zh}列"))
        return {}, problems
    spare = all(n in columns for n in FROM_ID_NUMBER)
    if isinstance(id_cell, float) or _AS_A_NUMBER.fullmatch(text):  # a float holds no 18 digits: they were lost
        return {}, [_stored_as_a_number(file, line, id_column, text, spare=spare)]
    try:
        info, canonical = parse_id_number(text), canonical_id_number(text)
    except InvalidIdNumber as exc:
        if isinstance(id_cell, int) and not isinstance(id_cell, bool):  # 110105198003010000: its end lost
            return {}, [_stored_as_a_number(file, line, id_column, text, spare=spare)]
        if len(text) == 18 and text.isdigit() and text.endswith("000"):  # as a CSV writes such a number
            return {}, [_stored_as_a_number(file, line, id_column, text, surely=False, spare=spare)]
        masked = mask_id_number(text)
        return {}, [RosterProblem(file, line, id_column, masked, "R021", f"`{masked}`: {exc.message}",
                                  f"“{masked}”：{exc.message_zh}")]
    if canonical.endswith("000") and "sex" in given and given["sex"] is None:
        # a number cell keeps 15 digits: one in eleven of the numbers it cuts to …000 still passes
        # the check, and its 17th digit, 0, would make every man a woman
        return {}, [_sex_not_trusted(file, line, id_column, mask_id_number(text))]
    filled: dict[str, object] = {"id_number": canonical}  # as kept with --keep: ASCII, upper-case X
    problems = []
    for name, from_id in (("birth_date", info.birth_date), ("sex", info.sex)):
        if name not in given:
            continue
        have = given[name]
        if have is None or (isinstance(have, MonthDate) and _agrees(have, from_id)):
            filled[name] = from_id
        elif not _agrees(have, from_id):
            field = S.TEACHERS.header_field(name)
            shown = have.isoformat()[:7] if isinstance(have, MonthDate) else have.isoformat() \
                if isinstance(have, dt.date) else str(have)
            masked = mask_id_number(text)
            if name == "birth_date":  # which part differs, not the ID's date: with the digits shown it is the whole number
                parts = [(en, zh) for en, zh, k in (("year", "年", 0), ("month", "月", 1), ("day", "日", 2))
                         if k < (2 if isinstance(have, MonthDate) else 3)
                         and (have.year, have.month, getattr(have, "day", None))[k] != (from_id.year, from_id.month, from_id.day)[k]]
                gives_en = f": the {' and '.join(en for en, _ in parts)} of the birth date in it differ"
                gives_zh = f"与其中的出生日期{'、'.join(zh for _, zh in parts)}不同"
            else:
                gives_en = f", which gives `{value_text(from_id, field.type, 'en')}`"
                gives_zh = f"按身份证号应为“{value_text(from_id, field.type, 'zh')}”"
            problems.append(RosterProblem(
                file, line, columns[name], shown, "R022",
                f"{field.name} `{shown}` disagrees with the ID number {masked} (column `{id_column}`){gives_en}",
                f"{field.zh}“{value_text(have, field.type, 'zh') if name == 'sex' else shown}”与身份证号 {masked}"
                f"（“{id_column}”列）不符：{gives_zh}"))
    return filled, problems


# ---- problems: the one place each message is written (the columnar reader uses them too)


def _file_problem(file: str, code: str, en: str, zh: str, column: str | None = None, *,
                  warning: bool = False, field: S.Field | None = None) -> RosterProblem:
    """A problem of the file as a whole; ``field``: the column it names is one the file lacks."""
    return RosterProblem(file, None, column, None, code, en, zh, warning, field.zh if field else None)


# what no cell holds: a JSON roster's or a request's object or array (read as text, {"a": 1}
# became the id "{'a': 1}")
_NO_CELL = (Mapping, list, tuple, set, frozenset)


def bad_value_problem(file: str, line: int, column: str, field: S.Field, cell: object) -> RosterProblem:
    """A cell that is not of its field's type (R002, R003, R007, R008), or no value at all: an
    object or an array (R015, the code of a record that maps a column to no value)."""
    if isinstance(cell, _NO_CELL):
        kind_en, kind_zh = ("an object", "对象") if isinstance(cell, Mapping) else ("an array", "数组")
        shown = json_shown(cell)
        return RosterProblem(file, line, column, shown, "R015",
                             f"`{column}` is {kind_en} ({shown}), not a value: a cell is text, a number, "
                             "true/false or null",
                             f"“{column}”一项是{kind_zh}（{shown}），不是取值：每项应为文字、数字、true/false 或 null")
    raw = _text(cell)
    kind, enum = _kind(field), field.enum
    codes_en = ", ".join(f"{c} ({enum.labels[c]})" for c in enum.codes) if enum else ""
    codes_zh = "、".join(f"{enum.labels[c]}（{c}）" for c in enum.codes) if enum else ""
    args = dict(raw=raw, name=field.name, zh=field.zh, codes_en=codes_en, codes_zh=codes_zh)
    if isinstance(field.type, T.NumberType) and isinstance(cell, int) and not isinstance(cell, bool):
        return RosterProblem(file, line, column, raw, kind.code,
                             f"`{raw}` is too large a number to decide on exactly (at most {EXACT_WHOLE:,} either way)",
                             f"“{raw}”数值过大，无法精确处理（绝对值不超过 {EXACT_WHOLE:,}）")
    said = (_date_said(raw, _grammar_text(cell)) if isinstance(field.type, T.DateType)
            else _number_said(_grammar_text(cell), field.type.unit) if isinstance(field.type, T.NumberType)
            else _bool_said(raw) if isinstance(field.type, T.BoolType) else None)
    if isinstance(field.type, T.DateType) and isinstance(cell, dt.datetime) and cell.time() != dt.time() \
            and file.lower().endswith((".xlsx", ".xlsm")):  # a workbook's date cell holding a time its format hides
        said = (f"the cell holds the date {cell:%Y-%m-%d} and the time {cell:%H:%M:%S}, which its date format does not "
                "show: which day is meant is not certain. Keep the date alone: type it again, or in Excel or WPS "
                "replace the column by =INT(cell) and format it as a date",
                f"单元格中是日期 {cell:%Y-%m-%d} 加时刻 {cell:%H:%M:%S}（单元格格式只显示日期，看不到时刻），无法确定是哪一天。"
                "请只保留日期：重新输入，或在 Excel/WPS 中用 =INT(单元格) 取整后设为日期格式")
    elif isinstance(field.type, T.DateType) and isinstance(cell, float) and _YEAR_DOT.fullmatch(raw) and said is None \
            and file.startswith("<"):  # records in memory (a JSON body): a number sent, not an Excel cell
        said = (f"`{raw}` is a number, not text: a year and month sent as a number cannot be read (2019.10 arrives "
                f"as 2019.1). Send it as text: \"{raw.replace('.', '-')}\"",
                f"“{raw}”是数字，不是文字：按数字发送的年月无法确定（2019.10 会变成 2019.1）。请以文字发送，如 "
                f"\"{raw.replace('.', '-')}\"")
    elif isinstance(field.type, T.DateType) and isinstance(cell, float) and _YEAR_DOT.fullmatch(raw) and said is None:
        said = (f"`{raw}` is a number cell, not text: Excel keeps 1985.10 as 1985.1, so a year and month typed as a "
                f"number cannot be read. Format the cell as text and write {raw}, or write {raw.replace('.', '-')}",
                f"“{raw}”是数字单元格，不是文字：Excel 会把 1985.10 存成 1985.1，按数字写的年月无法确定。请将单元格"
                f"设为文本格式后再写 {raw}，或写作 {raw.replace('.', '-')}")
    if enum is not None and (codes := S.ambiguous(enum, raw)):
        en_names = " or ".join(f"{c} ({enum.labels[c]})" for c in codes)
        zh_names = [enum.labels[c] for c in codes]
        unit = "级" if enum is S.TITLE else "种"
        said = (f"`{raw}` is either {en_names}: it covers each; write which",
                f"“{raw}”包括{'和'.join(zh_names)}两{unit}，无法确定是哪一{unit}：请写明{'或'.join(zh_names)}")
    if enum is S.SEX and said is None and raw.strip() in ("1", "2"):  # GB/T 2261.1, as HR systems export it
        said = (f"`{raw}` is not a sex code: the national standard's 1 (male) and 2 (female), which many systems "
                "export, are not read here, to be sure which is meant; write M or F (男 or 女)",
                f"“{raw}”不是性别取值：不按国家标准代码（1 为男、2 为女）读取，以免误读；请写作 男 或 女（或 M、F）")
    said = excel_error_said(raw) or said
    en, zh = said or (kind.en.format(**args), kind.zh.format(**args))
    if enum is not None and said is None and (meant := enum.meant(raw)):
        en, zh = f"{en}; did you mean `{meant}` ({enum.labels[meant]})?", f"{zh}；是否应为“{enum.labels[meant]}”？"
    return RosterProblem(file, line, column, raw, kind.code, en, zh)


# the error values a spreadsheet's formula shows (and stores as its result) when it fails
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def excel_error_said(raw: str) -> tuple[str, str] | None:
    """What a cell holding a spreadsheet's error value (`#N/A`, `#REF!`) means: a formula that
    failed (a lookup that found nothing, a deleted sheet), not a value of any column."""
    if raw.strip().upper() not in EXCEL_ERRORS:
        return None
    return (f"`{raw}` is the error a spreadsheet formula shows when it fails (a lookup that found nothing, a cell or "
            "sheet it refers to deleted), not a value: correct the formula in Excel or WPS, or type the value",
            f"“{raw}”是 Excel/WPS 公式出错时显示的错误值（如查找不到、引用的单元格或工作表已删除），不是取值："
            "请在 Excel/WPS 中改正公式，或直接填写数值")


def _date_said(raw: str, text: str) -> tuple[str, str] | None:
    """What a date cell that is none means to say, where it is known: 1985.1 (January or
    October?), 42248 (Excel's number for a date, pasted as a value)."""
    if _JANUARY_OR_OCTOBER.fullmatch(text):
        year = raw[:4]
        return (f"`{raw}` could be January or October: Excel keeps {year}.10 as the number {year}.1, and a CSV export "
                f"writes it so. Write {year}.01 or {year}.10, in a cell formatted as text",
                f"“{raw}”无法确定是 1 月还是 10 月：Excel 会把 {year}.10 当作数字存成 {year}.1，导出的 CSV 也是如此。"
                f"请写作 {year}.01 或 {year}.10，并将单元格设为文本格式")
    if _EXCEL_SERIAL.fullmatch(text):
        day = (dt.date(1899, 12, 30) + dt.timedelta(days=int(text))).isoformat()
        return (f"`{raw}` is not a date; it looks like the number Excel stores for {day} (a date cell pasted as a "
                f"value): write {day}, or format the cell as a date",
                f"“{raw}”不是有效日期；看起来是 Excel 中 {day} 这个日期的序列号（日期单元格被“粘贴为数值”）："
                f"请写成 {day}，或将单元格设为日期格式")
    if _ZONED.fullmatch(text):
        beijing = _zoned_in_beijing(text)
        at_en = f" ({beijing:%Y-%m-%d %H:%M} in Beijing time)" if beijing else ""
        at_zh = f"（北京时间 {beijing:%Y-%m-%d %H:%M}）" if beijing else ""
        return (f"`{raw}` is a point in time in a time zone{at_en}, not a calendar date: which day it is depends on the "
                "zone. Send the date alone, YYYY-MM-DD (Java: LocalDate, or @JsonFormat(pattern = \"yyyy-MM-dd\"); "
                ".NET: DateOnly)",
                f"“{raw}”是带时区的时刻{at_zh}，不是日期：是哪一天取决于时区。请只传日期 YYYY-MM-DD（Java 用 LocalDate 或 "
                "@JsonFormat(pattern = \"yyyy-MM-dd\")；.NET 用 DateOnly）")
    if (day := no_such_day(text)) is not None:  # 1982.6.31: the form is right, the day is not
        return day
    if (local := _local_moment(text)) is not None:
        return (f"`{raw}` is a moment ({local:%H:%M}), not a date: send the date alone, {local:%Y-%m-%d} (Java: "
                "LocalDate rather than LocalDateTime; .NET: DateOnly)",
                f"“{raw}”是一个时刻（{local:%H:%M}），不是日期：请只传日期 {local:%Y-%m-%d}（Java 用 LocalDate 而不是 "
                "LocalDateTime；.NET 用 DateOnly）")
    if (beijing := epoch_ms_in_beijing(text)) is not None:
        return (f"`{raw}` is not a date; it looks like milliseconds since 1970 (how Jackson writes a java.util.Date), "
                f"{beijing:%Y-%m-%d %H:%M} in Beijing time: send the date alone, YYYY-MM-DD (Java: LocalDate, or "
                "@JsonFormat(pattern = \"yyyy-MM-dd\"))",
                f"“{raw}”不是日期；看起来是自 1970 年起的毫秒数（Jackson 写出 java.util.Date 的方式），即北京时间 "
                f"{beijing:%Y-%m-%d %H:%M}：请只传日期 YYYY-MM-DD（Java 用 LocalDate 或 @JsonFormat(pattern = \"yyyy-MM-dd\")）")
    return None


def no_such_day(text: str) -> tuple[str, str] | None:
    """What a date in one of the forms says wrong (no 13th month, no 31 June), where it does."""
    for form in _DATE_FORMS:
        if m := form.fullmatch(text):
            year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
            if not 1 <= month <= 12:
                return (f"`{text}` is not a date: there is no month {month}", f"“{text}”不是有效日期：没有{month}月")
            last = calendar.monthrange(year, month)[1] if year >= 1 else 31
            if not 1 <= day <= last:
                return (f"`{text}` is not a date: {year}-{month:02d} has {last} days",
                        f"“{text}”不是有效日期：{year}年{month}月只有{last}天")
    return None


_UNIT_WORDS = {"年": "years", "周岁": "years", "岁": "years", "个月": "months", "月": "months", "天": "days",
               "人": None, "所": None, "次": None}  # a unit a clerk writes after a number, and the column's it is
_COUNT_WITH_UNIT = re.compile(r"(?P<n>\d+(?:\.\d+)?) *(?P<unit>" + "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
                              + ")")
_UNITS_ZH = {"years": "年", "months": "月", "days": "天"}


def _number_said(text: str, unit: str | None) -> tuple[str, str] | None:
    """A number written with its unit (2年, 3所): the column holds the number alone, in its own
    unit (``unit``); a number in another (3个月 in a column of years) is to be converted, never
    taken as it is."""
    if not (m := _COUNT_WITH_UNIT.fullmatch(text)):
        return None
    if _UNIT_WORDS[m["unit"]] == unit:
        return (f"`{text}` is not a number: write the number alone, {m['n']} (the column says what it counts)",
                f"“{text}”不是数字：请只写数字 {m['n']}（该列的单位已由列名确定，不必写“{m['unit']}”）")
    if unit in _UNITS_ZH:
        return (f"`{text}` is not a number: the column counts {unit}; write the number of {unit} alone",
                f"“{text}”不是数字：该列以{_UNITS_ZH[unit]}计，请换算成{_UNITS_ZH[unit]}后只写数字")
    return None


def _bool_said(text: str) -> tuple[str, str] | None:
    """A tick or a cross, as paper forms mark yes and no (an X is neither: it marks a box as much
    as it crosses one out)."""
    if text in ("√", "✓", "✔", "×", "✗", "✘"):
        yes = text in ("√", "✓", "✔")
        return (f"`{text}` is not a yes/no value: write {'yes' if yes else 'no'} (是/否)",
                f"“{text}”不是是/否值：请写“{'是' if yes else '否'}”（表格中的 √ 写作“是”，× 写作“否”）")
    return None


def epoch_ms_in_beijing(text: str) -> dt.datetime | None:
    """The moment in Beijing time that ``text`` is, read as milliseconds since 1970 (how
    Jackson writes a java.util.Date), where it looks like that; else None. Beijing time as China
    kept it: 1988-06-01 00:00 in that summer's time (UTC+9) is 1988-06-01, not 05-31 23:00."""
    if not _EPOCH_MS.fullmatch(text):
        return None
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(milliseconds=int(text))
    return moment.astimezone(_beijing()).replace(tzinfo=None)


@functools.cache
def _beijing() -> dt.tzinfo:
    """China's zone (Asia/Shanghai), or UTC+8 where no zone database is installed."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError, or no tzdata on Windows: the standard offset
        return dt.timezone(dt.timedelta(hours=8))


def jackson_date_array(value: object) -> tuple[str, str] | None:
    """What an array [year, month, day] is: how Jackson writes a LocalDate by default
    (WRITE_DATES_AS_TIMESTAMPS), said with the date it stands for; None for any other value."""
    if not (isinstance(value, list) and len(value) == 3 and all(type(v) is int for v in value)):
        return None
    try:
        day = dt.date(*value)
    except ValueError:
        return None
    return (f": [year, month, day] is how Jackson writes a LocalDate while WRITE_DATES_AS_TIMESTAMPS is on (its "
            f"default); disable it, or send \"{day.isoformat()}\"",
            f"：[年, 月, 日] 是 Jackson 在 WRITE_DATES_AS_TIMESTAMPS 开启（默认）时写出 LocalDate 的方式；请关闭该项，"
            f"或写作 \"{day.isoformat()}\"")


def why_no_day(value: object, read: dt.date | None) -> tuple[str, str]:
    """What a reference date that is none is, where it is known: a month, or a moment (a
    date-time at another hour, or with an offset, as text or a ``datetime``; milliseconds since
    1970), whose day (in Beijing time, where it has an offset) is suggested. The service's and
    the API's one reading."""
    if isinstance(read, MonthDate):
        return ": a month, and a decision is made for a day", "：只有年月，而决定按日作出"
    if (array := jackson_date_array(value)) is not None:
        return array
    try:
        moment = value if isinstance(value, dt.datetime) else \
            dt.datetime.fromisoformat(value.strip()) if isinstance(value, str) and "T" in value else None
    except ValueError:
        moment = None
    if moment is None:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if (beijing := epoch_ms_in_beijing(text)) is None:
            return "", ""
        return (f": milliseconds since 1970 (how Jackson writes a java.util.Date), {beijing:%Y-%m-%d %H:%M} in Beijing "
                f"time; send the day, {beijing:%Y-%m-%d}",
                f"：这是自 1970 年起的毫秒数（Jackson 写出 java.util.Date 的方式），即北京时间 {beijing:%Y-%m-%d %H:%M}；"
                f"请写日期 {beijing:%Y-%m-%d}")
    day = (moment.astimezone(_beijing()) if moment.tzinfo else moment).date().isoformat()
    where_en, where_zh = (" (its day in Beijing time)", "（北京时间的日期）") if moment.tzinfo else ("", "")
    return (f": a moment, and a decision is made for a day; send the day, {day}{where_en}",
            f"：这是一个时刻，而决定按日作出；请写日期 {day}{where_zh}")


def _zoned_in_beijing(text: str) -> dt.datetime | None:
    """A moment with its zone (``1980-02-29T16:00Z``) in Beijing time, where it reads as one."""
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return moment.astimezone(_beijing()).replace(tzinfo=None) if moment.tzinfo is not None else None


def _local_moment(text: str) -> dt.datetime | None:
    """A date-time without a zone at another hour than midnight (a LocalDateTime), else None."""
    if "T" not in text and " " not in text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None


def empty_required_problem(file: str, line: int, column: str, field: S.Field) -> RosterProblem:
    if field.required or not field.needed_by:
        return RosterProblem(file, line, column, "", "R006", f"`{field.name}` is required but empty",
                             f"“{field.zh}”为必填项，不能为空")
    en, zh = _readers(field.needed_by)
    return RosterProblem(file, line, column, "", "R006",
                         f"`{field.name}` is empty, and {en} of the policy read it: without it they could not be "
                         "decided",
                         f"“{field.zh}”为空：政策中 {zh}条款读取该列，没有它无法判断")


def _readers(ids: Sequence[str]) -> tuple[str, str]:
    """The clauses that read a column, as a problem names them (the first five, then …); the
    Chinese ready to go before a Chinese word: a space after an id (JA-1 需要), none after 等."""
    more = len(ids) > 5
    named = [(reader_words(i)) for i in ids[:5]]
    zh = "、".join(zh for _, zh in named) + (" 等" if more else "")
    return ", ".join(en for en, _ in named) + (" …" if more else ""), zh + (" " if zh[-1:].isascii() else "")


# what reads a column beside a policy's clauses: each decision's promotion entry reads `title`
_READER_WORDS = {PROMOTION_ENTRY: ("the promotion entry (the title next above the person's)", "结论的晋升一栏（按本人职称定下一级）")}


def reader_words(ident: str) -> tuple[str, str]:
    """What reads a column, (en, zh): a clause by its id, the promotion entry in words."""
    return _READER_WORDS.get(ident, (ident, ident))


def cell_problem(file: str, line: int, column: str, field: S.Field, cell: object) -> RosterProblem:
    """The problem of a cell known not to read as its field: empty though required, or not of its type."""
    if field.must_fill and _text(cell) == "":
        return empty_required_problem(file, line, column, field)
    return bad_value_problem(file, line, column, field, cell)


def lacking_key_problem(file: str, line: int, column: str, field: S.Field, readers: Sequence[str]) -> RosterProblem:
    """A record without a key other records give, which the policy reads (R026)."""
    en, zh = _readers(readers)
    by_en = f"; {en} of the policy read it" if readers else ""
    by_zh = f"：政策中 {zh}条款读取该项" if readers else ""
    return RosterProblem(file, line, column, None, "R026",  # no value: the key is not there, not ""
                         f"the record has no `{column}`, which other records give{by_en}: without it they could not "
                         f"be decided (write null for an empty value, false for no)",
                         f"该记录没有“{column}”一项（其他记录有）{by_zh}，缺少时无法判断（空值请写 null，否请写 false）")


def implausible_problem(file: str, line: int, column: str, field: S.Field, cell: object, reason_en: str,
                        reason_zh: str) -> RosterProblem:
    """A value of the right type that no person or school has (R017; see ``implausible``)."""
    raw = _text(cell)
    return RosterProblem(file, line, column, raw, "R017",
                         f"`{raw}` cannot be right for {field.name}: {reason_en}",
                         f"“{raw}”不可能是{field.zh}：{reason_zh}")


def duplicate_problem(file: str, line: int, column: str, field: S.Field, key: object, other_line: int
                      ) -> RosterProblem:
    """R004 on each row of a key given twice: which of the rows is the person is not known, so
    none is decided. ``other_line``: the first row with the key, or for the first, the next."""
    if other_line > line:
        return RosterProblem(file, line, column, str(key), "R004",
                             f"duplicate {field.name} `{key}` (again in row {other_line}): which row is right is "
                             "not known, neither is read",
                             f"{field.zh}“{key}”重复（第{other_line}行再次出现）：不知哪一行正确，均不读取")
    return RosterProblem(file, line, column, str(key), "R004",
                         f"duplicate {field.name} `{key}` (first in row {other_line})",
                         f"{field.zh}“{key}”重复（首次出现在第{other_line}行）")


def unknown_school_problem(file: str, line: int, column: str, school_id: object,
                           known: Mapping[object, object] | None = None) -> RosterProblem:
    """A teacher's school the schools table lacks (R005); naming the id the table has that
    differs only in full-width letters or case (Ｓ04, s04), which look alike on a screen, or
    the id of the school whose name was written where its id belongs (``known``: id -> name)."""
    known = known or {}
    look = looks(str(school_id))
    alike = next((str(k) for k in known if k is not None and looks(str(k)) == look), None)
    bare = _bare(str(school_id))
    named = [str(k) for k, name in known.items() if k is not None and name and _bare(str(name)) == bare]
    en = f"school `{school_id}` is not in the schools table"
    zh = f"学校代码“{school_id}”不在学校名册中"
    if (error := excel_error_said(str(school_id))) is not None:
        en, zh = f"{en}: {error[0]}", f"{zh}：{error[1]}"
    elif alike is not None:
        en += f"; the schools table has `{alike}`, which differs only in full-width letters or case"
        zh += f"；学校名册中有“{alike}”，只是全角/半角或大小写不同，请统一写法"
    elif named:
        en += (f"; it is the name of school {', '.join(f'`{k}`' for k in named)} in the schools table: "
               "this column takes the school's id")
        zh += f"；“{school_id}”是学校名册中代码为 {'、'.join(named)} 的学校的名称，此列应填学校代码"
    elif len(known) <= _IDS_SPELT and (near := did_you_mean(str(school_id), [str(k) for k in known if k is not None])):
        en += f"; did you mean `{near}`?"  # S1O for S10: a letter for a digit
        zh += f"；是否应为“{near}”？"
    return RosterProblem(file, line, column, str(school_id), "R005", en, zh)


_IDS_SPELT = 5000  # school ids compared by spelling for a suggestion, at most (on the error path)


def _bare(text: str) -> str:
    """``text`` as it looks, without any space (九 中, 九中)."""
    return "".join(looks(text).split())


def looks(text: str) -> str:
    """``text`` as it looks: full-width forms as ASCII, case folded (the columnar reader folds ids by it too)."""
    return unicodedata.normalize("NFKC", text).casefold()


def alike_key_warnings(file: str, field: S.Field, column: str, firsts: Mapping[str, int]) -> list[RosterProblem]:
    """R037 for the keys of a unique field (``firsts``: each distinct key, the row it is first
    on) that look alike, differing only in full-width letters or case (Ｔ0001 and T0001): a
    screen shows one id, a reader two people, each decided. Not refused (two people may have
    such ids), said once for each such group, at its last first row."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for key, line in firsts.items():
        groups.setdefault(looks(key), []).append((line, key))
    warnings = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort()
        said_en = ", ".join(f"`{key}` (row {line})" for line, key in group)
        said_zh = "、".join(f"“{key}”（第{line}行）" for line, key in group)
        warnings.append(RosterProblem(
            file, group[-1][0], column, group[-1][1], "R037",
            f"{field.name} {said_en} differ only in full-width letters or case: perhaps one person entered twice. "
            f"Each row is decided; if it is one person, delete a row, else give ids that differ plainly",
            f"{field.zh}{said_zh}只是全角/半角或大小写不同，可能是同一人录了两次；各行都已作出决定："
            f"如是同一人，请删去多余的行，否则请改用能明显区分的{field.zh}"))
    return warnings


class BrokenCsv(ValueError):
    """A CSV that cannot be read from ``row`` (a spreadsheet row), which starts on ``line`` of
    the file, to its end (``lines`` lines): a quote opened there is never closed
    (``unclosed``), or the csv module gives up (``reason``)."""

    def __init__(self, row: int, line: int, lines: int, unclosed: bool, reason: str = ""):
        super().__init__(reason or "unclosed quote")
        self.row, self.line, self.lines, self.unclosed, self.reason = row, line, lines, unclosed, reason

    def problem(self, file: str) -> RosterProblem:
        n, k = self.row, self.lines
        where_zh = f"第{n}行" + (f"（文件第{self.line}行）" if self.line != n else "")
        where_en = f"row {n}" + (f" (line {self.line} of the file)" if self.line != n else "")
        lost_en = f"none of the {k} line{'s' if k != 1 else ''} from there to the end of the file could be read"
        lost_zh = f"从此处到文件末尾的 {k} 行都无法读取"
        if self.unclosed:
            en, zh = f"the quote opened in {where_en} is never closed: {lost_en}", f"{where_zh}的引号没有闭合：{lost_zh}"
        else:
            en, zh = f"{where_en} cannot be read ({self.reason}): {lost_en}", f"{where_zh}无法读取（{self.reason}）：{lost_zh}"
        return RosterProblem(file, n, None, None, "R009", f"cannot read the file: {en}", f"无法读取文件：{zh}")


class UnreadableFile(ValueError):
    """A file that is no roster this reader can read, said in both languages (R009)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def problem(self, file: str) -> RosterProblem:
        return _file_problem(file, "R009", f"cannot read the file: {self.en}", f"无法读取文件：{self.zh}")


# a file with nothing to read: said once, as a file that cannot be read (R009: no row of it is known,
# nothing is decided), not as every required column missing from a roster of nobody
_ZERO_BYTES = ("it is empty (0 bytes), with no header and no rows; check that it is the roster, or save or export it "
               "again",
               "文件是空的（0 字节），没有表头，也没有任何数据；请确认选对了文件，或重新保存、导出")
EMPTY_CSV = ("it holds nothing but blank space, delimiters or a byte-order mark, with no header and no rows; check "
             "that it is the roster, or save or export it again",
             "文件中只有空白、分隔符或字节顺序标记（BOM），没有表头，也没有任何数据；请确认选对了文件，或重新保存、导出")
_EMPTY_WORKBOOK = ("no sheet of the workbook has a cell filled in, so there is no header and no row; check that it "
                   "is the roster, or save it again",
                   "工作簿的各工作表都没有填写任何单元格，没有表头，也没有任何数据；请确认选对了文件，或重新保存")
_BLANK_CSV = TRIMMED + ',;"'  # what a CSV of no cell holds: white space, delimiters, empty quoted cells


def empty_csv(text: str) -> bool:
    """Whether a CSV's text holds no cell (``EMPTY_CSV``): the one rule for both readers."""
    return not text.strip(_BLANK_CSV)


_UNKNOWN_ENCODING = (
    "its text encoding cannot be told. Save it from Excel or WPS as “CSV UTF-8”, or name its encoding (on the "
    "command line: --encoding)",
    "无法判断其文字编码。请在 Excel 或 WPS 中另存为“CSV UTF-8”，或指明其编码（命令行：--encoding）")


# an error's reason in Chinese, first match; "{}" takes the English reason, a library's own
# words, which have no translation
_OS_ERRORS_ZH = ((FileNotFoundError, "文件不存在"), (IsADirectoryError, "这是一个文件夹，不是文件"),
                 (PermissionError, "没有读取该文件的权限"),
                 (UnicodeError, "文件的编码无法识别，请另存为 UTF-8 或 GB18030 编码的 CSV（{}）"),
                 (OSError, "读取文件时出错（{}）"), (LookupError, "不认识所给的编码（{}）"),
                 (ValueError, "文件内容无法解析（{}）"))


class NotScalar(ValueError):
    """A table file (Parquet) with columns whose cells are not single values: lists, structs
    or bytes. Read as text they would be `['是']` or `b'T01'`; no cell grammar reads them."""

    def __init__(self, columns: Sequence[tuple[str, str]]):  # (header, type as the file names it)
        super().__init__(", ".join(f"{name} ({kind})" for name, kind in columns))
        self.columns = list(columns)

    def problem(self, file: str) -> RosterProblem:
        names_en = ", ".join(f"`{name}` ({kind})" for name, kind in self.columns)
        names_zh = "、".join(f"“{name}”（{kind}）" for name, kind in self.columns)
        return RosterProblem(
            file, None, self.columns[0][0], None, "R009",
            f"cannot read the file: column{'s' if len(self.columns) > 1 else ''} {names_en} "
            f"hold{'' if len(self.columns) > 1 else 's'} lists, structures "
            "or bytes, not one value per cell; write them as text, numbers, dates or yes/no",
            f"无法读取文件：列{names_zh}的单元格存放的是列表、结构或字节，而不是单个值；请改存为文本、数字、日期或是/否")


def scalar_columns_or_raise(schema: Mapping[str, object]) -> None:
    """``NotScalar`` when a column of a polars schema holds lists, structs, objects or bytes:
    the one rule for both readers of a Parquet file."""
    import polars as pl

    bad = [(name, str(dtype)) for name, dtype in schema.items() if dtype.is_nested() or dtype == pl.Binary
           or dtype == pl.Object]
    if bad:
        raise NotScalar(bad)


def text_lines(text: str) -> int:
    """The lines of a text, as polars counts them (a last line break ends the last line)."""
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def unreadable_error(exc: BaseException) -> bool:
    """Whether an exception raised reading a file says the file cannot be read: any error, and
    a panic of polars's Rust code on a corrupt Parquet file (a ``BaseException``); not an
    interrupt or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 workbook, or any workbook with a password
_ZIP = b"PK\x03\x04"  # an .xlsx workbook (a zip), whatever its name


def _what_it_really_is(file: str) -> tuple[str, str] | None:
    """What a file that could not be read as its name says is, by its first bytes: nothing (0
    bytes), a workbook under a .csv name, an old or password-protected workbook."""
    try:
        with open(file, "rb") as f:
            head = f.read(8)
    except OSError:
        return None
    if not head:  # whatever its name: no workbook, no JSON, no Parquet is 0 bytes
        return _ZERO_BYTES
    if head.startswith(_OLE):
        return ("it is an Excel 97-2003 workbook (.xls) or a workbook with a password: save it from Excel or WPS as "
                ".xlsx, without a password",
                "这是 Excel 97-2003 工作簿（.xls）或设有密码的工作簿：请在 Excel 或 WPS 中另存为 .xlsx（不设密码）")
    if head.startswith(_ZIP) and Path(file).suffix.lower() in (*CSV_SUFFIXES, ".json"):
        return ("it is an Excel workbook (.xlsx) under another name: name it .xlsx",
                f"这是 Excel 工作簿（.xlsx），只是文件名以 {Path(file).suffix} 结尾：请把文件名改为 .xlsx")
    return None


def unreadable_problem(file: str, exc: BaseException) -> RosterProblem:
    """A file that cannot be read at all (R009), or from one of its rows on."""
    if isinstance(exc, (BrokenCsv, NotScalar, SeveralSheets, WorkbookTooLarge)):
        return exc.problem(file)
    if (really := _what_it_really_is(file)) is not None:
        return _file_problem(file, "R009", f"cannot read the file: {really[0]}", f"无法读取文件：{really[1]}")
    if isinstance(exc, UnreadableFile):
        return exc.problem(file)
    if isinstance(exc, (OSError, ValueError, UnicodeDecodeError, LookupError)):
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        reason_zh = next(zh for kind, zh in _OS_ERRORS_ZH if isinstance(exc, kind)).format(reason)
        return _file_problem(file, "R009", f"cannot read the file: {reason}", f"无法读取文件：{reason_zh}")
    # a corrupt xlsx or parquet raises library-specific errors
    kind = _FILE_KINDS.get(Path(file).suffix.lower())
    en = f"it is no {kind[0]} or is damaged" if kind else "it is damaged"
    zh = f"不是有效的{kind[1]}，或文件已损坏" if kind else "文件已损坏"
    again = {".xlsx": ("open it in Excel or WPS and save it as .xlsx (or CSV) again", "请用 Excel 或 WPS 打开，另存为 .xlsx（或 CSV）后再试"),
             ".xlsm": ("open it in Excel or WPS and save it as .xlsx again", "请用 Excel 或 WPS 打开，另存为 .xlsx 后再试")}.get(
        Path(file).suffix.lower(), ("export it again", "请重新导出后再试"))
    # (the library's words in English, for whoever reports it; a reader of Chinese is told what to do)
    return _file_problem(file, "R009", f"cannot read the file: {en} ({exc.__class__.__name__}: {exc}); {again[0]}",
                         f"无法读取文件：{zh}；{again[1]}")


_FILE_KINDS = {".xlsx": ("Excel workbook (.xlsx)", " Excel 工作簿（.xlsx）"), ".xlsm": ("Excel workbook", " Excel 工作簿"),
               ".parquet": ("Parquet file", " Parquet 文件"), ".json": ("JSON file", " JSON 文件")}


def school_row_problem(file: str, line: int, column: str, school_id: object, school_file: str,
                       school_line: int | None, school_sheet: str | None = None) -> RosterProblem:
    """A teacher whose school is in the schools table, but not usably (R014): its row has
    problems (``school_line``, on ``school_sheet`` of a workbook of several), or the schools file
    itself has (None). Decided without it, the teacher would be decided as if the school were empty."""
    listed = school_file.startswith("<")  # records in memory (the API, the service): a list, not a file
    on_en, on_zh = ((f" sheet {sheet_shown(school_sheet, 'en')}", f" 工作表{sheet_shown(school_sheet, 'zh')}")
                    if school_sheet is not None else ("", ""))
    if school_line is None:
        where_en, where_zh = ("the schools list", "学校列表") if listed else (f"the schools file {school_file}{on_en}",
                                                                         f"学校名册 {school_file}{on_zh} ")
        en = (f"the school `{school_id}` cannot be read: {where_en} has problems of its own "
              "(listed above); the teacher is not decided without their school")
        zh = f"无法读取学校“{school_id}”：{where_zh}本身有问题（见上）；缺少学校信息，不对该教师作出决定"
    else:
        where_en, where_zh = ((f"its record {school_line} in the schools list", f"学校列表第{school_line}条记录")
                              if listed else (f"its row {school_line} of {school_file}{on_en}",
                                              f"{school_file}{on_zh} 第{school_line}行"))
        en = (f"the school `{school_id}` cannot be read: {where_en} has problems; the "
              "teacher is not decided without their school")
        zh = f"无法读取学校“{school_id}”：{where_zh}有问题；缺少学校信息，不对该教师作出决定"
    return RosterProblem(file, line, column, str(school_id), "R014", en, zh)


def ragged_problem(file: str, line: int, cells: int, width: int) -> RosterProblem:
    """A CSV row with fewer or more cells than the header (R016): which cell is which is not
    known, and the missing ones would read as empty (a yes/no as "no")."""
    what_en, what_zh = ("cut short", "不完整") if cells < width else ("too long", "过长")
    return RosterProblem(
        file, line, None, None, "R016",
        f"the row has {cells} cell{'s' if cells != 1 else ''} where the header has {width} (a row {what_en}); "
        "its cells cannot be matched to the columns",
        f"该行有 {cells} 个单元格，表头有 {width} 列（行{what_zh}），无法确定各单元格对应的列")


def multiline_warning(file: str, line: int, column: str | None, first: int, lines: int) -> RosterProblem:
    """A CSV row running over several lines of the file (R018, a warning): a cell holds line
    breaks, which is how a quote left open looks when a later quote closes it."""
    last = first + lines - 1
    where_en = f"the cell of `{column}`" if column else "a cell"
    where_zh = f"“{column}”单元格" if column else "某个单元格"
    return RosterProblem(
        file, line, column, None, "R018",
        f"the row runs over lines {first}–{last} of the file: {where_en} holds line breaks. If a quote was left "
        f"open in line {first}, the rows up to line {last} were read into that cell",
        f"该行跨越文件的第{first}–{last}行：{where_zh}含换行。若第{first}行的引号未闭合，到第{last}行为止的各行都被读入了该单元格",
        warning=True)


def unreadable_files(problems: Iterable[RosterProblem]) -> list[str]:
    """The files that could not be read (R009), in order: nothing can be decided on such a
    roster, with ``--skip-invalid`` too (no row of it is known, so none can be counted)."""
    return list(dict.fromkeys(p.file for p in problems if p.code == "R009"))


def whole_file_problems(problems: Iterable[RosterProblem]) -> list[RosterProblem]:
    """The problems of a file as a whole, not of one of its rows: a column missing (R001, R011)
    or given twice (R010), a header that is no roster column under ``--strict`` (R012), a file
    that cannot be read (R009). No row of such a roster can be decided, so ``--skip-invalid``,
    which skips the rows with problems, does not skip these."""
    return [p for p in problems if p.row is None and not p.warning]


def skipping_cannot_help(problems: Iterable[RosterProblem], invalid: int, total: int) -> bool:
    """Whether ``--skip-invalid`` (deciding the rows without problems) is refused all the same:
    for a problem of a whole file (``whole_file_problems``), and when all ``total`` teacher rows
    have problems (``invalid``): an empty result is no success."""
    return bool(whole_file_problems(problems)) or bool(total and invalid >= total)


# ---- files ---------------------------------------------------------------------------

Table = tuple[list[str], list[Sequence[object]]]  # header as found, data rows


@attrs.frozen
class Shape:
    """What a file's own structure says of its rows (the columnar reader finds the same)."""

    width: int | None = None  # the header's cells, which every row must have (a CSV); None: any
    spans: Mapping[int, tuple[int, int, int | None]] = attrs.Factory(dict)
    # ^ a data row's position -> (its first line in the file, its lines, the first cell holding a line break)
    keep_blank: bool = True  # False: rows with every cell empty are not rows (CSV, XLSX)
    said: tuple[RosterProblem, ...] = ()  # warnings about the file as a whole (the sheet read)
    above: int = 0  # rows above the header (a title): the header is row ``above + 1``
    sheet: str | None = None  # the sheet read, of a workbook with several sheets of rows: its rows' problems name it
    groups: Mapping[int, str] = attrs.Factory(dict)  # a data row's position -> its text: a group's title (R041)


_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Latin Extended to Thaana: what GBK's Chinese becomes when its bytes happen to be UTF-8 (女 as Ů);
# not Arabic, in which names in Uyghur and Kazakh are written
_NOT_CHINESE = re.compile("[\u0100-\u05ff\u0700-\u07ff]")


def may_be_gbk_by_chance(text: str) -> bool:
    """Whether UTF-8 text has letters GBK bytes read as UTF-8 give (a cheap first look)."""
    return _NOT_CHINESE.search(text) is not None


def _gbk_by_chance(text: str, line: bytes) -> bool:
    """A line that is UTF-8 only by chance: GBK bytes reading as letters of other scripts and no
    Chinese (郑一 as ֣һ, 女 as Ů), which read as GB18030 are Chinese."""
    if not may_be_gbk_by_chance(text) or _CJK.search(text):
        return False
    try:
        chinese = line.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return _CJK.search(chinese) is not None and not may_be_gbk_by_chance(chinese)


def decode_line(line: bytes) -> tuple[str, bool]:
    """A line of a UTF-8 file that may hold lines in GB18030 (rows pasted from another export):
    its text, and whether it was read as GB18030. The one rule for both readers."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("gb18030"), True  # UnicodeDecodeError when it is neither
    if _gbk_by_chance(text, line):
        return line.decode("gb18030"), True
    return text, False


def utf8_lines(lines: Iterable[bytes]) -> bool:
    """Whether some line beyond ASCII is UTF-8, not by chance: the file is UTF-8 (perhaps with
    some lines in GB18030), not GB18030 throughout."""
    for line in lines:
        if not line.isascii():
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not _gbk_by_chance(text, line):
                return True
    return False


def mixed_encoding_warning(file: str, lines: Sequence[int]) -> RosterProblem:
    """A UTF-8 file with lines that are not UTF-8, read as GB18030 (R023, a warning)."""
    shown = ", ".join(f"{n:,}" for n in lines[:5]) + (f" and {len(lines) - 5:,} more" if len(lines) > 5 else "")
    shown_zh = "、".join(str(n) for n in lines[:5]) + (f" 行等 {len(lines)} 行" if len(lines) > 5 else " 行")
    return _file_problem(file, "R023", f"the file is UTF-8 but line{'s' if len(lines) > 1 else ''} {shown} "
                         f"{'are' if len(lines) > 1 else 'is'} not: read as GB18030 (GBK); check "
                         f"{'them' if len(lines) > 1 else 'it'}",
                         f"文件为 UTF-8 编码，但第 {shown_zh}不是：已按 GB18030（GBK）读取，请核对", warning=True)


def _mixed(data: bytes) -> tuple[str, list[int]] | None:
    """A UTF-8 file with some lines in GB18030: its text read line by line (``decode_line``) and
    the numbers of the GB18030 lines; None when no line is UTF-8 beyond ASCII (a GB18030 file)."""
    lines = list(io.BytesIO(data))  # lines end at \n alone, as the streamed reader reads them
    if not utf8_lines(lines):
        return None
    texts, other = [], []
    for number, line in enumerate(lines, 1):
        text, gb = decode_line(line)
        texts.append(text)
        if gb:
            other.append(number)
    return "".join(texts).removeprefix("\ufeff"), other


def _decode(data: bytes, encoding: str | None) -> str:
    return _decode_text(data, encoding)[0]


def _decode_text(data: bytes, encoding: str | None) -> tuple[str, list[int]]:
    """Text of a file: the given encoding, else UTF-16 by its BOM, UTF-8 (BOM or not), UTF-8
    with some lines in GB18030 (those lines' numbers are returned, to be said), GB18030 (a
    superset of GBK and GB2312, as Excel and WPS write on Chinese systems); any other, R009 (no guess)."""
    if encoding:
        return data.decode(encoding), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), []
    try:
        text = data.decode("utf-8-sig")
        if not may_be_gbk_by_chance(text):
            return text, []
    except UnicodeDecodeError:
        pass  # (a UTF-8 file whose letters may be GBK read by chance: line by line, as a mixed one)
    try:
        mixed = _mixed(data)
    except UnicodeDecodeError:
        mixed = None
    if mixed is not None:
        return mixed
    try:
        return data.decode("gb18030"), []
    except UnicodeDecodeError:
        pass
    # no guess (charset_normalizer's read three stray bytes of a UTF-8 file as cp1252, and every
    # id and name with them, without a word): refused, saying where the text stops being either
    raise UnreadableFile(*_undecodable(data))


def _undecodable(data: bytes) -> tuple[str, str]:
    """``_UNKNOWN_ENCODING``, naming the line and byte where the text is first no UTF-8."""
    try:
        data.decode("utf-8")
        return _UNKNOWN_ENCODING
    except UnicodeDecodeError as exc:
        at = exc.start
    line = data.count(b"\n", 0, at) + 1
    return (f"line {line} (byte {at + 1} of the file) is neither UTF-8 nor GB18030: {_UNKNOWN_ENCODING[0]}",
            f"第 {line} 行（文件第 {at + 1} 个字节）既不是 UTF-8 也不是 GB18030 编码：{_UNKNOWN_ENCODING[1]}")


def csv_records(text: str, delimiter: str) -> tuple[list[list[str]], dict[int, tuple[int, int, int | None]]]:
    """The records of a CSV text (the header first), and those running over several lines of
    the text: record index -> (first line, lines, index of the first cell holding a line
    break). ``BrokenCsv`` when a quote is never closed, or the csv module gives up (a cell
    longer than its limit), naming the record's row (the header is row 1)."""
    consumed = pulled = 0  # characters and lines of the text handed to the csv module

    def lines():
        nonlocal consumed, pulled
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            pulled += 1
            yield line

    rows: list[list[str]] = []
    spans: dict[int, tuple[int, int, int | None]] = {}
    start = last_start = 0  # where the next record, and the last one read, start in the text
    breaks = last_breaks = 0  # line breaks inside the cells read so far: each record but these is one line
    seen = 0  # lines pulled up to the last record
    # a cell may be as long as the file (as polars reads it): the csv module's default limit,
    # 131,072 characters, would refuse a long cell the columnar reader reads
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            inside = [cell.count("\n") for cell in row] if pulled - seen > 1 else ()
            seen = pulled
            last_breaks = breaks
            if any(inside):
                first = next(k for k, n in enumerate(inside) if n)
                spans[len(rows)] = (len(rows) + breaks + 1, sum(inside) + 1, first)
                breaks += sum(inside)
            rows.append(row)
            last_start, start = start, consumed
    except csv.Error as exc:
        line = len(rows) + breaks + 1
        raise BrokenCsv(len(rows) + 1, line, text_lines(text) - line + 1, text.count('"', start) % 2 == 1,
                        str(exc)) from None
    # a quote never closed: the csv module reads the rest of the text as the last record's cell
    if rows and text.count('"', last_start) % 2 == 1:
        line = len(rows) + last_breaks
        raise BrokenCsv(len(rows), line, text_lines(text) - line + 1, True)
    return rows, spans


def csv_delimiter(first_line: str) -> str:
    return max(",\t;", key=first_line.count)  # a tie (one column) is a comma


# the text tables read as CSV: comma-, tab- or semicolon-separated, the delimiter found by the header;
# .tsv is tab-separated by its name (a header of one column is then a tab's), .txt as Excel's
# "Unicode text" and "Text (tab delimited)" save a sheet
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_NAMED_DELIMITER = {".tsv": "\t"}


def named_delimiter(path: str | Path) -> str | None:
    """The delimiter a text table's name says (.tsv: a tab), or None: the header's."""
    return _NAMED_DELIMITER.get(Path(path).suffix.lower())


def csv_head(lines: Sequence[str], table: S.Table | None, delimiter: str | None = None
             ) -> tuple[str, list[list[str]], int, int]:
    """A CSV's delimiter, its first records, which of them is the header (``find_header``; 0
    when none is) and the line it begins on (0-based), from its first ``HEADER_ROWS`` lines (each
    with its line break but the last): the first line's delimiter, unless a title above the header
    hides it. A quoted cell may hold line breaks (性别\n（男/女）, as Excel saves a header cell of
    two lines), as in the file's records. ``delimiter``: the one the file's name says (.tsv), tried
    first. The one rule for both readers."""
    def records(delimiter: str) -> tuple[list[list[str]], list[int]]:
        reader = csv.reader(io.StringIO("\n".join(lines[:HEADER_ROWS]), newline=""), delimiter=delimiter)
        found, starts, start = [], [], 0
        try:
            for record in reader:
                found.append(record)
                starts.append(start)
                start = reader.line_num
        except csv.Error:  # a cell past the csv module's limit: no header; ``csv_records`` reads it
            pass
        return found, starts

    first = delimiter or csv_delimiter(lines[0] if lines else "")
    for tried in dict.fromkeys((first, ",", "\t", ";")) if table is not None else ():
        head, starts = records(tried)
        if (at := find_header(head, table)) is not None:
            return tried, head, at, starts[at]
    head = records(first)[0]
    if table is not None and any(_spaced(row, table) for row in head):
        raise UnreadableFile(*_SPACED)
    return first, head, 0, 0


_SPACED = ("its columns are separated by spaces, not by commas or tabs (a text file exported with spaces, or of fixed "
           "width): which cell is which column cannot be told. Save the sheet from Excel or WPS as “CSV UTF-8” or "
           "as “Text (tab delimited)”",
           "各列之间用空格分隔，而不是逗号或制表符（Tab）（按空格或固定宽度导出的文本文件），无法确定各单元格属于哪一列。"
           "请在 Excel 或 WPS 中把表格另存为“CSV UTF-8”或“文本文件（制表符分隔）”")


def _spaced(row: Sequence[str], table: S.Table) -> bool:
    """Whether a text table's line is a header whose columns are separated by spaces: one cell,
    holding the table's own columns' names between spaces (工号 姓名 性别 出生日期 …), as no
    header of this reader is (``_SPACED``)."""
    cells = [c for c in row if c.strip(TRIMMED)]
    return len(cells) == 1 and _holds(cells[0].split(), table)


def _read_csv(path: Path, encoding: str | None, table: S.Table | None = None
              ) -> tuple[list[str], list[Sequence[object]], Shape]:
    text, other = _decode_text(path.read_bytes(), encoding)
    if empty_csv(text):
        raise UnreadableFile(*EMPTY_CSV)
    delimiter, *_ = csv_head(text.split("\n", HEADER_ROWS)[:HEADER_ROWS], table, named_delimiter(path))
    rows, spans = csv_records(text, delimiter)
    at = find_header(rows, table) or 0 if table is not None else 0
    said = ((mixed_encoding_warning(str(path), other),) if other else ()) + header_row_notes(str(path), rows, at)
    said += text_marks_removed(str(path), rows[at], rows[at + 1:], at + 2)
    shape = Shape(len(rows[at]), {k - at - 1: span for k, span in spans.items() if k > at}, keep_blank=False,
                  said=said, above=at)
    return rows[at], rows[at + 1:], shape


TEXT_MARK = "'"  # Excel's mark of a cell stored as text ('0012), which some systems write into a CSV's cells


def without_text_mark(cell: str) -> str | None:
    """A CSV cell without the apostrophe it begins with (`'T0001`, `'1985-03-01`, `'0012`): Excel's
    mark of a cell stored as text, which it never shows nor counts as the value, written literally
    into the CSV by some exports. None for a cell without one, and for text in single quotes
    (`'已调出'`), which is kept as written."""
    text = cell.strip(TRIMMED)
    if not text.startswith(TEXT_MARK):
        return None
    rest = text[1:]
    return None if rest.endswith(TEXT_MARK) else rest


def text_marks_removed(file: str, header: Sequence[str], rows: list[list[str]], first_line: int
                       ) -> tuple[RosterProblem, ...]:
    """The data rows of a CSV (their first on ``first_line``) read without Excel's text marks
    (``without_text_mark``): each cell so marked loses its apostrophe, in place, so that an id,
    a date or a number reads as the sheet showed it, whatever the column; and each column with
    such cells is said once, with how many (R046, a warning). The one rule for both readers (the
    columnar reader's is ``columnar._without_text_marks``, by ``without_text_mark``)."""
    found: dict[int, list[int]] = {}
    for position, row in enumerate(rows):
        for k, cell in enumerate(row):
            if "'" in cell and (rest := without_text_mark(cell)) is not None:
                row[k] = rest
                found.setdefault(k, []).append(first_line + position)
    return tuple(text_mark_warning(file, header_name(header[k]) if k < len(header) and header_name(header[k])
                                   else _letters(k + 1), lines) for k, lines in sorted(found.items()))


def _first_rows(lines: Sequence[int], count: int) -> tuple[Sequence[int], str, str]:
    """The first rows of ``count`` a column-wide note names, and them in each language (2, 3, … / 2、3 行等)."""
    shown = lines[:Unheaded.SHOWN]
    more = count > len(shown)
    return (shown, ", ".join(map(str, shown)) + (", …" if more else ""),
            "、".join(map(str, shown)) + (" 行等" if more else " 行"))


def text_mark_warning(file: str, column: str, lines: Sequence[int], count: int | None = None) -> RosterProblem:
    """R046: a CSV column whose cells began with Excel's text mark, read without it: ``count`` of
    them (all ``lines`` when not given), the first on ``lines``."""
    n = len(lines) if count is None else count
    shown, rows_en, rows_zh = _first_rows(lines, n)
    said = RosterProblem(
        file, None, column, None, "R046",
        f"column `{column}`: {n} cell{'s' if n != 1 else ''} begin{'' if n != 1 else 's'} with an apostrophe "
        f"(row{'s' if n != 1 else ''} {rows_en}), Excel's mark of a cell stored as text, which the export wrote into the CSV: read without it "
        "(`'0012` as 0012, `'1985-03-01` as 1985-03-01)",
        f"列“{column}”有 {n} 个单元格以撇号（'）开头（第 {rows_zh}）：这是 Excel“以文本形式存储”的标记，导出时被写进了 CSV；"
        "已去掉撇号读取（'0012 读作 0012，'1985-03-01 读作 1985-03-01）",
        warning=True, rows=tuple(shown), count=n)
    return said


class SheetNumber(float):
    """A spreadsheet cell's number that is no whole number, as the XLSX reader gives it: a number
    everywhere, but a date column reads it as the text the sheet shows (1985.03, a year and month
    typed into a General cell), as the CSV that Excel or WPS exports of the same sheet does."""

    __slots__ = ()


@attrs.frozen
class Uncomputed:
    """A formula cell whose value the workbook does not hold (saved by a program that does not
    calculate): read as empty it would be "no" or missing, so it is a problem of its row (R019)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def formula_problem(file: str, line: int, column: str, cell: Uncomputed) -> RosterProblem:
    return RosterProblem(file, line, column, cell.formula, "R019",
                         f"`{cell.formula}` is a formula whose value the file does not hold; open and save the "
                         "workbook in Excel or WPS (which calculate it), or paste the values",
                         f"“{cell.formula}”是公式，文件中没有它的计算结果；请用 Excel 或 WPS 打开并保存（会计算公式），"
                         "或粘贴为数值")


def uncomputed_kept_warning(file: str, column: str, lines: Sequence[int]) -> RosterProblem:
    """R045: a column no rule reads, carried into the decisions (``--keep``), with formula cells whose
    result the workbook does not hold (written by a program, never calculated): the decisions have
    them empty, never the formula's text as if it were the value; said once for the column, with
    how many and the fix. (A column a field reads refuses such a row instead, R019: a decision may
    rest on it.)"""
    n = len(lines)
    shown, rows_en, rows_zh = _first_rows(lines, n)
    said = RosterProblem(
        file, None, column, None, "R045",
        f"column `{column}`, carried into the decisions, has {n} formula cell{'s' if n != 1 else ''} whose result the "
        f"file does not hold (row{'s' if n != 1 else ''} {rows_en}; a workbook written by a program, never calculated): "
        "the decisions leave "
        f"{'them' if n != 1 else 'it'} empty, not the formula's text. Open the roster in Excel or WPS and save it "
        "(which calculates the formulas), then run again",
        f"带出的列“{column}”有 {n} 个公式单元格没有保存计算结果（第 {rows_zh}；名册由程序生成，未经 Excel 或 WPS 计算），"
        "结论文件中这些单元格留空，不写公式本身；请用 Excel 或 WPS 打开名册并保存（会计算公式）后再运行",
        warning=True, rows=tuple(shown), count=n)
    return said


def sheet_shown(title: str, lang: str) -> str:
    """A sheet's title as a message quotes it, saying when the workbook hides it (``xlsx.SheetTitle``)."""
    hidden = getattr(title, "hidden", False)
    if lang == "zh":
        return f"“{title}”（隐藏的工作表）" if hidden else f"“{title}”"
    return f"`{title}` (a hidden sheet)" if hidden else f"`{title}`"


class SeveralSheets(ValueError):
    """A workbook with the table on several sheets: which one holds the roster is not known."""

    def __init__(self, table: str, sheets: Sequence[str]):
        super().__init__(", ".join(sheets))
        self.table, self.sheets = table, list(sheets)

    def problem(self, file: str) -> RosterProblem:
        what_en, what_zh = ("teachers", "教师") if self.table == "teacher" else ("schools", "学校")
        en = ", ".join(sheet_shown(s, "en") for s in self.sheets)
        zh = "、".join(sheet_shown(s, "zh") for s in self.sheets)
        return RosterProblem(file, None, None, None, "R009",
                             f"cannot read the file: sheets {en} each hold a {what_en} table; which one is the roster "
                             "is not known. If each holds part of the roster (a sheet per school), copy their rows "
                             "under one header on one sheet; if one is an old copy, delete it",
                             f"无法读取文件：工作表{zh}都含有{what_zh}表，无法确定哪一张是名册。如果各表是名册的一部分"
                             "（一校一表），请把各表的行复制到同一张工作表的同一表头下；如果其中有旧表或副本，请删除该表")


class WorkbookTooLarge(ValueError):
    """A workbook whose parts unpack too large to read (``xlsx.check_unpacked_size``)."""

    def __init__(self, unpacked: int, packed: int):
        super().__init__(f"{unpacked} bytes unpacked from {packed}")
        self.unpacked, self.packed = unpacked, packed

    def problem(self, file: str) -> RosterProblem:
        from policylang.io.xlsx import MAX_RATIO, MAX_UNPACKED, RATIO_FROM

        mb, packed_mb = self.unpacked / 1e6, self.packed / 1e6
        limit_en = (f"more than {MAX_UNPACKED >> 30} GiB" if self.unpacked > MAX_UNPACKED else
                    f"more than {RATIO_FROM >> 20} MB at over {MAX_RATIO} times the file's size")
        limit_zh = (f"超过 {MAX_UNPACKED >> 30} GiB" if self.unpacked > MAX_UNPACKED else
                    f"超过 {RATIO_FROM >> 20} MB 且超过文件大小的 {MAX_RATIO} 倍")
        return RosterProblem(
            file, None, None, None, "R009",
            f"cannot read the file: the workbook ({packed_mb:,.1f} MB) unpacks to {mb:,.0f} MB, {limit_en}; no "
            "roster is that large (a damaged or crafted file?). Save the roster again in Excel or WPS, or as CSV",
            f"无法读取文件：该工作簿（{packed_mb:,.1f} MB）解压后为 {mb:,.0f} MB，{limit_zh}；名册不会这么大"
            "（文件损坏或被构造？）。请用 Excel 或 WPS 重新保存，或另存为 CSV")


HEADER_ROWS = 10  # the header is looked for in a sheet's (a CSV's) first rows: a title, a date, notes above it


def find_header(rows: Sequence[Sequence[object]], table: S.Table) -> int | None:
    """Which of the first ``HEADER_ROWS`` rows is ``table``'s header (0-based): the first that
    gives every required column (``map_header``), else the first naming the table's own columns
    (``_holds``: its required columns are then said missing); None when no row is a header.
    The one rule for both readers, CSV and XLSX."""
    holding = [i for i, row in enumerate(rows[:HEADER_ROWS]) if _holds(row, table)]
    complete = (i for i in holding if not any(p.code == "R001" for p in map_header("", table, rows[i]).problems))
    return next(complete, holding[0] if holding else None)


def header_row_notes(file: str, rows: Sequence[Sequence[object]], at: int) -> tuple[RosterProblem, ...]:
    """The header found below the first row (R024, a warning): the rows above it are not read."""
    if not at:
        return ()
    title = next((t for row in rows[:at] for cell in row if (t := _text(cell))), "")
    title = title if len(title) <= 40 else title[:39] + "…"
    rows_en = "row 1 above it is" if at == 1 else f"rows 1–{at} above it are"
    rows_zh = "第1行" if at == 1 else f"第1–{at}行"
    return (_file_problem(file, "R024", f"the header is row {at + 1}: {rows_en} not read"
                          + (f" (`{title}`)" if title else ""),
                          f"表头在第{at + 1}行：其上的{rows_zh}" + (f"（“{title}”）" if title else "") + "不作为名册读取",
                          warning=True),)


_TEACHERS_OWN = frozenset({"sex", "birth_date", "school_start", "work_start"})  # required of a teacher, not a school


def _holds(header: Sequence[object], table: S.Table) -> bool:
    """Whether a sheet's header row is that of ``table``: a teachers sheet names the teacher's
    id and school, a schools sheet the school and no teacher id."""
    names = {f.name for h in header if (f := table.header_field(header_name(h))) is not None}
    if table.name == "teacher":  # (its school under a county's own header, 现任学校: R001 then names it)
        return "id" in names and ("school_id" in names or len(names & _TEACHERS_OWN) >= 2)
    teacher_id = S.TEACHERS.header_field
    return "school_id" in names and not any(
        (f := teacher_id(header_name(h))) is not None and f.name == "id" for h in header)


def _read_xlsx(path: Path, encoding: str | None, table: S.Table | None = None
               ) -> tuple[list[str], list[Sequence[object]], Shape]:
    """The rows below the header of the sheet holding ``table`` (``choose_sheet``)."""
    from policylang.io.xlsx import sheets as read_sheets

    sheets = read_sheets(path)
    chosen = choose_sheet(str(path), sheets, table)
    if chosen is None:
        raise UnreadableFile(*_EMPTY_WORKBOOK)
    rows, at, said, sheet = chosen
    group_rows = next((getattr(t, "group_rows", ()) for t, r in sheets if r is rows), ())
    header = [_text(h) for h in rows[at]]
    if table is not None and at + 1 < len(rows) and (joined := _second_header(header, rows[at + 1], table)):
        combined, named = joined  # a header over two rows, its cells merged down: read as one
        said += (_file_problem(
            str(path), "R024", f"the header takes rows {at + 1}–{at + 2} (cells merged down): the columns under "
            f"{', '.join(f'`{h}`' for h in dict.fromkeys(header[i] for i in named))} are read by the names in row "
            f"{at + 2} ({', '.join(f'`{combined[i]}`' for i in named)})",
            f"表头占第{at + 1}–{at + 2}行（单元格上下合并）：" + "、".join(f"“{h}”" for h in dict.fromkeys(header[i] for i in named))
            + f"下的各列按第{at + 2}行的列名（" + "、".join(f"“{combined[i]}”" for i in named) + "）读取",
            warning=True),)
        return combined, _sheet_numbers(combined, rows[at + 2:], table), Shape(
            keep_blank=False, said=said, above=at + 1, sheet=sheet, groups=_groups(rows, group_rows, at + 3))
    return header, _sheet_numbers(header, rows[at + 1:], table), Shape(
        keep_blank=False, said=said, above=at, sheet=sheet, groups=_groups(rows, group_rows, at + 2))


def _groups(rows: list[list[object]], group_rows: Sequence[int], first: int) -> dict[int, str]:
    """The data rows (by position, the first data row being sheet row ``first``) that are a
    group's title merged across the row (``xlsx.SheetTitle.group_rows``), with their text."""
    return {g - first: next(t for c in rows[g - 1] if (t := _text(c))) for g in group_rows if g >= first}


def group_title_warning(file: str, line: int, text: str) -> RosterProblem:
    """R041: a row that is one text merged across the row, between the data: a group's title
    (第二中学教师), not a person: not read, and said once (its cells were 30 problems)."""
    return RosterProblem(file, line, None, text, "R041",
                         f"a title merged across the row (`{text}`), not a person or a school: not read",
                         f"“{text}”一行是跨列合并的标题（分组名），不是教师或学校记录，未读取", warning=True)


def _sheet_numbers(header: list[str], rows: list[list[object]], table: S.Table | None) -> list[list[object]]:
    """The rows, each number cell of a date column that is no whole number marked as the sheet's
    (``SheetNumber``: read as the sheet shows it, 1985.03)."""
    dates = [i for i, h in enumerate(header) if table is not None
             and (f := table.header_field(header_name(h))) is not None and isinstance(f.type, T.DateType)]
    for row in rows if dates else ():
        for i in dates:
            if i < len(row) and type(value := row[i]) is float and not value.is_integer():
                row[i] = SheetNumber(value)
    return rows


def _second_header(header: list[str], below: Sequence[object], table: S.Table) -> tuple[list[str], list[int]] | None:
    """A header over two rows (a group's name above the columns it spans, 任教经历 over 农村任教年限
    …; the others merged down, so the row below repeats them): the header read as one, each
    column by the lower name where it names a column, and the columns so named. None unless
    every filled cell of the row below repeats the header's or names a column the header lacks."""
    texts = [_text(c) for c in below]
    named = [i for i, t in enumerate(texts) if t and i < len(header) and t != header[i]
             and table.header_field(header_name(t)) is not None and table.header_field(header_name(header[i])) is None]
    repeated = [i for i, t in enumerate(texts) if t and i < len(header) and t == header[i]]
    if not named or not repeated or len(named) + len(repeated) != sum(1 for t in texts if t):
        return None
    return [texts[i] if i in named else h for i, h in enumerate(header)], named


# the sheets of the roster template (present.roster_template), by language: teachers, schools, instructions
TEMPLATE_SHEETS = {"en": ("teachers", "schools", "instructions"), "zh": ("教师", "学校", "填表说明")}
TEMPLATE_NOTES_SHEETS = frozenset(names[2] for names in TEMPLATE_SHEETS.values())


def choose_sheet(file: str, sheets: Iterable[tuple[str, list[Sequence[object]]]], table: S.Table | None
                 ) -> tuple[list[Sequence[object]], int, tuple[RosterProblem, ...], str | None] | None:
    """Of a workbook's sheets (title, rows), the rows of the one holding ``table`` (a header in
    its first rows: ``find_header``), the header's index, what is said of the choice and, of a
    workbook of several sheets with rows, the sheet's title (a row number alone would not say
    which sheet's row); when none holds it, the first sheet with rows, its header the first
    row; None when no sheet has rows. ``SeveralSheets`` when several hold it. In a workbook of
    several sheets with rows, the sheet read is said (R020); a header below the first row too
    (R024)."""
    with_rows = []  # (title, rows) of the sheets with any row
    for title, rows in sheets:
        while rows and _blank(rows[-1]):
            rows.pop()
        if rows:
            with_rows.append((title, rows))
    if not with_rows:
        return None
    holding = [s for s in with_rows if table is not None and find_header(s[1], table) is not None]
    if len(holding) > 1:
        raise SeveralSheets(table.name, [title for title, _ in holding])
    title, rows = (holding or with_rows)[0]
    at = find_header(rows, table) if holding else 0
    said = ()
    # the sheets a workbook is known to hold beside this table: the other table's, and the
    # instructions of the roster template (policylang template): no word of them
    other = (S.SCHOOLS if table.name == "teacher" else S.TEACHERS) if table is not None else None
    others = [(t, sum(not _blank(row) for row in r)) for t, r in with_rows
              if t != title and t not in TEMPLATE_NOTES_SHEETS and not (other is not None and find_header(r, other) is not None)]
    if others:  # each with its rows, not read: a teacher on a sheet without a header is no teacher decided
        what_en, what_zh = ("teachers", "教师") if table is None or table.name == "teacher" else ("schools", "学校")
        one = len(others) == 1
        said = (_file_problem(
            file, "R020", f"the workbook has {len(with_rows)} sheets with rows: read {sheet_shown(title, 'en')}; "
            + ", ".join(f"{sheet_shown(t, 'en')} ({n} row{'s' if n != 1 else ''})" for t, n in others)
            + f" {'has' if one else 'have'} no header of the {what_en} table and {'is' if one else 'are'} not read: "
            f"any {what_en} there belong in {sheet_shown(title, 'en')}",
            f"工作簿有 {len(with_rows)} 张含数据的工作表：读取了{sheet_shown(title, 'zh')}；"
            + "、".join(f"{sheet_shown(t, 'zh')}（{n} 行）" for t, n in others)
            + f"没有{what_zh}表头，未读取：其中如有{what_zh}，请移到{sheet_shown(title, 'zh')}", warning=True),)
    return (rows, at, said + header_row_notes(file, rows, at) + _hidden_rows_note(file, title, rows, at)
            + _struck_rows_note(file, title, rows, at)
            + _merged_down_notes(file, title, rows, at, table), title if len(with_rows) > 1 else None)


def _per_person(field: S.Field) -> bool:
    """A field whose value is each person's own (a date, a yes/no, a number, sex, an id): a
    merged cell giving one value to several rows there is more likely a slip than meant."""
    return field.name in ("id", "id_number", "sex") or isinstance(field.type, (T.DateType, T.BoolType, T.NumberType))


def _merged_down_notes(file: str, title: str, rows: list[Sequence[object]], at: int, table: S.Table | None
                       ) -> tuple[RosterProblem, ...]:
    """R040: a column of each person's own value (``_per_person``) with cells merged down over the
    rows of several people (``xlsx.SheetTitle.merged_down``): each row is read as holding the
    merged cell's value, which the sheet shows once (an HR trial's 孕期 是 merged over a man and a
    woman exempted both). One warning a column, naming its first ranges."""
    if table is None or not getattr(title, "merged_down", ()):
        return ()
    header = rows[at]
    ranges: dict[int, list[tuple[int, int]]] = {}
    for top, left, bottom, right in title.merged_down:
        if top <= at + 1:  # a merged header cell
            continue
        for c in range(left - 1, min(right, len(header))):
            field = table.header_field(header_name(header[c]))
            if field is not None and _per_person(field):
                ranges.setdefault(c, []).append((top, bottom))
    out = []
    for c, spans in ranges.items():
        name, shown = header_name(header[c]), spans[:_HIDDEN_LISTED]
        cells = ", ".join(f"{_letters(c + 1)}{top}:{_letters(c + 1)}{bottom}" for top, bottom in shown)
        more_en = f" and {len(spans) - len(shown)} more" if len(spans) > len(shown) else ""
        more_zh = f"等 {len(spans)} 处" if len(spans) > len(shown) else ""
        out.append(_file_problem(
            file, "R040", f"column `{name}` has cells merged down over several people's rows ({cells}{more_en}): each "
            "row is read as holding the merged cell's value; if that is not each person's own, unmerge the cells and "
            "fill in each row", f"列“{name}”有跨多人的合并单元格（{cells}{more_zh}）：合并单元格的值被读作其覆盖的每一行"
            "各自的值；如不是每人各自的情况，请取消合并后逐行填写", name, warning=True))
    return tuple(out)


_HIDDEN_LISTED = 10  # hidden rows a note names


def _hidden_rows_note(file: str, title: str, rows: list[Sequence[object]], at: int) -> tuple[RosterProblem, ...]:
    """R028: the sheet's hidden rows below the header that hold data (``xlsx.SheetTitle``):
    hidden by hand or by a filter left on, they are out of the clerk's sight but read and
    decided like every other row."""
    hidden = [r for r in getattr(title, "hidden_rows", ()) if at + 1 < r <= len(rows) and not _blank(rows[r - 1])]
    if not hidden:
        return ()
    shown = hidden[:_HIDDEN_LISTED]
    more_en = f" and {len(hidden) - len(shown)} more" if len(hidden) > len(shown) else ""
    several = len(hidden) > 1
    rows_are, they = ("rows {} are".format, "they were") if several else ("row {} is".format, "it was")
    more_zh = f"等 {len(hidden)} 行" if len(hidden) > len(shown) else "行"
    return (_file_problem(
        file, "R028", f"sheet {sheet_shown(title, 'en')}: {rows_are(', '.join(map(str, shown)) + more_en)} hidden "
        f"(perhaps by a filter left on); {they} read and taken like the others. If only some people are to be "
        "decided, delete the other rows",
        f"工作表{sheet_shown(title, 'zh')}的第 {'、'.join(map(str, shown))} {more_zh}被隐藏（可能是筛选未取消），"
        f"{'这些行' if several else '该行'}也已读取，与其他行一样处理；如只应处理部分人员，请删除其他行", warning=True),)


def _struck_rows_note(file: str, title: str, rows: list[Sequence[object]], at: int) -> tuple[RosterProblem, ...]:
    """R047: the sheet's rows below the header that hold data in a cell struck through
    (``xlsx.SheetTitle.struck_rows``), as clerks mark a person deleted from the list: such a row is
    read and decided like the others, which a strike-through does not say; so it is said."""
    struck = [r for r in getattr(title, "struck_rows", ()) if at + 1 < r <= len(rows) and not _blank(rows[r - 1])]
    if not struck:
        return ()
    shown = struck[:_HIDDEN_LISTED]
    more_en = f" and {len(struck) - len(shown)} more" if len(struck) > len(shown) else ""
    more_zh = f"等 {len(struck)} 行" if len(struck) > len(shown) else "行"
    several = len(struck) > 1
    rows_have = ("rows {} have".format if several else "row {} has".format)(", ".join(map(str, shown)) + more_en)
    said = _file_problem(
        file, "R047", f"sheet {sheet_shown(title, 'en')}: {rows_have} cells struck through (a mark clerks use for "
        f"a person deleted from the list); {'they are' if several else 'it is'} read and decided like the others. If "
        "someone there is not to be decided, delete their row",
        f"工作表{sheet_shown(title, 'zh')}的第 {'、'.join(map(str, shown))} {more_zh}有带删除线的单元格（常用来标记已删除的人员），"
        f"{'这些行' if several else '该行'}照常读取并作出决定；如其中有不应参加的人员，请删除其行", warning=True)
    return (attrs.evolve(said, rows=tuple(shown), count=len(struck)),)


def _read_parquet(path: Path, encoding: str | None) -> Table:
    import polars as pl

    scalar_columns_or_raise(pl.read_parquet_schema(path))
    frame = outside_calendar_as_text(pl.read_parquet(path))
    return frame.columns, list(frame.iter_rows())


# the calendar's days (years 1 to 9999) counted from 1970-01-01, as a typed date column holds them
_CALENDAR_DAYS = ((dt.date.min - dt.date(1970, 1, 1)).days, (dt.date.max - dt.date(1970, 1, 1)).days)
_PER_DAY = {"ns": 86_400 * 10**9, "us": 86_400 * 10**6, "ms": 86_400 * 10**3}


def outside_calendar_as_text(frame):
    """A table's date and time columns (Parquet's, an API caller's) holding a day outside years
    1 to 9999 as text, that cell `day 2147483647 from 1970-01-01`: a value no date reader reads
    (R002, naming its row and column), where polars panics rendering it and Python has no such
    date. Columns whose every day is in the calendar are left typed. A polars frame or lazy frame."""
    import polars as pl

    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    low, high = _CALENDAR_DAYS
    days, bounds = {}, {}
    for name, dtype in schema.items():
        if dtype == pl.Date:
            days[name], bounds[name] = pl.col(name).to_physical(), (low, high)
        elif isinstance(dtype, pl.Datetime):
            days[name] = pl.col(name).to_physical() // _PER_DAY[dtype.time_unit]
            # a day from the edge in UTC may be past it in the column's time zone
            bounds[name] = (low + 1, high - 1) if dtype.time_zone else (low, high)
    if not days:
        return frame
    outside = frame.select(((d < bounds[n][0]) | (d > bounds[n][1])).any().alias(n) for n, d in days.items())
    outside = (outside.collect() if isinstance(outside, pl.LazyFrame) else outside).row(0, named=True)
    shown = []
    for name, d in days.items():
        if not outside[name]:
            continue
        inside = d.is_between(*bounds[name])
        calendar = pl.when(inside).then(pl.col(name)).otherwise(None)  # rendered only once those are null
        calendar = (calendar if schema[name] == pl.Date else calendar.dt.date()).cast(pl.Utf8)
        shown.append(pl.when(inside).then(calendar).otherwise(pl.format("day {} from 1970-01-01", d)).alias(name))
    return frame.with_columns(shown) if shown else frame


def records_header(records: Iterable[Mapping]) -> list[str]:
    """The header of records as a table: every key, in order of first appearance."""
    return list(dict.fromkeys(chain.from_iterable(records)))  # in C: a batch of 1,000 records is 37,000 keys


class _Lacking:
    """The cell of a key a record does not give where other records do: not an empty value
    (``null``), which a yes/no field reads as no. A serializer leaving out false or null
    values (Jackson's NON_DEFAULT) would otherwise have them read as no unseen."""

    __slots__ = ()

    def __str__(self) -> str:
        return ""


LACKING = _Lacking()


def _records_table(records: Iterable[Mapping]) -> Table:
    """Objects as a table: the header is ``records_header``'s; a key a record lacks is ``LACKING``."""
    records = list(records)
    header = records_header(records)
    return header, [[record.get(h, LACKING) for h in header] for record in records]


def _no_json_constant(name: str):
    """NaN and Infinity are no JSON, and a NaN would read as an empty cell."""
    raise UnreadableFile(f"`{name}` is no JSON value (write null for an empty value)",
                         f"“{name}”不是 JSON 的值（空值请写 null）")


def keys_once(pairs: list[tuple[str, object]]) -> dict:
    """An object whose keys are distinct: a key given twice would keep its last value unseen."""
    record = dict(pairs)
    if len(record) != len(pairs):
        twice = next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
        raise UnreadableFile(f"an object gives `{twice}` twice", f"某个对象两次给出“{twice}”")
    return record


def _read_json(path: Path, encoding: str | None) -> Table:
    try:
        text = _decode(path.read_bytes(), encoding)
        data = json.loads(text, parse_constant=_no_json_constant, parse_int=_json_integer, object_pairs_hook=keys_once)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"it is not JSON ({exc.msg}, line {exc.lineno}, column {exc.colno})",
                             f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列有误）") from None
    except RecursionError:  # [[[[…: no roster nests; said as such, not as Python's recursion
        raise UnreadableFile("it nests lists or objects too deeply to be a roster (a roster is a list of objects)",
                             "列表或对象嵌套过深，不是名册（名册应为对象的列表）") from None
    if (lone := lone_surrogate(text, data)) is not None:
        raise UnreadableFile(f"it is not JSON text: `{lone}` is half of a UTF-16 pair, no character",
                             f"含有无效的转义 `{lone}`（不成对的 UTF-16 代理码，不代表任何字符）")
    if isinstance(data, dict):  # {"teachers": [...]}: the one list inside
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise UnreadableFile("expected a list of objects, one a person ([{\"id\": …}, …])",
                             "应为对象的列表，每人一个（[{\"工号\": …}, …]）")
    return _records_table(data)


def _json_integer(text: str) -> int:
    """A JSON whole number; one longer than Python converts (4,300 digits) is said, not Python's words."""
    try:
        return int(text)
    except ValueError:
        raise UnreadableFile(f"a number of {len(text):,} digits: no roster value has so many",
                             f"有一个 {len(text):,} 位的数字：名册中没有这样的取值") from None


def _records(read: Callable[[Path, str | None], Table]):
    """A reader of a format whose every record is a row."""
    return lambda path, encoding: (*read(path, encoding), Shape())


_READERS: dict[str, Callable[[Path, str | None], tuple[list[str], list[Sequence[object]], Shape]]] = {
    ".csv": _read_csv,
    ".tsv": _read_csv,
    ".txt": _read_csv,
    ".xlsx": _read_xlsx,
    ".xlsm": _read_xlsx,
    ".parquet": _records(_read_parquet),
    ".json": _records(_read_json),
}


def _read(path: Path, encoding: str | None, table: S.Table | None = None
          ) -> tuple[list[str], list[Sequence[object]], Shape]:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"unknown format `{path.suffix}` (use .csv, .tsv, .txt, .xlsx, .parquet or .json: Excel and "
                             "WPS save any workbook as .xlsx or “CSV UTF-8”)",
                             f"不支持“{path.suffix}”格式（请用 .csv、.tsv、.txt、.xlsx、.parquet 或 .json：Excel 和 WPS "
                             "可将工作簿另存为 .xlsx 或“CSV UTF-8”）")
    if reader in (_read_xlsx, _read_csv):  # formats with a header to find (and sheets to choose from)
        return reader(path, encoding, table)
    return reader(path, encoding)


def read_table(path: str | Path, encoding: str | None = None) -> Table:
    """The header and the data rows of a table file, as found."""
    header, rows, _ = _read(Path(path), encoding)
    return header, rows


def _first_line(path: Path) -> int:
    """Row number of the first record: spreadsheets count the header as row 1."""
    return 2 if path.suffix.lower() in (*CSV_SUFFIXES, ".xlsx", ".xlsm") else 1


# ---- validation ----------------------------------------------------------------------


@attrs.frozen
class LoadedTable:
    rows: list[RosterRow]
    problems: list[RosterProblem]  # file-level
    headers: dict[str, str]  # canonical field -> header as written
    warnings: list[RosterProblem] = attrs.Factory(list)  # the header's: unknown columns
    assumptions: tuple[S.Assumption, ...] = ()  # stated values standing in for absent columns
    sheet: str | None = None  # the sheet read, of a workbook with several sheets of rows (``Shape.sheet``)


@attrs.frozen
class HeaderMap:
    """What a header says: which column gives which field, which columns are unknown, and
    what the header lacks."""

    fields: dict[int, S.Field]  # column index -> field
    extras: dict[int, str]  # column index -> unknown header, kept under its own name
    written: dict[str, str]  # field -> header as written
    problems: list[RosterProblem]  # R001 required, R011 read by the policy, R010 doubled, R012 under strict
    warnings: list[RosterProblem]  # R013: values assumed for absent columns; R012: unknown headers
    assumptions: tuple[S.Assumption, ...]  # stated values standing in for absent columns the policy reads
    # a schools table read from the teachers' rows (a county's one-sheet roster: each teacher's row
    # carries the school's columns): one school per id, from rows that agree (``_one_row_per_school``)
    per_teacher: bool = False


def header_name(raw: object) -> str:
    """A header cell as a column is named in messages (a BOM trimmed with the rest: ``TRIMMED``)."""
    return _text(raw)


_HEADER_MAPS: dict[tuple, tuple[S.Table, HeaderMap]] = {}  # (file, table's id, header) -> the table, its map
_HEADER_MAPS_KEPT = 256


def map_header(file: str, table: S.Table, header: Sequence[object]) -> HeaderMap:
    """Which column gives which field (English or Chinese header, any case, or an alias),
    which are extra, and the problems of the header itself: a required column, or one the
    policy reads with no stated value for it, is missing. Kept for the next call with the same
    file, table and header (a service reads the same header with every request); a caller
    reads the map and never changes it."""
    try:
        key = (file, id(table), tuple(header))
        kept = _HEADER_MAPS.get(key)
    except TypeError:  # a header cell no dict can hold: mapped afresh
        return _mapped_header(file, table, header)
    if kept is not None and kept[0] is table:  # the entry holds its table: no other can have its id meanwhile
        return kept[1]
    mapped = _mapped_header(file, table, header)
    if len(_HEADER_MAPS) >= _HEADER_MAPS_KEPT:
        _HEADER_MAPS.clear()
    _HEADER_MAPS[key] = (table, mapped)
    return mapped


_HINTED = 200  # unknown headers given a did-you-mean (each is a fuzzy match): a real roster has 40 columns


def _keyed(file: str) -> bool:
    """Whether ``file`` is records with keys (a JSON file, the API's or the service's records),
    not a sheet whose columns have letters."""
    return file.startswith("<") or file.lower().endswith(".json")


def _a_sheet(file: str) -> bool:
    """Whether ``file`` is a table file (CSV, XLSX, Parquet), its columns a sheet's, not records
    whose keys a program sends (a JSON file, the API's or the service's lists, each key its own)."""
    return Path(file).suffix.lower() in (*CSV_SUFFIXES, ".xlsx", ".xlsm", ".parquet")


def _mapped_header(file: str, table: S.Table, header: Sequence[object]) -> HeaderMap:
    fields: dict[int, S.Field] = {}
    extras: dict[int, str] = {}
    unknown_names: set[str] = set()
    written: dict[str, str] = {}
    position: dict[str, int] = {}  # field -> its column's number (1 = A): a doubled one is said by where both are
    problems: list[RosterProblem] = []
    hints: list[RosterProblem] = []
    for i, raw in enumerate(header):
        name = header_name(raw)
        reading = table.header_reading(name)
        field = reading[0] if reading is not None else None
        if field is None:
            if name and name not in unknown_names:  # (a set: a header of 30,000 names is no quadratic work)
                extras[i] = name
                unknown_names.add(name)
        elif field.name in written and _keyed(file):  # records (JSON, the API's): keys, no lettered columns
            problems.append(_file_problem(
                file, "R010", f"keys `{written[field.name]}` and `{name}` both give `{field.name}`",
                f"键“{written[field.name]}”与“{name}”重复（都是{field.zh}）", name))
        elif field.name in written:
            first, second = position[field.name], i + 1
            problems.append(_file_problem(
                file, "R010", f"columns `{written[field.name]}` (column {_letters(first)}) and `{name}` (column "
                f"{_letters(second)}) both give `{field.name}`",
                f"列“{written[field.name]}”（第 {_letters(first)} 列）与“{name}”（第 {_letters(second)} 列）重复"
                f"（都是{field.zh}）", name))
        else:
            written[field.name], position[field.name] = name, i + 1
            fields[i] = field
            if reading[1] is not None and (unit := other_time_unit(field, reading[1])):
                problems.append(unit_problem(file, name, field, unit))
            elif reading[1] is not None and not hint_agrees(table, field, reading[1]):
                hints.append(hint_warning(file, name, field, reading[1]))
            if table.says_less(name):
                hints.append(says_less_warning(file, name, field))
    # the teachers' roster given for the schools, its rows carrying their school's columns: the
    # schools are read from the rows, once each (``_one_row_per_school``); a column both tables name
    # (`name`: the teacher's there) is the teachers', and so absent here, before what is missing is said
    per_teacher = table.name == "school" and len(_others_own(table, S.TEACHERS, extras.values())) >= 3
    for i, field in list(fields.items()) if per_teacher else ():
        if field.name != "school_id" and (f := S.TEACHERS.header_field(written[field.name])) is not None \
                and f.name != "school_id":
            del fields[i], written[field.name]
            extras[i] = header_name(header[i])
    for field in table.fields:
        if field.required and field.name not in written and not (field.name in FROM_ID_NUMBER and "id_number" in written):
            close = _close_header(field, extras.values())
            problems.append(_file_problem(
                file, "R001", f"required column `{field.name}` ({field.zh}) is missing"
                + (f"; is the roster's column `{close}` this one? Name it `{field.zh}`" if close else ""),
                f"缺少必需的列“{field.zh}”（{field.name}）"
                + (f"；名册中的“{close}”列是否就是此列？如是，请把表头改为“{field.zh}”" if close else ""),
                field.name, field=field))
    assumptions, notes = [], []
    for name, readers in table.reads:
        field = table.field(name)
        if field is None or field.required or name in written:
            continue
        stated = table.assumption(name)
        if stated is not None and (close := _close_header(field, extras.values())) is not None:
            problems.append(assumed_beside_look_alike_problem(file, field, stated, close, table.caller))
        elif stated is not None:
            assumptions.append(stated)
            notes.append(assumed_problem(file, field, stated, table.caller))
        elif not field.open_when_absent:  # (absent, it is empty: a decision it could change is uncertain)
            problems.append(missing_read_problem(file, field, readers, extras.values(), table.caller, table.name))
    notes += [unused_assumption_problem(file, table, a, written[a.field])
              for a in table.assumed if a.source == "user" and a.field in written]
    if (swapped := _other_tables_file(file, table, extras.values(), written)) is not None:
        return HeaderMap(fields, extras, written, [swapped], [], ())  # one word, not sixty of its symptoms
    if per_teacher:  # (the teachers' columns are said when the teachers are read)
        columns = [written[f.name] for f in table.fields if f.name in written]
        said = _file_problem(file, "R036", "the schools are read from the school columns of the teachers' rows "
                             f"({', '.join(columns)}): one school per school id, whose rows must agree",
                             f"学校信息取自教师名册各行中的学校列（{'、'.join(columns)}）：每个学校代码一所学校，"
                             "同一学校的各行须一致", warning=True)
        return HeaderMap(fields, extras, written, problems, hints + notes + [said], tuple(assumptions), True)
    free = [key for f in table.fields if f.name not in written for key in (f.name, f.zh) if key]
    schools_own = [] if table.name != "teacher" or table.strict else _others_own(table, S.SCHOOLS, extras.values())
    schools_own = schools_own if len(schools_own) >= 3 else []  # a one-sheet roster's school columns: said once
    unknown_names = [name for name in extras.values() if name not in table.carried and name not in schools_own
                     and name not in SERIAL_HEADERS]  # (a form's row numbers: in every county's roster, no misnamed column)
    hinted = [(name, did_you_mean(name, free) if k < _HINTED else None) for k, name in enumerate(unknown_names)]
    unknown = [unknown_header_problem(file, name, table.strict, close, table.caller) for name, close in hinted
               if close is not None]
    plain = [name for name, close in hinted if close is None]
    if len(plain) > UNKNOWN_SAID_ALONE and _a_sheet(file):  # a provincial export's 150 columns: one word of them
        unknown.append(unknown_headers_problem(file, plain, table.strict, table.caller))
    else:  # (a record's keys each their own: the service names the record giving each)
        unknown += [unknown_header_problem(file, name, table.strict, None, table.caller) for name in plain]
    if schools_own:
        unknown.append(_file_problem(
            file, "R012", f"columns {', '.join(f'`{n}`' for n in schools_own)} are the schools' columns: the teachers "
            "are read without them (the schools from the schools table given; give this file as that too to read "
            "them from its rows)",
            f"列{'、'.join(f'“{n}”' for n in schools_own)}是学校的列，读取教师时不读取（学校信息从所给的学校名册读取；"
            "教师与学校在同一张表中时，把此文件同时作为学校名册给出即可）", warning=True))
    return HeaderMap(fields, extras, written, problems + (unknown if table.strict else []),
                     hints + notes + ([] if table.strict else unknown), tuple(assumptions))


def _other_tables_file(file: str, table: S.Table, extras: Iterable[str], written: Mapping[str, str]
                       ) -> RosterProblem | None:
    """R034 for a file whose columns are the other table's (a teachers' roster given as the
    schools', or the reverse): three or more columns only the other table has, and none of those
    only this one has but its id (学校代码 is in both)."""
    other = S.SCHOOLS if table.name == "teacher" else S.TEACHERS
    theirs = _others_own(table, other, extras)
    mine = [n for n in written if n != table.fields[0].name and other.field(n) is None]
    if len(theirs) < 3 or mine:
        return None
    shown_en, shown_zh = ", ".join(theirs[:4]), "、".join(theirs[:4])
    # (how the two are given differs by caller: a command's arguments, a request's lists; the question does not)
    given, theirs_are = (("schools'", "teachers'"), ("学校名册", "教师名册")) if table.name == "school" else \
        (("teachers'", "schools'"), ("教师名册", "学校名册"))
    return _file_problem(file, "R034", f"`{file}` is given as the {given[0]} table, but its columns ({shown_en} …) are "
                         f"the {given[1]}: are the teachers' and the schools' tables swapped?",
                         f"“{file}”作为{theirs_are[0]}给出，但其中的列（{shown_zh}等）是{theirs_are[1]}的："
                         "是否把教师名册和学校名册弄反了？")


def _others_own(table: S.Table, other: S.Table, extras: Iterable[str]) -> list[str]:
    """The headers among ``extras`` (those ``table`` does not read) that name a column of ``other``
    (a teacher's 工号, 性别, 出生日期 in a schools table; a school's 区域, 学段, 学校名称 in a teachers'
    one: 学校名称 is the school's name, though a teacher has a name too)."""
    return [name for name in extras if other.header_field(name) is not None]


def _one_row_per_school(file: str, rows: list[RosterRow], written: Mapping[str, str],
                        fields: Iterable[S.Field]) -> list[RosterRow]:
    """A schools table read from the teachers' rows (``HeaderMap.per_teacher``): each school's first
    row, when its rows give it the same values; when some disagree (区域 城区 on one, 农村 on
    another), the first and each that disagrees with it, each naming the other and the column
    (R004): which is right is not known, and the school's teachers are not decided (R014). A row
    with a problem of its own (a bad cell) is kept with it and compared with none."""
    read = [f for f in fields if f.name in written]

    def difference(row: RosterRow, other: RosterRow) -> S.Field | None:
        return next((f for f in read if row.values.get(f.name) != other.values.get(f.name)), None)

    def said(row: RosterRow, other: RosterRow, field: S.Field) -> RosterRow:
        school, column = row.values.get("school_id"), written[field.name]
        here, there = ({lang: value_text(r.values.get(field.name), field.type, lang) for lang in ("en", "zh")}
                       for r in (row, other))
        problem = RosterProblem(file, row.line, column, here["en"], "R004",
                                f"school `{school}`: `{column}` is `{here['en']}` here and `{there['en']}` in row "
                                f"{other.line}: a school's columns must agree on every teacher's row",
                                f"学校“{school}”的“{column}”在本行为“{here['zh']}”，在第 {other.line} 行为“{there['zh']}”："
                                "同一学校各行的学校列须一致")
        return attrs.evolve(row, problems=row.problems + (problem,))

    by_id: dict[object, list[RosterRow]] = {}
    for row in rows:
        by_id.setdefault(row.values.get("school_id"), []).append(row)
    out: list[RosterRow] = []
    for school_id, group in by_id.items():
        # a row with a problem of its own is kept to say it (the school is then unusable, R014), and
        # compared with none: its unread cell is no disagreement
        out += group if school_id is None else [row for row in group if row.problems]
        sound = [row for row in group if not row.problems] if school_id is not None else []
        if not sound:
            continue
        first = sound[0]
        disagreeing = [(row, field) for row in sound[1:] if (field := difference(row, first))]
        if disagreeing:
            out.append(said(first, *disagreeing[0]))
            out += [said(row, first, field) for row, field in disagreeing]
        else:
            out.append(first)
    return [attrs.evolve(row, index=k) for k, row in enumerate(sorted(out, key=lambda row: row.line))]


# A header's hint in brackets (``Table.header_reading``) that says only what the column's own reading
# does, left out without a word: the values its cells take (男/女, 是/否), the forms of a date
# (yyyy-mm-dd, 年月日, an example date), the unit of a number (年 for years; a count's measure word,
# 所, 人), that the column must be filled, or another name of the column (专业技术职务（职称）).
_HINT_LEAD = re.compile(r"(格式|单位|例如|如|例|填写|填)[:：]?")  # what a hint may begin with: 格式：, 如：
_HINT_PARTS = re.compile(r"[/／、,，|｜或]")  # the values a hint lists: 是/否, 男、女, 是或否
_FILLING = frozenset({"必填", "必填项", "选填", "非必填", "可不填"})
_DATE_FORM = re.compile(r"(?=.*[yY年])(?=.*[mM月])[yYmMdD年月日/.．-]+")  # names a year and a month
_TIME_WORDS = "年月日天"  # a count's measure word is none of them: 任教学校数（年） counts no years


def _hint_text(hint: str) -> str:
    """A header's hint without its spaces and the word it may begin with (格式：, 单位：, 如)."""
    text = "".join(hint.split())
    return text[m.end():] if (m := _HINT_LEAD.match(text)) and m.end() < len(text) else text


def hint_agrees(table: S.Table, field: S.Field, hint: str) -> bool:
    """Whether a header's hint says only what ``field``'s reading does (above): else the column is
    read as the field all the same, and said (R032), lest a hint that says otherwise pass unseen:
    出生日期(年), 农村任教年限（月）."""
    text = _hint_text(hint)
    if not text or text in _FILLING or table.header_field(text) is field:
        return True
    kind = field.type
    if isinstance(kind, T.DateType):
        return _DATE_FORM.fullmatch(text) is not None or _reads(field, text)
    if isinstance(kind, (T.BoolType, T.EnumType)):
        parts = _HINT_PARTS.split(text)
        if len(parts) == 1 and not _reads(field, text):
            parts = list(text)  # 是否, 有无, 男女: a value a character
        return all(part and _reads(field, part) for part in parts)
    if isinstance(kind, T.NumberType) and kind.unit:
        return text == value_text(1, kind, "zh").removeprefix("1")  # the unit as a value of it is written: 年
    if isinstance(kind, T.NumberType):
        return len(text) <= 2 and all("\u4e00" <= c <= "\u9fff" and c not in _TIME_WORDS for c in text)
    return True  # text is taken as written: no hint changes what a cell reads as


# a header's note naming a unit of time, by the unit it names (年限（月）, 教龄(天), (months))
_TIME_UNITS = {"years": ("年", "年数", "周年", "years", "year", "yrs"),
               "months": ("月", "个月", "月数", "months", "month"), "days": ("天", "日", "天数", "日数", "days", "day")}


def other_time_unit(field: S.Field, hint: str) -> str | None:
    """The unit of time a header's note names when the column counts another (农村任教年限（月）:
    months, where the column counts years): its cells would be read in the wrong unit. None
    otherwise."""
    kind = field.type
    if not (isinstance(kind, T.NumberType) and kind.unit in _TIME_UNITS):
        return None
    text = _hint_text(hint).lower()
    return next((unit for unit, words in _TIME_UNITS.items() if unit != kind.unit and text in words), None)


def unit_problem(file: str, header: str, field: S.Field, unit: str) -> RosterProblem:
    """R039: a column whose header names another unit of time than the field counts."""
    zh = {"years": "年", "months": "月", "days": "天"}
    own = field.type.unit
    return _file_problem(
        file, "R039", f"column `{header}` says its numbers are {unit}, but {field.name} ({field.zh}) counts {own}: "
        f"read as {own}, every value would be wrong. Convert the numbers to {own} (18 months: 1.5 years) and take "
        "the note out of the header",
        f"列“{header}”注明单位为{zh[unit]}，而“{field.zh}”按{zh[own]}计，按{zh[own]}读取每个数都会错：请把数值换算为"
        f"{zh[own]}（如 18 个月写作 1.5 年）后，删去表头中的括注", header)


def _reads(field: S.Field, text: str) -> bool:
    try:
        return cell_value(field, text) is not None
    except (ValueError, TypeError, OverflowError):
        return False


def hint_warning(file: str, header: str, field: S.Field, hint: str) -> RosterProblem:
    """A column read as ``field`` without a hint that does not say what the field holds (R032,
    a warning): the user checks that the column is the field."""
    return _file_problem(
        file, "R032", f"column `{header}` is read as `{field.name}` ({field.zh}) without its note `{hint}`, which is "
        f"no value, form or unit of it: check that the column holds {field.name} ({field.type.describe('en')})",
        f"列“{header}”按“{field.zh}”读取，括注“{hint}”不是该列的取值、格式或单位，已忽略；"
        f"请核对该列填写的确实是{field.zh}（{field.type.describe('zh')}）", header, warning=True)


def says_less_warning(file: str, header: str, field: S.Field) -> RosterProblem:
    """A column read as ``field`` under an alias that says less than it (R038, a warning:
    ``schema.SAYS_LESS``): the user checks the cells the alias leaves open."""
    return _file_problem(
        file, "R038", f"column `{header}` is read as `{field.name}` ({field.zh}: on the establishment and at work): a "
        "teacher on the establishment but not at work (seconded, on long leave, in full-time study) must read 否 "
        "there; check the column",
        f"列“{header}”按“{field.zh}”读取：在编但不在岗（借调、长期病休、脱产进修等）的教师，此列应为“否”，请核对",
        header, warning=True)


def _letters(number: int) -> str:
    """A column's number as a spreadsheet names it (1: A, 27: AA), which is also how a CSV's
    columns are counted when opened in one."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# what a county's export calls the teacher's school when not 学校代码 (现任学校, 任教学校, 工作单位)
_SCHOOL_WORDS = ("学校", "单位")


def _close_header(field: S.Field, unknown: Iterable[str]) -> str | None:
    """An unknown header that may be the missing column: one spelt near its names, or, for the
    teacher's school, one naming a school (现任学校: its cells, codes or names, are then checked
    against the schools table: R005 says when they are the schools' names)."""
    unknown = list(unknown)
    # the first _HINTED headers only: 3,000 unknown ones are no 3,000 fuzzy matches for each missing column
    close = next((h for key in (field.zh, field.name, *field.aliases)
                  if (h := did_you_mean(key, unknown, at_most=_HINTED))), None)
    if close is None and field.name == "school_id":
        close = next((h for h in unknown if any(w in h for w in _SCHOOL_WORDS) and "名称" not in h), None)
    return close


def missing_read_problem(file: str, field: S.Field, readers: Sequence[str], unknown: Iterable[str],
                         caller: S.Caller, table: str = "teacher") -> RosterProblem:
    """A column the policy reads is not in the roster and nothing states its value (R011):
    deciding as if every cell were empty would be silently wrong. ``caller``: whose way of
    stating a value the message gives; ``table``: the roster table lacking it (a school's
    column is stated as ``学校.编制``)."""
    close = _close_header(field, unknown)
    ids, ids_zh = _readers(readers)
    example_en, example_zh = ("true|false", "是|否") if isinstance(field.type, T.BoolType) else \
        ("|".join(field.enum.codes), "|".join(field.enum.labels.values())) if field.enum is not None else ("…", "…")
    prefix_en, prefix_zh = ("school.", "学校.") if table == "school" else ("", "")
    en = (f"column `{field.name}` ({field.zh}) is missing; {ids} read{'s' if len(readers) == 1 else ''} it. "
          f"Add the column, or state its value: "
          f"{caller.example_en.format(name=prefix_en + field.name, value=example_en)} "
          f"or a `default` in the policy's `field` declaration")
    zh = (f"缺少列“{field.zh}”（{field.name}），{ids_zh}需要读取此列。请在名册中补充此列，或声明其取值："
          f"{caller.example_zh.format(name=prefix_zh + field.zh, value=example_zh)}，或由政策起草人在政策文件中为此列写明"
          "默认取值（field 声明的 default）")
    if isinstance(field.type, T.DateType):  # an event's date: no value is "nobody's", which is how it is stated
        en += (f"; an empty value ({caller.example_en.format(name=prefix_en + field.name, value='')}) states that "
               "nobody has such a date")
        zh += f"；取值为空（{caller.example_zh.format(name=prefix_zh + field.zh, value='')}）表示所有人都没有此日期"
    if close:
        en += f"; is the roster's column `{close}` this one?"
        zh += f"；名册中的“{close}”是否就是此列？"
    return _file_problem(file, "R011", en, zh, field.name, field=field)


def unknown_header_problem(file: str, header: str, strict: bool, close: str | None, caller: S.Caller
                           ) -> RosterProblem:
    """A header that is no column of the contract nor of the policy (R012): kept under its
    own name, read by nothing; a warning, an error under ``--strict`` (``caller``'s way to ask).
    ``close``: a column the roster lacks whose name is near (`pregnnt`, `pregnant`)."""
    keep = caller.keep.format(name=header) if close is None else ""  # (a misspelt column: the fix is its name)
    return _file_problem(file, "R012", f"column `{header}` is not a roster column: nothing reads it"
                         + (f", and the decisions carry it only when asked (`{keep}`)" if keep else "")
                         + (f"; did you mean `{close}`?" if close else "")
                         + (f" (an error under {caller.strict})" if strict else ""),
                         f"列“{header}”不是名册规定的列：不会被读取"
                         + (f"，结论文件中也不含此列（如需带出，请加 {keep}）" if keep else "")
                         + (f"；是否应为“{close}”？" if close else "") + (f"（{caller.strict} 下视为错误）" if strict else ""),
                         header, warning=not strict)


UNKNOWN_SAID_ALONE = 5  # the unknown columns of a sheet said one by one (R012); more are said in one problem
UNKNOWN_NAMED = 8  # the unknown columns that one problem names, then how many more


def unknown_headers_problem(file: str, headers: Sequence[str], strict: bool, caller: S.Caller) -> RosterProblem:
    """R012 for many headers that are no column of the contract nor of the policy and resemble
    none (a provincial export of 150 columns, of which the roster's are 30): one problem naming
    the first ``UNKNOWN_NAMED``, then how many (``count``), not a line for each."""
    shown = headers[:UNKNOWN_NAMED]
    more = len(headers) - len(shown)
    names_en = ", ".join(f"`{h}`" for h in shown) + (f" and {more} more" if more else "")
    names_zh = "、".join(f"“{h}”" for h in shown) + (f"等 {len(headers)} 列" if more else "")
    keep_en, keep_zh = caller.keep.format(name="NAME"), caller.keep.format(name="列名")
    said = _file_problem(file, "R012", f"{len(headers)} columns are no roster columns: nothing reads them ({names_en})"
                         + (f", and the decisions carry one only when asked (`{keep_en}`)" if caller.keep else "")
                         + (f" (an error under {caller.strict})" if strict else ""),
                         f"有 {len(headers)} 列不是名册规定的列，不会被读取：{names_zh}"
                         + (f"；结论文件中也不含这些列（如需带出某列，请加 {keep_zh}）" if caller.keep else "")
                         + (f"（{caller.strict} 下视为错误）" if strict else ""), warning=not strict)
    return attrs.evolve(said, count=len(headers))


def blank_reads_as(table: S.Table) -> list[S.Field]:
    """The fields the policy reads whose empty cell reads as a value, not as missing (yes/no as
    no, 职称 and 骨干级别 as none): a column of them empty in every row decides everyone on that
    value without a word (R027, ``blank_column_warning``)."""
    readers = dict(table.reads)
    return [f for f in table.fields if f.name in readers and not f.required
            and (isinstance(f.type, T.BoolType) or (f.enum is not None and f.enum.lookup("") is not None))]


def blank_column_warning(file: str, field: S.Field, column: str, table: str = "teacher") -> RosterProblem:
    """R027: ``field``'s column is empty in every row (``blank_reads_as``)."""
    empty = False if isinstance(field.type, T.BoolType) else field.enum.lookup("")
    en, zh = value_text(empty, field.type, "en"), value_text(empty, field.type, "zh")
    who_en, who_zh = ("every school", "所有学校") if table == "school" else ("everyone", "所有人")
    return _file_problem(file, "R027", f"column `{column}` is empty in every row: {who_en} reads as `{en}` (an empty "
                         f"{field.name} cell is {en}); fill it in if that is not so",
                         f"列“{column}”每一行都是空白：{who_zh}都按“{zh}”处理（{field.zh}空白即为“{zh}”）；"
                         "如不是这样，请填写该列", column, warning=True)


ROWS_NAMED = 10  # the rows of a few empty cells a warning names (R033), then how many more


def few_blanks(blanks: int, rows: int, usually_yes: bool = False) -> bool:
    """Whether ``blanks`` of a column's ``rows`` look missed, the others filled (R033): at most
    3, or a tenth of a large roster, and never half. A column left empty but for the few rows
    that hold something (孕期 是 for the pregnant) is the usual way, not this. Of a column nearly
    everyone reads 是 in (``usually_yes``: ``schema.USUALLY_YES``), any number but all: the HR
    trial's 任课 empty in 50 of 400 rows exempted 16 teachers as not teaching without a word."""
    if usually_yes:
        return 0 < blanks < rows
    return 0 < blanks <= max(3, rows // 10) and blanks * 2 < rows


def few_blanks_warning(file: str, field: S.Field, column: str, lines: Sequence[int], blanks: int,
                       table: str = "teacher") -> RosterProblem:
    """R033: a column ``blank_reads_as`` reads, filled in its rows but ``blanks`` (the first of
    them on ``lines``): each empty cell decides its row on the empty reading, as the contract
    says, and a clerk's missed cell would do so without a word."""
    empty = False if isinstance(field.type, T.BoolType) else field.enum.lookup("")
    en, zh = value_text(empty, field.type, "en"), value_text(empty, field.type, "zh")
    more = blanks > len(lines)
    rows_en = ", ".join(map(str, lines)) + (", …" if more else "")
    rows_zh = "、".join(map(str, lines)) + (" 等" if more else "")
    what = "school row" if table == "school" else "row"
    said = _file_problem(file, "R033", f"column `{column}` is empty in {blanks} {what}(s) (row {rows_en}), each read "
                         f"as `{en}`, and filled in the others: fill them in if they were missed",
                         f"列“{column}”有 {blanks} 行空白（第 {rows_zh} 行），按“{zh}”处理；该列其余各行都已填写，"
                         "如为漏填请补上", column, warning=True)
    return attrs.evolve(said, rows=tuple(lines), count=blanks)


def assumed_problem(file: str, field: S.Field, assumption: S.Assumption, caller: S.Caller) -> RosterProblem:
    """An absent column the policy reads, read as the value stated for it (R013): said with
    every run, so that nobody takes the decisions for ones made on the column. ``caller``:
    who stated a value the policy does not."""
    by_en = "the policy" if assumption.source == "policy" else caller.assume_en
    by_zh = "政策" if assumption.source == "policy" else _in_chinese(caller.assume_zh)
    shown_zh = value_text(assumption.value, field.type, "zh")
    return _file_problem(file, "R013", f"column `{field.name}` ({field.zh}) is absent; every row reads it as "
                         f"`{assumption.text()}`, as {by_en} states" + (f": {assumption.reason}" if assumption.reason else ""),
                         f"名册无“{field.zh}”列，每行按{by_zh}声明的取值“{shown_zh}”处理"
                         + (f"：{without_assumption_label(assumption.reason)}" if assumption.reason else ""),
                         field.name, warning=True, field=field)


def assumed_beside_look_alike_problem(file: str, field: S.Field, assumption: S.Assumption, close: str,
                                      caller: S.Caller) -> RosterProblem:
    """R035: a value stated for an absent column (R013) while the roster has a column that looks
    like it (在编 for 在编在岗): the stated value would decide every row and the roster's own values,
    maybe otherwise, would go unread. Refused: the column renamed is read, or removed is assumed."""
    by_en = "the policy" if assumption.source == "policy" else caller.assume_en
    by_zh = "政策" if assumption.source == "policy" else _in_chinese(caller.assume_zh)
    value_zh = value_text(assumption.value, field.type, "zh")
    return _file_problem(file, "R035", f"column `{field.name}` ({field.zh}) is absent and {by_en} states "
                         f"`{assumption.text()}` for it, but the roster has a column `{close}` that looks like it: its "
                         f"values would not be read. Name the column `{field.zh}` to read them, or remove it to decide "
                         f"every row on the stated value",
                         f"名册无“{field.zh}”列，{by_zh}声明按“{value_zh}”处理；但名册中有与之相近的“{close}”列，"
                         f"其中的取值将不被读取。如“{close}”就是此列，请把表头改为“{field.zh}”；如不是，请删除该列后再按声明的取值处理",
                         field.name, field=field)


def unused_assumption_problem(file: str, table: S.Table, assumption: S.Assumption, header: str) -> RosterProblem:
    """A value stated (``--assume``, ``Policy.assuming``, the request's ``assume``: the table's
    caller) for a column the roster has (R025): the roster's values decide, and the stated one
    is not used; said, lest the user take it for applied."""
    field = table.field(assumption.field)
    name, _, value = assumption.text().partition("=")  # a school's column as `school.staffing` already
    stated = table.caller.example_en.format(name=name, value=value)
    by_zh = table.caller.assume_zh + (" " if table.caller.assume_zh[-1:].isascii() else "")
    return _file_problem(file, "R025", f"{stated} is not used: the roster has the column `{header}`, and its values "
                         "decide",
                         f"名册已有“{header}”列，按名册中的取值作决定；{by_zh}声明的"
                         f"“{field.zh}={value_text(assumption.value, field.type, 'zh')}”未被采用", header, warning=True)


def _in_chinese(term: str) -> str:
    """A term as a Chinese sentence holds it: set off by a space where it starts or ends in Latin script."""
    return (" " if term[:1].isascii() else "") + term + (" " if term[-1:].isascii() else "")


def _blank(row: Sequence[object]) -> bool:
    return all(_text(cell) == "" for cell in row)


# a column numbering the rows (序号): a template numbers its rows down the sheet before anyone is
# entered, so a row filled in it alone is a blank row, no teacher with every cell missing
SERIAL_HEADERS = frozenset({"序号", "序", "行号", "No", "No.", "NO", "NO.", "no", "no."})


def serial_columns(header: Sequence[object], read: Iterable[int]) -> frozenset[int]:
    """The positions of ``header``'s row-number columns (``SERIAL_HEADERS``) that give no field (``read``)."""
    taken = set(read)
    return frozenset(k for k, h in enumerate(header) if k not in taken and header_name(h) in SERIAL_HEADERS)


# ---- the rows below a table that are no teacher or school: the rule, written once (the columnar
# reader applies it to a CSV's last lines, columnar._footer_lines)

# what begins the line an office form ends with: a totals row, the signatures, a note. A totals row
# may also be labelled by the count it gives (总人数, 总人数：31, 人数合计, 教师总数): what is counted,
# in a few characters, then 人数 or 总数, then nothing but a 合计, a colon or the figure (人数统计表
# is none). The signatures as county forms write them (the HR trial): 制表：, 审核：, 单位负责人：,
# 单位（盖章）, 联系电话：, 分管领导：; a count as a sentence (共10人, 以上共10人); 本页小计
_FOOTER = re.compile(r"(合\s*计|总\s*计|小\s*计|共\s*计|填\s*表\s*人|填报人|制表人|审核人|审批人|负责人|经办人|"
                     r"填表日期|制表日期|填报日期|填报单位|注\s*[：:0-9１-９、.．]|备\s*注\s*[：:]|说\s*明\s*[：:]|"
                     r"(制\s*表|审\s*核|审\s*批|签\s*字|日\s*期)\s*[：:]|单\s*位\s*(负责人|[（(]?\s*盖\s*章)|"
                     r"联\s*系\s*(电\s*话|人)|(分\s*管|主\s*管)\s*(领\s*导|校\s*长)|本\s*页\s*[小合]\s*计|"
                     r"(以\s*上\s*)?共\s*\d+\s*[人名]|"
                     r"[\u4e00-\u9fff]{0,6}?(总\s*人?\s*数|人\s*数)\s*([合总共]\s*计)?\s*([：:（(]|\d|$))")


def footer_rows(rows: Sequence[Sequence[object]], required: Iterable[int]) -> dict[int, str]:
    """The rows at the end of a table (blank rows aside) that are a form's footer, not a
    person or a school: its first filled cell begins as a totals row, a signature or a note
    does (合计, 填表人：, 注：), and every required cell that is filled does so too (审核人：李四
    beside 填表人：张三) or is a figure (the count of teachers in the 工号 column of 合计). A
    teacher whose id begins so has their other required cells filled in (性别 女), and is read.
    Each row's position, with the text that makes it one."""
    required = list(required)
    found: dict[int, str] = {}
    lines: dict[int, str] = {}  # lines of text below, kept once a footer row is found above them
    for position in range(len(rows) - 1, -1, -1):
        row = rows[position]
        texts = [_text(cell) for cell in row]
        filled = [t for t in texts if t]
        if not filled:
            continue
        first = texts.index(filled[0])
        if _FOOTER.match(texts[first]) and all(not texts[i] or _FOOTER.match(texts[i]) or _FIGURE.fullmatch(texts[i])
                                               for i in required if i < len(texts)):
            found[position] = texts[first]
            found.update(lines)
            lines = {}
        elif len(filled) == 1 and len(_HAN.findall(filled[0])) >= 2:
            # a line of text, no record: a note's next line (2.本表一式两份), or a sentence of its own
            lines[position] = filled[0]
        else:
            break
    found.update(lines)  # (below the last record: said, never read as a person, never dropped unsaid)
    return dict(sorted(found.items()))


# a subtotal among the data as Excel's and WPS's 分类汇总 label it, in the column grouped by
# (a subtotal after what it totals: S02 汇总, 体育 计数, 城关第一小学 小计)
_SUBTOTAL = re.compile(r"(.*\S\s*(汇总|计数|求和|平均值|最大值|最小值|小\s*计|合\s*计)|(合|总|小|共)\s*计\s*(数|值)?)")
_FIGURE = re.compile(r"[-+]?[\d,.]+\s*[%人名所个]?")  # (a count as a form writes it: 10人)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def summary_label(cells: Sequence[object], required: Iterable[int]) -> str | None:
    """The text that makes a row among the data a totals or subtotal row, not a person or a
    school: its first filled cell begins as a totals row or a note does (小计, 合计), or a cell
    is a total's or a subtotal's label (总计, S02 汇总, 体育 计数), and every required cell that is filled is such
    a text or a figure (the count or sum beside it). Only the wording of a refused row rests on
    it (R031): such a row is refused, never skipped, wherever it stands but at the end."""
    texts = [_text(cell) for cell in cells]
    first = next((t for t in texts if t), None)
    if first is None:
        return None
    label = first if _FOOTER.match(first) else next((t for t in texts if _SUBTOTAL.fullmatch(t)), None)
    if label is None:
        return None
    filled = [texts[i] for i in required if i < len(texts) and texts[i]]
    if any(not (_FOOTER.match(t) or _SUBTOTAL.fullmatch(t) or _FIGURE.fullmatch(t)) for t in filled):
        return None
    return label


def summary_problem(file: str, line: int, text: str) -> RosterProblem:
    """A totals or subtotal row between the data (R031): one problem for the row, in place of
    the empty required cells it would otherwise be refused for."""
    return RosterProblem(file, line, None, text, "R031",
                         f"a totals or subtotal row (`{text}`) among the data, not a person or a school: delete it "
                         f"(a totals row below the table is skipped)",
                         f"“{text}”一行是表格中间的合计或分类汇总行，不是教师或学校记录，请删除该行（表格末尾的合计行会自动跳过）")


def summary_only(problems: list[RosterProblem], row: Sequence[object], required: Iterable[int], file: str,
                  line: int) -> list[RosterProblem]:
    """A refused row's problems, or the one problem of a totals row among the data."""
    label = summary_label(row, required) if problems else None
    return [summary_problem(file, line, label)] if label is not None else problems


def _as_written(value: object) -> str:
    """A stated value as its caller wrote it: a JSON true is `true`, not Python's `True`."""
    return str(value).lower() if isinstance(value, bool) else "" if value is None else str(value)


def footer_warning(file: str, line: int, text: str) -> RosterProblem:
    """A footer row below the data (R030, a warning): not read, and said."""
    return RosterProblem(file, line, None, text, "R030",
                         f"a footer row below the data (`{text}`), not a person or a school: not read",
                         f"表尾“{text}”一行不是教师或学校记录，未读取", warning=True)


# ---- the header again among the data: a second header row (the columns' English field names, as
# provincial systems export them under the Chinese header, or the header given twice), or the header
# repeated down the sheet (a printed report's, on every page). The rule, written once: the columnar
# reader hands a CSV with such a row to the row reader.


class HeaderAgain:
    """Whether a row among the data is a header again (``kind``): most of its filled cells in the
    columns read as fields (``fields``: position -> field) are names of roster columns, or the
    header's own cells (a column's other cells, 备注 under 备注, are not counted). Asked only of a
    row refused as a record (its cells no dates, codes or yes/no values: its problems were thirty
    of one cause), so that no person's row is ever taken for one: a teacher's row has dates, a sex
    and a school, no column's name. Its text cells' readings are kept for the next row."""

    KEPT = 1 << 14  # texts whose reading is kept, at most (a file of bad rows has many)

    def __init__(self, header: Sequence[object], fields: Mapping[int, S.Field], table: S.Table):
        self.header = [header_name(h) for h in header]
        self.fields = sorted(fields)
        self.tables = (table, S.SCHOOLS if table.name == "teacher" else S.TEACHERS)
        self._named: dict[str, bool] = {}

    def _names_a_column(self, text: str) -> bool:
        known = self._named.get(text)
        if known is None:
            if len(self._named) >= self.KEPT:
                self._named.clear()
            known = self._named[text] = any(t.header_field(text) is not None for t in self.tables)
        return known

    def kind(self, cells: Sequence[object]) -> str | None:
        """``repeat`` for the header's own cells, ``english`` for column names in ASCII (teacher_id,
        birth_date …), ``names`` for other names of the columns; None for a row that is none."""
        filled = same = named = 0
        english = True
        for i in self.fields:
            text = _text(cells[i]) if i < len(cells) else ""
            if not text:
                continue
            filled += 1
            if i < len(self.header) and text == self.header[i]:
                same += 1
            elif self._names_a_column(text):
                named += 1
                english = english and text.isascii()
        if filled < 2 or 2 * (same + named) <= filled:
            return None
        return "repeat" if not named else "english" if english else "names"


def header_again_warning(file: str, line: int, kind: str, first: bool, table: str, text: str) -> RosterProblem:
    """R044: a row among the data that is the header again (``HeaderAgain``), not a person or a
    school: not read, and said once (its cells were as many problems). ``first``: the row right
    under the header (a second header row); ``text``: its first cells, as a message quotes them."""
    what_en, what_zh = ("a school", "学校") if table == "school" else ("a teacher", "教师")
    if kind == "repeat" and first:
        en, zh = "the header given again (a header row twice)", "与表头相同（表头重复了一行）"
    elif kind == "repeat":
        en, zh = "the header repeated (a printed report's header on each page?)", "重复了表头（分页打印的表格每页都有表头？）"
    else:
        names_en, names_zh = ("English field names", "英文字段名") if kind == "english" else ("other names", "另一种列名")
        en = f"a second header row (the columns' {names_en})"
        zh = f"是第二行表头（各列的{names_zh}）"
    return RosterProblem(file, line, None, text, "R044", f"{en}, not {what_en}: skipped, not read",
                         f"{zh}，已跳过，不作为{what_zh}读取", warning=True)


def header_again_text(cells: Sequence[object]) -> str:
    """A header row's first filled cells, as a warning quotes them (teacher_id, name, sex …)."""
    texts = [t for c in cells if (t := _text(c))]
    shown = ", ".join(texts[:4]) + (", …" if len(texts) > 4 else "")
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _normalise(file: str, table: S.Table, header: Sequence[object], rows: Iterable[Sequence[object]],
               first_line: int, shape: Shape = Shape()) -> LoadedTable:
    """Map headers to fields, convert values, check the cells a row has, required values,
    plausible values and uniqueness."""
    mapped = map_header(file, table, header)
    fields, extras, written = mapped.fields, mapped.extras, mapped.written
    if any(p.code == "R034" for p in mapped.problems):
        rows = []  # the other table's file: its rows are no rows of this one (每行“学校代码重复”)
    defaults = table.absent_values
    readers = dict(table.reads)  # field -> what of the policy reads it
    by_id = table.name == "teacher" and "id_number" in written  # birth date and sex from the ID number
    out: list[RosterRow] = []
    said: list[RosterProblem] = list(shape.said)
    # the columns whose empty cell reads as a value: each one's empty cells, by line (R027, R033)
    empties: dict[str, list[int]] = {f.name: [] for f in blank_reads_as(table) if f.name in written}
    rows = rows if isinstance(rows, list) else list(rows)
    required = [i for i, f in fields.items() if f.must_fill]
    footer = {} if shape.keep_blank else footer_rows(rows, required)
    # each column: its field, how its cells are read, whether an empty cell is refused (R006; a birth
    # date and sex an ID number gives are not)
    columns = [(i, field, field.name, column_reader(field),
                field.must_fill and not (by_id and field.name in FROM_ID_NUMBER)) for i, field in fields.items()]
    serial = serial_columns(header, fields)
    unheaded = Unheaded(header, beyond=shape.width is None)  # (a CSV's longer row is ragged, said so)
    uncomputed: dict[str, list[int]] = {}  # a column no field reads -> its rows of formulas without a result
    # a header row among the data (a second one of field names, a report's on every page): of a sheet's
    # rows (CSV, XLSX), not of records, whose keys are their header
    again = HeaderAgain(header, fields, table) if not shape.keep_blank and fields else None
    for position, row in enumerate(rows):
        line = first_line + position
        if position in footer:  # (first: a note in the 序号 column is said, not passed over as a blank row)
            said.append(footer_warning(file, line, footer[position]))
            continue
        if position in shape.groups:
            said.append(group_title_warning(file, line, shape.groups[position]))
            continue
        if not shape.keep_blank and _blank([c for k, c in enumerate(row) if k not in serial] if serial else row):
            continue
        values = dict(defaults)
        problems: list[RosterProblem] = []
        blank: list[str] = []
        if shape.width is not None and len(row) != shape.width:
            problems.append(ragged_problem(file, line, len(row), shape.width))
        read: dict[str, object] = {}  # field -> its cell, for the fields read from a cell of the right type
        for i, field, name, read_cell, must_fill in columns:
            raw = row[i] if i < len(row) else None
            if raw is LACKING:  # a required field: empty (R006), as always; one the policy reads: not known
                if not field.required and table.gives_value(field):
                    problems.append(lacking_key_problem(file, line, written[name], field, readers.get(name, ())))
                    continue
                raw = None
            if name in empties and not _filled(raw):
                empties[name].append(line)
                blank.append(name)
            if isinstance(raw, Uncomputed):
                problems.append(formula_problem(file, line, written[name], raw))
                continue
            try:
                values[name] = value = read_cell(raw)
            except (ValueError, TypeError, OverflowError):
                problems.append(bad_value_problem(file, line, written[name], field, raw))
                continue
            if value is None and must_fill:
                problems.append(empty_required_problem(file, line, written[name], field))
            read[name] = raw
        if by_id:
            given = {n: values[n] for n in FROM_ID_NUMBER if n in read or n not in written}
            filled, wrong = id_number_reading(file, line, written["id_number"], read.get("id_number", values["id_number"]), given,
                                              written)
            values.update(filled)
            problems += wrong
        for name, en, zh in implausible(table.name, values, read, table.reference):
            problems.append(implausible_problem(file, line, written[name], table.field(name), read[name], en, zh))
        for name, en, zh in after_reference(table, values, read):
            problems.append(after_reference_problem(file, line, written[name], table.field(name), read[name], en, zh))
        if problems and again is not None and (kind := again.kind(row)) is not None:
            said.append(header_again_warning(file, line, kind, not out, table.name, header_again_text(row)))
            for name in blank:  # (no row: its empty cells are none of a column's)
                empties[name].remove(line)
            continue
        problems = summary_only(problems, row, required, file, line)
        unheaded.look(row, line)
        for i, name in extras.items():
            cell = row[i] if i < len(row) else None
            if isinstance(cell, Uncomputed):  # its text is no value: carried (--keep) empty, and said
                uncomputed.setdefault(name, []).append(line)
                values[name] = None
            else:
                values[name] = _text(cell) or None
        if position in shape.spans:
            first, lines, cell = shape.spans[position]
            column = header_name(header[cell]) if cell is not None and cell < len(header) else None
            said.append(multiline_warning(file, line, column, first, lines))
        out.append(RosterRow(len(out), line, values, tuple(problems), frozenset(blank) if blank else _NONE_BLANK))
    if mapped.per_teacher:  # (its own word of a school given twice: the rows that disagree)
        out = _one_row_per_school(file, out, written, table.fields)
    else:
        _check_unique(file, table, out, written)
        said += _alike_keys(file, table, out, written)
    blank = blank_warnings(file, table, written, {n: len(e) for n, e in empties.items()}, empties, len(out))
    said += [uncomputed_kept_warning(file, name, lines) for name, lines in uncomputed.items() if name in table.carried]
    return LoadedTable(out, list(mapped.problems), written, mapped.warnings + said + unheaded.warnings(file) + blank,
                       mapped.assumptions)


class Unheaded:
    """The cells filled in a column with no header (an empty header cell, or right of the header's
    last), row by row (``look``): read by nothing, and said (R042), lest a note beside a person
    (已调出, 已退休，勿计) go unseen while they are decided like everyone else."""

    SHOWN = 5  # the rows a warning quotes

    def __init__(self, header: Sequence[object], beyond: bool = True):
        # ``beyond``: cells right of the header are looked at (a workbook's; a CSV's row is as wide as its header)
        self.width = len(header) if beyond else None
        self.blank = [k for k, h in enumerate(header) if not header_name(h)]
        self.found: dict[int, list[tuple[int, str]]] = {}
        self.counts: dict[int, int] = {}

    def look(self, row: Sequence[object], line: int) -> None:
        wider = self.width is not None and len(row) > self.width
        for k in self.blank + list(range(self.width, len(row))) if wider else self.blank:
            if k < len(row) and (text := _text(row[k])):
                self.counts[k] = self.counts.get(k, 0) + 1
                if len(kept := self.found.setdefault(k, [])) < self.SHOWN:
                    kept.append((line, text))

    def warnings(self, file: str) -> list[RosterProblem]:
        out = []
        for k in sorted(self.found):
            shown, count, letter = self.found[k], self.counts[k], _letters(k + 1)
            cells_en = ", ".join(f"row {line} `{text}`" for line, text in shown)
            cells_zh = "、".join(f"第{line}行“{text}”" for line, text in shown)
            more_zh = f"等 {count} 行" if count > len(shown) else ""
            out.append(RosterProblem(
                file, None, letter, None, "R042",
                f"column {letter} has no header but {count} row(s) fill it in ({cells_en}): it is read by nothing, "
                "and those people are decided like the others; if a note says someone is not to be decided (已调出, "
                "已退休), delete their row",
                f"第 {letter} 列没有表头，但有 {count} 行填了内容（{cells_zh}{more_zh}）：该列不读取，这些人员照常作出决定；"
                "如注明某人不应参加（如已调出、已退休），请删除其行", warning=True, rows=tuple(l for l, _ in shown),
                count=count))
        return out


def _alike_keys(file: str, table: S.Table, rows: list[RosterRow], written: Mapping[str, str]) -> list[RosterProblem]:
    """``alike_key_warnings`` of each unique field of the rows."""
    return _alike_in(file, table, written, ((row.line, row.values) for row in rows))


def records_alike_warnings(file: str, table: S.Table, written: Mapping[str, str], records: Sequence[Mapping]
                           ) -> list[RosterProblem]:
    """``alike_key_warnings`` of records (the service's lists, numbered from 1; ``written``: each
    field's key), whichever reader then reads them, as ``records_blank_warnings`` says the blanks."""
    keys = {f.name: written[f.name] for f in table.fields if f.unique and f.name in written}  # (the ids: a few)
    return _alike_in(file, table, written, ((k, {name: _text(record.get(key)) or None for name, key in keys.items()})
                                            for k, record in enumerate(records, 1)))


def _alike_in(file: str, table: S.Table, written: Mapping[str, str], rows: Iterable[tuple[int, Mapping]]
              ) -> list[RosterProblem]:
    rows = list(rows)
    warnings = []
    for field in table.fields:
        if field.unique and field.name in written:
            firsts: dict[str, int] = {}
            for line, values in rows:
                key = values.get(field.name)
                if isinstance(key, str):
                    firsts.setdefault(key, line)
            warnings += alike_key_warnings(file, field, written[field.name], firsts)
    return warnings


def blank_warnings(file: str, table: S.Table, written: Mapping[str, str], counts: Mapping[str, int],
                   lines: Mapping[str, Sequence[int]], rows: int, unknown: Collection[str] = ()) -> list[RosterProblem]:
    """What the empty cells of the columns ``blank_reads_as`` reads say of ``rows`` rows (``counts``:
    each column's empty cells; ``lines``: the lines of at least its first ``ROWS_NAMED``): R027 for
    each column empty in every row, then R033 for each filled but for a few (``few_blanks``), or
    for any number of them in the columns ``unknown`` names (a JSON null: a value not known, not
    a cell left empty by a roster's habit)."""
    if not rows:
        return []
    return [blank_column_warning(file, table.field(n), written[n], table.name) for n in counts if counts[n] == rows] + [
        few_blanks_warning(file, table.field(n), written[n], lines[n][:ROWS_NAMED], counts[n], table.name)
        for n in counts if few_blanks(counts[n], rows, (table.name, n) in S.USUALLY_YES)
        or (n in unknown and 0 < counts[n] < rows)]


def records_blank_warnings(file: str, table: S.Table, written: Mapping[str, str], records: Sequence[Mapping]
                           ) -> list[RosterProblem]:
    """``blank_warnings`` of records (the service's JSON lists, rows numbered from 1, as
    ``roster_from_records`` numbers them; ``written``: each field's key, ``HeaderMap.written``),
    whichever reader then reads them: a key given null or blank in a few records reads as the
    contract's empty value, as a file's empty cell does; a key given null (a Java client's
    Boolean not known) is said in any number of records but all."""
    empties, unknown = {}, set()
    for field in blank_reads_as(table):
        if field.name in written:
            key = written[field.name]
            empties[field.name] = [k for k, record in enumerate(records, 1) if not _filled(record.get(key))]
            if any(key in records[k - 1] and records[k - 1][key] is None for k in empties[field.name]):
                unknown.add(field.name)
    return blank_warnings(file, table, written, {n: len(e) for n, e in empties.items()}, empties, len(records),
                          unknown)


def _filled(raw: object) -> bool:
    """Whether a cell holds anything, readable or not (an empty cell reads as its field's empty value)."""
    if type(raw) is str and raw and raw[0] not in TRIMMED:  # the usual cell, at once: a text not starting blank
        return True
    return isinstance(raw, Uncomputed) or bool(_text(raw))


_NONE_BLANK: frozenset[str] = frozenset()  # shared by the rows with no blank cell read as a value


def _add_problem(rows: list[RosterRow], k: int, problem: RosterProblem) -> None:
    """``problem`` added to row ``k``'s, unless the row is a totals row (R031), its one problem."""
    if not any(p.code == "R031" for p in rows[k].problems):
        rows[k] = attrs.evolve(rows[k], problems=rows[k].problems + (problem,))


def _check_unique(file: str, table: S.Table, rows: list[RosterRow], written: Mapping[str, str]) -> None:
    """Every occurrence of a unique key given more than once is a problem: the first names the
    next row with it, the others the first."""
    for field in table.fields:
        if not field.unique or field.name not in written:
            continue
        found: dict[object, list[int]] = {}
        for k, row in enumerate(rows):
            key = row.values.get(field.name)
            if key is not None:
                found.setdefault(key, []).append(k)
        for key, ks in found.items():
            if len(ks) < 2:
                continue
            first, second = rows[ks[0]].line, rows[ks[1]].line
            for k in ks:
                other = second if rows[k].line == first else first
                _add_problem(rows, k, duplicate_problem(file, rows[k].line, written[field.name], field, key, other))


def unusable_schools(rows: Iterable[RosterRow]) -> dict[object, int]:
    """The school ids with a row that has problems, and the first such row: a teacher of
    such a school is not decided (R014). A school given twice is one of them: which of its
    rows is right is not known."""
    bad: dict[object, int] = {}
    for row in rows:
        school_id = row.values.get("school_id")
        if school_id is not None and row.problems and school_id not in bad:
            bad[school_id] = row.line
    return bad


def _check_schools(teachers: LoadedTable, schools: LoadedTable, file: str, school_file: str) -> None:
    """Each teacher's school: in the schools table (R005), with a row that has no problems (R014)."""
    header = teachers.headers["school_id"]
    known = {r.values["school_id"]: r.values.get("name") for r in schools.rows if r.values.get("school_id") is not None}
    bad = unusable_schools(schools.rows)
    for k, row in enumerate(teachers.rows):
        school_id = row.values.get("school_id")
        if school_id is None:
            continue
        if schools.problems:  # the file itself: no row of it can be used
            _add_problem(teachers.rows, k, school_row_problem(file, row.line, header, school_id, school_file, None,
                                                              schools.sheet))
        elif school_id in bad:
            _add_problem(teachers.rows, k, school_row_problem(file, row.line, header, school_id, school_file,
                                                              bad[school_id], schools.sheet))
        elif school_id not in known:
            _add_problem(teachers.rows, k, unknown_school_problem(file, row.line, header, school_id, known))


def load_table(path: str | Path, table: S.Table, encoding: str | None = None) -> LoadedTable:
    """One table: its rows (each with its own problems), the file-level problems, the
    header of each canonical field as written in the file, and what the header lacks."""
    path = Path(path)
    try:
        header, rows, shape = _read(path, encoding, table)
    except BaseException as exc:  # noqa: BLE001 - a corrupt xlsx or parquet raises library-specific errors
        if not unreadable_error(exc):
            raise
        return LoadedTable([], [unreadable_problem(str(path), exc)], {})
    loaded = _normalise(str(path), table, header, rows, _first_line(path) + shape.above, shape)
    return _on_sheet(attrs.evolve(loaded, sheet=shape.sheet)) if shape.sheet is not None else loaded


def _on_sheet(loaded: LoadedTable) -> LoadedTable:
    """``loaded``'s problems naming the sheet they are on (``RosterProblem.sheet``), those of a
    row and of its columns (a column the sheet lacks: which sheet is to have it), but R020, which
    says which sheet was read: the same workbook may hold the other table on another sheet, its
    rows numbered alike. Again after the cross-checks, for the problems they add."""
    def named(problems):
        return [attrs.evolve(p, sheet=loaded.sheet) if p.sheet is None and p.code != "R020" else p for p in problems]

    rows = [attrs.evolve(r, problems=tuple(named(r.problems))) if r.problems else r for r in loaded.rows]
    return attrs.evolve(loaded, rows=rows, problems=named(loaded.problems), warnings=named(loaded.warnings))


def _assemble(teachers: LoadedTable, schools: LoadedTable, teacher_file: str, school_file: str) -> Roster:
    """Cross-check the tables and collect every problem. A file-level problem (a missing
    or doubled column) makes every row of its table undecidable, so those rows carry it."""
    if "school_id" in teachers.headers:
        _check_schools(teachers, schools, teacher_file, school_file)
        if teachers.sheet is not None:  # the teachers' rows' new problems (R005, R014) name their sheet too
            teachers = _on_sheet(teachers)
    problems = teachers.problems + schools.problems
    problems += [p for r in schools.rows for p in r.problems]
    problems += [p for r in teachers.rows for p in r.problems]

    def with_file_problems(loaded: LoadedTable) -> list[RosterRow]:
        extra = tuple(loaded.problems)
        return [attrs.evolve(r, problems=r.problems + extra) for r in loaded.rows] if extra else loaded.rows

    school_rows = with_file_problems(schools)
    return Roster(tuple(with_file_problems(teachers)),
                  {r.values["school_id"]: r.values for r in school_rows if r.valid},
                  tuple(problems), teacher_file, school_file, tuple(teachers.warnings + schools.warnings),
                  teachers.assumptions + schools.assumptions)


def _tables(teacher_extra: Sequence[S.Field], school_extra: Sequence[S.Field],
            tables: tuple[S.Table, S.Table] | None) -> tuple[S.Table, S.Table]:
    return tables or (S.TEACHERS.with_extra(tuple(teacher_extra)), S.SCHOOLS.with_extra(tuple(school_extra)))


def load_roster(teachers: str | Path, schools: str | Path, *, encoding: str | None = None,
                teacher_extra: Sequence[S.Field] = (), school_extra: Sequence[S.Field] = (),
                tables: tuple[S.Table, S.Table] | None = None) -> Roster:
    """Read and validate both tables; every teacher row is kept, with its problems.
    ``tables``: the tables as read for a policy (see ``io.columns.reading_tables``)."""
    teacher_table, school_table = _tables(teacher_extra, school_extra, tables)
    t = load_table(teachers, teacher_table, encoding)
    s = load_table(schools, school_table, encoding)
    return _assemble(t, s, str(teachers), str(schools))


RECORDS = "<records>"  # the file records in memory are read as
TEACHER_RECORDS, SCHOOL_RECORDS = "<teachers>", "<schools>"  # ... each list its own, so a problem says which


def roster_from_records(teachers: Iterable[Mapping], schools: Iterable[Mapping], *,
                        teacher_extra: Sequence[S.Field] = (), school_extra: Sequence[S.Field] = (),
                        tables: tuple[S.Table, S.Table] | None = None, source: str | None = None) -> Roster:
    """The same reading and validation for records already in memory (the embedding
    API); values may be typed already or text. Rows are numbered from 1; a problem's file is
    ``<teachers>`` or ``<schools>`` (``source`` for both, if given)."""
    teacher_table, school_table = _tables(teacher_extra, school_extra, tables)
    teacher_source, school_source = (source, source) if source else (TEACHER_RECORDS, SCHOOL_RECORDS)
    t = table_from_records(teachers, teacher_table, teacher_source)
    s = table_from_records(schools, school_table, school_source)
    return _assemble(t, s, teacher_source, school_source)


def table_from_records(records: Iterable[Mapping], table: S.Table, source: str = RECORDS) -> LoadedTable:
    """One table of records in memory, read as ``roster_from_records`` reads it."""
    header, rows = _records_table(records)
    if not rows:  # no records: no one, not a table lacking every column (a file has a header; a list none)
        return LoadedTable([], [], {})
    return _normalise(source, table, header, rows, 1)


# ---- values stated for absent columns ---------------------------------------------------


_TABLE_PREFIXES = {"teacher.": "teacher", "教师.": "teacher", "school.": "school", "学校.": "school",
                   "学校．": "school"}


def table_and_name(key: str, tables: tuple[S.Table, S.Table]) -> tuple[str, str]:
    """The table a column named outside a file belongs to (``--assume``, ``try``'s pairs), and its
    name there: ``school.编制`` and ``学校.编制`` the schools', a school's column by its own name
    when no teacher column has it (``编制``), any other name the teachers'."""
    prefix = next((p for p in _TABLE_PREFIXES if key.startswith(p)), None)
    if prefix is not None:
        return _TABLE_PREFIXES[prefix], key[len(prefix):]
    if tables[0].header_field(key) is None and tables[1].header_field(key) is not None:
        return "school", key
    return "teacher", key


class AssumptionError(BilingualError):
    """A stated value (``--assume``, ``Policy.assuming``) that names no column or is not of its
    column's type; ``key``: the key as stated, where one is at fault."""

    def __init__(self, en: str, zh: str, key: str | None = None):
        super().__init__(en, zh)
        self.key = key


def _refused(by: S.Caller, key: str, problem: RosterProblem) -> AssumptionError:
    """A stated value refused as a cell of its column would be, named as the caller stated it."""
    return AssumptionError(f"{by.assume_en} {key}: {problem.message_en}", f"{by.assume_zh} {key}：{problem.message_zh}",
                           key)


def names_a_column(tables: tuple[S.Table, S.Table], key: str) -> bool:
    """Whether ``key`` (``nursing``, ``哺乳期``, ``school.area``) names a column of the tables."""
    table_name, name = table_and_name(key, tables)
    return next(t for t in tables if t.name == table_name).header_field(name) is not None


def with_assumptions(tables: tuple[S.Table, S.Table], values: Mapping[str, object], *,
                     strict: bool = False, open_ended: bool = False) -> tuple[S.Table, S.Table]:
    """The tables with the user's values for absent columns (``nursing=false``, ``哺乳期=否``,
    ``school.area=urban``), read as a cell of the column is read, taking precedence over a
    value the policy states; ``strict`` makes unknown headers errors. A message names the
    tables' caller's way of stating them. ``open_ended``: an empty value may be stated for a
    column no cell may leave empty (``try``, which then says the rules it leaves undecided)."""
    by = tables[0].caller
    if not isinstance(values, Mapping):
        raise AssumptionError(f"{by.assume_en} takes columns mapped to values, not {type(values).__name__}",
                              f"{by.assume_zh} 应为“列名: 取值”的映射，而不是 {type(values).__name__}")
    stated: dict[str, list[S.Assumption]] = {t.name: [] for t in tables}
    said: dict[tuple[str, str], tuple[str, object]] = {}  # (table, field) -> as the caller wrote it, the value
    for key, value in values.items():
        key = key if isinstance(key, str) else repr(key)  # no column's name: said so below
        table_name, name = table_and_name(key, tables)
        table = next(t for t in tables if t.name == table_name)
        field = table.header_field(name)
        if field is None:
            hint = did_you_mean(name, [f.name for f in table.fields] + [f.zh for f in table.fields])
            raise AssumptionError(f"`{key}` is not a roster column" + (f"; did you mean `{hint}`?" if hint else ""),
                                  f"“{key}”不是名册的列" + (f"，是否应为“{hint}”？" if hint else ""), key)
        try:
            typed = value if isinstance(value, bool) and isinstance(field.type, T.BoolType) else cell_value(field, value)
        except (ValueError, TypeError, OverflowError):
            raise _refused(by, key, bad_value_problem(by.assume_en, 0, name, field, value)) from None
        if typed is None and field.must_fill and not open_ended:  # as a cell of the column may not be empty
            raise _refused(by, key, empty_required_problem(by.assume_en, 0, name, field))
        # a value no one has in a cell (a negative count, 2.5 schools) is no value to state for everyone
        for _, reason_en, reason_zh in implausible(table.name, {field.name: typed}, [field.name]):
            raise _refused(by, key, implausible_problem(by.assume_en, 0, name, field, value, reason_en, reason_zh))
        earlier = said.get((table.name, field.name))
        if earlier is not None and (earlier[1] != typed or type(earlier[1]) is not type(typed)):
            # one column, two values (2015-09 and 2015-09-01 too: a month and a day): which would decide?
            raise AssumptionError(
                f"{by.assume_en} states two values for the column `{field.name}`: `{earlier[0]}` and "
                f"`{key}={_as_written(value)}`; state one",
                f"{by.assume_zh} 为列“{field.zh}”给出了两个不同的取值：“{earlier[0]}”和“{key}={_as_written(value)}”，请只给出一个",
                key)
        if earlier is None:
            said[table.name, field.name] = (f"{key}={_as_written(value)}", typed)
            stated[table.name].append(S.Assumption(field.name, typed, "user", table=table.name))

    def table_with(table: S.Table) -> S.Table:
        mine = stated[table.name]
        kept = tuple(a for a in table.assumed if all(a.field != m.field for m in mine))
        return attrs.evolve(table, assumed=kept + tuple(mine), strict=strict)
    return table_with(tables[0]), table_with(tables[1])
