from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from lantern.accounts.signin import record_sign_out
from lantern.core.errors import NotAuthenticated
from lantern.core.http import is_api

LAST_SEEN = "lantern_last_seen"


class IdleTimeoutMiddleware:
    """Signs a browser session out after LANTERN_IDLE_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.LANTERN_IDLE_MINUTES * 60:
                return self._sign_out(request)
            request.session[LAST_SEEN] = now
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest) -> HttpResponse:
        record_sign_out(user=request.user, reason="idle")
        logout(request)
        if is_api(request):
            return JsonResponse(NotAuthenticated().as_dict(), status=401)
        url = reverse("accounts:login") + "?idle=1"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
