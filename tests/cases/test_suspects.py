"""Suspects through the Criminal Procedure Law: statuses changed only by the moves of the
table, each with its clocks; custody clocks do not run on past a holiday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.deadlines.models import Deadline
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def world(units):
    people = police(units)
    case = Api(people["intake"]).post("/cases", report()).json()  # a minor's case: the minors' office sees it
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    sup.act(case["id"], "assign", assignees=["c_inv"])
    inv = Api(people["investigator"])
    suspect = inv.get(f"/cases/{case['id']}/suspects").json()[0]
    return {"people": people, "case": case, "sup": sup, "inv": inv, "suspect": suspect}


def move(api, suspect_id, name, **body):
    return api.post(f"/suspects/{suspect_id}/moves/{name}", body)


def clock(case_id, rule):
    return Deadline.objects.get(case_id=case_id, rule=rule)


def test_a_detention_clock_ending_in_the_national_day_holiday_is_not_extended(world):
    inv, sid, cid = world["inv"], world["suspect"]["id"], world["case"]["id"]
    detained_at = dt.datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI)
    assert move(inv, sid, "detain", reason="拘留证 清公拘字〔2026〕1号", at=detained_at.isoformat()).status_code == 200
    due = timezone.localtime(clock(cid, "arrest_request").due_at)
    assert due.date() == dt.date(2026, 10, 2)  # 3 days, first not counted, and custody runs through 1-7 October


def test_from_detention_to_arrest_with_each_clock_stopped_and_started(world):
    inv, sid, cid = world["inv"], world["suspect"]["id"], world["case"]["id"]
    assert move(inv, sid, "request_arrest", reason="x").status_code == 409  # not detained yet
    assert move(inv, sid, "detain").status_code == 422  # reason and document required
    assert move(inv, sid, "detain", reason="拘留证 1号").status_code == 200
    assert move(inv, sid, "request_arrest", reason="提请批准逮捕书 1号").status_code == 200
    assert clock(cid, "arrest_request").status == "met" and clock(cid, "arrest_decision").status == "open"
    assert move(inv, sid, "approve_arrest", reason="x").status_code == 403  # the procuratorate decides
    prosecutor = Api(world["people"]["prosecutor"])
    assert move(prosecutor, sid, "approve_arrest", reason="批准逮捕决定书 1号").status_code == 200
    assert clock(cid, "arrest_decision").status == "met"
    custody = clock(cid, "investigation_custody")
    assert custody.period_amount == 2 and custody.period_unit == "months"
    shown = inv.get(f"/cases/{cid}/suspects").json()[0]
    assert shown["status"] == "arrested" and shown["label"] == "嫌疑人一"  # the team sees the name


def test_an_arrest_request_brings_an_adults_case_to_the_procuratorate(units):
    people = police(units)
    adult = report(victim={"name": "测试", "sex": "female", "estimated_age": 30})
    case = Api(people["intake"]).post("/cases", adult).json()
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    from lantern.access.roles import Role
    from tests.factories import make_user

    prosecutor = Api(make_user(units, "QS-JCY", Role.PROSECUTOR, username="c_pros_general"))
    assert prosecutor.get(f"/cases/{case['id']}").status_code == 404
    sid = sup.get(f"/cases/{case['id']}/suspects").json()[0]["id"]
    move(sup, sid, "detain", reason="拘留证 2号")
    move(sup, sid, "request_arrest", reason="提请批准逮捕书 2号")
    assert prosecutor.get(f"/cases/{case['id']}").status_code == 200


def test_extensions_as_the_law_allows_and_no_further(world):
    inv, sup, sid, cid = world["inv"], world["sup"], world["suspect"]["id"], world["case"]["id"]
    head = Api(world["people"]["county_head"])
    move(inv, sid, "detain", reason="拘留证 1号")
    started = clock(cid, "arrest_request").started_at
    body = {"grounds": "special", "days": 4, "reason": "延长羁押期限审批表"}
    assert inv.post(f"/suspects/{sid}/arrest-request/extension", body).status_code == 403
    # A county-level public-security head approves it (MPS Provisions art. 129), not the supervisor.
    refused = sup.post(f"/suspects/{sid}/arrest-request/extension", body)
    assert refused.status_code == 403 and "129" in refused.json()["error"]["message"]
    assert not clock(cid, "arrest_request").extended
    assert head.post(f"/suspects/{sid}/arrest-request/extension", {**body, "days": 5}).status_code == 422
    assert head.post(f"/suspects/{sid}/arrest-request/extension", body).status_code == 200
    extended = clock(cid, "arrest_request")
    assert extended.extended and extended.period_amount == 7
    gang = head.post(f"/suspects/{sid}/arrest-request/extension", {"grounds": "roving_repeated_gang", "days": 30,
                                                                   "reason": "结伙作案"})
    assert gang.status_code == 200 and clock(cid, "arrest_request").period_amount == 30
    assert clock(cid, "arrest_request").started_at == started


def test_the_fugitive_list_shows_suspects_at_large_in_the_users_cases(world):
    inv, sid = world["inv"], world["suspect"]["id"]
    assert move(inv, sid, "abscond", reason="外逃，已上网追逃").status_code == 200
    listed = inv.get("/fugitives").json()
    assert [f["suspect_id"] for f in listed] == [sid]
    assert Api(world["people"]["investigator2"]).get("/fugitives").json() == []
    assert move(inv, sid, "detain", reason="抓获，拘留证 3号").status_code == 200
    assert inv.get("/fugitives").json() == []


def test_the_case_page_extends_the_time_to_request_arrest(world):
    from django.test import Client

    from tests.factories import sign_in

    inv, sid, cid = world["inv"], world["suspect"]["id"], world["case"]["id"]
    move(inv, sid, "detain", reason="拘留证 1号")
    supervisor = Client()
    sign_in(supervisor, world["people"]["supervisor"])
    assert f"/cases/{cid}/suspects/{sid}/extension/" not in supervisor.get(f"/cases/{cid}/").content.decode()
    supervisor.post(f"/cases/{cid}/suspects/{sid}/extension/", {"grounds": "special", "days": "2", "reason": "审批表"})
    assert clock(cid, "arrest_request").period_amount == 3  # refused: the county head approves
    client = Client()
    sign_in(client, world["people"]["county_head"])
    page = client.get(f"/cases/{cid}/").content.decode()
    assert f"/cases/{cid}/suspects/{sid}/extension/" in page
    client.post(f"/cases/{cid}/suspects/{sid}/extension/", {"grounds": "special", "days": "2", "reason": "审批表"})
    assert clock(cid, "arrest_request").period_amount == 5


def test_no_detention_in_a_case_that_was_not_filed(units):
    people = police(units)
    adult = report(victim={"name": "测试", "sex": "female", "estimated_age": 30})
    cid = Api(people["intake"]).post("/cases", adult).json()["id"]
    sup, head = Api(people["supervisor"]), Api(people["county_head"])
    sup.act(cid, "begin_review")
    sup.complete_checklist(cid)
    sup.act(cid, "propose_non_filing", reason="经全面调查，现有证据不能证明犯罪事实发生")
    head.act(cid, "approve_decision", reason="同意")
    suspect = sup.get(f"/cases/{cid}/suspects").json()[0]
    assert "detain" not in [m["name"] for m in suspect["moves"]]
    refused = move(sup, suspect["id"], "detain", reason="拘留证")
    assert refused.status_code == 409 and refused.json()["error"]["details"]["unmet"][0]["code"] == "case_ended"
