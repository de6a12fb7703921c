"""What the campaigns API takes and answers (API.md, "Campaigns and oversight")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from lantern.campaigns.models import Priority
from lantern.core.schemas import Day, Id, In, Out

PriorityKey = Literal[tuple(Priority.values)]  # type: ignore[valid-type]


class CampaignIn(In):
    name: str = Field(min_length=1, max_length=200)
    starts_on: Day
    ends_on: Day
    unit_id: Id
    priorities: list[PriorityKey] = Field(default_factory=list, max_length=4)  # type: ignore[valid-type]


class CampaignOut(Out):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    unit_id: int
    unit: str
    priorities: list[str]
    created_at: dt.datetime
    closed_at: dt.datetime | None


class CampaignsOut(Out):
    items: list[CampaignOut]
    count: int


class StatisticsQuery(Schema):
    campaign_id: int | None = None
    unit_id: int | None = None
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    age_band: str = Field("", max_length=16)
    group_by: Literal["unit", "month", "age_band"] = "unit"


class DefinitionOut(Out):
    label: str
    definition: str
    kind: str


class PeriodOut(Out):
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None


class StatisticsOut(Out):
    rows: list[dict[str, int | float | str | None]] = Field(
        description='One row per group, then the total (group_key "total"). A count from 1 to 4 is "<5"; '
                    '"x" is withheld so that a small count cannot be worked out from the total.')
    definitions: dict[str, DefinitionOut]
    as_of: dt.datetime | None = Field(description="When the figures were computed (the refresh job)")
    period: PeriodOut
