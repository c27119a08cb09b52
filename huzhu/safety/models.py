from django.conf import settings
from django.db import models


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
