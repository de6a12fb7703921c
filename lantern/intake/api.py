"""Intake in the API: registering a report and the duplicate check before it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from lantern.access.policy import Capability, require_capability
from lantern.cases import reads
from lantern.cases.api import router as cases_router
from lantern.cases.schemas import DuplicateOut, RegisteredCaseOut
from lantern.core.errors import NotFound
from lantern.core.idempotency import MAX_KEY_LENGTH, run_once
from lantern.core.schemas import Day, Id, In
from lantern.intake import services as intake
from lantern.intake.schemas import AccountIn, ReportIn

# POST /cases shares its path with the case list (GET /cases): Ninja joins the methods of
# one path only within one router, so intake's operations join the cases router.
router = cases_router

class CaseIn(ReportIn):
    merge_into: Id | None = Field(None, description="Attach this report to an existing case instead")


class DuplicateQuery(In):
    victim_name: str = Field("", max_length=100)
    victim_date_of_birth: Day | None = None
    suspect_phones: list[str] = Field(default_factory=list, max_length=50)
    suspect_accounts: list[AccountIn] = Field(default_factory=list, max_length=50)
    id_numbers: list[str] = Field(default_factory=list, max_length=50,
                                  description="ID numbers of the victim or the suspects")



IDEMPOTENCY_KEY = {"parameters": [{
    "in": "header", "name": "Idempotency-Key", "required": False,
    "description": "A retry with the same key and body returns the first result and registers nothing new",
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH}}]}


@router.post("/cases", response={201: RegisteredCaseOut}, exclude_unset=True, openapi_extra=IDEMPOTENCY_KEY,
             summary="Register a report (intake)")
def create_case(request: HttpRequest, payload: CaseIn) -> Status:
    def create() -> tuple[int, dict[str, Any]]:
        merge = intake.mergeable(request.user).filter(pk=payload.merge_into).first() if payload.merge_into else None
        if payload.merge_into and merge is None:
            raise NotFound()
        done = intake.register_report(actor=request.user, report=payload, merge_into=merge)
        body = reads.read_case(actor=request.user, case=done.case, purpose="registered")
        body.update(tracking_code=done.tracking_code, portal_secret=done.portal_secret)
        # Stored for a retry with the same key exactly as it is sent now (ISO timestamps).
        return 201, RegisteredCaseOut.model_validate(body).model_dump(mode="json", exclude_unset=True)

    status, body = run_once(user=request.user, scope="cases.create", key=request.headers.get("Idempotency-Key"),
                            body=request.body, create=create)
    return Status(status, body)


@router.post("/cases/duplicates", response=list[DuplicateOut],
             summary="Cases that may be the same as a report about to be registered")
def duplicates(request: HttpRequest, payload: DuplicateQuery) -> list[dict[str, Any]]:
    require_capability(request.user, Capability.REGISTER_REPORTS)
    found = intake.possible_duplicates(actor=request.user, victim_name=payload.victim_name,
                                       victim_date_of_birth=payload.victim_date_of_birth,
                                       suspect_phones=payload.suspect_phones,
                                       suspect_accounts=[a.model_dump() for a in payload.suspect_accounts],
                                       id_numbers=payload.id_numbers)
    return [{"id": c.pk, "case_number": c.case_number, "state": c.state} for c in found]


from lantern.intake import record_api  # noqa: E402, F401  (adding to the record: its operations join the router)
