"""The problems of cells and rows: the one place each message is written, in Chinese and
English (the columnar and record readers use them too).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import attrs

from policylang.core.diagnostics import did_you_mean
from policylang.io.safe_text import json_shown
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.decisions import MonthDate
from policylang.lang.reads import PROMOTION_ENTRY
from policylang.io.roster.model import RosterProblem
from policylang.io.roster.cells import (_DATE_FORMS, _EXCEL_SERIAL, _ZONED, _EPOCH_MS, _JANUARY_OR_OCTOBER, _YEAR_DOT,
                                        _text, _grammar_text, date_grammar_text, EXACT_WHOLE, _TEXT_KIND, _kind, _keyed,
                                        _NO_CELL)


def _file_problem(file: str, code: str, en: str, zh: str, column: str | None = None, *,
                  warning: bool = False, field: S.Field | None = None) -> RosterProblem:
    """A problem of the file as a whole; ``field``: the column it names is one the file lacks."""
    return RosterProblem(file, None, column, None, code, en, zh, warning, field.zh if field else None)


def bad_value_problem(file: str, line: int, column: str, field: S.Field, cell: object) -> RosterProblem:
    """A cell that is not of its field's type (R002, R003, R007, R008), or no value at all: an
    object or an array (R015, the code of a record that maps a column to no value)."""
    if isinstance(cell, _NO_CELL):
        kind_en, kind_zh = ("an object", "对象") if isinstance(cell, Mapping) else ("an array", "数组")
        shown = json_shown(cell)
        return RosterProblem(
            file, line, column, shown, "R015",
            f"`{column}` is {kind_en} ({shown}), not a value: a cell is text, a number, true/false or null",
            f"“{column}”一项是{kind_zh}（{shown}），不是取值：每项应为文字、数字、true/false 或 null")
    raw = _text(cell)
    kind, enum = _kind(field), field.enum
    if kind is _TEXT_KIND:  # a yes/no value, or a record's number with a fraction or an exponent (``_as_text``)
        return _not_text_problem(file, line, column, field, cell)
    codes_en = ", ".join(f"{c} ({enum.labels[c]})" for c in enum.codes) if enum else ""
    codes_zh = "、".join(f"{enum.labels[c]}（{c}）" for c in enum.codes) if enum else ""
    args = dict(raw=raw, name=field.name, zh=field.zh, codes_en=codes_en, codes_zh=codes_zh)
    if isinstance(field.type, T.NumberType) and isinstance(cell, int) and not isinstance(cell, bool):
        return RosterProblem(
            file, line, column, raw, kind.code,
            f"`{raw}` is too large a number to decide on exactly (at most {EXACT_WHOLE:,} either way)",
            f"“{raw}”数值过大，无法精确处理（绝对值不超过 {EXACT_WHOLE:,}）")
    said = (_date_said(raw, date_grammar_text(cell)) if isinstance(field.type, T.DateType)
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
    if enum is not None and said is None and type(cell) is int and _keyed(file) \
            and not any(code.isdigit() for code in enum.codes):  # (retirement_category's 55 and 50 are numbers)
        said = (f"`{raw}` is a number where a {field.name} code is written ({codes_en}): an enum sent as its number "
                "(.NET's System.Text.Json without JsonStringEnumConverter, Jackson's WRITE_ENUMS_USING_INDEX) does not "
                "say which code is meant; send the code, or its Chinese label, as text",
                f"“{raw}”是数字，而{field.zh}应写代码（{codes_zh}）：按序号发送的枚举（.NET 的 System.Text.Json 未用 "
                "JsonStringEnumConverter、Jackson 开启 WRITE_ENUMS_USING_INDEX）无法确定是哪个取值；请以文字发送代码或其中文名称")
    if enum is S.TITLE and said is None and "特级" in raw:  # an honour some rosters give in the 职称 column
        said = (f"`{raw}` is an honorary title (特级教师), not a professional title (职称): write the person's title, "
                "高级教师 or 正高级教师 as it is, and keep the honour in a column of its own",
                f"“{raw}”是荣誉称号，不是职称：请填写其职称（如高级教师、正高级教师），特级教师可另列一列")
    said = excel_error_said(raw) or said
    en, zh = said or (kind.en.format(**args), kind.zh.format(**args))
    if enum is not None and said is None and (meant := enum.meant(raw)):
        en, zh = f"{en}; did you mean `{meant}` ({enum.labels[meant]})?", f"{zh}；是否应为“{enum.labels[meant]}”？"
    return RosterProblem(file, line, column, raw, kind.code, en, zh)


# the error values a spreadsheet's formula shows (and stores as its result) when it fails
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def _not_text_problem(file: str, line: int, column: str, field: S.Field, cell: object) -> RosterProblem:
    """R048: a text field (an id, a name) given a value that is no text: a yes/no value, or in
    records a number with a fraction or an exponent."""
    shown = json_shown(cell)
    if isinstance(cell, bool):
        return RosterProblem(
            file, line, column, shown, "R048",
            f"`{column}` is {shown}, a yes/no value, not text: {field.name} ({field.zh}) is text; is the right value "
            "given for this key?",
            f"“{column}”一项是 {shown}（是/否值），不是文字：{field.zh}应为文字；此项的值是否给错了？")
    digits = _text(cell)
    return RosterProblem(
        file, line, column, shown, "R048",
        f"`{column}` is the number {shown}, not text: a number with a decimal point or an exponent (1.5e3) does not "
        f"keep the {field.name} ({field.zh}) as written; send it as text (\"{digits}\")",
        f"“{column}”一项是数字 {shown}，不是文字：带小数点或指数（如 1.5e3）的数字不能保留{field.zh}的原样；"
        f"请以文字发送（\"{digits}\"）")


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
    if m := _TWO_DIGIT_YEAR.fullmatch(text):  # 85.03, 85年3月: as people write a year of the last century
        shown = f"{'20' if int(m['y']) <= 30 else '19'}{m['y']}{text[2:]}"  # (an example: a person's year, most likely)
        return (f"`{raw}` gives the year in two digits: 19{m['y']} or 20{m['y']} is not known. Write the year in four "
                f"digits, {shown}",
                f"“{raw}”的年份只写了两位，无法确定是 19{m['y']} 年还是 20{m['y']} 年：请写四位年份，如 {shown}")
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


# a date whose year has two digits (85.03, 85-3-1, 85年3月12日): no form of the contract, said as what it is
_TWO_DIGIT_YEAR = re.compile(r"(?P<y>\d{2})(?:(?P<sep>[-/.])\d{1,2}(?:(?P=sep)\d{1,2})?| *年 *\d{1,2} *月(?: *\d{1,2} *日?)?)",
                             re.ASCII)


def no_such_day(text: str) -> tuple[str, str] | None:
    """What a date in one of the forms says wrong (no 13th month, no 31 June), where it does."""
    if (why := _why_no_such_day(text)) is None:
        return None
    return f"`{text}` is not a date: {why[0]}", f"“{text}”不是有效日期：{why[1]}"


def _why_no_such_day(text: str) -> tuple[str, str] | None:
    for form in _DATE_FORMS:
        if m := form.fullmatch(text):
            year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
            if not 1 <= month <= 12:
                return f"there is no month {month}", f"没有{month}月"
            last = calendar.monthrange(year, month)[1] if year >= 1 else 31
            if not 1 <= day <= last:
                return f"{year}-{month:02d} has {last} days", f"{year}年{month}月只有{last}天"
    return None


_UNIT_WORDS = {"年": "years", "周岁": "years", "岁": "years", "个月": "months", "月": "months", "天": "days",
               "人": None, "所": None, "次": None}  # a unit a clerk writes after a number, and the column's it is


_COUNT_WITH_UNIT = re.compile(r"(?P<n>\d+(?:\.\d+)?) *(?P<unit>" + "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
                              + ")")


_UNITS_ZH = {"years": "年", "months": "月", "days": "天"}


# a count in Chinese numerals (三, 两, 十二), with a unit or not (三年, 两所), up to 99
_CHINESE_COUNT = re.compile(r"(?P<n>[零〇一二两三四五六七八九十]{1,3}) *(?P<unit>"
                            + "|".join(sorted(_UNIT_WORDS, key=len, reverse=True)) + ")?")
_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9}


def _chinese_count(numeral: str) -> int | None:
    """三 3, 十二 12, 二十 20, 二十三 23; None for what is no such number (十十)."""
    if "十" not in numeral:
        return _CHINESE_DIGITS[numeral] if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def _number_said(text: str, unit: str | None) -> tuple[str, str] | None:
    """A number written with its unit (2年, 3所): the column holds the number alone, in its own
    unit (``unit``); a number in another (3个月 in a column of years) is to be converted, never
    taken as it is. A count in Chinese numerals (三年) is to be written in digits; 无 (none) as 0."""
    if text in ("无", "没有"):
        return (f"`{text}` is not a number: write 0 where there is none",
                f"“{text}”不是数字：没有的请填 0")
    if (c := _CHINESE_COUNT.fullmatch(text)) and (n := _chinese_count(c["n"])) is not None:
        if c["unit"] is None or _UNIT_WORDS[c["unit"]] == unit:
            return (f"`{text}` is not a number: write it in digits, {n}",
                    f"“{text}”不是数字：请用阿拉伯数字只写 {n}")
    shown = text  # (as written: 三个月, read as 3个月 below)
    if c and n is not None:
        text = f"{n}{c['unit']}"
    if not (m := _COUNT_WITH_UNIT.fullmatch(text)):
        return None
    if _UNIT_WORDS[m["unit"]] == unit:
        return (f"`{shown}` is not a number: write the number alone, {m['n']} (the column says what it counts)",
                f"“{shown}”不是数字：请只写数字 {m['n']}（该列的单位已由列名确定，不必写“{m['unit']}”）")
    if unit in _UNITS_ZH:
        return (f"`{shown}` is not a number: the column counts {unit}; write the number of {unit} alone",
                f"“{shown}”不是数字：该列以{_UNITS_ZH[unit]}计，请换算成{_UNITS_ZH[unit]}后只写数字")
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
    """What a reference date that is none is, where it is known: a day no month has, a month, or a moment (a
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
        if (wrong := _why_no_such_day(text)) is not None:  # 2025-02-29: said as a date cell's is
            return f": {wrong[0]}", f"：{wrong[1]}"
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
    kind = RosterProblem
    if (error := excel_error_said(str(school_id))) is not None:
        en, zh = f"{en}: {error[0]}", f"{zh}：{error[1]}"
    elif alike is not None:
        en += f"; the schools table has `{alike}`, which differs only in full-width letters or case"
        zh += f"；学校名册中有“{alike}”，只是全角/半角或大小写不同，请统一写法"
    elif (padded := _padded(str(school_id), known)) is not None:  # (the teachers' file lost them)
        zeros = "0" * len(padded)
        en += (f"; the schools table has `{padded}`: the code was stored as a number, which dropped its leading zeros. "
               f"Format the column as text and write {padded}, "
               f"as the schools table does (or give its cells the number format {zeros})")
        zh += (f"；学校名册中有“{padded}”：学校代码被当作数字存储，开头的 0 丢失了。请将该列设为文本格式后写作 {padded}"
               f"（或将单元格格式设为自定义“{zeros}”）")
        kind = functools.partial(LostZeros, known=padded)
    elif (bare_id := _unpadded(str(school_id), known)) is not None:  # (the schools file lost them)
        zeros = "0" * len(str(school_id))
        en += (f"; the schools table has `{bare_id}`: the schools file's codes were stored as numbers, which dropped "
               f"their leading zeros, and this row's code is right. In the schools file, format the school code column "
               f"as text and write {school_id} (or give its cells the number format {zeros})")
        zh += (f"；学校名册中有“{bare_id}”：学校名册的学校代码被当作数字存储，开头的 0 丢失了，本行的代码无误。"
               f"请在学校名册中将学校代码列设为文本格式后写作 {school_id}（或将单元格格式设为自定义“{zeros}”）")
        kind = functools.partial(LostZeros, known=bare_id, in_schools=True)
    elif named:
        en += (f"; it is the name of school {', '.join(f'`{k}`' for k in named)} in the schools table: "
               "this column takes the school's id")
        zh += f"；“{school_id}”是学校名册中代码为 {'、'.join(named)} 的学校的名称，此列应填学校代码"
    elif len(known) <= _IDS_SPELT and (near := did_you_mean(str(school_id), [str(k) for k in known if k is not None])):
        en += f"; did you mean `{near}`?"  # S1O for S10: a letter for a digit
        zh += f"；是否应为“{near}”？"
    return kind(file, line, column, str(school_id), "R005", en, zh)


@attrs.frozen
class LostZeros(RosterProblem):
    """An unknown school (R005) that is a known one but for the leading zeros a number cell dropped, in
    the teachers' file (101 for 0101) or the schools file (0101 where it has 101, ``in_schools``): each
    such row says so, and no wrong schools file is to be suspected (``lost_zeros``); many are said as one
    (``said_once``). A kind of problem, so that a program reads every problem by a ``RosterProblem``'s
    fields; ``known``: the code the schools table has."""

    known: str = ""
    in_schools: bool = False


LOST_ZEROS_SHOWN = 3  # the codes a summary of lost zeros names


def said_once(problems: Sequence[RosterProblem]) -> list[RosterProblem]:
    """``problems`` as a user reads them (a terminal, the studio): the schools whose codes lost their zeros
    (``LostZeros``) of one file, sheet and column, on two rows or more, said once for the file where the first
    was (how many rows, which codes, what to do), with the rows (the first ``ROWS_NAMED``) and their count
    for a program, as R033 gives them; the others as they are. Each row stays refused by its own problem
    (``Roster.problems``, a row's ``problems``): this is what is read, not what refuses."""
    groups: dict[tuple, list[LostZeros]] = {}
    for p in problems:
        if isinstance(p, LostZeros) and p.row is not None:
            groups.setdefault((p.file, p.sheet, p.column, p.in_schools), []).append(p)
    out: list[RosterProblem] = []
    for p in problems:
        group = groups.get((p.file, p.sheet, p.column, p.in_schools)) if isinstance(p, LostZeros) else None
        if group is None or len(group) < 2:
            out.append(p)
        elif p is group[0]:
            out.append(_lost_zeros_summary(group))
    return out


def _lost_zeros_summary(group: Sequence[LostZeros]) -> RosterProblem:
    """The one problem ``said_once`` says of the rows whose school codes lost their zeros."""
    # (as written, as the schools table has it), in the codes' order as numbers
    pairs = sorted(set((p.value, p.known) for p in group), key=lambda pair: (len(pair[0]), pair[0]))
    first = group[0]
    shown, more = pairs[:LOST_ZEROS_SHOWN], len(pairs) > LOST_ZEROS_SHOWN
    codes_en = ", ".join(f"`{v}` (the schools table: `{k}`)" for v, k in shown) + \
        (f", … ({len(pairs)} codes)" if more else "")
    codes_zh = "、".join(f"“{v}”（学校名册中为“{k}”）" for v, k in shown) + (f"等 {len(pairs)} 个代码" if more else "")
    lengths = {len(k if not first.in_schools else v) for v, k in pairs}  # the codes with their zeros
    zeros = "0" * lengths.pop() if len(lengths) == 1 else None
    format_en = f" (or give its cells the number format {zeros})" if zeros else ""
    format_zh = f"（或将单元格格式设为自定义“{zeros}”）" if zeros else ""
    count = len(group)
    rows = tuple(p.row for p in group[:ROWS_NAMED])
    if first.in_schools:
        en = (f"{count} rows' school codes are not in the schools table as written, but are there without their "
              f"leading zeros: {codes_en}. The schools file's codes were stored "
              "as numbers, which dropped the zeros, and these rows' codes are right: in the schools file, format the "
              f"school code column as text and write each code with its zeros{format_en}, then run again")
        zh = (f"有 {count} 行的学校代码不在学校名册中，但去掉开头的 0 后都在：{codes_zh}。"
              "学校名册的学校代码被当作数字存储，开头的 0 丢失了，这些行的代码无误：请在学校名册中将学校代码列设为文本格式，"
              f"按教师名册的写法补上开头的 0{format_zh}，再运行")
    else:
        en = (f"{count} rows' school codes are not in the schools table, but are once their leading zeros are put "
              f"back: {codes_en}. The column was stored as numbers, which "
              f"dropped the zeros: format it as text and write each code as the schools table does{format_en}, then "
              "run again")
        zh = (f"有 {count} 行的学校代码不在学校名册中，但补上开头的 0 后都在：{codes_zh}。"
              f"该列被当作数字存储，开头的 0 丢失了：请将该列设为文本格式，按学校名册的写法重新填写{format_zh}，再运行")
    return RosterProblem(first.file, None, first.column, first.value, "R005", en, zh, sheet=first.sheet, rows=rows,
                         count=count)


_IDS_SPELT = 5000  # school ids compared by spelling for a suggestion, at most (on the error path)


def _padded(school_id: str, known: Mapping[object, object]) -> str | None:
    """The known id that is ``school_id`` with the zeros a number cell dropped put back (0101 for 101)."""
    return next((k for k in known if isinstance(k, str) and _zeros_dropped(school_id, k)), None)


def _unpadded(school_id: str, known: Mapping[object, object]) -> str | None:
    """The known id that is ``school_id`` without its leading zeros (101 for 0101): the schools file's
    number cells dropped them."""
    return next((k for k in known if isinstance(k, str) and _zeros_dropped(k, school_id)), None)


def _zeros_dropped(number: str, coded: str) -> bool:
    """Whether ``number`` is the code ``coded`` (0101) as a number cell holds it (101)."""
    return number.isascii() and number.isdigit() and not number.startswith("0") \
        and coded.isascii() and coded.isdigit() and coded.startswith("0") and coded.lstrip("0") == number


def lost_zeros(problem: RosterProblem) -> bool:
    """Whether ``problem`` is an unknown school (R005) that is a known one but for its leading zeros."""
    return isinstance(problem, LostZeros)


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


ROWS_SHOWN = 5  # the rows a column-wide warning quotes (R042, R045, R046)
ROWS_NAMED = 10  # the rows a warning of a few empty cells (R033), or a summary of many rows' problem, names


def _first_rows(lines: Sequence[int], count: int) -> tuple[Sequence[int], str, str]:
    """The first rows of ``count`` a column-wide note names, and them in each language (2, 3, … / 2、3 行等)."""
    shown = lines[:ROWS_SHOWN]
    more = count > len(shown)
    return (shown, ", ".join(map(str, shown)) + (", …" if more else ""),
            "、".join(map(str, shown)) + (" 行等" if more else " 行"))


def filled_once(problems: Iterable[RosterProblem]) -> list[str]:
    """The columns whose empty required cells (R006) come in runs of rows, most of them one filled row
    apart (第3至36、38至80行…): the value written on a group's first row alone (a school's
    code, merged over its teachers and exported to CSV, where a merge keeps its value on the first row
    only; or left blank as 同上). At least two runs, of two rows each on average."""
    rows: dict[tuple[str, str | None, str], list[int]] = {}
    for p in problems:
        if p.code == "R006" and p.row is not None and p.column is not None:
            rows.setdefault((p.file, p.sheet, p.column), []).append(p.row)
    found = []
    for (_, _, column), lines in rows.items():
        lines = sorted(set(lines))
        gaps = [b - a for a, b in zip(lines, lines[1:]) if b != a + 1]  # between runs: the filled rows, plus one
        # most runs one filled row apart (a group's first row; a group of one teacher is a filled row more)
        if gaps and 2 * gaps.count(2) >= len(gaps) and len(lines) >= 2 * (len(gaps) + 1) and column not in found:
            found.append(column)
    return found


def filled_once_note(columns: Sequence[str], lang: str) -> str:
    """What ``filled_once`` found, and how to fill the cells in."""
    if lang == "zh":
        return (f"提示：列{'、'.join(f'“{c}”' for c in columns)}的空白成段出现，两段之间多只有一行已填写：像是只在每组的第一行"
                "填写（或合并单元格导出为 CSV 后只留下了第一行的值）。本程序不会按上一行补填；请在 Excel 或 WPS 中取消合并并向下填充"
                "（选中该列 → 取消合并 → 定位“空值” → 输入 = 上一格 → Ctrl+Enter），或直接读取工作簿（.xlsx），其合并单元格按每行的值读取")
    return (f"note: the empty cells of {', '.join(f'`{c}`' for c in columns)} come in runs, most of them one filled "
            "row apart: the value seems written on each group's first row alone (or merged cells exported to CSV, "
            "which keeps a merge's value on its first row only). Nothing is filled in from the row above; in Excel or "
            "WPS unmerge the column and fill it down (select it, unmerge, Go To Special → Blanks, type = and the cell "
            "above, Ctrl+Enter), or read the workbook (.xlsx) itself, whose merged cells are read as each row's value")
