"""A case filed on the procuratorate's notice is supervised until it is concluded: three
months on, an unconcluded case is chased by letter (SPP Rules 2019 art. 564); once the
case is concluded the clock stops and nobody is chased."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Suspect
from lantern.deadlines.models import Deadline
from lantern.deadlines.sweep import sweep
from lantern.notifications.models import Notification
from tests.cases.helpers import ONE_SUSPECT, police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


def filed_on_notice(people):
    """A minor's case not filed, supervised by the procuratorate, filed on its notice."""
    intake, inv, sup = Api(people["intake"]), Api(people["investigator"]), Api(people["supervisor"])
    head, pros = Api(people["county_head"]), Api(people["prosecutor"])
    cid = intake.post("/cases", report(suspects=ONE_SUSPECT)).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    sup.complete_checklist(cid, note="已完成（合成测试）")
    assert inv.act(cid, "propose_non_filing", reason="证据不足").status_code == 200
    sup.act(cid, "approve_decision", reason="同意")
    assert head.act(cid, "approve_decision", reason="同意").json()["state"] == "NOT_FILED"
    pros.act(cid, "request_explanation", reason="请说明不立案理由")
    sup.act(cid, "submit_explanation", reason="证据不足")
    pros.act(cid, "notify_to_file", reason="不立案理由不能成立")
    inv.act(cid, "propose_filing", reason="根据检察院通知立案", trigger="procuratorate_notice")
    assert sup.act(cid, "approve_decision", reason="同意立案").json()["state"] == "FILED"
    return cid, {"inv": inv, "sup": sup, "pros": pros}


def chase_clock(cid):
    return Deadline.objects.get(case_id=cid, rule="supervision_chase")


def test_sending_the_case_for_prosecution_stops_the_chase_and_nothing_escalates_later(people, monkeypatch):
    cid, api = filed_on_notice(people)
    assert chase_clock(cid).status == "open"
    api["inv"].act(cid, "begin_investigation")
    sid = Suspect.objects.get(case_id=cid).pk
    api["inv"].post(f"/suspects/{sid}/moves/detain", {"reason": "拘留证 1号"})
    assert api["sup"].act(cid, "send_for_prosecution", reason="起诉意见书").status_code == 200
    assert chase_clock(cid).status == "met"
    four_months_on = timezone.now() + dt.timedelta(days=120)
    monkeypatch.setattr(timezone, "now", lambda: four_months_on)
    sweep()
    assert chase_clock(cid).escalation_level == 0
    escalated = AuditEntry.objects.filter(object_id=str(cid), action="deadline.escalated")
    assert chase_clock(cid).pk not in [e.details["deadline"] for e in escalated]
    assert not Notification.objects.filter(case_id=cid, kind="deadline_overdue",
                                           body__contains="Filed case concluded").exists()


def test_revoking_or_closing_the_case_stops_the_chase(people):
    cid, api = filed_on_notice(people)
    assert api["sup"].act(cid, "revoke_case", reason="撤销案件决定书").status_code == 200
    assert chase_clock(cid).status == "met"
    assert api["sup"].act(cid, "close_case", reason="结案").status_code == 200
    assert Case.objects.get(pk=cid).state == "CLOSED"


def test_the_prosecutor_records_the_chasing_letter_once_three_months_have_passed(people):
    cid, api = filed_on_notice(people)
    pros = api["pros"]
    early = pros.act(cid, "record_chasing_letter", reason="立案监督案件催办函 清检催〔2026〕1号")
    assert early.status_code == 409 and early.json()["error"]["details"]["unmet"][0]["code"] == "chase_not_due"
    Deadline.objects.filter(case_id=cid, rule="supervision_chase").update(
        due_at=timezone.now() - dt.timedelta(days=1))  # three months on, not concluded
    assert api["sup"].act(cid, "record_chasing_letter", reason="x").status_code == 403  # the procuratorate's act
    no_letter = pros.act(cid, "record_chasing_letter")
    assert no_letter.json()["error"]["details"]["unmet"][0]["code"] == "reason_required"
    chased = pros.act(cid, "record_chasing_letter", reason="立案监督案件催办函 清检催〔2026〕1号")
    assert chased.status_code == 200, chased.content
    assert chase_clock(cid).status == "met_late"  # the police did not conclude it in time
    supervision = next(p for p in chased.json()["proceedings"] if p["kind"] == "supervision")
    assert supervision["chased_at"]
    assert AuditEntry.objects.filter(object_id=str(cid), action="case.record_chasing_letter").count() == 1
    again = pros.act(cid, "record_chasing_letter", reason="再次催办")
    assert again.status_code == 409 and again.json()["error"]["details"]["unmet"][0]["code"] == "no_chase_clock"


def test_a_case_filed_without_supervision_has_no_chase_to_record(people):
    from tests.cases.helpers import filed_case

    case, api = filed_case(people)
    offered = {a["name"]: a for a in api["pros"].get(f"/cases/{case['id']}/actions").json()}  # a minor's case
    assert [u["code"] for u in offered["record_chasing_letter"]["unmet"]] == ["no_chase_clock"]
    assert not Deadline.objects.filter(case_id=case["id"], rule="supervision_chase").exists()
