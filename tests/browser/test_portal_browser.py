"""The family's whole journey in Chromium: sign in with the receipt's code and secret,
read where the case stands, ask a question; the officer answers on the case page; the
family sees the answer. And a partner caseworker works a referral in the workspace."""

from __future__ import annotations

import re

import pytest

from lantern.cases import workflow
from lantern.intake.services import register_report
from lantern.portal.models import Question
from lantern.referrals.services import refer_with_consent
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.factories import make_user
from tests.family import partner_services
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_family_asks_and_reads_the_officers_answer(page, browser, live_server, units, settings, tmp_path):
    settings.LANTERN_SMS_FILE = tmp_path / "sms.jsonl"
    people = police(units)
    done = register_report(actor=people["intake"], report=_report(3))
    workflow.perform(case=done.case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})

    page.goto("/portal/")
    page.fill("#tc", done.tracking_code)
    page.fill("#sec", "wrong-secret")
    page.click("button.go")
    assert "不正确" in page.get_by_test_id("portal-error").inner_text()
    page.fill("#tc", done.tracking_code)
    page.fill("#sec", done.portal_secret)
    page.click("button.go")
    page.wait_for_url(re.compile(r"/portal/case/$"))
    assert "您的报案已经登记" in page.get_by_test_id("portal-status").inner_text()
    assert "是否立案的决定" in page.get_by_test_id("portal-next-deadline").inner_text()
    page.fill("#q", "请问什么时候能告诉我们是否立案？")
    page.get_by_test_id("portal-ask").locator("button").click()
    page.wait_for_url(re.compile(r"/portal/case/$"))
    assert "请问什么时候能告诉我们是否立案？" in page.get_by_test_id("portal-questions").inner_text()

    officer = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    sign_in(officer, people["investigator"])
    officer.goto(f"/cases/{done.case.pk}/")
    questions = officer.get_by_test_id("family-questions")
    assert "请问什么时候能告诉我们是否立案？" in questions.inner_text()
    questions.locator("textarea[name=answer]").fill("我们会在审查期限内作出决定，并书面告知您。")
    questions.get_by_role("button", name="发送答复").click()
    officer.wait_for_url(re.compile(rf"/cases/{done.case.pk}/"))
    assert Question.objects.get().answered_at is not None

    page.reload()
    assert "我们会在审查期限内作出决定，并书面告知您。" in page.get_by_test_id("portal-answer").inner_text()
    page.get_by_test_id("portal-sign-out").click()
    page.wait_for_url(re.compile(r"/portal/\?signed-out=1$"))
    assert page.goto("/portal/case/").url.endswith("/portal/")


def test_a_partner_accepts_a_referral_and_records_first_contact(page, units):
    partner_services()
    people = police(units)
    done = register_report(actor=people["intake"], report=_report(4))
    workflow.perform(case=done.case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    referral = refer_with_consent(actor=people["investigator"], case=done.case, service="counselling",
                                  partner_code="QS-XLZX", given_by="guardian", shared=["age_band"],
                                  need="孩子夜间惊醒，需要心理疏导。", contact_route="case_team")
    partner = make_user(units, "QS-XLZX", "partner_caseworker", username="b_counsel")
    sign_in(page, partner)
    page.goto("/referrals/")
    needs_action = page.get_by_test_id("bucket-needs_action")
    assert f"R-{referral.pk}" in needs_action.inner_text()
    needs_action.get_by_role("link", name=f"R-{referral.pk}").click()
    assert "孩子夜间惊醒" in page.get_by_test_id("referral-detail").inner_text()
    page.click("button[data-move=accepted]")
    page.click("button[data-move=in_progress]")
    page.goto("/referrals/")
    assert f"R-{referral.pk}" in page.get_by_test_id("bucket-pending").inner_text()
    assert page.goto(f"/cases/{done.case.pk}/").status == 404
