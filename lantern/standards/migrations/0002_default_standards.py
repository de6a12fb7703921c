"""Version 1 of every template of the evidence standard, as Lantern ships it: the items
of the former constants in cases.law, per offence and age band, from the data file beside
this migration (frozen with it: a later edit of the file changes no database)."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_name("default_standards.json")
# In force from before any case Lantern holds: cases registered earlier were worked to it.
SINCE = dt.date(2000, 1, 1)


def install(apps, schema_editor):
    Template = apps.get_model("standards", "Template")
    TemplateItem = apps.get_model("standards", "TemplateItem")
    now = dt.datetime.now(dt.timezone.utc)
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        template = Template.objects.create(offence=entry["offence"], age_band=entry["age_band"], version=1,
                                           status="approved", effective_from=SINCE, drafted_at=now,
                                           approved_at=now, note="Lantern defaults")
        TemplateItem.objects.bulk_create([TemplateItem(template=template, position=n, **item)
                                          for n, item in enumerate(entry["items"], start=1)])


def remove(apps, schema_editor):
    apps.get_model("standards", "TemplateItem").objects.filter(template__version=1, template__drafted_by=None).delete()
    apps.get_model("standards", "Template").objects.filter(version=1, drafted_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
