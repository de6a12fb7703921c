"""Evidence endpoints: the same actions as the case page."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from lantern.access.policy import get_visible
from lantern.cases.access import may_see_identity
from lantern.cases.selectors import case_for
from lantern.core.errors import BadInput, NotFound, UnsupportedMediaType, ValidationFailed
from lantern.core.http import is_json, refuse_nul
from lantern.core.schemas import Id, In, Moment
from lantern.evidence import interviews, lab, selectors, services
from lantern.evidence.models import Agency, EvidenceItem, EvidenceKind, PlaceKind, RepeatInterviewRequest
from lantern.evidence.schemas import (
    BINARY,
    AttachedFileOut,
    EvidenceOut,
    HandOverOut,
    IdOut,
    InterviewsOut,
    LabReceivedOut,
    LabResultOut,
    LabSubmittedOut,
    RegisteredEvidenceOut,
    RepeatDecisionOut,
    SequenceOut,
)

AgencyName = Literal[tuple(Agency.values)]  # type: ignore[valid-type]
PlaceKindName = Literal[tuple(PlaceKind.values)]  # type: ignore[valid-type]

router = Router(tags=["evidence"])


EvidenceKindName = Literal[tuple(EvidenceKind.values)]  # type: ignore[valid-type]
PLACE_HELP = "Where it was collected; when omitted, the registering officer's unit (where it was handed in)"


class EvidenceIn(In):
    kind: EvidenceKindName
    description: str = Field(max_length=5000)
    collected_at: Moment
    place: str = Field("", max_length=200, description=PLACE_HELP)
    seal_number: str = Field("", max_length=60)
    checklist_item_id: Id | None = None


class EvidenceForm(In):
    """The multipart form of the same request (API.md): the fields beside an optional file.
    Every form value is text, so numbers are read from it (not strict)."""

    model_config = ConfigDict(strict=False)

    kind: EvidenceKindName
    description: str = Field(max_length=5000)
    collected_at: Moment
    place: str = Field("", max_length=200, description=PLACE_HELP)
    seal_number: str = Field("", max_length=60)
    checklist_item: int | None = Field(None, description="The id of the checklist item it serves")


def _form_schema() -> dict[str, Any]:
    schema = EvidenceForm.model_json_schema()
    schema["properties"]["file"] = {"type": "string", "format": "binary",
                                    "description": "PDF, JPEG, PNG, MP4, MP3 or WAV; encrypted at rest"}
    return schema


REGISTER_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": EvidenceIn.model_json_schema()},
    "multipart/form-data": {"schema": _form_schema()},
}}}


def _validated(schema: type[Schema], data: Any) -> Any:
    """The body checked as Ninja checks a declared one, with the same 422 on failure."""
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError([{**error, "loc": ("body", "payload", *error["loc"])}
                               for error in exc.errors(include_url=False)]) from None


def _json_body(request: HttpRequest) -> Any:
    if not is_json(request.content_type or ""):
        raise UnsupportedMediaType()
    try:
        body = json.loads(request.body)
    except ValueError:
        raise BadInput(_("The request body is not valid JSON."),
                       details={"body": [_("Send a JSON object.")]}) from None
    if not isinstance(body, dict):
        raise ValidationFailed(details={"body": [_("Send a JSON object.")]})
    refuse_nul(body)
    return body


class HandOverIn(In):
    from_holder: str = Field(max_length=120)
    to_holder: str = Field(max_length=120)
    place: str = Field(max_length=200)
    seal_number: str = Field(max_length=60)
    at: Moment | None = None


def item_for(user: Any, item_id: int) -> EvidenceItem:
    """An evidence item through its case's access rule (404 outside it)."""
    return get_visible(user, EvidenceItem.objects.select_related("case"), pk=item_id)


@router.get("/cases/{case_id}/evidence", response=list[EvidenceOut], by_alias=True,
            summary="A case's evidence and custody")
def evidence_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = case_for(request.user, case_id)
    return selectors.evidence_json(case, identity=may_see_identity(request.user, case))


@router.post("/cases/{case_id}/evidence", response={201: RegisteredEvidenceOut}, openapi_extra=REGISTER_BODY,
             summary="Register an evidence item (JSON, or multipart with its file)")
def register(request: HttpRequest, case_id: int) -> Status:
    case = case_for(request.user, case_id)
    if request.content_type == "multipart/form-data":
        refuse_nul(request.POST.dict())
        form = _validated(EvidenceForm, request.POST.dict())
        checklist_ref, upload = form.checklist_item, request.FILES.get("file")
    else:
        form = _validated(EvidenceIn, _json_body(request))
        checklist_ref, upload = form.checklist_item_id, None
    fields = {"kind": form.kind, "description": form.description, "collected_at": form.collected_at,
              "place": form.place.strip() or getattr(request.user.unit, "name", ""), "seal_number": form.seal_number,
              # The raw id: the service refuses an unknown item or another case's.
              "checklist_item_id": checklist_ref}
    if upload is None:
        item = services.register_evidence(actor=request.user, case=case, **fields)
        return Status(201, {"id": item.pk, "number": str(item), "sha256": None})
    item, row = services.register_evidence_with_file(actor=request.user, case=case, upload=upload, **fields)
    return Status(201, {"id": item.pk, "number": str(item), "sha256": row.sha256, "file_id": str(row.uuid)})


@router.post("/evidence/{item_id}/custody", response={201: HandOverOut}, summary="Record a hand-over")
def custody(request: HttpRequest, item_id: int, payload: HandOverIn) -> Status:
    event = services.hand_over(actor=request.user, item=item_for(request.user, item_id), **payload.model_dump())
    return Status(201, {"sequence": event.sequence, "to": event.to_holder})


@router.post("/evidence/{item_id}/files", response={201: AttachedFileOut}, summary="Attach a file (encrypted)")
def upload(request: HttpRequest, item_id: int, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    row = services.attach_file(actor=request.user, item=item_for(request.user, item_id), upload=file)
    return Status(201, {"id": str(row.uuid), "sha256": row.sha256, "size": row.size, "content_type": row.content_type})


@router.get("/evidence/{item_id}/file", openapi_extra=BINARY,
            summary="Download an item's file (the first attached), checked against its SHA-256")
def item_file(request: HttpRequest, item_id: int) -> HttpResponse:
    row = item_for(request.user, item_id).files.order_by("uploaded_at", "pk").first()
    if row is None:
        raise NotFound(_("This evidence item has no file."))
    row, content = services.open_file(actor=request.user, file_uuid=str(row.uuid))
    return file_response(row, content)


@router.get("/evidence/files/{file_id}", openapi_extra=BINARY, summary="Download a file (checked against its SHA-256)")
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


class AttendeeIn(In):
    agency: AgencyName  # type: ignore[valid-type]
    role: str = Field("", max_length=60, description="Their role (e.g. 心理咨询师), never a name")


class InterviewIn(In):
    at: Moment
    interviewer_sex: str = Field(max_length=8)
    place: str = Field(max_length=200)
    place_kind: PlaceKindName = Field("other", description="one_stop_centre (一站式询问救助中心), hospital, "  # type: ignore[valid-type]
                                                           "police_station or other")
    attendees: list[AttendeeIn] = Field(default_factory=list, max_length=20,
                                        description="Who was present from which agency")
    guardian_present: bool = False
    appropriate_adult: str = Field("", max_length=120)
    audio_video: bool = False


class RepeatIn(In):
    reason: str = Field(max_length=2000)


class DecisionIn(In):
    approve: bool


@router.get("/cases/{case_id}/interviews", response=InterviewsOut, summary="The victim's interviews")
def interview_list(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = case_for(request.user, case_id)
    return selectors.interviews_json(case, identity=may_see_identity(request.user, case))


@router.post("/cases/{case_id}/interviews", response={201: SequenceOut}, summary="Record an interview")
def interview_record(request: HttpRequest, case_id: int, payload: InterviewIn) -> Status:
    done = interviews.record_interview(actor=request.user, case=case_for(request.user, case_id),
                                       **payload.model_dump())  # attendees as plain dicts
    return Status(201, {"sequence": done.sequence})


@router.post("/cases/{case_id}/interviews/repeat-requests", response={201: IdOut},
             summary="Ask to interview a child again (reason; a supervisor decides)")
def repeat_request(request: HttpRequest, case_id: int, payload: RepeatIn) -> Status:
    req = interviews.request_repeat_interview(actor=request.user, case=case_for(request.user, case_id),
                                              reason=payload.reason)
    return Status(201, {"id": req.pk})


@router.post("/interviews/repeat-requests/{request_id}/decision", response=RepeatDecisionOut,
             summary="Decide on a further interview of a child (supervisors)")
def repeat_decision(request: HttpRequest, request_id: int, payload: DecisionIn) -> dict[str, Any]:
    get_visible(request.user, RepeatInterviewRequest.objects.all(), pk=request_id)  # 404 outside the case
    done = interviews.decide_repeat_interview(actor=request.user, request_id=request_id, approve=payload.approve)
    return {"id": done.pk, "approved": done.approved}


class LabIn(In):
    laboratory: str = Field(max_length=120)
    seal_number: str = Field(max_length=60)


class ResultIn(In):
    result: str = Field(max_length=5000)


class ArrivalIn(In):
    received_at: Moment = Field(description="The time on the laboratory's receipt, with its offset")
    receipt_number: str = Field("", max_length=60)


@router.post("/evidence/{item_id}/lab", response={201: LabSubmittedOut},
             summary="Send an item (a sexual-assault kit) to a laboratory: hand-over and 30-working-day clock")
def send_to_lab(request: HttpRequest, item_id: int, payload: LabIn) -> Status:
    done = lab.submit_to_lab(actor=request.user, item=item_for(request.user, item_id), **payload.model_dump())
    return Status(201, {"laboratory": done.laboratory, "submitted_at": done.submitted_at})


@router.post("/evidence/{item_id}/lab/arrival", response=LabReceivedOut,
             summary="Record the laboratory's receipt of the item: its 30-working-day clock runs from then")
def lab_arrival(request: HttpRequest, item_id: int, payload: ArrivalIn) -> dict[str, Any]:
    item = item_for(request.user, item_id)
    done = lab.record_lab_arrival(actor=request.user, item=item, **payload.model_dump())
    clock = selectors.lab_clock(item)
    return {"received_at": done.received_at, "due_at": clock.due_at if clock else None}


@router.post("/evidence/{item_id}/lab/result", response=LabResultOut, summary="Record the laboratory's result")
def lab_result(request: HttpRequest, item_id: int, payload: ResultIn) -> dict[str, Any]:
    done = lab.record_lab_result(actor=request.user, item=item_for(request.user, item_id), result=payload.result)
    return {"result_at": done.result_at}
