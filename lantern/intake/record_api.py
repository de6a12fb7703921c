"""Adding to a case's record after intake, in the API (the same actions as the case page):
a suspect, an indicator, a supplement to the narrative, a correction. Each answer says what
the law recomputed. Operations join the cases router (GET /cases/{id}/suspects is there)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from lantern.cases import reads
from lantern.cases.access import may_see_identity
from lantern.cases.api import router
from lantern.cases.selectors import case_for
from lantern.intake import selectors, supplements
from lantern.intake.schemas import (
    AddedSuspectOut,
    CorrectionIn,
    CorrectionOut,
    CorrectionsOut,
    IndicatorIn,
    IndicatorOut,
    NewSuspectIn,
    SupplementIn,
    SupplementOut,
    SupplementsOut,
)


@router.post("/cases/{case_id}/suspects", response={201: AddedSuspectOut}, exclude_unset=True,
             summary="Add a suspect identified after intake (indexed at once for duplicate checks and links)")
def suspect_add(request: HttpRequest, case_id: int, payload: NewSuspectIn) -> Status:
    case = case_for(request.user, case_id)
    done = supplements.add_suspect(actor=request.user, case=case, suspect=payload)
    return Status(201, selectors.added_suspect_json(done.obj, request.user, done.changes,
                                                    identity=may_see_identity(request.user, case)))


@router.post("/cases/{case_id}/indicators", response={201: IndicatorOut}, exclude_unset=True,
             summary="Add a mandatory-filing indicator found later (the case must then be filed)")
def indicator_add(request: HttpRequest, case_id: int, payload: IndicatorIn) -> Status:
    case = case_for(request.user, case_id)
    done = supplements.add_indicator(actor=request.user, case=case, indicator=payload.indicator,
                                     reason=payload.reason)
    return Status(201, selectors.indicator_json(done.obj, done.changes,
                                                identity=may_see_identity(request.user, case)))


@router.get("/cases/{case_id}/supplements", response=SupplementsOut, exclude_unset=True,
            summary="Supplements to the narrative, oldest first")
def supplement_list(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = case_for(request.user, case_id)
    identity = reads.read_identities(actor=request.user, case=case, purpose="supplements")
    items = [selectors.supplement_json(s, identity=identity) for s in selectors.supplements(case)]
    return {"items": items, "count": len(items)}


@router.post("/cases/{case_id}/supplements", response={201: SupplementOut}, exclude_unset=True,
             summary="Add a supplement to the narrative (dated, signed, never edited)")
def supplement_add(request: HttpRequest, case_id: int, payload: SupplementIn) -> Status:
    case = case_for(request.user, case_id)
    done = supplements.supplement_narrative(actor=request.user, case=case, text=payload.text)
    return Status(201, selectors.supplement_json(done.obj, identity=may_see_identity(request.user, case)))


@router.get("/cases/{case_id}/corrections", response=CorrectionsOut, exclude_unset=True,
            summary="Corrections of the record, each with the value it replaced and what the law recomputed")
def correction_list(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = case_for(request.user, case_id)
    identity = reads.read_identities(actor=request.user, case=case, purpose="corrections")
    items = [selectors.correction_json(c, identity=identity) for c in selectors.corrections(case)]
    return {"items": items, "count": len(items)}


@router.post("/cases/{case_id}/corrections", response={201: CorrectionOut}, exclude_unset=True,
             summary="Correct the victim's record with a reason; the answer lists what the law recomputed")
def correction_add(request: HttpRequest, case_id: int, payload: CorrectionIn) -> Status:
    case = case_for(request.user, case_id)
    done = supplements.correct_record(actor=request.user, case=case, field_name=payload.field, value=payload.value,
                                      reason=payload.reason)
    return Status(201, selectors.correction_json(done.obj, done.changes,
                                                 identity=may_see_identity(request.user, case)))
