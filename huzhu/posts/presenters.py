"""Turn posts into what callers may see: never exact coordinates, never the owner's identity."""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.posts.models import Post
from huzhu.posts.queries import status_history
from huzhu.posts.tags import bits_to_tags
from huzhu.safety.posting import held_message
from huzhu.text.contact import mask_contacts
from huzhu.trust.queries import badge_for


def public_distance_km(distance_km: float) -> float:
    """Distances are rounded so that repeated queries cannot pin a post down."""
    return round(distance_km * 2) / 2 if distance_km >= 1 else 0.5


def post_data(
    post: Post, viewer: User | AnonymousUser, badge: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`badge`: the owner's, when the caller fetched many at once (`badges_for`)."""
    lat, lng = geo.area_centre(post.area_cell)
    return {
        "id": post.pk,
        "kind": post.kind,
        "title": mask_contacts(post.title),  # contact details only through an exchange
        "body": mask_contacts(post.body),
        "category": post.category.code,
        "item": (
            {"code": post.item.code, "name_en": post.item.name_en, "name_zh": post.item.name_zh}
            if post.item
            else None
        ),
        "quantity": post.quantity,
        "quantity_reserved": post.quantity_reserved,
        "unit": post.unit,
        "tags": bits_to_tags(post.tag_bits),
        "status": post.status,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
        "expires_at": post.expires_at,
        "closes_at": post.closes_at,
        "area": {"lat": lat, "lng": lng, "precision_m": post.area_precision_m},
        "is_own": bool(viewer.is_authenticated and viewer.pk == post.owner_id),
        "under_review": post.hidden_at is not None,
        "held_reason": post.held_reason or None,
        "held_message": held_message(post.held_reason) or None,
        "owner_badge": badge or badge_for(post.owner_id),
        "on_behalf": post.on_behalf,
    }


def post_detail_data(post: Post, viewer: User | AnonymousUser) -> dict[str, Any]:
    history = [
        {"from_status": h.from_status, "to_status": h.to_status, "at": h.at, "reason": h.reason}
        for h in status_history(post)
    ]
    return {**post_data(post, viewer), "status_history": history}


def hit_data(
    post: Post,
    distance_km: float,
    viewer: User | AnonymousUser,
    badge: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {**post_data(post, viewer, badge), "distance_km": public_distance_km(distance_km)}
