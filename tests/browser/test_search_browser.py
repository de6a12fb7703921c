"""The search box in a real browser, on a phone (390 px) and a desk (1,366 px): typed into
the header on any page, the results page lists the case with what matched, and neither
page scrolls sideways."""

from __future__ import annotations

import re

import pytest

from lantern.intake.services import register_report
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("width", [390, 1366])
def test_a_phone_typed_into_the_header_finds_the_case_without_sideways_scrolling(page, units, width):
    people = police(units)
    case = register_report(actor=people["intake"], report=_report(7)).case
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, people["supervisor"])
    page.goto("/cases/")
    assert page.evaluate(OVERFLOW) <= 0
    box = page.locator("form.header-search input[name=q]")
    assert box.is_visible()
    box.fill("+86 139 0000 0007")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    row = page.get_by_test_id("search-results")
    assert case.case_number in row.inner_text() and "电话" in row.inner_text()
    assert page.evaluate(OVERFLOW) <= 0
    page.get_by_role("link", name=case.case_number).click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    page.go_back()
    page.fill("#search-q", "13799999999")
    page.click("form.search-page button[type=submit]")
    assert page.get_by_test_id("search-empty").inner_text() == "在您可查看的案件中没有匹配结果。"
    assert page.evaluate(OVERFLOW) <= 0
