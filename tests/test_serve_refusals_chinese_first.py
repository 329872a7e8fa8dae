"""`serve`'s refusals at the start say the Chinese first, then the English, as every other
command's messages do (a newcomer's trial, 2026-12: `--host 0.0.0.0 --insecure-no-auth` said
English with the Chinese in brackets after it)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from policylang.cli import cli

from .conftest import POLICIES

_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("args", [
    ["--host", "0.0.0.0", "--insecure-no-auth"],
    ["--tokens", "t.toml", "--insecure-no-auth"],
    [],
    ["--insecure-no-auth", "--log-input"],
    ["--insecure-no-auth", "--decision-log", "d.jsonl", "--log-unmask", "sex"],
])
def test_the_first_line_of_a_refusal_is_chinese_the_second_english(args):
    result = CliRunner().invoke(cli, ["serve", str(POLICIES), *args])
    assert result.exit_code == 2, result.output
    first, second = [line for line in result.output.splitlines() if line.strip()][:2]
    assert _HAN.search(first), result.output
    assert not _HAN.search(second.split(":")[0]) and re.search(r"[a-z]{4}", second), result.output
