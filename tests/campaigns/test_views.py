"""The dashboard and the campaigns pages: what an analyst sees, what the exports hold
(exactly the shown lines, suppressed cells still suppressed), who is refused."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from lantern.access.roles import Role
from lantern.campaigns.models import Campaign
from tests.campaigns.world import build
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(units):
    return make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="an")


@pytest.fixture
def world(units):
    return build(units)


def test_the_dashboard_shows_each_figure_with_its_definition_and_the_time_it_was_computed(client, analyst, world):
    sign_in(client, analyst)
    page = client.get("/campaigns/").content.decode()
    assert "数据截至" in page or "Figures as of" in page
    assert "受理报案" in page or "Reports received" in page
    assert "<5" in page.replace("&lt;", "<")
    assert 'id="figure-charts"' in page and "echarts-6.1.0.common.min.js" in page
    assert "测试某" not in page and "测嫌" not in page


def test_the_exports_hold_the_shown_lines_with_suppression_kept(client, analyst, world):
    sign_in(client, analyst)
    client.cookies["lantern_language"] = "en"
    body = client.get("/campaigns/export.csv?group_by=unit").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Figure" and rows[0][-1] == "Definition"
    received = next(r for r in rows if r[0] == "Reports received")
    heping = rows[0].index("Heping County PSB")
    assert received[heping] == "<5"
    book = load_workbook(io.BytesIO(client.get("/campaigns/export.xlsx?group_by=unit").content))
    sheet = [[c.value for c in r] for r in book.active.iter_rows()]
    assert [str(v or "") for v in sheet[1]] == received[: len(sheet[1])]
    assert "测试某" not in body


def test_an_analyst_creates_and_closes_a_campaign_on_the_page(client, analyst, units):
    sign_in(client, analyst)
    page = client.post("/campaigns/create/", {"name": "护苗行动", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                                              "unit_id": units["QS-GAJ"].pk, "priorities": ["minors", "fugitives"]},
                       follow=True).content.decode()
    assert "护苗行动" in page
    campaign = Campaign.objects.get()
    assert campaign.priorities == ["minors", "fugitives"]
    refused = client.post("/campaigns/create/", {"name": "x", "starts_on": "2026-02-01", "ends_on": "2026-01-01",
                                                 "unit_id": units["QS-GAJ"].pk}, follow=True).content.decode()
    assert "结束" in refused or "ends before" in refused
    client.post(f"/campaigns/{campaign.pk}/close/")
    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    assert client.get(f"/campaigns/?campaign_id={campaign.pk}").status_code == 200


def test_an_investigator_gets_no_dashboard_and_no_export(client, units):
    sign_in(client, make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="inv9"))
    assert client.get("/campaigns/").status_code == 403
    assert client.get("/campaigns/export.csv").status_code == 403
    assert client.get("/campaigns/list/").status_code == 403
