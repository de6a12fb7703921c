"""Suspects' statuses as a table on the transition engine (core.transitions): each move
names the statuses it starts from and the one it leads to, who takes it, its legal
reference and the custody clocks it stops and starts (deadlines/rules.py). Every status
change of a suspect goes through this table and writes its history row (SuspectEvent)
and its audit entry, including the ones the case workflow makes when it indicts
(``charge``) and records a judgment (``convict``, ``acquit``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.access.roles import Role
from lantern.audit.events import Family, family
from lantern.audit.services import record
from lantern.cases.models import Suspect, SuspectEvent
from lantern.cases.models import SuspectStatus as S
from lantern.cases.states import State
from lantern.core.transitions import Row, StepCtx, Table, Unmet
from lantern.deadlines import services as clocks

CPL = "《刑事诉讼法》(2018)"
POLICE = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD})
PROSECUTORS = frozenset({Role.PROSECUTOR})
ENDED_STATES = frozenset({State.NOT_FILED, State.REVOKED, State.CLOSED})


@dataclass(kw_only=True)
class MoveCtx(StepCtx):
    suspect: Suspect


def subject_of(suspect: Suspect) -> str:
    return f"S-{suspect.pk}"  # clocks name the suspect by id, never by name


@dataclass(frozen=True)
class Move(Row):
    stops: tuple[str, ...] = ()
    starts: str | None = None
    reason_required: bool = True
    # Not in a case the police decided not to file, revoked or closed. (Before filing it is
    # allowed: a flagrant offender is detained at once, CPL art. 82, and filed promptly.)
    needs_open_case: bool = False
    # Made by the case workflow (indictment, judgment), never offered as a move of its own.
    automatic: bool = False

    @property
    def target(self) -> str:
        return next(iter(self.to_states))


def apply_move(ctx: MoveCtx) -> None:
    """The step every move shares: its clocks, the status, the history row, the audit entry."""
    suspect, move = ctx.suspect, ctx.move
    before = suspect.status
    for key in move.stops:
        clocks.meet(case=suspect.case, rule_key=key, subject=subject_of(suspect), at=ctx.at)
    if move.starts:
        clocks.start(case=suspect.case, rule_key=move.starts, started_at=ctx.at, subject=subject_of(suspect))
    suspect.status = move.target
    suspect.save(update_fields=["status"])
    SuspectEvent.objects.create(suspect=suspect, from_status=before, to_status=move.target, at=ctx.at, by=ctx.actor,
                                reason=ctx.reason.strip())
    record(actor=ctx.actor, action=family(Family.SUSPECT_MOVE, move.name), obj=suspect.case,
           details={"suspect": suspect.pk, "from": before, "to": move.target})


def case_still_open(ctx: MoveCtx) -> Unmet | None:
    if ctx.suspect.case.state in ENDED_STATES:
        return Unmet("case_ended", _("No detention in a case that was not filed, was revoked or is closed."))
    return None


def case_not_merged(ctx: MoveCtx) -> Unmet | None:
    if ctx.suspect.case.merged_into_id is not None:
        return Unmet("merged", _("This report was merged into another case: record it on that case."))
    return None


def M(name: str, title: Any, sources: set[str], target: str, roles: frozenset[str], legal_reference: str = "",
      **extra: Any) -> Move:  # a table row, named short
    guards = (case_not_merged, case_still_open) if extra.get("needs_open_case") else (case_not_merged,)
    return Move(name=name, title=title, from_states=frozenset(sources), to_states=frozenset({target}),
                step=apply_move, roles=roles, guards=guards, legal_reference=legal_reference, **extra)


MOVES: tuple[Move, ...] = (
    M("identify", gettext_lazy("Identified"), {S.UNIDENTIFIED}, S.IDENTIFIED, POLICE, reason_required=False),
    M("abscond", gettext_lazy("At large"), {S.UNIDENTIFIED, S.IDENTIFIED, S.ON_BAIL}, S.AT_LARGE, POLICE,
      f"{CPL}第一百五十五条"),
    M("detain", gettext_lazy("Detain"), {S.IDENTIFIED, S.AT_LARGE}, S.DETAINED, POLICE, f"{CPL}第八十二条",
      starts="arrest_request", needs_open_case=True),
    M("request_arrest", gettext_lazy("Request arrest approval"), {S.DETAINED}, S.ARREST_REQUESTED, POLICE,
      f"{CPL}第八十七条、第九十一条", stops=("arrest_request",), starts="arrest_decision"),
    M("release_on_bail", gettext_lazy("Release on bail"), {S.DETAINED}, S.ON_BAIL, POLICE,
      f"{CPL}第六十七条、第九十一条", stops=("arrest_request",)),
    M("approve_arrest", gettext_lazy("Approve arrest"), {S.ARREST_REQUESTED}, S.ARRESTED, PROSECUTORS,
      f"{CPL}第九十一条", stops=("arrest_decision",), starts="investigation_custody"),
    M("refuse_arrest", gettext_lazy("Refuse arrest"), {S.ARREST_REQUESTED}, S.ON_BAIL, PROSECUTORS,
      f"{CPL}第九十一条", stops=("arrest_decision",)),
    # Made by the case workflow: the indictment charges the suspects in hand, the judgment
    # convicts or acquits each charged one.
    M("charge", gettext_lazy("Charged"), {S.ARRESTED, S.ON_BAIL, S.DETAINED}, S.CHARGED, PROSECUTORS,
      f"{CPL}第一百七十六条", reason_required=False, automatic=True),
    M("convict", gettext_lazy("Convicted"), {S.CHARGED}, S.CONVICTED, PROSECUTORS, f"{CPL}第二百条",
      reason_required=False, automatic=True),
    M("acquit", gettext_lazy("Acquitted"), {S.CHARGED}, S.ACQUITTED, PROSECUTORS, f"{CPL}第二百条",
      reason_required=False, automatic=True),
)


def _wrong_status(move: Move, status: str) -> Unmet:
    return Unmet("suspect_status", _("Not possible while the suspect is %(status)s.") % {"status": S(status).label})


SUSPECTS: Table[Move] = Table(MOVES, status=lambda ctx: ctx.suspect.status, wrong_status=_wrong_status)
BY_NAME: dict[str, Move] = SUSPECTS.by_name


def move_automatically(*, actor: Any, suspect: Suspect, name: str, at: dt.datetime, reason: str = "") -> None:
    """A move the case workflow makes inside its own step (indictment, judgment)."""
    move = BY_NAME[name]
    assert move.automatic, f"{name} is a user's move"
    SUSPECTS.perform(move, MoveCtx(actor=actor, suspect=suspect, at=at, reason=reason))
