from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from lantern.access.policy import Capability, require_capability
from lantern.core.schemas import Day
from lantern.oversight import selectors, statistics
from lantern.oversight.kinds import FlagKind
from lantern.oversight.schemas import FlagPageOut, InvestigationStatisticsOut

router = Router(tags=["oversight"])

FlagName = Literal[tuple(FlagKind.values)]  # type: ignore[valid-type]


@router.get("/statistics/investigation", response=InvestigationStatisticsOut,
            summary="Investigation figures for the user's jurisdiction (aggregates only)")
def investigation(request: HttpRequest) -> dict[str, Any]:
    require_capability(request.user, Capability.READ_STATISTICS)
    return statistics.investigation(request.user)


class FlagFilter(Schema):
    flag: FlagName | None = None
    unit_id: int | None = Field(None, ge=1, le=2**63 - 1, description="The handling unit, with the units below it")
    since: Day | None = Field(None, description="Flags since this day or later (local time)")
    status: Literal["open", "all"] = Field("open", description="`all` includes flags cleared since")
    page: int = Field(1, ge=1, le=100000)
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=500)


def since_moment(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get("/oversight/flags", response=FlagPageOut, summary="Oversight flags in the user's jurisdiction",
            description="Prosecutors and discipline inspectors: the flags of every case in their jurisdiction, "
                        "newest first, `limit` per page (default 50). Pseudonymised: case number, flag, since, unit.")
def flag_list(request: HttpRequest, filters: Query[FlagFilter]) -> dict[str, Any]:
    require_capability(request.user, Capability.READ_OVERSIGHT_FLAGS)
    rows = selectors.flag_list(request.user, flag=filters.flag or "", unit_id=filters.unit_id,
                               since=since_moment(filters.since), status=filters.status)
    return {"items": selectors.page(rows, number=filters.page, limit=filters.limit), "count": rows.count(),
            "counts": selectors.open_flag_counts(request.user)}
