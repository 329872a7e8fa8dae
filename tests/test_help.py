"""``--help`` in Chinese or English: chosen by ``--lang`` anywhere on the command line, else
by the locale; every command and option of ``policylang`` has its Chinese help."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from policylang.cli import bilingual, cli
from policylang.core.text_width import display_width

from tests.conftest import POLICIES

CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LOCALE = {"POLICYLANG_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
COMMANDS = sorted(cli.commands)


def run(args, env=None):
    return CliRunner().invoke(cli, args, env={**NO_LOCALE, **(env or {})}, catch_exceptions=False,
                              terminal_width=80, prog_name="policylang")


def _rows(output: str, heading: str) -> dict[str, str]:
    """The definition list under a heading: first column -> the rest (continuation lines joined)."""
    section = output.split(heading, 1)[1].split("\n\n", 1)[0]
    rows: dict[str, str] = {}
    last = None
    for line in section.splitlines()[1:]:
        match = re.match(r"  (\S+(?: \S+)*?)\s{2,}(.*)", line)
        if match and not line.startswith("   "):
            last = match.group(1)
            rows[last] = match.group(2)
        elif last:
            rows[last] += line.strip()
    return rows


def test_group_help_in_chinese_lists_every_command_in_chinese():
    result = run(["--lang", "zh", "--help"])
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("用法：policylang") and "选项：" in out and "命令：" in out
    assert out.startswith("用法：policylang [选项] 命令 [参数]...") and "OPTIONS" not in out
    assert "显示此帮助并退出。" in out and "教师交流轮岗政策即代码" in out
    rows = _rows(out, "命令：")
    assert sorted(rows) == COMMANDS
    for name, summary in rows.items():
        assert CJK.search(summary), f"`policylang {name}` has no Chinese summary: {summary!r}"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_option_has_chinese_help(name):
    command = cli.commands[name]
    assert isinstance(command, bilingual.Command), f"{name}: make it with bilingual.command (cli/bilingual.py)"
    assert command.help_zh and CJK.search(command.help_zh)
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert getattr(param, "help_zh", None), f"{name} {param.opts[0]}: no help_zh (use bilingual.option)"
        if isinstance(param, click.Argument) and param.help:
            assert getattr(param, "help_zh", None), f"{name} {param.name}: no help_zh (use bilingual.argument)"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_help_renders_in_both_languages(name):
    zh = run([name, "--lang", "zh", "--help"])  # every command takes --lang, with an option of its own or not
    assert zh.exit_code == 0
    assert zh.output.startswith(f"用法：policylang {name}") and "选项：" in zh.output
    assert cli.commands[name].help_zh.split("\n")[0][:12] in zh.output.replace("\n  ", "")
    options = _rows(zh.output, "选项：")
    assert options.pop("--help") == "显示此帮助并退出。"
    assert "--lang [en|zh]" in options, f"{name}: --lang not listed"  # as docs/cli.md's synopsis has it (serve's was not)
    for option, text in options.items():
        assert CJK.search(text), f"{name} {option}: {text!r}"
    # wrapped by display width: no line wider than the terminal, unless one word is
    for line in zh.output.splitlines():
        assert display_width(line) <= 80 or " " not in line.strip(), line
    en = run(["--lang", "en", name, "--help"])
    assert en.exit_code == 0
    assert en.output.startswith(f"Usage: policylang {name}") and "Options:" in en.output
    assert "Show this message and exit." in en.output
    assert "--lang [en|zh]" in en.output, f"{name}: --lang not listed"


def test_lang_after_help_and_after_the_command_is_honoured():
    for args in (["eval", "--help", "--lang", "zh"], ["eval", "--lang=zh", "--help"], ["--lang", "zh", "eval", "--help"]):
        out = run(args).output
        assert out.startswith("用法：policylang eval") and "对名册中的每位教师作出决定" in out, args
    assert run(["--lang", "zh", "eval", "--help", "--lang", "en"]).output.startswith("Usage:")  # the last one wins


@pytest.mark.parametrize("env, chinese", [
    ({"LANG": "zh_CN.UTF-8"}, True),
    ({"LANG": "en_US.UTF-8"}, False),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, True),
    ({"LANG": "zh_CN.UTF-8", "POLICYLANG_LANG": "en"}, False),
    ({}, False),
])
def test_the_locale_decides_without_lang(env, chinese):
    for args in (["--help"], ["fmt", "--help"]):
        out = run(args, env).output
        assert out.startswith("用法：") is chinese and out.startswith("Usage:") is not chinese
    # --lang wins over the locale
    assert run(["--lang", "en", "--help"], env).output.startswith("Usage:")


def test_lang_before_the_command_sets_its_messages_too(tmp_path):
    bad = tmp_path / "bad.pol"
    bad.write_text('policy "x"\nrule R "t" when ,\n', "utf-8")
    out = run(["--lang", "zh", "check", str(bad)]).output
    assert "错误[P001]" in out and "1 个错误" in out
    out = run(["check", str(bad)], {"LANG": "zh_CN.UTF-8"}).output
    assert "错误[P001]" in out
    good = run(["--lang", "zh", "check", str(POLICIES / "national.pol")]).output
    assert "规则" in good and "rules" not in good


def test_required_and_defaults_are_said_in_chinese():
    out = run(["--lang", "zh", "explain", "--help"]).output
    assert "学校名册。 [必填]" in out
    out = run(["--lang", "zh", "serve", "--help"]).output
    assert "[默认：127.0.0.1]" in out


def test_chinese_text_wraps_by_display_width_and_keeps_every_character():
    text = ("将政策文件整理为统一格式：每个声明从行首开始，每个子句单独一行并缩进两格，"
            "续行按显示宽度对齐（汉字占两格），保留所有注释（--check 只检查）。")
    lines = bilingual.wrap_display(text, 30)
    assert all(display_width(line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line[0] in "，。、；：）" for line in lines)  # no line starts with closing punctuation
    assert not any(line[-1] in "（“" for line in lines)  # nor ends with an opening one
    assert any("--check" in line for line in lines)  # a Latin word is never broken


def test_chinese_help_never_breaks_a_field_value_word():
    """`try --help --lang zh` broke its example inside `参加工作时间=2008-09-01`: copied, the one
    argument became two. A `字段=值` word is wrapped whole, as the English help keeps its words."""
    words = ("性别=女", "出生日期=1985-03-15", "参加工作时间=2008-09-01", "到校时间=2015-09-01", "区域=城区",
             "学段=小学", "学校.区域=城区", "school.area=urban")
    for width in range(40, 121, 3):
        out = CliRunner().invoke(cli, ["try", "--help", "--lang", "zh"], env=NO_LOCALE, terminal_width=width).output
        chunks = out.split()  # each within one line
        for word in words:
            assert any(word in chunk for chunk in chunks), (width, word, out)
    text = "示例：policylang try fujian.pol 性别=女 参加工作时间=2008-09-01（学校.区域=城区、区域=城区）。"
    for width in range(12, 60):
        lines = bilingual.wrap_display(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert any("参加工作时间=2008-09-01" in line for line in lines), (width, lines)
        assert any("（学校.区域=城区、" in line for line in lines), (width, lines)  # punctuation kept with it
        assert not any(line[0] in "，。、；：）" for line in lines)


@pytest.mark.parametrize("args, english, chinese", [
    (["chek"], "No such command 'chek'. Did you mean 'check'?", "错误：没有 `chek` 这个命令；是否应为 `check`？"),
    (["check"], "Missing argument 'FILES...'.", "错误：缺少参数 FILES...。"),
    (["check", "--formt", "x", "a.pol"], "No such option '--formt'. Did you mean '--format'?",
     "错误：没有 `--formt` 这个选项；是否应为 `--format`？"),
    (["explain", "p.pol", "t.csv", "--stric"], "No such option '--stric'. (Did you mean one of: '--set', '--strict'?)",
     "错误：没有 `--stric` 这个选项；是否应为以下之一：`--set`、`--strict`"),  # click 8.2's form: was English
    # the file an argument takes, written as an option: said so, not `--set` suggested for it
    (["explain", "p.pol", "--roster", "t.csv"], "No option `--roster`: give TEACHERS without an option name",
     "错误：没有 `--roster` 这个选项：TEACHERS 前面不加选项名，按上面用法中的位置直接写出文件名"),
    (["diff", "--base", "a.pol"], "No option `--base`: give BASE without an option name",
     "错误：没有 `--base` 这个选项：BASE 前面不加选项名"),
    (["check", "--format", "xml", "a.pol"], "Invalid value for '--format': 'xml' is not one of 'text', 'json'.",
     "错误：--format 的取值 `xml` 无效，应为 'text', 'json' 之一。"),
    (["eval", "p.pol", "t.csv"], "Missing option '--schools'.", "错误：缺少必填的选项 --schools。"),
    (["eval", "p.pol", "t.csv", "--schools"], "Option '--schools' requires an argument.",
     "错误：选项 --schools 后面须给出取值。"),
    (["verify", "p.pol", "--max-witnesses", "abc"], "'abc' is not a valid integer range.",
     "错误：--max-witnesses 的取值 `abc` 不是有效的数字。"),
    (["eval", "p.pol", "t.csv", "--schools", "s.csv", "-o", "tests"], "File 'tests' is a directory.",
     "错误：-o / --output：`tests` 是文件夹，应为文件。"),  # was: 错误：-o' / '--output 的取值无效：File …
    (["eval", "p.pol", "t.csv", "--schools", "s.csv", "--format", "pdf"], "'pdf' is not one of",
     "错误：--format 的取值 `pdf` 无效，应为 'csv', 'json', 'xlsx', 'table', 'parquet' 之一。"),
])
def test_usage_errors_in_the_chosen_language(args, english, chinese):
    en = run(["--lang", "en", *args])
    assert en.exit_code == 2 and english in en.output and "Error: " in en.output
    zh = run(["--lang", "zh", *args])
    assert zh.exit_code == 2 and chinese in zh.output and "Error" not in zh.output
    if "查看帮助" in zh.output:  # help in Chinese whatever the locale, as the message is
        assert zh.output.startswith("用法：policylang") and "--help --lang zh' 查看帮助" in zh.output


def test_the_group_help_lists_every_exit_code_of_the_docs_in_both_languages():
    """docs/cli.md's table of exit codes (verify's 6 and 7 too) is what `policylang --help` says."""
    from policylang.cli.ending import EXIT_CODES
    from tests.conftest import ROOT

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = page.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = [int(code) for code in re.findall(r"^\| (\d+) \|", table, re.M)]
    assert documented == list(EXIT_CODES) == [*range(8), 130, 141]
    en = " ".join(run(["--lang", "en", "--help"]).output.split())
    zh = "".join(run(["--lang", "zh", "--help"]).output.split())
    assert "6 verify: the property does not hold; 7 a bug of policylang (an internal error" in en
    assert "6verify：找到反例（检查的结论不成立）；7policylang的缺陷（内部错误" in zh
    for code, (english, chinese) in EXIT_CODES.items():
        assert f"{code} {english}" in en and f"{code}{chinese}".replace(" ", "") in zh


def test_every_command_s_english_summary_is_english_and_its_chinese_one_chinese():
    """The group's list of commands: in English no Chinese (studio's used to lead with it), in
    Chinese every summary Chinese; a command's English help does not open in Chinese either."""
    english = _rows(run(["--lang", "en", "--help"]).output, "Commands:")
    assert sorted(english) == COMMANDS
    for name, summary in english.items():
        assert not CJK.search(summary), f"`policylang {name}`: {summary!r}"
        first = run(["--lang", "en", name, "--help"]).output.split("\n\n", 2)[1]
        assert not CJK.search(first.split(".")[0].split(":")[0]), f"`policylang {name} --help`: {first!r}"
    for name, summary in _rows(run(["--lang", "zh", "--help"]).output, "命令：").items():
        assert CJK.search(summary), f"`policylang {name}`: {summary!r}"


@pytest.mark.parametrize("langid, lang", [(0x0804, "zh"), (0x0404, "zh"), (0x0409, "en"), (0, "en")])
def test_on_windows_the_user_interface_language_decides(monkeypatch, langid, lang):
    """Chinese Windows sets neither LANG nor LC_*: its user interface's language is asked."""
    from policylang.core import i18n

    for var in ("POLICYLANG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n.sys, "platform", "win32")
    monkeypatch.setattr(i18n, "windows_ui_language", lambda: langid)
    assert i18n.default_lang() == lang


@pytest.mark.parametrize("args, said", [
    (["--base-set", "exchange_tenure=5"], "--base-set exchange_tenure=5：未知参数 `exchange_tenure`"),  # was "--set …"
    (["--set", "teacher_tenure＝5"], "应写作 名称=值（“＝”是全角等号，请改用半角的 =）"),
    (["--set", "exchange_tenure=5岁"], "不能取 `5岁`；可写作 `5` 或 `5年`"),
])
def test_a_parameter_given_wrong_on_the_command_line_is_said_with_its_option_and_fix(args, said):
    result = run(["--lang", "zh", "diff", "policies/fujian.pol", "policies/county_draft.pol", "examples/teachers.csv",
                  "--schools", "examples/schools.csv", *args])
    assert result.exit_code == 2 and said in result.output, result.output


def test_chinese_help_says_what_an_option_takes_in_chinese():
    """`--as-of 文字`, `--id 文字`: 文字 said less than the option's name; a choice keeps its values."""
    from click.testing import CliRunner

    from policylang.cli import cli

    help_of = {c: CliRunner().invoke(cli, [c, "--help", "--lang", "zh"]).output for c in ("eval", "explain", "verify")}
    assert "--as-of 日期" in help_of["eval"] and "--encoding 编码" in help_of["eval"]
    assert "--output-encoding [utf-8|gb18030]" in help_of["eval"]
    assert "--id 工号" in help_of["explain"] and "-o, --output 目录" in help_of["verify"]
    assert " 文字 " not in help_of["eval"].replace("--set 名称=值", "")
