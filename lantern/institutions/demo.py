"""The institutions' demo (synthetic, never real people): the school's mandatory report on a
9-year-old with an injury, accepted with feedback and a question waiting; a conviction on the
registry whose ID number (README) answers ``hit``; the school's checks, one of them a bulk
check of its staff; the hotel that knew and did not report. Idempotent: runs once."""

from __future__ import annotations

import datetime as dt
import functools

from django.utils import timezone

from lantern.accounts.models import Institution, User
from lantern.cases import suspects, workflow
from lantern.cases.checklist import set_checklist_item
from lantern.cases.models import Case, ItemStatus
from lantern.institutions import checks, services
from lantern.institutions.models import MandatoryReport
from lantern.institutions.schemas import MandatoryReportIn, NonReportingIn
from lantern.intake.schemas import ComplainantIn, ReportIn, SuspectIn, VictimIn
from lantern.intake.services import register_report

# Synthetic numbers with valid check characters (division 990121 does not exist).
DEMO_OFFENDER_ID = "990121197805050012"  # on the registry: a check answers hit
DEMO_CLEAN_ID = "990121199009090020"  # not on it: no hit
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id(serial: int, born: dt.date) -> str:
    body = f"990121{born:%Y%m%d}{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def load() -> bool:
    if MandatoryReport.objects.exists():
        return False
    u = {name: User.objects.get(username=name) for name in
         ("school", "hotel", "intake", "supervisor", "county_head", "investigator", "prosecutor")}
    _conviction(u)
    _school_report(u)
    _checks(u)
    _hotel_knew(u)
    return True


def _conviction(u: dict[str, User]) -> None:
    """An earlier case taken to judgment and closed: its conviction is on the registry."""
    received = timezone.now() - dt.timedelta(days=400)
    report = ReportIn(received_at=received, channel="walk_in", offence_date=timezone.localtime(received).date(),
                      narrative="（合成演示数据）旧案：被告人已被判决。",
                      victim=VictimIn(name="演示被害人", sex="female", estimated_age=13),
                      complainant=ComplainantIn(name="演示报案人", relation="母亲", phone="13800009999"),
                      suspects=[SuspectIn(name="演示登记人员", phone="13900009999", id_number=DEMO_OFFENDER_ID)])
    case = register_report(actor=u["intake"], report=report).case
    suspect = case.suspects.get()
    suspect.date_of_birth = dt.date(1978, 5, 5)
    suspect.save(update_fields=["date_of_birth"])
    sup, head, inv, pros = u["supervisor"], u["county_head"], u["investigator"], u["prosecutor"]
    step = functools.partial(workflow.perform, case=case)
    step(actor=sup, name="assign", payload={"assignees": ["investigator"]})
    step(actor=inv, name="begin_review")
    step(actor=inv, name="propose_filing", payload={"reason": "（演示）有犯罪事实"})
    for approver in (sup, head):
        case.refresh_from_db()
        if case.state != "FILED":
            step(actor=approver, name="approve_decision", payload={"reason": "同意"})
    step(actor=inv, name="begin_investigation")
    suspects.change_status(actor=inv, suspect=suspect, move_name="detain", reason="（演示）拘留证")
    for item in case.checklist.filter(status=ItemStatus.OPEN):
        set_checklist_item(actor=sup, item=item, status="done", note="（演示）已完成")
    step(actor=sup, name="send_for_prosecution", payload={"reason": "（演示）起诉意见书"})
    step(actor=pros, name="prosecute", payload={"reason": "（演示）起诉书"})
    step(actor=pros, name="record_judgment", payload={
        "reason": "（演示）清刑初字第88号", "court": "清水县人民法院",
        "verdicts": [{"suspect_id": suspect.pk, "verdict": "convicted", "charges": "强奸罪",
                      "sentence": "有期徒刑十年", "sentence_months": 120}]})
    step(actor=sup, name="close_case", payload={"reason": "（演示）判决生效，结案"})


def _school_report(u: dict[str, User]) -> None:
    observed = timezone.now() - dt.timedelta(hours=30)
    filed = MandatoryReportIn(
        observed_at=observed, narrative="（合成演示数据）体育课后，班主任发现学生腿部和手腕有淤伤，学生称放学路上被人侵害。",
        child=VictimIn(name="演示学生", sex="female", date_of_birth=dt.date(2017, 3, 1)),
        indicators=["genital_injury"], reporter={"name": "演示老师", "phone": "13800000011", "position": "班主任"})
    report = services.file_report(actor=u["school"], filed=filed)
    services.give_feedback(actor=u["supervisor"], report=report, stage="accepted",
                           text="（演示）报告已受理，正在依法审查，请学校做好学生的看护和保密。")
    services.ask_question(actor=u["school"], report=report, text="（演示）学校需要配合做哪些工作？")


def _checks(u: dict[str, User]) -> None:
    for number, name in ((DEMO_CLEAN_ID, "演示应聘者甲"), (DEMO_OFFENDER_ID, "演示应聘者乙")):
        checks.check_applicant(actor=u["school"], name=name, id_number=number, purpose="hiring", consent=True)
    staff = [(f"演示教职工{i:02d}", _id(i, dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28))) for i in range(40)]
    csv = "\n".join(["姓名,身份证号", *(f"{n},{i}" for n, i in staff)]).encode("utf-8")
    batch = checks.start_bulk_check(actor=u["school"], file_name="教职工2026.csv", data=csv, purpose="annual",
                                    consent=True)
    while batch.finished_at is None:
        batch = checks.continue_bulk_check(batch=batch, actor=u["school"])


def _hotel_knew(u: dict[str, User]) -> None:
    """A demo case where the police learnt that the hotel's front desk knew and did not report."""
    case = Case.objects.filter(is_minor=True, state__in=["UNDER_REVIEW", "FILED", "INVESTIGATING"]).order_by("pk").first()
    if case is None:
        return
    hotel = Institution.objects.get(unit=u["hotel"].unit)
    services.record_non_reporting(actor=u["supervisor"], case=case, given=NonReportingIn(
        institution_id=hotel.pk, knew_since=timezone.localdate() - dt.timedelta(days=12),
        how_learnt="（演示）监控显示前台当晚登记了未成年人入住，未报告。"))
