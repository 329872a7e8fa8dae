"""``policylang studio [FOLDER]``: the drafter's workbench in the browser (docs/studio.md)."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import click

from policylang.cli import bilingual
from policylang.cli.common import asked_lang, lang_option, resolve_lang
from policylang.cli.ending import EXIT_IO, EXIT_USAGE, err_console, fail
from policylang.studio import MAX_UPLOAD
from policylang.core.file_errors import cannot_read


@bilingual.command("studio", short_help_zh="政策工作台：在浏览器中编写政策、运行测试、上传名册", help_zh="""政策工作台：在浏览器中编写政策、运行测试、上传名册、查看结论与调整影响。默认只在 127.0.0.1 监听，除非 --host 另行指定。""")
@bilingual.argument("folder", default=".", type=click.Path(exists=True, file_okay=False, dir_okay=True),
                    help="The policy folder to work in (default: the current folder).", help_zh="要在其中工作的政策文件夹（默认：当前文件夹）。")
@bilingual.option("--roster", nargs=2, type=click.Path(exists=True, dir_okay=False), metavar="TEACHERS SCHOOLS",
                  help="Open with this roster loaded (教师名册 学校名册).",
                  help_zh="打开时载入此名册（教师名册 学校名册）。")
@bilingual.option("--port", default=8282, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.",
                  help_zh="监听的端口。")
@bilingual.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on; keep the default: the studio reads and writes your policy folder.",
                  help_zh="监听的地址；请保留默认值：工作台会读写你的政策文件夹。")
@bilingual.option("--no-browser", is_flag=True, help="Do not open the page in a browser.",
                  help_zh="不在浏览器中打开页面。")
@bilingual.option("--max-upload", default=MAX_UPLOAD, show_default=True, type=click.IntRange(1),
                  help="Most bytes in one uploaded roster file.",
                  help_zh="一个上传的名册文件最多的字节数。")
@lang_option
def studio_command(folder, roster, port, host, no_browser, max_upload, lang):
    """The policy studio: edit the policies of FOLDER (the policy root) in the browser, run their
    tests, try one person, decide an uploaded roster, and see what a draft or a parameter
    changes. Listens on 127.0.0.1 only, unless --host says otherwise."""
    import ipaddress

    import uvicorn

    from policylang.studio.app import LOOPBACK_NAMES, create_app

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        err_console().print(f"warning: listening on {host}; anyone who reaches it can read and change the policies "
                            f"in {folder} (警告：其他人可通过该地址读取和修改政策文件)")
    try:
        hosts = LOOPBACK_NAMES if loopback else None if host in ("0.0.0.0", "::") else (*LOOPBACK_NAMES, host)
        app = create_app(folder, roster=tuple(roster) if roster else None, max_upload=max_upload, hosts=hosts)
    except NotADirectoryError:
        fail(f"{folder}: not a folder (不是文件夹)", EXIT_USAGE)
    except OSError as exc:
        fail(f"{cannot_read(exc.filename or folder, exc, 'zh')}\n{cannot_read(exc.filename or folder, exc, 'en')}", EXIT_IO)
    asked = asked_lang(lang)  # the page's language when asked for in so many words; else the page's own choice
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/" + (f"?lang={asked}" if asked else "")
    said = (f"政策工作台 policylang studio：{url}（{Path(folder).resolve()}；按 Ctrl-C 退出）" if resolve_lang(lang) == "zh"
            else f"policylang studio: {url}  ({Path(folder).resolve()}; Ctrl-C to stop)")
    err_console().print(said, markup=False)
    if not no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
