from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from huzhu.schema_base import Out


class ReportIn(Schema):
    target_type: str = Field(description="post, user or message")
    target_id: int = Field(ge=1, le=2**63 - 1)
    reason: str = Field(
        description="fraud, selling, prescription, harassment, spam, unsafe or other"
    )
    details: str = Field(default="", max_length=2000)


class ReportOut(Out):
    id: int
    target_type: str
    target_id: int
    reason: str
    status: str
    created_at: datetime


class SanctionOut(Out):
    id: int
    kind: str = Field(description="warn, suspend or ban")
    kind_label: str
    rule: str
    rule_text: str
    reason: str
    created_at: datetime
    until: datetime | None = Field(description="when a suspension ends; null for a warning or ban")
    lifted_at: datetime | None
    in_force: bool = Field(description="a suspension or ban that still stops you logging in")
    automated: bool = Field(description="a second warning within the window brought it")
    appeal_status: str | None = Field(description="open, upheld or overturned; null if none")


class SanctionsOut(Out):
    items: list[SanctionOut]


class LogEntryOut(Out):
    action: str
    action_label: str
    rule: str
    rule_label: str
    automated: bool
    date: date


class LogOut(Out):
    items: list[LogEntryOut]


class AppealIn(Schema):
    message: str = Field(max_length=2000, description="why the sanction should be reconsidered")


class AppealMessageIn(Schema):
    body: str = Field(max_length=2000)


class AppealMessageOut(Out):
    from_moderator: bool
    body: str
    created_at: datetime


class AppealOut(Out):
    id: int
    sanction_id: int
    status: str = Field(description="open, upheld or overturned")
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str
    messages: list[AppealMessageOut]
