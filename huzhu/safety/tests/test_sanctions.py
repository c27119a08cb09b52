"""Sanctions: graduated, ending access at once, refused log-ins, seen by their person."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import ApiToken, User
from huzhu.conftest import PASSWORD, Api, draft
from huzhu.errors import Conflict, Invalid
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.safety.models import AuditEntry, Sanction
from huzhu.safety.sanctions import impose_sanction, lift_sanction
from huzhu.safety.tests.helpers import moderator

EN = {"Accept-Language": "en"}


@pytest.fixture
def mo(db: None) -> User:
    return moderator()


def _sanction(mo: User, user: User, kind: str, days: int | None = None) -> Sanction:
    return impose_sanction(
        moderator=mo, user=user, kind=kind, rule="fraud", reason="fake posts", days=days
    )


def test_a_second_warning_within_180_days_becomes_a_7_day_suspension(mo: User, alice: User) -> None:
    first = _sanction(mo, alice, "warn")
    assert first.kind == "warn"
    with time_machine.travel(timezone.now() + timedelta(days=179)):
        second = _sanction(mo, alice, "warn")
        assert second.kind == "suspend" and second.automated and second.moderator == mo
        assert second.until is not None
        assert timedelta(days=6, hours=23) < second.until - timezone.now() <= timedelta(days=7)
    kinds = list(alice.sanctions.order_by("id").values_list("kind", flat=True))
    assert kinds == ["warn", "warn", "suspend"]
    audit = list(AuditEntry.objects.order_by("id").values_list("action", "automated"))
    assert audit == [("warn", False), ("warn", False), ("suspend", True)]


def test_warnings_further_apart_stay_warnings(mo: User, alice: User) -> None:
    _sanction(mo, alice, "warn")
    with time_machine.travel(timezone.now() + timedelta(days=181)):
        assert _sanction(mo, alice, "warn").kind == "warn"
    assert not alice.sanctions.filter(kind="suspend").exists()


def test_a_suspension_ends_sessions_and_tokens_at_once(api: Api, mo: User, alice: User) -> None:
    browser = Client()
    browser.force_login(alice)
    assert browser.get("/me/posts").status_code == 200
    client = api.as_user(alice)
    assert client.get("/api/v1/me").status_code == 200
    _sanction(mo, alice, "suspend", days=3)
    assert browser.get("/me/posts").status_code == 302  # to the log-in page
    assert client.get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.filter(user=alice, revoked_at__isnull=True).exists()


@pytest.mark.parametrize("kind", ["suspend", "ban"])
def test_a_sanctioned_person_cannot_log_in_and_is_told_why(
    api: Api, mo: User, alice: User, kind: str
) -> None:
    _sanction(mo, alice, kind, days=3 if kind == "suspend" else None)
    token = api.post("/api/v1/auth/token", {"username": "alice", "password": PASSWORD}, headers=EN)
    assert token.status_code == 403
    assert token.json()["code"] == {"suspend": "suspended", "ban": "banned"}[kind]
    assert "appeal" in token.json()["detail"]
    page = Client().post("/login", {"username": "alice", "password": PASSWORD}, headers=EN)
    assert page.status_code == 200
    text = page.content.decode()
    assert ("suspended until" if kind == "suspend" else "banned") in text
    assert "appeal" in text
    wrong = api.post("/api/v1/auth/token", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 401  # a wrong password learns nothing about sanctions


def test_once_a_suspension_is_over_the_person_logs_in_again(
    api: Api, mo: User, alice: User
) -> None:
    _sanction(mo, alice, "suspend", days=2)
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        body = {"username": "alice", "password": PASSWORD}
        assert api.post("/api/v1/auth/token", body).status_code == 200


def test_lifting_a_suspension_lets_the_person_back_in(api: Api, mo: User, alice: User) -> None:
    suspension = _sanction(mo, alice, "suspend", days=30)
    with pytest.raises(Invalid):
        lift_sanction(moderator=mo, sanction=suspension, reason=" ")
    lift_sanction(moderator=mo, sanction=suspension, reason="identity confirmed")
    body = {"username": "alice", "password": PASSWORD}
    assert api.post("/api/v1/auth/token", body).status_code == 200
    with pytest.raises(Conflict):
        lift_sanction(moderator=mo, sanction=suspension, reason="again")
    assert AuditEntry.objects.filter(action="lift", target_id=suspension.pk).count() == 1


def test_a_ban_withdraws_the_persons_listed_posts(mo: User, alice: User) -> None:
    need = create_post(owner=alice, draft=draft())
    offer = create_post(
        owner=alice,
        draft=draft(kind="offer", item="antigen-test", category="test_kits", tags=()),
    )
    _sanction(mo, alice, "ban")
    statuses = set(Post.objects.filter(pk__in=[need.pk, offer.pk]).values_list("status", "rank"))
    assert statuses == {("withdrawn", None)}
    assert AuditEntry.objects.filter(action="withdraw", automated=True).count() == 2
    assert AuditEntry.objects.filter(action="ban", actor_id=mo.pk).count() == 1


@pytest.mark.parametrize(
    ("kind", "days", "field"),
    [("suspend", None, "days"), ("suspend", 400, "days"), ("exile", None, "kind")],
)
def test_malformed_sanctions_name_the_field(
    mo: User, alice: User, kind: str, days: int | None, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        _sanction(mo, alice, kind, days=days)
    assert refused.value.field == field
    with pytest.raises(Invalid) as no_rule:
        impose_sanction(moderator=mo, user=alice, kind="warn", rule="", reason="x")
    assert no_rule.value.field == "rule"


def test_people_see_their_own_sanctions_and_the_rule_behind_each(
    api: Api, mo: User, alice: User, bob: User
) -> None:
    _sanction(mo, alice, "warn")
    mine = api.as_user(alice).get("/api/v1/me/sanctions", headers=EN)
    assert mine.status_code == 200
    [item] = mine.json()["items"]
    assert (item["kind"], item["rule"], item["reason"], item["in_force"]) == (
        "warn",
        "fraud",
        "fake posts",
        False,
    )
    assert "fraud" in item["rule_text"].lower()
    assert "Mo" not in str(item)  # the moderator stays anonymous
    assert api.as_user(bob).get("/api/v1/me/sanctions").json() == {"items": []}
    assert api.get("/api/v1/me/sanctions").status_code == 401
    page = Client()
    page.force_login(alice)
    answer = page.get("/me/sanctions", headers=EN)
    assert answer.status_code == 200
    assert b"fake posts" in answer.content and b"No fraud" in answer.content


def test_the_public_log_names_neither_moderator_nor_target(api: Api, mo: User, alice: User) -> None:
    _sanction(mo, alice, "suspend", days=3)
    log = api.get("/api/v1/moderation-log", headers=EN)
    assert log.status_code == 200
    [entry] = log.json()["items"]
    assert (entry["action"], entry["rule"], entry["automated"]) == ("suspend", "fraud", False)
    text = log.content.decode()
    for secret in ("alice", "Alice", "Mo", "fake posts", str(alice.pk) + ","):
        assert secret not in text
    page = Client().get("/moderation-log", headers=EN)
    assert page.status_code == 200
    assert b"Suspension" in page.content and b"Alice" not in page.content
    assert b"fake posts" not in page.content


def test_the_public_log_takes_a_limit(api: Api, mo: User, alice: User) -> None:
    _sanction(mo, alice, "warn")
    _sanction(mo, alice, "warn")  # and the automatic suspension
    assert len(api.get("/api/v1/moderation-log", {"limit": 2}).json()["items"]) == 2
    assert len(api.get("/api/v1/moderation-log").json()["items"]) == 3
    refused = api.get("/api/v1/moderation-log", {"limit": 0})
    assert refused.status_code == 422
