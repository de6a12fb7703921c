"""Referral actions: refer with consent, withdraw consent, move a referral, add a note.
Each is atomic and audited; partners are told through their inbox, never with personal
data in the message."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Verb, require
from lantern.access.roles import Role
from lantern.accounts.models import Unit, User
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import require_case_work
from lantern.cases.models import Case
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.deadlines.escalation import ESCALATION
from lantern.notifications.services import notify
from lantern.referrals.access import is_partner_of
from lantern.referrals.catalogue import OPEN, PARTNER, SERVICES, ContactRoute, GivenBy, Shared, Status
from lantern.referrals.models import Consent, PartnerService, Referral, ReferralEvent, ReferralNote
from lantern.referrals.moves import MAX_TEXT, MOVES, REFERRALS, RULE, MoveCtx, refused_message

PIPL_CHILD_CONSENT_AGE = 14  # 《个人信息保护法》第三十一条: a guardian consents for a child under 14


def _partner_users(partner: Unit) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__role=Role.PARTNER_CASEWORKER,
                                    unit__path__startswith=partner.path).distinct())


def _tell_partner(referral: Referral, title: str) -> None:
    # No case link and no case number: the partner's window on the case is the referral.
    notify(recipients=_partner_users(referral.partner), kind="referral", case=None,
           title=f"{title} (R-{referral.pk})",
           body=_("Open Lantern's partner workspace to see referral R-%(id)s.") % {"id": referral.pk})


def _tell_team(referral: Referral, title: str) -> None:
    notify(recipients=ESCALATION[0].recipients(referral.case), kind="referral", case=referral.case,
           title=f"{title} (R-{referral.pk}, {referral.case.case_number})",
           body=_("Referral R-%(id)s of case %(number)s: %(title)s.") % {
               "id": referral.pk, "number": referral.case.case_number, "title": title})


def _validated(case: Case, service: str, partner: Unit | None, given_by: str, shared: list[str], need: str,
               contact_route: str, contact_detail: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if service not in SERVICES:
        problems["service"] = [_("Choose one of the services in the list.")]
    elif partner is None or not PartnerService.objects.filter(partner=partner, service=service).exists():
        problems["partner"] = [_("Choose a partner agency that provides this service.")]
    if given_by not in GivenBy.values:
        problems["given_by"] = [_("Say who gave consent: the victim or the guardian.")]
    elif given_by == GivenBy.VICTIM and case.victim.age_at_offence < PIPL_CHILD_CONSENT_AGE:
        problems["given_by"] = [_("The victim is under 14: the guardian must consent (PIPL art. 31).")]
    if set(shared) - set(Shared.values):
        problems["shared"] = [_("Only the age band and a contact route can be shared.")]
    if not need.strip() or len(need) > MAX_TEXT:
        problems["need"] = [_("Describe the need in at most 2,000 characters, without names.")]
    if contact_route not in ContactRoute.values:
        problems["contact_route"] = [_("Choose how the partner makes contact.")]
    elif contact_route == ContactRoute.CASE_TEAM and contact_detail.strip():
        problems["contact_detail"] = [_("Contact through the case officer needs no phone or e-mail.")]
    elif contact_route != ContactRoute.CASE_TEAM and (Shared.CONTACT not in shared or not contact_detail.strip()):
        problems["contact_detail"] = [_("Direct contact needs the consent to share it, and the phone or e-mail.")]
    return problems


@action
def refer_with_consent(*, actor: Any, case: Case, service: str, partner_code: str, given_by: str,
                       shared: list[str], need: str, contact_route: str, contact_detail: str = "") -> Referral:
    """Record the consent for one service and one partner, and send the referral."""
    require_case_work(actor, case)
    partner = Unit.objects.filter(code=partner_code, branch="partner", is_active=True).first()
    if problems := _validated(case, service, partner, given_by, shared, need, contact_route, contact_detail):
        raise ValidationFailed(details=problems)
    if Referral.objects.filter(case=case, service=service, partner=partner, status__in=OPEN).exists():
        raise Conflict(_("This service is already referred to this partner and still open."))
    now = timezone.now()
    consent = Consent.objects.create(case=case, service=service, partner=partner, given_by=given_by,
                                     shared=sorted(set(shared)), given_at=now, recorded_by=actor)
    referral = Referral.objects.create(case=case, consent=consent, partner=partner, service=service,
                                       need=need.strip(), contact_route=contact_route,
                                       contact_detail=contact_detail.strip(), created_by=actor, created_at=now,
                                       updated_at=now)
    ReferralEvent.objects.create(referral=referral, from_status=Status.SENT, to_status=Status.SENT, at=now,
                                 by=actor)
    clocks.start(case=case, rule_key=RULE, started_at=now, subject=referral.clock_subject,
                 period=SERVICES[service].first_contact)
    record(actor=actor, action=Event.REFERRAL_SENT, obj=case,
           details={"referral": referral.pk, "service": service, "partner": partner.code,
                    "given_by": given_by, "shared": consent.shared})
    _tell_partner(referral, _("New referral"))
    return referral


def _end(referral: Referral, *, by: Any, reason: str, now: Any) -> None:
    """Revoke an open referral through its table's row (history, audit, clock)."""
    if referral.status in OPEN:  # the revoked row cancels the first-contact clock itself
        REFERRALS.perform(MOVES[Status.REVOKED], MoveCtx(actor=by, referral=referral, at=now, reason=str(reason)))
    else:
        clocks.cancel(case=referral.case, rule_key=RULE, subject=referral.clock_subject)


def end_consent(consent: Consent, *, by: Any, via: str) -> Consent:
    """Withdraw a consent: the referral is revoked in the same transaction, and the
    partner's access (which also requires the consent in force) ends with the commit."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise Conflict(_("This consent was already withdrawn."))
    now = timezone.now()
    consent.withdrawn_at, consent.withdrawn_via, consent.withdrawn_by = now, via, by
    consent.save(update_fields=["withdrawn_at", "withdrawn_via", "withdrawn_by"])
    referral = consent.referral
    _end(referral, by=by, reason=_("Consent withdrawn."), now=now)
    record(actor=by, action=Event.REFERRAL_CONSENT_WITHDRAWN, obj=consent.case,
           details={"referral": referral.pk, "consent": consent.pk, "via": via})
    _tell_partner(referral, _("Referral withdrawn"))
    return consent


@action
def withdraw_consent(*, actor: Any, consent: Consent) -> Consent:
    """The victim or guardian told the police they withdraw their consent."""
    require_case_work(actor, consent.case)
    return end_consent(consent, by=actor, via="police")


def _authorise_move(actor: Any, referral: Referral, by: str) -> None:
    require(actor, Verb.VIEW, referral)
    partner = is_partner_of(actor, referral)
    if by == PARTNER and not partner:
        raise PermissionDenied(_("Only the partner agency updates its own referral."))
    if by != PARTNER and partner:
        raise PermissionDenied(_("Only the police revoke a referral."))
    if by != PARTNER:
        require_case_work(actor, referral.case)


@action
def move_referral(*, actor: Any, referral: Referral, to: str, reason: str = "") -> Referral:
    move = MOVES.get(to)
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    _authorise_move(actor, referral, move.by if move else PARTNER)
    if move is None:
        raise Conflict(refused_message(referral),
                       unmet=[{"code": "status", "message": str(Status(referral.status).label)}])
    ctx = MoveCtx(actor=actor, referral=referral, at=timezone.now(), reason=reason)
    if unmet := REFERRALS.unmet(move, ctx):
        raise Conflict(refused_message(referral), unmet=[u.as_dict() for u in unmet])
    if move.reason_required and not reason.strip():
        raise ValidationFailed(details={"reason": [_("Give a reason; the other side reads it.")]})
    REFERRALS.perform(move, ctx)
    if move.by == PARTNER:
        _tell_team(referral, str(move.title))
    else:
        _tell_partner(referral, _("Referral revoked"))
    return referral


@action
def add_referral_note(*, actor: Any, referral: Referral, text: str) -> ReferralNote:
    require(actor, Verb.VIEW, referral)
    if not is_partner_of(actor, referral):
        require_case_work(actor, referral.case)
    if not text.strip() or len(text) > MAX_TEXT:
        raise ValidationFailed(details={"text": [_("Write a note of at most 2,000 characters.")]})
    note = ReferralNote.objects.create(referral=referral, author=actor, at=timezone.now(), text=text.strip())
    record(actor=actor, action=Event.REFERRAL_NOTE_ADDED, obj=referral.case, details={"referral": referral.pk})
    return note


@action
def add_partner_service(*, actor: Any, partner: Unit, service: str) -> PartnerService:
    """An administrator records that a partner agency provides a service (the admin site)."""
    from lantern.access.policy import Capability, require_capability

    if actor is not None:
        require_capability(actor, Capability.MANAGE_ACCOUNTS)
    if partner.branch != "partner" or service not in SERVICES:
        raise ValidationFailed(details={"partner": [_("Choose a partner agency that provides this service.")]})
    row, _created = PartnerService.objects.get_or_create(partner=partner, service=service)
    record(actor=actor, action=Event.REFERRAL_PARTNER_SERVICE_ADDED, object_type="referrals.partnerservice",
           object_id=str(row.pk), details={"partner": partner.code, "service": service})
    return row
