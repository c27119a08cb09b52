"""What the posts app keeps about a person: their posts (exact points included, since they
are theirs) and the neighbours they posted for. Registered in accounts/personal_data.py."""

import logging
from typing import Any

from django.db import transaction
from django.db.models import F

from huzhu import public_generation
from huzhu.accounts.models import User
from huzhu.accounts.personal_data import Part, Pseudonym, histories
from huzhu.errors import DomainError
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Beneficiary, Post, PostStatusChange
from huzhu.posts.services import transition_post
from huzhu.posts.tags import bits_to_tags

logger = logging.getLogger("huzhu.accounts.erasure")  # one logger for every erasure line
ERASED_TITLE = "—"


def export_posts(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    posts = Post.objects.filter(owner=user).select_related("category", "item").order_by("pk")
    history = histories(PostStatusChange.objects.filter(post__owner=user), "post_id")
    # The people this person posted for: theirs to know, as the volunteer who entered them.
    entered = {b.post_id: b for b in Beneficiary.objects.filter(volunteer=user)}
    return {
        "posts": [
            {
                "id": post.pk,
                "kind": post.kind,
                "title": post.title,
                "body": post.body,
                "category": post.category.code,
                "item": post.item.code if post.item else None,
                "quantity": post.quantity,
                "unit": post.unit,
                "tags": bits_to_tags(post.tag_bits),
                "status": post.status,
                "created_at": post.created_at,
                "closes_at": post.closes_at,
                "lat": post.lat,
                "lng": post.lng,
                "history": history.get(post.pk, []),
                "on_behalf_of": _beneficiary(entered[post.pk]) if post.pk in entered else None,
            }
            for post in posts
        ]
    }


def _beneficiary(beneficiary: Beneficiary) -> dict[str, Any]:
    return {
        "name": beneficiary.name,
        "note": beneficiary.note,
        "consent": beneficiary.consent,
        "consented_at": beneficiary.consented_at,
    }


def stop_posts(user: User) -> None:
    """Listed posts are withdrawn through the lifecycle."""
    for post_id in Post.objects.filter(owner=user, status__in=LISTED).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                transition_post(post_id=post_id, to_status="withdrawn", actor=user, reason="erased")
        except DomainError:
            logger.warning("post %s could not be withdrawn at erasure", post_id)


def erase_posts(user: User) -> None:
    # The exact point goes; the public point, which never depended on it, stays.
    Post.objects.filter(owner=user).update(
        title=ERASED_TITLE, body="", lat=F("public_lat"), lng=F("public_lng")
    )
    # Their words leave visitors' shared answers (huzhu/public_cache.py) at once, not in 10 s.
    transaction.on_commit(public_generation.bump_generation, robust=True)
    # The neighbours they posted for: the consent record stays (kind, time), who they are goes.
    Beneficiary.objects.filter(volunteer=user).update(name="", note="")


PART = Part(app="posts", export=export_posts, stop=stop_posts, erase=erase_posts)
