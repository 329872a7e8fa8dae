"""The streamed reader of a CSV roster against its floor, wall and CPU: `stream_decisions` of the
synthetic roster's CSV (every cell checked, decided, written) and polars reading the same file
with its own types, deciding and writing (nothing checked), in turn, median of ``--runs`` each.
CPU (every thread of the process) tells a change apart on a shared machine better than wall
time does. From the repository root (the data is made as `bench/run.py` makes it):

    .venv/bin/python bench/csv_floor.py [--rows 1000000] [--runs 3] [--same-process]

Each run is a process of its own (the two in turn), timed after a first run in it (caches
warm, as for the second file of a session): in one process, the memory one side freed is
given back to the system by polars's allocator while the other side runs (its background
thread), and each is timed the slower for the other (0.06 s of 1.3 measured). ``--same-process``
times them in turn in this process, as this bench did before 2026-12-05.

docs/performance.md records runs (the issue's goal: within 1.5x of the floor).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import polars as pl  # noqa: E402

import policylang  # noqa: E402
import synthetic  # noqa: E402
from policylang.backends.polars import decide_frame  # noqa: E402
from run import AS_OF, DATA, make_data  # noqa: E402


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - wall, _cpu() - cpu


def _alone(side: str, rows: int) -> tuple[float, float]:
    """A run timed in a process of its own (wall and CPU seconds)."""
    done = subprocess.run([sys.executable, __file__, "--one", side, "--rows", str(rows)], capture_output=True,
                          text=True, check=True)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--same-process", action="store_true")
    parser.add_argument("--one", choices=["ours", "floor"], help=argparse.SUPPRESS)  # (a run of its own)
    args = parser.parse_args()
    teachers, schools_path = make_data(args.rows, 2_000)
    csv_path = DATA / f"teachers_{args.rows}.csv"
    if not csv_path.exists():
        pl.read_parquet(teachers).write_csv(csv_path)
    district = policylang.load(HERE.parent / "policies" / "fujian_pilot_district.pol")
    schools = pl.read_parquet(schools_path)

    def ours() -> None:
        streamed = district.stream_decisions(csv_path, schools_path, DATA / "d2.csv", as_of=AS_OF)
        if streamed.problems:
            raise SystemExit(f"the synthetic roster has problems: {streamed.problems[:3]}")

    def floor() -> None:
        table = synthetic.joined(pl.read_csv(csv_path, try_parse_dates=True), schools)
        decide_frame(district.checked, table, as_of=AS_OF).collect().write_csv(DATA / "d3.csv")

    if args.one:  # a process of its own: a first run, then the one timed
        side = ours if args.one == "ours" else floor
        side()
        print(*_timed(side))
        return
    mine, floors = [], []
    for _ in range(args.runs):
        if args.same_process:
            mine.append(_timed(ours))
            floors.append(_timed(floor))
        else:
            mine.append(_alone("ours", args.rows))
            floors.append(_alone("floor", args.rows))
    wall, cpu = (statistics.median(t[k] for t in mine) for k in (0, 1))
    floor_wall, floor_cpu = (statistics.median(t[k] for t in floors) for k in (0, 1))
    print(f"{args.rows:,} teachers, CSV → CSV decisions: {wall:.2f} s wall, {cpu:.2f} s CPU; floor {floor_wall:.2f} s "
          f"wall, {floor_cpu:.2f} s CPU; {wall / floor_wall:.2f}x wall, {cpu / floor_cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
