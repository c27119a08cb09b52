"""Quotas that depend on the trust level: checked by the posts and exchanges services.

Each refusal is a 403 `trust_level` whose message names the level that would allow it, so
a person knows what to do next (the trust page lists the missing criteria).
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huzhu.accounts.models import User
from huzhu.errors import Forbidden
from huzhu.exchanges.models import Exchange
from huzhu.labels import localised
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Category, Post
from huzhu.trust.levels import Level, Unlocks, level_name, lowest_level_with, unlocks_for
from huzhu.trust.queries import level_of, unlocks_of


def lock_person(user: User) -> None:
    """Serialise one person's quota checks with their writes.

    On PostgreSQL two concurrent posts could otherwise both see room for one more; on
    SQLite the IMMEDIATE transaction already holds the write lock and this is a no-op.
    FOR NO KEY UPDATE, not FOR UPDATE: rows that merely reference the person (another
    person's exchange with them, a notification) take KEY SHARE for their foreign key,
    and must not queue behind a quota check.
    """
    person = User.objects.select_for_update(no_key=True).filter(pk=user.pk)
    person.values_list("pk", flat=True).first()


def _refuse(message: str, level: int, allows: Callable[[Unlocks], bool]) -> Forbidden:
    needed = lowest_level_with(allows)
    hint = (
        _("TL%(level)d (%(name)s) allows more; see your trust page for how to get there.")
        % {"level": needed, "name": level_name(needed)}
        if needed is not None and needed > level
        else ""
    )
    return Forbidden(f"{message} {hint}".strip(), code="trust_level")


def check_can_open_post(*, user: User, kind: str, category: Category | None = None) -> None:
    """Refuse a new need or offer beyond what the person's level allows open at once.

    At TL0 the needs' limit counts per category: on a crisis's first day nearly everyone
    is new, and a fever needs medicine and a test kit at once."""
    level = level_of(user)
    limits = unlocks_of(user)  # a verified organisation may keep more offers open
    is_need = kind == Post.Kind.NEED
    limit = limits.open_needs if is_need else limits.open_offers
    open_posts = Post.objects.filter(owner=user, kind=kind, status__in=LISTED)
    per_category = is_need and level == Level.NEW and category is not None
    if per_category:
        open_posts = open_posts.filter(category=category)
    open_now = open_posts.count()
    if open_now < limit:
        return
    values = {"level": level, "name": level_name(level), "limit": limit}
    if per_category:
        assert category is not None
        message = ngettext(
            "At TL%(level)d (%(name)s) you may have %(limit)d open need in each category "
            "at a time; you have one in %(category)s.",
            "At TL%(level)d (%(name)s) you may have %(limit)d open needs in each category "
            "at a time; you have them in %(category)s.",
            limit,
        ) % {**values, "category": localised(category.name_en, category.name_zh)}
    elif is_need:
        message = (
            ngettext(
                "At TL%(level)d (%(name)s) you may have %(limit)d open need at a time.",
                "At TL%(level)d (%(name)s) you may have %(limit)d open needs at a time.",
                limit,
            )
            % values
        )
    else:
        message = (
            ngettext(
                "At TL%(level)d (%(name)s) you may have %(limit)d open offer at a time.",
                "At TL%(level)d (%(name)s) you may have %(limit)d open offers at a time.",
                limit,
            )
            % values
        )
    raise _refuse(
        message,
        level,
        (lambda u: u.open_needs > limit) if is_need else (lambda u: u.open_offers > limit),
    )


def check_can_respond(*, user: User, now: datetime) -> None:
    """Refuse a response beyond the person's daily allowance (a rolling 24 hours)."""
    level = level_of(user)
    limit = unlocks_for(level).responses_per_day
    responses = (
        Exchange.objects.filter(Q(giver=user) | Q(receiver=user), created_at__gt=now - timedelta(1))
        .exclude(post__owner=user)
        .count()
    )
    if responses < limit:
        return
    message = _("At TL%(level)d (%(name)s) you may respond to %(limit)d posts a day.") % {
        "level": level,
        "name": level_name(level),
        "limit": limit,
    }
    raise _refuse(message, level, lambda u: u.responses_per_day > limit)
