"""TOTP (RFC 6238, SHA-1, 6 digits, 30-second steps) with ``cryptography``: one step of
clock drift either way, and a code never accepted twice (the highest accepted step is
kept on the user).

New secrets are 160 bits, as RFC 4226 recommends. Shorter ones are still verified
(``enforce_key_length=False``) because authenticators enrolled elsewhere, and the
documented demo secret, use 80-bit keys."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets
from urllib.parse import quote

import segno
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.conf import settings

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


def _totp(secret: str) -> TOTP:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    key = base64.b32decode(padded)
    return TOTP(key, DIGITS, SHA1(), STEP_SECONDS, enforce_key_length=False)  # noqa: S303 (RFC 6238)


def provisioning_uri(secret: str, username: str) -> str:
    issuer = settings.LANTERN_TOTP_ISSUER
    return (f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={secret}"
            f"&issuer={quote(issuer)}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}")


def qr_svg(uri: str) -> str:
    """An inline SVG QR code: generated here, no external service sees the secret."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#1d2733")


def current_step(now: dt.datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at_step(secret: str, step: int) -> str:
    return _totp(secret).generate(step * STEP_SECONDS).decode()


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step ``code`` belongs to, if it is valid now (±1 step), else None."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == DIGITS):  # "¹²³" is a digit to isdigit
        return None
    step = current_step(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(code_at_step(secret, candidate), code):
            return candidate
    return None


def code_for(secret: str, now: dt.datetime) -> str:
    """The current code (for the demo's instructions and tests)."""
    return code_at_step(secret, current_step(now))
