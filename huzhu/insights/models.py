from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huzhu.insights.feedback_models import Feedback, Improvement, Theme
from huzhu.posts.models import Category, Item


class ForYouProfile(models.Model):
    """What the "for you" feed keeps about one person, only while they consent to it.

    `place_code` is the district they chose (empty: the deployment's centre).
    `learned_since` is set by a reset: offers made before it are not learned again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    place_code = models.CharField(max_length=40, blank=True)
    learned_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"for-you profile of {self.user_id}"


class ForYouInterest(models.Model):
    """An item (or, for offers naming none, a category) the person offered: what the feed
    looks for. Learned from their offers only while they consent to that use."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    last_offered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"], condition=Q(item__isnull=False), name="interest_user_item"
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(item__isnull=True),
                name="interest_user_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.item_id or self.category_id}"


class TransparencyReport(models.Model):
    """The published figures of one week or month, after disclosure control.

    `figures` holds only what may be published (a suppressed figure is null), so the row can
    be shown as it is; it is regenerated only by an operator's `huzhu transparency_report`.
    """

    class Length(models.TextChoices):
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")

    period = models.CharField(max_length=10, unique=True)  # "2026-10" or "2026-W44"
    length = models.CharField(max_length=5, choices=Length.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    generated_at = models.DateTimeField()
    figures = models.JSONField()

    class Meta:
        ordering = ("-starts_at", "-pk")

    def __str__(self) -> str:
        return f"transparency report {self.period}"


__all__ = [
    "Feedback",
    "ForYouInterest",
    "ForYouProfile",
    "Improvement",
    "Theme",
    "TransparencyReport",
]


class PublishedStats(models.Model):
    """The public statistics as the worker last computed them (huzhu/insights/stats.py).

    Kept in the database so that every app server shows the same figures and no visitor
    waits while they are computed; each refresh replaces the row.
    """

    generated_at = models.DateTimeField()
    figures = models.JSONField()  # stats.Stats, as stats_snapshot.as_json writes it

    def __str__(self) -> str:
        return f"statistics of {self.generated_at:%Y-%m-%d %H:%M}"
