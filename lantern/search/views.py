"""The search results page (/search/?q=), behind the search box in every page's header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantern.access.policy import Capability, require_capability
from lantern.search import services

MAX_LENGTH = 100


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.WORK_CASES)
    query = request.GET.get("q", "").strip()
    error, found = "", None
    if len(query) > MAX_LENGTH:
        error = _("Too long: at most %(n)s characters.") % {"n": MAX_LENGTH}
    elif query:
        found = services.search_cases(actor=request.user, query=query)
    response = render(request, "search/results.html", {"query": query, "found": found, "error": error},
                      status=422 if error else 200)
    # The address holds what was typed: a case page opened from here is not told it.
    response["Referrer-Policy"] = "no-referrer"
    return response
