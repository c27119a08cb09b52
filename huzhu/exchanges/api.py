"""Exchanges API: respond to a post, move the exchange along, talk in the masked relay.

Only the two people in an exchange can see it; everyone else gets 404. The wrong one of
the two (e.g. the responder trying to accept) gets 403; the wrong state gets 409. A
moderator may read a disputed or reported exchange (logged) and settle a dispute, but
never writes in the thread.
"""

from dataclasses import asdict
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.params import QueryEx

from huzhu.accounts.auth import api_auth, caller
from huzhu.exchanges import disputes, no_shows, presenters, queries, relay, services
from huzhu.exchanges.schemas import (
    CancelIn,
    DisputeIn,
    ErrorOut,
    ExchangeIn,
    ExchangeListOut,
    ExchangeOut,
    HandoverIn,
    MessageIn,
    MessageOut,
    NoShowContestIn,
    NoShowDecisionIn,
    NoShowOut,
    ReasonIn,
    SettleIn,
    ThreadOut,
)
from huzhu.posts.queries import access_post
from huzhu.safety import ratelimit
from huzhu.safety.idempotency import run_idempotent

router = Router(tags=["exchanges"])
# Mounted under /posts: the one exchange route that starts from a post.
post_router = Router(tags=["exchanges"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}


@post_router.post(
    "/{post_id}/exchanges",
    auth=api_auth,
    response={201: ExchangeOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Respond to a post: pledge to a need or ask for an offer",
    description="Creates a proposed exchange that the post's owner may accept or decline. "
    "409 for your own post, a post no longer listed, more than is left, or a second live "
    "exchange on the same post; 403 `trust_level` past your level's responses a day. Send an "
    "`Idempotency-Key` header to make retries safe.",
)
def create_exchange(request: HttpRequest, post_id: int, payload: ExchangeIn) -> Status[Any]:
    user = caller(request)
    ratelimit.hit("respond_account", user.pk)

    def create() -> tuple[int, Any]:
        post = access_post(user, post_id)
        exchange = services.respond_to_post(
            post=post, responder=user, quantity=payload.quantity, message=payload.message
        )
        exchange = queries.access_exchange(user, exchange.pk)
        return 201, presenters.exchange_data(exchange, user)

    status, data = run_idempotent(
        user=user,
        key=request.headers.get("Idempotency-Key"),
        scope=f"POST /api/v1/posts/{post_id}/exchanges",
        body=request.body,
        action=create,
    )
    return Status(status, data)


@router.get(
    "",
    auth=api_auth,
    response={200: ExchangeListOut, **READ_ERRORS},
    summary="Your exchanges, newest first (on one post with ?post=)",
)
def list_exchanges(
    request: HttpRequest, post: Annotated[int | None, QueryEx(ge=1, le=2**63 - 1)] = None
) -> dict[str, Any]:
    user = caller(request)
    return {
        "items": [
            presenters.exchange_data(exchange, user)
            for exchange in queries.exchanges_of(user, post_id=post)
        ]
    }


@router.get(
    "/{exchange_id}",
    auth=api_auth,
    response={200: ExchangeOut, **READ_ERRORS},
    summary="An exchange you take part in",
    description="A moderator may read it too while it is disputed or reported; each such "
    "read is logged. Everyone else gets 404.",
)
def get_exchange(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user = caller(request)
    read = queries.access_exchange_to_read(user, exchange_id)
    disputes.record_read(exchange=read.exchange, reader=user, relay_reason=read.relay_reason)
    return presenters.exchange_data(read.exchange, user)


def _answer(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user = caller(request)
    return presenters.exchange_data(queries.access_exchange(user, exchange_id), user)


@router.post(
    "/{exchange_id}/accept",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="Accept a response to your post (reserves its quantity)",
)
def accept(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user = caller(request)
    services.accept_exchange(exchange=queries.access_exchange(user, exchange_id), actor=user)
    return _answer(request, exchange_id)


@router.post(
    "/{exchange_id}/decline",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="Decline a response to your post",
)
def decline(request: HttpRequest, exchange_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    services.decline_exchange(exchange=exchange, actor=user, reason=payload.reason)
    return _answer(request, exchange_id)


@router.post(
    "/{exchange_id}/cancel",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="Call the exchange off, with a reason (either side)",
)
def cancel(request: HttpRequest, exchange_id: int, payload: CancelIn) -> dict[str, Any]:
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    services.cancel_exchange(exchange=exchange, actor=user, reason=payload.reason)
    return _answer(request, exchange_id)


@router.post(
    "/{exchange_id}/handed-over",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="The giver: did the hand-over happen?",
    description="`true` (or an empty body) records that you handed it over; `false`, with "
    "a `reason`, cancels the exchange and privately records that the hand-over did not "
    "happen, which the other person may contest. Not yet? Send nothing.",
)
def handed_over(
    request: HttpRequest, exchange_id: int, payload: HandoverIn | None = None
) -> dict[str, Any]:
    payload = payload or HandoverIn()  # no body at all: the hand-over happened
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    services.mark_handed_over(
        exchange=exchange,
        actor=user,
        handover_happened=payload.handover_happened,
        reason=payload.reason,
    )
    return _answer(request, exchange_id)


@router.post(
    "/{exchange_id}/complete",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="The receiver: did the hand-over happen?",
    description="`true` (or an empty body, as before this field existed) confirms receipt "
    "and completes the exchange; `false`, with a `reason`, cancels it and privately records "
    "that the hand-over did not happen, which the other person may contest. Not yet? Send "
    "nothing.",
)
def complete(
    request: HttpRequest, exchange_id: int, payload: HandoverIn | None = None
) -> dict[str, Any]:
    payload = payload or HandoverIn()  # no body at all: the hand-over happened
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    services.complete_exchange(
        exchange=exchange,
        actor=user,
        handover_happened=payload.handover_happened,
        reason=payload.reason,
    )
    return _answer(request, exchange_id)


@router.post(
    "/{exchange_id}/dispute",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="Ask a moderator to settle an accepted exchange (either side)",
    description="The exchange becomes `disputed`: its quantity stays reserved and the other "
    "side is told. 409 `illegal_transition` unless it is accepted.",
)
def dispute(request: HttpRequest, exchange_id: int, payload: DisputeIn) -> dict[str, Any]:
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    disputes.open_dispute(exchange=exchange, actor=user, reason=payload.reason)
    return _answer(request, exchange_id)


@router.post(
    "/{exchange_id}/settle",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="A moderator settles a dispute: completed or cancelled",
    description="`completed` keeps the quantity handed over; `cancelled` gives it back to "
    "the post. Both people are told, with the reason. 403 for either of them, 404 for "
    "anyone else who is not a moderator, 409 unless the exchange is disputed.",
)
def settle(request: HttpRequest, exchange_id: int, payload: SettleIn) -> dict[str, Any]:
    user = caller(request)
    exchange = queries.access_exchange_to_settle(user, exchange_id)
    disputes.settle_dispute(
        exchange=exchange, moderator=user, outcome=payload.outcome, reason=payload.reason
    )
    # Read back without `access_exchange_to_read`: the moderator's own decision is not a
    # read of the thread, and the exchange is no longer disputed.
    settled = queries.access_exchange_to_settle(user, exchange_id)
    return presenters.exchange_data(settled, user)


@router.post(
    "/{exchange_id}/no-show/contest",
    auth=api_auth,
    response={200: NoShowOut, **WRITE_ERRORS},
    summary="Contest a missed hand-over recorded against you",
    description="Once, with a reason; a moderator who is not part of the exchange decides. "
    "404 if none is recorded on the exchange, 403 for the person who reported it, 409 "
    "`already_contested`.",
)
def contest_no_show(
    request: HttpRequest, exchange_id: int, payload: NoShowContestIn
) -> dict[str, Any]:
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    no_show = no_shows.contest_no_show(exchange=exchange, actor=user, reason=payload.reason)
    return asdict(no_shows.state_of(no_show))


@router.post(
    "/{exchange_id}/no-show/decide",
    auth=api_auth,
    response={200: NoShowOut, **WRITE_ERRORS},
    summary="A moderator decides a contested missed hand-over",
    description="`overturn: true` and it counts nowhere (the person's level is recomputed); "
    "`false` and it stands. 403 for either person in the exchange, 404 for anyone else who "
    "is not a moderator, 409 `not_contested` unless it is contested and undecided.",
)
def decide_no_show(
    request: HttpRequest, exchange_id: int, payload: NoShowDecisionIn
) -> dict[str, Any]:
    user = caller(request)
    exchange = queries.access_exchange_to_settle(user, exchange_id)
    no_show = no_shows.decide_no_show(
        exchange=exchange, moderator=user, overturn=payload.overturn, reason=payload.reason
    )
    return asdict(no_shows.state_of(no_show))


@router.post(
    "/{exchange_id}/reveal-contact",
    auth=api_auth,
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="Agree to share contact details",
    description="Records your consent (asking again changes nothing). Only when both people "
    "have agreed does `contact` show the other's details and masking lift in the thread.",
)
def reveal_contact(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user = caller(request)
    relay.reveal_contact(exchange=queries.access_exchange(user, exchange_id), actor=user)
    return _answer(request, exchange_id)


@router.get(
    "/{exchange_id}/messages",
    auth=api_auth,
    response={200: ThreadOut, **READ_ERRORS},
    summary="The relay thread, masked until both agreed to share contact",
    description="A moderator may read it while the exchange is disputed or reported, "
    "always masked; each such read is logged.",
)
def list_messages(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user = caller(request)
    read = queries.access_exchange_to_read(user, exchange_id)
    disputes.record_read(exchange=read.exchange, reader=user, relay_reason=read.relay_reason)
    return presenters.thread_data(read.exchange, user)


@router.post(
    "/{exchange_id}/messages",
    auth=api_auth,
    response={201: MessageOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Write in the relay thread (409 once the exchange has ended)",
)
def post_message(request: HttpRequest, exchange_id: int, payload: MessageIn) -> Status[Any]:
    user = caller(request)
    exchange = queries.access_exchange(user, exchange_id)
    ratelimit.hit("message_account", user.pk)
    message = relay.post_message(exchange=exchange, author=user, body=payload.body)
    return Status(201, presenters.message_data(message, user, revealed=relay.is_revealed(exchange)))
