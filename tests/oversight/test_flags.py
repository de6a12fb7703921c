"""Oversight flags: raised from the record by the system, cleared when resolved, kept as
history, listed to prosecutors and inspectors of the jurisdiction and to nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts import actions as account_actions
from lantern.accounts import demo as account_demo
from lantern.accounts.models import User
from lantern.accounts.models.units import Branch, Level
from lantern.cases import workflow
from lantern.cases.models import Case, ChecklistItem
from lantern.deadlines import services as clocks
from lantern.deadlines.models import Deadline
from lantern.deadlines.sweep import sweep
from lantern.evidence.models import Interview, RepeatInterviewRequest
from lantern.intake import demo as intake_demo
from lantern.oversight import selectors
from lantern.oversight.detect import expected
from lantern.oversight.models import OversightFlag
from lantern.oversight.services import reconcile
from tests.cases.helpers import police, report, years_months_before
from tests.cases.test_linxia_scenario import Api
from tests.factories import PASSWORD, make_user, sign_in
from tests.family import Family

pytestmark = pytest.mark.django_db


def open_flags(case_id: int) -> set[str]:
    return set(OversightFlag.objects.filter(case_id=case_id, cleared_at__isnull=True).values_list("flag", flat=True))


def all_flags(case_id: int) -> set[str]:
    return set(OversightFlag.objects.filter(case_id=case_id).values_list("flag", flat=True))


@pytest.fixture
def people(units):
    return police(units)


def days_ago(days: int) -> dict[str, str]:
    received = timezone.now() - dt.timedelta(days=days)
    return {"received_at": received.isoformat(),
            "offence_date": (timezone.localtime(received).date() - dt.timedelta(days=1)).isoformat()}


def not_filed(people, **overrides) -> int:
    """A report of a 12-year-old, reviewed, its checklist worked in one go and not filed."""
    inv, sup, head = Api(people["investigator"]), Api(people["supervisor"]), Api(people["county_head"])
    cid = Api(people["intake"]).post("/cases", report(**overrides)).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.complete_checklist(cid)
    assert inv.act(cid, "propose_non_filing", reason="经全面取证，证据不足").status_code == 200
    sup.act(cid, "approve_decision", reason="同意")
    if Case.objects.get(pk=cid).state != "NOT_FILED":
        head.act(cid, "approve_decision", reason="同意不予立案")
    assert Case.objects.get(pk=cid).state == "NOT_FILED"
    return cid


def test_the_demo_linxia_replay_raises_minor_not_filed_and_hasty_and_media_reopening_raises_its_flag(db):
    account_demo.load()
    intake_demo.load(count=1)
    case = Case.objects.get(state="NOT_FILED", is_minor=True)
    # (Its forensic examination is past 72 hours too: the replay records none.)
    assert {"minor_not_filed", "hasty_non_filing"} <= open_flags(case.pk)
    decided = case.decisions.get(kind="not_file", status="approved").decided_at
    assert OversightFlag.objects.get(case=case, flag="minor_not_filed").since == decided

    u = {name: User.objects.get(username=name) for name in ("investigator", "supervisor", "inspector")}
    workflow.perform(case=case, actor=u["investigator"], name="propose_filing",
                     payload={"reason": "媒体报道后重新审查，决定立案", "trigger": "media_exposure"})
    workflow.perform(case=case, actor=u["supervisor"], name="approve_decision", payload={"reason": "同意立案"})
    assert Case.objects.get(pk=case.pk).state == "FILED"
    assert "reopened_after_media" in open_flags(case.pk)
    # The two earlier flags stay as history, cleared when the non-filing ended.
    assert not {"minor_not_filed", "hasty_non_filing"} & open_flags(case.pk)
    assert {"minor_not_filed", "hasty_non_filing", "reopened_after_media"} <= all_flags(case.pk)
    u["inspector"].set_password(PASSWORD)
    u["inspector"].save()
    inspector = Api(u["inspector"])
    listed = inspector.get("/oversight/flags?flag=reopened_after_media").json()
    assert [(i["case_number"], i["flag"]) for i in listed["items"]] == [(case.case_number, "reopened_after_media")]
    assert listed["counts"]["reopened_after_media"] == 1 and listed["counts"]["minor_not_filed"] == 0
    history = inspector.get("/oversight/flags?status=all").json()
    assert {"minor_not_filed", "hasty_non_filing", "reopened_after_media"} <= {i["flag"] for i in history["items"]}


def test_an_adults_non_filing_worked_over_days_raises_nothing(people, settings):
    adult = {"name": "测试丁", "sex": "female", "estimated_age": 30}
    settings.LANTERN_OVERSIGHT_THRESHOLDS = {"burst_items": 1000}
    cid = not_filed(people, victim=adult, **days_ago(5))
    assert open_flags(cid) == set()


@pytest.mark.parametrize(("minutes", "hasty"), [(24 * 60 - 1, True), (24 * 60 + 1, False)])
def test_a_non_filing_decided_within_24_hours_of_the_report_is_hasty(people, settings, minutes, hasty):
    settings.LANTERN_OVERSIGHT_THRESHOLDS = {"burst_items": 1000}  # the time threshold alone
    received = timezone.now() - dt.timedelta(minutes=minutes)
    cid = not_filed(people, received_at=received.isoformat())
    # Decided a few seconds after ``received`` was taken: still within the minute either side.
    assert ("hasty_non_filing" in open_flags(cid)) is hasty
    assert "minor_not_filed" in open_flags(cid)


@pytest.mark.parametrize(("spread", "hasty"), [(dt.timedelta(minutes=1), True), (dt.timedelta(minutes=3), False)])
def test_checklist_items_done_minutes_apart_make_a_non_filing_hasty(people, settings, spread, hasty):
    # At least 5 items within 10 minutes (policy): 1 minute apart, 5 fit in 4 minutes; 3 minutes
    # apart, any 5 span 12 minutes.
    settings.LANTERN_OVERSIGHT_THRESHOLDS = {"decided_within_hours": 0}
    inv, sup, head = Api(people["investigator"]), Api(people["supervisor"]), Api(people["county_head"])
    cid = Api(people["intake"]).post("/cases", report(**days_ago(5))).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.complete_checklist(cid)
    start = timezone.now() - dt.timedelta(days=3)
    for n, item in enumerate(ChecklistItem.objects.filter(case_id=cid).order_by("pk")):
        ChecklistItem.objects.filter(pk=item.pk).update(changed_at=start + n * spread)
    inv.act(cid, "propose_non_filing", reason="经全面取证，证据不足")
    sup.act(cid, "approve_decision", reason="同意")
    head.act(cid, "approve_decision", reason="同意不予立案")
    assert ("hasty_non_filing" in open_flags(cid)) is hasty


def test_evidence_past_its_clock_is_flagged_by_the_sweep_and_cleared_when_done(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    clock = Deadline.objects.filter(case_id=cid, rule="forensic_examination").first()
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert "evidence_overdue" not in open_flags(cid)
    sweep()
    flag = OversightFlag.objects.get(case_id=cid, flag="evidence_overdue", cleared_at__isnull=True)
    assert flag.since == Deadline.objects.get(pk=clock.pk).due_at and flag.subject == f"deadline:{clock.pk}"
    clocks.meet(case=Case.objects.get(pk=cid), rule_key="forensic_examination", subject=clock.subject)
    assert "evidence_overdue" not in open_flags(cid)
    assert OversightFlag.objects.get(pk=flag.pk).cleared_at is not None


def test_a_family_question_unanswered_past_its_clock_is_flagged_and_cleared_by_the_answer(people):
    created = Api(people["intake"]).post("/cases", report()).json()
    family = Family(created["tracking_code"], created["portal_secret"])
    asked = family.post("/questions", {"text": "案件现在进展到哪一步了？"})
    assert asked.status_code == 201, asked.content
    clock = Deadline.objects.get(case_id=created["id"], rule="family_question")
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    sweep()
    assert "question_overdue" in open_flags(created["id"])
    sup = Api(people["supervisor"])
    answered = sup.post(f"/questions/{asked.json()['id']}/answer", {"answer": "案件正在审查中，我们会尽快告知。"})
    assert answered.status_code == 200, answered.content
    assert "question_overdue" not in open_flags(created["id"])
    assert "question_overdue" in all_flags(created["id"])


def test_a_child_interviewed_again_without_approval_is_flagged_until_an_approval_is_on_record(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    officer = people["supervisor"]
    # The recording action refuses this; the record can still hold it (entered before Lantern,
    # imported from another system): the reconciliation finds it.
    for seq in (1, 2):
        Interview.objects.create(case_id=cid, sequence=seq, at=timezone.now(), interviewer=officer,
                                 interviewer_sex="female", place="询问室")
    reconcile()
    assert open_flags(cid) == {"repeat_interview"}
    approval = RepeatInterviewRequest.objects.create(case_id=cid, reason="核实新的细节", requested_by=officer,
                                                     requested_at=timezone.now(), approved=True)
    Interview.objects.filter(case_id=cid, sequence=2).update(approval=approval)
    reconcile()
    assert open_flags(cid) == set() and all_flags(cid) == {"repeat_interview"}


def test_the_reconciliation_restores_a_lost_flag_and_clears_one_without_its_condition(people):
    cid = not_filed(people)
    other = Api(people["intake"]).post("/cases", report()).json()["id"]
    OversightFlag.objects.filter(case_id=cid, flag="minor_not_filed").delete()
    stray = OversightFlag.objects.create(case_id=other, flag="minor_not_filed", since=timezone.now(),
                                         raised_at=timezone.now(), unit_id=Case.objects.get(pk=other).unit_id,
                                         division_code="990000", case_number="x")
    drift = reconcile()
    assert drift.raised == 1 and drift.cleared == 1
    assert "minor_not_filed" in open_flags(cid)
    assert OversightFlag.objects.get(pk=stray.pk).cleared_at is not None
    assert reconcile().raised == 0  # nothing left to fix


def test_the_table_equals_the_computation_from_scratch_after_the_workflow(people):
    not_filed(people)
    Api(people["intake"]).post("/cases", report())
    now = timezone.now()
    have = {(f.case_id, f.flag, f.subject): f.since for f in OversightFlag.objects.filter(cleared_at__isnull=True)}
    assert have == expected(Case.objects.all(), now=now)


@pytest.mark.parametrize("role_user", ["investigator", "analyst", "partner", "county_head"])
def test_those_who_do_not_oversee_get_403(units, role_user):
    who = {"investigator": ("QS-XZDD", Role.INVESTIGATOR), "analyst": ("AP-GAJ", Role.CAMPAIGN_ANALYST),
           "partner": ("QS-FLYZ", Role.PARTNER_CASEWORKER), "county_head": ("QS-GAJ", Role.UNIT_HEAD)}[role_user]
    user = make_user(units, who[0], who[1], username=f"no_{role_user}")
    assert Api(user).get("/oversight/flags").status_code == 403
    client = Client()
    sign_in(client, user)
    assert client.get("/oversight/flags/").status_code == 403


def test_a_prosecutor_of_another_jurisdiction_sees_none_of_these_flags(people, units):
    cid = not_filed(people)
    own = Api(people["prosecutor"]).get("/oversight/flags").json()
    assert {i["case_id"] for i in own["items"]} == {cid} and own["count"] == 2
    other = account_actions.create_unit(actor=None, code="XS-JCY", name="西山县人民检察院", branch=Branch.PROCURATORATE,
                                        level=Level.COUNTY, division_code="990122", parent=units["AP-JCY"])
    elsewhere = Api(make_user({**units, "XS-JCY": other}, "XS-JCY", Role.PROSECUTOR, username="xs_pros"))
    answer = elsewhere.get("/oversight/flags?status=all").json()
    assert answer["items"] == [] and answer["count"] == 0 and set(answer["counts"].values()) == {0}


def test_filters_and_pages(people):
    cid = not_filed(people)
    pros = Api(people["prosecutor"])
    assert [i["flag"] for i in pros.get("/oversight/flags?flag=minor_not_filed").json()["items"]] == ["minor_not_filed"]
    page = pros.get("/oversight/flags?limit=1&page=2").json()
    assert len(page["items"]) == 1 and page["count"] == 2
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert pros.get(f"/oversight/flags?since={tomorrow}").json()["count"] == 0
    unit = Case.objects.get(pk=cid).unit
    assert pros.get(f"/oversight/flags?unit_id={unit.parent_id}").json()["count"] == 2
    assert pros.get("/oversight/flags?flag=nonsense").status_code == 422


def test_the_flags_page_in_chinese_links_the_case_the_trail_and_the_non_filings(people):
    cid = not_filed(people)
    client = Client()
    sign_in(client, people["prosecutor"])
    page = client.get("/oversight/flags/").content.decode()
    assert "未成年人案件不予立案" in page and Case.objects.get(pk=cid).case_number in page
    assert f"/cases/{cid}/" in page and f"/discipline/cases/{cid}/trail/" in page
    assert "/cases/?list=not_filed" in page
    assert "测试甲" not in page  # no names
    handling = Case.objects.get(pk=cid).unit
    assert 'data-testid="flag-row"' in client.get(f"/oversight/flags/?unit={handling.pk}").content.decode()
    station = type(handling).objects.get(code="QS-CGPCS")
    assert 'data-testid="flag-row"' not in client.get(f"/oversight/flags/?unit={station.pk}").content.decode()


def test_home_panel_selectors(people):
    cid = not_filed(people)
    pros = people["prosecutor"]
    counts = selectors.open_flag_counts(pros)
    assert counts["minor_not_filed"] == 1 and counts["hasty_non_filing"] == 1 and counts["evidence_overdue"] == 0
    assert [r["case_id"] for r in selectors.recent_flags(pros, 1)] == [cid]
    assert selectors.open_flag_counts(people["investigator"]) == dict.fromkeys(counts, 0)


def test_an_age_corrected_to_a_childs_after_the_non_filing_raises_minor_not_filed(people):
    offence = timezone.localdate() - dt.timedelta(days=2)
    cid = not_filed(people, victim={"name": "测试丁", "sex": "female",
                                    "date_of_birth": years_months_before(offence, 19, 0).isoformat()})
    assert "minor_not_filed" not in open_flags(cid)
    corrected = Api(people["investigator"]).post(f"/cases/{cid}/corrections", {
        "field": "victim.date_of_birth", "value": years_months_before(offence, 13, 0).isoformat(),
        "reason": "户籍证明显示出生日期登记有误"})
    assert corrected.status_code == 201, corrected.content
    assert "minor_not_filed" in open_flags(cid)
