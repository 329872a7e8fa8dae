"""Ids that are resident ID numbers: a roster without staff numbers (工号) whose id column holds
each teacher's 身份证号, as many county rosters have it.

Every decisions file carries the id (it is what joins the decisions back to the roster), and the
contract writes an ID number only when asked (``--keep 身份证号``). So a decisions file shows an id
that is an ID number masked, as ``id_number.mask_id_number`` masks it (110105********002X), unless
the ID numbers were asked for; and the run says so (R061). The rule is kept here, for every writer
(``output.Layout.ids``: the in-memory writers and the streamed one alike):

* an id that is a valid ID number (GB 11643: 18 characters, a real birth date, the check
  character right; full-width digits and surrounding spaces read as ``parse_id_number`` reads them)
  of a birth from 1900 on (as ``id_number.masked_in_text`` judges a birth year) is written masked,
  whatever the other ids are: the few new teachers given their ID number for a
  工号 are masked among the others' staff numbers;
* when most ids hold something that looks like an ID number (``id_number.holds_id_number``: a
  number with its check character mistyped, one written in parts, an old 15-digit one), the id
  column is a column of ID numbers, and every id holding one is masked as a problem's text is
  (``masked_in_text``: a number that is not valid, entirely); an id column of staff numbers some
  of which happen to look like one (a 15-digit 工号) is left as it is.

Only the shown id is masked: duplicate ids, the diff's matching of people and ``explain --id`` use
the full value, so two people whose masked ids coincide (one county, the same last four) are two.
Vectorised with polars: the check character of a million ids is computed in columns, never a
Python call a row; the Python recogniser looks at a sample, and at the few ids that hold five
digits in a row without being a valid number.
"""

from __future__ import annotations

import functools
import threading
from typing import NamedTuple

import attrs
import numpy as np
import polars as pl
import pyarrow as pa

from policylang.io.id_number import GATE, WEIGHTS, holds_id_number, masked_in_text

__all__ = ["IdsShown", "SAMPLE", "holds_id_numbers", "id_header", "id_numbers_warning", "shown_ids"]

#: ids the recogniser looks at to tell whether an id column is one of ID numbers (spread over it)
SAMPLE = 2_000

_WIDE = "０１２３４５６７８９Ｘｘ"
_NARROW = "0123456789Xx"


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_WEIGHTS = np.array(WEIGHTS, dtype=np.float32)


def _valid(texts: pl.Series) -> pl.Series:
    """Whether each of ``texts`` (normalised: ASCII digits, no surrounding spaces) is a valid ID
    number, as ``id_number.parse_id_number`` decides it (without the future-date check): the texts of
    18 bytes as a matrix of digits (their Arrow buffer, not a Python string a row), and their birth
    date and check character in columns."""
    arr = texts.rechunk().to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    n = len(arr)
    valid = np.zeros(n, dtype=bool)
    offsets_buffer, data_buffer = arr.buffers()[1], arr.buffers()[2]
    if n == 0 or data_buffer is None:
        return pl.Series(valid)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    lengths = np.diff(offsets)
    if offsets[-1] - offsets[0] == 18 * n and (lengths == 18).all():  # every text of 18 bytes: the buffer is the matrix
        rows, cells = slice(None), data[offsets[0]:offsets[-1]].reshape(n, 18)
    else:
        rows = np.flatnonzero(lengths == 18)
        if rows.size == 0:
            return pl.Series(valid)
        cells = data[offsets[rows][:, None] + np.arange(18)]
    d = cells - np.uint8(ord("0"))  # (a byte below "0" wraps round, above 9)
    first = d[:, :17]
    last = np.where((cells[:, 17] == ord("X")) | (cells[:, 17] == ord("x")), 10, d[:, 17].astype(np.int16))
    digits = (first <= 9).all(axis=1) & (last <= 10)
    y, m = first[:, 6:10].astype(np.int32), first[:, 10:14].astype(np.int32)
    year = y[:, 0] * 1000 + y[:, 1] * 100 + y[:, 2] * 10 + y[:, 3]
    month, day = m[:, 0] * 10 + m[:, 1], m[:, 2] * 10 + m[:, 3]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _MONTH_DAYS[np.clip(month - 1, 0, 11)] + (leap & (month == 2))
    dated = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
    total = np.rint(first.astype(np.float32) @ _WEIGHTS).astype(np.int64)  # (exact: at most 9 × 103)
    valid[rows] = digits & dated & (last == (12 - total % 11) % 11)
    return pl.Series(valid) & texts.is_not_null()


def shown_ids(ids: pl.Series, column_of_numbers: bool) -> tuple[pl.Series, int]:
    """``ids`` as a decisions file shows them (the module's rule; ``column_of_numbers``: whether the id
    column is one of ID numbers, ``holds_id_numbers``), and how many of them are ID numbers (masked)."""
    if ids.dtype != pl.Utf8:
        ids = ids.cast(pl.Utf8)
    if ids.len() == 0:
        return ids, 0
    text = pl.col("id").str.strip_chars()
    if ids.str.contains("[０-９Ｘｘ]").any():  # (full-width digits: seldom, and a pass over every id to read)
        text = pl.col("id").str.replace_many(list(_WIDE), list(_NARROW)).str.strip_chars()
    frame = pl.DataFrame({"id": ids}).with_columns(text.alias("t"))
    t = pl.col("t")
    # a valid number of a birth from 1900 on (as the recogniser judges a birth year: of a random 18-digit
    # staff number, one in 300 is valid with a year from 1 on, one in 25,000 with one from 1900)
    born = frame.select(t.str.slice(6, 4).cast(pl.Int32, strict=False).is_between(1900, 2099).fill_null(False))
    frame = frame.with_columns((_valid(frame["t"]) & born.to_series()).alias("v"))
    masked = pl.concat_str([t.str.head(6), pl.lit("********"), t.str.tail(4).str.to_uppercase()])
    shown = frame.select(pl.when(pl.col("v")).then(masked).otherwise(pl.col("id")).alias("id"))["id"]
    found = int(frame["v"].sum())
    if not column_of_numbers or found == ids.len():
        return shown.alias(ids.name), found
    # in a column of ID numbers, the others holding one too (a few: a typo'd check character): 18 or 15
    # digits as written, in columns, as ``id_number._looks_like_id`` judges a run alone in its text (a birth
    # date's month up to 19, day up to 39, of 1900 on for 18), masked entirely as ``masked_in_text`` masks a
    # number that is not valid; any other text with five digits in a row (a number in parts), one by one
    rest = (~frame["v"]).arg_true()
    others = frame[rest]

    def number(start: int, length: int) -> pl.Expr:
        return t.str.slice(start, length).cast(pl.Int32, strict=False)

    plain = pl.col("id") == t  # (ASCII, nothing around it)
    eighteen = plain & t.str.contains(r"^[0-9]{17}[0-9Xx]$") & number(6, 4).is_between(1900, 2099) \
        & number(10, 2).is_between(1, 19) & number(12, 2).is_between(1, 39)
    fifteen = plain & t.str.contains(r"^[0-9]{15}$") & number(8, 2).is_between(1, 19) \
        & number(10, 2).is_between(1, 39)
    digits = plain & t.str.contains(r"^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$")
    maybe = ~digits & (pl.col("id").str.len_chars() >= 11) & pl.col("id").str.contains(GATE)
    looked = others.select(pl.when(eighteen).then(pl.lit("*" * 18)).when(fifteen).then(pl.lit("*" * 15))
                           .otherwise(pl.col("id")).alias("id"), maybe.fill_null(False).alias("maybe"))
    again = looked["id"]
    if (where := looked["maybe"].arg_true()).len():
        again = again.scatter(where, [_masked_in_text(text) for text in again.gather(where).to_list()])
    changed = (again != others["id"]).fill_null(False).arg_true()
    if changed.len():
        shown = shown.scatter(rest.gather(changed), again.gather(changed))
    return shown.alias(ids.name), found + changed.len()


_masked_in_text = functools.lru_cache(maxsize=1 << 14)(masked_in_text)  # (a typo repeated down a column)


def holds_id_numbers(ids: pl.Series) -> bool:
    """Whether an id column is one of ID numbers: most of its non-empty ids (of ``SAMPLE`` spread
    over it) hold something that looks like one (``id_number.holds_id_number``)."""
    if ids.dtype != pl.Utf8:
        ids = ids.cast(pl.Utf8)
    filled = ids.filter(ids.str.strip_chars().str.len_chars() > 0)
    if filled.len() == 0:
        return False
    step = max(1, filled.len() // SAMPLE)
    sample = filled.gather_every(step).head(SAMPLE).to_list()
    return 2 * sum(map(holds_id_number, sample)) > len(sample)


@attrs.define(eq=False)
class IdsShown:
    """How a decisions file shows its ids (``output.Layout.ids``): masked where they are ID numbers
    (``shown_ids``), or ``whole`` when the ID numbers were asked for (``--keep 身份证号``). Whether the
    id column is one of ID numbers is decided from the first ids shown (the in-memory writer's all of
    them, the streamed writer's first chunk) and kept for the rest; each batch shown is counted, so
    that the run can say how many ids are ID numbers (``found``)."""

    whole: bool = False
    numbers: bool | None = None  # the id column is one of ID numbers; None: no id shown yet
    batches: list[tuple[int, int]] = attrs.field(factory=list)  # (ids shown, of which ID numbers) per batch
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    def __call__(self, ids: pl.Series, tally: bool = True) -> pl.Series:
        """``ids`` as the file shows them; not ``tally``: a few ids a message names (the uncertain
        decisions' people), neither counted nor deciding what the id column is."""
        with self._lock:  # (the streamed writer shows its chunks on a thread of its own)
            numbers = self.numbers
            if numbers is None:
                numbers = holds_id_numbers(ids)
                if tally:
                    self.numbers = numbers
        shown, found = shown_ids(ids, numbers)
        if tally:
            with self._lock:
                self.batches.append((ids.len(), found))
        return ids if self.whole else shown

    def texts(self, ids, tally: bool = True) -> list[str]:
        """A list of ids (text) as the file shows them (``__call__``)."""
        ids = [str(i) if i is not None else None for i in ids]
        return self(pl.Series("id", ids, dtype=pl.Utf8), tally).to_list() if ids else []

    def found(self, rows: int | None = None) -> int:
        """How many of the last ``rows`` ids shown (all, by default) are ID numbers: the streamed writer
        goes over a roster twice when it has duplicate ids, and the file is the last pass's ``rows``."""
        with self._lock:
            batches = list(self.batches)
        if rows is None:
            return sum(found for _, found in batches)
        total, seen = 0, 0
        for shown, found in reversed(batches):
            if seen >= rows:
                break
            seen += shown
            total += found
        return total


def id_header(table, header) -> str | None:
    """The id column's header as a roster writes it (工号, 编号, 身份证号码 …), where it has one
    (``table``: the policy's teachers, ``schema.Table``; ``header``: the roster's, or None)."""
    field = table.field("id")
    return next((str(h).strip() for h in header or () if table.header_field(str(h).strip()) is field), None)


class ShownIn(NamedTuple):
    """What shows the ids, as R061 says it: its name, whether its rows are people in the roster's order,
    and how a person is found there by the full number (en, zh)."""

    en: str
    zh: str
    in_order: bool
    found_by: tuple[str, str] = ("explain --id takes the full number", "explain --id 可用完整号码查询")


# eval's decisions, diff's report (the people whose decision changes), quota's plan (by school), the studio's
IN_DECISIONS, IN_REPORT, IN_PLAN = ShownIn("the decisions", "结论", True), ShownIn("the report", "报告", True), \
    ShownIn("the plan", "方案", False)
IN_STUDIO = ShownIn("the decisions", "结论", True, ("the search box finds a teacher by the full number",
                                                   "在搜索框输入完整号码可查到本人"))


def id_numbers_warning(file: str, column: str | None, found: int, total: int, whole: bool, keep: bool = True,
                       shown_in: ShownIn = IN_DECISIONS):
    """R061: how many ids are ID numbers, and how ``shown_in`` (the decisions, diff's report, quota's
    plan) shows them (masked; whole when asked); None when none is. ``column``: the id column's header as
    written; ``keep``: whether the command takes ``--keep 身份证号`` (quota does not: its ids are masked)."""
    from policylang.io.roster.model import RosterProblem

    if not found:
        return None
    of_en, of_zh = (f"{found} of the {total} ids", f"{total} 人中有 {found} 人的工号") if found < total else \
        (f"all {total} ids" if total > 1 else "the id", f"全部 {total} 人的工号" if total > 1 else "工号")
    where_en, where_zh, in_order, (find_en, find_zh) = shown_in
    order_en, order_zh = ("the rows are in the roster's order, and ", f"{where_zh}按名册的行序排列，") if in_order \
        else ("", "")
    if whole:
        en = (f"{of_en} {'is a' if found == 1 else 'are'} resident ID number{'s' if found > 1 else ''} (身份证号), "
              f"written whole in {where_en} as --keep 身份证号 asks: the file holds every such teacher's ID number, "
              "hand it on as personal data")
        zh = (f"{of_zh}是身份证号，已按 --keep 身份证号 的要求在{where_zh}中完整写出：该文件含有这些教师的身份证号，"
              "请按个人信息妥善保管和传递")
    else:
        en = (f"{of_en} {'is a' if found == 1 else 'are'} resident ID number{'s' if found > 1 else ''} (身份证号), "
              f"written masked in {where_en} (the first 6 and last 4 characters: 110105********002X), as an ID "
              f"number is never written unasked; two teachers' masked ids may be alike: {order_en}{find_en}"
              + (". --keep 身份证号 writes them whole" if keep else ""))
        zh = (f"{of_zh}是身份证号：身份证号未经要求不写入{where_zh}，{where_zh}中的工号已脱敏（保留前 6 位和后 4 位，如 "
              f"110105********002X）；脱敏后两人的工号可能相同，{order_zh}{find_zh}"
              + ("。需要完整写出的，加 --keep 身份证号" if keep else ""))
    return RosterProblem(file, None, column, None, "R061", en, zh, warning=True, count=found)


def frame_ids_warning(file: str, column: str | None, frame: pl.DataFrame | None, shown: IdsShown, *,
                      keep: bool = True, shown_in: ShownIn):
    """``id_numbers_warning`` of a roster frame's ids (none where there is no frame, an unusable
    roster, or no id column), ``shown`` deciding on them whether they are ID numbers and counting
    them (its ``found`` and ``texts`` then as the warning says)."""
    ids = frame["id"].cast(pl.Utf8) if frame is not None and "id" in frame.columns else pl.Series("id", [], pl.Utf8)
    shown(ids)
    return id_numbers_warning(file, column, shown.found(), ids.len(), shown.whole, keep=keep, shown_in=shown_in)
