import importlib

import pytest
from django.apps import apps

from lantern.deadlines.calendar import WorkCalendar
from lantern.deadlines.models import CalendarYear


@pytest.fixture(scope="session")
def calendar(django_db_setup, django_db_blocker):
    """The calendar as the migrations install it (official schedules 2004-2026). A
    transactional test's flush empties every table, so reinstall the bundled data then."""
    with django_db_blocker.unblock():
        if not CalendarYear.objects.exists():
            importlib.import_module("lantern.deadlines.migrations.0002_bundled_calendar").install(apps, None)
        return WorkCalendar.from_db()
