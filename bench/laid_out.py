"""`policylang eval` of CSVs laid out as clerks lay a county's roster out, against the same teachers
plain: each school's teachers under a row of its title alone (R054) and followed by a 小计 row (R053),
as WPS users write them ("laid out"); each school's teachers under the header again, as a clerk pastes
several schools' exports one under another (R044, "pasted"); the plain teachers above a form's footer
longer than the streamed reader's first look at the file's end (R030, "long footer"). Wall time of the
whole command, median of ``--runs`` each, in turn. From the repository root (the teachers are made as
`bench/run.py` makes them):

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


def _pasted(plain: pl.DataFrame, path: Path) -> int:
    """``plain``'s teachers a school at a time, each school's under the header again but the first; the
    rows of headers written."""
    extra = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        for k, ((school,), block) in enumerate(plain.group_by("school_id", maintain_order=True)):
            out.writerow(plain.columns)
            out.writerows(block.iter_rows())
            extra += k > 0
    return extra


FOOTER_LINES = 80  # a long 注： of numbered lines, then the signatures


def _footed(plain: pl.DataFrame, path: Path) -> int:
    """``plain``'s teachers above a form's footer of ``FOOTER_LINES`` rows and more; its rows written."""
    lone = lambda text: [text] + [""] * (plain.width - 1)  # noqa: E731
    footer = [lone("合计"), lone("注：本表由各校人事专干填报，以下为各校说明。")]
    footer += [lone(f"{k}．第{k}所学校的教师名单已经校长审核。") for k in range(1, FOOTER_LINES + 1)]
    footer += [lone("填表人：张三"), lone("审核人：李四")]
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(plain.columns)
        out.writerows(plain.iter_rows())
        out.writerows(footer)
    return len(footer)


LAYOUTS = {"plain": None, "laid out": _laid_out, "pasted": _pasted, "long footer": _footed}
LAYOUTS_SAID = {"laid out": "titles and 小计", "pasted": "headers again", "long footer": "footer rows"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    teachers, schools = make_data(args.rows, args.schools)
    plain = pl.read_parquet(teachers).sort("school_id", maintain_order=True).with_columns(pl.all().cast(pl.Utf8))
    paths = {what: DATA / f"{what.replace(' ', '_')}_{args.rows}.csv" for what in LAYOUTS}
    plain.write_csv(paths["plain"])
    extra = {what: make(plain, paths[what]) for what, make in LAYOUTS.items() if make is not None}
    command = [sys.executable, "-m", "policylang", "eval", str(POLICY), "--schools", str(schools),
               "--as-of", AS_OF.isoformat(), "--lang", "en"]
    times: dict[str, list[float]] = {what: [] for what in LAYOUTS}
    outputs = {}
    for _ in range(args.runs):
        for what, path in paths.items():
            out = DATA / f"decided_{what.replace(' ', '_')}.csv"
            start = time.perf_counter()
            done = subprocess.run([*command, str(path), "-o", str(out)], capture_output=True, text=True)
            times[what].append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(f"{what}: exit {done.returncode}\n{done.stderr[-2000:]}")
            outputs[what] = out.read_bytes()
    print(f"{args.rows} teachers, {args.schools} schools; rows more: "
          + ", ".join(f"{what} {count} ({LAYOUTS_SAID[what]})" for what, count in extra.items()))
    for what, each in times.items():
        print(f"{what}: median {statistics.median(each):.2f} s of {', '.join(f'{t:.2f}' for t in each)}")
    print("the same decisions written:", all(out == outputs["plain"] for out in outputs.values()))


if __name__ == "__main__":
    main()
