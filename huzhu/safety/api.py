"""Safety API: reports to the moderators, one's own sanctions, the public moderation log."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.params import QueryEx

from huzhu.accounts.auth import api_auth, caller
from huzhu.posts.schemas import ErrorOut
from huzhu.safety import appeals, queries, ratelimit
from huzhu.safety.reports import file_report
from huzhu.safety.schemas import (
    AppealIn,
    AppealMessageIn,
    AppealMessageOut,
    AppealOut,
    LogOut,
    ReportIn,
    ReportOut,
    SanctionsOut,
)

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
    response={200: LogOut, 422: ErrorOut},
    summary="The public moderation log",
    description="The latest `limit` moderation actions: what was done, under which rule, on "
    "which day; never who acted nor towards whom.",
)
def moderation_log(
    request: HttpRequest, limit: Annotated[int, QueryEx(ge=1, le=queries.LOG_LIMIT)] = 50
) -> dict[str, Any]:
    return {"items": queries.public_log(limit)}


@router.post(
    "/me/sanctions/{sanction_id}/appeal",
    auth=api_auth,
    response={201: AppealOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Appeal one of your sanctions",
    description="A moderator other than the one who imposed it decides. 409 if you appealed "
    "it already or it was lifted. Suspended and banned people appeal from the log-in page.",
)
def appeal(request: HttpRequest, sanction_id: int, payload: AppealIn) -> Status[Any]:
    user = caller(request)
    sanction = queries.access_own_sanction(user, sanction_id)
    filed = appeals.file_appeal(user=user, sanction=sanction, message=payload.message)
    return Status(201, queries.appeal_data(filed))


@router.get(
    "/me/sanctions/{sanction_id}/appeal",
    auth=api_auth,
    response={200: AppealOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Your appeal of a sanction, with the dialogue and the decision",
)
def appeal_detail(request: HttpRequest, sanction_id: int) -> dict[str, Any]:
    return queries.appeal_data(queries.access_own_appeal(caller(request), sanction_id))


@router.post(
    "/me/sanctions/{sanction_id}/appeal/messages",
    auth=api_auth,
    response={201: AppealMessageOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Add to the dialogue of your open appeal",
)
def appeal_message(request: HttpRequest, sanction_id: int, payload: AppealMessageIn) -> Status[Any]:
    user = caller(request)
    found = queries.access_own_appeal(user, sanction_id)
    message = appeals.add_message(
        appeal=found, author=user, body=payload.body, from_moderator=False
    )
    return Status(201, message)
