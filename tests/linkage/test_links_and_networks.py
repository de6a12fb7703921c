"""Cases that share a suspect find each other (issue 14, items 1-3 and 7): exact links through
the blind index, networks kept as identifiers arrive, alerts to the teams, a linked case
outside one's access shown as a unit and a contact, and the registry read."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.models import Suspect
from lantern.linkage.models import Network, NetworkMember, RegistryHit
from lantern.notifications.models import Notification
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db

SHARED_ACCOUNT = {"platform": "某交友App", "handle": "night_owl_77"}


@pytest.fixture
def people(units):
    return police(units)


def received(days_ago: int) -> str:
    return (timezone.now() - dt.timedelta(days=days_ago)).isoformat()


def one_suspect(**suspect) -> dict:
    return {"suspects": [{"name": "", "phone": "", "accounts": [], **suspect}]}


def register(api: Api, days_ago: int, **suspect) -> dict:
    offence = (timezone.localdate() - dt.timedelta(days=days_ago + 1)).isoformat()
    answer = api.post("/cases", report(received_at=received(days_ago), offence_date=offence, **one_suspect(**suspect)))
    assert answer.status_code == 201, answer.content
    return answer.json()


def network_of(case: dict) -> int | None:
    member = NetworkMember.objects.filter(case_id=case["id"]).first()
    return member.network_id if member else None


def alerts_to(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="link_alert"))


def test_three_reports_a_week_apart_form_one_network_and_the_first_team_is_told(people):
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    first = register(intake, 8, accounts=[SHARED_ACCOUNT], phone="13511110000")
    sup.act(first["id"], "assign", assignees=["c_inv"])
    assert network_of(first) is None  # alone: no network yet

    second = register(intake, 1, name="化名乙", accounts=[{"platform": "某交友App", "handle": "@Night_Owl_77"}],
                      phone="13622223333")
    assert network_of(first) == network_of(second) is not None
    # The first case's investigator and the unit's supervisor are told, with the case number only.
    [alert] = alerts_to(people["investigator"])
    assert alert.case_id == first["id"] and "night_owl" not in alert.body and "某交友" not in alert.body
    assert alerts_to(people["supervisor"])

    links = sup.get(f"/cases/{second['id']}/links").json()
    assert links["count"] == 1 and links["network_id"] == network_of(first)
    [link] = links["items"]
    assert link["case_id"] == first["id"] and link["case_number"] == first["case_number"]
    assert link["via"] == [{"kind": "account"}]

    # A third report shares only a phone with the second: the same network, now of three.
    third = register(intake, 0, phone="+86 136 2222 3333")
    assert network_of(third) == network_of(first)
    assert Network.objects.get(pk=network_of(first)).case_count == 3
    assert [item["case_id"] for item in sup.get(f"/cases/{third['id']}/links").json()["items"]] == [second["id"]]
    # Told once more: the network the investigator's case is in grew.
    assert len(alerts_to(people["investigator"])) == 2

    graph = sup.get(f"/cases/{first['id']}/network").json()
    cases = {n["label"] for n in graph["nodes"] if n["type"] == "case"}
    assert cases == {first["case_number"], second["case_number"], third["case_number"]}
    shared = [n for n in graph["nodes"] if n["type"] == "identifier"]
    assert sorted(n["kind"] for n in shared) == ["account", "phone"]
    text = json.dumps(graph, ensure_ascii=False)
    # Identifiers masked to their last four characters; no name anywhere in the graph.
    assert "3333" in text and "13622223333" not in text and "night_owl_77" not in text.casefold()
    assert "化名乙" not in text
    kinds = {e["kind"] for e in graph["edges"]}
    assert {"suspect", "account", "phone"} <= kinds


def test_a_case_one_may_not_see_is_a_unit_and_a_contact_and_the_disclosure_is_audited(people):
    intake, sup, inv = Api(people["intake"]), Api(people["supervisor"]), Api(people["investigator"])
    theirs = register(intake, 8, phone="13700001111")
    sup.act(theirs["id"], "assign", assignees=["c_inv2"])
    mine = register(intake, 1, phone="137 0000 1111")
    sup.act(mine["id"], "assign", assignees=["c_inv"])

    links = inv.get(f"/cases/{mine['id']}/links").json()
    [link] = links["items"]
    assert link["case_id"] is None and link["case_number"] is None and link["state"] is None
    # The same phone and nothing against it: the matching model takes them for one person too.
    assert link["unit"] == "清水县公安局" and {"kind": "phone"} in link["via"]
    assert link["contact"]  # whom to ask: the other case's team
    assert theirs["case_number"] not in json.dumps(links, ensure_ascii=False)
    disclosed = AuditEntry.objects.filter(action=Event.LINKAGE_LINKS_DISCLOSED, actor_id=people["investigator"].pk)
    assert [e.details["cases"] for e in disclosed] == [[theirs["id"]]]
    # Their case stays closed to the investigator; its network node is a unit only.
    assert inv.get(f"/cases/{theirs['id']}").status_code == 404
    graph = inv.get(f"/cases/{mine['id']}/network").json()
    hidden = [n for n in graph["nodes"] if n["type"] == "case" and n["case_id"] is None]
    assert len(hidden) == 1 and theirs["case_number"] not in json.dumps(graph, ensure_ascii=False)
    # The other case's investigator, who sees theirs only, was told of the link when it was made.
    assert [a.case_id for a in alerts_to(people["investigator2"])] == [theirs["id"]]


def test_marking_the_shared_identifier_wrong_splits_the_network(people):
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    a = register(intake, 3, phone="13800002222")
    b = register(intake, 2, phone="13800002222")
    assert network_of(a) == network_of(b) is not None
    sup.act(b["id"], "assign", assignees=["c_inv"])
    inv = Api(people["investigator"])
    person = Suspect.objects.get(case_id=b["id"]).pk
    [phone] = [i for i in inv.get(f"/people/{person}/identifiers").json()["items"] if i["kind"] == "phone"]
    assert inv.post(f"/identifiers/{phone['id']}/retract", {"reason": "号码登记错误"}).status_code == 200
    assert network_of(a) is None and network_of(b) is None
    assert sup.get(f"/cases/{a['id']}/links").json()["items"] == []


def test_a_later_identifier_joins_an_existing_network(people):
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    a = register(intake, 5, phone="13900005555")
    b = register(intake, 4, phone="13900005555")
    c = register(intake, 1, phone="13100006666")
    assert network_of(c) is None
    sup.act(c["id"], "assign", assignees=["c_inv"])
    inv = Api(people["investigator"])
    person = Suspect.objects.get(case_id=c["id"]).pk
    added = inv.post(f"/people/{person}/identifiers", {"kind": "phone", "value": "139-0000-5555"})
    assert added.status_code == 201, added.content
    assert network_of(a) == network_of(b) == network_of(c)
    assert Network.objects.get(pk=network_of(c)).case_count == 3


def test_networks_list_for_supervisors_largest_first(people):
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    for days in (6, 5, 4):
        register(intake, days, phone="13000000003")
    for days in (3, 2):
        register(intake, days, phone="13000000002")
    rows = sup.get("/networks").json()
    assert [r["cases"] for r in rows["items"]] == [3, 2]
    assert rows["items"][0]["units"] == ["清水县公安局"]
    assert Api(people["investigator"]).get("/networks").status_code == 403


def test_the_intake_check_says_where_the_suspects_account_appears(people, client):
    from tests.factories import sign_in

    intake = Api(people["intake"])
    register(intake, 9, accounts=[SHARED_ACCOUNT])
    register(intake, 7, accounts=[SHARED_ACCOUNT])
    sign_in(client, people["intake"])
    page = client.post("/intake/duplicates/", {"suspect_1_account": "某交友App:night_owl_77"},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "出现在另外 2 起案件中" in page.content.decode()  # the default language


def test_a_registered_offender_named_in_a_new_report_is_flagged_for_the_team(people):
    from lantern.cases.models import Case
    from lantern.linkage.registry import register_convictions

    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    old = register(intake, 400, name="登记人员", id_number="990121198001011234")
    convicted = Suspect.objects.get(case_id=old["id"])
    register_convictions(case=Case.objects.get(pk=old["id"]), suspects=[convicted], at=timezone.now(),
                         judgment="（2025）清刑初字第1号")
    new = register(intake, 1, id_number="990121 19800101 1234")
    sup.act(new["id"], "assign", assignees=["c_inv"])
    [hit] = RegistryHit.objects.filter(case_id=new["id"])
    assert hit.via == "id_number"
    assert Notification.objects.filter(kind="registry_hit", case_id=new["id"]).exists()
    hits = Api(people["investigator"]).get(f"/cases/{new['id']}/links").json()["registry_hits"]
    assert [h["via"] for h in hits] == ["id_number"]
