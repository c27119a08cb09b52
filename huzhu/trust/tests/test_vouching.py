"""Vouching: trusted members vouch for people they know, a few a week; a vouch verifies;
sanctions against the people vouched for cost the voucher; withdrawal recomputes."""

import re
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import Api, make_user
from huzhu.safety.sanctions import impose_sanction, lift_sanction
from huzhu.trust.levels import Level
from huzhu.trust.models import TrustState, Vouch
from huzhu.trust.services import recompute_level
from huzhu.trust.tests.helpers import make_moderator, set_level
from huzhu.trust.vouching import allowance_of


def _vouch(api: Api, voucher: User, vouchee: User) -> Any:
    return api.as_user(voucher).post(f"/api/v1/users/{vouchee.pk}/vouch")


def _trusted(name: str = "tess") -> User:
    voucher = make_user(name)
    set_level(voucher, Level.TRUSTED)
    return voucher


def test_a_vouch_from_a_trusted_member_verifies(api: Api, alice: User) -> None:
    tess = _trusted()
    response = api.as_user(tess).post(f"/api/v1/users/{alice.pk}/vouch")
    assert response.status_code == 201
    assert response.json()["user_id"] == alice.pk
    assert TrustState.objects.get(user=alice).level == Level.VERIFIED
    trust = api.as_user(alice).get("/api/v1/me/trust").json()
    assert trust["verified_methods"] == ["vouch"]
    mine = api.as_user(alice).get("/api/v1/me/vouches").json()
    assert [v["user_id"] for v in mine["received"]] == [tess.pk]
    theirs = api.as_user(tess).get("/api/v1/me/vouches").json()
    assert theirs["allowance"]["left"] == 2
    assert [v["user_id"] for v in theirs["given"]] == [alice.pk]


def test_only_trusted_members_vouch(api: Api, alice: User, bob: User) -> None:
    for level in (Level.NEW, Level.VERIFIED, Level.MEMBER):
        set_level(bob, level)
        refused = api.as_user(bob).post(f"/api/v1/users/{alice.pk}/vouch")
        assert (refused.status_code, refused.json()["code"]) == (403, "trust_level")
        assert "TL3" in refused.json()["detail"]
    assert api.post(f"/api/v1/users/{alice.pk}/vouch").status_code == 401
    assert not Vouch.objects.exists()


def test_the_nos_of_vouching(api: Api, alice: User) -> None:
    tess = _trusted()
    me = api.as_user(tess)
    myself = me.post(f"/api/v1/users/{tess.pk}/vouch")
    assert (myself.status_code, myself.json()["errors"][0]["field"]) == (422, "user_id")
    assert me.post("/api/v1/users/999999/vouch").status_code == 404
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert me.post(f"/api/v1/users/{alice.pk}/vouch").status_code == 404
    User.objects.filter(pk=alice.pk).update(is_active=True)
    assert me.post(f"/api/v1/users/{alice.pk}/vouch").status_code == 201
    twice = me.post(f"/api/v1/users/{alice.pk}/vouch")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_vouched")


def test_vouches_are_capped_per_rolling_week(api: Api) -> None:
    tess = _trusted()
    people = [make_user(f"person{n}") for n in range(5)]
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for person in people[:3]:
            assert _vouch(api, tess, person).status_code == 201
        # Withdrawing does not give the vouch back.
        assert api.as_user(tess).delete(f"/api/v1/users/{people[0].pk}/vouch").status_code == 204
        refused = _vouch(api, tess, people[3])
        assert refused.status_code == 429
        assert refused.json()["code"] == "vouch_allowance"
        assert int(refused["Retry-After"]) == 7 * 24 * 3600 + 1
    with time_machine.travel(now + timedelta(days=7, seconds=1), tick=False):
        assert _vouch(api, tess, people[3]).status_code == 201


def test_a_sanction_against_a_vouched_account_costs_a_vouch_for_90_days(
    api: Api, alice: User, bob: User
) -> None:
    tess = _trusted()
    moderator = make_moderator()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert _vouch(api, tess, alice).status_code == 201
        warning = impose_sanction(
            moderator=moderator, user=alice, kind="warn", rule="spam", reason="x"
        )
        impose_sanction(moderator=moderator, user=bob, kind="warn", rule="spam", reason="x")
        allowance = allowance_of(tess)
        assert (allowance.used_this_week, allowance.sanctions_against_vouched) == (1, 1)
        assert allowance.left == 1  # bob's warning is not tess's business
    with time_machine.travel(now + timedelta(days=8), tick=False):
        assert allowance_of(tess).left == 2
        lift_sanction(moderator=moderator, sanction=warning, reason="a mistake")
        assert allowance_of(tess).left == 3  # a lifted sanction does not count


def test_the_sanction_window_ends_and_later_vouches_are_not_blamed(api: Api, alice: User) -> None:
    tess = _trusted()
    moderator = make_moderator()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        impose_sanction(moderator=moderator, user=alice, kind="warn", rule="spam", reason="x")
    with time_machine.travel(now + timedelta(days=1), tick=False):
        # The sanction came before the vouch: the voucher could not have known better.
        assert _vouch(api, tess, alice).status_code == 201
        impose_sanction(moderator=moderator, user=alice, kind="warn", rule="spam", reason="y")
        assert allowance_of(tess).sanctions_against_vouched == 1
    with time_machine.travel(now + timedelta(days=92), tick=False):
        assert allowance_of(tess).sanctions_against_vouched == 0
        # Each sanction in the window costs one, down to none left.
        for reason in ("a", "b", "c"):
            impose_sanction(
                moderator=moderator, user=alice, kind="warn", rule="spam", reason=reason
            )
        assert allowance_of(tess).left == 0
        refused = _vouch(api, tess, make_user("dora"))
        assert refused.status_code == 429


def test_withdrawal_recomputes_the_vouched_persons_level(api: Api, alice: User) -> None:
    tess = _trusted()
    _vouch(api, tess, alice)
    assert TrustState.objects.get(user=alice).level == Level.VERIFIED
    assert api.as_user(tess).delete(f"/api/v1/users/{alice.pk}/vouch").status_code == 204
    state = TrustState.objects.get(user=alice)
    assert (state.level, state.pending_level) == (Level.VERIFIED, Level.NEW)  # grace period
    assert api.as_user(alice).get("/api/v1/me/trust").json()["verified_methods"] == []
    again = api.as_user(tess).delete(f"/api/v1/users/{alice.pk}/vouch")
    assert again.status_code == 404


def test_a_vouch_counts_only_while_its_giver_is_trusted(api: Api, alice: User) -> None:
    tess = _trusted()
    _vouch(api, tess, alice)
    set_level(tess, Level.MEMBER)
    assert recompute_level(user=alice).pending_level == Level.NEW
    set_level(tess, Level.TRUSTED)
    assert recompute_level(user=alice).pending_level is None


def test_the_vouching_page(alice: User, bob: User) -> None:
    tess = _trusted()
    client = Client()
    client.force_login(tess)
    page = client.get(reverse("vouches"))
    assert "3 of 3" in page.content.decode()
    assert client.post(reverse("vouches"), {"username": "alice"}).status_code == 302
    assert "Alice" in client.get(reverse("vouches")).content.decode()
    unknown = client.post(reverse("vouches"), {"username": "nobody"})
    assert unknown.status_code == 404
    assert "Nobody has that username" in unknown.content.decode()
    assert client.post(reverse("vouches"), {"username": ""}).status_code == 422
    assert client.post(reverse("vouch_withdraw", args=[alice.pk])).status_code == 302
    assert client.post(reverse("vouch_withdraw", args=[alice.pk])).status_code == 404
    as_bob = Client()
    as_bob.force_login(bob)
    refused = as_bob.post(reverse("vouches"), {"username": "alice"})
    assert refused.status_code == 403
    assert "opens at TL3" in as_bob.get(reverse("vouches")).content.decode()


def test_a_person_id_that_is_not_a_number_is_422(api: Api, alice: User) -> None:
    """Found by fuzzing: the withdrawal did not document it."""
    me = api.as_user(alice)
    assert me.delete("/api/v1/users/null/vouch").status_code == 422
    assert me.post("/api/v1/users/null/vouch").status_code == 422


def _page(answer: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", answer.content.decode())


def test_the_vouching_page_answers_an_unknown_username_as_a_known_one(
    alice: User, bob: User
) -> None:
    as_bob = Client()
    as_bob.force_login(bob)  # TL0: may not vouch
    known = as_bob.post(reverse("vouches"), {"username": "alice"})
    unknown = as_bob.post(reverse("vouches"), {"username": "nobody"})
    assert known.status_code == unknown.status_code == 403
    assert _page(known).replace("alice", "nobody") == _page(unknown)
    api = Api().as_user(bob)
    assert (
        api.post(f"/api/v1/users/{alice.pk}/vouch").json()
        == api.post("/api/v1/users/999999/vouch").json()
    )


def test_a_stranger_and_a_person_not_vouched_for_withdraw_alike(api: Api, alice: User) -> None:
    me = api.as_user(_trusted())
    assert (
        me.delete(f"/api/v1/users/{alice.pk}/vouch").json()
        == me.delete("/api/v1/users/999999/vouch").json()
    )


def test_naming_people_to_vouch_for_is_rate_limited(alice: User, bob: User, settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    as_bob = Client()
    as_bob.force_login(bob)
    answers = [as_bob.post(reverse("vouches"), {"username": f"guess{n}"}) for n in range(11)]
    assert [a.status_code for a in answers] == [403] * 10 + [429]
    assert int(answers[-1]["Retry-After"]) > 0
    api = Api().as_user(bob)
    limited = api.post(f"/api/v1/users/{alice.pk}/vouch")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited["Retry-After"]) > 0
    assert api.delete(f"/api/v1/users/{alice.pk}/vouch").status_code == 429
