"""The real gateways against local stubs that speak each provider's documented format:
success, rejection, timeout, retry with backoff, the request's signature; and the
background delivery around them (idempotent, recorded, never in a request)."""

import base64
import json
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts import delivery, outbox
from huzhu.accounts.gateways import aliyun
from huzhu.accounts.models import Delivery, OutboxMessage, User
from huzhu.accounts.tests.stubs import Mailbox, Script, Seen, http_stub, smtp_stub
from huzhu.conftest import make_user
from huzhu.trust.tests.helpers import sent_on_commit

PHONE = "+8613812345678"
ALIYUN = "huzhu.accounts.gateways.aliyun.AliyunSMSBackend"
TWILIO = "huzhu.accounts.gateways.twilio.TwilioSMSBackend"
SMTP = "huzhu.accounts.gateways.smtp.SMTPEmailBackend"
ALIYUN_OK = json.dumps(
    {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}
).encode()


@pytest.fixture(autouse=True)
def _fast(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    settings.HUZHU_DELIVERY_TIMEOUT = 0.5
    settings.HUZHU_DELIVERY_BACKOFF = 0.01
    settings.HUZHU_DELIVERY_ATTEMPTS = 3
    slept: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr("huzhu.accounts.gateways.http.time.sleep", sleep)
    yield slept


def deliver_sms(settings: Any, backend: str, body: str = "Huzhu: hello") -> Delivery:
    settings.HUZHU_SMS_BACKEND = backend
    with sent_on_commit():
        outbox.send_sms(PHONE, body)
    row = Delivery.objects.get()
    delivery.send(row.pk)
    row.refresh_from_db()
    return row


# --- Alibaba Cloud SMS ----------------------------------------------------------------------


def test_the_signature_matches_alibabas_documented_example() -> None:
    """The worked example in Alibaba Cloud's SMS API signature documentation."""
    parameters = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun.sign(parameters, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def aliyun_check(secret: str) -> Any:
    """The stub checks the signature as Alibaba does, and refuses a wrong one (HTTP 400)."""

    def check(seen: Seen) -> tuple[int, bytes] | None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(seen.path).query))
        signature = query.pop("Signature", "")
        if seen.method != "GET" or signature != aliyun.sign(query, secret):
            body = {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched",
            }
            return 400, json.dumps(body).encode()
        return None

    return check


@pytest.fixture
def aliyun_settings(settings: Any) -> Any:
    settings.HUZHU_ALIYUN_SMS_ACCESS_KEY_ID = "LTAI-test"
    settings.HUZHU_ALIYUN_SMS_ACCESS_KEY_SECRET = "s3cret"
    settings.HUZHU_ALIYUN_SMS_SIGN_NAME = "互助"
    settings.HUZHU_ALIYUN_SMS_TEMPLATE = "SMS_000001"
    return settings


def test_aliyun_sends_a_signed_request_and_records_the_biz_id(
    db: None, aliyun_settings: Any
) -> None:
    script = Script([(200, ALIYUN_OK, 0)], check=aliyun_check("s3cret"))
    with http_stub(script) as url:
        aliyun_settings.HUZHU_ALIYUN_SMS_ENDPOINT = url
        row = deliver_sms(aliyun_settings, ALIYUN, "互助：有人回应了你的需求")
    assert (row.status, row.provider_id, row.attempts) == ("sent", "900619746936498440^0", 1)
    assert (row.sealed_to, row.sealed_body) == ("", "")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(script.seen[0].path).query))
    assert query["PhoneNumbers"] == "13812345678"
    assert query["Action"] == "SendSms" and query["SignName"] == "互助"
    assert json.loads(query["TemplateParam"]) == {"content": "互助：有人回应了你的需求"}


def test_aliyun_with_a_wrong_secret_fails_on_the_signature(db: None, aliyun_settings: Any) -> None:
    script = Script([(200, ALIYUN_OK, 0)], check=aliyun_check("the real secret"))
    with http_stub(script) as url:
        aliyun_settings.HUZHU_ALIYUN_SMS_ENDPOINT = url
        row = deliver_sms(aliyun_settings, ALIYUN)
    assert (row.status, row.error) == ("failed", "SignatureDoesNotMatch")
    assert len(script.seen) == 1  # a rejection is not retried


def test_aliyun_rejection_fails_at_once(db: None, aliyun_settings: Any) -> None:
    refused = json.dumps({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "invalid"}).encode()
    script = Script([(200, refused, 0)])
    with http_stub(script) as url:
        aliyun_settings.HUZHU_ALIYUN_SMS_ENDPOINT = url
        row = deliver_sms(aliyun_settings, ALIYUN)
    assert (row.status, row.error, row.sealed_body) == ("failed", "isv.MOBILE_NUMBER_ILLEGAL", "")


def test_aliyun_5xx_is_retried_with_backoff(
    db: None, aliyun_settings: Any, _fast: list[float]
) -> None:
    script = Script([(503, b"busy", 0), (503, b"busy", 0), (200, ALIYUN_OK, 0)])
    with http_stub(script) as url:
        aliyun_settings.HUZHU_ALIYUN_SMS_ENDPOINT = url
        row = deliver_sms(aliyun_settings, ALIYUN)
    assert row.status == "sent"
    assert len(script.seen) == 3
    assert _fast == [0.01, 0.02]  # doubling


def test_a_timeout_queues_the_delivery_again_then_fails(
    db: None, aliyun_settings: Any, settings: Any
) -> None:
    settings.HUZHU_DELIVERY_TIMEOUT = 0.2
    settings.HUZHU_DELIVERY_ATTEMPTS = 2
    settings.HUZHU_DELIVERY_RETRIES = 1
    script = Script([(200, ALIYUN_OK, 0.6)])
    with http_stub(script) as url:
        aliyun_settings.HUZHU_ALIYUN_SMS_ENDPOINT = url
        row = deliver_sms(aliyun_settings, ALIYUN)
        assert (row.status, row.error, row.attempts) == ("queued", "timeout", 1)
        assert row.sealed_body  # kept for the next try
        with sent_on_commit():
            assert delivery.send(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sealed_body) == ("failed", 2, "")
    assert len(script.seen) == 4


def test_missing_aliyun_settings_are_named(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.HUZHU_ALIYUN_SMS_ACCESS_KEY_ID = ""
    with pytest.raises(ImproperlyConfigured, match="HUZHU_ALIYUN_SMS_ACCESS_KEY_ID"):
        aliyun.AliyunSMSBackend()


# --- Twilio ---------------------------------------------------------------------------------


@pytest.fixture
def twilio_settings(settings: Any) -> Any:
    settings.HUZHU_TWILIO_ACCOUNT_SID = "AC123"
    settings.HUZHU_TWILIO_AUTH_TOKEN = "tok"
    settings.HUZHU_TWILIO_FROM = "+15005550006"
    return settings


def twilio_check(seen: Seen) -> tuple[int, bytes] | None:
    expected = "Basic " + base64.b64encode(b"AC123:tok").decode()
    if seen.headers.get("Authorization") != expected:
        body = {"code": 20003, "message": "Authenticate", "status": 401}
        return 401, json.dumps(body).encode()
    if seen.path != "/2010-04-01/Accounts/AC123/Messages.json":
        return 404, json.dumps({"code": 20404, "status": 404}).encode()
    return None


TWILIO_OK = json.dumps({"sid": "SM0123456789abcdef", "status": "queued"}).encode()


def test_twilio_posts_the_form_with_basic_auth(db: None, twilio_settings: Any) -> None:
    script = Script([(201, TWILIO_OK, 0)], check=twilio_check)
    with http_stub(script) as url:
        twilio_settings.HUZHU_TWILIO_API_BASE = url
        row = deliver_sms(twilio_settings, TWILIO, "Huzhu: someone responded")
    assert (row.status, row.provider_id) == ("sent", "SM0123456789abcdef")
    form = dict(urllib.parse.parse_qsl(script.seen[0].body.decode()))
    assert form == {"To": PHONE, "From": "+15005550006", "Body": "Huzhu: someone responded"}


def test_twilio_with_a_wrong_token_fails(db: None, twilio_settings: Any) -> None:
    twilio_settings.HUZHU_TWILIO_AUTH_TOKEN = "wrong"
    script = Script([(201, TWILIO_OK, 0)], check=twilio_check)
    with http_stub(script) as url:
        twilio_settings.HUZHU_TWILIO_API_BASE = url
        row = deliver_sms(twilio_settings, TWILIO)
    assert (row.status, row.error) == ("failed", "twilio_20003")


def test_twilio_rejection_and_flow_control(db: None, twilio_settings: Any) -> None:
    invalid = json.dumps({"code": 21211, "message": "Invalid 'To'", "status": 400}).encode()
    with http_stub(Script([(400, invalid, 0)])) as url:
        twilio_settings.HUZHU_TWILIO_API_BASE = url
        assert deliver_sms(twilio_settings, TWILIO).error == "twilio_21211"
    Delivery.objects.all().delete()
    script = Script([(429, b"{}", 0), (201, TWILIO_OK, 0)])
    with http_stub(script) as url:
        twilio_settings.HUZHU_TWILIO_API_BASE = url
        assert deliver_sms(twilio_settings, TWILIO).status == "sent"
    assert len(script.seen) == 2


# --- SMTP -----------------------------------------------------------------------------------


def test_smtp_sends_through_djangos_backend(db: None, settings: Any) -> None:
    mailbox = Mailbox()
    with smtp_stub(mailbox) as port:
        settings.HUZHU_SMTP_HOST, settings.HUZHU_SMTP_PORT = "127.0.0.1", port
        settings.HUZHU_SMTP_SECURITY = "none"
        settings.HUZHU_EMAIL_FROM = "Huzhu <noreply@huzhu.example>"
        settings.HUZHU_EMAIL_BACKEND = SMTP
        with sent_on_commit():
            outbox.send_email("mei@example.org", "Your code", "Code 123456")
        row = Delivery.objects.get()
        assert delivery.send(row.pk) == "sent"
    sender, recipients, data = mailbox.messages[0]
    assert (sender, recipients) == ("noreply@huzhu.example", ["mei@example.org"])
    assert b"Subject: Your code" in data and b"Code 123456" in data
    row.refresh_from_db()
    assert row.provider_id.endswith("@huzhu.example>")


def test_smtp_refused_recipient_fails(db: None, settings: Any) -> None:
    with smtp_stub(Mailbox(refuse_recipients=True)) as port:
        settings.HUZHU_SMTP_HOST, settings.HUZHU_SMTP_PORT = "127.0.0.1", port
        settings.HUZHU_SMTP_SECURITY = "none"
        settings.HUZHU_EMAIL_BACKEND = SMTP
        with sent_on_commit():
            outbox.send_email("nobody@example.org", "s", "b")
        row = Delivery.objects.get()
        assert delivery.send(row.pk) == "failed"
    row.refresh_from_db()
    assert row.error == "smtp_recipient_refused"


# --- Around the gateways --------------------------------------------------------------------


def test_a_slow_provider_never_slows_a_request(db: None, twilio_settings: Any) -> None:
    script = Script([(201, TWILIO_OK, 5.0)])
    with http_stub(script) as url:
        twilio_settings.HUZHU_TWILIO_API_BASE = url
        twilio_settings.HUZHU_SMS_BACKEND = TWILIO
        Client().post("/api/v1/auth/phone", {}, content_type="application/json")  # warm up
        started = time.monotonic()
        with sent_on_commit():
            answer = Client().post(
                "/api/v1/auth/phone", {"phone": PHONE}, content_type="application/json"
            )
        assert answer.status_code == 202
        assert time.monotonic() - started < 2.5  # the gateway alone would take 5 s
    assert not script.seen  # the gateway is the task's business
    assert Delivery.objects.get().status == "queued"
    assert not OutboxMessage.objects.exists()


def test_operators_see_failed_deliveries_in_the_admin(db: None, twilio_settings: Any) -> None:
    with http_stub(Script([(400, b'{"code": 21610}', 0)])) as url:
        twilio_settings.HUZHU_TWILIO_API_BASE = url
        deliver_sms(twilio_settings, TWILIO)
    operator = make_user("operator")
    User.objects.filter(pk=operator.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    page = client.get("/admin/accounts/delivery/?status__exact=failed")
    assert page.status_code == 200
    text = page.content.decode()
    assert "twilio_21610" in text
    assert PHONE not in text
