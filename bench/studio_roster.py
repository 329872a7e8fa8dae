"""How the studio answers on a large roster (issue 15: a 100k-row roster stays responsive).
Every measurement is a request as the page makes it, through the studio's ASGI app
(Starlette's test client: the whole HTTP stack but the socket). Run from the repository root:

    .venv/bin/python bench/studio_roster.py                 # 100,000 teachers, 500 schools
    .venv/bin/python bench/studio_roster.py --rows 200000
    .venv/bin/python bench/studio_roster.py --xlsx          # also the roster uploaded as XLSX (minutes)

Prints a Markdown table; docs/performance.md records a run."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
warnings.filterwarnings("ignore")

import synthetic  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from policylang.studio.app import create_app  # noqa: E402

POLICY = "fujian_pilot_district.pol"
RESULTS: list[tuple[str, str, str]] = []


def record(what: str, times: list[float], note: str = "") -> None:
    shown = f"{statistics.median(times) * 1000:.0f} ms" + (f" (max {max(times) * 1000:.0f} ms)" if len(times) > 1 else "")
    RESULTS.append((what, shown, note))
    print(f"{what}: {shown} {note}", flush=True)


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.text[:500]
    return elapsed, response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--xlsx", action="store_true", help="also read the teachers uploaded as an XLSX workbook")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studio-bench-"))
    try:
        root = work / "policies"
        root.mkdir()
        for path in (HERE.parent / "policies").glob("*.pol"):
            shutil.copy(path, root / path.name)
        teachers, schools = work / "teachers.csv", work / "schools.csv"
        synthetic.teachers(args.rows, args.schools).write_csv(teachers)
        synthetic.schools(args.schools).write_csv(schools)
        with TestClient(create_app(root, max_upload=1 << 30), base_url="http://127.0.0.1:8282") as client:
            text = client.get("/api/file", params={"path": POLICY}).json()["text"]
            body = {"path": POLICY, "text": text, "lang": "zh"}
            up = [timed(lambda: client.post("/api/upload", params={"kind": k, "name": p.name}, content=p.read_bytes(),
                                                headers={"Content-Type": "application/octet-stream"}))[0]
                  for k, p in (("teachers", teachers), ("schools", schools))]
            record("upload both files", [sum(up)], f"{teachers.stat().st_size / 1e6:.1f} MB of CSV")
            t, r = timed(lambda: client.post("/api/roster", json=body))
            record("read and check the roster (first time)", [t], f"{r.json()['valid']:,} valid teachers")
            t, _ = timed(lambda: client.post("/api/decisions", json=body))
            record("decide everyone, first page of the table", [t])
            pages = [timed(lambda: client.post("/api/decisions", json=body | {"page": k * 100, "size": 50}))[0]
                     for k in range(5)]
            record("another page", pages, "decisions kept per policy text and parameters")
            filters = [timed(lambda: client.post("/api/decisions", json=body | f))[0] for f in
                       ({"status": "must_rotate"}, {"school": "S7"}, {"rule": "JA-3"}, {"query": "T0000999"})]
            record("filter by status, school, rule or search", filters)
            explain = [timed(lambda: client.post("/api/explain", json=body | {"row": k * 997}))[0] for k in range(5)]
            record("explain one teacher", explain)
            slider = [timed(lambda: client.post("/api/slider", json=body | {"name": "age_cap_female", "value": v}))[0]
                      for v in range(40, 56)]
            record("slider: counts per status and school at a new value", slider,
                   "age_cap_female 40 to 55, 16 requests")
            edited = text.replace("age at most age_cap and", "age at most age_cap  and")
            t, _ = timed(lambda: client.post("/api/slider", json=body | {"text": edited, "name": "age_cap_female",
                                                                         "value": 47}))
            record("slider after an edit (policy compiled again)", [t])
            t, r = timed(lambda: client.post("/api/whatif", json=body | {"base": "fujian.pol"}))
            record("what-if report against fujian.pol", [t], f"{r.json()['changed']:,} changed")
            t, r = timed(lambda: client.post("/api/download", json=body | {"format": "csv"}))
            record("download the decisions as CSV", [t], f"{len(r.content) / 1e6:.1f} MB")
            if args.rows < 1_048_576:
                t, r = timed(lambda: client.post("/api/download", json=body))
                record("download the decisions as XLSX", [t], f"{len(r.content) / 1e6:.1f} MB")
            if args.xlsx:
                workbook = work / "teachers.xlsx"
                _write_xlsx(teachers, workbook)
                timed(lambda: client.post("/api/upload", params={"kind": "teachers", "name": workbook.name},
                                          content=workbook.read_bytes(),
                                          headers={"Content-Type": "application/octet-stream"}))
                t, r = timed(lambda: client.post("/api/roster", json=body))
                record("read and check the roster uploaded as XLSX", [t], f"{r.json()['valid']:,} valid teachers")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.rows:,} teachers, {args.schools} schools\n\n| request | time | note |\n|---|---|---|")
    for what, shown, note in RESULTS:
        print(f"| {what} | {shown} | {note} |")


def _write_xlsx(csv_path: Path, path: Path) -> None:
    import polars as pl
    from openpyxl import Workbook

    frame = pl.read_csv(csv_path, infer_schema=False)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet()
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    wb.save(path)


if __name__ == "__main__":
    main()
