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
from policylang.lang.decisions import ASSUMPTIONS_COLUMN, FIRED_COLUMN, ROW_COLUMNS, Decision

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


def columns(fired: bool) -> tuple[str, ...]:
    """The columns of a decisions file: the flat decision, the assumptions applied, the rules fired."""
    return ROW_COLUMNS + (ASSUMPTIONS_COLUMN,) + ((FIRED_COLUMN,) if fired else ())


def file_row(decision: Decision, fired: bool = False) -> dict[str, str]:
    """One decision as a row of a decisions file."""
    return decision.to_row(fired) | {ASSUMPTIONS_COLUMN: ";".join(decision.assumptions)}


def csv_bytes(decisions: Sequence[Decision], *, bom: bool = False, fired: bool = False) -> bytes:
    names = columns(fired)
    cells = operator.itemgetter(*names)
    rows = [cells(file_row(d, fired)) for d in decisions]
    return ("\ufeff" if bom else "").encode() + csv_text([names, *rows]).encode("utf-8")


def json_bytes(decisions: Sequence[Decision]) -> bytes:
    return json_text(json.dumps([d.to_json() for d in decisions], ensure_ascii=False, indent=1)).encode("utf-8")


def xlsx_bytes(decisions: Sequence[Decision], *, fired: bool = False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("decisions")
    names = columns(fired)
    ws.append(xlsx_row(ws, names))
    for d in decisions:
        row = file_row(d, fired)
        ws.append(xlsx_row(ws, [row[c] for c in names]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet_bytes(decisions: Sequence[Decision], *, fired: bool = False) -> bytes:
    """The CSV columns as a Parquet file, all text, as the streamed path writes them."""
    import polars as pl

    names = columns(fired)
    rows = [file_row(d, fired) for d in decisions]
    frame = pl.DataFrame({c: [r[c] for r in rows] for c in names}, schema={c: pl.Utf8 for c in names})
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
