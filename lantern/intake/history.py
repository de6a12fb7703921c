"""How intake events read in the audit log (registered from IntakeConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading, said

# What a correction changed, by the field it names (the values are never in the entry).
FIELDS = {
    "victim.date_of_birth": gettext_lazy("the victim's date of birth"),
    "victim.estimated_age": gettext_lazy("the victim's estimated age"),
    "victim.sex": gettext_lazy("the victim's sex"),
    "victim.name": gettext_lazy("the victim's name"),
    "victim.id_number": gettext_lazy("the victim's ID number"),
    "offences": gettext_lazy("the offences of the case"),
}


def _corrected(reading: Reading) -> Line:
    what = FIELDS.get(reading.details.get("field", ""), gettext_lazy("the record"))
    return Line(str(gettext_lazy("%(actor)s corrected %(what)s")) % {"actor": reading.actor, "what": what})


def register() -> None:
    readable.register(Event.CASE_REGISTERED, said(gettext_lazy("%(actor)s registered the report")))
    readable.register(Event.INTAKE_DUPLICATE_CHECK,
                      said(gettext_lazy("%(actor)s checked the report against earlier cases")))
    # Added to the record after intake (intake.supplements).
    readable.register(Event.CASE_SUSPECT_ADDED, said(gettext_lazy("%(actor)s added a suspect")))
    readable.register(Event.CASE_INDICATOR_ADDED, said(gettext_lazy("%(actor)s added an indicator found later")))
    readable.register(Event.CASE_NARRATIVE_SUPPLEMENTED,
                      said(gettext_lazy("%(actor)s added a supplement to the account of what happened")))
    readable.register(Event.CASE_CORRECTED, _corrected)
    readable.register(Event.PERSON_IDENTIFIER_ADDED, said(gettext_lazy("%(actor)s added an identifier to a person")))
    readable.register(Event.PERSON_IDENTIFIER_RETRACTED, said(gettext_lazy("%(actor)s marked an identifier wrong")))
