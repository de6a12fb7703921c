"""What the oversight API answers: aggregates only, never a person."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from lantern.core.schemas import Out


class InvestigationStatisticsOut(Out):
    cases: int
    by_state: dict[str, int] = Field(description="Cases per state")
    historical_cases: int
    child_victims_interviewed: int
    child_victims_interviewed_more_than_once: int = Field(description="Each further interview is a secondary harm")
    interviews_of_child_victims: int
    kits_sent_to_laboratory: int
    kit_results_received: int
    kit_results_overdue: int
    suspects_at_large: int
    minor_cases_not_filed: int


class FlagOut(Out):
    id: int
    case_id: int
    case_number: str
    flag: str = Field(description="minor_not_filed | hasty_non_filing | reopened_after_media | evidence_overdue | "
                                  "question_overdue | repeat_interview")
    since: dt.datetime = Field(description="When the condition began (the decision, the clock's due time, ...)")
    cleared_at: dt.datetime | None = Field(description="When it ended; null while the flag is open")
    label: str
    explanation: str
    unit: str = Field(description="The case's handling unit")
    case_url: str = Field(description="The case page: its own access rule decides who may open it")
    trail_url: str = Field(description="The decision trail (discipline app)")


class FlagPageOut(Out):
    items: list[FlagOut]
    count: int = Field(description="How many flags match the filters, on all pages")
    counts: dict[str, int] = Field(description="Open flags per kind in the user's jurisdiction")
