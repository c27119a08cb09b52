"""The owner edits a listed post: the same rules as posting run again on the result.

An edit may change the words, the item, the quantity, the unit, the tags and the expiry;
never the kind or the place (a post that moves is a new post, and its public area must
not drift by edits). Exchanges in flight keep their quantities: the quantity cannot drop
below what accepted exchanges reserved. The edit is a row in the post's history (reason
`edited`, its status unchanged), and for a need it is a confirmation: its wait restarts
(posts/ranking.py).
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huzhu.accounts.models import User
from huzhu.errors import Conflict
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post, PostStatusChange
from huzhu.posts.ranking import compute_rank
from huzhu.posts.services import PostDraft, check_draft
from huzhu.posts.tags import bits_to_tags
from huzhu.safety import audit, posting
from huzhu.safety.hoarding import check_item_cap
from huzhu.safety.models import AuditEntry
from huzhu.trust.limits import lock_person

EDITED = "edited"  # the history's reason for an edit


@dataclass(frozen=True)
class PostChanges:
    """What an edit sets; None leaves a field as it is."""

    title: str | None = None
    body: str | None = None
    category: str | None = None
    item: str | None = None
    quantity: int | None = None
    unit: str | None = None
    tags: tuple[str, ...] | None = None
    expires_at: datetime | None = None


def draft_of(post: Post) -> PostDraft:
    """The post as a draft, for the rules to run on again."""
    return PostDraft(
        kind=post.kind,
        title=post.title,
        body=post.body,
        category=post.category.code,
        quantity=post.quantity,
        lat=post.lat,
        lng=post.lng,
        item=post.item.code if post.item else None,
        unit=post.unit,
        tags=tuple(bits_to_tags(post.tag_bits)),
        expires_at=post.expires_at,
        precision_m=post.area_precision_m,
    )


def _apply(draft: PostDraft, changes: PostChanges) -> PostDraft:
    values = {name: value for name, value in vars(changes).items() if value is not None}
    if "category" in values and "item" not in values:
        values["item"] = None  # an item of the old category would not fit the new one
    return replace(draft, **values)


@transaction.atomic
def edit_post(*, post: Post, actor: User, changes: PostChanges) -> Post:
    """Apply `changes` to `post`, which `actor` owns (queries.access_own_post)."""
    now = timezone.now()
    lock_person(actor)
    current = (
        Post.objects.select_for_update(of=("self",))
        .select_related("category", "item")
        .get(pk=post.pk)
    )
    if current.status not in LISTED:
        raise Conflict(
            _("This post is %(status)s and can no longer be edited.")
            % {"status": current.get_status_display()},
            code="illegal_transition",
        )
    draft = _apply(draft_of(current), changes)
    checked = check_draft(draft, now)
    if draft.quantity < current.quantity_reserved:
        raise Conflict(
            ngettext(
                "%(reserved)d is already promised in exchanges under way; the quantity "
                "cannot be less.",
                "%(reserved)d are already promised in exchanges under way; the quantity "
                "cannot be less.",
                current.quantity_reserved,
            )
            % {"reserved": current.quantity_reserved},
            code="reserved",
        )
    proposed = posting.NewPost(
        owner=actor,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        category=checked.category,
        item=checked.item,
        quantity=draft.quantity,
        unit=draft.unit,
    )
    held = _check_rules(current, proposed, now)
    current.title, current.body = draft.title.strip(), draft.body.strip()
    current.category, current.item = checked.category, checked.item
    current.quantity, current.tag_bits = draft.quantity, checked.tag_bits
    current.unit = (draft.unit or (checked.item.default_unit if checked.item else "piece")).strip()
    current.expires_at = draft.expires_at
    ttl_end = current.created_at + timedelta(days=settings.HUZHU_POST_TTL_DAYS)
    current.closes_at = min(ttl_end, draft.expires_at) if draft.expires_at else ttl_end
    if held and not current.held_reason:
        current.hidden_at, current.held_reason = now, held
    if current.kind == Post.Kind.NEED:
        current.confirmed_at = now
    current.updated_at = now
    current.rank = compute_rank(current, now)
    current.save()
    PostStatusChange.objects.create(
        post=current,
        from_status=current.status,
        to_status=current.status,
        at=now,
        actor=actor,
        reason=EDITED,
    )
    if held and current.held_reason == held and current.hidden_at == now:
        audit.record(
            actor=None,
            action=AuditEntry.Action.HOLD,
            target_type="post",
            target_id=current.pk,
            rule=held,
            now=now,
        )
    return current


def _check_rules(current: Post, proposed: posting.NewPost, now: datetime) -> str:
    """The posting rules that concern what a post says and asks for; not those about how
    often one posts (an edit is not a new post). Returns why to hold it, or ""."""
    if not settings.HUZHU_POSTING_CHECKS:
        return ""
    posting.check_quantity_cap(proposed)
    if proposed.kind == Post.Kind.NEED:
        check_item_cap(
            user=proposed.owner,
            item=proposed.item,
            quantity=proposed.quantity,
            unit=proposed.unit,
            now=now,
            excluding=current.pk,
        )
    return posting.held_reason(proposed, now=now)
