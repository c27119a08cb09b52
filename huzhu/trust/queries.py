"""Reads for trust: a person's level and badge, their verifications, the trust overview."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import NotFound
from huzhu.keys import unseal
from huzhu.trust.criteria import CRITERIA, NO_ACTIVITY_DAYS, measure, vouched_by_trusted
from huzhu.trust.levels import Level, Unlocks, level_name, unlocks_for
from huzhu.trust.models import (
    Organisation,
    Review,
    TrustState,
    Verification,
    VerifiedDocument,
    VerifiedEmail,
    VerifiedPhone,
)
from huzhu.trust.reputation import Reputation
from huzhu.trust.stories import neighbours_helped


def state_of(user: User) -> TrustState | None:
    return TrustState.objects.filter(user=user).first()


def level_of(user: User) -> int:
    """The level as last computed (TL0 before the first computation). TL4 is staff's
    alone: a stored TL4 of someone no longer staff counts as TL3 until it is recomputed."""
    if is_moderator(user):
        return Level.MODERATOR
    level = TrustState.objects.filter(user=user).values_list("level", flat=True).first()
    return min(level or Level.NEW, Level.TRUSTED)


def unlocks_of(user: User) -> Unlocks:
    """What `user` may do: their level's unlocks, with an organisation's larger offer quota
    (a pharmacy lists many items; a person rarely does)."""
    unlocks = unlocks_for(level_of(user))
    if Organisation.objects.filter(user_id=user.pk).exists():
        multiplier = settings.HUZHU_ORGANISATION_OFFER_MULTIPLIER
        return replace(unlocks, open_offers=unlocks.open_offers * multiplier)
    return unlocks


def _organisation_badge(organisation: Organisation | None) -> dict[str, str] | None:
    if organisation is None:
        return None
    return {
        "kind": organisation.kind,
        "kind_label": str(organisation.get_kind_display()),
        "name": organisation.name,
    }


def _badge(state: TrustState | None, organisation: Organisation | None = None) -> dict[str, Any]:
    level = state.level if state else Level.NEW
    reputation = Reputation(
        counted=state.reviews_counted if state else 0,
        positive=state.reviews_positive if state else 0,
    )
    return {
        "verified": bool(state and state.verified),
        "level": level,
        "level_name": level_name(level),
        "completed_exchanges": state.completed_exchanges if state else 0,
        **reputation.as_dict(),
        "organisation": _organisation_badge(organisation),
    }


def badge_for(user_id: int) -> dict[str, Any]:
    """What posts and profiles show about their owner: no identity, only earned trust (and,
    for a verified organisation, its public name)."""
    return badges_for([user_id])[user_id]


def badges_for(user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Badges of many people in one query (every post answer asks for one): the trust state
    and organisation joined to the account, rather than a query for each."""
    wanted = set(user_ids)
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=wanted)
        .select_related("trust", "organisation")
        .only("pk", *(f"trust__{name}" for name in _BADGE_FIELDS), *_ORGANISATION_FIELDS)
    }
    return {
        user_id: _badge(
            _related(people.get(user_id), "trust"), _related(people.get(user_id), "organisation")
        )
        for user_id in wanted
    }


_BADGE_FIELDS = ("level", "verified", "completed_exchanges", "reviews_counted", "reviews_positive")
_ORGANISATION_FIELDS = ("organisation__kind", "organisation__name")


def _related(person: User | None, name: str) -> Any:
    """A one-to-one the query joined, or None where the person has none."""
    try:
        return getattr(person, name) if person is not None else None
    except ObjectDoesNotExist:
        return None


def verified_contact(user_id: int) -> dict[str, str | None]:
    """What a mutual reveal shows: the verified e-mail, and the phone if its owner chose so."""
    email = VerifiedEmail.objects.filter(user_id=user_id).values_list("address", flat=True)
    sealed = VerifiedPhone.objects.filter(user_id=user_id).values_list("sealed_phone", flat=True)
    sealed_phone = sealed.first()
    return {
        "email": email.first(),
        "phone": unseal(sealed_phone) if sealed_phone else None,
    }


def access_verification(user: User, verification_id: int) -> Verification:
    """One of `user`'s own verifications; anyone else's is 404."""
    found = Verification.objects.filter(pk=verification_id, user=user).first()
    if found is None:
        raise NotFound(_("No such verification."))
    return found


def verified_methods(user: User) -> list[str]:
    methods = []
    if hasattr(user, "verified_phone"):
        methods.append("phone")
    if hasattr(user, "verified_email"):
        methods.append("email")
    if VerifiedDocument.objects.filter(user_id=user.pk).exists():
        methods.append("document")
    if vouched_by_trusted(user.pk):
        methods.append("vouch")
    return methods


def overview(user: User, now: datetime | None = None) -> dict[str, Any]:
    """The trust page: level, what it unlocks, every criterion against its threshold."""
    now = now or timezone.now()
    user = User.objects.get(pk=user.pk)  # fresh: related rows may have just changed
    facts = measure(user, now)
    level = level_of(user)
    state = state_of(user)
    criteria: list[dict[str, Any]] = []
    for criterion in CRITERIA:
        value, threshold = criterion.value(facts), criterion.threshold()
        # Someone who never completed an exchange has no "days since": say so in words.
        shown = _("none yet") if value == NO_ACTIVITY_DAYS else value
        criteria.append(
            {
                "code": criterion.code,
                "level": int(criterion.level),
                "label": str(criterion.label),
                "value": value,
                "threshold": threshold,
                "comparison": criterion.comparison,
                "met": criterion.met(facts),
                "text": f"{criterion.label} {shown} / {threshold}"
                if criterion.comparison == "at_least"
                else f"{criterion.label} {shown} / ≤ {threshold}",
            }
        )
    next_level = level + 1 if level < Level.TRUSTED else None
    missing = [c for c in criteria if next_level and c["level"] <= next_level and not c["met"]]
    demotion = None
    if state and state.pending_level is not None and state.demote_at is not None:
        demotion = {
            "to_level": state.pending_level,
            "to_name": level_name(state.pending_level),
            "at": state.demote_at,
        }
    return {
        "level": level,
        "name": level_name(level),
        "verified": bool(verified_methods(user)),
        "verified_methods": verified_methods(user),
        "unlocks": asdict(unlocks_of(user)),
        "next_level": (
            {"level": next_level, "name": level_name(next_level), "missing": missing}
            if next_level
            else None
        ),
        "criteria": criteria,
        "demotion": demotion,
        "reputation": Reputation(
            counted=facts.reviews_counted, positive=facts.reviews_positive
        ).as_dict(),
        "neighbours_helped": neighbours_helped(user),
    }


@dataclass(frozen=True, slots=True)
class LowReview:
    """A flagged review, with what a moderator needs to judge it."""

    review_id: int
    score: int
    comment: str
    created_at: datetime
    flagged_at: datetime | None
    exchange_id: int
    exchange_status: str
    post_id: int
    post_title: str
    reviewer_id: int
    reviewer: str  # display names: the console shows who, the ids link to them
    reviewee_id: int
    reviewee: str


def low_reviews_to_check(limit: int = 100) -> list[LowReview]:
    """Reviews scored 2 or less that no moderator has cleared yet, oldest first, with what a
    moderator needs to judge them (for the moderation console)."""
    flagged = (
        Review.objects.filter(flagged_at__isnull=False, flag_cleared_at__isnull=True)
        .select_related("exchange__post", "reviewer", "reviewee")
        .order_by("flagged_at", "pk")[:limit]
    )
    return [
        LowReview(
            review_id=review.pk,
            score=review.score,
            comment=review.comment,
            created_at=review.created_at,
            flagged_at=review.flagged_at,
            exchange_id=review.exchange_id,
            exchange_status=review.exchange.status,
            post_id=review.exchange.post_id,
            post_title=review.exchange.post.title,
            reviewer_id=review.reviewer_id,
            reviewer=review.reviewer.display_name,
            reviewee_id=review.reviewee_id,
            reviewee=review.reviewee.display_name,
        )
        for review in flagged
    ]


def access_review_for_moderation(moderator: User, review_id: int) -> Review:
    """Any review, for a moderator; 404 for everyone else (as if it did not exist)."""
    found = Review.objects.filter(pk=review_id).first() if is_moderator(moderator) else None
    if found is None:
        raise NotFound(_("No such review."))
    return found


def documents_to_check(limit: int = 100) -> list[Verification]:
    """Document checks with a photo and no decision yet, oldest first (the staff queue)."""
    waiting = Verification.objects.filter(
        method=Verification.Method.DOCUMENT,
        status=Verification.Status.PENDING,
        document__uploaded_at__isnull=False,
    )
    return list(
        waiting.select_related("document", "user").order_by("document__uploaded_at", "pk")[:limit]
    )


def access_document_for_moderation(moderator: User, verification_id: int) -> Verification:
    """Any document check, for staff; 404 for everyone else (as if it did not exist)."""
    found = None
    if is_moderator(moderator):
        found = (
            Verification.objects.filter(pk=verification_id, method=Verification.Method.DOCUMENT)
            .select_related("document", "user")
            .first()
        )
    if found is None:
        raise NotFound(_("No such document check."))
    return found


def latest_document(user: User) -> Verification | None:
    """The person's newest document check, for their trust page."""
    mine = Verification.objects.filter(user=user, method=Verification.Method.DOCUMENT)
    return mine.exclude(status=Verification.Status.SUPERSEDED).select_related("document").last()
