"""Approvers do not decide blind (issue 12, item 14): they read the proposal (who, when,
the reason, the evidence summary) beside the decision, give their own reason, and on the
page confirm before an irreversible approval."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.cases.models import Approval, Case, Decision
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

REASON = "经全面调查取证，现有证据不能证明犯罪事实发生"


@pytest.fixture
def people(units):
    return police(units)


def proposed_non_filing(people, **overrides):
    """A minor's non-filing proposed by the investigator (two approvals needed)."""
    sup, inv = Api(people["supervisor"]), Api(people["investigator"])
    cid = Api(people["intake"]).post("/cases", report(**overrides)).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.complete_checklist(cid)
    assert inv.act(cid, "propose_non_filing", reason=REASON).status_code == 200
    return cid, inv, sup


def test_an_approval_or_a_return_without_a_reason_is_refused_naming_the_reason(people):
    cid, _inv, sup = proposed_non_filing(people)
    for name in ("approve_decision", "return_decision"):
        for reason in (None, "", "   "):
            refused = sup.act(cid, name) if reason is None else sup.act(cid, name, reason=reason)
            assert refused.status_code == 409, refused.content
            assert [u["code"] for u in refused.json()["error"]["details"]["unmet"]] == ["reason_required"]
    assert not Approval.objects.exists()
    assert Decision.objects.get(case_id=cid).status == "pending"


def test_the_pending_decision_carries_the_proposal_the_votes_and_the_evidence_summary(people):
    cid, _inv, sup = proposed_non_filing(people)
    cctv = next(i for i in sup.get(f"/cases/{cid}").json()["checklist"] if i["key"] == "cctv_records")
    assert sup.patch(f"/cases/{cid}/checklist/{cctv['id']}",
                     {"status": "not_applicable", "note": "现场无监控"}).status_code == 200
    assert sup.act(cid, "approve_decision", reason="同意：取证完整").status_code == 200
    pending = Api(people["county_head"]).get(f"/cases/{cid}").json()["pending_decision"]
    assert pending["reason"] == REASON and pending["proposed_by"] == "c_inv" and pending["proposed_at"]
    assert pending["approvals"] == [{"approver": "c_sup", "level": 1, "at": pending["approvals"][0]["at"],
                                     "reason": "同意：取证完整"}]
    summary = pending["evidence_summary"]
    assert summary["open"] == 0 and summary["not_applicable"] == 1 and summary["done"] == summary["total"] - 1
    assert summary["not_applicable_items"] == [{"key": "cctv_records", "title": "CCTV, hotel and location records",
                                                "note": "现场无监控"}]
    assert len(summary["done_without_record"]) == summary["done"]  # every item done on a note alone


def test_the_approver_reads_the_proposal_beside_the_form_and_must_confirm(people):
    cid, _inv, _sup = proposed_non_filing(people)
    client = Client()
    client.cookies["lantern_language"] = "en"
    sign_in(client, people["supervisor"])
    page = client.get(f"/cases/{cid}/").content.decode()
    proposal = page[page.index('data-testid="proposal"'):]
    proposal = proposal[:proposal.index("</section>")]
    for expected in (REASON, "c_inv", "Evidence summary", 'data-action="approve_decision"',
                     'data-action="return_decision"', 'name="confirm"', "required"):
        assert expected in proposal, expected

    unconfirmed = client.post(f"/cases/{cid}/actions/approve_decision/", {"reason": "同意"}, follow=True)
    assert "confirm that you have read the proposal" in unconfirmed.content.decode()
    assert not Approval.objects.exists()
    no_reason = client.post(f"/cases/{cid}/actions/approve_decision/", {"reason": "", "confirm": "yes"},
                            follow=True)
    assert "A written reason is required." in no_reason.content.decode()
    assert not Approval.objects.exists()
    client.post(f"/cases/{cid}/actions/approve_decision/", {"reason": "同意", "confirm": "yes"})
    assert Approval.objects.get().reason == "同意"
    assert Case.objects.get(pk=cid).state == "UNDER_REVIEW"  # a minor's non-filing: the head decides next


def test_a_proposers_reason_naming_someone_is_pseudonymised_for_those_without_identities(people):
    from lantern.cases.selectors import case_json

    cid, _inv, _sup = proposed_non_filing(people)
    Decision.objects.filter(case_id=cid).update(reason="经调查，测试甲所述事实现有证据不能证明")
    case = Case.objects.get(pk=cid)
    assert "测试甲" not in case_json(case, people["supervisor"], identity=False)["pending_decision"]["reason"]
    assert "测试甲" in case_json(case, people["supervisor"], identity=True)["pending_decision"]["reason"]
