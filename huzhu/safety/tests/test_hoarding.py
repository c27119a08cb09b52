"""Per-item caps across needs and responses (issue 15: a member responded to two ibuprofen
offers for 17 and 14 tablets against a cap of 4 per need), and the fraud signals that count
responses too."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.errors import Invalid
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.safety.fraud import new_account_asks, scarce_needs
from huzhu.safety.tests.test_posting_rules import veteran

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _posting_checks(settings: Any) -> None:
    settings.HUZHU_POSTING_CHECKS = True
    settings.HUZHU_TL0_OPEN_NEEDS = settings.HUZHU_TL0_OPEN_OFFERS = 100


def ibuprofen_offer(owner: User, quantity: int = 20) -> Post:
    return create_post(
        owner=owner,
        draft=draft(
            kind="offer",
            title=f"Spare ibuprofen from {owner.display_name}",
            item="ibuprofen",
            quantity=quantity,
            expires_at=timezone.now() + timedelta(days=300),
        ),
    )


def ask(post: Post, user: User, quantity: int) -> None:
    respond_to_post(post=post, responder=user, quantity=quantity, message="")


def test_one_response_above_the_cap_is_refused_like_a_need() -> None:
    offer = ibuprofen_offer(veteran("alice"))
    with pytest.raises(Invalid) as refused:
        ask(offer, veteran("bob", 2), 17)
    assert (refused.value.code, refused.value.field) == ("quantity_cap", "quantity")
    assert "at most 4" in str(refused.value)


def test_responses_add_up_against_the_cap() -> None:
    first, second = ibuprofen_offer(veteran("alice")), ibuprofen_offer(veteran("carol"))
    bob = veteran("bob", 2)
    ask(first, bob, 3)
    with pytest.raises(Invalid) as refused:
        ask(second, bob, 2)
    assert refused.value.code == "quantity_cap"
    assert "asked for 3 tablets already" in str(refused.value)
    ask(second, bob, 1)


def test_a_need_and_a_response_add_up() -> None:
    bob = veteran("bob", 2)
    create_post(owner=bob, draft=draft(item="ibuprofen", quantity=3))
    with pytest.raises(Invalid):
        respond_to_post(
            post=ibuprofen_offer(veteran("alice")), responder=bob, quantity=2, message=""
        )
    bob_again = veteran("dave", 2)
    respond_to_post(
        post=ibuprofen_offer(veteran("carol")), responder=bob_again, quantity=4, message=""
    )
    with pytest.raises(Invalid) as refused:
        create_post(owner=bob_again, draft=draft(item="ibuprofen", quantity=1))
    assert (refused.value.code, refused.value.field) == ("quantity_cap", "quantity")


def test_the_window_passes_and_declined_asks_do_not_count(settings: Any) -> None:
    bob = veteran("bob", 2)
    ask(ibuprofen_offer(veteran("alice")), bob, 4)
    with time_machine.travel(
        timezone.now() + timedelta(days=settings.HUZHU_ITEM_CAP_DAYS, hours=1)
    ):
        respond_to_post(
            post=ibuprofen_offer(veteran("carol")), responder=bob, quantity=4, message=""
        )


def test_pledging_to_a_need_is_giving_not_asking() -> None:
    need = create_post(owner=veteran("alice"), draft=draft(item="ibuprofen", quantity=4))
    bob = veteran("bob", 2)
    create_post(owner=bob, draft=draft(item="ibuprofen", quantity=4))
    ask(need, bob, 4)


def test_items_without_a_cap_are_not_limited() -> None:
    masks = create_post(
        owner=veteran("alice"),
        draft=draft(kind="offer", title="Masks", category="supplies", item="口罩", quantity=500),
    )
    ask(masks, veteran("bob", 2), 200)


def test_fraud_signals_count_responses(settings: Any) -> None:
    settings.HUZHU_FRAUD_SIGNALS = {**settings.HUZHU_FRAUD_SIGNALS, "scarce_needs": 3}
    bob = veteran("bob", 2)
    for owner in ("alice", "carol", "erin"):
        ask(ibuprofen_offer(veteran(owner)), bob, 1)
    signals = [s for s in scarce_needs(timezone.now()) if s.user_id == bob.pk]
    assert len(signals) == 1
    assert "3 responses" in signals[0].evidence


def test_new_account_asks_count_responses(settings: Any) -> None:
    settings.HUZHU_FRAUD_SIGNALS = {**settings.HUZHU_FRAUD_SIGNALS, "new_account_quantity": 10}
    settings.HUZHU_POSTING_CHECKS = False  # a lot of one uncapped item, as a hoarder would
    newcomer = veteran("frank", 2)
    User.objects.filter(pk=newcomer.pk).update(date_joined=timezone.now() - timedelta(days=1))
    masks = create_post(
        owner=veteran("alice"),
        draft=draft(kind="offer", title="Masks", category="supplies", item="口罩", quantity=500),
    )
    ask(masks, newcomer, 12)
    assert [s.user_id for s in new_account_asks(timezone.now())] == [newcomer.pk]
