"""Privacy pages: break-glass, its review list, the access (snooping) report."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantern.access.policy import Capability, require_capability
from lantern.cases.selectors import case_for
from lantern.core.errors import LanternError, NotFound
from lantern.core.refusals import attempt
from lantern.people import breakglass, sealing, selectors, snooping


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.BREAK_GLASS)
    form = {"case_number": request.POST.get("case_number", request.GET.get("case_number", "")).strip(),
            "reason": request.POST.get("reason", "")}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            grant = breakglass.open_break_glass(actor=request.user, case_number=form["case_number"],
                                                reason=form["reason"], code=request.POST.get("code", ""))
        except LanternError as exc:
            errors = {k: v for k, v in exc.details.items() if isinstance(v, list)}
            errors.setdefault("__all__", [str(exc.message)])
        else:
            messages.warning(request, _("Break-glass access is open until %(until)s. Your supervisor has "
                                        "been told.") % {"until": timezone.localtime(grant.expires_at)
                                                         .strftime("%H:%M")})
            return redirect("cases:detail", case_id=grant.case_id)
    return render(request, "people/break_glass.html", {"form": form, "errors": errors,
                                                       "minutes": int(breakglass.DURATION.total_seconds() // 60)},
                  status=422 if errors else 200)


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.REVIEW_BREAK_GLASS)
    return render(request, "people/reviews.html", {"grants": selectors.reviewable(request.user)[:200],
                                                   "now": timezone.now()})


@login_required
@require_POST
def close_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    require_capability(request.user, Capability.REVIEW_BREAK_GLASS)
    grant = selectors.reviewable(request.user).filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    attempt(request, lambda: breakglass.close_break_glass_review(
        actor=request.user, grant=grant, justified=request.POST.get("justified") == "yes",
        note=request.POST.get("note", "")), _("Review recorded."))
    return redirect("people:reviews")


@login_required
@require_GET
def snooping_report(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_SNOOPING_REPORT)
    raw = request.GET.get("days", "")
    days = int(raw) if re.fullmatch(r"[0-9]{1,3}", raw) else 7
    days = min(max(days, 1), 90)
    report = snooping.build(viewer=request.user, since=timezone.now() - dt.timedelta(days=days))
    return render(request, "people/snooping.html", {"report": report, "days": days,
                                                    "bulk": snooping.BULK_CASES_PER_HOUR,
                                                    "spike": snooping.SPIKE_READERS_PER_DAY})


@login_required
@require_POST
def seal(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    attempt(request, lambda: sealing.seal_case(actor=request.user, case=case, roles=request.POST.getlist("roles"),
                                               reason=request.POST.get("reason", ""),
                                               legal_reference=request.POST.get("legal_reference", "")),
            _("The record is sealed."))
    return redirect(reverse("cases:detail", args=[case.pk]))
