"""How searches read in the audit log (registered from SearchConfig.ready). The entry
holds what kind of key matched and how many cases, never the text that was typed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import said


def register() -> None:
    readable.register(Event.SEARCH_PERFORMED, said(gettext_lazy("%(actor)s searched for cases")))
