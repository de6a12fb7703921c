"""What the privacy API answers (break-glass, seals, the access report), as typed schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Field

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


class LinkedCaseOut(Out):
    id: int
    case_number: str
    via: list[str] = Field(description="The kinds of identifier the cases share: phone, id_number, account, device")


class IdentifierOut(Out):
    id: int
    person_id: int | None
    case_id: int
    kind: str = Field(description="phone, id_number, account, device (name_dob: a victim's name and date of birth)")
    added_at: dt.datetime | None = Field(description="Null: registered with the report")
    added_by: str | None
    in_force: bool = Field(description="False once marked wrong: kept in the history, matching nothing")
    retracted_at: dt.datetime | None
    retracted_by: str | None
    # Only for those who may see identities:
    value: str | None = None
    platform: str | None = None
    retraction_reason: str | None = None


class IdentifierAddedOut(IdentifierOut):
    linked_cases: list[LinkedCaseOut] = Field(description="Other cases you may see that share an identifier of "
                                                          "this person, found by blind index")


class IdentifiersOut(Out):
    items: list[IdentifierOut]
    count: int
    linked_cases: list[LinkedCaseOut]
