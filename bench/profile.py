"""Where a request's time goes: pyinstrument over Huzhu's own API views, in one process.

    python -m bench.profile --posts 1000000 [--database-url URL] [--requests 2000]

Sends the HTTP load's searches (the same points, radii, sorts and tags as bench.http) and
then creates through Django's test client — middleware, Ninja, the services and the
database, without the network and gunicorn — under pyinstrument, as of the city's moment
and inside a transaction rolled back at the end, so the city is left as it was. Prints the
time per request and the call tree, and writes both as text and HTML to bench/results/.
"""

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.search import RESULTS_DIR


def _profiled(name: str, count: int, send: Callable[[int], int]) -> tuple[float, str]:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    failures = 0
    started = time.perf_counter()
    profiler.start()
    for number in range(count):
        failures += not 200 <= send(number) < 300
    profiler.stop()
    per_request_ms = (time.perf_counter() - started) * 1000 / count
    if failures:
        raise RuntimeError(f"{failures} of {count} {name} requests failed")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"profile-{name}.html").write_text(profiler.output_html())
    text = profiler.output_text(unicode=True, color=False)
    (RESULTS_DIR / f"profile-{name}.txt").write_text(text)
    return per_request_ms, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)
    from bench.city import configure

    sqlite_path = configure(args.posts, args.seed, args.database_url)
    import django

    django.setup()
    import time_machine
    from django.db import transaction
    from django.test import Client

    from bench.city import ensure_city, load_city, search_time
    from bench.jobs import RADII as HTTP_RADII
    from bench.jobs import SORTS, TAGS
    from bench.points import query_points
    from huzhu.accounts.models import User
    from huzhu.accounts.services import issue_token

    ensure_city(args.posts, args.seed, args.database_url, sqlite_path)
    points = query_points(load_city(), 240, args.seed)
    client = Client(HTTP_HOST="127.0.0.1")

    def search(number: int) -> int:
        radius = HTTP_RADII[number % len(HTTP_RADII)]
        sort = SORTS[number // len(HTTP_RADII) % len(SORTS)]
        lat, lng = points[number // (len(HTTP_RADII) * len(SORTS)) % len(points)]
        tag = TAGS[number % len(TAGS)]
        query: dict[str, Any] = {"lat": f"{lat:.5f}", "lng": f"{lng:.5f}", "radius_km": radius}
        query |= {"sort": sort, **({"tag": tag} if tag else {})}
        return int(client.get("/api/v1/posts", query).status_code)

    results = []
    with time_machine.travel(search_time(), tick=True), transaction.atomic():
        for number in range(200):  # warm: imports, caches, prepared statements
            search(number)
        results.append(("search", *_profiled("search", args.requests, search)))
        people = [User.objects.create(username=f"bench-profile-{n}") for n in range(200)]
        tokens = [issue_token(user=person).secret for person in people]

        def create(number: int) -> int:
            lat, lng = points[number % len(points)]
            body = {
                "kind": ("need", "offer")[number % 2],
                "title": "Need a blood pressure monitor",
                "category": "supplies",
                "quantity": 1,
                "lat": round(lat, 5),
                "lng": round(lng, 5),
            }
            answer = client.post(
                "/api/v1/posts",
                body,
                content_type="application/json",
                headers={"authorization": f"Bearer {tokens[number // 2]}"},
            )
            return int(answer.status_code)

        results.append(("create", *_profiled("create", len(tokens) * 2, create)))
        transaction.set_rollback(True)  # the city stays as it was
    for name, per_request_ms, text in results:
        print(text)
        print(f"{name}: {per_request_ms:.2f} ms per request in one process (profiler on)")
    print(f"written to {RESULTS_DIR}/profile-*.txt and .html")
    print(f"reproduce: .venv/bin/python -m bench.profile {' '.join(sys.argv[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
