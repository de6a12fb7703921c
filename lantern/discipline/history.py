"""How the discipline app's audit events read (registered with audit.readable)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, ObjectKind, Reading
from lantern.discipline.models import AccountabilityRecord
from lantern.discipline.outcomes import Outcome


def recorded_line(reading: Reading) -> Line:
    d = reading.details
    outcome = str(Outcome(d["outcome"]).label) if d.get("outcome") in Outcome.values else str(d.get("outcome", ""))
    told = _("disclosed to the family") if d.get("disclosed") else _("nothing disclosed to the family")
    return Line(_("%(actor)s recorded an accountability outcome: %(outcome)s (%(told)s)") % {
        "actor": reading.actor, "outcome": outcome, "told": told})


def record_labels(ids: Any) -> dict[str, str]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    rows = AccountabilityRecord.objects.filter(pk__in=wanted).values_list("pk", "case__case_number")
    return {str(pk): _("Accountability record %(id)s, case %(number)s") % {"id": pk, "number": number}
            for pk, number in rows}


def find_records(text: str) -> list[str]:
    found = AccountabilityRecord.objects.filter(case__case_number__icontains=text.strip()).values_list("pk", flat=True)
    return [str(pk) for pk in found[:200]]


def register() -> None:
    readable.OBJECT_KINDS.register(ObjectKind("discipline.accountabilityrecord", record_labels, find_records))
    readable.register(Event.DISCIPLINE_ACCOUNTABILITY_RECORDED, recorded_line)
