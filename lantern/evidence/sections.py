"""The evidence app's sections of the case page (registered in cases.sections)."""

from __future__ import annotations

from typing import Any

from lantern.evidence.models import Agency, EvidenceKind, PlaceKind
from lantern.evidence.selectors import evidence_json, interviews_json


def case_section(case: Any, user: Any, *, identity: bool) -> dict[str, Any]:
    return {"evidence": evidence_json(case, identity=identity), "evidence_kinds": EvidenceKind.choices,
            "interviews": interviews_json(case, identity=identity),
            "place_kinds": PlaceKind.choices, "agencies": Agency.choices}
