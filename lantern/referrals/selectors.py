"""Reading referrals: what a partner sees (pseudonym, need, contact route), what the
police see, the partner's dashboard and the unit's list of stalled referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Verb, can, scope
from lantern.cases.access import may_see_identity
from lantern.cases.selectors import deadline_json
from lantern.cases.states import State
from lantern.core.vault.pseudonyms import pseudonymise
from lantern.deadlines.models import RUNNING, Deadline, DeadlineStatus
from lantern.referrals.access import is_partner_of
from lantern.referrals.catalogue import (
    OPEN,
    PARTNER,
    SERVICES,
    ContactRoute,
    GivenBy,
    ServiceKind,
    Shared,
    Status,
)
from lantern.referrals.models import PartnerService, Referral
from lantern.referrals.moves import MOVES
from lantern.referrals.services import RULE

# Policy: an open referral with no news for this long is "stalled" on the unit's list.
STALLED_AFTER = dt.timedelta(days=14)

BUCKET_TITLES = {"needs_action": _("Needs action"), "pending": _("In progress"), "completed": _("Completed")}
BUCKETS = {
    "needs_action": (Status.SENT, Status.ACCEPTED),  # accept or decline; make first contact
    "pending": (Status.IN_PROGRESS,),
    "completed": (Status.COMPLETED, Status.DECLINED),
}


def _with_related(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related("case", "case__victim", "partner", "consent")


def visible(user: Any) -> QuerySet[Referral]:
    return _with_related(scope(user, Verb.VIEW, Referral.objects.all()))


def first_contact_clock(referral: Referral) -> Deadline | None:
    """The referral's first-contact clock (None once cancelled: declined or revoked)."""
    return (Deadline.objects.filter(case_id=referral.case_id, rule=RULE, subject=referral.clock_subject)
            .exclude(status=DeadlineStatus.CANCELLED).first())


def read(referral: Referral, user: Any) -> tuple[dict[str, Any], bool]:
    """The referral as this user may read it, and whether they read it as its partner."""
    partner = is_partner_of(user, referral)
    identity = not partner and may_see_identity(user, referral.case)
    return referral_json(referral, partner=partner, identity=identity), partner


def referral_json(referral: Referral, *, partner: bool, identity: bool) -> dict[str, Any]:
    """A partner gets the pseudonym, the need and the contact route the consent allows;
    the police also get the case, the consent and, with identity access, the contact."""
    shared = set(referral.consent.shared)
    case = referral.case
    data: dict[str, Any] = {
        "id": referral.pk, "reference": f"R-{referral.pk}", "service": referral.service,
        "service_label": str(SERVICES[referral.service].kind.label), "partner": referral.partner.name,
        "status": referral.status, "status_label": str(Status(referral.status).label),
        "status_reason": pseudonymise(referral.status_reason, case) if referral.status_reason else "",
        "pseudonym": case.victim.pseudonym, "need": pseudonymise(referral.need, case),
        "contact_route": referral.contact_route,
        "contact_route_label": str(ContactRoute(referral.contact_route).label),
        "created_at": referral.created_at, "updated_at": referral.updated_at,
        "first_contact": (clock := first_contact_clock(referral)) and deadline_json(clock),
        "legal_reference": SERVICES[referral.service].legal_reference,
        "notes": [{"at": n.at, "author": n.author.username, "text": pseudonymise(n.text, case)}
                  for n in referral.notes.select_related("author")],
        "history": [{"at": e.at, "to": e.to_status, "to_label": str(Status(e.to_status).label)}
                    for e in referral.events.all()],
        "moves": [{"to": key, "title": str(m.title), "reason_required": m.reason_required}
                  for key, m in MOVES.items() if referral.status in m.from_states and (m.by == PARTNER) == partner],
    }
    if Shared.AGE_BAND in shared:
        data["age_band"] = case.age_band
    if referral.contact_route != ContactRoute.CASE_TEAM and (partner or identity):
        data["contact_detail"] = referral.contact_detail
    if referral.contact_route == ContactRoute.CASE_TEAM:
        data["case_officers"] = _officers(case)
    if not partner:
        data.update(case_id=case.pk, case_number=case.case_number, consent={
            "id": referral.consent.pk, "given_by": referral.consent.given_by, "shared": sorted(shared),
            "given_at": referral.consent.given_at, "withdrawn_at": referral.consent.withdrawn_at})
    return data


def _officers(case: Any) -> list[dict[str, str]]:
    """Whom a partner calls when contact goes through the police: names and work e-mail."""
    team = case.assignments.filter(active=True).select_related("user")
    return [{"name": a.user.get_full_name() or a.user.username, "email": a.user.email} for a in team]


def dashboard(user: Any) -> dict[str, list[Referral]]:
    mine = visible(user).filter(partner__isnull=False)
    return {bucket: list(mine.filter(status__in=statuses).order_by("created_at")[:200])
            for bucket, statuses in BUCKETS.items()}


def stalled(user: Any) -> list[dict[str, Any]]:
    """Open referrals of the user's cases whose first contact is overdue, or with no news
    for STALLED_AFTER. The clock is matched in SQL (its subject is "referral:<id>")."""
    now = timezone.now()
    late = Deadline.objects.filter(case_id=OuterRef("case_id"), rule=RULE, status__in=RUNNING, due_at__lt=now,
                                   subject=Concat(Value("referral:"), Cast(OuterRef("pk"), CharField())))
    rows = (visible(user).filter(status__in=OPEN).annotate(first_contact_late=Exists(late))
            .filter(Q(first_contact_late=True) | Q(updated_at__lt=now - STALLED_AFTER))
            .exclude(case__state=State.CLOSED).order_by("created_at")[:500])
    return [{"referral": r, "first_contact_late": r.first_contact_late} for r in rows]


def _of_case(case: Any, user: Any) -> QuerySet[Referral]:
    """The referrals of one case: whoever sees the case sees them (referrals.access), and
    asking that of the one case spares the page the lists' scope of every visible case."""
    if not can(user, Verb.VIEW, case):
        return Referral.objects.none()
    return _with_related(Referral.objects.filter(case=case))


def case_section(case: Any, user: Any, *, identity: bool) -> dict[str, Any]:
    """The case page's "Services and referrals" section (cases.sections): the case's
    referrals and the form to refer with consent."""
    partners = (PartnerService.objects.filter(partner__is_active=True,
                                              partner__division_code__startswith=case.unit.division_code[:2])
                .select_related("partner").order_by("service", "partner__name"))
    return {
        # Partners never reach the case page: everyone here reads as police.
        "referrals": [referral_json(r, partner=False, identity=identity) for r in _of_case(case, user)],
        "partner_services": partners, "service_kinds": ServiceKind.choices, "shared_choices": Shared.choices,
        "given_by_choices": GivenBy.choices, "contact_routes": ContactRoute.choices,
    }
