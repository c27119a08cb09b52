"""HTTP load on the benchmark city: Huzhu's real server driven over loopback.

`huzhu serve --no-scheduler` (the first of `LoadPlan.servers`, HUZHU_WEB_WORKERS
processes, the task worker, so that matching runs as in production) serves a scratch copy
of the city: a SQLite backup or a PostgreSQL database made from the city's as a template,
dropped afterwards, so the city itself is never written to. The copy's times move forward
to now, because the server runs on the real clock and the city was generated as of
bench.city.ANCHOR.

Then, every step bounded in requests and seconds: searches at fixed arrival rates
(`bench.load.at_rate`) up to the first rate whose p99 passes 50 ms or that fails a
request; creates through `POST /api/v1/posts` flat out; a mixed load close to real use
(`MIX`: mostly visitors' searches, feeds and posts, some members' pages and searches, 1%
creates and 1% status changes) flat out, then at `LoadPlan.mixed_rate` a second. The other
servers (granian beside gunicorn) then serve the same copy for the wrk rows alone.
Creates run as in production — the posting rules, the trust quotas, matching and
saved-alert fan-out on — by accounts made in the copy before the server starts (a month
old, each posting one need and one offer, as people do). Only the
per-address rate limits are off: every request comes from 127.0.0.1.
Afterwards each web server worker's peak resident memory (VmHWM) and the database's size.
"""

import contextlib
import json
import math
import secrets
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from bench import wrk
from bench.city import BENCH_DIR, search_time
from bench.jobs import MIX, Mix, create_job, mixed_job, mixed_requests, search_job
from bench.load import Client, Outcome, at_rate, flat_out
from bench.memory import watch_memory, worker_memory_mb
from huzhu.tests.processes import child_env, run_python
from huzhu.tests.serving import Server

TARGET_P99_MS = 50.0
# Made in the server's copy with the app's own token service; prints their API tokens.
_PEOPLE = """
import json, sys
from datetime import timedelta
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from huzhu.accounts.models import User
from huzhu.accounts.services import issue_token
count = int(sys.argv[1])
joined = timezone.now() - timedelta(days=30)
people = User.objects.bulk_create(
    User(username=f"bench-load-{n}", display_name=f"Neighbour {n}",
         password=make_password(None), date_joined=joined)
    for n in range(count)
)
print(json.dumps([issue_token(user=person).secret for person in people]))
"""
# A signed-in session for the first of them, as the log-in page would store it.
_SESSION = """
import importlib, json
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from huzhu.accounts.models import User
person = User.objects.get(username="bench-load-0")
store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(person.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = person.get_session_auth_hash()
store.save()
print(json.dumps(f"{settings.SESSION_COOKIE_NAME}={store.session_key}"))
"""


@dataclass(frozen=True)
class LoadPlan:
    """How hard and how long each step pushes; every step is bounded."""

    # Fine steps where one modest node tops out, coarse ones up to the target and beyond.
    rates: tuple[float, ...] = (100, 150, 200, 250, 300, 400, 600, 800, 1000, 1500, 2000, 3000)
    seconds: float = 5.0
    threads: int = 32
    creates: int = 3000
    mixed: int = 6000
    flat_seconds: float = 30.0
    workers: int = 2
    page_seconds: float = 10.0  # each wrk row
    # The first server runs every step; the others the wrk rows, on the same copy, after it.
    servers: tuple[str, ...] = ("granian", "gunicorn")
    mixed_rate: float = 1000.0  # the mixed load at a fixed arrival rate, for `seconds` × 2


@dataclass
class HttpReport:
    pages: list[dict[str, Any]] = field(default_factory=list)  # wrk rows (bench.wrk)
    pages_skipped: str = ""
    search_steps: list[dict[str, Any]] = field(default_factory=list)
    best_search_rate: float = 0.0
    creates: dict[str, Any] = field(default_factory=dict)
    mixed: dict[str, Any] = field(default_factory=dict)
    mixed_at_rate: dict[str, Any] = field(default_factory=dict)
    mixed_wrk: dict[str, Any] = field(default_factory=dict)  # the same mix from wrk
    server: str = ""  # the web server every step ran on
    other_servers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # wrk rows
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    # Of the resident memory at the end: the worker's own (anonymous) pages, and pages of
    # mapped files — SQLite maps up to 256 MB of the database, pages it shares with the
    # other workers and the OS cache.
    worker_anon_rss_mb: list[float] = field(default_factory=list)
    worker_file_rss_mb: list[float] = field(default_factory=list)
    # The peak of the worker's own memory through the run (sampled; the target).
    worker_peak_anon_mb: list[float] = field(default_factory=list)
    database_bytes: int = 0
    workers: int = 0


def summary(outcome: Outcome, *kinds: str) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "sent": outcome.sent,
        "elapsed_s": round(outcome.elapsed_s, 2),
        "per_second": round(outcome.per_second(), 1),
        "p50_ms": outcome.percentile_ms(0.50),
        "p99_ms": outcome.percentile_ms(0.99),
        "failures": outcome.failures,
        "unsent": outcome.unsent,
        "statuses": {str(status): count for status, count in sorted(outcome.statuses.items())},
    }
    for kind in kinds:
        figures[kind] = {
            "count": len(outcome.latencies_ms.get(kind, [])),
            "p50_ms": outcome.percentile_ms(0.50, kind),
            "p99_ms": outcome.percentile_ms(0.99, kind),
        }
    return figures


@contextlib.contextmanager
def city_copy(
    workdir: Path, sqlite_path: Path | None, database_url: str | None
) -> Iterator[dict[str, str]]:
    """The environment of a server on a scratch copy of the city, its times moved to now."""
    from django.db import connection, connections

    from huzhu.sqlite import driver

    connections.close_all()  # a PostgreSQL template must have no other sessions
    data = workdir / "data"
    data.mkdir(parents=True)
    env = child_env(data, HUZHU_ACCESS_LOG="0")
    if database_url is None:
        assert sqlite_path is not None
        # Huzhu's own SQLite library (huzhu/sqlite.py): one process, one SQLite copy.
        sqlite = driver(connection)
        source, copy = sqlite.connect(sqlite_path), sqlite.connect(data / "huzhu.sqlite3")
        try:
            source.backup(copy)
            _move_to_now(copy, "sqlite")
            copy.commit()
        finally:
            source.close()
            copy.close()
        yield env
        return
    name = f"huzhu_bench_http_{secrets.token_hex(4)}"
    template = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    try:
        env["DATABASE_URL"] = with_database(database_url, name)
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as copy:
            _move_to_now(copy, "postgresql")
            # Moving the times rewrote every row: leave the table as a running deployment's
            # is (dead rows gone, statistics fresh, the visibility map set), or autovacuum
            # would do it in the middle of the measurement.
            copy.execute("VACUUM ANALYZE posts_post")
        yield env
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def with_database(url: str, name: str) -> str:
    """The PostgreSQL URL `url` with another database name."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def _move_to_now(connection: Any, vendor: str) -> None:
    """Shift every post's times (and rank, which counts seconds) from the city's moment to now."""
    from django.utils import timezone

    seconds = int((timezone.now() - search_time()).total_seconds())
    columns = ("created_at", "updated_at", "closes_at", "expires_at")
    if vendor == "sqlite":
        shifted = [f"{c} = datetime({c}, '+{seconds} seconds')" for c in columns]
    else:
        shifted = [f"{c} = {c} + make_interval(secs => {seconds})" for c in columns]
    # Only integers computed here go into the statement. An offer's rank counts down from
    # its creation time (huzhu/posts/ranking.py).
    rank = f"rank = CASE WHEN kind = 'offer' THEN rank - {seconds} ELSE rank + {seconds} END"
    connection.execute(f"UPDATE posts_post SET {', '.join(shifted)}, {rank}")


def run(
    points: list[tuple[float, float]],
    *,
    sqlite_path: Path | None,
    database_url: str | None,
    plan: LoadPlan,
) -> HttpReport:
    """Start the server on a copy of the city, load it step by step, stop it, report."""
    report = HttpReport(workers=plan.workers)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="http-", dir=BENCH_DIR)).resolve()
    try:
        with city_copy(workdir, sqlite_path, database_url) as env:
            env["HUZHU_WEB_WORKERS"] = str(plan.workers)
            # Each person posts one need and one offer; 1 in 100 mixed requests is a create.
            tokens = people(env, people_needed(plan))
            cookie = session_cookie(env)
            report.server = plan.servers[0]
            for name in plan.servers:
                env["HUZHU_WEB_SERVER"] = name
                server = Server(["-m", "huzhu.cli", "serve", "--no-scheduler"], env, workdir)
                server.start(timeout=180)
                try:
                    if name == report.server:
                        with watch_memory(server) as peaks:
                            _drive(server.url, points, plan, report, tokens=tokens, cookie=cookie)
                        report.worker_peak_anon_mb = peaks
                        memory = worker_memory_mb(server)
                        report.worker_peak_rss_mb = [m["VmHWM"] for m in memory]
                        report.worker_anon_rss_mb = [m["RssAnon"] for m in memory]
                        report.worker_file_rss_mb = [m["RssFile"] for m in memory]
                        report.database_bytes = database_bytes(env)
                    elif wrk.available():
                        report.other_servers[name] = _pages(
                            server.url, points, plan, cookie, tokens[-1]
                        )
                finally:
                    server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def people(env: dict[str, str], count: int) -> list[str]:
    """API tokens of `count` new accounts in the server's database."""
    done = run_python(_PEOPLE, str(count), env=env, timeout=600)
    if done.returncode:
        raise RuntimeError(f"could not make the benchmark's accounts: {done.stderr[-2000:]}")
    tokens: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return tokens


def session_cookie(env: dict[str, str]) -> str:
    """A `Cookie:` value that signs in the first benchmark account on the web pages."""
    done = run_python(_SESSION, env=env, timeout=120)
    if done.returncode:
        raise RuntimeError(f"could not sign the benchmark in: {done.stderr[-2000:]}")
    cookie: str = json.loads(done.stdout.strip().splitlines()[-1])
    return cookie


def page_rows(
    url: str, points: list[tuple[float, float]], listed: list[int], cookie: str, token: str = ""
) -> list[wrk.Page]:
    """What people open most, with the issue's targets as ratios to /healthz."""
    static = wrk.first_static_path(url, "/")
    searches = tuple(f"/api/v1/posts?lat={lat}&lng={lng}&radius_km=5" for lat, lng in points)
    return [
        wrk.Page("GET a static file", (static,)),
        wrk.Page("GET / anonymous", ("/",), 0.5),
        wrk.Page("GET / signed in", ("/",), 0.3, (f"Cookie: {cookie}",)),
        wrk.Page("GET /api/v1/posts nearby, 5 km", searches[:200], 0.5),
        # Signed in, so never the shared answer (huzhu/public_cache.py): what a miss costs.
        wrk.Page(
            "GET /api/v1/posts nearby, 5 km, signed in",
            searches[:200],
            None,
            (f"Authorization: Bearer {token}",) if token else (),
        ),
        wrk.Page("GET /posts/{id} page", tuple(f"/posts/{i}" for i in listed), 0.6),
        wrk.Page("GET /api/v1/posts/{id}", tuple(f"/api/v1/posts/{i}" for i in listed), 0.6),
    ]


def _drive(
    url: str,
    points: list[tuple[float, float]],
    plan: LoadPlan,
    report: HttpReport,
    *,
    tokens: list[str],
    cookie: str,
) -> None:
    listed = _check_listed(url, points)
    if wrk.available():
        report.pages = _pages(url, points, plan, cookie, tokens[-1], listed=listed)
    else:
        report.pages_skipped = "wrk is not installed (Debian: wrk; `make bench-deps`)"
    creators, mixers, wrk_mixers = _people_for(plan, tokens)
    search = search_job(points)
    # Warm the workers (connections, caches, first imports) before anything is timed.
    flat_out(url, search, requests=400, seconds=plan.flat_seconds, threads=plan.threads)
    for rate in plan.rates:
        outcome = at_rate(url, search, rate=rate, seconds=plan.seconds, threads=plan.threads)
        step = {"rate": rate, **summary(outcome)}
        step["met"] = not outcome.failures and not outcome.unsent and step["p99_ms"] <= 50
        report.search_steps.append(step)
        if not step["met"]:
            break  # higher rates only queue more
        report.best_search_rate = rate
    created: deque[tuple[int, str]] = deque()
    creates = flat_out(
        url,
        create_job(points, creators, created),
        requests=plan.creates,
        seconds=plan.flat_seconds,
        threads=min(plan.threads, 8),
    )
    report.creates = summary(creates, "create")
    report.creates["created_per_second"] = round(
        creates.statuses[201] / creates.elapsed_s if creates.elapsed_s else 0.0, 1
    )
    kinds = [kind for kind, _ in MIX]
    half = len(mixers) // 2
    mixed = flat_out(
        url,
        mixed_job(Mix(points, listed, mixers[:half], cookie, created)),
        requests=plan.mixed,
        seconds=plan.flat_seconds,
        threads=min(plan.threads, 16),
    )
    report.mixed = summary(mixed, *kinds)
    # The same mix at a fixed arrival rate: latency as people would see it at that load.
    steady = at_rate(
        url,
        mixed_job(Mix(points, listed, mixers[half:], cookie, created)),
        rate=plan.mixed_rate,
        seconds=plan.seconds * 2,
        threads=plan.threads,
    )
    report.mixed_at_rate = {"rate": plan.mixed_rate, **summary(steady, *kinds)}
    if wrk.available():
        # The same mix from wrk: what the server carries when the generator is not the limit.
        calls = mixed_requests(Mix(points, listed, wrk_mixers, cookie, created), _wrk_calls(plan))
        row = wrk.Page(
            "mixed, as above (wrk, flat out)", (), calls=tuple(c.as_wrk() for c in calls)
        )
        report.mixed_wrk = wrk.run_page(url, row, plan.page_seconds).as_json()


# wrk's mixed row is written down before it runs: enough requests for this many a second
# (more than one node of two cores carries), so that no create is sent twice.
WRK_MIX_BOUND_PER_S = 4000


def _wrk_calls(plan: LoadPlan) -> int:
    return int(plan.page_seconds * WRK_MIX_BOUND_PER_S)


def _shares(plan: LoadPlan) -> tuple[int, int, int]:
    """How many people the create step, the Python mixed steps and wrk's mixed row need
    (each posts a need and an offer; 1 in 100 mixed requests is a create)."""
    creators = plan.creates // 2 + 1
    mixers = plan.mixed // 200 + math.ceil(plan.mixed_rate * plan.seconds * 2 / 200) + 2
    return creators, mixers, _wrk_calls(plan) // 200 + 2


def _people_for(plan: LoadPlan, tokens: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Those three groups' tokens; the last token is the signed-in search row's."""
    creators, mixers, _ = _shares(plan)
    return tokens[:creators], tokens[creators : creators + mixers], tokens[creators + mixers : -1]


def people_needed(plan: LoadPlan) -> int:
    return sum(_shares(plan)) + 1


def _pages(
    url: str,
    points: list[tuple[float, float]],
    plan: LoadPlan,
    cookie: str,
    token: str,
    *,
    listed: list[int] | None = None,
) -> list[Any]:
    """The wrk rows, after a warm-up of the workers (connections, first imports)."""
    listed = listed or _check_listed(url, points)
    rows = page_rows(url, points, listed, cookie, token)
    flat_out(url, search_job(points), requests=400, seconds=plan.flat_seconds, threads=8)
    return [run.as_json() for run in wrk.run_pages(url, rows, plan.page_seconds)]


def _check_listed(url: str, points: list[tuple[float, float]]) -> list[int]:
    """Ids of listed posts near the query points; refuse to measure a server that lists
    nothing: empty pages would flatter it."""
    client = Client(url)
    listed: list[int] = []
    try:
        for lat, lng in points[:10]:
            status, answer = client.call("GET", f"/api/v1/posts?lat={lat}&lng={lng}&radius_km=5")
            if status == 200:
                listed += [item["id"] for item in answer["items"]]
    finally:
        client.close()
    if listed:
        return listed[:100]
    raise RuntimeError("the server's copy of the city lists no posts near the query points")


def database_bytes(env: dict[str, str]) -> int:
    if env.get("DATABASE_URL"):
        with psycopg.connect(env["DATABASE_URL"]) as connection:
            row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(row[0]) if row else 0
    data = Path(env["HUZHU_DATA_DIR"])
    return sum(path.stat().st_size for path in data.glob("huzhu.sqlite3*"))


def as_json(report: HttpReport) -> dict[str, Any]:
    return asdict(report)
