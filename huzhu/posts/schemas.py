from datetime import UTC, date, datetime, time
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field

from huzhu.posts.tags import TAG_CODES
from huzhu.schema_base import Out

TagCode = Literal[TAG_CODES]  # type: ignore[valid-type]


def _in_utc(value: datetime) -> datetime:
    # PostgreSQL stores no UTC offset beyond ±15:59, and no year after 9999 once in UTC.
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("date out of range") from exc


# A moment with its UTC offset (a date-time without one is ambiguous), kept in UTC.
Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]


def _expiry_moment(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return _in_utc(value)
    # A plain date is the date printed on a pack: good until the end of that day (UTC, as
    # every moment the API speaks of).
    return datetime.combine(value, time.max, tzinfo=UTC)


# An expiry: a moment with its offset, or the plain date printed on the pack.
Expiry = Annotated[
    AwareDatetime | date,
    AfterValidator(_expiry_moment),
    Field(description="a date-time with its UTC offset, or a plain date (YYYY-MM-DD)"),
]


class OnBehalfIn(Schema):
    """Someone without an account the post is for (TL3 and organisers); kept private."""

    name: str = Field(min_length=1, max_length=120)
    consent: Literal["verbal", "written"]
    note: str = Field(default="", max_length=500, description="how to reach them, via you")


class PostIn(Schema):
    kind: Literal["need", "offer"]
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(default="", max_length=2000)
    category: str = Field(min_length=1, max_length=40)
    item: str | None = Field(default=None, max_length=120)
    quantity: int = Field(ge=1, le=1000)
    unit: str | None = Field(default=None, max_length=20)
    tags: list[TagCode] = Field(default_factory=list, max_length=len(TAG_CODES))
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    expires_at: Expiry | None = None
    precision_m: Literal[1000, 5000] = 1000
    on_behalf_of: OnBehalfIn | None = None


class PostPatchIn(Schema):
    """An owner's edit: only the fields sent change. Kind and place cannot change."""

    title: str | None = Field(default=None, min_length=1, max_length=120)
    body: str | None = Field(default=None, max_length=2000)
    category: str | None = Field(default=None, min_length=1, max_length=40)
    item: str | None = Field(default=None, max_length=120)
    quantity: int | None = Field(default=None, ge=1, le=1000)
    unit: str | None = Field(default=None, max_length=20)
    tags: list[TagCode] | None = Field(default=None, max_length=len(TAG_CODES))
    expires_at: Expiry | None = None


class AreaOut(Out):
    lat: float
    lng: float
    precision_m: int


class ItemOut(Out):
    code: str
    name_en: str
    name_zh: str


class StatusChangeOut(Out):
    from_status: str
    to_status: str
    at: datetime
    reason: str


class OrganisationBadgeOut(Out):
    """A verified organisation's public name and kind (pharmacy, clinic, ngo,
    residents_committee)."""

    kind: str
    kind_label: str
    name: str


class OwnerBadgeOut(Out):
    """The owner's earned trust, never their identity."""

    verified: bool
    level: int
    level_name: str
    completed_exchanges: int
    reviews_counted: int  # revealed reviews that count (once per pair and 30 days)
    reviews_positive: int  # of them, scored 4 or 5
    enough_reviews: bool
    positive_lower_bound: float | None  # Wilson lower bound, only with enough reviews
    organisation: OrganisationBadgeOut | None = None  # only for a verified organisation


class PostOut(Out):
    id: int
    kind: str
    title: str
    body: str
    category: str
    item: ItemOut | None
    quantity: int
    quantity_reserved: int
    unit: str
    tags: list[str]
    status: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    closes_at: datetime
    area: AreaOut
    is_own: bool
    under_review: bool = Field(
        description="hidden from others while moderators review reports on it"
    )
    held_reason: str | None = Field(
        default=None,
        description="why the rules engine held the post for a moderator (price_like, "
        "new_account_scarce, link_new_member); held posts are under review too",
    )
    held_message: str | None = Field(
        default=None, description="the same, in the caller's language: what happens next"
    )
    owner_badge: OwnerBadgeOut
    on_behalf: bool = Field(
        description="posted by a volunteer for a neighbour without an account; contact goes "
        "through the volunteer, and who the neighbour is stays private"
    )


class PostDetailOut(PostOut):
    status_history: list[StatusChangeOut]


class PostHitOut(PostOut):
    distance_km: float


class PostListOut(Out):
    items: list[PostHitOut]
    next_cursor: str | None


class StatusIn(Schema):
    status: Literal["fulfilled", "withdrawn"]


class ErrorOut(Out):
    detail: str
    code: str
