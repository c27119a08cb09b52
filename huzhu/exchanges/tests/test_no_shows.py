"""A recorded no-show can be contested by the person it names; a moderator decides, and
an overturned one counts nowhere."""

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange, NoShow
from huzhu.exchanges.services import mark_handed_over
from huzhu.exchanges.tests.conftest import reload
from huzhu.trust.criteria import measure


@pytest.fixture
def missed(accepted: Exchange, bob: User) -> Exchange:
    """Bob (the giver) says alice never came: a no-show recorded against alice."""
    mark_handed_over(
        exchange=reload(accepted), actor=bob, handover_happened=False, reason="Nobody came."
    )
    return accepted


def _path(exchange: Exchange, step: str) -> str:
    return f"/api/v1/exchanges/{exchange.pk}/no-show/{step}"


def test_the_person_named_contests_and_a_moderator_overturns_it(
    api: Api, missed: Exchange, alice: User, bob: User, mo: User
) -> None:
    assert measure(User.objects.get(pk=alice.pk), missed.updated_at).no_shows_90d == 1
    contested = api.as_user(alice).post(_path(missed, "contest"), {"reason": "I waited an hour."})
    assert contested.status_code == 200, contested.content
    assert contested.json()["contested_at"] is not None
    assert "Nobody came" not in contested.content.decode()  # the reporter's words stay private
    again = api.as_user(alice).post(_path(missed, "contest"), {"reason": "Again."})
    assert (again.status_code, again.json()["code"]) == (409, "already_contested")
    decided = api.as_user(mo).post(_path(missed, "decide"), {"overturn": True, "reason": "Seen."})
    assert decided.status_code == 200 and decided.json()["overturned"] is True
    no_show = NoShow.objects.get()
    assert (no_show.decided_by, no_show.decision_reason) == (mo, "Seen.")
    assert measure(User.objects.get(pk=alice.pk), no_show.created_at).no_shows_90d == 0
    twice = api.as_user(mo).post(_path(missed, "decide"), {"overturn": False, "reason": "No."})
    assert (twice.status_code, twice.json()["code"]) == (409, "not_contested")
    export = api.as_user(alice).get("/api/v1/me/export").json()["no_shows_about_me"]
    assert [(n["overturned"], n["contest_reason"]) for n in export] == [(True, "I waited an hour.")]


def test_the_nos_of_contesting(
    api: Api, missed: Exchange, alice: User, bob: User, *, charlie: User, mo: User
) -> None:
    reporter = api.as_user(bob).post(_path(missed, "contest"), {"reason": "Hm."})
    assert (reporter.status_code, reporter.json()["code"]) == (403, "not_reported_user")
    assert api.as_user(charlie).post(_path(missed, "contest"), {"reason": "x"}).status_code == 404
    assert api.as_user(alice).post(_path(missed, "contest"), {"reason": ""}).status_code == 422
    assert api.post(_path(missed, "contest"), {"reason": "x"}).status_code == 401
    # Not contested yet: nothing to decide. Participants and outsiders never decide.
    early = api.as_user(mo).post(_path(missed, "decide"), {"overturn": True, "reason": "x"})
    assert (early.status_code, early.json()["code"]) == (409, "not_contested")
    api.as_user(alice).post(_path(missed, "contest"), {"reason": "I was there."})
    body = {"overturn": True, "reason": "x"}
    assert api.as_user(alice).post(_path(missed, "decide"), body).status_code == 403
    assert api.as_user(bob).post(_path(missed, "decide"), body).status_code == 403
    assert api.as_user(charlie).post(_path(missed, "decide"), body).status_code == 404
    assert NoShow.objects.get().decided_at is None


def test_an_upheld_no_show_keeps_counting(
    api: Api, missed: Exchange, alice: User, mo: User
) -> None:
    api.as_user(alice).post(_path(missed, "contest"), {"reason": "I was there."})
    upheld = api.as_user(mo).post(_path(missed, "decide"), {"overturn": False, "reason": "No."})
    assert upheld.json()["overturned"] is False
    assert measure(User.objects.get(pk=alice.pk), NoShow.objects.get().created_at).no_shows_90d == 1


def test_on_the_web_the_person_named_contests_and_the_console_decides(
    missed: Exchange, alice: User, bob: User, mo: User
) -> None:
    as_alice, as_bob, as_mo = Client(), Client(), Client()
    as_alice.force_login(alice)
    as_bob.force_login(bob)
    as_mo.force_login(mo)
    page = f"/exchanges/{missed.pk}"
    en = {"Accept-Language": "en"}
    assert "recorded against you" in as_alice.get(page, headers=en).content.decode()
    assert "recorded against you" not in as_bob.get(page, headers=en).content.decode()
    empty = as_alice.post(f"{page}/contest-no-show", {"reason": ""})
    assert empty.status_code == 422
    contest = as_alice.post(f"{page}/contest-no-show", {"reason": "I waited an hour."})
    assert contest.status_code == 302
    assert "You contested it" in as_alice.get(page, headers=en).content.decode()
    console = as_mo.get("/moderation", headers=en).content.decode()
    assert "I waited an hour." in console and "Nobody came." in console
    decided = as_mo.post(f"/moderation/no-shows/{missed.pk}/overturn", {"reason": "Seen."})
    assert decided.status_code == 302
    assert NoShow.objects.get().overturned is True
    assert "does not count" in as_alice.get(page, headers=en).content.decode()
    assert as_mo.post(f"/moderation/no-shows/{missed.pk}/maybe", {"reason": "x"}).status_code == 404
    assert (
        as_bob.post(f"/moderation/no-shows/{missed.pk}/uphold", {"reason": "x"}).status_code == 404
    )
