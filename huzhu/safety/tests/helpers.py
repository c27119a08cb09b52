"""Helpers for moderation tests: set a trust level, file reports, make a moderator."""

from datetime import timedelta

from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.safety.reports import file_report
from huzhu.trust.models import TrustState


def at_level(user: User, level: int) -> User:
    TrustState.objects.update_or_create(
        user=user, defaults={"level": level, "computed_at": timezone.now()}
    )
    return user


def established(user: User, level: int) -> User:
    """At `level`, and old enough that their reports count towards hiding a post."""
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=60))
    user.refresh_from_db()
    return at_level(user, level)


def moderator(name: str = "mo") -> User:
    user = make_user(name)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return User.objects.get(pk=user.pk)


def report_post(reporter: User, post_id: int, reason: str = "fraud") -> None:
    file_report(reporter=reporter, target_type="post", target_id=post_id, reason=reason)
