"""docs/policies.md's table of the bundled policies counts what `policylang check` counts:
the table went stale once (tests and provisions added, a column missing) without a word."""

from __future__ import annotations

import re

from policylang.api import check_file

from tests.conftest import POLICIES, ROOT


def _counted(path) -> list[int]:
    policy, _diagnostics, _texts = check_file(str(path))
    return [len(policy.rules), len(policy.all_exemptions()), len(policy.prerequisites),
            len([c for c in policy.consequences if not c.version]), len(policy.quotas), len(policy.priorities),
            len(policy.provisions), len(policy.tests)]


def test_the_table_of_bundled_policies_counts_what_check_counts():
    text = (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    rows = {m.group(1): [int(n) for n in m.group(2).split("|") if n.strip()]
            for m in re.finditer(r"^\| `policies/([\w.]+)` \| [^|]+ \|((?: \d+ \|)+)$", text, re.M)}
    assert sorted(rows) == sorted(p.name for p in POLICIES.glob("*.pol"))
    for name, counts in rows.items():
        assert counts == _counted(POLICIES / name), name
