"""An approver in a real browser: the proposal's reason and evidence summary stand beside
the decision form; the form cannot be sent without the approver's own reason or without
confirming, and the server refuses it too when the browser's checks are bypassed."""

from __future__ import annotations

import re

import pytest

from lantern.cases import workflow
from lantern.cases.checklist import set_checklist_item
from lantern.cases.models import Approval, Case
from lantern.intake.services import register_report
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "经全面调查取证，现有证据不能证明犯罪事实发生"


def proposed_non_filing(people):
    case = register_report(actor=people["intake"], report=_report(3)).case
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    workflow.perform(case=case, actor=people["investigator"], name="begin_review")
    for item in case.checklist.all():
        set_checklist_item(actor=people["investigator"], item=item, status="done", note="已完成取证")
    workflow.perform(case=case, actor=people["investigator"], name="propose_non_filing", payload={"reason": REASON})
    return case


def test_the_approver_sees_the_reason_and_cannot_decide_without_a_reason_and_confirmation(page, units):
    people = police(units)
    case = proposed_non_filing(people)
    sign_in(page, people["supervisor"])
    page.goto(f"/cases/{case.pk}/")
    proposal = page.get_by_test_id("proposal")
    assert REASON in page.get_by_test_id("proposal-reason").inner_text()
    assert "c_inv" in proposal.inner_text()
    assert "11" in page.get_by_test_id("evidence-summary").inner_text()  # the 12-to-14 band's 11 items

    form = proposal.locator("form[data-action=approve_decision]")
    form.locator("button[type=submit]").click()  # no reason, no confirmation: the browser holds it
    assert form.locator("textarea[name=reason]").evaluate("e => !e.checkValidity()")
    form.locator("textarea[name=reason]").fill("同意不予立案")
    form.locator("button[type=submit]").click()  # reason but no confirmation: still held
    assert form.locator("input[name=confirm]").evaluate("e => !e.checkValidity()")
    assert not Approval.objects.exists()

    # Without the browser's checks (an old browser, a script): the server refuses as well.
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    form.locator("textarea[name=reason]").fill("")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    assert "书面理由" in page.locator("ul.messages").inner_text()  # "A written reason is required."
    assert not Approval.objects.exists()

    page.goto(f"/cases/{case.pk}/")
    form = page.get_by_test_id("proposal").locator("form[data-action=approve_decision]")
    form.locator("textarea[name=reason]").fill("同意：取证完整，理由成立")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    assert Approval.objects.get().reason == "同意：取证完整，理由成立"
    assert Case.objects.get(pk=case.pk).state == "UNDER_REVIEW"  # a minor: the county head decides next
