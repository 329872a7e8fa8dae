"""``policylang eval POLICY TEACHERS --schools SCHOOLS``: one decision per teacher."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from policylang.present.explain import direction_text, exemption_text
from policylang.core.i18n import word
from policylang.io.output import FORMATS, render
from policylang.io.safe_text import terminal_bytes, terminal_text
from policylang.cli.common import (EXIT_IO, EXIT_OK, EXIT_USAGE, assuming_or_exit, fail, lang_option,
                                   load_policy_or_exit, load_roster_or_exit, out_console, parse_as_of, parse_sets,
                                   resolve_lang, with_roster_options, write_and_exit)

@click.command("eval")
@with_roster_options
@click.option("--format", "fmt", type=click.Choice(FORMATS + ("parquet",)), default=None,
              help="Output format (default: from -o's extension, else csv). CSV or Parquet rosters written to a "
                   "CSV or Parquet file are scanned and streamed, for rosters larger than memory.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically) instead of stdout.")
@click.option("--skip-invalid", is_flag=True, help="Decide the valid rows; report the invalid ones.")
@click.option("--bom", is_flag=True, help="Start CSV output with a BOM, so Excel reads Chinese correctly.")
@click.option("--limit", type=int, default=None, help="Show only the first N rows (table format).")
@click.option("--engine", type=click.Choice(["bulk", "reference"]), default="bulk",
              help="bulk: compiled to columnar expressions (default); reference: the interpreter, one by one.")
@click.option("--fired", is_flag=True,
              help="Add a `fired` column: every rule whose condition held (RULE, or RULE:EXEMPTION where an "
                   "exemption defeated it). JSON always carries it.")
def eval_command(policy, teachers, schools, as_of, sets, encoding, assume, strict, lang, fmt, output, skip_invalid, bom,
                 limit,
                 engine, fired):
    """Decide every teacher of a roster, in input order."""
    lang = resolve_lang(lang)
    loaded = assuming_or_exit(load_policy_or_exit(policy, lang), assume, strict, lang)
    params = parse_sets(loaded, sets, lang)
    if fmt is None:
        suffix = Path(output).suffix.lstrip(".").lower() if output else ""
        fmt = suffix if suffix in ("csv", "json", "xlsx", "parquet") else "csv"
    if _streamable(teachers, output, fmt, engine, bom) and _stream(
            loaded, teachers, schools, output, fmt, parse_as_of(as_of, loaded), params, encoding, skip_invalid, lang, fired):
        sys.exit(EXIT_OK)
    if fmt in ("parquet", "xlsx") and not output:
        fail(f"{fmt} 格式需要 -o 输出文件" if lang == "zh" else f"{fmt} output needs -o FILE", EXIT_USAGE)
    roster = load_roster_or_exit(loaded, teachers, schools, encoding, skip_invalid, lang)
    decisions = loaded.evaluate(roster, as_of=parse_as_of(as_of, loaded), params=params, engine=engine)
    if fmt == "table":
        names = {r.values["id"]: r.values.get("name") for r in roster.valid_teachers()}
        _print_table(decisions[:limit] if limit else decisions, names, lang)
        sys.exit(EXIT_OK)
    data = render(decisions, fmt, bom=bom, fired=fired)
    if fmt == "csv" and not output and sys.stdout.isatty():  # data, unless a person reads it
        data = terminal_bytes(data)
    write_and_exit(data, output)


def _streamable(teachers: str, output: str | None, fmt: str, engine: str, bom: bool) -> bool:
    """Large rosters: CSV or Parquet in, CSV or Parquet file out, bulk engine: scan and stream."""
    from policylang.io.columnar import STREAMABLE

    return (output is not None and engine == "bulk" and not bom and fmt in ("csv", "parquet")
            and Path(teachers).suffix.lower() in STREAMABLE)


def _stream(policy, teachers, schools, output, fmt, as_of, params, encoding, skip_invalid, lang, fired) -> bool:
    """Stream the decisions to ``output``; False, having done nothing, for a CSV polars cannot
    parse (the row reader then reads it and says which rows are wrong)."""
    import time

    from policylang.io.columnar import stream_decisions, unparsed_csv
    from policylang.cli.common import EXIT_ROSTER, err_console, exist_or_exit, invalid_rows, report_problems_or_exit

    exist_or_exit((teachers, schools), lang)
    console = err_console()
    start = time.perf_counter()
    with _progress_bar(console, lang) as progress:
        try:
            problems, decided, read, warnings = stream_decisions(policy.checked, teachers, schools, output, as_of=as_of,
                                                       params=params, encoding=encoding, skip_invalid=skip_invalid,
                                                       progress=progress, fired=fired, fmt=fmt)
        except OSError as exc:
            fail(f"{output}: {exc.strerror or exc}", EXIT_IO)
    if decided is None and unparsed_csv(problems, teachers):
        return False
    report_problems_or_exit(problems, read - decided if decided is not None else invalid_rows(problems, teachers, read),
                            read, skip_invalid, lang, warnings)
    if decided is None:  # the file itself could not be read: nothing written
        fail("\n无法读取教师名册；未写入任何文件。" if lang == "zh" else
             "\nthe teachers file could not be read; no file written.", EXIT_ROSTER)
    elapsed = time.perf_counter() - start
    console.print(Text(f"已写入 {terminal_text(output)}（{elapsed:.1f} 秒）" if lang == "zh" else
                       f"wrote {terminal_text(output)} in {elapsed:.1f} s"))
    return True


@contextmanager
def _progress_bar(console, lang: str):
    """A progress callback (rows read, rows in the file) drawing a bar on stderr; on a pipe or a
    file nothing is drawn, so logs stay clean."""
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("作出决定" if lang == "zh" else "deciding", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


_SHORT_TARGET = {"en": {"first": "first", "senior": "senior", "full_senior": "full senior", "principal": "principal"},
                 "zh": {"first": "一级", "senior": "高级", "full_senior": "正高级", "principal": "校长"}}


def _print_table(decisions, names, lang: str) -> None:
    """The decisions as a table; every cell is a ``Text`` (never read as markup) with its
    control characters escaped."""
    zh = lang == "zh"
    table = Table(show_lines=False)
    for header in (("工号", "姓名", "结论", "依据", "豁免", "方向", "晋升", "惩处/激励") if zh else
                   ("id", "name", "status", "rule", "exemption", "direction", "promotion", "penalties/benefits")):
        table.add_column(header)
    for d in decisions:
        promo = "; ".join(f"{_SHORT_TARGET[lang][p.target]} {'✓' if p.ok else ','.join(p.unmet)}" for p in d.promotion)
        cons = "; ".join([f"{c.rule}:{c.label or c.effect}" for c in d.penalties + d.benefits])
        cells = (d.id, names.get(d.id) or "", word(d.status, lang), d.rule or "",
                 exemption_text(d.exemption, lang) if d.exemption else "",
                 direction_text(d.direction, lang) if d.direction else "", promo, cons)
        table.add_row(*(Text(terminal_text(c)) for c in cells))
    console = out_console()
    if not console.is_terminal:
        console.width = 160  # a pipe or a file: don't squeeze the table into 80 columns
    console.print(table)
