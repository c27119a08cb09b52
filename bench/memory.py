"""What the benchmark server's web workers hold in memory (bench/http.py)."""

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from huzhu.tests.processes import descendants
from huzhu.tests.serving import Server


@contextlib.contextmanager
def watch_memory(server: Server, every_s: float = 0.5) -> Iterator[list[float]]:
    """The highest resident anonymous memory (RssAnon: the worker's own, not the database
    file SQLite maps) each worker reached while the block ran, sampled every `every_s`;
    the list fills when the block ends."""
    peaks: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(every_s):
            anon = [m["RssAnon"] for m in worker_memory_mb(server)]
            peaks.extend([0.0] * (len(anon) - len(peaks)))
            for number, megabytes in enumerate(anon):
                peaks[number] = max(peaks[number], megabytes)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peaks
    finally:
        done.set()
        sampler.join()


def worker_memory_mb(server: Server) -> list[dict[str, float]]:
    """Peak resident (VmHWM) and resident anonymous and file pages of each web server
    worker (a child of the gunicorn or granian master), in MB."""
    assert server.process is not None
    found = []
    for pid in sorted(descendants(server.process.pid)):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            status = Path(f"/proc/{pid}/status").read_text()
            parent = int(next(x for x in status.splitlines() if x.startswith("PPid:")).split()[1])
            parent_command = Path(f"/proc/{parent}/cmdline").read_bytes()
        except (OSError, StopIteration):
            continue
        name = b"granian" if b"granian" in parent_command else b"gunicorn"
        if name in parent_command and (name in command or b"multiprocessing" in command):
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            found.append(
                {
                    name: round(int(fields[name].split()[0]) / 1024, 1)
                    for name in ("VmHWM", "RssAnon", "RssFile")
                }
            )
    return found
