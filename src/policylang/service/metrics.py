"""Prometheus counters and a latency histogram, written by hand (text format 0.0.4): requests
by route and status, request latency, decisions by status, errors by code. Thread-safe."""

from __future__ import annotations

import threading
from collections import Counter

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class Metrics:
    def __init__(self):
        self._lock = threading.Lock()
        self.requests: Counter = Counter()  # (method, route, status) -> count
        self.decisions: Counter = Counter()  # (policy, status) -> count
        self.errors: Counter = Counter()  # code -> count
        self.reloads: Counter = Counter()  # outcome -> count
        self._buckets: dict[str, list[int]] = {}  # route -> counts per bucket (cumulative at render)
        self._sum: Counter = Counter()
        self._count: Counter = Counter()

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        # a method no route takes, counted as one: made-up methods would each add a series (and anyone may send one)
        method = method if method in _METHODS else "other"
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            counts = self._buckets.setdefault(route, [0] * len(BUCKETS))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
                    break
            self._sum[route] += seconds
            self._count[route] += 1

    def decided(self, policy: str, statuses: Counter) -> None:
        with self._lock:
            for status, n in statuses.items():
                self.decisions[(policy, status)] += n

    def error(self, code: str, n: int = 1) -> None:
        with self._lock:
            self.errors[code] += n

    def reloaded(self, outcome: str) -> None:
        with self._lock:
            self.reloads[outcome] += 1

    def render(self, policies: dict[str, bool] | None = None) -> str:
        with self._lock:
            out = ["# HELP policylang_http_requests_total HTTP requests by method, route and status.",
                   "# TYPE policylang_http_requests_total counter"]
            for (method, route, status), n in sorted(self.requests.items()):
                out.append(f'policylang_http_requests_total{{method="{method}",route="{_label(route)}",'
                           f'status="{status}"}} {n}')
            out += ["# HELP policylang_http_request_duration_seconds Request latency by route.",
                    "# TYPE policylang_http_request_duration_seconds histogram"]
            for route in sorted(self._buckets):
                running = 0
                for bound, n in zip(BUCKETS, self._buckets[route]):
                    running += n
                    out.append(f'policylang_http_request_duration_seconds_bucket{{route="{_label(route)}",'
                               f'le="{bound}"}} {running}')
                out.append(f'policylang_http_request_duration_seconds_bucket{{route="{_label(route)}",le="+Inf"}} '
                           f'{self._count[route]}')
                out.append(f'policylang_http_request_duration_seconds_sum{{route="{_label(route)}"}} '
                           f'{self._sum[route]:.6f}')
                out.append(f'policylang_http_request_duration_seconds_count{{route="{_label(route)}"}} '
                           f'{self._count[route]}')
            out += ["# HELP policylang_decisions_total Decisions made, by policy and status.",
                    "# TYPE policylang_decisions_total counter"]
            for (policy, status), n in sorted(self.decisions.items()):
                out.append(f'policylang_decisions_total{{policy="{_label(policy)}",status="{status}"}} {n}')
            out += ["# HELP policylang_errors_total Request errors reported, by code.",
                    "# TYPE policylang_errors_total counter"]
            for code, n in sorted(self.errors.items()):
                out.append(f'policylang_errors_total{{code="{_label(code)}"}} {n}')
            out += ["# HELP policylang_reloads_total Reloads of the policy folder, by outcome.",
                    "# TYPE policylang_reloads_total counter"]
            for outcome, n in sorted(self.reloads.items()):
                out.append(f'policylang_reloads_total{{outcome="{outcome}"}} {n}')
        if policies is not None:
            out += ["# HELP policylang_policy_ok Whether the policy file on disk is the running version (1) "
                    "or failed to load (0).", "# TYPE policylang_policy_ok gauge"]
            for name, ok in sorted(policies.items()):
                out.append(f'policylang_policy_ok{{policy="{_label(name)}"}} {int(ok)}')
        return "\n".join(out) + "\n"
