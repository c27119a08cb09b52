"""Everything Huzhu keeps about one person, for them to download (GET /api/v1/me/export).

Their own data in full — their exact post locations and alert centres included, since they
are theirs — and nobody else's: the other person in an exchange appears as a pseudonym
that is stable within this person's export and means nothing outside it, and only the
messages this person wrote are included. What others wrote about them (received reviews)
has contact details masked, as the app serves it before contact is shared. The no-shows
recorded about them are listed, as they weigh on their trust level.
"""

import hashlib
import hmac
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from huzhu.accounts.consents import consents_of, history_of
from huzhu.accounts.models import User
from huzhu.exchanges.contact import mask_contacts
from huzhu.exchanges.models import (
    Alert,
    Exchange,
    ExchangeStatusChange,
    Message,
    NoShow,
    Notification,
    PushSubscription,
)
from huzhu.exchanges.preferences import preferences_of
from huzhu.insights.models import Feedback, ForYouInterest, ForYouProfile
from huzhu.posts.models import Beneficiary, Post, PostStatusChange
from huzhu.posts.tags import bits_to_tags
from huzhu.safety.models import Report
from huzhu.trust.models import Review, TrustState, VerifiedEmail, VerifiedPhone
from huzhu.trust.personal_data import export_trust
from huzhu.trust.reputation import revealed_reviews

FORMAT = "huzhu-export-1"


def pseudonym(owner: User, other_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"export:{owner.pk}:{other_id}".encode(), hashlib.sha256)
    return f"person-{digest.hexdigest()[:10]}"


def export_user(user: User) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "profile": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "locale": user.locale,
            "date_joined": user.date_joined,
        },
        "verifications": _verifications(user),
        "posts": _posts(user),
        "exchanges": _exchanges(user),
        "messages": [
            {"exchange_id": m.exchange_id, "body": m.body, "created_at": m.created_at}
            for m in Message.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "notifications": [
            {"kind": n.kind, "created_at": n.created_at, "read_at": n.read_at}
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "notification_preferences": {
            **preferences_of(user.pk).as_data(),
            "push_subscriptions": [
                {"push_service": urlsplit(endpoint).netloc, "created_at": created_at}
                for endpoint, created_at in PushSubscription.objects.filter(user=user).values_list(
                    "endpoint", "created_at"
                )
            ],
        },
        "alerts": _alerts(user),
        "reviews_given": [
            {**_review(r), "reviewed": pseudonym(user, r.reviewee_id)}
            for r in Review.objects.filter(reviewer=user).order_by("created_at", "pk")
        ],
        # Received reviews only once revealed, as the double-blind shows them.
        "reviews_received": [
            {**_review(r, masked=True), "reviewer": pseudonym(user, r.reviewer_id)}
            for r in revealed_reviews(timezone.now())
            .filter(reviewee=user)
            .order_by("created_at", "pk")
        ],
        "no_shows_about_me": [
            {
                "exchange_id": n.exchange_id,
                "reported_by": pseudonym(user, n.reported_by_id) if n.reported_by_id else None,
                "created_at": n.created_at,
                "contested_at": n.contested_at,
                "contest_reason": n.contest_reason,
                "decided_at": n.decided_at,
                "overturned": n.overturned,
            }
            for n in NoShow.objects.filter(reported_user=user).order_by("created_at", "pk")
        ],
        "no_shows_i_reported": [
            {"exchange_id": n.exchange_id, "reason": n.reason, "created_at": n.created_at}
            for n in NoShow.objects.filter(reported_by=user).order_by("created_at", "pk")
        ],
        "reports_filed": [
            {
                "target_type": r.target_type,
                "target_id": r.target_id,
                "reason": r.reason,
                "details": r.details,
                "status": r.status,
                "created_at": r.created_at,
            }
            for r in Report.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
        "consents": asdict(consents_of(user.pk)),
        "consent_history": [
            {"purpose": c.purpose, "granted": c.granted, "at": c.at}
            for c in reversed(history_of(user.pk))
        ],
        "for_you": _for_you(user),
        "sanctions": _sanctions(user),
        "feedback": [
            {
                "rating": f.rating,
                "theme": f.theme,
                "text": f.text,
                "exchange_id": f.exchange_id,
                "created_at": f.created_at,
            }
            for f in Feedback.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def _for_you(user: User) -> dict[str, Any]:
    profile = ForYouProfile.objects.filter(user=user).first()
    interests = ForYouInterest.objects.filter(user=user).select_related("category", "item")
    return {
        "place": profile.place_code if profile else None,
        "learned_since": profile.learned_since if profile else None,
        "interests": [
            {
                "category": i.category.code,
                "item": i.item.code if i.item else None,
                "last_offered_at": i.last_offered_at,
            }
            for i in interests.order_by("pk")
        ],
    }


def _review(review: Review, *, masked: bool = False) -> dict[str, Any]:
    """`masked`: someone else wrote it, so their contact details stay theirs."""
    text = mask_contacts if masked else str
    return {
        "exchange_id": review.exchange_id,
        "score": review.score,
        "comment": text(review.comment),
        "thanks": text(review.thanks),
        "publish_thanks": review.publish_thanks,
        "counts": review.counts,
        "created_at": review.created_at,
    }


def _sanctions(user: User) -> list[dict[str, Any]]:
    """The person's sanctions with the rule, and their appeals with the whole dialogue; the
    moderators stay anonymous, as on the sanctions page."""
    from huzhu.safety.queries import appeal_data, appeal_of, sanction_data, sanctions_of

    now = timezone.now()
    return [
        {
            **sanction_data(sanction, now=now),
            "appeal": appeal_data(appeal) if (appeal := appeal_of(sanction)) else None,
        }
        for sanction in sanctions_of(user)
    ]


def _verifications(user: User) -> dict[str, Any]:
    phone = VerifiedPhone.objects.filter(user=user).first()
    email = VerifiedEmail.objects.filter(user=user).first()
    state = TrustState.objects.filter(user=user).first()
    return {
        # A hash of the number, and sealed copies: one so Huzhu can text its owner, one
        # only if they chose to share it on reveal.
        "phone_verified_at": phone.verified_at if phone else None,
        "phone_kept_for_reveal": bool(phone and phone.sealed_phone),
        "phone_kept_for_texts": bool(phone and phone.sealed_contact),
        "email": email.address if email else None,
        "email_verified_at": email.verified_at if email else None,
        "trust_level": state.level if state else 0,
        # Documents, vouches and organisation status: dates and kinds, never a number.
        **export_trust(user, pseudonym),
    }


def _histories(changes: QuerySet[Any], owner_field: str) -> dict[int, list[dict[str, Any]]]:
    """Status changes (posts' or exchanges') grouped by what they belong to, oldest first."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for change in changes.order_by("at", "pk"):
        grouped.setdefault(getattr(change, owner_field), []).append(
            {"from": change.from_status, "to": change.to_status, "at": change.at}
        )
    return grouped


def _posts(user: User) -> list[dict[str, Any]]:
    posts = Post.objects.filter(owner=user).select_related("category", "item").order_by("pk")
    history = _histories(PostStatusChange.objects.filter(post__owner=user), "post_id")
    # The people this person posted for: theirs to know, as the volunteer who entered them.
    entered = {b.post_id: b for b in Beneficiary.objects.filter(volunteer=user)}
    return [
        {
            "id": post.pk,
            "kind": post.kind,
            "title": post.title,
            "body": post.body,
            "category": post.category.code,
            "item": post.item.code if post.item else None,
            "quantity": post.quantity,
            "unit": post.unit,
            "tags": bits_to_tags(post.tag_bits),
            "status": post.status,
            "created_at": post.created_at,
            "closes_at": post.closes_at,
            "lat": post.lat,
            "lng": post.lng,
            "history": history.get(post.pk, []),
            "on_behalf_of": _beneficiary(entered[post.pk]) if post.pk in entered else None,
        }
        for post in posts
    ]


def _beneficiary(beneficiary: Beneficiary) -> dict[str, Any]:
    return {
        "name": beneficiary.name,
        "note": beneficiary.note,
        "consent": beneficiary.consent,
        "consented_at": beneficiary.consented_at,
    }


def _exchanges(user: User) -> list[dict[str, Any]]:
    mine = Exchange.objects.filter(Q(giver=user) | Q(receiver=user)).order_by("pk")
    history = _histories(ExchangeStatusChange.objects.filter(exchange__in=mine), "exchange_id")
    return [
        {
            "id": exchange.pk,
            "post_id": exchange.post_id,
            "role": "giver" if exchange.giver_id == user.pk else "receiver",
            "counterpart": pseudonym(
                user, exchange.receiver_id if exchange.giver_id == user.pk else exchange.giver_id
            ),
            "quantity": exchange.quantity,
            "status": exchange.status,
            "created_at": exchange.created_at,
            "history": history.get(exchange.pk, []),
        }
        for exchange in mine
    ]


def _alerts(user: User) -> list[dict[str, Any]]:
    alerts = Alert.objects.filter(user=user).select_related("category", "item").order_by("pk")
    return [
        {
            "kind": alert.kind,
            "category": alert.category.code,
            "item": alert.item.code if alert.item else None,
            "lat": alert.lat,
            "lng": alert.lng,
            "radius_km": alert.radius_km,
            "created_at": alert.created_at,
        }
        for alert in alerts
    ]
