"""Reading one teacher and their school fast, for the embedding API.

The roster reader (``roster``) maps headers, converts every cell and collects
every problem with its row, column and value; for one record most of that work
is the same every time. Here the header mapping is done once per set of keys and
each value goes through a converter chosen once per field. Only the usual forms
are read here: canonical or Chinese keys, codes and labels, ISO dates, ``date``
objects, booleans. Anything else (an unknown key, an odd spelling, a missing or
bad value, a value no person has: ``roster.plausible.implausible``, a date after the reference
date: ``roster.plausible.after_reference``) gives ``None``, and the
caller reads the record with the roster reader, which says what is wrong exactly
as it always has.

The converters are the roster reader's own (``parse_date``, ``parse_bool``,
``parse_number``, ``Enum.lookup``), so a value read here is the value read there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from policylang.core.text_width import TRIMMED
from policylang.io.roster.cells import parse_bool, parse_date, parse_number
from policylang.io.roster.header import map_header
from policylang.io.roster.plausible import LIFE_DATES, PLAUSIBILITY_CHECKED, after_reference, implausible
from policylang.io.roster.reader import RECORDS
from policylang.lang import schema as S
from policylang.lang import types as T

_UNSURE = object()  # a value the fast path leaves to the roster reader
_MISSING = object()  # no value remembered
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_READ_ERRORS = (ValueError, TypeError, OverflowError)  # what the roster reader reports as a problem
_MAX_LAYOUTS = 64  # key layouts remembered per table

Converter = Callable[[object], object]


_CACHED = 4096  # texts a converter remembers (then it forgets them all): a roster repeats its dates and codes


def _guarded(parse: Callable[[object], object]) -> Converter:
    """``parse``, its errors the fast path's ``_UNSURE``; each text read once (the values are
    immutable: dates, numbers, yes/no), as the columnar reader reads each distinct text once."""
    cache: dict[str, object] = {}

    def convert(raw):
        if type(raw) is str and (hit := cache.get(raw, _MISSING)) is not _MISSING:
            return hit
        try:
            value = parse(raw)
        except _READ_ERRORS:
            value = _UNSURE
        if type(raw) is str:
            if len(cache) >= _CACHED:
                cache.clear()
            cache[raw] = value
        return value
    return convert


def _date(raw):
    if type(raw) is dt.date:
        return raw
    if type(raw) is str and _ISO_DATE.fullmatch(raw):
        return dt.date.fromisoformat(raw)  # 2015-02-30 raises, and the roster reader reports it
    return parse_date(raw)


def _bool(raw):
    return raw if type(raw) is bool else parse_bool(raw)


def _text(raw):
    if raw is None:
        return None
    if type(raw) is str and raw == raw.strip(TRIMMED):
        return raw or None
    return _UNSURE  # numbers and padded text: the roster reader's rules


def _enum(enum: S.Enum) -> Converter:
    """Codes, labels and aliases as written; what the roster reader makes of an empty value."""
    known = {text: enum.lookup(text) for text in (*enum.codes, *enum.labels.values(), *enum.aliases)
             if text == text.strip(TRIMMED)}
    known = {text: code for text, code in known.items() if code is not None}
    known[None] = known[""] = enum.lookup("")  # empty: no code, or the one an alias gives it
    return lambda raw: known.get(raw, _UNSURE) if raw is None or type(raw) is str else _UNSURE


def _converter(field: S.Field) -> Converter:
    t = field.type
    if isinstance(t, T.EnumType):
        return _enum(field.enum)
    if isinstance(t, T.DateType):
        return _guarded(_date)
    if isinstance(t, T.BoolType):
        return _guarded(_bool)
    if isinstance(t, T.NumberType):
        return _guarded(parse_number)
    return _text


class _TableReader:
    """One table's fields by the keys that name them, and what an absent field reads as."""

    def __init__(self, table: S.Table):
        self.table = table
        self.by_key: dict[str, tuple[str, Converter, bool]] = {}
        for field in table.fields:
            for key in (field.name, field.zh):
                if table.header_field(key) is field:  # the header the roster reader maps to this field
                    self.by_key[key] = (field.name, _converter(field), field.must_fill)
        self.defaults = table.absent_values
        # absent, these are refused by the roster reader: required ones, and those the policy
        # reads without a value stated for them (but those a roster may lack: ``open_when_absent``)
        self.required = {f.name for f in table.fields if f.required} | {
            name for name, _ in table.reads if table.assumption(name) is None and not _open_when_absent(table, name)}
        self.layouts: dict[tuple, tuple | None] = {}
        # the fields the roster reader checks for values no person or school has (R017), or that
        # lie after the reference date (R029)
        self.checked = PLAUSIBILITY_CHECKED.get(table.name, frozenset()) | (
            frozenset(LIFE_DATES) if table.name == "teacher" else frozenset())

    def _layout(self, keys: tuple) -> tuple | None:
        """The (key, field, converter, required) of each key, the fields among them whose
        values are checked for plausibility and the values stated for the absent columns the
        policy reads (as the roster reader maps these keys), or None when a key is not a
        field's name as written, two keys give one field, or a required field (or one the
        policy reads with no value stated for it) is absent."""
        plan = []
        for key in keys:
            entry = self.by_key.get(key) if type(key) is str else None
            if entry is None:
                return None
            plan.append((key, *entry))
        names = [name for _, name, _, _ in plan]
        if len(set(names)) != len(names) or not self.required <= set(names) or "id_number" in names:
            return None  # an ID number is checked against the birth date and sex by the roster reader
        return (tuple(plan), tuple(name for name in names if name in self.checked),
                map_header(RECORDS, self.table, keys).assumptions)

    def read(self, record: Mapping) -> tuple[dict, tuple[S.Assumption, ...]] | None:
        """The record's values and the values stated for its absent columns, or None."""
        keys = tuple(record)
        plan = self.layouts.get(keys, _UNSURE)
        if plan is _UNSURE:
            plan = self._layout(keys)
            if len(self.layouts) >= _MAX_LAYOUTS:
                self.layouts.clear()  # callers with ever-new keys: stay small (clear() is thread-safe)
            self.layouts[keys] = plan
        if plan is None:
            return None
        plan, checked, assumed = plan
        values = self.defaults.copy()
        for key, name, convert, required in plan:
            value = convert(record[key])
            if value is _UNSURE or (value is None and required):
                return None
            values[name] = value
        if checked and (implausible(self.table.name, values, checked, self.table.reference)
                        or after_reference(self.table, values, checked)):
            return None
        return values, assumed


class RecordReader:
    """Typed values of one teacher and their school, and the values stated for the columns
    they lack, as ``roster.roster_from_records`` gives them for a valid record (its rows'
    values, its ``assumptions``), or None to say: ask the roster reader."""

    def __init__(self, teachers: S.Table, schools: S.Table):
        self._teachers = _TableReader(teachers)
        self._schools = _TableReader(schools)

    def read(self, teacher: Mapping, school: Mapping) -> tuple[dict, dict, tuple[S.Assumption, ...]] | None:
        t = self._teachers.read(teacher)
        s = self._schools.read(school) if t is not None else None
        if s is None or t[0]["school_id"] != s[0]["school_id"]:
            return None
        return t[0], s[0], t[1] + s[1]


def _open_when_absent(table: S.Table, name: str) -> bool:
    field = table.field(name)
    return field is not None and field.open_when_absent
