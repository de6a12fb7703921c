"""Interviews of child victims: a guardian or appropriate adult present, a woman to
interview a girl, and a second interview only on an approved written reason."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(units):
    people = police(units)
    case = Api(people["intake"]).post("/cases", report()).json()  # a girl of 12
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    sup.act(case["id"], "assign", assignees=["c_inv"])
    return {"people": people, "case": case, "sup": sup, "inv": Api(people["investigator"])}


def interview(api, case_id, **overrides):
    body = {"at": timezone.now().isoformat(), "interviewer_sex": "female", "place": "一站式询问室",
            "guardian_present": True, "audio_video": True}
    body.update(overrides)
    return api.post(f"/cases/{case_id}/interviews", body)


def test_a_child_is_interviewed_with_an_adult_present_by_a_woman(world):
    inv, cid = world["inv"], world["case"]["id"]
    refused = interview(inv, cid, guardian_present=False, interviewer_sex="male")
    assert refused.status_code == 409
    assert {u["code"] for u in refused.json()["error"]["details"]["unmet"]} == {"adult_present", "female_interviewer"}
    assert interview(inv, cid, guardian_present=False, appropriate_adult="学校心理老师").status_code == 201
    assert inv.get(f"/cases/{cid}").json()["victim_interviews"] == 1


def test_a_second_interview_needs_a_reason_approved_by_a_supervisor(world):
    inv, sup, cid = world["inv"], world["sup"], world["case"]["id"]
    assert interview(inv, cid).status_code == 201
    again = interview(inv, cid)
    assert again.status_code == 409 and again.json()["error"]["details"]["unmet"][0]["code"] == "one_interview"
    short = inv.post(f"/cases/{cid}/interviews/repeat-requests", {"reason": "再问问"})
    assert short.status_code == 422
    req = inv.post(f"/cases/{cid}/interviews/repeat-requests",
                   {"reason": "嫌疑人供述出现新的作案地点，需向被害人核实一处细节。"}).json()
    assert inv.post(f"/interviews/repeat-requests/{req['id']}/decision", {"approve": True}).status_code == 403
    assert interview(inv, cid).status_code == 409  # not approved yet
    assert sup.post(f"/interviews/repeat-requests/{req['id']}/decision", {"approve": True}).status_code == 200
    assert interview(inv, cid).status_code == 201
    assert interview(inv, cid).status_code == 409  # one approval, one interview
    log = inv.get(f"/cases/{cid}/interviews").json()
    assert log["count"] == 2 and log["interviews"][1]["repeat_approved_by"] == "c_sup"


def test_an_adult_victim_may_be_interviewed_again(units):
    people = police(units)
    case = Api(people["intake"]).post("/cases", report(victim={"name": "测试", "sex": "female",
                                                               "estimated_age": 30})).json()
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    for _ in range(2):
        assert interview(sup, case["id"], guardian_present=False, interviewer_sex="male").status_code == 201


def test_the_case_page_shows_the_interview_count_and_records_one(world):
    from django.test import Client

    from tests.factories import sign_in

    client = Client()
    sign_in(client, world["people"]["investigator"])
    cid = world["case"]["id"]
    client.post(f"/evidence/cases/{cid}/interviews/", {"interviewer_sex": "female", "place": "一站式询问室",
                                                       "guardian_present": "on", "audio_video": "on"})
    page = client.get(f"/cases/{cid}/").content.decode()
    assert 'data-testid="interviews"' in page and "一站式询问室" in page
    refused = client.post(f"/evidence/cases/{cid}/interviews/", {"interviewer_sex": "female", "place": "x",
                                                                 "guardian_present": "on"}, follow=True)
    assert any("one_interview" in str(m) or "approved reason" in str(m) or "批准" in str(m)
               for m in refused.context["messages"])
