"""Sending through a real gateway: a Delivery row, then a background task, never in a request.

`queue()` seals the address and text into a Delivery row and enqueues `deliver` with its
id only (a task's arguments are stored in clear). The task claims the row with a
conditional UPDATE (queued → sending), so a task run twice sends once; the gateway's
answer becomes the row's status. A failure that may pass (timeout, 5xx, flow control)
is queued again up to HUZHU_DELIVERY_RETRIES times, later each time; a rejection fails at
once. Operators see failed deliveries in the admin (Accounts › Deliveries), with the
provider's error code and never an address.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from huzhu import keys
from huzhu.accounts.gateways.http import DeliveryError
from huzhu.accounts.models import Delivery, OutboxMessage

logger = logging.getLogger(__name__)
S = Delivery.Status


def queue(*, channel: str, backend: str, to: str, body: str, subject: str = "") -> Delivery:
    """Record a message for `backend` and enqueue its task once this transaction commits."""
    delivery = Delivery.objects.create(
        channel=channel,
        backend=backend,
        sealed_to=keys.seal(to),
        subject=subject,
        sealed_body=keys.seal(body),
        created_at=timezone.now(),
    )
    transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return delivery


def _enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    task = deliver
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)


def send(delivery_id: int, *, now: datetime | None = None) -> str:
    """Hand one queued delivery to its gateway; returns the status it ends in."""
    claimed = Delivery.objects.filter(pk=delivery_id, status=S.QUEUED).update(
        status=S.SENDING, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return "skipped"  # already sent, failed, or being sent by another run
    delivery = Delivery.objects.get(pk=delivery_id)
    to, body = keys.unseal(delivery.sealed_to), keys.unseal(delivery.sealed_body)
    try:
        gateway = import_string(delivery.backend)()
        if delivery.channel == OutboxMessage.Channel.SMS:
            provider_id = gateway.send_sms(to, body)
        else:
            provider_id = gateway.send_email(to, delivery.subject, body)
    except DeliveryError as exc:
        return _failed(delivery, exc, now or timezone.now())
    Delivery.objects.filter(pk=delivery.pk).update(
        status=S.SENT,
        provider_id=str(provider_id)[:100],
        sealed_to="",
        sealed_body="",
        finished_at=now or timezone.now(),
    )
    logger.info("delivery %s sent", delivery.pk)
    return S.SENT


def _failed(delivery: Delivery, exc: DeliveryError, now: datetime) -> str:
    if exc.transient and delivery.attempts <= settings.HUZHU_DELIVERY_RETRIES:
        Delivery.objects.filter(pk=delivery.pk).update(status=S.QUEUED, error=exc.code)
        later = now + timedelta(minutes=5 * delivery.attempts)
        transaction.on_commit(partial(_enqueue, delivery.pk, later), robust=True)
        logger.warning("delivery %s failed (%s); queued again", delivery.pk, exc.code)
        return S.QUEUED
    Delivery.objects.filter(pk=delivery.pk).update(
        status=S.FAILED, error=exc.code, sealed_to="", sealed_body="", finished_at=now
    )
    logger.error("delivery %s failed: %s", delivery.pk, exc.code)
    return S.FAILED


def check_gateways(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """Deploy check: a real gateway has every variable it needs (it says which it misses)."""
    errors: list[CheckMessage] = []
    for name in ("HUZHU_SMS_BACKEND", "HUZHU_EMAIL_BACKEND"):
        try:
            import_string(getattr(settings, name))()
        except (ImproperlyConfigured, ImportError) as exc:
            errors.append(Error(f"{name}: {exc}", id="huzhu.E011"))
    return errors


@task()
def deliver(delivery_id: int) -> str:
    """Send one queued SMS or e-mail through its gateway."""
    return send(delivery_id)
