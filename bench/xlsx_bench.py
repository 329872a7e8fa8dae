"""XLSX reading and writing, before and after calamine and XlsxWriter (``io/xlsx.py``), in
paired runs: each repeat times openpyxl's way and the new one in turn, in CPU seconds of this
process (``time.process_time``) beside wall seconds, because the machine is shared. Run from
the repository root:

    .venv/bin/python bench/xlsx_bench.py                  # 100,000 teachers, 3 repeats
    .venv/bin/python bench/xlsx_bench.py --rows 200000 --repeats 1

The roster is ``bench/synthetic.py``'s, written as an HR office's workbook: Chinese headers,
dates as date cells, yes/no as 是/否, counts as numbers, strings shared (as Excel writes them).
Reading is timed as ``eval`` reads the teachers (``roster.load_table``: the sheet, then the
row reader's checks) and for the sheet alone; writing is ``io.output.xlsx_bytes`` on the
roster's decisions (the old writer is ``tests/test_xlsx_writing.openpyxl_workbook``, the
openpyxl write-only code as it was). Prints a Markdown table."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))

import synthetic  # noqa: E402

from policylang.io import output, roster, xlsx  # noqa: E402
from policylang.lang import schema as S  # noqa: E402

POLICY = HERE.parent / "policies" / "fujian_pilot_district.pol"


def workbook(path: Path, rows: int, schools: int) -> None:
    import xlsxwriter

    frame = synthetic.teachers(rows, schools)
    zh = {f.name: f.zh for f in S.TEACHERS.fields}
    wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("花名册")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [zh.get(c, c) for c in frame.columns])
    for r, row in enumerate(frame.iter_rows(), 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否")
            elif isinstance(value, float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()


def timed(call) -> tuple[float, float, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    out = call()
    return time.process_time() - cpu, time.perf_counter() - wall, out


def paired(what: str, old, new, repeats: int, results: list) -> None:
    runs = {"old": [], "new": []}
    for _ in range(repeats):
        for name, call in (("old", old), ("new", new)):
            cpu, wall, _ = timed(call)
            runs[name].append((cpu, wall))
    med = {k: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v)) for k, v in runs.items()}
    line = (what, f"{med['old'][0]:.2f} s ({med['old'][1]:.2f} s)", f"{med['new'][0]:.2f} s ({med['new'][1]:.2f} s)",
            f"{med['old'][0] / med['new'][0]:.1f}x")
    results.append(line)
    print(" | ".join(line), flush=True)


def openpyxl_only(call):
    """``call`` with the workbook reader sent to openpyxl, as before."""
    def run():
        saved = xlsx.calamine_sheets
        xlsx.calamine_sheets = _refuse
        try:
            return call()
        finally:
            xlsx.calamine_sheets = saved
    return run


def _refuse(path):
    raise xlsx._Unlike("the reference")  # noqa: SLF001


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import policylang
    from tests.test_xlsx_writing import openpyxl_workbook

    results: list = []
    with tempfile.TemporaryDirectory(prefix="xlsx-bench-") as folder:
        path = Path(folder) / "teachers.xlsx"
        workbook(path, args.rows, args.schools)
        print(f"{args.rows:,} teachers: {path.stat().st_size / 1e6:.1f} MB", flush=True)
        assert xlsx.calamine_sheets(path)  # the workbook takes the fast way
        paired("the sheet's rows (`io.xlsx.sheets`)", openpyxl_only(lambda: xlsx.sheets(path)),
               lambda: xlsx.sheets(path), args.repeats, results)
        paired("read and check the teachers (`roster.load_table`, as `eval` reads them)",
               openpyxl_only(lambda: roster.load_table(path, S.TEACHERS)), lambda: roster.load_table(path, S.TEACHERS),
               args.repeats, results)
        csv = Path(folder) / "teachers.csv"
        schools = Path(folder) / "schools.csv"
        synthetic.teachers(args.rows, args.schools).write_csv(csv)
        synthetic.schools(args.schools).write_csv(schools)
        policy = policylang.load(POLICY)
        loaded = policy.read_roster(csv, schools)
        decisions = policy.evaluate(loaded)
        records = output.roster_records(loaded)
        layout = output.Layout(lang="zh")
        made: list = []
        write = xlsx.workbook_bytes
        xlsx.workbook_bytes = lambda sheets: made.append(sheets) or write(sheets)
        size = len(output.xlsx_bytes(decisions, layout=layout, records=records))
        xlsx.workbook_bytes = write
        paired(f"write the decisions workbook (`output.xlsx_bytes`'s sheets, {size / 1e6:.1f} MB)",
               lambda: openpyxl_workbook(made[0]), lambda: xlsx.workbook_bytes(made[0]), args.repeats, results)
    print(f"\n{args.rows:,} teachers, {args.repeats} paired repeats, medians: CPU (wall)\n")
    print("| measurement | openpyxl | calamine / XlsxWriter | CPU ratio |\n|---|---|---|---|")
    for line in results:
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main()
