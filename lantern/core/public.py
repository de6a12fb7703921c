"""The address families reach Lantern at, and its QR code drawn here (segno, no network).
Only the portal's sign-in page: no tracking code, secret or name ever goes into the
address or the code, so a photographed receipt or a forwarded SMS leads to a sign-in
form and nothing more."""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse


def portal_address() -> str:
    return settings.LANTERN_PUBLIC_URL + reverse("portal:sign_in")


def qr_svg(data: str) -> str:
    """An inline <svg> element (no XML declaration), sized in millimetres for print."""
    return segno.make(data, error="m").svg_inline(scale=1, unit="mm", border=2, dark="#000")
