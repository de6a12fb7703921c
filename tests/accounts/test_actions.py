"""Every account action is keyword-only, refuses an actor without the right, and writes
its audit entry in the same transaction as its change."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from lantern.accounts import actions, signin
from lantern.audit.models import AuditEntry
from lantern.core.actions import REGISTRY
from lantern.core.errors import PermissionDenied, ValidationFailed
from tests.factories import PASSWORD, next_code

pytestmark = pytest.mark.django_db


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def test_actions_refuse_positional_arguments(administrator):
    assert REGISTRY, "no action registered"
    with pytest.raises(TypeError, match="keyword arguments only"):
        actions.unlock_account(administrator, administrator)


CASES = {
    "create_unit": lambda a, u, units: actions.create_unit(
        actor=a, code="QS-NEW", name="新派出所", branch="police", level="station", division_code="990121",
        parent=units["QS-GAJ"]),
    "create_user": lambda a, u, units: actions.create_user(
        actor=a, username="fresh", password="a-long-unusual-passphrase", unit=units["QS-GAJ"],
        roles=[Role.INVESTIGATOR]),
    "set_user_roles": lambda a, u, units: actions.set_user_roles(actor=a, user=u, roles=[Role.SUPERVISOR]),
    "unlock_account": lambda a, u, units: actions.unlock_account(actor=a, user=u),
    "reset_second_factor": lambda a, u, units: actions.reset_second_factor(actor=a, user=u),
    "set_active": lambda a, u, units: actions.set_active(actor=a, user=u, active=False),
}
EXPECTED = {"create_unit": "unit.created", "create_user": "user.created", "set_user_roles": "user.roles_changed",
            "unlock_account": "account.unlocked", "reset_second_factor": "account.second_factor_reset",
            "set_active": "user.deactivated"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_administrative_action_writes_its_audit_entry(name, administrator, investigator, units):
    CASES[name](administrator, investigator, units)
    entry = last_entry()
    assert (entry.action, entry.actor_id, entry.outcome) == (EXPECTED[name], administrator.pk, "success")


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_administrative_action_is_refused_to_a_supervisor_changes_nothing_and_is_audited(
        name, supervisor, investigator, units):
    before = set(AuditEntry.objects.values_list("id", flat=True))
    roles_before = set(investigator.roles.values_list("role", flat=True))
    with pytest.raises(PermissionDenied):
        CASES[name](supervisor, investigator, units)
    new = AuditEntry.objects.exclude(id__in=before)
    assert [(e.action, e.outcome, e.actor_id) for e in new] == [(f"denied.{name}", "denied", supervisor.pk)]
    investigator.refresh_from_db()
    assert investigator.is_active and set(investigator.roles.values_list("role", flat=True)) == roles_before


def test_sign_in_actions_write_success_and_failure_entries(investigator):
    signin.attempt_password(username="inv", password="wrong-password")
    assert (last_entry().action, last_entry().outcome) == ("account.sign_in", "failure")
    assert last_entry().details == {"stage": "password", "reason": "bad_credentials"}
    assert signin.attempt_second_factor(user=investigator, code=next_code(investigator)).ok
    signin.complete_sign_in(user=investigator)
    assert (last_entry().action, last_entry().outcome, last_entry().actor_id) == (
        "account.sign_in", "success", investigator.pk)
    token, _expires = signin.issue_api_token(user=investigator)
    assert last_entry().action == "account.api_token_issued" and token not in str(last_entry().details)
    signin.record_sign_out(user=investigator, reason="user")
    assert last_entry().action == "account.sign_out"


def test_audit_entries_hold_no_password_or_code(investigator):
    signin.attempt_password(username="inv", password="secret-typo-123")
    signin.attempt_second_factor(user=investigator, code="654321")
    text = " ".join(str(e.details) + e.object_id for e in AuditEntry.objects.all())
    assert "secret-typo-123" not in text and "654321" not in text and PASSWORD not in text


def test_a_weak_password_is_refused_with_the_reasons(administrator, units):
    with pytest.raises(ValidationFailed) as caught:
        actions.create_user(actor=administrator, username="weak", password="1234567", unit=units["QS-GAJ"],
                            roles=[Role.INVESTIGATOR])
    assert len(caught.value.details["password"]) >= 2  # too short, too common, entirely numeric


def test_the_password_page_refuses_short_and_common_passwords_and_accepts_a_good_one(client, investigator):
    from tests.factories import sign_in

    sign_in(client, investigator)
    client.cookies["lantern_language"] = "en"
    for weak in ("short1", "password123"):
        page = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": weak,
                                                   "new_password_again": weak}).content.decode()
        assert "This password is" in page  # too short / too common, in Django's words
    ok = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "quiet-lantern-river",
                                             "new_password_again": "quiet-lantern-river"})
    assert ok.status_code == 302
    investigator.refresh_from_db()
    assert investigator.check_password("quiet-lantern-river")
    assert last_entry().action == "account.password_changed"
