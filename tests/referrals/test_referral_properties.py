"""Whatever partners and police try, in any order, a referral's status moves only along
its table (referrals.moves), each change leaves its history row and audit entry, a
finished referral stays finished, and a withdrawn consent ends it for good."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from lantern.audit.models import AuditEntry
from lantern.core.errors import LanternError
from lantern.referrals.catalogue import OPEN, Status
from lantern.referrals.models import Referral, ReferralEvent
from lantern.referrals.moves import MOVES, REFERRALS
from lantern.referrals.services import move_referral, withdraw_consent
from tests.cases.test_linxia_scenario import Api
from tests.referrals.conftest import LEGAL_AID

REACHED: set[str] = set()


def make_machine(people, case):
    actors = [people["legal_aid"], people["counselling"], people["investigator"], people["supervisor"],
              people["intake"]]
    police_api = Api(people["investigator"])  # one token for every run (the token endpoint is rate-limited)

    class Referrals(RuleBasedStateMachine):
        @initialize()
        def refer(self):
            # Each run in a savepoint of its own, rolled back at teardown: one referral per
            # service and partner is allowed on a case, so runs must not see each other's.
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            made = police_api.post(f"/cases/{case['id']}/referrals", LEGAL_AID)
            assert made.status_code == 201, made.content
            self.referral = Referral.objects.get(pk=made.json()["id"])
            self.withdrawn = False

        def _events(self) -> int:
            return ReferralEvent.objects.filter(referral=self.referral).count()

        @rule(actor=st.sampled_from(actors), to=st.sampled_from([*MOVES, "sent", "bogus"]),
              reason=st.sampled_from(["", "本中心已接案"]))
        def move(self, actor, to, reason):
            before, events = Referral.objects.get(pk=self.referral.pk).status, self._events()
            try:
                move_referral(actor=actor, referral=self.referral, to=to, reason=reason)
            except LanternError:
                assert Referral.objects.get(pk=self.referral.pk).status == before
                assert self._events() == events
                return
            after = Referral.objects.get(pk=self.referral.pk).status
            assert (before, after) in REFERRALS.moves()
            assert self._events() == events + 1
            assert AuditEntry.objects.filter(action=f"referral.{after}",
                                             details__referral=self.referral.pk).exists()
            REACHED.add(after)

        @rule(actor=st.sampled_from(actors))
        def withdraw(self, actor):
            try:
                withdraw_consent(actor=actor, consent=self.referral.consent)
            except LanternError:
                return
            self.withdrawn = True
            REACHED.add("withdrawn")

        def teardown(self):
            if hasattr(self, "savepoint"):
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)

        @invariant()
        def finished_stays_finished(self):
            status = Referral.objects.get(pk=self.referral.pk).status
            if self.withdrawn:
                assert status not in OPEN
            history = list(ReferralEvent.objects.filter(referral=self.referral).order_by("pk")
                           .values_list("from_status", "to_status"))
            for (_a, b), (c, _d) in itertools.pairwise(history):
                assert b == c  # each change starts where the last one ended
            if history:
                assert history[-1][1] == status

    return Referrals


@pytest.mark.django_db
def test_no_sequence_of_moves_breaks_the_referral_table(people, case):
    REACHED.clear()
    run_state_machine_as_test(make_machine(people, case), settings=settings(
        max_examples=40, stateful_step_count=20, deadline=None, derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
    # Runs that never get far would prove little: the partner's moves and a withdrawal at least.
    assert {Status.ACCEPTED, Status.DECLINED, Status.IN_PROGRESS, "withdrawn"} <= REACHED
