"""A generated set of cases for the statistics tests, made with the real intake and
workflow actions: two counties, several months, every age band (synthetic, never real)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts import actions
from lantern.accounts.models.units import Branch, Level
from lantern.campaigns import cells
from lantern.cases.models import Case, Suspect
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

AGES = [8, 13, 15, 17, 30]  # under_12, 12_to_14, 14_to_16, 16_to_18, adult


def second_county(units: dict[str, Any]) -> dict[str, Any]:
    units["HP-GAJ"] = actions.create_unit(actor=None, code="HP-GAJ", name="和平县公安局", name_en="Heping County PSB",
                                          branch=Branch.POLICE, level=Level.COUNTY, division_code="990122",
                                          parent=units["AP-GAJ"])
    return {"intake": make_user(units, "HP-GAJ", Role.INTAKE_OFFICER, username="hp_intake"),
            "supervisor": make_user(units, "HP-GAJ", Role.SUPERVISOR, username="hp_sup"),
            "county_head": make_user(units, "HP-GAJ", Role.UNIT_HEAD, username="hp_head")}


_CLIENTS: dict[int, Api] = {}


def api(user: Any) -> Api:
    """One signed-in API client per user (a TOTP code is accepted once)."""
    if user.pk not in _CLIENTS:
        _CLIENTS[user.pk] = Api(user)
    return _CLIENTS[user.pk]


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
    created = api(people["intake"]).post("/cases", body)
    assert created.status_code == 201, created.content
    return created.json()["id"]


def file(people: dict[str, Any], cid: int) -> None:
    sup, head = api(people["supervisor"]), api(people["county_head"])
    sup.act(cid, "begin_review")
    assert sup.act(cid, "propose_filing", reason="有犯罪事实需要追究刑事责任").status_code == 200
    for decider in (sup, head):
        decider.act(cid, "approve_decision", reason="同意立案")
    assert Case.objects.get(pk=cid).state == "FILED"


def not_file(people: dict[str, Any], cid: int) -> None:
    sup, head = api(people["supervisor"]), api(people["county_head"])
    sup.act(cid, "begin_review")
    sup.complete_checklist(cid)
    assert sup.act(cid, "propose_non_filing", reason="拟不予立案：初步调查未见犯罪事实").status_code == 200
    head.act(cid, "approve_decision", reason="经全面调查取证，现有证据不能证明犯罪事实发生")
    assert Case.objects.get(pk=cid).state == "NOT_FILED", Case.objects.get(pk=cid).state


def detain(people: dict[str, Any], cid: int) -> None:
    sid = Suspect.objects.get(case_id=cid).pk
    moved = api(people["supervisor"]).post(f"/suspects/{sid}/moves/detain", {"reason": "拘留证 1号"})
    assert moved.status_code == 200, moved.content


def build(units: dict[str, Any]) -> dict[str, Any]:
    """QS county: 20 cases over four months and all bands, 8 filed (5 solved), 3 adults not
    filed, 2 mandatory reports; HP county: 3 cases (a group too small to publish)."""
    _CLIENTS.clear()
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
