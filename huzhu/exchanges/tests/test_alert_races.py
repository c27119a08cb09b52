"""Alerts and check-ins under concurrency: caps hold and nothing happens twice.

Threads with their own connections race on the real database (SQLite's file or
PostgreSQL), as in test_concurrency.py: fan-outs for one person, the same fan-out run
twice at once, alert creates at the cap, and the check-in sweeps run by several workers.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from huzhu.accounts.models import User
from huzhu.conftest import draft, make_user
from huzhu.exchanges.alerts import AlertDraft, create_alert, notify_matching_alerts
from huzhu.exchanges.checkins import ask_due_checkins, lapse_due_checkins
from huzhu.exchanges.models import Alert, CheckIn, Notification
from huzhu.exchanges.tests.test_concurrency import race
from huzhu.posts.models import Post, PostStatusChange
from huzhu.posts.services import create_post

pytestmark = pytest.mark.django_db(transaction=True)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
IBUPROFEN = AlertDraft(kind="need", item="ibuprofen", lat=39.9042, lng=116.4074, radius_km=5)


def fan_out(post_id: int) -> Callable[[], None]:
    def run() -> None:
        notify_matching_alerts(post_id=post_id, now=T0)

    return run


def test_racing_fan_outs_keep_the_daily_cap(alice: User, bob: User, settings: Any) -> None:
    settings.HUZHU_TL0_OPEN_NEEDS = 100  # many open posts per person; trust/ tests the quotas
    settings.HUZHU_ALERT_NOTIFICATIONS_PER_DAY = 3
    create_alert(owner=bob, draft=IBUPROFEN)
    posts = [create_post(owner=alice, draft=draft()) for _ in range(8)]
    outcomes = race([fan_out(post.pk) for post in posts])
    assert outcomes == {"accepted": 8}
    assert Notification.objects.filter(user=bob, kind="alert").count() == 3


def test_the_same_fan_out_twice_at_once_tells_once(alice: User, bob: User) -> None:
    create_alert(owner=bob, draft=IBUPROFEN)
    post = create_post(owner=alice, draft=draft())
    outcomes = race([fan_out(post.pk) for _ in range(6)])
    assert outcomes == {"accepted": 6}
    assert Notification.objects.filter(user=bob, kind="alert").count() == 1


def test_racing_creates_stop_at_the_alert_cap(bob: User, settings: Any) -> None:
    settings.HUZHU_ALERTS_PER_USER = 3

    def create() -> None:
        create_alert(owner=bob, draft=IBUPROFEN)

    outcomes = race([create for _ in range(8)])
    assert outcomes == {"accepted": 3, "rejected:alert_limit": 5}
    assert Alert.objects.filter(user=bob).count() == 3


def test_racing_sweeps_ask_once_and_lapse_once() -> None:
    with time_machine.travel(T0, tick=False):
        owners = [make_user(f"owner{n}") for n in range(6)]
        needs = [create_post(owner=owner, draft=draft()) for owner in owners]
    ask_at = T0 + timedelta(days=4)
    lapse_at = ask_at + timedelta(days=3)

    def sweep(job: Callable[..., int], now: datetime) -> Callable[[], None]:
        def run() -> None:
            job(now=now)

        return run

    assert race([sweep(ask_due_checkins, ask_at) for _ in range(4)]) == {"accepted": 4}
    assert CheckIn.objects.filter(outcome="pending").count() == len(needs)
    assert Notification.objects.filter(kind="checkin").count() == len(needs)
    assert race([sweep(lapse_due_checkins, lapse_at) for _ in range(4)]) == {"accepted": 4}
    assert set(Post.objects.values_list("status", flat=True)) == {"unknown"}
    changes = PostStatusChange.objects.filter(reason="checkin_unanswered")
    assert changes.count() == len(needs)
    assert CheckIn.objects.filter(outcome="lapsed").count() == len(needs)
