"""Stories of help: published thank-you notes and how many neighbours people have helped.

Nobody is named on the wall: a note shows "a neighbour", what was handed over and when.
A note appears once its review is revealed (both reviewed or the window closed), so the
person thanked cannot learn their score early from the wall, and only while the person
thanked allows "thank-you notes about me" in public (their consent centre): the writer's
choice alone does not publish a note about someone else.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from huzhu.accounts.consents import consent_now
from huzhu.accounts.models import ConsentChange, User
from huzhu.exchanges.models import Exchange
from huzhu.labels import localised
from huzhu.text.contact import mask_contacts
from huzhu.trust.reputation import revealed_reviews

WALL_LIMIT = 50


def neighbours_helped(user: User) -> int:
    """Distinct people `user` gave to in completed exchanges."""
    completed = Exchange.objects.filter(giver=user, status=Exchange.Status.COMPLETED)
    return completed.values("receiver_id").distinct().count()


def community_neighbours_helped() -> int:
    """Distinct people who received something in a completed exchange."""
    completed = Exchange.objects.filter(status=Exchange.Status.COMPLETED)
    return completed.values("receiver_id").distinct().count()


def published_thanks(now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    notes = (
        revealed_reviews(now)
        .alias(thanked_consents=consent_now(ConsentChange.Purpose.PUBLIC_THANKS, "reviewee_id"))
        .filter(publish_thanks=True, reviewer__is_active=True, thanked_consents=True)
        .exclude(thanks="")
        .select_related("exchange__post__item", "exchange__post__category")
        .order_by("-created_at", "-id")[:WALL_LIMIT]
    )
    stories = []
    for note in notes:
        post = note.exchange.post
        what = post.item or post.category  # the item if the post named one
        stories.append(
            {
                "thanks": mask_contacts(note.thanks),
                "what": localised(what.name_en, what.name_zh),
                "on": note.created_at.date(),
            }
        )
    return stories
