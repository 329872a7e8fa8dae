"""``policylang init --extends BASE.pol NEW.pol``: a county policy file to start from.

The file written extends the base and holds a header, a source to cite, every parameter of
the base as a commented-out ``override`` with its value (and the file that set it), the ids
of the base's rules (to ``repeal`` or ``override``), and one example test whose expectation
is what the file decides today. It is checked and its test run before it is written: the
scaffold always passes ``policylang check`` and ``policylang test``."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click
from rich.text import Text

from policylang import api
from policylang.cli import bilingual
from policylang.cli.common import lang_option, load_policy_or_exit, resolve_lang
from policylang.cli.ending import EXIT_IO, EXIT_OK, EXIT_POLICY, EXIT_USAGE, err_console, fail
from policylang.core.diagnostics import PolicyError
from policylang.core.i18n import word
from policylang.io.output import atomic_write
from policylang.io.safe_text import terminal_text
from policylang.core.file_errors import cannot_write

# the example test's person: a teacher of 10 years at an urban primary school, and an example
# rule reading the county's own number from a parameter (as the guide teaches: a what-if can then
# move it); in the reader's language (a field, a code and a status take their Chinese names)
EXAMPLE = {
    "en": dict(
        teacher="sex: F, birth_date: 1985-03-15, work_start: 2008-09-01, school_start: 2015-09-01,\n"
                "post: teacher, title: first, on_staff: true, teaching: true",
        school="area: urban, stage: primary, staffing: normal",
        parameter='county_tenure = 5 years "teachers at one school this long must move (article 3)"',
        when="post = teacher and compulsory_school and tenure at least county_tenure"),
    "zh": dict(
        teacher="性别: 女, 出生日期: 1985-03-15, 参加工作时间: 2008-09-01, 到校时间: 2015-09-01,\n"
                "岗位: 教师, 职称: 一级教师, 在编在岗: 是, 任课: 是",
        school="区域: 城区, 学段: 小学, 编制: 正常",
        parameter='本县任教年限 = 5 年 "在同一所学校任教满此年限的教师须交流（本县第三条）"',
        when="岗位 = 教师 and 义务教育学校 and 本校任教年限 at least 本县任教年限"),
}


def scaffold(base: api.Policy, extends: str, name: str, lang: str = "zh") -> str:
    """The text of a new policy named ``name`` (a county, say) that extends ``base``, written
    ``extends`` from where the new file is, its comments and example in ``lang``; its test
    expects ``{status}`` (filled in later)."""
    zh = lang == "zh"

    def t(en: str, cn: str) -> str:
        return cn if zh else en

    checked, example = base.checked, EXAMPLE["zh" if zh else "en"]
    lines = [
        f"# {name}教师交流轮岗实施办法（草稿）",
        t(f"# Written by `policylang init` from {extends}: fill in the title and source, uncomment and change",
          f"# 由 policylang init 根据 {extends} 生成：请填写标题和出处，取消注释并修改本县不同的参数，"),
        t("# the parameters this county sets differently, then write its own rules and tests.",
          "# 再写本县的规则和测试。"),
        "",
        f'extends "{extends}"',
        "",
        f'policy "{name}教师交流轮岗实施办法（草稿）"',
        f'  jurisdiction "{name}"',
        "  # effective 2026-09-01",
        "",
        f'source 本县 "{name}教师交流轮岗实施办法"',
        '  document "（文件名称、文号）"',
    ]
    by_file: dict[str, list[str]] = {}
    for param in checked.parameters.values():
        text = checked.texts.get(param.span.source)
        if text is None:  # the prelude's own
            continue
        declaration = "\n".join(text.text.splitlines()[param.span.line - 1:param.span.end_line]).strip()
        declaration = declaration.removeprefix("override").strip()
        by_file.setdefault(param.origin, []).append("# override " + declaration.replace("\n", "\n#   "))
    if by_file:
        lines += ["", t("# ---- parameters of the base: to change one, remove the # and write the new value ---",
                        "# ---- 上级政策的参数：需要修改的，去掉行首的 # 并改写取值 -------------------------")]
        for origin, declarations in by_file.items():
            lines += [t(f"# ({Path(origin).name})", f"#（{Path(origin).name}）"), *declarations]
    rules = [*checked.rules, *checked.all_exemptions(), *checked.prerequisites,
             *(c for c in checked.consequences if not c.version)]  # (an earlier version is no clause of its own)
    if rules:
        lines += ["", t("# ---- the base's clauses (to repeal or override) -------------------------------------",
                        "# ---- 上级政策的条款（可用 repeal 废止，或用 override 覆盖） -----------------------")]
        lines += [f"#   {r.id}  {r.title}" for r in rules]
        lines += [t("# a repeal gives its reason and the section of this county's document that repeals, e.g.",
                    "# 废止时写明理由和本县文件的条款，如："),
                  f'# repeal {rules[-1].id} "{t("reason", "理由")}" cite 本县 "{t("section", "第X条")}"']
    lines += [
        "",
        t("# ---- this county's rules (an example: remove the # to use it) ---------------------",
          "# ---- 本县的规则（示例：去掉行首的 # 即可使用） ---------------------------------------"),
        f"# parameter {example['parameter']}",
        '# rule 本县第三条 "在同一所学校任教满5年的教师，须交流"',
        '#   cite 本县 "第三条"',
        f"#   when {example['when']}",
        f"#   then {t('must_rotate', '须交流')}",
        "",
        t("# ---- tests -------------------------------------------------------------------------",
          "# ---- 测试 -------------------------------------------------------------------------"),
        'test "示例：在同一所城区小学任教10年的女教师"',
        f"  teacher {{ {example['teacher']} }}",
        f"  school {{ {example['school']} }}",
        "  expect status {status}",
        "",
    ]
    return "\n".join(lines).replace("本县", _here(name))


def _here(name: str) -> str:
    """How a file's own jurisdiction calls itself: 本区 for a district (城乡区), 本市, 本旗; else 本县."""
    return f"本{name[-1]}" if name[-1:] in ("县", "区", "市", "旗") else "本县"


@bilingual.command("init", help_zh="""新建一份继承上级政策的县级政策文件：文件头、出处、上级政策的全部参数（以注释列出取值，
需要修改的去掉注释即可）、上级政策的条款编号，以及一个示例测试。生成的文件先经检查并运行测试，
保证 policylang check 和 policylang test 都能通过。新文件须与所继承的政策文件在同一文件夹，或在更外层的文件夹中。

示例：policylang init --extends fujian.pol 青溪县.pol""")
@bilingual.argument("new", type=click.Path(dir_okay=False), metavar="NEW.pol",
                    help="The file to write (not overwritten unless --force).",
                    help_zh="要新建的文件（已存在时不覆盖，除非给出 --force）。")
@bilingual.option("--extends", "base", required=True, type=click.Path(dir_okay=False),
                  help="The policy the new file extends (a provincial or city framework).",
                  help_zh="新文件继承的上级政策（省级或市级框架）。")
@bilingual.option("--force", is_flag=True, help="Overwrite NEW.pol if it exists.", help_zh="NEW.pol 已存在时覆盖它。")
@lang_option
def init_command(new: str, base: str, force: bool, lang: str | None) -> None:
    """Start a county policy that extends a base: a header, a source, every parameter of the
    base as a comment with its value (uncomment one to change it), the ids of the base's
    clauses, and an example test. The file is checked and its test run before it is written,
    so it passes `policylang check` and `policylang test`. NEW.pol must be in the base's
    folder or a folder above it (a policy extends only files inside its own folder).

    Example: policylang init --extends fujian.pol 青溪县.pol"""
    lang = resolve_lang(lang)
    new_path, base_path = Path(new), Path(base)
    if new_path.suffix != ".pol":
        fail(f"{new}：政策文件名应以 .pol 结尾" if lang == "zh" else f"{new}: a policy file's name ends in .pol", EXIT_USAGE)
    if new_path.exists() and not force:
        fail(f"{new} 已存在；如要覆盖请加 --force" if lang == "zh" else f"{new} exists; add --force to overwrite it",
             EXIT_USAGE)
    loaded = load_policy_or_exit(base, lang)
    folder = new_path.resolve().parent
    extends = os.path.relpath(base_path.resolve(), folder).replace(os.sep, "/")
    if extends.startswith("../"):
        fail(f"{new} 须与 {base} 在同一文件夹，或在更外层的文件夹中（政策只能继承自己所在文件夹内的文件）" if lang == "zh" else
             f"{new} must be in the folder of {base} or a folder above it (a policy extends only files inside "
             "its own folder)",
             EXIT_USAGE)
    name = re.sub(r'["“”\\\s]+', "", new_path.stem) or "本县"  # the title's and jurisdiction's text
    text = _with_expected_status(scaffold(loaded, extends, name, lang), new_path, folder, lang)
    try:
        atomic_write(new_path, text.encode("utf-8"))
    except OSError as exc:
        fail(cannot_write(new, exc, lang), EXIT_IO)
    err_console().print(Text(terminal_text(f"已写入 {new}（继承 {extends}）" if lang == "zh" else
                                           f"wrote {new} (extends {extends})")))
    sys.exit(EXIT_OK)


def _with_expected_status(template: str, path: Path, root: Path, lang: str) -> str:
    """The scaffold with its test expecting what the new file decides, in the canonical
    layout, checked and tested; nothing is written when it cannot be made so."""
    status = "not_eligible"
    for _ in range(2):  # the second pass only confirms
        try:
            written = word(status, "zh") if lang == "zh" else status  # `expect status 须交流`
            text = api.format_text(template.replace("{status}", written), str(path))
            policy = api.loads(text, name=str(path), root=root)
        except PolicyError as exc:  # a base that checks alone but not extended from here
            fail(("无法生成可通过检查的文件，未写入：" if lang == "zh" else "no file that checks could be made; nothing "
                  "written: ") + "; ".join(d.message(lang) for d in exc.errors), EXIT_POLICY)
        result = policy.test()[-1]
        if result.passed:
            return text
        status = result.decision.status if result.decision else status
    fail(("示例测试未通过，未写入：" if lang == "zh" else "the example test does not pass; nothing written: ")
         + (result.error or ""), EXIT_POLICY)
