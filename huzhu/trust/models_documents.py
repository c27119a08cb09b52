"""Identity documents, vouches and verified organisations: the other ways to be verified.

Like phones, nothing here holds a raw identifier: a document number and an organisation's
registration number are kept only as keyed hashes (keys.py), and a document's photo lives
on disk only until a moderator has decided on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    NATIONAL_ID = "national_id", _("National identity card")
    OTHER = "other", _("Other identity document")


class DocumentCheck(models.Model):
    """A document verification waiting for, or past, a moderator's look at its photo."""

    verification = models.OneToOneField(
        "trust.Verification",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="document",
    )
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2 of the issuing country
    # Relative to MEDIA_ROOT; empty before the upload and after the decision.
    image_path = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["uploaded_at"],
                name="document_to_check",
                condition=Q(uploaded_at__isnull=False, decided_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"document check {self.pk}"


class VerifiedDocument(models.Model):
    """One person, one account: an identity document verifies at most one account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verified_document",
    )
    number_hash = models.CharField(max_length=64, unique=True)
    key_version = models.PositiveSmallIntegerField()
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    country = models.CharField(max_length=2)
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"verified document of {self.user_id}"


class Vouch(models.Model):
    """A trusted member (TL3) vouching that they know someone; withdrawn, the row stays
    (it still counts towards the week's allowance)."""

    voucher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vouches_given"
    )
    vouchee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vouches_received"
    )
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["voucher", "created_at"], name="vouch_voucher_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "vouchee"],
                condition=Q(withdrawn_at__isnull=True),
                name="vouch_once",
            ),
            models.CheckConstraint(
                condition=~Q(voucher=models.F("vouchee")), name="vouch_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"vouch {self.pk}: {self.voucher_id} for {self.vouchee_id}"


class Organisation(models.Model):
    """An account verified by staff as an organisation; its name is public, its
    registration number is kept only as a keyed hash."""

    class Kind(models.TextChoices):
        PHARMACY = "pharmacy", _("Pharmacy")
        CLINIC = "clinic", _("Clinic")
        NGO = "ngo", _("NGO")
        RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="organisation",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=120)
    registration_hash = models.CharField(max_length=64, unique=True)
    key_version = models.PositiveSmallIntegerField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"organisation {self.user_id}"
