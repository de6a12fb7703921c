"""A school's mandatory report (强制报告), from filing to the police's feedback: the report
lands in the serving station's intake queue as a case with the child's rules applied, the
school reads its receipt and feedback and never the case, and feedback overdue escalates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lantern.cases.models import Case
from lantern.deadlines.models import Deadline
from lantern.deadlines.sweep import sweep
from lantern.notifications.models import Notification
from tests.cases.helpers import police
from tests.cases.test_linxia_scenario import Api
from tests.institutions.conftest import mandatory_report

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def people(units, schools):
    return {**police(units), **schools}


def file(api, **overrides):
    response = api.post("/mandatory-reports", mandatory_report(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


def test_a_schools_report_on_a_nine_year_old_reaches_the_intake_queue_with_the_minors_rules(people):
    school = Api(people["teacher"])
    filed = file(school)
    assert set(filed) == {"id", "receipt_number", "feedback_due_at"}
    assert filed["receipt_number"].startswith("MR-")
    due = dt.datetime.fromisoformat(filed["feedback_due_at"])
    # Three days counted as the law counts them (from the next day, to a working day's end).
    assert dt.timedelta(days=3) <= due - timezone.now() < dt.timedelta(days=7)
    queue = Api(people["intake"]).get("/cases?state=RECEIVED").json()
    rows = queue["items"] if isinstance(queue, dict) else queue
    assert len(rows) == 1
    case = Api(people["intake"]).get(f"/cases/{rows[0]['id']}").json()
    assert {"minor", "mandatory_filing"} <= set(case["flags"])
    assert case["victim"]["is_minor"] is True
    stored = Case.objects.get(pk=case["id"])
    assert (stored.channel, stored.intake_unit.code, stored.unit.code) == ("mandatory_report", "QS-CGPCS", "QS-GAJ")
    due_by_kind = {d["kind"]: d["due_at"] for d in case["deadlines"]}
    assert dt.datetime.fromisoformat(due_by_kind["mandatory_report_feedback"]) == due
    assert "filing_review_minor" in due_by_kind
    # The intake officers of the serving station are told at once.
    assert Notification.objects.filter(recipient=people["intake"], kind="mandatory_report").exists()


def test_the_school_sees_its_receipt_and_feedback_but_never_the_case(people):
    school = Api(people["teacher"])
    filed = file(school)
    case = Case.objects.get(mandatory_report__id=filed["id"])
    upload = school.client.post(f"/api/v1/mandatory-reports/{filed['id']}/attachments",
                                {"file": SimpleUploadedFile("伤情照片.png", PNG)}, **school.headers)
    assert upload.status_code == 201, upload.content
    mine = school.get("/mandatory-reports").json()["items"]
    assert [r["receipt_number"] for r in mine] == [filed["receipt_number"]]
    assert mine[0]["feedback"] is None and mine[0]["attachments"][0]["name"] == "伤情照片.png"
    assert "case_number" not in mine[0] and "narrative" not in mine[0]
    # The case, its evidence (the photo it handed in among them) and its file: 404.
    item = case.evidence.get()
    for path in (f"/cases/{case.pk}", f"/cases/{case.pk}/evidence", f"/cases/{case.pk}/actions",
                 f"/evidence/files/{item.files.get().uuid}"):
        assert school.get(path).status_code == 404, path
    # The police accept, file, and tell the school.
    inv = Api(people["supervisor"])
    assert inv.act(case.pk, "begin_review").status_code == 200
    given = inv.post(f"/mandatory-reports/{filed['id']}/feedback",
                     {"stage": "accepted", "text": "报告已受理，正在审查。"})
    assert given.status_code == 201, given.content
    assert school.get("/mandatory-reports").json()["items"][0]["feedback"]["stage"] == "accepted"
    assert Notification.objects.filter(recipient=people["teacher"], kind="institution_news").exists()
    clock = Deadline.objects.get(case=case, rule="mandatory_report_feedback", subject__endswith=":accepted")
    assert clock.status == "met"


def test_feedback_on_the_decision_must_match_it_and_runs_on_its_own_clock(people):
    school = Api(people["teacher"])
    filed = file(school)
    case = Case.objects.get(mandatory_report__id=filed["id"])
    sup, head = Api(people["supervisor"]), Api(people["county_head"])
    sup.act(case.pk, "assign", assignees=["c_inv"])
    inv = Api(people["investigator"])
    inv.act(case.pk, "begin_review")
    early = inv.post(f"/mandatory-reports/{filed['id']}/feedback", {"stage": "filed", "text": "已立案。"})
    assert early.status_code == 422  # not filed yet: the school must not be told it was
    assert inv.act(case.pk, "propose_filing", reason="有犯罪事实需要追究刑事责任").status_code == 200
    for decider in (sup, head):
        decider.act(case.pk, "approve_decision", reason="同意立案")
    assert Case.objects.get(pk=case.pk).state == "FILED"
    decision_clock = Deadline.objects.get(case=case, rule="mandatory_report_feedback", subject__endswith=":decision")
    assert decision_clock.status == "open"
    assert school.get("/mandatory-reports").json()["items"][0]["feedback_due_at"] is not None
    told = inv.post(f"/mandatory-reports/{filed['id']}/feedback", {"stage": "filed", "text": "已立案侦查。"})
    assert told.status_code == 201, told.content
    mine = school.get("/mandatory-reports").json()["items"][0]
    assert mine["feedback"]["stage"] == "filed" and mine["feedback_due_at"] is None
    assert [f["stage"] for f in mine["feedback_history"]] == ["filed"]


def test_a_second_institution_never_sees_the_firsts_reports(people):
    filed = file(Api(people["teacher"]))
    hospital = Api(people["doctor"])
    assert hospital.get("/mandatory-reports").json() == {"items": [], "count": 0}
    assert hospital.get(f"/mandatory-reports/{filed['id']}").status_code == 404
    assert hospital.post(f"/mandatory-reports/{filed['id']}/questions", {"text": "进展如何？"}).status_code == 404
    upload = hospital.client.post(f"/api/v1/mandatory-reports/{filed['id']}/attachments",
                                  {"file": SimpleUploadedFile("a.png", PNG)}, **hospital.headers)
    assert upload.status_code == 404


def test_police_cannot_file_and_institutions_cannot_give_feedback(people):
    assert Api(people["intake"]).post("/mandatory-reports", mandatory_report()).status_code == 403
    filed = file(Api(people["teacher"]))
    refused = Api(people["teacher"]).post(f"/mandatory-reports/{filed['id']}/feedback",
                                          {"stage": "accepted", "text": "自己给自己反馈"})
    assert refused.status_code == 404


def test_overdue_feedback_escalates(people):
    filed = file(Api(people["teacher"]))
    case = Case.objects.get(mandatory_report__id=filed["id"])
    clock = Deadline.objects.get(case=case, rule="mandatory_report_feedback")
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(days=4))
    sweep()
    clock.refresh_from_db()
    assert clock.status == "overdue" and clock.escalation_level == 3
    told = Notification.objects.filter(case=case, kind="deadline_overdue")
    assert {n.recipient.username for n in told} >= {"c_sup", "c_head", "c_pros"}


def test_the_institution_asks_and_the_police_answer(people):
    school = Api(people["teacher"])
    filed = file(school)
    case = Case.objects.get(mandatory_report__id=filed["id"])
    asked = school.post(f"/mandatory-reports/{filed['id']}/questions", {"text": "学生家长询问进展，如何答复？"})
    assert asked.status_code == 201, asked.content
    assert Deadline.objects.filter(case=case, rule="institution_question", status="open").exists()
    answered = Api(people["supervisor"]).post(f"/institution-questions/{asked.json()['id']}/answer",
                                              {"answer": "请告知家长案件正在审查，民警会联系。"})
    assert answered.status_code == 200, answered.content
    question = school.get("/mandatory-reports").json()["items"][0]["questions"][0]
    assert question["answer"].startswith("请告知家长") and question["answered_at"]


def test_police_find_the_case_by_its_receipt_number(people):
    filed = file(Api(people["teacher"]))
    found = Api(people["supervisor"]).client.get("/api/v1/search", {"q": filed["receipt_number"].lower()},
                                                 **Api(people["supervisor"]).headers).json()
    assert [i["matched"] for i in found["items"]] == ["receipt_number"]
    assert found["items"][0]["id"] == Case.objects.get(mandatory_report__id=filed["id"]).pk


def test_a_duplicate_is_kept_as_its_own_report_and_shown_to_intake(people):
    school = Api(people["teacher"])
    first = file(school)
    second = file(Api(people["doctor"]), narrative="合成情况：医院接诊同一名学生。")
    cases = Case.objects.filter(channel="mandatory_report")
    assert cases.count() == 2 and not cases.filter(merged_into__isnull=False).exists()
    from lantern.institutions.models import MandatoryReport

    dup = MandatoryReport.objects.get(pk=second["id"]).possible_duplicates
    assert dup == [MandatoryReport.objects.get(pk=first["id"]).case_id]


def test_bad_reports_are_refused_with_what_to_fix(people):
    school = Api(people["teacher"])
    future = school.post("/mandatory-reports", mandatory_report(observed_at="2099-01-01T08:00:00+08:00"))
    assert future.status_code == 422 and "observed_at" in future.json()["error"]["details"]
    no_age = mandatory_report(child={"name": "测试学生乙", "sex": "male"})
    assert school.post("/mandatory-reports", no_age).status_code == 422
    assert Case.objects.count() == 0
