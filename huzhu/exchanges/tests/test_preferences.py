"""Notification preferences: the API and page, and the e-mail batching honouring them."""

from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api, draft
from huzhu.exchanges.models import Notification
from huzhu.exchanges.notifications import send_due_email
from huzhu.exchanges.preferences import Preferences, update_preferences
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.web.tests.helpers import inline_code

DEFAULTS = {
    "response": True,
    "accepted": True,
    "declined": True,
    "message": True,
    "completed": True,
    "checkin": True,
    "alert": True,
    "quiet": False,
}
PATH = "/api/v1/me/notification-preferences"


@pytest.fixture
def alice_with_email(alice: User) -> User:
    User.objects.filter(pk=alice.pk).update(email="alice@example.org", locale="en")
    return User.objects.get(pk=alice.pk)


def booleans(answer: dict[str, Any]) -> dict[str, Any]:
    return {name: answer[name] for name in DEFAULTS}


def test_everything_is_emailed_by_default(api: Api, alice: User) -> None:
    answer = api.as_user(alice).get(PATH).json()
    assert booleans(answer) == DEFAULTS
    assert answer["channels"]["response"] == ["email", "sms"]
    assert answer["channels"]["completed"] == ["email"]
    assert answer["channels"]["sanction"] == ["sms"]
    assert (answer["quiet_hours"], answer["time_zone"], answer["sms_per_day"]) == (
        None,
        "Asia/Shanghai",
        10,
    )


def test_people_choose_and_read_back_their_preferences(api: Api, alice: User, bob: User) -> None:
    chosen = {**DEFAULTS, "message": False, "alert": False}
    r = api.as_user(alice).put(PATH, chosen)
    assert r.status_code == 200
    assert booleans(r.json()) == chosen
    assert booleans(api.as_user(alice).get(PATH).json()) == chosen
    assert booleans(api.as_user(bob).get(PATH).json()) == DEFAULTS  # one person's choice only


def test_channels_quiet_hours_and_the_cap_are_chosen_and_kept(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    body = {
        **DEFAULTS,
        "channels": {"response": ["email", "sms", "push"], "review": [], "message": ["email"]},
        "quiet_hours": {"start": "22:00", "end": "07:30"},
        "time_zone": "Europe/London",
        "sms_per_day": 3,
    }
    answer = me.put(PATH, body).json()
    assert answer["channels"]["response"] == ["email", "sms", "push"]
    assert answer["channels"]["review"] == []
    assert answer["channels"]["message"] == ["email"]
    assert answer["channels"]["accepted"] == ["email", "sms"]  # not named: as it was
    assert answer["quiet_hours"] == {"start": "22:00", "end": "07:30"}
    # The booleans alone keep the rest.
    kept = me.put(PATH, {**DEFAULTS, "completed": False}).json()
    assert kept["channels"]["response"] == ["email", "sms", "push"]
    assert (kept["time_zone"], kept["sms_per_day"]) == ("Europe/London", 3)
    assert kept["quiet_hours"] == {"start": "22:00", "end": "07:30"}
    cleared = me.put(PATH, {**DEFAULTS, "quiet_hours": None}).json()
    assert cleared["quiet_hours"] is None


@pytest.mark.parametrize(
    "extra",
    [
        {"channels": {"nonsense": ["sms"]}},
        {"channels": {"response": ["pigeon"]}},
        {"time_zone": "Mars/Olympus"},
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"sms_per_day": -1},
    ],
)
def test_bad_channel_choices_are_422(api: Api, alice: User, extra: dict[str, Any]) -> None:
    assert api.as_user(alice).put(PATH, {**DEFAULTS, **extra}).status_code == 422


def test_preferences_need_a_complete_valid_body_and_a_caller(api: Api, alice: User) -> None:
    r = api.as_user(alice).put(PATH, {"quiet": True})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "response"
    assert api.as_user(alice).put(PATH, {**DEFAULTS, "quiet": "loud"}).status_code == 422
    assert api.get(PATH).status_code == 401
    assert api.put(PATH, DEFAULTS).status_code == 401


def _respond_and_message(owner: User, responder: User) -> None:
    need = create_post(owner=owner, draft=draft())
    exchange = respond_to_post(post=need, responder=responder, quantity=1, message="")
    post_message(exchange=exchange, author=responder, body="hello")


def test_a_kind_switched_off_is_not_emailed_but_stays_in_the_inbox(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    update_preferences(user=alice_with_email, preferences=Preferences(message=False))
    _respond_and_message(alice_with_email, bob)
    assert sorted(
        Notification.objects.filter(user=alice_with_email).values_list("kind", flat=True)
    ) == [
        "message",
        "response",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_email(user_id=alice_with_email.pk) is True
    [mail] = OutboxMessage.objects.all()
    assert mail.subject == "Huzhu: 1 update"
    assert "responded to your post" in mail.body
    assert "New messages" not in mail.body


def test_a_kind_switched_off_later_is_not_emailed_either(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    _respond_and_message(alice_with_email, bob)
    update_preferences(user=alice_with_email, preferences=Preferences(response=False))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_email(user_id=alice_with_email.pk) is True
    assert "responded to your post" not in OutboxMessage.objects.get().body


def test_quiet_sends_no_email_at_all(
    alice_with_email: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    update_preferences(user=alice_with_email, preferences=Preferences(quiet=True))
    with django_capture_on_commit_callbacks(execute=True):
        _respond_and_message(alice_with_email, bob)
    assert not DBTaskResult.objects.filter(task_path__endswith="email_notifications").exists()
    assert send_due_email(user_id=alice_with_email.pk) is False
    assert OutboxMessage.objects.count() == 0
    assert Notification.objects.filter(user=alice_with_email).count() == 2


def test_the_settings_page_saves_choices(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/me/notifications").content.decode()
    assert inline_code(html) == []
    assert 'name="quiet"' in html
    email_form = html[: html.index('id="channels"')]
    assert email_form.count("checked") == 7  # every kind, not quiet
    r = client.post("/me/notifications", {"response": "on", "quiet": "on"})
    assert r.status_code == 302
    expected = {**dict.fromkeys(DEFAULTS, False), "response": True, "quiet": True}
    assert booleans(api_view(alice)) == expected
    assert 'href="/me/notifications"' in client.get("/me/inbox").content.decode()


def api_view(user: User) -> dict[str, Any]:
    body: dict[str, Any] = Api().as_user(user).get(PATH).json()
    return body


def test_the_settings_page_saves_sms_and_push_choices(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/me/notifications").content.decode()
    assert "Texts go to a verified phone" in html or "短信" in html  # alice has no phone
    form = {
        "which": "channels",
        "sms": ["response", "sanction"],
        "push": ["message"],
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "time_zone": "Asia/Shanghai",
        "sms_per_day": "4",
    }
    assert client.post("/me/notifications", form).status_code == 302
    saved = api_view(alice)
    assert saved["channels"]["response"] == ["email", "sms"]
    assert saved["channels"]["sanction"] == ["sms"]
    assert saved["channels"]["accepted"] == ["email"]
    assert saved["channels"]["message"] == ["email", "push"]
    assert saved["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert saved["sms_per_day"] == 4
    assert booleans(saved) == DEFAULTS  # the e-mail choices stay
    bad = client.post("/me/notifications", {**form, "sms_per_day": "-3"})
    assert bad.status_code == 422
    wrong_zone = client.post("/me/notifications", {**form, "time_zone": "Mars/Olympus"})
    assert wrong_zone.status_code == 422  # the page again, saying why
    assert api_view(alice)["time_zone"] == "Asia/Shanghai"
