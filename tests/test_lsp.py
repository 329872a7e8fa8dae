"""`policylang lsp` driven over its protocol: the command is started as an editor starts it,
and spoken to in JSON-RPC on its standard input and output, on a bundled policy and on a
county file that extends one. Positions are UTF-16, as every client counts them by default."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import POLICIES

COMMAND = Path(sys.executable).parent / "policylang"
# A county whose school name has a character beyond the Basic Multilingual Plane (𠮷, two
# UTF-16 units): every column after it differs between code points and UTF-16.
COUNTY = '''extends "fujian.pol"

policy "青溪县义务教育教师交流实施办法"

source QX "青溪县办法"

override parameter teacher_tenure = 5 years "本县改为满5年"

rule QX-1 "𠮷县一中任教满5年的教师须交流"
  cite QX "第三条"
  when school.name = "𠮷县一中" and tenure at least teacher_tenure
  then must_rotate
'''


class Client:
    """An editor's side of the protocol, one message at a time."""

    def __init__(self, cwd: Path, *args: str):
        self.proc = subprocess.Popen([str(COMMAND), "lsp", *args], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, list] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def _next(self) -> dict:
        message = self.inbox.get(timeout=60)
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        return message

    def request(self, method: str, params: dict):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self._next()
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, message["error"]
                return message["result"]

    def settle(self) -> None:
        """Wait until every notification sent so far has been answered (a request is
        answered after the notifications before it)."""
        self.request("textDocument/documentSymbol", {"textDocument": {"uri": _uri(POLICIES / "fujian.pol")}})

    def open(self, path: Path, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": _uri(path), "languageId": "policylang",
                                                              "version": version, "text": text}})

    def change(self, path: Path, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": _uri(path), "version": version},
                                               "contentChanges": [{"text": text}]})

    def close(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout=30)


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


def _pos(text: str, needle: str, nth: int = 0, shift: int = 1) -> dict:
    """The UTF-16 position inside the nth occurrence of ``needle``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    before = text[:offset + shift]
    line = before[before.rfind("\n") + 1:]
    return {"line": before.count("\n"), "character": len(line.encode("utf-16-le")) // 2}


@pytest.fixture
def county(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    path = tmp_path / "county.pol"
    path.write_text(COUNTY, encoding="utf-8")
    client = Client(tmp_path)
    caps = client.request("initialize", {"processId": None, "rootUri": _uri(tmp_path), "locale": "zh-cn",
                                         "capabilities": {}})["capabilities"]
    client.notify("initialized", {})
    client.open(path, COUNTY)
    client.settle()
    yield client, path, caps
    assert client.close() == 0


def test_a_bundled_policy_opens_clean_and_has_an_outline():
    client = Client(POLICIES)
    client.request("initialize", {"processId": None, "rootUri": _uri(POLICIES), "locale": "en", "capabilities": {}})
    client.notify("initialized", {})
    path = POLICIES / "fujian_pilot_district.pol"
    text = path.read_text(encoding="utf-8")
    client.open(path, text)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": _uri(path)}})
    assert client.diagnostics[_uri(path)] == []
    rules = [s["name"] for s in symbols if s["detail"].startswith("rule")]
    assert rules == [line.split()[1] for line in text.split("\n") if line.startswith("rule ")]
    hover = client.request("textDocument/hover", {"textDocument": {"uri": _uri(path)},
                                                   "position": _pos(text, "teacher_tenure")})
    assert "`fujian.pol`" in hover["contents"]["value"] and "6 years" in hover["contents"]["value"]
    assert client.close() == 0


def test_the_server_says_what_it_can_do(county):
    _client, _path, caps = county
    assert caps["positionEncoding"] == "utf-16"
    for provider in ("hoverProvider", "definitionProvider", "referencesProvider", "completionProvider",
                     "documentSymbolProvider", "codeActionProvider"):
        assert caps[provider], provider


def test_diagnostics_as_you_type_in_chinese_with_a_quick_fix(county):
    client, path, _caps = county
    uri = _uri(path)
    assert client.diagnostics[uri] == []
    typo = COUNTY.replace("at least teacher_tenure", "at least teacher_tenur")
    client.change(path, typo, 2)
    client.settle()
    [d] = client.diagnostics[uri]
    assert d["code"] == "R107" and d["severity"] == 1 and d["source"] == "policylang"
    assert d["message"].startswith("未知名称 `teacher_tenur`")
    start = _pos(typo, "teacher_tenur", 1, shift=0)
    assert d["range"]["start"] == start  # in UTF-16: one more than in code points, after 𠮷
    assert start["character"] == typo.split("\n")[start["line"]].index("teacher_tenur") + 1
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                        "context": {"diagnostics": [d]}})
    [action] = actions
    assert action["kind"] == "quickfix" and action["title"] == "将 `teacher_tenur` 改为 `teacher_tenure`"
    [edit] = action["edit"]["changes"][uri]
    assert edit["range"] == {"start": start, "end": {**start, "character": start["character"] + 13}}
    assert edit["newText"] == "teacher_tenure"
    client.change(path, COUNTY, 3)
    client.settle()
    assert client.diagnostics[uri] == []


def test_a_change_to_the_base_republishes_the_county(county):
    client, path, _caps = county
    base = path.parent / "fujian.pol"
    text = base.read_text(encoding="utf-8")
    client.open(base, text.replace("parameter teacher_tenure", "parameter teacher_years"))
    client.settle()
    county_codes = [d["code"] for d in client.diagnostics[_uri(path)]]
    assert "R105" in county_codes  # its override names nothing now
    assert "R107" in [d["code"] for d in client.diagnostics[_uri(base)]]  # nor do the base's uses
    client.change(base, text, 2)
    client.settle()
    assert client.diagnostics[_uri(path)] == []


def test_hover_definition_and_references_across_extends(county):
    client, path, _caps = county
    uri, base = _uri(path), path.parent / "fujian.pol"
    base_text = base.read_text(encoding="utf-8")
    at = {"textDocument": {"uri": uri}, "position": _pos(COUNTY, "teacher_tenure", 1)}
    hover = client.request("textDocument/hover", at)["contents"]["value"]
    assert "**参数** `teacher_tenure`" in hover and "覆盖于 `county.pol` 第 7 行：`5年`" in hover
    locations = client.request("textDocument/definition", at)
    assert [loc["uri"] for loc in locations] == [uri, _uri(base)]
    assert locations[1]["range"]["start"] == _pos(base_text, "teacher_tenure", shift=0)
    refs = client.request("textDocument/references", {**at, "context": {"includeDeclaration": True}})
    assert len(refs) == base_text.count("teacher_tenure") + COUNTY.count("teacher_tenure")
    without = client.request("textDocument/references", {**at, "context": {"includeDeclaration": False}})
    assert len(without) == len(refs) - 2


def test_a_chinese_name_of_a_prelude_definition_hovers_and_jumps(county):
    """`年龄`, `本校任教年限`, `义务教育学校` name the prelude's `age`, `tenure`, `compulsory_school`:
    hover shows them and definition opens the prelude."""
    client, path, _caps = county
    text = COUNTY.replace("tenure at least teacher_tenure",
                          "义务教育学校 and 年龄 at most 45 years and 本校任教年限 at least teacher_tenure")
    client.change(path, text, 2)
    client.settle()
    assert client.diagnostics[_uri(path)] == []
    for written, english in (("年龄", "age"), ("本校任教年限", "tenure"), ("义务教育学校", "compulsory_school")):
        at = {"textDocument": {"uri": _uri(path)}, "position": _pos(text, written)}
        hover = client.request("textDocument/hover", at)
        assert hover is not None and hover["contents"]["value"].startswith(f"**定义** `{english}`")
        [loc] = client.request("textDocument/definition", at)
        assert loc["uri"].endswith("/prelude.pol")


@pytest.mark.parametrize("encoded", [True, False])
def test_a_file_with_a_chinese_name_is_answered_under_the_uri_the_client_sent(tmp_path, encoded):
    """A client names `青溪县.pol` percent-encoded (VS Code) or not: its diagnostics, quick fixes
    and locations are sent under that very URI (a client matches URIs as strings)."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    path = tmp_path / "青溪县.pol"
    typo = COUNTY.replace("at least teacher_tenure", "at least teacher_tenur")
    path.write_text(typo, encoding="utf-8")
    client = Client(tmp_path)
    client.request("initialize", {"processId": None, "rootUri": _uri(tmp_path), "locale": "zh-cn", "capabilities": {}})
    client.notify("initialized", {})
    uri = _uri(path) if encoded else f"file://{path.resolve()}"
    assert ("%E9%9D%92%E6%BA%AA%E5%8E%BF.pol" in uri) == encoded
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "policylang", "version": 1,
                                                            "text": typo}})
    client.settle()
    assert list(client.diagnostics) == [uri]
    [d] = client.diagnostics[uri]
    [action] = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                          "context": {"diagnostics": [d]}})
    assert list(action["edit"]["changes"]) == [uri]
    locations = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                           "position": _pos(typo, "teacher_tenure")})
    assert [loc["uri"] for loc in locations] == [uri, _uri(tmp_path / "fujian.pol")]
    assert client.close() == 0


@pytest.mark.parametrize("method, params", [
    ("textDocument/hover", {"position": None}),
    ("textDocument/definition", {"position": None}),
    ("textDocument/completion", {"position": None}),
    ("textDocument/references", {"position": None, "context": {"includeDeclaration": True}}),
    ("textDocument/codeAction", {"range": None, "context": {"diagnostics": []}}),
])
def test_a_malformed_request_is_answered_with_an_error(county, method, params):
    """A request the protocol cannot read (a `null` position) gets an error response, not
    silence: the client would wait for ever. The server answers the next one as before."""
    client, path, _caps = county
    client.next_id += 1
    client.send({"id": client.next_id, "method": method,
                 "params": {"textDocument": {"uri": _uri(path)}, **params}})
    reply = next(m for m in iter(client._next, None) if m.get("id") == client.next_id and "method" not in m)
    assert reply["error"]["code"] == -32602  # InvalidParams
    hover = client.request("textDocument/hover", {"textDocument": {"uri": _uri(path)},
                                                   "position": _pos(COUNTY, "teacher_tenure", 1)})
    assert "**参数** `teacher_tenure`" in hover["contents"]["value"]


def test_a_chinese_session_names_types_and_values_in_chinese(county):
    client, path, _caps = county
    at = {"textDocument": {"uri": _uri(path)}, "position": _pos(COUNTY, "school.name", shift=8)}
    assert "类型：文字" in client.request("textDocument/hover", at)["contents"]["value"]  # not `text`
    text = COUNTY + "\nrule QX-2 \"x\"\n  when school."
    client.change(path, text, 2)
    got = client.request("textDocument/completion", {"textDocument": {"uri": _uri(path)},
                                                      "position": _pos(text, "school.", 1, shift=7)})
    assert {item["label"]: item["detail"] for item in got["items"]}["区域"] == "area · 区域代码"  # not `area code`


def test_a_typed_space_triggers_completion_only_where_a_list_is_called_for(county):
    client, path, caps = county
    assert " " in caps["completionProvider"]["triggerCharacters"]
    text = COUNTY + "\nrule QX-2 \"x\"\n  cite "
    client.change(path, text, 2)
    end = {"line": text.count("\n"), "character": len(text.split("\n")[-1])}
    on_space = {"triggerKind": 2, "triggerCharacter": " "}
    got = client.request("textDocument/completion", {"textDocument": {"uri": _uri(path)}, "position": end,
                                                      "context": on_space})
    assert {item["label"] for item in got["items"]} == {"QX", "FJ", "XM"}
    text = COUNTY + "\nrule QX-2 \"x\"\n  when tenure and "
    client.change(path, text, 3)
    end = {"line": text.count("\n"), "character": len(text.split("\n")[-1])}
    got = client.request("textDocument/completion", {"textDocument": {"uri": _uri(path)}, "position": end,
                                                      "context": on_space})
    assert got["items"] == []
    invoked = client.request("textDocument/completion", {"textDocument": {"uri": _uri(path)}, "position": end,
                                                          "context": {"triggerKind": 1}})
    assert "age" in {item["label"] for item in invoked["items"]}


def test_completion_and_outline(county):
    client, path, _caps = county
    text = COUNTY + "\nrule QX-2 \"x\"\n  when school."
    client.change(path, text, 2)
    got = client.request("textDocument/completion", {"textDocument": {"uri": _uri(path)},
                                                      "position": _pos(text, "school.", 1, shift=7)})
    labels = {item["label"]: item for item in got["items"]}
    assert {"area", "区域", "stage", "学段"} <= set(labels) and labels["area"]["kind"] == 5  # Field
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": _uri(path)}})
    assert [s["name"] for s in symbols if s["kind"] == 5] == ["QX-1", "QX-2"]  # rules are classes


def test_formatting_a_document(county):
    client, path, caps = county
    assert caps["documentFormattingProvider"]
    messy = COUNTY.replace("  then must_rotate", "      then    must_rotate")
    client.change(path, messy, 2)
    [edit] = client.request("textDocument/formatting", {"textDocument": {"uri": _uri(path)},
                                                        "options": {"tabSize": 2, "insertSpaces": True}})
    assert edit["range"]["start"] == {"line": 0, "character": 0}
    assert "\n  then must_rotate\n" in edit["newText"] and "      then" not in edit["newText"]
    client.change(path, messy + "\nrule QX-2 \"未写完\n", 3)
    assert client.request("textDocument/formatting", {"textDocument": {"uri": _uri(path)},
                                                      "options": {"tabSize": 2, "insertSpaces": True}}) == []


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_a_headless_neovim_session(tmp_path):
    """editors/neovim/policylang.lua in a real editor: Neovim's own LSP client opens a
    bundled policy, takes a quick fix, hovers, jumps, completes, lists and formats."""
    for name in ("fujian.pol", "fujian_pilot_district.pol"):
        shutil.copy(POLICIES / name, tmp_path / name)
    out = tmp_path / "seen.jsonl"
    env = {"PATH": f"{COMMAND.parent}:/usr/bin:/bin", "HOME": str(tmp_path), "TRYOUT_OUT": str(out),
           "POLICYLANG_LSP_LANG": "zh"}
    script = Path(__file__).resolve().parent.parent / "editors" / "neovim" / "tryout.lua"
    subprocess.run(["nvim", "--headless", "-u", "NONE", "-c", f"luafile {script}", "fujian_pilot_district.pol"],
                   cwd=tmp_path, env=env, timeout=180, capture_output=True)
    seen = {d["what"]: d["value"] for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert "error" not in seen, seen["error"]
    assert seen["server"] == "policylang" and seen["diagnostics_on_open"] == 0
    assert seen["diagnostic"]["code"] == "R107" and seen["diagnostic"]["message"].startswith("未知名称 `teacher_tenur`")
    assert seen["code_action"] == "将 `teacher_tenur` 改为 `teacher_tenure`"
    assert seen["diagnostics_after_fix"] == 0 and seen["line_after_fix"].endswith("at least teacher_tenure")
    base_lines = (POLICIES / "fujian.pol").read_text(encoding="utf-8").split("\n")
    line = next(n for n, x in enumerate(base_lines, 1) if x.startswith("parameter teacher_tenure"))
    assert f"声明于 `fujian.pol` 第 {line} 行：`6年`" in seen["hover"]
    assert seen["definition"] == [f"fujian.pol:{line}"]
    assert {"area", "区域"} <= set(seen["completion_after_school_dot"])
    assert "rule JA-1" in seen["outline"] and "precedence FJ-X2 > JA-9" in seen["outline"]
    assert seen["line_before_format"].startswith("      cite ")
    assert seen["line_after_format"] == seen["line_before_format"][4:]  # back at two columns


@pytest.mark.parametrize("args, init, locale, english", [
    ((), {}, "zh-cn", False), ((), {}, "en", True), (("--lang", "en"), {}, "zh-cn", True),
    ((), {"lang": "en"}, "zh-cn", True), (("--lang", "zh"), {"lang": "en"}, "en", False),
])
def test_the_language_of_messages(tmp_path, args, init, locale, english):
    """--lang wins, then the client's initialization options, then its locale."""
    path = tmp_path / "one.pol"
    path.write_text('rule R-1 "t"\n  when tenure at least cap\n  then must_rotate\n', encoding="utf-8")
    client = Client(tmp_path, *args)
    client.request("initialize", {"processId": None, "rootUri": _uri(tmp_path), "locale": locale,
                                  "initializationOptions": init, "capabilities": {}})
    client.notify("initialized", {})
    client.open(path, path.read_text(encoding="utf-8"))
    client.request("textDocument/documentSymbol", {"textDocument": {"uri": _uri(path)}})
    messages = [d["message"] for d in client.diagnostics[_uri(path)]]
    assert any(m.startswith("unknown name `cap`" if english else "未知名称 `cap`") for m in messages), messages
    assert client.close() == 0


def test_a_negotiated_position_encoding_is_used(tmp_path):
    """A client that counts code points (UTF-32) gets columns in code points after 𠮷."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    path = tmp_path / "county.pol"
    typo = COUNTY.replace("at least teacher_tenure", "at least teacher_tenur")
    path.write_text(typo, encoding="utf-8")
    client = Client(tmp_path)
    caps = client.request("initialize", {"processId": None, "rootUri": _uri(tmp_path), "capabilities": {
        "general": {"positionEncodings": ["utf-32", "utf-16"]}}})["capabilities"]
    client.notify("initialized", {})
    assert caps["positionEncoding"] == "utf-32"
    client.open(path, typo)
    client.settle()
    [d] = client.diagnostics[_uri(path)]
    line = typo.split("\n")[d["range"]["start"]["line"]]
    assert d["range"]["start"]["character"] == line.index("teacher_tenur")  # code points
    hover = client.request("textDocument/hover", {"textDocument": {"uri": _uri(path)},
                                                   "position": {"line": d["range"]["start"]["line"],
                                                                "character": line.index("teacher_tenur") - 4}})
    assert hover["contents"]["value"].startswith("`at least`")
    assert client.close() == 0


@pytest.mark.parametrize("signum", [2, 15])  # Ctrl-C in a terminal, an editor's stop
def test_the_server_stops_quietly_on_a_signal(tmp_path, signum):
    client = Client(tmp_path)
    client.request("initialize", {"processId": None, "rootUri": _uri(tmp_path), "capabilities": {}})
    client.proc.send_signal(signum)
    assert client.proc.wait(timeout=30) == 0
    assert client.proc.stderr.read() == b""  # no traceback, no fatal error at interpreter shutdown
