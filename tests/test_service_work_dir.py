"""An upload the service cannot keep (a newcomer's trial, 2026-12: `serve --work-dir` naming a
folder that does not exist started, said it was ready, and answered every upload 500 S500 with
a traceback in the log)."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.cli import cli  # noqa: E402
from policylang.service.app import create_app  # noqa: E402

from .conftest import EXAMPLES, POLICIES  # noqa: E402


def test_serve_refuses_a_work_dir_that_cannot_take_an_upload(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("", encoding="utf-8")
    with socket.socket() as taken:  # a port in use: a serve that passed the folder stops there, never serves
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for work_dir in (tmp_path / "missing", a_file / "below"):
            result = CliRunner().invoke(cli, ["serve", str(POLICIES), "--insecure-no-auth", "--port", str(port),
                                              "--work-dir", str(work_dir)])
            assert result.exit_code == 2, result.output
            assert "--work-dir" in result.output and "无法在其中存放上传的文件" in result.output
            assert "Traceback" not in result.output


def test_a_work_dir_gone_since_the_start_is_503_s024_not_a_server_error(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    files = {"teachers": ("teachers.csv", (EXAMPLES / "teachers.csv").read_bytes()),
             "schools": ("schools.csv", (EXAMPLES / "schools.csv").read_bytes())}
    with TestClient(create_app(POLICIES, work_dir=work)) as client:
        work.rmdir()  # a temporary-file cleaner, an unmounted disk
        answer = client.post("/v1/policies/fujian_pilot_district/evaluate", files=files)
    assert answer.status_code == 503, answer.text
    [error] = answer.json()["errors"]
    assert error["code"] == "S024" and "--work-dir" in error["message"]["en"] and "工作文件夹" in error["message"]["zh"]
    assert str(tmp_path) not in answer.text  # no path of the server


def test_a_tokens_file_that_is_not_there_is_said_in_chinese_too(tmp_path):
    result = CliRunner().invoke(cli, ["serve", str(POLICIES), "--tokens", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    [zh] = [line for line in result.output.splitlines() if "：" in line]
    assert "No such file" not in zh, zh
