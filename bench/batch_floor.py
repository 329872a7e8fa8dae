"""The least CPU a service batch of 1,000 can cost on this stack (issue 17's goal: 200,000
decisions a second on two cores is 10 ms of CPU a batch, the load generator's share left out).

Each row is a stage a batch cannot do without, done as cheaply as the stack allows and
without the checks the service owes its callers (keys given twice, types, the contract's
values): the body parsed by ``json.loads`` with no hook; its records made a polars frame of
text columns; the policy's decision plan run on **one** row of the checked frame (its fixed
cost, paid per request because polars plans a query each time it runs it; ``collect`` as the
service calls it); the checking plans run on one record (the same); and the answer written by
``json.dumps`` from the decisions as Python objects. Their sum is a floor: the service's
own stages (``bench/batch_stages.py``) each cost at least as much.

orjson and msgspec are not dependencies of policylang; where either is installed (say in a
venv of its own) its parse and write are timed too, as what a faster JSON library would give.
From the repository root:

    POLARS_MAX_THREADS=1 .venv/bin/python bench/batch_floor.py
"""

from __future__ import annotations

import argparse
import importlib
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
from policylang.io.output import Layout  # noqa: E402
from policylang.lang.policy import reference_date  # noqa: E402
from policylang.service import body as B  # noqa: E402
from policylang.service import decide as D  # noqa: E402
from policylang.service import fastpath as F  # noqa: E402
from serve_bench import POLICY, SCHOOLS, _batch  # noqa: E402

BUDGET_MS = 10.0  # 200,000 decisions a second on 2 cores, in batches of 1,000


def cpu_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    policy = policylang.load(ROOT / "policies" / f"{POLICY}.pol")
    checked = policy.checked
    raw = json.dumps({"teachers": _batch(args.size), "schools": SCHOOLS}).encode()
    request = D.read_request(B.parse_json(raw), 10**6)
    header, cells, _ = F._columns(request.teachers, request.headers["teachers"])
    schools = R.table_from_records(request.schools, checked.schools)
    one = [column[:1] for column in cells]
    frame, _ = C.checked_records(checked, header, cells, schools)
    decider = policy.frame_decider(fired=True)
    day = reference_date(None, checked)
    answer, _, _ = F.columnar_batch(policy, request, layout=Layout.of_policy(checked, lang="en", carried=()),
                                    as_of=day, params={})
    decisions = json.loads(answer)
    text_types = {h: pl.Utf8 for h in header}
    floor = [
        ("parse the body (json.loads, no hook)", lambda: json.loads(raw)),
        ("its records as a frame of text columns", lambda: pl.DataFrame(dict(zip(header, cells)), schema=text_types)),
        ("check: the checking plans on one record (fixed cost)", lambda: C.checked_records(checked, header, one, schools)),
        ("decide: the decision plan on one row (fixed cost)", lambda: C.collected(decider(frame.head(1).lazy()), 1)),
        ("write the answer (json.dumps)", lambda: json.dumps(decisions, ensure_ascii=False).encode()),
    ]
    print(f"{args.size} teachers, {POLICY}: a {len(raw):,}-byte body, a {len(answer):,}-byte answer; polars "
          f"{pl.__version__} on {pl.thread_pool_size()} thread(s); median CPU of {args.runs} calls\n")
    print("| stage, at its cheapest | CPU ms |\n|---|---:|")
    total = 0.0
    for what, fn in floor:
        ms = cpu_ms(fn, args.runs)
        total += ms
        print(f"| {what} | {ms:.2f} |")
    print(f"| **the floor** (against a budget of {BUDGET_MS:g} ms) | **{total:.2f}** |")
    for name, loads, dumps in (("orjson", "loads", "dumps"), ("msgspec.json", "decode", "encode")):
        try:
            library = importlib.import_module(name)
        except ImportError:
            continue
        parse, write = getattr(library, loads), getattr(library, dumps)
        print(f"| {name}: parse the body / write the answer (not a dependency) | "
              f"{cpu_ms(lambda: parse(raw), args.runs):.2f} / {cpu_ms(lambda: write(decisions), args.runs):.2f} |")


if __name__ == "__main__":
    main()
