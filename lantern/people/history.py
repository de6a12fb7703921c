"""How break-glass and sealing events read in the audit log (registered from PeopleConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import said

SAID = {
    Event.CASE_BREAK_GLASS: gettext_lazy("%(actor)s opened the case by break-glass"),
    Event.BREAK_GLASS_REVIEWED: gettext_lazy("%(actor)s reviewed a break-glass access"),
    Event.CASE_SEALED: gettext_lazy("%(actor)s sealed the record"),
    Event.CASE_SEAL_LIFTED: gettext_lazy("%(actor)s lifted the seal on the record"),
}


def register() -> None:
    for event, message in SAID.items():
        readable.register(event, said(message))
