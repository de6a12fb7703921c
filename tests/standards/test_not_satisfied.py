"""The procuratorate reads the checklist with what satisfied each item, and in supervision
of a non-filing can find an item not satisfied with a reason (issue 18, item 3): the item
reopens for the police and a pending non-filing cannot be approved until they work it again."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.audit.models import AuditEntry
from lantern.cases.models import ChecklistItem, ItemObjection
from tests.cases.test_approval import proposed_non_filing
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def item_of(case, key):
    return next(i for i in case["checklist"] if i["key"] == key)


def test_a_prosecutors_not_satisfied_reopens_the_item_and_blocks_the_pending_non_filing(people):
    cid, inv, sup = proposed_non_filing(people)
    pros = Api(people["prosecutor"])
    seen = pros.get(f"/cases/{cid}").json()
    interview = item_of(seen, "victim_interview")
    assert interview["status"] == "done" and interview["satisfied_by"] == ["interview"]
    found = pros.post(f"/cases/{cid}/checklist/{interview['id']}/not-satisfied",
                      {"reason": "未见同步录音录像，询问笔录不完整。"})
    assert found.status_code == 200, found.content
    reopened = item_of(found.json(), "victim_interview")
    assert reopened["status"] == "open" and reopened["objection"]["by"] == people["prosecutor"].username
    entry = AuditEntry.objects.filter(action="case.checklist_not_satisfied").get()
    assert entry.details["item"] == "victim_interview" and "录像" not in str(entry.details)
    refused = sup.act(cid, "approve_decision", reason="同意")
    assert refused.status_code == 409
    assert "prosecutor_objection" in [u["code"] for u in refused.json()["error"]["details"]["unmet"]]
    # The police work it again: the objection is answered and stays on record.
    done = inv.patch(f"/cases/{cid}/checklist/{interview['id']}", {"status": "done", "note": "已补充同步录音录像。"})
    assert done.status_code == 200, done.content
    assert ItemObjection.objects.get().answered_at is not None
    assert sup.act(cid, "approve_decision", reason="同意").status_code == 200


def test_only_a_prosecutor_and_only_in_supervision_of_a_non_filing(people):
    cid, inv, sup = proposed_non_filing(people)
    item = ChecklistItem.objects.filter(case_id=cid).first()
    for police in (inv, sup):
        answer = police.post(f"/cases/{cid}/checklist/{item.pk}/not-satisfied", {"reason": "x"})
        assert answer.status_code == 403
    assert sup.act(cid, "return_decision", reason="退回补充").status_code == 200
    pros = Api(people["prosecutor"])
    outside = pros.post(f"/cases/{cid}/checklist/{item.pk}/not-satisfied", {"reason": "x"})
    assert outside.status_code in (404, 409)  # no non-filing in supervision (or no longer visible)
    assert not ItemObjection.objects.exists()


def test_a_reason_is_required(people):
    cid, _inv, _sup = proposed_non_filing(people)
    item = ChecklistItem.objects.filter(case_id=cid).first()
    answer = Api(people["prosecutor"]).post(f"/cases/{cid}/checklist/{item.pk}/not-satisfied", {"reason": "  "})
    assert answer.status_code == 422 and "reason" in answer.json()["error"]["details"]


def test_the_page_offers_the_prosecutor_the_form(people):
    cid, _inv, _sup = proposed_non_filing(people)
    client = Client()
    sign_in(client, people["prosecutor"])
    page = client.get(f"/cases/{cid}/").content.decode()
    assert 'data-testid="not-satisfied"' in page and 'data-testid="standard-version"' in page
    item = ChecklistItem.objects.get(case_id=cid, key="premeditation")
    answer = client.post(f"/cases/{cid}/checklist/{item.pk}/not-satisfied/", {"reason": "未查明作案预谋。"})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == "open"
