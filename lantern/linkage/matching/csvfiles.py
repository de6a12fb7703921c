"""Lists of persons in CSV files, for ``match_people``: columns by header name, UTF-8 with
or without a byte-order mark; a missing or malformed value is left out of the record and
counted (by column and why), never guessed."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.core.vault.blind import normalize_id_number, normalize_phone
from lantern.linkage.matching.names import clean
from lantern.linkage.matching.records import PersonRecord, normalize_sex

COLUMNS = ("id", "name", "surname", "given_name", "date_of_birth", "sex", "place", "address", "phone", "id_number")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_ID_NUMBER = re.compile(r"^[0-9A-Z]{15,18}$")
_LETTER = re.compile(r"[^\W\d_]")
EARLIEST_BIRTH = dt.date(1900, 1, 1)

# Why a value was left out, as the summary says it.
NOT_A_DATE = gettext_lazy("not a date (YYYY-MM-DD or YYYYMMDD)")
OUT_OF_RANGE = gettext_lazy("a date of birth before 1900 or in the future")
NOT_A_SEX = gettext_lazy("neither male nor female")
NOT_A_PHONE = gettext_lazy("fewer than 7 digits")
NOT_AN_ID = gettext_lazy("not 15 to 18 digits or letters")
NOT_A_NAME = gettext_lazy("no letters")


class NoIdColumn(ValueError):
    pass


class NotUtf8(ValueError):
    pass


@dataclass
class Summary:
    """What reading one file found: rows read and kept, and the values left out."""

    path: Path
    rows: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # why whole rows were left out
    ignored: Counter[tuple[str, str]] = field(default_factory=Counter)  # (column, why) of values left out
    unknown_columns: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [_("%(path)s: %(rows)s rows read, %(kept)s persons kept.") % {
            "path": self.path, "rows": self.rows, "kept": self.kept}]
        out += [_("  rows left out (%(why)s): %(n)s") % {"why": why, "n": n} for why, n in sorted(self.skipped.items())]
        out += [_("  %(column)s ignored (%(why)s): %(n)s") % {"column": col, "why": why, "n": n}
                for (col, why), n in sorted(self.ignored.items())]
        if self.unknown_columns:
            out.append(_("  columns not used: %(columns)s") % {"columns": ", ".join(self.unknown_columns)})
        return out


def _date(raw: str) -> tuple[dt.date | None, str]:
    found = _DATE.match(raw)
    if not found:
        return None, str(NOT_A_DATE)
    try:
        value = dt.date(*(int(g) for g in found.groups()))
    except ValueError:
        return None, str(NOT_A_DATE)
    if not EARLIEST_BIRTH <= value <= dt.date.today():
        return None, str(OUT_OF_RANGE)
    return value, ""


def _checked(raw: str, normal: Callable[[str], str], valid: Callable[[str], bool], why: object) -> tuple[str, str]:
    value = normal(raw)
    return (value, "") if valid(value) else ("", str(why))


def _field(column: str, raw: str) -> tuple[object, str]:
    """(value, "") or (empty, why it was left out)."""
    if column == "date_of_birth":
        return _date(raw)
    if column == "sex":
        return _checked(raw, normalize_sex, bool, NOT_A_SEX)
    if column == "phone":
        return _checked(raw, normalize_phone, lambda v: len(v) >= 7, NOT_A_PHONE)
    if column == "id_number":
        return _checked(raw, normalize_id_number, lambda v: bool(_ID_NUMBER.match(v)), NOT_AN_ID)
    if column in ("name", "surname", "given_name"):
        return _checked(raw, lambda v: v.strip(), lambda v: bool(_LETTER.search(clean(v))), NOT_A_NAME)
    return raw.strip(), ""


def _record(key: str, row: dict[str, str], columns: list[str], summary: Summary) -> PersonRecord:
    values: dict[str, object] = {}
    for column in columns:
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        value, why = _field(column, raw)
        if why:
            summary.ignored[(column, why)] += 1
        elif value:
            values[column] = value
    return PersonRecord(id=key, **values)  # type: ignore[arg-type]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if "id" not in header:
                raise NoIdColumn(path)
            reader.fieldnames = header
            yield from reader
    except UnicodeDecodeError as exc:
        raise NotUtf8(path) from exc


def read_persons(path: Path, progress: Callable[[int], None] | None = None) -> tuple[list[PersonRecord], Summary]:
    summary = Summary(path)
    persons: list[PersonRecord] = []
    seen: set[str] = set()
    columns: list[str] | None = None
    for row in _rows(path):
        if columns is None:
            columns = [c for c in row if c in COLUMNS and c != "id"]
            summary.unknown_columns = [c for c in row if c not in COLUMNS and c]
        summary.rows += 1
        if progress and summary.rows % 10_000 == 0:
            progress(10_000)
        key = (row.get("id") or "").strip()
        if not key or key in seen:
            summary.skipped[_("no id") if not key else _("id seen before")] += 1
            continue
        seen.add(key)
        persons.append(_record(key, row, columns, summary))
    summary.kept = len(persons)
    return persons, summary


def write_pairs(path: Path, pairs: Iterable[tuple[str, str, float]]) -> int:
    """The output: ids and probabilities only."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["left_id", "right_id", "probability"])
        for left, right, probability in pairs:
            writer.writerow([left, right, f"{probability:.6f}"])
            count += 1
    return count
