from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from lantern.core.schemas import Out


class InboxFilter(Schema):
    unread: bool = Field(False, description="Only the unread ones")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class InboxItemOut(Out):
    id: int
    kind: str = Field(description="assigned, approval_awaited, decision_made, minor_case, non_filing_in_jurisdiction, "
                                  "explanation_requested, transfer_awaited, link_alert, deadline_overdue, ...")
    title: str = Field(description="In the request's language: the case number and what happened, no personal data")
    case_id: int | None
    created_at: dt.datetime
    read: bool


class InboxOut(Out):
    items: list[InboxItemOut]
    count: int = Field(description="How many notifications match (all pages)")
    unread: int = Field(description="How many of the user's notifications are unread (the navigation's badge)")


class MarkedOut(Out):
    marked: int = Field(description="How many were unread and are now read")
    unread: int
