"""Who is told what, when a case moves: the notifications that drive the daily work
(issue 13), subscribed to the workflow's ``events.action_taken`` from CasesConfig.ready.
Each tells the case number and what happened, with a link: never a name, a phone, a
reason or the account of the offence (a reason may name the victim by slip)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Verb, can
from lantern.access.roles import Role
from lantern.cases.guards import Ctx, needed_level
from lantern.cases.models import Assignment, Case, Decision, DecisionKind, DecisionStatus, ProceedingKind
from lantern.cases.states import State
from lantern.deadlines.escalation import in_unit, liaison, team
from lantern.notifications.services import notify

PROPOSAL = {DecisionKind.FILE: _("to file the case"), DecisionKind.NOT_FILE: _("not to file the case")}
OUTCOME = {DecisionStatus.APPROVED: _("approved"), DecisionStatus.RETURNED: _("returned")}


def _tell(users: Iterable[Any], kind: str, case: Case, actor: Any = None, **params: Any) -> None:
    """Nobody is told of what they did themselves."""
    notify(recipients=[u for u in users if actor is None or u.pk != actor.pk], kind=kind, case=case, params=params)


def new_team_members(ctx: Ctx) -> None:
    """Whoever the action put on the team (assigning, and any later action that does)."""
    joined = Assignment.objects.filter(case=ctx.case, active=True, assigned_at=ctx.now).select_related("user")
    _tell([a.user for a in joined], "assigned", ctx.case, ctx.actor)


def approvers(case: Case, decision: Decision) -> list[Any]:
    """Whose approval a pending proposal awaits: at the first level the unit's supervisors
    (its heads when it has none), at the second the unit heads (a minor's non-filing,
    guards.right_approval_level); never the proposer or an earlier approver."""
    level = needed_level(decision)
    done = set(decision.approvals.values_list("approver_id", flat=True)) | {decision.proposed_by_id}
    if level == 1:
        found = [u for u in in_unit(case, Role.SUPERVISOR) if u.pk not in done]
        if found:
            return found
    return [u for u in in_unit(case, Role.UNIT_HEAD) if u.pk not in done]


def approval_awaited(ctx: Ctx) -> None:
    pending = ctx.case.decisions.filter(status=DecisionStatus.PENDING).first()
    if pending is None:
        return
    _tell(approvers(ctx.case, pending), "approval_awaited", ctx.case, ctx.actor,
          proposal=PROPOSAL[DecisionKind(pending.kind)], level=needed_level(pending))


def decision_made(ctx: Ctx) -> None:
    """The proposer of a proposal this action approved (at its last level) or returned."""
    for decision in ctx.case.decisions.filter(decided_at=ctx.now).select_related("proposed_by"):
        _tell([decision.proposed_by], "decision_made", ctx.case, ctx.actor,
              proposal=PROPOSAL[DecisionKind(decision.kind)], outcome=OUTCOME[DecisionStatus(decision.status)])


def non_filing_in_jurisdiction(ctx: Ctx) -> None:
    """A non-filing reaches the procuratorate when its supervision opens: by itself for a
    minor (steps.not_file), on a complaint for an adult. Told: the prosecutors whose
    office covers it and who may now see the case."""
    if ctx.case.state != State.NOT_FILED:
        return
    if not ctx.case.proceedings.filter(kind=ProceedingKind.SUPERVISION, opened_at=ctx.now).exists():
        return
    _tell([p for p in liaison(ctx.case) if can(p, Verb.VIEW, ctx.case)], "non_filing_in_jurisdiction", ctx.case)


def explanation_requested(ctx: Ctx) -> None:
    """The procuratorate asked why the case was not filed: the team and the unit's supervisors answer."""
    _tell(team(ctx.case) + in_unit(ctx.case, Role.SUPERVISOR), "explanation_requested", ctx.case, ctx.actor)


# Which workflow actions tell whom (the rows of workflow.TABLE by name).
AFTER: dict[str, tuple[Callable[[Ctx], None], ...]] = {
    "assign": (new_team_members,),
    "propose_filing": (approval_awaited,),
    "propose_non_filing": (approval_awaited,),
    "approve_decision": (approval_awaited, decision_made, non_filing_in_jurisdiction),
    "return_decision": (decision_made,),
    "complain_to_procuratorate": (non_filing_in_jurisdiction,),
    "request_explanation": (explanation_requested,),
}


def on_action(*, name: str, ctx: Ctx) -> None:
    for tell in AFTER.get(name, ()):
        tell(ctx)


def minor_case_registered(case: Case) -> None:
    """A minor's case registered (intake.services.register_report): the unit heads, who
    answer for the minors' shorter time limits."""
    if case.is_minor and case.merged_into_id is None:
        _tell(in_unit(case, Role.UNIT_HEAD), "minor_case", case)
