"""Notifications by SMS for phone-verified people: the phone-only journey, what is texted
and when (message delay, quiet hours, daily cap), and never twice."""

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import BEIJING, Api
from huzhu.exchanges.models import Notification
from huzhu.exchanges.texting import send_text
from huzhu.safety.sanctions import impose_sanction
from huzhu.trust.tests.helpers import PHONE, make_moderator, sent_on_commit
from huzhu.trust.tests.test_phone_signin import sign_in

PREFS = "/api/v1/me/notification-preferences"
NEED = {
    "kind": "need",
    "title": "Need ibuprofen for my father",
    "body": "He has a fever since yesterday.",
    "category": "medicine",
    "item": "ibuprofen",
    "quantity": 2,
    "lat": BEIJING[0],
    "lng": BEIJING[1],
    "tags": [],
}


def text_tasks() -> list[Any]:
    return list(DBTaskResult.objects.filter(task_path__endswith="text_notification"))


def run_text_tasks(now: datetime | None = None) -> list[str]:
    """What the worker would do: run each queued text task (deferred ones at `now`)."""
    done = []
    for task in text_tasks():
        with sent_on_commit():
            done.append(send_text(task.args_kwargs["args"][0], now=now))
        task.delete()
    return done


def texts_to(phone: str = PHONE) -> list[str]:
    return list(
        OutboxMessage.objects.filter(channel="sms", to=phone)
        .order_by("id")
        .values_list("body", flat=True)
    )[1:]  # the first was the sign-in code


def phone_member(**extra: Any) -> tuple[Api, User]:
    answer = sign_in(PHONE, **extra)
    assert answer.status_code == 200, answer.content
    return Api(answer.json()["token"]), User.objects.get(verified_phone__isnull=False)


def respond(api: Api, post_id: int) -> Any:
    with sent_on_commit():
        answer = api.post(f"/api/v1/posts/{post_id}/exchanges", {"quantity": 1, "message": "Hi"})
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_phone_only_member_posts_a_need_and_hears_of_a_response_by_sms(
    api: Api, bob: User
) -> None:
    mei_api, mei = phone_member(locale="en")
    with sent_on_commit():
        post = mei_api.post("/api/v1/posts", NEED)
    assert post.status_code == 201, post.content
    respond(api.as_user(bob), post.json()["id"])
    assert run_text_tasks() == ["texted"]
    [text] = texts_to()
    assert text.startswith("Huzhu: Bob responded to your post “Need ibuprofen for my father”.")
    assert "/exchanges/" in text
    assert len(text) < 160
    inbox = mei_api.get("/api/v1/notifications").json()
    assert inbox["unread"] == 1
    assert run_text_tasks() == []  # nothing more queued; and the task again:
    assert send_text(Notification.objects.get(user=mei).pk) == "skipped"
    assert len(texts_to()) == 1


def test_the_text_is_in_the_persons_language(api: Api, bob: User) -> None:
    mei_api, _mei = phone_member(locale="zh-hans")
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    run_text_tasks()
    assert texts_to()[0].startswith("互助")


def test_a_password_account_without_a_phone_gets_no_text(api: Api, alice: User, bob: User) -> None:
    with sent_on_commit():
        post_id = api.as_user(alice).post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    assert text_tasks() == []
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_read_notification_is_not_texted(api: Api, bob: User) -> None:
    mei_api, _mei = phone_member()
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    mei_api.post("/api/v1/notifications/read-all")
    assert run_text_tasks() == ["read"]
    assert texts_to() == []


def test_a_relay_message_is_texted_only_if_unread_after_15_minutes(api: Api, bob: User) -> None:
    mei_api, mei = phone_member()
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    exchange = respond(api.as_user(bob), post_id)
    run_text_tasks()
    with sent_on_commit():
        sent = api.as_user(bob).post(f"/api/v1/exchanges/{exchange['id']}/messages", {"body": "Hi"})
    assert sent.status_code == 201, sent.content
    message = Notification.objects.get(user=mei, kind="message")
    assert send_text(message.pk) == "later"  # too early: queued again for later
    later = message.created_at + timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        assert send_text(message.pk) == "texted"
    assert "Bob" in texts_to()[-1] and "/exchanges/" in texts_to()[-1]


def test_quiet_hours_in_the_persons_time_zone_hold_texts(api: Api, bob: User) -> None:
    mei_api, mei = phone_member()
    quiet = {"start": "22:00", "end": "07:00"}
    prefs = mei_api.get(PREFS).json()
    mei_api.put(PREFS, {**prefs, "quiet_hours": quiet, "time_zone": "Asia/Shanghai"})
    night = datetime(2026, 12, 7, 15, 30, tzinfo=UTC)  # 23:30 in Beijing
    with time_machine.travel(night, tick=False):
        with sent_on_commit():
            post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
        respond(api.as_user(bob), post_id)
        assert run_text_tasks(now=night) == ["later"]
    morning = datetime(2026, 12, 7, 23, 5, tzinfo=UTC)  # 07:05 in Beijing
    notification = Notification.objects.get(user=mei)
    assert send_text(notification.pk, now=morning) == "texted"


def test_the_daily_cap_and_the_channel_choice_hold(api: Api, bob: User, charlie: User) -> None:
    mei_api, _mei = phone_member()
    prefs = mei_api.get(PREFS).json()
    mei_api.put(PREFS, {**prefs, "sms_per_day": 1})
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    assert run_text_tasks() == ["texted"]
    respond(api.as_user(charlie), post_id)
    assert run_text_tasks() == ["capped"]
    mei_api.put(PREFS, {**prefs, "channels": {"response": ["email"]}})
    dave = User.objects.create(username="dave", display_name="Dave")
    respond(api.as_user(dave), post_id)
    assert text_tasks() == []  # SMS off for responses
    assert len(texts_to()) == 1


def test_a_sanction_is_texted_with_a_link_to_the_sanctions_page(db: None) -> None:
    _mei_api, mei = phone_member(locale="en")
    with sent_on_commit():
        impose_sanction(moderator=make_moderator(), user=mei, kind="warn", rule="spam", reason="x")
    assert run_text_tasks() == ["texted"]
    assert texts_to()[-1].endswith("/me/sanctions")


def test_the_inbox_shows_the_unread_count_in_the_navigation(api: Api, bob: User) -> None:
    from django.test import Client

    mei_api, mei = phone_member()
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    client = Client()
    client.force_login(mei)
    page = client.get("/").content.decode()
    assert 'class="unread-count"' in page


def test_a_responder_hears_by_sms_that_the_owner_accepted_then_of_the_review(
    api: Api, alice: User
) -> None:
    """Mei, phone-only, responds to Alice's need: acceptance and the revealed review reach
    her by SMS; "completed" is news and stays in the inbox."""
    from huzhu.exchanges.services import accept_exchange, complete_exchange, respond_to_post
    from huzhu.posts.models import Post
    from huzhu.trust.reviews import write_review

    _mei_api, mei = phone_member(locale="en")
    with sent_on_commit():
        post_id = api.as_user(alice).post("/api/v1/posts", NEED).json()["id"]
    with sent_on_commit():
        exchange = respond_to_post(
            post=Post.objects.get(pk=post_id), responder=mei, quantity=1, message="I have some"
        )
        accept_exchange(exchange=exchange, actor=alice)
    assert run_text_tasks() == ["texted"]
    assert "accepted your response" in texts_to()[-1]
    with sent_on_commit():
        complete_exchange(exchange=exchange, actor=alice, handover_happened=True)
        write_review(exchange=exchange, reviewer=alice, score=5)
        write_review(exchange=exchange, reviewer=mei, score=5)
    assert run_text_tasks() == ["texted"]  # the review; not "completed"
    assert "review of your exchange" in texts_to()[-1]


def test_a_declined_response_is_texted(api: Api, alice: User) -> None:
    from huzhu.exchanges.services import decline_exchange, respond_to_post
    from huzhu.posts.models import Post

    _mei_api, mei = phone_member(locale="en")
    with sent_on_commit():
        post_id = api.as_user(alice).post("/api/v1/posts", NEED).json()["id"]
    with sent_on_commit():
        exchange = respond_to_post(
            post=Post.objects.get(pk=post_id), responder=mei, quantity=1, message=""
        )
        decline_exchange(exchange=exchange, actor=alice)
    assert run_text_tasks() == ["texted"]
    assert "declined your response" in texts_to()[-1]


def test_texts_due_together_go_as_one(api: Api, bob: User, charlie: User) -> None:
    mei_api, mei = phone_member(locale="en")
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    respond(api.as_user(charlie), post_id)
    assert sorted(run_text_tasks()) == ["skipped", "texted"]
    [text] = texts_to()
    assert "And 1 more update." in text and text.endswith("/me/inbox")
    assert Notification.objects.filter(user=mei, texted_at__isnull=True).count() == 0


def test_organisers_hear_of_a_low_platform_rating_by_sms(db: None) -> None:
    from huzhu.insights.feedback import FeedbackDraft, give_feedback

    _mei_api, mei = phone_member(locale="en")
    User.objects.filter(pk=mei.pk).update(is_staff=True)  # Mei organises
    rater = User.objects.create(username="rater", display_name="Rater")
    with sent_on_commit():
        give_feedback(user=rater, draft=FeedbackDraft(rating=1, text="slow"))
        give_feedback(user=rater, draft=FeedbackDraft(rating=2, text="still slow"))
    assert Notification.objects.filter(user=mei, kind="feedback_low").count() == 1  # collapsed
    assert run_text_tasks() == ["texted"]
    assert texts_to()[-1].endswith("/organisers/feedback")
