"""Persons from the database as matching reads them: decrypted in memory, one chunk of
rows at a time, never written anywhere."""

from __future__ import annotations

from collections.abc import Iterator

from lantern.cases.models import Suspect
from lantern.linkage.matching.records import PersonRecord


def suspect_record(suspect: Suspect) -> PersonRecord:
    return PersonRecord(id=str(suspect.pk), name=suspect.name, date_of_birth=suspect.date_of_birth,
                        sex=suspect.sex, phone=suspect.phone, id_number=suspect.id_number)


def suspects(chunk_size: int = 2000) -> Iterator[PersonRecord]:
    """Every suspect with a name or an identifier."""
    rows = Suspect.objects.only("pk", "name", "date_of_birth", "sex", "phone", "id_number").order_by("pk")
    for suspect in rows.iterator(chunk_size=chunk_size):
        if suspect.name or suspect.phone or suspect.id_number:
            yield suspect_record(suspect)
