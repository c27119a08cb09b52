"""Replies by SMS: signed webhooks per provider; "1"/"0" answer "still needed?", STOP and
退订 turn SMS off; an unsigned or wrongly signed webhook changes nothing."""

import json
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from huzhu.conftest import Api
from huzhu.exchanges.checkins import ask_due_checkins
from huzhu.exchanges.models import CheckIn
from huzhu.exchanges.sms_webhooks import twilio_signature
from huzhu.exchanges.tests.test_texting import NEED, PREFS, phone_member, run_text_tasks, texts_to
from huzhu.posts.models import Post
from huzhu.trust.tests.helpers import PHONE, sent_on_commit

TWILIO = "/sms/inbound/twilio"
TOKEN = "twilio-auth-token"


def twilio_post(body: str, *, sender: str = PHONE, signature: str | None = None) -> Any:
    params = {"From": sender, "To": "+15005550006", "Body": body, "MessageSid": "SM1"}
    url = f"http://127.0.0.1:8000{TWILIO}"
    signed = twilio_signature(url, params, TOKEN) if signature is None else signature
    with sent_on_commit():
        return Client().post(TWILIO, params, headers={"X-Twilio-Signature": signed})


def asked_need(settings: Any) -> tuple[Api, int]:
    """A phone-only member's need, quiet long enough to be asked "still needed?" by SMS."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.HUZHU_TWILIO_AUTH_TOKEN = TOKEN
    mei_api, _mei = phone_member(locale="en")
    with sent_on_commit():
        post_id = mei_api.post("/api/v1/posts", NEED).json()["id"]
    with sent_on_commit():
        assert ask_due_checkins(now=timezone.now() + timedelta(days=4)) == 1
    assert run_text_tasks() == ["texted"]
    assert "Reply 1 if still needed, 0 if not." in texts_to()[-1]
    return mei_api, post_id


def test_replying_0_withdraws_the_need(db: None, settings: Any) -> None:
    _mei_api, post_id = asked_need(settings)
    answer = twilio_post("0")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/xml"
    assert Post.objects.get(pk=post_id).status == "withdrawn"
    assert CheckIn.objects.get().outcome == "not_needed"


def test_replying_1_keeps_the_need(db: None, settings: Any) -> None:
    _mei_api, post_id = asked_need(settings)
    assert twilio_post(" 1 ").status_code == 200
    assert Post.objects.get(pk=post_id).status == "open"
    assert CheckIn.objects.get().outcome == "still_needed"


def test_stop_turns_sms_off(db: None, settings: Any) -> None:
    mei_api, _post_id = asked_need(settings)
    assert twilio_post("退订").status_code == 200
    channels = mei_api.get(PREFS).json()["channels"]
    assert all("sms" not in chosen for chosen in channels.values())
    assert all("email" in channels[name] for name in ("response", "accepted"))


def test_an_unsigned_or_wrongly_signed_webhook_changes_nothing(db: None, settings: Any) -> None:
    _mei_api, post_id = asked_need(settings)
    assert twilio_post("0", signature="").status_code == 403
    assert twilio_post("0", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert Post.objects.get(pk=post_id).status == "open"


def test_an_unknown_number_changes_nothing_and_is_not_told_apart(db: None, settings: Any) -> None:
    _mei_api, post_id = asked_need(settings)
    known = twilio_post("hello")
    unknown = twilio_post("0", sender="+8613912345678")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert Post.objects.get(pk=post_id).status == "open"


def test_without_a_token_the_webhooks_are_404(db: None, settings: Any) -> None:
    settings.HUZHU_TWILIO_AUTH_TOKEN = ""
    settings.HUZHU_ALIYUN_SMS_INBOUND_TOKEN = ""
    assert Client().post(TWILIO, {"From": PHONE, "Body": "0"}).status_code == 404
    assert (
        Client().post("/sms/inbound/aliyun/x", "[]", content_type="application/json").status_code
        == 404
    )


def test_alibabas_push_with_the_secret_answers_the_check_in(db: None, settings: Any) -> None:
    _mei_api, post_id = asked_need(settings)
    settings.HUZHU_ALIYUN_SMS_INBOUND_TOKEN = "s3cret-path"
    pushed = [{"phone_number": "13812345678", "content": "0", "send_time": "2026-12-07 10:00:00"}]
    wrong = Client().post(
        "/sms/inbound/aliyun/guess", json.dumps(pushed), content_type="application/json"
    )
    assert wrong.status_code == 404
    with sent_on_commit():
        right = Client().post(
            "/sms/inbound/aliyun/s3cret-path", json.dumps(pushed), content_type="application/json"
        )
    assert right.status_code == 200 and right.json()["code"] == 0
    assert Post.objects.get(pk=post_id).status == "withdrawn"


def test_a_late_answer_after_the_week_changes_nothing(db: None, settings: Any) -> None:
    _mei_api, post_id = asked_need(settings)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        twilio_post("0")
    assert Post.objects.get(pk=post_id).status != "withdrawn"
