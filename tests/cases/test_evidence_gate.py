"""The evidence gate cannot be satisfied by clicks (issue 12, item 13): done needs a record
or a note; an impossible item needs a supervisor's reason; an outstanding laboratory
result keeps its item open; recording the work ticks its item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, ChecklistItem
from lantern.evidence.models import EvidenceItem
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

ADULT = {"name": "测试门", "sex": "female", "estimated_age": 30}
UNIDENTIFIED = [{"name": "", "phone": ""}, {"name": "", "phone": ""}]


@pytest.fixture
def people(units):
    return police(units)


def under_review(people, **overrides):
    """A case under review with the investigator on the team; the API clients and the case."""
    sup, inv = Api(people["supervisor"]), Api(people["investigator"])
    case = Api(people["intake"]).post("/cases", report(**overrides)).json()
    sup.act(case["id"], "assign", assignees=["c_inv"])
    inv.act(case["id"], "begin_review")
    return case["id"], inv, sup


def items(api, cid):
    return {i["key"]: i for i in api.get(f"/cases/{cid}").json()["checklist"]}


def done(api, cid, item, note=None):
    body = {"status": "done"} if note is None else {"status": "done", "note": note}
    return api.patch(f"/cases/{cid}/checklist/{item['id']}", body)


def register(api, cid, kind, item=None, **extra):
    body = {"kind": kind, "description": "合成物证", "place": "县人民医院", "seal_number": "K-1",
            "collected_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(), **extra}
    if item is not None:
        body["checklist_item_id"] = item["id"]
    return api.post(f"/cases/{cid}/evidence", body)


def interview(api, cid):
    return api.post(f"/cases/{cid}/interviews", {
        "at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "interviewer_sex": "female",
        "place": "询问室", "guardian_present": True, "audio_video": True})


def test_a_click_without_record_or_note_is_refused_naming_the_note(people):
    cid, inv, _sup = under_review(people)
    for item in items(inv, cid).values():
        for note in (None, "", "   "):
            refused = done(inv, cid, item, note)
            assert refused.status_code == 422, refused.content
            error = refused.json()["error"]
            assert list(error["details"]) == ["note"]
            assert "Write in the note what was done" in error["details"]["note"][0]
    assert set(ChecklistItem.objects.filter(case_id=cid).values_list("status", flat=True)) == {"open"}
    assert not AuditEntry.objects.filter(object_id=str(cid), action="case.checklist_item").exists()
    refused = inv.act(cid, "propose_non_filing", reason="无犯罪事实")
    assert refused.json()["error"]["details"]["unmet"][0]["code"] == "checklist_open"


def test_the_refusal_is_in_chinese_by_default(people):
    cid, inv, _sup = under_review(people)
    item = items(inv, cid)["cctv_records"]
    refused = inv.client.patch(f"/api/v1/cases/{cid}/checklist/{item['id']}", {"status": "done"},
                               content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans", **inv.headers)
    message = refused.json()["error"]["details"]["note"][0]
    assert refused.status_code == 422 and "备注" in message, message


def test_a_note_saying_what_was_done_is_enough(people):
    cid, inv, _sup = under_review(people)
    item = items(inv, cid)["cctv_records"]
    answered = done(inv, cid, item, "已调取宾馆监控，刻录光盘一张")
    assert answered.status_code == 200
    shown = {i["key"]: i for i in answered.json()["checklist"]}["cctv_records"]
    assert shown["status"] == "done" and shown["note"] == "已调取宾馆监控，刻录光盘一张"


def test_questioning_unidentified_suspects_cannot_be_done_only_ruled_out_by_a_supervisor(people):
    cid, inv, sup = under_review(people, suspects=UNIDENTIFIED, victim=ADULT)
    listed = items(inv, cid)
    for key in ("suspect_statements", "phone_extraction"):
        assert [u["code"] for u in listed[key]["blocked"]] == ["no_identified_suspect"]
        refused = done(inv, cid, listed[key], "已询问两名嫌疑人")
        assert refused.status_code == 409
        assert refused.json()["error"]["details"]["unmet"][0]["code"] == "no_identified_suspect"
        assert ChecklistItem.objects.get(pk=listed[key]["id"]).status == "open"
        assert inv.patch(f"/cases/{cid}/checklist/{listed[key]['id']}",
                         {"status": "not_applicable", "note": "嫌疑人身份不明"}).status_code == 403
        ruled_out = sup.patch(f"/cases/{cid}/checklist/{listed[key]['id']}",
                              {"status": "not_applicable", "note": "两名嫌疑人身份均未查明，无法询问"})
        assert ruled_out.status_code == 200
    others = [i for k, i in listed.items() if k not in ("suspect_statements", "phone_extraction")]
    for item in others:
        assert done(inv, cid, item, "已完成取证").status_code == 200
    assert inv.act(cid, "propose_non_filing", reason="证据不足").status_code == 200


def test_an_item_marked_done_before_the_rule_still_counts_as_open_when_impossible(people):
    """Rows from before the gate (or written around it) do not let a non-filing through."""
    cid, inv, _sup = under_review(people, suspects=UNIDENTIFIED, victim=ADULT)
    for item in items(inv, cid).values():
        if item["key"] != "suspect_statements":
            assert done(inv, cid, item, "已完成取证").status_code in (200, 409)
    ChecklistItem.objects.filter(case_id=cid, key__in=["suspect_statements", "phone_extraction"]).update(
        status="done", note="")
    shown = items(inv, cid)
    assert shown["suspect_statements"]["status"] == "open" and shown["suspect_statements"]["recorded_status"] == "done"
    refused = inv.act(cid, "propose_non_filing", reason="证据不足")
    assert refused.status_code == 409
    assert "Suspect statements" in refused.json()["error"]["details"]["unmet"][0]["message"]


def test_an_outstanding_laboratory_result_keeps_its_item_open_until_the_result_ticks_it(people):
    cid, inv, sup = under_review(people, victim=ADULT)
    listed = items(inv, cid)
    for key, item in listed.items():
        if key not in ("biological_evidence", "victim_interview"):
            assert done(inv, cid, item, "已完成取证").status_code == 200
    assert interview(inv, cid).status_code == 201
    kit = register(inv, cid, "sa_kit", listed["biological_evidence"]).json()
    # Collected is not yet "sent to the lab, tracked to the result".
    assert items(inv, cid)["biological_evidence"]["status"] == "open"
    assert inv.post(f"/evidence/{kit['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": "K-1"}
                    ).status_code == 201
    held = items(inv, cid)["biological_evidence"]
    assert [u["code"] for u in held["blocked"]] == ["lab_result_pending"]
    assert "E-1" in held["blocked"][0]["message"]
    refused = done(inv, cid, held, "已送检")
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["unmet"][0]["code"] == "lab_result_pending"
    ruled_out = sup.patch(f"/cases/{cid}/checklist/{held['id']}", {"status": "not_applicable", "note": "不需要"})
    assert ruled_out.status_code == 409
    refused = inv.act(cid, "propose_non_filing", reason="证据不足")
    assert refused.status_code == 409
    assert "Biological evidence to the lab" in refused.json()["error"]["details"]["unmet"][0]["message"]

    # The laboratory's receipt alone does not tick it either: the result does.
    arrived = inv.post(f"/evidence/{kit['id']}/lab/arrival",
                       {"received_at": timezone.now().isoformat(), "receipt_number": "R-1"})
    assert arrived.status_code == 200, arrived.content
    assert items(inv, cid)["biological_evidence"]["status"] == "open"
    assert inv.post(f"/evidence/{kit['id']}/lab/result", {"result": "未检出男性DNA"}).status_code == 200
    ticked = items(inv, cid)["biological_evidence"]
    assert ticked["status"] == "done" and ticked["blocked"] == [] and "E-1" in ticked["proof"][0]
    entry = AuditEntry.objects.filter(object_id=str(cid), action="case.checklist_item").order_by("-id").first()
    assert entry.details == {"item": "biological_evidence", "from": "open", "to": "done", "automatic": True,
                             "source": "lab_result:E-1"}
    assert inv.act(cid, "propose_non_filing", reason="证据不足").status_code == 200


def test_a_kit_sent_to_the_lab_after_the_proposal_blocks_the_approval(people):
    """The Linxia non-filing went through while the kit's result was outstanding; an
    unlinked kit counts too."""
    cid, inv, sup = under_review(people, victim=ADULT)
    inv.complete_checklist(cid)
    assert inv.act(cid, "propose_non_filing", reason="证据不足").status_code == 200
    kit = register(inv, cid, "sa_kit").json()
    inv.post(f"/evidence/{kit['id']}/lab", {"laboratory": "省厅物证鉴定中心", "seal_number": "K-1"})
    summary = inv.get(f"/cases/{cid}").json()["pending_decision"]["evidence_summary"]
    assert summary["open"] == 1 and summary["open_items"][0]["key"] == "biological_evidence"
    refused = sup.act(cid, "approve_decision", reason="同意")
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["unmet"][0]["code"] == "checklist_open"
    assert Case.objects.get(pk=cid).state == "UNDER_REVIEW"


def test_recording_the_interview_ticks_the_victim_interview_once_audited(people):
    cid, inv, _sup = under_review(people)
    assert interview(inv, cid).status_code == 201
    item = items(inv, cid)["victim_interview"]
    assert item["status"] == "done" and item["proof"] and item["satisfied_by"] == ["interview"]
    ticks = AuditEntry.objects.filter(object_id=str(cid), action="case.checklist_item")
    assert [e.details for e in ticks] == [{"item": "victim_interview", "from": "open", "to": "done",
                                           "automatic": True, "source": "interview:1"}]


def test_a_statement_linked_to_the_victim_interview_does_not_replace_recording_the_interview(people):
    """The one-interview rule counts interviews: a linked statement must not bypass it."""
    cid, inv, _sup = under_review(people)
    register(inv, cid, "statement", items(inv, cid)["victim_interview"])
    assert items(inv, cid)["victim_interview"]["status"] == "open"


def test_linked_evidence_ticks_its_item_and_meets_its_clock(people):
    cid, inv, _sup = under_review(people)
    item = items(inv, cid)["forensic_examination"]
    assert register(inv, cid, "forensic_report", item).status_code == 201
    case = inv.get(f"/cases/{cid}").json()
    shown = {i["key"]: i for i in case["checklist"]}["forensic_examination"]
    assert shown["status"] == "done" and shown["proof"] == ["E-1 · Forensic report"]
    clock = next(d for d in case["deadlines"] if d["kind"] == d["subject"] == "forensic_examination")
    assert clock["status"] in ("met", "met_late")


def test_evidence_for_an_unknown_or_foreign_checklist_item_is_refused_and_nothing_stored(people):
    cid, inv, _sup = under_review(people)
    other, _, _ = under_review(people)
    foreign = items(inv, other)["forensic_examination"]
    for bad in ({"id": 999999}, foreign):
        refused = register(inv, cid, "forensic_report", bad)
        assert refused.status_code == 422, refused.content
        assert list(refused.json()["error"]["details"]) == ["checklist_item_id"]
    assert not EvidenceItem.objects.filter(case_id=cid).exists()
    assert ChecklistItem.objects.get(pk=foreign["id"]).status == "open"


def test_the_case_page_says_why_an_item_cannot_be_ticked_and_offers_the_note(people):
    cid, inv, _sup = under_review(people, suspects=UNIDENTIFIED)
    client = Client()
    client.cookies["lantern_language"] = "en"
    sign_in(client, people["investigator"])
    page = client.get(f"/cases/{cid}/").content.decode()
    row = page[page.index('data-testid="checklist-suspect_statements"'):]
    row = row[:row.index("</tr>")]
    assert "No suspect is identified yet" in row and "disabled" in row
    assert 'name="note"' in row and 'value="not_applicable"' not in row  # ruling out is the supervisor's
    item = items(inv, cid)["cctv_records"]
    client.post(f"/cases/{cid}/checklist/{item['id']}/", {"status": "done", "note": ""})
    page = client.get(f"/cases/{cid}/").content.decode()
    assert "Write in the note what was done" in page
    assert ChecklistItem.objects.get(pk=item["id"]).status == "open"
