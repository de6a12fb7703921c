"""Reads of what was added to a case after intake, as the API and the case page show them:
values, reasons and texts only for those who may see identities (the narrative's rule)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.cases.law import AGE_BANDS
from lantern.cases.models import Case, Suspect
from lantern.cases.states import Indicator
from lantern.intake.models import Correction, IndicatorRecord, NarrativeSupplement
from lantern.intake.recompute import Change, describe
from lantern.people import selectors as people
from lantern.people.identifiers import KIND_NAMES, history_of, value_of

BANDS = {band.key: band for band in AGE_BANDS}


def _changes(changes: list[Change]) -> list[dict[str, str]]:
    return [c.as_dict() for c in changes]


def added_suspect_json(suspect: Suspect, user: Any, changes: list[Change], *, identity: bool) -> dict[str, Any]:
    rows = history_of(suspect)
    number = list(suspect.case.suspects.order_by("pk").values_list("pk", flat=True)).index(suspect.pk) + 1
    out: dict[str, Any] = {
        "id": suspect.pk, "case_id": suspect.case_id, "status": suspect.status, "sex": suspect.sex,
        "label": suspect.name if identity and suspect.name else _("Suspect %(n)s") % {"n": number},
        "identifiers": sorted(KIND_NAMES.get(r.kind, r.kind) for r in rows),
        "linked_cases": people.linked_cases(suspect, user), "changes": _changes(changes)}
    if identity:
        out.update(name=suspect.name, phone=suspect.phone, id_number=suspect.id_number,
                   date_of_birth=suspect.date_of_birth, accounts=suspect.accounts,
                   devices=[value_of(r, suspect) for r in rows if r.kind == "device"])
    return out


def indicator_json(entry: IndicatorRecord, changes: list[Change], *, identity: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": entry.pk, "indicator": entry.indicator,
                           "indicator_label": str(Indicator(entry.indicator).label), "recorded_at": entry.recorded_at,
                           "recorded_by": entry.recorded_by.username, "flags": entry.case.flags,
                           "changes": _changes(changes)}
    if identity:
        out["reason"] = entry.reason
    return out


def supplement_json(entry: NarrativeSupplement, *, identity: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": entry.pk, "added_at": entry.added_at, "added_by": entry.added_by.username}
    if identity:
        out["text"] = entry.text
    return out


def correction_json(entry: Correction, changes: list[Change] | None = None, *, identity: bool) -> dict[str, Any]:
    """``changes``: as just computed (with dates); from the record otherwise. The band and
    flags are those the correction left (the case's own at the time)."""
    case = entry.case
    if changes is None:
        changes = [Change(c["kind"], c["key"], describe(c["kind"], c["key"]))
                   for c in entry.recomputed.get("changes", [])]
    after = {"age_band": case.age_band, "is_minor": case.is_minor, "flags": case.flags, **entry.recomputed}
    out: dict[str, Any] = {
        "id": entry.pk, "field": entry.field, "corrected_at": entry.corrected_at,
        "corrected_by": entry.corrected_by.username, "changes": _changes(changes), "age_band": after["age_band"],
        "age_band_label": str(BANDS[after["age_band"]].label), "is_minor": after["is_minor"], "flags": after["flags"]}
    if identity:
        out.update(old_value=entry.old_value, new_value=entry.new_value, reason=entry.reason)
    return out


def supplements(case: Case) -> Any:
    return NarrativeSupplement.objects.filter(case=case).select_related("added_by")


def corrections(case: Case) -> Any:
    return Correction.objects.filter(case=case).select_related("corrected_by", "case__victim")


def indicator_records(case: Case) -> Any:
    return IndicatorRecord.objects.filter(case=case).select_related("recorded_by")


def former_values(case: Any) -> list[tuple[str, str]]:
    """What a correction replaced still names the person in text written before it: the old
    name by the pseudonym, an old ID number masked (registered in core.vault.pseudonyms)."""
    pairs = []
    for entry in Correction.objects.filter(case=case, field__in=["victim.name", "victim.id_number"]):
        stand_in = case.victim.pseudonym if entry.field == "victim.name" else "***"
        pairs += [(entry.old_value, stand_in), (entry.new_value, stand_in)]
    return pairs
