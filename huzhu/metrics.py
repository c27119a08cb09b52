"""`GET /metrics` for operators: Prometheus's text format, off unless configured.

Off (404, and no middleware at all) unless `HUZHU_METRICS_TOKEN` is set; then only a
request carrying `Authorization: Bearer <that token>` gets an answer, everyone else the
same 404 as when it is off, so the page's existence says nothing. Labels are route
patterns (`api/v1/posts/<int:post_id>`), never paths, query strings or people.

Under `huzhu serve` each gunicorn worker writes its counters to files in
`PROMETHEUS_MULTIPROC_DIR` (set by serve, emptied at each start), and a scrape adds the
workers up; in a single process (tests, `runserver`) the default registry serves.
The task queue's depth and age, and the last day's deliveries by outcome, are read from
the database at scrape time; shared anonymous answers' hits and misses are counted as
they happen (huzhu/public_cache.py).
"""

import hmac
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from huzhu.accounts.models import Delivery

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "huzhu_http_requests",
    "HTTP requests answered, by route pattern, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "huzhu_http_request_seconds",
    "Time to answer, by route pattern.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


class TaskQueueCollector(Collector):
    """The background queue as the database holds it, read when Prometheus asks."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        states = GaugeMetricFamily(
            "huzhu_tasks", "Background tasks by state (failed: in the last day).", labels=["state"]
        )
        day_ago = timezone.now() - timedelta(days=1)
        states.add_metric(["ready"], DBTaskResult.objects.ready().count())
        states.add_metric(["running"], DBTaskResult.objects.running().count())
        states.add_metric(
            ["failed"], DBTaskResult.objects.failed().filter(finished_at__gte=day_ago).count()
        )
        yield states
        oldest = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "huzhu_task_queue_oldest_seconds", "Age of the oldest task waiting to run.", age
        )


class DeliveryCollector(Collector):
    """SMS and e-mail handed to the gateways in the last day, by channel and outcome: a rising
    `failed` is a gateway refusing (its codes are in the admin, Accounts › Deliveries)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        day_ago = timezone.now() - timedelta(days=1)
        family = GaugeMetricFamily(
            "huzhu_deliveries",
            "Deliveries created in the last day, by channel and status (failed: gave up).",
            labels=["channel", "status"],
        )
        rows = (
            Delivery.objects.filter(created_at__gte=day_ago)
            .values_list("channel", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for channel, status, count in rows:
            family.add_metric([channel, status], count)
        yield family


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    body = generate_latest(registry) + generate_latest(_queue_registry())
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def _queue_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(TaskQueueCollector())
    registry.register(DeliveryCollector())
    return registry


class MetricsMiddleware:
    """Counts and times every answer; installed only when metrics are on (settings)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        route = match.route if match is not None else "unmatched"
        REQUESTS.labels(route, request.method or "", str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response
