"""``policylang test POLICY...``: run the in-language tests of each policy, and with
``--coverage`` list the declarations no test exercises."""

from __future__ import annotations

import json
import sys

import click

from policylang.cli import bilingual
from policylang.io.safe_text import terminal_text
from policylang.api import coverage, describe_result
from policylang.cli.common import lang_option, load_policy_or_exit, resolve_lang
from policylang.cli.ending import EXIT_OK, EXIT_TESTS, out_console
from policylang.core.i18n import word
from policylang.present.render import asserts_nothing_text, mismatch_text, tests_summary


@bilingual.command("test", help_zh="运行每份政策中的 test 测试块；每个未通过的测试都显示预期结果和实际结果。")
@bilingual.argument("policies", nargs=-1, required=True, type=click.Path(dir_okay=False),
                    help="The policy files.", help_zh="政策文件。")
@bilingual.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  help="text (a line per test) or json (a list of results).",
                  help_zh="text（每个测试一行）或 json（结果列表）。")
@bilingual.option("--coverage", "show_coverage", is_flag=True,
                  help="Also list the rules, exemptions, prerequisites and consequences of each file that no "
                       "test exercises.",
                  help_zh="同时列出每份文件中没有任何测试覆盖的规则、豁免、晋升前提和惩处/激励。")
@bilingual.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
                  help="Exit with code 4 when a file's tests exercise less than PERCENT of its declarations "
                       "(implies --coverage).",
                  help_zh="某份文件的测试覆盖其声明的比例低于 PERCENT 时以退出码 4 结束（同时启用 --coverage）。")
@lang_option
def test_command(policies: tuple[str, ...], fmt: str, show_coverage: bool, min_coverage: float | None,
                 lang: str | None) -> None:
    """Run the `test` blocks of each policy; show expected and actual for every failure."""
    lang = resolve_lang(lang)
    out = out_console()
    show_coverage = show_coverage or min_coverage is not None
    passed = failed = empty = 0
    report, coverages, below = [], {}, []
    for path in policies:
        policy = load_policy_or_exit(path, lang)
        results = policy.test()
        reads_school = bool(policy.checked.schools.reads)  # a test without `school` leaves those empty
        for test, result in zip(policy.checked.tests, results):
            report.append({"policy": path, **describe_result(result)})
            if result.passed and result.asserts_nothing:  # checked nothing: said so, not counted as passed
                empty += 1
                if fmt == "text":
                    out.print(terminal_text(f"  – {path}:{result.span.line} {result.title}"), markup=False)
                    out.print(f"      {asserts_nothing_text(lang)}", markup=False)
                continue
            if result.passed:
                passed += 1
                if fmt == "text":
                    out.print(terminal_text(f"  ✓ {path}:{result.span.line} {result.title}"), markup=False)
                continue
            failed += 1
            if fmt != "text":
                continue
            out.print(terminal_text(f"  ✗ {path}:{result.span.line} {result.title}"), markup=False)
            if result.error:
                out.print(terminal_text(f"      {result.error_text(lang)}"), markup=False)
            for m in result.mismatches:
                out.print(terminal_text(f"      {mismatch_text(m, lang)}"), markup=False)
            if reads_school and not test.school and not result.error:
                out.print("      提示：本测试没有写 school，政策读取的学校各项（区域、学段等）都按空值处理" if lang == "zh" else
                          "      note: this test gives no school: the school's columns the policy reads (area, stage…) "
                          "are empty", markup=False)
        if show_coverage:
            covered = coverage(policy.checked, results)
            coverages[path] = covered
            if min_coverage is not None and covered.percent < min_coverage:
                below.append(path)
    if fmt == "json":
        data = report if not show_coverage else {"tests": report, "coverage": {p: c.to_json() for p, c in coverages.items()}}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        out.print(tests_summary(passed, failed, empty, lang), markup=False)
        for path, covered in coverages.items():
            _print_coverage(out, path, covered, lang, min_coverage)
    sys.exit(EXIT_TESTS if failed or below else EXIT_OK)


def _print_coverage(out, path: str, covered, lang: str, minimum: float | None) -> None:
    total, done = len(covered.items), len(covered.items) - len(covered.missed)
    # (a path and a title are the user's text: their control characters shown, never run by the terminal)
    if not total:  # a file of provisions and quotas alone: "0 of 0 … (100%)" said nothing
        out.print(terminal_text(f"覆盖：{path} 本身没有规则、豁免、晋升前提或奖惩，没有需要测试覆盖的声明" if lang == "zh"
                                else f"coverage: {path} declares no rule, exemption, prerequisite, penalty or "
                                     "benefit of its own: nothing for a test to exercise"), markup=False)
        return
    out.print(terminal_text(f"覆盖：{path} 的 {total} 项声明中有 {done} 项被测试覆盖（{covered.percent:.0f}%）" if lang == "zh"
                            else f"coverage: {done} of {total} declarations of {path} exercised by a test "
                                 f"({covered.percent:.0f}%)"), markup=False)
    if covered.missed:
        out.print("  未被任何测试覆盖：" if lang == "zh" else "  not exercised by any test:", markup=False)
    for item in covered.missed:
        out.print(terminal_text(f"    {word(item.kind, lang)} {item.id} “{item.title}” ({path}:{item.span.line})"
                                if lang == "zh" else f"    {item.kind} {item.id} \"{item.title}\" ({path}:{item.span.line})"),
                  markup=False)
    if minimum is not None and covered.percent < minimum:
        out.print(f"覆盖率低于 --min-coverage {minimum:g}%" if lang == "zh"
                  else f"coverage is below --min-coverage {minimum:g}%", markup=False)
