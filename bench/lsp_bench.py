"""Latency of `policylang lsp` as an editor sees it (issue 14): the server is started as an
editor starts it and spoken to over stdio. Measured: start-up to the answer of `initialize`,
the first diagnostics of each bundled policy, the diagnostics after one keystroke, and the
round trip of hover, completion, definition, references, outline and formatting. From the
repository root:

    .venv/bin/python bench/lsp_bench.py              # 30 keystrokes and requests each
    .venv/bin/python bench/lsp_bench.py --repeat 100

Results go to stdout as Markdown; docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
COMMAND = Path(sys.executable).parent / "policylang"


class Server:
    def __init__(self):
        self.proc = subprocess.Popen([str(COMMAND), "lsp", "--lang", "zh"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=POLICIES)
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while (line := self.proc.stdout.readline().strip()):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params) -> object:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while (message := self.receive()).get("id") != self.next_id or "method" in message:
            pass
        return message.get("result")

    def notify_until_diagnostics(self, method: str, params: dict, uri: str) -> list:
        self.send({"method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]

    def stop(self) -> None:
        self.request("shutdown", None)
        self.send({"method": "exit"})
        self.proc.wait(timeout=30)


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} ms (max {max(seconds) * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    n = parser.parse_args().repeat
    rows = []
    t = time.perf_counter()
    server = Server()
    server.request("initialize", {"processId": None, "rootUri": POLICIES.as_uri(), "capabilities": {}})
    server.send({"method": "initialized", "params": {}})
    rows.append(("start-up to the answer of `initialize`", f"{(time.perf_counter() - t) * 1000:.0f} ms"))
    for path in sorted(POLICIES.glob("*.pol")):
        text = path.read_text(encoding="utf-8")
        t = time.perf_counter()
        server.notify_until_diagnostics("textDocument/didOpen", {"textDocument": {
            "uri": path.as_uri(), "languageId": "policylang", "version": 1, "text": text}}, path.as_uri())
        rows.append((f"open `{path.name}` ({len(text.splitlines())} lines) → its diagnostics",
                     f"{(time.perf_counter() - t) * 1000:.0f} ms"))
    path = POLICIES / "fujian_pilot_district.pol"
    uri, text = path.as_uri(), path.read_text(encoding="utf-8")
    line = next(i for i, l in enumerate(text.split("\n")) if "tenure at least teacher_tenure" in l)
    column = text.split("\n")[line].index("teacher_tenure") + 3
    keystrokes = []
    for version in range(2, n + 2):  # type a space at the end and take it back, in turn
        changed = text + (" " if version % 2 else "")
        t = time.perf_counter()
        server.notify_until_diagnostics("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}, uri)
        keystrokes.append(time.perf_counter() - t)
    rows.append(("`fujian_pilot_district.pol` (extends `fujian.pol`, 8 files open): one keystroke → "
                 "diagnostics of every open file published", ms(keystrokes)))
    at = {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}}
    for name, method, params in [
            ("hover on a parameter of the base", "textDocument/hover", at),
            ("go to definition (into `fujian.pol`)", "textDocument/definition", at),
            ("find references (every policy of the folder read)", "textDocument/references",
             {**at, "context": {"includeDeclaration": True}}),
            ("completion in a condition", "textDocument/completion", at),
            ("outline (document symbols)", "textDocument/documentSymbol", {"textDocument": {"uri": uri}}),
            ("formatting the whole file", "textDocument/formatting",
             {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})]:
        times = []
        for _ in range(n):
            t = time.perf_counter()
            server.request(method, params)
            times.append(time.perf_counter() - t)
        rows.append((name, ms(times)))
    server.stop()
    print(f"{platform.machine()}, Python {platform.python_version()}, {n} repeats, medians\n")
    print("| measurement | time |\n|---|---|")
    for what, value in rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
