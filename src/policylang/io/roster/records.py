"""Records as a table: Parquet and JSON files, and the API's and the service's lists of
records (each key its own column).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from pathlib import Path

from policylang.io.safe_text import lone_surrogate
from policylang.io.roster.model import Table, Shape
from policylang.io.roster.files import UnreadableFile, scalar_columns_or_raise
from policylang.io.roster.encoding import _decode


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
