"""The load generator against a deliberately slow loopback server: it must not hide the wait.

The server answers one request at a time in 40 ms, so it serves 25 per second. Asked for
50 per second, an open-loop generator must report latencies that grow with the queue (a
closed-loop one would politely wait and report ~40 ms); flat out, it must report
throughput near 25 per second.
"""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bench.load import Client, Job, at_rate, flat_out

SERVICE_S = 0.04


class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's threads offer
    # Headers and body in one segment: two would wait on the peer's delayed ACK (40 ms).
    wbufsize = -1

    def do_GET(self) -> None:
        time.sleep(SERVICE_S)
        body = b'{"items": []}' if self.path == "/ok" else b'{"detail": "no"}'
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Quiet: the test reads the generator's figures, not the server's log."""


@pytest.fixture
def slow_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Slow)  # one request at a time
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def get(path: str) -> Job:
    def job(client: Client, number: int) -> tuple[str, int]:
        status, _ = client.call("GET", path)
        return "get", status

    return job


def test_an_overloaded_server_shows_in_open_loop_latencies(slow_url: str) -> None:
    # One keep-alive connection at a time reaches the single-threaded server, so one thread.
    outcome = at_rate(slow_url, get("/ok"), rate=50, seconds=1, threads=1)
    assert outcome.sent == 50 and outcome.failures == 0, outcome.statuses
    # The 50th request was due at 0.98 s and is answered after ~2 s: a second late.
    assert outcome.percentile_ms(0.99) > 600, outcome.latencies_ms
    assert outcome.per_second() < 35


def test_flat_out_measures_throughput_and_counts_non_2xx_as_failures(slow_url: str) -> None:
    outcome = flat_out(slow_url, get("/missing"), requests=20, seconds=10, threads=1)
    assert outcome.sent == 20
    assert outcome.failures == 20 and outcome.statuses == {404: 20}
    assert 8 < outcome.per_second() <= 1 / SERVICE_S + 1  # at most what the server can do
    assert SERVICE_S * 1000 <= outcome.percentile_ms(0.50) < 200


def test_time_bounds_leave_late_requests_unsent(slow_url: str) -> None:
    started = time.monotonic()
    outcome = at_rate(slow_url, get("/ok"), rate=100, seconds=0.5, threads=1, grace_s=0.5)
    # 50 are due within 0.5 s; the server manages ~25 in the second allowed.
    assert outcome.unsent > 0 and outcome.sent + outcome.unsent == 50, outcome
    assert time.monotonic() - started < 3
