"""The edges a privacy review found: each a way around need-to-know, now closed."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.access.roles import Role
from lantern.accounts import actions as account_actions
from lantern.accounts.models.units import Branch, Level
from lantern.audit.models import AuditEntry
from lantern.cases.models import Victim
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user, next_code, sign_in

pytestmark = pytest.mark.django_db
SEAL = {"roles": ["supervisor"], "reason": "未成年人犯罪记录封存", "legal_reference": "刑事诉讼法第二百八十六条"}
REASON = "本大队另案嫌疑人使用同一手机号，需核对案情。"


@pytest.fixture
def people(units):
    found = police(units)
    found["prosecutor_out"] = make_user(units, "QS-JCY", Role.PROSECUTOR, username="c_pros_adult")
    found["inspector"] = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="c_insp")
    other = account_actions.create_unit(actor=None, code="XS-GAJ", name="西山县公安局", branch=Branch.POLICE,
                                        level=Level.COUNTY, division_code="990122", parent=units["AP-GAJ"])
    found["other_head"] = make_user({"XS-GAJ": other}, "XS-GAJ", Role.UNIT_HEAD, username="c_other_head")
    return found


def test_a_sealed_case_cannot_be_found_or_merged_into_at_intake(people):
    intake = Api(people["intake"])
    case = intake.post("/cases", report()).json()
    assert intake.post("/cases/duplicates", {"suspect_phones": ["13900000001"]}).json() != []
    assert Api(people["county_head"]).post(f"/cases/{case['id']}/seal", SEAL).status_code == 201
    assert intake.post("/cases/duplicates", {"suspect_phones": ["13900000001"]}).json() == []
    assert intake.post("/cases", report(merge_into=case["id"])).status_code == 404


def test_the_sealing_role_can_always_lift_the_seal(people):
    case = Api(people["intake"]).post("/cases", report()).json()
    head = Api(people["county_head"])
    assert head.post(f"/cases/{case['id']}/seal", SEAL).status_code == 201  # names supervisors only
    assert head.post(f"/cases/{case['id']}/seal/lift", {"reason": "依法解除"}).status_code == 200


def test_break_glass_says_nothing_about_a_case_number_without_a_valid_code(people):
    outsider = people["investigator2"]
    api = Api(outsider)
    answers = [api.post("/break-glass", {"case_number": n, "reason": REASON, "code": "000000"}).json()["error"]
               for n in ("QS-GAJ-2026-99999", "NOPE")]
    assert {a["code"] for a in answers} == {"second_factor_refused"}
    unknown = api.post("/break-glass", {"case_number": "QS-GAJ-2026-99999", "reason": REASON,
                                        "code": next_code(outsider)})
    assert unknown.status_code == 403 and "case_number" in unknown.json()["error"]["details"]


def test_a_prosecutor_by_break_glass_sees_pseudonyms_and_pseudonymised_notes(people):
    case = Api(people["intake"]).post("/cases", report(victim={"name": "测试甲", "sex": "female",
                                                               "estimated_age": 30})).json()
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    item = sup.get(f"/cases/{case['id']}").json()["checklist"][0]
    sup.patch(f"/cases/{case['id']}/checklist/{item['id']}", {"status": "done", "note": "已询问测试甲"})
    prosecutor = people["prosecutor_out"]
    api = Api(prosecutor)
    assert api.get(f"/cases/{case['id']}").status_code == 404  # an adult's case, not under supervision
    opened = api.post("/break-glass", {"case_number": case["case_number"], "reason": REASON,
                                       "code": next_code(prosecutor)})
    assert opened.status_code == 201
    seen = api.get(f"/cases/{case['id']}").json()
    assert "name" not in seen["victim"] and "narrative" not in seen
    note = next(i["note"] for i in seen["checklist"] if i["id"] == item["id"])
    assert note == "已询问" + Victim.objects.get(case_id=case["id"]).pseudonym


def test_the_access_report_shows_only_the_readers_a_viewer_may_review(people):
    case = Api(people["intake"]).post("/cases", report()).json()
    assert Api(people["supervisor"]).get(f"/cases/{case['id']}").status_code == 200

    def readers(user):
        return {u["username"] for u in Api(user).get("/privacy/access-report").json()["users"]}
    assert "c_sup" in readers(people["county_head"]) and "c_sup" in readers(people["inspector"])
    assert readers(people["other_head"]) == set()


def test_identity_reads_returned_by_actions_count_in_the_access_report(people):
    case = Api(people["intake"]).post("/cases", report()).json()
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")  # returns the case with identities
    line = next(u for u in Api(people["inspector"]).get("/privacy/access-report").json()["users"]
                if u["username"] == "c_sup")
    assert line["with_identity_outside"] >= 1


def test_odd_digits_are_bad_input_not_a_crash(people):
    client = Client()
    sign_in(client, people["county_head"])
    assert client.get("/privacy/access-report/?days=²").status_code == 200
    api = Api(people["investigator2"])
    refused = api.post("/break-glass", {"case_number": "X", "reason": REASON, "code": "¹²³⁴⁵⁶"})
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action="denied.open_break_glass").count() == 1


def test_changing_a_checklist_status_alone_keeps_the_note(people):
    case = Api(people["intake"]).post("/cases", report()).json()
    sup = Api(people["supervisor"])
    sup.act(case["id"], "begin_review")
    item = sup.get(f"/cases/{case['id']}").json()["checklist"][0]
    sup.patch(f"/cases/{case['id']}/checklist/{item['id']}", {"status": "done", "note": "已提取"})
    after = sup.patch(f"/cases/{case['id']}/checklist/{item['id']}", {"status": "open"}).json()
    assert next(i["note"] for i in after["checklist"] if i["id"] == item["id"]) == "已提取"
