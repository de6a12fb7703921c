"""Break-glass: opening a case outside one's need to know, on the record.

A written reason and a fresh TOTP code open the case for at most an hour. The user's
supervisors are told at once (inbox and e-mail), and the opening stays on their review
list until one of them closes it with a finding. The grant is a basis of the case
access rule (cases.access), so it ends by itself when it expires."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.roles import Role
from lantern.accounts import totp
from lantern.accounts.models import User
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from lantern.notifications.services import notify
from lantern.people.models import BreakGlass, ReviewStatus, Seal
from lantern.people.selectors import reviewable

DURATION = dt.timedelta(minutes=60)
MIN_REASON = 15  # characters: "need it" is not a reason an inspector can check
FAILED_CODES_ALLOWED = 5  # per user in WINDOW, counted from the audit log (survives restarts)
WINDOW = dt.timedelta(minutes=15)


class SecondFactorRefused(PermissionDenied):
    code = "second_factor_refused"


def _check_code(actor: User, code: str) -> None:
    recent = AuditEntry.objects.filter(actor_id=actor.pk, action=Event.DENIED_OPEN_BREAK_GLASS,
                                       at__gte=timezone.now() - WINDOW).count()
    if recent >= FAILED_CODES_ALLOWED:
        raise RateLimited(details={"retry_after_seconds": int(WINDOW.total_seconds())})
    locked = User.objects.select_for_update().get(pk=actor.pk)
    step = totp.matching_step(locked.totp_secret, code, timezone.now()) if locked.has_second_factor else None
    if step is None or step <= locked.totp_last_step:
        raise SecondFactorRefused(_("The authenticator code is wrong or was used already."),
                                  details={"code": [_("Enter the current code from your authenticator app.")]})
    User.objects.filter(pk=actor.pk).update(totp_last_step=step)


def supervisors_of(user: User) -> list[User]:
    """Who is told: supervisors of the user's command unit, else its unit heads, else
    the unit heads above it."""
    unit = user.unit.command_unit() if user.unit else None
    while unit is not None:
        for roles in ((Role.SUPERVISOR,), (Role.UNIT_HEAD,)):
            found = list(User.objects.filter(is_active=True, unit__path__startswith=unit.path, roles__role__in=roles)
                         .exclude(pk=user.pk).distinct())
            if found:
                return found
        unit = unit.parent
    return []


@action
def open_break_glass(*, actor: User, case_number: str, reason: str, code: str) -> BreakGlass:
    """Checks run in an order that tells nothing for free: the role, the reason, then
    the rate limit and the code, and only then whether the case exists and may be
    opened, with one refusal for "no such case" and "sealed"."""
    from lantern.cases.access import BREAK_GLASS_ROLES, basis
    from lantern.cases.models import Case

    if not actor.role_set & BREAK_GLASS_ROLES:
        raise PermissionDenied(_("Your role may not open cases by break-glass."))
    if len(reason.strip()) < MIN_REASON:
        raise ValidationFailed(details={"reason": [
            _("State why you need this case, in at least %(n)d characters.") % {"n": MIN_REASON}]})
    _check_code(actor, code)
    case = Case.objects.filter(case_number=case_number.strip()).first()
    sealed = Seal.objects.filter(case=case, lifted_at__isnull=True).exclude(grants__role__in=list(actor.role_set))
    if case is None or sealed.exists():
        raise PermissionDenied(_("No case you may open by break-glass has this number. Check the number; "
                                 "sealed records cannot be opened this way."),
                               details={"case_number": [_("Check the case number.")]})
    if basis(actor, case) not in (None, "break_glass"):
        raise Conflict(_("You can open this case already; break-glass is not needed."))
    now = timezone.now()
    grant = BreakGlass.objects.create(user=actor, case=case, reason=reason.strip(), opened_at=now,
                                      expires_at=now + DURATION)
    record(actor=actor, action=Event.CASE_BREAK_GLASS, obj=case,
           details={"grant": grant.pk, "expires_at": grant.expires_at.isoformat()})
    # The alert names the user and the case number, never the victim.
    notify(recipients=supervisors_of(actor), kind="break_glass", case=case,
           title=_("Break-glass: %(user)s opened case %(number)s") % {"user": actor.username,
                                                                     "number": case.case_number},
           body=_("%(user)s opened case %(number)s outside their assignments, until %(until)s. "
                  "Review the stated reason on your break-glass review list.")
           % {"user": actor.username, "number": case.case_number,
              "until": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M")})
    return grant


@action
def close_break_glass_review(*, actor: User, grant: BreakGlass, justified: bool, note: str) -> BreakGlass:
    if not reviewable(actor).filter(pk=grant.pk).exists():
        raise NotFound()
    if grant.review_status == ReviewStatus.CLOSED:
        raise Conflict(_("This break-glass opening was reviewed already."))
    if not note.strip():
        raise ValidationFailed(details={"note": [_("Record what you found.")]})
    grant.review_status, grant.reviewed_by, grant.reviewed_at = ReviewStatus.CLOSED, actor, timezone.now()
    grant.justified, grant.review_note = justified, note.strip()
    grant.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "justified", "review_note"])
    record(actor=actor, action=Event.BREAK_GLASS_REVIEWED, obj=grant.case,
           details={"grant": grant.pk, "justified": justified, "user": grant.user_id})
    return grant
