"""A generated set of cases for the statistics tests, made with the real intake and
workflow actions: two counties, several months, every age band (synthetic, never real)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts import actions
from lantern.accounts.models.units import Branch, Level
from lantern.campaigns import cells
from lantern.cases import suspects, workflow
from lantern.cases.checklist import set_checklist_item
from lantern.cases.models import Case, ChecklistItem, Suspect
from lantern.core.errors import LanternError
from lantern.intake.schemas import ReportIn
from lantern.intake.services import register_report
from tests.cases.helpers import police, report
from tests.factories import make_user

AGES = [8, 13, 15, 17, 30]  # under_12, 12_to_14, 14_to_16, 16_to_18, adult


def second_county(units: dict[str, Any]) -> dict[str, Any]:
    units["HP-GAJ"] = actions.create_unit(actor=None, code="HP-GAJ", name="和平县公安局", name_en="Heping County PSB",
                                          branch=Branch.POLICE, level=Level.COUNTY, division_code="990122",
                                          parent=units["AP-GAJ"])
    return {"intake": make_user(units, "HP-GAJ", Role.INTAKE_OFFICER, username="hp_intake"),
            "supervisor": make_user(units, "HP-GAJ", Role.SUPERVISOR, username="hp_sup"),
            "county_head": make_user(units, "HP-GAJ", Role.UNIT_HEAD, username="hp_head")}


def victim(age: int) -> dict[str, Any]:
    return {"name": "测试某", "sex": "female", "estimated_age": age}


def suspect(n: int) -> list[dict[str, str]]:
    """Each case its own suspect: one shared by all 23 linked them into one network, every
    registration matched against all before it (a third of the world's build time), and the
    statistics are about cases, not networks."""
    return [{"name": f"测嫌{n:03d}", "phone": f"139{n:08d}"}]


def register(people: dict[str, Any], n: int, *, days_ago: int, age: int, **extra: Any) -> int:
    received = timezone.now() - dt.timedelta(days=days_ago)
    body = report(suspects=suspect(n), victim=victim(age), received_at=received.isoformat(),
                  offence_date=(received - dt.timedelta(days=1)).date().isoformat(), **extra)
    return register_report(actor=people["intake"], report=ReportIn(**body)).case.pk


# The world is built with the actions themselves, as the API calls them (the API has its own
# tests): through the API each step also signed in and read the whole case back.
def act(actor: Any, cid: int, name: str, **payload: Any) -> None:
    workflow.perform(case=Case.objects.get(pk=cid), actor=actor, name=name, payload=payload)


def file(people: dict[str, Any], cid: int) -> None:
    act(people["supervisor"], cid, "begin_review")
    act(people["supervisor"], cid, "propose_filing", reason="有犯罪事实需要追究刑事责任")
    for decider in (people["supervisor"], people["county_head"]):
        with contextlib.suppress(LanternError):  # the proposer may not approve: the head does
            act(decider, cid, "approve_decision", reason="同意立案")
    assert Case.objects.get(pk=cid).state == "FILED"


def not_file(people: dict[str, Any], cid: int) -> None:
    act(people["supervisor"], cid, "begin_review")
    for item in ChecklistItem.objects.filter(case_id=cid):
        set_checklist_item(actor=people["supervisor"], item=item, status="done", note="已完成取证（测试）")
    act(people["supervisor"], cid, "propose_non_filing", reason="拟不予立案：初步调查未见犯罪事实")
    act(people["county_head"], cid, "approve_decision", reason="经全面调查取证，现有证据不能证明犯罪事实发生")
    assert Case.objects.get(pk=cid).state == "NOT_FILED", Case.objects.get(pk=cid).state


def detain(people: dict[str, Any], cid: int) -> None:
    suspects.change_status(actor=people["supervisor"], suspect=Suspect.objects.get(case_id=cid),
                           move_name="detain", reason="拘留证 1号")


def build(units: dict[str, Any]) -> dict[str, Any]:
    """QS county: 20 cases over four months and all bands, 8 filed (5 solved), 3 adults not
    filed, 2 mandatory reports; HP county: 3 cases (a group too small to publish)."""
    qs, hp = police(units), second_county(units)
    ids: dict[str, list[int]] = {"qs": [], "hp": []}
    for i in range(20):
        ids["qs"].append(register(qs, i, days_ago=3 + 31 * (i % 4), age=AGES[i % 5],
                                  **({"channel": "mandatory_report"} if i in (2, 7) else {})))
    for cid in ids["qs"][:8]:
        file(qs, cid)
    for cid in ids["qs"][:5]:
        detain(qs, cid)
    adults = [cid for i, cid in enumerate(ids["qs"]) if AGES[i % 5] == 30 and cid not in ids["qs"][:8]]
    for cid in adults[:3]:
        not_file(qs, cid)
    for i in range(3):
        ids["hp"].append(register(hp, 100 + i, days_ago=5, age=30))
    cells.refresh()
    return {"qs": qs, "hp": hp, "ids": ids, "not_filed": adults[:3]}
