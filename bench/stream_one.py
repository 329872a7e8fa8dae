"""One streamed evaluation in its own process, so that its peak memory can be measured."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import policylang  # noqa: E402

teachers, schools, output = sys.argv[1:4]
policy = policylang.load("policies/fujian_pilot_district.pol")
problems = policy.stream_decisions(teachers, schools, output).problems
sys.exit(1 if problems else 0)
