"""Need to know: who sees a case, and who may act on it. Denials first."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from lantern.accounts.models import Unit
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(units):
    people = police(units)
    intake = Api(people["intake"])
    adult = intake.post("/cases", report(victim={"name": "成年", "sex": "female", "estimated_age": 30})).json()
    minor = intake.post("/cases", report()).json()
    return people, adult["id"], minor["id"]


def test_an_unassigned_investigator_gets_404_and_an_empty_list(setup):
    people, adult, _minor = setup
    inv2 = Api(people["investigator2"])
    assert inv2.get(f"/cases/{adult}").status_code == 404
    assert inv2.get("/cases").json() == []
    assert inv2.act(adult, "begin_review").status_code == 404


def test_an_assigned_investigator_sees_the_case(setup):
    people, adult, _minor = setup
    Api(people["supervisor"]).act(adult, "assign", assignees=["c_inv"])
    assert Api(people["investigator"]).get(f"/cases/{adult}").status_code == 200


def test_the_intake_officer_sees_their_reports_only_while_at_intake(setup):
    people, adult, _minor = setup
    intake = Api(people["intake"])
    assert intake.get(f"/cases/{adult}").status_code == 200
    Api(people["supervisor"]).act(adult, "begin_review")
    assert intake.get(f"/cases/{adult}").status_code == 404


def test_a_supervisor_of_another_county_sees_nothing(setup, units):
    _people, adult, _minor = setup
    other = Unit.objects.create(code="XX-GAJ", name="另一县公安局", branch="police", level="county",
                                division_code="990122", parent=units["AP-GAJ"])
    stranger = Api(make_user({"XX": other}, "XX", Role.SUPERVISOR, username="other_sup"))
    assert stranger.get(f"/cases/{adult}").status_code == 404
    assert stranger.get("/cases").json() == []


def test_the_minors_office_sees_minor_cases_in_its_jurisdiction_but_not_adult_ones(setup):
    people, adult, minor = setup
    pros = Api(people["prosecutor"])
    ids = [c["id"] for c in pros.get("/cases").json()]
    assert minor in ids and adult not in ids
    assert pros.get(f"/cases/{adult}").status_code == 404


def test_administrators_analysts_and_partners_see_no_cases(setup, units, administrator):
    _people, _adult, minor = setup
    for user in (administrator, make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST),
                 make_user(units, "QS-FLYZ", Role.PARTNER_CASEWORKER)):
        api = Api(user)
        assert api.get("/cases").json() == []
        assert api.get(f"/cases/{minor}").status_code == 404


def test_a_role_without_the_action_gets_403_on_a_visible_case(setup):
    people, adult, _minor = setup
    intake = Api(people["intake"])
    response = intake.act(adult, "approve_decision")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_an_unknown_action_is_404(setup):
    people, adult, _minor = setup
    assert Api(people["supervisor"]).act(adult, "teleport").status_code == 404


def test_actions_list_says_why_an_action_is_not_allowed(setup):
    people, adult, _minor = setup
    actions = {a["name"]: a for a in Api(people["supervisor"]).get(f"/cases/{adult}/actions").json()}
    assert actions["begin_review"]["allowed"]
    assert not actions["approve_decision"]["allowed"]
    assert actions["approve_decision"]["unmet"][0]["code"] == "state"
    assert "legal_reference" in actions["propose_non_filing"]


# --- One rule for every object that belongs to a case (cases.access.ChildOfCase) ---------------


def test_every_object_of_a_case_reachable_by_id_follows_the_case_rule():
    from lantern.access.policy import rule_for
    from lantern.cases.access import ChildOfCase
    from lantern.cases.models import NoticeDelivery, Proceeding, Suspect
    from lantern.evidence.models import EvidenceFile, EvidenceItem, Interview, LabSubmission, RepeatInterviewRequest
    from lantern.portal.models import Question
    from lantern.referrals.models import Consent

    children = [Suspect, Proceeding, NoticeDelivery, EvidenceItem, EvidenceFile, Interview, LabSubmission,
                RepeatInterviewRequest, Question, Consent]
    assert {m.__name__: type(rule_for(m)).__name__ for m in children} == {m.__name__: "ChildOfCase" for m in children}
    assert rule_for(EvidenceFile).path == "item__case" and isinstance(rule_for(Suspect), ChildOfCase)


def test_a_suspect_and_an_evidence_item_are_seen_exactly_by_those_who_see_their_case(units):
    from lantern.access.policy import Verb, can, scope
    from lantern.cases.models import Suspect
    from lantern.evidence.models import EvidenceItem
    from tests.cases.helpers import filed_case, police
    from tests.factories import make_user

    people = police(units)
    case, api = filed_case(people)
    item = api["inv"].post(f"/cases/{case['id']}/evidence", {"kind": "document", "description": "笔录", "place": "县局",
                                                             "collected_at": "2026-11-30T10:00:00+08:00"})
    assert item.status_code == 201, item.content
    outsider = make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="c_outsider")
    suspect = Suspect.objects.get(case_id=case["id"])
    evidence = EvidenceItem.objects.get(pk=item.json()["id"])
    for obj in (suspect, evidence):
        assert can(people["investigator"], Verb.VIEW, obj) and can(people["supervisor"], Verb.VIEW, obj)
        assert not can(outsider, Verb.VIEW, obj)
        # Identity follows the case: intake, off the case once it is filed, sees neither.
        assert not can(people["intake"], Verb.VIEW_IDENTITY, obj)
        assert can(people["investigator"], Verb.VIEW_IDENTITY, obj)
    assert list(scope(outsider, Verb.VIEW, Suspect.objects.all())) == []
    assert list(scope(people["investigator"], Verb.VIEW, Suspect.objects.all())) == [suspect]
