"""A policy file that cannot be read is the project's error (P008), in both languages, on the
API and every command: never a ``FileNotFoundError`` traceback."""

from __future__ import annotations

import shutil
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli


def test_the_api_raises_p008_which_is_a_policy_error_and_an_os_error(tmp_path):
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load(tmp_path / "missing.pol")
    error = caught.value
    assert isinstance(error, OSError) and not isinstance(error, FileNotFoundError)
    assert [d.code for d in error.diagnostics] == ["P008"]
    assert "missing.pol" in str(error) and "No such file" in str(error)
    assert error.diagnostics[0].zh.endswith("文件不存在")


def test_a_folder_is_not_a_policy_file(tmp_path):
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load(tmp_path)
    assert caught.value.diagnostics[0].code == "P008"


@pytest.mark.parametrize("command", [["check"], ["test"], ["eval", "_", "t.csv", "--schools", "s.csv"]])
@pytest.mark.parametrize("lang,expected", [("zh", "无法读取政策文件“{p}”：文件不存在"),
                                           ("en", "cannot read the policy file `{p}`: No such file or directory")])
def test_every_command_says_why_in_the_users_language(tmp_path, command, lang, expected):
    missing = str(tmp_path / "missing.pol")
    args = [command[0], missing, *[a for a in command[1:] if a != "_"], "--lang", lang]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 5, result.output
    assert expected.format(p=missing) in result.output
    assert "[P008]" in result.output  # its code, as the catalogue lists it (check said none)
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_a_base_that_cannot_be_read_is_the_one_error_said(tmp_path):
    """`extends "福建.pol"` (no such file): R101 alone, naming the folder's policy files, not
    R101 and then every name of the base as unknown (26 errors for a county file)."""
    from policylang.frontend.pipeline import compile_source, read_source

    shutil.copy("policies/fujian.pol", tmp_path / "fujian.pol")
    county = tmp_path / "county.pol"
    county.write_text('extends "福建.pol"\npolicy "县"\nsource QX "县"\n'
                      'override rule FJ-2 "满5年" cite QX when tenure at least teacher_tenure then must_rotate\n'
                      'repeal FJ-X1 "不再适用"\nprecedence FJ-X2 > FJ-X1\n', encoding="utf-8")
    policy, diagnostics, _ = compile_source(read_source(county))
    assert policy is None and [d.code for d in diagnostics] == ["R101"]
    assert diagnostics[0].help_zh.endswith("该目录中的政策文件：fujian.pol")


@pytest.mark.parametrize("name,data,kind", [
    ("花名册.xlsx", b"PK\x03\x04\x14\x00\x00\x00", "Excel 工作簿"),
    ("roster", b"PAR1\x15\x04", "Parquet 表格文件"),
    ("花名册.csv", "工号,姓名\nT1,王芳\n".encode(), "CSV 表格文件"),
])
def test_a_roster_given_where_the_policy_goes_is_said_for_what_it_is(tmp_path, name, data, kind):
    """`eval 花名册.xlsx 政策.pol`: the workbook is no text in an unknown encoding to be saved
    as UTF-8; it is the roster, given first."""
    (tmp_path / name).write_bytes(data)
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load(tmp_path / name)
    (problem,) = caught.value.diagnostics
    assert problem.code == "P006"
    assert f"是 {kind}" in problem.zh and "不是政策文件" in problem.zh
    assert "第一个参数应为政策文件（.pol）" in problem.help("zh") and "UTF-8" not in problem.help("zh")


@pytest.mark.parametrize("given, meant", [("miyun", "miyun.pol"), ("fujain.pol", "fujian.pol"), ("nothing.pol", None)])
def test_a_policy_file_named_without_pol_or_misspelt_is_suggested(tmp_path, given, meant):
    """An embedder's trial: `load("policies/miyun")` said only that the file does not exist."""
    import policylang

    for name in ("miyun.pol", "fujian.pol"):
        (tmp_path / name).write_text('policy "x"\n', encoding="utf-8")
    with pytest.raises(policylang.PolicyError) as raised:
        policylang.load(tmp_path / given)
    problem = raised.value.diagnostics[0]
    assert problem.code == "P008"
    if meant:
        assert problem.help_en == f"did you mean `{tmp_path / meant}`?" and str(tmp_path / meant) in problem.help_zh
    else:
        assert "did you mean" not in problem.help_en
