"""The periodic scheduler enqueues each job once per period, however many servers run it."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.tasks import tend_outbox
from huzhu.exchanges.tasks import check_in_needs
from huzhu.insights.tasks import transparency_report
from huzhu.posts.tasks import expire_posts, sink_stale_needs
from huzhu.scheduler import Job, Scheduler, default_jobs, enqueue_if_due
from huzhu.trust.tasks import recompute_levels

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EVERY = timedelta(minutes=5)
JOB = Job(expire_posts, EVERY)


def enqueued() -> int:
    return DBTaskResult.objects.filter(task_path=expire_posts.module_path).count()


@pytest.mark.django_db
def test_it_enqueues_once_per_period_even_when_asked_twice() -> None:
    with time_machine.travel(T0, tick=False):
        assert enqueue_if_due(JOB) is True
        assert enqueue_if_due(JOB) is False  # a second server, the same tick
    with time_machine.travel(T0 + EVERY / 3, tick=False):
        assert enqueue_if_due(JOB) is False
    with time_machine.travel(T0 + EVERY, tick=False):
        assert enqueue_if_due(JOB) is True
    assert enqueued() == 2


@pytest.mark.django_db
def test_it_enqueues_without_deduplication_on_other_backends() -> None:
    immediate = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=immediate):
        assert enqueue_if_due(JOB) is True
        assert enqueue_if_due(JOB) is True
    assert enqueued() == 0


def test_it_expires_posts_every_five_minutes_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUZHU_EXPIRE_EVERY_SECONDS", raising=False)
    assert default_jobs()[0] == Job(expire_posts, timedelta(minutes=5))
    monkeypatch.setenv("HUZHU_EXPIRE_EVERY_SECONDS", "60")
    assert default_jobs()[0].every == timedelta(minutes=1)


def test_it_recomputes_trust_levels_daily_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUZHU_TRUST_EVERY_SECONDS", raising=False)
    assert default_jobs()[2] == Job(recompute_levels, timedelta(days=1))


def test_it_runs_the_check_ins_hourly_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUZHU_CHECKIN_EVERY_SECONDS", raising=False)
    assert default_jobs()[1] == Job(check_in_needs, timedelta(hours=1))
    monkeypatch.setenv("HUZHU_CHECKIN_EVERY_SECONDS", "600")
    assert default_jobs()[1].every == timedelta(minutes=10)


def test_it_checks_for_a_due_transparency_report_daily() -> None:
    assert Job(transparency_report, timedelta(days=1)) in default_jobs()


def test_it_tends_the_outbox_as_often_as_it_expires_posts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUZHU_EXPIRE_EVERY_SECONDS", "60")
    assert Job(tend_outbox, timedelta(minutes=1)) in default_jobs()


@pytest.mark.django_db(transaction=True)
def test_the_thread_runs_jobs_at_start_and_stops_when_told() -> None:
    stop = threading.Event()
    scheduler = Scheduler([Job(expire_posts, timedelta(hours=1))], stop)
    scheduler.start()
    try:
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while enqueued() == 0 and datetime.now(UTC) < deadline:
            stop.wait(0.05)
        assert enqueued() == 1
    finally:
        stop.set()
        scheduler.join(timeout=5)
    assert not scheduler.is_alive()


def test_a_scheduler_without_jobs_just_waits_for_stop() -> None:
    stop = threading.Event()
    scheduler = Scheduler([], stop)
    scheduler.start()
    stop.set()
    scheduler.join(timeout=5)
    assert not scheduler.is_alive()


def test_it_sinks_stale_needs_as_often_as_it_expires_posts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUZHU_EXPIRE_EVERY_SECONDS", "60")
    assert Job(sink_stale_needs, timedelta(minutes=1)) in default_jobs()
