"""A merged report is a record linked to the case that carries the work, as a police
records system links a second report to its master case: listed on the case, no workflow
of its own, its identifiers still found by every later duplicate check."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.cases.models import Case, Suspect
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

SECOND = {"suspects": [{"name": "嫌疑人四", "phone": "13900000044"}], "narrative": "家属再次报案，补充嫌疑人线索。",
          "complainant": {"name": "测试丙", "relation": "母亲", "phone": "13800000002"}}


@pytest.fixture
def people(units):
    return police(units)


@pytest.fixture
def merged(people):
    """A case with its team, and a second report merged into it at intake."""
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    first = intake.post("/cases", report()).json()
    sup.act(first["id"], "assign", assignees=["c_inv"])
    second = intake.post("/cases", report(merge_into=first["id"], **SECOND))
    assert second.status_code == 201, second.content
    return first, second.json()


def test_the_merged_report_appears_on_its_case_and_names_it(people, merged):
    first, second = merged
    sup = Api(people["supervisor"])
    case = sup.get(f"/cases/{first['id']}").json()
    assert case["merged_reports"] == [{"id": second["id"], "case_number": second["case_number"],
                                       "received_at": case["merged_reports"][0]["received_at"]}]
    assert case["merged_into"] is None
    own = sup.get(f"/cases/{second['id']}").json()
    assert own["state"] == "MERGED"
    assert own["merged_into"] == {"case_number": first["case_number"], "id": first["id"]}


def test_a_merged_report_offers_no_workflow_of_its_own(people, merged):
    _first, second = merged
    sup, inv = Api(people["supervisor"]), Api(people["investigator"])
    assert sup.get(f"/cases/{second['id']}/actions").json() == []
    refused = sup.act(second["id"], "assign", assignees=["c_inv"])
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["unmet"][0]["code"] == "merged"
    suspect = Suspect.objects.filter(case_id=second["id"]).first()
    assert inv.post(f"/suspects/{suspect.pk}/moves/detain", {"reason": "拘留证 1号"}).status_code == 403
    moved = sup.post(f"/suspects/{suspect.pk}/moves/detain", {"reason": "拘留证 1号"})
    assert moved.status_code == 409 and moved.json()["error"]["details"]["unmet"][0]["code"] == "merged"
    assert Suspect.objects.get(pk=suspect.pk).status == "identified"
    evidence = sup.post(f"/cases/{second['id']}/evidence", {"kind": "sa_kit", "description": "x", "place": "x",
                                                             "collected_at": "2026-01-01T08:00:00+08:00"})
    assert evidence.status_code == 409  # recorded on the case it was merged into
    assert Case.objects.get(pk=second["id"]).state == "MERGED"


def test_the_case_team_reads_the_merged_report_and_both_pages_link_each_other(people, merged):
    first, second = merged
    inv = Api(people["investigator"])  # on the first case's team only
    seen = inv.get(f"/cases/{second['id']}")
    assert seen.status_code == 200 and seen.json()["narrative"] == SECOND["narrative"]
    assert seen.json()["access_basis"] == "assigned"
    assert Api(people["investigator2"]).get(f"/cases/{second['id']}").status_code == 404  # not on the team
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, people["investigator"])
    master = client.get(f"/cases/{first['id']}/").content.decode()
    assert 'data-testid="merged-reports"' in master and f'href="/cases/{second["id"]}/"' in master
    page = client.get(f"/cases/{second['id']}/").content.decode()
    assert 'data-testid="merged-into"' in page and f'href="/cases/{first["id"]}/"' in page
    assert 'data-action="' not in page  # nothing to do here


def test_a_third_report_matching_only_the_merged_reports_identifiers_finds_the_case(people, merged):
    first, _second = merged
    intake = Api(people["intake"])
    found = intake.post("/cases/duplicates", {"victim_name": "另一人", "suspect_phones": ["13900000044"]})
    assert found.status_code == 200
    assert [c["id"] for c in found.json()] == [first["id"]]
    third = intake.post("/cases", report(merge_into=first["id"], victim={"name": "测试甲", "sex": "female",
                                                                          "estimated_age": 12}))
    assert third.status_code == 201
    assert Api(people["supervisor"]).get(f"/cases/{first['id']}").json()["merged_reports"][1]["id"] == \
        third.json()["id"]
