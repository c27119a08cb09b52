"""What every page and API answer costs in one process: ms per request through Django's
test client (middleware, views, templates, the database; no network, no server).

    python -m bench.pages --posts 20000 [--database-url URL] [--requests 200] [--profile]

The machine this runs on is shared, so wall-clock load tests are noisy; one process
timing the same requests in turn is steadier. Each route is warmed, then timed over
`--requests` requests (CPU time, best of five rounds); `--profile` adds a cProfile of each route
to bench/results/pages-<route>.prof and prints its top functions by cumulative time.
Rate limits are off (HUZHU_RATE_LIMIT_SCALE=0) unless `--rate-limits` keeps them on, so
the ratelimit's own cost can be seen by running both.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client

from bench.search import RESULTS_DIR


def _timed(send: Callable[[int], int], count: int) -> float:
    """CPU ms per request of this process, best of five rounds: on a machine other work
    keeps busy, CPU time waits for nobody (the database is SQLite in-process, or a
    PostgreSQL server whose share is not counted)."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for number in range(count):
            status = send(number)
            if not 200 <= status < 300:
                raise RuntimeError(f"status {status}")
        best = min(best, (time.process_time() - started) * 1000 / count)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--rate-limits", action="store_true")
    parser.add_argument("--only", nargs="*", help="route names to measure")
    args = parser.parse_args(argv)
    from bench.city import configure

    sqlite_path = configure(args.posts, args.seed, args.database_url)
    os.environ["HUZHU_RATE_LIMIT_SCALE"] = "1000" if args.rate_limits else "0"
    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    from bench.city import ensure_city, load_city, search_time
    from bench.points import query_points
    from huzhu.accounts.models import User

    # As the tests do: the pages' static URLs without a collectstatic manifest.
    storage = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    ensure_city(args.posts, args.seed, args.database_url, sqlite_path)
    city = load_city()
    points = query_points(city, 40, args.seed)
    ids = [int(i) for i in city.ids[:: max(1, len(city.ids) // 200)]]
    client = Client(HTTP_HOST="127.0.0.1")
    # A member's pages are never shared answers: what a signed-in person costs.
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(User.objects.filter(is_staff=False).order_by("pk")[0])

    routes = _routes(client, member, points, ids)
    chosen = {name: send for name, send in routes.items() if not args.only or name in args.only}
    rows = []
    with time_machine.travel(search_time(), tick=True), transaction.atomic():
        for name, send in chosen.items():
            for number in range(20):  # warm: imports, template loading, caches
                send(number)
            rows.append((name, _timed(send, args.requests)))
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                for number in range(args.requests):
                    send(number)
                profile.disable()
                RESULTS_DIR.mkdir(parents=True, exist_ok=True)
                profile.dump_stats(RESULTS_DIR / f"pages-{name}.prof")
                print(f"--- {name}: top 25 by cumulative time over {args.requests} requests")
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        transaction.set_rollback(True)
    print(f"{'route':<12} {'CPU ms/request':>14}")
    for name, ms in rows:
        print(f"{name:<12} {ms:>14.2f}")
    print(f"reproduce: .venv/bin/python -m bench.pages {' '.join(sys.argv[1:])}")
    return 0


def _routes(
    client: "Client", member: "Client", points: list[tuple[float, float]], ids: list[int]
) -> dict[str, Callable[[int], int]]:
    """What each measured row sends: its n-th request."""

    def get(path: str, query: dict[str, Any] | None = None, *, by: "Client" = client) -> int:
        return int(by.get(path, query or {}).status_code)

    def near(number: int) -> dict[str, Any]:
        lat, lng = points[number % len(points)]
        return {"lat": f"{lat:.5f}", "lng": f"{lng:.5f}", "radius_km": 5}

    return {
        "healthz": lambda n: get("/healthz"),
        # A visitor's home is a shared answer (huzhu/public_cache.py): a row of hits, mostly.
        "home": lambda n: get("/", near(n)),
        "home-member": lambda n: get("/", near(n), by=member),
        "api-search": lambda n: get("/api/v1/posts", near(n)),
        "api-search-member": lambda n: get("/api/v1/posts", near(n), by=member),
        "api-post": lambda n: get(f"/api/v1/posts/{ids[n % len(ids)]}"),
        "post-page": lambda n: get(f"/posts/{ids[n % len(ids)]}"),
    }


if __name__ == "__main__":
    sys.exit(main())
