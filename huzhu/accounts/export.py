"""Everything Huzhu keeps about one person, for them to download (GET /api/v1/me/export).

Their own data in full — their exact post locations and alert centres included, since they
are theirs — and nobody else's: the other person in an exchange appears as a pseudonym
that is stable within this person's export and means nothing outside it, and only the
messages this person wrote are included. What others wrote about them (received reviews)
has contact details masked, as the app serves it before contact is shared. The no-shows
recorded about them are listed, as they weigh on their trust level.
"""

import hashlib
import hmac
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.utils import timezone

from huzhu.accounts import personal_data
from huzhu.accounts.consents import consents_of, history_of
from huzhu.accounts.models import User

FORMAT = "huzhu-export-1"
# The export's sections in the order the file lists them; each app's part
# (accounts/personal_data.py) gives some of them.
SECTIONS = (
    "format",
    "generated_at",
    "profile",
    "verifications",
    "posts",
    "exchanges",
    "messages",
    "notifications",
    "notification_preferences",
    "alerts",
    "reviews_given",
    "reviews_received",
    "no_shows_about_me",
    "no_shows_i_reported",
    "reports_filed",
    "consents",
    "consent_history",
    "for_you",
    "sanctions",
    "feedback",
)


def pseudonym(owner: User, other_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"export:{owner.pk}:{other_id}".encode(), hashlib.sha256)
    return f"person-{digest.hexdigest()[:10]}"


def export_user(user: User) -> dict[str, Any]:
    sections: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "profile": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "locale": user.locale,
            "date_joined": user.date_joined,
        },
        "consents": asdict(consents_of(user.pk)),
        "consent_history": [
            {"purpose": c.purpose, "granted": c.granted, "at": c.at}
            for c in reversed(history_of(user.pk))
        ],
    }
    for part in personal_data.parts():
        if part.export:
            sections.update(part.export(user, pseudonym))
    # In the file's order; a section a part adds without a place here comes last, never lost.
    return {**{name: sections.pop(name) for name in SECTIONS}, **sections}
