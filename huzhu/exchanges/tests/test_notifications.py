"""The inbox and its e-mail: who hears about what, in batches, escaped, without contact details."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api, draft
from huzhu.exchanges import notifications
from huzhu.exchanges.models import Exchange, Notification
from huzhu.exchanges.notifications import EMAIL_WINDOW, send_due_email
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import (
    accept_exchange,
    cancel_exchange,
    complete_exchange,
    decline_exchange,
    mark_handed_over,
    respond_to_post,
)
from huzhu.exchanges.tests.conftest import reload
from huzhu.posts.services import create_post

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
XSS = "<script>alert(1)</script>"


def kinds(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def test_each_side_hears_what_the_other_did(alice: User, bob: User, charlie: User) -> None:
    need = create_post(owner=alice, draft=draft())
    bobs = respond_to_post(post=need, responder=bob, quantity=2, message="")
    charlies = respond_to_post(post=need, responder=charlie, quantity=1, message="")
    decline_exchange(exchange=charlies, actor=alice)
    accept_exchange(exchange=bobs, actor=alice)
    mark_handed_over(exchange=reload(bobs), actor=bob, handover_happened=True)
    complete_exchange(exchange=reload(bobs), actor=alice, handover_happened=True)
    assert kinds(alice) == ["response", "response", "handed_over"]
    assert kinds(bob) == ["accepted", "completed"]
    assert kinds(charlie) == ["declined"]


def test_cancelling_tells_the_other_side(bobs_pledge: Exchange, alice: User, bob: User) -> None:
    cancel_exchange(exchange=bobs_pledge, actor=bob, reason="sorry")
    assert kinds(alice) == ["response", "cancelled"]
    assert kinds(bob) == []


def test_messages_collapse_into_one_unread_entry(
    bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    for text in ("one", "two", "three"):
        post_message(exchange=bobs_pledge, author=bob, body=text)
    assert kinds(alice) == ["response", "message"]
    notifications.mark_read(user=alice)
    post_message(exchange=bobs_pledge, author=bob, body="four")
    assert kinds(alice) == ["response", "message", "message"]


def test_the_text_masks_contact_details_and_never_quotes_messages(
    api: Api, alice: User, bob: User
) -> None:
    User.objects.filter(pk=bob.pk).update(display_name="Bob 13812345678")
    need = create_post(owner=alice, draft=draft(title="Fever medicine, wechat: lily_2024"))
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    post_message(exchange=exchange, author=bob, body="my secret plan: 南京西路1234号")
    body = api.as_user(alice).get("/api/v1/notifications").json()
    texts = [item["text"] for item in body["items"]]
    assert texts == [
        "New messages from Bob [contact hidden] about “Fever medicine, wechat: [contact hidden]”.",
        "Bob [contact hidden] responded to your post “Fever medicine, wechat: [contact hidden]”.",
    ]
    assert "secret plan" not in str(body)
    assert body["unread"] == 2


def test_the_inbox_is_private_and_can_be_marked_read(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    mine = api.as_user(alice).get("/api/v1/notifications").json()["items"]
    assert [(n["kind"], n["exchange_id"]) for n in mine] == [("response", bobs_pledge.pk)]
    assert api.as_user(charlie).get("/api/v1/notifications").json() == {"items": [], "unread": 0}
    assert api.get("/api/v1/notifications").status_code == 401
    path = f"/api/v1/notifications/{mine[0]['id']}/read"
    assert api.as_user(charlie).post(path).status_code == 404
    assert api.as_user(bob).post(path).status_code == 404
    r = api.as_user(alice).post(path)
    assert r.status_code == 200
    assert r.json()["read_at"] is not None
    assert api.as_user(alice).get("/api/v1/notifications", {"unread": True}).json() == {
        "items": [],
        "unread": 0,
    }
    assert api.as_user(alice).post("/api/v1/notifications/999999/read").status_code == 404


def test_read_all(api: Api, bobs_pledge: Exchange, alice: User, bob: User) -> None:
    post_message(exchange=bobs_pledge, author=bob, body="hi")
    assert api.as_user(alice).post("/api/v1/notifications/read-all").json() == {"marked": 2}
    assert api.as_user(alice).post("/api/v1/notifications/read-all").json() == {"marked": 0}


# --- E-mail ----------------------------------------------------------------------------


@pytest.fixture
def alice_with_email(alice: User) -> User:
    User.objects.filter(pk=alice.pk).update(email="alice@example.org", locale="en")
    return User.objects.get(pk=alice.pk)


def emails() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel="email").order_by("id"))


def test_nobody_without_an_address_is_emailed(
    bobs_pledge: Exchange, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_message(exchange=bobs_pledge, author=alice, body="hello")
    assert callbacks == []
    assert Notification.objects.filter(email_due=True).count() == 0
    assert send_due_email(user_id=alice.pk) is False


def test_the_email_is_scheduled_after_commit(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    need = create_post(owner=alice_with_email, draft=draft())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        respond_to_post(post=need, responder=bob, quantity=1, message="")
    assert DBTaskResult.objects.count() == 0  # nothing before commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert DBTaskResult.objects.get().task_path.endswith("email_notifications")


def test_one_email_per_window_and_the_rest_summarised(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(T0, tick=False):
        need = create_post(owner=alice_with_email, draft=draft(title=f"Need {XSS}"))
        exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
        with django_capture_on_commit_callbacks(execute=True):
            assert send_due_email(user_id=alice_with_email.pk) is True
    assert len(emails()) == 1
    first = emails()[0]
    assert first.to == "alice@example.org"
    assert first.subject == "Huzhu: 1 update"
    assert "&lt;script&gt;" in first.body
    assert XSS not in first.body

    # Within the window: eight more things happen, nothing is sent ...
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        for n in range(8):
            post_message(exchange=exchange, author=bob, body=f"message {n}")
            notifications.mark_read(user=alice_with_email)  # so each message is a new entry
        with django_capture_on_commit_callbacks(execute=True):
            assert send_due_email(user_id=alice_with_email.pk) is False
    assert len(emails()) == 1

    # ... and when it ends, one e-mail summarises what is still unread.
    Notification.objects.filter(user=alice_with_email, read_at__isnull=False).update(read_at=None)
    later = T0 + EMAIL_WINDOW + timedelta(minutes=1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_due_email(user_id=alice_with_email.pk) is True
        assert send_due_email(user_id=alice_with_email.pk) is False
    assert len(emails()) == 2
    second = emails()[1]
    assert second.subject == "Huzhu: 8 updates"
    assert second.body.count("\n- ") + second.body.startswith("- ") == 5
    assert "…and 3 more updates." in second.body
    assert "/me/inbox" in second.body


def test_emails_carry_no_contact_details_and_no_message_text(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=bob.pk).update(display_name="Bob vx bob_1234")
    need = create_post(owner=alice_with_email, draft=draft(title="Ibuprofen, call 13812345678"))
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    post_message(exchange=exchange, author=bob, body="meet at 南京西路1234号, mail b@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        send_due_email(user_id=alice_with_email.pk)
    body = emails()[0].body
    for secret in ("13812345678", "bob_1234", "南京西路", "b@example.com", "meet at"):
        assert secret not in body
    assert "[contact hidden]" in body


def test_the_email_speaks_the_readers_language(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=alice_with_email.pk).update(locale="zh-hans")
    need = create_post(owner=alice_with_email, draft=draft())
    respond_to_post(post=need, responder=bob, quantity=1, message="")
    with override_settings(LANGUAGE_CODE="en"), django_capture_on_commit_callbacks(execute=True):
        send_due_email(user_id=alice_with_email.pk)
    assert emails()[0].subject.startswith("互助")  # "互助：1 条更新"
    assert "/me/inbox" in emails()[0].body


def test_read_notifications_are_not_emailed(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    need = create_post(owner=alice_with_email, draft=draft())
    respond_to_post(post=need, responder=bob, quantity=1, message="")
    notifications.mark_read(user=alice_with_email)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_email(user_id=alice_with_email.pk) is False
    assert emails() == []
