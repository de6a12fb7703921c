"""A school in a real browser: a list of 300 staff uploaded for the annual registry check,
the progress bar advancing chunk by chunk (htmx) to 100%, then the rows with the hit first."""

from __future__ import annotations

import re

import pytest

from lantern.access.roles import Role
from lantern.accounts import actions
from lantern.institutions import checks
from lantern.institutions.models import BulkCheck
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.factories import make_user
from tests.institutions.test_registry_checks import People, convict, csv_of, id_number

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_school_checks_300_staff_and_watches_the_bar_reach_100_percent(page, units, tmp_path):
    school = actions.register_institution(actor=None, code="B-SCHOOL", name="浏览器测试小学", kind="school",
                                          address="测试镇学府路3号", division_code="990121",
                                          serving_unit=units["QS-CGPCS"])
    units["B-SCHOOL"] = school.unit
    people = People({**police(units), "teacher": make_user(units, "B-SCHOOL", Role.INSTITUTION, username="b_teacher")})
    offender = id_number(300, born="19750101")
    convict(people, offender)
    staff = tmp_path / "staff.csv"
    staff.write_bytes(csv_of([(f"职工{i:03d}", id_number(i)) for i in range(299)] + [("职工甲", offender)]))
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    steps: list[str] = []
    page.on("request", lambda request: steps.append(request.url) if request.url.endswith("/next/") else None)

    sign_in(page, people["teacher"])
    page.goto("/institutions/checks/")
    form = page.get_by_test_id("bulk-form")
    form.locator("input[type=file]").set_input_files(str(staff))
    form.locator("select[name=purpose]").select_option("annual")
    form.locator("input[name=applicant_consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/institutions/checks/bulk/\d+/$"))

    page.get_by_test_id("bulk-rows").wait_for()
    assert page.get_by_test_id("bulk-percent").inner_text() == "100%"
    assert page.get_by_test_id("bulk-bar").get_attribute("value") == "100"
    assert page.get_by_test_id("bulk-progress").get_attribute("data-finished") == "true"
    rows = page.get_by_test_id("bulk-row")
    assert rows.count() == 300
    assert rows.first.get_attribute("data-result") == "hit" and "职工甲" in rows.first.inner_text()
    batch = BulkCheck.objects.get()
    assert (batch.done, batch.hits) == (300, 1) and batch.finished_at is not None
    assert len(steps) == -(-300 // checks.CHUNK)  # one request per chunk, then the polling stops
    page.wait_for_timeout(600)
    assert len(steps) == -(-300 // checks.CHUNK)
    assert violations == []
