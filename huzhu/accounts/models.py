from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. `display_name` is the pseudonym others see; `username` stays private."""

    display_name = models.CharField(_("display name"), max_length=40)
    locale = models.CharField(_("language"), max_length=10, default="zh-hans")

    def __str__(self) -> str:
        return self.display_name or f"user {self.pk}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only a SHA-256 of the secret is stored.

    It stops working when revoked, or once unused for `HUZHU_TOKEN_IDLE_DAYS`; `last_used_at`
    is stamped at most once an hour (accounts/auth.py). `label` is the client's User-Agent
    when it was issued, so its owner can tell their tokens apart.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class OutboxMessage(models.Model):
    """An SMS or e-mail as the default adapters 'send' it: kept here for `huzhu outbox`."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254, db_index=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(db_index=True)
    # A one-time code in the body, and when it stops working: then the code is blanked out
    # of the body and from here (accounts/outbox_retention.py).
    secret = models.CharField(max_length=64, blank=True)
    secret_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.channel} to {self.to}"


class ErasureRecord(models.Model):
    """That account `user_id` was erased, and when: no personal data, so it survives the
    erasure, and after a backup is restored `huzhu replay_erasures` erases those accounts
    again."""

    user_id = models.BigIntegerField(unique=True)
    erased_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"user {self.user_id} erased {self.erased_at:%Y-%m-%d}"


class ConsentChange(models.Model):
    """One change of one consent, appended and never edited: the history shown to the person.

    What someone consents to now is their latest change for each purpose; with none, the
    answer is no (every purpose is off by default).
    """

    class Purpose(models.TextChoices):
        FOR_YOU_FEED = "for_you_feed", _("A personalised “for you” feed")
        ACTIVITY = "activity_recommendations", _("Using what I offered to recommend needs")
        PUBLIC_THANKS = "public_thanks", _("Showing thank-you notes about me in public")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    granted = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-at"], name="consent_user_purpose_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {'on' if self.granted else 'off'}"


class PasswordReset(models.Model):
    """A one-time code for choosing a new password, sent to a verified e-mail address.

    Only the code's hash is kept; it works once (`used_at`) and until `expires_at`.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"password reset for {self.user_id}"


class Delivery(models.Model):
    """One SMS or e-mail handed to a real gateway by a background task (accounts/delivery.py).

    The address and the text are sealed (keys.py) while the task waits and blanked
    once it finishes, so the table keeps only what operators need: status, provider id,
    the provider's error code. The outbox needs none of this (it is a local table).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(max_length=8, choices=OutboxMessage.Channel.choices)
    backend = models.CharField(max_length=200)
    sealed_to = models.TextField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    sealed_body = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=200, blank=True)  # the provider's code; never an address
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "-created_at"], name="delivery_status_created")]

    def __str__(self) -> str:
        return f"{self.channel} delivery {self.pk}: {self.status}"
