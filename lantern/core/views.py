from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantern.accounts.roles import ROLE_RULES
from lantern.core import errors
from lantern.core.home import panels_for
from lantern.core.middleware import is_api


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roles = sorted(request.user.role_set, key=lambda r: list(ROLE_RULES).index(r))
    return render(request, "core/home.html", {
        "roles": [(role, ROLE_RULES[role]) for role in roles],
        "panels": panels_for(request.user),
    })


def render_error(request: HttpRequest, exc: errors.LanternError) -> HttpResponse:
    if is_api(request):
        return JsonResponse(exc.as_dict(), status=exc.status)
    return render(request, "core/error.html", {"error": exc}, status=exc.status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, errors.BadInput())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, errors.PermissionDenied())


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, errors.NotFound())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render_error(request, errors.PermissionDenied(
        _("This form has expired or did not come from Lantern. Reload the page and try again.")))


def server_error(request: HttpRequest) -> HttpResponse:
    exc = errors.LanternError()
    exc.status, exc.code = 500, "server_error"
    return render_error(request, exc)
