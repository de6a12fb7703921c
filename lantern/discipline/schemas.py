"""The discipline API's bodies (API.md, "Campaigns and oversight")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field

from lantern.core.schemas import Day, Id, In, Out
from lantern.discipline.outcomes import Outcome

OutcomeName = Literal[tuple(Outcome.values)]  # type: ignore[valid-type]


class OfficialRefIn(In):
    unit_id: Id
    position: str = Field(max_length=80, description="The post, e.g. 大队长")
    user_id: Id | None = Field(None, description="The official's account, where one is named")


class AccountabilityIn(In):
    officials: list[OfficialRefIn] = Field(max_length=50)
    finding: str = Field(max_length=5000)
    outcome: str = Field(max_length=40, description="party_discipline | administrative | organisational | "
                                                    "criminal_referral | no_fault")
    decided_on: Day
    disclosed_to_family: bool
    disclosure: str = Field(max_length=5000, description="What the family was told (shown to them in the portal); "
                                                         "when nothing was disclosed, why not")


class OfficialOut(Out):
    id: int
    name: str
    unit: str
    roles: str
    text: str


class ConcernedOut(Out):
    unit_id: int
    unit: str
    position: str
    user: OfficialOut | None


class AccountabilityOut(Out):
    id: int
    case_id: int
    case_number: str | None
    officials: list[ConcernedOut]
    finding: str
    outcome: OutcomeName
    outcome_label: str
    legal_reference: str
    decided_on: dt.date
    recorded_by: OfficialOut | None
    recorded_at: dt.datetime
    disclosed_to_family: bool
    disclosure: str
    disclosed_at: dt.datetime | None
    disclosed_by: OfficialOut | None
    nondisclosure_reason: str


class AccountabilityListOut(Out):
    items: list[AccountabilityOut]
    count: int


class VoteOut(Out):
    official: OfficialOut | None
    level: int
    approved: bool
    at: dt.datetime
    reason: str


class ItemAtDecisionOut(Out):
    key: str
    title: str
    status: str
    status_label: str
    changed_by: OfficialOut | None
    changed_at: dt.datetime | None
    automatic: bool
    note: str = Field(description="The item's note, if unchanged since the decision")
    evidence: list[str] = Field(description="Evidence registered against the item by then (number and type)")


class DecisionOut(Out):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    proposed_by: OfficialOut | None
    proposed_at: dt.datetime
    reason: str
    decided_at: dt.datetime | None
    trigger: str | None
    trigger_label: str
    hours_after_report: float
    votes: list[VoteOut]
    checklist_at: dt.datetime
    checklist: list[ItemAtDecisionOut]
    checklist_summary: str
    summary: str = Field(description="Who proposed and who decided, when, in one sentence")


class ProceedingOut(Out):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    opened_at: dt.datetime
    opened_by: OfficialOut | None
    automatic: bool
    grounds: str
    explanation: str
    outcome_reason: str
    closed_at: dt.datetime | None


class InterviewOut(Out):
    sequence: int
    at: dt.datetime
    interviewer: OfficialOut | None
    guardian_present: bool
    audio_video: bool
    approved_repeat: bool


class HistoryLineOut(Out):
    at: dt.datetime
    who: str
    text: str
    reason: str


class DecisionTrailOut(Out):
    case_id: int
    case_number: str | None
    unit: str
    state: str
    state_label: str
    victim_pseudonym: str
    age_band: str
    is_minor: bool
    received_at: dt.datetime
    decisions: list[DecisionOut]
    proceedings: list[ProceedingOut]
    interviews: list[InterviewOut]
    history: list[HistoryLineOut]
    accountability: list[AccountabilityOut]
