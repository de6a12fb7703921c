"""What the privacy API answers (break-glass, seals, the access report), as typed schemas."""

from __future__ import annotations

import datetime as dt

from lantern.core.schemas import Out


class BreakGlassOpenedOut(Out):
    case_id: int
    case_number: str
    expires_at: dt.datetime


class BreakGlassGrantOut(Out):
    id: int
    user: str
    case_id: int
    case_number: str
    reason: str
    opened_at: dt.datetime
    expires_at: dt.datetime
    review_status: str
    justified: bool | None
    review_note: str | None


class ReaderOut(Out):
    username: str
    outside_team: int
    with_identity_outside: int
    break_glass: int
    cases_outside: list[str]
    bulk_hours: list[tuple[str, int]]


class SpikeOut(Out):
    case_number: str
    day: str
    readers: int


class AccessReportOut(Out):
    since: dt.datetime
    until: dt.datetime
    users: list[ReaderOut]
    spikes: list[SpikeOut]


class SealedOut(Out):
    id: int
    case_id: int
    roles: list[str]
    sealed_at: dt.datetime


class SealLiftedOut(Out):
    id: int
    case_id: int
    lifted_at: dt.datetime | None
