"""Evidence endpoints: the same actions as the case page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from lantern.access.policy import get_visible
from lantern.cases.access import may_see_identity
from lantern.cases.models import ChecklistItem
from lantern.cases.selectors import case_for
from lantern.core.errors import NotFound
from lantern.evidence import services
from lantern.evidence.models import EvidenceItem

router = Router(tags=["evidence"])


class EvidenceIn(Schema):
    kind: str = Field(max_length=24)
    description: str = Field(max_length=5000)
    collected_at: dt.datetime
    place: str = Field(max_length=200)
    seal_number: str = Field("", max_length=60)
    checklist_item_id: int | None = None


class HandOverIn(Schema):
    from_holder: str = Field(max_length=120)
    to_holder: str = Field(max_length=120)
    place: str = Field(max_length=200)
    seal_number: str = Field(max_length=60)
    at: dt.datetime | None = None


def item_for(user: Any, item_id: int) -> EvidenceItem:
    """An evidence item through its case's access rule (404 outside it)."""
    item = EvidenceItem.objects.select_related("case").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    get_visible(user, type(item.case).objects.all(), pk=item.case_id)
    return item


@router.get("/cases/{case_id}/evidence", response=list[dict[str, Any]], summary="A case's evidence and custody")
def evidence_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = case_for(request.user, case_id)
    return services.evidence_json(case, identity=may_see_identity(request.user, case))


@router.post("/cases/{case_id}/evidence", response={201: dict[str, Any]}, summary="Register an evidence item")
def register(request: HttpRequest, case_id: int, payload: EvidenceIn) -> Status:
    case = case_for(request.user, case_id)
    checklist = (ChecklistItem.objects.filter(pk=payload.checklist_item_id).first()
                 if payload.checklist_item_id else None)
    item = services.register_evidence(actor=request.user, case=case, kind=payload.kind,
                                      description=payload.description, collected_at=payload.collected_at,
                                      place=payload.place, seal_number=payload.seal_number, checklist_item=checklist)
    return Status(201, {"id": item.pk, "number": str(item)})


@router.post("/evidence/{item_id}/custody", response={201: dict[str, Any]}, summary="Record a hand-over")
def custody(request: HttpRequest, item_id: int, payload: HandOverIn) -> Status:
    event = services.hand_over(actor=request.user, item=item_for(request.user, item_id), **payload.model_dump())
    return Status(201, {"sequence": event.sequence, "to": event.to_holder})


@router.post("/evidence/{item_id}/files", response={201: dict[str, Any]}, summary="Attach a file (encrypted)")
def upload(request: HttpRequest, item_id: int, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    row = services.attach_file(actor=request.user, item=item_for(request.user, item_id), upload=file)
    return Status(201, {"id": str(row.uuid), "sha256": row.sha256, "size": row.size, "content_type": row.content_type})


@router.get("/evidence/files/{file_id}", summary="Download a file (checked against its SHA-256)")
def download(request: HttpRequest, file_id: str) -> HttpResponse:
    row, content = services.open_file(actor=request.user, file_uuid=file_id)
    return file_response(row, content)


def file_response(row: Any, content: bytes) -> HttpResponse:
    from lantern.evidence.types import ALLOWED

    response = HttpResponse(content, content_type=row.content_type)
    # The stored name may name people: the download is named by item and digest instead.
    response["Content-Disposition"] = (f'attachment; filename="E-{row.item.number}-{row.sha256[:12]}'
                                       f'{ALLOWED.get(row.content_type, "")}"')
    response["X-Content-Type-Options"] = "nosniff"
    return response
