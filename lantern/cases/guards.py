"""Guards: each answers "is this condition met?" and, when it is not, says which in the
user's language. The workflow table (workflow.py) lists the guards of every action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, require
from lantern.access.roles import Role
from lantern.accounts.models import Unit
from lantern.accounts.models.units import Branch, Level
from lantern.cases import gate, items
from lantern.cases.models import (
    Case,
    Decision,
    DecisionKind,
    DecisionStatus,
    ItemObjection,
    Proceeding,
    ProceedingKind,
)
from lantern.cases.states import Indicator, Trigger
from lantern.core.errors import Conflict, PermissionDenied
from lantern.core.transitions import Unmet
from lantern.deadlines.services import open_clock


@dataclass
class Ctx:
    case: Case
    actor: Any
    payload: dict[str, Any] = field(default_factory=dict)
    now: dt.datetime = field(default_factory=timezone.now)
    audit: dict[str, Any] = field(default_factory=dict)  # codes and ids a step adds to its audit entry

    @property
    def pending(self) -> Decision | None:
        if not hasattr(self, "_pending"):
            self._pending = self.case.pending_decision()
        return self._pending

    def proceeding(self, kind: str, *statuses: str) -> Proceeding | None:
        qs = self.case.proceedings.filter(kind=kind)
        return (qs.filter(status__in=statuses) if statuses else qs).order_by("-opened_at").first()

    def text(self, key: str) -> str:
        return str(self.payload.get(key) or "").strip()


Guard = Callable[[Ctx], Unmet | None]


def reason_given(ctx: Ctx) -> Unmet | None:
    if not ctx.text("reason"):
        return Unmet("reason_required", _("A written reason is required."))
    return None


def on_team_or_supervisor(ctx: Ctx) -> Unmet | None:
    # A supervisor of the case's unit or above it: not one who sees it for another reason
    # (a transfer awaiting their unit's acceptance, break-glass).
    if has_capability(ctx.actor, Capability.DECIDE_FOR_UNIT) and _commands(ctx.actor, ctx.case):
        return None
    if any(a.active and a.user_id == ctx.actor.pk for a in ctx.case.assignments_in_order()):
        return None
    return Unmet("not_on_team", _("Only the case team or a supervisor may do this."))


def _commands(actor: Any, case: Case) -> bool:
    return actor.unit is not None and case.unit.is_within(actor.unit.command_unit())


def someone_on_the_team(ctx: Ctx) -> Unmet | None:
    if not any(a.active for a in ctx.case.assignments_in_order()):
        return Unmet("team_empty", _("Nobody is on the team."))
    return None


def require_case_work(actor: Any, case: Case) -> None:
    """For actions outside the workflow table (evidence, interviews, clocks, reviews):
    404 outside the case, 403 unless on the case team or a supervisor, 409 on a merged
    report (the work is recorded on the case it was merged into)."""
    require(actor, Verb.VIEW, case)
    if unmet := on_team_or_supervisor(Ctx(case=case, actor=actor)):
        raise PermissionDenied(unmet.message)
    if case.merged_into_id is not None:
        raise Conflict(_("This report was merged into case %(number)s: record it on that case.")
                       % {"number": case.merged_into.case_number})


def no_pending_decision(ctx: Ctx) -> Unmet | None:
    if ctx.pending is not None:
        return Unmet("decision_pending", _("A proposal is already awaiting approval."))
    return None


def pending_decision(ctx: Ctx) -> Unmet | None:
    if ctx.pending is None:
        return Unmet("no_pending_decision", _("There is no proposal awaiting approval."))
    return None


def checklist_complete(ctx: Ctx) -> Unmet | None:
    """Open as the evidence gate sees it: a click without record or note, an impossible
    item, or one waiting for a laboratory result does not count as done."""
    still_open = gate.open_items(ctx.case)
    if not still_open:
        return None
    titles = "、".join(items.title(item) for item in still_open)
    return Unmet("checklist_open", _("Evidence checklist items are still open: %(items)s. Complete them, or a "
                                     "supervisor records for each why it cannot apply.") % {"items": titles})


def objections_answered_for_non_filing(ctx: Ctx) -> Unmet | None:
    """A prosecutor's "not satisfied" holds a non-filing until the police work the item again."""
    if ctx.pending is None or ctx.pending.kind != DecisionKind.NOT_FILE:
        return None
    objected = [o.item for o in ItemObjection.objects.filter(item__case=ctx.case, answered_at__isnull=True)
                .select_related("item__template_item")]
    if not objected:
        return None
    return Unmet("prosecutor_objection", _("The procuratorate found these items not satisfied: %(items)s. Work "
                                           "them again before the non-filing is approved.")
                 % {"items": "、".join(items.title(i) for i in objected)})


def checklist_complete_for_non_filing(ctx: Ctx) -> Unmet | None:
    """The evidence gate holds at approval too: an item reopened after the proposal blocks it."""
    if ctx.pending is not None and ctx.pending.kind == DecisionKind.NOT_FILE:
        return checklist_complete(ctx)
    return None


def _indicators(case: Case) -> str:
    return "、".join(str(Indicator(i).label) for i in case.indicators if i in Indicator.values) or "—"


def not_mandatory_filing(ctx: Ctx) -> Unmet | None:
    if ctx.case.has_flag("mandatory_filing"):
        return Unmet("mandatory_filing", _("A mandatory-filing indicator was observed (%(indicators)s): this case "
                                           "must be filed.") % {"indicators": _indicators(ctx.case)})
    return None


def no_mandatory_filing_for_non_filing(ctx: Ctx) -> Unmet | None:
    """An indicator recorded while a proposal not to file awaits approval (a pregnancy found
    at the medical examination) refuses it: the case must be filed directly (2023 opinion art. 5)."""
    if ctx.pending is not None and ctx.pending.kind == DecisionKind.NOT_FILE and ctx.case.has_flag("mandatory_filing"):
        return Unmet("mandatory_filing", _("A mandatory-filing indicator was observed (%(indicators)s): the case "
                                           "must be filed, and the proposal not to file cannot be approved. "
                                           "Return it.") % {"indicators": _indicators(ctx.case)})
    return None


def not_the_proposer(ctx: Ctx) -> Unmet | None:
    if ctx.pending is not None and ctx.pending.proposed_by_id == ctx.actor.pk:
        return Unmet("same_person", _("The person who proposed a decision cannot approve it."))
    return None


def not_already_approved(ctx: Ctx) -> Unmet | None:
    if ctx.pending is not None and ctx.pending.approvals.filter(approver=ctx.actor).exists():
        return Unmet("already_approved", _("You have already voted on this proposal; another person must decide."))
    return None


def needed_level(decision: Decision) -> int:
    return decision.approvals.filter(approved=True).count() + 1


def right_approval_level(ctx: Ctx) -> Unmet | None:
    if ctx.pending is None:
        return None
    if needed_level(ctx.pending) >= 2 and not ctx.actor.has_role(Role.UNIT_HEAD):
        return Unmet("second_level", _("A minor's non-filing needs a second approval by the unit head "
                                       "at the level above the supervisor."))
    return None


def trigger_for_reopening(ctx: Ctx) -> Unmet | None:
    if ctx.case.state == "NOT_FILED" and ctx.text("trigger") not in Trigger.values:
        return Unmet("trigger_required", _("Say what made the case move again (trigger): %(choices)s.")
                     % {"choices": ", ".join(Trigger.values)})
    return None


def notice_not_yet_delivered(ctx: Ctx) -> Unmet | None:
    if ctx.case.notices.exists():
        return Unmet("notice_delivered", _("The non-filing notice has already been delivered."))
    return None


def window_open(rule_key: str, missing: str) -> Guard:
    def guard(ctx: Ctx) -> Unmet | None:
        clock = open_clock(ctx.case, rule_key)
        if clock is None:
            return Unmet("no_window", missing)
        if ctx.now > clock.due_at:
            return Unmet("window_closed", _("The time allowed ran out on %(due)s.")
                         % {"due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d")})
        return None

    return guard


def proceeding_in(kind: str, *statuses: str, missing: str) -> Guard:
    def guard(ctx: Ctx) -> Unmet | None:
        return None if ctx.proceeding(kind, *statuses) else Unmet("no_proceeding", missing)

    return guard


def no_open_proceeding(kind: str, message: str) -> Guard:
    def guard(ctx: Ctx) -> Unmet | None:
        done = ["upheld", "overturned"]
        return Unmet("proceeding_open", message) if ctx.case.proceedings.filter(kind=kind).exclude(
            status__in=done).exists() else None

    return guard


def outcome_given(ctx: Ctx) -> Unmet | None:
    if ctx.text("outcome") not in {"upheld", "overturned"}:
        return Unmet("outcome_required", _("State the outcome: upheld or overturned."))
    return None


def took_no_part_in_the_decision(ctx: Ctx) -> Unmet | None:
    last = ctx.case.decisions.filter(kind=DecisionKind.NOT_FILE, status=DecisionStatus.APPROVED).last()
    if last and (last.proposed_by_id == ctx.actor.pk or last.approvals.filter(approver=ctx.actor).exists()):
        return Unmet("took_part", _("Someone who took part in the non-filing decision cannot decide on it again."))
    return None


def higher_level(ctx: Ctx) -> Unmet | None:
    unit = ctx.actor.unit.command_unit() if ctx.actor.unit else None
    if unit is None or unit.pk == ctx.case.unit_id or not ctx.case.unit.is_within(unit):
        return Unmet("not_higher_level", _("A review is decided by the police organ one level up."))
    return None


def procuratorate_one_level_up(ctx: Ctx) -> Unmet | None:
    """The victim's appeal against a decision not to prosecute is decided by the
    procuratorate one level above the one that decided (CPL art. 180), never by it."""
    unit = ctx.actor.unit.command_unit() if ctx.actor.unit else None
    above = _procuratorate_above(ctx.case)
    if unit is None or above is None or unit.pk != above.pk:
        return Unmet("not_next_procuratorate_up", _("The appeal is decided by the procuratorate one level above "
                                                    "the one that decided not to prosecute."))
    return None


def _procuratorate_above(case: Case) -> Unit | None:
    # A decision recorded before the deciding procuratorate was: the county's, where the case is.
    below = case.prosecuting_unit or Unit.objects.filter(
        branch=Branch.PROCURATORATE, level=Level.COUNTY, division_code=case.unit.division_code).first()
    return below.command_unit().parent if below is not None else None


def chase_due(ctx: Ctx) -> Unmet | None:
    """Three months after a case filed on the procuratorate's notice, it is still not
    concluded: the procuratorate may chase it by letter (SPP Rules 2019 art. 564)."""
    clock = open_clock(ctx.case, "supervision_chase")
    if clock is None:
        return Unmet("no_chase_clock", _("This case was not filed on the procuratorate's notice, or it was "
                                         "already chased."))
    if ctx.now < clock.due_at:
        return Unmet("chase_not_due", _("The police have until %(due)s to conclude the case.")
                     % {"due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d")})
    return None


def not_a_minor_case_for_complaint(ctx: Ctx) -> Unmet | None:
    if ctx.proceeding(ProceedingKind.SUPERVISION):
        return Unmet("already_supervised", _("The procuratorate already supervises this decision."))
    return None


def decision_clock_extendable(ctx: Ctx) -> Unmet | None:
    clock = next((c for c in (open_clock(ctx.case, "reconsideration_decision"),
                              open_clock(ctx.case, "review_decision")) if c is not None), None)
    if clock is None:
        return Unmet("no_decision_clock", _("No reconsideration or review is awaiting a decision."))
    if clock.extended:
        return Unmet("already_extended", _("This period was already extended; it may be extended once."))
    return None


def extension_allowed(ctx: Ctx) -> Unmet | None:
    days = ctx.payload.get("days")
    if days not in (7, 30):
        return Unmet("days", _("Extend to 7 days (clues to verify) or 30 days (major, complex case)."))
    if ctx.case.is_minor and days > 7:
        return Unmet("minor_cap", _("For a minor victim the review may last 7 days at most."))
    if days == 30 and not ctx.actor.has_role(Role.UNIT_HEAD):
        return Unmet("needs_head", _("30 days needs the approval of the county-level head."))
    return None


# --- From filing to judgment (issue 5) ---------------------------------------------------------


def _suspects(ctx: Ctx) -> list[str]:
    # Read once per page view (core.memo): the case page asks two of these guards.
    return [s.status for s in ctx.case.suspects_in_order()]


def all_suspects_at_large(ctx: Ctx) -> Unmet | None:
    statuses = _suspects(ctx)
    if not statuses or any(s != "at_large" for s in statuses):
        return Unmet("suspects_not_all_at_large", _("An investigation is suspended only while every suspect "
                                                    "is at large."))
    return None


def a_suspect_in_hand(ctx: Ctx) -> Unmet | None:
    if not set(_suspects(ctx)) & {"detained", "arrest_requested", "arrested", "on_bail"}:
        return Unmet("no_suspect_in_hand", _("No suspect is detained, arrested or on bail."))
    return None


def verdict_given(ctx: Ctx) -> Unmet | None:
    """Every charged suspect gets a verdict: their own in ``verdicts``, or ``outcome``."""
    charged = set(ctx.case.suspects.filter(status="charged").values_list("pk", flat=True))
    given = {}
    for v in ctx.payload.get("verdicts") or []:
        given[int(v.get("suspect_id", 0))] = v.get("verdict")
    if set(given) - charged or set(given.values()) - {"convicted", "acquitted"}:
        return Unmet("outcome_required", _("Verdicts are for the charged suspects of this case: convicted or "
                                           "acquitted."))
    if charged - set(given) and ctx.text("outcome") not in {"convicted", "acquitted"}:
        return Unmet("outcome_required", _("State the verdict: convicted or acquitted."))
    return None


def appeal_window_closed(ctx: Ctx) -> Unmet | None:
    if ctx.case.deadlines.filter(rule="non_prosecution_appeal", status__in=["open", "overdue"],
                                 due_at__gt=ctx.now).exists():
        return Unmet("appeal_window_open", _("The victim may still appeal the decision not to prosecute."))
    return None
