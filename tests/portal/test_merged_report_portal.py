"""The complainant of a merged report follows the case it was merged into: its state,
clocks and notices, news when it moves, and questions answered by that case's team."""

from __future__ import annotations

import pytest

from lantern.notifications.models import Notification
from lantern.portal.models import FamilyMessage, Question
from tests.cases.test_linxia_scenario import Api
from tests.family import Family, reachable_report

pytestmark = pytest.mark.django_db

SECOND_COMPLAINANT = {"name": "测试丙", "relation": "舅舅", "phone": "13800000002"}


@pytest.fixture
def merged(people, registered):
    """The first report (reachable complainant) with its team, and a second report by
    another complainant merged into it."""
    Api(people["supervisor"]).act(registered["id"], "assign", assignees=["c_inv"])
    second = Api(people["intake"]).post("/cases", reachable_report(merge_into=registered["id"],
                                                                   complainant=SECOND_COMPLAINANT))
    assert second.status_code == 201, second.content
    return registered, second.json()


def test_the_merged_reports_portal_follows_the_case(people, merged):
    first, second = merged
    family = Family(second["tracking_code"], second["portal_secret"])
    seen = family.get("/case").json()
    assert seen["tracking_code"] == second["tracking_code"]
    assert seen["state"] == "RECEIVED" and seen["next_deadline"]["what"]  # the case's filing clock
    inv, sup = Api(people["investigator"]), Api(people["supervisor"])
    inv.act(first["id"], "begin_review")
    assert family.get("/case").json()["state"] == "UNDER_REVIEW"
    assert inv.act(first["id"], "propose_filing", reason="有犯罪事实").status_code == 200
    sup.act(first["id"], "approve_decision", reason="同意立案")
    assert family.get("/case").json()["state"] == "FILED"


def test_both_complainants_hear_the_news(people, merged):
    first, _second = merged
    inv, sup = Api(people["investigator"]), Api(people["supervisor"])
    inv.act(first["id"], "begin_review")
    inv.act(first["id"], "propose_filing", reason="有犯罪事实")
    before = set(FamilyMessage.objects.values_list("pk", flat=True))
    sup.act(first["id"], "approve_decision", reason="同意立案")
    news = FamilyMessage.objects.exclude(pk__in=before).filter(kind="news", channel="sms")
    assert sorted(m.to_address for m in news) == ["13800000001", "13800000002"]


def test_a_question_from_the_merged_report_is_answered_by_the_cases_team(people, merged,
                                                                       django_capture_on_commit_callbacks):
    first, second = merged
    family = Family(second["tracking_code"], second["portal_secret"])
    asked = family.post("/questions", {"text": "我补充的线索有人看了吗？"})
    assert asked.status_code == 201, asked.content
    question = Question.objects.get(pk=asked.json()["id"])
    assert question.case_id == first["id"] and question.from_report_id == second["id"]
    # The case's team is told and answers it, as for the case's own complainant.
    assert Notification.objects.filter(kind="family_question", recipient=people["investigator"]).exists()
    inv = Api(people["investigator"])
    assert [q["id"] for q in inv.get("/questions").json()] == [question.pk]
    on_case = inv.get(f"/cases/{first['id']}/questions").json()
    assert [q["from_report"] for q in on_case] == [second["case_number"]]  # which complainant asked
    with django_capture_on_commit_callbacks(execute=True):
        answered = inv.post(f"/questions/{question.pk}/answer", {"answer": "已核查您补充的线索。"})
    assert answered.status_code == 200, answered.content
    assert family.get("/questions").json()[0]["answer"] == "已核查您补充的线索。"
    told = FamilyMessage.objects.filter(kind="answered", channel="sms")
    assert [m.to_address for m in told] == ["13800000002"]  # the one who asked
    # The case's own complainant reads their own questions only.
    own = Family(first["tracking_code"], first["portal_secret"])
    assert own.get("/questions").json() == [] and own.get("/case").json()["questions"] == []


def test_the_merged_reports_complainant_reads_the_notice_and_applies_for_reconsideration(people):
    from lantern.cases.models import Case, ProceedingKind
    from tests.portal.test_questions import not_filed

    created, inv = not_filed(people)
    second = Api(people["intake"]).post("/cases", reachable_report(
        merge_into=created["id"], complainant=SECOND_COMPLAINANT,
        victim={"name": "测试辛", "sex": "female", "estimated_age": 30})).json()
    inv.act(created["id"], "record_notice_delivery", method="in_person")
    family = Family(second["tracking_code"], second["portal_secret"])
    status = family.get("/case").json()
    assert status["state"] == "NOT_FILED" and status["may_apply_for_reconsideration"]
    assert family.client.get(f"/api/v1/portal/notices/{status['notices'][0]['id']}",
                             **family.headers)["Content-Type"] == "application/pdf"
    applied = family.post("/reconsideration", {"grounds": "我也有新的证据。"})
    assert applied.status_code == 201, applied.content
    assert applied.json()["tracking_code"] == second["tracking_code"]
    assert Case.objects.get(pk=created["id"]).proceedings.filter(kind=ProceedingKind.RECONSIDERATION).exists()
    assert not Case.objects.get(pk=second["id"]).proceedings.exists()
