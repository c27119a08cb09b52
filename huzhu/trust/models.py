"""Verification (phone, e-mail) and the trust level each person has earned.

No raw phone number is stored anywhere: a verification and a verified phone keep the
number's keyed hash (keys.py). The number itself is kept only sealed (AES-GCM under a key
outside the database): once so Huzhu can text its owner (codes, notifications), and once
more only when its owner chose to show it to the people they exchange with after both
consent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Verification(models.Model):
    """One code sent to a phone or an e-mail address, waiting to be typed back."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        DOCUMENT = "document", _("Identity document")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the code")
        CONFIRMED = "confirmed", _("Confirmed")
        FAILED = "failed", _("Too many wrong codes")
        SUPERSEDED = "superseded", _("Replaced by a newer code")
        REJECTED = "rejected", _("Rejected by a moderator")

    # Empty while a code for signing in by phone waits (phone_signin.py): nobody yet.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verifications",
        null=True,
        blank=True,
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The keyed hash of the E.164 number, the lower-cased e-mail address or the normalised
    # document number: for the per-address rate limit and the one-account check.
    address_hash = models.CharField(max_length=64)
    key_version = models.PositiveSmallIntegerField()
    # The same number under older key versions (space-separated), for the one-account check.
    legacy_hashes = models.TextField(blank=True)
    # E-mail only: the address becomes the account's verified address on confirmation.
    email = models.EmailField(blank=True)
    # Phone only, and only if the owner chose to show it after a mutual reveal: sealed.
    sealed_phone = models.TextField(blank=True)
    # Phone only: sealed, so Huzhu can text its owner once verified (notifications, reset).
    sealed_contact = models.TextField(blank=True)
    code_salt = models.CharField(max_length=32, blank=True)  # empty for a document
    code_hash = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "method", "-created_at"], name="verification_user_recent"),
            models.Index(fields=["address_hash", "-created_at"], name="verification_address"),
        ]

    def __str__(self) -> str:
        return f"{self.method} verification {self.pk} of {self.user_id}: {self.status}"


class VerifiedPhone(models.Model):
    """One person, one account: a phone number verifies at most one account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verified_phone",
    )
    phone_hash = models.CharField(max_length=64, unique=True)
    key_version = models.PositiveSmallIntegerField()
    sealed_phone = models.TextField(blank=True)  # empty unless the owner chose to share it
    # Sealed for Huzhu's own texts to its owner (codes, notifications); never shown to anyone.
    sealed_contact = models.TextField(blank=True)
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"verified phone of {self.user_id}"


class VerifiedEmail(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verified_email",
    )
    address = models.EmailField()
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"verified e-mail of {self.user_id}"


class TrustState(models.Model):
    """A person's level as last computed, with what their badge shows.

    A lower computed level does not apply at once: `pending_level` and `demote_at` hold a
    demotion through its grace period, and it is dropped if the person recovers.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="trust"
    )
    level = models.PositiveSmallIntegerField(default=0)
    verified = models.BooleanField(default=False)
    completed_exchanges = models.PositiveIntegerField(default=0)
    # Reputation for the badge: revealed reviews that count (the 30-day pair rule), and how
    # many of them scored 4 or 5.
    reviews_counted = models.PositiveIntegerField(default=0)
    reviews_positive = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    pending_level = models.PositiveSmallIntegerField(null=True, blank=True)
    demote_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"TL{self.level} for {self.user_id}"


class Review(models.Model):
    """One participant's review of the other after a completed exchange.

    Double-blind: the other side sees it once both have reviewed or the window has closed.
    `comment` is private to the pair (and moderators); `thanks` is public only if
    `publish_thanks`. `counts` is decided when written: a second review of the same person
    by the same reviewer within the pair window is kept but does not count.
    """

    exchange = models.ForeignKey(
        "exchanges.Exchange", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_given"
    )
    reviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_received"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=1000, blank=True)
    thanks = models.TextField(max_length=500, blank=True)
    publish_thanks = models.BooleanField(default=False)
    counts = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    # Low scores (≤ 2) wait for a moderator: flagged when written, cleared once checked.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["reviewee", "created_at"], name="review_reviewee_created"),
            models.Index(fields=["reviewer", "reviewee", "created_at"], name="review_pair"),
            models.Index(
                fields=["flagged_at"],
                name="review_flag_open",
                condition=Q(flagged_at__isnull=False, flag_cleared_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "reviewer"], name="review_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="review_score_range"
            ),
            models.CheckConstraint(
                condition=~Q(reviewer=models.F("reviewee")), name="review_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of exchange {self.exchange_id} by {self.reviewer_id}"


# Documents, vouches and organisations live in their own module (the file stays small);
# imported here so Django finds them as models of this app.
from huzhu.trust.models_documents import (  # noqa: E402
    DocumentCheck,
    DocumentType,
    Organisation,
    VerifiedDocument,
    Vouch,
)

__all__ = [
    "DocumentCheck",
    "DocumentType",
    "Organisation",
    "Review",
    "TrustState",
    "Verification",
    "VerifiedDocument",
    "VerifiedEmail",
    "VerifiedPhone",
    "Vouch",
]
