"""Badges in the API, and what a mutual reveal shows once people have verified."""

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, draft
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.tests.helpers import PHONE, mark_email_verified, verify_phone


def test_a_post_shows_its_owners_badge_and_nothing_else(api: Api, alice: User) -> None:
    mark_email_verified(alice, "alice@example.org")
    need = create_post(owner=alice, draft=draft())
    body = api.get(f"/api/v1/posts/{need.pk}").json()
    assert body["owner_badge"] == {
        "verified": True,
        "level": 1,
        "level_name": "Verified",
        "completed_exchanges": 0,
        "reviews_counted": 0,
        "reviews_positive": 0,
        "enough_reviews": False,
        "positive_lower_bound": None,
        "organisation": None,
    }
    assert "alice" not in str(body).lower()
    listed = api.get("/api/v1/posts", {"lat": BEIJING[0], "lng": BEIJING[1]}).json()["items"]
    assert [item["owner_badge"]["level_name"] for item in listed] == ["Verified"]


def test_a_reveal_shows_the_verified_phone_only_if_its_owner_chose_so(
    api: Api, alice: User, bob: User
) -> None:
    verify_phone(api.as_user(alice), show_on_reveal=True)
    mark_email_verified(bob, "bob@example.org")
    need = create_post(owner=alice, draft=draft())
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    for user in (alice, bob):
        api.as_user(user).post(f"/api/v1/exchanges/{exchange.pk}/reveal-contact")
    as_bob = api.as_user(bob).get(f"/api/v1/exchanges/{exchange.pk}").json()
    assert as_bob["contact"] == {"email": None, "phone": PHONE, "details": []}
    assert as_bob["other"]["badge"]["verified"] is True
    as_alice = api.as_user(alice).get(f"/api/v1/exchanges/{exchange.pk}").json()
    assert as_alice["contact"] == {"email": "bob@example.org", "phone": None, "details": []}


def test_a_phone_kept_private_is_never_revealed(api: Api, alice: User, bob: User) -> None:
    verify_phone(api.as_user(alice))
    need = create_post(owner=alice, draft=draft())
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    for user in (alice, bob):
        api.as_user(user).post(f"/api/v1/exchanges/{exchange.pk}/reveal-contact")
    as_bob = api.as_user(bob).get(f"/api/v1/exchanges/{exchange.pk}").json()
    assert as_bob["contact"] == {"email": None, "phone": None, "details": []}


def test_an_unverified_account_email_is_not_revealed(api: Api, alice: User, bob: User) -> None:
    User.objects.filter(pk=alice.pk).update(email="alice@example.org")
    need = create_post(owner=alice, draft=draft())
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    for user in (alice, bob):
        api.as_user(user).post(f"/api/v1/exchanges/{exchange.pk}/reveal-contact")
    as_bob = api.as_user(bob).get(f"/api/v1/exchanges/{exchange.pk}").json()
    assert as_bob["contact"]["email"] is None
