"""How long `policylang verify` takes on the bundled policies (issue 16). Run from the
repository root:

    .venv/bin/python bench/verify_bench.py

Each question is answered in-process (``policylang.api.verify``) three times; the table gives
the median wall time and the process CPU time of that run, and the number of solver questions
and witnesses. docs/performance.md records a run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from policylang import api  # noqa: E402

POLICIES = HERE.parent / "policies"
ALLOWED = {"county_draft.pol": ["pregnancy", "maternity", "nursing", "illness", "investigation", "sanction",
                                "recent_support"],
           "fujian_pilot_district.pol": ["pregnancy", "new_teacher", "not_teaching"]}


def measure(label: str, run) -> None:
    walls, cpus, report = [], [], None
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        report = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    k = walls.index(statistics.median(walls))
    print(f"| {label} | {walls[k]:.2f} s | {cpus[k]:.2f} s | {'holds' if report.holds else 'does not hold'} | "
          f"{len(report.findings)} | {len(report.witnesses)} |")


def main() -> None:
    print("| question | wall | CPU | answer | findings | witnesses |")
    print("|---|---|---|---|---|---|")
    for path in sorted(POLICIES.glob("*.pol")):
        policy = api.load(path)
        measure(f"`verify {path.name}`", lambda: api.verify(policy))
    for draft, base in (("county_draft.pol", "national.pol"), ("fujian_pilot_district.pol", "fujian.pol")):
        d, b = api.load(POLICIES / draft), api.load(POLICIES / base)
        measure(f"`verify {draft} --refines {base}` (allowed: its exemptions)",
                lambda: api.verify(d, refines=b, allow_exemption=ALLOWED[draft]))
    p = api.load(POLICIES / "fujian_pilot_district.pol")
    measure("`verify fujian_pilot_district.pol --equivalent itself --base-set teacher_tenure=5`",
            lambda: api.verify(p, equivalent=p, other_params={"teacher_tenure": "5 years"}))


if __name__ == "__main__":
    main()
