"""Suspects through the Criminal Procedure Law: a status per suspect, changed only by the
moves of the table in cases.suspect_moves (the law as data, with references, on the
transition engine), each move stopping and starting the custody clocks of
deadlines/rules.py. Custody periods do not run over holidays into the next working day
(CPL art. 105; the rules say extends_over_holidays=False). Here: the user's side of a
move (who may, the reason, the time), the extensions, and the suspects' JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, require
from lantern.access.roles import Role
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import Ctx, on_team_or_supervisor, require_case_work
from lantern.cases.models import Suspect
from lantern.cases.states import State
from lantern.cases.suspect_moves import (
    BY_NAME,
    POLICE,
    SUSPECTS,
    Move,
    MoveCtx,
    subject_of,
)
from lantern.core.actions import action
from lantern.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.deadlines.arithmetic import Period, Unit

# Extending the time to request arrest approval (CPL art. 91): by 1 to 4 days in special
# cases; to 30 days for a major suspect of roving, repeated or gang offences; either with the
# approval of a county-level public-security head (MPS Provisions art. 129).
EXTENSIONS = {"special": (1, 4), "roving_repeated_gang": (30, 30)}


def _check(actor: Any, suspect: Suspect, move: Move, reason: str) -> None:
    require(actor, Verb.VIEW, suspect.case)
    if not actor.role_set & move.roles:
        raise PermissionDenied(_("Your role may not take this step."))
    if move.roles is POLICE and (unmet := on_team_or_supervisor(Ctx(case=suspect.case, actor=actor))):
        raise PermissionDenied(unmet.message)
    if unmet := SUSPECTS.unmet(move, MoveCtx(actor=actor, suspect=suspect, at=timezone.now())):
        raise Conflict(unmet=[u.as_dict() for u in unmet])
    if move.reason_required and not reason.strip():
        raise ValidationFailed(details={"reason": [_("Write the reason and the document reference.")]})


@action
def change_status(*, actor: Any, suspect: Suspect, move_name: str, reason: str = "",
                  at: dt.datetime | None = None) -> Suspect:
    """``at``: when it happened, if it is recorded afterwards (a detention at night is
    entered in the morning); the clocks run from then."""
    move = BY_NAME.get(move_name)
    if move is None or move.automatic:
        raise NotFound()
    suspect = Suspect.objects.select_for_update().select_related("case").get(pk=suspect.pk)
    _check(actor, suspect, move, reason)
    now = at or timezone.now()
    if now > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(details={"at": [_("The time is in the future.")]})
    last = suspect.events.order_by("-at").first()
    if last is not None and now < last.at:
        raise ValidationFailed(details={"at": [_("The time is before the suspect's previous change.")]})
    # Checked above (409 before 422); perform checks again under the row lock it holds.
    SUSPECTS.perform(move, MoveCtx(actor=actor, suspect=suspect, at=now, reason=reason))
    _follow_the_case(actor, suspect.case)
    return suspect


def _follow_the_case(actor: Any, case: Any) -> None:
    """The investigation is suspended when the last suspect is at large, and resumes when
    one is in hand again: the same table rows a user could take, guards and audit included."""
    from lantern.cases import workflow

    name = {State.INVESTIGATING: "suspend_investigation", State.SUSPENDED: "resume_investigation"}.get(case.state)
    if name is None:
        return
    if workflow.can_take_now(case, actor, name):
        workflow.perform(case=case, actor=actor, name=name)


@action
def extend_arrest_request(*, actor: Any, suspect: Suspect, grounds: str, days: int, reason: str) -> Any:
    """Longer to request arrest approval, as CPL art. 91 allows: the clock runs from the
    detention, 3 days plus the extension (or 30 days in all)."""
    require_case_work(actor, suspect.case)
    if not has_capability(actor, Capability.APPROVE_AS_POLICE_HEAD):
        raise PermissionDenied(_("A county-level public-security head approves this extension "
                                 "(MPS Provisions art. 129)."))
    low, high = EXTENSIONS.get(grounds, (0, -1))
    if not low <= days <= high:
        raise ValidationFailed(details={"days": [_("Allowed: 1 to 4 more days in special cases; 30 days in all "
                                                   "for roving, repeated or gang offences.")]})
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("Write the reason and the document reference.")]})
    clock = clocks.open_clock(suspect.case, "arrest_request", subject_of(suspect))
    if clock is None:
        raise Conflict(unmet=[{"code": "no_clock", "message": _("The suspect is not in detention.")}])
    total = 30 if grounds == "roving_repeated_gang" else 3 + days
    clocks.extend(clock=clock, period=Period(total, Unit.DAYS, extends_over_holidays=False))
    record(actor=actor, action=Event.SUSPECT_ARREST_REQUEST_EXTENDED, obj=suspect.case,
           details={"suspect": suspect.pk, "grounds": grounds, "days_in_all": total})
    return clock


# Investigation custody after arrest (CPL arts. 156, 158, 159): 2 months, then by the
# procuratorate's approval +1 month (art. 156, complex cases), +2 months (art. 158), and
# +2 months more (art. 159, a possible sentence of ten years or more), in this order.
CUSTODY_EXTENSIONS = (("156", 1), ("158", 2), ("159", 2))


@action
def extend_custody(*, actor: Any, suspect: Suspect, article: str, reason: str) -> Any:
    require(actor, Verb.VIEW, suspect.case)
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("The procuratorate approves an extension of investigation custody."))
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("Write the reason and the document reference.")]})
    clock = clocks.open_clock(suspect.case, "investigation_custody", subject_of(suspect))
    if clock is None:
        raise Conflict(unmet=[{"code": "no_clock", "message": _("The suspect is not in custody after arrest.")}])
    done = [a for a, _months in CUSTODY_EXTENSIONS][: _extensions_taken(clock.period_amount)]
    expected = CUSTODY_EXTENSIONS[len(done)][0] if len(done) < len(CUSTODY_EXTENSIONS) else None
    if article != expected:
        raise Conflict(unmet=[{"code": "custody_extension_order", "message": _(
            "The next extension allowed is under article %(article)s.") % {"article": expected or "—"}}])
    months = 2 + sum(m for _a, m in CUSTODY_EXTENSIONS[: len(done) + 1])
    clocks.extend(clock=clock, period=Period(months, Unit.MONTHS, extends_over_holidays=False))
    record(actor=actor, action=Event.SUSPECT_CUSTODY_EXTENDED, obj=suspect.case,
           details={"suspect": suspect.pk, "article": article, "months_in_all": months})
    return clock


def _extensions_taken(months_now: int) -> int:
    """How many extensions a custody clock of this length has had (2, 3, 5, 7 months)."""
    total, taken = 2, 0
    for _article, months in CUSTODY_EXTENSIONS:
        if total >= months_now:
            break
        total, taken = total + months, taken + 1
    return taken
