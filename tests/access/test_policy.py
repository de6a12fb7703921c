"""One place answers "may this user see or do this?"; lists never fetch what the user may
not see; a model without a rule is invisible to everyone."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from lantern.access import policy
from lantern.access.policy import Capability, Verb
from lantern.access.roles import Role
from lantern.accounts.models import Unit, User
from lantern.audit.models import AuditEntry
from lantern.core.errors import NotFound, PermissionDenied
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_model_without_a_rule_is_invisible_to_everyone(administrator):
    assert policy.rule_for(Session) is None
    assert policy.scope(administrator, Verb.VIEW, Session.objects.all()).query.is_empty()


def test_an_investigator_sees_their_chain_of_command_and_nothing_beside_it(investigator, units):
    visible = set(policy.scope(investigator, Verb.VIEW, Unit.objects.all()).values_list("code", flat=True))
    assert visible == {"HX-GAT", "AP-GAJ", "QS-GAJ", "QS-XZDD"}
    assert not policy.can(investigator, Verb.VIEW, units["QS-CGPCS"])  # a sibling station
    assert not policy.can(investigator, Verb.VIEW, units["QS-JCY"])  # the procuratorate


def test_a_unit_head_sees_the_units_below(units):
    head = make_user(units, "QS-GAJ", Role.UNIT_HEAD)
    visible = set(policy.scope(head, Verb.VIEW, Unit.objects.all()).values_list("code", flat=True))
    assert {"QS-XZDD", "QS-CGPCS"} <= visible and "QS-JCY" not in visible


def test_supervisors_see_the_members_of_their_command_unit_investigators_only_themselves(
        units, supervisor, investigator):
    station_officer = make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER)
    other_county = Unit.objects.create(code="XX-GAJ", name="另一县公安局", branch="police", level="county",
                                       division_code="990122", parent=units["AP-GAJ"])
    stranger = make_user({"XX": other_county}, "XX", Role.INVESTIGATOR)
    seen_by_supervisor = set(policy.scope(supervisor, Verb.VIEW, User.objects.all()))
    assert {supervisor, investigator, station_officer} <= seen_by_supervisor
    assert stranger not in seen_by_supervisor
    assert set(policy.scope(investigator, Verb.VIEW, User.objects.all())) == {investigator}


def test_require_answers_404_outside_the_view_and_403_inside_it(investigator, supervisor):
    with pytest.raises(NotFound):
        policy.require(investigator, Verb.VIEW, supervisor)
    with pytest.raises(PermissionDenied):
        policy.require(supervisor, Verb.MANAGE, investigator)
    assert policy.require(investigator, Verb.VIEW, investigator) == investigator


def test_the_audit_log_is_read_by_inspectors_and_administrators_only(units, inspector, administrator,
                                                                      investigator, supervisor):
    assert policy.has_capability(inspector, Capability.READ_AUDIT)
    assert policy.has_capability(administrator, Capability.READ_AUDIT)
    for user in (investigator, supervisor):
        assert not policy.has_capability(user, Capability.READ_AUDIT)
        assert policy.scope(user, Verb.VIEW, AuditEntry.objects.all()).count() == 0


def test_a_deactivated_user_may_do_nothing(administrator):
    User.objects.filter(pk=administrator.pk).update(is_active=False)
    administrator.refresh_from_db()
    assert not policy.has_capability(administrator, Capability.MANAGE_ACCOUNTS)
    assert policy.scope(administrator, Verb.VIEW, Unit.objects.all()).count() == 0


def test_a_sign_in_lock_takes_nothing_from_a_signed_in_user(administrator):
    """The lock refuses new sign-ins (tests/accounts/test_signin.py); anyone can cause it,
    so it must not disarm whoever is already signed in."""
    User.objects.filter(pk=administrator.pk).update(locked_at="2026-11-01T00:00:00Z")
    administrator.refresh_from_db()
    assert policy.has_capability(administrator, Capability.MANAGE_ACCOUNTS)
    assert policy.scope(administrator, Verb.VIEW, Unit.objects.all()).count() > 0


def test_a_procuratorate_covers_the_police_units_in_its_jurisdiction(units):
    county_proc, prefecture_proc = units["QS-JCY-WJ"], units["AP-JCY"]
    assert county_proc.covers_division(units["QS-CGPCS"].division_code)
    assert prefecture_proc.covers_division("990122")  # another county of the prefecture
    assert not county_proc.covers_division("990122")
