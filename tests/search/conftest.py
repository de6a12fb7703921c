"""Two cases of one brigade that share a suspect's phone, each with its own investigator:
c_inv sees case A only, the brigade's supervisor both, and everything case B holds
alone (its second suspect's phone, ID number and account, its number and tracking code,
its victim's pseudonym) exists only outside c_inv's scope."""

from __future__ import annotations

import pytest

from lantern.cases.models import Case
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

SHARED_PHONE = "13900000001"
B_PHONE = "13712345678"
B_ID_NUMBER = "99010119900101999X"
B_HANDLE = ("微信", "b_only_handle")
A_VICTIM_ID = "990101201001019995"


@pytest.fixture
def world(units):
    people = police(units)
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    a = intake.post("/cases", report(
        victim={"name": "张测试", "sex": "female", "estimated_age": 12, "id_number": A_VICTIM_ID},
        suspects=[{"name": "嫌疑人一", "phone": SHARED_PHONE,
                   "accounts": [{"platform": "某交友App", "handle": "shared_u1"}]}])).json()
    b = intake.post("/cases", report(
        victim={"name": "欧阳测试", "sex": "female", "estimated_age": 13},
        suspects=[{"name": "嫌疑人一", "phone": SHARED_PHONE},
                  {"name": "嫌疑人二", "phone": B_PHONE, "id_number": B_ID_NUMBER,
                   "accounts": [{"platform": B_HANDLE[0], "handle": B_HANDLE[1]}]}])).json()
    assert sup.act(a["id"], "assign", assignees=["c_inv"]).status_code == 200
    assert sup.act(b["id"], "assign", assignees=["c_inv2"]).status_code == 200
    return {"people": people, "a": Case.objects.get(pk=a["id"]), "b": Case.objects.get(pk=b["id"]),
            "a_json": a, "b_json": b}
