"""The feedback loop: ratings (and every "no"), the organisers' queue, the public
"what we improved" log, export."""

from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import now

from huzhu.accounts.models import User
from huzhu.conftest import Api, make_user
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.services import respond_to_post
from huzhu.insights.feedback import FeedbackDraft, give_feedback, organiser_queue
from huzhu.insights.models import Feedback, Improvement
from huzhu.posts.models import Post
from huzhu.trust.tests.reviewing import completed


@pytest.fixture
def organiser(db: None) -> User:
    mo = make_user("mo")
    User.objects.filter(pk=mo.pk).update(is_staff=True)
    return User.objects.get(pk=mo.pk)


@pytest.fixture
def exchange(alice: User, bob: User) -> Exchange:
    return completed(alice, bob)


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_person_rates_the_platform(api: Api, alice: User) -> None:
    r = api.as_user(alice).post(
        "/api/v1/feedback",
        {"rating": 4, "text": "Call me on 138 1234 5678 about it", "theme": "speed"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["rating"], body["theme"], body["exchange_id"]) == (4, "speed", None)
    assert "5678" not in body["text"] and "[contact hidden]" in body["text"]
    assert organiser_queue().count() == 0  # 4 of 5 needs no one's attention


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({}, "rating"),
        ({"rating": 3, "theme": "weather"}, "theme"),
        ({"rating": 3, "text": "x" * 2001}, "text"),
    ],
)
def test_a_bad_rating_is_refused_naming_the_field(
    api: Api, alice: User, payload: dict[str, Any], field: str
) -> None:
    r = api.as_user(alice).post("/api/v1/feedback", payload)
    assert r.status_code == 422
    assert field in r.content.decode()
    assert not Feedback.objects.exists()


def test_visitors_cannot_give_feedback(api: Api) -> None:
    assert api.post("/api/v1/feedback", {"rating": 5}).status_code == 401
    assert Client().get("/feedback").status_code == 302


def test_low_ratings_wait_in_the_organisers_queue(api: Api, alice: User) -> None:
    api.as_user(alice).post("/api/v1/feedback", {"rating": 2, "text": "Too slow"})
    api.as_user(alice).post("/api/v1/feedback", {"rating": 3})
    [waiting] = organiser_queue()
    assert (waiting.rating, waiting.text, waiting.needs_attention) == (2, "Too slow", True)


def test_feedback_on_an_exchange_needs_ones_own_completed_exchange(
    api: Api, alice: User, bob: User, charlie: User, exchange: Exchange
) -> None:
    body = {"rating": 5, "exchange_id": exchange.pk}
    assert api.as_user(charlie).post("/api/v1/feedback", body).status_code == 404
    assert api.as_user(alice).post("/api/v1/feedback", body).status_code == 201
    again = api.as_user(alice).post("/api/v1/feedback", body)
    assert (again.status_code, again.json()["code"]) == (409, "already_given")
    assert api.as_user(bob).post("/api/v1/feedback", body).status_code == 201


def test_an_unfinished_exchange_takes_no_feedback(
    api: Api, alice: User, bob: User, alices_need: Post
) -> None:
    proposed = respond_to_post(post=alices_need, responder=bob, quantity=1, message="")
    r = api.as_user(alice).post("/api/v1/feedback", {"rating": 5, "exchange_id": proposed.pk})
    assert (r.status_code, r.json()["code"]) == (409, "not_completed")


def test_feedback_is_rate_limited(api: Api, alice: User, settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    answers = [
        api.as_user(alice).post("/api/v1/feedback", {"rating": 5}).status_code for _ in range(11)
    ]
    assert answers == [201] * 10 + [429]


def test_the_exchange_page_asks_once_the_exchange_is_completed(
    alice: User, exchange: Exchange, alices_need: Post, bob: User
) -> None:
    web = browser(alice)
    page = web.get(f"/exchanges/{exchange.pk}").content.decode()
    assert f'name="exchange_id" value="{exchange.pk}"' in page
    r = web.post("/feedback", {"rating": "1", "exchange_id": str(exchange.pk)})
    assert r.status_code == 302 and r["Location"] == f"/exchanges/{exchange.pk}"
    assert "Thank you for your feedback on this exchange" in web.get(r["Location"]).content.decode()
    proposed = respond_to_post(post=alices_need, responder=bob, quantity=1, message="")
    assert "exchange_id" not in web.get(f"/exchanges/{proposed.pk}").content.decode()


def test_the_feedback_page_form(alice: User) -> None:
    web = browser(alice)
    assert web.get("/feedback").status_code == 200
    bad = web.post("/feedback", {"rating": "9"})
    assert bad.status_code == 422 and "field--invalid" in bad.content.decode()
    assert web.post("/feedback", {"rating": "3", "theme": "app"}).status_code == 302
    assert Feedback.objects.get().theme == "app"
    assert web.post("/feedback", {"rating": "3", "exchange_id": "999"}).status_code == 404


def test_the_queue_is_for_organisers_only(alice: User, organiser: User) -> None:
    feedback = give_feedback(user=alice, draft=FeedbackDraft(rating=1, text="It crashed"))
    for client in (Client(), browser(alice)):
        assert client.get("/organisers/feedback").status_code == 404
        assert client.post(f"/organisers/feedback/{feedback.pk}", {"done": "on"}).status_code == 404
        assert client.post("/organisers/improvements", {"title": "x"}).status_code == 404
    web = browser(organiser)
    assert "It crashed" in web.get("/organisers/feedback").content.decode()
    assert web.post("/organisers/feedback/999", {"done": "on"}).status_code == 404
    assert web.post(f"/organisers/feedback/{feedback.pk}", {"theme": "bad"}).status_code == 422
    r = web.post(f"/organisers/feedback/{feedback.pk}", {"theme": "app", "done": "on"})
    assert r.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.theme, feedback.handled_by_id) == ("app", organiser.pk)
    assert organiser_queue().count() == 0
    assert "It crashed" not in web.get("/organisers/feedback").content.decode()


def test_organisers_publish_what_they_improved(api: Api, organiser: User) -> None:
    web = browser(organiser)
    refused = web.post("/organisers/improvements", {"title": "Faster", "body": "x"})
    assert refused.status_code == 422  # no theme chosen
    r = web.post(
        "/organisers/improvements",
        {
            "title": "Faster matching",
            "body": "Matches now arrive in a minute.",
            "themes": ["speed"],
        },
    )
    assert r.status_code == 302 and r["Location"] == "/improvements"
    Improvement.objects.create(
        title="Safer handovers", body="Meet in public.", themes=["safety"], published_at=now()
    )
    listing = Client().get("/improvements").content.decode()
    assert "Faster matching" in listing and "/improvements?theme=speed" in listing
    only_speed = Client().get("/improvements", {"theme": "speed"}).content.decode()
    assert "Faster matching" in only_speed and "Safer handovers" not in only_speed
    assert Client().get("/improvements", {"theme": "weather"}).status_code == 404
    body = api.get("/api/v1/improvements", {"theme": "safety"}).json()
    assert [item["title"] for item in body["items"]] == ["Safer handovers"]
    assert body["items"][0]["themes"] == [{"key": "safety", "label": "Safety"}]
    assert len(api.get("/api/v1/improvements").json()["items"]) == 2
    refused = api.get("/api/v1/improvements", {"theme": "weather"})
    assert refused.status_code == 422 and "theme" in refused.content.decode()


def test_the_export_holds_my_feedback_only(api: Api, alice: User, bob: User) -> None:
    give_feedback(user=alice, draft=FeedbackDraft(rating=2, text="Alice's words"))
    give_feedback(user=bob, draft=FeedbackDraft(rating=5, text="Bob's words"))
    r = api.as_user(alice).get("/api/v1/me/export")
    assert [f["text"] for f in r.json()["feedback"]] == ["Alice's words"]
    assert "Bob's words" not in r.content.decode()
