"""What gzip does to a large decide answer of `policylang serve`: its size on the wire and the
server's CPU, a batch of 10,000 teachers sent plain and gzip'd, answered with and without
`Accept-Encoding: gzip`; and what zlib's levels cost on the very answer. From the repository root:

    .venv/bin/python bench/serve_gzip.py            # 10,000 teachers, 5 requests each way
    .venv/bin/python bench/serve_gzip.py --teachers 1000 --repeat 20

The server is its own process (serve_bench.Server); CPU is its own, from /proc. Results go to
stdout as Markdown; docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_bench import POLICY, ROOT, SCHOOLS, Server, _batch  # noqa: E402


def _post(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, float]:
    """(status, the answer's bytes as sent, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("POST", f"/v1/policies/{POLICY}/decide", body=body,
                       headers={"Content-Type": "application/json"} | headers)
    answer = connection.getresponse()
    data = answer.read()  # (http.client does not gunzip: the bytes on the wire)
    seconds = time.perf_counter() - started
    connection.close()
    return answer.status, data, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    body = json.dumps({"teachers": _batch(args.teachers), "schools": SCHOOLS}, ensure_ascii=False).encode()
    zipped_body = gzip.compress(body, 6)
    server = Server(ROOT / "policies", 1, [])
    try:
        cases = [("plain", body, {}), ("answer gzip'd", body, {"Accept-Encoding": "gzip"}),
                 ("both gzip'd", zipped_body, {"Accept-Encoding": "gzip", "Content-Encoding": "gzip"})]
        _post(server.port, body, {})  # warm
        print(f"{args.teachers:,} teachers, request body {len(body):,} bytes ({len(zipped_body):,} gzip'd), "
              f"{args.repeat} requests each, CPU of the server per request\n")
        print("| case | request bytes | answer bytes | server CPU ms | wall ms (median) |")
        print("|---|---|---|---|---|")
        plain_answer = None
        for name, sent, headers in cases:
            cpu, walls = server.cpu_seconds(), []
            for _ in range(args.repeat):
                status, data, seconds = _post(server.port, sent, headers)
                assert status == 200, data[:300]
                walls.append(seconds)
            cpu = (server.cpu_seconds() - cpu) / args.repeat
            plain_answer = plain_answer or data
            print(f"| {name} | {len(sent):,} | {len(data):,} | {cpu * 1000:.0f} | {statistics.median(walls) * 1000:.0f} |")
    finally:
        server.stop()
    print("\nzlib on the plain answer, in this process (median of 5):\n")
    print("| level | bytes | ms |")
    print("|---|---|---|")
    for level in (1, 6, 9):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            packed = zlib.compress(plain_answer, level)
            times.append(time.perf_counter() - started)
        print(f"| {level} | {len(packed):,} | {statistics.median(times) * 1000:.0f} |")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        gzip.decompress(zipped_body)
        times.append(time.perf_counter() - started)
    print(f"\nthe request body gunzip'd: {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
