"""The posting rules beyond what a text says (text/rules.py): how much, how often, how new.

`check_new_post` is called by `posts.services.create_post` once the draft is valid. It
refuses, each with a stable code and a message saying what to do instead:

- quantity_cap (422): a need asks for more of a scarce item than one need may (the item's
  `max_per_need` in the catalogue, after the 2022 platform's "4 ibuprofen tablets or 2
  antigen tests");
- category_quota (409): the person already has HUZHU_OPEN_NEEDS_PER_CATEGORY open needs in
  the category;
- duplicate (409): the person posted near-identical text within HUZHU_DUPLICATE_HOURS
  (similarity.py); the message points to that post;
- post_velocity (429): more new posts in an hour than the trust level's `posts_per_hour`;
- first_day (403): an account younger than HUZHU_FIRST_DAY_HOURS has posted
  HUZHU_FIRST_DAY_POSTS times already.

Cases that are only uncertain are not refused but *held* (the code is returned and kept in
`Post.held_reason`): visible to the author and moderators only until a moderator releases
or rejects the post (moderation.py). HUZHU_POSTING_CHECKS turns all of this off for tests
and bulk imports; gift-only and prescriptions always apply.
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Forbidden, Invalid, TooManyRequests
from huzhu.labels import localised
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Category, Item, Post
from huzhu.posts.units import base_quantity, check_countable
from huzhu.safety.hoarding import cap_amount, check_item_cap, item_name
from huzhu.safety.sale_model import uncertain_sale
from huzhu.text.contact import find_contacts
from huzhu.text.gift_words import negated
from huzhu.text.rules import fold
from huzhu.text.similarity import near_identical
from huzhu.trust.levels import unlocks_for
from huzhu.trust.queries import level_of, verified_methods

# Words about costs that are not selling on their own ("免运费", "cover the postage") but
# often are: a moderator decides. Clear price and sale words are refused by rules.gift_only.
_PRICE_LIKE = re.compile(
    "|".join(
        [
            "运费",
            "邮费",
            "快递费",
            "报销",
            "意思一下",
            "成本",
            "打赏",
            "感谢费",
            "好处费",
            "辛苦费",
            (
                r"(?<![a-z])(?:postage|shipping (?:fee|cost)s?|delivery fee|"
                r"cover (?:the )?costs?|reimburs\w*|small fee|compensat\w+|"
                r"pay (?:for )?(?:the )?(?:shipping|delivery|courier))(?![a-z])"
            ),
        ]
    )
)

# The giver paying the postage (运费我出, 免运费, "I'll cover the postage") is a gift.
_GIVER_PAYS_AFTER = re.compile(r"^\s*(?:我(?:来)?(?:出|付|包)|全免|免了|包了)")
_GIVER_PAYS_BEFORE = re.compile(
    r"(?:我(?:来)?(?:出|付|包)|免|包)\s*$"
    r"|(?:i'?ll|i will|i can|happy to|we'?ll)\s+(?:pay|cover)[a-z ]{0,12}$"
)
_GIVER_SAYS = re.compile(r"(?:i'?ll|i will|i can|happy to|we'?ll)\s*$")


def _giver_pays(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 24) : match.start()]
    return bool(
        _GIVER_PAYS_AFTER.search(text[match.end() : match.end() + 6])
        or _GIVER_PAYS_BEFORE.search(before)
        or (match.group(0).startswith("pay") and _GIVER_SAYS.search(before))
    )


def mentions_costs(text: str) -> bool:
    """Whether normalised `text` asks the other person to bear a cost."""
    return any(
        not negated(text, *match.span()) and not _giver_pays(text, match)
        for match in _PRICE_LIKE.finditer(text)
    )


HELD_MESSAGES: dict[str, Promise] = {
    "price_like": gettext_lazy(
        "Your post waits for a moderator because it mentions costs. Gifts on Huzhu are free; "
        "if you only meant that the other person collects it, you need not do anything."
    ),
    "new_account_scarce": gettext_lazy(
        "Your post waits for a moderator because new accounts asking for many of a scarce "
        "item are checked first. Asking for fewer, or verifying your phone or e-mail, gets "
        "a post out at once."
    ),
    "sale_model": gettext_lazy(
        "Your post waits for a moderator because it reads like selling or trading. Gifts on "
        "Huzhu are free; if you meant a gift, a moderator will release it soon."
    ),
    "link_new_member": gettext_lazy(
        "Your post waits for a moderator because links from new members are checked first "
        "(scams often start with one). Leaving the link out gets a post out at once."
    ),
}


def held_message(code: str) -> str:
    return str(HELD_MESSAGES[code]) if code in HELD_MESSAGES else ""


@dataclass(frozen=True)
class NewPost:
    """What the posting rules look at: the validated draft and its catalogue item."""

    owner: User
    kind: str
    title: str
    body: str
    category: Category
    item: Item | None
    quantity: int
    unit: str | None = None  # None: the item's default unit
    # Intake: the name of the resident a volunteer posts for (posts/on_behalf.py). Such
    # posts count against the organiser's intake quota, not the volunteer's own.
    beneficiary: str | None = None

    @property
    def counted(self) -> int:
        """The quantity in the item's default unit: what caps count (posts/units.py)."""
        return base_quantity(self.item, self.quantity, self.unit) if self.item else self.quantity


def check_new_post(post: NewPost, *, now: datetime) -> str:
    """Refuse the post (raising) or return why it is held ("" if it is not)."""
    if not settings.HUZHU_POSTING_CHECKS:
        return ""
    check_quantity_cap(post)
    if post.beneficiary is not None:
        check_duplicate(post, now=now)
        check_intake_rate(post.owner, now=now)
        return held_reason(post, now=now)
    if post.kind == Post.Kind.NEED:
        check_item_cap(
            user=post.owner, item=post.item, quantity=post.quantity, unit=post.unit, now=now
        )
    check_category_quota(post)
    check_duplicate(post, now=now)
    check_velocity(post.owner, now=now)
    check_first_day(post.owner, now=now)
    return held_reason(post, now=now)


def _is_new_account(user: User, now: datetime) -> bool:
    return user.date_joined > now - timedelta(hours=settings.HUZHU_FIRST_DAY_HOURS)


def check_quantity_cap(post: NewPost) -> None:
    cap = post.item.max_per_need if post.item else None
    if post.kind != Post.Kind.NEED or post.item is None or cap is None:
        return
    check_countable(post.item, post.unit)
    if post.counted <= cap:
        return
    raise Invalid(
        _(
            "One need may ask for at most %(amount)s of %(item)s, so there is enough for "
            "everyone. Ask for that much now and post again when it has arrived."
        )
        % {"amount": cap_amount(post.item), "item": item_name(post.item)},
        code="quantity_cap",
        field="quantity",
    )


def check_category_quota(post: NewPost) -> None:
    limit = settings.HUZHU_OPEN_NEEDS_PER_CATEGORY
    if post.kind != Post.Kind.NEED:
        return
    open_needs = Post.objects.filter(
        owner=post.owner,
        kind=Post.Kind.NEED,
        category=post.category,
        status__in=LISTED,
        on_behalf=False,  # needs entered for residents are theirs, not the volunteer's
    ).count()
    if open_needs < limit:
        return
    raise Conflict(
        ngettext(
            "You already have %(count)d open need in %(category)s. Mark it fulfilled or "
            "withdraw it before asking for more.",
            "You already have %(count)d open needs in %(category)s. Mark one fulfilled or "
            "withdraw it before asking for more.",
            open_needs,
        )
        % {
            "count": open_needs,
            "category": localised(post.category.name_en, post.category.name_zh),
        },
        code="category_quota",
    )


def check_duplicate(post: NewPost, *, now: datetime) -> None:
    """Near-identical text within the window: from the person themselves, or, for intake,
    for the same resident (four residents may well need the same thing)."""
    since = now - timedelta(hours=settings.HUZHU_DUPLICATE_HOURS)
    mine = Post.objects.filter(owner=post.owner, kind=post.kind, created_at__gt=since)
    if post.beneficiary is None:
        mine = mine.filter(on_behalf=False)
    else:
        mine = mine.filter(beneficiary__name__iexact=post.beneficiary.strip())
    recent = (
        mine.exclude(status=Post.Status.WITHDRAWN)
        .order_by("-created_at")
        .values_list("pk", "title", "body")
    )
    text = f"{post.title} {post.body}"
    for post_id, title, body in recent:
        if near_identical(text, f"{title} {body}", threshold=settings.HUZHU_DUPLICATE_SIMILARITY):
            raise Conflict(
                _(
                    "You posted this already (post %(id)d, /posts/%(id)d). Edit or withdraw "
                    "that one instead of posting it twice."
                )
                % {"id": post_id},
                code="duplicate",
            )


def _seconds_until_room(owner: User, *, on_behalf: bool, limit: int, now: datetime) -> int | None:
    """None while `owner` made fewer than `limit` posts of this kind in the last hour; else
    the seconds until the oldest of them leaves the hour and there is room again."""
    since = now - timedelta(hours=1)
    recent = list(
        Post.objects.filter(owner=owner, on_behalf=on_behalf, created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return math.ceil((recent[-1] + timedelta(hours=1) - now).total_seconds())


def check_intake_rate(owner: User, *, now: datetime) -> None:
    """The organiser's intake quota: posts for residents in a rolling hour."""
    limit = settings.HUZHU_INTAKE_PER_HOUR
    retry_after = _seconds_until_room(owner, on_behalf=True, limit=limit, now=now)
    if retry_after is None:
        return
    raise TooManyRequests(
        ngettext(
            "You have entered %(limit)d post for residents in the last hour, the most intake "
            "allows. Please wait a little.",
            "You have entered %(limit)d posts for residents in the last hour, the most "
            "intake allows. Please wait a little.",
            limit,
        )
        % {"limit": limit},
        retry_after=retry_after,
        code="intake_rate",
    )


def check_velocity(owner: User, *, now: datetime) -> None:
    limit = unlocks_for(level_of(owner)).posts_per_hour
    retry_after = _seconds_until_room(owner, on_behalf=False, limit=limit, now=now)
    if retry_after is None:
        return
    raise TooManyRequests(
        _(
            "You have posted %(limit)d times in the last hour, the most your trust level "
            "allows. Please wait a little; a higher trust level allows more."
        )
        % {"limit": limit},
        retry_after=retry_after,
        code="post_velocity",
    )


def check_first_day(owner: User, *, now: datetime) -> None:
    if not _is_new_account(owner, now):
        return
    limit = settings.HUZHU_FIRST_DAY_POSTS
    # Every post counts, withdrawn ones too: posting and withdrawing is not a way round.
    # Posts entered for residents count against the intake quota instead.
    if Post.objects.filter(owner=owner, on_behalf=False).count() < limit:
        return
    raise Forbidden(
        _(
            "New accounts may post %(limit)d times on their first day. You can post again "
            "from %(when)s UTC; meanwhile, verifying your phone or e-mail helps."
        )
        % {
            "limit": limit,
            "when": (owner.date_joined + timedelta(hours=settings.HUZHU_FIRST_DAY_HOURS)).strftime(
                "%Y-%m-%d %H:%M"
            ),
        },
        code="first_day",
    )


def held_reason(post: NewPost, *, now: datetime) -> str:
    """Why the post should wait for a moderator, or "": the uncertain cases."""
    texts = (post.title, post.body)
    if any(mentions_costs(fold(text)) for text in texts):
        return "price_like"
    cap = post.item.max_per_need if post.item else None
    if (
        post.kind == Post.Kind.NEED
        and cap is not None
        and post.counted > cap / 2
        and _is_new_account(post.owner, now)
        and not verified_methods(post.owner)  # a verified newcomer's need goes out at once
    ):
        return "new_account_scarce"
    has_link = any(span.kind == "link" for text in texts for span in find_contacts(text))
    if has_link and not unlocks_for(level_of(post.owner)).links_in_posts:
        return "link_new_member"
    if uncertain_sale(post.title, post.body) is not None:
        return "sale_model"
    return ""
