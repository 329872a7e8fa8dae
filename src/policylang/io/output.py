"""Writing decisions: CSV, JSON, XLSX and Parquet, all atomically (a temporary file renamed
into place, so a failed run never leaves half a file). No text cell is a formula to a
spreadsheet, and JSON escapes every control character (``safe_text``).

What a decisions file holds is its ``Layout``:

- the decision's columns, named as ``contract.md`` fixes them;
- the roster's columns carried beside them, so that nobody joins the results back by
  hand: by default the teacher's name, school id and school name (``IDENTITY``), more on
  request (``resolve_keep``: any column of the roster). A column is written only when it
  is asked for, so the resident ID number (身份证号) never is unless asked;
- the language of headers and labels: English writes the contract's names and codes
  (``must_rotate``); Chinese writes 工号, 结论 … and 须交流 …. JSON keeps its English keys
  and codes in either language and adds labels (``status_label``);
- for CSV, the encoding: UTF-8 (with a BOM, so that Excel and WPS read Chinese, when
  asked) or GB18030.

The streamed writer (``columnar.stream_layout``) writes the same layout from polars frames with
the functions of this module (``label_frame``), so a streamed CSV is byte for byte the
file written here.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import math
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from policylang.core.diagnostics import BilingualError, did_you_mean
from policylang.core.file_errors import replaceable_or_raise
from policylang.core.text_width import TRIMMED, display_width, has_han
from policylang.core.i18n import EXEMPTIONS, direction_label, exemption_label, word
from policylang.io.id_column import IdsShown
from policylang.io.id_number import masked_in_text
from policylang.io.roster.problems import said_once
from policylang.io.safe_text import csv_text, json_utf8, terminal_text
from policylang.lang import schema as S
from policylang.lang.decisions import MAY_DECLINE_COLUMN, MonthDate
from policylang.lang.decisions import (ASSUMPTIONS_COLUMN, FIRED_COLUMN,
                                       UNCERTAIN_COLUMN, Decision, consequences, contract_benefits,
                                       decision_from_row, flat_columns)

FORMATS = ("csv", "json", "xlsx", "table")
FILE_FORMATS = ("csv", "json", "xlsx", "parquet")  # what -o FILE can be, by its suffix
# the suffixes of the formats this tool writes: a file of another of them under one does not open
# (XLSX bytes in 结论.csv, a CSV in 结论.xlsx); any other name takes the format asked for by name
# (`-o d.xls --format csv`: Excel opens a text file named .xls, after a warning)
_SUFFIX_SAYS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".parquet": "parquet", ".html": "html",
                ".htm": "html"}


def suffix_against(path: str | Path, fmt: str) -> str | None:
    """The suffix of ``path`` where it is that of another format this tool writes than ``fmt``
    (``.csv`` for an XLSX), or None: a name without a suffix, or with another, takes any."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in _SUFFIX_SAYS and _SUFFIX_SAYS[suffix] != fmt else None
ENCODINGS = ("utf-8", "gb18030")  # of a CSV file
XLSX_MAX_ROWS = 1_048_576  # rows of an Excel sheet, the header's included
BOM = "\ufeff"


def temporary_beside(path: Path, suffix: str = "") -> str:
    """The name of a temporary file beside ``path``, not made yet. Whoever makes it holds the
    name first: with ``mkstemp`` a signal between the file's making and its name's return
    would leave a file no cleanup knows of."""
    return str(path.parent / f".{path.name}.{secrets.token_hex(8)}{suffix}")


def make_temporary(tmp: str) -> None:
    """Make the file ``temporary_beside`` named, private while it is written (``publish`` opens it)."""
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def remove_temporary(tmp: str | Path) -> None:
    """A temporary file gone, if it was made: a name through a file (`结论.csv/x.json`) or an
    unwritable folder was never made, and removing it raises other errors than 'not found'."""
    try:
        Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass


def atomic_write(path: str | Path, data: bytes) -> None:
    path = Path(path)
    tmp = temporary_beside(path)
    try:
        make_temporary(tmp)
        with open(tmp, "wb") as f:
            f.write(data)
        publish(tmp, path)
    except BaseException:
        remove_temporary(tmp)
        raise


def publish(tmp: str | Path, path: str | Path) -> None:
    """Put a finished temporary file in place of ``path`` in one step, with the permissions
    a new file would have (``make_temporary`` makes the file private; an output file is not).
    Its data is on the disk first: a power cut just after leaves the old file or the whole new
    one, never a name for data not yet written (ext4 and XFS may otherwise show it empty)."""
    replaceable_or_raise(path)  # never a device, pipe or link replaced by a file
    synced(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def synced(path: str | Path) -> None:
    """A file's data written to the disk (a writer may sync as it goes: ``sync_data``, leaving
    little for this)."""
    fd = os.open(path, os.O_WRONLY)  # (Windows syncs only a file open for writing)
    try:
        _syncing(os.fsync, fd)
    finally:
        os.close(fd)


def sync_data(fd: int) -> None:
    """The data written to an open file put on the disk."""
    _syncing(getattr(os, "fdatasync", os.fsync), fd)  # (macOS and Windows have no fdatasync)


def _syncing(sync: Callable[[int], None], fd: int) -> None:
    try:
        sync(fd)
    except OSError as exc:  # a file system that cannot sync (some network and virtual ones): written as it is
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise


columns = flat_columns  # the columns of a decisions file: a decision's flat form (``Decision.to_row``)


# ---- what a file holds ----------------------------------------------------------------


@attrs.frozen
class Carried:
    """A roster column written beside the decisions."""

    key: str  # its name in an English file and its key in JSON
    zh: str  # its header in a Chinese file
    source: str  # where its value is: a teacher field, `school.FIELD`, or a column as the roster names it
    kind: str = "text"  # text, date, bool, number, or the name of an enum (codes shown as labels in Chinese)
    extra: bool = False  # a column no schema declares: only the row reader keeps it


NAME = Carried("name", "姓名", "name")
SCHOOL_ID = Carried("school_id", "学校代码", "school_id")
SCHOOL_NAME = Carried("school_name", "学校名称", "school.name")
IDENTITY = (NAME, SCHOOL_ID, SCHOOL_NAME)  # carried by default: who, and where

_HEADERS_ZH = {
    MAY_DECLINE_COLUMN: "可申请不参加",
    "id": "工号", "status": "结论", "rule": "依据规则", "exemption": "豁免情形", "direction": "交流方向",
    "promotion_first": "晋升一级", "promotion_senior": "晋升高级", "promotion_full_senior": "晋升正高级",
    "promotion_principal": "任校长", "penalties": "惩处", "benefits": "激励", "cite": "政策出处",
    UNCERTAIN_COLUMN: "数据不全待核实", ASSUMPTIONS_COLUMN: "假定取值", FIRED_COLUMN: "触发规则",
}
_STATUSES = ("must_rotate", "eligible", "exempt", "not_eligible")


@attrs.frozen
class Layout:
    """The columns of a decisions file, their language, and for CSV the bytes."""

    lang: str = "en"  # en: the contract's names and codes; zh: Chinese headers and labels
    carried: tuple[Carried, ...] = ()
    fired: bool = False  # add the rules that fired
    bom: bool = False  # start a UTF-8 CSV with a byte order mark
    encoding: str = "utf-8"  # of a CSV: utf-8 or gb18030
    effects: Mapping[tuple[str, str], str | None] = attrs.field(factory=dict)  # (rule, effect) -> label
    exemptions: Mapping[str, str] = attrs.field(factory=dict)  # a policy's own exemption code -> its title
    # how the ids are shown: an id that is a resident ID number masked, unless asked for whole (id_column)
    ids: IdsShown = attrs.field(factory=IdsShown)

    @classmethod
    def of_policy(cls, policy, **options) -> Layout:
        """A layout of ``policy``'s decisions (``options``: the other fields): its effects'
        labels and its own exemption codes' titles, which the output shows."""
        return cls(effects=policy.effect_labels(), exemptions=policy.exemption_titles(),
                   **options)

    @property
    def columns(self) -> tuple[str, ...]:
        """The keys of the columns, in order: id and status first, then who and where, then why."""
        decision = columns(self.fired)
        return decision[:2] + tuple(c.key for c in self.carried) + decision[2:]

    @property
    def headers(self) -> tuple[str, ...]:
        if self.lang != "zh":
            return self.columns
        zh = {c.key: c.zh for c in self.carried} | _HEADERS_ZH
        return tuple(zh[c] for c in self.columns)

    def header(self, column: str) -> str:
        """A decision column's header in this layout's language (`status`, 结论)."""
        return _HEADERS_ZH.get(column, column) if self.lang == "zh" else column

    def label(self, column: str) -> Callable[[str], str] | None:
        """How a decision column's cell (the English file's text) reads in this layout's
        language; None where it reads as it is."""
        if self.lang != "zh":
            return contract_benefits if column == "benefits" else None
        if column == "status":
            return lambda text: word(text, "zh") if text else ""
        if column == "exemption":
            return lambda text: (exemption_label(text, "zh") if text in EXEMPTIONS
                                 else self.exemptions.get(text, text))
        if column == "direction":
            return lambda text: direction_label(text, "zh")
        if column == MAY_DECLINE_COLUMN:
            return lambda text: "、".join(exemption_label(code, "zh") if code in EXEMPTIONS
                                         else self.exemptions.get(code, code) for code in filter(None, text.split(";")))
        if column.startswith("promotion_"):
            return _promotion_zh
        if column in ("penalties", "benefits"):
            return self._consequences_zh
        if column == ASSUMPTIONS_COLUMN:
            return _assumptions_zh
        if column == UNCERTAIN_COLUMN:
            return _uncertain_zh
        if column == "cite":  # the citations as Chinese lists them (the 条款 sheet too): 、within, ；between
            return lambda text: text.replace(";", "；")
        return None

    def _consequences_zh(self, text: str) -> str:
        """Penalties or benefits `RULE:effect:until` as labels, the last day after each: the
        Chinese file is for reading, and says until when a benefit lasts as a penalty."""
        return "；".join(f"{c.rule} {c.label or c.effect}" + (f"（至{c.until.isoformat()}）" if c.until else "")
                        for c in consequences(text, self.effects))

    def encode(self, text: str) -> bytes:
        if self.encoding == "gb18030":
            return text.encode("gb18030")
        return text.encode("utf-8")

    @property
    def preamble(self) -> bytes:
        """What a CSV file starts with: the BOM, when asked (a GB18030 file has none)."""
        return BOM.encode("utf-8") if self.bom and self.encoding != "gb18030" else b""


def _promotion_zh(text: str) -> str:
    if not text:
        return ""
    return "符合条件" if text == "ok" else "未满足：" + "、".join(_unmet_zh(item) for item in text.split(";"))


def _unmet_zh(item: str) -> str:
    """An unmet prerequisite's id as it is; a penalty barring promotion (``X-1:2026-09-02``) with
    the day it lifts, or 无期限 when it is open-ended."""
    rule, barred, lifts = item.partition(":")
    if not barred:
        return rule
    return f"{rule}（{lifts}起解除）" if lifts else f"{rule}（无期限）"


def _uncertain_zh(text: str) -> str:
    """``birth_date;school.cluster`` as 出生日期、学校集团."""
    return "、".join(S.column_label(name, "zh") for name in filter(None, text.split(";")))


def _assumptions_zh(text: str) -> str:
    return "；".join(_assumption_zh(item) for item in filter(None, text.split(";")))


def _assumption_zh(item: str) -> str:
    """``nursing=false`` as 哺乳期=否, ``school.area=urban`` as 学校.区域=城区 (as ``--assume`` takes it)."""
    name, _, value = item.partition("=")
    table, field_name = (S.SCHOOLS, name[len("school."):]) if name.startswith("school.") else (S.TEACHERS, name)
    field = table.field(field_name)
    header = field.zh if field else field_name
    if table is S.SCHOOLS:
        header = "学校." + header
    if value in ("true", "false"):
        shown = word("yes" if value == "true" else "no", "zh")
    elif value == "":
        shown = "空"
    elif field is not None and field.enum is not None:
        shown = field.enum.labels.get(value, value)
    else:
        shown = value
    return f"{header}={shown}"


def date_text(value: dt.date) -> str:
    """A roster date as carried into a decisions file: ISO; a year-month one (``1985.03``) as
    ``1985-03``, never with a day the roster did not give."""
    return f"{value.year:04d}-{value.month:02d}" if isinstance(value, MonthDate) else value.isoformat()


def carried_text(column: Carried, value: object, lang: str) -> str:
    """A roster value as a cell: dates ISO, whole numbers without a decimal point, yes/no as
    true/false (是/否 in Chinese), codes as their Chinese labels in Chinese."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return word("yes" if value else "no", "zh") if lang == "zh" else ("true" if value else "false")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if lang == "zh" and column.kind in S.ENUMS and isinstance(value, str):
        return S.ENUMS[column.kind].labels.get(value, value)
    return str(value)


def _kind(field: S.Field) -> str:
    from policylang.lang import types as T

    t = field.type
    if isinstance(t, T.EnumType):
        return t.name
    return {T.DateType: "date", T.BoolType: "bool", T.NumberType: "number"}.get(type(t), "text")


class KeepError(BilingualError):
    """A column asked for with ``--keep`` that the roster does not have."""


def listed_items(values: Iterable[str]) -> list[str]:
    """The items of an option given as lists (``--keep 出生日期,职称``, ``--allow``): separated by
    commas, full-width ones or 、 too, each trimmed, none empty."""
    return [item for value in values for part in value.replace("，", ",").replace("、", ",").split(",")
            if (item := part.strip())]


def resolve_keep(names: Sequence[str], teachers: S.Table, schools: S.Table, teacher_header: Sequence[str] | None,
                 school_header: Sequence[str] | None) -> tuple[Carried, ...]:
    """The roster columns ``--keep`` asks for (``出生日期,职称``, ``身份证号``, ``school.area``):
    by a field's English or Chinese name or an alias, or by a header of the roster as
    written; each must be in the roster, since a column it lacks would be written as if
    empty (a header that cannot be read is not checked: the reading says why)."""
    def clean(header):
        return None if header is None else [str(h).strip(TRIMMED) for h in header if h is not None and str(h).strip(TRIMMED)]

    teacher_header, school_header = clean(teacher_header), clean(school_header)
    found: dict[str, Carried] = {}
    for item in listed_items(names):
        column = _keep_one(item, teachers, schools, teacher_header, school_header)
        if column is not None and column.key not in found:
            found[column.key] = column
    taken = set(columns(True)) | set(_HEADERS_ZH.values()) | {c.zh for c in IDENTITY}
    clash = next((c for c in found.values() if c.extra and (c.key in taken or c.zh in taken)), None)
    if clash is not None:
        raise KeepError(f"--keep {clash.key}: a decisions file has a column of that name already",
                        f"--keep {clash.key}：结论文件中已有同名的列")
    return tuple(found.values())


def _keep_one(item: str, teachers: S.Table, schools: S.Table, teacher_header: list[str] | None,
              school_header: list[str] | None) -> Carried | None:
    school_prefix = next((p for p in ("school.", "学校.") if item.startswith(p)), None)
    field = None if school_prefix else teachers.header_field(item)
    if field is not None:
        if field.name == "id":
            return None  # always there
        if teacher_header is not None and not any(teachers.header_field(h) is field for h in teacher_header):
            raise _missing(item, field.zh)
        return Carried(field.name, _asked_by(item, field), field.name, _kind(field))
    name = item[len(school_prefix):] if school_prefix else item
    field = schools.header_field(name)
    if field is not None:
        if school_header is not None and not any(schools.header_field(h) is field for h in school_header):
            raise _missing(item, field.zh)
        key = {"name": "school_name", "school_id": "school_id"}.get(field.name, f"school_{field.name}")
        zh = field.zh if field.zh.startswith("学校") else "学校" + field.zh
        return Carried(key, zh, f"school.{field.name}", _kind(field))
    if not school_prefix and item in (teacher_header or ()):
        return Carried(item, item, item, extra=True)
    if name in (school_header or ()):
        return Carried(f"school.{name}", name, f"school.{name}", extra=True)
    known = (teacher_header or []) + [f.name for f in teachers.fields] + [f.zh for f in teachers.fields]
    hint = did_you_mean(item, known)
    raise KeepError(f"--keep {item}: the roster has no column `{item}`" + (f"; did you mean `{hint}`?" if hint else ""),
                    f"--keep {item}：名册中没有“{item}”列" + (f"，是否应为“{hint}”？" if hint else ""))


def _asked_by(item: str, field: S.Field) -> str:
    """A kept teacher column's header in a Chinese file: the Chinese name ``--keep`` asked for it by
    (出生年月, the roster's own word for 出生日期, is what the clerk looks for), else the field's."""
    return item if has_han(item) else field.zh


def _missing(item: str, zh: str) -> KeepError:
    return KeepError(f"--keep {item}: the roster has no column `{item}` ({zh})", f"--keep {item}：名册中没有“{zh}”列")


def decisions_lang(asked: str | None, fmt: str, teacher_header: Sequence[object] | None) -> str:
    """The language of a decisions file (``eval -o``, the service's ``/evaluate``): the one asked
    for in so many words; else Chinese for a workbook or CSV made from a roster with Chinese
    headers, what an HR office opens in WPS and hands on (issue 11: "with --lang zh, or a Chinese
    roster"); else the contract's English, never the machine's locale. Parquet is always English;
    a system reading the contract's columns from a Chinese roster's CSV asks for them (en)."""
    if fmt == "parquet":
        return "en"
    if asked is not None:
        return asked
    return "zh" if fmt in ("xlsx", "csv") and teacher_header and is_chinese_header(teacher_header) else "en"


def is_chinese_header(header: Sequence[object]) -> bool:
    """Whether a roster is written in Chinese: most of its headers hold a Chinese character."""
    names = [str(h) for h in header if h is not None and str(h).strip()]
    chinese = sum(has_han(name) for name in names)
    return bool(names) and chinese * 2 > len(names)


def roster_records(roster) -> list[dict[str, object]]:
    """Each decided teacher's values, with their school's as ``school.FIELD`` (what ``Carried.source``
    names), in the order of the decisions."""
    records = []
    for row in roster.valid_teachers():
        school = roster.schools.get(row.values.get("school_id")) or {}
        records.append(row.values | {f"school.{k}": v for k, v in school.items()})
    return records


# ---- rows --------------------------------------------------------------------------------


def _rows(decisions: Sequence[Decision], layout: Layout, records: Sequence[Mapping] | None,
          typed: bool = False) -> list[list[object]]:
    """The file's cells (without the header), labelled in the layout's language; ``typed``: a
    carried date or number as its value (``typed_cell``: a workbook's date and number cells), not text."""
    names = layout.columns
    labels = []
    for i, name in enumerate(names):
        label = layout.label(name)
        if label is not None:
            labels.append((i, _cached(label)))
    carried = [(names.index(c.key), c) for c in layout.carried]
    # a kept column no schema declares, of plain numbers alone: numbers in a workbook, as a number column's are
    numeric = {c.key for _, c in carried if typed and c.extra and records is not None
               and numbers_column(c.zh, [record.get(c.source) for record in records])}
    rows = []
    ids = shown_ids(decisions, layout)
    for k, d in enumerate(decisions):
        flat = d.to_row(layout.fired, benefit_until=True)  # as the streamed writer's frames (label_frame)
        row = [flat.get(name, "") for name in names]
        row[0] = ids[k]
        for i, label in labels:
            row[i] = label(row[i])
        if carried:
            record = records[k] if records is not None else {}
            for i, column in carried:
                value = record.get(column.source)
                row[i] = (_as_number(value) if column.key in numeric else typed_cell(column, value)) if typed else None
                if row[i] is None:
                    row[i] = carried_text(column, value, layout.lang)
        rows.append(row)
    return rows


def shown_ids(decisions: Sequence[Decision], layout: Layout) -> list[str]:
    """The decisions' ids as the layout shows them (``Layout.ids``: an ID number masked)."""
    return layout.ids.texts([d.id for d in decisions])


# the days a workbook's date cell holds as Excel counts them: from 1900-03-01 (before it, Excel's
# 1900 leap-year bug puts every day one off) to its last
_SHEET_DAYS = (dt.date(1900, 3, 1), dt.date(9999, 12, 31))


def typed_cell(column: Carried, value: object) -> dt.date | int | float | None:
    """A carried roster value as a workbook's cell holds it, where it is no text: a date column's
    full date as a date (written with a date format: sorted and filtered as dates, not as text), a
    number column's number as a number; None for any other value, written as text
    (``carried_text``). A year-month date (``MonthDate``) stays the text ``1985-03``: a date cell
    would hold a day the roster did not give."""
    if column.kind == "date" and type(value) is dt.date and _SHEET_DAYS[0] <= value <= _SHEET_DAYS[1]:
        return value
    if column.kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value):
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53 else value
    return None


def numbers_column(header: str, values: Sequence[object]) -> bool:
    """Whether a kept column no schema declares (its cells the roster's text) is written in a
    workbook as numbers: Excel flags a number written as text with a green triangle, in every
    cell. So it is when each of its filled cells is a plain number (``_PLAIN_NUMBER``: 12, 3.5,
    -2) that Excel would not rewrite (``_EXCEL_NUMBER``: no 0012, no 1985.10) and of fewer than 11
    digits (no phone or ID number), and its header names no code or id (``_IDENTIFIER``: 编号,
    电话, …): such digits are no quantity, and stay text."""
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    return bool(texts) and not _IDENTIFIER.search(header) and all(
        _PLAIN_NUMBER.fullmatch(t) and not re.match(_EXCEL_NUMBER, t) and sum(c.isdigit() for c in t) < 11
        for t in texts)


def _as_number(value: object) -> int | float | None:
    """A plain number's text (``numbers_column``) as its number; an empty cell as None (written empty)."""
    text = str(value).strip() if value is not None else ""
    return None if not text else float(text) if "." in text else int(text)


_PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# a header of codes or ids: their digits are no quantity (教师编号 1001, 联系电话, 邮编 350001, 学籍号)
_IDENTIFIER = re.compile(r"编号|代码|编码|号码|代号|账号|帐号|卡号|证号|工号|学号|学籍|电话|手机|邮编|邮政编码|身份证|证件|"
                         r"(?<![a-z])(id|code|phone|tel|zip)(?![a-z])", re.IGNORECASE)


def _cached(fn: Callable[[str], str]) -> Callable[[str], str]:
    """``fn`` computed once per distinct cell (a column of codes has a handful)."""
    seen: dict[str, str] = {}

    def cell(text: str) -> str:
        out = seen.get(text)
        if out is None:
            out = seen[text] = fn(text)
        return out

    return cell


def csv_bytes(decisions: Sequence[Decision], *, bom: bool = False, fired: bool = False, layout: Layout | None = None,
              records: Sequence[Mapping] | None = None) -> bytes:
    layout = layout or Layout(fired=fired, bom=bom)
    return layout.preamble + layout.encode(csv_text([list(layout.headers), *_rows(decisions, layout, records)]))


# A cell Excel and WPS open a CSV's as a number, and so rewrite: a leading zero is dropped
# (00123 → 123), and from 12 digits on it is shown as 1.10105E+17, saved back that way, and
# from 16 on its last digits are 0 (an ID number); a decimal's last zero goes (1985.10 → 1985.1,
# a year-month a roster column carried as text gives). Dates and 0 itself are read as they are.
_EXCEL_NUMBER = r"^(0[0-9]+|[0-9]{12,}|[0-9]+\.[0-9]*0)$"
# A year and a month alone, as a carried year-month date is written (1985-03), or as a text column
# gives it (1985/3): Excel and WPS open it as a date on the month's first day (Mar-85), a day the
# roster never gave, and save it back so.
_EXCEL_MONTH = r"^[0-9]{4}[-/][0-9]{1,2}$"


@attrs.frozen
class ExcelRewrites:
    """The headers of a CSV decisions file's columns some cell of which Excel and WPS rewrite on
    opening it: as a number (``numbers``), as a date with a day (``months``)."""

    numbers: tuple[str, ...] = ()
    months: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.numbers or self.months)


def excel_rewrites(path: str | Path, layout: Layout) -> ExcelRewrites:
    """The roster columns of a CSV decisions file (the id, and the text and date ones carried
    beside the decisions) where some cell is text Excel would rewrite (``_EXCEL_NUMBER``,
    ``_EXCEL_MONTH``). Read as UTF-8 whatever the file's encoding: GB18030 leaves commas,
    quotes, line ends and an all-digit cell's bytes as they are in ASCII."""
    import polars as pl

    texts = [0] + [2 + i for i, c in enumerate(layout.carried) if c.kind == "text"]
    dates = [2 + i for i, c in enumerate(layout.carried) if c.kind == "date"]
    columns = sorted(texts + dates)
    frame = pl.read_csv(path, columns=columns, infer_schema=False, encoding="utf8-lossy")
    numbers = frame.select(pl.all().str.contains(_EXCEL_NUMBER).any()).row(0)
    months = frame.select(pl.all().str.contains(_EXCEL_MONTH).any()).row(0)
    headers = layout.headers
    return ExcelRewrites(tuple(headers[i] for i, hit in zip(columns, numbers) if hit and i in texts),
                         tuple(headers[i] for i, hit in zip(columns, months) if hit))


def excel_note(rewrites: ExcelRewrites, lang: str) -> str:
    """What ``excel_rewrites`` found, and what to do instead: an XLSX file keeps them as text."""
    numbers, months = rewrites.numbers, rewrites.months
    if lang == "zh":
        parts = ([f"{'、'.join(numbers)} 有 Excel 或 WPS 直接打开时会当作数字改写的值（00123 变成 123，"
                  "18 位身份证号变成 1.10105E+17、末三位变成 0）"] if numbers else []) + \
                ([f"{'、'.join(months)} 有只含年月的日期（1985-03），Excel 或 WPS 直接打开时会改写成该月 1 日的日期"
                  "（显示为 Mar-85 等），添上名册没有给出的“日”"] if months else [])
        return (f"提示：CSV 文件的 {'；'.join(parts)}，再保存就改不回来了：交给 Excel 或 WPS 的请写成 XLSX"
                "（-o 结论.xlsx，这些列写为文本），或在 Excel 中用“数据 → 从文本/CSV”导入并把这些列设为文本")
    parts = ([f"{', '.join(numbers)} {'has' if len(numbers) == 1 else 'have'} values Excel and WPS rewrite as "
              "numbers when they open it (00123 becomes 123; an 18-digit ID number becomes 1.10105E+17 with its last "
              "three digits 0)"] if numbers else []) + \
            ([f"{', '.join(months)} {'has' if len(months) == 1 else 'have'} dates of a year and month alone "
              "(1985-03), which Excel and WPS rewrite as dates on the month's first day when they open it (shown "
              "Mar-85), adding a day the roster did not give"] if months else [])
    return (f"note: in the CSV file, {'; '.join(parts)}, for good once saved: for Excel or WPS write XLSX "
            "(-o decisions.xlsx, where they are text), or import it with Data → From Text/CSV and set these columns "
            "to text")


_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_encode_roster = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # as polars encodes a struct


def _json_line(obj: dict) -> str:
    """One object on a line, its ``roster`` as the streamed writer's polars encodes it."""
    roster = obj.pop("roster", None)
    text = _encode_json(obj)
    return text if roster is None else f'{text[:-1]}, "roster": {_encode_roster(roster)}}}'


def json_bytes(decisions: Sequence[Decision], *, layout: Layout | None = None,
               records: Sequence[Mapping] | None = None) -> bytes:
    """A list of objects, one a line: the decision's English keys and codes, a label beside
    each code (``status_label``) in the layout's language, and the carried columns under
    ``roster``. The streamed writer writes the same objects, chunk by chunk (``json_lines``)."""
    layout = layout or Layout()
    ids = shown_ids(decisions, layout)
    lines = [_json_line(_json_object(d, layout, records[k] if records is not None else {}) | {"id": ids[k]})
             for k, d in enumerate(decisions)]
    return json_document(lines)


JSON_OPEN, JSON_BETWEEN = "[\n", ",\n"


def json_close(any_objects: bool) -> str:
    """The end of a JSON array of objects one a line (of none: ``[`` and ``]`` on two lines)."""
    return "\n]\n" if any_objects else "]\n"


def json_document(lines: Sequence[str]) -> bytes:
    """The JSON array of objects given one a line, as the streamed writer writes it, in UTF-8."""
    return json_utf8(JSON_OPEN + JSON_BETWEEN.join(lines) + json_close(bool(lines)))


def json_lines(decided, layout: Layout, as_of: dt.date):
    """Each row of flat decisions (a polars frame: ``ROW_COLUMNS``, ``uncertain``, the
    ``assumptions`` joined by `;`, ``fired`` if asked, and the layout's carried columns by their
    keys) as ``json_bytes`` writes its object: each distinct decision made into a ``Decision``
    and encoded once, the id and the carried columns encoded by polars around it. A polars
    Series of text, one object a row (not yet made safe: ``json_document``, ``json_utf8``)."""
    import polars as pl

    carried = [c.key for c in layout.carried]
    if decided.height == 0:
        return pl.Series("json", [], dtype=pl.Utf8)
    decided = decided.with_columns(layout.ids(decided["id"]))
    kinds, rows = distinct_rows(decided.drop(carried))
    plain = attrs.evolve(layout, carried=())
    setting = (as_of, layout.lang, tuple(layout.effects.items()), tuple(layout.exemptions.items()))
    fragments = []
    for row in rows:
        key = (setting, tuple(row.items()))
        fragment = _FRAGMENTS.get(key)
        if fragment is None:  # a decision not met before: made a Decision, and encoded
            obj = _json_object(decision_from_row(row | {"id": ""}, as_of, layout.effects), plain, {})
            del obj["id"]
            fragment = _encode_json(obj)[1:-1]
            with _FRAGMENTS_LOCK:  # the service's threads write batches at once
                if len(_FRAGMENTS) >= _FRAGMENTS_KEPT:
                    _FRAGMENTS.clear()  # memory stays bounded; the usual decisions come back at once
                _FRAGMENTS[key] = fragment
        fragments.append(fragment)
    parts = [pl.lit('{"id": '), _json_value_expr("id", pl.Utf8), pl.lit(", "), pl.Series(fragments).gather(kinds)]
    if carried:
        parts.append(pl.lit(', "roster": {'))
        for k, key in enumerate(carried):
            parts += [pl.lit(("," if k else "") + json.dumps(key) + ":"), _json_value_expr(key, decided.schema[key])]
        parts.append(pl.lit("}"))
    return decided.select(pl.concat_str(parts + [pl.lit("}")]).alias("json"))["json"]


# a distinct decision's JSON (all but the id), by its flat row and what its text depends on: a
# service's batches and a file's chunks keep meeting the same few hundred decisions
_FRAGMENTS: dict[tuple, str] = {}
_FRAGMENTS_KEPT = 1 << 14
_FRAGMENTS_LOCK = threading.Lock()


def distinct_rows(decided):
    """The distinct rows of flat decisions but their id (``ROW_COLUMNS``, ``uncertain``,
    ``assumptions`` joined by `;`, ``fired`` if asked), as dicts, and which one each row is (a
    polars Series of indexes): a million rows are a few thousand decisions."""
    import polars as pl

    shared = [c for c in decided.columns if c != "id"]
    kinds = decided.select((pl.struct(shared).rank("dense") - 1).alias("kind"))["kind"]
    firsts = decided.with_columns(kinds).unique("kind", keep="first").sort("kind")
    return kinds, firsts.select(shared).to_dicts()


def distinct_decisions(decided, as_of: dt.date, labels: Mapping[tuple[str, str], str | None]):
    """``distinct_rows``, each made into a ``Decision`` (its id empty)."""
    kinds, rows = distinct_rows(decided)
    return kinds, [decision_from_row(row | {"id": ""}, as_of, labels) for row in rows]


def _json_value_expr(name: str, dtype):
    """A column's values as JSON text, as ``_json_value`` gives them to the row path's encoder:
    polars encodes each (text escaped as JSON escapes it); a whole float is written as a whole
    number, and NaN as null."""
    import polars as pl

    col = pl.col(name)
    encoded = pl.struct(col.alias("v")).struct.json_encode().str.slice(len('{"v":')).str.head(-1)
    if dtype.is_float():
        whole = col.is_finite() & (col == col.floor()) & (col.abs() < 2 ** 53)
        return (pl.when(col.is_nan()).then(pl.lit("null"))
                .when(whole).then(col.cast(pl.Int64).cast(pl.Utf8)).otherwise(encoded))
    return encoded


def json_object(decision: Decision, layout: Layout, record: Mapping | None = None) -> dict:
    """One decision as ``json_bytes`` writes it (``record``: the roster values it carries)."""
    return _json_object(decision, layout, record or {})


def _json_object(decision: Decision, layout: Layout, record: Mapping) -> dict:
    lang = layout.lang
    labels = {"status": lambda c: word(c, lang),
              "exemption": lambda c: (exemption_label(c, lang) if c in EXEMPTIONS or lang != "zh"
                                      else layout.exemptions.get(c, c)),
              "direction": lambda c: direction_label(c, lang)}
    out = {}
    for key, value in decision.to_json().items():
        out[key] = value
        if key in labels:
            out[f"{key}_label"] = labels[key](value) if value else None
    if layout.carried:
        out["roster"] = {c.key: _json_value(record.get(c.source)) for c in layout.carried}
    return out


def _json_value(value: object) -> object:
    if isinstance(value, float):
        return None if math.isnan(value) else int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return date_text(value)
    return value


def parquet_bytes(decisions: Sequence[Decision], *, fired: bool = False, layout: Layout | None = None,
                  records: Sequence[Mapping] | None = None) -> bytes:
    """The CSV columns as a Parquet file, all text, as the streamed path writes them."""
    import polars as pl

    layout = layout or Layout(fired=fired)
    names = layout.columns
    rows = _rows(decisions, layout, records)
    frame = pl.DataFrame({c: [r[i] for r in rows] for i, c in enumerate(names)}, schema={c: pl.Utf8 for c in names})
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


# ---- the streamed writer's cells --------------------------------------------------------


def label_frame(frame, layout: Layout):
    """A polars frame of the layout's columns (decision columns as text, carried columns as
    the roster's typed values) with every cell as ``_rows`` makes it: the streamed writer's
    cells, byte for byte the row path's."""
    import polars as pl

    changes = [layout.ids(frame["id"])]
    for name in layout.columns:
        label = layout.label(name)
        if label is not None:
            changes.append(_per_distinct(frame[name], label).alias(name))
    for column in layout.carried:
        series = frame[column.key]
        if series.dtype == pl.Utf8 and not (layout.lang == "zh" and column.kind in S.ENUMS):
            continue  # text as it is (an empty cell is null, written as nothing)
        changes.append(_per_distinct(series, lambda v, c=column: carried_text(c, v, layout.lang)).alias(column.key))
    return frame.with_columns(changes).select(layout.columns)


def _per_distinct(series, fn: Callable[[object], str]):
    """``fn`` of each distinct value of ``series`` (a null stays null), as text."""
    import polars as pl

    mapping = {v: fn(v) for v in series.drop_nulls().unique().to_list()}
    return series.replace_strict(mapping, default=None, return_dtype=pl.Utf8) if mapping else \
        pl.Series(series.name, [None] * len(series), dtype=pl.Utf8)


# ---- XLSX -------------------------------------------------------------------------------


class TooManyRows(ValueError):
    """More decisions than an Excel sheet holds."""

    def __init__(self, rows: int):
        super().__init__(f"{rows} rows")
        self.rows = rows

    def message(self, lang: str = "en") -> str:
        limit = XLSX_MAX_ROWS - 1
        if lang == "zh":
            return (f"{self.rows:,} 条结论超出 Excel 工作表的上限（{limit:,} 行，不含表头）；未写入任何文件。"
                    "请改用 CSV 或 Parquet（-o 结论.csv），或分批处理名册。")
        return (f"{self.rows:,} decisions are more than an Excel sheet holds ({limit:,} rows under the header); "
                "no file written. Write CSV or Parquet instead (-o decisions.csv), or split the roster.")


@attrs.frozen
class Notes:
    """What a workbook says about how it was made (its 说明 sheet). The roster files, the command
    naming them and the roster's warnings are masked as a roster's problems are (``id_number.
    masked_in_text``): a file named by its person (张三110105….xlsx) was written whole beside the
    warnings naming it masked, and the service names its uploads in the warnings' lines afterwards."""

    policy: str  # the policy's title
    files: tuple[tuple[str, str], ...]  # (policy file, SHA-256 of its content): the one run, then those it extends
    as_of: dt.date
    parameters: tuple[tuple[str, str, bool, str], ...]  # (name, value as written, given with --set, its doc)
    command: str = attrs.field(converter=masked_in_text)
    teachers: str = attrs.field(default="", converter=masked_in_text)
    schools: str = attrs.field(default="", converter=masked_in_text)
    version: str = ""
    skipped: int = 0  # invalid teachers left out (--skip-invalid)
    given_by: str = "--set"  # how a run's own parameter values were given (the service: ?set=)
    # (id, kind, title, cites) of every rule, exemption, prerequisite, penalty, benefit and quota: what
    # the codes in the decisions (JA-1, FJ-4) are, on a sheet of their own
    clauses: tuple[tuple[str, str, str, str], ...] = ()
    # (row in the teachers file, id, name, school id, why) of each teacher left out: a workbook
    # handed on names them on a sheet of their own and counts them by school, not a count alone
    left_out: tuple[tuple[object, str, str, str, str], ...] = ()
    # the roster's warnings as the terminal said them (a blank 任课 read as 否, a hidden row, a footer
    # left unread): whoever opens the workbook later sees what its decisions rest on
    warnings: tuple[str, ...] = attrs.field(default=(), converter=lambda said: tuple(map(masked_in_text, said)))
    # where they were said before the workbook (en, zh): a command printed them, a service
    # request counted their codes in a header
    warnings_said: tuple[str, str] = ("as the command said it", "运行时已提示")
    # (school id, name) of the schools table: the summary names a school all of whose teachers were
    # left out, which no decided teacher's row names
    school_names: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of_policy(cls, checked, params: Mapping | None, as_of: dt.date, *, files, command: str, lang: str,
                  teachers: str = "", schools: str = "", skipped: int = 0, given_by: str = "--set",
                  left_out: tuple[tuple[object, str, str, str, str], ...] = (), warnings: tuple[str, ...] = (),
                  warnings_said: tuple[str, str] = ("as the command said it", "运行时已提示"),
                  school_names: tuple[tuple[str, str], ...] = ()) -> Notes:
        """The notes of a workbook of ``checked``'s decisions: every parameter, as a reader
        writes it (``params``: the values given for this run, marked), and this program's
        version. ``files``: (policy file, SHA-256) as the caller knows them, the file run first.
        A parameter no clause reads (its rule repealed) is left out unless given: listed, it
        would say a rule is in force that is not."""
        from policylang.core.i18n import declaration_kind
        from policylang.lang.policy import version_said
        from policylang.lang.pretty import parameter_text
        from policylang.lang.reads import parameters_read

        params = params or {}
        read = parameters_read(checked)
        parameters = tuple((name, parameter_text(p, params.get(name, p.value), lang), name in params, p.doc or "")
                           for name, p in checked.parameters.items() if name in read or name in params)
        items = [*(("rule", r) for r in checked.rules), *(("exemption", e) for e in checked.all_exemptions()),
                 *(("prerequisite", p) for p in checked.prerequisites), *((c.kind, c) for c in checked.consequences),
                 *(("quota", q) for q in checked.quotas)]
        sep = "；" if lang == "zh" else "; "
        clauses = tuple((item.id, declaration_kind(kind, lang) + version_said(getattr(item, "version", ""), lang),
                         item.title, sep.join(c.short() for c in item.cites)) for kind, item in items)
        return cls(checked.title, tuple(files), as_of, parameters, command, teachers, schools, _written_by(), skipped,
                   given_by, clauses, left_out, tuple(warnings), warnings_said, school_names)


def problem_said(p, lang: str) -> str:
    """A roster problem after its file and row: its column (a missing one by its Chinese name in
    Chinese), code and message (列“职称” [R003]：…), as the terminal and the 未作结论 sheet say it."""
    column = p.column_in(lang)
    where = (f"列“{column}” " if lang == "zh" else f"column `{column}` ") if column else ""
    return f"{where}[{p.code}]{'：' if lang == 'zh' else ': '}{p.message(lang)}"


def alike_problems(problems) -> list[list]:
    """``problems`` as a user reads them (the terminal, the studio): the same problem in several rows
    of a file (one column, one code, one message: a label no code has, written so down the whole
    column) in one group, in the order first met, and alike problems of many rows said once
    (``problems.said_once``: the schools' codes that lost their zeros); each other problem a group of one."""
    groups: dict[object, list] = {}
    for p in said_once(problems):
        key = (p.file, p.sheet, p.column, p.column_zh, p.code, p.message_en, p.message_zh) \
            if p.row is not None else object()
        groups.setdefault(key, []).append(p)
    return list(groups.values())


def alike_rows_text(group: list, lang: str) -> str | None:
    """The rows of a group of ``alike_problems`` as a line names them (第2至401行（共400行）), or of a
    problem of many rows said once; None for a problem of no row (a file's, a warning of several)."""
    p = group[0]
    if p.row is not None:
        return rows_text([q.row for q in group], lang)
    if p.rows and not p.warning:  # a problem of many rows said once: they are listed by it
        return rows_text(list(p.rows), lang, p.count)
    return None


def roster_problem_lines(problems, lang: str, limit: int | None = None) -> tuple[list[str], int]:
    """A line per group of ``alike_problems``, naming its rows; at most ``limit`` lines, with how many
    problems they list."""
    lines, listed = [], 0
    for group in alike_problems(problems)[:limit]:
        p = group[0]
        rows = alike_rows_text(group, lang)
        where = p.file_in(lang) + (f" {rows}" if rows else "")
        lines.append(terminal_text(f"{where} {problem_said(p, lang)}"))  # one line; cells echoed as text
        listed += p.count if p.row is None and p.rows and not p.warning else len(group)
    return lines, listed


_RANGES_SHOWN = 8  # of rows with one problem: the rest are counted


def rows_text(rows: list[int], lang: str, count: int | None = None) -> str:
    """第5行; 第2至401行（共400行）; 第2至5、9行等（共57行）: runs of consecutive rows as ranges;
    ``count``: the rows in all, of which ``rows`` are the first."""
    count = len(rows) if count is None else count
    if count == 1:
        return f"第{rows[0]}行" if lang == "zh" else f"row {rows[0]}"
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    more = len(runs) > _RANGES_SHOWN or count > len(rows)
    if lang == "zh":
        shown = [str(a) if a == b else f"{a}至{b}" for a, b in runs[:_RANGES_SHOWN]]
        return f"第{'、'.join(shown)}行{'等' if more else ''}（共{count}行）"
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:_RANGES_SHOWN]]
    return f"rows {', '.join(shown)}{' …' if more else ''} ({count} rows)"


def school_names_of(roster) -> tuple[tuple[str, str], ...]:
    """``Notes.school_names`` of a roster (``roster.Roster``): each school's id and name, where it has one."""
    return tuple((str(k), str(v["name"])) for k, v in roster.schools.items() if v.get("name"))


def left_out_rows(rows, lang: str) -> tuple[tuple[object, str, str, str, str], ...]:
    """``Notes.left_out`` of a roster's teacher rows (``roster.RosterRow``): those with problems,
    each with its school as written and its problems said in ``lang``, column first."""
    return tuple(left_out_row(row.line, row.values.get("id"), row.values.get("name"), row.values.get("school_id"),
                              row.problems, lang) for row in rows if not row.valid)


def left_out_row(line: int, ident, name, school, problems, lang: str) -> tuple[object, str, str, str, str]:
    """One row of ``Notes.left_out``: its row, id, name, school as written, and its problems said
    in ``lang`` (the row reader's rows, or the columnar reader's rows with their problems)."""
    sep = "；" if lang == "zh" else "; "
    return (line, ident or "", name or "", carried_text(SCHOOL_ID, school, lang),
            sep.join(problem_said(p, lang) for p in problems))


def _written_by() -> str:
    """This program's version, as installed (empty for a checkout on the path)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policylang")
    except PackageNotFoundError:
        return ""


_SHEETS = {"en": ("decisions", "summary", "about", "clauses", "not decided"),
           "zh": ("交流结论", "汇总", "说明", "条款", "未作结论")}
_HEADER_FILL = "DDEBF7"
_WIDTH_SAMPLE = 2000  # rows looked at for a column's width
_MAX_WIDTH = 40




def xlsx_bytes(decisions: Sequence[Decision], *, fired: bool = False, layout: Layout | None = None,
               records: Sequence[Mapping] | None = None, notes: Notes | None = None) -> bytes:
    """A workbook (``io.xlsx``, streamed by XlsxWriter): the decisions with a frozen header, filters
    and columns as wide as their text; a summary by school and status; and how the file was
    made (policy, content hashes, reference date, parameters, assumptions, command)."""
    from policylang.io.xlsx import workbook_bytes

    if len(decisions) + 1 > XLSX_MAX_ROWS:
        raise TooManyRows(len(decisions))
    layout = layout or Layout(fired=fired)
    lang = "zh" if layout.lang == "zh" else "en"
    names = _SHEETS[lang]
    sheets: list = []
    rows = _rows(decisions, layout, records, typed=True)
    # the decisions to check on a fill of their own: the HR trial filtered 结论 and took an uncertain
    # 不在交流范围 for a decided one (the 数据不全待核实 column at the far right)
    _table_sheet(sheets, names[0], list(layout.headers), rows, freeze="B2",
                 marked=frozenset(k for k, d in enumerate(decisions) if d.uncertain))
    _table_sheet(sheets, names[1], *_summary(decisions, records, lang, notes.left_out if notes else (),
                                             dict(notes.school_names) if notes else {}),
                 freeze="C2", total=True)
    _notes_sheet(sheets, names[2], decisions, notes, lang)
    if notes is not None and notes.clauses:
        headers = ["编号", "类别", "内容", "出处"] if lang == "zh" else ["id", "kind", "title", "cites"]
        _table_sheet(sheets, names[3], headers, [list(c) for c in notes.clauses], freeze="B2", max_width=60)
    if notes is not None and notes.left_out:
        headers = (["行号", "工号", "姓名", "学校代码", "未作结论的原因"] if lang == "zh" else
                   ["row", "id", "name", "school_id", "why not decided"])
        left = [list(r) for r in notes.left_out]
        for row, ident in zip(left, layout.ids.texts([str(r[1]) for r in left])):  # an ID number masked, as above
            row[1] = ident
        _table_sheet(sheets, names[4], headers, left, freeze="B2", max_width=100)
    return workbook_bytes(sheets)


def table_workbook(title: str, headers: list[str], rows: list[list], *, freeze: str = "B2",
                   more: Sequence[tuple[str, list[str], list[list]]] = ()) -> bytes:
    """One sheet of a header and rows, as the decisions workbook's first sheet is made; and
    ``more`` sheets (title, header, rows) made alike after it."""
    from policylang.io.xlsx import workbook_bytes

    if len(rows) + 1 > XLSX_MAX_ROWS:
        raise TooManyRows(len(rows))
    sheets: list = []
    _table_sheet(sheets, title, headers, rows, freeze=freeze)
    for other, other_headers, other_rows in more:
        _table_sheet(sheets, other, other_headers, other_rows, freeze="A2")
    return workbook_bytes(sheets)


def _table_sheet(sheets: list, title: str, headers: list[str], rows: list[list], *, freeze: str, total: bool = False,
                 max_width: int | Sequence[int] = _MAX_WIDTH, marked: frozenset[int] = frozenset(),
                 wrap: bool = False) -> None:
    """A sheet of a header and rows (``io.xlsx.Sheet``): the header bold, frozen, with filters;
    columns as wide as their text (up to ``max_width``, or each column's own); printed across the
    page's width, landscape, the header on every page. ``total`` sets the last row bold;
    ``marked`` rows are on a fill of their own; ``wrap`` wraps long text in its column."""
    from policylang.io.xlsx import Sheet

    sheets.append(Sheet(title, headers, rows, _widths(headers, rows, max_width), freeze, total, _HEADER_FILL,
                        marked, wrap))


def _widths(headers: list[str], rows: list[list], max_width: int | Sequence[int] = _MAX_WIDTH) -> list[float]:
    """Each column as wide as its header and the widest of its first cells, a Chinese
    character counting two, with room for the filter's button; never wider than ``max_width``
    (one for every column, or each its own)."""
    widths = [display_width(str(h)) + 4 for h in headers]  # the filter button sits on the header
    for row in rows[:_WIDTH_SAMPLE]:
        for i, cell in enumerate(row):
            if cell is not None:
                widths[i] = max(widths[i], display_width(str(cell)) + 2)
    limits = [max_width] * len(widths) if isinstance(max_width, int) else list(max_width)
    return [min(w, most) for w, most in zip(widths, limits)]


def _summary(decisions: Sequence[Decision], records: Sequence[Mapping] | None, lang: str,
             left_out: Sequence[tuple] = (), names: Mapping[str, str] | None = None):
    """Counts by school and status, schools by id, and the totals; with the teachers left out
    (``Notes.left_out``) a column of their own, counted in each school's total, so that the
    sheet counts every row of the roster; after the total, how many of a school's decisions are
    uncertain (a 不在交流范围 that a 完中 teacher's empty 任教学段 leaves open is no settled one)."""
    zh = lang == "zh"
    columns = [*_STATUSES, *(["left_out"] if left_out else [])]
    counts: dict[str, dict[str, int]] = {}
    unsure: dict[str, int] = {}
    school_names: dict[str, str] = {}
    for k, d in enumerate(decisions):
        record = records[k] if records is not None else {}
        school = carried_text(SCHOOL_ID, record.get("school_id"), lang)
        school_names.setdefault(school, carried_text(SCHOOL_NAME, record.get("school.name"), lang))
        by_status = counts.setdefault(school, dict.fromkeys(columns, 0))
        by_status[d.status] = by_status.get(d.status, 0) + 1
        unsure[school] = unsure.get(school, 0) + bool(d.uncertain)
    for _row, _id, _name, school, _why in left_out:  # the school as written: perhaps none the schools table has
        counts.setdefault(school, dict.fromkeys(columns, 0))["left_out"] += 1
        if not school_names.get(school) and (name := (names or {}).get(school)):  # (all its teachers left out)
            school_names[school] = carried_text(SCHOOL_NAME, name, lang)
    headers = ["学校代码", "学校名称"] if zh else ["school_id", "school_name"]
    headers += [_SHEETS[lang][4] if s == "left_out" else (word(s, lang) if zh else s) for s in columns]
    headers += ["合计", "其中数据不全待核实"] if zh else ["total", "of which uncertain"]
    rows = []
    totals = dict.fromkeys(columns, 0)
    for school in sorted(counts):
        by_status = counts[school]
        rows.append([school, school_names.get(school, ""), *(by_status[s] for s in columns), sum(by_status.values()),
                     unsure.get(school, 0)])
        for s in columns:
            totals[s] += by_status[s]
    rows.append(["合计" if zh else "total", "", *(totals[s] for s in columns), sum(totals.values()),
                 sum(unsure.values())])
    return headers, rows


def _notes_sheet(sheets: list, title: str, decisions: Sequence[Decision], notes: Notes | None, lang: str) -> None:
    zh = lang == "zh"
    made, made_by = provenance_rows(notes, lang) if notes is not None else ([], [])
    rows: list[list[str]] = list(made)

    def add(label_en: str, label_zh: str, value: object) -> None:
        # a count a number cell (Excel flags a number written as text, and does not sum it)
        shown = value if isinstance(value, int) and not isinstance(value, bool) else "" if value is None else str(value)
        rows.append([label_zh if zh else label_en, shown])

    add("decisions", "结论人数", len(decisions))
    if notes is not None and notes.skipped:
        add("teachers left out (invalid rows, --skip-invalid)", "因记录有误未作结论的教师（--skip-invalid）",
            (f"{notes.skipped} 人，见“{_SHEETS['zh'][4]}”表" if zh else f"{notes.skipped}, on the sheet “{_SHEETS['en'][4]}”")
            if notes.left_out else notes.skipped)
    applied = list(dict.fromkeys(a for d in decisions for a in d.assumptions))
    for item in applied or [None]:
        shown = (_assumption_zh(item) if zh else item) if item else ("无" if zh else "none")
        add("assumption applied (a column the roster lacks)", "假定取值（名册缺少的列）", shown)
    unsure = sum(1 for d in decisions if d.uncertain)
    add("decisions to check (an empty cell, or a year-month date, could change them: the uncertain column)",
        "数据不全待核实的结论（空白的单元格或只有年月的日期可能改变结论或晋升、奖惩的判断，见“数据不全待核实”列）",
        f"{unsure} 人" if zh else unsure)
    for status in _STATUSES:
        add(f"status {status}", f"结论“{word(status, 'zh')}”", _STATUS_MEANING[status][1 if zh else 0])
    rows += made_by
    # labels wrapped at 36, values at 90: one long label made both columns 107 and 121 wide, the values
    # printed on a page of their own (the HR trial)
    _table_sheet(sheets, title, NOTES_HEADERS[lang], rows, freeze="A2", max_width=(36, 90), wrap=True)


NOTES_HEADERS = {"en": ["item", "value"], "zh": ["项目", "内容"]}


def _item(label_en: str, label_zh: str, value: object, lang: str) -> list[str]:
    return [label_zh if lang == "zh" else label_en, "" if value is None else str(value)]


def _policy_rows(notes: Notes, lang: str) -> tuple[list[list[str]], list[list[str]]]:
    """A policy as a workbook says it: its title and the content of its files; its parameters."""
    zh = lang == "zh"
    head = [_item("policy", "政策", notes.policy, lang)]
    for k, (path, digest) in enumerate(notes.files):  # the file run, then those it extends
        head += [_item("policy file" if not k else "policy file it extends", "政策文件" if not k else "所继承的上级政策文件",
                       path, lang),
                 _item("its SHA-256 (sha256sum)", "其内容的 SHA-256 校验值", digest, lang)]
    marked = f"（本次以 {notes.given_by} 指定）" if zh else f" (set with {notes.given_by})"
    if zh:  # what it is first, as the document says it; the name a drafter or --set uses after it
        parameters = [_item("parameter", "参数", (f"{doc}：{value}（{name}）" if doc else f"{name} = {value}")
                            + (marked if given else ""), lang) for name, value, given, doc in notes.parameters]
    else:
        parameters = [_item("parameter", "参数", f"{name} = {value}" + (marked if given else "")
                            + (f" — {doc}" if doc else ""), lang) for name, value, given, doc in notes.parameters]
    return head, parameters


def _run_rows(notes: Notes, lang: str) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """A run as a workbook says it: its reference date; the files read; the roster's warnings, the
    command and the version."""
    files = ([_item("teachers file", "教师名册", notes.teachers, lang)] if notes.teachers else []) + \
        ([_item("schools file", "学校名册", notes.schools, lang)] if notes.schools else [])
    # what reading the roster said (every workbook of a roster: eval's, quota's, diff's), then how it was made
    last = [_item(f"roster note ({notes.warnings_said[0]})", f"名册提示（{notes.warnings_said[1]}）", said, lang)
            for said in notes.warnings]
    last.append(_item("command", "命令", notes.command, lang))
    if notes.version:
        last.append(_item("written by", "生成程序", f"policylang {notes.version}", lang))
    return [_item("reference date", "参考日期", notes.as_of.isoformat(), lang)], files, last


def provenance_rows(notes: Notes, lang: str) -> tuple[list[list[str]], list[list[str]]]:
    """What any workbook of this tool says of its making, as (item, value) rows: first the
    policy and the content of its files, the reference date, every parameter and the files
    read; last what reading the roster said, the command and the program's version (the 说明
    sheet puts its own between)."""
    head, parameters = _policy_rows(notes, lang)
    date, files, last = _run_rows(notes, lang)
    return head + date + parameters + files, last


def comparison_provenance(base: Notes, draft: Notes, applied: Sequence[str], lang: str) -> list[list[str]]:
    """A comparison's 说明 sheet (``diff -o FILE.xlsx``): each policy as a workbook says it (its
    title, its files and their content, the parameters it was run with), then the reference date
    and the files read, the values stated for columns the roster lacks, and the command."""
    zh = lang == "zh"
    rows: list[list[str]] = []
    for side, notes in (("原政策" if zh else "base", base), ("新政策" if zh else "draft", draft)):
        head, parameters = _policy_rows(notes, lang)
        rows += [[f"{side}：{item}" if zh else f"{side}: {item}", value] for item, value in head + parameters]
    date, files, last = _run_rows(draft, lang)
    rows += date + files
    for item in applied or [None]:
        shown = (_assumption_zh(item) if zh else item) if item else ("无" if zh else "none")
        rows.append(["假定取值（名册缺少的列）" if zh else "assumption applied (a column the roster lacks)", shown])
    return rows + last


_STATUS_MEANING = {
    "must_rotate": ("an exchange target under the rules", "按规定属于交流对象，须参加交流"),
    "eligible": ("in the pool for selection, or may volunteer; not required", "列入交流人选范围或可自愿申请，不强制交流"),
    "exempt": ("would be a target, but an exemption applies (see the exemption column)",
               "本属交流对象，但符合免于交流的情形（见“豁免情形”列）"),
    "not_eligible": ("not in the scope of the exchange", "不属于交流对象"),
}


# ---- all formats ------------------------------------------------------------------------


def render(decisions: Sequence[Decision], fmt: str, *, bom: bool = False, fired: bool = False,
           layout: Layout | None = None, records: Sequence[Mapping] | None = None, notes: Notes | None = None) -> bytes:
    """Decisions as a file. ``layout`` says which columns, in which language (default: the
    contract's columns in English, and the rules that fired when ``fired``); ``records``
    holds the carried columns' values, one per decision; ``notes`` what an XLSX workbook
    says about its making. JSON carries the rules fired whenever the evaluation did."""
    layout = layout or Layout(fired=fired, bom=bom)
    if fmt == "csv":
        return csv_bytes(decisions, layout=layout, records=records)
    if fmt == "json":
        return json_bytes(decisions, layout=layout, records=records)
    if fmt == "xlsx":
        return xlsx_bytes(decisions, layout=layout, records=records, notes=notes)
    if fmt == "parquet":
        return parquet_bytes(decisions, layout=layout, records=records)
    raise ValueError(f"unknown format {fmt!r}")


# ---- the roster's side ------------------------------------------------------------------


def identity_columns(teachers: S.Table, schools: S.Table, teacher_header: Sequence[str] | None,
                     school_header: Sequence[str] | None) -> tuple[Carried, ...]:
    """Of ``IDENTITY``, the columns the roster has (all of them when its header is unknown):
    a name column only when the teachers have names, a school name when the schools do."""
    def has(table: S.Table, header, name: str) -> bool:
        field = table.field(name)
        return header is None or any(table.header_field(str(h).strip(TRIMMED)) is field for h in header)

    present = {"name": has(teachers, teacher_header, "name"), "school_id": True,
               "school_name": has(schools, school_header, "name")}
    return tuple(c for c in IDENTITY if present[c.key])


