"""Install the official schedules shipped in data/official_calendar.json (2004-2026)."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "official_calendar.json"


def install(apps, schema_editor):
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    now = dt.datetime.now(dt.UTC)
    for year, lists in data["years"].items():
        entry, created = CalendarYear.objects.get_or_create(
            year=int(year), defaults={"reference": data["source"][:200], "loaded_at": now})
        if not created:
            continue
        days = [CalendarDay(year=entry, date=dt.date.fromisoformat(d), kind="holiday", name=n)
                for d, n in lists["holidays"]]
        days += [CalendarDay(year=entry, date=dt.date.fromisoformat(d), kind="workday", name=n)
                 for d, n in lists["workdays"]]
        CalendarDay.objects.bulk_create(days)


def uninstall(apps, schema_editor):
    apps.get_model("deadlines", "CalendarYear").objects.filter(loaded_by_id__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
