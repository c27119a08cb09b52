"""The audit trail: every moderation action writes one entry in its own transaction."""

from datetime import datetime

from huzhu.accounts.models import User
from huzhu.safety.models import AuditEntry


def record(
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int,
    now: datetime,
    rule: str = "",
    reason: str = "",
) -> AuditEntry:
    """Append one entry. `actor` None means the system acted (automated=True)."""
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        rule=rule,
        reason=reason,
        automated=actor is None,
        created_at=now,
    )
