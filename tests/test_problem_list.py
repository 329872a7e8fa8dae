"""A roster with many problems lists the first ones on the terminal and counts them all."""

from __future__ import annotations

import csv
import re

from click.testing import CliRunner

from policylang.cli import cli
from policylang.cli.common import PROBLEMS_SHOWN


def test_a_long_problem_list_is_capped_on_the_terminal_and_counted_whole(tmp_path):
    rows = list(csv.DictReader(open("examples/teachers.csv", encoding="utf-8-sig")))
    bad = [r | {"id": f"X{k}-{r['id']}", "birth_date": "not a date"} for k in range(3) for r in rows]  # 1,200 rows
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(bad)
    for lang, not_listed, total_pattern in (("en", "{} more problem(s) not listed", r"(\d+) problem"),
                                            ("zh", "另有 {} 处问题未列出", r"(\d+) 处问题")):
        result = CliRunner().invoke(cli, ["eval", "policies/fujian_pilot_district.pol", str(tmp_path / "t.csv"),
                                          "--schools", "examples/schools.csv", "--lang", lang])
        assert result.exit_code == 3
        listed = [line for line in result.stderr.splitlines() if re.search(r"\[R\d{3}\]", line)]
        assert len(listed) == PROBLEMS_SHOWN and "[R002]" in listed[0]
        total = int(re.search(total_pattern, result.stderr.splitlines()[-1]).group(1))
        assert total >= len(bad)  # every problem is counted, listed or not
        assert not_listed.format(total - PROBLEMS_SHOWN) in result.stderr
