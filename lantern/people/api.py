"""Privacy endpoints: break-glass, its review, the access report. Same actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from lantern.access.policy import Capability, get_visible, require_capability
from lantern.cases import reads
from lantern.cases.access import may_see_identity
from lantern.cases.models import Suspect
from lantern.cases.selectors import case_for
from lantern.core.errors import Conflict, NotFound
from lantern.core.schemas import In
from lantern.people import breakglass, identifier_actions, identifiers, sealing, selectors, snooping
from lantern.people.models import Identifier, Seal
from lantern.people.schemas import (
    AccessReportOut,
    BreakGlassGrantOut,
    BreakGlassOpenedOut,
    IdentifierAddedOut,
    IdentifierOut,
    IdentifiersOut,
    SealedOut,
    SealLiftedOut,
)

router = Router(tags=["privacy"])


class BreakGlassIn(Schema):
    case_number: str = Field(min_length=1, max_length=40)
    reason: str = Field(max_length=2000)
    code: str = Field(max_length=12, description="The current code from the user's authenticator app")


class ReviewIn(Schema):
    justified: bool
    note: str = Field(max_length=2000)


class SealIn(Schema):
    roles: list[str] = Field(max_length=11, description="Roles that may still see the record")
    reason: str = Field(max_length=2000)
    legal_reference: str = Field(max_length=200)


class LiftIn(Schema):
    reason: str = Field(max_length=2000)


class ReportQuery(Schema):
    days: int = Field(7, ge=1, le=90)


def _grant(g: Any) -> dict[str, Any]:
    return {"id": g.pk, "user": g.user.username, "case_id": g.case_id, "case_number": g.case.case_number,
            "reason": g.reason, "opened_at": g.opened_at, "expires_at": g.expires_at,
            "review_status": g.review_status, "justified": g.justified, "review_note": g.review_note or None}


@router.post("/break-glass", response={201: BreakGlassOpenedOut},
             summary="Open a case outside one's assignments (reason + TOTP, 60 minutes, supervisor alerted)")
def open_break_glass(request: HttpRequest, payload: BreakGlassIn) -> Status:
    require_capability(request.user, Capability.BREAK_GLASS)
    grant = breakglass.open_break_glass(actor=request.user, case_number=payload.case_number, reason=payload.reason,
                                        code=payload.code)
    return Status(201, {"case_id": grant.case_id, "case_number": grant.case.case_number,
                        "expires_at": grant.expires_at})


@router.get("/break-glass/reviews", response=list[BreakGlassGrantOut], summary="Break-glass openings to review")
def reviews(request: HttpRequest) -> list[dict[str, Any]]:
    require_capability(request.user, Capability.REVIEW_BREAK_GLASS)
    return [_grant(g) for g in selectors.reviewable(request.user)[:500]]


@router.post("/break-glass/{grant_id}/review", response=BreakGlassGrantOut, summary="Record a break-glass review")
def review(request: HttpRequest, grant_id: int, payload: ReviewIn) -> dict[str, Any]:
    require_capability(request.user, Capability.REVIEW_BREAK_GLASS)
    grant = selectors.reviewable(request.user).filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    done = breakglass.close_break_glass_review(actor=request.user, grant=grant, justified=payload.justified,
                                               note=payload.note)
    return _grant(done)


@router.get("/privacy/access-report", response=AccessReportOut, summary="Reads outside case teams, bulk, spikes")
def access_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    require_capability(request.user, Capability.READ_SNOOPING_REPORT)
    report = snooping.build(viewer=request.user, since=timezone.now() - dt.timedelta(days=query.days))
    return {"since": report.since, "until": report.until,
            "users": [{"username": u.username, "outside_team": u.outside_team,
                       "with_identity_outside": u.with_identity_outside, "break_glass": u.break_glass,
                       "cases_outside": sorted(u.cases_outside), "bulk_hours": u.bulk_hours} for u in report.users],
            "spikes": [{"case_number": s.case_number, "day": s.day, "readers": s.readers} for s in report.spikes]}


@router.post("/cases/{case_id}/seal", response={201: SealedOut}, summary="Seal a record (unit heads)")
def seal(request: HttpRequest, case_id: int, payload: SealIn) -> Status:
    done = sealing.seal_case(actor=request.user, case=case_for(request.user, case_id), roles=payload.roles,
                             reason=payload.reason, legal_reference=payload.legal_reference)
    return Status(201, {"id": done.pk, "case_id": case_id, "roles": payload.roles, "sealed_at": done.sealed_at})


@router.post("/cases/{case_id}/seal/lift", response=SealLiftedOut, summary="Lift a record's seal")
def lift(request: HttpRequest, case_id: int, payload: LiftIn) -> dict[str, Any]:
    case = case_for(request.user, case_id)
    require_capability(request.user, Capability.SEAL_CASES)
    seal_row = Seal.objects.filter(case=case, lifted_at__isnull=True).first()
    if seal_row is None:
        raise Conflict(_("This record is not sealed."))
    done = sealing.lift_seal(actor=request.user, seal=seal_row, reason=payload.reason)
    return {"id": done.pk, "case_id": case_id, "lifted_at": done.lifted_at}


# --- A person's identifiers after intake (issue 13) ----------------------------------------------


class IdentifierIn(In):
    kind: Literal["phone", "id_number", "account", "device"]
    value: str = Field(min_length=1, max_length=100)
    platform: str = Field("", max_length=40, description="For an account: the platform (app) it is on")


class RetractIn(In):
    reason: str = Field(max_length=2000)


def _person(user: Any, person_id: int) -> Suspect:
    return get_visible(user, Suspect.objects.select_related("case"), pk=person_id)  # 404 outside the case


@router.get("/people/{person_id}/identifiers", response=IdentifiersOut, exclude_unset=True,
            summary="A suspect's identifiers, those marked wrong included, and the cases they link to")
def identifier_list(request: HttpRequest, person_id: int) -> dict[str, Any]:
    suspect = _person(request.user, person_id)
    identity = reads.read_identities(actor=request.user, case=suspect.case, purpose="identifiers")
    items = [selectors.identifier_json(row, suspect, identity=identity) for row in identifiers.history_of(suspect)]
    return {"items": items, "count": len(items), "linked_cases": selectors.linked_cases(suspect, request.user)}


@router.post("/people/{person_id}/identifiers", response={201: IdentifierAddedOut}, exclude_unset=True,
             summary="Add a phone, ID number, platform account or device ID to a suspect (into the blind index)")
def identifier_add(request: HttpRequest, person_id: int, payload: IdentifierIn) -> Status:
    suspect = _person(request.user, person_id)
    row = identifier_actions.add_identifier(actor=request.user, suspect=suspect, kind=payload.kind,
                                            value=payload.value, platform=payload.platform)
    body = selectors.identifier_json(row, suspect, identity=may_see_identity(request.user, suspect.case))
    return Status(201, {**body, "linked_cases": selectors.linked_cases(suspect, request.user)})


@router.post("/identifiers/{identifier_id}/retract", response=IdentifierOut, exclude_unset=True,
             summary="Mark an identifier wrong: it stays in the history and matches nothing any more")
def identifier_retract(request: HttpRequest, identifier_id: int, payload: RetractIn) -> dict[str, Any]:
    # A person's identifiers; the victim's change with a correction of the record (intake.supplements).
    row = get_visible(request.user, Identifier.every.filter(suspect__isnull=False).select_related("case", "suspect"),
                      pk=identifier_id)
    done = identifier_actions.retract_identifier(actor=request.user, identifier=row, reason=payload.reason)
    return selectors.identifier_json(done, row.suspect, identity=may_see_identity(request.user, row.case))
