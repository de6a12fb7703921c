"""Referrals with consent: the partner sees the pseudonym, the need and the contact route,
and nothing of the case; withdrawing consent ends that at once; partners update their own
referrals and nobody else's; first contact runs on a clock."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantern.deadlines.models import Deadline
from lantern.notifications.models import Notification
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in
from tests.referrals.conftest import LEGAL_AID

pytestmark = pytest.mark.django_db


def refer(people, case, inv=None, **overrides):
    made = (inv or Api(people["investigator"])).post(f"/cases/{case['id']}/referrals", {**LEGAL_AID, **overrides})
    assert made.status_code == 201, made.content
    return made.json()


def test_a_referral_shows_the_partner_a_pseudonym_a_need_and_a_route_and_nothing_else(people, case):
    referral = refer(people, case)
    seen = Api(people["legal_aid"]).get(f"/referrals/{referral['id']}")
    assert seen.status_code == 200
    body = seen.json()
    assert body["pseudonym"].endswith("某") or "化名" in body["pseudonym"]
    assert body["need"] == f"{body['pseudonym']}需要法律援助律师代理附带民事诉讼。"  # the name pseudonymised
    assert body["age_band"] == "12_to_14" and body["contact_route"] == "case_team"
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("测试甲", "测试乙", "13800000001", "合成案情", "嫌疑人", case["case_number"]):
        assert secret not in text
    assert "case_id" not in body and "consent" not in body


def test_the_partner_is_told_and_the_first_contact_clock_runs(people, case):
    referral = refer(people, case)
    assert Notification.objects.filter(recipient=people["legal_aid"], kind="referral", case=None).exists()
    clock = Deadline.objects.get(subject=f"referral:{referral['id']}")
    assert clock.rule == "referral_first_contact" and clock.status == "open"
    partner = Api(people["legal_aid"])
    assert partner.post(f"/referrals/{referral['id']}/status", {"status": "accepted"}).status_code == 200
    moved = partner.post(f"/referrals/{referral['id']}/status", {"status": "in_progress"})
    assert moved.json()["status"] == "in_progress"
    clock.refresh_from_db()
    assert clock.status == "met"
    assert Notification.objects.filter(recipient=people["investigator"], kind="referral").exists()


def test_a_decline_needs_a_reason_and_stops_the_clock(people, case):
    referral = refer(people, case)
    partner = Api(people["legal_aid"])
    assert partner.post(f"/referrals/{referral['id']}/status", {"status": "declined"}).status_code == 422
    declined = partner.post(f"/referrals/{referral['id']}/status",
                            {"status": "declined", "reason": "本中心本月律师已满，建议转市中心。"})
    assert declined.json()["status"] == "declined"
    assert Deadline.objects.get(subject=f"referral:{referral['id']}").status == "cancelled"
    assert partner.post(f"/referrals/{referral['id']}/status", {"status": "completed"}).status_code == 409


def test_withdrawing_consent_ends_the_partners_access_at_once(people, case):
    inv = Api(people["investigator"])
    referral = refer(people, case, inv)
    partner = Api(people["legal_aid"])
    assert partner.get(f"/referrals/{referral['id']}").status_code == 200
    withdrawn = inv.post(f"/consents/{referral['consent']['id']}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.content
    assert partner.get(f"/referrals/{referral['id']}").status_code == 404
    assert partner.get("/referrals").json() == []
    assert partner.post(f"/referrals/{referral['id']}/notes", {"text": "x"}).status_code == 404
    page = Client()
    sign_in(page, people["legal_aid"])
    assert page.get(f"/referrals/{referral['id']}/").status_code == 404
    staff_view = inv.get(f"/referrals/{referral['id']}").json()
    assert staff_view["status"] == "revoked" and staff_view["consent"]["withdrawn_at"]


def test_the_family_withdraws_consent_from_the_portal_and_the_partner_loses_it(people, case):
    from tests.family import Family

    referral = refer(people, case)
    family = Family(case["tracking_code"], case["portal_secret"])
    services = family.get("/case").json()["services"]
    assert services[0]["consent_id"] == referral["consent"]["id"]
    assert family.post(f"/consents/{referral['consent']['id']}/withdraw").status_code == 200
    assert Api(people["legal_aid"]).get(f"/referrals/{referral['id']}").status_code == 404
    assert family.get("/case").json()["services"][0]["status"] == "revoked"


def test_a_partner_cannot_reach_the_case_its_evidence_or_another_agencys_referral(people, case):
    referral = refer(people, case)
    legal = Api(people["legal_aid"])
    for path in (f"/cases/{case['id']}", f"/cases/{case['id']}/evidence", f"/cases/{case['id']}/referrals",
                 f"/cases/{case['id']}/questions", f"/cases/{case['id']}/suspects"):
        assert legal.get(path).status_code == 404, path
    listed = legal.get("/cases").json()
    assert (listed.get("items") if isinstance(listed, dict) else listed) == []
    other = Api(people["counselling"])
    assert other.get(f"/referrals/{referral['id']}").status_code == 404
    assert other.post(f"/referrals/{referral['id']}/status", {"status": "accepted"}).status_code == 404
    page = Client()
    sign_in(page, people["legal_aid"])
    assert page.get(f"/cases/{case['id']}/").status_code == 404
    workspace = page.get("/referrals/")
    assert workspace.status_code == 200 and f"R-{referral['id']}" in workspace.content.decode()


def test_the_police_revoke_and_the_partner_may_not_move_for_them(people, case):
    inv = Api(people["investigator"])
    referral = refer(people, case, inv)
    assert Api(people["legal_aid"]).post(f"/referrals/{referral['id']}/status",
                                         {"status": "revoked", "reason": "x"}).status_code == 403
    assert inv.post(f"/referrals/{referral['id']}/status", {"status": "accepted"}).status_code == 403
    revoked = inv.post(f"/referrals/{referral['id']}/status",
                                               {"status": "revoked", "reason": "家属已自行委托律师。"})
    assert revoked.json()["status"] == "revoked"


def test_consent_rules_are_checked(people, case):
    inv = Api(people["investigator"])
    url = f"/cases/{case['id']}/referrals"
    child_alone = inv.post(url, {**LEGAL_AID, "given_by": "victim"})
    assert child_alone.status_code == 422 and "given_by" in child_alone.json()["error"]["details"]
    unshared = inv.post(url, {**LEGAL_AID, "contact_route": "phone", "contact_detail": "13700000009"})
    assert "contact_detail" in unshared.json()["error"]["details"]
    wrong_partner = inv.post(url, {**LEGAL_AID, "partner": "QS-XLZX"})
    assert "partner" in wrong_partner.json()["error"]["details"]
    direct = inv.post(url, {**LEGAL_AID, "shared": ["contact"], "contact_route": "phone",
                            "contact_detail": "13700000009"})
    assert direct.status_code == 201
    seen = Api(people["legal_aid"]).get(f"/referrals/{direct.json()['id']}").json()
    assert seen["contact_detail"] == "13700000009" and "age_band" not in seen
    assert inv.post(url, LEGAL_AID).status_code == 409  # the same service to the same partner, still open
    assert Api(people["prosecutor"]).post(url, LEGAL_AID).status_code in (403, 404)


def test_the_dashboard_and_the_units_list_of_stalled_referrals(people, case):
    import datetime as dt

    from django.utils import timezone

    inv = Api(people["investigator"])
    referral = refer(people, case, inv)
    on_time = refer(people, case, inv, service="counselling", partner="QS-XLZX")
    page = Client()
    sign_in(page, people["legal_aid"])
    board = page.get("/referrals/").content.decode()
    assert f"R-{referral['id']}" in board
    Deadline.objects.filter(subject=f"referral:{referral['id']}").update(
        due_at=timezone.now() - dt.timedelta(hours=1))
    staff = Client()
    sign_in(staff, people["supervisor"])
    waiting = staff.get("/referrals/waiting/")
    assert waiting.status_code == 200 and f"R-{referral['id']}" in waiting.content.decode()
    assert f"R-{on_time['id']}<" not in waiting.content.decode()  # its clock still runs: not stalled
    assert page.get("/referrals/waiting/").status_code == 403


def test_an_administrator_adds_a_partner_service_in_the_admin_and_it_is_audited(people, administrator):
    from lantern.accounts.models import Unit
    from lantern.audit.models import AuditEntry
    from lantern.referrals.models import PartnerService

    page = Client()
    sign_in(page, administrator)
    partner = Unit.objects.get(code="QS-XLZX")
    added = page.post("/admin/referrals/partnerservice/add/", {"partner": partner.pk, "service": "medical"})
    assert added.status_code == 302, added.content[:500]
    assert PartnerService.objects.filter(partner=partner, service="medical").exists()
    entry = AuditEntry.objects.get(action="referral.partner_service_added")
    assert entry.actor_id == administrator.pk and entry.details == {"partner": "QS-XLZX", "service": "medical"}
