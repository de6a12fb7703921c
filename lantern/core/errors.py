"""Domain errors: each carries a code, a translated message and an HTTP status.

One handler renders them for the API (lantern.api) and one for pages (core.views).
Messages never contain personal data: they name fields and conditions, not values.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class LanternError(Exception):
    code = "error"
    status = 400
    default_message: Any = _("The request could not be processed.")

    def __init__(self, message: Any = None, *, details: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        self.details = details or {}
        super().__init__(str(self.code))

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": str(self.message), "details": self.details}}


class BadInput(LanternError):
    code = "bad_input"
    status = 400
    default_message = _("The request is not valid. Correct the fields named in details.")


class ValidationFailed(LanternError):
    code = "validation_failed"
    status = 422
    default_message = _("Some fields are not valid. Correct the fields named in details.")


class NotAuthenticated(LanternError):
    code = "not_authenticated"
    status = 401
    default_message = _("Sign in first: this needs an authenticated user.")


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    default_message = _("Wrong username or password.")


class InvalidSecondFactor(NotAuthenticated):
    code = "invalid_second_factor"
    default_message = _(
        "The verification code is not correct. Enter the current code from your authenticator app."
    )


class AccountLocked(NotAuthenticated):
    code = "account_locked"
    default_message = _(
        "This account is locked after repeated failed sign-ins. "
        "Ask your administrator to unlock it."
    )


class PermissionDenied(LanternError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not permitted to do this.")


class NotFound(LanternError):
    code = "not_found"
    status = 404
    default_message = _("Not found: there is no such object, or you may not see it.")


class Conflict(LanternError):
    """A guard failed or the state does not allow the action; details.unmet lists why."""

    code = "conflict"
    status = 409
    default_message = _("This cannot be done now: some conditions are not met.")

    def __init__(self, message: Any = None, *, unmet: list[dict[str, str]] | None = None,
                 details: dict[str, Any] | None = None):
        details = dict(details or {})
        details["unmet"] = unmet or []
        super().__init__(message, details=details)


class RateLimited(LanternError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Wait a moment and try again.")


class MethodNotAllowed(LanternError):
    code = "method_not_allowed"
    status = 405
    default_message = _("This address does not accept this method.")


class RequestTooLarge(LanternError):
    code = "request_too_large"
    status = 413
    default_message = _("The request is too large. Nothing was stored: send a smaller request.")


class UriTooLong(LanternError):
    code = "uri_too_long"
    status = 414
    default_message = _("The address is too long. Shorten the query.")


class UnsupportedMediaType(LanternError):
    code = "unsupported_media_type"
    status = 415
    default_message = _("Send the body as JSON (Content-Type: application/json).")
