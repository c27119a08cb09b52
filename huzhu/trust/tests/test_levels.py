"""Trust levels: each threshold's boundary, recomputation on events and nightly, demotion
with a warning and a grace period, and what the API and pages show."""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import Api, draft, make_user
from huzhu.exchanges.models import Exchange, NoShow, Notification
from huzhu.exchanges.services import accept_exchange, complete_exchange, respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.criteria import Facts, earned_level
from huzhu.trust.levels import Level
from huzhu.trust.models import TrustState
from huzhu.trust.services import recompute_all, recompute_level
from huzhu.trust.tasks import recompute_levels
from huzhu.trust.tests.helpers import mark_email_verified
from huzhu.trust.tests.reviewing import reviewed_by_a_moderator

MEMBER = Facts(
    verifications=1,
    completed_exchanges=3,
    account_days=7,
    no_shows_90d=1,
    days_since_last_exchange=5,
    good_reviews=1,
)
TRUSTED = replace(
    MEMBER,
    completed_exchanges=15,
    no_shows_90d=0,
    days_since_last_exchange=100,
    reviews_counted=15,
    reviews_positive=14,  # a Wilson lower bound of 70%: just enough
)


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        (replace(MEMBER, verifications=0, completed_exchanges=99), Level.NEW),
        (replace(MEMBER, completed_exchanges=2), Level.VERIFIED),
        (MEMBER, Level.MEMBER),
        (replace(MEMBER, account_days=6), Level.VERIFIED),
        (replace(MEMBER, no_shows_90d=2), Level.VERIFIED),
        (replace(MEMBER, good_reviews=0), Level.VERIFIED),
        (replace(TRUSTED, completed_exchanges=14), Level.MEMBER),
        (TRUSTED, Level.TRUSTED),
        (replace(TRUSTED, days_since_last_exchange=101), Level.MEMBER),
        (replace(TRUSTED, no_shows_90d=1), Level.MEMBER),
        (replace(TRUSTED, reviews_positive=13), Level.MEMBER),  # 62%: not consistently good
        (replace(TRUSTED, reviews_counted=2, reviews_positive=2), Level.MEMBER),  # too few
        (replace(TRUSTED, account_days=6), Level.VERIFIED),  # levels are cumulative
    ],
)
def test_each_threshold_is_met_exactly_at_its_boundary(facts: Facts, level: Level) -> None:
    assert earned_level(facts) == level


def test_thresholds_come_from_settings(settings: object) -> None:
    settings.HUZHU_TRUST_THRESHOLDS = {  # type: ignore[attr-defined]
        **settings.HUZHU_TRUST_THRESHOLDS,  # type: ignore[attr-defined]
        "tl2_completed_exchanges": 4,
    }
    assert earned_level(MEMBER) == Level.VERIFIED
    assert earned_level(replace(MEMBER, completed_exchanges=4)) == Level.MEMBER


def _complete_one(giver: User, receiver: User) -> Exchange:
    need = create_post(owner=receiver, draft=draft(quantity=1))
    exchange = respond_to_post(post=need, responder=giver, quantity=1, message="")
    accept_exchange(exchange=exchange, actor=receiver)
    return complete_exchange(exchange=exchange, actor=receiver, handover_happened=True)


def test_completing_exchanges_lifts_both_people(alice: User, bob: User) -> None:
    joined = timezone.now() - timedelta(days=8)
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(date_joined=joined)
    alice.refresh_from_db()
    bob.refresh_from_db()
    for user in (alice, bob):
        mark_email_verified(user, f"{user.username}@example.org")
        reviewed_by_a_moderator(user)  # TL2's good review; one completed exchange each
    _complete_one(bob, alice)
    assert TrustState.objects.get(user=alice).level == Level.VERIFIED
    _complete_one(bob, alice)
    assert TrustState.objects.get(user=alice).level == Level.MEMBER
    assert TrustState.objects.get(user=bob).level == Level.MEMBER
    assert TrustState.objects.get(user=bob).completed_exchanges == 3


def _past_exchanges(receiver: User, count: int, status: str) -> list[Exchange]:
    """Exchanges written directly, without the events that would recompute a level."""
    now = timezone.now()
    need = create_post(owner=receiver, draft=draft(quantity=1))
    return [
        Exchange.objects.create(
            post=need,
            giver=make_user(f"helper-{status}-{n}"),
            receiver=receiver,
            quantity=1,
            status=status,
            created_at=now,
            updated_at=now,
            ended_at=now,
        )
        for n in range(count)
    ]


def test_the_nightly_task_lets_levels_catch_up(alice: User) -> None:
    mark_email_verified(alice, "alice@example.org")
    User.objects.filter(pk=alice.pk).update(date_joined=timezone.now() - timedelta(days=30))
    reviewed_by_a_moderator(alice)
    _past_exchanges(alice, 2, Exchange.Status.COMPLETED)
    assert TrustState.objects.get(user=alice).level == Level.VERIFIED
    recompute_levels.call()  # as the worker runs it
    assert TrustState.objects.get(user=alice).level == Level.MEMBER


def test_staff_are_tl4(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_staff=True)
    alice.refresh_from_db()
    assert recompute_level(user=alice).level == Level.MODERATOR


def test_a_demotion_warns_and_waits_fourteen_days(alice: User, bob: User) -> None:
    now = timezone.now()
    User.objects.filter(pk=alice.pk).update(date_joined=now - timedelta(days=30))
    alice.refresh_from_db()
    mark_email_verified(alice, "alice@example.org", now)
    reviewed_by_a_moderator(alice)
    for _ in range(3):
        _complete_one(alice, bob)
    assert TrustState.objects.get(user=alice).level == Level.MEMBER
    for exchange in _past_exchanges(bob, 2, Exchange.Status.CANCELLED):
        # Two missed hand-overs by alice: over TL2's limit of one in 90 days.
        NoShow.objects.create(exchange=exchange, reported_user=alice, created_at=now)
    state = recompute_level(user=alice, now=now)
    assert state.level == Level.MEMBER
    assert state.pending_level == Level.VERIFIED
    assert state.demote_at == now + timedelta(days=14)
    warning = Notification.objects.get(user=alice, kind="trust_drop")
    assert warning.exchange is None
    trust = Api().as_user(alice).get("/api/v1/me/trust").json()
    assert trust["level"] == 2
    assert trust["demotion"]["to_level"] == 1
    # Still within the grace period: no second warning, no drop.
    with time_machine.travel(now + timedelta(days=13), tick=False):
        assert recompute_level(user=alice).level == Level.MEMBER
    assert Notification.objects.filter(user=alice, kind="trust_drop").count() == 1
    with time_machine.travel(now + timedelta(days=14), tick=False):
        recompute_all()
    state = TrustState.objects.get(user=alice)
    assert (state.level, state.pending_level, state.demote_at) == (Level.VERIFIED, None, None)


def test_recovering_within_the_grace_period_cancels_the_demotion(alice: User, bob: User) -> None:
    now = timezone.now()
    User.objects.filter(pk=alice.pk).update(date_joined=now - timedelta(days=30))
    alice.refresh_from_db()
    mark_email_verified(alice, "alice@example.org", now)
    reviewed_by_a_moderator(alice)
    for _ in range(3):
        _complete_one(alice, bob)
    missed = [
        NoShow.objects.create(exchange=exchange, reported_user=alice, created_at=now)
        for exchange in _past_exchanges(bob, 2, Exchange.Status.CANCELLED)
    ]
    assert recompute_level(user=alice, now=now).pending_level == Level.VERIFIED
    missed[0].delete()  # e.g. a moderator found the report unfounded
    state = recompute_level(user=alice, now=now + timedelta(days=1))
    assert (state.level, state.pending_level, state.demote_at) == (Level.MEMBER, None, None)


def test_the_trust_api_lists_every_criterion_against_its_threshold(api: Api, alice: User) -> None:
    trust = api.as_user(alice).get("/api/v1/me/trust").json()
    assert trust["level"] == 0
    assert trust["verified"] is False
    assert trust["next_level"]["missing"][0]["text"] == (
        "verifications passed (phone, e-mail, document or a vouch) 0 / 1"
    )
    by_code = {c["code"]: c for c in trust["criteria"]}
    assert by_code["good_reviews_tl3"]["text"] == "good reviews, cautiously estimated (%) 0 / 70"
    assert by_code["no_shows"]["comparison"] == "at_most"
    assert by_code["no_shows"]["met"] is True
    assert trust["unlocks"] == {
        "open_needs": 1,
        "open_offers": 1,
        "responses_per_day": 3,
        "links_in_posts": False,
        "report_weight": 1,
        "vouches_per_week": 0,
        "post_on_behalf": False,
        "posts_per_hour": 2,
    }
    assert api.get("/api/v1/me/trust").status_code == 401
