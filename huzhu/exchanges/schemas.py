from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from huzhu.posts.schemas import (
    AreaOut,
    ErrorOut,
    ItemOut,
    OwnerBadgeOut,
    PostHitOut,
    StatusChangeOut,
)
from huzhu.schema_base import Out

__all__ = ["ErrorOut"]

Action = Literal[
    "accept",
    "decline",
    "handed_over",
    "complete",
    "reveal_contact",
    "cancel",
    "dispute",
    "message",
    "settle",
]


class ExchangeIn(Schema):
    quantity: int = Field(ge=1, le=1000)
    message: str = Field(default="", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=300)


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class DisputeIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class SettleIn(Schema):
    """A moderator's decision on a dispute, with the reason the two people will read."""

    outcome: Literal["completed", "cancelled"]
    reason: str = Field(min_length=1, max_length=300)


class HandoverIn(Schema):
    """The answer to "did the hand-over happen?". An empty body means it did: "not yet" is
    no answer at all, so only an explicit `false` records that it did not happen."""

    handover_happened: bool = Field(
        default=True, description="false: it did not happen (a private no-show, cancelled)"
    )
    reason: str = Field(
        default="", max_length=300, description="with false: what happened, in a few words"
    )


class NoShowContestIn(Schema):
    reason: str = Field(min_length=1, max_length=300, description="why it is wrong")


class NoShowDecisionIn(Schema):
    overturn: bool = Field(description="true: it did not count; false: it stands")
    reason: str = Field(min_length=1, max_length=300)


class NoShowOut(Out):
    """A missed hand-over recorded on an exchange, as the person it names or a moderator
    sees it: never who reported it, nor the reasons."""

    exchange_id: int
    created_at: datetime
    contested_at: datetime | None
    decided_at: datetime | None
    overturned: bool


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=2000)


class ExchangePostOut(Out):
    id: int
    kind: str
    title: str
    unit: str


class PersonOut(Out):
    display_name: str
    badge: OwnerBadgeOut


class PartiesOut(Out):
    """Both people, for a moderator reading the exchange (never their contact details)."""

    giver: PersonOut
    receiver: PersonOut


class ExchangeStatusChangeOut(StatusChangeOut):
    note: str  # what a person wrote (a dispute's reason), masked like messages


class ConsentOut(Out):
    mine: bool
    theirs: bool


class ContactOut(Out):
    email: str | None  # verified e-mail address only
    phone: str | None  # verified phone, only if its owner chose to show it
    details: list[str]


class ExchangeOut(Out):
    id: int
    post: ExchangePostOut
    quantity: int
    status: str
    role: Literal["giver", "receiver", "moderator"]
    is_post_owner: bool
    other: PersonOut | None  # None for a moderator, who sees `parties` instead
    parties: PartiesOut | None
    holds_quantity: bool
    created_at: datetime
    updated_at: datetime
    accepted_at: datetime | None
    handed_over_at: datetime | None
    received_at: datetime | None
    ended_at: datetime | None
    cancel_reason: str
    status_history: list[ExchangeStatusChangeOut]
    consent: ConsentOut | None  # None for a moderator
    contact: ContactOut | None  # never for a moderator
    actions: list[Action]


class ExchangeListOut(Out):
    items: list[ExchangeOut]


class MessageOut(Out):
    id: int
    body: str
    masked: bool
    is_own: bool
    author: Literal["giver", "receiver"]
    created_at: datetime


class ThreadOut(Out):
    items: list[MessageOut]
    read_only: bool
    revealed: bool


class NotificationOut(Out):
    id: int
    kind: str
    exchange_id: int | None
    post_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None


class NotificationListOut(Out):
    items: list[NotificationOut]
    unread: int


class MarkedReadOut(Out):
    marked: int


class AlertIn(Schema):
    """Name an item, or a category for anything in it."""

    kind: Literal["need", "offer"]
    item: str | None = Field(default=None, max_length=120)
    category: str | None = Field(default=None, max_length=40)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    radius_km: float = Field(ge=1, le=50)


class AlertOut(Out):
    id: int
    kind: str
    item: ItemOut | None
    category: str
    radius_km: float
    area: AreaOut  # the approximate centre; the exact one stays on the server
    created_at: datetime


class AlertListOut(Out):
    items: list[AlertOut]
    limit: int


class MatchOut(PostHitOut):
    match: Literal["item", "category"]


class MatchListOut(Out):
    items: list[MatchOut]


class StillNeededIn(Schema):
    """The answer to "still needed?"."""

    still_needed: bool


class QuietHours(Schema):
    """Local times in `time_zone`; `start` after `end` spans midnight (22:00 to 07:00)."""

    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


Channel = Literal["email", "sms", "push"]


class NotificationPreferencesSchema(Schema):
    """Which notifications also go by e-mail, SMS or push; `quiet` sends no e-mail. The
    inbox keeps all. The booleans are the e-mail choices of the first seven groups; the
    other fields may be left out of a PUT to keep them as they are."""

    response: bool
    accepted: bool
    declined: bool
    message: bool
    completed: bool
    checkin: bool
    alert: bool
    quiet: bool
    channels: dict[str, list[Channel]] | None = Field(
        default=None,
        description="Per group (the seven above, `sanction`, `review`): its channels. SMS "
        "goes only to a verified phone, e-mail only to a verified address, push to the "
        "browsers subscribed at /me/push-subscriptions. Wins over the e-mail booleans for "
        "the groups it names.",
    )
    quiet_hours: QuietHours | None = Field(
        default=None, description="No SMS or push between these local times; null: none."
    )
    time_zone: str | None = Field(default=None, max_length=64, description="e.g. Asia/Shanghai")
    sms_per_day: int | None = Field(
        default=None, ge=0, le=50, description="SMS at most, per local day; 0: none."
    )


class PushKeysIn(Schema):
    p256dh: str = Field(min_length=80, max_length=200, pattern=r"^[A-Za-z0-9_-]+=*$")
    auth: str = Field(min_length=16, max_length=100, pattern=r"^[A-Za-z0-9_-]+=*$")


class PushSubscriptionIn(Schema):
    """As the browser's PushSubscription.toJSON() gives it."""

    endpoint: str = Field(min_length=12, max_length=1000, pattern=r"^https://")
    keys: PushKeysIn


class PushSubscriptionOut(Out):
    id: int


class PushKeyOut(Out):
    key: str
