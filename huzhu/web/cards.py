"""What a page may show of a post. Templates get these, never a Post: no way to print
exact coordinates or the owner by accident."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise

from huzhu import geo
from huzhu.labels import localised, quantity_label, reason_label
from huzhu.places import place_near_cell
from huzhu.posts.models import Post, PostStatusChange
from huzhu.posts.presenters import public_distance_km
from huzhu.posts.tags import TAGS, bits_to_tags
from huzhu.safety.posting import held_message
from huzhu.text.contact import mask_contacts

_TAG_LABELS = {tag.code: tag.label for tag in TAGS}
# The choices' labels by code: `get_FOO_display` rebuilds a dict of the choices on every
# call, hashing each lazy label (a gettext each), which cost 8 gettext calls per card.
_KIND_LABELS: dict[str, Promise] = dict(Post.Kind.choices)
_STATUS_LABELS: dict[str, Promise] = dict(Post.Status.choices)
_URL_ID = 2147483647  # stands for the id in the remembered post URL


def _label(labels: dict[str, Promise], code: str) -> str:
    return str(labels.get(code, code))


def post_url(post_id: int) -> str:
    """`reverse("post_detail", args=[post_id])`, resolved once per URL configuration and
    script prefix rather than once per card."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix, suffix = _post_url_parts(get_script_prefix(), urlconf)
    return f"{prefix}{post_id}{suffix}"


@lru_cache(maxsize=8)
def _post_url_parts(script_prefix: str, urlconf: object) -> tuple[str, str]:
    prefix, _, suffix = reverse("post_detail", args=[_URL_ID]).partition(str(_URL_ID))
    return prefix, suffix


@dataclass(frozen=True)
class Area:
    """The public area: a coarse cell's centre, rounded further for display."""

    precision_km: int
    lat: float
    lng: float
    near: str  # a named place near the centre, or ""


@dataclass(frozen=True)
class PostCard:
    id: int
    url: str
    kind: str
    kind_label: str
    title: str
    body: str
    category: str
    item: str
    quantity: int
    quantity_reserved: int
    amount: str  # quantity with its unit, in the reader's language
    tags: tuple[str, ...]
    status: str
    status_label: str
    is_listed: bool
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    closes_at: datetime
    area: Area
    is_own: bool
    under_review: bool
    on_behalf: bool  # by a volunteer for a neighbour; who the neighbour is stays private
    held_message: str = ""  # why the rules engine held it; only its author and staff see it
    distance_km: float | None = None
    owner_badge: dict[str, Any] | None = None  # the owner's earned trust, never their identity


@dataclass(frozen=True)
class HistoryEntry:
    status: str
    status_label: str
    reason: str
    at: datetime


def area_of(post: Post) -> Area:
    lat, lng = geo.area_centre(post.area_cell)
    place = place_near_cell(post.area_cell)
    return Area(
        precision_km=max(1, post.area_precision_m // 1000),
        lat=round(lat, 2),
        lng=round(lng, 2),
        near=str(place.name) if place else "",
    )


def card_for(
    post: Post,
    viewer: AbstractBaseUser | AnonymousUser,
    distance_km: float | None = None,
    owner_badge: dict[str, Any] | None = None,
) -> PostCard:
    return PostCard(
        id=post.pk,
        url=post_url(post.pk),
        kind=post.kind,
        kind_label=_label(_KIND_LABELS, post.kind),
        title=mask_contacts(post.title),  # contact details only through an exchange
        body=mask_contacts(post.body),
        category=localised(post.category.name_en, post.category.name_zh),
        item=localised(post.item.name_en, post.item.name_zh) if post.item else "",
        quantity=post.quantity,
        quantity_reserved=post.quantity_reserved,
        amount=quantity_label(post.quantity, post.unit),
        tags=tuple(str(_TAG_LABELS[code]) for code in bits_to_tags(post.tag_bits)),
        status=post.status,
        status_label=_label(_STATUS_LABELS, post.status),
        is_listed=post.rank is not None,
        created_at=post.created_at,
        updated_at=post.updated_at,
        expires_at=post.expires_at,
        closes_at=post.closes_at,
        area=area_of(post),
        is_own=bool(viewer.is_authenticated and viewer.pk == post.owner_id),
        under_review=post.hidden_at is not None,
        on_behalf=post.on_behalf,
        held_message=held_message(post.held_reason),
        distance_km=public_distance_km(distance_km) if distance_km is not None else None,
        owner_badge=owner_badge,
    )


def history_for(changes: list[PostStatusChange]) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            status=change.to_status,
            status_label=str(Post.Status(change.to_status).label),
            reason=reason_label(change.reason),
            at=change.at,
        )
        for change in changes
    ]
