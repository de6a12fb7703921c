"""What the referrals API answers, as typed schemas. A partner's view leaves out the
case, the consent and (unless the consent shares them) the age band and the contact."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from lantern.cases.schemas import DeadlineOut
from lantern.core.schemas import Out


class NoteOut(Out):
    at: dt.datetime
    author: str
    text: str


class HistoryOut(Out):
    at: dt.datetime
    to: str
    to_label: str


class MoveOut(Out):
    to: str
    title: str
    reason_required: bool


class OfficerOut(Out):
    name: str
    email: str


class ConsentOut(Out):
    id: int
    given_by: str
    shared: list[str]
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None


class ReferralOut(Out):
    id: int
    reference: str
    service: str
    service_label: str
    partner: str
    status: str
    status_label: str
    status_reason: str
    pseudonym: str
    need: str
    contact_route: str
    contact_route_label: str
    created_at: dt.datetime
    updated_at: dt.datetime
    first_contact: DeadlineOut | None
    legal_reference: str
    notes: list[NoteOut]
    history: list[HistoryOut]
    moves: list[MoveOut]
    # As the consent and the reader allow:
    age_band: str | None = None
    contact_detail: str | None = None
    case_officers: list[OfficerOut] | None = None
    case_id: int | None = Field(None, description="Police only")
    case_number: str | None = Field(None, description="Police only")
    consent: ConsentOut | None = Field(None, description="Police only")


class NoteAddedOut(Out):
    id: int
    at: dt.datetime


class WithdrawnOut(Out):
    id: int
    withdrawn_at: dt.datetime | None
