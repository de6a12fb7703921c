"""Who may see a referral (registered with the one access policy).

- partner caseworkers: the referrals sent to their agency (or a part of it) while the
  consent is in force and the referral is not revoked. This is the partner's only basis:
  it shows the pseudonym, the need and the contact route, never the case itself, whose
  rule (cases.access) has no partner basis at all;
- police and prosecutors: the referrals of the cases they may see;
and neither, for a sealed case, unless the seal names their role.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Verb, register
from lantern.access.roles import Role
from lantern.cases.access import case_q, register_child_of_case, seal_q
from lantern.cases.models import Case
from lantern.referrals.catalogue import Status
from lantern.referrals.models import Consent, Referral


def partner_q(user: Any) -> Q:
    """The referral basis of a partner caseworker."""
    if Role.PARTNER_CASEWORKER not in user.role_set or user.unit is None:
        return Q(pk__in=[])
    return (Q(partner__path__startswith=user.unit.path, consent__withdrawn_at__isnull=True)
            & ~Q(status=Status.REVOKED))


def referral_q(user: Any) -> Q:
    cases = Case.objects.filter(case_q(user)).values("pk")
    sealed_away = Case.objects.exclude(seal_q(user)).values("pk")
    return (partner_q(user) | Q(case__in=cases)) & ~Q(case__in=sealed_away)


def is_partner_of(user: Any, referral: Referral) -> bool:
    return Referral.objects.filter(partner_q(user), pk=referral.pk).exists()


@register(Referral)
class ReferralRule:
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(referral_q(user))

    def allows(self, user: Any, verb: Verb, obj: Referral) -> bool:
        return Referral.objects.filter(referral_q(user), pk=obj.pk).exists()


# Consents are police records: whoever may see the case sees its consents.
register_child_of_case(Consent)
