"""Throughput of single pages with `wrk`, the load generator operators use.

The Python generator in bench/load.py shares the GIL and the two cores with the server, so
it understates what the server carries; `wrk` (C, epoll) costs the server's cores far less.
Each row is one `wrk -t2 -c16 --latency` run that cycles through the row's paths (a Lua
script), and is printed beside `/healthz` measured in the same run: one `SELECT 1` through
the full middleware stack, the floor any answer costs on this machine.
"""

import http.client
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

THREADS = 2
CONNECTIONS = 16
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Call:
    """One request of a row that is more than GETs of paths (a mixed load)."""

    method: str
    path: str
    headers: tuple[str, ...] = ()  # "Name: value"
    body: str = ""


@dataclass(frozen=True)
class Page:
    """A row: what is asked, and the fraction of `/healthz`'s rate it should reach."""

    label: str
    paths: tuple[str, ...]
    target_ratio: float | None = None
    headers: tuple[str, ...] = ()
    calls: tuple[Call, ...] = ()  # instead of `paths`: each thread walks these in turn


@dataclass
class PageRun:
    label: str
    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    target_ratio: float | None
    ratio: float = 0.0  # of /healthz's rate in the same run

    @property
    def met(self) -> bool | None:
        if self.target_ratio is None:
            return None
        return self.ratio >= self.target_ratio and not self.non_2xx and not self.socket_errors

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "met": self.met}


def available() -> bool:
    return shutil.which("wrk") is not None


def _script(paths: tuple[str, ...]) -> str:
    listed = ", ".join(f'"{path}"' for path in paths)
    return (
        f"local paths = {{{listed}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format(nil, paths[i])\n"
        "end\n"
    )


def _calls_script(calls: tuple[Call, ...], data: Path) -> str:
    """Reads the calls from `data` (one a line: method, path, headers, body, by tabs) and
    sends them in turn; thread k of n sends calls k, k + n, k + 2n… so that no call goes
    twice before the list is through (a create is made once, a post withdrawn once)."""
    lines = []
    for call in calls:
        fields = (call.method, call.path, "\x1f".join(call.headers), call.body)
        if any(c in field for field in fields for c in "\t\n"):
            raise ValueError(f"a call may hold no tab or newline: {call}")
        lines.append("\t".join(fields))
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"""local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
local calls, i = {{}}, 0
function init(args)
  for line in io.lines("{data}") do
    local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local named = {{}}
    for pair in headers:gmatch("[^\\31]+") do
      local name, value = pair:match("^([^:]+):%s*(.*)$")
      named[name] = value
    end
    if body == "" then body = nil end
    calls[#calls + 1] = wrk.format(method, path, named, body)
  end
  i = offset or 0
end
function request()
  local call = calls[i % #calls + 1]
  i = i + {THREADS}
  return call
end
"""


def first_static_path(url: str, page: str) -> str:
    """The page's first stylesheet or script: served by whitenoise in the same process."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        connection.request("GET", page)
        body = connection.getresponse().read().decode("utf-8", "replace")
    finally:
        connection.close()
    found = re.search(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', body)
    if not found:
        raise RuntimeError(f"{page} names no static file to measure beside it")
    return found.group(1)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * _UNITS_MS[unit], 2)


def parse(output: str, page: Page) -> PageRun:
    """wrk's report → figures; a report without its totals is a failed run."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    percentiles = dict(re.findall(r"^[ \t]+(50|99)%[ \t]+(\S+)[ \t]*$", output, re.MULTILINE))
    if not rate or not total or set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"wrk printed no totals for {page.label}:\n{output[-2000:]}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return PageRun(
        label=page.label,
        per_second=round(float(rate.group(1)), 1),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        target_ratio=page.target_ratio,
    )


def run_page(url: str, page: Page, seconds: float) -> PageRun:
    data = Path(tempfile.mkstemp(suffix=".tsv")[1])
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_calls_script(page.calls, data) if page.calls else _script(page.paths))
    try:
        command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency"]
        command += ["--timeout", "30s"]  # a slow page is measured, not dropped
        for header in page.headers:
            command += ["-H", header]
        command += ["-s", script.name, url]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
        data.unlink(missing_ok=True)
    if done.returncode:
        raise RuntimeError(f"wrk failed for {page.label}: {done.stderr[-2000:]}")
    return parse(done.stdout, page)


def run_pages(url: str, pages: list[Page], seconds: float) -> list[PageRun]:
    """Each page in turn; `/healthz` first and last, ratios to the mean of the two (the
    machine's state drifts over a run; the mean of both ends is the fairer floor)."""
    floor = Page("GET /healthz", ("/healthz",))
    first = run_page(url, floor, seconds)
    runs = [run_page(url, page, seconds) for page in pages]
    last = run_page(url, floor, seconds)
    healthz = (first.per_second + last.per_second) / 2
    first.per_second = round(healthz, 1)
    first.p50_ms = max(first.p50_ms, last.p50_ms)
    first.p99_ms = max(first.p99_ms, last.p99_ms)
    for run in [first, *runs]:
        run.ratio = round(run.per_second / healthz, 2) if healthz else 0.0
    return [first, *runs]


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        f"wrk -t{THREADS} -c{CONNECTIONS}: each row's rate as a ratio to /healthz in the same run",
        "| request | req/s | p50 ms | p99 ms | × /healthz | target | met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        target = f"≥ {run['target_ratio']:g}" if run["target_ratio"] is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[run["met"]]
        if run["non_2xx"] or run["socket_errors"]:
            met += f" ({run['non_2xx']} non-2xx, {run['socket_errors']} socket errors)"
        lines.append(
            f"| {run['label']} | {run['per_second']:,.0f} | {run['p50_ms']:g} | "
            f"{run['p99_ms']:g} | {run['ratio']:.2f} | {target} | {met} |"
        )
    return "\n".join(lines)
