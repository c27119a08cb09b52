"""Platform feedback and the organisers' "what we improved" log (models imported by
insights/models.py, which Django reads)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """What a piece of feedback is about: chosen by the person, or tagged by an organiser."""

    APP = "app", _("The app")
    SAFETY = "safety", _("Safety")
    SPEED = "speed", _("Speed")
    MEDICINE = "medicine", _("Medicine")
    OTHER = "other", _("Something else")


class Feedback(models.Model):
    """A 1–5 rating of the platform, with optional text (contact details masked).

    Ratings of 2 or less wait in the organisers' queue until one marks them handled.
    The person is kept (SET_NULL only if the row is ever deleted) so that their export holds
    it; erasure blanks the text.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exchange = models.ForeignKey(
        "exchanges.Exchange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    theme = models.CharField(max_length=10, choices=Theme.choices, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField()
    needs_attention = models.BooleanField(default=False)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["needs_attention", "handled_at"], name="feedback_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exchange"],
                condition=Q(exchange__isnull=False),
                name="feedback_one_per_exchange",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk}: {self.rating}"


class Improvement(models.Model):
    """One entry of the public "what we improved" log, naming the themes it answers."""

    title = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    themes = models.JSONField(default=list)  # Theme values
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ("-published_at", "-pk")

    def __str__(self) -> str:
        return self.title
