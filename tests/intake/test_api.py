"""Intake through the API: clear refusals of bad input with nothing stored, idempotent
retries, possible duplicates shown first and merged rather than dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


@pytest.fixture
def intake(people):
    return Api(people["intake"])


def bad(intake, body, field, status=422):
    before = (Case.objects.count(), AuditEntry.objects.filter(action="case.registered").count())
    response = intake.post("/cases", body)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert field in error["details"], error
    assert (Case.objects.count(), AuditEntry.objects.filter(action="case.registered").count()) == before
    return error


def test_a_date_of_birth_in_the_future_is_refused_naming_the_field(intake):
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    error = bad(intake, report(victim={"name": "测试", "sex": "female", "date_of_birth": future}),
                "victim.date_of_birth")
    assert error["details"]["victim.date_of_birth"] == ["The date of birth is in the future."]


def test_an_offence_after_the_report_is_refused(intake):
    later = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    bad(intake, report(offence_date=later), "offence_date")


def test_an_unknown_channel_is_refused_with_the_allowed_values(intake):
    error = bad(intake, report(channel="pigeon"), "channel")
    assert "walk_in" in error["details"]["channel"][0]


def test_oversized_text_is_refused(intake):
    error = bad(intake, report(narrative="案" * 20001), "narrative")
    assert error["details"]["narrative"] == ["Too long: at most 20000 characters."]


def test_no_age_at_all_is_refused(intake):
    bad(intake, report(victim={"name": "测试", "sex": "female"}), "victim")


def test_the_same_idempotency_key_and_body_create_one_case(intake):
    body = report()
    first = intake.post("/cases", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = intake.post("/cases", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    other = intake.post("/cases", report(narrative="另一份报案"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409 and Case.objects.count() == 1


def test_possible_duplicates_are_shown_before_creating_and_a_report_merges_into_its_case(intake):
    first = intake.post("/cases", report()).json()
    matches = intake.post("/cases/duplicates", {"victim_name": "测试甲",
                                                "victim_date_of_birth": first["victim"].get("date_of_birth")
                                                or report()["victim"]["date_of_birth"],
                                                "suspect_phones": []}).json()
    assert [m["case_number"] for m in matches] == [first["case_number"]]
    by_phone = intake.post("/cases/duplicates", {"suspect_phones": ["+86 139-0000-0002"]}).json()
    assert [m["id"] for m in by_phone] == [first["id"]]
    merged = intake.post("/cases", report(merge_into=first["id"], narrative="家属再次报案"))
    assert merged.status_code == 201
    assert Case.objects.get(pk=merged.json()["id"]).merged_into_id == first["id"]
    # A merged report is kept, with its own receipt, and starts no second set of clocks.
    assert merged.json()["deadlines"] == [] and merged.json()["tracking_code"]


def test_case_numbers_are_sequential_per_unit_and_year(intake):
    numbers = [intake.post("/cases", report()).json()["case_number"] for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"QS-GAJ-{year}-0000{n}" for n in (1, 2, 3)]


def test_only_the_team_and_supervisors_see_identities(people):
    intake = Api(people["intake"])
    case = intake.post("/cases", report()).json()
    assert "name" not in case["victim"]  # the intake officer registered it but is not on the team
    sup = Api(people["supervisor"])
    assert sup.get(f"/cases/{case['id']}").json()["victim"]["name"] == "测试甲"


def test_an_adult_victim_gets_no_minor_flags_and_no_age_analysis(intake):
    case = intake.post("/cases", report(victim={"name": "测试", "sex": "female", "estimated_age": 25},
                                        suspects=[])).json()
    assert case["victim"]["age_band"] == "adult" and case["flags"] == []
    assert "age_knowledge_analysis" not in [i["key"] for i in case["checklist"]]
    assert "phone_extraction" not in [d["kind"] for d in case["deadlines"]]  # no suspect phone yet


def test_fourteen_to_sixteen_adds_the_duty_of_care_check(intake):
    case = intake.post("/cases", report(victim={"name": "测试", "sex": "female", "estimated_age": 15})).json()
    assert case["victim"]["age_band"] == "14_to_16"
    assert "caretaker_duty_check" in case["flags"]
    assert "caretaker_duty_check" in [i["key"] for i in case["checklist"]]


def test_under_twelve_presumes_knowledge_of_age(intake):
    case = intake.post("/cases", report(victim={"name": "测试", "sex": "female", "estimated_age": 9})).json()
    assert "knowledge_presumed" in case["flags"]
