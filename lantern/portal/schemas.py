"""What the portal API answers (the family's mobile front end generates its client from
these) and the staff side of family questions, as typed schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from lantern.core.schemas import Out

PDF = {"responses": {200: {"description": "The notice, as PDF",
                           "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


class PortalTokenOut(Out):
    token: str = Field(description="A portal token: valid for this one case and the portal endpoints only")
    expires_at: dt.datetime


class CodeSentOut(Out):
    sent: str = Field(description="Always if_registered: the answer never says whether the code exists")


class SignedOutOut(Out):
    signed_out: bool


class PromiseOut(Out):
    what: str
    due_at: dt.datetime
    overdue: bool
    legal_reference: str


class WindowOut(Out):
    rule: str
    what: str
    until: dt.datetime
    legal_reference: str


class NoticeOut(Out):
    id: int = Field(description="non_filing_notice: GET /portal/notices/{id}; the decisions: "
                                "GET /portal/decisions/{id}")
    kind: str = Field(description="non_filing_notice, reconsideration_decision, review_decision or "
                                  "supervision_reply (the procuratorate upheld the police reasons)")
    title: str
    delivered_at: dt.datetime | None


class ServiceOut(Out):
    service: str
    partner: str
    status: str
    status_label: str
    first_contact_due: dt.datetime | None
    consent_id: int | None = Field(description="Withdraw this consent to end the referral")


class KitOut(Out):
    number: str
    status: str


class QuestionOut(Out):
    id: int
    kind: str
    kind_label: str
    text: str
    asked_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    extended: bool
    extension_reason: str
    answer: str
    answered_at: dt.datetime | None


class StaffQuestionOut(QuestionOut):
    case_id: int
    case_number: str
    from_report: str | None = Field(None, description="Asked by the complainant of this merged report (its "
                                                      "case number); empty: the case's own complainant")


class QuestionClockOut(Out):
    """A question in the unit's list: its clock, not its words."""

    id: int
    kind: str
    kind_label: str
    asked_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    extended: bool
    extension_reason: str
    answered_at: dt.datetime | None
    case_id: int
    case_number: str


class DisclosureOut(Out):
    text: str = Field(description="What the discipline inspectors disclosed to the family, in their words")
    disclosed_at: dt.datetime
    outcome: str
    outcome_label: str


class PortalCaseOut(Out):
    tracking_code: str
    received_at: dt.datetime
    police_unit: str
    state: str
    in_plain_words: str
    what_happens_next: str
    next_deadline: PromiseOut | None
    your_windows: list[WindowOut]
    may_apply_for_reconsideration: bool
    notices: list[NoticeOut]
    services: list[ServiceOut]
    kits: list[KitOut]
    questions: list[QuestionOut]
    disclosures: list[DisclosureOut]


class WithdrawnOut(Out):
    id: int
    withdrawn_at: dt.datetime | None
