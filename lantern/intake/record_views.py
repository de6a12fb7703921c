"""Adding to a case's record from the case page: the same actions as the API. Each POST
answers with the case page and messages: what was done and what the law recomputed, or
each reason it was not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from lantern.access.policy import get_visible
from lantern.cases.models import Suspect
from lantern.cases.selectors import case_for
from lantern.core.errors import LanternError, ValidationFailed
from lantern.core.refusals import report_refusal
from lantern.intake import supplements
from lantern.intake.schemas import NewSuspectIn
from lantern.people import identifier_actions
from lantern.people.models import Identifier

ANCHOR = "record"


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case_id]) + f"#{ANCHOR}")


def _take(request: HttpRequest, case_id: int, done: str, call: Callable[[], Any]) -> HttpResponse:
    """``done`` and then each recomputed change as a message, or the refusal's reasons."""
    try:
        outcome = call()
    except LanternError as exc:
        report_refusal(request, exc)
        return _back(case_id)
    messages.success(request, done)
    for change in getattr(outcome, "changes", []):
        messages.info(request, change.text)
    return _back(case_id)


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.replace("，", ",").replace(",", "\n").splitlines() if line.strip()]


def _new_suspect(post: Any) -> NewSuspectIn:
    accounts = [{"platform": post.get("platform", "").strip(), "handle": post.get("handle", "").strip()}]
    try:
        return NewSuspectIn(name=post.get("name", "").strip(), sex=post.get("sex", ""),
                            date_of_birth=post.get("date_of_birth") or None, phone=post.get("phone", "").strip(),
                            id_number=post.get("id_number", "").strip(), devices=_lines(post.get("devices", "")),
                            accounts=[a for a in accounts if a["platform"] and a["handle"]])
    except ValidationError as exc:
        fields = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
        raise ValidationFailed(details={f: [_("This value is not valid.")] for f in fields}) from None


@login_required
@require_POST
def add_suspect(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    return _take(request, case.pk, _("Suspect added."), lambda: supplements.add_suspect(
        actor=request.user, case=case, suspect=_new_suspect(request.POST)))


@login_required
@require_POST
def add_identifier(request: HttpRequest, person_id: int) -> HttpResponse:
    suspect = get_visible(request.user, Suspect.objects.select_related("case"), pk=person_id)
    post = request.POST
    return _take(request, suspect.case_id, _("Identifier added."), lambda: identifier_actions.add_identifier(
        actor=request.user, suspect=suspect, kind=post.get("kind", ""), value=post.get("value", "")[:100],
        platform=post.get("platform", "")[:40]))


@login_required
@require_POST
def retract_identifier(request: HttpRequest, identifier_id: int) -> HttpResponse:
    row = get_visible(request.user, Identifier.every.filter(suspect__isnull=False).select_related("case"),
                      pk=identifier_id)
    return _take(request, row.case_id, _("Identifier marked wrong: it no longer links cases."),
                 lambda: identifier_actions.retract_identifier(actor=request.user, identifier=row,
                                                               reason=request.POST.get("reason", "")[:2000]))


@login_required
@require_POST
def add_indicator(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    return _take(request, case.pk, _("Indicator recorded."), lambda: supplements.add_indicator(
        actor=request.user, case=case, indicator=request.POST.get("indicator", ""),
        reason=request.POST.get("reason", "")[:2000]))


@login_required
@require_POST
def supplement(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    return _take(request, case.pk, _("Supplement added to the narrative."), lambda: supplements.supplement_narrative(
        actor=request.user, case=case, text=request.POST.get("text", "")[:20000]))


@login_required
@require_POST
def correct(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    post = request.POST
    done = _("Record corrected. What the law recomputed follows; nothing else changed.")
    return _take(request, case.pk, done, lambda: supplements.correct_record(
        actor=request.user, case=case, field_name=post.get("field", ""), value=post.get("value", "")[:100],
        reason=post.get("reason", "")[:2000]))
