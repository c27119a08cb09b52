"""Reviews through the API: who may write one, when, and what each side sees (double-blind)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from huzhu.accounts.consents import Consents, update_consents
from huzhu.accounts.models import User
from huzhu.conftest import Api, draft, make_user
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.models import Review
from huzhu.trust.queries import low_reviews_to_check
from huzhu.trust.reviews import clear_review_flag, write_review
from huzhu.trust.stories import published_thanks
from huzhu.trust.tests.helpers import mark_email_verified
from huzhu.trust.tests.reviewing import (
    completed,
    review_each_other,
    reviewed_by_a_moderator,
)


def _path(exchange_id: int, end: str = "review") -> str:
    return f"/api/v1/exchanges/{exchange_id}/{end}"


def test_each_side_reviews_the_other_once(api: Api, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    body = {"score": 5, "comment": "On time", "thanks": "Thank you!", "publish_thanks": True}
    r = api.as_user(alice).post(_path(exchange.pk), body)
    assert r.status_code == 201, r.content
    assert r.json()["score"] == 5
    assert r.json()["publish_thanks"] is True
    again = api.as_user(alice).post(_path(exchange.pk), {"score": 4})
    assert (again.status_code, again.json()["code"]) == (409, "already_reviewed")
    assert api.as_user(bob).post(_path(exchange.pk), {"score": 4}).status_code == 201
    review = Review.objects.get(reviewer=alice)
    assert (review.reviewee_id, review.counts, review.flagged_at) == (bob.pk, True, None)


def test_outsiders_and_unknown_exchanges_are_not_found(
    api: Api, alice: User, bob: User, charlie: User
) -> None:
    exchange = completed(bob, alice)
    for path in (_path(exchange.pk), _path(exchange.pk + 1000)):
        r = api.as_user(charlie).post(path, {"score": 5})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert api.as_user(charlie).get(_path(exchange.pk, "reviews")).status_code == 404
    assert api.post(_path(exchange.pk), {"score": 5}).status_code == 401
    assert api.get(_path(exchange.pk, "reviews")).status_code == 401


def test_an_exchange_not_completed_cannot_be_reviewed(api: Api, alice: User, bob: User) -> None:
    need = create_post(owner=alice, draft=draft())
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    r = api.as_user(alice).post(_path(exchange.pk), {"score": 5})
    assert (r.status_code, r.json()["code"]) == (409, "not_completed")
    state = api.as_user(alice).get(_path(exchange.pk, "reviews")).json()
    assert (state["can_review"], state["window_closes_at"]) == (False, None)


def test_reviews_close_fourteen_days_after_completion(api: Api, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    assert exchange.ended_at is not None
    with time_machine.travel(exchange.ended_at + timedelta(days=14), tick=False):
        r = api.as_user(alice).post(_path(exchange.pk), {"score": 5})
    assert (r.status_code, r.json()["code"]) == (409, "review_window_closed")
    with time_machine.travel(exchange.ended_at + timedelta(days=14, seconds=-1), tick=False):
        assert api.as_user(alice).post(_path(exchange.pk), {"score": 5}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({}, "score"),
        ({"score": 5, "comment": "x" * 1001}, "comment"),
        ({"score": 5, "thanks": "x" * 501}, "thanks"),
        ({"score": 5, "publish_thanks": "maybe"}, "publish_thanks"),
    ],
)
def test_bad_input_names_the_field(
    api: Api, alice: User, bob: User, body: dict[str, object], field: str
) -> None:
    exchange = completed(bob, alice)
    r = api.as_user(alice).post(_path(exchange.pk), body)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert not Review.objects.exists()


def test_a_public_note_keeps_to_the_gift_only_rule(api: Api, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    r = api.as_user(alice).post(_path(exchange.pk), {"score": 5, "thanks": "I paid you 50 yuan"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "thanks"


def test_reviews_are_double_blind_until_both_have_written(api: Api, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    api.as_user(alice).post(_path(exchange.pk), {"score": 2, "comment": "Late, and rude"})
    as_alice = api.as_user(alice).get(_path(exchange.pk, "reviews")).json()
    as_bob = api.as_user(bob).get(_path(exchange.pk, "reviews")).json()
    assert as_alice["mine"]["comment"] == "Late, and rude"
    assert (as_alice["theirs"], as_alice["revealed"], as_alice["can_review"]) == (
        None,
        False,
        False,
    )
    assert (as_bob["mine"], as_bob["theirs"], as_bob["theirs_written"]) == (None, None, True)
    assert as_bob["can_review"] is True
    assert "rude" not in str(as_bob)
    api.as_user(bob).post(_path(exchange.pk), {"score": 4})
    as_bob = api.as_user(bob).get(_path(exchange.pk, "reviews")).json()
    assert as_bob["revealed"] is True
    assert (as_bob["theirs"]["score"], as_bob["theirs"]["comment"]) == (2, "Late, and rude")
    assert api.as_user(alice).get(_path(exchange.pk, "reviews")).json()["theirs"]["score"] == 4


def test_a_lone_review_is_revealed_when_the_window_closes(api: Api, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    assert exchange.ended_at is not None
    api.as_user(alice).post(_path(exchange.pk), {"score": 5})
    with time_machine.travel(exchange.ended_at + timedelta(days=14, seconds=-1), tick=False):
        assert api.as_user(bob).get(_path(exchange.pk, "reviews")).json()["theirs"] is None
    with time_machine.travel(exchange.ended_at + timedelta(days=14), tick=False):
        as_bob = api.as_user(bob).get(_path(exchange.pk, "reviews")).json()
    assert (as_bob["revealed"], as_bob["theirs"]["score"], as_bob["can_review"]) == (
        True,
        5,
        False,
    )


def test_the_other_sides_text_stays_masked_until_contact_is_shared(
    api: Api, alice: User, bob: User
) -> None:
    exchange = completed(bob, alice)
    api.as_user(alice).post(_path(exchange.pk), {"score": 5, "comment": "call me 13812345678"})
    api.as_user(bob).post(_path(exchange.pk), {"score": 5})
    theirs = api.as_user(bob).get(_path(exchange.pk, "reviews")).json()["theirs"]
    assert "13812345678" not in theirs["comment"]


def test_low_reviews_wait_for_a_moderator(alice: User, bob: User, charlie: User) -> None:
    exchange = completed(bob, alice)
    Api().as_user(alice).post(_path(exchange.pk), {"score": 1, "comment": "Never came"})
    Api().as_user(bob).post(_path(exchange.pk), {"score": 3})
    [flagged] = low_reviews_to_check()
    assert flagged.score == 1
    assert flagged.comment == "Never came"
    assert flagged.exchange_id == exchange.pk
    assert flagged.post_title == exchange.post.title
    assert (flagged.reviewer, flagged.reviewee) == (alice.display_name, bob.display_name)
    review = Review.objects.get(pk=flagged.review_id)
    with pytest.raises(Exception, match="moderators"):
        clear_review_flag(review=review, moderator=charlie)
    User.objects.filter(pk=charlie.pk).update(is_staff=True)
    charlie.refresh_from_db()
    assert clear_review_flag(review=review, moderator=charlie).flag_cleared_at is not None
    assert low_reviews_to_check() == []


def test_a_pair_counts_once_per_thirty_days(alice: User, bob: User) -> None:
    now = timezone.now()
    first = completed(bob, alice)
    Api().as_user(alice).post(_path(first.pk), {"score": 5})
    second = completed(bob, alice)
    Api().as_user(alice).post(_path(second.pk), {"score": 5})
    with time_machine.travel(now + timedelta(days=30, seconds=1), tick=False):
        third = completed(bob, alice)
        Api().as_user(alice).post(_path(third.pk), {"score": 5})
    counts = list(
        Review.objects.filter(reviewer=alice, reviewee=bob).order_by("pk").values_list("counts")
    )
    assert counts == [(True,), (False,), (True,)]
    # Bob's reviews of alice are a pair of their own, in the other direction.
    assert Api().as_user(bob).post(_path(second.pk), {"score": 5}).json()["counts"] is True


def test_a_thank_you_note_is_public_only_while_the_person_thanked_consents(
    alice: User, bob: User
) -> None:
    exchange = completed(bob, alice)  # alice thanks bob, and asks for the note to be public
    write_review(
        exchange=exchange, reviewer=alice, score=5, thanks="Thank you!", publish_thanks=True
    )
    write_review(exchange=exchange, reviewer=bob, score=5)
    page = Client()
    assert b"Thank you!" not in page.get("/stories").content  # bob never agreed
    update_consents(user=bob, consents=Consents(public_thanks=True))
    assert [s["thanks"] for s in published_thanks()] == ["Thank you!"]
    assert b"Thank you!" in page.get("/stories").content
    update_consents(user=bob, consents=Consents(public_thanks=False))
    assert published_thanks() == []


def test_the_public_badge_weighs_reviews_by_their_writers_standing(api: Api, alice: User) -> None:
    mark_email_verified(alice, "alice@example.org")  # TL1: room for one more open need
    for n in range(5):  # five sock accounts praise alice: nobody in good standing knows them
        # (alice rates them a neutral 3, so no standing flows from her to them later)
        review_each_other(completed(make_user(f"sock{n}"), alice), receiver_score=3)
    need = create_post(owner=alice, draft=draft())

    def badge() -> tuple[int, int]:
        body = api.get(f"/api/v1/posts/{need.pk}").json()["owner_badge"]
        return body["reviews_counted"], body["reviews_positive"]

    assert badge() == (0, 0)
    reviewed_by_a_moderator(alice)  # a seed of standing weighs fully
    assert badge() == (1, 1)
