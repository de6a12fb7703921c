"""The search results page (/search/?q=), behind the search box in every page's header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lantern.access.policy import Capability, require_capability
from lantern.core.errors import ValidationFailed
from lantern.search import services


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.WORK_CASES)
    query = request.GET.get("q", "").strip()
    error, found = "", None
    if query:
        try:
            found = services.search_cases(actor=request.user, query=query)
        except ValidationFailed as exc:
            error = " ".join(exc.details["q"])
    response = render(request, "search/results.html", {"query": query, "found": found, "error": error},
                      status=422 if error else 200)
    # The address holds what was typed: a case page opened from here is not told it.
    response["Referrer-Policy"] = "no-referrer"
    return response
