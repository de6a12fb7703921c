"""Pages: the figures dashboard (filters, the figures with their definitions, a monthly
trend and a comparison of units, CSV and XLSX of what is shown) and the campaigns list
with its create form and close buttons. The same selectors and actions as the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import Capability, has_capability, require_capability
from lantern.accounts.models import Unit
from lantern.campaigns import actions, dashboard, selectors
from lantern.campaigns.models import Priority
from lantern.campaigns.rules import unit_level_ok
from lantern.core.errors import BadInput, LanternError
from lantern.core.exports import csv_response, xlsx_response
from lantern.core.refusals import attempt, report_refusal


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_STATISTICS)
    try:
        context = dashboard.page(request.user, request.GET)
    except LanternError as exc:
        if exc.status == 403 or exc.status == 404:
            raise
        report_refusal(request, exc)
        context = dashboard.page(request.user, {})
    return render(request, "campaigns/dashboard.html", context)


def _export(request: HttpRequest) -> tuple[list[str], list[list[Any]]]:
    require_capability(request.user, Capability.READ_STATISTICS)
    return dashboard.export_rows(request.user, request.GET)


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    header, rows = _export(request)
    return csv_response(header, rows, f"figures-{dt.date.today():%Y%m%d}.csv")


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    header, rows = _export(request)
    return xlsx_response(header, rows, f"figures-{dt.date.today():%Y%m%d}.xlsx", title=_("Figures"))


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaigns_for(request.user))
    may_manage = has_capability(request.user, Capability.MANAGE_CAMPAIGNS) and unit_level_ok(request.user)
    units = dashboard.scope_units(request.user) if may_manage else []
    return render(request, "campaigns/list.html", {"campaigns": campaigns, "may_manage": may_manage,
                                                   "units": units, "priorities": Priority.choices})


def _day(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(_("Enter the date as YYYY-MM-DD."), details={field: [_("Enter the date as YYYY-MM-DD.")]}) \
            from None


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_CAMPAIGNS)
    def act() -> None:
        unit = Unit.objects.filter(pk=request.POST.get("unit_id") or 0).first()
        if unit is None:
            raise BadInput(_("Choose the unit the campaign covers."))
        actions.create_campaign(actor=request.user, name=request.POST.get("name", ""),
                                starts_on=_day(request.POST.get("starts_on", ""), "starts_on"),
                                ends_on=_day(request.POST.get("ends_on", ""), "ends_on"), unit=unit,
                                priorities=request.POST.getlist("priorities"))

    attempt(request, act, _("Campaign created."))
    return redirect("campaigns:list")


@login_required
@require_POST
def close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_for(request.user, campaign_id)
    attempt(request, lambda: actions.close_campaign(actor=request.user, campaign=campaign), _("Campaign closed."))
    return redirect("campaigns:list")
