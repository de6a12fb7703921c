from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from lantern.access.policy import Capability, require_capability
from lantern.oversight import statistics
from lantern.oversight.schemas import InvestigationStatisticsOut

router = Router(tags=["oversight"])


@router.get("/statistics/investigation", response=InvestigationStatisticsOut,
            summary="Investigation figures for the user's jurisdiction (aggregates only)")
def investigation(request: HttpRequest) -> dict[str, Any]:
    require_capability(request.user, Capability.READ_STATISTICS)
    return statistics.investigation(request.user)
