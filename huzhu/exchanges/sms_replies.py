"""Answers that come back by SMS: "1" or "0" to "still needed?", and STOP / 退订.

The sender is found by their number's keyed hash among verified phones; a number nobody
verified, or a text that is neither answer, changes nothing. "1"/"0" answers the newest
"still needed?" this person was texted and has not answered (within a week). STOP turns
every SMS notification off (the person turns them on again in their preferences).
"""

import logging
from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from huzhu import keys
from huzhu.accounts.models import User
from huzhu.errors import DomainError
from huzhu.exchanges.checkins import answer_checkin
from huzhu.exchanges.models import Notification
from huzhu.exchanges.preferences import preferences_of, update_preferences
from huzhu.posts.models import Post
from huzhu.trust.models import VerifiedPhone
from huzhu.trust.verification import normalise_phone

logger = logging.getLogger(__name__)
STOP_WORDS = {"stop", "unsubscribe", "退订", "td", "t", "n"}
YES, NO = {"1", "yes", "是"}, {"0", "no", "否"}


def sender_of(raw_phone: str) -> User | None:
    try:
        phone = normalise_phone(raw_phone)
    except DomainError:
        return None
    hashes = list(keys.digests(phone, purpose="phone").values())
    found = VerifiedPhone.objects.select_related("user").filter(phone_hash__in=hashes).first()
    return found.user if found is not None and found.user.is_active else None


def handle_reply(*, phone: str, body: str) -> str:
    """Act on one inbound text; returns what it did (for the log and the tests)."""
    user = sender_of(phone)
    if user is None:
        return "unknown_sender"
    word = body.strip().casefold().rstrip(".!。！")
    if word in STOP_WORDS:
        quiet = replace(preferences_of(user.pk), sms=frozenset())
        update_preferences(user=user, preferences=quiet)
        logger.info("user %s turned SMS off by reply", user.pk)
        return "stopped"
    if word in YES | NO:
        return _answer_checkin(user, still_needed=word in YES)
    return "ignored"


def _answer_checkin(user: User, *, still_needed: bool) -> str:
    week_ago = timezone.now() - timedelta(days=7)
    asked = (
        Notification.objects.filter(
            user=user,
            kind=Notification.Kind.CHECKIN,
            texted_at__gte=week_ago,
            read_at__isnull=True,
            post__owner=user,
        )
        .order_by("-texted_at")
        .first()
    )
    if asked is None or asked.post_id is None:
        return "nothing_asked"
    try:
        answer_checkin(
            post=Post.objects.get(pk=asked.post_id), actor=user, still_needed=still_needed
        )
    except DomainError:
        return "nothing_asked"  # the post moved on meanwhile
    logger.info("user %s answered a check-in by SMS", user.pk)
    return "still_needed" if still_needed else "not_needed"
