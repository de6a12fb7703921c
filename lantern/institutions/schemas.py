"""The mandatory report as the institution sends it (API.md, "Institutions"), and what it
reads back: its receipt, the feedback and the answers to its questions, never the case."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field

from lantern.core.schemas import Day, Id, In, Moment, Out
from lantern.intake.schemas import IndicatorName, SuspectIn, VictimIn


class ReporterIn(In):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=5, max_length=32, description="Where the police reach the reporter")
    position: str = Field("", max_length=60, description="e.g. class teacher, school doctor, front desk")


class MandatoryReportIn(In):
    observed_at: Moment = Field(description="When the institution noticed what it reports")
    offence_date: Day | None = Field(None, description="When it happened, if known (else the day it was observed)")
    narrative: str = Field(min_length=1, max_length=20000, description="What was observed")
    child: VictimIn
    indicators: list[IndicatorName] = Field(default_factory=list)
    reporter: ReporterIn
    suspects: list[SuspectIn] = Field(default_factory=list, max_length=20)


class FiledOut(Out):
    id: int
    receipt_number: str
    feedback_due_at: dt.datetime


class FeedbackOut(Out):
    stage: str
    stage_label: str
    text: str
    given_at: dt.datetime


class InstitutionQuestionOut(Out):
    id: int
    text: str
    asked_at: dt.datetime
    answer: str | None
    answered_at: dt.datetime | None
    due_at: dt.datetime | None


class AttachmentOut(Out):
    id: int
    name: str
    size: int
    added_at: dt.datetime


class ReportOut(Out):
    id: int
    receipt_number: str
    observed_at: dt.datetime
    filed_at: dt.datetime
    child_age_band: str
    indicators: list[str]
    feedback: FeedbackOut | None = Field(description="The latest feedback; null until the police give it")
    feedback_history: list[FeedbackOut]
    feedback_due_at: dt.datetime | None = Field(description="When the next feedback is due, if one is")
    questions: list[InstitutionQuestionOut]
    attachments: list[AttachmentOut]


class FeedbackIn(In):
    stage: str = Field(description="accepted, filed, not_filed or progress")
    text: str = Field(min_length=1, max_length=2000, description="Written for the institution: no names, no details")


class InstitutionQuestionIn(In):
    text: str = Field(min_length=1, max_length=2000)


class InstitutionAnswerIn(In):
    answer: str = Field(min_length=1, max_length=2000)


class NonReportingIn(In):
    institution_id: Id | None = Field(None, description="A registered institution; or name, kind and division code")
    institution_name: str = Field("", max_length=120)
    kind: str = Field("", description="school, kindergarten, hospital, hotel, child_welfare or other")
    division_code: str = Field("", max_length=6)
    knew_since: Day | None = None
    how_learnt: str = Field(min_length=1, max_length=2000)


class NonReportingOut(Out):
    id: int
    case_number: str
    institution: str
    kind: str
    kind_label: str
    region: str
    knew_since: dt.date | None
    recorded_at: dt.datetime


class DutyRowOut(Out):
    kind: str
    kind_label: str
    region: str
    reports: int
    late_reports: int
    not_reported: int


class DutyOut(Out):
    late_after_hours: int
    rows: list[DutyRowOut]
    non_reporting: list[NonReportingOut]


class ReportListOut(Out):
    items: list[ReportOut]
    count: int


class CheckIn(In):
    name: str = Field(min_length=1, max_length=60, description="The applicant's name as on the ID card")
    id_number: str = Field(min_length=1, max_length=32, description="The resident ID number (18 characters)")
    purpose: Literal["hiring", "annual"] = Field(
        description="hiring: a post in contact with minors; annual: the yearly check of staff in post")
    applicant_consent: bool = Field(description="The applicant's written consent to the check is on file")


class CheckOut(Out):
    check_id: int
    result: Literal["hit", "no_hit"]
    checked_at: dt.datetime
    instruction: str = Field(description="What to do now; the same words for every answer of the same result")


class CheckRowOut(Out):
    check_id: int
    institution: str
    purpose: str
    purpose_label: str
    checked_at: dt.datetime | None
    result: str
    result_label: str
    applicant: str | None = Field(description="The name the institution typed: shown to that institution only")
    batch_id: int | None
    row: int | None


class CheckListOut(Out):
    items: list[CheckRowOut]
    count: int
    limits: dict[str, int] | None = Field(description="The institution's daily limits and what it used today")


class BulkOut(Out):
    id: int
    uploaded_at: dt.datetime
    file_name: str
    purpose_label: str
    total: int
    done: int
    hits: int
    percent: int
    finished: bool
    rows: list[CheckRowOut] = Field(description="Every row once finished, in the file's order")
