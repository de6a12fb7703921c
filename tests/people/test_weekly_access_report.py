"""The weekly access report reaches inspectors and unit heads by itself (a job of the
worker), each told the counts of the report they may see, and no one else."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import translation

from lantern.access.roles import Role
from lantern.notifications.models import Notification
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_weekly_job_tells_each_reader_the_counts_of_their_report(units):
    people = police(units)
    inspector = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="c_insp")
    ids = [Api(people["intake"]).post("/cases", report()).json()["id"] for _ in range(2)]
    outsider = Api(people["supervisor"])
    for pk in ids:
        assert outsider.get(f"/cases/{pk}").status_code == 200  # reads outside the case team
    call_command("run_jobs", only=["people.weekly_access_report"])
    told = Notification.objects.filter(kind="access_report_ready")
    assert {n.recipient.username for n in told} == {"c_insp", "c_head"}
    notice = told.get(recipient=inspector)
    assert notice.case is None
    with translation.override("en"):
        title, body = notice.worded()
    assert title.startswith("Access report for the week to ")
    assert "1 users read cases outside their teams" in body
    with translation.override("zh-hans"):
        assert "调阅情况报告" in "".join(notice.worded())
    assert "测试" not in title + body  # counts only: no one's name
