"""What the cases API answers, as typed schemas: the OpenAPI document describes every
response body, so integrators can generate clients from it. Identity fields are
optional and left out (not null) for users who may not see them: the operations that
return a case are declared with ``exclude_unset``."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from lantern.core.schemas import Out


class VictimOut(Out):
    pseudonym: str
    age_band: str
    age_band_label: str
    is_minor: bool
    sex: str
    # Only for those who may see identities:
    name: str | None = None
    date_of_birth: dt.date | None = None
    id_number: str | None = None
    estimated_age: int | None = None


class UnmetOut(Out):
    code: str
    message: str


class ObjectionOut(Out):
    reason: str
    by: str
    at: dt.datetime
    answered_at: dt.datetime | None = Field(description="When the police worked the item again")


class ChecklistItemOut(Out):
    id: int
    key: str
    title: str
    guidance: str
    legal_reference: str = Field(description="As the evidence standard's version gives it; (policy) when none")
    status: str = Field(description="As the evidence gate sees it: open while a laboratory result is outstanding, "
                                    "or when done was recorded without record or note, or is impossible")
    status_label: str
    recorded_status: str = Field(description="The status last set on the item")
    due_at: dt.datetime | None
    note: str
    satisfied_by: list[str] = Field(description="What satisfies the item, from the evidence standard: interview, "
                                                "evidence, lab_result, note")
    satisfied_by_labels: list[str]
    proof: list[str] = Field(description="What on record satisfies it now (item numbers, dates)")
    blocked: list[UnmetOut] = Field(description="Why it cannot be marked done now (e.g. no_identified_suspect, "
                                                "lab_result_pending)")
    objection: ObjectionOut | None = Field(description="A prosecutor's latest \"not satisfied\", with the reason")


class DeadlineOut(Out):
    kind: str = Field(description="The rule: filing_review, arrest_request, family_question, ...")
    title: str
    subject: str
    due_at: dt.datetime
    legal_reference: str
    status: str = Field(description="open, met, overdue, extended, cancelled")
    status_label: str
    provisional: bool = Field(description="Computed before the official holiday schedule for that year was loaded")


class SummaryItemOut(Out):
    key: str
    title: str
    why: list[str] | None = None
    note: str | None = None


class EvidenceSummaryOut(Out):
    done: int
    open: int
    not_applicable: int
    total: int
    open_items: list[SummaryItemOut]
    not_applicable_items: list[SummaryItemOut] = Field(description="Ruled out by a supervisor, with the reason")
    done_without_record: list[SummaryItemOut] = Field(description="Done on an officer's note alone, with the note")


class ApprovalOut(Out):
    approver: str
    level: int
    at: dt.datetime
    reason: str


class PendingDecisionOut(Out):
    id: int
    kind: str = Field(description="file or not_file")
    proposed_by: str
    proposed_by_name: str
    proposed_at: dt.datetime
    reason: str = Field(description="The proposer's written reason")
    trigger: str | None = Field(description="For a reopening: what made the case move again")
    approvals_needed: int
    approved_by: list[str]
    approvals: list[ApprovalOut] = Field(description="The approvals so far, each with its reason")
    evidence_summary: EvidenceSummaryOut


class ProceedingOut(Out):
    kind: str
    status: str
    opened_at: dt.datetime
    automatic: bool
    chased_at: dt.datetime | None = Field(None, description="When the procuratorate chased the filed case by letter")


class AccountOut(Out):
    platform: str
    handle: str


class ComplainantOut(Out):
    name: str
    relation: str
    phone: str
    email: str


class SuspectIdentityOut(Out):
    name: str
    phone: str
    id_number: str
    accounts: list[AccountOut]
    status: str


class MergedIntoOut(Out):
    case_number: str
    id: int | None = Field(description="Only for users who may see that case")


class MergedReportOut(Out):
    id: int
    case_number: str
    received_at: dt.datetime


class TransferOut(Out):
    id: int
    status: str = Field(description="pending, accepted or refused")
    status_label: str
    from_unit: str
    from_unit_id: int
    to_unit: str
    to_unit_id: int
    requested_by: str
    requested_at: dt.datetime
    reason: str


class TemplateRefOut(Out):
    id: int
    key: str = Field(description="offence/age_band, e.g. child_indecency/under_12")
    version: int


class CaseOut(Out):
    id: int
    case_number: str
    state: str
    channel: str
    received_at: dt.datetime
    offence_date: dt.date
    unit: str = Field(description="The handling unit's name")
    unit_id: int
    transfer: TransferOut | None = Field(description="A transfer to another unit awaiting its acceptance")
    victim: VictimOut
    flags: list[str]
    flag_labels: list[str]
    indicators: list[str]
    is_historical: bool
    reopen_trigger: str | None
    offences: list[str] = Field(description="rape, child_rape, forcible_indecency, child_indecency, duty_of_care, "
                                            "child_prostitution; the principal offence first")
    offence_labels: list[str]
    checklist_template: TemplateRefOut | None = Field(description="The evidence standard's version the checklist "
                                                                  "follows (the principal offence's)")
    checklist_templates: list[TemplateRefOut] = Field(description="One per offence, at the versions in force when "
                                                                  "the case was registered")
    checklist: list[ChecklistItemOut]
    deadlines: list[DeadlineOut]
    pending_decision: PendingDecisionOut | None
    proceedings: list[ProceedingOut]
    team: list[str]
    merged_into: MergedIntoOut | None = Field(description="On a merged report: the case that carries its work")
    merged_reports: list[MergedReportOut] = Field(description="Reports merged into this case")
    suspect_count: int
    victim_interviews: int = Field(description="Interviews of the victim: each one after the first needs a reason")
    access_basis: str | None = Field(None, description="Why this user may see the case: assigned, unit, ...")
    sealed: bool = False
    # Only for those who may see identities:
    narrative: str | None = None
    complainant: ComplainantOut | None = None
    suspects: list[SuspectIdentityOut] | None = None


class RegisteredCaseOut(CaseOut):
    tracking_code: str
    portal_secret: str = Field(description="Shown in this response and on the printed receipt only")


class CaseSummaryVictimOut(Out):
    pseudonym: str
    age_band: str
    is_minor: bool


class NextDeadlineOut(Out):
    kind: str = Field(description="The rule of the soonest running clock")
    title: str
    due_at: dt.datetime
    overdue: bool
    left: str = Field(description="How long is left (or how late it is), in the user's language, e.g. \"2 d 4 h\"")


class AwaitingOut(Out):
    kind: str = Field(description="The pending proposal: file or not_file")
    level: int = Field(description="The approval level it waits for: 1 the supervisor, 2 the unit head")
    label: str


class CaseSummaryOut(Out):
    id: int
    case_number: str
    state: str
    received_at: dt.datetime
    victim: CaseSummaryVictimOut
    flags: list[str]
    unit: str = Field(description="The handling unit")
    next_deadline: NextDeadlineOut | None = Field(description="The soonest running clock; null when none runs")
    team: list[str] = Field(description="Usernames of the investigators on the case")
    awaiting: AwaitingOut | None = Field(description="The decision a proposal awaits; null when none is pending")


class CasePageOut(Out):
    items: list[CaseSummaryOut]
    count: int = Field(description="How many cases match the filters, on all pages")


class ActionOut(Out):
    name: str
    title: str
    allowed: bool
    unmet: list[UnmetOut]
    legal_reference: str


class SuspectClockOut(Out):
    rule: str
    due_at: dt.datetime
    status: str
    extended: bool


class SuspectMoveOut(Out):
    name: str
    title: str
    legal_reference: str
    reason_required: bool


class SuspectOut(Out):
    id: int
    label: str = Field(description="The name for those who may see identities, else 'Suspect n'")
    status: str
    status_label: str
    clocks: list[SuspectClockOut]
    moves: list[SuspectMoveOut]


class SuspectStatusOut(Out):
    id: int
    status: str


class DueOut(Out):
    due_at: dt.datetime


class CustodyDueOut(Out):
    due_at: dt.datetime
    months_in_all: int


class FugitiveOut(Out):
    case_id: int
    case_number: str
    suspect_id: int
    since: dt.datetime | None


class ColdCaseReviewOut(Out):
    reviewed_at: dt.datetime
    reviewed_by: str | None = None
    rechecked: list[str]
    findings: str | None = None


class HistoricalOut(Out):
    id: int
    is_historical: bool


class DuplicateOut(Out):
    id: int
    case_number: str
    state: str
