from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from lantern.core import context
from lantern.core.errors import LanternError
from lantern.core.http import is_api
from lantern.core.vault import redaction
from lantern.core.views import render_error


class RequestContextMiddleware:
    """Sets the origin (source address, request id) that audit entries record, and the
    scope in which the log filter knows which identities this request has seen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        source = request.META.get("REMOTE_ADDR") or "unknown"
        with context.origin(source, request_id), redaction.request_scope():
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def _from_accept_language(header: str) -> str | None:
    for code, _q in translation.trans_real.parse_accept_lang_header(header):
        if code != "*" and (found := _supported(code)):
            return found
    return None


def choose_language(request: HttpRequest) -> str:
    """Pages: the header switch (a cookie), else Simplified Chinese.
    API: Accept-Language, else the cookie, else Simplified Chinese.

    Pages ignore the browser's Accept-Language on purpose: workstations are shared and the
    interface language is a choice made with the switch, defaulting to Chinese."""
    cookie = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if is_api(request):
        header = _from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        return header or cookie or settings.LANGUAGE_CODE
    return cookie or settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = choose_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


class DomainErrorMiddleware:
    """Renders a LanternError raised by a page view as a page in the user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, LanternError) and not is_api(request):
            return render_error(request, exc)
        return None


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",  # every script is a local file: no inline code, no CDN
    "style-src 'self' 'unsafe-inline'",  # htmx and the API docs set inline styles
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy, and no caching of anything but static files:
    case pages must not linger in a shared workstation's browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            response.headers["Cache-Control"] = "no-store, private"
        return response
