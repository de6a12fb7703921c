"""A sealed record is seen only by the roles its seal names; the access report shows
reads outside case teams, bulk reads and spikes on one case."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lantern.access.roles import Role
from lantern.audit.models import AuditEntry
from lantern.people import snooping
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SEAL = {"roles": ["unit_head"], "reason": "未成年人犯罪记录封存", "legal_reference": "刑事诉讼法第二百八十六条"}


@pytest.fixture
def people(units):
    found = police(units)
    found["inspector"] = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="c_insp")
    return found


def test_a_sealed_record_is_hidden_from_roles_the_seal_does_not_name(people):
    case = Api(people["intake"]).post("/cases", report()).json()
    head, sup = Api(people["county_head"]), Api(people["supervisor"])
    assert sup.get(f"/cases/{case['id']}").status_code == 200
    assert sup.post(f"/cases/{case['id']}/seal", SEAL).status_code == 403  # only unit heads seal
    assert head.post(f"/cases/{case['id']}/seal", {**SEAL, "roles": ["nobody"]}).status_code == 422
    assert head.post(f"/cases/{case['id']}/seal", SEAL).status_code == 201
    assert sup.get(f"/cases/{case['id']}").status_code == 404
    assert case["id"] not in [c["id"] for c in sup.get("/cases").json()]
    assert head.get(f"/cases/{case['id']}").status_code == 200
    read = AuditEntry.objects.filter(action="case.read", actor_id=people["county_head"].pk).last()
    assert read.details["sealed"] is True
    lifted = head.post(f"/cases/{case['id']}/seal/lift", {"reason": "依法解除封存"})
    assert lifted.status_code == 200
    assert sup.get(f"/cases/{case['id']}").status_code == 200


def test_break_glass_does_not_open_a_sealed_record(people):
    from tests.factories import next_code

    case = Api(people["intake"]).post("/cases", report()).json()
    assert Api(people["county_head"]).post(f"/cases/{case['id']}/seal", SEAL).status_code == 201
    outsider = people["investigator2"]
    api = Api(outsider)
    refused = api.post("/break-glass", {"case_number": case["case_number"], "code": next_code(outsider),
                                        "reason": "需要核对另案中的同一嫌疑人信息。"})
    assert refused.status_code == 403


def test_the_access_report_names_reads_outside_the_team_bulk_reads_and_spikes(people, monkeypatch, capsys):
    intake = Api(people["intake"])
    ids = [intake.post("/cases", report()).json()["id"] for _ in range(3)]
    sup = Api(people["supervisor"])
    for pk in ids:
        assert sup.get(f"/cases/{pk}").status_code == 200
    monkeypatch.setattr(snooping, "BULK_CASES_PER_HOUR", 2)
    monkeypatch.setattr(snooping, "SPIKE_READERS_PER_DAY", 1)
    head = Api(people["county_head"])
    head.get(f"/cases/{ids[0]}")
    body = Api(people["inspector"]).get("/privacy/access-report?days=1").json()
    by_user = {u["username"]: u for u in body["users"]}
    assert by_user["c_sup"]["outside_team"] == 3 and by_user["c_sup"]["with_identity_outside"] == 3
    assert by_user["c_sup"]["bulk_hours"][0][1] == 3
    assert by_user["c_head"]["outside_team"] == 1 and by_user["c_head"]["bulk_hours"] == []
    assert [s["readers"] for s in body["spikes"]] == [2]
    # The same report as a command, for the weekly review.
    call_command("snooping_report", days=1)
    out = capsys.readouterr().out
    assert "c_sup\t3\t3\t0\t3\t" in out
    # Denied to those who do not inspect.
    assert sup.get("/privacy/access-report").status_code == 403


def test_a_unit_head_seals_from_the_case_page(people):
    from django.test import Client

    from tests.factories import sign_in

    case = Api(people["intake"]).post("/cases", report()).json()
    client = Client()
    sign_in(client, people["county_head"])
    assert 'data-testid="seal-form"' in client.get(f"/cases/{case['id']}/").content.decode()
    client.post(f"/privacy/cases/{case['id']}/seal/", {"roles": ["unit_head"], "reason": "未成年人犯罪记录封存",
                                                       "legal_reference": "刑事诉讼法第二百八十六条"})
    assert 'data-testid="sealed"' in client.get(f"/cases/{case['id']}/").content.decode()
    assert Api(people["supervisor"]).get(f"/cases/{case['id']}").status_code == 404
