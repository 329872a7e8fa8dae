"""What the county trials' tests share (tests/test_county_trial*.py): a trial county file
(tests/cases/trial/) beside the bundled file it extends, the CLI in Chinese, and the check of a
first mistake the drafter made: the file as first written is told what to write."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from policylang.cli import cli
from tests.conftest import POLICIES


def beside(folder: Path, base: str) -> Path:
    """``folder`` holding a copy of the bundled policy ``base`` (national.pol, fujian.pol)."""
    shutil.copy(POLICIES / base, folder / base)
    return folder


def run(*args):
    """A command as the drafter ran it, in Chinese."""
    return CliRunner().invoke(cli, ["--lang", "zh", *map(str, args)])


def first_mistake_told(path: Path, mended_text: str, mended: str, written: str, said: str,
                       refused: bool = True) -> None:
    """The file as first written (``mended`` in ``mended_text`` as ``written``) is told ``said`` by
    `check`, which refuses it (``refused``; else it may be a warning's)."""
    assert mended in mended_text
    path.write_text(mended_text.replace(mended, written, 1), encoding="utf-8")
    result = run("check", path)
    assert said in result.output and (result.exit_code != 0 or not refused), result.output
