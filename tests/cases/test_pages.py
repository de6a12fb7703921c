"""The case pages, as an officer uses them: register, receipt once, work the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.access.roles import Role
from lantern.cases.models import Case
from tests.cases.helpers import police
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


def form(**overrides):
    data = {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "walk_in",
            "offence_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "narrative": "合成案情", "victim_name": "测试戊", "victim_sex": "female",
            "victim_date_of_birth": "2013-03-01", "victim_estimated_age": "", "complainant_name": "测试己",
            "complainant_relation": "母亲", "complainant_phone": "13800000002",
            "suspect_1_name": "嫌疑人", "suspect_1_phone": "13900000005", "suspect_1_account": "某交友App:abc"}
    data.update(overrides)
    return data


def english(client):
    client.cookies["lantern_language"] = "en"
    return client


def test_an_intake_officer_registers_a_report_and_sees_the_secret_exactly_once(client, people):
    sign_in(client, people["intake"])
    english(client)
    assert client.get("/intake/").status_code == 200
    response = client.post("/intake/", form())
    assert response["Location"] == "/intake/receipt/"
    receipt = client.get("/intake/receipt/").content.decode()
    case = Case.objects.get()
    assert case.case_number in receipt and case.tracking_code in receipt
    assert 'data-testid="portal-secret"' in receipt
    assert client.get("/intake/receipt/").status_code == 302  # shown once
    assert case.suspects.get().accounts == [{"platform": "某交友App", "handle": "abc"}]


def test_bad_input_on_the_page_names_the_field_and_stores_nothing(client, people):
    sign_in(client, people["intake"])
    english(client)
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page = client.post("/intake/", form(victim_date_of_birth=future)).content.decode()
    assert "The date of birth is in the future." in page
    page = client.post("/intake/", form(victim_date_of_birth="", victim_estimated_age="")).content.decode()
    assert "Give a date of birth or an estimated age." in page
    assert Case.objects.count() == 0


def test_the_duplicate_check_shows_an_existing_case_with_the_same_suspect_phone(client, people):
    sign_in(client, people["intake"])
    client.post("/intake/", form())
    existing = Case.objects.get()
    partial = client.post("/intake/duplicates/", form(victim_name="别人", suspect_1_phone="+86 139 0000 0005"),
                          HTTP_HX_REQUEST="true").content.decode()
    assert existing.case_number in partial
    client.post("/intake/", form(merge_into=str(existing.pk), narrative="第二次报案"))
    assert Case.objects.filter(merged_into=existing).count() == 1


def test_those_without_intake_rights_cannot_register(client, units):
    analyst = make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST)
    sign_in(client, analyst)
    assert client.get("/intake/").status_code == 403
    assert client.post("/intake/", form()).status_code == 403


def test_the_case_page_shows_clocks_checklist_and_why_actions_are_not_possible(client, people):
    sign_in(client, people["intake"])
    client.post("/intake/", form())
    case = Case.objects.get()
    client.post("/accounts/sign-out/")
    sign_in(client, people["supervisor"])
    english(client)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    for text in ("Filing decision", "Age-knowledge analysis", "Begin the filing review", "Not possible now",
                 "Minor victim", "测试戊"):
        assert text in page
    client.post(f"/cases/{case.pk}/actions/begin_review/")
    refused = client.post(f"/cases/{case.pk}/actions/propose_non_filing/", {"reason": "无犯罪事实"}, follow=True)
    assert "Evidence checklist items are still open" in refused.content.decode()
    assert Case.objects.get().state == "UNDER_REVIEW"


def test_case_lists_are_scoped_and_tabbed(client, people):
    sign_in(client, people["intake"])
    client.post("/intake/", form())
    client.post("/accounts/sign-out/")
    sign_in(client, people["investigator2"])
    assert "QS-GAJ" not in client.get("/cases/").content.decode()
    client.post("/accounts/sign-out/")
    sign_in(client, people["supervisor"])
    for tab in ("mine", "decide", "overdue", "not_filed", "bogus"):
        assert client.get(f"/cases/?list={tab}").status_code == 200
    assert "QS-GAJ-" in client.get("/cases/").content.decode()


def test_a_case_outside_the_users_view_is_404_on_every_page(client, people):
    sign_in(client, people["intake"])
    client.post("/intake/", form())
    case = Case.objects.get()
    client.post("/accounts/sign-out/")
    sign_in(client, people["investigator2"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/actions/begin_review/").status_code == 404
    item = case.checklist.first()
    assert client.post(f"/cases/{case.pk}/checklist/{item.pk}/", {"status": "done"}).status_code == 404


def test_the_intake_form_starts_with_the_current_local_time_in_the_browsers_format(client, people):
    sign_in(client, people["intake"])
    page = client.get("/intake/").content.decode()
    now = timezone.localtime().strftime("%Y-%m-%dT")
    assert f'name="received_at" value="{now}' in page
