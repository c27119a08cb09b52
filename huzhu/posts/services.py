"""Writes to posts: creating them and moving them through their lifecycle.

Every status change goes through `transition_post`, which writes the history row in the
same transaction and refuses moves the lifecycle table does not allow.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu import geo, public_generation
from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.labels import localised
from huzhu.posts import catalogue
from huzhu.posts.catalogue import find_item
from huzhu.posts.lifecycle import LISTED, OWNER_SETTABLE, can_move
from huzhu.posts.models import Category, Item, Post, PostStatusChange
from huzhu.posts.public_point import location_fields
from huzhu.posts.ranking import compute_rank
from huzhu.posts.tags import TAG_CODES, tags_to_bits
from huzhu.safety import audit, posting
from huzhu.safety.models import AuditEntry
from huzhu.text import rules
from huzhu.trust.limits import check_can_open_post, lock_person

_KINDS = frozenset(Post.Kind.values)


@dataclass(frozen=True)
class PostDraft:
    """What a person submits; validated by `create_post`."""

    kind: str
    title: str
    body: str
    category: str
    quantity: int
    lat: float
    lng: float
    item: str | None = None
    unit: str | None = None
    tags: tuple[str, ...] = ()
    expires_at: datetime | None = None
    precision_m: int = 1000


@dataclass(frozen=True)
class CheckedDraft:
    """What `check_draft` found a draft refers to."""

    category: Category
    item: Item | None
    tag_bits: int


def _category(code: str) -> Category | None:
    return Category.objects.filter(code=code).first()


def check_draft(
    draft: PostDraft,
    now: datetime,
    *,
    category_of: Callable[[str], Category | None] = _category,
    item_of: Callable[[str], Item | None] = find_item,
    prescription_names: Sequence[str] | None = None,
) -> CheckedDraft:
    """Every check of a draft's own fields; Invalid naming the field at the first that fails.

    The bulk import passes lookups that remember the catalogue, since a million rows name
    the same few hundred items.
    """
    if draft.kind not in _KINDS:
        raise Invalid(_("Choose whether this is a need or an offer."), field="kind")
    if not draft.title.strip():
        raise Invalid(_("Give your post a short title."), field="title")
    _check_length(draft.title.strip(), "title")
    _check_length(draft.body.strip(), "body")
    _check_length((draft.unit or "").strip(), "unit")
    names = catalogue.prescription_names() if prescription_names is None else prescription_names
    rules.check_post(title=draft.title, body=draft.body, names=names)
    geo.check_point(draft.lat, draft.lng)
    if not 1 <= draft.quantity <= 1000:
        raise Invalid(_("Quantity must be between 1 and 1000."), field="quantity")
    unknown = [tag for tag in draft.tags if tag not in TAG_CODES]
    if unknown:
        raise Invalid(
            _("Unknown tag %(tag)s. Choose from: %(tags)s.")
            % {"tag": unknown[0], "tags": ", ".join(TAG_CODES)},
            field="tags",
        )
    if draft.precision_m not in geo.AREA_RESOLUTIONS:
        raise Invalid(_("Location precision must be 1000 or 5000 metres."), field="precision_m")
    category = category_of(draft.category)
    if category is None:
        raise Invalid(_("Unknown category %(code)s.") % {"code": draft.category}, field="category")
    if draft.expires_at is not None and draft.expires_at <= now:
        raise Invalid(_("The expiry date must be in the future."), field="expires_at")
    if draft.kind == Post.Kind.OFFER and category.code == "medicine" and draft.expires_at is None:
        raise Invalid(
            _("Medicine offers need the expiry date printed on the pack."), field="expires_at"
        )
    item = _check_item(draft.item, category, item_of) if draft.item else None
    return CheckedDraft(category=category, item=item, tag_bits=tags_to_bits(draft.tags))


def _check_length(text: str, field: str) -> None:
    """The API's schema limits these; the form and the CSV imports come through here."""
    column = Post._meta.get_field(field)
    assert isinstance(column, models.Field)
    longest = column.max_length or 0
    if len(text) > longest:
        raise Invalid(
            _("Keep this to %(count)d characters; it has %(length)d.")
            % {"count": longest, "length": len(text)},
            field=field,
        )


def _check_item(name: str, category: Category, item_of: Callable[[str], Item | None]) -> Item:
    item = item_of(name)
    if item is None:
        raise Invalid(_("We do not know the item %(item)s.") % {"item": name}, field="item")
    if item.category_id != category.pk:
        raise Invalid(
            _("%(item)s belongs to the category %(category)s.")
            % {"item": name, "category": item.category.code},
            field="category",
        )
    if not item.otc:
        raise Invalid(
            _(
                "%(item)s is a prescription medicine and cannot be shared here. "
                "Please ask a pharmacy or a clinic."
            )
            % {"item": localised(item.name_en, item.name_zh)},
            code="prescription_only",
            field="item",
        )
    return item


@transaction.atomic
def create_post(*, owner: User, draft: PostDraft, for_resident: str | None = None) -> Post:
    """Validate and store a new post with its first status-history row.

    `for_resident`: the name of the person a volunteer posts for (posts/on_behalf.py); the
    organiser's intake quota applies instead of the volunteer's own."""
    now = timezone.now()
    checked = check_draft(draft, now)
    category, item, bits = checked.category, checked.item, checked.tag_bits
    lock_person(owner)
    if for_resident is None:
        check_can_open_post(user=owner, kind=draft.kind, category=category)
    held = posting.check_new_post(
        posting.NewPost(
            owner=owner,
            kind=draft.kind,
            title=draft.title,
            body=draft.body,
            category=category,
            item=item,
            quantity=draft.quantity,
            unit=draft.unit,
            beneficiary=for_resident,
        ),
        now=now,
    )
    ttl_end = now + timedelta(days=settings.HUZHU_POST_TTL_DAYS)
    post = Post(
        owner=owner,
        kind=draft.kind,
        title=draft.title.strip(),
        body=draft.body.strip(),
        category=category,
        item=item,
        quantity=draft.quantity,
        unit=(draft.unit or (item.default_unit if item else "piece")).strip(),
        tag_bits=bits,
        status=Post.Status.OPEN,
        created_at=now,
        updated_at=now,
        expires_at=draft.expires_at,
        closes_at=min(ttl_end, draft.expires_at) if draft.expires_at else ttl_end,
        lat=draft.lat,
        lng=draft.lng,
        **location_fields(owner.pk, draft.lat, draft.lng, draft.precision_m),
        area_precision_m=draft.precision_m,
        # A held post waits, hidden, for a moderator (safety/posting.py).
        hidden_at=now if held else None,
        held_reason=held,
    )
    post.rank = compute_rank(post, now)
    post.save()
    PostStatusChange.objects.create(
        post=post, from_status="", to_status=post.status, at=now, actor=owner, reason="created"
    )
    if held:
        audit.record(
            actor=None,
            action=AuditEntry.Action.HOLD,
            target_type="post",
            target_id=post.pk,
            rule=held,
            now=now,
        )
    else:
        announce_post(post.pk)
    return post


# Who hears of a newly listed post: the apps built on posts register (exchanges' saved
# alerts, in exchanges/apps.py), so posts imports none of them.
_listeners: list[Callable[[int], None]] = []


def on_listed(listener: Callable[[int], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def announce_post(post_id: int) -> None:
    """The listeners (saved alerts) hear of a listed post from the worker once it is
    committed; a failed enqueue is logged, never a failed post."""
    for listener in _listeners:
        transaction.on_commit(partial(listener, post_id), robust=True)


def transition_post(
    *, post_id: int, to_status: str, actor: User | None, reason: str, now: datetime | None = None
) -> Post:
    """Move a post to `to_status` if the lifecycle allows it from its current status.

    The UPDATE is conditional on the status we read, so two concurrent changes cannot both
    win: the loser sees a changed row count and gets a 409. Call inside a transaction.
    """
    now = now or timezone.now()
    post = Post.objects.get(pk=post_id)
    if post.status == to_status or not can_move(post.status, to_status):
        raise Conflict(
            _("This post is %(status)s and cannot become %(target)s.")
            % {"status": post.get_status_display(), "target": Post.Status(to_status).label},
            code="illegal_transition",
        )
    from_status = post.status
    post.status = to_status
    post.rank = compute_rank(post, now)
    updated = Post.objects.filter(pk=post.pk, status=from_status).update(
        status=to_status, rank=post.rank, updated_at=now
    )
    if updated != 1:
        raise Conflict(_("This post changed meanwhile. Reload and try again."), code="stale")
    PostStatusChange.objects.create(
        post=post, from_status=from_status, to_status=to_status, at=now, actor=actor, reason=reason
    )
    post.updated_at = now
    return post


def set_hidden(
    *, post_id: int, hidden: bool, now: datetime, release_hold: bool = False
) -> Post | None:
    """Hide a post pending review, or show it again; None if it already was so.

    A post held by the rules engine is shown again only with `release_hold` (a moderator's
    explicit decision), not because reports on it were dismissed.
    Conditional on the current hidden state, so two moderators (or a moderator and the
    automatic hide) cannot both act. Call inside the transaction that audits it.
    """
    post = Post.objects.get(pk=post_id)
    if (post.hidden_at is not None) == hidden or (post.held_reason and not release_hold):
        return None
    was = post.hidden_at
    post.hidden_at = now if hidden else None
    post.held_reason = post.held_reason if hidden else ""
    post.rank = compute_rank(post, now)
    updated = Post.objects.filter(pk=post.pk, hidden_at=was, status=post.status).update(
        hidden_at=post.hidden_at, held_reason=post.held_reason, rank=post.rank, updated_at=now
    )
    if updated != 1:
        raise Conflict(_("This post changed meanwhile. Reload and try again."), code="stale")
    if hidden:  # taken out for review: out of visitors' shared answers at once, not in 10 s
        transaction.on_commit(public_generation.bump_generation, robust=True)
    return post


def confirm_need(*, post_id: int, now: datetime) -> Post | None:
    """The owner says the post is still wanted: its wait restarts (posts/ranking.py).
    None unless it is open or pledged. Call inside a transaction."""
    post = Post.objects.filter(pk=post_id, status__in=(Post.Status.OPEN, Post.Status.PLEDGED))
    current = post.first()
    if current is None:
        return None
    current.confirmed_at = current.updated_at = now
    current.rank = compute_rank(current, now)
    post.filter(status=current.status).update(confirmed_at=now, updated_at=now, rank=current.rank)
    return current


@transaction.atomic
def set_status_by_owner(*, post: Post, actor: User, to_status: str) -> Post:
    """The owner marks their post fulfilled or withdraws it."""
    if to_status not in OWNER_SETTABLE:
        raise Invalid(_("You can mark a post fulfilled or withdrawn."), field="status")
    return transition_post(post_id=post.pk, to_status=to_status, actor=actor, reason="owner")


def expire_due_posts(*, now: datetime | None = None, batch: int = 500) -> int:
    """Close listed posts whose time is up. Returns how many were expired."""
    now = now or timezone.now()
    due = list(
        Post.objects.filter(status__in=LISTED, closes_at__lte=now)
        .order_by("closes_at")
        .values_list("pk", flat=True)[:batch]
    )
    expired = 0
    for post_id in due:
        try:
            with transaction.atomic():
                transition_post(
                    post_id=post_id,
                    to_status=Post.Status.EXPIRED,
                    actor=None,
                    reason="expired",
                    now=now,
                )
            expired += 1
        except Conflict:
            continue  # its owner changed it meanwhile; nothing to expire
    return expired
