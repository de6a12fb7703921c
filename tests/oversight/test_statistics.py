"""Investigation figures count what the campaign watches, as numbers only."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from lantern.access.roles import Role
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_interviews_of_children_kits_historical_cases_and_fugitives_are_counted(units):
    people = police(units)
    analyst = Api(make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="c_analyst"))
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    child = intake.post("/cases", report()).json()["id"]
    intake.post("/cases", report(victim={"name": "测试", "sex": "female", "estimated_age": 30}))
    sup.act(child, "begin_review")
    body = {"at": timezone.now().isoformat(), "interviewer_sex": "female", "place": "询问室",
            "guardian_present": True}
    sup.post(f"/cases/{child}/interviews", body)
    req = sup.post(f"/cases/{child}/interviews/repeat-requests", {"reason": "核实新的作案地点细节。"}).json()
    Api(people["county_head"]).post(f"/interviews/repeat-requests/{req['id']}/decision", {"approve": True})
    assert sup.post(f"/cases/{child}/interviews", body).status_code == 201
    item = sup.post(f"/cases/{child}/evidence", {"kind": "sa_kit", "description": "提取包", "place": "医院",
                                                 "collected_at": timezone.now().isoformat()}).json()
    sup.post(f"/evidence/{item['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": "K-1"})
    sup.post(f"/cases/{child}/historical", {"reason": "案发于多年前"})
    figures = analyst.get("/statistics/investigation").json()
    assert figures["cases"] == 2 and figures["historical_cases"] == 1
    assert figures["child_victims_interviewed"] == 1 and figures["child_victims_interviewed_more_than_once"] == 1
    assert figures["interviews_of_child_victims"] == 2
    assert figures["kits_sent_to_laboratory"] == 1 and figures["kit_results_received"] == 0
    text = json.dumps(figures, ensure_ascii=False)
    assert "测试" not in text and "嫌疑人" not in text  # numbers only
    assert Api(people["investigator"]).get("/statistics/investigation").status_code == 403


def test_only_the_kit_whose_own_clock_ran_out_counts_as_overdue(units):
    import datetime as dt

    from lantern.deadlines.models import Deadline

    people = police(units)
    analyst = Api(make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="c_analyst"))
    sup = Api(people["supervisor"])
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    sup.act(cid, "begin_review")
    for n in (1, 2):
        item = sup.post(f"/cases/{cid}/evidence", {"kind": "sa_kit", "description": "提取包", "place": "医院",
                                                   "collected_at": timezone.now().isoformat()}).json()
        sup.post(f"/evidence/{item['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": f"K-{n}"})
        sup.post(f"/evidence/{item['id']}/lab/arrival", {"received_at": timezone.now().isoformat()})
    Deadline.objects.filter(case_id=cid, rule="lab_result", subject="E-1").update(
        due_at=timezone.now() - dt.timedelta(hours=1))
    figures = analyst.get("/statistics/investigation").json()
    assert figures["kits_sent_to_laboratory"] == 2 and figures["kit_results_overdue"] == 1
