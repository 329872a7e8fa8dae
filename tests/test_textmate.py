"""The VS Code extension. Its grammar (editors/vscode/syntaxes/policylang.tmLanguage.json) run by the
engine VS Code runs it with (vscode-textmate on Oniguruma, through node): every token of
every bundled policy gets a scope of its own, comments, texts and dates agree with the
language services' lexer, and every keyword of the Lark grammar is highlighted as one. Its
client, activated with stand-ins for VS Code; and the server, spoken to with the JSON-RPC
library inside VS Code's client."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policylang.editing.text import tokens
from policylang.frontend.parser import DECLARATION_KEYWORDS, grammar_text

from tests.conftest import POLICIES, ROOT

VSCODE = ROOT / "editors" / "vscode"
PRELUDE = ROOT / "src" / "policylang" / "frontend" / "prelude.pol"
FILES = sorted(POLICIES.glob("*.pol")) + [PRELUDE]

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
needs_textmate = pytest.mark.skipif(
    shutil.which("node") is None or not (VSCODE / "node_modules" / "vscode-textmate").is_dir(),
    reason="node or editors/vscode/node_modules missing: run `npm ci` in editors/vscode (or `make vsix`)")


def tokenize(*paths: Path) -> dict[Path, list[list[dict]]]:
    done = subprocess.run(["node", str(VSCODE / "test" / "tokenize.js"), *map(str, paths)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    return {Path(d["file"]): d["lines"] for d in map(json.loads, done.stdout.splitlines())}


@pytest.fixture(scope="module")
def bundled():
    return tokenize(*FILES)


@needs_textmate
def test_every_token_of_every_bundled_policy_has_a_scope(bundled):
    assert set(bundled) == set(FILES)
    for path, lines in bundled.items():
        for n, line in enumerate(lines, 1):
            for token in line:
                if token["text"].strip():
                    assert token["scopes"][-1] != "source.policylang", (path.name, n, token)
                    assert not any(s.startswith("invalid") for s in token["scopes"]), (path.name, n, token)


def _scopes_at(lines, line: int, column: int) -> list[str]:
    at = 0
    for token in lines[line]:
        if at <= column < at + len(token["text"]):
            return token["scopes"]
        at += len(token["text"])
    raise AssertionError(f"no token at {line}:{column}")


@needs_textmate
def test_comments_texts_and_dates_are_where_the_language_services_find_them(bundled):
    expected = {"comment": "comment.line", "string": "string.quoted", "date": "constant.numeric.date"}
    for path, lines in bundled.items():
        for tok in tokens(path.read_text(encoding="utf-8")):
            if tok.kind in expected:
                for column in (tok.column, tok.column + len(tok.text) - 1):
                    scopes = _scopes_at(lines, tok.line, column)
                    assert any(s.startswith(expected[tok.kind]) for s in scopes), (path.name, tok, scopes)


@needs_textmate
def test_every_keyword_of_the_language_is_highlighted_as_one(tmp_path):
    grammar = re.sub(r"//[^\n]*", "", grammar_text())
    words = sorted(set(re.findall(r'"([a-z]+)"', grammar)) - {"year", "years", "month", "months", "day", "days", "percent"})
    sample = tmp_path / "keywords.pol"
    sample.write_text("\n".join(w if w in DECLARATION_KEYWORDS else f"  {w}" for w in words) + "\n", encoding="utf-8")
    lines = tokenize(sample)[sample]
    for word, line in zip(words, lines):
        [token] = [t for t in line if t["text"].strip()]
        assert token["text"] == word
        assert re.match(r"(storage|keyword|constant\.language|variable\.language)\.", token["scopes"][-1]), (word, token)


@needs_textmate
def test_full_width_punctuation_outside_texts_is_marked(tmp_path):
    sample = tmp_path / "fw.pol"
    sample.write_text('rule X-1 "标题，含逗号"\n  when post in {teacher， principal}\n', encoding="utf-8")
    lines = tokenize(sample)[sample]
    assert all(not s.startswith("invalid") for t in lines[0] for s in t["scopes"])
    [comma] = [t for t in lines[1] if t["text"] == "，"]
    assert comma["scopes"][-1] == "invalid.illegal.full-width.policylang"
    units = {t["text"]: t["scopes"][-1] for t in tokenize(POLICIES / "fujian.pol")[POLICIES / "fujian.pol"][19]}
    assert units.get("years", "keyword.other.unit.policylang") == "keyword.other.unit.policylang"


# ---- the extension around the grammar ------------------------------------------------------------
def test_the_manifest_names_the_grammar_the_language_and_the_version():
    import tomllib

    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    grammar = json.loads((VSCODE / "syntaxes" / "policylang.tmLanguage.json").read_text(encoding="utf-8"))
    [language] = manifest["contributes"]["languages"]
    [contributed] = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".pol"] and contributed["language"] == language["id"]
    assert contributed["scopeName"] == grammar["scopeName"]
    for path in (contributed["path"], language["configuration"], manifest["main"]):
        assert (VSCODE / path).is_file(), path
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert manifest["version"] == pyproject["project"]["version"]


def _activate(*args: str, fail: bool = False) -> dict:
    import os

    env = {**os.environ, **({"FAIL_START": "1"} if fail else {})}
    done = subprocess.run(["node", str(VSCODE / "test" / "activate.js"), *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_node
def test_the_client_starts_policylang_lsp_in_the_editors_language():
    seen = _activate("", "", "zh-cn")
    assert seen["serverOptions"]["run"] == {"command": "policylang", "args": ["lsp"]}
    assert seen["clientOptions"]["documentSelector"] == [{"scheme": "file", "language": "policylang"}]
    assert seen["clientOptions"]["initializationOptions"] == {"lang": "zh"}
    assert _activate("/opt/venv/bin/policylang", "en", "zh-cn")["serverOptions"]["run"]["command"] == \
        "/opt/venv/bin/policylang"
    assert _activate("", "en", "zh-cn")["clientOptions"]["initializationOptions"] == {"lang": "en"}
    done = subprocess.run([str(Path(sys.executable).parent / "policylang"), "lsp", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "--stdio" in done.stdout  # the command the client starts exists


@needs_node
def test_a_server_that_cannot_start_is_explained_in_the_drafters_language():
    [message] = _activate("/nowhere/policylang", "", "zh-cn", fail=True)["messages"]
    assert message.startswith("无法启动 policylang 语言服务器（/nowhere/policylang lsp）") and "policylang.command" in message


@needs_textmate
def test_the_server_answers_vscodes_own_protocol_library(tmp_path):
    """`policylang lsp` spoken to by the JSON-RPC library inside VS Code's language client,
    with the capabilities VS Code announces: diagnostics in Chinese, hover and the quick fix."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    text = (POLICIES / "fujian_pilot_district.pol").read_text(encoding="utf-8")
    text = text.replace("at least teacher_tenure", "at least teacher_tenur", 1)
    (tmp_path / "district.pol").write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.split("\n")) if x.endswith("at least teacher_tenur"))
    column = text.split("\n")[line].index("age_cap") + 2
    done = subprocess.run(["node", str(VSCODE / "test" / "protocol.js"), str(Path(sys.executable).parent / "policylang"),
                           str(tmp_path / "district.pol"), str(line), str(column)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["positionEncoding"] == "utf-16"
    [d] = seen["diagnostics"]
    assert d["code"] == "R107" and d["message"].startswith("未知名称 `teacher_tenur`") and d["range"]["start"]["line"] == line
    assert seen["hover"].startswith("**定义** `age_cap`")
    assert seen["actions"] == ["将 `teacher_tenur` 改为 `teacher_tenure`"]


@needs_node
def test_the_word_pattern_finds_the_language_s_words_as_vs_code_compiles_it():
    """The newcomer's trial: the pattern used `\\p{P}`, which a string pattern (compiled by VS Code with
    no flag: `new RegExp(value, '')`) reads as the letters p, P and braces: `principal` was the words
    `rinci` and `al`, and a completion replaced the wrong part of what was typed."""
    config = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    lines = ["when post = principal", "define age_cap_female", "when school.are", "when 孕期 and 年龄 at most 55 周岁，",
             "precedence FJ-X2 > JA-9.1", "cite JA \"四、1（1）\"", "ｔｅｎｕｒｅ"]
    script = ("const [pattern, ...lines] = JSON.parse(process.argv[1]);"
              "for (const flags of ['g', 'gu']) console.log(JSON.stringify(lines.map((l) => l.match(new RegExp(pattern, flags)))));")
    done = subprocess.run(["node", "-e", script, json.dumps([config["wordPattern"], *lines])],
                          capture_output=True, text=True, timeout=60, check=True)
    plain, unicode = (json.loads(line) for line in done.stdout.splitlines())
    assert plain == unicode == [["when", "post", "principal"], ["define", "age_cap_female"], ["when", "school", "are"],
                                ["when", "孕期", "and", "年龄", "at", "most", "周岁"], ["precedence", "FJ-X2", "JA-9.1"],
                                ["cite", "JA", "四"], ["ｔｅｎｕｒｅ"]]
