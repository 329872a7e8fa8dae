"""``policylang test POLICY...``: run the in-language tests of each policy."""

from __future__ import annotations

import json
import sys

import click

from policylang.api import describe_result
from policylang.cli.common import EXIT_OK, EXIT_TESTS, lang_option, load_policy_or_exit, out_console, resolve_lang


@click.command("test")
@click.argument("policies", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@lang_option
def test_command(policies: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """Run the `test` blocks of each policy; show expected and actual for every failure."""
    lang = resolve_lang(lang)
    out = out_console()
    passed = failed = 0
    report = []
    for path in policies:
        policy = load_policy_or_exit(path, lang)
        for result in policy.test():
            report.append({"policy": path, **describe_result(result)})
            if result.passed:
                passed += 1
                if fmt == "text":
                    out.print(f"  ✓ {path}:{result.span.line} {result.title}", markup=False)
                continue
            failed += 1
            if fmt != "text":
                continue
            out.print(f"  ✗ {path}:{result.span.line} {result.title}", markup=False)
            if result.error:
                out.print(f"      {result.error}", markup=False)
            for m in result.mismatches:
                if lang == "zh":
                    out.print(f"      {m.what}：期望 {m.expected}，实际 {m.actual}", markup=False)
                else:
                    out.print(f"      {m.what}: expected {m.expected}, got {m.actual}", markup=False)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        out.print(f"{passed} passed, {failed} failed", markup=False)
    sys.exit(EXIT_TESTS if failed else EXIT_OK)
