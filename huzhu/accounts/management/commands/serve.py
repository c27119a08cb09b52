"""`huzhu serve`: the production entry point, what `make run` starts after migrating.

It collects static files, then supervises two child processes, the web server (the site) and
`huzhu db_worker` (background tasks), and runs the periodic scheduler as a thread. Ctrl+C
or SIGTERM stops everything cleanly; if serve itself is killed outright (SIGKILL, out of
memory), Linux sends each child SIGTERM (PR_SET_PDEATHSIG), so none outlives it. The restart
policy is deliberately none: if a child dies, serve stops the other one and exits non-zero,
and whatever started serve (systemd, a container runtime, a person) decides whether to
restart it.

The web server is granian's WSGI server (Rust, `--interface wsgi`) or gunicorn:
`--server` or HUZHU_WEB_SERVER. The default is the one that carried more on the same
two cores in the same benchmark run (docs/BENCHMARKS.md, "granian beside gunicorn").

Knobs (environment): HOST, PORT, HUZHU_WEB_SERVER (granian or gunicorn),
HUZHU_WEB_WORKERS (processes, default 2), HUZHU_WEB_THREADS (threads per process that
run the application, default 4), HUZHU_ACCESS_LOG (default on: method,
path, status, size and time on stdout; never the query string, which can carry a person's
coordinates, nor the client address), HUZHU_EXPIRE_EVERY_SECONDS (see huzhu/scheduler.py).
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import threading
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from huzhu.accounts.models import User
from huzhu.demo.city import DEMO_PASSWORD, NAMED_USERS
from huzhu.env import envbool, envint, envstr
from huzhu.metrics import MULTIPROC_ENV
from huzhu.scheduler import Scheduler, default_jobs

DEMO_USERNAMES = tuple(username for username, _ in NAMED_USERS)
# %(U)s is the path without the query string; see the module docstring.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
STOP_GRACE_SECONDS = 10
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def bind_address() -> str:
    host = settings.HOST
    return f"[{host}]:{settings.PORT}" if ":" in host else f"{host}:{settings.PORT}"


SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"
# granian's atoms; `path` is without the query string, like gunicorn's %(U)s.
GRANIAN_ACCESS_LOG_FORMAT = '[%(time)s] "%(method)s %(path)s" %(status)d %(dt_ms).1fms'


def web_command(server: str | None = None) -> list[str]:
    server = server or envstr("HUZHU_WEB_SERVER", DEFAULT_SERVER)
    if server == "granian":
        return granian_command()
    if server != "gunicorn":
        raise CommandError(f"HUZHU_WEB_SERVER: choose one of {', '.join(SERVERS)}, not {server!r}")
    return gunicorn_command()


def granian_command() -> list[str]:
    host = settings.HOST
    command = [
        *(sys.executable, "-m", "granian", "--interface", "wsgi", "huzhu.wsgi:application"),
        *("--host", host, "--port", str(settings.PORT)),
        *("--workers", str(envint("HUZHU_WEB_WORKERS", 2))),
        # WSGI calls run on these threads; the Rust runtime's own threads do the I/O.
        *("--blocking-threads", str(envint("HUZHU_WEB_THREADS", 4))),
        *("--workers-kill-timeout", str(STOP_GRACE_SECONDS - 2)),
        "--no-ws",
    ]
    if envbool("HUZHU_ACCESS_LOG", default=True):
        command += ["--access-log", "--access-log-fmt", GRANIAN_ACCESS_LOG_FORMAT]
    return command


def gunicorn_command() -> list[str]:
    command = [
        *(sys.executable, "-m", "gunicorn", "huzhu.wsgi:application"),
        *("--bind", bind_address()),
        *("--workers", str(envint("HUZHU_WEB_WORKERS", 2))),
        *("--threads", str(envint("HUZHU_WEB_THREADS", 4))),
        *("--graceful-timeout", str(STOP_GRACE_SECONDS - 2)),
        # The default control socket is one path per user: two servers would fight over it.
        "--no-control-socket",
    ]
    if envbool("HUZHU_ACCESS_LOG", default=True):
        command += ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
    return command


def worker_command() -> list[str]:
    return [
        *(sys.executable, "-m", "huzhu.cli", "db_worker"),
        *("--queue-name", "*", "--interval", "1", "--no-reload"),
    ]


def die_with_parent(parent: int) -> Callable[[], None]:
    """A child's first act: ask Linux for SIGTERM when `parent` dies, however it dies.

    serve stopping in an orderly way stops its children itself; this covers SIGKILL and the
    out-of-memory killer, after which gunicorn would keep the port and the worker would
    keep running tasks with old code. gunicorn's workers follow their master on their own.
    """

    def preexec() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # serve died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def start(command: list[str]) -> subprocess.Popen[bytes]:
    # Its own process group: a terminal's Ctrl+C reaches serve alone, which then stops each
    # child exactly once (a second signal would make db_worker abandon a running task).
    # Started from the main thread, before the scheduler's: the parent-death signal follows
    # the thread that forked, and preexec_fn is only safe while no other thread runs.
    preexec = die_with_parent(os.getpid())
    # PLW1509: no other thread runs yet (see above).
    return subprocess.Popen(command, process_group=0, preexec_fn=preexec)  # noqa: S603, PLW1509


def fresh_metrics_dir() -> Path:
    """Where gunicorn's workers keep their counters: emptied, so that a restart's figures
    start from zero instead of adding a dead worker's to the new ones."""
    folder = Path(settings.DATA_DIR) / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    return folder


def stop_all(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


class Command(BaseCommand):
    help = "Serve the site (granian or gunicorn) and run the background worker and scheduler."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--server",
            choices=SERVERS,
            help=f"the web server (default: HUZHU_WEB_SERVER, else {DEFAULT_SERVER})",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not enqueue periodic tasks (for extra app servers)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        self.print_banner()
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        connections.close_all()  # the banner's query must not pin a connection for days
        if settings.METRICS_TOKEN:
            os.environ[MULTIPROC_ENV] = str(fresh_metrics_dir())
        web = web_command(options["server"])  # a wrong name stops here, before anything starts
        children = {"web server": start(web), "worker": start(worker_command())}
        scheduler = Scheduler([] if options["no_scheduler"] else default_jobs(), stop)
        scheduler.start()
        died = ""
        try:
            while not stop.wait(0.5):
                died = next((name for name, c in children.items() if c.poll() is not None), "")
                if died:
                    break
        finally:
            stop.set()
            stop_all(children)
            scheduler.join(timeout=STOP_GRACE_SECONDS)
        if died:
            raise CommandError(f"The {died} exited unexpectedly; stopped everything.")
        self.stdout.write("Huzhu stopped.")

    def print_banner(self) -> None:
        self.stdout.write(f"Huzhu is running at {settings.SITE_URL}/")
        if User.objects.filter(username__in=DEMO_USERNAMES).exists():
            names = ", ".join(DEMO_USERNAMES)
            self.stdout.write(f"Demo logins: {names} (password {DEMO_PASSWORD})")
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
