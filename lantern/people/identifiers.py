"""Writing and searching the blind indexes of a case's people: the one place identifiers
become digests (core.vault.blind) and rows, for intake, for identifiers added later, and
for whatever searches them (duplicate checks, linkage, search). ``Identifier.objects``
holds the identifiers in force; one marked wrong is in ``Identifier.every`` only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from lantern.core.vault.blind import IdKind, digest, handle, name_dob
from lantern.people import events
from lantern.people.models import Identifier, PersonRole

# The kinds a user adds to a person, as the API names them, and the index each goes into.
ADDABLE_KINDS: dict[str, str] = {"phone": IdKind.PHONE, "id_number": IdKind.ID_NUMBER, "account": IdKind.HANDLE,
                                 "device": IdKind.DEVICE}
KIND_NAMES: dict[str, str] = {index: name for name, index in ADDABLE_KINDS.items()}


def _rows(case: Any, role: str, pairs: Iterable[tuple[str, str]], suspect: Any = None,
          **extra: Any) -> list[Identifier]:
    rows = []
    for kind, raw in pairs:
        value = digest(kind, raw)
        if value:
            rows.append(Identifier(case=case, role=role, suspect=suspect, kind=kind, digest=value, **extra))
    return rows


def suspect_pairs(suspect: Any) -> list[tuple[str, str]]:
    pairs = [(IdKind.PHONE, suspect.phone), (IdKind.ID_NUMBER, suspect.id_number)]
    return pairs + [(IdKind.HANDLE, handle(a.get("platform", ""), a.get("handle", ""))) for a in suspect.accounts]


def victim_pairs(name: str, date_of_birth: dt.date | None, id_number: str) -> list[tuple[str, str]]:
    return [(IdKind.NAME_DOB, name_dob(name, date_of_birth)), (IdKind.ID_NUMBER, id_number)]


def device_rows(case: Any, suspect: Any, devices: Iterable[str], **extra: Any) -> list[Identifier]:
    """Device IDs have no column of their own on the person: the value is kept, encrypted, on the row."""
    return [Identifier(case=case, role=PersonRole.SUSPECT, suspect=suspect, kind=IdKind.DEVICE, digest=value,
                       value=raw.strip(), **extra)
            for raw in devices if (value := digest(IdKind.DEVICE, raw))]


def index_case(*, case: Any, victim_name: str, victim_date_of_birth: dt.date | None, victim_id_number: str,
               suspects: Iterable[Any], devices: dict[int, list[str]] | None = None) -> list[Identifier]:
    """A new report's identifiers. Returned, not yet announced (people.events): intake announces
    them once the case has its number, which the alerts to other teams name."""
    rows = _rows(case, PersonRole.VICTIM, victim_pairs(victim_name, victim_date_of_birth, victim_id_number))
    for suspect in suspects:
        rows += _rows(case, PersonRole.SUSPECT, suspect_pairs(suspect), suspect=suspect)
        rows += device_rows(case, suspect, (devices or {}).get(suspect.pk, []))
    return Identifier.objects.bulk_create(rows)


def index_added_suspect(*, suspect: Any, devices: Iterable[str], actor: Any, at: dt.datetime) -> list[Identifier]:
    """A suspect identified after intake: indexed at once, so duplicate checks and links see them."""
    extra = {"added_by": actor, "added_at": at}
    rows = _rows(suspect.case, PersonRole.SUSPECT, suspect_pairs(suspect), suspect=suspect, **extra)
    rows += device_rows(suspect.case, suspect, devices, **extra)
    written = Identifier.objects.bulk_create(rows)
    events.announce_indexed(suspect.case, written, actor)
    return written


def index_victim(*, case: Any, name: str, date_of_birth: dt.date | None, id_number: str, actor: Any,
                 at: dt.datetime) -> list[Identifier]:
    """The victim's identifiers after a correction of name, date of birth or ID number."""
    rows = _rows(case, PersonRole.VICTIM, victim_pairs(name, date_of_birth, id_number), added_by=actor, added_at=at)
    written = Identifier.objects.bulk_create(rows)
    events.announce_indexed(case, written, actor)
    return written


def add_to_suspect(*, suspect: Any, kind: str, raw: str, actor: Any, at: dt.datetime) -> Identifier | None:
    """One identifier added to a suspect (``kind`` an index kind; a handle as platform|handle),
    or None when there is nothing to index (a value of separators only)."""
    value = digest(kind, raw)
    if not value:
        return None
    row = Identifier.objects.create(case=suspect.case, role=PersonRole.SUSPECT, suspect=suspect, kind=kind,
                                    digest=value, value=raw.strip(), added_by=actor, added_at=at)
    events.announce_indexed(suspect.case, [row], actor)
    return row


def value_of(row: Identifier, suspect: Any) -> str:
    """The raw value of an identifier: its own, or the person's column it was indexed from."""
    if row.value or suspect is None:
        return row.value
    return next((raw for kind, raw in suspect_pairs(suspect) if kind == row.kind and digest(kind, raw) == row.digest),
                "")


def history_of(suspect: Any) -> list[Identifier]:
    """Every identifier of a suspect, retracted ones too, oldest first."""
    return histories_of([suspect])[suspect.pk]


def histories_of(suspects: Iterable[Any]) -> dict[int, list[Identifier]]:
    """``history_of`` for each of several suspects (by pk), in one query: the case page
    lists every suspect's identifiers."""
    by_suspect: dict[int, list[Identifier]] = {s.pk: [] for s in suspects}
    for row in (Identifier.every.filter(suspect__in=list(by_suspect)).select_related("added_by", "retracted_by")
                .order_by("pk")):
        by_suspect[row.suspect_id].append(row)
    return by_suspect


def cases_linked_to_each(suspects: Iterable[Any]) -> dict[int, dict[int, set[str]]]:
    """For each suspect (by pk): the other cases that hold an identifier in force of theirs,
    with the kinds they share. Two queries for all of them, whatever their number of
    identifiers (the case page asked three times per suspect)."""
    own_case = {s.pk: s.case_id for s in suspects}
    found: dict[int, dict[int, set[str]]] = {pk: {} for pk in own_case}
    holders: dict[tuple[str, str], set[int]] = {}
    for suspect_id, kind, value in (Identifier.objects.filter(suspect__in=list(own_case))
                                    .values_list("suspect_id", "kind", "digest")):
        holders.setdefault((kind, value), set()).add(suspect_id)
    if not holders:
        return found
    same = Q()
    for kind, value in holders:
        same |= Q(kind=kind, digest=value)
    for case_id, kind, value in (Identifier.objects.filter(same).values_list("case_id", "kind", "digest")
                                 .distinct()):
        for suspect_id in holders[(kind, value)]:
            if case_id != own_case[suspect_id]:
                found[suspect_id].setdefault(case_id, set()).add(kind)
    return found


def cases_sharing(wanted: Iterable[tuple[str, str]]) -> set[int]:
    """Ids of cases holding any of these identifiers (kind, raw value) in force."""
    by_kind: dict[str, set[str]] = {}
    for kind, raw in wanted:
        value = digest(kind, raw)
        if value:
            by_kind.setdefault(kind, set()).add(value)
    ids: set[int] = set()
    for kind, digests in by_kind.items():
        ids |= set(Identifier.objects.filter(kind=kind, digest__in=digests).values_list("case_id", flat=True))
    return ids


def added_values(case: Any) -> list[tuple[str, str]]:
    """Identifiers added after intake, masked in officers' free text (registered in
    core.vault.pseudonyms): an account's handle, a phone, a device ID."""
    pairs = []
    for value in Identifier.every.filter(case=case, added_at__isnull=False).values_list("value", flat=True):
        if value:
            pairs.append((value.partition("|")[2] or value, "***"))
    return pairs
