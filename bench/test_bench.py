"""`python -m bench` end to end on a tiny city, so that the benchmark keeps working.

The benchmark runs in a child process in a temporary directory (its city, server copy
and results land there) on the lane's database: a SQLite city file, or on the PostgreSQL
lane a scratch database, with the PostGIS baselines in a second one. Loads are small and
bounded; only the shape and the correctness of the answers are checked, not speed.
"""

import json
import os
import secrets
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from bench.http import with_database
from bench.load import Client
from bench.report import Target, target_table
from huzhu.tests.processes import PYTHON, child_env

REPO = Path(__file__).resolve().parent.parent
POSTS = 2000
CREATES = 40


@pytest.fixture
def city_url() -> Iterator[str | None]:
    """None on the SQLite lane; on the PostgreSQL lane a scratch database, dropped after."""
    if connection.vendor != "postgresql":
        yield None
        return
    server = os.environ["DATABASE_URL"]
    name = f"huzhu_bench_test_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield with_database(server, name)
        finally:
            for scratch in (name, f"{name}_postgis"):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(scratch)
                    )
                )


def run_bench(workdir: Path, city_url: str | None) -> tuple[str, dict[str, Any]]:
    args = ["--posts", str(POSTS), "--queries", "10", "--radii", "1", "5"]
    args += ["--http-rates", "10", "20", "--http-seconds", "1.5", "--http-threads", "4"]
    args += ["--http-page-seconds", "1", "--http-mixed-rate", "20"]
    args += ["--http-creates", str(CREATES), "--http-mixed", "200", "--operations", "12"]
    args += ["--results-dir", str(workdir / "results")]
    args += ["--database-url", city_url] if city_url else ["--no-postgis"]
    env = {**child_env(workdir / "data"), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [PYTHON, "-m", "bench", *args],
        cwd=workdir,  # the city goes to ./data/bench: this folder, not the checkout
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    (result,) = (workdir / "results").glob("bench-*.json")
    return done.stdout, json.loads(result.read_text())


@pytest.mark.slow
def test_it_measures_search_baselines_writes_import_and_http_load_end_to_end(
    tmp_path: Path, city_url: str | None
) -> None:
    output, result = run_bench(tmp_path, city_url)

    assert "reproduce: .venv/bin/python -m bench --posts 2000" in output
    assert "| target | figure | limit | ratio | verdict |" in output
    rows = result["rows"]
    assert len(rows) == 2 * 2 * 2  # radii × sorts × with and without a tag
    assert all(row["agreement"] == 1 for row in rows), rows
    assert all(row["mean_hits"] > 0 for row in rows)

    operations = result["operations"]
    assert [op["count"] for op in operations] == [12, 12, 12], operations
    assert operations[0]["name"].startswith("create a post")
    imported = result["import"]
    assert imported["posts"] == POSTS and imported["seconds"] > 0, imported
    assert "bulk import (" in output

    http = result["http"]
    pages = {page["label"]: page for page in http["pages"]}  # `make test` installs wrk
    assert next(iter(pages)) == "GET /healthz" and pages["GET /healthz"]["ratio"] == 1, pages
    assert {"GET / anonymous", "GET / signed in", "GET /api/v1/posts/{id}"} <= set(pages)
    assert all(page["requests"] > 0 and not page["non_2xx"] for page in pages.values()), pages
    assert _answered_all(http["mixed_wrk"]), http["mixed_wrk"]  # the mix from wrk
    assert "× /healthz" in output
    first = http["search_steps"][0]
    assert first["sent"] == 15, first
    assert first["statuses"] == {"200": 15}, first
    assert http["creates"]["statuses"] == {"201": CREATES}, http["creates"]
    mixed = http["mixed"]
    assert mixed["failures"] == 0, mixed
    assert mixed["sent"] == 200, mixed
    assert mixed["create"]["count"] == 2 and mixed["status"]["count"] == 2, mixed
    assert mixed["search"]["count"] == 90 and mixed["member"]["count"] == 46, mixed
    assert http["mixed_at_rate"]["rate"] == 20 and http["mixed_at_rate"]["failures"] == 0, http
    assert http["server"] == "granian" and set(http["other_servers"]) == {"gunicorn"}, http
    assert len(http["other_servers"]["gunicorn"]) == len(pages), http
    assert len(http["worker_peak_rss_mb"]) == 2, http
    assert all(50 < peak < 2000 for peak in http["worker_peak_rss_mb"]), http
    assert http["database_bytes"] > 0
    assert _posts_in_city(tmp_path, city_url) == POSTS, "the load must run on a copy"
    named = {target["what"] for target in result["targets"]}
    assert {
        "HTTP posts created/s",
        "peak own memory per web server worker (no SQLite map)",
    } <= named
    assert all(20 < peak < 2000 for peak in http["worker_peak_anon_mb"]), http

    if city_url is None:
        assert result["postgis"] == {
            "ran": False,
            "why": "no PostgreSQL given (--postgis URL)",
            "rows": {},
        }
        assert "PostGIS baselines NOT RUN" in output
        return
    postgis = result["postgis"]
    if not postgis["ran"]:
        pytest.fail(f"The PostGIS baselines did not run: {postgis['why']}")
    dwithin, knn = postgis["rows"]["dwithin"], postgis["rows"]["knn"]
    assert len(dwithin) == len(knn) == len(rows)
    assert all(row["agreement"] == 1 for row in dwithin), dwithin
    # KNN per urgency level is exact for distance; for urgency it answers another question.
    assert all(row["agreement"] == 1 for row in knn if row["sort"] == "distance"), knn
    assert any("PostGIS ST_DWithin" in name for name in named)


def _posts_in_city(workdir: Path, city_url: str | None) -> int:
    if city_url:
        with psycopg.connect(city_url) as city:
            row = city.execute("SELECT count(*) FROM posts_post").fetchone()
    else:
        path = workdir / "data" / "bench" / f"city-{POSTS}-seed1.sqlite3"
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = reader.execute("SELECT count(*) FROM posts_post").fetchone()
        finally:
            reader.close()
    assert row is not None
    return int(row[0])


def test_the_load_generator_only_targets_loopback() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        Client("http://192.0.2.1:8000")
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        Client("http://localhost:8000")


def test_targets_say_met_or_missed_with_the_ratio() -> None:
    fast = Target("searches/s", 1800, 1500, at_most=False, unit="/s")
    heavy = Target("RSS", 450, 300, at_most=True, unit="MB")
    assert fast.met
    assert not heavy.met
    assert heavy.as_json()["ratio"] == 1.5
    table = target_table([fast, heavy])
    assert "| searches/s | 1,800.00 /s | ≥ 1,500 /s | 1.2 | met |" in table
    assert "| RSS | 450.00 MB | ≤ 300 MB | 1.5 | MISSED |" in table


def _answered_all(run: dict[str, Any]) -> bool:
    """A wrk run sent requests and every one had a 2xx answer."""
    return bool(run["requests"] > 0 and not run["non_2xx"] and not run["socket_errors"])
