"""Writing decisions: CSV, JSON, XLSX, all atomically (a temporary file renamed into
place, so a failed run never leaves half a file). No text cell is a formula to a
spreadsheet, and JSON escapes every control character (``safe_text``)."""

from __future__ import annotations

import io
import json
import operator
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from policylang.io.safe_text import csv_text, json_text, xlsx_row
from policylang.lang.decisions import FIRED_COLUMN, ROW_COLUMNS, Decision

FORMATS = ("csv", "json", "xlsx", "table")


def atomic_write(path: str | Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(tmp: str | Path, path: str | Path) -> None:
    """Put a finished temporary file in place of ``path`` in one step, with the permissions
    a new file would have (mkstemp makes the file private; an output file is not)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def _columns(fired: bool) -> tuple[str, ...]:
    return ROW_COLUMNS + ((FIRED_COLUMN,) if fired else ())


def csv_bytes(decisions: Sequence[Decision], *, bom: bool = False, fired: bool = False) -> bytes:
    columns = _columns(fired)
    cells = operator.itemgetter(*columns)
    rows = [cells(d.to_row(fired)) for d in decisions]
    return ("\ufeff" if bom else "").encode() + csv_text([columns, *rows]).encode("utf-8")


def json_bytes(decisions: Sequence[Decision]) -> bytes:
    return json_text(json.dumps([d.to_json() for d in decisions], ensure_ascii=False, indent=1)).encode("utf-8")


def xlsx_bytes(decisions: Sequence[Decision], *, fired: bool = False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("decisions")
    columns = _columns(fired)
    ws.append(xlsx_row(ws, columns))
    for d in decisions:
        row = d.to_row(fired)
        ws.append(xlsx_row(ws, [row[c] for c in columns]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet_bytes(decisions: Sequence[Decision], *, fired: bool = False) -> bytes:
    """The CSV columns as a Parquet file, all text, as the streamed path writes them."""
    import polars as pl

    columns = _columns(fired)
    rows = [d.to_row(fired) for d in decisions]
    frame = pl.DataFrame({c: [r[c] for r in rows] for c in columns}, schema={c: pl.Utf8 for c in columns})
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def render(decisions: Sequence[Decision], fmt: str, *, bom: bool = False, fired: bool = False) -> bytes:
    """Decisions as a file; ``fired`` adds the rules that fired to CSV and XLSX (JSON carries
    them whenever the evaluation did)."""
    if fmt == "csv":
        return csv_bytes(decisions, bom=bom, fired=fired)
    if fmt == "json":
        return json_bytes(decisions)
    if fmt == "xlsx":
        return xlsx_bytes(decisions, fired=fired)
    if fmt == "parquet":
        return parquet_bytes(decisions, fired=fired)
    raise ValueError(f"unknown format {fmt!r}")
