"""How campaign events read in the audit log (registered from CampaignsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading


def _created(reading: Reading) -> Line:
    d = reading.details
    return Line(gettext("%(actor)s created a campaign from %(start)s to %(end)s")
                % {"actor": reading.actor, "start": d.get("starts_on", "?"), "end": d.get("ends_on", "?")})


def _closed(reading: Reading) -> Line:
    return Line(gettext("%(actor)s closed a campaign") % {"actor": reading.actor})


def register() -> None:
    readable.register(Event.CAMPAIGN_CREATED, _created)
    readable.register(Event.CAMPAIGN_CLOSED, _closed)
