"""CPU of each stage of one `decide` request of the service, in process (no HTTP): a batch of
1,000 teachers by the columnar path and by the row path, and one person. CPU time
(`time.process_time`, every thread of the process), so a loaded machine inflates it less
than wall time; the median of ``--runs`` calls. From the repository root:

    .venv/bin/python bench/batch_stages.py
    POLARS_MAX_THREADS=1 .venv/bin/python bench/batch_stages.py      # polars on one thread
    .venv/bin/python bench/batch_stages.py --switch   # each path's whole request by batch size

The stages are disjoint, in the order a request runs them, and their sum is about the whole: the
body parsed as the service parses it (``body.parse_json``: keys given twice refused, numbers
checked), its fields checked (``read_request``), what reading its keys and cells says beside the
decisions (``reading_warnings``: R012, R027/R033, R050 …), then the columnar path's own stages.
``--size`` changes the batch (250 / 1,000 / 4,000 tell a fixed cost from one per row).

``--switch`` measures the whole `decide` request (``service.decide.decide``) of batches of
32 to 1,000 teachers, each path forced by ``SMALL_BATCH``: the closures, one by one, against
the columnar path (text records) and the row reader with one polars plan (a typed value):
where they cross is ``SMALL_BATCH``. docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import polars as pl  # noqa: E402

import policylang  # noqa: E402
from policylang.io import columnar as C  # noqa: E402
from policylang.io import roster as R  # noqa: E402
from policylang.io.output import Layout, identity_columns, json_bytes, roster_records  # noqa: E402
from policylang.lang.policy import reference_date  # noqa: E402
from policylang.service import body as B  # noqa: E402
from policylang.service import decide as D  # noqa: E402
from policylang.service import fastpath as F  # noqa: E402
from serve_bench import POLICY, SCHOOLS, TEACHERS, _batch  # noqa: E402


def cpu_ms(fn, runs: int, clock=time.process_time) -> float:
    fn()  # warm: compiled plans and deciders
    times = []
    for _ in range(runs):
        started = clock()
        fn()
        times.append(clock() - started)
    return statistics.median(times) * 1000


STAGES = 7  # the first rows of ``main``'s table: a request's stages in turn, parsing to writing

SIZES = (32, 64, 128, 192, 256, 384, 512, 1000, 4000)
POLICIES = ("fujian_pilot_district", "county_exchange")


def switch(runs: int) -> None:
    """CPU of one whole request by each path, per batch size and policy (``SMALL_BATCH`` set
    to force the path; restored after)."""
    print(f"polars {pl.__version__} on {pl.thread_pool_size()} thread(s); median ms of {runs} calls of "
          f"service.decide.decide, CPU / wall; SMALL_BATCH = {D.SMALL_BATCH}\n")
    print("| policy | teachers | closures | columnar | row reader + polars plan |\n|---|---:|---:|---:|---:|")
    kept = D.SMALL_BATCH
    try:
        for name in POLICIES:
            policy = policylang.load(ROOT / "policies" / f"{name}.pol")
            for size in SIZES:
                text = {"teachers": _batch(size), "schools": SCHOOLS}
                typed = {"teachers": [dict(t, rural_years=int(t["rural_years"])) for t in text["teachers"]],
                         "schools": SCHOOLS}  # a JSON number: not text only, so not the columnar path

                def run(body, small):
                    D.SMALL_BATCH = small
                    fn = lambda: D.decide(policy, json.loads(json.dumps(body)), explain=False,  # noqa: E731
                                          lang="en", max_batch=10**6, version="v")
                    return f"{cpu_ms(fn, runs):.1f} / {cpu_ms(fn, runs, time.perf_counter):.1f}"

                print(f"| {name} | {size} | {run(text, 10**9)} | {run(text, 0)} | {run(typed, 0)} |")
    finally:
        D.SMALL_BATCH = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--switch", action="store_true", help="each path's whole request by batch size")
    args = parser.parse_args()
    if args.switch:
        return switch(args.runs)
    policy = policylang.load(ROOT / "policies" / f"{POLICY}.pol")
    checked = policy.checked
    raw = json.dumps({"teachers": _batch(args.size), "schools": SCHOOLS}).encode()  # as serve_bench sends it
    parsed = B.parse_json(raw)
    request = D.read_request(parsed, 10**6)
    header, cells, _ = F._columns(request.teachers, request.headers["teachers"])
    schools = R.table_from_records(request.schools, checked.schools)
    frame, _ = C.checked_records(checked, header, cells, schools)
    layout = Layout(carried=identity_columns(checked.teachers, checked.schools, header, list(SCHOOLS[0])))
    decided = C.decided_with_uncertain(policy.frame_decider(fired=True), frame)
    day = reference_date(None, checked)
    roster = policy.roster_from_records(request.teachers, request.schools)
    decisions = policy.evaluate(roster)
    one = json.dumps({"teachers": TEACHERS[:1], "schools": SCHOOLS}).encode()
    rows = [
        ("parse the body (body.parse_json)", lambda: B.parse_json(raw)),
        ("check its fields and cells (read_request)", lambda: D.read_request(parsed, 10**6)),
        ("what reading it says beside the decisions (reading_warnings)", lambda: D.reading_warnings(policy, request)),
        ("columnar: records as columns", lambda: F._columns(request.teachers, request.headers["teachers"])),
        ("columnar: read and check (io.columnar.checked_records)",
         lambda: C.checked_records(checked, header, cells, schools)),
        ("columnar: decide (polars plan, uncertain dates)",
         lambda: C.decided_with_uncertain(policy.frame_decider(fired=True), frame)),
        ("columnar: write the JSON", lambda: F._written(decided, frame, layout, (), day)),
        ("columnar: the whole request, parsed (body.parse_json, service.decide.decide)",
         lambda: D.decide(policy, B.parse_json(raw), explain=False, lang="en", max_batch=10**6)),
        ("row path: read and check (roster reader)",
         lambda: policy.roster_from_records(request.teachers, request.schools)),
        ("row path: decide (polars plan)", lambda: policy.evaluate(roster)),
        ("row path: write the JSON", lambda: json_bytes(decisions, layout=layout, records=roster_records(roster))),
        ("one person: the whole request (closures)",
         lambda: D.decide(policy, B.parse_json(one), explain=False, lang="en", max_batch=10**6, version="v")),
    ]
    print(f"{args.size} teachers, {POLICY}; polars {pl.__version__} on {pl.thread_pool_size()} thread(s); "
          f"median CPU of {args.runs} calls\n")
    print("| stage | CPU ms |\n|---|---:|")
    staged = 0.0
    for k, (what, fn) in enumerate(rows):
        ms = cpu_ms(fn, args.runs)
        print(f"| {what} | {ms:.2f} |")
        staged += ms
        if k == STAGES - 1:  # (the request's own stages, one after the other: what is left of the whole is the rest)
            print(f"| the stages above together | {staged:.2f} |")


if __name__ == "__main__":
    main()
