"""Referral pages: the partner agency's workspace (its referrals, nothing else), the
police's referral form and consent withdrawal on the case page, and the unit's list of
family questions and referrals waiting on the police."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import Capability, get_visible, require_capability
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.selectors import case_for
from lantern.core.refusals import attempt
from lantern.referrals import selectors, services
from lantern.referrals.models import Consent


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.PARTNER_WORKSPACE)
    buckets = selectors.dashboard(request.user)
    return render(request, "referrals/workspace.html", {
        "buckets": [(key, selectors.BUCKET_TITLES[key], rows) for key, rows in buckets.items()]})


@login_required
@require_GET
def detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_visible(request.user, selectors.visible(request.user), pk=referral_id)
    data, partner = selectors.read(referral, request.user)
    if partner:  # the partner reads a pseudonym and a contact route: recorded like any read of a case's people
        record(actor=request.user, action=Event.REFERRAL_READ, obj=referral.case, details={"referral": referral.pk})
    return render(request, "referrals/detail.html", {"r": data, "partner": partner})


def _back(request: HttpRequest, referral_id: int) -> HttpResponse:
    return redirect("referrals:detail", referral_id=referral_id)


@login_required
@require_POST
def move(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_visible(request.user, selectors.visible(request.user), pk=referral_id)
    attempt(request, lambda: services.move_referral(actor=request.user, referral=referral,
                                                    to=request.POST.get("status", ""),
                                                    reason=request.POST.get("reason", "")), _("Referral updated."))
    return _back(request, referral_id)


@login_required
@require_POST
def note(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_visible(request.user, selectors.visible(request.user), pk=referral_id)
    attempt(request, lambda: services.add_referral_note(actor=request.user, referral=referral,
                                                        text=request.POST.get("text", "")))
    return _back(request, referral_id)


@login_required
@require_POST
def refer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    post = request.POST
    service, _sep, partner = post.get("partner_service", "").partition("|")  # the page's one select
    attempt(request, lambda: services.refer_with_consent(
        actor=request.user, case=case, service=post.get("service", service), partner_code=post.get("partner", partner),
        given_by=post.get("given_by", ""), shared=post.getlist("shared"), need=post.get("need", ""),
        contact_route=post.get("contact_route", ""), contact_detail=post.get("contact_detail", "")),
        _("Consent recorded and referral sent; the partner's first-contact clock runs."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#referrals")


@login_required
@require_POST
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = get_visible(request.user, Consent.objects.select_related("case"), pk=consent_id)
    attempt(request, lambda: services.withdraw_consent(actor=request.user, consent=consent),
            _("Consent withdrawn: the partner no longer sees the referral."))
    return redirect(reverse("cases:detail", args=[consent.case_id]) + "#referrals")
