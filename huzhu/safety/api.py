"""Safety API: reports to the moderators, one's own sanctions, the public moderation log."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.posts.schemas import ErrorOut
from huzhu.safety import queries, ratelimit
from huzhu.safety.reports import file_report
from huzhu.safety.schemas import LogOut, ReportIn, ReportOut, SanctionsOut

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


@router.get(
    "/me/sanctions",
    auth=api_auth,
    response={200: SanctionsOut, 401: ErrorOut},
    summary="Your warnings, suspensions and bans, with the rule behind each",
)
def my_sanctions(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    sanctions = queries.sanctions_of(caller(request))
    return {"items": [queries.sanction_data(s, now=now) for s in sanctions]}


@router.get(
    "/moderation-log",
    response={200: LogOut},
    summary="The public moderation log",
    description="The latest moderation actions: what was done, under which rule, on which "
    "day; never who acted nor towards whom.",
)
def moderation_log(request: HttpRequest) -> dict[str, Any]:
    return {"items": queries.public_log()}
