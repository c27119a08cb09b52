"""Web push (RFC 8030) with VAPID (RFC 8292) and message encryption (RFC 8291), written on
`cryptography` alone: the protocol is small, and the packages that wrap it pull in two
HTTP stacks.

The VAPID key is a P-256 key derived from HUZHU_VAPID_KEY, a secret generated into the
data directory on first run; browsers subscribe with its public half
(`GET /api/v1/push/key`). A notification's text is encrypted for the subscription's keys
(aes128gcm) and posted to the push service the browser chose, signed with a short-lived
JWT; a subscription the service no longer knows (404, 410) is forgotten.
"""

import base64
import hashlib
import hmac
import json
import os
import struct
import time
import urllib.parse
import urllib.request
from functools import cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from huzhu.accounts.gateways.http import DeliveryError, call

RECORD_SIZE = 4096
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@cache
def _vapid_key(secret: str) -> ec.EllipticCurvePrivateKey:
    seed = int.from_bytes(hashlib.sha256(f"huzhu:vapid:{secret}".encode()).digest(), "big")
    return ec.derive_private_key(seed % (P256_ORDER - 1) + 1, ec.SECP256R1())


def vapid_key() -> ec.EllipticCurvePrivateKey:
    return _vapid_key(settings.HUZHU_VAPID_KEY)


def _raw(public: ec.EllipticCurvePublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def public_key() -> str:
    """The application server key browsers subscribe with (base64url, uncompressed)."""
    return b64url(_raw(vapid_key().public_key()))


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


def encrypt(payload: bytes, p256dh: str, auth: str, *, salt: bytes | None = None) -> bytes:
    """One aes128gcm record for the subscription's keys (RFC 8291 section 3)."""
    receiver = b64url_decode(p256dh)
    receiver_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), receiver)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    sender = _raw(ephemeral.public_key())
    shared = ephemeral.exchange(ec.ECDH(), receiver_key)
    ikm = _hkdf(b64url_decode(auth), shared, b"WebPush: info\x00" + receiver + sender, 32)
    salt = salt or os.urandom(16)
    key = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    sealed = AESGCM(key).encrypt(nonce, payload + b"\x02", None)  # \x02: the last record
    return salt + struct.pack(">IB", RECORD_SIZE, len(sender)) + sender + sealed


def vapid_header(endpoint: str, *, now: float | None = None) -> str:
    """`Authorization: vapid t=<JWT>, k=<public key>` for the endpoint's origin."""
    parts = urllib.parse.urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((now or time.time()) + 12 * 3600),
        "sub": settings.HUZHU_VAPID_SUBJECT,
    }
    header = {"typ": "JWT", "alg": "ES256"}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    der = vapid_key().sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    return f"vapid t={signing_input}.{signature}, k={public_key()}"


class Gone(Exception):
    """The push service no longer knows this subscription: forget it."""


def push(*, endpoint: str, p256dh: str, auth: str, message: dict[str, str]) -> None:
    """Deliver one message; raises Gone for a dead subscription, DeliveryError otherwise."""
    if not endpoint.startswith("https://") and not settings.HUZHU_PUSH_ALLOW_HTTP:
        raise DeliveryError("push_endpoint_not_https", transient=False)
    body = encrypt(json.dumps(message, ensure_ascii=False).encode(), p256dh, auth)
    request = urllib.request.Request(  # noqa: S310 - call() allows http(s) only
        endpoint,
        data=body,
        method="POST",
        headers={
            "Authorization": vapid_header(endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": "86400",
            "Urgency": "high",
        },
    )
    answer = call(request)
    if answer.status in (404, 410):
        raise Gone
    if answer.status not in (200, 201, 202):
        raise DeliveryError(f"push_{answer.status}", transient=False)
