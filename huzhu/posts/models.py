from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A kind of thing people exchange. Operators add more in the admin."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=80)
    name_zh = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ("position", "code")
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    """A catalogue entry, e.g. ibuprofen, found by any alias in either language."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120)
    otc = models.BooleanField(default=True, help_text="over the counter: may be shared")
    default_unit = models.CharField(max_length=20, default="piece")
    # Scarce items: the most one need may ask for (after the 2022 platform's "4 ibuprofen
    # tablets or 2 antigen tests"); empty means no cap. Operators edit it in the admin.
    max_per_need = models.PositiveIntegerField(null=True, blank=True)
    # How many of `default_unit` another unit holds, e.g. {"box": 20} for 20 tablets in a
    # box of ibuprofen: caps count these (posts/units.py).
    unit_sizes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class ItemAlias(models.Model):
    """Every name an item goes by, case-folded, so lookups are one indexed equality."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return self.alias


FILTER_COLUMNS = ["tag_bits", "item", "category", "kind"]


class Post(models.Model):
    """A need or an offer. The exact point serves only its owner; everything anyone else
    observes (search, distances, order, feeds, matches, alerts, maps, statistics) is
    computed from the public point, and only `area_cell` is ever shown."""

    class Kind(models.TextChoices):
        NEED = "need", _("Need")
        OFFER = "offer", _("Offer")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLEDGED = "pledged", _("Pledged")
        FULFILLED = "fulfilled", _("Fulfilled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        UNKNOWN = "unknown", _("Still needed?")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=2000, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="posts")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="posts"
    )
    quantity = models.PositiveIntegerField()
    # Reserved by accepted exchanges; a conditional UPDATE keeps it <= quantity.
    quantity_reserved = models.PositiveIntegerField(default=0)
    unit = models.CharField(max_length=20)
    tag_bits = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)  # e.g. a medicine's expiry date
    closes_at = models.DateTimeField()  # when the expiry task closes the listing

    # Private location: never serialised, never searched; the owner's alone.
    lat = models.FloatField()
    lng = models.FloatField()
    # The public point (posts/public_point.py), fixed for the post's life within its
    # precision cell, and the cells that index it for search (geo.py).
    public_lat = models.FloatField()
    public_lng = models.FloatField()
    h3_r9 = models.BigIntegerField()
    cell_r5 = models.BigIntegerField()
    cell_r6 = models.BigIntegerField()
    cell_r7 = models.BigIntegerField()
    cell_r8 = models.BigIntegerField()
    # Public location: the cell whose centre is shown, and its precision.
    area_cell = models.BigIntegerField()
    area_precision_m = models.PositiveIntegerField(default=1000)
    # Order key in seconds (smaller first), computed in posts/ranking.py. NULL when the
    # post is not listed, so the partial indexes below only hold listed posts.
    rank = models.BigIntegerField(null=True, blank=True)
    # When the owner last confirmed a need ("still needed", an edit): its wait restarts
    # there (posts/ranking.py). NULL: not since it was posted.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set while moderators review reports on the post: it is then not listed (rank NULL)
    # and only its owner and moderators see it (posts/queries.py).
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Posted by a volunteer for someone without an account (posts/on_behalf.py): shown
    # publicly as "by a volunteer for a neighbour"; who the neighbour is stays private.
    on_behalf = models.BooleanField(default=False)
    # Why the rules engine held the post for a moderator (a code of safety/posting.py), set
    # with `hidden_at` so the listing rule stays in `compute_rank`; "" when not held.
    held_reason = models.CharField(max_length=30, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="post_owner_created"),
            models.Index(fields=["status", "closes_at"], name="post_status_closes"),
            # The filter columns ride along in the search indexes, so a filtered search
            # rejects non-matching posts inside the index instead of fetching each row
            # (filtered p99 on 1M posts: 85 -> 16 ms; docs/BENCHMARKS.md). SQLite tests
            # them before it seeks the table. PostgreSQL tests a filter such as
            # `tag_bits & 4 != 0` inside the index only in an index-only scan, so there
            # the indexes also carry (INCLUDE) every other column a search reads; SQLite
            # ignores `include`.
            models.Index(
                fields=["h3_r9", "public_lat", "public_lng", *FILTER_COLUMNS],
                include=["closes_at", "rank", "id"],
                name="post_listed_h3",
                condition=Q(rank__isnull=False),
            ),
            *[
                models.Index(
                    fields=[f"cell_r{res}", "rank", "id", *FILTER_COLUMNS],
                    include=["closes_at", "public_lat", "public_lng"],
                    name=f"post_listed_r{res}",
                    condition=Q(rank__isnull=False),
                )
                for res in (5, 6, 7, 8)
            ],
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_reserved__lte=models.F("quantity")),
                name="post_reserved_lte_quantity",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=1000), name="post_quantity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}: {self.title}"


class PostStatusChange(models.Model):
    """One row per lifecycle change: the honest, timestamped history shown on the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=Post.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("at", "id")
        indexes = [models.Index(fields=["post", "at"], name="post_history_post_at")]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.from_status} -> {self.to_status}"


class Beneficiary(models.Model):
    """The person a volunteer posted for, and their consent. Private: shown only to the
    volunteer (their post page and their export), never in public pages, the API or search."""

    class Consent(models.TextChoices):
        VERBAL = "verbal", _("Verbal")
        WRITTEN = "written", _("Written")

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="beneficiary")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="beneficiaries"
    )
    name = models.CharField(max_length=120)  # blanked when the volunteer's account is erased
    note = models.TextField(max_length=500, blank=True)  # how to reach them, via the volunteer
    consent = models.CharField(max_length=7, choices=Consent.choices)
    consented_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"beneficiary of post {self.post_id}"
