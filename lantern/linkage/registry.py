"""The sex-offence registry: fed by convictions (subscribed to cases.events.convicted, so it
runs inside the judgment's transaction) and read for every suspect an open case learns
of. A suspect whose ID number is a registered offender's (or whom the matching model takes
for one, linkage.matches) is flagged on the case for its team; the flag names the entry,
never shows it to anyone else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.models import Case, Suspect
from lantern.cases.states import OPEN_STATES
from lantern.core.vault.blind import IdKind, digest
from lantern.linkage import alerts, reporting
from lantern.linkage.models import RegistryEntry, RegistryHit
from lantern.people.models import Identifier, PersonRole


def register_convictions(*, case: Any, suspects: list[Any], at: dt.datetime, judgment: str, court: str = "",
                         sentences: dict[int, int | None] | None = None) -> None:
    sentences = sentences or {}
    for s in suspects:
        entry = RegistryEntry(suspect=s, case=case, name=s.name, id_number=s.id_number,
                              id_digest=digest(IdKind.ID_NUMBER, s.id_number), convicted_at=at,
                              judgment_reference=judgment, court=court, charges=_charges(s),
                              sentence_months=sentences.get(s.pk), minor_at_offence=_minor_at_offence(case, s))
        reporting.apply(entry)
        entry.save()
        if entry.id_digest:  # open cases that already hold this person: flagged now
            rows = Identifier.objects.filter(kind=IdKind.ID_NUMBER, digest=entry.id_digest, role=PersonRole.SUSPECT,
                                             case__state__in=OPEN_STATES).exclude(suspect=s)
            for row in rows.select_related("case", "suspect"):
                flag(row.case, row.suspect, entry, via="id_number", at=at)


def _charges(suspect: Any) -> str:
    judgment = getattr(suspect, "judgment", None)
    return judgment.charges if judgment is not None else ""


def _minor_at_offence(case: Any, suspect: Any) -> bool:
    born, on = suspect.date_of_birth, case.offence_date
    if born is None or on is None:
        return False  # unknown: treated as an adult's record, reported (linkage.reporting)
    return (on.year - born.year - ((on.month, on.day) < (born.month, born.day))) < 18


def reported_digests(digests: set[str], *, on: dt.date) -> set[str]:
    """Which of these ID-number digests belong to an entry reported to hiring checks on
    ``on``: one indexed query, nothing decrypted."""
    rows = RegistryEntry.objects.filter(id_digest__in=digests, reportable=True).filter(
        Q(reported_until__isnull=True) | Q(reported_until__gte=on))
    return set(rows.values_list("id_digest", flat=True))


def check_identifiers(*, case: Any, rows: Sequence[Any], at: dt.datetime) -> None:
    """A suspect's ID number indexed (at intake or later) against the registry."""
    wanted = {r.digest: r for r in rows if r.kind == IdKind.ID_NUMBER and r.role == PersonRole.SUSPECT}
    if not wanted:
        return
    for entry in RegistryEntry.objects.filter(id_digest__in=wanted):
        row = wanted[entry.id_digest]
        if entry.suspect_id != row.suspect_id:
            flag(case.merged_into or case, row.suspect, entry, via="id_number", at=at)


def flag(case: Case, suspect: Suspect, entry: RegistryEntry, *, via: str, at: dt.datetime | None = None,
         probability: float | None = None) -> RegistryHit | None:
    """Flag once per suspect and entry; the team is told."""
    hit, created = RegistryHit.objects.get_or_create(
        suspect=suspect, entry=entry,
        defaults={"case": case, "via": via, "probability": probability, "found_at": at or timezone.now()})
    if not created:
        return None
    record(actor=None, action=Event.LINKAGE_REGISTRY_HIT, obj=case,
           details={"person": suspect.pk, "entry": entry.pk, "via": via})
    alerts.registry_alert(case)
    return hit


def hits_for(case: Case) -> list[RegistryHit]:
    return list(RegistryHit.objects.filter(case=case).select_related("entry", "entry__case", "suspect")
                .order_by("found_at"))
