"""The institution's pages: a school files a mandatory report through the form and reads
its receipt, never the case; checks an applicant and a list of staff on the page; the
inspector reads every check without a name; the reporting duty for those who hold
institutions to it. Refusals: 403 without the capability, 404 for another's object."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lantern.access.roles import Role
from lantern.cases.models import Case
from lantern.institutions import checks, services
from lantern.institutions.models import BulkCheck, MandatoryReport, RegistryCheck, ReportAttachment
from lantern.institutions.schemas import MandatoryReportIn
from tests.cases.helpers import police
from tests.factories import make_user, sign_in
from tests.institutions.conftest import mandatory_report
from tests.institutions.test_registry_checks import People, convict, csv_of, id_number

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def people(units, schools, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path / "evidence"
    return People({**police(units), **schools,
                   "inspector": make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="v_insp")})


def page_of(people, who: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["lantern_language"] = "en"
    sign_in(client, people[who])
    return client


def report_form(**overrides) -> dict:
    observed = timezone.localtime() - dt.timedelta(hours=2)
    return {"observed_at": observed.strftime("%Y-%m-%dT%H:%M"), "offence_date": "",
            "narrative": "合成情况：体育课后发现学生腿部有淤伤，学生称被人侵害。", "child_name": "测试学生甲",
            "child_sex": "female", "child_date_of_birth": "2017-03-01", "child_estimated_age": "",
            "indicators": ["genital_injury"], "reporter_name": "测试老师", "reporter_phone": "13800000011",
            "reporter_position": "班主任", **overrides}


def filed(people, who: str = "teacher") -> MandatoryReport:
    return services.file_report(actor=people[who], filed=MandatoryReportIn.model_validate(mandatory_report()))


def test_a_school_files_a_report_on_the_page_and_reads_its_receipt_never_the_case(people):
    school = page_of(people, "teacher")
    assert 'name="csrfmiddlewaretoken"' in school.get("/institutions/reports/new/").content.decode()
    answer = school.post("/institutions/reports/new/",
                         report_form(file=SimpleUploadedFile("伤情照片.png", PNG, content_type="image/png")))
    report = MandatoryReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/institutions/reports/{report.pk}/"
    page = school.get(answer["Location"]).content.decode()
    assert report.receipt_number in page and 'data-testid="receipt-number"' in page
    assert "伤情照片.png" in page  # the file went with the report, in the same request
    assert "Waiting for feedback" in page and "Next feedback due by" in page
    case = Case.objects.get()
    assert case.case_number not in page and "淤伤" not in page and "测试学生甲" not in page
    assert (case.channel, case.indicators) == ("mandatory_report", ["genital_injury"])
    workspace = school.get("/institutions/").content.decode()
    assert report.receipt_number in workspace and case.case_number not in workspace
    assert f'href="/institutions/reports/{report.pk}/"' in workspace


def test_a_bad_form_shows_each_fields_error_and_stores_nothing(people):
    school = page_of(people, "teacher")
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    answer = school.post("/institutions/reports/new/", report_form(child_name="", child_date_of_birth="",
                                                                   reporter_phone="1"))
    page = answer.content.decode()
    assert answer.status_code == 200
    assert page.count('class="errorlist') >= 4  # above the form, and beside three fields
    assert "Give a date of birth or an estimated age." in page
    # What only the service knows is placed beside its field too.
    answer = school.post("/institutions/reports/new/", report_form(observed_at=future))
    assert "The observation cannot be in the future." in answer.content.decode()
    assert (MandatoryReport.objects.count(), Case.objects.count()) == (0, 0)


def test_a_refused_file_leaves_the_report_filed_and_says_why(people):
    school = page_of(people, "teacher")
    answer = school.post("/institutions/reports/new/", report_form(
        file=SimpleUploadedFile("note.txt", b"just some text", content_type="text/plain")), follow=True)
    report = MandatoryReport.objects.get()
    page = answer.content.decode()
    assert report.receipt_number in page and "This kind of file is not accepted" in page
    assert ReportAttachment.objects.count() == 0


def test_the_school_asks_a_question_and_adds_a_file_on_its_report_page(people):
    report = filed(people)
    school = page_of(people, "teacher")
    refused = school.post(f"/institutions/reports/{report.pk}/questions/", {"text": "  "}, follow=True)
    assert "Write your question" in refused.content.decode()
    school.post(f"/institutions/reports/{report.pk}/questions/", {"text": "请问进展如何？"})
    school.post(f"/institutions/reports/{report.pk}/files/", {"file": SimpleUploadedFile("病历.png", PNG)})
    page = school.get(f"/institutions/reports/{report.pk}/").content.decode()
    assert "请问进展如何？" in page and "Waiting for the answer" in page and "病历.png" in page


def test_another_institution_gets_404_and_the_police_403(people):
    report = filed(people)
    hospital = page_of(people, "doctor")
    for path in (f"/institutions/reports/{report.pk}/",):
        assert hospital.get(path).status_code == 404
    assert hospital.post(f"/institutions/reports/{report.pk}/questions/", {"text": "?"}).status_code == 404
    assert report.receipt_number not in hospital.get("/institutions/").content.decode()
    officer = page_of(people, "supervisor")
    for path in ("/institutions/", "/institutions/reports/new/", f"/institutions/reports/{report.pk}/"):
        assert officer.get(path).status_code == 403, path
    assert page_of(people, "investigator").get("/institutions/checks/").status_code == 403


def test_a_single_check_on_the_page_answers_hit_or_no_hit_in_the_same_layout(people):
    offender = id_number(7)
    convict(people, offender)
    school = page_of(people, "teacher")
    form = school.get("/institutions/checks/").content.decode()
    assert 'data-testid="check-form"' in form and 'data-testid="bulk-form"' in form
    answers = {}
    for number in (offender, id_number(8)):
        answer = school.post("/institutions/checks/", {"name": "应聘者", "id_number": number, "purpose": "hiring",
                                                       "applicant_consent": "on"})
        assert answer.status_code == 302 and "?answer=" in answer["Location"]
        page = school.get(answer["Location"]).content.decode()
        panel = re.search(r'<section class="answer (\w+)".*?</section>', page, re.S)
        answers[panel.group(1)] = re.sub(r">[^<]*<", "><", panel.group(0).replace(panel.group(1), "X"))
    assert set(answers) == {"hit", "no_hit"}
    assert answers["hit"] == answers["no_hit"]  # the same elements, only the words differ
    page = school.get("/institutions/checks/").content.decode()
    assert 'value="2"' in page and 'data-testid="usage-single"' in page  # two of today's checks used
    refused = school.post("/institutions/checks/", {"name": "应聘者", "id_number": id_number(9), "purpose": "hiring"})
    assert refused.status_code == 200 and "Confirm that the applicant gave written consent" in refused.content.decode()
    refused = school.post("/institutions/checks/", {"name": "应聘者", "id_number": "12345", "purpose": "hiring",
                                                    "applicant_consent": "on"})
    assert "This is not a resident ID number" in refused.content.decode()
    assert RegistryCheck.objects.count() == 2


def test_past_the_days_limit_the_page_says_so(people, settings):
    settings.LANTERN_REGISTRY_CHECKS_PER_DAY = 1
    school = page_of(people, "teacher")
    body = {"name": "应聘者", "id_number": id_number(9), "purpose": "hiring", "applicant_consent": "on"}
    assert school.post("/institutions/checks/", body).status_code == 302
    limited = school.post("/institutions/checks/", {**body, "id_number": id_number(10)})
    page = limited.content.decode()
    assert limited.status_code == 429
    assert 'data-testid="limit-message"' in page and "made its 1 checks of this kind for today" in page
    assert 'data-testid="check-form"' in page  # the page, not an error page
    assert RegistryCheck.objects.count() == 1


def test_a_bulk_check_advances_chunk_by_chunk_and_ends_with_its_rows(people):
    offender = id_number(300, born="19750101")
    convict(people, offender)
    rows = [(f"职工{i:03d}", id_number(i)) for i in range(299)] + [("职工甲", offender)]
    school = page_of(people, "teacher")
    uploaded = school.post("/institutions/checks/bulk/", {
        "file": SimpleUploadedFile("staff.csv", csv_of(rows), content_type="text/csv"), "purpose": "annual",
        "applicant_consent": "on"})
    batch = BulkCheck.objects.get()
    assert uploaded.status_code == 302 and uploaded["Location"] == f"/institutions/checks/bulk/{batch.pk}/"
    page = school.get(uploaded["Location"]).content.decode()
    assert f'hx-post="/institutions/checks/bulk/{batch.pk}/next/"' in page and 'hx-trigger="load"' in page
    step = school.post(f"/institutions/checks/bulk/{batch.pk}/next/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in step and f"{checks.CHUNK} of 300 checked" in step
    assert 'hx-trigger="load delay:300ms"' in step and 'data-testid="bulk-rows"' not in step
    last = school.post(f"/institutions/checks/bulk/{batch.pk}/next/", HTTP_HX_REQUEST="true").content.decode()
    assert "300 of 300 checked" in last and "100%" in last and "hx-post" not in last  # no more polling
    names = re.findall(r'data-testid="bulk-row" data-result="(\w+)".*?<td>\d+</td><td>([^<]+)</td>', last, re.S)
    assert len(names) == 300 and names[0] == ("hit", "职工甲")  # the hit first
    # Without htmx the step goes back to the batch's page; another institution's batch is not found.
    assert school.post(f"/institutions/checks/bulk/{batch.pk}/next/").status_code == 302
    hospital = page_of(people, "doctor")
    assert hospital.get(f"/institutions/checks/bulk/{batch.pk}/").status_code == 404
    assert hospital.post(f"/institutions/checks/bulk/{batch.pk}/next/").status_code == 404


def test_a_bad_list_is_refused_on_the_page_with_the_lines_named(people):
    school = page_of(people, "teacher")
    rows = [("甲", id_number(1)), ("", id_number(2))]
    answer = school.post("/institutions/checks/bulk/", {
        "file": SimpleUploadedFile("staff.csv", csv_of(rows)), "purpose": "annual", "applicant_consent": "on"})
    assert answer.status_code == 200 and "These lines have no name or no valid ID number: 3" in answer.content.decode()
    assert BulkCheck.objects.count() == 0


def test_the_inspector_reads_every_check_without_a_name_and_the_station_the_hits(people):
    offender = id_number(20)
    convict(people, offender)
    for number in (offender, id_number(21)):
        checks.check_applicant(actor=people["teacher"], name="应聘者乙", id_number=number, purpose="hiring",
                               consent=True)
    inspector = page_of(people, "inspector")
    page = inspector.get("/institutions/checks/").content.decode()
    assert page.count('data-testid="check-row"') == 2 and "测试第一小学" in page
    assert "应聘者乙" not in page and 'data-testid="check-form"' not in page
    station = page_of(people, "intake").get("/institutions/checks/").content.decode()
    assert re.findall(r'data-testid="check-row" data-result="(\w+)"', station) == ["hit"]
    assert "应聘者乙" not in station
    assert inspector.post("/institutions/checks/", {"name": "x"}).status_code == 403  # inspectors do not check


def test_the_navigation_shows_each_page_once_to_whom_it_concerns(people):
    school = page_of(people, "teacher").get("/").content.decode()
    assert school.count('href="/institutions/checks/"') >= 1
    nav = re.search(r"<nav aria-label=\"Main\">(.*?)</nav>", school, re.S).group(1)
    assert nav.count('href="/institutions/checks/"') == 1 and 'href="/institutions/"' in nav
    assert 'href="/institutions/duty/"' not in nav
    inspector = page_of(people, "inspector").get("/").content.decode()
    nav = re.search(r"<nav aria-label=\"Main\">(.*?)</nav>", inspector, re.S).group(1)
    assert nav.count('href="/institutions/checks/"') == 1 and 'href="/institutions/duty/"' in nav
    assert 'href="/institutions/"' not in nav


def test_the_school_home_lists_its_reports(people):
    report = filed(people)
    home = page_of(people, "teacher").get("/").content.decode()
    assert report.receipt_number in home and f'href="/institutions/reports/{report.pk}/"' in home


def test_the_reporting_duty_page_for_the_inspector_and_the_prosecutor_only(people):
    filed(people)
    inspector = page_of(people, "inspector")
    page = inspector.get("/institutions/duty/").content.decode()
    assert 'data-testid="duty-row"' in page and "School" in page
    assert page_of(people, "prosecutor").get("/institutions/duty/").status_code == 200
    assert page_of(people, "teacher").get("/institutions/duty/").status_code == 403
    assert page_of(people, "supervisor").get("/institutions/duty/").status_code == 403
