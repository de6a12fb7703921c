"""Whether a user sees one case is asked of that case (cases.access.sees: the bases as
subqueries, a merged report through its case), of a few cases named by id (scope_few: the
same subqueries, a merged report through a subquery on its case), for a search's matches
(scope_matches: case_q with long lists of ids as one array each) and, for the lists, of every case
at once (case_q: the bases as id lists, a branch for merged reports). They are one rule in
four shapes: for every user of the authorization matrix and every case, under
seals on either side of a merge, a pending transfer and break-glass, all give the same
answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.access.policy import Verb, can, scope_few, scope_matches
from lantern.access.roles import Role
from lantern.cases import access
from lantern.cases.access import case_q, sees
from lantern.cases.models import Case, CaseTransfer, TransferStatus
from lantern.people.models import BreakGlass, Seal, SealGrant
from tests.access.test_authorization_matrix import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _answers(users) -> dict[tuple[str, int], tuple[bool, bool, bool, bool]]:
    cases = list(Case.objects.order_by("pk"))
    few = {name: set(scope_few(user, Verb.VIEW, Case.objects.filter(pk__in=[c.pk for c in cases]))
                     .values_list("pk", flat=True)) for name, user in users.items()}
    keyed = {name: set(scope_matches(user, Verb.VIEW, Case.objects.all()).values_list("pk", flat=True))
             for name, user in users.items()}
    return {(name, case.pk): (sees(user, case), Case.objects.filter(case_q(user), pk=case.pk).exists(),
                              case.pk in few[name], case.pk in keyed[name])
            for name, user in users.items() for case in cases}


def _seal(case, by, *roles: str) -> None:
    seal = Seal.objects.create(case=case, legal_reference="CPL art. 286", reason="测试", sealed_by=by,
                               sealed_at=timezone.now())
    SealGrant.objects.bulk_create([SealGrant(seal=seal, role=r) for r in roles])


def _assert_one_rule(users) -> int:
    answers = _answers(users)
    differ = {key: a for key, a in answers.items() if len(set(a)) > 1}
    assert not differ, f"the shapes disagree (sees, case_q, scope_few, scope_matches): {differ}"
    return sum(1 for seen, *_others in answers.values() if seen)


@pytest.mark.parametrize("in_list_ids", [access.IN_LIST_IDS, 0], ids=["ids as IN lists", "ids as one array"])
def test_one_case_and_the_lists_give_the_same_answer_in_every_situation(world, monkeypatch, in_list_ids):  # noqa: F811
    """With the lists' ids written as IN lists, and as one array parameter (core.lookups'
    any_of, used past IN_LIST_IDS ids: a user with thousands of assignments)."""
    monkeypatch.setattr(access, "IN_LIST_IDS", in_list_ids)
    monkeypatch.setattr(access, "KEYED_IN_LIST_IDS", min(in_list_ids, access.KEYED_IN_LIST_IDS))
    users, case, units = world["users"], world["case"], world["units"]
    report = Case.objects.exclude(pk=case.pk).get()  # the second report of the world
    seen_at_first = _assert_one_rule(users)
    assert seen_at_first > 0

    # The second report merged into the world's case: seen through it.
    Case.objects.filter(pk=report.pk).update(merged_into=case)
    seen_merged = _assert_one_rule(users)
    assert sees(users["assigned_investigator"], Case.objects.get(pk=report.pk))

    # A seal on the merged report (for supervisors only), then on the case it joined.
    head = users["parent_unit_head"]
    _seal(report, head, Role.SUPERVISOR)
    _assert_one_rule(users)
    assert not sees(users["assigned_investigator"], Case.objects.get(pk=report.pk))
    _seal(case, head, Role.INVESTIGATOR, Role.UNIT_HEAD)
    assert _assert_one_rule(users) < seen_merged

    # A transfer waiting for the other county, and break-glass for the other supervisor.
    Seal.objects.update(lifted_at=timezone.now(), lifted_by=head)
    CaseTransfer.objects.create(case=case, from_unit=case.unit, to_unit=units["XS-GAJ"],
                                status=TransferStatus.PENDING, requested_by=users["same_unit_supervisor"],
                                requested_at=timezone.now(), reason="管辖")
    BreakGlass.objects.create(user=users["prosecutor_out_of_jurisdiction"], case=case, opened_at=timezone.now(),
                              expires_at=timezone.now() + dt.timedelta(hours=1), reason="紧急")
    _assert_one_rule(users)
    assert sees(users["other_unit_supervisor"], case)
    assert sees(users["prosecutor_out_of_jurisdiction"], case)

    # An inactive user is refused by the policy before either shape is asked.
    users["same_unit_supervisor"].is_active = False
    assert not can(users["same_unit_supervisor"], Verb.VIEW, case)
