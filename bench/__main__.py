"""`make bench`: nearby search beside PostGIS, writes, bulk import and HTTP load, on one
demo city.

    python -m bench --posts 1000000 [--database-url URL] [--postgis URL] [--no-http]

It measures `search_posts` as bench.search does, the two PostGIS baselines of
bench.postgis on the same posts (at a subset of the points, each configuration bounded
in time), the write services at the query layer (bench.operations), a bulk import
(bench.importing) and Huzhu's real server under load (bench.http); prints each part as
it finishes, then every target with met or missed and the command to reproduce. The
JSON in bench/results/bench-*.json is rewritten after each part, so a run stopped
half-way keeps what it measured.
"""

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report, wrk
from bench.search import RADII, RESULTS_DIR, SORTS, Row, machine

POSTGIS_SUFFIX = "_postgis"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=240, help="query points per row")
    parser.add_argument("--radii", type=float, nargs="+", default=RADII)
    parser.add_argument("--database-url", help="PostgreSQL instead of the SQLite city file")
    parser.add_argument(
        "--postgis",
        help="PostgreSQL for the PostGIS baselines (default with --database-url: its "
        f"database name + '{POSTGIS_SUFFIX}'); created if missing",
    )
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=60,
        help="query points for the PostGIS baselines: every k-th of Huzhu's (default 60)",
    )
    parser.add_argument(
        "--baseline-seconds",
        type=float,
        default=20.0,
        help="time bound per PostGIS configuration and pass (default 20 s)",
    )
    parser.add_argument("--no-operations", action="store_true")
    parser.add_argument(
        "--operations", type=int, default=300, help="posts created, matched and withdrawn"
    )
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument(
        "--import-posts", type=int, default=1_000_000, help="rows in the bulk import (≤ posts)"
    )
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or check) the city and stop"
    )
    parser.add_argument("--http-rates", type=float, nargs="+", help="search arrival rates, /s")
    parser.add_argument("--http-seconds", type=float, help="seconds per search rate")
    parser.add_argument("--http-page-seconds", type=float, help="seconds per wrk page row")
    parser.add_argument("--http-creates", type=int, help="creates in the create step")
    parser.add_argument("--http-mixed", type=int, help="requests in the mixed step")
    parser.add_argument("--http-threads", type=int, help="load generator threads")
    parser.add_argument("--http-workers", type=int, help="web server worker processes")
    parser.add_argument(
        "--http-servers",
        nargs="+",
        choices=("granian", "gunicorn"),
        help="web servers: the first runs every step, the others the wrk rows",
    )
    parser.add_argument("--http-mixed-rate", type=float, help="the mixed load's fixed rate, /s")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def postgis_url(args: argparse.Namespace) -> str | None:
    if args.no_postgis:
        return None
    if args.postgis:
        return str(args.postgis)
    if args.database_url:
        from urllib.parse import urlsplit

        from bench.http import with_database

        name = urlsplit(args.database_url).path.lstrip("/")
        return with_database(args.database_url, f"{name}{POSTGIS_SUFFIX}")
    return None


def run_postgis(
    url: str | None,
    brute: Any,
    points: list[tuple[float, float]],
    radii: list[float],
    seconds: float,
) -> tuple[dict[str, list[Row]], dict[str, Any]]:
    """The baselines' rows, or none and the plain reason why they did not run."""
    if url is None:
        return {}, {"ran": False, "why": "no PostgreSQL given (--postgis URL)"}
    import psycopg

    from bench import postgis
    from bench.city import search_time

    try:
        connection = postgis.connect(url)
    except psycopg.OperationalError as error:
        return {}, {"ran": False, "why": f"cannot reach PostgreSQL for PostGIS: {error}"}
    with connection:
        if why := postgis.missing(connection):
            return {}, {"ran": False, "why": why}
        try:
            levels = postgis.load(connection, postgis.listed_rows(search_time()))
        except psycopg.errors.InsufficientPrivilege as error:  # CREATE EXTENSION needs one
            return {}, {"ran": False, "why": f"cannot create the PostGIS extension: {error}"}
        rows: dict[str, list[Row]] = {method: [] for method in postgis.METHODS}
        for method in postgis.METHODS:
            for radius in radii:
                for sort in SORTS:
                    for tagged in (False, True):
                        once = functools.partial(
                            postgis.measure,
                            *(connection, brute, points),
                            method=method,
                            levels=levels,
                            radius=radius,
                            sort=sort,
                            tagged=tagged,
                            seconds=seconds,
                        )
                        once(check=False)  # warms the caches, as for Huzhu's rows
                        rows[method].append(once())
        facts = {
            "ran": True,
            "levels": len(levels),
            "bytes": postgis.database_size(connection),
            "points": len(points),
            "seconds_per_configuration": seconds,
        }
    return rows, facts


def http_plan(args: argparse.Namespace) -> Any:
    from bench.http import LoadPlan

    chosen = {
        "rates": tuple(args.http_rates) if args.http_rates else None,
        "seconds": args.http_seconds,
        "page_seconds": args.http_page_seconds,
        "creates": args.http_creates,
        "mixed": args.http_mixed,
        "threads": args.http_threads,
        "workers": args.http_workers,
        "servers": tuple(args.http_servers) if args.http_servers else None,
        "mixed_rate": args.http_mixed_rate,
    }
    return LoadPlan(**{name: value for name, value in chosen.items() if value is not None})


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from bench.city import configure

    sqlite_path = configure(args.posts, args.seed, args.database_url)
    import django

    django.setup()
    from django.db import connection

    from bench.brute import BruteForce
    from bench.city import ensure_city, load_city
    from bench.points import query_points

    marker = ensure_city(args.posts, args.seed, args.database_url, sqlite_path)
    if args.build_only:
        print(f"the city is ready: {marker}")
        return 0
    city = load_city()
    points = query_points(city, args.queries, args.seed)
    brute = BruteForce(city)
    vendor = connection.vendor
    command = reproduce(argv if argv is not None else sys.argv[1:])
    results: dict[str, Any] = {
        "command": command,
        "database": vendor,
        "posts": args.posts,
        "listed": len(city.ids),
        "city": marker,
        "machine": machine(),
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = args.results_dir / f"bench-{vendor}-{args.posts}-seed{args.seed}-{stamp}.json"

    def save(part: str, value: Any) -> None:
        results[part] = value
        args.results_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2))

    huzhu, baselines, imported, http = measure_parts(args, sqlite_path, brute, points, save)
    found_targets = report.targets(vendor, huzhu, baselines, http, imported)
    save("targets", [target.as_json() for target in found_targets])
    print()
    print(report.target_table(found_targets))
    print()
    print(f"{vendor}, {len(city.ids):,} listed of {args.posts:,} posts, limit 20")
    print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print(f"reproduce: {command}")
    print(f"wrote {path}")
    failed = any(row.agreement < 1 for row in huzhu)
    if http:
        failed |= bool(http["creates"]["failures"] or http["mixed"]["failures"])
    return 1 if failed else 0


def measure_parts(
    args: argparse.Namespace,
    sqlite_path: Path | None,
    brute: Any,
    points: list[tuple[float, float]],
    save: Callable[[str, Any], None],
) -> tuple[list[Row], dict[str, list[Row]], dict[str, Any] | None, dict[str, Any] | None]:
    """Each part in turn, printed and saved as it finishes."""
    from django.db import connection

    from bench.search import measure_all

    vendor = connection.vendor
    huzhu = measure_all(brute, points, args.radii)
    save("rows", [asdict(row) for row in huzhu])
    print(report.comparison(huzhu, {}), flush=True)

    step = max(1, len(points) // max(1, args.baseline_queries))
    baselines, postgis_facts = run_postgis(
        postgis_url(args), brute, points[::step], args.radii, args.baseline_seconds
    )
    save(
        "postgis",
        {**postgis_facts, "rows": {k: [asdict(r) for r in v] for k, v in baselines.items()}},
    )
    print_postgis(huzhu, baselines, postgis_facts)

    operations = None
    if not args.no_operations:
        from bench import operations as ops

        operations = [asdict(op) for op in ops.measure(points, args.operations)]
        save("operations", operations)
        print(f"\n{report.operations_table(operations)}", flush=True)

    imported = None
    if not args.no_import:
        from bench import importing

        connection.close()  # the import's own process may take the SQLite write lock
        imported = asdict(
            importing.measure(args.posts, args.seed, args.import_posts, args.database_url)
        )
        save("import", imported)
        print(f"\n{report.import_line(imported, vendor)}", flush=True)

    http: dict[str, Any] | None = None
    if not args.no_http:
        from bench import http as http_bench

        found = http_bench.run(
            points, sqlite_path=sqlite_path, database_url=args.database_url, plan=http_plan(args)
        )
        http = http_bench.as_json(found)
        save("http", http)
        print_http(http)

    return huzhu, baselines, imported, http


def print_postgis(
    huzhu: list[Row], baselines: dict[str, list[Row]], postgis_facts: dict[str, Any]
) -> None:
    if not postgis_facts["ran"]:
        print(f"\nPostGIS baselines NOT RUN: {postgis_facts['why']}", flush=True)
        return
    print()
    print(report.comparison(huzhu, baselines))
    print(
        f"\nPostGIS: {postgis_facts['points']} of the query points, at most "
        f"{postgis_facts['seconds_per_configuration']:g} s per configuration; table and "
        f"indexes {postgis_facts['bytes'] / 1e6:,.1f} MB",
        flush=True,
    )


def print_http(http: dict[str, Any]) -> None:
    print()
    if http["pages"]:
        print(f"{http['server']}:")
        print(wrk.table(http["pages"]))
        for name, pages in http.get("other_servers", {}).items():
            print(f"\n{name}, the same rows on the same copy, after the steps below:")
            print(wrk.table(pages))
    else:
        print(f"wrk rows NOT RUN: {http['pages_skipped']}")
    print()
    print(report.http_table(http))
    print(
        f"worker peak RSS MB: {http['worker_peak_rss_mb']} (own memory at its peak, "
        f"sampled: {http.get('worker_peak_anon_mb')}; at the end, the worker's own: "
        f"{http['worker_anon_rss_mb']}; mapped files, the database's pages among them: "
        f"{http['worker_file_rss_mb']})"
    )
    print(f"database size: {http['database_bytes'] / 1e6:,.1f} MB", flush=True)


def reproduce(argv: list[str]) -> str:
    return " ".join([".venv/bin/python -m bench", *argv])


if __name__ == "__main__":
    sys.exit(main())
