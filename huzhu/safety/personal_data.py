"""What the safety app keeps about a person: the reports they filed, their sanctions and
appeals, idempotency answers and the sign-up address hash. Registered in
accounts/personal_data.py."""

from typing import Any

from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.accounts.personal_data import Part, Pseudonym
from huzhu.safety.models import Appeal, AppealMessage, IdempotencyKey, Report, SignupAddress
from huzhu.safety.queries import appeal_data, appeal_of, sanction_data, sanctions_of


def export_safety(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    return {
        "reports_filed": [
            {
                "target_type": r.target_type,
                "target_id": r.target_id,
                "reason": r.reason,
                "details": r.details,
                "status": r.status,
                "created_at": r.created_at,
            }
            for r in Report.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
        "sanctions": _sanctions(user),
    }


def _sanctions(user: User) -> list[dict[str, Any]]:
    """The person's sanctions with the rule, and their appeals with the whole dialogue; the
    moderators stay anonymous, as on the sanctions page."""
    now = timezone.now()
    return [
        {
            **sanction_data(sanction, now=now),
            "appeal": appeal_data(appeal) if (appeal := appeal_of(sanction)) else None,
        }
        for sanction in sanctions_of(user)
    ]


def erase_safety(user: User) -> None:
    """Reports they filed stay without them; sanctions and audit entries stay as ids and rule
    codes; appeal dialogues may quote the person either way, so they are blanked, and the
    decisions (ids, rule codes, the moderators' reasons) stay as the record."""
    Report.objects.filter(reporter=user).update(reporter=None)
    AppealMessage.objects.filter(appeal__sanction__user=user).update(body="")
    Appeal.objects.filter(sanction__user=user).update(decision_reason="")
    for model in (IdempotencyKey, SignupAddress):
        model._default_manager.filter(user=user).delete()


PART = Part(app="safety", export=export_safety, erase=erase_safety)
