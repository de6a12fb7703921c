"""The Linxia case replayed: what went wrong there is refused here, and every refusal
says which condition is unmet."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from tests.cases.helpers import police, report
from tests.factories import api_token

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.token = api_token(self.client, user)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def post(self, path, body=None, **extra):
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json",
                                **self.headers, **extra)

    def get(self, path):
        return self.client.get(f"/api/v1{path}", **self.headers)

    def patch(self, path, body):
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", **self.headers)

    def act(self, case_id, name, **body):
        return self.post(f"/cases/{case_id}/actions/{name}", body)

    def complete_checklist(self, case_id, **fields):
        """Every item of the case's evidence checklist marked done, each with a note saying
        what was done (``fields``: e.g. another note)."""
        for item in self.get(f"/cases/{case_id}").json()["checklist"]:
            done = self.patch(f"/cases/{case_id}/checklist/{item['id']}",
                              {"status": "done", "note": "已完成取证（测试）", **fields})
            assert done.status_code == 200, done.content


@pytest.fixture
def people(units):
    return police(units)


def test_the_linxia_case_cannot_be_closed_without_evidence_and_the_procuratorate_sees_it(people):
    intake, inv, sup = Api(people["intake"]), Api(people["investigator"]), Api(people["supervisor"])
    head, pros = Api(people["county_head"]), Api(people["prosecutor"])

    # Intake: a receipt at once, and the age band and facts set the rules.
    created = intake.post("/cases", report())
    assert created.status_code == 201, created.content
    case = created.json()
    cid = case["id"]
    assert case["tracking_code"] and case["portal_secret"]
    assert case["victim"]["age_band"] == "12_to_14" and case["victim"]["is_minor"]
    assert {"minor", "major_case", "multiple_suspects"} <= set(case["flags"])
    keys = [i["key"] for i in case["checklist"]]
    assert "age_knowledge_analysis" in keys and "phone_extraction" in keys
    kinds = {d["kind"] for d in case["deadlines"]}
    assert {"filing_review_minor", "forensic_examination", "phone_extraction"} <= kinds
    assert "filing_review" not in kinds  # a minor's case is on the minors' clock (2023 opinion art. 5)

    # The team.
    assert sup.act(cid, "assign", assignees=["c_inv"]).status_code == 200
    assert inv.act(cid, "begin_review").json()["state"] == "UNDER_REVIEW"

    # Day 3: "no criminal facts", with the phones not searched and the injuries not examined.
    refused = inv.act(cid, "propose_non_filing", reason="无犯罪事实")
    assert refused.status_code == 409
    unmet = refused.json()["error"]["details"]["unmet"]
    assert unmet[0]["code"] == "checklist_open"
    assert "Age-knowledge analysis" in unmet[0]["message"] and "Suspects' phones seized" in unmet[0]["message"]
    assert Case.objects.get(pk=cid).state == "UNDER_REVIEW"

    # The checklist worked: items done, and one the supervisor rules out in writing.
    items = {i["key"]: i["id"] for i in inv.get(f"/cases/{cid}").json()["checklist"]}
    for key, item_id in items.items():
        if key == "cctv_records":
            refused_na = inv.patch(f"/cases/{cid}/checklist/{item_id}", {"status": "not_applicable", "note": "x"})
            assert refused_na.status_code == 403  # only a supervisor rules an item out
            assert sup.patch(f"/cases/{cid}/checklist/{item_id}",
                             {"status": "not_applicable", "note": "无监控覆盖（现场核实）"}).status_code == 200
        else:
            assert inv.patch(f"/cases/{cid}/checklist/{item_id}",
                             {"status": "done", "note": "已完成（记录见卷宗）"}).status_code == 200

    # Proposed properly now; the proposer cannot approve; one supervisor is not enough.
    assert inv.act(cid, "propose_non_filing", reason="经全面取证，证据不足").status_code == 200
    assert inv.act(cid, "approve_decision").status_code == 403
    first = sup.act(cid, "approve_decision", reason="同意")
    assert first.status_code == 200 and first.json()["state"] == "UNDER_REVIEW"
    assert first.json()["pending_decision"]["approved_by"] == ["c_sup"]
    again = sup.act(cid, "approve_decision")
    assert again.status_code == 409 and again.json()["error"]["details"]["unmet"][0]["code"] == "already_approved"
    done = head.act(cid, "approve_decision", reason="同意不予立案")
    assert done.json()["state"] == "NOT_FILED"
    assert any(d["kind"] == "non_filing_notice" for d in done.json()["deadlines"])

    # The procuratorate's minors office sees it without anyone sending it.
    assert cid in [c["id"] for c in pros.get("/cases?state=NOT_FILED").json()]
    actions = {a["name"]: a for a in pros.get(f"/cases/{cid}/actions").json()}
    assert actions["request_explanation"]["allowed"] and not actions["notify_to_file"]["allowed"]
    assert pros.act(cid, "request_explanation", reason="请说明不立案理由").status_code == 200
    assert sup.act(cid, "submit_explanation", reason="证据不足").status_code == 200
    notice = pros.act(cid, "notify_to_file", reason="不立案理由不能成立")
    assert notice.status_code == 200
    assert any(d["kind"] == "supervision_filing" and d["status"] == "open" for d in notice.json()["deadlines"])

    # Filed within the clock, and the trigger recorded.
    no_trigger = inv.act(cid, "propose_filing", reason="根据检察院通知立案")
    assert no_trigger.status_code == 409
    assert no_trigger.json()["error"]["details"]["unmet"][0]["code"] == "trigger_required"
    proposed = inv.act(cid, "propose_filing", reason="根据检察院通知立案", trigger="procuratorate_notice")
    assert proposed.status_code == 200
    filed = sup.act(cid, "approve_decision", reason="同意立案").json()
    assert filed["state"] == "FILED" and filed["reopen_trigger"] == "procuratorate_notice"
    clock = next(d for d in filed["deadlines"] if d["kind"] == "supervision_filing")
    assert clock["status"] == "met"
    assert any(d["kind"] == "supervision_chase" for d in filed["deadlines"])

    trail = list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(cid))
                 .values_list("action", flat=True))
    for step in ("case.registered", "case.assign", "case.begin_review", "case.propose_non_filing",
                 "case.approve_decision", "case.request_explanation", "case.notify_to_file", "case.propose_filing"):
        assert step in trail


def test_a_supervisor_who_proposes_cannot_approve_their_own_proposal(people):
    sup = Api(people["supervisor"])
    cid = Api(people["intake"]).post("/cases", report(victim={"name": "测试丙", "sex": "female",
                                                              "estimated_age": 30})).json()["id"]
    sup.act(cid, "begin_review")
    assert sup.act(cid, "propose_filing", reason="有犯罪事实").status_code == 200
    refused = sup.act(cid, "approve_decision")
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["unmet"][0]["code"] == "same_person"


def test_a_mandatory_filing_indicator_refuses_non_filing_outright(people):
    sup = Api(people["supervisor"])
    cid = Api(people["intake"]).post("/cases", report(indicators=["genital_injury"])).json()["id"]
    sup.act(cid, "begin_review")
    refused = sup.act(cid, "propose_non_filing", reason="x")
    codes = [u["code"] for u in refused.json()["error"]["details"]["unmet"]]
    assert refused.status_code == 409 and "mandatory_filing" in codes


def test_an_item_reopened_after_a_non_filing_proposal_blocks_its_approval(people):
    """Found by the property test: the evidence gate must hold when the decision is taken,
    not only when it is proposed."""
    sup, head = Api(people["supervisor"]), Api(people["county_head"])
    cid = Api(people["intake"]).post("/cases", report(victim={"name": "测试丁", "sex": "female",
                                                              "estimated_age": 30})).json()["id"]
    sup.act(cid, "begin_review")
    items = sup.get(f"/cases/{cid}").json()["checklist"]
    for item in items:
        sup.patch(f"/cases/{cid}/checklist/{item['id']}", {"status": "done", "note": "已完成取证"})
    assert sup.act(cid, "propose_non_filing", reason="证据不足").status_code == 200
    sup.patch(f"/cases/{cid}/checklist/{items[0]['id']}", {"status": "open", "note": "需补充询问"})
    refused = head.act(cid, "approve_decision", reason="同意")
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["unmet"][0]["code"] == "checklist_open"


def test_an_approver_who_approved_cannot_then_return_the_same_proposal(people):
    """Found by the property test: a second vote by the same person was a database error."""
    inv, sup = Api(people["investigator"]), Api(people["supervisor"])
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.complete_checklist(cid)
    inv.act(cid, "propose_non_filing", reason="证据不足")
    assert sup.act(cid, "approve_decision", reason="同意").status_code == 200
    second = sup.act(cid, "return_decision", reason="改变主意")
    assert second.status_code == 409
    assert second.json()["error"]["details"]["unmet"][0]["code"] == "already_approved"


def test_reconsideration_is_applied_for_in_time_decided_by_someone_else_and_extended_once(people):
    inv, sup, head = Api(people["investigator"]), Api(people["supervisor"]), Api(people["county_head"])
    cid = Api(people["intake"]).post("/cases", report(victim={"name": "测试辛", "sex": "female",
                                                              "estimated_age": 30})).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.complete_checklist(cid)
    inv.act(cid, "propose_non_filing", reason="证据不足")
    sup.act(cid, "approve_decision", reason="同意")
    early = inv.act(cid, "apply_reconsideration")
    assert early.status_code == 409 and early.json()["error"]["details"]["unmet"][0]["code"] == "no_window"
    assert inv.act(cid, "record_notice_delivery", method="in_person").status_code == 200
    assert inv.act(cid, "apply_reconsideration").status_code == 200
    extended = head.act(cid, "extend_decision_period", reason="案情复杂，书面告知申请人")
    assert extended.status_code == 200
    assert head.act(cid, "extend_decision_period", reason="再次延长").json()["error"]["details"]["unmet"][0][
        "code"] == "already_extended"
    # The supervisor approved the non-filing: someone else decides the reconsideration.
    took_part = sup.act(cid, "decide_reconsideration", outcome="overturned", reason="x")
    assert took_part.json()["error"]["details"]["unmet"][0]["code"] == "took_part"
    decided = head.act(cid, "decide_reconsideration", outcome="overturned", reason="事实不清，撤销原决定")
    assert decided.json()["state"] == "FILED" and decided.json()["reopen_trigger"] == "reconsideration"
