"""Error pages: a LanternError, or Django's own 400/403/404/500, rendered in the user's
language as a page, or as the API's error JSON under /api/."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lantern.core import errors
from lantern.core.http import is_api


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
