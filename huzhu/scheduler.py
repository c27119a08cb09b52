"""A small periodic scheduler: it only enqueues recurring tasks; the worker runs them.

`huzhu serve` runs it as a thread. When several app servers each run `huzhu serve`, every
one of them schedules, so `enqueue_if_due` skips a task that some server enqueued less than
half a period ago. The check and the insert share one transaction holding a lock (SQLite's
IMMEDIATE write lock; on PostgreSQL a transaction-scoped advisory lock), so two servers
cannot both enqueue the same tick. Extra servers may also start with `serve --no-scheduler`.
"""

import logging
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.tasks import tend_outbox
from huzhu.env import envint
from huzhu.exchanges.tasks import check_in_needs
from huzhu.insights.tasks import refresh_stats, transparency_report
from huzhu.posts.tasks import expire_posts, sink_stale_needs
from huzhu.trust.tasks import recompute_levels

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    task: Task[[], Any]
    every: timedelta


def default_jobs() -> list[Job]:
    every = timedelta(seconds=envint("HUZHU_EXPIRE_EVERY_SECONDS", 300))
    # Check-ins count in days; an hourly sweep is precise enough and costs one query.
    checkins = timedelta(seconds=envint("HUZHU_CHECKIN_EVERY_SECONDS", 3600))
    nightly = timedelta(seconds=envint("HUZHU_TRUST_EVERY_SECONDS", 24 * 3600))
    return [
        Job(expire_posts, every),
        Job(check_in_needs, checkins),
        Job(recompute_levels, nightly),
        # The task itself does nothing once the last complete period has its report.
        Job(transparency_report, timedelta(days=1)),
        # Blanks expired codes out of the development outbox and deletes day-old messages.
        Job(tend_outbox, every),
        # The public statistics: computed here, so that no visitor waits for them.
        Job(refresh_stats, timedelta(seconds=settings.HUZHU_STATS_CACHE_SECONDS)),
        # Needs past their waiting cap sink below fresh ones (posts/ranking.py).
        Job(sink_stale_needs, every),
    ]


def _lock(task_path: str) -> None:
    # SQLite needs nothing: atomic() opened the transaction with BEGIN IMMEDIATE.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(task_path.encode())])


def enqueue_if_due(job: Job, *, now: datetime | None = None) -> bool:
    """Enqueue the job's task unless it was enqueued within the last half period."""
    if not isinstance(job.task.get_backend(), DatabaseBackend):
        job.task.enqueue()  # nothing shared to deduplicate against (e.g. the test backend)
        return True
    now = now or timezone.now()
    with transaction.atomic():
        _lock(job.task.module_path)
        recent = DBTaskResult.objects.filter(
            task_path=job.task.module_path, enqueued_at__gt=now - job.every / 2
        )
        if recent.exists():
            return False
        job.task.enqueue()
        return True


class Scheduler(threading.Thread):
    """Runs every job once at start, then once per its period, until `stop` is set."""

    def __init__(self, jobs: list[Job], stop: threading.Event) -> None:
        super().__init__(name="huzhu-scheduler", daemon=True)
        self.jobs = jobs
        self.stop = stop

    def run(self) -> None:
        next_at = dict.fromkeys(range(len(self.jobs)), time.monotonic())
        while not self.stop.is_set():
            for index, job in enumerate(self.jobs):
                if next_at[index] <= time.monotonic():
                    self._run_one(job)
                    next_at[index] = time.monotonic() + job.every.total_seconds()
            connections.close_all()  # hold no connection while sleeping
            soonest = min(next_at.values(), default=None)
            self.stop.wait(None if soonest is None else max(0.0, soonest - time.monotonic()))

    def _run_one(self, job: Job) -> None:
        try:
            if enqueue_if_due(job):
                logger.info("scheduled %s", job.task.name)
        except Exception:
            # A database hiccup must not kill the server; the next period tries again.
            logger.exception("could not schedule %s", job.task.name)
