"""`/metrics`: the operators' figures, for the operators only."""

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.tasks import tend_outbox
from huzhu.tests.serving import Server, call, scratch_database

TOKEN = "a-long-random-scrape-token-0123456789"
METRICS_MIDDLEWARE = "huzhu.metrics.MetricsMiddleware"


@pytest.fixture
def metrics_on(settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:2], METRICS_MIDDLEWARE, *settings.MIDDLEWARE[2:]]


def scrape(client: Client, token: str = TOKEN) -> tuple[int, str]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_it_does_not_exist_unless_configured(client: Client, settings: Any) -> None:
    assert settings.METRICS_TOKEN == ""
    assert METRICS_MIDDLEWARE not in settings.MIDDLEWARE  # costs nothing when off
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "")[0] == 404  # an empty token matches nothing


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
def test_without_the_token_it_looks_exactly_as_if_it_were_off(client: Client) -> None:
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "wrong")[0] == 404
    assert scrape(client, TOKEN[:-1])[0] == 404
    basic = client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 404


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
def test_it_counts_route_patterns_never_paths_or_queries(client: Client) -> None:
    client.get("/api/v1/posts?lat=39.9042&lng=116.4074&radius_km=5")
    client.get("/api/v1/posts/987654")
    status, text = scrape(client)
    assert status == 200
    assert re.search(
        r'huzhu_http_requests_total\{method="GET",route="api/v1/posts",status="200"\}', text
    )
    assert 'route="api/v1/posts/<post_id>",status="404"' in text, text[-3000:]
    assert "huzhu_http_request_seconds_bucket" in text
    assert "39.9042" not in text and "987654" not in text


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
def test_it_reports_the_task_queue(client: Client, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tend_outbox.enqueue()
    tend_outbox.enqueue()
    status, text = scrape(client)
    assert status == 200
    assert 'huzhu_tasks{state="ready"} 2.0' in text
    oldest = re.search(r"^huzhu_task_queue_oldest_seconds (\S+)$", text, re.MULTILINE)
    assert oldest and float(oldest.group(1)) >= 0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    with scratch_database(tmp_path, None) as env:
        env.update(HUZHU_METRICS_TOKEN=TOKEN, HUZHU_WEB_WORKERS="2")
        server = Server(["-m", "huzhu.cli", "serve", "--no-scheduler"], env, tmp_path)
        try:
            server.start(timeout=120)
            yield server
        finally:
            server.stop()


@pytest.mark.slow
def test_under_serve_it_adds_up_every_worker(served: Server) -> None:
    for _ in range(40):  # new connections: the server hands them to either worker
        assert call(served.url, "GET", "/healthz").status == 200
    request = urllib.request.Request(  # noqa: S310
        served.url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    counted = re.search(
        r'^huzhu_http_requests_total\{method="GET",route="healthz",status="200"\} (\S+)$',
        text,
        re.MULTILINE,
    )
    assert counted and float(counted.group(1)) == 40, text[:3000]
    workers = set(re.findall(r"pid=\"(\d+)\"", text))
    assert not workers  # summed across workers, not one series per process
    assert len(list((Path(served.env["HUZHU_DATA_DIR"]) / "metrics").glob("*.db"))) >= 2
