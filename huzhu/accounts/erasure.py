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
from django.db.models import F, Model, Q
from django.utils import timezone

from huzhu.accounts.models import (
    ApiToken,
    ConsentChange,
    ErasureRecord,
    PasswordReset,
    User,
)
from huzhu.accounts.outbox_retention import forget_addresses_of
from huzhu.errors import DomainError
from huzhu.exchanges.lifecycle import LIVE
from huzhu.exchanges.models import (
    Alert,
    AlertQuota,
    Exchange,
    ExchangeStatusChange,
    Message,
    Notification,
    NotificationPreferences,
    PushSubscription,
)
from huzhu.exchanges.services import cancel_exchange
from huzhu.insights.models import Feedback, ForYouInterest, ForYouProfile
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Beneficiary, Post
from huzhu.posts.services import transition_post
from huzhu.safety.models import Appeal, AppealMessage, IdempotencyKey, Report, SignupAddress
from huzhu.sqlite import checkpoint_wal
from huzhu.trust.models import Review, TrustState, Verification, VerifiedEmail, VerifiedPhone
from huzhu.trust.personal_data import erase_trust

logger = logging.getLogger(__name__)
ERASED_TITLE = "—"
# Rows that only describe the person, deleted whole. (Verified phone and e-mail go after
# the outbox mail they identify.)
PERSONAL_MODELS: tuple[type[Model], ...] = (
    Alert,
    AlertQuota,
    Notification,
    NotificationPreferences,
    PushSubscription,
    IdempotencyKey,
    PasswordReset,
    SignupAddress,
    Verification,
    VerifiedPhone,
    VerifiedEmail,
    TrustState,
    ConsentChange,
    ForYouInterest,
    ForYouProfile,
)


@transaction.atomic
def erase_account(*, user: User) -> ErasureRecord:
    now = timezone.now()
    ApiToken.objects.filter(user=user).delete()
    _end_activity(user)
    forget_addresses_of(user)  # before the verifications that name the addresses
    # The exact point goes; the public point, which never depended on it, stays.
    Post.objects.filter(owner=user).update(
        title=ERASED_TITLE, body="", lat=F("public_lat"), lng=F("public_lng")
    )
    Message.objects.filter(author=user).update(body="")
    # The neighbours they posted for: the consent record stays (kind, time), who they are goes.
    Beneficiary.objects.filter(volunteer=user).update(name="", note="")
    # What they wrote about a change (a dispute's reason) is their text like a message.
    ExchangeStatusChange.objects.filter(actor=user).exclude(note="").update(note="")
    # Scores stay (the other person's reputation rests on them); the words go.
    Review.objects.filter(reviewer=user).update(comment="", thanks="", publish_thanks=False)
    Report.objects.filter(reporter=user).update(reporter=None)
    # Ratings stay in the platform's figures; what the person wrote goes.
    Feedback.objects.filter(user=user).update(text="")
    # Appeal dialogues may quote the person either way; the decisions and the audit trail
    # (ids, rule codes, the moderators' reasons) stay as the record.
    AppealMessage.objects.filter(appeal__sanction__user=user).update(body="")
    Appeal.objects.filter(sanction__user=user).update(decision_reason="")
    erase_trust(user)  # before the verifications it hangs on
    for model in PERSONAL_MODELS:
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


def _end_activity(user: User) -> None:
    live = Exchange.objects.filter(Q(giver=user) | Q(receiver=user), status__in=LIVE)
    for exchange in live.select_related("post", "giver", "receiver"):
        try:
            with transaction.atomic():
                cancel_exchange(exchange=exchange, actor=user, reason="account erased")
        except DomainError:
            logger.warning("exchange %s could not be cancelled at erasure", exchange.pk)
    for post_id in Post.objects.filter(owner=user, status__in=LISTED).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                transition_post(post_id=post_id, to_status="withdrawn", actor=user, reason="erased")
        except DomainError:
            logger.warning("post %s could not be withdrawn at erasure", post_id)


def replay_erasures() -> int:
    """After a backup is restored: erase again every recorded account that is back."""
    replayed = 0
    for user_id in ErasureRecord.objects.values_list("user_id", flat=True):
        user = User.objects.filter(pk=user_id).exclude(username=f"erased-{user_id}").first()
        if user is not None:
            erase_account(user=user)
            replayed += 1
    return replayed
