"""Benchmarks of the bulk evaluator (issue: national scale). Run from the repository root:

    .venv/bin/python bench/run.py            # 1M teachers, every measurement but 20M
    .venv/bin/python bench/run.py --huge     # also 20M teachers streamed from Parquet
    .venv/bin/python bench/run.py --rows 100000

Results go to stdout as a Markdown table; docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import synthetic  # noqa: E402

import policylang  # noqa: E402
from policylang.io.columnar import scan_table  # noqa: E402
from policylang.backends.polars import decide_frame  # noqa: E402
from policylang.backends.reference import decide  # noqa: E402

AS_OF = dt.date(2025, 9, 1)
DATA = HERE / "data"
RESULTS: list[tuple[str, str, str]] = []


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def record(what: str, seconds: float, note: str = "") -> None:
    shown = f"{seconds * 1e6:.1f} µs" if seconds < 1e-3 else f"{seconds:.3f} s"
    RESULTS.append((what, shown, note))
    print(f"{what}: {shown} {note}", flush=True)


def make_data(rows: int, n_schools: int) -> tuple[Path, Path]:
    DATA.mkdir(exist_ok=True)
    teachers, schools = DATA / f"teachers_{rows}.parquet", DATA / f"schools_{n_schools}.parquet"
    if not schools.exists():
        synthetic.schools(n_schools).write_parquet(schools)
    if not teachers.exists():
        chunk = 2_000_000
        if rows <= chunk:
            synthetic.teachers(rows, n_schools).write_parquet(teachers)
        else:  # bounded memory: write row groups one chunk at a time
            import pyarrow.parquet as pq

            writer = None
            for k, start in enumerate(range(0, rows, chunk)):
                part = synthetic.teachers(min(chunk, rows - start), n_schools, offset=start).to_arrow()
                writer = writer or pq.ParquetWriter(teachers, part.schema)
                writer.write_table(part)
            writer.close()
    return teachers, schools


def hand_written(frame: pl.LazyFrame) -> pl.LazyFrame:
    """fujian_pilot_district.pol's status, rule, exemption, direction and promotion, written by hand
    with the cut-off dates precomputed: the reference for what a columnar engine can do here."""
    c = pl.col
    compulsory = c("school.stage").is_in(["primary", "junior", "nine_year"])
    under_cap = pl.when(c("sex") == "F").then(c("birth_date") > dt.date(1974, 9, 1)) \
        .otherwise(c("birth_date") > dt.date(1969, 9, 1))
    ja1 = (c("post") == "teacher") & compulsory & under_cap & (c("school_start") <= dt.date(2019, 9, 1))
    ja2 = (c("post") == "teacher") & compulsory & (c("school.staffing") == "over") & c("surplus_subject")
    ja3 = (c("post") == "teacher") & compulsory & c("on_staff")
    principal = (c("post") == "principal") & compulsory
    fj3b = principal & (c("post_start") <= dt.date(2015, 9, 1))
    fj3 = principal & (c("post_start") <= dt.date(2019, 9, 1))
    exemption = (pl.when(c("pregnant")).then(pl.lit("pregnancy")).when(~c("teaching")).then(pl.lit("not_teaching"))
                 .when(c("work_start") > dt.date(2022, 9, 1)).then(pl.lit("new_teacher")))
    must = (fj3b | fj3 | ja1 | ja2).fill_null(False)
    rule = (pl.when(fj3b).then(pl.lit("FJ-3b")).when(fj3).then(pl.lit("FJ-3")).when(ja1).then(pl.lit("JA-1"))
            .when(ja2).then(pl.lit("JA-2")).when(ja3).then(pl.lit("JA-3")))
    status = (pl.when(must & exemption.is_null()).then(pl.lit("must_rotate")).when(must).then(pl.lit("exempt"))
              .when(ja3.fill_null(False) & exemption.is_null()).then(pl.lit("eligible"))
              .when(ja3.fill_null(False)).then(pl.lit("exempt")).otherwise(pl.lit("not_eligible")))
    direction = pl.when(status == "must_rotate").then(
        pl.when(ja1 & ~fj3b.fill_null(False) & ~fj3.fill_null(False)).then(pl.lit("within_cluster"))
        .when(ja2).then(pl.lit("to_understaffed")))
    urban = c("school.area").is_in(["urban", "town"])
    ja5a = urban & ~((c("rural_years") >= 1) | (c("weak_years") >= 3))
    ja5b = urban & compulsory & (c("birth_date") > dt.date(1984, 9, 1)) & ~(c("rural_years") >= 2)
    fj4 = ~((c("rural_years") > 0) | (c("weak_years") > 0))
    senior = pl.concat_str([pl.when(fj4).then(pl.lit("FJ-4")), pl.when(ja5a).then(pl.lit("JA-5a")),
                            pl.when(ja5b).then(pl.lit("JA-5b"))], separator=";", ignore_nulls=True)
    return frame.select(c("id"), status.alias("status"), rule.alias("rule"), exemption.alias("exemption"),
                        direction.alias("direction"), senior.alias("promotion_senior"))


def peak_rss_of(args: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (GB) of a child process."""
    start = time.perf_counter()
    subprocess.run(args, check=True)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kb / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--huge", action="store_true", help="also stream 20M teachers")
    args = parser.parse_args()
    n, n_schools = args.rows, max(100, args.rows // 500)
    print(f"# {n:,} teachers, {n_schools:,} schools; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, polars {pl.__version__}, {dt.date.today()}")
    teachers_path, schools_path = make_data(n, n_schools)
    district = policylang.load("policies/fujian_pilot_district.pol")
    province = policylang.load("policies/fujian.pol")
    schools = pl.read_parquet(schools_path)
    frame = synthetic.joined(pl.read_parquet(teachers_path), schools).collect()

    compiled = timed(lambda: decide_frame(district.checked, frame, as_of=AS_OF).collect())
    record("fujian_pilot_district.pol, in-memory table → decisions", compiled, "all decision columns")
    core = timed(lambda: decide_frame(district.checked, frame, as_of=AS_OF)
                 .select("id", "status", "rule", "exemption", "direction", "promotion_senior").collect())
    record("  the same, the columns of the hand-written query only", core)
    record("  the same, all columns and the rules that fired (fired=True)",
           timed(lambda: decide_frame(district.checked, frame, as_of=AS_OF, fired=True).collect()))
    hand = timed(lambda: hand_written(frame.lazy()).collect())
    record("hand-written polars query of the same rules", hand, f"compiled/hand = {core / hand:.2f}x")
    for name in ("county_draft.pol", "miyun.pol", "county_managed.pol"):
        path = Path("policies") / name
        if path.exists():
            other = policylang.load(path)
            record(f"{name}, in-memory table → decisions",
                   timed(lambda: decide_frame(other.checked, frame, as_of=AS_OF).collect()))

    def end_to_end():
        scanned = scan_table(teachers_path, district.checked.teachers)
        from policylang.io.columnar import joined

        return decide_frame(district.checked, joined(scanned, schools), as_of=AS_OF).collect()

    record("Parquet file → decisions in memory (read, normalise, join, decide)", timed(end_to_end, 3))
    out = DATA / "decisions.parquet"
    record("Parquet file → Parquet decisions file (validate, decide, stream)",
           timed(lambda: district.stream_decisions(teachers_path, schools_path, out, as_of=AS_OF), 3))
    record("Parquet file → CSV decisions file (validate, decide, stream)",
           timed(lambda: district.stream_decisions(teachers_path, schools_path, DATA / "d.csv",
                                          as_of=AS_OF), 3))

    csv_path = DATA / f"teachers_{n}.csv"
    if not csv_path.exists():
        pl.read_parquet(teachers_path).write_csv(csv_path)
    from_csv = timed(lambda: district.stream_decisions(csv_path, schools_path, DATA / "d2.csv", as_of=AS_OF), 3)

    def csv_floor():  # polars reads the CSV with its own type inference, the policy decides, polars writes: no checks
        table = synthetic.joined(pl.read_csv(csv_path, try_parse_dates=True), schools)
        decide_frame(district.checked, table, as_of=AS_OF).collect().write_csv(DATA / "d3.csv")

    floor = timed(csv_floor, 3)
    record("CSV file → CSV decisions file (validate every cell, decide, stream)", from_csv,
           f"{from_csv / floor:.2f}x the floor below")
    record("  floor: polars reads the CSV (its own types), decide, write; nothing checked", floor)

    raw_teachers = pl.read_parquet(teachers_path)
    record("Policy.evaluate_table: a polars table of the roster's columns → decisions (checked column by column)",
           timed(lambda: district.evaluate_table(raw_teachers, schools, as_of=AS_OF), 3))

    sample = frame.head(20_000).to_dicts()
    school_of = {r["school_id"]: {k.removeprefix("school."): v for k, v in r.items() if k.startswith("school.")}
                 for r in sample}
    start = time.perf_counter()
    for row in sample:
        decide(district.checked, row, school_of[row["school_id"]], as_of=AS_OF)
    per_row = (time.perf_counter() - start) / len(sample)
    record("reference interpreter, extrapolated to the whole roster", per_row * n,
           f"{1 / per_row:,.0f} records/s; bulk is {per_row * n / compiled:,.0f}x faster")

    from policylang.analyses.diff import diff_frame, sweep_frame  # noqa: E402

    def diff_row(what: str, base, draft, **params):
        # one evaluation and one diff in turn, seven times: a slow spell of the machine touches both
        ones, diffs, reports = [], [], []
        for _ in range(7):
            ones.append(timed(lambda: decide_frame(draft.checked, frame, as_of=AS_OF).collect(), 1))
            diffs.append(timed(lambda: reports.append(diff_frame(base.checked, draft.checked, frame, as_of=AS_OF,
                                                                 **params)), 1))
        one, seconds, report = statistics.median(ones), statistics.median(diffs), reports[-1]
        record(f"diff: {what}, with causes ({len(report.changed):,} changed, {report.class_before.height:,} classes)",
               seconds, f"{seconds / one:.1f}x one evaluation of the draft ({one:.3f} s)")
        return seconds

    diff_row("fujian_pilot_district.pol against itself with age_cap_female=45", district, district,
             draft_params={"age_cap_female": 45})
    diff_prov = diff_row("fujian.pol → fujian_pilot_district.pol (7 differences, pairs tried)", province, district)

    def with_texts():
        report = diff_frame(province.checked, district.checked, frame, as_of=AS_OF)
        return report.before, report.after

    texts = timed(with_texts)
    record("  the same, and every changed person's decisions as tables (before and after)", texts,
           f"the texts add {texts - diff_prov:.3f} s")
    for base_name, draft_name in (("national.pol", "county_draft.pol"), ("miyun.pol", "shenyang.pol")):
        if (Path("policies") / base_name).exists() and (Path("policies") / draft_name).exists():
            diff_row(f"{base_name} → {draft_name}", policylang.load(Path("policies") / base_name),
                     policylang.load(Path("policies") / draft_name))
    record("sweep: age_cap_female from 40 to 55 years (16 points) against the policy",
           timed(lambda: sweep_frame(district.checked, district.checked, frame, "age_cap_female",
                                     list(range(40, 56)), as_of=AS_OF)))
    if (Path("policies") / "shenyang.pol").exists():
        from policylang.analyses.quota import plan_quotas_frame  # noqa: E402

        shenyang = policylang.load(Path("policies") / "shenyang.pol").checked
        plans = []

        def quota_plans():
            statuses = decide_frame(shenyang, frame, as_of=AS_OF).select("status").collect()["status"]
            plans.append(plan_quotas_frame(shenyang, frame, statuses, as_of=AS_OF))

        seconds = timed(quota_plans, 3)
        record("quota: shenyang.pol's plans with a proposed selection per school (decide, then plan_quotas_frame)",
               seconds, f"{len(plans[-1]):,} plans, {sum(len(p.selection) for p in plans[-1]):,} people selected")

    def diff_from_files():  # what `policylang diff` does before writing its report
        from policylang.io.columnar import read_frame
        from policylang.analyses.diff import widest

        _, table, _, _ = read_frame(widest(province.checked, district.checked), teachers_path, schools_path)
        return diff_frame(province.checked, district.checked, table, as_of=AS_OF)

    record("diff from the Parquet files: read and validate the roster, then the diff above", timed(diff_from_files, 1))

    # the first sample teacher and their school as text, as a file gives them (every column the policy reads)
    import csv

    with open("examples/teachers.csv", encoding="utf-8") as f:
        api_teacher = next(csv.DictReader(f))
    with open("examples/schools.csv", encoding="utf-8") as f:
        api_school = next(r for r in csv.DictReader(f) if r["school_id"] == api_teacher["school_id"])
    typed_roster = district.roster_from_records([api_teacher], [api_school])
    assert not typed_roster.problems, typed_roster.problems
    typed_t = typed_roster.teachers[0].values
    typed_s = typed_roster.schools[typed_t["school_id"]]

    def median_latency(fn, calls: int = 5000) -> float:
        fn()  # the first call compiles the policy for this reference date
        return timed(fn, calls)

    api = median_latency(lambda: district.decide(api_teacher, api_school, as_of=AS_OF))
    reference = median_latency(lambda: decide(district.checked, typed_t, typed_s, as_of=AS_OF))
    record("one record through the API (Policy.decide, text values validated)", api,
           "median of 5,000")
    record("  the same record, typed, through the reference interpreter (no validation)", reference,
           f"median of 5,000; the API is {reference / api:.1f}x faster")

    if args.huge:
        huge_teachers, huge_schools = make_data(20_000_000, 40_000)
        wall, peak = peak_rss_of([sys.executable, str(HERE / "stream_one.py"), str(huge_teachers), str(huge_schools),
                                  str(DATA / "decisions_20m.parquet")])
        record("20M teachers, Parquet → Parquet decisions file, streamed", wall, f"peak memory {peak:.1f} GB")

    print("\n| measurement | time | note |\n|---|---|---|")
    for what, t, note in RESULTS:
        print(f"| {what} | {t} | {note} |")


if __name__ == "__main__":
    main()
