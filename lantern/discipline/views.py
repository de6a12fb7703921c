"""Pages: a case's decision trail (with the accountability form for inspectors of its
jurisdiction) and the accountability records of the inspector's jurisdiction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import Capability, require_capability
from lantern.accounts.models import Unit
from lantern.core.refusals import attempt, keep_typed, take_kept
from lantern.discipline import access, actions, selectors
from lantern.discipline.outcomes import LEGAL_REFERENCES, Outcome

FORM = "accountability"


@login_required
@require_GET
def trail_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.trail_case(request.user, case_id)
    trail = actions.read_decision_trail(actor=request.user, case=case)
    may_record = access.may_record(request.user, case)
    units = Unit.objects.filter(division_code__startswith=request.user.unit.jurisdiction_prefix).exclude(
        branch="discipline").order_by("path") if may_record else Unit.objects.none()
    return render(request, "discipline/trail.html", {
        "trail": trail, "case": case, "may_record": may_record, "units": units,
        "outcomes": [(o.value, o.label, LEGAL_REFERENCES[o]) for o in Outcome], **take_kept(request)})


def _officials(request: HttpRequest) -> list[actions.OfficialIn]:
    """The form's rows of unit and position (blank rows skipped)."""
    rows = []
    for unit_id, position in zip(request.POST.getlist("unit_id"), request.POST.getlist("position"), strict=False):
        if unit_id.strip() or position.strip():
            rows.append(actions.OfficialIn(unit_id=int(unit_id) if unit_id.isdigit() else 0, position=position))
    return rows


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_POST
def record_page(request: HttpRequest, case_id: int) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_ACCOUNTABILITY)
    case = access.trail_case(request.user, case_id)
    post = request.POST
    disclosed = post.get("disclosed_to_family") == "yes"
    decided_on = _day(post.get("decided_on", ""))

    def call() -> None:
        actions.record_accountability(
            actor=request.user, case=case, officials=_officials(request), finding=post.get("finding", ""),
            outcome=post.get("outcome", ""), decided_on=decided_on, disclosed_to_family=disclosed,
            disclosure=post.get("disclosure", ""))

    if not attempt(request, call, _("Accountability outcome recorded.")):
        keep_typed(request, FORM, {k: post.get(k, "") for k in ("finding", "outcome", "decided_on", "disclosure",
                                                                 "disclosed_to_family")})
    return redirect("discipline:trail", case_id=case.pk)


@login_required
@require_GET
def records_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_ACCOUNTABILITY)
    rows = [selectors.record_json(r, reader=request.user) for r in selectors.records_for(request.user)[:500]]
    return render(request, "discipline/records.html", {"rows": rows})
