"""How the matching model's events read in the audit log (registered from LinkageConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading


def _trained(reading: Reading) -> Line:
    return Line(str(gettext_lazy("%(actor)s trained version %(version)s of the person-matching model on "
                                 "%(count)s records")) % {"actor": reading.actor,
                                                          "version": reading.details.get("version", "?"),
                                                          "count": reading.details.get("trained_on", "?")})


def register() -> None:
    readable.register(Event.LINKAGE_MATCH_MODEL_TRAINED, _trained)
