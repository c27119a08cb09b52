"""What the insights app keeps about a person: the "for you" profile and the feedback they
gave. Registered in accounts/personal_data.py."""

from typing import Any

from huzhu.accounts.models import User
from huzhu.accounts.personal_data import Part, Pseudonym
from huzhu.insights.models import Feedback, ForYouInterest, ForYouProfile


def export_insights(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    return {
        "for_you": _for_you(user),
        "feedback": [
            {
                "rating": f.rating,
                "theme": f.theme,
                "text": f.text,
                "exchange_id": f.exchange_id,
                "created_at": f.created_at,
            }
            for f in Feedback.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def _for_you(user: User) -> dict[str, Any]:
    profile = ForYouProfile.objects.filter(user=user).first()
    interests = ForYouInterest.objects.filter(user=user).select_related("category", "item")
    return {
        "place": profile.place_code if profile else None,
        "learned_since": profile.learned_since if profile else None,
        "interests": [
            {
                "category": i.category.code,
                "item": i.item.code if i.item else None,
                "last_offered_at": i.last_offered_at,
            }
            for i in interests.order_by("pk")
        ],
    }


def erase_insights(user: User) -> None:
    # Ratings stay in the platform's figures; what the person wrote goes.
    Feedback.objects.filter(user=user).update(text="")
    for model in (ForYouInterest, ForYouProfile):
        model._default_manager.filter(user=user).delete()


PART = Part(app="insights", export=export_insights, erase=erase_insights)
