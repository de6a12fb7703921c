"""Referral endpoints: the police refer with consent and withdraw it; partner agencies
read their referrals and update them. Same actions as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from lantern.access.policy import get_visible
from lantern.cases.selectors import case_for
from lantern.core.idempotency import run_once
from lantern.referrals import selectors, services
from lantern.referrals.catalogue import ContactRoute, GivenBy, ServiceKind, Shared
from lantern.referrals.models import Consent, Referral
from lantern.referrals.schemas import NoteAddedOut, ReferralOut, WithdrawnOut

router = Router(tags=["referrals"])

ServiceName = Literal[tuple(ServiceKind.values)]  # type: ignore[valid-type]
SharedName = Literal[tuple(Shared.values)]  # type: ignore[valid-type]
RouteName = Literal[tuple(ContactRoute.values)]  # type: ignore[valid-type]
GivenByName = Literal[tuple(GivenBy.values)]  # type: ignore[valid-type]


class ReferralIn(Schema):
    service: ServiceName
    partner: str = Field(max_length=40, description="The partner agency's unit code")
    given_by: GivenByName
    shared: list[SharedName] = Field(default_factory=list)
    need: str = Field(max_length=2000, description="What the family needs, without names")
    contact_route: RouteName
    contact_detail: str = Field("", max_length=254)


class MoveIn(Schema):
    status: str = Field(max_length=12, description="accepted, declined, in_progress, completed or revoked")
    reason: str = Field("", max_length=2000)


class NoteIn(Schema):
    text: str = Field(max_length=2000)


def _json(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    return selectors.read(referral, request.user)[0]


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    return get_visible(request.user, selectors.visible(request.user), pk=referral_id)


@router.get("/referrals", response=list[ReferralOut], exclude_unset=True,
            summary="My referrals (partners) or my cases' referrals")
def referral_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_json(request, r) for r in selectors.visible(request.user)[:500]]


@router.get("/referrals/{referral_id}", response=ReferralOut, exclude_unset=True, summary="One referral")
def referral_detail(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    return _json(request, _referral(request, referral_id))


@router.post("/referrals/{referral_id}/status", response=ReferralOut, exclude_unset=True, summary="Move a referral")
def referral_move(request: HttpRequest, referral_id: int, payload: MoveIn) -> dict[str, Any]:
    referral = services.move_referral(actor=request.user, referral=_referral(request, referral_id),
                                      to=payload.status, reason=payload.reason)
    return _json(request, referral)


@router.post("/referrals/{referral_id}/notes", response={201: NoteAddedOut}, summary="Add a note")
def referral_note(request: HttpRequest, referral_id: int, payload: NoteIn) -> Status:
    note = services.add_referral_note(actor=request.user, referral=_referral(request, referral_id),
                                      text=payload.text)
    return Status(201, {"id": note.pk, "at": note.at})


@router.get("/cases/{case_id}/referrals", response=list[ReferralOut], exclude_unset=True, summary="A case's referrals")
def case_referrals(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = case_for(request.user, case_id)
    return [_json(request, r) for r in selectors.visible(request.user).filter(case=case)]


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut}, exclude_unset=True,
             summary="Record consent and refer to a partner agency")
def refer(request: HttpRequest, case_id: int, payload: ReferralIn) -> Status:
    case = case_for(request.user, case_id)

    def create() -> tuple[int, dict[str, Any]]:
        referral = services.refer_with_consent(
            actor=request.user, case=case, service=payload.service, partner_code=payload.partner,
            given_by=payload.given_by, shared=list(payload.shared), need=payload.need,
            contact_route=payload.contact_route, contact_detail=payload.contact_detail)
        # Stored for a retry with the same key exactly as it is sent now (ISO timestamps).
        return 201, ReferralOut.model_validate(_json(request, referral)).model_dump(mode="json", exclude_unset=True)

    status, body = run_once(user=request.user, scope=f"referral:{case.pk}",
                            key=request.headers.get("Idempotency-Key"), body=request.body, create=create)
    return Status(status, body)


@router.post("/consents/{consent_id}/withdraw", response=WithdrawnOut,
             summary="Record that the victim or guardian withdrew consent (ends the partner's access)")
def withdraw(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    consent = get_visible(request.user, Consent.objects.select_related("case"), pk=consent_id)
    consent = services.withdraw_consent(actor=request.user, consent=consent)
    return {"id": consent.pk, "withdrawn_at": consent.withdrawn_at}
