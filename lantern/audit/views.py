from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lantern.access.policy import Capability, Verb, require_capability, scope
from lantern.audit.models import AuditEntry


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_AUDIT)
    entries = scope(request.user, Verb.VIEW, AuditEntry.objects.all()).order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "audit/_entries.html" if request.htmx else "audit/list.html"
    return render(request, template, {"page": page, "action": action})
