from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A create request remembered by its `Idempotency-Key`, so a retry returns the first answer.

    The unique (user, key) constraint is what makes concurrent retries safe: the second
    insert waits for the first transaction and then fails, and we replay its stored answer.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=100)  # e.g. "POST /api/v1/posts"
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request body
    status = models.PositiveSmallIntegerField()
    body = models.TextField()  # the JSON answer, replayed verbatim
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class RateBucket(models.Model):
    """A token bucket of one limit for one caller (an account or an address).

    `key` is a hash of the limit's name and the caller, so addresses and usernames are not
    stored. The row is read and written inside one transaction (a row lock on PostgreSQL,
    SQLite's write lock), so the limit holds across worker processes and servers.
    """

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key


class Report(models.Model):
    """Someone tells the moderators about a post, a person or a message.

    Reports are never deleted by the application: a moderator decides (upheld or dismissed)
    and the reporter hears the outcome. `weight` is fixed when the report is filed, from the
    reporter's record (see safety/reports.py).
    """

    class Target(models.TextChoices):
        POST = "post", _("post")
        USER = "user", _("person")
        MESSAGE = "message", _("message")

    class Reason(models.TextChoices):
        FRAUD = "fraud", _("Fraud or a scam")
        SELLING = "selling", _("Selling or asking for money")
        PRESCRIPTION = "prescription", _("Prescription or controlled medicine")
        HARASSMENT = "harassment", _("Harassment")
        SPAM = "spam", _("Spam")
        UNSAFE = "unsafe", _("Unsafe")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    # Kept when the reporter erases their account: the report is the community's record.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=2000)
    weight = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id", "status"], name="report_target"),
            models.Index(fields=["status", "created_at"], name="report_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(status="open"),
                name="report_one_open_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.target_type} {self.target_id}"


class AppendOnly(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntry(models.Model):
    """One moderation action, as it happened. Append-only: the application refuses to
    change or delete a row (save/delete below) and so does the database (a trigger on
    SQLite and PostgreSQL, migration 0004).

    Actor and target are plain ids, not foreign keys: the entry must outlive anything it
    names, and it holds no personal text (the reason is the moderator's, never a quote).
    """

    class Action(models.TextChoices):
        HIDE = "hide", _("Post hidden pending review")
        RESTORE = "restore", _("Post restored")
        DISMISS = "dismiss", _("Reports dismissed")
        UPHOLD = "uphold", _("Reports upheld")
        WARN = "warn", _("Warning")
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")
        LIFT = "lift", _("Sanction lifted")
        WITHDRAW = "withdraw", _("Post withdrawn")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal rejected, sanction stands")
        APPEAL_OVERTURNED = "appeal_overturned", _("Appeal accepted, sanction overturned")
        HOLD = "hold", _("Post held for a moderator")
        RELEASE = "release", _("Held post released")
        REJECT = "reject", _("Held post rejected")
        REVIEW_HANDLED = "review_handled", _("Low review handled")
        DOCUMENT_APPROVED = "document_approved", _("Identity document approved")
        DOCUMENT_REJECTED = "document_rejected", _("Identity document rejected")
        ORG_VERIFIED = "org_verified", _("Organisation verified")
        ORG_REVOKED = "org_revoked", _("Organisation verification removed")

    actor_id = models.BigIntegerField(null=True, blank=True)  # None: the system
    action = models.CharField(max_length=20, choices=Action.choices)
    target_type = models.CharField(max_length=10)
    target_id = models.BigIntegerField()
    rule = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True, max_length=2000)
    automated = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit entries cannot be deleted")


class Sanction(models.Model):
    """A warning, suspension or ban of one person, with the rule and reason behind it.

    A suspension ends at `until`; a ban has none. Lifting (by a moderator, or an appeal
    overturning it) sets `lifted_at`; the row itself stays as the record.
    """

    class Kind(models.TextChoices):
        WARN = "warn", _("Warning")
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    until = models.DateTimeField(null=True, blank=True)
    rule = models.CharField(max_length=40)
    reason = models.TextField(max_length=2000)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    automated = models.BooleanField(default=False)  # a second warning became a suspension
    created_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "kind", "lifted_at"], name="sanction_user")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"


class Appeal(models.Model):
    """A sanctioned person asks for another look; a different moderator decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Sanction upheld")
        OVERTURNED = "overturned", _("Sanction overturned")

    sanction = models.OneToOneField(Sanction, on_delete=models.CASCADE, related_name="appeal")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True, max_length=2000)

    def __str__(self) -> str:
        return f"appeal of sanction {self.sanction_id}"


class AppealMessage(models.Model):
    """One message in the dialogue between the person and the moderators."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_moderator = models.BooleanField(default=False)
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"message {self.pk} on appeal {self.appeal_id}"


class SignupAddress(models.Model):
    """A keyed hash of the address an account signed up from, never the address itself:
    enough to count accounts per address for the fraud signals (fraud.py), useless to
    anyone without the key (keys.py). Deleted when the account is erased."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    address_hash = models.CharField(max_length=64, db_index=True)
    key_version = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.address_hash[:8]}…"
