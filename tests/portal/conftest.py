from __future__ import annotations

import json

import pytest

from tests.cases.helpers import police
from tests.cases.test_linxia_scenario import Api
from tests.deadlines.test_sweep import smtp  # noqa: F401  (a real SMTP server on a free port)
from tests.family import partner_services, reachable_report


@pytest.fixture
def people(units):
    partner_services()
    return police(units)


@pytest.fixture
def sms(settings, tmp_path):
    """The SMS gateway's file backend; returns a reader of what was sent."""
    settings.LANTERN_SMS_FILE = tmp_path / "sms.jsonl"

    def sent() -> list[dict]:
        path = settings.LANTERN_SMS_FILE
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return sent


@pytest.fixture
def registered(people):
    """A report with a reachable complainant: the creation response (tracking code, secret)."""
    created = Api(people["intake"]).post("/cases", reachable_report())
    assert created.status_code == 201, created.content
    return created.json()
