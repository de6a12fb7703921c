"""The family's questions and requests: a clock in working days, an answer the family
reads, one extension with a reason the family sees, escalation when nobody answers; and
the online application for reconsideration within its 7-day window."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lantern.cases.models import Case, ProceedingKind
from lantern.deadlines.models import Deadline
from lantern.deadlines.sweep import sweep
from lantern.notifications.models import Notification
from lantern.portal.models import FamilyMessage
from tests.cases.test_linxia_scenario import Api
from tests.deadlines.test_arithmetic import nth_working_day_after
from tests.factories import make_user
from tests.family import Family, reachable_report

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def team(registered, people):
    sup = Api(people["supervisor"])
    assert sup.act(registered["id"], "assign", assignees=["c_inv"]).status_code == 200
    return {"inv": Api(people["investigator"]), "sup": sup}


def ask(registered, text="什么时候能有立案结果？"):
    family = Family(registered["tracking_code"], registered["portal_secret"])
    asked = family.post("/questions", {"text": text})
    assert asked.status_code == 201, asked.content
    return family, asked.json()


def test_a_question_asked_before_national_day_is_due_twenty_working_days_later(registered, monkeypatch):
    asked_at = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: asked_at)
    _family, question = ask(registered)
    due = dt.datetime.fromisoformat(question["due_at"]).astimezone(SHANGHAI)
    assert due.date() == nth_working_day_after(dt.date(2026, 9, 21), 20) == dt.date(2026, 10, 26)


def test_the_team_is_told_answers_and_the_family_reads_the_answer(registered, team, people, sms,
                                                                   django_capture_on_commit_callbacks):
    family, question = ask(registered)
    told = Notification.objects.get(kind="family_question", recipient=people["investigator"])
    assert registered["case_number"] in told.title
    waiting = team["inv"].get(f"/cases/{registered['id']}/questions").json()
    assert [q["text"] for q in waiting] == ["什么时候能有立案结果？"]
    with django_capture_on_commit_callbacks(execute=True):
        answered = team["inv"].post(f"/questions/{question['id']}/answer", {"answer": "审查期限内会作出决定并告知您。"})
    assert answered.status_code == 200, answered.content
    seen = family.get("/questions").json()[0]
    assert seen["answer"] == "审查期限内会作出决定并告知您。" and seen["answered_at"]
    assert Deadline.objects.get(subject=f"question:{question['id']}").status == "met"
    assert [m["to"] for m in sms()] == ["13800000001"]
    assert "答复" in sms()[0]["text"] and registered["case_number"] not in sms()[0]["text"]
    again = team["inv"].post(f"/questions/{question['id']}/answer", {"answer": "再答一次"})
    assert again.status_code == 409


def test_an_unanswered_question_escalates_like_any_overdue_clock(registered, team, people):
    _family, question = ask(registered)
    Deadline.objects.filter(subject=f"question:{question['id']}").update(
        due_at=timezone.now() - dt.timedelta(days=4))
    assert sweep() == 3  # the officers, their supervisor, then the unit head and the procuratorate
    overdue = Notification.objects.filter(kind="deadline_overdue", case_id=registered["id"])
    assert {n.recipient.username for n in overdue} >= {"c_inv", "c_sup", "c_head"}
    assert all("Family's question" in n.title or "家属" in n.title for n in overdue)
    assert Family(registered["tracking_code"], registered["portal_secret"]).get("/case").json()[
        "next_deadline"]["overdue"] is True


def test_an_extension_is_given_once_and_the_family_sees_why_and_until_when(registered, team):
    family, question = ask(registered)
    first_due = dt.datetime.fromisoformat(question["due_at"])
    extended = team["sup"].post(f"/questions/{question['id']}/extension", {"reason": "需要向检察院调取材料后答复。"})
    assert extended.status_code == 200, extended.content
    seen = family.get("/questions").json()[0]
    assert seen["extended"] and seen["extension_reason"] == "需要向检察院调取材料后答复。"
    assert dt.datetime.fromisoformat(seen["due_at"]) > first_due + dt.timedelta(days=20)
    twice = team["sup"].post(f"/questions/{question['id']}/extension", {"reason": "再延长"})
    assert twice.status_code == 409
    empty = team["sup"].post(f"/questions/{question['id']}/extension", {"reason": " "})
    assert empty.status_code == 409  # already extended: the state is checked before the input


def test_only_the_case_team_answers(registered, team, people, units):
    _family, question = ask(registered)
    outsider = make_user(units, "QS-XZDD", "investigator", username="c_outsider")
    partner = make_user(units, "QS-FLYZ", "partner_caseworker", username="c_partner")
    assert Api(outsider).post(f"/questions/{question['id']}/answer", {"answer": "x"}).status_code == 404
    assert Api(partner).post(f"/questions/{question['id']}/answer", {"answer": "x"}).status_code == 404
    assert Api(partner).get(f"/cases/{registered['id']}/questions").status_code == 404


def test_a_family_asks_within_limits(registered):
    family = Family(registered["tracking_code"], registered["portal_secret"])
    assert family.post("/questions", {"text": "  "}).status_code == 422
    assert family.post("/questions", {"text": "x" * 2001}).status_code == 422
    for _ in range(10):
        assert family.post("/questions", {"text": "请问进展？"}).status_code == 201
    assert family.post("/questions", {"text": "请问进展？"}).status_code == 429


def not_filed(people):
    created = Api(people["intake"]).post("/cases", reachable_report(
        victim={"name": "测试辛", "sex": "female", "estimated_age": 30})).json()
    inv, sup = Api(people["investigator"]), Api(people["supervisor"])
    sup.act(created["id"], "assign", assignees=["c_inv"])
    inv.act(created["id"], "begin_review")
    inv.complete_checklist(created["id"])
    inv.act(created["id"], "propose_non_filing", reason="证据不足")
    assert sup.act(created["id"], "approve_decision", reason="同意").json()["state"] == "NOT_FILED"
    return created, inv


def test_the_family_applies_for_reconsideration_online_within_its_window(people):
    created, inv = not_filed(people)
    family = Family(created["tracking_code"], created["portal_secret"])
    early = family.post("/reconsideration", {"grounds": "我们有新的证人。"})
    assert early.status_code == 409 and early.json()["error"]["details"]["unmet"][0]["code"] == "no_window"
    inv.act(created["id"], "record_notice_delivery", method="in_person")
    status = family.get("/case").json()
    assert status["may_apply_for_reconsideration"] and status["notices"]
    assert family.client.get(f"/api/v1/portal/notices/{status['notices'][0]['id']}",
                             **family.headers)["Content-Type"] == "application/pdf"
    applied = family.post("/reconsideration", {"grounds": "我们有新的证人。"})
    assert applied.status_code == 201, applied.content
    proceeding = Case.objects.get(pk=created["id"]).proceedings.get(kind=ProceedingKind.RECONSIDERATION)
    assert proceeding.grounds == "我们有新的证人。" and proceeding.opened_by is None
    assert applied.json()["next_deadline"]["what"] == "Decision on your application for reconsideration"
    assert family.post("/reconsideration", {"grounds": "再次申请"}).status_code == 409


def test_reconsideration_is_refused_once_the_seven_days_have_passed(people):
    created, inv = not_filed(people)
    inv.act(created["id"], "record_notice_delivery", method="in_person")
    Deadline.objects.filter(case_id=created["id"], rule="reconsideration_application").update(
        due_at=timezone.now() - dt.timedelta(hours=1))
    family = Family(created["tracking_code"], created["portal_secret"])
    late = family.post("/reconsideration", {"grounds": "我们有新的证人。"})
    assert late.status_code == 409 and late.json()["error"]["details"]["unmet"][0]["code"] == "window_closed"


def test_state_changes_reach_the_family_by_email_and_sms_with_no_case_details(people, smtp, sms,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created, _inv = not_filed(people)
    assert FamilyMessage.objects.filter(case_id=created["id"], kind="news").count() == 2  # SMS and e-mail
    (to, mail), text = smtp.messages[-1], sms()[-1]["text"]
    assert to == ["family@example.invalid"]
    for detail in (created["case_number"], created["tracking_code"], "测试辛", "测试乙", "不予立案", "证据不足",
                   "嫌疑人"):
        assert detail not in mail and detail not in text
    assert "家属" in text


def test_families_waiting_lists_each_unanswered_question_with_the_time_its_answer_is_due(registered, team, people,
                                                                                          client):
    from tests.factories import sign_in

    _family, question = ask(registered)
    due = timezone.localtime(dt.datetime.fromisoformat(question["due_at"])).strftime("%Y-%m-%d %H:%M")
    sign_in(client, people["supervisor"])
    page = client.get("/referrals/waiting/").content.decode()
    row = page[page.index(registered["case_number"]):]
    assert due in row[:400]
