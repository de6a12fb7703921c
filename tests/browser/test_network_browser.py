"""The network graph and the model's charts in a real browser, under the site's
Content-Security-Policy (local scripts only, no eval): a network of two cases draws its
nodes, a click on a case opens it, and the match review's Splink charts draw, at 390 px
and 1,366 px without sideways scrolling and without a script error."""

from __future__ import annotations

import re

import pytest

from lantern.linkage.matches import record_match
from lantern.linkage.models import NetworkMember
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.linkage.test_match_review import two_cases

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("width", [390, 1366])
def test_a_network_is_drawn_and_its_cases_open_from_the_graph(page, units, width):
    people = police(units)
    intake = Api(people["intake"])
    first = intake.post("/cases", report(suspects=[{"name": "", "phone": "13566667777"}])).json()
    intake.post("/cases", report(suspects=[{"name": "", "phone": "135 6666 7777"}]))
    network = NetworkMember.objects.get(case_id=first["id"]).network_id
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, people["supervisor"])
    page.goto(f"/linkage/networks/{network}/")
    graph = page.locator(".network-graph canvas").first
    graph.wait_for()
    assert page.evaluate(OVERFLOW) <= 0
    # Cytoscape's nodes, as drawn: two cases, the person of each, one phone.
    assert page.locator(".network-graph").get_attribute("data-drawn-nodes") == "5"
    assert page.get_by_test_id("network-cases").inner_text().count("QS-GAJ-") == 2
    page.get_by_role("link", name=first["case_number"]).click()
    page.wait_for_url(re.compile(rf"/cases/{first['id']}/$"))
    assert page.locator("#links .network-graph canvas").first.is_visible()
    assert errors == []


def test_the_match_review_draws_splinks_charts(page, units):
    people = police(units)
    left, right = two_cases(people)
    record_match(left, right, 0.9, model_version=0)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, people["supervisor"])
    page.goto("/linkage/matches/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.locator("[data-splink-chart=match-weights] svg").wait_for()
    page.locator("[data-splink-chart^=waterfall-] svg").first.wait_for()
    assert errors == []
