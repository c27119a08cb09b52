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
