"""The exchange state machine, enforced in one place, and the post following its exchanges."""

import pytest
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Forbidden
from huzhu.exchanges.disputes import Outcome, open_dispute, settle_dispute
from huzhu.exchanges.lifecycle import ALLOWED, ENDED, LIVE
from huzhu.exchanges.models import Exchange, Notification
from huzhu.exchanges.services import (
    accept_exchange,
    cancel_exchange,
    complete_exchange,
    mark_handed_over,
    respond_to_post,
    transition_exchange,
)
from huzhu.exchanges.tests.conftest import post_of, reload
from huzhu.posts.models import Post
from huzhu.posts.services import transition_post

STATUSES = list(Exchange.Status.values)


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
def test_only_the_lifecycle_table_moves_an_exchange(
    bobs_pledge: Exchange, bob: User, from_status: str, to_status: str
) -> None:
    Exchange.objects.filter(pk=bobs_pledge.pk).update(status=from_status)
    exchange = reload(bobs_pledge)
    now = timezone.now()
    if to_status in ALLOWED[from_status]:
        moved = transition_exchange(
            exchange=exchange, to_status=to_status, actor=bob, reason="test", now=now
        )
        assert moved.status == reload(bobs_pledge).status == to_status
        last = exchange.history.order_by("id").last()
        assert last is not None
        assert (last.from_status, last.to_status) == (from_status, to_status)
    else:
        with pytest.raises(Conflict):
            transition_exchange(
                exchange=exchange, to_status=to_status, actor=bob, reason="test", now=now
            )
        assert reload(bobs_pledge).status == from_status
        assert exchange.history.count() == 1


def test_ended_statuses_are_final_and_live_ones_are_not() -> None:
    assert all(ALLOWED[status] == frozenset() for status in ENDED)
    assert all(ALLOWED[status] for status in LIVE)


def test_a_stale_read_loses_to_the_change_that_won(bobs_pledge: Exchange, alice: User) -> None:
    stale = reload(bobs_pledge)
    accept_exchange(exchange=reload(bobs_pledge), actor=alice)
    with pytest.raises(Conflict) as caught:
        cancel_exchange(exchange=stale, actor=alice, reason="changed my mind")
    assert caught.value.code == "stale"
    assert reload(bobs_pledge).status == "accepted"
    assert post_of(bobs_pledge).quantity_reserved == 2  # nothing released by the loser


def test_roles_are_checked_before_states(bobs_pledge: Exchange, bob: User) -> None:
    with pytest.raises(Forbidden):
        accept_exchange(exchange=bobs_pledge, actor=bob)
    with pytest.raises(Forbidden):
        complete_exchange(exchange=bobs_pledge, actor=bob, handover_happened=True)


def test_an_unknown_post_stays_unknown_when_nothing_is_reserved(
    alices_need: Post, bobs_pledge: Exchange, alice: User
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    transition_post(post_id=alices_need.pk, to_status="unknown", actor=None, reason="check-in")
    cancel_exchange(exchange=reload(bobs_pledge), actor=alice, reason="no longer needed")
    assert post_of(bobs_pledge).status == "unknown"


def test_a_post_closed_by_its_owner_keeps_its_status(
    alices_need: Post, bobs_pledge: Exchange, alice: User
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    transition_post(post_id=alices_need.pk, to_status="withdrawn", actor=alice, reason="owner")
    complete_exchange(exchange=reload(bobs_pledge), actor=alice, handover_happened=True)
    assert post_of(bobs_pledge).status == "withdrawn"


def test_accepting_on_a_closed_post_is_a_conflict(
    alices_need: Post, bobs_pledge: Exchange, alice: User
) -> None:
    transition_post(post_id=alices_need.pk, to_status="expired", actor=None, reason="expired")
    with pytest.raises(Conflict) as caught:
        accept_exchange(exchange=reload(bobs_pledge), actor=alice)
    assert caught.value.code == "not_listed"


def test_a_completed_exchange_keeps_its_units_promised(
    alices_need: Post, alice: User, bob: User, charlie: User
) -> None:
    bobs = respond_to_post(post=alices_need, responder=bob, quantity=3, message="")
    accept_exchange(exchange=bobs, actor=alice)
    complete_exchange(exchange=reload(bobs), actor=alice, handover_happened=True)
    post = post_of(bobs)
    assert (post.status, post.quantity_reserved) == ("pledged", 3)
    with pytest.raises(Conflict):
        respond_to_post(post=post, responder=charlie, quantity=2, message="")


# Settled as completed, the 2 units stay handed over; cancelled, they go back to the post.
SETTLED = {"completed": ("completed", 2, "pledged"), "cancelled": ("cancelled", 0, "open")}


@pytest.mark.parametrize("outcome", ["completed", "cancelled"])
def test_a_dispute_holds_the_quantity_until_it_is_settled(
    accepted: Exchange, bob: User, mo: User, outcome: Outcome
) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="It never arrived.")
    post = post_of(accepted)
    assert (post.status, post.quantity_reserved) == ("pledged", 2)
    settle_dispute(exchange=reload(accepted), moderator=mo, outcome=outcome, reason="Checked.")
    post = post_of(accepted)
    assert (reload(accepted).status, post.quantity_reserved, post.status) == SETTLED[outcome]


def test_a_dispute_and_a_completion_racing_cannot_both_win(
    accepted: Exchange, alice: User, bob: User
) -> None:
    stale = reload(accepted)
    complete_exchange(exchange=reload(accepted), actor=alice, handover_happened=True)
    with pytest.raises(Conflict) as caught:
        open_dispute(exchange=stale, actor=bob, reason="Too late.")
    assert caught.value.code == "stale"
    assert reload(accepted).status == "completed"


def test_two_settlements_racing_settle_once(accepted: Exchange, bob: User, mo: User) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="It never arrived.")
    stale = reload(accepted)
    settle_dispute(exchange=reload(accepted), moderator=mo, outcome="cancelled", reason="No.")
    with pytest.raises(Conflict) as caught:
        settle_dispute(exchange=stale, moderator=mo, outcome="completed", reason="Yes.")
    assert caught.value.code == "stale"
    assert post_of(accepted).quantity_reserved == 0


def test_a_double_tap_on_handed_over_notifies_once(accepted: Exchange, bob: User) -> None:
    first, second = reload(accepted), reload(accepted)  # two requests read it before either wrote
    mark_handed_over(exchange=first, actor=bob, handover_happened=True)
    mark_handed_over(exchange=second, actor=bob, handover_happened=True)
    assert Notification.objects.filter(kind="handed_over").count() == 1
    assert reload(accepted).handed_over_at == first.handed_over_at


def test_a_cancelled_exchange_cannot_be_stamped_handed_over(
    accepted: Exchange, alice: User, bob: User
) -> None:
    stale = reload(accepted)
    cancel_exchange(exchange=reload(accepted), actor=alice, reason="Plans changed.")
    with pytest.raises(Conflict) as caught:
        mark_handed_over(exchange=stale, actor=bob, handover_happened=True)
    assert caught.value.code == "stale"
    assert reload(accepted).handed_over_at is None
    assert not Notification.objects.filter(kind="handed_over").exists()
