"""Evidence on the case page: register, hand over, attach, download (the same actions)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.cases.models import ChecklistItem
from lantern.cases.selectors import case_for
from lantern.core.errors import LanternError, NotFound
from lantern.evidence import interviews, lab, services
from lantern.evidence.api import file_response, item_for
from lantern.evidence.models import RepeatInterviewRequest


def _back(case_id: int, anchor: str = "evidence") -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case_id]) + f"#{anchor}")


def _report(request: HttpRequest, exc: LanternError) -> None:
    messages.error(request, str(exc.message))
    for problems in exc.details.values():
        for problem in problems if isinstance(problems, list) else []:
            messages.error(request, problem)


def _when(raw: str) -> dt.datetime:
    parsed = parse_datetime(raw) if raw else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed or timezone.now()


@login_required
@require_POST
def register(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    checklist = ChecklistItem.objects.filter(case=case, pk=request.POST.get("checklist_item") or None).first()
    try:
        item = services.register_evidence(
            actor=request.user, case=case, kind=request.POST.get("kind", ""),
            description=request.POST.get("description", ""), collected_at=_when(request.POST.get("collected_at", "")),
            place=request.POST.get("place", ""), seal_number=request.POST.get("seal_number", ""),
            checklist_item=checklist)
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Evidence %(number)s registered.") % {"number": item})
    return _back(case.pk)


@login_required
@require_POST
def hand_over(request: HttpRequest, item_id: int) -> HttpResponse:
    item = item_for(request.user, item_id)
    try:
        services.hand_over(actor=request.user, item=item, from_holder=request.POST.get("from_holder", ""),
                           to_holder=request.POST.get("to_holder", ""), place=request.POST.get("place", ""),
                           seal_number=request.POST.get("seal_number", ""))
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Hand-over recorded."))
    return _back(item.case_id)


@login_required
@require_POST
def attach(request: HttpRequest, item_id: int) -> HttpResponse:
    item = item_for(request.user, item_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise services.ValidationFailed(details={"file": [_("Choose a file.")]})
        services.attach_file(actor=request.user, item=item, upload=upload)
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("File attached, encrypted, with its SHA-256 recorded."))
    return _back(item.case_id)


@login_required
@require_GET
def download(request: HttpRequest, file_id: str) -> HttpResponse:
    row, content = services.open_file(actor=request.user, file_uuid=str(file_id))
    return file_response(row, content)


@login_required
@require_POST
def interview(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    try:
        interviews.record_interview(
            actor=request.user, case=case, at=_when(request.POST.get("at", "")),
            interviewer_sex=request.POST.get("interviewer_sex", ""), place=request.POST.get("place", ""),
            guardian_present=request.POST.get("guardian_present") == "on",
            appropriate_adult=request.POST.get("appropriate_adult", ""),
            audio_video=request.POST.get("audio_video") == "on")
    except LanternError as exc:
        _report(request, exc)
        for unmet in exc.details.get("unmet", []):
            messages.error(request, f"{unmet['message']} ({unmet.get('legal_reference', '')})")
    else:
        messages.success(request, _("Interview recorded."))
    return _back(case.pk, "interviews")


@login_required
@require_POST
def repeat_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    try:
        interviews.request_repeat_interview(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Request sent to the supervisor."))
    return _back(case.pk, "interviews")


@login_required
@require_POST
def repeat_decision(request: HttpRequest, request_id: int) -> HttpResponse:
    req = RepeatInterviewRequest.objects.filter(pk=request_id).first()
    if req is None:
        raise NotFound()
    case = case_for(request.user, req.case_id)
    try:
        interviews.decide_repeat_interview(actor=request.user, request_id=req.pk,
                                           approve=request.POST.get("approve") == "yes")
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Decision recorded."))
    return _back(case.pk, "interviews")


@login_required
@require_POST
def send_to_lab(request: HttpRequest, item_id: int) -> HttpResponse:
    item = item_for(request.user, item_id)
    try:
        lab.submit_to_lab(actor=request.user, item=item, laboratory=request.POST.get("laboratory", ""),
                          seal_number=request.POST.get("seal_number", ""))
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Sent to the laboratory; the result clock is running."))
    return _back(item.case_id)


@login_required
@require_POST
def lab_result(request: HttpRequest, item_id: int) -> HttpResponse:
    item = item_for(request.user, item_id)
    try:
        lab.record_lab_result(actor=request.user, item=item, result=request.POST.get("result", ""))
    except LanternError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Result recorded."))
    return _back(item.case_id)
