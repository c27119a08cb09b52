"""Posting on behalf of a neighbour without an account: who may, what stays private."""

import json
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.erasure import erase_account
from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api
from huzhu.exchanges.models import Exchange
from huzhu.posts.models import Beneficiary, Post
from huzhu.posts.tests.test_views import NEED, as_user
from huzhu.tests.dump import dump
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

NAME = "Wang Guilan-7Q"  # unique, so a scan finds it anywhere it leaked
NOTE = "Building 4, ring the bell twice-7Q"


def body(**on_behalf: Any) -> dict[str, Any]:
    return {
        "kind": "need",
        "title": "Fever medicine for an elderly neighbour",
        "body": "She lives alone.",
        "category": "medicine",
        "item": "ibuprofen",
        "quantity": 4,
        "lat": BEIJING[0],
        "lng": BEIJING[1],
        "on_behalf_of": {"name": NAME, "consent": "verbal", "note": NOTE, **on_behalf},
    }


@pytest.fixture
def volunteer(alice: User) -> User:
    set_level(alice, Level.TRUSTED)
    return alice


def test_it_posts_for_a_neighbour_and_keeps_them_private(
    api: Api, volunteer: User, bob: User, client: Client
) -> None:
    response = api.as_user(volunteer).post("/api/v1/posts", body())
    assert response.status_code == 201, response.content
    assert response.json()["on_behalf"] is True
    post_id = response.json()["id"]
    kept = Beneficiary.objects.get(post_id=post_id)
    assert (kept.name, kept.note, kept.consent, kept.volunteer_id) == (
        NAME,
        NOTE,
        "verbal",
        volunteer.pk,
    )
    assert kept.consented_at == Post.objects.get(pk=post_id).created_at
    seen = [
        response,
        api.get(f"/api/v1/posts/{post_id}"),
        api.as_user(bob).get(f"/api/v1/posts/{post_id}"),
        api.get("/api/v1/posts", {"lat": BEIJING[0], "lng": BEIJING[1]}),
        client.get(f"/posts/{post_id}"),
        client.get("/", {"lat": str(BEIJING[0]), "lng": str(BEIJING[1])}),
    ]
    for answer in seen:
        assert answer.status_code == 200 or answer is response
        assert NAME not in answer.content.decode() and NOTE not in answer.content.decode()
    page = client.get(f"/posts/{post_id}").content.decode()
    assert "A volunteer, for a neighbour without an account" in page
    assert "by a volunteer for a neighbour" in client.get("/").content.decode()


def test_only_the_volunteer_sees_the_name_on_the_page(
    volunteer: User, bob: User, client: Client
) -> None:
    post_id = Api().as_user(volunteer).post("/api/v1/posts", body()).json()["id"]
    own = as_user(Client(), volunteer).get(f"/posts/{post_id}").content.decode()
    assert NAME in own and NOTE in own
    other = as_user(client, bob).get(f"/posts/{post_id}").content.decode()
    assert NAME not in other


def test_below_tl3_it_is_refused(api: Api, alice: User) -> None:
    set_level(alice, Level.MEMBER)
    response = api.as_user(alice).post("/api/v1/posts", body())
    assert response.status_code == 403
    assert response.json()["code"] == "trust_level"
    assert "TL3" in response.json()["detail"]
    assert not Post.objects.exists() and not Beneficiary.objects.exists()


def test_organisers_may_at_any_level(api: Api, charlie: User) -> None:
    User.objects.filter(pk=charlie.pk).update(is_staff=True)
    charlie.refresh_from_db()
    assert api.as_user(charlie).post("/api/v1/posts", body()).status_code == 201


def test_anonymous_callers_are_asked_to_log_in(api: Api) -> None:
    assert api.post("/api/v1/posts", body()).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": "nodded"}, "on_behalf_of.consent"),
        ({"consent": None}, "on_behalf_of.consent"),
        ({"name": ""}, "on_behalf_of.name"),
        ({"name": "   "}, "on_behalf_of.name"),
        ({"note": "x" * 501}, "on_behalf_of.note"),
    ],
)
def test_malformed_consent_is_refused_naming_the_field(
    api: Api, volunteer: User, change: dict[str, Any], field: str
) -> None:
    payload = body(**change)
    if change.get("consent", "") is None:
        del payload["on_behalf_of"]["consent"]
    response = api.as_user(volunteer).post("/api/v1/posts", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not Post.objects.exists()


def test_the_name_may_not_go_into_the_public_text(api: Api, volunteer: User) -> None:
    payload = {**body(), "title": f"Medicine for {NAME}"}
    response = api.as_user(volunteer).post("/api/v1/posts", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"
    assert not Post.objects.exists()


def test_exchanges_are_with_the_volunteer(api: Api, volunteer: User, bob: User) -> None:
    post_id = api.as_user(volunteer).post("/api/v1/posts", body()).json()["id"]
    response = api.as_user(bob).post(f"/api/v1/posts/{post_id}/exchanges", {"quantity": 2})
    assert response.status_code == 201
    assert NAME not in response.content.decode()
    exchange = Exchange.objects.get(pk=response.json()["id"])
    assert (exchange.receiver_id, exchange.giver_id) == (volunteer.pk, bob.pk)


def test_only_the_volunteers_export_holds_the_neighbour(
    api: Api, volunteer: User, bob: User
) -> None:
    post_id = api.as_user(volunteer).post("/api/v1/posts", body()).json()["id"]
    api.as_user(bob).post(f"/api/v1/posts/{post_id}/exchanges", {"quantity": 2})
    mine = api.as_user(volunteer).get("/api/v1/me/export").json()
    assert mine["posts"][0]["on_behalf_of"]["name"] == NAME
    assert mine["posts"][0]["on_behalf_of"]["consent"] == "verbal"
    theirs = api.as_user(bob).get("/api/v1/me/export").content.decode()
    assert NAME not in theirs and NOTE not in theirs


def test_erasing_the_volunteer_blanks_the_neighbour(api: Api, volunteer: User) -> None:
    api.as_user(volunteer).post("/api/v1/posts", body())
    erase_account(user=volunteer)
    everything = dump()
    assert NAME not in everything and NOTE not in everything
    kept = Beneficiary.objects.get()
    assert (kept.name, kept.note, kept.consent) == ("", "", "verbal")


def test_the_form_offers_the_fields_only_to_those_allowed(alice: User, client: Client) -> None:
    page = as_user(client, alice).get("/posts/new").content.decode()
    assert "on_behalf_name" not in page
    # A TL0 person who sends the fields anyway posts for themselves, and no name is kept.
    response = client.post(
        "/posts/new", {**NEED, "on_behalf_name": NAME, "on_behalf_consent": "verbal"}
    )
    assert response.status_code == 302
    assert Post.objects.get().on_behalf is False
    assert NAME not in dump()


def test_the_form_posts_for_a_neighbour(volunteer: User, client: Client) -> None:
    as_user(client, volunteer)
    assert "on_behalf_name" in client.get("/posts/new").content.decode()
    form = {**NEED, "on_behalf_name": NAME, "on_behalf_consent": "written", "on_behalf_note": NOTE}
    response = client.post("/posts/new", form)
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.on_behalf and post.beneficiary.consent == "written"


def test_the_form_asks_how_they_agreed(volunteer: User, client: Client) -> None:
    as_user(client, volunteer)
    response = client.post("/posts/new", {**NEED, "on_behalf_name": NAME})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["on_behalf_consent"] == ["Record how the person agreed: verbal or written."]
    assert not Post.objects.exists()


def test_the_api_schema_documents_the_field() -> None:
    from huzhu.api import api

    schema = json.dumps(api.get_openapi_schema(path_prefix="/api/v1"))
    assert "on_behalf_of" in schema
