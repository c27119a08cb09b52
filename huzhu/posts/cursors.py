"""Paging cursors: sealed and signed, so that a client can neither read nor forge them.

A cursor names where the next page starts: the last (rank, id) or (distance, id) of the
page. A readable distance would give a post's distance to a point of the client's choosing
to full float precision, so the key is encrypted (an HMAC keystream over a random nonce)
and the whole cursor authenticated (HMAC) together with a digest of the search it belongs
to. A cursor that was tampered with, or issued for another search, is Invalid (422).
Keys derive from SECRET_KEY: rotating it ends open paging sessions, nothing else.
"""

import base64
import binascii
import hashlib
import hmac
import math
import os
import struct
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from huzhu.errors import Invalid

if TYPE_CHECKING:
    from huzhu.posts.search import SearchParams as Search  # bound to all of it but the limit

_VERSION = b"\x01"
_NONCE_BYTES, _TAG_BYTES = 8, 16
_LAYOUTS = {"urgency": ">qq", "distance": ">dq"}  # both 16 bytes
_KEY_BYTES = 16
_LENGTH = len(_VERSION) + _NONCE_BYTES + _KEY_BYTES + _TAG_BYTES


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[bytes, bytes]:
    def derive(purpose: bytes) -> bytes:
        return hashlib.sha256(b"huzhu.posts.cursors\0" + purpose + b"\0" + secret.encode()).digest()

    return derive(b"seal"), derive(b"sign")


def _digest(search: "Search") -> bytes:
    fields: tuple[object, ...] = (
        search.lat, search.lng, search.radius_km, search.kind, search.category,
        search.item_id, search.tag, search.sort,
    )  # fmt: skip
    if search.text:  # appended only when given, so that cursors issued before it stay valid
        fields = (*fields, search.text)
    return hashlib.sha256(repr(fields).encode()).digest()


def _pad(key: bytes, nonce: bytes, digest: bytes) -> bytes:
    return hmac.new(key, nonce + digest, hashlib.sha256).digest()[:_KEY_BYTES]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def seal(search: "Search", key: tuple[float, int]) -> str:
    """The cursor for the page after the one ending at `key`, for this search only."""
    seal_key, sign_key = _keys(str(settings.SECRET_KEY))
    digest, nonce = _digest(search), os.urandom(_NONCE_BYTES)
    first = int(key[0]) if search.sort == "urgency" else float(key[0])
    plain = struct.pack(_LAYOUTS[search.sort], first, key[1])
    body = _VERSION + nonce + _xor(plain, _pad(seal_key, nonce, digest))
    tag = hmac.new(sign_key, body + digest, hashlib.sha256).digest()[:_TAG_BYTES]
    return base64.urlsafe_b64encode(body + tag).decode("ascii").rstrip("=")


def unseal(search: "Search", cursor: str) -> tuple[float, int]:
    """The key after which the next page starts; Invalid (422) unless `cursor` is one we
    issued for this very search."""
    seal_key, sign_key = _keys(str(settings.SECRET_KEY))
    digest = _digest(search)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    body, tag = raw[:-_TAG_BYTES], raw[-_TAG_BYTES:]
    expected = hmac.new(sign_key, body + digest, hashlib.sha256).digest()[:_TAG_BYTES]
    if len(raw) != _LENGTH or raw[:1] != _VERSION or not hmac.compare_digest(tag, expected):
        raise _invalid()
    nonce = body[1 : 1 + _NONCE_BYTES]
    plain = _xor(body[1 + _NONCE_BYTES :], _pad(seal_key, nonce, digest))
    first, post_id = struct.unpack(_LAYOUTS[search.sort], plain)
    if not math.isfinite(first) or post_id < 0 or (first < 0 and search.sort == "distance"):
        raise _invalid()  # only a leaked key could sign these; refuse them all the same
    return first, post_id


def _invalid() -> Invalid:
    return Invalid(_("This cursor is not valid; start again from the first page."), field="cursor")
