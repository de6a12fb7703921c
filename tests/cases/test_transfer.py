"""Moving a case to another unit (issue 13, item 2): asked by the handling unit, accepted
or refused by the receiving unit's supervisor; on acceptance the case, its clocks and its
history go over, the team is cleared, both units are told, and access follows at once."""

from __future__ import annotations

import contextlib

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.access.policy import Verb, can, scope
from lantern.access.roles import Role
from lantern.accounts import actions as accounts
from lantern.accounts.models.units import Branch, Level
from lantern.audit.models import AuditEntry
from lantern.cases import team, workflow
from lantern.cases.models import Assignment, Case, CaseTransfer
from lantern.core.errors import LanternError
from lantern.notifications.models import Notification
from tests.cases.helpers import filed_case, police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db
ADULT = {"name": "测试丙", "sex": "female", "estimated_age": 30}


def neighbouring_county(units):
    """A second county bureau under the same prefecture, with its brigade (test data only)."""
    county = accounts.create_unit(actor=None, code="LS-GAJ", name="临山县公安局", branch=Branch.POLICE,
                                  level=Level.COUNTY, division_code="990122", parent=units["AP-GAJ"])
    brigade = accounts.create_unit(actor=None, code="LS-XZDD", name="临山县公安局刑事侦查大队",
                                   branch=Branch.POLICE, level=Level.DEPARTMENT, division_code="990122",
                                   parent=county)
    units.update({"LS-GAJ": county, "LS-XZDD": brigade})
    return units


@pytest.fixture
def people(units):
    neighbouring_county(units)
    return {**police(units),
            "l_sup": make_user(units, "LS-XZDD", Role.SUPERVISOR, username="l_sup"),
            "l_head": make_user(units, "LS-GAJ", Role.UNIT_HEAD, username="l_head"),
            "l_inv": make_user(units, "LS-XZDD", Role.INVESTIGATOR, username="l_inv"),
            "p_head": make_user(units, "AP-GAJ", Role.UNIT_HEAD, username="p_head"),
            "inspector": make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="insp")}


_APIS: dict[int, Api] = {}


def api_of(user) -> Api:
    """One signed-in client per user and test: a second sign-in within the same TOTP step is refused."""
    if user.pk not in _APIS:
        _APIS[user.pk] = Api(user)
    return _APIS[user.pk]


@pytest.fixture(autouse=True)
def _fresh_clients():
    _APIS.clear()
    yield
    _APIS.clear()


def filed(people, **overrides):
    case, api = filed_case(people, **overrides)
    for key, who in (("sup", "supervisor"), ("head", "county_head"), ("inv", "investigator"), ("pros", "prosecutor")):
        _APIS.setdefault(people[who].pk, api[key])
    return case, {key: _APIS[people[who].pk] for key, who in (("sup", "supervisor"), ("head", "county_head"),
                                                              ("inv", "investigator"), ("pros", "prosecutor"))}


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def clocks(case_id: int) -> list[tuple[str, str, object]]:
    return sorted((d.rule, d.subject, d.due_at) for d in Case.objects.get(pk=case_id).deadlines.all())


def ask(people, case_id: int, to: str = "LS-GAJ", **body):
    from lantern.accounts.models import Unit

    return api_of(people["supervisor"]).act(case_id, "transfer_case", unit_id=Unit.objects.get(code=to).pk,
                                         **{"reason": "犯罪地在临山县", **body})


def test_a_transfer_accepted_moves_the_case_its_clocks_and_access_to_the_receiving_unit(people, units):
    case, api = filed(people)
    cid = case["id"]
    before = clocks(cid)
    l_sup, l_inv = api_of(people["l_sup"]), api_of(people["l_inv"])
    assert l_sup.get(f"/cases/{cid}").status_code == 404  # nobody asked their unit yet

    asked = ask(people, cid)
    assert asked.status_code == 200, asked.content
    body = asked.json()
    assert body["unit"] == "清水县公安局" and body["transfer"]["to_unit"] == "临山县公安局"
    assert body["transfer"]["status"] == "pending" and body["team"] == ["c_inv"]
    # While it waits the case stays with the old unit, whose team works on...
    assert api["inv"].get(f"/cases/{cid}").status_code == 200
    # ... and the receiving supervisor sees it, by pseudonym, to decide: nothing else.
    seen = l_sup.get(f"/cases/{cid}").json()
    assert seen["access_basis"] == "transfer" and "name" not in seen["victim"] and seen.get("narrative") is None
    offered = {a["name"] for a in l_sup.get(f"/cases/{cid}/actions").json()}
    assert offered == {"accept_transfer", "refuse_transfer"}
    assert l_sup.act(cid, "assign", assignees=["l_inv"]).status_code == 403
    assert l_inv.get(f"/cases/{cid}").status_code == 404
    assert kinds(people["l_sup"]) == ["transfer_awaited"] and kinds(people["l_head"]) == ["transfer_awaited"]
    awaited = Notification.objects.get(recipient=people["l_sup"])
    assert awaited.case_id == cid and "犯罪地" not in awaited.body + awaited.title  # no reasons, no names

    accepted = l_sup.act(cid, "accept_transfer", reason="同意接收")
    assert accepted.status_code == 200, accepted.content
    after = accepted.json()
    assert after["unit"] == "临山县公安局" and after["unit_id"] == units["LS-GAJ"].pk
    assert after["transfer"] is None and after["team"] == [] and after["access_basis"] == "unit"
    assert clocks(cid) == before  # carried over: the same clocks, the same due times
    assert not Case.objects.get(pk=cid).checklist.filter(responsible__isnull=False).exclude(status="done").exists()
    ended = Assignment.objects.get(case_id=cid, user=people["investigator"])
    assert not ended.active and ended.ended_by == people["l_sup"] and "临山县" in ended.end_reason

    # Access follows at once: the old unit's officers no longer see the case.
    for old in ("inv", "sup", "head"):
        assert api[old].get(f"/cases/{cid}").status_code == 404, old
    assert api["sup"].act(cid, "assign", assignees=["c_inv"]).status_code == 404
    # The receiving supervisor assigns from their own unit only.
    refused = l_sup.act(cid, "assign", assignees=["l_inv", "c_inv"])
    assert refused.status_code == 422 and "c_inv" in refused.json()["error"]["message"]
    assert refused.json()["error"]["details"]["not_eligible"] == ["c_inv"]
    assert l_sup.act(cid, "assign", assignees=["l_inv"]).json()["team"] == ["l_inv"]
    assert l_inv.get(f"/cases/{cid}").status_code == 200

    # Both units' heads are told (and the sending supervisor); the decider is not.
    for who in ("supervisor", "county_head", "l_head"):
        assert "transfer_accepted" in kinds(people[who]), who
    assert "transfer_accepted" not in kinds(people["l_sup"])
    # The old unit keeps the history of what it did: its audit entries, the transfer record.
    old_work = AuditEntry.objects.filter(object_id=str(cid), actor_id=people["investigator"].pk,
                                      action="case.begin_review")
    assert scope(people["inspector"], Verb.VIEW, old_work).exists()
    transfer = CaseTransfer.objects.get(case_id=cid)
    assert transfer.from_unit == units["QS-GAJ"] and transfer.status == "accepted"
    audit = AuditEntry.objects.get(object_id=str(cid), action="case.accept_transfer")
    assert audit.details["from_unit"] == units["QS-GAJ"].pk and audit.details["to_unit"] == units["LS-GAJ"].pk
    assert "同意" not in str(audit.details)  # reasons stay in the case record


def test_a_transfer_refused_leaves_the_case_where_it_was_with_the_reason(people, units):
    case, api = filed(people)
    cid = case["id"]
    ask(people, cid)
    l_sup = api_of(people["l_sup"])
    no_reason = l_sup.act(cid, "refuse_transfer")
    assert no_reason.status_code == 409
    assert [u["code"] for u in no_reason.json()["error"]["details"]["unmet"]] == ["reason_required"]
    assert l_sup.act(cid, "refuse_transfer", reason="犯罪地不在本县").status_code == 200
    assert Case.objects.get(pk=cid).unit == units["QS-GAJ"]
    transfer = CaseTransfer.objects.get(case_id=cid)
    assert transfer.status == "refused" and transfer.decision_reason == "犯罪地不在本县"
    assert l_sup.get(f"/cases/{cid}").status_code == 404  # a decided transfer opens nothing
    assert api["inv"].get(f"/cases/{cid}").status_code == 200 and api["sup"].get(f"/cases/{cid}").json()[
        "team"] == ["c_inv"]
    assert "transfer_refused" in kinds(people["supervisor"]) and "transfer_refused" in kinds(people["county_head"])
    # It may be asked again, elsewhere or later.
    assert ask(people, cid).status_code == 200


def test_who_may_ask_and_decide_and_where_a_case_may_go(people, units):
    case, api = filed(people)
    cid = case["id"]
    assert api["inv"].act(cid, "transfer_case", unit_id=units["LS-GAJ"].pk, reason="x").status_code == 403
    for unit_id in (units["QS-GAJ"].pk, units["QS-XZDD"].pk, units["QS-CGPCS"].pk, units["QS-JCY"].pk, None):
        refused = api["sup"].act(cid, "transfer_case", unit_id=unit_id, reason="x")
        assert refused.status_code == 409 and refused.json()["error"]["details"]["unmet"][0]["code"] == "unit_id"
    assert ask(people, cid).status_code == 200
    again = ask(people, cid, to="AP-GAJ")
    assert again.status_code == 409 and again.json()["error"]["details"]["unmet"][0]["code"] == "transfer_pending"
    # Neither the sending unit nor the one above both decides for the receiving unit.
    for other in (api["sup"], api_of(people["p_head"])):
        own = other.act(cid, "accept_transfer", reason="x")
        assert own.status_code == 409 and own.json()["error"]["details"]["unmet"][0]["code"] == "not_receiving_unit"


def test_a_higher_unit_takes_a_major_case_but_not_an_ordinary_one(people, units):
    minor, _api = filed(people)  # a 12-year-old victim: a major case
    assert ask(people, minor["id"], to="AP-GAJ", reason="重大案件，报请上级管辖").status_code == 200
    assert api_of(people["p_head"]).act(minor["id"], "accept_transfer", reason="同意").json()["unit"] == "安平州公安局"
    adult, _api = filed(people, victim=ADULT)
    refused = ask(people, adult["id"], to="AP-GAJ")
    assert refused.status_code == 409 and "major" in refused.json()["error"]["details"]["unmet"][0]["message"]


def test_the_intake_officer_loses_a_report_transferred_away_before_review(people, units):
    case = api_of(people["intake"]).post("/cases", report(victim=ADULT)).json()
    assert api_of(people["intake"]).get(f"/cases/{case['id']}").status_code == 200
    ask(people, case["id"])
    api_of(people["l_sup"]).act(case["id"], "accept_transfer", reason="同意")
    assert api_of(people["intake"]).get(f"/cases/{case['id']}").status_code == 404


def test_the_case_page_offers_pickers_not_free_text(people, units):
    case, _api = filed(people)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, people["supervisor"])
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert 'name="assignees" placeholder' not in page
    assert 'type="checkbox" name="assignees" value="c_inv2"' in page and 'value="l_inv"' not in page
    picker = page[page.index('data-testid="transfer-unit"'):].split("</select>")[0]
    assert f'<option value="{units["LS-GAJ"].pk}">' in picker and f'<option value="{units["QS-GAJ"].pk}">' not in picker
    posted = client.post(f"/cases/{case['id']}/actions/assign/", {"assignees": ["c_inv2"]})
    assert posted.status_code == 302
    assert Assignment.objects.filter(case_id=case["id"], user=people["investigator2"], active=True).exists()
    client.post(f"/cases/{case['id']}/actions/transfer_case/", {"unit_id": units["LS-GAJ"].pk, "reason": "管辖"})
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert 'data-testid="transfer-pending"' in page and "临山县公安局" in page
    receiving = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(receiving, people["l_sup"])
    page = receiving.get(f"/cases/{case['id']}/").content.decode()
    assert 'data-action="accept_transfer"' in page and 'data-action="assign"' not in page


OPS = st.tuples(st.sampled_from(["transfer_case", "accept_transfer", "refuse_transfer"]),
                st.sampled_from(["supervisor", "county_head", "investigator", "l_sup", "l_head", "p_head"]),
                st.sampled_from(["LS-GAJ", "AP-GAJ", "QS-GAJ"]), st.sampled_from(["", "理由"]))


@pytest.fixture
def a_case(people):
    return filed(people)[0]["id"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, max_size=7))
def test_any_sequence_of_transfer_actions_keeps_one_unit_one_request_and_the_clocks(people, units, a_case, ops):
    """Whatever is asked, accepted or refused, by whom: at most one request waits; the case
    is with the unit of the last accepted transfer; its clocks never move; the team is of
    its unit; and exactly the supervisors of its unit (and of a unit asked) see it."""
    with transaction.atomic():
        before, start = clocks(a_case), units["QS-GAJ"]
        for name, who, to, reason in ops:
            case = Case.objects.get(pk=a_case)
            with contextlib.suppress(LanternError):  # refusals are part of the exploration
                workflow.perform(case=case, actor=people[who], name=name,
                                 payload={"unit_id": units[to].pk, "reason": reason})
            case = Case.objects.get(pk=a_case)
            transfers = CaseTransfer.objects.filter(case=case)
            assert transfers.filter(status="pending").count() <= 1
            last = transfers.filter(status="accepted").order_by("-decided_at", "-pk").first()
            assert case.unit == (last.to_unit if last else start)
            assert clocks(a_case) == before
            eligible = {u.pk for u in team.eligible_investigators(case)}
            assert set(case.assignments.filter(active=True).values_list("user_id", flat=True)) <= eligible
            waiting = transfers.filter(status="pending").first()
            for decider in ("supervisor", "county_head", "l_sup", "l_head", "p_head"):
                user = people[decider]
                own = user.unit.command_unit()
                sees = case.unit.is_within(own) or (waiting is not None and waiting.to_unit == own)
                assert can(user, Verb.VIEW, case) == sees, (decider, ops)
        transaction.set_rollback(True)


def test_a_report_merged_into_the_case_moves_with_it(people, units):
    intake = api_of(people["intake"])
    first = intake.post("/cases", report(victim=ADULT)).json()
    second = intake.post("/cases", report(merge_into=first["id"], narrative="家属再次报案。")).json()
    ask(people, first["id"])
    api_of(people["l_sup"]).act(first["id"], "accept_transfer", reason="同意")
    assert Case.objects.get(pk=second["id"]).unit == units["LS-GAJ"]
    assert api_of(people["supervisor"]).get(f"/cases/{second['id']}").status_code == 404
    assert api_of(people["l_sup"]).get(f"/cases/{second['id']}").status_code == 200
