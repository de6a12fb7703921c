"""The case team changes while the case is worked on: a supervisor assigns investigators in
every open state, and takes one off the team with a reason, which ends their access."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.audit.models import AuditEntry
from lantern.cases import workflow
from lantern.cases.models import Assignment, Case
from lantern.cases.states import OPEN_STATES, State
from tests.cases.helpers import filed_case, police
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


def test_the_open_states_are_exactly_those_the_workflow_table_leads_out_of():
    """"Open" is not a list kept by hand: a state is open when some row moves a case on from it."""
    assert {State(a) for a, _b in workflow.WORKFLOW.moves()} == OPEN_STATES
    assert State.CLOSED not in OPEN_STATES and State.MERGED not in OPEN_STATES


def test_a_supervisor_adds_an_investigator_during_the_investigation(people):
    case, api = filed_case(people)
    cid = case["id"]
    assert api["inv"].act(cid, "begin_investigation").json()["state"] == "INVESTIGATING"
    added = api["sup"].act(cid, "assign", assignees=["c_inv2"])
    assert added.status_code == 200, added.content
    assert added.json()["team"] == ["c_inv", "c_inv2"]
    assert Api(people["investigator2"]).get(f"/cases/{cid}").status_code == 200


def test_a_supervisor_takes_an_investigator_off_the_team_and_their_access_ends(people):
    case, api = filed_case(people)
    cid, sup, inv = case["id"], api["sup"], api["inv"]
    inv.act(cid, "begin_investigation")
    sup.act(cid, "assign", assignees=["c_inv2"])
    assert inv.act(cid, "remove_from_team", username="c_inv2", reason="x").status_code == 403  # supervisors only
    no_reason = sup.act(cid, "remove_from_team", username="c_inv")
    assert no_reason.status_code == 409
    assert no_reason.json()["error"]["details"]["unmet"][0]["code"] == "reason_required"
    stranger = sup.act(cid, "remove_from_team", username="c_inv3", reason="调岗")
    assert stranger.status_code == 409 and stranger.json()["error"]["details"]["unmet"][0]["code"] == "username"

    removed = sup.act(cid, "remove_from_team", username="c_inv", reason="调往其他专案组")
    assert removed.status_code == 200, removed.content
    assert removed.json()["team"] == ["c_inv2"]
    assert inv.get(f"/cases/{cid}").status_code == 404  # the team was their only basis
    assert inv.act(cid, "begin_investigation").status_code == 404
    ended = Assignment.objects.get(case_id=cid, user=people["investigator"])
    assert not ended.active and ended.ended_by == people["supervisor"] and ended.end_reason == "调往其他专案组"
    entry = AuditEntry.objects.get(object_id=str(cid), action="case.remove_from_team")
    assert entry.details["username"] == "c_inv" and "调往" not in str(entry.details)  # no reasons in the log
    # Open checklist items pass to someone still on the team.
    assert not Case.objects.get(pk=cid).checklist.filter(responsible=people["investigator"]).exclude(
        status="done").exists()
    # Put back on later, as a new assignment: the old one stays as history.
    assert sup.act(cid, "assign", assignees=["c_inv"]).status_code == 200
    assert Assignment.objects.filter(case_id=cid, user=people["investigator"]).count() == 2
    assert inv.get(f"/cases/{cid}").status_code == 200


def test_the_case_page_offers_taking_someone_off_the_team(people):
    from django.test import Client

    from tests.factories import sign_in

    case, _api = filed_case(people)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, people["supervisor"])
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert 'data-action="remove_from_team"' in page and '<option value="c_inv">' in page
    client.post(f"/cases/{case['id']}/actions/remove_from_team/", {"username": "c_inv", "reason": "调岗"})
    assert not Assignment.objects.filter(case_id=case["id"], active=True).exists()


@pytest.fixture
def a_filed_case(people):
    return filed_case(people)[0]["id"]


@settings(max_examples=len(OPEN_STATES) * 2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(state=st.sampled_from(sorted(OPEN_STATES)))
def test_assign_and_remove_are_offered_in_every_open_state_and_in_no_other(people, a_filed_case, state):
    """One case (the fixture is made once for all examples), put in each open state in turn."""
    case = Case.objects.get(pk=a_filed_case)
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    offered = {a["name"]: a for a in workflow.available(case, people["supervisor"])}
    assert offered["assign"]["allowed"] and offered["remove_from_team"]["allowed"], state
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv2"]})
    workflow.perform(case=case, actor=people["supervisor"], name="remove_from_team",
                     payload={"username": "c_inv2", "reason": "调岗"})
    Case.objects.filter(pk=case.pk).update(state=State.CLOSED)
    case.refresh_from_db()
    offered = {a["name"]: a for a in workflow.available(case, people["supervisor"])}
    assert not offered["assign"]["allowed"] and offered["assign"]["unmet"][0]["code"] == "state"
