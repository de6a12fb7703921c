"""Creating and closing campaigns: who may, what the refusals say, what the audit log keeps."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from lantern.audit.models import AuditEntry
from lantern.campaigns.models import Campaign
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BODY = {"name": "夏季专项行动", "starts_on": "2026-06-01", "ends_on": "2026-09-30"}


@pytest.fixture
def people(units):
    return {"analyst": make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="an"),
            "prefecture_head": make_user(units, "AP-GAJ", Role.UNIT_HEAD, username="ap_head"),
            "county_head": make_user(units, "QS-GAJ", Role.UNIT_HEAD, username="qs_head"),
            "investigator": make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="inv1"),
            "inspector": make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="insp")}


def test_an_analyst_creates_lists_and_closes_a_campaign_and_each_step_is_audited(people, units):
    analyst = Api(people["analyst"])
    created = analyst.post("/campaigns", {**BODY, "unit_id": units["AP-GAJ"].pk, "priorities": ["minors"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["priorities"] == ["minors"] and body["closed_at"] is None
    listed = analyst.get("/campaigns").json()
    assert [c["name"] for c in listed["items"]] == ["夏季专项行动"]
    assert Api(people["inspector"]).get("/campaigns").json()["count"] == 1  # inspectors read
    closed = analyst.post(f"/campaigns/{body['id']}/close")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    again = analyst.post(f"/campaigns/{body['id']}/close")
    assert again.status_code == 409
    actions = list(AuditEntry.objects.filter(object_type="campaigns.campaign").values_list("action", flat=True))
    assert actions == ["campaign.created", "campaign.closed"]


def test_a_prefecture_unit_head_may_create_a_county_head_and_an_investigator_may_not(people, units):
    unit = units["QS-GAJ"].pk
    assert Api(people["prefecture_head"]).post("/campaigns", {**BODY, "unit_id": unit}).status_code == 201
    county = Api(people["county_head"]).post("/campaigns", {**BODY, "unit_id": unit})
    assert county.status_code == 403
    assert "prefecture" in county.json()["error"]["message"]
    investigator = Api(people["investigator"]).post("/campaigns", {**BODY, "unit_id": unit})
    assert investigator.status_code == 403
    assert Api(people["investigator"]).get("/campaigns").status_code == 403
    assert AuditEntry.objects.filter(action="denied.create_campaign").count() == 2
    assert Campaign.objects.count() == 1


def test_the_scope_must_lie_in_the_creators_jurisdiction_and_the_period_be_ordered(people, units):
    analyst = Api(people["analyst"])
    outside = analyst.post("/campaigns", {**BODY, "unit_id": units["HX-GAT"].pk})
    assert outside.status_code == 403 and "jurisdiction" in outside.json()["error"]["message"]
    backwards = analyst.post("/campaigns", {**BODY, "ends_on": "2026-05-01", "unit_id": units["AP-GAJ"].pk})
    assert backwards.status_code == 422
    assert "ends_on" in backwards.json()["error"]["details"]
    assert analyst.post("/campaigns", {**BODY, "unit_id": 999999}).status_code == 404


def test_statistics_refuse_an_investigator_and_a_unit_outside_the_jurisdiction(people, units):
    assert Api(people["investigator"]).get("/statistics").status_code == 403
    county = Api(people["county_head"])
    assert county.get(f"/statistics?unit_id={units['AP-GAJ'].pk}").status_code == 403
    assert county.get("/statistics?campaign_id=999").status_code == 404
    ok = Api(people["analyst"]).get("/statistics?group_by=month")
    assert ok.status_code == 200, ok.content
    assert set(ok.json()) == {"rows", "definitions", "as_of", "period"}
    assert "received" in ok.json()["definitions"]
