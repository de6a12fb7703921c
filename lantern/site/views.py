from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lantern.access.roles import ROLE_RULES
from lantern.site.home import panels_for, tiles_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roles = sorted(request.user.role_set, key=lambda r: list(ROLE_RULES).index(r))
    return render(request, "site/home.html", {
        "roles": [(role, ROLE_RULES[role]) for role in roles],
        "panels": panels_for(request.user),
        "tiles": tiles_for(request.user),
    })
