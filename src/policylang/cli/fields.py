"""``policylang fields POLICY``: every name a policy lets its drafter write, in Chinese and English."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table
from rich.cells import cell_len as cell_width
from rich.text import Text

from policylang import api
from policylang.cli import bilingual
from policylang.cli.common import lang_option, load_policy_or_exit, resolve_lang
from policylang.cli.ending import EXIT_OK, out_console
from policylang.io.safe_text import terminal_text
from policylang.lang.pretty import value_text

SECTIONS = {  # kind: (English heading, Chinese heading)
    "field": ("Teacher fields (roster columns)", "教师字段（名册列）"),
    "school_field": ("School fields (write school.NAME or 学校.名称)", "学校字段（写作 school.字段 或 学校.字段）"),
    "parameter": ("Parameters (change with `override parameter` or --set)", "参数（可用 override parameter 或 --set 修改）"),
    "definition": ("Definitions", "定义"),
    "outcome": ("Outcomes (then …, expect status …)", "结论（then …、expect status …）"),
    "exemption": ("Exemption codes (exemption … as CODE)", "豁免代码（exemption … as 代码）"),
    "direction": ("Directions (direction …)", "交流方向（direction …）"),
    "promotion": ("Promotion targets (prerequisite … for …)", "晋升目标（prerequisite … for …）"),
}
_HEADERS = {
    "en": {"name": "name", "zh": "中文", "type": "type", "codes": "codes", "value": "value", "doc": "description",
           "origin": "set in", "read": "read"},
    "zh": {"name": "名称", "zh": "中文名", "type": "类型", "codes": "取值代码", "value": "取值", "doc": "说明",
           "origin": "所在文件", "read": "本政策读取"},
}


def term_json(term: api.Term) -> dict:
    return {"kind": term.kind, "name": term.written, "zh": term.zh,
            "type": {"en": term.type.describe("en"), "zh": term.type.describe("zh")} if term.type else None,
            "codes": [{"code": c, "zh": z} for c, z in term.codes] or None,
            "value": {lang: value_text(term.value, term.type, lang, age=term.age) for lang in ("en", "zh")}
            if term.kind == "parameter" else None,
            "doc": term.doc, "origin": term.origin, "read": term.read if term.kind.endswith("field") else None}


def _columns(kind: str) -> tuple[str, ...]:
    if kind in ("field", "school_field"):
        return ("name", "zh", "type", "codes", "read")
    if kind == "parameter":
        return ("name", "value", "type", "doc", "origin")
    if kind == "definition":
        return ("name", "zh", "type", "doc")
    return ("name", "zh")


def _cell(term: api.Term, column: str, lang: str) -> str:
    if column == "name":
        return term.written
    if column == "type":
        return term.type.describe(lang) if term.type else ""
    if column == "codes":
        return " ".join(f"{c}（{z}）" if lang == "zh" else f"{c} ({z})" for c, z in term.codes)
    if column == "value":
        return value_text(term.value, term.type, lang, age=term.age)
    if column == "read":
        return ("✓" if term.read else "") if term.kind.endswith("field") else ""
    value = getattr(term, column)
    return "" if value is None else str(value)


@bilingual.command("fields", help_zh="""列出政策可以使用的全部名称：教师和学校字段（中英文名、类型、单位、取值代码，
以及本政策读取哪些字段）、参数（取值及设定它的文件）、定义、结论、豁免代码、交流方向和晋升目标。""")
@bilingual.argument("policy", type=click.Path(dir_okay=False), help="The policy file.", help_zh="政策文件。")
@bilingual.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  help="text (tables) or json (a list of objects).", help_zh="text（表格）或 json（对象列表）。")
@lang_option
def fields_command(policy: str, fmt: str, lang: str | None) -> None:
    """List every name a policy can use: teacher and school fields (English and Chinese names,
    types, units, codes, and which the policy reads), parameters (value, and the file that set
    it), definitions, outcomes, exemption codes, directions and promotion targets."""
    lang = resolve_lang(lang)
    terms = load_policy_or_exit(policy, lang).terms()
    if fmt == "json":
        click.echo(json.dumps([term_json(t) for t in terms], ensure_ascii=False, indent=1))
        sys.exit(EXIT_OK)
    out = out_console()
    if not out.is_terminal:  # a file or a pipe: names are copied from it whole, never folded at 80 columns
        out.width = 200
    for kind, (heading_en, heading_zh) in SECTIONS.items():
        chosen = [t for t in terms if t.kind == kind]
        if not chosen:
            continue
        columns = _columns(kind)
        table = Table(title=Text(heading_zh if lang == "zh" else heading_en, style="bold"), title_justify="left",
                      show_edge=False, pad_edge=False)
        rows = [[terminal_text(_cell(term, column, lang)) for column in columns] for term in chosen]
        for k, column in enumerate(columns):
            # a name is what the drafter copies into a policy: its column is as wide as the longest
            longest = max(cell_width(line) for row in rows for line in row[k].splitlines() or [""]) if k == 0 else None
            table.add_column(_HEADERS[lang][column], overflow="fold", min_width=longest, no_wrap=k == 0)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        out.print(table)
        out.print()
    sys.exit(EXIT_OK)
