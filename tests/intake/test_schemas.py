"""One description of a report (intake.schemas.ReportIn) for the page, the API and the
service: the same answers make the same report whichever way they come in, and a bound
declared once holds on both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.api import api
from lantern.intake.api import CaseIn
from lantern.intake.forms import IntakeForm
from lantern.intake.schemas import ReportIn
from tests.cases.helpers import police
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

RECEIVED = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
PAGE = {"received_at": RECEIVED.strftime("%Y-%m-%dT%H:%M"), "channel": "walk_in",
        "offence_date": "2026-11-29", "narrative": "合成案情", "victim_name": "测试戊", "victim_sex": "female",
        "victim_date_of_birth": "2013-03-01", "victim_estimated_age": "", "victim_id_number": "",
        "complainant_name": "测试己", "complainant_relation": "母亲", "complainant_phone": "13800000002",
        "complainant_email": "", "suspect_1_name": "嫌疑人", "suspect_1_phone": "13900000005",
        "suspect_1_account": "某交友App:abc"}
API = {"received_at": RECEIVED.isoformat(), "channel": "walk_in", "offence_date": "2026-11-29",
       "narrative": "合成案情",
       "victim": {"name": "测试戊", "sex": "female", "date_of_birth": "2013-03-01"},
       "complainant": {"name": "测试己", "relation": "母亲", "phone": "13800000002"},
       "suspects": [{"name": "嫌疑人", "phone": "13900000005",
                     "accounts": [{"platform": "某交友App", "handle": "abc"}]}],
       "indicators": []}


def test_the_page_and_the_api_describe_a_report_with_one_type():
    form = IntakeForm(PAGE)
    assert form.is_valid(), form.errors
    assert form.report() == ReportIn.model_validate(API)
    assert issubclass(CaseIn, ReportIn)  # the API adds only merge_into


def test_the_api_schema_is_the_report_description():
    schema = api.get_openapi_schema()
    body = schema["paths"]["/api/v1/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    case_in = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert set(case_in["properties"]) == set(ReportIn.model_fields) | {"merge_into"}


def test_a_bound_only_the_report_declares_is_shown_beside_the_field_on_the_page(client, units):
    # The page's account box takes 140 characters; a handle has 100 at most (AccountIn).
    sign_in(client, police(units)["intake"])
    response = client.post("/intake/", {**PAGE, "suspect_1_account": "某交友App:" + "x" * 120})
    assert response.status_code == 200
    assert "suspect_1_account" in response.context["form"].errors
