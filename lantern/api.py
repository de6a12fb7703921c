"""The JSON API under /api/v1/ (Django Ninja, OpenAPI 3 at /api/v1/openapi.json).

Every error leaves here in one shape:
    {"error": {"code": "...", "message": "...", "details": {...}}}
with the message in the request's language (Accept-Language; Chinese by default).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from lantern.accounts.signin import user_for_token
from lantern.core import errors
from lantern.core.http import is_json, refuse_nul

logger = logging.getLogger("lantern.api")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """A browser session that completed both sign-in steps (CSRF checked on writes)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # No signed-in session means not authenticated (401): the CSRF check protects a
        # session, so it comes after, and refuses (403) only a session's forged write.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class JsonBodies(Parser):
    """A JSON endpoint reads a JSON object only: another content type is refused (415), not
    guessed, and a body that is not an object is a 422."""

    def parse_body(self, request: HttpRequest) -> Any:
        if not is_json(request.content_type or ""):
            raise errors.UnsupportedMediaType(details={"content_type": [
                _("Not JSON: %(type)s.") % {"type": (request.content_type or "-")[:100]}]})
        body = super().parse_body(request)
        if not isinstance(body, dict):  # Ninja would read the fields of a list as all missing
            raise errors.ValidationFailed(details={"body": [_("Send a JSON object.")]})
        refuse_nul(body)
        return body



ERROR_SCHEMA = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"], "additionalProperties": False,
        "properties": {"code": {"type": "string", "description": "snake_case, stable"},
                       "message": {"type": "string", "description": "in the request's language"},
                       "details": {"type": "object", "description": "the bad fields, or unmet: [...] for 409"}}}},
}
ERROR_TEXT_BY_STATUS = {
    400: "Bad input: the body is not valid JSON or multipart, or the address holds a NUL character",
    401: "Not authenticated (WWW-Authenticate: Bearer)",
    403: "Authenticated, but not permitted to do this",
    404: "No such object, or one you may not see",
    409: "A guard or state conflict: details.unmet lists the unmet conditions",
    413: "The body is larger than the limit (details.limit_bytes); nothing was stored",
    415: "The body is not JSON",
    422: "Some fields are not valid: details names each",
    429: "Too many requests",
}


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error answers an operation can give, from what it takes (see API.md)."""
    statuses = [401]
    secured = bool(operation.get("security"))
    body = operation.get("requestBody", {}).get("content", {})
    if secured:
        statuses += [403, 404]
    if operation.get("parameters") or body:
        statuses += [400, 422]
    if body:
        statuses.append(413)
        if any(is_json(media) for media in body):
            statuses.append(415)
    if method != "get":
        statuses.append(429)
        if secured:
            statuses.append(409)
    return sorted(statuses)


def document_errors(schema: OpenAPISchema) -> OpenAPISchema:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            for status in error_statuses(method, operation):
                operation["responses"].setdefault(status, {"description": ERROR_TEXT_BY_STATUS[status],
                                                           "content": reference})
    return schema


class LanternAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = LanternAPI(
    title="Lantern API",
    version="1",
    description="Case management and oversight for sexual-violence cases. "
                "Errors: {\"error\": {\"code\", \"message\", \"details\"}}.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    parser=JsonBodies(),
)


def _render(request: HttpRequest, exc: errors.LanternError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _field_name(loc: list[Any]) -> str:
    # ("body", "payload", "victim", "name") -> "victim.name"; ("query", "limit") -> "limit"
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _ctx(error: dict[str, Any], key: str) -> Any:
    return error.get("ctx", {}).get(key, "")


ERROR_TEXT = {
    "missing": lambda e: _("This field is required."),
    "string_too_long": lambda e: _("Too long: at most %(n)s characters.") % {"n": _ctx(e, "max_length")},
    "string_too_short": lambda e: _("Too short: at least %(n)s characters.") % {"n": _ctx(e, "min_length")},
    "string_type": lambda e: _("Must be text."),
    "int_parsing": lambda e: _("Must be a whole number."),
    "date_from_datetime_parsing": lambda e: _("Must be a date as YYYY-MM-DD."),
    "date_parsing": lambda e: _("Must be a date as YYYY-MM-DD."),
    "datetime_parsing": lambda e: _("Must be a time in ISO 8601 with an offset."),
    "datetime_from_date_parsing": lambda e: _("Must be a time in ISO 8601 with an offset."),
    "datetime_type": lambda e: _("Must be a time in ISO 8601 with an offset."),
    "timezone_aware": lambda e: _("Must be a time in ISO 8601 with an offset, such as 2024-05-01T09:30:00+08:00."),
    "date_type": lambda e: _("Must be a date as YYYY-MM-DD."),
    "enum": lambda e: _("Not one of the allowed values: %(allowed)s.") % {"allowed": _ctx(e, "expected")},
    "literal_error": lambda e: _("Not one of the allowed values: %(allowed)s.") % {"allowed": _ctx(e, "expected")},
}


def _message(error: dict[str, Any]) -> str:
    translate = ERROR_TEXT.get(error.get("type", ""))
    if translate:
        return str(translate(error))
    msg = str(error.get("msg", ""))
    return msg.removeprefix("Value error, ")


@api.exception_handler(errors.LanternError)
def on_domain_error(request: HttpRequest, exc: errors.LanternError) -> HttpResponse:
    return _render(request, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details: dict[str, list[str]] = {}
    for error in exc.errors:
        details.setdefault(_field_name(list(error.get("loc", []))), []).append(_message(error))
    return _render(request, errors.ValidationFailed(details=details))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _render(request, errors.NotAuthenticated())


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, errors.LanternError):  # raised while Ninja read the body
        return _render(request, exc.__cause__)
    if exc.status_code == 400:
        return _render(request, errors.BadInput(_("The request body is not valid JSON."),
                                                details={"body": [_("Send a JSON object.")]}))
    by_status = {401: errors.NotAuthenticated, 403: errors.PermissionDenied,
                 404: errors.NotFound, 429: errors.RateLimited}
    return _render(request, by_status.get(exc.status_code, errors.BadInput)())


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _render(request, errors.NotFound())


@api.exception_handler(DjangoPermissionDenied)
def on_permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return _render(request, errors.PermissionDenied())


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # The fields of a multipart body beside its files (the body's size was checked earlier).
    return _render(request, errors.RequestTooLarge(details={"limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_bad_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _render(request, errors.BadInput(
        _("The multipart body could not be read."),
        details={"body": [_("Send multipart/form-data with a boundary parameter.")]}))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Log the type only: exception text can carry submitted values.
    logger.error("unexpected %s in API request %s", type(exc).__name__,
                 request.headers.get("X-Request-ID", ""), exc_info=False)
    error = errors.LanternError(_("Something went wrong on our side. Nothing was changed; "
                                  "try again, and tell your administrator if it happens again."))
    error.code, error.status = "server_error", 500
    return _render(request, error)


def _mount_routers() -> None:
    from lantern.accounts.api import router as accounts_router
    from lantern.audit.api import router as audit_router
    from lantern.cases.api import router as cases_router
    from lantern.evidence.api import router as evidence_router
    from lantern.intake import api as intake_api  # noqa: F401  (its operations join the cases router)
    from lantern.notifications.api import router as inbox_router
    from lantern.oversight.api import router as oversight_router
    from lantern.people.api import router as people_router
    from lantern.portal.api import portal_router
    from lantern.portal.api import router as questions_router
    from lantern.referrals.api import router as referrals_router

    api.add_router("/", accounts_router)
    api.add_router("/", cases_router)
    api.add_router("/", people_router)
    api.add_router("/", evidence_router)
    api.add_router("/", oversight_router)
    api.add_router("/", referrals_router)
    api.add_router("/", questions_router)
    api.add_router("/", portal_router)
    api.add_router("/", inbox_router)
    api.add_router("/audit/", audit_router)
    api.add_router("/", "lantern.search.api.router")
    api.add_router("/", "lantern.linkage.api.router")
    api.add_router("/", "lantern.discipline.api.router")
    api.add_router("/", "lantern.campaigns.api.router")
    api.add_router("/", "lantern.institutions.api.router")
    api.add_router("/", "lantern.standards.api.router")


_mount_routers()
