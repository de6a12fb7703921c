"""Pages of the evidence standard: the templates in force and the drafts, one version with
its items and approvals (and the approve button for those whose side has not approved),
two versions side by side, and the drafting form. The same selectors and actions as the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantern.access.policy import Capability, has_capability, require_capability
from lantern.core.errors import LanternError, ValidationFailed
from lantern.core.refusals import attempt, report_refusal
from lantern.standards import actions, selectors
from lantern.standards.law import OFFENCES, Offence, band_label
from lantern.standards.models import Satisfier, TemplateStatus
from lantern.standards.rules import provincial, side_of

NEW_ROWS = 2  # blank item rows on the drafting form


@login_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    return render(request, "standards/list.html", {
        "in_force": [selectors.template_json(t, with_items=False) for t in selectors.templates_in_force(request.user)],
        "drafts": [selectors.template_json(t, with_items=False) for t in selectors.drafts(request.user)],
        "may_draft": has_capability(request.user, Capability.DRAFT_STANDARDS) and provincial(request.user)})


@login_required
@require_GET
def detail(request: HttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_for(request.user, template_id)
    side = side_of(request.user)
    return render(request, "standards/detail.html", {
        "t": selectors.template_json(template), "template": template,
        "versions": selectors.versions_of(template, request.user),
        "may_approve": side is not None and template.status == TemplateStatus.DRAFT
        and not template.approvals.filter(side=side).exists()})


@login_required
@require_POST
def approve(request: HttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_for(request.user, template_id)
    attempt(request, lambda: actions.approve_template(actor=request.user, template=template),
            _("Your approval is recorded."))
    return redirect("standards:detail", template_id)


@login_required
@require_GET
def diff(request: HttpRequest, template_id: int, other_id: int) -> HttpResponse:
    old = selectors.template_for(request.user, other_id)
    new = selectors.template_for(request.user, template_id)
    return render(request, "standards/diff.html", {
        "old": selectors.template_json(old, with_items=False), "new": selectors.template_json(new, with_items=False),
        "rows": selectors.diff(old, new)})


def _posted_items(post: Any) -> list[dict[str, Any]]:
    """The form's item rows, in order; a row without a key is left out (a blank row, or one removed)."""
    rows = []
    for n in post.getlist("row"):
        key = post.get(f"key_{n}", "").strip()
        if not key or post.get(f"remove_{n}"):
            continue
        rows.append({"key": key, "satisfied_by": post.getlist(f"satisfied_by_{n}"),
                     **{f: post.get(f"{f}_{n}", "").strip() for f in ("title_zh", "title_en", "guidance_zh",
                                                                      "guidance_en", "clock", "legal_reference")}})
    return rows


def _draft_from(request: HttpRequest) -> Any:
    post = request.POST
    text = post.get("effective_from", "")
    effective_from = parse_date(text) if _is_date(text) else None
    if effective_from is None:
        raise ValidationFailed(details={"effective_from": [_("Must be a date as YYYY-MM-DD.")]})
    return actions.draft_template(actor=request.user, offence=post.get("offence", ""),
                                  age_band=post.get("age_band", ""), effective_from=effective_from,
                                  note=post.get("note", ""), items=_posted_items(post))


def _is_date(text: str | None) -> bool:
    try:
        return bool(text) and parse_date(text) is not None
    except ValueError:  # well formed, no such day
        return False


@login_required
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest) -> HttpResponse:
    """A new version, starting from the one in force for the chosen offence and age band."""
    require_capability(request.user, Capability.DRAFT_STANDARDS)
    if request.method == "POST" and "items_ready" in request.POST:
        try:
            template = _draft_from(request)
        except LanternError as exc:
            report_refusal(request, exc)
        else:
            return redirect("standards:detail", template.pk)
    base = _base(request)
    return render(request, "standards/draft.html", {
        "offences": Offence.choices, "bands": [(b, band_label(b)) for b in selectors.BANDS], "base": base,
        "rows": [*(base["items"] if base else []), *([{}] * NEW_ROWS)], "satisfiers": Satisfier.choices,
        "clocks": [(c, selectors.clock_label(c)) for c in actions.ITEM_CLOCKS], "chosen": request.POST or request.GET})


def _base(request: HttpRequest) -> dict[str, Any] | None:
    params = request.POST or request.GET
    offence, band = params.get("offence", ""), params.get("age_band", "")
    if offence not in OFFENCES or band not in OFFENCES[offence].bands:
        return None
    template = selectors.in_force(offence=offence, age_band=band, division=request.user.unit.division_code
                                  if request.user.unit else "", on=timezone.localdate())
    return selectors.template_json(template) if template else None
