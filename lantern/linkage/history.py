"""How linkage events read in the audit log (registered from LinkageConfig.ready). The
entries hold case ids, kinds and counts, never an identifier's value."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading, said


def _linked(reading: Reading) -> Line:
    size = int(reading.details.get("size") or 0)
    return Line(ngettext("%(actor)s's entry linked the case into a network of %(n)s case",
                         "%(actor)s's entry linked the case into a network of %(n)s cases", size)
                % {"actor": reading.actor, "n": size})


def register() -> None:
    readable.register(Event.LINKAGE_CASES_LINKED, _linked)
    readable.register(Event.LINKAGE_LINKS_DISCLOSED,
                      said(gettext_lazy("%(actor)s was shown linked cases outside their access (unit and contact)")))
    readable.register(Event.LINKAGE_MATCH_FOUND, said(gettext_lazy("The matching model found a possible same person")))
    readable.register(Event.LINKAGE_MATCH_CONFIRMED, said(gettext_lazy("%(actor)s confirmed a person match")))
    readable.register(Event.LINKAGE_MATCH_REJECTED, said(gettext_lazy("%(actor)s rejected a person match")))
    readable.register(Event.LINKAGE_MATCH_WITHDRAWN,
                      said(gettext_lazy("A person match was withdrawn: a detail it rested on was marked wrong")))
    readable.register(Event.LINKAGE_NETWORK_SPLIT,
                      said(gettext_lazy("%(actor)s's change split the case's network")))
    readable.register(Event.LINKAGE_REGISTRY_HIT, said(gettext_lazy("A suspect was found on the offender registry")))
