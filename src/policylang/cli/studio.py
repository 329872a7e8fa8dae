"""``policylang studio [FOLDER]``: the drafter's workbench in the browser (docs/studio.md)."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import click

from policylang.cli.common import EXIT_IO, EXIT_USAGE, err_console, fail
from policylang.studio import MAX_UPLOAD


@click.command("studio")
@click.argument("folder", default=".", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option("--roster", nargs=2, type=click.Path(exists=True, dir_okay=False), metavar="TEACHERS SCHOOLS",
              help="Open with this roster loaded (教师名册 学校名册).")
@click.option("--port", default=8282, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep the default: the studio reads and writes your policy folder.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option("--max-upload", default=MAX_UPLOAD, show_default=True, type=click.IntRange(1),
              help="Most bytes in one uploaded roster file.")
def studio_command(folder, roster, port, host, no_browser, max_upload):
    """政策工作台：在浏览器中编写政策、运行测试、上传名册、查看结论与调整影响。
    The policy studio: edit the policies of FOLDER (the policy root) in the browser, run their
    tests, try one person, decide an uploaded roster, and see what a draft or a parameter
    changes. Listens on 127.0.0.1 only, unless --host says otherwise."""
    import ipaddress

    import uvicorn

    from policylang.studio.app import create_app

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        err_console().print(f"warning: listening on {host}; anyone who reaches it can read and change the policies "
                            f"in {folder} (警告：其他人可通过该地址读取和修改政策文件)")
    try:
        app = create_app(folder, roster=tuple(roster) if roster else None, max_upload=max_upload)
    except NotADirectoryError:
        fail(f"{folder}: not a folder (不是文件夹)", EXIT_USAGE)
    except OSError as exc:
        fail(f"{exc.filename or folder}: {exc.strerror or exc}", EXIT_IO)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    err_console().print(f"政策工作台 policylang studio: {url}  ({Path(folder).resolve()}; Ctrl-C 退出 to stop)",
                        markup=False)
    if not no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
