"""The home page shows each user their own figures: counts of their work lists, each
linking to the list, and the same numbers the lists show."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lantern.deadlines.models import Deadline
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def tiles(user) -> dict[str, tuple[int, str, bool]]:
    client = Client()
    sign_in(client, user)
    html = client.get("/").content.decode()
    found = re.findall(r'<li class="tile( alert)?"><a href="([^"]+)"><span class="tile-value">(\d+)</span>'
                       r'<span class="tile-label">([^<]+)</span>', html)
    return {label: (int(value), link, bool(alert)) for alert, link, value, label in found}


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
