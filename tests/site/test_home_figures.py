"""The home page shows each user their own figures: counts of their work lists, each
linking to the list, and the same numbers the lists show."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lantern.access.roles import Role
from lantern.deadlines.models import Deadline
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db


def tiles(user) -> dict[str, tuple[int, str, bool]]:
    client = Client()
    sign_in(client, user)
    html = client.get("/").content.decode()
    found = re.findall(r'<li class="tile( alert)?"><a href="([^"]+)"><span class="tile-value">([^<]+)</span>'
                       r'<span class="tile-label">([^<]+)</span>', html)
    return {label: (int(value) if value.isdigit() else value, link, bool(alert)) for alert, link, value, label in found}


def test_an_investigator_sees_their_open_and_overdue_cases_counted_and_linked(units):
    people = police(units)
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    ids = [intake.post("/cases", report()).json()["id"] for _ in range(3)]
    for cid in ids[:2]:
        sup.act(cid, "assign", assignees=["c_inv"])
    Deadline.objects.filter(case_id=ids[0]).update(due_at="2000-01-01T00:00:00Z")

    mine = tiles(people["investigator"])
    assert mine["我的在办案件"] == (2, "/cases/?list=mine", False)
    assert mine["已超期"] == (1, "/cases/?list=overdue", True)

    # The supervisor's own figures: the third report has no team yet.
    theirs = tiles(people["supervisor"])
    assert theirs["尚未分配"] == (1, "/cases/?list=unassigned", True)
    assert "我的在办案件" not in theirs


def test_those_who_oversee_see_the_open_flags_and_this_years_figures_of_their_jurisdiction(units):
    from lantern.campaigns.cells import refresh
    from tests.oversight.test_flags import not_filed

    people = police(units)
    not_filed(people)  # a 12-year-old's case, its checklist worked in one go, not filed the same day
    refresh()

    prosecutor = tiles(people["prosecutor"])
    assert prosecutor["未成年人案件不予立案"] == (1, "/oversight/flags/?flag=minor_not_filed", True)
    assert prosecutor["仓促不予立案"][0] == 1 and prosecutor["仓促不予立案"][2]
    assert prosecutor["本院管辖范围内的不予立案决定"][0] == 1

    inspector = tiles(make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="h_inspector"))
    assert inspector["未成年人案件不予立案"][0] == 1 and inspector["问责记录"][0] == 0

    # The analyst's figures are this year's, small numbers suppressed as on the dashboard.
    analyst = tiles(make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="h_analyst"))
    value, link, _ = analyst["本年受理报案数"]
    assert value == "&lt;5" and link.startswith("/campaigns/?from=")
    assert "未成年人案件不予立案" not in analyst  # flags are for those who oversee from outside
