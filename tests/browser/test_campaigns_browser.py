"""The figures dashboard in a real browser under the site's Content-Security-Policy: the
monthly trend and the unit comparison are drawn by ECharts (paths in their SVG, not an
empty box), at 390 px and 1,366 px without sideways scrolling and without a script error."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from tests.browser.test_intake_browser import sign_in
from tests.campaigns.world import build
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Paths ECharts drew that carry a colour of a series (lines, bars), not the axes' grey.
DRAWN = """id => Array.from(document.querySelectorAll('#' + id + ' svg path'))
  .filter(p => ['#1b4f9c', '#c0392b', '#1e7d32', '#7b3fa0']
                 .includes((p.getAttribute('stroke') || p.getAttribute('fill') || '').toLowerCase())
               && (p.getAttribute('d') || '').length > 10).length"""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_dashboard_draws_its_charts(page, units, width):
    build(units)
    analyst = make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="b_analyst")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, analyst)
    page.goto("/campaigns/")
    page.locator("#trend-chart svg path").first.wait_for(state="attached")
    page.locator("#units-chart svg path").first.wait_for(state="attached")
    assert page.evaluate(f"({DRAWN})('trend-chart')") >= 3  # a line per figure with values
    assert page.evaluate(f"({DRAWN})('units-chart')") >= 3  # bars
    assert "受理报案" in page.get_by_test_id("figures").inner_text()
    assert page.evaluate(OVERFLOW) <= 0
    assert errors == []
