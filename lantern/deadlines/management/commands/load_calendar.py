"""Load the official holiday schedule for a year, as announced by the State Council.

    python manage.py load_calendar 2027.csv --year 2027 --reference "国办发明电〔2026〕7号"

The CSV has a header and one row per exception to the Monday-to-Friday week:
    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-07,workday,春节调休上班
Deadlines computed for that year by rule (marked provisional) are recomputed.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lantern.core.context import origin
from lantern.core.errors import ValidationFailed
from lantern.deadlines.actions import load_official_calendar


def read_csv(path: Path) -> list[tuple[dt.date, str, str]]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rows.append((dt.date.fromisoformat(row["date"].strip()), row["kind"].strip(), row.get("name") or ""))
            except (KeyError, ValueError, AttributeError) as exc:
                raise CommandError(_("Line %(n)s: expected date (YYYY-MM-DD), kind and name.") % {"n": number}) \
                    from exc
    return rows


class Command(BaseCommand):
    help = "Load a year's official holiday schedule from a CSV file (date,kind,name)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--reference", required=True, help="the official notice, e.g. 国办发明电〔2026〕7号")

    def handle(self, *args, csv_file: Path, year: int, reference: str, **options) -> None:
        if not csv_file.exists():
            raise CommandError(_("No such file: %(path)s") % {"path": csv_file})
        try:
            with origin("cli"):
                load_official_calendar(actor=None, year=year, reference=reference, days=read_csv(csv_file))
        except ValidationFailed as exc:
            raise CommandError("\n".join(str(m) for ms in exc.details.values() for m in ms)) from exc
        self.stdout.write(_("Loaded the official schedule for %(year)s.") % {"year": year})
