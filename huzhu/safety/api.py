"""Safety API: reports to the moderators."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.posts.schemas import ErrorOut
from huzhu.safety import ratelimit
from huzhu.safety.reports import file_report
from huzhu.safety.schemas import ReportIn, ReportOut

router = Router(tags=["safety"])


@router.post(
    "/reports",
    auth=api_auth,
    response={
        201: ReportOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Report a post, a person or a message to the moderators",
    description="404 for anything you cannot see; 409 if you already have an open report "
    "on it; 422 for your own post, account or message.",
)
def create_report(request: HttpRequest, payload: ReportIn) -> Status[Any]:
    user = caller(request)
    ratelimit.hit("report_account", user.pk)
    report = file_report(reporter=user, **payload.dict())
    return Status(201, report)
