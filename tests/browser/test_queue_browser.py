"""The work queue in Chromium at a desk (1,366 px) and on a phone (390 px): the page never
scrolls sideways (the table scrolls inside its card), and the filter form narrows the
list and keeps what was chosen."""

from __future__ import annotations

import pytest

from lantern.intake.services import register_report
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_case_list_fits_the_screen_and_filters_keep_their_values(page, units, width):
    people = police(units)
    cases = [register_report(actor=people["intake"], report=_report(n)).case for n in range(3)]
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, people["supervisor"])
    page.goto("/cases/")
    assert page.get_by_test_id("case-row").count() == 3
    assert page.evaluate(OVERFLOW) <= 0  # no sideways scrolling of the page
    table = page.get_by_test_id("case-list").bounding_box()
    assert table is not None and table["x"] >= 0
    page.select_option("#id_sort", "-case_number")
    page.check("#id_overdue")
    page.get_by_test_id("queue-filters").locator("button[type=submit]").click()
    page.wait_for_url("**overdue=on**")
    assert page.get_by_test_id("case-row").count() == 0  # nothing is overdue yet
    assert page.locator("#id_overdue").is_checked() and page.locator("#id_sort").input_value() == "-case_number"
    page.goto("/cases/?sort=-case_number")
    numbers = [row.get_attribute("data-case") for row in page.get_by_test_id("case-row").all()]
    assert numbers == sorted((c.case_number for c in cases), reverse=True)
    assert page.evaluate(OVERFLOW) <= 0
