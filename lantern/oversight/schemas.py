"""What the oversight API answers: aggregates only, never a person."""

from __future__ import annotations

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
