"""Families find the portal: the messages they get name its address (LANTERN_PUBLIC_URL),
and nothing in the address identifies the case or opens it."""

from __future__ import annotations

import pytest

from lantern.core.public import portal_address
from lantern.portal import signin
from tests.family import Family
from tests.portal.test_questions import not_filed

pytestmark = pytest.mark.django_db


def test_the_family_sms_names_the_portal_address_and_nothing_of_the_case(people, sms, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.LANTERN_PUBLIC_URL = "https://lantern.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        created, _inv = not_filed(people)
    news = sms()[-1]["text"]
    assert "https://lantern.example.gov.cn/portal/" in news
    for detail in (created["tracking_code"], created["portal_secret"], created["case_number"]):
        assert detail not in news


def test_the_sign_in_code_sms_names_the_address_too(people, sms, registered, settings,
                                                    django_capture_on_commit_callbacks):
    settings.LANTERN_PUBLIC_URL = "https://lantern.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        signin.send_sign_in_code(tracking_code=registered["tracking_code"])
    code_sms = sms()[-1]["text"]
    assert "https://lantern.example.gov.cn/portal/" in code_sms and registered["tracking_code"] not in code_sms


def test_the_address_is_the_portals_sign_in_page_which_opens_nothing_by_itself(registered):
    assert portal_address() == "http://127.0.0.1:8000/portal/"  # what make run serves
    page = Family().client.get("/portal/")
    assert page.status_code == 200 and "tracking_code" in page.content.decode()
