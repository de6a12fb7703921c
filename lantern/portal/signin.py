"""Signing in to the family portal: the tracking code and secret from the receipt, or a
one-time code sent to the complainant's registered phone or e-mail.

An unknown tracking code is answered exactly like a wrong secret, counted and locked the
same way (attempts are keyed by a digest of what was typed, not by the case), and
costs the same work, so nothing tells whether a code exists.

One-time codes are capped per case per hour (LANTERN_PORTAL_CODES_PER_HOUR): anyone who
holds a tracking code could otherwise have the family's phone buzz on every request.
Past the cap nothing is sent and the answer is the same as ever."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.models import Outcome
from lantern.audit.services import record
from lantern.cases.models import Case
from lantern.core import ratelimit
from lantern.core.actions import action
from lantern.core.context import current_origin
from lantern.core.errors import NotAuthenticated, RateLimited
from lantern.intake.services import portal_secret_digest
from lantern.portal import family
from lantern.portal.models import OneTimeCode, PortalAttempt, PortalSession

FAILURES_ALLOWED = 5
LOCK_WINDOW = dt.timedelta(minutes=15)
IDLE = dt.timedelta(minutes=30)
LIFETIME = dt.timedelta(hours=2)
CODE_VALIDITY = dt.timedelta(minutes=10)
PER_SOURCE = (30, 15 * 60)  # requests per window from one address, whatever the code
CODE_CAP_WINDOW = dt.timedelta(hours=1)  # LANTERN_PORTAL_CODES_PER_HOUR codes per case in it

logger = logging.getLogger(__name__)


class PortalSignInFailed(NotAuthenticated):
    code = "portal_sign_in_failed"

    def __init__(self) -> None:
        super().__init__(_("The tracking code or the secret is not right. Check the receipt and try again."))


class PortalLocked(RateLimited):
    code = "portal_locked"

    def __init__(self) -> None:
        super().__init__(_("Too many attempts. For your safety, sign-in is paused for 15 minutes; then try "
                           "again, or ask the police station for help."),
                         details={"retry_after_seconds": int(LOCK_WINDOW.total_seconds())})


@dataclass
class Result:
    token: str = ""
    session: PortalSession | None = None
    locked: bool = False

    @property
    def ok(self) -> bool:
        return self.session is not None


def normalise(tracking_code: str) -> str:
    return "".join(tracking_code.split()).upper()[:32]


def _key(tracking_code: str) -> str:
    return hashlib.sha256(f"lantern-portal-attempt|{normalise(tracking_code)}".encode()).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(f"lantern-portal-session|{token}".encode()).hexdigest()


def _code_digest(salt: str, code: str) -> str:
    # Six digits are few: the salt stops a table lookup, the lockout stops guessing.
    return f"{salt}${hashlib.sha256(f'{salt}|{code.strip()}'.encode()).hexdigest()}"


def _code_matches(stored: str, code: str) -> bool:
    salt = stored.split("$", 1)[0]
    return hmac.compare_digest(stored, _code_digest(salt, code))


def _locked(key: str) -> bool:
    since = timezone.now() - LOCK_WINDOW
    return PortalAttempt.objects.filter(code_key=key, succeeded=False, at__gte=since).count() >= FAILURES_ALLOWED


def _throttle() -> None:
    limit, window = PER_SOURCE
    ratelimit.hit(f"portal:{current_origin().source}", limit=limit, window_seconds=window)


def _knock(tracking_code: str) -> tuple[str, Case | None, bool]:
    """Every way in starts alike: the per-address limit, the attempt key, the case (or
    None) and whether the code is locked."""
    _throttle()
    key = _key(tracking_code)
    return key, Case.objects.filter(tracking_code=normalise(tracking_code)).first(), _locked(key)


def _attempt(key: str, succeeded: bool) -> None:
    PortalAttempt.objects.create(code_key=key, at=timezone.now(), succeeded=succeeded,
                                 source=current_origin().source[:64])


def _open(case: Case, via: str) -> Result:
    token, now = secrets.token_urlsafe(32), timezone.now()
    session = PortalSession.objects.create(case=case, token_hash=token_digest(token), via=via, created_at=now,
                                           last_seen_at=now, expires_at=now + LIFETIME)
    record(actor=None, action=Event.PORTAL_SIGN_IN, obj=case, details={"via": via, "session": session.pk})
    return Result(token=token, session=session)


def _fail(key: str, case: Case | None, via: str) -> Result:
    _attempt(key, False)
    record(actor=None, action=Event.PORTAL_SIGN_IN, obj=case, object_type="portal.attempt", outcome=Outcome.FAILURE,
           details={"via": via})
    return Result(locked=_locked(key))


@action
def sign_in_with_secret(*, tracking_code: str, secret: str) -> Result:
    key, case, locked = _knock(tracking_code)
    if locked:
        return Result(locked=True)
    expected = case.portal_secret_hash if case else "0" * 64
    given = portal_secret_digest(case.tracking_code if case else normalise(tracking_code), secret.strip())
    if case is None or not hmac.compare_digest(expected, given):
        return _fail(key, case, "secret")
    _attempt(key, True)
    return _open(case, "secret")


def _code_cap_reached(case: Case) -> bool:
    """Whether this case had its hour's codes already; if so the refusal is audited and
    logged (the case id only: no tracking code, no phone, no address)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()  # concurrent requests count in turn
    cap = settings.LANTERN_PORTAL_CODES_PER_HOUR
    sent = OneTimeCode.objects.filter(case=case, created_at__gt=timezone.now() - CODE_CAP_WINDOW).count()
    if sent < cap:
        return False
    record(actor=None, action=Event.PORTAL_CODE_WITHHELD, obj=case, outcome=Outcome.DENIED,
           details={"reason": "hourly_cap", "cap": cap})
    logger.warning("portal one-time code withheld: case %s had %s codes in the last hour", case.pk, sent)
    return True


@action
def send_sign_in_code(*, tracking_code: str) -> None:
    """Send a one-time code if the case exists and has a phone or e-mail; say nothing
    either way (the page always answers "if the code is right, a message is on its way")."""
    _key_unused, case, locked = _knock(tracking_code)
    if locked or case is None or not family.has_contact(case):
        return
    if _code_cap_reached(case):
        return
    code, now = f"{secrets.randbelow(10**6):06d}", timezone.now()
    OneTimeCode.objects.filter(case=case, used_at__isnull=True).update(used_at=now)  # one valid code at a time
    OneTimeCode.objects.create(case=case, code_hash=_code_digest(secrets.token_hex(8), code), created_at=now,
                               expires_at=now + CODE_VALIDITY)
    family.tell_family(case, "code", code=code)
    record(actor=None, action=Event.PORTAL_CODE_SENT, obj=case)


@action
def sign_in_with_code(*, tracking_code: str, code: str) -> Result:
    key, case, locked = _knock(tracking_code)
    if locked:
        return Result(locked=True)
    found = None
    if case is not None:
        found = (OneTimeCode.objects.select_for_update()
                 .filter(case=case, used_at__isnull=True, expires_at__gt=timezone.now()).order_by("-pk").first())
    if found is None or not _code_matches(found.code_hash, code):
        return _fail(key, case, "code")
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    _attempt(key, True)
    return _open(case, "code")


def raise_unless_ok(result: Result) -> Result:
    if result.locked:
        raise PortalLocked()
    if not result.ok:
        raise PortalSignInFailed()
    return result


def session_for(token: str) -> PortalSession | None:
    """The live session of this token: not ended, not past its lifetime, not idle."""
    if not token:
        return None
    now = timezone.now()
    session = (PortalSession.objects.select_related("case")
               .filter(token_hash=token_digest(token), ended_at__isnull=True, expires_at__gt=now,
                       last_seen_at__gt=now - IDLE).first())
    if session is not None and now - session.last_seen_at > dt.timedelta(minutes=1):
        PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return session


@action
def sign_out(*, session: PortalSession) -> None:
    PortalSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    record(actor=None, action=Event.PORTAL_SIGN_OUT, obj=session.case, details={"session": session.pk})
