"""Synthetic demo cases (never real people: names from Faker's zh_CN provider), in varied
states, and a replay of a Linxia-like case. Idempotent: runs once per database."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from faker import Faker

from lantern.accounts.models import User
from lantern.cases import workflow
from lantern.cases.checklist import set_checklist_item
from lantern.cases.models import Case, ItemStatus
from lantern.intake.schemas import AccountIn, ComplainantIn, ReportIn, SuspectIn, VictimIn
from lantern.intake.services import register_report

CHANNELS = ["walk_in", "call_110", "online", "mandatory_report", "referral", "police_discovered"]
RELATIONS = ["母亲", "父亲", "本人", "班主任", "姑姑", "舅舅"]
PHONE_CLOCK = dt.timedelta(hours=48)  # deadlines.rules "phone_extraction"


def _report(fake: Faker, rng: random.Random, *, age: int, days_ago: int, suspects: int,
            indicators: list[str] | None = None) -> ReportIn:
    received = timezone.now() - dt.timedelta(days=days_ago, hours=rng.randint(0, 20))
    offence = timezone.localtime(received).date() - dt.timedelta(days=rng.randint(0, 3))
    return ReportIn(
        received_at=received, channel=rng.choice(CHANNELS), offence_date=offence,
        narrative=f"（合成演示数据）被害人于{offence:%Y年%m月%d日}在{fake.city_name()}遭受侵害。",
        victim=VictimIn(name=fake.name_female(), sex="female", estimated_age=age),
        complainant=ComplainantIn(name=fake.name(), relation=rng.choice(RELATIONS), phone=fake.phone_number()),
        suspects=[SuspectIn(name=fake.name_male(), phone=fake.phone_number(),
                            accounts=[{"platform": "某交友App", "handle": fake.user_name()}])
                  for _ in range(suspects)],
        indicators=indicators or [])


def _complete_checklist(case: Case, who: User) -> None:
    for item in case.checklist.filter(status=ItemStatus.OPEN):
        set_checklist_item(actor=who, item=item, status="done", note="（演示）已完成")


def _linxia_replay(fake: Faker, rng: random.Random, u: dict[str, User]) -> None:
    """12 years 4 months old, three suspects met online, non-filing refused while the
    evidence is missing, then decided properly and supervised into filing."""
    report = _report(fake, rng, age=12, days_ago=4, suspects=3)
    offence = report.offence_date
    born = offence.replace(year=offence.year - 12) - dt.timedelta(days=122)
    report.victim.estimated_age, report.victim.date_of_birth = None, born
    case = register_report(actor=u["intake"], report=report).case
    workflow.perform(case=case, actor=u["supervisor"], name="assign", payload={"assignees": ["investigator"]})
    workflow.perform(case=case, actor=u["investigator"], name="begin_review")
    _complete_checklist(case, u["supervisor"])
    workflow.perform(case=case, actor=u["investigator"], name="propose_non_filing", payload={"reason": "（演示）证据不足"})
    workflow.perform(case=case, actor=u["supervisor"], name="approve_decision", payload={"reason": "同意"})
    workflow.perform(case=case, actor=u["county_head"], name="approve_decision",
                     payload={"reason": "（演示）认为没有犯罪事实发生，不予立案"})
    workflow.perform(case=case, actor=u["prosecutor"], name="request_explanation", payload={"reason": "请说明理由"})


def load(count: int = 30, seed: int = 7) -> int:
    if Case.objects.exists():
        return 0
    fake, rng = Faker("zh_CN"), random.Random(seed)
    fake.seed_instance(seed)
    u = {name: User.objects.get(username=name) for name in
         ("intake", "investigator", "investigator2", "supervisor", "county_head", "prosecutor")}
    _linxia_replay(fake, rng, u)
    for n in range(count - 1):
        age = rng.choice([9, 12, 13, 15, 16, 19, 24, 31])
        report = _report(fake, rng, age=age, days_ago=rng.randint(0, 20), suspects=rng.choice([1, 1, 2, 3]),
                         indicators=["genital_injury"] if n % 11 == 5 else None)
        if n == 0:  # its 48-hour phone clock runs out minutes after make run: the worker escalates it
            report.received_at = timezone.now() - PHONE_CLOCK + dt.timedelta(minutes=3)
        case = register_report(actor=u["intake"], report=report).case
        _advance(case, n % 5, u)
    _network(fake, rng, u)
    _same_person(u)
    return count


def _same_person(u: dict[str, User]) -> None:
    """A suspect identified in two cases under slightly different details (a homophone
    surname character, two digits of the day swapped): the matching model is fairly but
    not quite sure, so the pair waits on the match review queue."""
    from lantern.intake.schemas import NewSuspectIn
    from lantern.intake.supplements import add_suspect

    open_cases = list(Case.objects.filter(state="UNDER_REVIEW", merged_into__isnull=True).order_by("pk")[:2])
    for case, name, born in zip(open_cases, ("张伟明", "张卫明"), (dt.date(1990, 3, 12), dt.date(1990, 3, 21)),
                                strict=False):
        add_suspect(actor=u["supervisor"], case=case,
                    suspect=NewSuspectIn(name=name, sex="male", date_of_birth=born))


def _network(fake: Faker, rng: random.Random, u: dict[str, User]) -> None:
    """One dating-app account behind four reports over six weeks (the pattern the special
    action targets), and a fifth report that shares only a phone with one of them: one
    network of five cases, some on each investigator's team, so each sees part of it."""
    shared = {"platform": "某交友App", "handle": "moonlight_walker"}
    phone = fake.phone_number()
    for i, days in enumerate((41, 27, 13, 4)):
        report = _report(fake, rng, age=rng.choice([13, 15, 16]), days_ago=days, suspects=1)
        report.suspects[0].accounts = [AccountIn(**shared)]
        if i == 2:
            report.suspects[0].phone = phone
        _advance(register_report(actor=u["intake"], report=report).case, 1, u)
    report = _report(fake, rng, age=19, days_ago=2, suspects=1)
    report.suspects[0].phone = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    report.suspects[0].accounts = []
    _advance(register_report(actor=u["intake"], report=report).case, 1, u)


def _advance(case: Case, depth: int, u: dict[str, User]) -> None:
    """0: received; 1: under review; 2: filing proposed; 3: filed; 4: not filed."""
    if depth == 0:
        return
    team = "investigator" if case.pk % 2 else "investigator2"
    workflow.perform(case=case, actor=u["supervisor"], name="assign", payload={"assignees": [team]})
    workflow.perform(case=case, actor=u[team], name="begin_review")
    if depth in (2, 3) or case.has_flag("mandatory_filing"):
        workflow.perform(case=case, actor=u[team], name="propose_filing", payload={"reason": "（演示）有犯罪事实"})
        if depth == 3:
            workflow.perform(case=case, actor=u["supervisor"], name="approve_decision", payload={"reason": "同意"})
    elif depth == 4:
        _complete_checklist(case, u["supervisor"])
        workflow.perform(case=case, actor=u[team], name="propose_non_filing", payload={"reason": "（演示）证据不足"})
        workflow.perform(case=case, actor=u["supervisor"], name="approve_decision",
                         payload={"reason": "（演示）经审查，现有证据不能证明有犯罪事实发生"})
        # A minor's non-filing also needs the county head: every other one is left waiting for
        # them, so the demo shows a decision at that step.
        if case.is_minor and case.pk % 3:
            workflow.perform(case=case, actor=u["county_head"], name="approve_decision",
                             payload={"reason": "（演示）现有证据不能证明有犯罪事实发生"})
