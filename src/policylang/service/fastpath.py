"""A decide batch read column-wise: the records as one polars frame checked by the streamed
reader's rules (``io.columnar.checked_records``), decided by one polars plan, and written as
JSON once per distinct decision. The answer is the one the row path gives (``decide.decide``;
tests/test_batch_fastpath.py compares them on random batches).

Only a clean batch is answered here: text values (as a CSV-minded HR system sends them), no
explanation asked, and nothing the readers would report. Anything else, a bad cell above all,
returns None and the row path reads the batch again and words every problem, so the errors
are the row reader's by construction."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from itertools import chain

import attrs
import polars as pl

from policylang.io import roster as R
from policylang.io.columnar import checked_records, decided_with_uncertain
from policylang.io.output import Layout, json_object
from policylang.io.safe_text import json_text
from policylang.lang.decisions import decision_from_row

_TEXT = frozenset({str, type(None)})
_FRAGMENT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def text_only(records: list[dict]) -> bool:
    """Every value text or null: what the polars frame holds as it is (a typed value goes to the
    row reader, whose rules for numbers and booleans given as JSON values are its own)."""
    return set(map(type, chain.from_iterable(map(dict.values, records)))) <= _TEXT


def _columns(records: list[dict]) -> tuple[list[str], list]:
    """The header as the row reader makes it (every key, in order of first appearance) and the
    cells column by column, a key a record lacks as null."""
    first = tuple(records[0]) if records else ()
    if all(tuple(r) == first for r in records):  # the usual batch: one set of keys, in one order
        return list(first), list(zip(*map(dict.values, records))) or [[] for _ in first]
    header = list(dict.fromkeys(chain.from_iterable(records)))
    return header, [[r.get(h) for r in records] for h in header]


def columnar_batch(policy, request, *, layout: Layout, as_of, params
                   ) -> tuple[bytes, Counter, Callable[[], list[dict]]] | None:
    """The JSON array of a batch's decisions, their statuses and a function giving their
    ``Decision.to_json`` forms (for the decision log), or None when the row path must answer."""
    if not (text_only(request.teachers) and text_only(request.schools)):
        return None
    checked = policy.checked
    header, cells = _columns(request.teachers)
    schools = R.table_from_records(request.schools, checked.schools)
    read = checked_records(checked, header, cells, schools)
    if read is None:
        return None
    frame, assumed = read
    if any(c.source not in frame.columns or frame[c.source].dtype != pl.Utf8 for c in layout.carried):
        return None  # a carried column the frame does not hold as text (one no schema declares)
    decided = decided_with_uncertain(
        lambda f: policy.evaluate_frame(f, as_of=as_of, params=params, fired=True).lazy(), frame)
    return _written(decided, frame, layout, tuple(a.text() for a in assumed), policy.checked, as_of)


def _written(decided: pl.DataFrame, frame: pl.DataFrame, layout: Layout, applied: tuple[str, ...], checked,
             as_of) -> tuple[bytes, Counter, Callable[[], list[dict]]]:
    """Each distinct decision (all but the id) made into a ``Decision`` and written once; each
    person is their id, that text, and the roster columns carried."""
    from policylang.lang.policy import reference_date

    day = reference_date(as_of, checked)
    labels = {(c.id, e.name): e.label for c in checked.consequences for e in c.effects}
    shared = [c for c in decided.columns if c != "id"]
    keyed = decided.with_columns(pl.struct(shared).rank("dense").alias("__kind"))  # 1.. per distinct decision
    firsts = keyed.unique("__kind", keep="first").sort("__kind")
    fragments, kinds_decided = [], []
    plain = attrs.evolve(layout, carried=())
    for row in firsts.drop("__kind").to_dicts():
        decision = decision_from_row(row, day, labels)
        if applied:
            decision = attrs.evolve(decision, assumptions=applied)
        obj = json_object(decision, plain)
        del obj["id"]
        fragments.append(_FRAGMENT(obj)[1:-1])
        kinds_decided.append(decision)
    kinds = keyed["__kind"] - 1
    # each person's object: the id and the carried columns encoded by polars, the decision's text between
    source = decided.select(pl.struct("id").struct.json_encode().str.slice(len('{"id":')).str.head(-1).alias("id"),
                            pl.Series("__fragment", fragments).gather(kinds))
    person = [pl.lit('{"id": '), pl.col("id"), pl.lit(", "), pl.col("__fragment")]
    if layout.carried:
        source = source.with_columns(pl.struct(frame[c.source].alias(c.key) for c in layout.carried)
                                     .struct.json_encode().alias("__roster"))
        person += [pl.lit(', "roster": '), pl.col("__roster")]
    text = source.select(pl.concat_str(person + [pl.lit("}")]).str.join(",\n")).item()
    data = json_text(f"[{text}]").encode("utf-8")
    statuses = Counter(dict(decided["status"].value_counts().iter_rows()))

    def logged() -> list[dict]:  # only when a decision log is kept
        shared = [{k: v for k, v in d.to_json().items() if k != "id"} for d in kinds_decided]
        return [{"id": i} | shared[k] for i, k in zip(decided["id"].to_list(), kinds.to_list())]

    return data, statuses, logged
