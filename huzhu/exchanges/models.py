from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huzhu.posts.models import Category, Item, Post


class Exchange(models.Model):
    """Two people handing something over: the post's owner and the person who responded.

    The responder is the giver when the post is a need and the receiver when it is an offer,
    so `giver`/`receiver` always say who hands what to whom.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        DISPUTED = "disputed", _("Disputed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="exchanges")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchanges_giving"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchanges_receiving"
    )
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)  # the giver says so
    received_at = models.DateTimeField(null=True, blank=True)  # the receiver confirms
    ended_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Consent to reveal contact details, one per side; both must be set for anything to show.
    giver_consented_at = models.DateTimeField(null=True, blank=True)
    receiver_consented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["post", "status"], name="exchange_post_status"),
            models.Index(fields=["giver", "-created_at"], name="exchange_giver_created"),
            models.Index(fields=["receiver", "-created_at"], name="exchange_receiver_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=1000),
                name="exchange_quantity_range",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="exchange_two_people"
            ),
            # One live exchange per responder and post: a second tap does not respond twice.
            models.UniqueConstraint(
                fields=["post", "giver", "receiver"],
                condition=Q(status__in=["proposed", "accepted", "disputed"]),
                name="exchange_one_live_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"exchange {self.pk} on post {self.post_id}: {self.status}"


class ExchangeStatusChange(models.Model):
    """One row per exchange status change, written with the change itself."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=Exchange.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=40, blank=True)  # a code: "owner", "disputed", ...
    # What a person wrote about the change (why they opened a dispute, how it was settled).
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("at", "id")
        indexes = [models.Index(fields=["exchange", "at"], name="exchange_history_at")]

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.from_status} -> {self.to_status}"


class NoShow(models.Model):
    """A hand-over that did not happen, as one participant reported it.

    Private: for trust levels and moderators only, never in any public or API output.
    """

    exchange = models.OneToOneField(Exchange, on_delete=models.CASCADE, related_name="no_show")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The other participant: who, by this report, did not turn up or did not hand over.
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="no_shows"
    )
    reason = models.CharField(max_length=300, blank=True)  # what the reporter said happened
    created_at = models.DateTimeField()
    # The person it counts against may contest it once; a moderator decides (no_shows.py).
    # An overturned no-show stays as the record but counts nowhere.
    contested_at = models.DateTimeField(null=True, blank=True)
    contest_reason = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision_reason = models.CharField(max_length=300, blank=True)
    overturned = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"no-show in exchange {self.exchange_id}"


class Message(models.Model):
    """One message in an exchange's relay thread, stored as written and served masked."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["exchange", "created_at"], name="message_exchange_created")]

    def __str__(self) -> str:
        return f"message {self.pk} in exchange {self.exchange_id}"


class RelayAccess(models.Model):
    """A moderator read an exchange and its thread: who, which, why and when.

    Append-only: written by every moderator read (disputes.record_read, called by the page
    and the endpoints that show an exchange after `queries.access_exchange_to_read`) and
    never updated or deleted by the application, so the participants' privacy has a record.
    """

    class Reason(models.TextChoices):
        DISPUTED = "disputed", _("The exchange is disputed")
        REPORTED = "reported", _("The post or a message was reported")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["exchange", "at"], name="relay_access_exchange_at")]

    def __str__(self) -> str:
        return f"moderator {self.moderator_id} read exchange {self.exchange_id}: {self.reason}"


class Notification(models.Model):
    """An entry in a person's in-app inbox; e-mailed in batches if they have an address.

    It stores ids, not text: the text is rendered when read, in the reader's language,
    with contact details masked (see notifications.py).
    """

    class Kind(models.TextChoices):
        RESPONSE = "response", _("New response")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        MESSAGE = "message", _("New message")
        HANDED_OVER = "handed_over", _("Handed over")
        COMPLETED = "completed", _("Completed")
        REVEAL = "reveal", _("Contact sharing")
        TRUST_WARNING = "trust_drop", _("Trust level warning")
        CHECKIN = "checkin", _("Still needed?")
        ALERT = "alert", _("Alert")
        DISPUTED = "disputed", _("Dispute opened")
        SETTLED = "settled", _("Dispute settled")
        REPORT_UPHELD = "report_acted", _("Report upheld")
        REPORT_DISMISSED = "report_noact", _("Report dismissed")
        SANCTION = "sanction", _("Warning or sanction")
        REVIEW = "review", _("Review revealed")
        FEEDBACK_LOW = "feedback_low", _("Low platform rating")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What a SANCTION notice is about: its text names the rule and how to appeal.
    sanction = models.ForeignKey(
        "safety.Sanction", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_due = models.BooleanField(default=False)  # the person had an e-mail address then
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When the SMS about it was sent (exchanges/texting.py); claimed once, so never twice.
    texted_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)  # the same, for web push

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            models.Index(
                fields=["user", "created_at"],
                name="notification_email_pending",
                condition=Q(email_due=True, emailed_at__isnull=True),
            ),
        ]
        constraints = [
            # One alert per person and post, however often the fan-out task runs.
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(kind="alert"), name="notification_one_alert"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationEmailState(models.Model):
    """When a person was last e-mailed: at most one e-mail per window, claimed atomically."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"e-mail state of {self.user_id}"


class NotificationPreferences(models.Model):
    """Which notifications a person also wants by e-mail; the inbox always records all.

    No row means the defaults: every kind by e-mail, not quiet.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    email_response = models.BooleanField(default=True)
    email_accepted = models.BooleanField(default=True)
    email_declined = models.BooleanField(default=True)
    email_message = models.BooleanField(default=True)
    email_completed = models.BooleanField(default=True)
    email_checkin = models.BooleanField(default=True)
    email_alert = models.BooleanField(default=True)
    quiet = models.BooleanField(default=False)  # no e-mail at all, whatever the above say
    # Per group, the channels besides e-mail ("sms", "push"); absent: the defaults
    # (preferences.py). Quiet hours are local to `time_zone`; both ends empty: none.
    channels = models.JSONField(default=dict, blank=True)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai")
    sms_per_day = models.PositiveSmallIntegerField(default=10)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"


class Alert(models.Model):
    """A saved search: "tell me when someone within 3 km needs ibuprofen".

    The centre is private like a post's point; only `area_cell` (about 1 km) is shown.
    The circle's bounding box is stored so that a new post finds its candidate alerts
    with one indexed range lookup (see alerts.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=5, choices=Post.Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    radius_km = models.FloatField()
    lat = models.FloatField()
    lng = models.FloatField()
    area_cell = models.BigIntegerField()
    lat_min = models.FloatField()
    lat_max = models.FloatField()
    lng_min = models.FloatField()
    lng_max = models.FloatField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="alert_user_created"),
            models.Index(
                fields=["category", "kind", "lat_min", "lat_max", "lng_min", "lng_max"],
                name="alert_candidates",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_km__gte=1) & Q(radius_km__lte=50), name="alert_radius_range"
            ),
        ]

    def __str__(self) -> str:
        return f"alert {self.pk} of {self.user_id}"


class AlertQuota(models.Model):
    """How many alert notifications a person got on one UTC day; claimed atomically."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="alert_quota_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.sent} alerts for {self.user_id} on {self.day}"


class CheckIn(models.Model):
    """One "still needed?" question to a need's owner, and how it ended."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        STILL_NEEDED = "still_needed", _("Still needed")
        NOT_NEEDED = "not_needed", _("No longer needed")
        LAPSED = "lapsed", _("Unanswered")
        MOOT = "moot", _("No longer relevant")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="checkins")
    asked_at = models.DateTimeField()
    due_at = models.DateTimeField()  # unanswered by then, the post becomes `unknown`
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"], name="checkin_pending_due", condition=Q(outcome="pending")
            ),
            models.Index(fields=["post", "-asked_at"], name="checkin_post_asked"),
        ]
        constraints = [
            # At most one open question per post: a second sweep cannot ask twice.
            models.UniqueConstraint(
                fields=["post"], condition=Q(outcome="pending"), name="checkin_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk} on post {self.post_id}: {self.outcome}"


class PushSubscription(models.Model):
    """A browser that agreed to receive web push for this person (exchanges/webpush.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"
