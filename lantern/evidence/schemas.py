"""What the evidence API answers, as typed schemas (the OpenAPI document describes every
response). Descriptions, file names, results and reasons are null for users who may
not see identities."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from lantern.core.schemas import Out
from lantern.evidence.types import ALLOWED

# A file download: the OpenAPI document names the types an evidence file can have.
BINARY = {"responses": {200: {"description": "The file, checked against its SHA-256 digest",
                              "content": {mime: {"schema": {"type": "string", "format": "binary"}}
                                          for mime in ALLOWED}}}}


class CustodyOut(Out):
    sequence: int
    from_: str = Field(alias="from")  # sent as "from": operations returning it use by_alias
    to: str
    at: dt.datetime
    place: str
    seal_number: str


class FileOut(Out):
    id: str
    name: str | None
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class LabOut(Out):
    laboratory: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None = Field(description="When the laboratory received the item: its clock runs "
                                                        "from then")
    receipt_number: str | None
    due_at: dt.datetime | None
    overdue: bool
    result_at: dt.datetime | None
    result: str | None
    in_plain_words: str


class EvidenceOut(Out):
    id: int
    number: str
    kind: str
    kind_label: str
    checklist_item: str | None
    checklist_title: str | None
    description: str | None
    collected_at: dt.datetime
    holder: str
    custody: list[CustodyOut]
    files: list[FileOut]
    lab: LabOut | None


class RegisteredEvidenceOut(Out):
    id: int
    number: str
    sha256: str | None = Field(None, description="The file's SHA-256, when the item was registered with one")
    file_id: str | None = Field(None, description="The file's id, when the item was registered with one")


class HandOverOut(Out):
    sequence: int
    to: str


class AttachedFileOut(Out):
    id: str
    sha256: str
    size: int
    content_type: str


class AttendeeOut(Out):
    agency: str
    agency_label: str
    role: str


class InterviewOut(Out):
    sequence: int
    at: dt.datetime
    interviewer: str
    interviewer_sex: str
    place: str
    place_kind: str = Field(description="one_stop_centre, hospital, police_station or other")
    place_kind_label: str
    attendees: list[AttendeeOut] = Field(description="Who was present from which agency")
    guardian_present: bool
    appropriate_adult: str | None
    audio_video: bool
    repeat_approved_by: str | None


class RepeatRequestOut(Out):
    id: int
    reason: str | None
    approved: bool | None
    requested_by: str
    used: bool


class InterviewsOut(Out):
    count: int
    interviews: list[InterviewOut]
    repeat_requests: list[RepeatRequestOut]


class SequenceOut(Out):
    sequence: int


class IdOut(Out):
    id: int


class RepeatDecisionOut(Out):
    id: int
    approved: bool | None


class LabSubmittedOut(Out):
    laboratory: str
    submitted_at: dt.datetime


class LabReceivedOut(Out):
    received_at: dt.datetime
    due_at: dt.datetime | None


class LabResultOut(Out):
    result_at: dt.datetime | None
