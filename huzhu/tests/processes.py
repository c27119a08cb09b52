"""Helpers for tests that run Huzhu in child processes, each with its own data directory."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PYTHON = sys.executable
# Configuration the developer's shell may carry that would point a child at their own data.
_PERSONAL = {"DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "HOST", "PORT", "SITE_URL"}
_PERSONAL |= {"DATABASE_REPLICA_URLS", "REDIS_URL"}
# Test-only switches that must never reach a child server (a deploy check refuses them).
_PERSONAL |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}


# Load, crash and fuzz runs open many posts and responses per person: they measure
# concurrency and robustness, not TL0's quotas (huzhu/trust/tests/test_limits.py does).
GENEROUS_QUOTAS = {
    "HUZHU_TL0_OPEN_NEEDS": "100000",
    "HUZHU_POSTING_CHECKS": "0",
    "HUZHU_TL0_OPEN_OFFERS": "100000",
    "HUZHU_TL0_RESPONSES_PER_DAY": "100000",
}


def child_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment for a child Huzhu: ours, minus Huzhu's knobs, plus `overrides`.

    Rate limits are off unless `overrides` turn them on: test clients act faster than people.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _PERSONAL and not name.startswith("HUZHU_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="huzhu.settings",
        HUZHU_DATA_DIR=str(data_dir),
        HUZHU_RATE_LIMIT_SCALE="0",
    )
    env.update(overrides)
    return env


def run_python(
    code: str, *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-c", code, *args],
        env=env,
        cwd=Path(env["HUZHU_DATA_DIR"]).parent,  # never the checkout: no stray ./data
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_huzhu(*args: str, env: dict[str, str], timeout: float = 180) -> None:
    """Run a `huzhu` command to completion; fail the test with its output if it fails."""
    done = subprocess.run(
        [PYTHON, "-m", "huzhu.cli", *args],
        env=env,
        cwd=Path(env["HUZHU_DATA_DIR"]).parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"huzhu {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def wait_until(condition: Callable[[], bool], *, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after the last ")".
    return text[text.rindex(")") + 2 :].split()


def is_running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
