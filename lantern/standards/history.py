"""How the evidence standard's events read in the audit log (registered from StandardsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading


def _version(reading: Reading) -> str:
    d = reading.details
    return f"{d.get('key', '?')} v{d.get('version', '?')}"


def _drafted(reading: Reading) -> Line:
    return Line(gettext("%(actor)s drafted version %(version)s of an evidence standard, in force from %(date)s "
                        "once approved") % {"actor": reading.actor, "version": _version(reading),
                                            "date": reading.details.get("effective_from", "?")})


def _approved(reading: Reading) -> Line:
    side = reading.details.get("side", "")
    text = (gettext("%(actor)s approved version %(version)s of an evidence standard for the procuratorate")
            if side == "procuratorate" else
            gettext("%(actor)s approved version %(version)s of an evidence standard for the police"))
    return Line(text % {"actor": reading.actor, "version": _version(reading)})


def register() -> None:
    readable.register(Event.STANDARD_DRAFTED, _drafted)
    readable.register(Event.STANDARD_APPROVED, _approved)
