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
    assert not Deadline.objects.filter(case_id=cid, rule="lab_result").exists()  # in transit: no clock yet
    assert inv.post(f"/evidence/{item['id']}/lab/arrival", {"received_at": timezone.now().isoformat(),
                                                            "receipt_number": "鉴受〔2026〕1号"}).status_code == 200
    shown = inv.get(f"/cases/{cid}/evidence").json()[0]
    assert shown["lab"]["receipt_number"] == "鉴受〔2026〕1号" and shown["lab"]["received_at"] is not None
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


def send(kit):
    body = {"laboratory": "省厅物证鉴定中心", "seal_number": "K-1"}
    return kit["inv"].post(f"/evidence/{kit['item']['id']}/lab", body)


def arrive(kit, at, **body):
    return kit["inv"].post(f"/evidence/{kit['item']['id']}/lab/arrival", {"received_at": at.isoformat(), **body})


def test_the_laboratory_clock_runs_from_the_items_arrival_not_from_its_sending(kit):
    item, cid = kit["item"], kit["case"]["id"]
    send(kit)
    entry = EvidenceItem.objects.get(pk=item["id"])
    assert status_in_plain_words(entry) in ("Sent to the laboratory; waiting for the laboratory to confirm that "
                                            "it arrived.", "已送往鉴定机构，等待鉴定机构确认收到。")
    # The result cannot come back before the laboratory has the item.
    assert kit["inv"].post(f"/evidence/{item['id']}/lab/result", {"result": "x"}).status_code == 409
    sent_at = entry.lab.submitted_at
    assert arrive(kit, sent_at - dt.timedelta(hours=1)).status_code == 422  # before it was sent
    assert arrive(kit, timezone.now() + dt.timedelta(days=1)).status_code == 422  # in the future
    naive = kit["inv"].post(f"/evidence/{item['id']}/lab/arrival", {"received_at": "2026-01-01T08:00:00"})
    assert naive.status_code == 422 and "received_at" in naive.json()["error"]["details"]
    in_transit = Deadline.objects.get(case_id=cid, rule="lab_receipt", subject="E-1")  # followed up (policy)
    assert in_transit.status == "open" and in_transit.period_unit == "working_days"
    received = sent_at + dt.timedelta(minutes=1)
    answered = arrive(kit, received, receipt_number="R-7")
    assert answered.status_code == 200
    in_transit.refresh_from_db()
    assert in_transit.status == "met"
    clock = Deadline.objects.get(case_id=cid, rule="lab_result", subject="E-1")
    assert clock.started_at == received and answered.json()["due_at"] is not None
    assert arrive(kit, received).status_code == 409  # recorded once
    shown = kit["inv"].get(f"/cases/{cid}/evidence").json()[0]["lab"]
    assert shown["received_at"] is not None and shown["receipt_number"] == "R-7"


def test_a_delayed_delivery_moves_the_laboratorys_due_date(kit):
    """Sent on a Monday, received ten days later: 30 working days from the arrival."""
    send(kit)
    submission = EvidenceItem.objects.get(pk=kit["item"]["id"]).lab
    submission.submitted_at = timezone.now() - dt.timedelta(days=10)
    submission.save(update_fields=["submitted_at"])
    arrive(kit, timezone.now())
    clock = Deadline.objects.get(case_id=kit["case"]["id"], rule="lab_result")
    assert clock.started_at > submission.submitted_at + dt.timedelta(days=9)
    assert clock.due_at > timezone.now() + dt.timedelta(days=30)  # 30 working days from today, not from the sending


def test_the_case_page_records_the_laboratorys_receipt(kit):
    from django.test import Client

    from tests.factories import sign_in

    send(kit)
    client = Client()
    sign_in(client, kit["people"]["investigator"])
    cid, iid = kit["case"]["id"], kit["item"]["id"]
    assert f"/evidence/{iid}/lab/arrival/" in client.get(f"/cases/{cid}/").content.decode()
    client.post(f"/evidence/{iid}/lab/arrival/", {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                                                  "receipt_number": "R-8"})
    assert Deadline.objects.filter(case_id=cid, rule="lab_result").exists()
    assert EvidenceItem.objects.get(pk=iid).lab.receipt_number == "R-8"


def test_an_overdue_lab_result_is_escalated_by_the_sweep(kit):
    inv, cid = kit["inv"], kit["case"]["id"]
    send(kit)
    arrive(kit, timezone.now())
    Deadline.objects.filter(case_id=cid, rule="lab_result").update(due_at=timezone.now() - dt.timedelta(hours=1),
                                                                  provisional=False)
    call_command("sweep_deadlines")
    assert inv.get(f"/cases/{cid}/evidence").json()[0]["lab"]["overdue"] is True
    assert Notification.objects.filter(recipient=kit["people"]["investigator"], case_id=cid).exists()
