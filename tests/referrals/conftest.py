from __future__ import annotations

import pytest

from tests.cases.helpers import police
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user
from tests.family import partner_services, reachable_report


@pytest.fixture
def people(units):
    partner_services()
    found = police(units)
    found["legal_aid"] = make_user(units, "QS-FLYZ", "partner_caseworker", username="r_legal")
    found["counselling"] = make_user(units, "QS-XLZX", "partner_caseworker", username="r_counsel")
    return found


@pytest.fixture
def case(people):
    created = Api(people["intake"]).post("/cases", reachable_report()).json()
    sup = Api(people["supervisor"])
    assert sup.act(created["id"], "begin_review").status_code == 200
    assert sup.act(created["id"], "assign", assignees=["c_inv"]).status_code == 200
    return created


LEGAL_AID = {"service": "legal_aid", "partner": "QS-FLYZ", "given_by": "guardian", "shared": ["age_band"],
             "need": "测试甲需要法律援助律师代理附带民事诉讼。", "contact_route": "case_team"}
