"""A report is never registered without its checklist: with no version of the standard in
force for an offence and age band, registration is refused with a message that says what
is missing and who can fix it (nothing is stored), and the system check standards.E001
names the damage at deployment, before any officer meets it at the counter."""

from __future__ import annotations

import pytest
from django.core import management
from django.core.management.base import SystemCheckError

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.standards.checks import standard_complete
from lantern.standards.models import Template, TemplateStatus
from tests.cases.test_linxia_scenario import Api
from tests.standards.test_templates import adult_report, child_report

pytestmark = pytest.mark.django_db


def _lose_the_adult_rape_standard():
    # A damaged database (the approved versions cannot be deleted: cases keep them).
    Template.objects.filter(offence="rape", age_band="adult").update(status=TemplateStatus.DRAFT)


def test_registration_without_a_standard_in_force_is_refused_and_stores_nothing(people):
    _lose_the_adult_rape_standard()
    api = Api(people["intake"])
    cases, entries = Case.objects.count(), AuditEntry.objects.count()
    response = api.post("/cases", adult_report(offences=["rape"]))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["details"]["unmet"] == [{"code": "no_standard", "message": "Rape (强奸)"}]
    assert "provincial administrator" in error["message"] and "18 or over" in error["message"]
    assert Case.objects.count() == cases
    assert [e.action for e in AuditEntry.objects.order_by("seq")[entries:]] == []


def test_the_refusal_is_in_chinese_for_a_chinese_officer(people):
    _lose_the_adult_rape_standard()
    response = Api(people["intake"]).post("/cases", adult_report(offences=["rape"]),
                                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    message = response.json()["error"]["message"]
    assert response.status_code == 409 and "证据标准" in message and "18" in message


def test_other_offences_and_ages_still_register(people):
    _lose_the_adult_rape_standard()
    response = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"]))
    assert response.status_code == 201 and response.json()["checklist"]


def test_the_system_check_names_the_missing_pair_and_is_quiet_otherwise(db):
    assert standard_complete(databases=["default"]) == []
    _lose_the_adult_rape_standard()
    errors = standard_complete(databases=["default"])
    assert [e.id for e in errors] == ["standards.E001"] and "'adult'" in errors[0].msg
    with pytest.raises(SystemCheckError):
        management.call_command("check", databases=["default"])


def test_the_intake_page_says_why_above_the_form_and_keeps_what_was_typed(client, people):
    from tests.cases.test_pages import english, form
    from tests.factories import sign_in

    Template.objects.filter(offence="rape", age_band="12_to_14").update(status=TemplateStatus.DRAFT)
    sign_in(client, people["intake"])
    english(client)
    response = client.post("/intake/", form())
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "No version of the evidence standard is in force for Rape" in page
    assert "测试戊" in page  # the officer's input is still in the form
