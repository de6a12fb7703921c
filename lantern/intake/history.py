"""How intake events read in the audit log (registered from IntakeConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import said


def register() -> None:
    readable.register(Event.CASE_REGISTERED, said(gettext_lazy("%(actor)s registered the report")))
    readable.register(Event.INTAKE_DUPLICATE_CHECK,
                      said(gettext_lazy("%(actor)s checked the report against earlier cases")))
