"""The decision trail: who decided what, when, on which evidence and why, readable by the
inspectors of the case's jurisdiction and by those who oversee the case, and by no one else."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from tests.cases.test_linxia_scenario import Api
from tests.discipline.conftest import COMPLAINANT, SUSPECT, VICTIM
from tests.factories import api_token, sign_in

pytestmark = pytest.mark.django_db


def chinese_api(user) -> Api:
    api = Api(user)
    api.client = Client()  # the default language: Chinese
    api.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(api.client, user)}"}
    return api


def test_the_trail_of_the_linxia_replay_names_who_proposed_and_who_approved_the_non_filing(people, linxia):
    trail = chinese_api(people["inspector"]).get(f"/cases/{linxia['id']}/decision-trail")
    assert trail.status_code == 200, trail.content
    body = trail.json()
    decision = body["decisions"][0]
    assert decision["kind_label"] == "不予立案" and decision["status_label"] == "已批准"
    assert decision["proposed_by"]["text"] == "c_inv（清水县公安局刑事侦查大队） · 侦查员"
    assert [v["official"]["name"] for v in decision["votes"]] == ["c_sup", "c_head"]
    assert decision["votes"][1]["reason"] == "认为没有犯罪事实发生，不予立案"
    summary = decision["summary"]
    assert summary.index("c_inv") < summary.index("提出“不予立案”") < summary.index("c_sup") < summary.index("c_head")
    assert "同意" in summary and "状态：已批准" in summary
    # The checklist as it stood: every item set, by whom; the one ruled out, with its reason.
    items = {i["key"]: i for i in decision["checklist"]}
    assert items["cctv_records"]["status_label"] == "不适用"
    assert items["cctv_records"]["changed_by"]["name"] == "c_sup"
    assert items["cctv_records"]["note"] == "无监控覆盖（现场核实）"
    assert all(i["status"] != "open" for i in items.values())
    assert "项" in decision["checklist_summary"] and "不适用" in decision["checklist_summary"]
    # The reason names the victim by slip: the trail gives the pseudonym.
    assert VICTIM not in decision["reason"] and body["victim_pseudonym"] in decision["reason"]
    # The procuratorate's supervision, and the history in words.
    assert body["proceedings"][0]["kind_label"] == "立案监督"
    assert body["proceedings"][0]["automatic"] is True
    assert any("c_head" in line["who"] for line in body["history"])
    assert any(line["reason"] == "认为没有犯罪事实发生，不予立案" for line in body["history"])
    assert any("c_pros" in line["who"] for line in body["history"])  # the procuratorate asked why


def test_reading_a_trail_is_audited_as_a_read_of_the_case_without_identities(people, linxia):
    Api(people["inspector"]).get(f"/cases/{linxia['id']}/decision-trail")
    read = AuditEntry.objects.filter(action=Event.CASE_READ, actor_id=people["inspector"].pk,
                                     object_id=str(linxia["id"])).get()
    assert read.details["purpose"] == "decision_trail" and read.details["basis"] == "jurisdiction"
    assert read.details["identity"] is False


def test_the_trail_page_reads_in_chinese_and_names_no_one_the_case_protects(people, linxia):
    client = Client()
    sign_in(client, people["inspector"])
    page = client.get(f"/discipline/cases/{linxia['id']}/trail/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "决策记录" in text and "c_inv（清水县公安局刑事侦查大队）" in text and "无监控覆盖（现场核实）" in text
    assert "data-testid=\"accountability-form\"" in text  # an inspector of the jurisdiction may record
    for name in (VICTIM, COMPLAINANT, SUSPECT, "13800000001"):
        assert name not in text
    api_text = json.dumps(Api(people["inspector"]).get(f"/cases/{linxia['id']}/decision-trail").json(),
                          ensure_ascii=False)
    for name in (VICTIM, COMPLAINANT, SUSPECT, "13800000001"):
        assert name not in api_text


def test_prosecutors_and_unit_heads_who_see_the_case_read_its_trail(people, linxia):
    for who in ("prosecutor", "county_head"):
        assert Api(people[who]).get(f"/cases/{linxia['id']}/decision-trail").status_code == 200


@pytest.mark.parametrize("who, status", [("investigator", 403), ("analyst", 403), ("partner", 403),
                                         ("other_inspector", 404)])
def test_the_trail_is_refused_to_those_who_do_not_oversee_the_case(people, linxia, who, status):
    assert Api(people[who]).get(f"/cases/{linxia['id']}/decision-trail").status_code == status


@pytest.mark.parametrize("who, status", [("investigator", 403), ("analyst", 403), ("partner", 403),
                                         ("other_inspector", 404)])
def test_the_trail_page_is_refused_to_those_who_do_not_oversee_the_case(people, linxia, who, status):
    client = Client()
    sign_in(client, people[who])
    assert client.get(f"/discipline/cases/{linxia['id']}/trail/").status_code == status


def test_an_inspector_gets_the_trail_but_not_the_case_itself(people, linxia):
    inspector = Api(people["inspector"])
    assert inspector.get(f"/cases/{linxia['id']}").status_code == 404
    assert inspector.get(f"/cases/{linxia['id']}/decision-trail").status_code == 200
