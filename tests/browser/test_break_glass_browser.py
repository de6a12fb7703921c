"""Break-glass in a real browser: an investigator outside the case gets "not found", opens
it by break-glass with a reason and a TOTP code, sees the warning banner and the
identities; the supervisor finds the alert in the inbox and records the review."""

from __future__ import annotations

import re

import pytest

from lantern.intake.services import register_report
from lantern.people.models import BreakGlass
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.factories import next_code
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db(transaction=True)


def test_break_glass_opens_a_case_with_a_banner_and_the_supervisor_reviews_it(page, browser, live_server, units):
    people = police(units)
    case = register_report(actor=people["intake"], report=_report(7)).case
    outsider = people["investigator2"]
    sign_in(page, outsider)
    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 404

    page.goto("/privacy/break-glass/")
    page.fill("#bg-case", case.case_number)
    page.fill("#bg-reason", "本大队另案嫌疑人使用同一手机号，需核对案情。")
    page.fill("#bg-code", next_code(outsider))
    page.click("button.danger")
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    assert page.get_by_test_id("break-glass-banner").is_visible()
    assert "测试" in page.get_by_test_id("identities").inner_text()

    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    supervisor_page = context.new_page()
    sign_in(supervisor_page, people["supervisor"])
    supervisor_page.goto("/inbox/")
    assert case.case_number in supervisor_page.content()
    supervisor_page.goto("/privacy/break-glass/reviews/")
    row = supervisor_page.get_by_test_id("reviews")
    assert "c_inv2" in row.inner_text()
    supervisor_page.check("input[name=justified][value=yes]")
    supervisor_page.fill("input[name=note]", "另案核查属实")
    supervisor_page.click("text=记录审查结论")
    supervisor_page.wait_for_url(re.compile(r"/privacy/break-glass/reviews/$"))
    assert BreakGlass.objects.get().review_status == "closed"
    context.close()
