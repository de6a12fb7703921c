"""Reports and people for case tests: synthetic, never real."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lantern.access.roles import Role
from tests.factories import make_user


def years_months_before(day: dt.date, years: int, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - years * 12 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def report(**overrides: Any) -> dict[str, Any]:
    """A report as the API takes it: by default a 12-year-4-month-old girl and three
    suspects met through a dating app (the Linxia pattern), reported yesterday."""
    received = timezone.now() - dt.timedelta(days=1)
    offence = timezone.localdate() - dt.timedelta(days=2)
    body = {
        "received_at": received.isoformat(), "channel": "walk_in", "offence_date": offence.isoformat(),
        "narrative": "合成案情：被害人经网络交友软件结识嫌疑人后被带至某处。",
        "victim": {"name": "测试甲", "sex": "female",
                   "date_of_birth": years_months_before(offence, 12, 4).isoformat()},
        "complainant": {"name": "测试乙", "relation": "舅舅", "phone": "13800000001"},
        "suspects": [{"name": "嫌疑人一", "phone": "13900000001",
                      "accounts": [{"platform": "某交友App", "handle": "u1"}]},
                     {"name": "嫌疑人二", "phone": "13900000002"},
                     {"name": "", "phone": "", "accounts": [{"platform": "某交友App", "handle": "u3"}]}],
        "indicators": [],
    }
    body.update(overrides)
    return body


def police(units) -> dict[str, Any]:
    return {
        "intake": make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER, username="c_intake"),
        "investigator": make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="c_inv"),
        "investigator2": make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="c_inv2"),
        "supervisor": make_user(units, "QS-XZDD", Role.SUPERVISOR, username="c_sup"),
        "county_head": make_user(units, "QS-GAJ", Role.UNIT_HEAD, username="c_head"),
        "prosecutor": make_user(units, "QS-JCY-WJ", Role.PROSECUTOR, username="c_pros"),
    }


ONE_SUSPECT = [{"name": "嫌疑人一", "phone": "13900000001"}]


def filed_case(people: dict[str, Any], **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A report registered, reviewed and filed (one suspect unless ``overrides`` say
    otherwise), with the API clients of the people who took it there."""
    from lantern.cases.models import Case
    from tests.cases.test_linxia_scenario import Api  # that module imports this one

    case = Api(people["intake"]).post("/cases", report(**{"suspects": ONE_SUSPECT, **overrides})).json()
    sup, head, inv = Api(people["supervisor"]), Api(people["county_head"]), Api(people["investigator"])
    sup.act(case["id"], "assign", assignees=["c_inv"])
    inv.act(case["id"], "begin_review")
    assert inv.act(case["id"], "propose_filing", reason="有犯罪事实需要追究刑事责任").status_code == 200
    for decider in (sup, head):
        decider.act(case["id"], "approve_decision", reason="同意立案")
    assert Case.objects.get(pk=case["id"]).state == "FILED"
    return case, {"sup": sup, "head": head, "inv": inv, "pros": Api(people["prosecutor"])}
