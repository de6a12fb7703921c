"""`make run` loads the demo: the command must work on a fresh database and be idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lantern.cases.models import Case
from lantern.portal.demo import DEMO_TRACKING_CODE

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_a_second_run_adds_nothing():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "demo data ready" in out.getvalue() and DEMO_TRACKING_CODE in out.getvalue()
    cases = Case.objects.count()
    assert cases > 5 and Case.objects.filter(tracking_code=DEMO_TRACKING_CODE).exists()
    assert Case.objects.filter(state="NOT_FILED").exists()  # the Linxia replay
    call_command("load_demo", stdout=StringIO())
    assert Case.objects.count() == cases
