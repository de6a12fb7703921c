"""Signing in: password, second factor, lockout, API tokens.

The lockout refuses new sign-ins, at both steps, until an administrator unlocks the
account; sessions and API tokens already issued keep working (access.policy), since the
failures that lock an account can come from anyone who knows the username.

These are actions like any other, but a failed attempt is an outcome, not an exception:
the attempt and its audit entry must commit even though the sign-in fails, so each
action returns a result and the caller (page or API) turns a failure into its error.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from lantern.accounts import totp
from lantern.accounts.models import ApiToken, LoginAttempt, RecoveryCode, User
from lantern.audit.events import Event
from lantern.audit.models import Outcome
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.context import current_origin

RECOVERY_CODE_COUNT = 10


class Result(enum.Enum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_SECOND_FACTOR = "bad_second_factor"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignIn:
    result: Result
    user: User | None = None

    @property
    def ok(self) -> bool:
        return self.result is Result.OK


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _window_start(user: User | None) -> dt.datetime:
    start = timezone.now() - dt.timedelta(minutes=settings.LANTERN_LOCKOUT_WINDOW_MINUTES)
    if user is not None and user.failures_reset_at and user.failures_reset_at > start:
        return user.failures_reset_at
    return start


def _recent_failures(username: str, user: User | None) -> int:
    return LoginAttempt.objects.filter(
        username=_key(username), succeeded=False, at__gte=_window_start(user)
    ).count()


def _is_locked(username: str, user: User | None) -> bool:
    if user is not None:
        return user.is_locked
    # An unknown username behaves like a real one: locked after the same number of
    # failures, so the lockout message does not tell whether an account exists.
    return _recent_failures(username, None) >= settings.LANTERN_LOCKOUT_FAILURES


def _fail(username: str, user: User | None, stage: str, reason: Result) -> SignIn:
    LoginAttempt.objects.create(username=_key(username), at=timezone.now(), succeeded=False,
                                stage=stage, source=current_origin().source[:64])
    record(actor=user, action=Event.ACCOUNT_SIGN_IN, obj=user, outcome=Outcome.FAILURE,
           object_type="accounts.user", details={"stage": stage, "reason": reason.value})
    if user is not None and _recent_failures(username, user) >= settings.LANTERN_LOCKOUT_FAILURES:
        User.objects.filter(pk=user.pk).update(locked_at=timezone.now())
        record(actor=None, action=Event.ACCOUNT_LOCKED, obj=user,
               details={"failures": settings.LANTERN_LOCKOUT_FAILURES})
        return SignIn(Result.LOCKED, user)
    return SignIn(reason, user)


def _locked(username: str, user: User | None, stage: str) -> SignIn:
    record(actor=user, action=Event.ACCOUNT_SIGN_IN, obj=user, outcome=Outcome.DENIED,
           object_type="accounts.user", details={"stage": stage, "reason": "locked"})
    return SignIn(Result.LOCKED, user)


@action
def attempt_password(*, username: str, password: str) -> SignIn:
    """First step. The user row is locked for the rest of the transaction so that
    concurrent attempts are counted one after another."""
    user = User.objects.select_for_update().filter(username=username.strip()).first()
    if _is_locked(username, user):
        return _locked(username, user, "password")
    if user is None or not user.is_active:
        make_password(password)  # the same work as a real check: no timing difference
        return _fail(username, None if user is None else user, "password", Result.BAD_CREDENTIALS)
    if not user.check_password(password):
        return _fail(username, user, "password", Result.BAD_CREDENTIALS)
    return SignIn(Result.OK, user)


def _use_recovery_code(user: User, code: str) -> bool:
    for candidate in user.recovery_codes.filter(used_at__isnull=True):
        if check_password(code.strip().lower(), candidate.code_hash):
            RecoveryCode.objects.filter(pk=candidate.pk).update(used_at=timezone.now())
            record(actor=user, action=Event.ACCOUNT_RECOVERY_CODE_USED, obj=user)
            return True
    return False


def _use_totp(user: User, code: str) -> bool:
    step = totp.matching_step(user.totp_secret, code, timezone.now())
    if step is None or step <= user.totp_last_step:
        return False
    User.objects.filter(pk=user.pk).update(totp_last_step=step)
    return True


@action
def attempt_second_factor(*, user: User, code: str) -> SignIn:
    """Second step: a TOTP code, or one of the user's unused recovery codes."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked:
        return _locked(user.username, user, "second_factor")
    if not user.has_second_factor:
        return _fail(user.username, user, "second_factor", Result.BAD_SECOND_FACTOR)
    looks_like_recovery = "-" in code or len(code.strip()) > 6
    verified = _use_recovery_code(user, code) if looks_like_recovery else _use_totp(user, code)
    if not verified:
        return _fail(user.username, user, "second_factor", Result.BAD_SECOND_FACTOR)
    return SignIn(Result.OK, user)


@action
def complete_sign_in(*, user: User, channel: str = "web") -> None:
    now = timezone.now()
    LoginAttempt.objects.create(username=_key(user.username), at=now, succeeded=True,
                                stage=channel, source=current_origin().source[:64])
    User.objects.filter(pk=user.pk).update(failures_reset_at=now, last_login=now)
    record(actor=user, action=Event.ACCOUNT_SIGN_IN, obj=user, details={"channel": channel})


@action
def record_sign_out(*, user: User, reason: str) -> None:
    record(actor=user, action=Event.ACCOUNT_SIGN_OUT, obj=user, details={"reason": reason})


def _new_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.filter(used_at__isnull=True).update(used_at=timezone.now())
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 40 bits, shown as xxxxx-xxxxx
        code = f"{raw[:5]}-{raw[5:]}"
        RecoveryCode.objects.create(user=user, code_hash=make_password(code))
        codes.append(code)
    return codes


@action
def confirm_second_factor(*, user: User, secret: str, code: str) -> list[str] | None:
    """Finish TOTP enrolment: the first code from the new authenticator proves it works.
    Returns the recovery codes (shown once), or None if the code is wrong."""
    user = User.objects.select_for_update().get(pk=user.pk)
    step = totp.matching_step(secret, code, timezone.now())
    if step is None:
        _fail(user.username, user, "enrolment", Result.BAD_SECOND_FACTOR)
        return None
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = secret, timezone.now(), step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    record(actor=user, action=Event.ACCOUNT_SECOND_FACTOR_ENROLLED, obj=user)
    return _new_recovery_codes(user)


@action
def regenerate_recovery_codes(*, actor: User) -> list[str]:
    codes = _new_recovery_codes(actor)
    record(actor=actor, action=Event.ACCOUNT_RECOVERY_CODES_REGENERATED, obj=actor)
    return codes


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@action
def issue_api_token(*, user: User) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + dt.timedelta(hours=settings.LANTERN_API_TOKEN_HOURS)
    ApiToken.objects.create(user=user, token_hash=token_digest(token), created_at=now,
                            expires_at=expires)
    record(actor=user, action=Event.ACCOUNT_API_TOKEN_ISSUED, obj=user,
           details={"expires_at": expires.isoformat()})
    return token, expires


def user_for_token(token: str) -> User | None:
    """The user of a live token. A lockout does not end it: the token was issued to
    someone who passed both steps, and the lock only refuses new sign-ins (a stranger's
    wrong passwords must not cut an officer's integration off). Deactivation revokes it."""
    row = (ApiToken.objects.select_related("user", "user__unit")
           .filter(token_hash=token_digest(token), revoked_at__isnull=True,
                   expires_at__gt=timezone.now()).first())
    if row is None or not row.user.is_active:
        return None
    return row.user
