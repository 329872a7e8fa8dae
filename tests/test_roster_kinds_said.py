"""What the commands say they read is what they read: `eval --help` said a roster is a .csv,
.xlsx, .json or .parquet file while eval reads .tsv, .txt and .xlsm too (a newcomer's trial,
2026-12: an HR officer with a WPS 文本文件 took the help at its word)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from policylang.cli import cli

KINDS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".json")


@pytest.mark.parametrize("command", ["eval", "explain", "quota"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_help_names_every_kind_of_roster_read(command, lang):
    result = CliRunner().invoke(cli, ["--lang", lang, command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    teachers = next(line for line in result.output.splitlines() if line.strip().startswith("TEACHERS"))
    for kind in KINDS:
        assert kind in teachers, (kind, teachers)
