"""Schemas of the insights API. A null figure is suppressed: fewer than 11 people behind it,
or hidden so that another hidden figure cannot be worked out by subtraction."""

from datetime import datetime

from ninja import Schema

from huzhu.posts.schemas import PostHitOut
from huzhu.schema_base import Out


class PostFiguresOut(Out):
    key: str
    label: str
    needs_posted: int | None
    needs_fulfilled: int | None
    offers_posted: int | None
    offers_fulfilled: int | None
    median_hours_to_fulfil: float | None


class ReportFiguresOut(Out):
    key: str
    label: str
    received: int | None
    acted_on: int | None
    upheld: int | None


class ReportsOut(Out):
    rows: list[ReportFiguresOut]
    total: ReportFiguresOut
    decided_by_moderators: int | None
    decided_automatically: int | None


class CountOut(Out):
    key: str
    label: str
    count: int | None


class AppealsOut(Out):
    received: int | None
    decided: int | None
    overturned: int | None


class ActionsOut(Out):
    automated: int | None
    human: int | None
    total: int | None


class ModerationOut(Out):
    sanctions: list[CountOut]
    sanctions_total: CountOut
    appeals: AppealsOut
    actions: ActionsOut


class StatsOut(Out):
    generated_at: datetime
    threshold: int
    total: PostFiguresOut
    by_category: list[PostFiguresOut]
    by_area: list[PostFiguresOut]
    by_week: list[PostFiguresOut]
    reports: ReportsOut
    moderation: ModerationOut


class PlaceOut(Out):
    code: str
    name: str


class SuggestionOut(PostHitOut):
    reason: str


class ForYouOut(Out):
    place: PlaceOut
    learning: bool
    items: list[SuggestionOut]


class ForYouPlaceIn(Schema):
    place: str
