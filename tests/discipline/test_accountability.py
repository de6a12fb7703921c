"""Accountability records: an inspector of the case's jurisdiction records who was held to
account and how, and what the family was told; the family reads it in the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.accounts.models import Unit
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.discipline import events
from lantern.discipline.actions import OfficialIn, record_accountability
from lantern.discipline.models import AccountabilityRecord
from lantern.discipline.selectors import outcome_counts, recent_records
from lantern.portal.models import FamilyMessage
from tests.cases.test_linxia_scenario import Api
from tests.discipline.test_trail import chinese_api
from tests.factories import sign_in
from tests.family import Family

pytestmark = pytest.mark.django_db

DISCLOSED = "经调查，负有责任的大队长、分管副局长已受到调整职务的组织处理。"


def body(**overrides):
    brigade = Unit.objects.get(code="QS-XZDD")
    return {"officials": [{"unit_id": brigade.pk, "position": "大队长"}],
            "finding": "未调查被害人年龄认知即审批不予立案。", "outcome": "organisational",
            "decided_on": timezone.localdate().isoformat(), "disclosed_to_family": True,
            "disclosure": DISCLOSED, **overrides}


def recorded_entries():
    return AuditEntry.objects.filter(action=Event.DISCIPLINE_ACCOUNTABILITY_RECORDED)


def test_an_inspector_records_an_outcome_and_a_disclosure_and_the_family_reads_it(people, linxia):
    made = Api(people["inspector"]).post(f"/cases/{linxia['id']}/accountability", body())
    assert made.status_code == 201, made.content
    record = made.json()
    assert record["outcome"] == "organisational" and record["disclosed_to_family"] is True
    assert record["officials"][0]["position"] == "大队长" and record["disclosed_by"]["name"] == "d_insp"
    entry = recorded_entries().get()
    assert entry.details == {"case": linxia["id"], "outcome": "organisational", "officials": 1, "disclosed": True}
    # The family is told there is news, and nothing more.
    message = FamilyMessage.objects.filter(case_id=linxia["id"], kind="news").last()
    assert message is not None and DISCLOSED not in message.body and "大队长" not in message.body
    # ... and reads the disclosure in the portal (API and page), never the finding or the officials.
    family = Family(linxia["tracking_code"], linxia["portal_secret"])
    shown = family.get("/case").json()["disclosures"]
    assert [d["text"] for d in shown] == [DISCLOSED]
    assert shown[0]["outcome"] == "organisational"
    page = Client()
    page.post("/portal/", {"tracking_code": linxia["tracking_code"], "secret": linxia["portal_secret"]})
    text = page.get("/portal/case/").content.decode()
    assert DISCLOSED in text and "组织处理" in text and "未调查被害人年龄认知" not in text
    # Listed for the case and in the inspector's jurisdiction.
    assert Api(people["inspector"]).get(f"/cases/{linxia['id']}/accountability").json()["count"] == 1
    assert [r["id"] for r in recent_records(people["inspector"], 5)] == [record["id"]]


def test_the_record_and_its_audit_entry_commit_together(people, linxia):
    """A failure after the audit entry is written (here: telling the family) leaves neither."""
    def broken(**kwargs):
        raise RuntimeError("the family's outbox is down")

    events.disclosed.register(broken)
    try:
        with pytest.raises(RuntimeError):
            brigade = Unit.objects.get(code="QS-XZDD").pk
            record_accountability(actor=people["inspector"], case=Case.objects.get(pk=linxia["id"]),
                                  outcome="no_fault", officials=[OfficialIn(unit_id=brigade, position="大队长")],
                                  finding="x", decided_on=timezone.localdate(), disclosed_to_family=True,
                                  disclosure=DISCLOSED)
    finally:
        events.disclosed.unregister(broken)
    assert not AccountabilityRecord.objects.exists() and not recorded_entries().exists()


def test_a_non_disclosure_without_a_reason_is_refused_and_nothing_is_stored(people, linxia):
    inspector = chinese_api(people["inspector"])
    refused = inspector.post(f"/cases/{linxia['id']}/accountability",
                                                    body(disclosed_to_family=False, disclosure=" "))
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["details"]["disclosure"] == ["未向家属披露任何内容：请写明不披露的理由。"]
    assert not AccountabilityRecord.objects.exists() and not recorded_entries().exists()
    kept = inspector.post(f"/cases/{linxia['id']}/accountability",
                                         body(disclosed_to_family=False, disclosure="调查尚未终结，暂不披露。"))
    assert kept.status_code == 201 and kept.json()["nondisclosure_reason"] == "调查尚未终结，暂不披露。"
    assert Family(linxia["tracking_code"], linxia["portal_secret"]).get("/case").json()["disclosures"] == []


@pytest.mark.parametrize("overrides, field", [
    ({"outcome": "reprimand"}, "outcome"),
    ({"disclosure": ""}, "disclosure"),
    ({"finding": ""}, "finding"),
    ({"officials": []}, "officials"),
    ({"decided_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, "decided_on"),
])
def test_refusals_say_what_is_wrong(people, linxia, overrides, field):
    refused = Api(people["inspector"]).post(f"/cases/{linxia['id']}/accountability", body(**overrides))
    assert refused.status_code == 422, refused.content
    assert field in refused.json()["error"]["details"]
    assert not AccountabilityRecord.objects.exists()


def test_a_unit_outside_the_jurisdiction_is_refused(people, linxia):
    from lantern.accounts import actions as account_actions
    from lantern.accounts.models.units import Branch, Level

    far = account_actions.create_unit(actor=None, code="BS-GAJ", name="北山州公安局", branch=Branch.POLICE,
                                      level=Level.PREFECTURE, division_code="990200")
    refused = Api(people["inspector"]).post(f"/cases/{linxia['id']}/accountability",
                                            body(officials=[{"unit_id": far.pk, "position": "局长"}]))
    assert refused.status_code == 422
    assert "officials[0].unit_id" in refused.json()["error"]["details"]


@pytest.mark.parametrize("who, status", [("prosecutor", 403), ("county_head", 403), ("investigator", 403),
                                         ("analyst", 403), ("partner", 403), ("other_inspector", 404)])
def test_only_an_inspector_of_the_jurisdiction_records(people, linxia, who, status):
    assert Api(people[who]).post(f"/cases/{linxia['id']}/accountability", body()).status_code == status
    assert not AccountabilityRecord.objects.exists()


def test_the_trail_page_form_records_and_lists_it(people, linxia):
    client = Client()
    sign_in(client, people["inspector"])
    brigade = Unit.objects.get(code="QS-XZDD")
    posted = client.post(f"/discipline/cases/{linxia['id']}/accountability/", {
        "unit_id": [str(brigade.pk), ""], "position": ["大队长", ""], "finding": "审批把关不严。",
        "outcome": "party_discipline", "decided_on": timezone.localdate().isoformat(),
        "disclosed_to_family": "yes", "disclosure": DISCLOSED})
    assert posted.status_code == 302
    record = AccountabilityRecord.objects.get()
    assert record.outcome == "party_discipline" and record.officials.get().unit == brigade
    page = client.get(posted["Location"]).content.decode()
    assert "党纪处分" in page and DISCLOSED in page
    listed = client.get("/discipline/records/").content.decode()
    assert Case.objects.get(pk=linxia["id"]).case_number in listed and "党纪处分" in listed


def test_the_page_form_says_why_a_record_was_refused_and_keeps_what_was_typed(people, linxia):
    client = Client()
    sign_in(client, people["inspector"])
    posted = client.post(f"/discipline/cases/{linxia['id']}/accountability/", {
        "unit_id": [str(Unit.objects.get(code="QS-XZDD").pk)], "position": ["大队长"], "finding": "审批把关不严。",
        "outcome": "no_fault", "decided_on": timezone.localdate().isoformat(), "disclosed_to_family": "no",
        "disclosure": ""}, follow=True)
    text = posted.content.decode()
    assert "未向家属披露任何内容：请写明不披露的理由。" in text and "审批把关不严。" in text
    assert not AccountabilityRecord.objects.exists()


def test_outcome_counts_count_records_by_outcome_within_scope_and_period(people, linxia):
    inspector = Api(people["inspector"])
    today = timezone.localdate()
    for outcome, days_ago in (("party_discipline", 0), ("party_discipline", 3), ("no_fault", 40)):
        made = inspector.post(f"/cases/{linxia['id']}/accountability",
                              body(outcome=outcome, decided_on=(today - dt.timedelta(days=days_ago)).isoformat()))
        assert made.status_code == 201
    everything = outcome_counts(Case.objects.all())
    assert everything == {"party_discipline": 2, "administrative": 0, "organisational": 0,
                          "criminal_referral": 0, "no_fault": 1}
    month = outcome_counts(Unit.objects.get(code="QS-GAJ"), today - dt.timedelta(days=30), today)
    assert month["party_discipline"] == 2 and month["no_fault"] == 0
    assert sum(outcome_counts(Unit.objects.get(code="HX-JCY")).values()) == 0  # no case of that subtree


def test_outcome_counts_match_a_count_made_apart_for_any_records_and_period(people, linxia):
    """Property: for any set of records and any period, the counts are those of the records
    decided within it, outcome by outcome (computed here from the list, not the database)."""
    case = Case.objects.get(pk=linxia["id"])
    brigade = Unit.objects.get(code="QS-XZDD").pk
    today = timezone.localdate()
    made: list[tuple[str, dt.date]] = []  # every record of every example (they share the database)

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(new=st.lists(st.tuples(st.sampled_from(["party_discipline", "administrative", "organisational",
                                                   "criminal_referral", "no_fault"]),
                                  st.integers(0, 60)), max_size=4),
           window=st.tuples(st.integers(0, 60), st.integers(0, 60)))
    def check(new, window):
        for outcome, days_ago in new:
            decided = today - dt.timedelta(days=days_ago)
            record_accountability(actor=people["inspector"], case=case, outcome=outcome, finding="认定",
                                  officials=[OfficialIn(unit_id=brigade, position="大队长")], decided_on=decided,
                                  disclosed_to_family=False, disclosure="调查中")
            made.append((outcome, decided))
        start, end = sorted(today - dt.timedelta(days=d) for d in window)
        expected = {o: sum(1 for m, day in made if m == o and start <= day <= end)
                    for o in ("party_discipline", "administrative", "organisational", "criminal_referral", "no_fault")}
        assert outcome_counts(Case.objects.filter(pk=case.pk), start, end) == expected

    check()
