from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from lantern.core import context, errors, memo
from lantern.core.errors import LanternError
from lantern.core.http import is_api
from lantern.core.vault import redaction
from lantern.core.views import render_error


def client_address(request: HttpRequest) -> str:
    """The client's address, as audit entries and per-address limits need it. Behind the TLS
    proxy every request comes from the proxy, which overwrites X-Real-IP with the address it
    saw (deploy/nginx.conf.in); without the proxy that header is the client's to forge."""
    if settings.BEHIND_TLS_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"][:64]
    return request.META.get("REMOTE_ADDR") or "unknown"


class RequestContextMiddleware:
    """Sets the origin (source address, request id) that audit entries record, and the
    scope in which the log filter knows which identities this request has seen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        source = client_address(request)
        with (context.origin(source, request_id), redaction.request_scope(),
              memo.read_only_request(request.method in ("GET", "HEAD"))):
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


# Request bodies. Evidence uploads are the only large ones; everything else is a form or a
# JSON document of a few kilobytes.
MULTIPART_ENVELOPE = 1024 * 1024  # the form fields and part headers around the file
DRAIN_LIMIT = 64 * 1024 * 1024  # past this much, the connection is closed unread
CHUNK = 64 * 1024
MAX_TARGET_LENGTH = 4094  # path and query, as gunicorn's default request-line limit
# RFC 2046 5.1.1: 1 to 70 characters of this alphabet, not ending in a space.
BOUNDARY = re.compile(r"^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$")


def body_limit(request: HttpRequest) -> int:
    """The largest body Lantern reads for this request, in bytes."""
    if request.content_type == "multipart/form-data":
        return settings.LANTERN_EVIDENCE_MAX_MB * 1024 * 1024 + MULTIPART_ENVELOPE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or ""), 0)
    except ValueError:
        return None


def _is_chunked(request: HttpRequest) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


def _drain(stream: object, length: int | None) -> None:
    """Read and discard what the client is still sending, so that it reads the refusal
    instead of a reset connection. A client that asked "Expect: 100-continue" is waiting
    for the answer and sends nothing: it is not read."""
    remaining = DRAIN_LIMIT if length is None else min(length, DRAIN_LIMIT)
    read = getattr(stream, "read", None)
    while read is not None and remaining > 0:
        data = read(min(CHUNK, remaining))
        if not data:
            break
        remaining -= len(data)


class RequestLimitsMiddleware:
    """Refuses, before any view reads it, a request Lantern will not handle: a body over
    the limit (413, Content-Length or a chunked body counted as it arrives), a multipart
    body without a valid boundary (400) or an over-long address (414). Each answer has
    the error shape under /api/ and is a page elsewhere; nothing has been stored.

    Under /api/ it also keeps the contract for answers Django and Ninja make themselves:
    a 405 gets the error shape, and every 401 names the Bearer scheme."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        response = refusal if refusal is not None else self.get_response(request)
        if is_api(request):
            response = api_contract(request, response)
        return response

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if len(request.get_full_path()) > MAX_TARGET_LENGTH:
            return render_error(request, errors.UriTooLong(
                details={"limit_characters": MAX_TARGET_LENGTH}))
        if "%00" in request.META.get("QUERY_STRING", ""):  # PostgreSQL cannot store or compare a NUL
            return render_error(request, errors.BadInput(
                _("The address contains a NUL character (%00). Remove it and try again."),
                details={"query": [_("Remove the NUL character.")]}))
        limit = body_limit(request)
        length = _declared_length(request)
        if length is not None and length > limit:
            if request.META.get("HTTP_EXPECT", "").lower() != "100-continue":
                _drain(request.environ.get("wsgi.input"), length)
            return too_large(request, limit)
        if length is None and _is_chunked(request):
            body = request.environ["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                _drain(request.environ["wsgi.input"], None)
                return too_large(request, limit)
            # Django reads a body by its Content-Length only: hand it the counted body.
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        if request.content_type == "multipart/form-data" and request.method not in {"GET", "HEAD"}:
            boundary = request.content_params.get("boundary", "")
            if not BOUNDARY.match(boundary):
                return render_error(request, errors.BadInput(
                    _("The multipart body has no valid boundary (1 to 70 characters)."),
                    details={"body": [_("Send multipart/form-data with a boundary parameter.")]}))
        return None


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    return render_error(request, errors.RequestTooLarge(details={"limit_bytes": limit}))


def api_contract(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
        allowed = response.get("Allow", "")
        methods = [m.strip() for m in allowed.split(",") if m.strip()]
        response = render_error(request, errors.MethodNotAllowed(details={"allowed": methods}))
        response["Allow"] = allowed
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="lantern"')
    return response
