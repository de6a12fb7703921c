from __future__ import annotations

import importlib
import os

import pytest
from django.core.cache import cache
from django.db import connection

from lantern.access.roles import Role
from lantern.core.vault.keys import provider
from tests import factories

provider().create()  # the test run's key file, as `manage.py init_keys` makes it (kept if present)


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings):
    from lantern.deadlines.services import invalidate_calendar

    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
    cache.clear()
    invalidate_calendar()  # a schedule loaded by an earlier test was rolled back with it


@pytest.fixture(autouse=True)
def _sms_stay_in_the_test(settings, tmp_path_factory):
    """Messages to families go to a file of the test run, never into var/."""
    settings.LANTERN_SMS_FILE = tmp_path_factory.mktemp("sms") / "outbox.jsonl"


@pytest.fixture(autouse=True)
def _bundled_calendar_survives_flushes(request):
    """Transactional tests empty every table afterwards, the official holiday schedules and
    the shipped evidence standard the migrations install among them; put them back for the
    next transactional test."""
    marker = request.node.get_closest_marker("django_db")
    wanted = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not wanted and (marker is None or not marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from lantern.deadlines.models import CalendarYear

    if not CalendarYear.objects.exists():
        importlib.import_module("lantern.deadlines.migrations.0002_bundled_calendar").install(apps, None)
    from lantern.standards.models import Template

    if not Template.objects.exists():  # the evidence standard as shipped (a case's checklist comes from it)
        importlib.import_module("lantern.standards.migrations.0002_default_standards").install(apps, None)


# The fixtures through which a test reaches the configured database.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                               "live_server"})


def uses_the_database(item: pytest.Item) -> bool:
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))) or item.get_closest_marker(
        "django_db") is not None


def pytest_collection_modifyitems(config, items):
    on_postgresql = connection.vendor == "postgresql"
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    for item in items:
        if "postgresql" in item.keywords and not on_postgresql:
            item.add_marker(skip)
    if os.environ.get("LANTERN_DATABASE_TESTS_ONLY") == "1":
        # The second pass of `make test` (scripts/test.sh): a test that never reaches the
        # database (arithmetic, the Merkle proofs, collectstatic, the gunicorn limits) gives
        # the first pass's answer again, so it runs once; the PostgreSQL-only ones stay.
        once = [i for i in items if not (uses_the_database(i) or "postgresql" in i.keywords)]
        if once:
            config.hook.pytest_deselected(items=once)
            dropped = set(once)
            items[:] = [i for i in items if i not in dropped]


@pytest.fixture
def units(db):
    return factories.unit_tree()


@pytest.fixture
def investigator(units):
    return factories.make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="inv")


@pytest.fixture
def supervisor(units):
    return factories.make_user(units, "QS-XZDD", Role.SUPERVISOR, username="sup")


@pytest.fixture
def administrator(units):
    return factories.make_user(units, "HX-XXZX", Role.ADMINISTRATOR, username="adm")


@pytest.fixture
def inspector(units):
    return factories.make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="insp")
