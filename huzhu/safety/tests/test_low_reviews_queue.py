"""The low-reviews queue in the console: shown with context, handled with a reason (audited),
staff only."""

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.safety.models import AuditEntry
from huzhu.safety.tests.helpers import moderator
from huzhu.trust.models import Review
from huzhu.trust.tests.reviewing import completed

EN = {"Accept-Language": "en"}


@pytest.fixture
def low_review(alice: User, bob: User) -> Review:
    exchange = completed(bob, alice)
    path = f"/api/v1/exchanges/{exchange.pk}/review"
    assert Api().as_user(alice).post(path, {"score": 1, "comment": "Never came"}).status_code == 201
    return Review.objects.get(reviewer=alice)


def _client(user: User) -> Client:
    client = Client(headers=EN)
    client.force_login(user)
    return client


def test_the_queue_shows_a_low_review_with_its_context(low_review: Review) -> None:
    page = _client(moderator()).get("/moderation").content.decode()
    assert "Never came" in page
    assert "1/5 from Alice for Bob" in page
    assert f'href="/posts/{low_review.exchange.post_id}"' in page
    assert f"/moderation/reviews/{low_review.pk}/handled" in page


def test_handling_needs_a_reason_and_is_audited(low_review: Review) -> None:
    mo = moderator()
    client = _client(mo)
    path = f"/moderation/reviews/{low_review.pk}/handled"
    assert client.post(path, {"reason": ""}).status_code == 302
    low_review.refresh_from_db()
    assert low_review.flag_cleared_at is None
    assert client.post(path, {"reason": "talked to both"}).status_code == 302
    low_review.refresh_from_db()
    assert low_review.flag_cleared_at is not None
    entry = AuditEntry.objects.get(action="review_handled")
    assert (entry.actor_id, entry.target_id, entry.reason) == (
        mo.pk,
        low_review.pk,
        "talked to both",
    )
    assert "Never came" not in client.get("/moderation").content.decode()
    again = client.post(path, {"reason": "twice"}, follow=True)
    assert "not waiting for a moderator" in again.content.decode()
    assert AuditEntry.objects.filter(action="review_handled").count() == 1


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_only_staff_handle_low_reviews(
    low_review: Review, alice: User, bob: User, charlie: User, who: str
) -> None:
    user = {"alice": alice, "bob": bob, "charlie": charlie}[who]
    path = f"/moderation/reviews/{low_review.pk}/handled"
    assert _client(user).post(path, {"reason": "mine"}).status_code == 404
    assert Client().post(path, {"reason": "mine"}).status_code == 404
    low_review.refresh_from_db()
    assert low_review.flag_cleared_at is None


def test_an_unknown_review_is_404(db: None) -> None:
    assert (
        _client(moderator()).post("/moderation/reviews/99999/handled", {"reason": "x"}).status_code
        == 404
    )
