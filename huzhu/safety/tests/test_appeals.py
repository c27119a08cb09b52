"""Appeals: a dialogue, decided by a moderator other than the one who imposed the sanction."""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import PASSWORD, Api
from huzhu.errors import Forbidden
from huzhu.exchanges.models import Notification
from huzhu.exchanges.notifications import send_due_email
from huzhu.exchanges.sentences import describe
from huzhu.safety.appeals import decide_appeal, file_appeal
from huzhu.safety.community import rule_text
from huzhu.safety.models import Appeal, AuditEntry, Sanction
from huzhu.safety.sanctions import impose_sanction
from huzhu.safety.tests.helpers import moderator

EN = {"Accept-Language": "en"}


@pytest.fixture
def mo(db: None) -> User:
    return moderator("mo")


@pytest.fixture
def other_mo(db: None) -> User:
    return moderator("maya")


def _staff(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _warning(mo: User, alice: User) -> Sanction:
    return impose_sanction(moderator=mo, user=alice, kind="warn", rule="spam", reason="ads")


def test_a_warned_person_appeals_and_talks_with_the_moderators(
    api: Api, mo: User, alice: User, bob: User
) -> None:
    sanction = _warning(mo, alice)
    path = f"/api/v1/me/sanctions/{sanction.pk}/appeal"
    client = api.as_user(alice)
    assert client.post(path, {"message": "  "}).json()["code"] == "invalid"
    filed = client.post(path, {"message": "It was a one-off"})
    assert filed.status_code == 201 and filed.json()["status"] == "open"
    assert client.post(path, {"message": "again"}).status_code == 409
    assert api.as_user(bob).get(path).status_code == 404  # not bob's sanction
    appeal = Appeal.objects.get()
    reply = _staff(mo).post(
        f"/moderation/appeals/{appeal.pk}/reply", {"body": "What was the link for?"}
    )
    assert reply.status_code == 302
    assert client.post(f"{path}/messages", {"body": "A charity"}).status_code == 201
    dialogue = client.get(path).json()["messages"]
    assert [(m["from_moderator"], m["body"]) for m in dialogue] == [
        (False, "It was a one-off"),
        (True, "What was the link for?"),
        (False, "A charity"),
    ]
    assert "Mo" not in str(dialogue)
    assert client.get("/api/v1/me/sanctions").json()["items"][0]["appeal_status"] == "open"


def test_the_moderator_who_imposed_it_may_not_decide(
    api: Api, mo: User, other_mo: User, alice: User
) -> None:
    sanction = _warning(mo, alice)
    api.as_user(alice).post(f"/api/v1/me/sanctions/{sanction.pk}/appeal", {"message": "Unfair"})
    appeal = Appeal.objects.get()
    refused = _staff(mo).post(
        f"/moderation/appeals/{appeal.pk}/overturn", {"body": "fine"}, headers=EN
    )
    assert refused.status_code == 403
    assert b"Another moderator" in refused.content
    appeal.refresh_from_db()
    assert appeal.status == "open"
    no_reason = _staff(other_mo).post(f"/moderation/appeals/{appeal.pk}/uphold", {"body": ""})
    assert no_reason.status_code == 422
    upheld = _staff(other_mo).post(f"/moderation/appeals/{appeal.pk}/uphold", {"body": "ads"})
    assert upheld.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == ("upheld", other_mo)
    entry = AuditEntry.objects.get(action="appeal_upheld")
    assert (entry.actor_id, entry.target_id) == (other_mo.pk, sanction.pk)
    # Decided: no more decisions or messages.
    again = _staff(other_mo).post(f"/moderation/appeals/{appeal.pk}/overturn", {"body": "x"})
    assert again.status_code == 409
    path = f"/api/v1/me/sanctions/{sanction.pk}/appeal/messages"
    assert api.as_user(alice).post(path, {"body": "but"}).status_code == 409


def test_a_suspended_person_appeals_from_the_log_in_page_and_an_overturn_lets_them_in(
    api: Api, mo: User, other_mo: User, alice: User
) -> None:
    suspension = impose_sanction(
        moderator=mo, user=alice, kind="suspend", rule="fraud", reason="fake", days=30
    )
    refused = Client().post("/login", {"username": "alice", "password": PASSWORD}, headers=EN)
    assert b"Appeal to the moderators" in refused.content
    wrong = Client().post(
        "/appeal", {"username": "alice", "password": "nope", "body": "Please"}, headers=EN
    )
    assert wrong.status_code == 422 and not Appeal.objects.exists()
    sent = Client().post(
        "/appeal", {"username": "alice", "password": PASSWORD, "body": "I am real"}, headers=EN
    )
    assert sent.status_code == 200 and b"I am real" in sent.content
    appeal = Appeal.objects.get(sanction=suspension)
    overturned = _staff(other_mo).post(
        f"/moderation/appeals/{appeal.pk}/overturn", {"body": "identity confirmed"}
    )
    assert overturned.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert AuditEntry.objects.filter(action="appeal_overturned", actor_id=other_mo.pk).exists()
    body = {"username": "alice", "password": PASSWORD}
    assert api.post("/api/v1/auth/token", body).status_code == 200


def test_the_appeal_page_on_the_web(mo: User, alice: User, bob: User) -> None:
    sanction = _warning(mo, alice)
    page = Client()
    page.force_login(alice)
    path = f"/me/sanctions/{sanction.pk}/appeal"
    assert page.get(path).status_code == 200
    assert page.post(path, {"body": ""}).status_code == 422
    assert page.post(path, {"body": "Please look again"}).status_code == 302
    assert page.post(path, {"body": "And another thing"}).status_code == 302
    assert Appeal.objects.get().messages.count() == 2
    queue = _staff(mo).get("/moderation", headers=EN)
    assert b"Open appeals" in queue.content and b"Warning" in queue.content
    other = Client()
    other.force_login(bob)
    assert other.get(path).status_code == 404


def test_the_moderator_whose_warning_brought_a_suspension_may_not_decide_its_appeal(
    mo: User, other_mo: User, alice: User
) -> None:
    _warning(mo, alice)
    suspension = _warning(mo, alice)  # the second warning: an automatic suspension
    assert (suspension.kind, suspension.automated, suspension.moderator) == ("suspend", True, mo)
    appeal = file_appeal(user=alice, sanction=suspension, message="Unfair")
    with pytest.raises(Forbidden) as caught:
        decide_appeal(moderator=mo, appeal=appeal, overturn=True, reason="My own mistake.")
    assert caught.value.code == "same_moderator"
    assert Sanction.objects.get(pk=suspension.pk).lifted_at is None
    decided = decide_appeal(moderator=other_mo, appeal=appeal, overturn=True, reason="Checked.")
    assert decided.status == "overturned"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["warned you under the rule", "ads", "appeal", "Moderation and you"]),
        ("zh-hans", ["警告", "申诉"]),
    ],
)
def test_a_warned_or_suspended_person_is_told_the_rule_and_how_to_appeal(
    api: Api, mo: User, alice: User, lang: str, expected: list[str]
) -> None:
    warning = _warning(mo, alice)
    inbox = api.as_user(alice).get("/api/v1/notifications", headers={"Accept-Language": lang})
    assert inbox.status_code == 200
    (entry,) = inbox.json()["items"]
    assert entry["kind"] == "sanction"
    assert all(word in entry["text"] for word in expected), entry["text"]
    with translation.override(lang):
        assert rule_text(warning.rule) in entry["text"]
    suspension = impose_sanction(
        moderator=mo, user=alice, kind="suspend", rule="fraud", reason="scam", days=3
    )
    notice = Notification.objects.get(sanction=suspension)
    with translation.override("en"):
        text = describe(notice)
    assert "suspended until" in text and "appeal" in text


def test_neither_warning_moderator_decides_the_automatic_suspension(
    mo: User, other_mo: User, alice: User
) -> None:
    _warning(other_mo, alice)  # the first warning, by maya
    suspension = _warning(mo, alice)  # the second, by mo, suspends
    appeal = file_appeal(user=alice, sanction=suspension, message="Unfair")
    for warner in (mo, other_mo):
        with pytest.raises(Forbidden):
            decide_appeal(moderator=warner, appeal=appeal, overturn=True, reason="Mine.")
    third = moderator("tom")
    assert decide_appeal(moderator=third, appeal=appeal, overturn=False, reason="Ok").status == (
        "upheld"
    )


def test_a_sanction_notice_is_emailed_to_a_person_with_an_address(
    mo: User, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=alice.pk).update(email="alice@example.org")
    warning = _warning(mo, User.objects.get(pk=alice.pk))
    assert Notification.objects.get(sanction=warning).email_due is True
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_email(user_id=alice.pk) is True
    mail = OutboxMessage.objects.get(to="alice@example.org")
    assert "appeal" in mail.body.lower() or "申诉" in mail.body
