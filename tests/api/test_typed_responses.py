"""Every API operation declares what it answers: the OpenAPI document describes each
response body (integrators generate clients from it), and a new untyped one fails here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_operation_answers_an_undescribed_object():
    result = subprocess.run([sys.executable, "scripts/openapi_typed.py", "-v"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False, env={**os.environ, "LANTERN_TESTING": "1"})
    assert result.returncode == 0, result.stderr
    assert "untyped: 0" in result.stdout, result.stdout


def test_identity_fields_are_left_out_not_sent_as_null(units):
    from tests.cases.helpers import police, report
    from tests.cases.test_linxia_scenario import Api

    people = police(units)
    created = Api(people["intake"]).post("/cases", report()).json()
    assert created["received_at"].count("T") == 1  # ISO 8601, also in the stored idempotent reply
    # The intake officer sees the report while it is at intake, by pseudonym only.
    case = Api(people["intake"]).get(f"/cases/{created['id']}")
    assert case.status_code == 200
    body = case.json()
    assert "name" not in body["victim"] and "narrative" not in body and "suspects" not in body
    sup = Api(people["supervisor"]).get(f"/cases/{created['id']}").json()
    assert sup["victim"]["name"] == "测试甲" and sup["narrative"]


def test_under_test_a_key_the_schema_does_not_declare_fails_instead_of_vanishing():
    import pydantic
    import pytest

    from lantern.cases.schemas import DuplicateOut

    assert DuplicateOut.model_validate({"id": 1, "case_number": "X-1", "state": "RECEIVED"}).id == 1
    with pytest.raises(pydantic.ValidationError, match="extra"):
        DuplicateOut.model_validate({"id": 1, "case_number": "X-1", "state": "RECEIVED", "victim_name": "x"})
