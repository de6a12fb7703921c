"""An intake officer in a real browser: a report registered, a second report about the
same suspect phone warned of as a possible duplicate (htmx), the receipt shown once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from lantern.cases.models import Case
from tests.cases.helpers import police
from tests.factories import PASSWORD, next_code

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user) -> None:
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.fill("input[name=code]", next_code(user))
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/$"))


def fill_report(page, phone: str) -> None:
    page.goto("/intake/")
    page.fill("#id_received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_offence_date", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.fill("#id_narrative", "合成案情")
    page.fill("#id_victim_name", "测试壬")
    page.fill("#id_victim_estimated_age", "13")
    page.fill("#id_complainant_name", "测试癸")
    page.fill("#id_complainant_relation", "母亲")
    page.fill("#id_suspect_1_phone", phone)
    page.locator("#id_suspect_1_phone").dispatch_event("change")


def test_an_officer_registers_a_report_is_warned_of_a_duplicate_and_gets_a_receipt(page, units):
    people = police(units)
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, people["intake"])
    fill_report(page, "13900000077")
    page.click("text=登记并打印回执")
    page.wait_for_url(re.compile(r"/intake/receipt/$"))
    first = Case.objects.get()
    assert page.get_by_test_id("tracking-code").inner_text() == first.tracking_code
    assert page.get_by_test_id("portal-secret").inner_text()
    page.reload()
    assert "/intake/receipt/" not in page.url  # shown once

    fill_report(page, "139 0000 0077")
    warning = page.get_by_test_id("duplicates")
    warning.get_by_text(first.case_number).wait_for()
    warning.get_by_label(re.compile(first.case_number)).check()
    page.click("text=登记并打印回执")
    page.wait_for_url(re.compile(r"/intake/receipt/$"))
    assert Case.objects.filter(merged_into=first).count() == 1
    assert violations == []
