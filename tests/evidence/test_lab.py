"""The sexual-assault kit tracker: from collection to the laboratory to the result, place by
place, with the laboratory's clock escalated when it runs out, and a status in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lantern.deadlines.models import Deadline
from lantern.evidence.models import EvidenceItem
from lantern.evidence.selectors import status_in_plain_words
from lantern.notifications.models import Notification
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(units):
    people = police(units)
    case = Api(people["intake"]).post("/cases", report()).json()
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    sup.act(case["id"], "assign", assignees=["c_inv"])
    inv = Api(people["investigator"])
    item = inv.post(f"/cases/{case['id']}/evidence", {
        "kind": "sa_kit", "description": "性侵害证据提取包", "place": "县人民医院",
        "collected_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(), "seal_number": "K-1"}).json()
    return {"people": people, "case": case, "inv": inv, "item": item}


def test_a_kit_goes_to_the_lab_on_a_clock_and_comes_back_with_a_result(kit):
    inv, item, cid = kit["inv"], kit["item"], kit["case"]["id"]
    entry = EvidenceItem.objects.get(pk=item["id"])
    assert "not yet sent" in status_in_plain_words(entry) or "尚未送检" in status_in_plain_words(entry)
    assert inv.post(f"/evidence/{item['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": ""}
                    ).status_code == 422  # the hand-over needs the seal number
    sent = inv.post(f"/evidence/{item['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": "K-1"})
    assert sent.status_code == 201
    shown = inv.get(f"/cases/{cid}/evidence").json()[0]
    assert shown["holder"] == "省厅物证鉴定中心" and shown["custody"][-1]["to"] == "省厅物证鉴定中心"
    clock = Deadline.objects.get(case_id=cid, rule="lab_result", subject="E-1")
    assert clock.period_unit == "working_days" and shown["lab"]["due_at"] is not None
    assert inv.post(f"/evidence/{item['id']}/lab", {"laboratory": "另一实验室", "seal_number": "K-1"}
                    ).status_code == 409
    assert inv.post(f"/evidence/{item['id']}/lab/result", {"result": "检出男性DNA，与嫌疑人一比中"}).status_code == 200
    clock.refresh_from_db()
    assert clock.status == "met"
    assert status_in_plain_words(entry) in ("The laboratory has finished; the investigators have the result.",
                                            "鉴定已完成，办案人员已收到结果。")
    # The plain words for the family carry no result.
    assert "DNA" not in status_in_plain_words(entry)


def test_an_overdue_lab_result_is_escalated_by_the_sweep(kit):
    inv, item, cid = kit["inv"], kit["item"], kit["case"]["id"]
    inv.post(f"/evidence/{item['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": "K-1"})
    Deadline.objects.filter(case_id=cid, rule="lab_result").update(due_at=timezone.now() - dt.timedelta(hours=1),
                                                                  provisional=False)
    call_command("sweep_deadlines")
    assert inv.get(f"/cases/{cid}/evidence").json()[0]["lab"]["overdue"] is True
    assert Notification.objects.filter(recipient=kit["people"]["investigator"], case_id=cid).exists()
