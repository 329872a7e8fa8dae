"""Load on `policylang serve` over loopback (issue 17): single-person decide throughput and
latency at 1, 8 and 64 concurrent clients, batches of 1,000, memory over a soak, and a
reload under load. Every run is bounded in requests and in time. From the repository root:

    .venv/bin/python bench/serve_bench.py                  # everything, a 60 s soak
    .venv/bin/python bench/serve_bench.py --soak 600       # the 10-minute soak
    .venv/bin/python bench/serve_bench.py --workers 2 --only single,batch

The server runs as its own process (`policylang serve --insecure-no-auth` on a free
loopback port); the load generator is asyncio with keep-alive connections and hand-written
HTTP/1.1, so that it takes little of the CPU the server needs. Results go to stdout as
Markdown; docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY = "fujian_pilot_district"


def _records(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


TEACHERS = _records(ROOT / "examples" / "teachers.csv")
SCHOOLS = _records(ROOT / "examples" / "schools.csv")


def _batch(n: int) -> list[dict]:
    """``n`` teachers: the sample roster repeated, each copy with its own ids."""
    return [dict(TEACHERS[k % len(TEACHERS)], id=f"{TEACHERS[k % len(TEACHERS)]['id']}-{k // len(TEACHERS)}")
            for k in range(n)]


# ---- the server -------------------------------------------------------------------------


class Server:
    def __init__(self, folder: Path, workers: int, extra: list[str], env: dict | None = None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from policylang.cli import main; main()", "serve", str(folder), "--port",
             str(self.port), "--insecure-no-auth", "--workers", str(workers), "--log-level", "warning", *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ready", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start: " + self.process.stderr.read().decode())
                time.sleep(0.2)

    def rss_mib(self) -> float:
        """Resident memory of the server and its worker processes."""
        pids = [self.process.pid] + _children(self.process.pid)
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def cpu_seconds(self) -> float:
        """CPU time the server and its workers have used: on a shared machine, what a core
        would give is decisions per CPU-second, whatever else runs."""
        total = 0
        for pid in [self.process.pid] + _children(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
            except OSError:
                pass
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out + [g for c in out for g in _children(c)]


# ---- the load generator ---------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load(port: int, path: str, body: bytes, clients: int, requests: int, seconds: float,
                check=None) -> dict:
    """``clients`` connections sending ``body`` until ``requests`` are answered or ``seconds``
    pass: the latencies, the failures (a status other than 200, or ``check`` refusing an
    answer), and the wall time."""
    latencies: list[float] = []
    failures: list[str] = []
    sent = 0
    deadline = time.perf_counter() + seconds

    async def client():
        nonlocal sent
        connection = Connection(port)
        try:
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                started = time.perf_counter()
                try:
                    status, answer = await connection.post(path, body)
                except (OSError, asyncio.IncompleteReadError) as exc:
                    failures.append(repr(exc))
                    connection.close()
                    connection = Connection(port)
                    continue
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    failures.append(f"{status}: {answer[:200]!r}")
                elif check is not None:
                    problem = check(answer)
                    if problem:
                        failures.append(problem)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"latencies": latencies, "failures": failures, "wall": time.perf_counter() - started}


def _ms(values: list[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.1f}"


ROWS: list[list[str]] = []


def _measured(server: Server, *args, **kwargs) -> dict:
    """``_load``, with the server's CPU seconds over it."""
    cpu = server.cpu_seconds()
    result = asyncio.run(_load(server.port, *args, **kwargs))
    return result | {"cpu": server.cpu_seconds() - cpu}


def _row(what: str, result: dict, per_request: int) -> None:
    n = len(result["latencies"])
    rate = n / result["wall"] if result["wall"] else 0
    per_cpu = n * per_request / result["cpu"] if result.get("cpu") else 0
    ROWS.append([what, str(n), f"{rate:,.0f}", f"{rate * per_request:,.0f}", f"{per_cpu:,.0f}",
                 _ms(result["latencies"], 0.5), _ms(result["latencies"], 0.99), str(len(result["failures"]))])
    print(f"  {what}: {n} requests, {rate * per_request:,.0f} decisions/s, {per_cpu:,.0f} per server CPU-second, "
          f"p50 {_ms(result['latencies'], 0.5)} ms, p99 {_ms(result['latencies'], 0.99)} ms, "
          f"{len(result['failures'])} failed", file=sys.stderr)


# ---- the measurements -----------------------------------------------------------------------


def single(server: Server, seconds: float, requests: int) -> None:
    body = json.dumps({"teachers": TEACHERS[:1], "schools": SCHOOLS}).encode()
    path = f"/v1/policies/{POLICY}/decide"
    asyncio.run(_load(server.port, path, body, 4, 200, 10))  # warm: compiled deciders, connections
    for clients in (1, 8, 64):
        _row(f"one person, {clients} client{'s' if clients > 1 else ''}",
             _measured(server, path, body, clients, requests, seconds), 1)


def batch(server: Server, seconds: float, requests: int) -> None:
    body = json.dumps({"teachers": _batch(1000), "schools": SCHOOLS}).encode()
    path = f"/v1/policies/{POLICY}/decide"
    asyncio.run(_load(server.port, path, body, 1, 3, 30))
    for clients in (1, 2, 4):
        _row(f"1,000 a request, {clients} client{'s' if clients > 1 else ''}",
             _measured(server, path, body, clients, max(20, requests // 50), seconds), 1000)


def soak(server: Server, seconds: float) -> list[tuple[float, float]]:
    """Single decisions at 8 clients for ``seconds``; the server's memory every tenth of it."""
    body = json.dumps({"teachers": TEACHERS[:1], "schools": SCHOOLS}).encode()
    samples = [(0.0, server.rss_mib())]
    stop = threading.Event()

    def sample():
        started = time.monotonic()
        while not stop.wait(max(1.0, seconds / 10)):
            samples.append((time.monotonic() - started, server.rss_mib()))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = _measured(server, f"/v1/policies/{POLICY}/decide", body, 8, 10**9, seconds)
    finally:
        stop.set()
        sampler.join()
    samples.append((seconds, server.rss_mib()))
    _row(f"soak, {seconds:.0f} s, 8 clients", result, 1)
    return samples


def reload_under_load(server: Server, folder: Path, seconds: float, workers: int) -> dict:
    """8 clients deciding while the policy file is rewritten every half second, or, watched by
    several workers, every 1.5 s (a watched file is loaded once it has held still a second): two
    versions in turn, each passing its own tests (JA-1's citation written another way), and one
    with a syntax error: failed requests, and the versions answered."""
    path = folder / f"{POLICY}.pol"
    text = path.read_text(encoding="utf-8")
    variants = [text, text.replace("四、1（1）", "四、1（一）"), text + "\nrule BROKEN {\n"]
    versions: set[str] = set()

    def check(answer: bytes) -> str | None:
        version = json.loads(answer).get("version")
        versions.add(version)
        return None if version else "no version"

    stop = threading.Event()
    rewrites = 0

    def rewrite():
        nonlocal rewrites
        while not stop.wait(0.5 if workers == 1 else 1.5):
            path.write_text(variants[rewrites % 3], encoding="utf-8")
            rewrites += 1
            if workers == 1:  # several workers watch the folder themselves (--watch)
                urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{server.port}/v1/reload",
                                                              method="POST"), timeout=30).read()

    writer = threading.Thread(target=rewrite)
    body = json.dumps({"teachers": TEACHERS[:1], "schools": SCHOOLS}).encode()
    writer.start()
    try:
        result = _measured(server, f"/v1/policies/{POLICY}/decide", body, 8, 10**9, seconds, check)
    finally:
        stop.set()
        writer.join()
        path.write_text(text, encoding="utf-8")
    _row(f"reload every {0.5 if workers == 1 else 1.5} s, 8 clients ({rewrites} rewrites)", result, 1)
    return {"rewrites": rewrites, "versions": len(versions), "failures": result["failures"][:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=15, help="longest time of each measurement")
    parser.add_argument("--requests", type=int, default=20_000, help="most requests of each measurement")
    parser.add_argument("--soak", type=float, default=60, help="seconds of the memory soak (the issue asks 600)")
    parser.add_argument("--only", default="single,batch,soak,reload")
    parser.add_argument("--polars-threads", type=int, help="POLARS_MAX_THREADS for the server (default: polars's own)")
    parser.add_argument("--http", default="h11", choices=["h11", "httptools"], help="the server's HTTP parser")
    args = parser.parse_args()
    only = set(args.only.split(","))
    folder = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    for pol in (ROOT / "policies").glob("*.pol"):
        shutil.copy(pol, folder / pol.name)
    extra = ["--http", args.http] + (["--watch", "0.2"] if args.workers > 1 else [])
    env = os.environ | ({"POLARS_MAX_THREADS": str(args.polars_threads)} if args.polars_threads else {})
    server = Server(folder, args.workers, extra, env)
    print(f"policylang serve, {args.workers} worker(s), --http {args.http}, POLARS_MAX_THREADS "
          f"{env.get('POLARS_MAX_THREADS', 'unset')}; {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start",
          file=sys.stderr)
    notes = []
    try:
        if "single" in only:
            single(server, args.seconds, args.requests)
        if "batch" in only:
            batch(server, args.seconds, args.requests)
        if "soak" in only:
            samples = soak(server, args.soak)
            rss = [m for _, m in samples]
            notes.append(f"memory over the soak (MiB, every {max(1.0, args.soak / 10):.0f} s): "
                         + ", ".join(f"{m:.0f}" for m in rss)
                         + f"; first {rss[0]:.0f}, last {rss[-1]:.0f}, median {statistics.median(rss):.0f}")
        if "reload" in only:
            outcome = reload_under_load(server, folder, args.seconds, args.workers)
            notes.append(f"reload under load: {outcome['rewrites']} rewrites, {outcome['versions']} versions "
                         f"answered, failed requests: {outcome['failures'] or 'none'}")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{args.workers} worker(s), --http {args.http}, load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| load | requests | requests/s | decisions/s | decisions per server CPU-s | p50 ms | p99 ms | failed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
