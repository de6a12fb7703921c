"""The case page's "Additions and corrections" section (registered in cases.sections from
IntakeConfig.ready): supplements, corrections with what they recomputed, indicators found
later, each suspect's identifiers, and the forms to add to them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lantern.cases.guards import Ctx, on_team_or_supervisor
from lantern.cases.states import OPEN_STATES, Indicator, Sex
from lantern.intake import selectors
from lantern.people import selectors as people
from lantern.people.identifiers import histories_of

FIELD_LABELS = {
    "victim.date_of_birth": _("Victim's date of birth"),
    "victim.estimated_age": _("Victim's estimated age"),
    "victim.sex": _("Victim's sex"),
    "victim.name": _("Victim's name"),
    "victim.id_number": _("Victim's ID number"),
    "offences": _("Offences (keys separated by commas, e.g. child_indecency,duty_of_care)"),
}
KIND_LABELS = {"phone": _("Phone"), "id_number": _("ID number"), "account": _("Platform account"),
               "device": _("Device ID (IMEI)"), "name_dob": _("Name and date of birth")}


def _may_add(case: Any, user: Any) -> bool:
    return (case.merged_into_id is None and case.state in OPEN_STATES
            and on_team_or_supervisor(Ctx(case=case, actor=user)) is None)


def _people(case: Any, user: Any, identity: bool) -> list[dict[str, Any]]:
    suspects = case.suspects_in_order()
    histories, linked = histories_of(suspects), people.linked_cases_each(suspects, user)
    rows = []
    for n, suspect in enumerate(suspects, start=1):
        items = [people.identifier_json(r, suspect, identity=identity) for r in histories[suspect.pk]]
        for item in items:
            item["kind_label"] = KIND_LABELS.get(item["kind"], item["kind"])
        rows.append({"id": suspect.pk, "label": suspect.name if identity and suspect.name else n,
                     "identifiers": items, "linked_cases": linked[suspect.pk]})
    return rows


def record_section(case: Any, user: Any, *, identity: bool) -> dict[str, Any]:
    corrections = [selectors.correction_json(c, identity=identity) for c in selectors.corrections(case)]
    for c in corrections:
        c["field_label"] = FIELD_LABELS.get(c["field"], c["field"])
    return {"record": {
        "may_add": _may_add(case, user), "identity": identity,
        "supplements": [selectors.supplement_json(s, identity=identity) for s in selectors.supplements(case)],
        "corrections": corrections,
        "indicators": [selectors.indicator_json(i, [], identity=identity) for i in selectors.indicator_records(case)],
        "people": _people(case, user, identity),
        "indicator_choices": [(k, v) for k, v in Indicator.choices if k not in case.indicators],
        "sex_choices": Sex.choices, "fields": list(FIELD_LABELS.items()),
        "kinds": [(k, KIND_LABELS[k]) for k in ("phone", "id_number", "account", "device")],
    }}
