"""Bulk import, timed: the city's posts as an organiser's CSV, imported into an empty
database with `huzhu import FILE.csv --as USER --bulk`, the command an operator runs.

    python -m bench.importing --posts 1000000 [--database-url URL]

The CSV (`data/bench/import-<N>-seed<S>.csv`, written once from the city, reused) has the
organiser import's own columns: kind, title, body, category, item, quantity, unit, tags,
lat, lng, expires_on, precision_m; medicine offers expire a year from the day it is written.
The empty database is a fresh SQLite file or a fresh PostgreSQL database (dropped after),
migrated before the clock starts. The figure is the command's wall-clock time as a
process — Python and Django starting, reading and checking every row, writing, building
indexes, committing — and the command's own count of posts is checked against the file.
"""

import argparse
import csv
import json
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.city import BENCH_DIR

HEADERS = (
    "kind",
    "title",
    "body",
    "category",
    "item",
    "quantity",
    "unit",
    "tags",
    "lat",
    "lng",
    "expires_on",
    "precision_m",
)
IMPORTER = "bench-importer"
TARGET_S = {"sqlite": 10.0, "postgresql": 15.0}


@dataclass
class ImportResult:
    posts: int
    seconds: float  # the command, start to exit
    command_seconds: float  # what the command says the import itself took
    posts_per_second: float
    peak_rss_mb: float
    csv_bytes: int


def write_csv(path: Path, rows_wanted: int) -> int:
    """The first `rows_wanted` posts of the (configured) city as the organiser import's CSV."""
    from django.db import connection

    from huzhu.posts.tags import TAG_CODES, tag_bit

    expires = (datetime.now(UTC) + timedelta(days=365)).date().isoformat()
    bits = [(code, tag_bit(code)) for code in TAG_CODES]
    rows = 0
    partial = path.with_suffix(".partial")
    with partial.open("w", newline="", encoding="utf-8") as out, connection.cursor() as cursor:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        cursor.execute(
            "SELECT p.kind, p.title, p.body, c.code, i.code, p.quantity, p.unit, p.tag_bits, "
            "p.lat, p.lng, p.expires_at IS NOT NULL, p.area_precision_m FROM posts_post p "
            "JOIN posts_category c ON c.id = p.category_id "
            "LEFT JOIN posts_item i ON i.id = p.item_id ORDER BY p.id LIMIT %s",
            [rows_wanted],
        )
        while chunk := cursor.fetchmany(20_000):
            for (
                kind,
                title,
                body,
                category,
                item,
                qty,
                unit,
                tag_bits,
                lat,
                lng,
                dated,
                precision,
            ) in chunk:
                tags = ",".join(code for code, bit in bits if tag_bits & bit)
                writer.writerow(
                    (
                        kind,
                        title,
                        body,
                        category,
                        item or "",
                        qty,
                        unit,
                        tags,
                        repr(lat),
                        repr(lng),
                        expires if dated else "",
                        precision,
                    )
                )
            rows += len(chunk)
    partial.rename(path)
    return rows


def ensure_csv(city_posts: int, seed: int, rows: int) -> Path:
    """The CSV of the city's first `rows` posts, written once and reused."""
    path = BENCH_DIR / f"import-{rows}-of-{city_posts}-seed{seed}.csv"
    if not path.exists():
        print(f"Writing {path} from the city …", flush=True)
        write_csv(path, rows)
    return path


def run(csv_path: Path, database_url: str | None) -> ImportResult:
    """Import `csv_path` into a new, migrated, empty database; time the command."""
    import psycopg
    from psycopg import sql

    from bench.http import with_database
    from huzhu.tests.processes import PYTHON, child_env

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="import-", dir=BENCH_DIR)).resolve()
    env = child_env(workdir / "data", DJANGO_SUPERUSER_PASSWORD=secrets.token_urlsafe(12))
    (workdir / "data").mkdir()
    scratch = None
    if database_url:
        scratch = f"huzhu_bench_import_{secrets.token_hex(4)}"
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        env["DATABASE_URL"] = with_database(database_url, scratch)

    def huzhu(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PYTHON, "-m", "huzhu.cli", *args],
            env=env,
            cwd=workdir,
            capture_output=True,
            text=True,
            check=True,
        )

    try:
        huzhu("migrate", "--no-input")
        huzhu("createsuperuser", "--no-input", "--username", IMPORTER, "--email", "ops@example.org")
        command = [
            PYTHON,
            "-m",
            "huzhu.cli",
            "import",
            str(csv_path.resolve()),
            "--as",
            IMPORTER,
            "--bulk",
        ]
        timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
        started = time.perf_counter()
        done = subprocess.run(
            timer + command, env=env, cwd=workdir, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
        if done.returncode:
            raise RuntimeError(f"the import failed:\n{done.stdout}\n{done.stderr[-2000:]}")
        found = re.search(r"Imported (\d+) posts in ([\d.]+) s", done.stdout)
        assert found, done.stdout
        peak_kb = done.stderr.strip().splitlines()[-1] if timer else "0"
    finally:
        if scratch and database_url:
            with psycopg.connect(database_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(scratch)
                    )
                )
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    posts = int(found.group(1))
    return ImportResult(
        posts=posts,
        seconds=round(seconds, 2),
        command_seconds=float(found.group(2)),
        posts_per_second=round(posts / seconds, 1),
        peak_rss_mb=round(int(peak_kb) / 1024, 1) if peak_kb.isdigit() else 0.0,
        csv_bytes=csv_path.stat().st_size,
    )


def measure(city_posts: int, seed: int, rows: int, database_url: str | None) -> ImportResult:
    """The CSV of the configured city's first `rows` posts (written once), imported once."""
    rows = min(rows, city_posts)
    result = run(ensure_csv(city_posts, seed, rows), database_url)
    if result.posts != rows:
        raise RuntimeError(f"the import wrote {result.posts} posts of {rows}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000, help="the city's size")
    parser.add_argument("--rows", type=int, default=1_000_000, help="posts to import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite")
    args = parser.parse_args(argv)
    from bench.city import configure, ensure_city

    sqlite_path = configure(args.posts, args.seed, args.database_url)
    import django

    django.setup()
    ensure_city(args.posts, args.seed, args.database_url, sqlite_path)
    from django.db import connection

    vendor = connection.vendor
    connection.close()
    result = measure(args.posts, args.seed, args.rows, args.database_url)
    print(json.dumps({"database": vendor, **asdict(result)}, indent=2))
    limit = TARGET_S[vendor]
    verdict = "met" if result.seconds <= limit else f"MISSED by {result.seconds / limit:.2f}x"
    print(
        f"import of {result.posts:,} posts: {result.seconds:.1f} s (target {limit:g} s): {verdict}"
    )
    given = sys.argv[1:] if argv is None else argv
    print(f"reproduce: .venv/bin/python -m bench.importing {' '.join(given)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
