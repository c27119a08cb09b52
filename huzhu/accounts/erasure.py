"""Erasure (DELETE /api/v1/me): a person leaves, and takes their personal data with them.

In one transaction: access ends at once (tokens deleted; the password made unusable and
the account inactive, which ends every session); live exchanges are cancelled through the
usual service, so reserved quantities return and the other person is told; listed posts
are withdrawn through the lifecycle; then every text they wrote (reviews included) is
blanked (with the names and notes of the neighbours they posted for), their posts' points
are moved to the centre of their public area (and the cell columns recomputed), their
alerts, notifications, preferences, consents (with their history), the "for you" profile,
verifications (document photos, document and registration hashes included), vouches given
and received, trust state, idempotency answers and the outbox mail to any address they ever
gave are deleted, and their appeal dialogues blanked. Posts, exchanges, histories and review
scores stay as anonymous records so the statistics survive; reports they filed stay without
them; sanctions and audit entries stay as ids and rule codes. An `ErasureRecord` lets an
operator replay erasures after restoring a backup.
"""

import logging

from django.db import transaction
from django.utils import timezone

from huzhu.accounts import personal_data
from huzhu.accounts.models import ApiToken, ConsentChange, ErasureRecord, PasswordReset, User
from huzhu.sqlite import checkpoint_wal

logger = logging.getLogger(__name__)


@transaction.atomic
def erase_account(*, user: User) -> ErasureRecord:
    """Each app's part (accounts/personal_data.py) ends the person's live activity, higher
    apps first, then blanks and deletes what it keeps about them."""
    now = timezone.now()
    ApiToken.objects.filter(user=user).delete()
    parts = personal_data.parts()
    for part in reversed(parts):
        if part.stop:
            part.stop(user)
    for part in parts:
        if part.erase:
            part.erase(user)
    for model in (PasswordReset, ConsentChange):
        model._default_manager.filter(user=user).delete()
    user.username = f"erased-{user.pk}"
    user.display_name = ""
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()  # the session hash changes: every session ends
    user.save()
    record, _ = ErasureRecord.objects.update_or_create(user_id=user.pk, defaults={"erased_at": now})
    transaction.on_commit(checkpoint_wal)  # the old pages leave the WAL too
    logger.info("user %s erased", user.pk)
    return record


def replay_erasures() -> int:
    """After a backup is restored: erase again every recorded account that is back."""
    replayed = 0
    for user_id in ErasureRecord.objects.values_list("user_id", flat=True):
        user = User.objects.filter(pk=user_id).exclude(username=f"erased-{user_id}").first()
        if user is not None:
            erase_account(user=user)
            replayed += 1
    return replayed
