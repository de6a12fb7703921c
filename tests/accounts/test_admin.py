"""The Django admin is for administrators only; every change there is audited by field
name, nothing can be deleted, and a locked account is unlocked there or on its page."""

from __future__ import annotations

import pytest

from lantern.accounts.models import User
from lantern.audit.models import AuditEntry
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_administrators_reach_the_admin_site(client, administrator):
    sign_in(client, administrator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_other_roles_are_refused_the_admin_site(client, supervisor):
    sign_in(client, supervisor)
    response = client.get("/admin/")
    assert response.status_code == 403


def test_adding_a_user_in_the_admin_checks_the_password_and_writes_an_audit_entry(client, administrator, units):
    sign_in(client, administrator)
    form = {"username": "newofficer", "first_name": "", "email": "", "unit": units["QS-CGPCS"].pk,
            "roles": ["intake_officer"]}
    weak = client.post("/admin/accounts/user/add/", dict(form, password="password"))
    assert weak.status_code == 200 and not User.objects.filter(username="newofficer").exists()
    ok = client.post("/admin/accounts/user/add/", dict(form, password="a-long-unusual-passphrase"))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    user = User.objects.get(username="newofficer")
    assert user.role_set == {"intake_officer"}
    entry = AuditEntry.objects.get(action="user.created", object_id=str(user.pk))
    assert entry.actor_id == administrator.pk


def test_changing_a_user_in_the_admin_is_audited_by_field_name_not_value(client, administrator, investigator):
    sign_in(client, administrator)
    url = f"/admin/accounts/user/{investigator.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {"first_name": "新名字", "email": "", "unit": investigator.unit_id, "is_active": "on",
            "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "1", "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-id": investigator.roles.get().pk, "roles-0-user": investigator.pk,
            "roles-0-role": "investigator"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.filter(action="admin.change", object_id=str(investigator.pk)).get()
    assert entry.details == {"fields": ["first_name"]}
    assert "新名字" not in str(entry.details)


def test_nothing_can_be_deleted_in_the_admin(client, administrator, investigator):
    sign_in(client, administrator)
    assert client.get(f"/admin/accounts/user/{investigator.pk}/delete/").status_code == 403
    assert client.get(f"/admin/audit/auditentry/{AuditEntry.objects.first().pk}/delete/").status_code == 403


def test_an_administrator_unlocks_on_the_locked_accounts_page_with_htmx(client, administrator, investigator):
    User.objects.filter(pk=investigator.pk).update(locked_at="2026-11-01T00:00:00Z")
    sign_in(client, administrator)
    client.cookies["lantern_language"] = "en"
    page = client.get("/accounts/locked/").content.decode()
    assert "inv" in page
    row = client.post(f"/accounts/locked/{investigator.pk}/unlock/", HTTP_HX_REQUEST="true")
    assert "Unlocked. The user can sign in again." in row.content.decode()
    assert not User.objects.get(pk=investigator.pk).is_locked
    assert AuditEntry.objects.filter(action="account.unlocked", actor_id=administrator.pk).exists()


def test_only_administrators_may_unlock(client, supervisor, investigator):
    User.objects.filter(pk=investigator.pk).update(locked_at="2026-11-01T00:00:00Z")
    sign_in(client, supervisor)
    assert client.get("/accounts/locked/").status_code == 403
    assert client.post(f"/accounts/locked/{investigator.pk}/unlock/").status_code == 403
    assert User.objects.get(pk=investigator.pk).is_locked


def test_the_admin_action_unlocks_selected_accounts(client, administrator, investigator):
    User.objects.filter(pk=investigator.pk).update(locked_at="2026-11-01T00:00:00Z")
    sign_in(client, administrator)
    response = client.post("/admin/accounts/user/", {"action": "unlock", "_selected_action": [investigator.pk]})
    assert response.status_code == 302
    assert not User.objects.get(pk=investigator.pk).is_locked
