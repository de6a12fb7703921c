"""How deadline events read in the audit log (registered from DeadlinesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading, said
from lantern.deadlines.rules import BY_KEY


def escalated_line(reading: Reading) -> Line:
    rule = BY_KEY.get(reading.details.get("rule", ""))
    return Line(_("The overdue clock “%(clock)s” was escalated to level %(level)s") % {
        "clock": rule.title if rule else _("a deadline"), "level": reading.details.get("level", "")})


def register() -> None:
    readable.register(Event.DEADLINE_ESCALATED, escalated_line)
    readable.register(Event.CALENDAR_LOADED, said(gettext_lazy("%(actor)s loaded the official holiday calendar")))
