"""What a header says: which column gives which field (English or Chinese, any case, or an
alias: the one header mapper, ``map_header``), which row of a sheet's first is the header,
and the header's problems: columns missing (did you mean), unknown, in another unit, blank,
and values stated for absent columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from policylang.core.diagnostics import did_you_mean
from policylang.core.i18n import without_assumption_label
from policylang.core.text_width import is_han
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.pretty import value_text
from policylang.io.roster.model import RosterProblem, RosterRow
from policylang.io.roster.cells import _text, cell_value, header_name, _keyed, _letters
from policylang.io.roster.plausible import FROM_ID_NUMBER
from policylang.io.roster.problems import _file_problem, _readers
from policylang.io.roster.files import CSV_SUFFIXES
from policylang.io.roster.layout import SERIAL_HEADERS


HEADER_ROWS = 10  # the header is looked for in a sheet's (a CSV's) first rows: a title, a date, notes above it


def find_header(rows: Sequence[Sequence[object]], table: S.Table, loose: bool = False) -> int | None:
    """Which of the first ``HEADER_ROWS`` rows is ``table``'s header (0-based): the first that
    gives every required column (``map_header``), else the first naming the table's own columns
    (``_holds``: its required columns are then said missing); None when no row is a header.
    ``loose``, for a file known to hold the table (not a workbook's sheets being told apart):
    failing that, the first row naming several of its columns (``_names_columns``), so that a
    roster lacking 工号, or a teachers sheet read for its schools, is read from its header below
    a title, not from the title. The one rule for both readers, CSV and XLSX."""
    holding = ([i for i, row in enumerate(rows[:HEADER_ROWS]) if _holds(row, table)]
               or [i for i, row in enumerate(rows[:HEADER_ROWS]) if loose and _names_columns(row, table)])
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


def _names_columns(header: Sequence[object], table: S.Table) -> bool:
    """A header of ``table`` by a looser measure than ``_holds``, when none holds it: teachers'
    with three of its columns, one of them a teacher's own (序号、身份证号、姓名、性别、出生年月 …
    and no 工号); schools' with the school's code and another of its columns (a sheet of teachers
    and their schools, 工号 and all)."""
    names = {f.name for h in header if (f := table.header_field(header_name(h))) is not None}
    if table.name == "teacher":
        return len(names) >= 3 and bool(names & _TEACHERS_OWN)
    return "school_id" in names and len(names) >= 2


@attrs.frozen
class HeaderMap:
    """What a header says: which column gives which field, which columns are unknown, and
    what the header lacks."""

    fields: dict[int, S.Field]  # column index -> field
    extras: dict[int, str]  # column index -> unknown header, kept under its own name
    written: dict[str, str]  # field -> header as written, as messages name it (trimmed: ``header_name``)
    problems: list[RosterProblem]  # R001 required, R011 read by the policy, R010 doubled, R012 under strict
    warnings: list[RosterProblem]  # R013: values assumed for absent columns; R012: unknown headers
    assumptions: tuple[S.Assumption, ...]  # stated values standing in for absent columns the policy reads
    # a schools table read from the teachers' rows (a county's one-sheet roster: each teacher's row
    # carries the school's columns): one school per id, from rows that agree (``_one_row_per_school``)
    per_teacher: bool = False
    # field -> its header cell as given (`` 孕期``, ``\ufeff孕期``), to look a record's value up by:
    # ``written`` names it trimmed, which no record need hold as a key
    keys: dict[str, object] = attrs.Factory(dict)


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
            # a roster numbered by 序号, its people known by their ID numbers: neither is the 工号
            stand_ins = [n for n in ("序号", "id_number") if n in written or n in map(header_name, extras.values())]
            instead = (table.name == "teacher" and field.name == "id" and not close and stand_ins)
            # the teachers' schools given by name (学校名称, 单位名称): a name is no code, and two spellings of one
            # school (青溪乡 中心小学) would be two schools; the schools file says each one's code
            by_name = next((h for h in map(header_name, extras.values()) if S.SCHOOLS.header_field(h) is not None
                            and S.SCHOOLS.header_field(h).name == "name"), None) \
                if table.name == "teacher" and field.name == "school_id" and not close else None
            problems.append(_file_problem(
                file, "R001", f"required column `{field.name}` ({field.zh}) is missing"
                + (f"; is the roster's column `{close}` this one? Name it `{field.zh}`" if close else "")
                + ("; a row number (序号) changes as rows are sorted and an ID number is not written into the "
                   "decisions, so neither can stand for it: add each teacher's staff number (工号) as the system "
                   "that exported the roster holds it" if instead else "")
                + (f"; the roster's column `{by_name}` gives each teacher's school by its name, which cannot stand for "
                   f"its code: add a column `{field.zh}` with each school's code as the schools file (--schools) gives "
                   "it" if by_name else ""),
                f"缺少必需的列“{field.zh}”（{field.name}）"
                + (f"；名册中的“{close}”列是否就是此列？如是，请把表头改为“{field.zh}”" if close else "")
                + ("；序号随排序而变，身份证号不写入结论文件，二者都不能代替工号：请按导出名册的系统补上每人的工号"
                   if instead else "")
                + (f"；名册中的“{by_name}”列是学校名称，不能代替学校代码：请按学校名册（--schools）中各校的代码，"
                   f"补上“{field.zh}”列" if by_name else ""),
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
    keys = {field.name: header[i] for i, field in fields.items()}
    if (swapped := _other_tables_file(file, table, extras.values(), written)) is not None:
        return HeaderMap(fields, extras, written, [swapped], [], (), keys=keys)  # one word, not sixty of its symptoms
    if per_teacher:  # (the teachers' columns are said when the teachers are read)
        columns = [written[f.name] for f in table.fields if f.name in written]
        said = _file_problem(file, "R036", "the schools are read from the school columns of the teachers' rows "
                             f"({', '.join(columns)}): one school per school id, whose rows must agree",
                             f"学校信息取自教师名册各行中的学校列（{'、'.join(columns)}）：每个学校代码一所学校，"
                             "同一学校的各行须一致", warning=True)
        return HeaderMap(fields, extras, written, problems, hints + notes + [said], tuple(assumptions), True, keys)
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
                     hints + notes + ([] if table.strict else unknown), tuple(assumptions), keys=keys)


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
        return len(text) <= 2 and all(is_han(c) and c not in _TIME_WORDS for c in text)
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
    # (a column a policy declares in Chinese has one name: said once, not 缺少列“支教中止日期”（支教中止日期）)
    also_en, also_zh = (f" ({field.zh})", f"（{field.name}）") if field.zh != field.name else ("", "")
    en = (f"column `{field.name}`{also_en} is missing; {ids} read{'s' if len(readers) == 1 else ''} it. "
          f"Add the column, or state its value: "
          f"{caller.example(prefix_en + field.name, example_en)} "
          f"or a `default` in the policy's `field` declaration")
    zh = (f"缺少列“{field.zh}”{also_zh}，{ids_zh}需要读取此列。请在名册中补充此列，或声明其取值："
          f"{caller.example(prefix_zh + field.zh, example_zh, 'zh')}，或由政策起草人在政策文件中为此列写明"
          "默认取值（field 声明的 default）")
    if isinstance(field.type, T.DateType):  # an event's date: no value is "nobody's", which is how it is stated
        en += (f"; an empty value ({caller.example(prefix_en + field.name, '')}) states that "
               "nobody has such a date")
        zh += f"；取值为空（{caller.example(prefix_zh + field.zh, '', 'zh')}）表示所有人都没有此日期"
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


def few_blanks(blanks: int, rows: int, usually_yes: bool = False) -> bool:
    """Whether ``blanks`` of a column's ``rows`` look missed, the others filled (R033): at most
    3, or a tenth of a large roster, and never half. A column left empty but for the few rows
    that hold something (孕期 是 for the pregnant) is the usual way, not this. Of a column nearly
    everyone reads 是 in (``usually_yes``: ``schema.USUALLY_YES``), any number but all: the HR
    trial's 任课 empty in 50 of 400 rows exempted 16 teachers as not teaching without a word."""
    if usually_yes:
        return 0 < blanks < rows
    return 0 < blanks <= max(3, rows // 10) and blanks * 2 < rows


ID_FIELDS = {"teacher": "id", "school": "school_id"}  # what names a row's person or school to whoever reads a warning


def few_blanks_warning(file: str, field: S.Field, column: str, lines: Sequence[int], blanks: int,
                       table: str = "teacher", ids: Sequence[object] = ()) -> RosterProblem:
    """R033: a column ``blank_reads_as`` reads, filled in its rows but ``blanks`` (the first of
    them on ``lines``, whose teachers' or schools' ids are ``ids``, where known): each empty cell
    decides its row on the empty reading, as the contract says, and a clerk's missed cell would
    do so without a word. The rows find the cells in the sheet; the ids, the people."""
    empty = False if isinstance(field.type, T.BoolType) else field.enum.lookup("")
    en, zh = value_text(empty, field.type, "en"), value_text(empty, field.type, "zh")
    more = blanks > len(lines)
    rows_en = ", ".join(map(str, lines)) + (", …" if more else "")
    rows_zh = "、".join(map(str, lines)) + (" 行等" if more else " 行")  # (第 2、5 行等, not 第 2、5 等 行)
    what = "school row" if table == "school" else "row"
    named = [_text(i) or "—" for i in ids[:len(lines)]] if any(_text(i) for i in ids) else []
    id_en = ("school id" if table == "school" else "id") + ("s" if len(named) > 1 else "")
    id_zh = S.SCHOOLS.field("school_id").zh if table == "school" else S.TEACHERS.field("id").zh
    ids_en = f"; {id_en} {', '.join(named)}{', …' if more else ''}" if named else ""
    ids_zh = f"，{id_zh} {'、'.join(named)}{' 等' if more else ''}" if named else ""
    said = _file_problem(file, "R033", f"column `{column}` is empty in {blanks} {what}(s) (row {rows_en}{ids_en}), "
                         f"each read as `{en}`, and filled in the others: fill them in if they were missed",
                         f"列“{column}”有 {blanks} 行空白（第 {rows_zh}{ids_zh}），按“{zh}”处理；该列其余各行都已填写，"
                         "如为漏填请补上", column, warning=True)
    return attrs.evolve(said, rows=tuple(lines), count=blanks)


def assumed_problem(file: str, field: S.Field, assumption: S.Assumption, caller: S.Caller) -> RosterProblem:
    """An absent column the policy reads, read as the value stated for it (R013): said with
    every run, so that nobody takes the decisions for ones made on the column. ``caller``:
    who stated a value the policy does not."""
    by_en = "the policy" if assumption.source == "policy" else caller.assume_en
    by_zh = "政策" if assumption.source == "policy" else _in_chinese(caller.assume_zh)
    shown_zh = value_text(assumption.value, field.type, "zh")
    absent_zh = f"名册无“{field.zh}”列"
    reason_zh = without_assumption_label(assumption.reason) if assumption.reason else ""
    reason_zh = reason_zh.removeprefix(absent_zh + "，")  # (a reason that begins as the message does: said once)
    return _file_problem(file, "R013", f"column `{field.name}` ({field.zh}) is absent; every row reads it as "
                         f"`{assumption.text()}`, as {by_en} states" + (f": {assumption.reason}" if assumption.reason else ""),
                         f"{absent_zh}，每行按{by_zh}声明的取值“{shown_zh}”处理" + (f"：{reason_zh}" if reason_zh else ""),
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
    # (no value as the caller wrote it: `"assume": {"support_end": null}` as null, not as the text "")
    stated = table.caller.example(name, None if assumption.as_none else value)
    by_zh = table.caller.assume_zh + (" " if table.caller.assume_zh[-1:].isascii() else "")
    return _file_problem(file, "R025", f"{stated} is not used: the roster has the column `{header}`, and its values "
                         "decide",
                         f"名册已有“{header}”列，按名册中的取值作决定；{by_zh}声明的"
                         f"“{field.zh}={value_text(assumption.value, field.type, 'zh')}”未被采用", header, warning=True)


def _in_chinese(term: str) -> str:
    """A term as a Chinese sentence holds it: set off by a space where it starts or ends in Latin script."""
    return (" " if term[:1].isascii() else "") + term + (" " if term[-1:].isascii() else "")
