"""A Linxia-like case taken through the API (as lantern.intake.demo._linxia_replay does):
a 12-year-old's report, the checklist worked (one item ruled out by the supervisor), a
non-filing proposed by the investigator, approved by the supervisor and the county head,
the procuratorate asking why. The reasons slip the victim's name in, as officers do."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from lantern.accounts import actions as account_actions
from lantern.accounts.models.units import Branch, Level
from tests.cases.helpers import police
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user
from tests.family import partner_services, reachable_report

VICTIM, COMPLAINANT, SUSPECT = "测试甲", "测试乙", "嫌疑人一"


@pytest.fixture
def people(units):
    partner_services()
    found = police(units)
    found["inspector"] = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="d_insp")
    found["analyst"] = make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="d_analyst")
    found["partner"] = make_user(units, "QS-FLYZ", Role.PARTNER_CASEWORKER, username="d_partner")
    other = account_actions.create_unit(actor=None, code="BS-JW", name="北山州纪委监委", branch=Branch.DISCIPLINE,
                                        level=Level.PREFECTURE, division_code="990200", parent=None)
    found["other_inspector"] = make_user({"BS-JW": other}, "BS-JW", Role.DISCIPLINE_INSPECTOR, username="d_insp2")
    return found


@pytest.fixture
def linxia(people):
    """The replayed case: its creation response (id, tracking code, portal secret)."""
    intake, inv, sup = Api(people["intake"]), Api(people["investigator"]), Api(people["supervisor"])
    head, pros = Api(people["county_head"]), Api(people["prosecutor"])
    created = intake.post("/cases", reachable_report())
    assert created.status_code == 201, created.content
    case = created.json()
    cid = case["id"]
    assert sup.act(cid, "assign", assignees=["c_inv"]).status_code == 200
    assert inv.act(cid, "begin_review").status_code == 200
    for item in inv.get(f"/cases/{cid}").json()["checklist"]:
        if item["key"] == "cctv_records":
            done = sup.patch(f"/cases/{cid}/checklist/{item['id']}",
                             {"status": "not_applicable", "note": "无监控覆盖（现场核实）"})
        else:
            done = inv.patch(f"/cases/{cid}/checklist/{item['id']}", {"status": "done", "note": "已完成（记录见卷宗）"})
        assert done.status_code == 200, done.content
    assert inv.act(cid, "propose_non_filing", reason=f"经全面取证，{VICTIM}所述证据不足").status_code == 200
    assert sup.act(cid, "approve_decision", reason="同意").status_code == 200
    assert head.act(cid, "approve_decision", reason="认为没有犯罪事实发生，不予立案").json()["state"] == "NOT_FILED"
    assert pros.act(cid, "request_explanation", reason="请说明不立案理由").status_code == 200
    return case
