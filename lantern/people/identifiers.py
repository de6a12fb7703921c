"""Writing and searching the blind indexes of a case's people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from lantern.core.vault.blind import IdKind, digest, handle, name_dob
from lantern.people.models import Identifier, PersonRole


def _rows(case: Any, role: str, pairs: Iterable[tuple[str, str]], suspect: Any = None) -> list[Identifier]:
    rows = []
    for kind, raw in pairs:
        value = digest(kind, raw)
        if value:
            rows.append(Identifier(case=case, role=role, suspect=suspect, kind=kind, digest=value))
    return rows


def suspect_pairs(suspect: Any) -> list[tuple[str, str]]:
    pairs = [(IdKind.PHONE, suspect.phone), (IdKind.ID_NUMBER, suspect.id_number)]
    return pairs + [(IdKind.HANDLE, handle(a.get("platform", ""), a.get("handle", ""))) for a in suspect.accounts]


def index_case(*, case: Any, victim_name: str, victim_date_of_birth: dt.date | None, victim_id_number: str,
               suspects: Iterable[Any]) -> None:
    rows = _rows(case, PersonRole.VICTIM, [(IdKind.NAME_DOB, name_dob(victim_name, victim_date_of_birth)),
                                           (IdKind.ID_NUMBER, victim_id_number)])
    for suspect in suspects:
        rows += _rows(case, PersonRole.SUSPECT, suspect_pairs(suspect), suspect=suspect)
    Identifier.objects.bulk_create(rows)


def cases_sharing(wanted: Iterable[tuple[str, str]]) -> set[int]:
    """Ids of cases holding any of these identifiers (kind, raw value)."""
    by_kind: dict[str, set[str]] = {}
    for kind, raw in wanted:
        value = digest(kind, raw)
        if value:
            by_kind.setdefault(kind, set()).add(value)
    ids: set[int] = set()
    for kind, digests in by_kind.items():
        ids |= set(Identifier.objects.filter(kind=kind, digest__in=digests).values_list("case_id", flat=True))
    return ids
