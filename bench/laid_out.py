"""`policylang eval` of a CSV laid out as a clerk lays a county's roster out, against the same teachers
plain: each school's teachers under a row of its title alone (R054) and followed by a 小计 row (R053),
as WPS users write them. Wall time of the whole command, median of ``--runs`` each, in turn. From the
repository root (the teachers are made as `bench/run.py` makes them):

    .venv/bin/python bench/laid_out.py [--rows 100000] [--schools 2000] [--runs 3]

docs/performance.md records runs.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import polars as pl  # noqa: E402

from run import AS_OF, DATA, make_data  # noqa: E402

POLICY = HERE.parent / "policies" / "fujian_pilot_district.pol"


def _laid_out(plain: pl.DataFrame, path: Path) -> int:
    """``plain``'s teachers a school at a time, each school's under its title and above its 小计; the
    rows of neither kind written."""
    width, extra = plain.width, 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(plain.columns)
        for (school,), block in plain.group_by("school_id", maintain_order=True):
            out.writerow([f"{school} 学校教师名单"] + [""] * (width - 1))
            out.writerows(block.iter_rows())
            out.writerow(["小计", f"{block.height}人"] + [""] * (width - 2))
            extra += 2
    return extra


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    teachers, schools = make_data(args.rows, args.schools)
    plain = pl.read_parquet(teachers).sort("school_id", maintain_order=True).with_columns(pl.all().cast(pl.Utf8))
    plain_path, laid_path = DATA / f"plain_{args.rows}.csv", DATA / f"laid_out_{args.rows}.csv"
    plain.write_csv(plain_path)
    extra = _laid_out(plain, laid_path)
    command = [sys.executable, "-m", "policylang", "eval", str(POLICY), "--schools", str(schools),
               "--as-of", AS_OF.isoformat(), "--lang", "en"]
    times: dict[str, list[float]] = {"plain": [], "laid out": []}
    outputs = {}
    for _ in range(args.runs):
        for what, path in (("plain", plain_path), ("laid out", laid_path)):
            out = DATA / f"decided_{what.replace(' ', '_')}.csv"
            start = time.perf_counter()
            done = subprocess.run([*command, str(path), "-o", str(out)], capture_output=True, text=True)
            times[what].append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(f"{what}: exit {done.returncode}\n{done.stderr[-2000:]}")
            outputs[what] = out.read_bytes()
    print(f"{args.rows} teachers, {args.schools} schools; laid out: {extra} rows of titles and 小计 more")
    for what, each in times.items():
        print(f"{what}: median {statistics.median(each):.2f} s of {', '.join(f'{t:.2f}' for t in each)}")
    print("the same decisions written:", outputs["plain"] == outputs["laid out"])


if __name__ == "__main__":
    main()
