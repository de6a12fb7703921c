"""Decision trails and accountability records (API.md, "Campaigns and oversight"): the
same actions and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from lantern.access.policy import Capability, require_capability
from lantern.discipline import access, actions, selectors
from lantern.discipline.schemas import AccountabilityIn, AccountabilityListOut, AccountabilityOut, DecisionTrailOut

router = Router(tags=["discipline"])


@router.get("/cases/{case_id}/decision-trail", response=DecisionTrailOut,
            summary="Who decided what on the case, when, on which evidence and why (read audited)")
def decision_trail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = access.trail_case(request.user, case_id)
    return actions.read_decision_trail(actor=request.user, case=case)


@router.get("/cases/{case_id}/accountability", response=AccountabilityListOut,
            summary="The case's accountability records")
def accountability_list(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = access.trail_case(request.user, case_id)
    items = selectors.records_json(case, reader=request.user)
    return {"items": items, "count": len(items)}


@router.post("/cases/{case_id}/accountability", response={201: AccountabilityOut},
             summary="Record an accountability outcome and what was disclosed to the family")
def accountability_create(request: HttpRequest, case_id: int, payload: AccountabilityIn) -> Status:
    require_capability(request.user, Capability.RECORD_ACCOUNTABILITY)  # before the case: 403, not 404
    case = access.trail_case(request.user, case_id)
    row = actions.record_accountability(
        actor=request.user, case=case, officials=[actions.OfficialIn(**o.dict()) for o in payload.officials],
        finding=payload.finding, outcome=payload.outcome, decided_on=payload.decided_on,
        disclosed_to_family=payload.disclosed_to_family, disclosure=payload.disclosure)
    return Status(201, selectors.record_json(row, reader=request.user))
