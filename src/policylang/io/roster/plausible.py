"""Values no person has (born before 1900, starting work before being born, negative years:
R017), dates after the reference date, and the resident ID number (身份证号): the rules, written
once (the columnar and record readers use them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

import attrs

from policylang.io.id_number import InvalidIdNumber, canonical_id_number, mask_id_number, parse_id_number
from policylang.lang import schema as S
from policylang.lang.decisions import MonthDate
from policylang.lang.pretty import value_text
from policylang.io.roster.model import RosterProblem, Roster
from policylang.io.roster.cells import _text, EXCEL_YEAR_DAYS
from policylang.io.roster.problems import empty_required_problem


# ---- values no person has: the rule, written once (the columnar and record readers use it)

EARLIEST_BIRTH = dt.date(1900, 1, 1)


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


def _unset(value, values, birth):
    return value == dt.date(1, 1, 1) and (
        "0001-01-01 is the date a program writes for a date it was not given (.NET's DateTime.MinValue, "
        "default(DateTime)): send null for a date not known, or none (a DateTime? or DateOnly? left unset)",
        "0001-01-01 是程序对未赋值的日期写出的值（.NET 的 DateTime.MinValue，即 default(DateTime)）："
        "日期不详或没有时请发送 null（使用可空的 DateTime? 或 DateOnly?）")


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
    teacher = {"birth_date": (_unset, _before_1900, _excel_year), "retirement_category": (_no_retirement_category,),
               **{name: (_a_man,) for name in WOMEN_ONLY}, "id": (_an_example,), "name": (_an_example,),
               **{name: (_unset, _before_birth, *((_before_working_age,) if name in WORKING_LIFE else ()))
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


# ---- at the school before starting work: said (R050) -----------------------------------------

# (a teacher's 到校时间 is when they came to the school they teach at, 参加工作时间 their first employment as a
# teacher: the one before the other is a cell typed wrong, or, on most rows, the two columns filled the wrong
# way round, which counts every tenure from the first job. Not refused: a 职员 who became a teacher at the
# school, a 代课教师 whose 参加工作时间 is the day they were taken on the staff, may have one.)
EARLY_START = ("school_start", "work_start")


def starts_before_work(school_start: object, work_start: object) -> bool:
    """Whether a teacher's start at the school is in an earlier month than their first employment (a
    year-month date stands for its month): the one rule for every reader."""
    return isinstance(school_start, dt.date) and isinstance(work_start, dt.date) \
        and _month(school_start) < _month(work_start)


def _early_start_why(school_en: str, school_zh: str) -> tuple[str, str]:
    """Why R050 is said, whoever it is said of (``school_en``, ``school_zh``: the start at the school as
    the message names it): the words its roster and one-person variants share."""
    return (f"a teacher comes to the school after starting work, and the years at the school are counted from "
            f"{school_en} as written",
            f"到本校一般在参加工作之后，本校任教年限按所填的{school_zh}计算")


def _early_start_asked(unit_en: str, unit_zh: str) -> tuple[str, str]:
    """R050's question, of the two ``unit``s (a roster's columns, one person's dates)."""
    return f"were the two {unit_en} filled the wrong way round?", f"是否把两{unit_zh}填反了？"


def early_start_of_one(file: str, teachers: S.Table, school_start: object, work_start: object,
                       ident: object = None, column: str | None = None) -> RosterProblem:
    """R050 of one person (``decide`` and ``explain`` of one record, ``try``, the studio's form): their
    two dates as given, each named by its field (到校时间, school_start) and, given an ``ident``, whose
    they are; no rows counted, as the roster's wording counts them. ``column``: the start at the school's
    key as given (the field's name if none)."""
    def named(name: str) -> tuple[str, str]:
        field = teachers.field(name)
        return name, (field.zh if field is not None and field.zh else name)
    (school_en, school_zh), (work_en, work_zh) = named("school_start"), named("work_start")
    school_start, work_start, ident = (_text(v) for v in (school_start, work_start, ident))
    whose_en, whose_zh = (f" of teacher {ident}", f"工号 {ident} 的") if ident else ("", "")
    (why_en, why_zh), (asked_en, asked_zh) = _early_start_why(school_en, school_zh), _early_start_asked("dates", "项")
    return RosterProblem(file, None, column or school_en, school_start, "R050",
                         f"{school_en} {school_start}{whose_en} is earlier than {work_en} {work_start}: {why_en}; "
                         + asked_en,
                         f"{whose_zh}{school_zh} {school_start} 早于{work_zh} {work_start}：{why_zh}；{asked_zh}",
                         warning=True, column_zh=school_zh)


def early_start_warning(file: str, written: Mapping[str, str], lines: list[int], count: int, both: int,
                        ids: list[object]) -> RosterProblem:
    """R050: ``count`` (at least one) of the ``both`` rows giving both dates have the teacher at the school
    before they started work (the first of them, as many as a warning names, on ``lines``; their teachers'
    ``ids``): said, naming them, and on most rows asking whether the two columns were swapped (of more
    than one row, saying how many)."""
    school, work = written["school_start"], written["work_start"]
    more = count > len(lines)
    named = [_text(i) or "—" for i in ids[:len(lines)]]
    rows_en = ", ".join(map(str, lines)) + (", …" if more else "")
    rows_zh = "、".join(map(str, lines)) + (" 行等" if more else " 行")
    ids_en = f"; id{'s' if len(named) > 1 else ''} {', '.join(named)}{', …' if more else ''}" if any(ids) else ""
    ids_zh = f"，工号 {'、'.join(named)}{' 等' if more else ''}" if any(ids) else ""
    why_en, why_zh = _early_start_why(f"`{school}`", f"“{school}”")
    if count * 2 > both:  # most rows: the two columns the wrong way round, every tenure counted from the first job
        asked_en, asked_zh = _early_start_asked("columns", "列")
        if both > 1:  # (of one row, "all of the 1 rows" says nothing)
            asked_en = f"{'all' if count == both else count} of the {both} rows say so: {asked_en}"
            asked_zh = f"{f'全部 {both} 行都如此' if count == both else f'{both} 行中多数如此'}，{asked_zh}"
    else:
        asked_en, asked_zh = "check these rows", "请核对这些行"
    en = (f"column `{school}` is earlier than `{work}` in {count} row{'s' if count != 1 else ''} (row {rows_en}{ids_en}): "
          f"{why_en}; {asked_en}")
    zh = f"列“{school}”有 {count} 行早于“{work}”（第 {rows_zh}{ids_zh}）：{why_zh}；{asked_zh}"
    return RosterProblem(file, None, school, None, "R050", en, zh, warning=True, rows=tuple(lines), count=count)
