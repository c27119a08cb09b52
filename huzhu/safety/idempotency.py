"""Retried create requests carrying the same `Idempotency-Key` create exactly one object."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.safety.models import IdempotencyKey

MAX_KEY_LENGTH = 100
Answer = tuple[int, Any]


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _replay(record: IdempotencyKey, scope: str, digest: str) -> Answer:
    if record.scope != scope or record.fingerprint != digest:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request. Use a new key."),
            code="idempotency_key_reused",
        )
    return record.status, json.loads(record.body)


def run_idempotent(
    *, user: User, key: str | None, scope: str, body: bytes, action: Callable[[], Answer]
) -> Answer:
    """Run `action` in a transaction once per (user, key); later calls replay its answer."""
    if not key:
        with transaction.atomic():
            return action()
    if len(key) > MAX_KEY_LENGTH:
        raise Invalid(
            _("Idempotency-Key may be at most %(n)d characters.") % {"n": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    digest = fingerprint(body)
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, scope, digest)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                user=user,
                key=key,
                scope=scope,
                fingerprint=digest,
                status=0,
                body="null",
                created_at=timezone.now(),
            )
            status, data = action()
            record.status = status
            record.body = json.dumps(data, cls=DjangoJSONEncoder)
            record.save(update_fields=["status", "body"])
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        winner = IdempotencyKey.objects.filter(user=user, key=key).first()
        if winner is None:
            raise  # the action itself broke a constraint; not ours to explain
        return _replay(winner, scope, digest)
    return status, data
