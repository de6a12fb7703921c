"""Person records prepared for Splink: the plain values of one person (held in memory only,
decrypted by the caller) become the columns the comparisons and blocking rules read.

An empty value becomes NULL, never "": Splink skips NULLs in comparisons and blocking,
while two empty strings would agree."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lantern.core.vault.blind import normalize_id_number, normalize_phone
from lantern.linkage.matching.names import clean, name_columns

# The columns of a prepared record, in order (the input table's schema: all text).
COLUMNS = ("unique_id", "name", "surname", "given_name", "name_py", "surname_py", "given_py", "dob", "dob_year",
           "dob_month", "dob_day", "sex", "place", "address", "phone", "id_number")

_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_SEXES = {"male": "male", "m": "male", "男": "male", "female": "female", "f": "female", "女": "female"}


@dataclass(frozen=True)
class PersonRecord:
    """One person as matching sees them. ``id`` is the caller's key (a suspect's pk, a CSV
    row's id); it is the only thing that comes back out, with probabilities."""

    id: str
    name: str = ""
    surname: str = ""
    given_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = ""
    place: str = ""
    address: str = ""
    phone: str = ""
    id_number: str = ""


def id_number_facts(id_number: str) -> tuple[dt.date | None, str]:
    """Date of birth (digits 7-14) and sex (digit 17: odd male, even female) carried by an
    18-digit resident ID (GB 11643-1999), or (None, "") for anything else."""
    if not _RESIDENT_ID.match(id_number):
        return None, ""
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        born = None
    return born, "male" if int(id_number[16]) % 2 else "female"


@lru_cache(maxsize=256)
def normalize_sex(raw: str | None) -> str:
    return _SEXES.get(unicodedata.normalize("NFKC", raw or "").strip().casefold(), "")


@lru_cache(maxsize=1 << 16)
def _date_columns(born: dt.date | None) -> tuple[str | None, ...]:
    """dob (YYYYMMDD), year, month, day."""
    if born is None:
        return None, None, None, None
    text = f"{born.year:04d}{born.month:02d}{born.day:02d}"
    return text, text[:4], text[4:6], text[6:]


@lru_cache(maxsize=1 << 12)
def _place(raw: str) -> str | None:
    return clean(raw) or None


def prepare(record: PersonRecord) -> dict[str, Any]:
    """The Splink input row of one person (every column text or NULL)."""
    return dict(zip(COLUMNS, prepared_values(record), strict=True))


def prepared_values(record: PersonRecord) -> tuple[str | None, ...]:
    """``prepare`` as a tuple in COLUMNS order (the fast path for whole tables)."""
    names = name_columns(record.name or "", record.surname or "", record.given_name or "")
    id_number = normalize_id_number(record.id_number) if record.id_number else ""
    id_born, id_sex = id_number_facts(id_number) if id_number else (None, "")
    return (str(record.id), *(v or None for v in names[:3]), *(v or None for v in names[3:]),
            *_date_columns(record.date_of_birth or id_born), normalize_sex(record.sex) or id_sex or None,
            _place(record.place or ""), clean(record.address) or None,
            (normalize_phone(record.phone) or None) if record.phone else None, id_number or None)
