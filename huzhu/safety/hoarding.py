"""Per-item caps over what one person asks for, across their needs and their responses.

A catalogue item's `max_per_need` (after the 2022 platform's "4 ibuprofen tablets or 2
antigen tests") caps one need; without this, a person could respond to several offers of
ibuprofen for 17 and 14 tablets, or post a need and answer offers besides. So the cap also
applies to the sum, over HUZHU_ITEM_CAP_DAYS, of the person's needs for the item (not
withdrawn) and their responses to offers of it (not declined or cancelled), with the same
clear refusal. HUZHU_POSTING_CHECKS turns it off with the other posting rules.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import ngettext

from huzhu.accounts.models import User
from huzhu.errors import Invalid
from huzhu.exchanges.models import Exchange
from huzhu.labels import localised, quantity_label
from huzhu.posts.models import Item, Post
from huzhu.posts.units import base_quantity

ENDED_UNUSED = (Exchange.Status.DECLINED, Exchange.Status.CANCELLED)


def asked_for(*, user: User, item: Item, now: datetime, excluding: int | None = None) -> int:
    """How many of `item` the person asked for in the window, in needs and responses,
    counted in the item's default unit (posts/units.py); without the need `excluding`
    (one being edited)."""
    since = now - timedelta(days=settings.HUZHU_ITEM_CAP_DAYS)
    needs_of = Post.objects.filter(
        owner=user, kind=Post.Kind.NEED, item=item, created_at__gt=since
    ).exclude(status=Post.Status.WITHDRAWN)
    if excluding is not None:
        needs_of = needs_of.exclude(pk=excluding)
    needs = needs_of.values("unit").annotate(total=Sum("quantity")).values_list("unit", "total")
    responses = (
        Exchange.objects.filter(
            receiver=user, post__kind=Post.Kind.OFFER, post__item=item, created_at__gt=since
        )
        .exclude(status__in=ENDED_UNUSED)
        .values("post__unit")
        .annotate(total=Sum("quantity"))
        .values_list("post__unit", "total")
    )
    return sum(base_quantity(item, total, unit) for unit, total in [*needs, *responses])


def item_name(item: Item) -> str:
    return localised(item.name_en, item.name_zh)


def cap_amount(item: Item, count: int | None = None) -> str:
    """ "4 tablets" / "4 片": `count` (the item's cap by default) in its default unit."""
    return quantity_label(item.max_per_need or 0 if count is None else count, item.default_unit)


def check_item_cap(
    *,
    user: User,
    item: Item | None,
    quantity: int,
    now: datetime,
    unit: str | None = None,
    excluding: int | None = None,
) -> None:
    """Refuse asking for `quantity` more of `item` (in `unit`, by default the item's own)
    beyond its cap over the window."""
    cap = item.max_per_need if item else None
    if item is None or cap is None or not settings.HUZHU_POSTING_CHECKS:
        return
    asked = asked_for(user=user, item=item, now=now, excluding=excluding)
    if asked + base_quantity(item, quantity, unit) <= cap:
        return
    days = settings.HUZHU_ITEM_CAP_DAYS
    raise Invalid(
        ngettext(
            "One person may ask for at most %(amount)s of %(item)s in %(days)d day, across "
            "needs and responses, so there is enough for everyone. You have asked for "
            "%(asked)s already; ask for at most %(left)s now.",
            "One person may ask for at most %(amount)s of %(item)s in %(days)d days, across "
            "needs and responses, so there is enough for everyone. You have asked for "
            "%(asked)s already; ask for at most %(left)s now.",
            days,
        )
        % {
            "amount": cap_amount(item),
            "item": item_name(item),
            "days": days,
            "asked": cap_amount(item, asked),
            "left": cap_amount(item, max(cap - asked, 0)),
        },
        code="quantity_cap",
        field="quantity",
    )
