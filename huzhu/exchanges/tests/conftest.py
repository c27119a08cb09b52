"""Exchange fixtures on top of the cast: alice posts, bob responds, charlie is an outsider,
mo is a moderator (staff)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import draft, make_user
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.services import accept_exchange, respond_to_post
from huzhu.posts.models import Post
from huzhu.posts.services import create_post


def make_offer(owner: User, quantity: int = 3, **overrides: Any) -> Post:
    """An offer of ibuprofen (medicine offers carry the pack's expiry date)."""
    values: dict[str, Any] = {
        "kind": "offer",
        "title": "Spare ibuprofen",
        "quantity": quantity,
        "tags": (),
        "expires_at": timezone.now() + timedelta(days=200),
    }
    values.update(overrides)
    return create_post(owner=owner, draft=draft(**values))


@pytest.fixture
def alices_offer(alice: User) -> Post:
    return make_offer(alice)


@pytest.fixture
def bobs_pledge(alices_need: Post, bob: User) -> Exchange:
    """Bob pledges 2 of the 4 tablets alice needs: bob gives, alice receives."""
    return respond_to_post(post=alices_need, responder=bob, quantity=2, message="I have some.")


@pytest.fixture
def accepted(bobs_pledge: Exchange, alice: User) -> Exchange:
    return accept_exchange(exchange=reload(bobs_pledge), actor=alice)


@pytest.fixture
def mo(db: None) -> User:
    User.objects.filter(pk=make_user("mo").pk).update(is_staff=True)
    return User.objects.get(username="mo")


def reload(exchange: Exchange) -> Exchange:
    return Exchange.objects.select_related("post", "giver", "receiver").get(pk=exchange.pk)


def post_of(exchange: Exchange) -> Post:
    return Post.objects.get(pk=exchange.post_id)
