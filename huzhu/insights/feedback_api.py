"""Feedback API: rate the platform; read the public "what we improved" log."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.errors import Invalid
from huzhu.insights.feedback import FeedbackDraft, give_feedback, improvements
from huzhu.insights.feedback_schemas import FeedbackIn, FeedbackOut, ImprovementsOut
from huzhu.insights.models import Improvement, Theme
from huzhu.posts.schemas import ErrorOut
from huzhu.safety import ratelimit

router = Router(tags=["insights"])


@router.post(
    "/feedback",
    auth=api_auth,
    response={
        201: FeedbackOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Rate the platform from 1 to 5, with optional text",
    description="Contact details in the text are masked. A rating of 2 or less goes to the "
    "organisers' queue. With `exchange_id`, the feedback follows one of your completed "
    "exchanges (404 if it is not yours, 409 `not_completed` or `already_given`).",
)
def post_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[Any]:
    user = caller(request)
    ratelimit.hit("feedback_account", user.pk)
    feedback = give_feedback(user=user, draft=FeedbackDraft(**payload.dict()))
    return Status(201, feedback)


def improvement_data(entry: Improvement) -> dict[str, Any]:
    labels = dict(Theme.choices)
    return {
        "id": entry.pk,
        "title": entry.title,
        "body": entry.body,
        "themes": [{"key": theme, "label": str(labels[theme])} for theme in entry.themes],
        "published_at": entry.published_at,
    }


class ImprovementFilter(Schema):
    theme: str = ""


@router.get(
    "/improvements",
    auth=None,
    response={200: ImprovementsOut, 422: ErrorOut},
    summary="What we improved: the organisers' public log",
    description="Newest first. `theme` (app, safety, speed, medicine, other) keeps the entries "
    "that answer feedback of that theme; any other value is 422.",
)
def get_improvements(request: HttpRequest, filters: Query[ImprovementFilter]) -> dict[str, Any]:
    if filters.theme and filters.theme not in Theme.values:
        raise Invalid(_("Choose one of the themes."), field="theme")
    return {"items": [improvement_data(entry) for entry in improvements(filters.theme)]}
