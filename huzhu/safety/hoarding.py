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
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Invalid
from huzhu.exchanges.models import Exchange
from huzhu.posts.models import Item, Post

ENDED_UNUSED = (Exchange.Status.DECLINED, Exchange.Status.CANCELLED)


def asked_for(*, user: User, item: Item, now: datetime) -> int:
    """How many of `item` the person asked for in the window, in needs and responses."""
    since = now - timedelta(days=settings.HUZHU_ITEM_CAP_DAYS)
    needs = (
        Post.objects.filter(owner=user, kind=Post.Kind.NEED, item=item, created_at__gt=since)
        .exclude(status=Post.Status.WITHDRAWN)
        .aggregate(total=Sum("quantity"))["total"]
    )
    responses = (
        Exchange.objects.filter(
            receiver=user, post__kind=Post.Kind.OFFER, post__item=item, created_at__gt=since
        )
        .exclude(status__in=ENDED_UNUSED)
        .aggregate(total=Sum("quantity"))["total"]
    )
    return (needs or 0) + (responses or 0)


def check_item_cap(*, user: User, item: Item | None, quantity: int, now: datetime) -> None:
    """Refuse asking for `quantity` more of `item` beyond its cap over the window."""
    cap = item.max_per_need if item else None
    if item is None or cap is None or not settings.HUZHU_POSTING_CHECKS:
        return
    asked = asked_for(user=user, item=item, now=now)
    if asked + quantity <= cap:
        return
    raise Invalid(
        _(
            "One person may ask for at most %(cap)d %(unit)s of %(item)s in %(days)d days, "
            "across needs and responses, so there is enough for everyone. You have asked "
            "for %(asked)d already; ask for at most %(left)d now."
        )
        % {
            "cap": cap,
            "unit": item.default_unit,
            "item": item.name_en,
            "days": settings.HUZHU_ITEM_CAP_DAYS,
            "asked": asked,
            "left": max(cap - asked, 0),
        },
        code="quantity_cap",
        field="quantity",
    )
