"""Rosters as lazy polars frames, for rosters too large to read row by row.

The same reading as ``roster.py`` (headers in English or Chinese, codes or
labels, the contract's date and boolean forms, required values, duplicate ids,
unknown schools), expressed as column expressions so that Parquet and CSV files
are scanned lazily and decisions can be streamed to a file with bounded memory.
``roster.py`` stays the reference: tests run both on the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs
import polars as pl

from . import schema as S
from . import types as T
from .compile import SCHOOL_PREFIX, decide_frame
from .policy import CheckedPolicy
from .roster import RosterProblem, _problem_for

ROW = "__row"
STREAMABLE = (".csv", ".parquet")


def _scan(path: Path, encoding: str | None) -> pl.LazyFrame:
    if path.suffix.lower() == ".parquet":
        return pl.scan_parquet(path)
    enc = (encoding or "utf8").lower().replace("-", "")
    if enc in ("utf8", "utf8sig"):
        return pl.scan_csv(path, infer_schema=False, encoding="utf8")
    # polars scans only UTF-8: other encodings are read eagerly (small CSVs in practice)
    return pl.read_csv(path, infer_schema=False, encoding=encoding).lazy()


def _is_utf8(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return True
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample


def _text(col: pl.Expr) -> pl.Expr:
    return col.cast(pl.Utf8).str.strip_chars()


def _date(col: pl.Expr, dtype) -> pl.Expr:
    if dtype == pl.Date:
        return col
    if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
        return col.dt.date()
    t = _text(col).str.replace(r"[ T]00:00(:00)?(\.0+)?$", "")
    norm = t.str.replace_all(r"[年月/.]", "-").str.replace(r"日$", "").str.strip_chars("-")
    # the row reader's forms: one separator throughout (2025-09/01 is not a date)
    full = t.str.contains(r"^\d{4}(-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日?)$")
    month = t.str.contains(r"^\d{4}([-/.]\d{1,2}|年\d{1,2}月?)$")
    return (pl.when(full).then(norm.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
            .when(month).then((norm + "-1").str.strptime(pl.Date, "%Y-%m-%d", strict=False)))


_TRUE = ["true", "1", "y", "yes", "是", "有", "t"]
_FALSE = ["false", "0", "n", "no", "否", "无", "f", ""]


def _bool(col: pl.Expr, dtype) -> pl.Expr:
    if dtype == pl.Boolean:
        return col.fill_null(False)
    t = _text(col).str.to_lowercase().fill_null("")
    return pl.when(t.is_in(_TRUE)).then(True).when(t.is_in(_FALSE)).then(False)


def _number(col: pl.Expr, dtype) -> pl.Expr:
    if dtype.is_numeric():
        return col.cast(pl.Float64)
    t = _text(col)
    # the row reader's numbers: 1,200 but not 1,5, inf, nan or 1e3
    ok = t.str.contains(r"^[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)$")
    return pl.when(ok).then(t.str.replace_all(",", "").cast(pl.Float64, strict=False))


def _enum(col: pl.Expr, enum: S.Enum) -> pl.Expr:
    mapping = {}
    for code, label in enum.labels.items():
        mapping[code] = code
        mapping[code.lower()] = code
        mapping[label] = code
    for alias, code in enum.aliases.items():
        mapping[alias] = code
    t = _text(col)
    lowered = t.str.to_lowercase()
    first = t.replace_strict(mapping, default=None, return_dtype=pl.Utf8)
    return pl.coalesce(first, lowered.replace_strict(mapping, default=None, return_dtype=pl.Utf8))


def _typed(field: S.Field, col: pl.Expr, dtype) -> pl.Expr:
    t = field.type
    if isinstance(t, T.DateType):
        return _date(col, dtype)
    if isinstance(t, T.BoolType):
        return _bool(col, dtype)
    if isinstance(t, T.NumberType):
        return _number(col, dtype)
    if isinstance(t, T.EnumType):
        return _enum(col, field.enum)
    if dtype.is_float():  # an id typed as a number in a spreadsheet: 1001.0 is "1001"
        text = pl.when(col == col.floor()).then(col.cast(pl.Int64).cast(pl.Utf8)).otherwise(col.cast(pl.Utf8))
    else:
        text = _text(col)
    return pl.when(text == "").then(None).otherwise(text)


@attrs.frozen
class Scanned:
    frame: pl.LazyFrame  # canonical typed columns, plus ROW and one `__bad_<field>` flag per field
    columns: dict[str, str]  # canonical field -> header as written
    problems: tuple[RosterProblem, ...]  # file-level problems (missing columns)
    first_line: int
    path: str
    encoding: str | None


def scan_table(path: str | Path, table: S.Table, encoding: str | None = None) -> Scanned:
    path = Path(path)
    lazy = _scan(path, encoding)
    schema = lazy.collect_schema()
    columns: dict[str, str] = {}
    problems = []
    for raw in schema.names():
        field = table.field(raw.strip().lstrip("\ufeff"))
        if field is not None and field.name not in columns:
            columns[field.name] = raw
    for field in table.fields:
        if field.required and field.name not in columns:
            problems.append(RosterProblem(str(path), None, field.name, None, "R001",
                                          f"required column `{field.name}` ({field.zh}) is missing",
                                          f"缺少必需的列“{field.zh}”（{field.name}）"))
    first = 2 if path.suffix.lower() == ".csv" else 1
    exprs = [(pl.int_range(pl.len(), dtype=pl.Int64) + first).alias(ROW)]
    for field in table.fields:
        if field.name in columns:
            raw = pl.col(columns[field.name])
            typed = _typed(field, raw, schema[columns[field.name]])
            present = raw.is_not_null() & (_text(raw).fill_null("") != "")
            if isinstance(field.type, T.EnumType) and field.name in ("title", "backbone"):
                typed = pl.when(present).then(typed).otherwise(pl.lit("none"))
            bad = present & typed.is_null()
            if field.required:
                bad = bad | ~present
            exprs += [typed.alias(field.name), bad.alias(f"__bad_{field.name}")]
        else:
            default = False if isinstance(field.type, T.BoolType) else None
            exprs.append(pl.lit(default, dtype=_dtype(field)).alias(field.name))
    # rows with every cell empty (formatted rows below the data) are not rows, as in the row reader
    blank = pl.all_horizontal([_text(pl.col(c)).fill_null("") == "" for c in schema.names()]).alias("__blank")
    frame = lazy.select(*exprs, blank).filter(~pl.col("__blank")).drop("__blank")
    return Scanned(frame, columns, tuple(problems), first, str(path), encoding)


def _dtype(field: S.Field):
    t = field.type
    return {T.BoolType: pl.Boolean, T.DateType: pl.Date, T.NumberType: pl.Float64}.get(type(t), pl.Utf8)


def joined(teachers: Scanned, schools: pl.DataFrame) -> pl.LazyFrame:
    prefixed = schools.select([pl.col(c).alias(SCHOOL_PREFIX + c) for c in schools.columns])
    return teachers.frame.join(prefixed.lazy(), left_on="school_id", right_on=SCHOOL_PREFIX + "school_id",
                               how="left", maintain_order="left", coalesce=False)


def _flags(frame_columns: Sequence[str]) -> list[str]:
    return [c for c in frame_columns if c.startswith("__bad_")]


def validate(teachers: Scanned, school_rows: pl.DataFrame, table: S.Table
             ) -> tuple[list[RosterProblem], pl.LazyFrame]:
    """Every problem of the teachers table, and the frame of its valid rows."""
    frame = teachers.frame.with_columns(
        (pl.col("id").is_not_null() & ~pl.col("id").is_first_distinct()).alias("__dup"),
        (pl.col("school_id").is_not_null() & ~pl.col("school_id").is_in(school_rows["school_id"].implode())
         ).alias("__school"))
    flags = _flags(frame.collect_schema().names()) + ["__dup", "__school"]
    any_bad = pl.any_horizontal([pl.col(f) for f in flags])
    raw_cols = list(teachers.columns.values())
    # only the flags and keys are needed here: keep memory to a few columns on huge rosters
    bad = frame.select(ROW, "id", "school_id", *flags).filter(any_bad).collect(engine="streaming")
    problems: list[RosterProblem] = list(teachers.problems)
    if bad.height:
        raw = _scan(Path(teachers.path), teachers.encoding).select(
            (pl.int_range(pl.len(), dtype=pl.Int64) + teachers.first_line).alias(ROW),
            *[pl.col(c).cast(pl.Utf8) for c in raw_cols]).filter(pl.col(ROW).is_in(bad[ROW].implode())).collect(
            engine="streaming")
        raw_by_row = {r[ROW]: r for r in raw.iter_rows(named=True)}
        first_of: dict[str, int] = {}
        dup_ids = set(bad.filter(pl.col("__dup"))["id"].to_list())
        if dup_ids:
            firsts = frame.select("id", ROW).filter(pl.col("id").is_in(list(dup_ids)) & pl.col("id").is_first_distinct()
                                                    ).collect(engine="streaming")
            first_of = dict(zip(firsts["id"].to_list(), firsts[ROW].to_list()))
        for row in bad.iter_rows(named=True):
            line = row[ROW]
            for field in table.fields:
                if row.get(f"__bad_{field.name}"):
                    header = teachers.columns[field.name]
                    value = (raw_by_row[line].get(header) or "").strip()
                    if value == "" and field.required:
                        problems.append(RosterProblem(teachers.path, line, header, "", "R006",
                                                      f"`{field.name}` is required but empty",
                                                      f"“{field.zh}”为必填项，不能为空"))
                    else:
                        code, en, zh = _problem_for(field, value)
                        problems.append(RosterProblem(teachers.path, line, header, value, code, en, zh))
            if row["__dup"]:
                key = row["id"]
                problems.append(RosterProblem(teachers.path, line, teachers.columns["id"], key, "R004",
                                              f"duplicate id `{key}` (first in row {first_of.get(key)})",
                                              f"工号“{key}”重复（首次出现在第{first_of.get(key)}行）"))
            if row["__school"]:
                key = row["school_id"]
                problems.append(RosterProblem(teachers.path, line, teachers.columns["school_id"], key, "R005",
                                              f"school `{key}` is not in the schools table",
                                              f"学校代码“{key}”不在学校表中"))
    return problems, frame.filter(~any_bad)


def stream_decisions(policy: CheckedPolicy, teachers_path: str | Path, schools_path: str | Path, output: str | Path,
                     *, as_of=None, params=None, encoding: str | None = None, skip_invalid: bool = False
                     ) -> tuple[list[RosterProblem], int]:
    """Validate, then decide every teacher and stream the flat decisions to ``output``
    (.csv or .parquet), written atomically. Returns the problems and the rows decided;
    with problems and without ``skip_invalid`` nothing is written."""
    from .roster import load_table

    rows, file_problems, _ = load_table(schools_path, policy.schools, encoding)
    school_problems = list(file_problems) + [p for r in rows for p in r.problems]
    school_rows = pl.DataFrame(
        [{f.name: r.values.get(f.name) for f in policy.schools.fields} for r in rows if r.valid] or None,
        schema={f.name: _dtype(f) for f in policy.schools.fields}, strict=False)
    if not _is_utf8(Path(teachers_path)) and not encoding:
        encoding = "gb18030"
    teachers = scan_table(teachers_path, policy.teachers, encoding)
    problems, valid = validate(teachers, school_rows, policy.teachers)
    problems = school_problems + problems
    if problems and not skip_invalid:
        return problems, 0
    if teachers.problems:  # a missing required column: no row can be decided
        return problems, 0
    frame = joined(attrs.evolve(teachers, frame=valid) if problems else teachers, school_rows)
    decisions = decide_frame(policy, frame, as_of=as_of, params=params)
    _sink(decisions, Path(output))
    count = pl.scan_parquet(output).select(pl.len()).collect().item() if str(output).endswith(".parquet") else None
    return problems, count


def _sink(lazy: pl.LazyFrame, output: Path) -> None:
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=output.suffix, dir=output.parent or ".")
    os.close(fd)
    try:
        if output.suffix.lower() == ".parquet":
            lazy.sink_parquet(tmp)
        else:
            lazy.sink_csv(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
