"""Intake in the API: registering a report and the duplicate check before it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Schema, Status
from pydantic import field_validator

from lantern.access.policy import Capability, require_capability
from lantern.cases import reads
from lantern.cases.api import router as cases_router
from lantern.cases.states import Channel, Indicator, Sex
from lantern.core.errors import NotFound
from lantern.core.idempotency import run_once
from lantern.intake import services as intake

# POST /cases shares its path with the case list (GET /cases): Ninja joins the methods of
# one path only within one router, so intake's operations join the cases router.
router = cases_router

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
IndicatorName = Literal[tuple(Indicator.values)]  # type: ignore[valid-type]
SexName = Literal[tuple(Sex.values)]  # type: ignore[valid-type]


class AccountIn(Schema):
    platform: str = Field(max_length=40)
    handle: str = Field(max_length=100)


class SuspectIn(Schema):
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=32)
    id_number: str = Field("", max_length=32)
    accounts: list[AccountIn] = Field(default_factory=list, max_length=20)


class VictimIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field("", max_length=32)
    sex: SexName
    date_of_birth: dt.date | None = None
    estimated_age: int | None = Field(None, ge=0, le=120)


class ComplainantIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    relation: str = Field(max_length=40)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254, description="For the family portal's sign-in codes and news")

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                message = gettext("Enter an e-mail address such as name@example.cn, or leave it empty.")
                raise ValueError(message) from None
        return value


class CaseIn(Schema):
    received_at: dt.datetime
    channel: ChannelName
    offence_date: dt.date
    narrative: str = Field(min_length=1, max_length=20000)
    victim: VictimIn
    complainant: ComplainantIn
    suspects: list[SuspectIn] = Field(default_factory=list, max_length=50)
    indicators: list[IndicatorName] = Field(default_factory=list)
    merge_into: int | None = Field(None, description="Attach this report to an existing case instead")


class DuplicateQuery(Schema):
    victim_name: str = Field("", max_length=100)
    victim_date_of_birth: dt.date | None = None
    suspect_phones: list[str] = Field(default_factory=list, max_length=50)
    suspect_accounts: list[AccountIn] = Field(default_factory=list, max_length=50)
    id_numbers: list[str] = Field(default_factory=list, max_length=50,
                                  description="ID numbers of the victim or the suspects")



def _report(payload: CaseIn) -> intake.ReportIn:
    return intake.ReportIn(
        received_at=payload.received_at, channel=payload.channel, offence_date=payload.offence_date,
        narrative=payload.narrative, victim_name=payload.victim.name, victim_sex=payload.victim.sex,
        victim_date_of_birth=payload.victim.date_of_birth, victim_estimated_age=payload.victim.estimated_age,
        complainant_name=payload.complainant.name, complainant_relation=payload.complainant.relation,
        complainant_phone=payload.complainant.phone,
        complainant_email=payload.complainant.email, indicators=list(payload.indicators),
        victim_id_number=payload.victim.id_number,
        suspects=[intake.SuspectIn(s.name, s.phone, [a.model_dump() for a in s.accounts], s.id_number)
                  for s in payload.suspects])


@router.post("/cases", response={201: dict[str, Any]}, summary="Register a report (intake)")
def create_case(request: HttpRequest, payload: CaseIn) -> Status:
    def create() -> tuple[int, dict[str, Any]]:
        merge = intake.mergeable(request.user).filter(pk=payload.merge_into).first() if payload.merge_into else None
        if payload.merge_into and merge is None:
            raise NotFound()
        done = intake.register_report(actor=request.user, report=_report(payload), merge_into=merge)
        body = reads.read_case(actor=request.user, case=done.case, purpose="registered")
        body.update(tracking_code=done.tracking_code, portal_secret=done.portal_secret)
        return 201, json.loads(json.dumps(body, default=str))

    status, body = run_once(user=request.user, scope="cases.create", key=request.headers.get("Idempotency-Key"),
                            body=request.body, create=create)
    return Status(status, body)


@router.post("/cases/duplicates", response=list[dict[str, Any]],
             summary="Cases that may be the same as a report about to be registered")
def duplicates(request: HttpRequest, payload: DuplicateQuery) -> list[dict[str, Any]]:
    require_capability(request.user, Capability.REGISTER_REPORTS)
    found = intake.possible_duplicates(actor=request.user, victim_name=payload.victim_name,
                                       victim_date_of_birth=payload.victim_date_of_birth,
                                       suspect_phones=payload.suspect_phones,
                                       suspect_accounts=[a.model_dump() for a in payload.suspect_accounts],
                                       id_numbers=payload.id_numbers)
    return [{"id": c.pk, "case_number": c.case_number, "state": c.state} for c in found]
