"""How a referral's status moves, as a table on the transition engine (core.transitions):
the partner accepts, declines, records first contact and completes; the police revoke
(also when the consent is withdrawn). Every change writes its history row
(ReferralEvent) and its audit entry, and meets or cancels the first-contact clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit.events import Family, family
from lantern.audit.services import record
from lantern.core.transitions import Row, StepCtx, Table, Unmet
from lantern.deadlines import services as clocks
from lantern.referrals.catalogue import OPEN, PARTNER, POLICE, Status
from lantern.referrals.models import Referral, ReferralEvent

RULE = "referral_first_contact"
MAX_TEXT = 2000


@dataclass(kw_only=True)
class MoveCtx(StepCtx):
    referral: Referral


@dataclass(frozen=True)
class Move(Row):
    by: str = PARTNER  # PARTNER or POLICE
    reason_required: bool = False
    meets_first_contact: bool = False  # first contact with the family is what the clock waits for

    @property
    def to(self) -> Status:
        return Status(self.name)


def apply_move(ctx: MoveCtx) -> None:
    referral, move = ctx.referral, ctx.move
    reason = ctx.reason.strip()[:MAX_TEXT]
    ReferralEvent.objects.create(referral=referral, from_status=referral.status, to_status=move.to, at=ctx.at,
                                 by=ctx.actor, reason=reason)
    referral.status, referral.updated_at = move.to, ctx.at
    if move.reason_required:
        referral.status_reason = reason
    referral.save(update_fields=["status", "status_reason", "updated_at"])
    if move.meets_first_contact:
        clocks.meet(case=referral.case, rule_key=RULE, subject=referral.clock_subject, at=ctx.at)
    elif move.to in (Status.DECLINED, Status.REVOKED):
        clocks.cancel(case=referral.case, rule_key=RULE, subject=referral.clock_subject)
    record(actor=ctx.actor, action=family(Family.REFERRAL_MOVE, move.to), obj=referral.case,
           details={"referral": referral.pk})


def M(to: Status, sources: frozenset[Status], by: str, title: Any, **extra: Any) -> Move:  # a row, named short
    return Move(name=to.value, title=title, from_states=frozenset(sources), to_states=frozenset({to}),
                step=apply_move, by=by, **extra)


MOVES_TABLE: tuple[Move, ...] = (
    M(Status.ACCEPTED, frozenset({Status.SENT}), PARTNER, gettext_lazy("Accept the referral")),
    M(Status.DECLINED, frozenset({Status.SENT}), PARTNER, gettext_lazy("Decline, with a reason"),
      reason_required=True),
    M(Status.IN_PROGRESS, frozenset({Status.SENT, Status.ACCEPTED}), PARTNER, gettext_lazy("First contact made"),
      meets_first_contact=True),
    M(Status.COMPLETED, frozenset({Status.IN_PROGRESS}), PARTNER, gettext_lazy("Service completed")),
    M(Status.REVOKED, OPEN, POLICE, gettext_lazy("Revoke the referral"), reason_required=True),
)


def _wrong_status(move: Move, status: str) -> Unmet:
    return Unmet("status", Status(status).label)


REFERRALS: Table[Move] = Table(MOVES_TABLE, status=lambda ctx: ctx.referral.status, wrong_status=_wrong_status)
MOVES: dict[str, Move] = REFERRALS.by_name


def refused_message(referral: Referral) -> str:
    return _("A referral that is “%(status)s” cannot move to that status.") % {"status": Status(referral.status).label}
