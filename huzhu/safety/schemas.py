from datetime import datetime

from ninja import Schema
from pydantic import Field


class ReportIn(Schema):
    target_type: str = Field(description="post, user or message")
    target_id: int = Field(ge=1, le=2**63 - 1)
    reason: str = Field(
        description="fraud, selling, prescription, harassment, spam, unsafe or other"
    )
    details: str = Field(default="", max_length=2000)


class ReportOut(Schema):
    id: int
    target_type: str
    target_id: int
    reason: str
    status: str
    created_at: datetime
