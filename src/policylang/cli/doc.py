"""``policylang doc POLICY -o policy.html``: the policy's sources beside its rules, as one
static page for reviewers who install nothing (the studio's 原文对照 view, docs/studio.md)."""

from __future__ import annotations

from pathlib import Path

import click

from policylang.cli import bilingual
from policylang.cli.common import (lang_option, load_policy_or_exit, output_not_an_input_or_exit, resolve_lang,
                                   write_and_exit)
from policylang.cli.ending import EXIT_IO, EXIT_USAGE, fail
from policylang.studio.sources import MAX_DOCUMENT, html_page
from policylang.core.file_errors import cannot_read


@bilingual.command("doc", help_zh="""将政策的来源文件与规则逐段对照，生成一个静态 HTML 页面（不含脚本，不联网），
供不安装任何软件的人审阅：引用某段的规则列在该段旁边，未被任何条款引用的段落标出。
--source 来源=原文.txt 给出某个来源的原文（纯文本，UTF-8 或 GB18030）；未给出原文的来源只列出引用它的条款。""")
@bilingual.argument("policy", type=click.Path(dir_okay=False), help="The policy file.", help_zh="政策文件。")
@bilingual.option("--source", "sources", multiple=True, metavar="ID=FILE",
                  help="The text of a source the policy declares (plain text), e.g. --source JA=意见.txt.",
                  help_zh="政策所声明来源的原文（纯文本），例如 --source JA=意见.txt。")
@bilingual.option("-o", "--output", type=click.Path(dir_okay=False),
                  help="Write the page here (atomically); default: standard output.",
                  help_zh="页面写入此文件（整体写入）；默认输出到标准输出。")
@lang_option
def doc_command(policy: str, sources: tuple[str, ...], output: str | None, lang: str | None) -> None:
    """The policy's sources beside its rules as one static HTML page (no script, nothing
    fetched), for reviewers who install nothing: each paragraph of a source's text with the
    clauses citing it, the paragraphs no clause cites marked. --source ID=FILE gives a
    source's text (plain text, UTF-8 or GB18030); a source without one lists its clauses."""
    lang = resolve_lang(lang)
    checked = load_policy_or_exit(policy, lang).checked
    documents = {}
    for item in sources:
        source_id, sep, file = item.partition("=")
        if not sep or source_id not in checked.sources:
            known = "、".join(checked.sources) if lang == "zh" else ", ".join(checked.sources)
            fail(f"--source {item}: 应写作 来源=文件，来源为政策声明的来源之一（{known}）" if lang == "zh" else
                 f"--source {item}: expected ID=FILE, ID one of the policy's sources ({known})", EXIT_USAGE)
        try:
            data = Path(file).read_bytes()[:MAX_DOCUMENT]
        except OSError as exc:
            fail(cannot_read(file, exc, lang), EXIT_IO)
        try:
            documents[source_id] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            documents[source_id] = data.decode("gb18030", errors="replace")
    output_not_an_input_or_exit(output, {("政策文件", "policy file"): checked.chain,
                                         ("来源原文", "source text"): [s.partition("=")[2] for s in sources]}, lang)
    write_and_exit(html_page(checked, checked.path, documents, lang).encode("utf-8"), output, lang)
