"""Keyed hashes and sealing for identifiers, with keys that live outside the database.

A phone number is stored only as HMAC-SHA256 under a versioned key, so a stolen database
cannot be reversed into numbers (ten digits are easy to enumerate without the key, so a
plain hash would not do). New numbers use the newest key version; lookups try every
version, so an operator rotates by adding a key and keeps the old one until the accounts
hashed with it have verified again.

Each version's secret is stretched into separate keys per purpose (hashing, sealing), so
one secret never serves two uses directly.
"""

import base64
import hashlib
import hmac
import secrets
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


class IdentityKeyError(ValueError):
    """The identity keys are missing or malformed, or a sealed value cannot be opened."""


@cache
def _parse(raw: str) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for part in raw.replace("\n", ",").split(","):
        part = part.strip()  # noqa: PLW2901 - normalising the loop item is the point
        if not part:
            continue
        version, sep, secret = part.partition(":")
        if not sep:  # a bare secret, as the generated file holds: version 1
            version, secret = "1", part
        if not version.isdigit() or not secret:
            raise IdentityKeyError("HUZHU_IDENTITY_KEYS must look like 1:secret,2:secret")
        keys[int(version)] = secret.encode()
    if not keys:
        raise IdentityKeyError("HUZHU_IDENTITY_KEYS is empty")
    return keys


def keys() -> dict[int, bytes]:
    return _parse(settings.HUZHU_IDENTITY_KEYS)


def current_version() -> int:
    return max(keys())


def _derive(version: int, purpose: str) -> bytes:
    return hmac.new(keys()[version], f"huzhu:{purpose}".encode(), hashlib.sha256).digest()


def digest(value: str, *, purpose: str, version: int | None = None) -> str:
    """HMAC-SHA256 of `value` under one key version (the newest by default)."""
    version = current_version() if version is None else version
    return hmac.new(_derive(version, purpose), value.encode(), hashlib.sha256).hexdigest()


def digests(value: str, *, purpose: str) -> dict[int, str]:
    """`value`'s digest under every known key version, for lookups across a rotation."""
    return {version: digest(value, purpose=purpose, version=version) for version in keys()}


def seal(text: str) -> str:
    """Encrypt `text` (AES-256-GCM, newest key): "v<version>:<base64 nonce+ciphertext>"."""
    version = current_version()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_derive(version, "seal")).encrypt(nonce, text.encode(), None)
    return f"v{version}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(value: str) -> str:
    head, _sep, body = value.partition(":")
    try:
        version = int(head.removeprefix("v"))
        blob = base64.urlsafe_b64decode(body)
        return AESGCM(_derive(version, "seal")).decrypt(blob[:12], blob[12:], None).decode()
    except (ValueError, KeyError, InvalidTag) as exc:
        raise IdentityKeyError(
            "cannot open a sealed value: unknown key version or damaged"
        ) from exc
