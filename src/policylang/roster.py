"""Reading and validating rosters: the teachers and schools tables of the contract,
from CSV (UTF-8 with or without BOM, or GB18030/GBK as Excel and WPS write it),
XLSX, Parquet or JSON, with English or Chinese headers and codes.

Every input row is kept: a row with problems carries them, and every problem
names the file, row (as a spreadsheet numbers it: the header is row 1), column
(as written in the file) and value. Nothing is dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from . import schema as S
from . import types as T


@attrs.frozen
class RosterProblem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    message_en: str
    message_zh: str

    def message(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" else self.message_en


@attrs.frozen
class RosterRow:
    index: int
    line: int
    values: dict[str, object]
    problems: tuple[RosterProblem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


@attrs.frozen
class Roster:
    teachers: tuple[RosterRow, ...]
    schools: dict[str, dict[str, object]]
    problems: tuple[RosterProblem, ...]
    teacher_file: str
    school_file: str

    def valid_teachers(self) -> list[RosterRow]:
        return [r for r in self.teachers if r.valid]


# ---- values ------------------------------------------------------------------------

_DATE_FORMS = [
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})[-.](\d{1,2})()"),
    re.compile(r"(\d{4})年(\d{1,2})月?()"),
]
_DATE_HELP_EN = "expected YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年MM月DD日 or a year-month form"
_DATE_HELP_ZH = "应为 YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日 或年月格式"
_TRUE = {"true", "1", "y", "yes", "是", "有", "t"}
_FALSE = {"false", "0", "n", "no", "否", "无", "f", ""}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value) -> dt.date | None:
    """A date in any of the contract's forms; None when empty; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    text = re.sub(r"[ T]00:00(:00)?(\.0+)?$", "", text)  # Excel date-times at midnight
    for form in _DATE_FORMS:
        m = form.fullmatch(text)
        if m:
            year, month, day = m.groups()
            return dt.date(int(year), int(month), int(day) if day else 1)
    raise ValueError(text)


def parse_bool(value) -> bool:
    """The contract's booleans; empty is false; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


def parse_number(value) -> int | float | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(str(value))
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else float(value)
    text = _text(value).replace(",", "")
    if not text:
        return None
    number = float(text)
    return int(number) if number.is_integer() else number


def _problem_for(field: S.Field, raw: str) -> tuple[str, str, str]:
    t = field.type
    if isinstance(t, T.DateType):
        return "R002", f"`{raw}` is not a date ({_DATE_HELP_EN})", f"“{raw}”不是有效日期（{_DATE_HELP_ZH}）"
    if isinstance(t, T.BoolType):
        return ("R008", f"`{raw}` is not a yes/no value (true/false, 1/0, Y/N, yes/no, 是/否, 有/无)",
                f"“{raw}”不是是/否值（应为 是/否、有/无、1/0、Y/N 等）")
    if isinstance(t, T.NumberType):
        return "R007", f"`{raw}` is not a number", f"“{raw}”不是数字"
    enum = field.enum
    codes = ", ".join(f"{c} ({enum.labels[c]})" for c in enum.codes)
    labels = "、".join(f"{enum.labels[c]}（{c}）" for c in enum.codes)
    return "R003", f"`{raw}` is not a {field.name} code (expected one of {codes})", \
        f"“{raw}”不是有效的{field.zh}取值（应为：{labels}）"


def _convert(field: S.Field, value):
    """A typed value, or raise ValueError."""
    t = field.type
    if isinstance(t, T.DateType):
        return parse_date(value)
    if isinstance(t, T.BoolType):
        return parse_bool(value)
    if isinstance(t, T.NumberType):
        return parse_number(value)
    if isinstance(t, T.EnumType):
        text = _text(value)
        code = field.enum.lookup(text)
        if code is None and text:
            raise ValueError(text)
        return code
    text = _text(value)
    return text or None


# ---- files ---------------------------------------------------------------------------


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK and GB2312, as Excel and WPS write on Chinese systems
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise
        return str(best)


def _read_csv(path: Path, encoding: str | None) -> tuple[list[str], list[list[object]]]:
    text = _decode(path.read_bytes(), encoding)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _read_xlsx(path: Path) -> tuple[list[str], list[list[object]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        return [], []
    header = [_text(h) for h in rows[0]]
    return header, rows[1:]


def _read_parquet(path: Path) -> tuple[list[str], list[list[object]]]:
    import polars as pl

    frame = pl.read_parquet(path)
    return frame.columns, [list(r) for r in frame.iter_rows()]


def _read_json(path: Path, encoding: str | None) -> tuple[list[str], list[list[object]]]:
    data = json.loads(_decode(path.read_bytes(), encoding))
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ValueError("expected a list of objects")
    header: list[str] = []
    for record in data:
        header += [k for k in record if k not in header]
    return header, [[record.get(h) for h in header] for record in data]


_READERS: dict[str, Callable[[Path, str | None], tuple[list[str], list[list[object]]]]] = {
    ".csv": _read_csv,
    ".txt": _read_csv,
    ".xlsx": lambda p, e: _read_xlsx(p),
    ".xlsm": lambda p, e: _read_xlsx(p),
    ".parquet": lambda p, e: _read_parquet(p),
    ".json": _read_json,
}


def read_table(path: str | Path, encoding: str | None = None) -> tuple[list[str], list[list[object]]]:
    """The header and the data rows of a table file, as found."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"unknown format `{path.suffix}` (use .csv, .xlsx, .parquet or .json)")
    return reader(path, encoding)


# ---- validation ----------------------------------------------------------------------


def _file_problem(file: str, code: str, en: str, zh: str, column: str | None = None) -> RosterProblem:
    return RosterProblem(file, None, column, None, code, en, zh)


def _normalise(file: str, table: S.Table, header: Sequence[str], rows: Iterable[Sequence[object]],
               first_line: int) -> tuple[list[RosterRow], list[RosterProblem]]:
    """Map headers to fields, convert values, check required values and uniqueness."""
    file_problems: list[RosterProblem] = []
    mapping: dict[int, S.Field] = {}
    seen: dict[str, str] = {}
    extras: dict[int, str] = {}
    for i, raw in enumerate(header):
        name = _text(raw).lstrip("\ufeff")
        field = table.field(name) or table.field(name.lower())
        if field is None:
            if name:
                extras[i] = name
            continue
        if field.name in seen:
            file_problems.append(_file_problem(
                file, "R010", f"columns `{seen[field.name]}` and `{name}` both give `{field.name}`",
                f"列“{seen[field.name]}”与“{name}”重复（都是 {field.zh}）", name))
            continue
        seen[field.name] = name
        mapping[i] = field
    for field in table.fields:
        if field.required and field.name not in seen:
            file_problems.append(_file_problem(
                file, "R001", f"required column `{field.name}` ({field.zh}) is missing",
                f"缺少必需的列“{field.zh}”（{field.name}）", field.name))
    out: list[RosterRow] = []
    for index, row in enumerate(rows):
        line = first_line + index
        values: dict[str, object] = {}
        problems: list[RosterProblem] = []
        for i, field in mapping.items():
            raw = row[i] if i < len(row) else None
            try:
                value = _convert(field, raw)
            except (ValueError, TypeError, OverflowError):
                code, en, zh = _problem_for(field, _text(raw))
                problems.append(RosterProblem(file, line, seen[field.name], _text(raw), code, en, zh))
                value = None
            else:
                if value is None and field.required:
                    problems.append(RosterProblem(
                        file, line, seen[field.name], "", "R006", f"`{field.name}` is required but empty",
                        f"“{field.zh}”为必填项，不能为空"))
            values[field.name] = value
        for field in table.fields:
            values.setdefault(field.name, False if isinstance(field.type, T.BoolType) else None)
        for i, name in extras.items():
            values.setdefault(name, _text(row[i]) if i < len(row) else None)
        out.append(RosterRow(index, line, values, tuple(problems)))
    _check_unique(file, table, out, seen)
    return out, file_problems


def _check_unique(file: str, table: S.Table, rows: list[RosterRow], headers: Mapping[str, str]) -> None:
    for field in table.fields:
        if not field.unique or field.name not in headers:
            continue
        first: dict[object, int] = {}
        for k, row in enumerate(rows):
            key = row.values.get(field.name)
            if key is None:
                continue
            if key in first:
                problem = RosterProblem(
                    file, row.line, headers[field.name], str(key), "R004",
                    f"duplicate {field.name} `{key}` (first in row {first[key]})",
                    f"{field.zh}“{key}”重复（首次出现在第{first[key]}行）")
                rows[k] = attrs.evolve(row, problems=row.problems + (problem,))
            else:
                first[key] = row.line


def _check_schools(teachers: list[RosterRow], schools: Mapping[str, object], file: str, header: str) -> None:
    for k, row in enumerate(teachers):
        school_id = row.values.get("school_id")
        if school_id is not None and school_id not in schools:
            problem = RosterProblem(file, row.line, header, str(school_id), "R005",
                                    f"school `{school_id}` is not in the schools table",
                                    f"学校代码“{school_id}”不在学校表中")
            teachers[k] = attrs.evolve(row, problems=row.problems + (problem,))


def _first_line(path: Path) -> int:
    return 2 if path.suffix.lower() in (".csv", ".txt", ".xlsx", ".xlsm") else 1


def load_table(path: str | Path, table: S.Table, encoding: str | None = None):
    """One table: its rows (each with its problems), the file-level problems, and the
    header of each canonical field as written in the file."""
    path = Path(path)
    try:
        header, rows = read_table(path, encoding)
    except (OSError, ValueError, UnicodeDecodeError, LookupError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [], [_file_problem(str(path), "R009", f"cannot read the file: {reason}", f"无法读取文件：{reason}")], {}
    except Exception as exc:  # noqa: BLE001 - a corrupt xlsx or parquet raises library-specific errors
        return [], [_file_problem(str(path), "R009", f"cannot read the file: {exc.__class__.__name__}: {exc}",
                                  f"无法读取文件：{exc.__class__.__name__}")], {}
    rows_out, problems = _normalise(str(path), table, header, rows, _first_line(path))
    headers = {}
    for raw in header:
        f = table.field(_text(raw).lstrip("\ufeff"))
        if f is not None:
            headers.setdefault(f.name, _text(raw).lstrip("\ufeff"))
    return rows_out, problems, headers


def _assemble(teacher_rows, teacher_file_problems, teacher_headers, school_rows, school_file_problems,
              teacher_file: str, school_file: str) -> Roster:
    schools = {r.values["school_id"]: r.values for r in school_rows if r.valid}
    if not school_file_problems and "school_id" in teacher_headers:
        known = {r.values.get("school_id") for r in school_rows} - {None}
        _check_schools(teacher_rows, {k: None for k in known}, teacher_file, teacher_headers["school_id"])
    problems = list(teacher_file_problems) + list(school_file_problems)
    problems += [p for r in school_rows for p in r.problems]
    problems += [p for r in teacher_rows for p in r.problems]
    if teacher_file_problems:  # a missing column makes every row undecidable
        teacher_rows = [attrs.evolve(r, problems=r.problems + tuple(teacher_file_problems)) if r.valid else r
                        for r in teacher_rows]
    return Roster(tuple(teacher_rows), schools, tuple(problems), teacher_file, school_file)


def load_roster(teachers: str | Path, schools: str | Path, *, encoding: str | None = None,
                teacher_extra: Sequence[S.Field] = (), school_extra: Sequence[S.Field] = ()) -> Roster:
    """Read and validate both tables; every teacher row is kept, with its problems."""
    teacher_table = S.TEACHERS.with_extra(tuple(teacher_extra))
    school_table = S.SCHOOLS.with_extra(tuple(school_extra))
    t_rows, t_problems, t_headers = load_table(teachers, teacher_table, encoding)
    s_rows, s_problems, _ = load_table(schools, school_table, encoding)
    return _assemble(t_rows, t_problems, t_headers, s_rows, s_problems, str(teachers), str(schools))


def roster_from_records(teachers: Iterable[Mapping], schools: Iterable[Mapping], *, teacher_extra=(),
                        school_extra=(), source: str = "<records>") -> Roster:
    """The same reading and validation for records already in memory (the embedding API)."""
    teacher_table = S.TEACHERS.with_extra(tuple(teacher_extra))
    school_table = S.SCHOOLS.with_extra(tuple(school_extra))
    results = []
    for records, table in ((list(teachers), teacher_table), (list(schools), school_table)):
        header: list[str] = []
        for record in records:
            header += [k for k in record if k not in header]
        rows = [[record.get(h) for h in header] for record in records]
        out, problems = _normalise(source, table, header, rows, 1)
        headers = {}
        for h in header:
            f = table.field(h)
            if f is not None:
                headers.setdefault(f.name, h)
        results.append((out, problems, headers))
    (t_rows, t_problems, t_headers), (s_rows, s_problems, _) = results
    return _assemble(t_rows, t_problems, t_headers, s_rows, s_problems, source, source)
