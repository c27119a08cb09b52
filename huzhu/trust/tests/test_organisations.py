"""Verified organisations: staff only, one account per registration (kept hashed), a
public badge on posts and profiles, and more open offers than a person."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huzhu.accounts.models import User
from huzhu.conftest import Api, draft
from huzhu.errors import Forbidden
from huzhu.posts.services import create_post
from huzhu.safety.models import AuditEntry
from huzhu.trust.models import Organisation
from huzhu.trust.tests.helpers import make_moderator

OFFER = {"kind": "offer", "category": "test_kits", "item": "antigen-test", "title": "Spare tests"}
PHARMACY = {"kind": "pharmacy", "name": "Xicheng Pharmacy", "registration_number": "91110-1234X"}


def _verify(api: Api, actor: User, user: User, **body: Any) -> Any:
    return api.as_user(actor).post(f"/api/v1/users/{user.pk}/organisation", {**PHARMACY, **body})


def test_staff_verify_an_organisation_and_its_posts_carry_the_badge(api: Api, alice: User) -> None:
    moderator = make_moderator()
    response = _verify(api, moderator, alice)
    assert response.status_code == 201
    assert response.json()["name"] == "Xicheng Pharmacy"
    kept = Organisation.objects.get(user=alice)
    assert "1234" not in kept.registration_hash and len(kept.registration_hash) == 64
    entry = AuditEntry.objects.get(target_type="user", target_id=alice.pk)
    assert (entry.action, entry.actor_id) == ("org_verified", moderator.pk)
    offer = create_post(owner=alice, draft=draft(**OFFER))
    badge = api.get(f"/api/v1/posts/{offer.pk}").json()["owner_badge"]
    assert badge["organisation"] == {
        "kind": "pharmacy",
        "kind_label": "Pharmacy",
        "name": "Xicheng Pharmacy",
    }
    page = Client().get(reverse("post_detail", args=[offer.pk])).content.decode()
    assert "Verified organisation" in page and "Xicheng Pharmacy" in page


def test_only_staff_verify_organisations(api: Api, alice: User, bob: User) -> None:
    for member in (alice, bob):
        refused = _verify(api, member, alice)
        assert (refused.status_code, refused.json()["code"]) == (403, "not_staff")
    assert api.post(f"/api/v1/users/{alice.pk}/organisation", PHARMACY).status_code == 401
    assert not Organisation.objects.exists()


def test_one_registration_one_account_and_bad_input(
    api: Api, alice: User, bob: User, settings: Any
) -> None:
    moderator = make_moderator()
    settings.HUZHU_IDENTITY_KEYS = "1:first-secret"
    assert _verify(api, moderator, alice).status_code == 201
    settings.HUZHU_IDENTITY_KEYS = "1:first-secret,2:second-secret"
    taken = _verify(api, moderator, bob, registration_number="911101234x")
    assert (taken.status_code, taken.json()["code"]) == (409, "registration_taken")
    again = _verify(api, moderator, alice, registration_number="OTHER-999")
    assert (again.status_code, again.json()["code"]) == (409, "already")
    bad_kind = _verify(api, moderator, bob, kind="bakery")
    assert bad_kind.status_code == 422 and "kind" in str(bad_kind.json())
    bad_number = _verify(api, moderator, bob, registration_number="#")
    assert bad_number.json()["errors"][0]["field"] == "registration_number"
    assert (
        api.as_user(moderator).post("/api/v1/users/999999/organisation", PHARMACY).status_code
        == 404
    )


def test_revoking_needs_staff_and_a_reason(api: Api, alice: User, bob: User) -> None:
    moderator = make_moderator()
    _verify(api, moderator, alice)
    path = f"/api/v1/users/{alice.pk}/organisation"
    as_bob = api.as_user(bob).client.generic(
        "DELETE",
        path,
        '{"reason": "closed"}',
        "application/json",
        headers=api.as_user(bob)._headers(None),
    )
    assert as_bob.status_code == 403
    staff = api.as_user(moderator)
    no_reason = staff.client.generic(
        "DELETE", path, "{}", "application/json", headers=staff._headers(None)
    )
    assert no_reason.status_code == 422
    done = staff.client.generic(
        "DELETE",
        path,
        '{"reason": "closed down"}',
        "application/json",
        headers=staff._headers(None),
    )
    assert done.status_code == 204
    assert not Organisation.objects.exists()
    assert AuditEntry.objects.filter(action="org_revoked", target_id=alice.pk).exists()
    gone = staff.client.generic(
        "DELETE", path, '{"reason": "again"}', "application/json", headers=staff._headers(None)
    )
    assert gone.status_code == 404


def test_an_organisation_may_keep_more_offers_open(
    api: Api, alice: User, bob: User, settings: Any
) -> None:
    settings.HUZHU_ORGANISATION_OFFER_MULTIPLIER = 3
    _verify(api, make_moderator(), alice)
    for _ in range(3):  # TL0 allows one open offer; an organisation three
        create_post(owner=alice, draft=draft(**OFFER))
    with pytest.raises(Forbidden):
        create_post(owner=alice, draft=draft(**OFFER))
    create_post(owner=bob, draft=draft(**OFFER))
    with pytest.raises(Forbidden):
        create_post(owner=bob, draft=draft(**OFFER))
    trust = api.as_user(alice).get("/api/v1/me/trust").json()
    assert trust["unlocks"]["open_offers"] == 3
    assert trust["unlocks"]["open_needs"] == 1  # needs are a person's own, as for anyone


def test_the_organisations_page(alice: User, bob: User) -> None:
    staff = Client()
    staff.force_login(make_moderator())
    page = reverse("moderation_organisations")
    assert staff.get(page).status_code == 200
    form = {**PHARMACY, "username": "alice"}
    assert staff.post(page, form).status_code == 302
    listed = staff.get(page).content.decode()
    assert "Xicheng Pharmacy" in listed and "1234" not in listed
    assert staff.post(page, {**form, "username": "bob"}).status_code == 409
    assert staff.post(page, {**form, "username": "nobody"}).status_code == 404
    revoke = reverse("moderation_organisation_revoke", args=[alice.pk])
    assert staff.post(revoke, {"reason": ""}).status_code == 422
    assert staff.post(revoke, {"reason": "closed"}).status_code == 302
    assert staff.post(revoke, {"reason": "closed"}).status_code == 404
    member = Client()
    member.force_login(bob)
    assert member.get(page).status_code == 404
    assert member.post(page, form).status_code == 404
    assert "Verified organisations" in staff.get(reverse("moderation_queue")).content.decode()
