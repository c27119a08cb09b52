"""The benchmark's city: a demo city of N posts, built once per (N, seed) and reused.

SQLite cities live in data/bench/ next to a marker written only when the build finished,
so an interrupted build is redone rather than measured. A PostgreSQL city is built into
the database named by --database-url, which must not hold other posts.
"""

import hashlib
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

BENCH_DIR = Path("data") / "bench"
# Every city is generated as of this moment and searched as of a minute later, so that a
# city built months ago answers exactly like a fresh one.
ANCHOR = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
USERS_PER_POST = 1 / 25


@dataclass(frozen=True)
class City:
    """The listed posts as numpy columns, for brute force and for choosing query points.
    `lat` and `lng` are the public points search measures, not the exact points."""

    ids: npt.NDArray[np.int64]
    ranks: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lng: npt.NDArray[np.float64]
    tag_bits: npt.NDArray[np.int64]
    kinds: npt.NDArray[np.str_]


def configure(posts: int, seed: int, database_url: str | None) -> Path | None:
    """Point Django at the benchmark database (before django.setup()); the SQLite path."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "huzhu.settings"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["HUZHU_DATA_DIR"] = str(BENCH_DIR)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        return None
    os.environ.pop("DATABASE_URL", None)
    name = f"city-{posts}-seed{seed}.sqlite3"
    os.environ["HUZHU_SQLITE_NAME"] = name
    return BENCH_DIR / name


def generator_fingerprint() -> str:
    """Changes whenever the demo generator does, so a stale city is rebuilt."""
    demo = Path(__file__).resolve().parent.parent / "huzhu" / "demo"
    sources = (demo / "city.py", demo / "shape.py")
    return hashlib.sha256(b"".join(source.read_bytes() for source in sources)).hexdigest()[:16]


def _marker_path(posts: int, seed: int, database_url: str | None) -> Path:
    where = hashlib.sha256((database_url or "sqlite").encode()).hexdigest()[:8]
    return BENCH_DIR / f"city-{posts}-seed{seed}-{where}.json"


def ensure_city(
    posts: int, seed: int, database_url: str | None, sqlite_path: Path | None
) -> dict[str, Any]:
    """Build the city unless an identical one is there; returns its marker."""
    from django.core.management import call_command

    from huzhu.demo.city import generate_city
    from huzhu.posts.models import Post
    from huzhu.progress import Progress

    marker_path = _marker_path(posts, seed, database_url)
    wanted = {"posts": posts, "seed": seed, "generator": generator_fingerprint()}
    if marker_path.exists():
        marker: dict[str, Any] = json.loads(marker_path.read_text())
        if {k: marker.get(k) for k in wanted} == wanted and Post.objects.count() == posts:
            return marker
    if sqlite_path is not None and sqlite_path.exists():
        from django.db import connection

        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    if Post.objects.exists():
        raise SystemExit(
            "The database holds posts that are not this benchmark's city; "
            "point --database-url at an empty database."
        )
    print(f"Building a city of {posts:,} posts (seed {seed}); it is reused afterwards.")
    started = time.monotonic()
    bar = Progress(posts, "demo city")
    summary = generate_city(
        posts=posts,
        users=max(3, int(posts * USERS_PER_POST)),
        seed=seed,
        now=ANCHOR,
        progress=bar.advance,
    )
    bar.close()
    marker = {**wanted, "built_in_s": round(time.monotonic() - started, 1)}
    marker["history_rows"] = summary.history_rows
    marker_path.write_text(json.dumps(marker, indent=2))
    return marker


def load_city() -> City:
    """The posts a search at ANCHOR may list, as columns."""
    from django.db import connection

    from huzhu.posts.models import Post

    now = connection.ops.adapt_datetimefield_value(search_time())
    with connection.cursor() as cursor:
        cursor.execute(
            # Public points: what search measures (posts/public_point.py), never the exact.
            f"SELECT id, rank, public_lat, public_lng, tag_bits, kind FROM {Post._meta.db_table} "
            "WHERE rank IS NOT NULL AND closes_at > %s",
            [now],
        )
        rows = cursor.fetchall()
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 6
    return City(
        ids=np.array(columns[0], dtype=np.int64),
        ranks=np.array(columns[1], dtype=np.int64),
        lat=np.array(columns[2], dtype=np.float64),
        lng=np.array(columns[3], dtype=np.float64),
        tag_bits=np.array(columns[4], dtype=np.int64),
        kinds=np.array(columns[5], dtype=np.str_),
    )


def search_time() -> datetime:
    from datetime import timedelta

    return ANCHOR + timedelta(minutes=1)
