"""The "for you" feed: open needs near a district the person chose, for things they offered.

Only while they consent (accounts/consents.py): the feed itself needs `for_you_feed`, and
learning from their offers needs `activity_recommendations`. Where: the district they chose
on the page (the deployment's centre until they choose). Huzhu stores no search history, so
"the last place searched" would have meant starting to track searches; a chosen district is
coarse and is the person's own say. What: every item they offered (or the category, for
offers naming no item), learned from their offers since the last reset.

Each interest is one nearby search through `posts/search.py` (the feed's own query path),
kind "need", in urgency order. Own posts, posts the person already responded to or is
part of an exchange on, and posts not open are left out. Each card says why it is shown.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.consents import Consents, consents_of
from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.exchanges.models import Exchange
from huzhu.insights.models import ForYouInterest, ForYouProfile
from huzhu.labels import localised
from huzhu.places import Place, default_centre, place_by_code
from huzhu.posts.models import Post
from huzhu.posts.search import SearchParams, search_posts

PER_INTEREST = 20
MAX_ITEMS = 30


@dataclass(frozen=True)
class Suggestion:
    post: Post
    distance_km: float
    reason: str


@dataclass
class Feed:
    place: Place
    learning: bool  # may the feed learn from the person's offers?
    suggestions: list[Suggestion] = field(default_factory=list)


def require_feed_consent(user: User) -> None:
    if not consents_of(user.pk).for_you_feed:
        raise Conflict(
            _("Turn on the “for you” feed in your consent centre first."),
            code="consent_required",
        )


def place_of(user: User) -> Place:
    profile = ForYouProfile.objects.filter(user=user).first()
    chosen = place_by_code(profile.place_code) if profile and profile.place_code else None
    return chosen or default_centre()


@transaction.atomic
def choose_place(*, user: User, place_code: str) -> Place:
    require_feed_consent(user)
    place = place_by_code(place_code)
    if place is None:
        raise Invalid(_("Choose one of the listed areas."), field="place")
    ForYouProfile.objects.update_or_create(
        user=user, defaults={"place_code": place.code, "updated_at": timezone.now()}
    )
    return place


@transaction.atomic
def reset_profile(*, user: User) -> None:
    """Forget the chosen district and everything learned; offers made before now are not
    learned again."""
    now = timezone.now()
    ForYouInterest.objects.filter(user=user).delete()
    if consents_of(user.pk).for_you_feed:
        ForYouProfile.objects.update_or_create(
            user=user, defaults={"place_code": "", "learned_since": now, "updated_at": now}
        )
    else:
        ForYouProfile.objects.filter(user=user).delete()


@transaction.atomic
def learn_interests(*, user: User) -> None:
    """Store what `user` offered since the last reset, if they allow that use."""
    consents = consents_of(user.pk)
    if not (consents.for_you_feed and consents.activity_recommendations):
        return
    now = timezone.now()
    profile, _ = ForYouProfile.objects.get_or_create(user=user, defaults={"updated_at": now})
    offers = Post.objects.filter(owner=user, kind=Post.Kind.OFFER)
    if profile.learned_since:
        offers = offers.filter(created_at__gte=profile.learned_since)
    latest: dict[tuple[int, int | None], Post] = {}
    for offer in offers.order_by("created_at", "pk"):
        latest[(offer.category_id, offer.item_id)] = offer
    for (category_id, item_id), offer in latest.items():
        ForYouInterest.objects.update_or_create(
            user=user,
            category_id=category_id,
            item_id=item_id,
            defaults={"last_offered_at": offer.created_at},
        )


def feed_for(user: User) -> Feed:
    """The suggestions for `user`; Conflict unless they turned the feed on."""
    require_feed_consent(user)
    learn_interests(user=user)
    place = place_of(user)
    feed = Feed(place=place, learning=consents_of(user.pk).activity_recommendations)
    interests = ForYouInterest.objects.filter(user=user).select_related("category", "item")
    involved = set(
        Exchange.objects.filter(Q(giver=user) | Q(receiver=user)).values_list("post_id", flat=True)
    )
    seen: set[int] = set()
    for interest in interests.order_by("-last_offered_at", "pk"):
        params = SearchParams(
            lat=place.lat,
            lng=place.lng,
            radius_km=settings.HUZHU_FOR_YOU_RADIUS_KM,
            kind=Post.Kind.NEED,
            item_id=interest.item_id,
            category=None if interest.item_id else interest.category.code,
            limit=PER_INTEREST,
        )
        reason = _why(interest)
        for post, distance in search_posts(params).hits:
            if post.pk in seen or post.owner_id == user.pk or post.pk in involved:
                continue
            if post.status != Post.Status.OPEN:
                continue
            seen.add(post.pk)
            feed.suggestions.append(Suggestion(post, distance, reason))
    feed.suggestions.sort(key=lambda s: (s.post.rank or 0, s.post.pk))
    del feed.suggestions[MAX_ITEMS:]
    return feed


def _why(interest: ForYouInterest) -> str:
    if interest.item is not None:
        name = localised(interest.item.name_en, interest.item.name_zh)
        return _("You offered %(item)s before.") % {"item": name}
    name = localised(interest.category.name_en, interest.category.name_zh)
    return _("You offered something in %(category)s before.") % {"category": name}


def forget_withdrawn(user: User, consents: Consents) -> None:
    """What a withdrawn consent stored goes: the whole profile with the feed, what was learned
    from someone's offers with that use (accounts/consents.py calls this on every change)."""
    if not consents.for_you_feed:
        ForYouInterest.objects.filter(user=user).delete()
        ForYouProfile.objects.filter(user=user).delete()
    elif not consents.activity_recommendations:
        ForYouInterest.objects.filter(user=user).delete()
