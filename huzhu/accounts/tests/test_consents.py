"""The consent centre: everything off by default, every change kept with its time, and
consents exported with the account and erased with it."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from huzhu.accounts.consents import Consents, consents_of, has_consented, update_consents
from huzhu.accounts.erasure import erase_account
from huzhu.accounts.models import ConsentChange, User
from huzhu.conftest import Api
from huzhu.insights.for_you import choose_place, learn_interests
from huzhu.insights.models import ForYouInterest, ForYouProfile

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ALL_OFF = {"for_you_feed": False, "activity_recommendations": False, "public_thanks": False}


def test_everything_is_off_by_default(alice: User) -> None:
    assert consents_of(alice.pk) == Consents()
    assert not has_consented(alice.pk, "public_thanks")
    body = Api().as_user(alice).get("/api/v1/me/consents").json()
    assert body == {**ALL_OFF, "history": []}


def test_each_change_is_recorded_with_its_time(alice: User) -> None:
    api = Api().as_user(alice)
    with time_machine.travel(NOW, tick=False):
        api.put("/api/v1/me/consents", {**ALL_OFF, "public_thanks": True})
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        body = api.put(
            "/api/v1/me/consents", {**ALL_OFF, "public_thanks": False, "for_you_feed": True}
        ).json()
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        api.put("/api/v1/me/consents", {**ALL_OFF, "for_you_feed": True})  # nothing changes
    assert body["for_you_feed"] is True and body["public_thanks"] is False
    history = api.get("/api/v1/me/consents").json()["history"]
    assert [(h["purpose"], h["granted"], h["at"][:16]) for h in history] == [
        ("public_thanks", False, "2026-11-24T10:00"),  # same instant: the later row first
        ("for_you_feed", True, "2026-11-24T10:00"),
        ("public_thanks", True, "2026-11-24T09:00"),
    ]
    assert has_consented(alice.pk, "for_you_feed")


def test_a_missing_choice_is_refused_and_names_the_field(alice: User) -> None:
    response = Api().as_user(alice).put("/api/v1/me/consents", {"for_you_feed": True})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "activity_recommendations",
        "public_thanks",
    }
    assert not ConsentChange.objects.exists()
    assert Api().get("/api/v1/me/consents").status_code == 401


def test_the_page_saves_and_shows_the_history(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    page = client.get("/me/consents").content.decode()
    assert "/me/notifications" in page  # channels are chosen there, not duplicated here
    response = client.post("/me/consents", {"public_thanks": "on"})
    assert response.status_code == 302
    assert consents_of(alice.pk) == Consents(public_thanks=True)
    page = client.get("/me/consents").content.decode()
    assert "Showing thank-you notes about me in public" in page and "allowed" in page


def test_the_export_holds_consents_and_their_history(alice: User) -> None:
    update_consents(user=alice, consents=Consents(for_you_feed=True, public_thanks=True))
    choose_place(user=alice, place_code="haidian")
    export = Api().as_user(alice).get("/api/v1/me/export").json()
    assert export["consents"] == {**ALL_OFF, "for_you_feed": True, "public_thanks": True}
    assert {h["purpose"] for h in export["consent_history"]} == {"for_you_feed", "public_thanks"}
    assert export["for_you"]["place"] == "haidian"


def test_erasure_deletes_consents_history_and_the_feed_profile(alice: User) -> None:
    update_consents(user=alice, consents=Consents(for_you_feed=True, activity_recommendations=True))
    choose_place(user=alice, place_code="haidian")
    learn_interests(user=alice)
    erase_account(user=alice)
    assert not ConsentChange.objects.filter(user=alice).exists()
    assert not ForYouProfile.objects.filter(user=alice).exists()
    assert not ForYouInterest.objects.filter(user=alice).exists()
