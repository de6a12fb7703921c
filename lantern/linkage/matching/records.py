"""Person records prepared for Splink: the plain values of one person (held in memory only,
decrypted by the caller) become the columns the comparisons and blocking rules read.

An empty value becomes NULL, never "": Splink skips NULLs in comparisons and blocking,
while two empty strings would agree."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from lantern.core.vault.blind import normalize_id_number, normalize_phone
from lantern.linkage.matching.names import clean, pinyin, split_name

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


def _or_none(value: str) -> str | None:
    return value or None


def id_number_facts(id_number: str) -> tuple[dt.date | None, str]:
    """Date of birth (digits 7-14) and sex (digit 17: odd male, even female) carried by an
    18-digit resident ID (GB 11643-1999), or (None, "") for anything else."""
    if not _RESIDENT_ID.match(id_number):
        return None, ""
    try:
        born = dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        born = None
    return born, "male" if int(id_number[16]) % 2 else "female"


def normalize_sex(raw: str | None) -> str:
    return _SEXES.get(unicodedata.normalize("NFKC", raw or "").strip().casefold(), "")


def _names(record: PersonRecord) -> tuple[str, str, str]:
    """(full name, surname, given name): whichever the record has fills in the others."""
    full = clean(record.name)
    surname, given = clean(record.surname), clean(record.given_name)
    if full and not (surname or given):
        surname, given = split_name(record.name)
    if not full:
        full = surname + given
    return full, surname, given


def _date_columns(born: dt.date | None) -> dict[str, str | None]:
    if born is None:
        return {"dob": None, "dob_year": None, "dob_month": None, "dob_day": None}
    text = born.strftime("%Y%m%d")
    return {"dob": text, "dob_year": text[:4], "dob_month": text[4:6], "dob_day": text[6:]}


def prepare(record: PersonRecord) -> dict[str, Any]:
    """The Splink input row of one person (every column text or NULL)."""
    full, surname, given = _names(record)
    id_number = normalize_id_number(record.id_number)
    id_born, id_sex = id_number_facts(id_number)
    return {
        "unique_id": str(record.id),
        "name": _or_none(full),
        "surname": _or_none(surname),
        "given_name": _or_none(given),
        "name_py": _or_none(pinyin(full)),
        "surname_py": _or_none(pinyin(surname)),
        "given_py": _or_none(pinyin(given)),
        **_date_columns(record.date_of_birth or id_born),
        "sex": _or_none(normalize_sex(record.sex) or id_sex),
        "place": _or_none(clean(record.place)),
        "address": _or_none(clean(record.address)),
        "phone": _or_none(normalize_phone(record.phone)),
        "id_number": _or_none(id_number),
    }
