"""A tiny progress bar for long commands (`huzhu demo`, `huzhu import`, the benchmark)."""

import sys
import time
from typing import TextIO


class Progress:
    """A tiny progress bar on stderr, redrawn at most every 1% (tqdm is not a dependency)."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.label, self.done = max(total, 1), label, 0
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self._drawn = -1

    def advance(self, count: int) -> None:
        self.done += count
        percent = min(100, self.done * 100 // self.total)
        if percent != self._drawn:
            self._drawn = percent
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            elapsed = time.monotonic() - self.started
            self.stream.write(
                f"\r{self.label} [{bar}] {percent:3d}% {self.done:,}/{self.total:,} {elapsed:.0f}s"
            )
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
