"""The review form on the exchange page, without JavaScript, and the stories wall."""

from datetime import timedelta

import time_machine
from django.test import Client

from huzhu.accounts.consents import Consents, update_consents
from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.models import Review
from huzhu.trust.tests.reviewing import completed


def test_a_person_reviews_on_the_exchange_page(client: Client, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    client.force_login(alice)
    page = client.get(f"/exchanges/{exchange.pk}").content.decode()
    assert "Send the review" in page
    assert "Double-blind" in page
    r = client.post(
        f"/exchanges/{exchange.pk}/review",
        {"score": "5", "comment": "Kind and quick", "thanks": "Thank you so much"},
    )
    assert r.status_code == 302
    page = client.get(f"/exchanges/{exchange.pk}").content.decode()
    assert "Your review" in page
    assert "Kind and quick" in page
    assert "Send the review" not in page
    assert "has not reviewed you yet" in page
    client.force_login(bob)
    page = client.get(f"/exchanges/{exchange.pk}").content.decode()
    assert "has reviewed you. Write yours to see theirs." in page
    assert "Kind and quick" not in page
    client.post(f"/exchanges/{exchange.pk}/review", {"score": "4"})
    assert "Kind and quick" in client.get(f"/exchanges/{exchange.pk}").content.decode()


def test_the_review_form_says_what_is_wrong(client: Client, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    client.force_login(alice)
    r = client.post(f"/exchanges/{exchange.pk}/review", {"score": "9"})
    assert r.status_code == 422
    assert "How did it go?" in r.content.decode()
    assert not Review.objects.exists()
    client.post(f"/exchanges/{exchange.pk}/review", {"score": "3"})
    again = client.post(f"/exchanges/{exchange.pk}/review", {"score": "3"})
    assert again.status_code == 409
    assert "already reviewed" in again.content.decode()


def test_no_review_before_completion_nor_by_an_outsider(
    client: Client, alice: User, bob: User, charlie: User
) -> None:
    need = create_post(owner=alice, draft=draft())
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    client.force_login(alice)
    assert "Send the review" not in client.get(f"/exchanges/{exchange.pk}").content.decode()
    assert client.post(f"/exchanges/{exchange.pk}/review", {"score": "5"}).status_code == 409
    client.force_login(charlie)
    assert client.post(f"/exchanges/{exchange.pk}/review", {"score": "5"}).status_code == 404


def test_the_window_closes_on_the_page_too(client: Client, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    assert exchange.ended_at is not None
    with time_machine.travel(exchange.ended_at + timedelta(days=15), tick=False):
        client.force_login(alice)  # a session from before would have expired
        page = client.get(f"/exchanges/{exchange.pk}").content.decode()
        assert "The time for reviews has passed." in page
        assert client.post(f"/exchanges/{exchange.pk}/review", {"score": "5"}).status_code == 409


def test_stories_show_published_notes_without_names(
    client: Client, alice: User, bob: User, charlie: User
) -> None:
    exchange = completed(bob, alice)
    client.force_login(alice)
    note = {"score": "5", "thanks": "My father's fever broke", "publish_thanks": "on"}
    client.post(f"/exchanges/{exchange.pk}/review", note)
    kept = completed(charlie, alice)
    client.post(f"/exchanges/{kept.pk}/review", {"score": "5", "thanks": "Private thanks"})
    client.logout()
    page = client.get("/stories").content.decode()
    assert "My father" not in page  # not yet revealed: bob has not reviewed
    client.force_login(bob)
    client.post(f"/exchanges/{exchange.pk}/review", {"score": "5"})
    assert "My father" not in client.get("/stories").content.decode()  # bob has not agreed
    update_consents(user=bob, consents=Consents(public_thanks=True))  # notes about him public
    client.force_login(charlie)
    client.post(f"/exchanges/{kept.pk}/review", {"score": "5"})
    client.logout()
    page = client.get("/stories").content.decode()
    assert "My father&#x27;s fever broke" in page
    assert "A neighbour, for Ibuprofen" in page
    assert "Private thanks" not in page
    for name in (alice.display_name, bob.display_name, charlie.display_name):
        assert name not in page
    assert "this community has helped 1 neighbour." in page
    client.force_login(bob)
    assert "You helped 1 neighbour." in client.get("/me/trust").content.decode()


def test_the_review_form_and_the_wall_speak_chinese(client: Client, alice: User, bob: User) -> None:
    exchange = completed(bob, alice)
    client.force_login(alice)
    zh = {"accept-language": "zh-hans"}
    page = client.get(f"/exchanges/{exchange.pk}", headers=zh).content.decode()
    assert "双盲评价" in page
    assert "提交评价" in page
    assert "互助故事" in client.get("/stories", headers=zh).content.decode()
    r = client.post(f"/exchanges/{exchange.pk}/review", {"score": "5"}, headers=zh)
    again = client.post(f"/exchanges/{exchange.pk}/review", {"score": "5"}, headers=zh)
    assert r.status_code == 302
    assert "你已经评价过这次交接了。" in again.content.decode()
