"""A decide batch read column-wise: the records as one polars frame checked by the streamed
reader's rules (``io.columnar.checked_records``), decided by one polars plan, and written as
JSON once per distinct decision. The answer is the one the row path gives (``decide.decide``;
tests/test_batch_fastpath.py compares them on random batches).

Only a clean batch is answered here: text values (as a CSV-minded HR system sends them), no
explanation asked, and nothing the readers would report. Anything else, a bad cell above all,
returns None and the row path reads the batch again and words every problem, so the errors
are the row reader's by construction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import polars as pl

from policylang.io import roster as R
from policylang.io.columnar import checked_records, decided_with_uncertain
from policylang.io.output import Layout, distinct_decisions, json_document, json_lines
from policylang.lang.decisions import ASSUMPTIONS_COLUMN

_TEXT = frozenset({str, type(None)})


def text_only(types: frozenset[type]) -> bool:
    """Every value text or null (``types``: those of a list's values, ``Request.types``): what the
    polars frame holds as it is (a typed value goes to the row reader, whose rules for numbers and
    booleans given as JSON values are its own)."""
    return types <= _TEXT


def _columns(records: list[dict], header: list[str]) -> tuple[list[str], list, set[str]]:
    """The header as the row reader makes it (``header``: ``roster.records_header``'s), the cells
    column by column (a key a record lacks as null), and the keys some record lacks."""
    first = tuple(records[0]) if records else ()
    if all(tuple(r) == first for r in records):  # the usual batch: one set of keys, in one order
        return list(first), list(zip(*map(dict.values, records))) or [[] for _ in first], set()
    return header, [[r.get(h) for r in records] for h in header], {h for h in header if any(h not in r for r in records)}


def _read_keys(table, keys: set[str]) -> bool:
    """Whether any of ``keys`` names a field a record must give: a record lacking it is the row
    reader's to refuse (R006, R026)."""
    return any((f := table.header_field(R.header_name(k))) is not None and table.gives_value(f) for k in keys)


def columnar_batch(policy, request, *, layout: Layout, as_of, params
                   ) -> tuple[bytes, Counter, Callable[[], list[dict]]] | None:
    """The JSON array of a batch's decisions at ``as_of`` (a settled date), their statuses and a
    function giving their ``Decision.to_json`` forms (for the decision log), or None when the
    row path must answer."""
    if not (text_only(request.types["teachers"]) and text_only(request.types["schools"])):
        return None
    checked = policy.checked_at(as_of)  # a date of a teacher's life after it: the row path words it
    header, cells, lacking = _columns(request.teachers, request.headers["teachers"])
    if lacking and _read_keys(checked.teachers, lacking):
        return None
    schools = R.table_from_records(request.schools, checked.schools)
    read = checked_records(checked, header, cells, schools)
    if read is None:
        return None
    frame, assumed = read
    if any(c.source not in frame.columns or frame[c.source].dtype != pl.Utf8 for c in layout.carried):
        return None  # a carried column the frame does not hold as text (one no schema declares)
    decided = decided_with_uncertain(policy.frame_decider(as_of=as_of, params=params, fired=True), frame)
    return _written(decided, frame, layout, tuple(a.text() for a in assumed), as_of)


def _written(decided: pl.DataFrame, frame: pl.DataFrame, layout: Layout, applied: tuple[str, ...],
             day) -> tuple[bytes, Counter, Callable[[], list[dict]]]:
    """The decisions as ``eval -o FILE.json`` writes them (``output.json_lines``: each distinct
    decision encoded once), with the roster columns carried (``day``: the reference date)."""
    flat = decided.with_columns(pl.lit(";".join(applied)).alias(ASSUMPTIONS_COLUMN))
    carried = [frame[c.source].alias(c.key) for c in layout.carried]
    data = json_document(json_lines(flat.with_columns(carried), layout, day).to_list())
    statuses = Counter(dict(decided["status"].value_counts().iter_rows()))

    def logged() -> list[dict]:  # only when a decision log is kept
        kinds, decisions = distinct_decisions(flat, day, layout.effects)
        shared = [{k: v for k, v in d.to_json().items() if k != "id"} for d in decisions]
        return [{"id": i} | shared[k] for i, k in zip(decided["id"].to_list(), kinds.to_list())]

    return data, statuses, logged
