"""Pages: a network drawn whole, the networks of a jurisdiction, the review queue of person
matches, and break-glass into a linked case one may not open (the link, not its number,
says which case: the number is not disclosed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import Capability, require_capability
from lantern.cases.selectors import case_for
from lantern.core.errors import LanternError
from lantern.core.refusals import attempt, report_refusal
from lantern.linkage import matches, selectors
from lantern.linkage.models import Network, PersonMatch
from lantern.people import breakglass


@login_required
@require_GET
def network(request: HttpRequest, network_id: int) -> HttpResponse:
    found = get_object_or_404(Network, pk=network_id)
    if not selectors.may_see_network(request.user, found):
        raise Http404
    graph = selectors.graph(request.user, found)
    selectors.disclose_network(request.user, found, graph)
    return render(request, "linkage/network.html", {"network": found, "graph": graph,
                                                    "cases": [n for n in graph["nodes"] if n["type"] == "case"]})


@login_required
@require_GET
def networks(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_NETWORKS)
    order = "growth" if request.GET.get("order") == "growth" else "size"
    rows = selectors.network_rows(request.user, order=order)
    widest = max([r["cases"] for r in rows], default=1)
    fastest = max([r["joined_recently"] for r in rows], default=1) or 1
    for r in rows:
        r["size_pct"], r["growth_pct"] = round(100 * r["cases"] / widest), round(100 * r["joined_recently"] / fastest)
    return render(request, "linkage/networks.html", {"rows": rows, "order": order, "days": selectors.GROWTH_DAYS})


@login_required
@require_GET
def match_queue(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.REVIEW_MATCHES)
    model = selectors.model_chart()
    return render(request, "linkage/matches.html", {"queue": selectors.queue_rows(request.user),
                                                    "model_chart": model, "libraries": model["libraries"]})


@login_required
@require_POST
def decide_match(request: HttpRequest, match_id: int, verdict: str) -> HttpResponse:
    require_capability(request.user, Capability.REVIEW_MATCHES)
    match = get_object_or_404(PersonMatch, pk=match_id)
    if not matches.may_review(request.user, match):
        raise Http404
    act = matches.confirm_match if verdict == "confirm" else matches.reject_match
    attempt(request, lambda: act(actor=request.user, match=match, reason=request.POST.get("reason", "")),
            _("Match confirmed: the cases are linked.") if verdict == "confirm" else _("Match rejected."))
    return redirect("linkage:matches")


@login_required
@require_POST
def break_glass(request: HttpRequest, case_id: int, position: int) -> HttpResponse:
    """Break-glass into the ``position``-th linked case of a case one may see."""
    case = case_for(request.user, case_id)
    require_capability(request.user, Capability.BREAK_GLASS)
    links = selectors.links_of(request.user, case)
    if not 1 <= position <= len(links):
        raise Http404
    target = links[position - 1].case
    if links[position - 1].visible:  # opened to the user meanwhile: no glass to break
        return redirect("cases:detail", case_id=target.pk)
    try:
        grant = breakglass.open_break_glass(actor=request.user, case_number=target.case_number,
                                            reason=request.POST.get("reason", ""), code=request.POST.get("code", ""))
    except LanternError as exc:
        report_refusal(request, exc)
        return redirect("cases:detail", case_id=case.pk)
    messages.warning(request, _("Break-glass access is open until %(until)s. Your supervisor has been told.")
                     % {"until": timezone.localtime(grant.expires_at).strftime("%H:%M")})
    return redirect("cases:detail", case_id=grant.case_id)
