"""Web push: a browser subscribes; a notification in a pushed group reaches a local push
service that checks the VAPID signature and decrypts the message as a browser would;
a subscription the service forgot is dropped; every "no"."""

import base64
import hashlib
import hmac
import json
import struct
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.models import User
from huzhu.accounts.tests.stubs import Script, Seen, http_stub
from huzhu.conftest import Api
from huzhu.exchanges.models import Notification, PushSubscription
from huzhu.exchanges.pushing import send_push, subscribe
from huzhu.exchanges.tests.test_texting import NEED, PREFS, respond
from huzhu.exchanges.webpush import b64url, b64url_decode
from huzhu.trust.tests.helpers import sent_on_commit


class Browser:
    """The receiving side of RFC 8291: a key pair and an auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        self.public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def keys(self) -> dict[str, str]:
        return {"p256dh": b64url(self.public), "auth": b64url(self.auth)}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        salt, (record_size, id_length) = body[:16], struct.unpack(">IB", body[16:21])
        sender = body[21 : 21 + id_length]
        assert record_size == 4096
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        shared = self.key.exchange(ec.ECDH(), sender_key)

        def hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
            prk = hmac.new(salt, ikm, hashlib.sha256).digest()
            return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]

        ikm = hkdf(self.auth, shared, b"WebPush: info\x00" + self.public + sender, 32)
        key = hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        plain = AESGCM(key).decrypt(nonce, body[21 + id_length :], None)
        assert plain.endswith(b"\x02")
        message: dict[str, Any] = json.loads(plain[:-1])
        return message


def vapid_check(seen: Seen) -> tuple[int, bytes] | None:
    """The push service's check of `Authorization: vapid t=…, k=…` (RFC 8292)."""
    header = seen.headers.get("Authorization", "")
    if not header.startswith("vapid t=") or seen.headers.get("Content-Encoding") != "aes128gcm":
        return 401, b"{}"
    token, key = header.removeprefix("vapid t=").split(", k=")
    signing_input, signature = token.rsplit(".", 1)
    raw = b64url_decode(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    try:
        der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
        public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    except Exception:
        return 403, b"{}"
    claims = json.loads(base64.urlsafe_b64decode(signing_input.split(".")[1] + "=="))
    if not claims["aud"].startswith("http://127.0.0.1:"):
        return 403, b"{}"
    return None


def run_push_tasks() -> list[str]:
    done = []
    for task in DBTaskResult.objects.filter(task_path__endswith="push_notification"):
        done.append(send_push(task.args_kwargs["args"][0]))
        task.delete()
    return done


def test_a_response_is_pushed_encrypted_and_signed(
    api: Api, alice: User, bob: User, settings: Any
) -> None:
    settings.HUZHU_PUSH_ALLOW_HTTP = True
    me = api.as_user(alice)
    prefs = me.get(PREFS).json()
    me.put(PREFS, {**prefs, "channels": {"response": ["email", "push"]}})
    browser = Browser()
    script = Script([(201, b"", 0)], check=vapid_check)
    with http_stub(script) as url:
        subscribe(user=alice, endpoint=f"{url}/push/abc", **browser.keys())
        with sent_on_commit():
            post_id = me.post("/api/v1/posts", NEED).json()["id"]
        respond(api.as_user(bob), post_id)
        assert run_push_tasks() == ["pushed"]
    [seen] = script.seen
    headers = {name.lower(): value for name, value in seen.headers.items()}
    assert seen.path == "/push/abc" and headers["ttl"] == "86400"
    message = browser.decrypt(seen.body)
    assert message["body"].startswith("Bob")  # alice reads Chinese: "Bob 回应了…"
    assert "/exchanges/" in message["url"]
    assert send_push(Notification.objects.get(user=alice).pk) == "skipped"  # never twice


def test_a_forgotten_subscription_is_dropped(
    api: Api, alice: User, bob: User, settings: Any
) -> None:
    settings.HUZHU_PUSH_ALLOW_HTTP = True
    me = api.as_user(alice)
    me.put(PREFS, {**me.get(PREFS).json(), "channels": {"response": ["push"]}})
    with http_stub(Script([(410, b"", 0)])) as url:
        subscribe(user=alice, endpoint=f"{url}/push/gone", **Browser().keys())
        with sent_on_commit():
            post_id = me.post("/api/v1/posts", NEED).json()["id"]
        respond(api.as_user(bob), post_id)
        run_push_tasks()
    assert not PushSubscription.objects.exists()


def test_nothing_is_pushed_unless_chosen(api: Api, alice: User, bob: User) -> None:
    subscribe(user=alice, endpoint="https://push.example/x", **Browser().keys())
    with sent_on_commit():
        post_id = api.as_user(alice).post("/api/v1/posts", NEED).json()["id"]
    respond(api.as_user(bob), post_id)
    assert not DBTaskResult.objects.filter(task_path__endswith="push_notification").exists()


def test_the_api_subscribes_and_unsubscribes_only_ones_own(
    api: Api, alice: User, bob: User
) -> None:
    me = api.as_user(alice)
    key = me.get("/api/v1/me/push-key").json()["key"]
    assert len(b64url_decode(key)) == 65
    body = {"endpoint": "https://push.example/sub/1", "keys": Browser().keys()}
    created = me.post("/api/v1/me/push-subscriptions", body)
    assert created.status_code == 201
    sub_id = created.json()["id"]
    assert api.as_user(bob).delete(f"/api/v1/me/push-subscriptions/{sub_id}").status_code == 404
    assert me.delete(f"/api/v1/me/push-subscriptions/{sub_id}").status_code == 204
    assert api.post("/api/v1/me/push-subscriptions", body).status_code == 401
    plain = {**body, "endpoint": "http://push.example/sub/1"}
    assert me.post("/api/v1/me/push-subscriptions", plain).status_code == 422
    assert (
        me.post("/api/v1/me/push-subscriptions", {"endpoint": "https://x.y/z"}).status_code == 422
    )


@pytest.mark.parametrize("field", ["p256dh", "auth"])
def test_malformed_keys_are_422(api: Api, alice: User, field: str) -> None:
    keys = {**Browser().keys(), field: "not base64 !"}
    answer = api.as_user(alice).post(
        "/api/v1/me/push-subscriptions", {"endpoint": "https://push.example/s", "keys": keys}
    )
    assert answer.status_code == 422


def test_the_data_export_names_the_push_services_not_the_endpoints(api: Api, alice: User) -> None:
    subscribe(user=alice, endpoint="https://push.example/secret-id-123", **Browser().keys())
    exported = api.as_user(alice).get("/api/v1/me/export").json()
    [kept] = exported["notification_preferences"]["push_subscriptions"]
    assert kept["push_service"] == "push.example"
    assert "secret-id-123" not in json.dumps(exported)
