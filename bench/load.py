"""A small HTTP load generator for loopback servers: bounded threads, bounded time.

Open loop (`at_rate`): request i is due at start + i / rate, whether or not earlier ones
have finished, and its latency counts from when it was due, so a server that falls behind
shows it in the percentiles instead of slowing the generator down (no coordinated
omission). Closed loop (`flat_out`): each thread sends its next request as soon as the
last one is answered, for throughput. Each thread keeps one keep-alive connection.
"""

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.search import percentile


class Client:
    """One keep-alive connection to a 127.0.0.1 server; transport failures are status 0."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        parts = urlsplit(url)
        if parts.hostname != "127.0.0.1":
            raise ValueError("the load generator only targets 127.0.0.1")
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        cookie: str | None = None,
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()  # a fresh connection for the next request
            return 0, None
        if response.will_close:
            self.close()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# A job sends one request (or a short fixed sequence) through the client; it gets its
# number and returns (what it was, the status).
Job = Callable[[Client, int], tuple[str, int]]


@dataclass
class Outcome:
    """What one load step did: latencies by job kind, statuses, and how long it took."""

    elapsed_s: float = 0.0
    unsent: int = 0  # due but never sent before the time bound
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: str, status: int, latency_ms: float) -> None:
        with self.lock:
            self.latencies_ms.setdefault(kind, []).append(latency_ms)
            self.statuses[status] += 1

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    @property
    def failures(self) -> int:
        """Every answer but a 2xx: the benchmark only sends requests that should succeed."""
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    def per_second(self) -> float:
        return self.sent / self.elapsed_s if self.elapsed_s else 0.0

    def percentile_ms(self, share: float, kind: str | None = None) -> float:
        values = sorted(
            value
            for name, latencies in self.latencies_ms.items()
            if kind is None or name == kind
            for value in latencies
        )
        return round(percentile(values, share), 2) if values else 0.0


def at_rate(
    url: str, job: Job, *, rate: float, seconds: float, threads: int, grace_s: float = 5
) -> Outcome:
    """`rate` requests per second for `seconds`; nothing is sent after seconds + grace_s."""
    total = max(1, round(rate * seconds))
    outcome = Outcome()
    counter = iter(range(total))
    take = threading.Lock()
    start = time.perf_counter() + 0.05
    deadline = start + seconds + grace_s

    def work() -> None:
        client = Client(url)
        try:
            while True:
                with take:
                    number = next(counter, None)
                if number is None:
                    return
                due = start + number / rate
                if due > time.perf_counter():
                    time.sleep(due - time.perf_counter())
                if time.perf_counter() > deadline:
                    with outcome.lock:
                        outcome.unsent += 1
                    continue
                kind, status = job(client, number)
                outcome.record(kind, status, (time.perf_counter() - due) * 1000)
        finally:
            client.close()

    _run(work, threads)
    outcome.elapsed_s = time.perf_counter() - start
    return outcome


def flat_out(url: str, job: Job, *, requests: int, seconds: float, threads: int) -> Outcome:
    """As fast as `threads` clients go, until `requests` are sent or `seconds` have passed."""
    outcome = Outcome()
    counter = iter(range(requests))
    take = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def work() -> None:
        client = Client(url)
        try:
            while time.perf_counter() < deadline:
                with take:
                    number = next(counter, None)
                if number is None:
                    return
                sent = time.perf_counter()
                kind, status = job(client, number)
                outcome.record(kind, status, (time.perf_counter() - sent) * 1000)
        finally:
            client.close()

    _run(work, threads)
    outcome.elapsed_s = time.perf_counter() - start
    return outcome


def _run(work: Callable[[], None], threads: int) -> None:
    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
