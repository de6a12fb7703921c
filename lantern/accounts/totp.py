"""TOTP (RFC 6238) with pyotp: 30-second steps, one step of clock drift either way, and a
code never accepted twice (the highest accepted step is kept on the user)."""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
import segno
from django.conf import settings

STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=settings.LANTERN_TOTP_ISSUER)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code: generated here, no external service sees the secret."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#1d2733")


def current_step(now: dt.datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step ``code`` belongs to, if it is valid now (±1 step), else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = current_step(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def code_for(secret: str, now: dt.datetime) -> str:
    """The current code (for tests and the demo's instructions)."""
    return pyotp.TOTP(secret).generate_otp(current_step(now))
