"""Reputation: the Wilson lower bound, shown only from three counting, revealed reviews, on
the trust page, in GET /api/v1/me/trust and in the badges of posts."""

import math

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api, draft, make_user
from huzhu.posts.services import create_post
from huzhu.trust.reputation import wilson_lower_bound
from huzhu.trust.tests.reviewing import completed, review_each_other


@pytest.mark.parametrize(
    ("positive", "total", "bound"),
    [
        (0, 0, 0.0),
        (0, 5, 0.0),
        (1, 1, 0.2065),
        (3, 3, 0.4385),
        (5, 10, 0.2366),
        (9, 10, 0.5958),
        (30, 30, 0.8865),
        (95, 100, 0.8882),
    ],
)
def test_wilson_lower_bound_values(positive: int, total: int, bound: float) -> None:
    assert math.isclose(wilson_lower_bound(positive, total), bound, abs_tol=5e-5)


def test_more_evidence_raises_the_bound_at_the_same_share() -> None:
    bounds = [wilson_lower_bound(4 * n, 5 * n) for n in (1, 2, 10, 100)]
    assert bounds == sorted(bounds)
    assert bounds[-1] < 0.8


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="between"):
        wilson_lower_bound(3, 2)


def _seed(name: str) -> User:
    """A moderator: a seed of standing, so their reviews weigh fully on the badge."""
    user = make_user(name)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return user


def test_reputation_shows_only_from_three_counting_reviews(api: Api, alice: User) -> None:
    helpers = [_seed(f"helper{n}") for n in range(3)]
    for helper in helpers[:2]:
        review_each_other(completed(helper, alice), giver_score=5, receiver_score=5)
    trust = api.as_user(alice).get("/api/v1/me/trust").json()
    assert trust["reputation"] == {
        "reviews_counted": 2,
        "reviews_positive": 2,
        "enough_reviews": False,
        "positive_lower_bound": None,
    }
    review_each_other(completed(helpers[2], alice), giver_score=2, receiver_score=5)
    trust = api.as_user(alice).get("/api/v1/me/trust").json()
    assert trust["reputation"]["reviews_counted"] == 3
    assert trust["reputation"]["reviews_positive"] == 2
    assert trust["reputation"]["positive_lower_bound"] == round(wilson_lower_bound(2, 3), 3)


def test_badges_and_the_trust_page_show_reputation(client: Client, alice: User, bob: User) -> None:
    need = create_post(owner=alice, draft=draft())
    page = client.get(f"/posts/{need.pk}").content.decode()
    assert "not enough reviews yet" in page
    assert Api().get(f"/api/v1/posts/{need.pk}").json()["owner_badge"]["enough_reviews"] is False
    for n in range(3):
        review_each_other(completed(_seed(f"giver{n}"), bob))
    bobs_need = create_post(owner=bob, draft=draft(quantity=1))
    badge = Api().get(f"/api/v1/posts/{bobs_need.pk}").json()["owner_badge"]
    assert (badge["reviews_counted"], badge["positive_lower_bound"]) == (3, 0.439)
    assert "3 reviews, at least 44% good" in client.get(f"/posts/{bobs_need.pk}").content.decode()
    assert "3 reviews, at least 44% good" in client.get("/").content.decode()
    client.force_login(bob)
    page = client.get("/me/trust").content.decode()
    assert "3 of 3 reviews good: at least 44% good, a cautious estimate" in page
    assert "good reviews from members in good standing 3 / 1" in page


def test_a_review_not_yet_revealed_does_not_move_the_badge(alice: User, bob: User) -> None:
    from huzhu.trust.reviews import write_review

    for n in range(3):
        exchange = completed(make_user(f"g{n}"), bob)
        write_review(exchange=exchange, reviewer=exchange.receiver, score=5)
    trust = Api().as_user(bob).get("/api/v1/me/trust").json()
    assert trust["reputation"]["reviews_counted"] == 0
