"""Evidence on the case page: register, hand over, attach, download, send to the
laboratory, interviews (the same actions as the API). Each POST answers with the case
page and a message: what was done, or each reason it was not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import get_visible
from lantern.cases.selectors import case_for
from lantern.core.errors import ValidationFailed
from lantern.core.refusals import attempt
from lantern.evidence import interviews, lab, services
from lantern.evidence.api import file_response, item_for
from lantern.evidence.models import RepeatInterviewRequest


def _attempt(request: HttpRequest, case_id: int, anchor: str, done: str, call: Callable[[], object]) -> HttpResponse:
    attempt(request, call, done)
    return redirect(reverse("cases:detail", args=[case_id]) + f"#{anchor}")


def _when(raw: str) -> dt.datetime:
    parsed = parse_datetime(raw) if raw else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed or timezone.now()


def _stated(raw: str) -> dt.datetime | None:
    """A time the officer copies from a document (the form's local time); none if not given."""
    parsed = parse_datetime(raw) if raw else None
    return timezone.make_aware(parsed) if parsed is not None and timezone.is_naive(parsed) else parsed


@login_required
@require_POST
def register(request: HttpRequest, case_id: int) -> HttpResponse:
    case, post = case_for(request.user, case_id), request.POST
    chosen = post.get("checklist_item", "")
    return _attempt(request, case.pk, "evidence", _("Evidence registered."), lambda: services.register_evidence(
        actor=request.user, case=case, kind=post.get("kind", ""), description=post.get("description", ""),
        collected_at=_when(post.get("collected_at", "")), place=post.get("place", ""),
        seal_number=post.get("seal_number", ""),
        checklist_item_id=int(chosen) if chosen.isdigit() else (0 if chosen else None)))


@login_required
@require_POST
def hand_over(request: HttpRequest, item_id: int) -> HttpResponse:
    item, post = item_for(request.user, item_id), request.POST
    return _attempt(request, item.case_id, "evidence", _("Hand-over recorded."), lambda: services.hand_over(
        actor=request.user, item=item, from_holder=post.get("from_holder", ""), to_holder=post.get("to_holder", ""),
        place=post.get("place", ""), seal_number=post.get("seal_number", "")))


def _attach(request: HttpRequest, item: object) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(details={"file": [_("Choose a file.")]})
    services.attach_file(actor=request.user, item=item, upload=upload)


@login_required
@require_POST
def attach(request: HttpRequest, item_id: int) -> HttpResponse:
    item = item_for(request.user, item_id)
    return _attempt(request, item.case_id, "evidence", _("File attached, encrypted, with its SHA-256 recorded."),
                    lambda: _attach(request, item))


@login_required
@require_GET
def download(request: HttpRequest, file_id: str) -> HttpResponse:
    row, content = services.open_file(actor=request.user, file_uuid=str(file_id))
    return file_response(row, content)


@login_required
@require_POST
def send_to_lab(request: HttpRequest, item_id: int) -> HttpResponse:
    item, post = item_for(request.user, item_id), request.POST
    return _attempt(request, item.case_id, "evidence", _("Sent to the laboratory; the result clock is running."),
                    lambda: lab.submit_to_lab(actor=request.user, item=item, laboratory=post.get("laboratory", ""),
                                              seal_number=post.get("seal_number", "")))


@login_required
@require_POST
def lab_arrival(request: HttpRequest, item_id: int) -> HttpResponse:
    item, post = item_for(request.user, item_id), request.POST
    return _attempt(request, item.case_id, "evidence", _("Arrival recorded; the result clock is running."),
                    lambda: lab.record_lab_arrival(actor=request.user, item=item,
                                                   received_at=_stated(post.get("received_at", "")),
                                                   receipt_number=post.get("receipt_number", "")))


@login_required
@require_POST
def lab_result(request: HttpRequest, item_id: int) -> HttpResponse:
    item = item_for(request.user, item_id)
    return _attempt(request, item.case_id, "evidence", _("Result recorded."), lambda: lab.record_lab_result(
        actor=request.user, item=item, result=request.POST.get("result", "")))


@login_required
@require_POST
def interview(request: HttpRequest, case_id: int) -> HttpResponse:
    case, post = case_for(request.user, case_id), request.POST
    return _attempt(request, case.pk, "interviews", _("Interview recorded."), lambda: interviews.record_interview(
        actor=request.user, case=case, at=_when(post.get("at", "")), interviewer_sex=post.get("interviewer_sex", ""),
        place=post.get("place", ""), guardian_present=post.get("guardian_present") == "on",
        appropriate_adult=post.get("appropriate_adult", ""), audio_video=post.get("audio_video") == "on",
        place_kind=post.get("place_kind", "other"),
        attendees=[{"agency": a, "role": ""} for a in post.getlist("attendees")]))


@login_required
@require_POST
def repeat_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    return _attempt(request, case.pk, "interviews", _("Request sent to the supervisor."),
                    lambda: interviews.request_repeat_interview(actor=request.user, case=case,
                                                                reason=request.POST.get("reason", "")))


@login_required
@require_POST
def repeat_decision(request: HttpRequest, request_id: int) -> HttpResponse:
    req = get_visible(request.user, RepeatInterviewRequest.objects.all(), pk=request_id)
    return _attempt(request, req.case_id, "interviews", _("Decision recorded."),
                    lambda: interviews.decide_repeat_interview(actor=request.user, request_id=req.pk,
                                                               approve=request.POST.get("approve") == "yes"))
