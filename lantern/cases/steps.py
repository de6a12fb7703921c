"""What each workflow action changes. Called only by workflow.perform, inside its
transaction, after the guards passed; state changes go through ``move`` alone."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.cases import events, suspect_moves, team
from lantern.cases.guards import Ctx, Unmet, needed_level
from lantern.cases.models import (
    Approval,
    Assignment,
    ChecklistItem,
    Decision,
    DecisionKind,
    DecisionStatus,
    ItemStatus,
    Judgment,
    NoticeDelivery,
    Proceeding,
    ProceedingKind,
    ProceedingStatus,
)
from lantern.cases.states import CONCLUDED_STATES, State, Trigger
from lantern.core.errors import Conflict, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.deadlines.arithmetic import Period, Unit
from lantern.deadlines.rules import FILING_REVIEW_RULES, rule

# Every state change the filing workflow may make (DOMAIN.md, "A case's life").
ALLOWED_MOVES: frozenset[tuple[State, State]] = frozenset({
    (State.RECEIVED, State.UNDER_REVIEW),
    (State.UNDER_REVIEW, State.FILED),
    (State.UNDER_REVIEW, State.NOT_FILED),
    (State.NOT_FILED, State.FILED),
    # From filing to judgment (issue 5).
    (State.FILED, State.INVESTIGATING),
    (State.INVESTIGATING, State.SUSPENDED),
    (State.SUSPENDED, State.INVESTIGATING),
    (State.FILED, State.REVOKED),
    (State.INVESTIGATING, State.REVOKED),
    (State.SUSPENDED, State.REVOKED),
    (State.INVESTIGATING, State.SENT_FOR_PROSECUTION),
    (State.SENT_FOR_PROSECUTION, State.PROSECUTED),
    (State.SENT_FOR_PROSECUTION, State.NOT_PROSECUTED),
    (State.PROSECUTED, State.JUDGED),
    (State.NOT_PROSECUTED, State.PROSECUTED),  # the victim's appeal upheld (CPL art. 180)
    (State.JUDGED, State.CLOSED),
    (State.NOT_PROSECUTED, State.CLOSED),
    (State.REVOKED, State.CLOSED),
})


def move(ctx: Ctx, to: State) -> None:
    if (State(ctx.case.state), to) not in ALLOWED_MOVES:
        raise AssertionError(f"{ctx.case.state} -> {to} is not in the workflow table")
    before, ctx.case.state = ctx.case.state, to
    ctx.case.save(update_fields=["state", "reopen_trigger"])
    if to in CONCLUDED_STATES:
        _stop_investigation_clocks(ctx)
    events.announce_move(ctx.case, before, to)


def _stop_investigation_clocks(ctx: Ctx) -> None:
    """A concluded case (sent on, revoked, closed) is neither chased by the procuratorate
    nor reviewed as a cold case: those clocks stop with it, whichever row concluded it."""
    clocks.meet(case=ctx.case, rule_key="supervision_chase", at=ctx.now)
    clocks.cancel_open(case=ctx.case, rule_keys=["cold_case_review"])


def assign(ctx: Ctx) -> None:
    """Only the handling unit's active investigators (team.eligible_investigators): anyone
    else named is refused by username (422), and nobody is assigned."""
    names = list(dict.fromkeys(str(n).strip() for n in ctx.payload.get("assignees") or [] if str(n).strip()))
    found = {u.username: u for u in team.eligible_investigators(ctx.case) if u.username in names}
    unknown = [n for n in names if n not in found]
    if not names or unknown:
        message = _("Choose investigators of the handling unit to assign: %(names)s cannot be put on this case.") \
            % {"names": ", ".join(unknown) or "-"}
        raise ValidationFailed(message, details={"assignees": [message], "not_eligible": unknown})
    for user in found.values():
        Assignment.objects.get_or_create(case=ctx.case, user=user, active=True,
                                         defaults={"assigned_by": ctx.actor, "assigned_at": ctx.now})
    first = next(iter(found.values()))
    ChecklistItem.objects.filter(case=ctx.case, responsible__isnull=True).update(responsible=first)


def remove_from_team(ctx: Ctx) -> None:
    """Take one investigator off the team: their assignment ends (they lose the access it
    gave), the row stays as the team's history, and their open checklist items pass to
    someone still on the team."""
    username = ctx.text("username")
    assignment = Assignment.objects.filter(case=ctx.case, user__username=username, active=True).first()
    if assignment is None:
        raise Conflict(unmet=[Unmet("username", _("%(name)s is not on the team of this case.")
                                    % {"name": username or "-"}).as_dict()])
    assignment.active, assignment.ended_at, assignment.ended_by = False, ctx.now, ctx.actor
    assignment.end_reason = ctx.text("reason")
    assignment.save(update_fields=["active", "ended_at", "ended_by", "end_reason"])
    still = Assignment.objects.filter(case=ctx.case, active=True).order_by("assigned_at").first()
    ChecklistItem.objects.filter(case=ctx.case, responsible=assignment.user).exclude(status=ItemStatus.DONE).update(
        responsible=still.user if still else None)


def begin_review(ctx: Ctx) -> None:
    move(ctx, State.UNDER_REVIEW)


def _propose(ctx: Ctx, kind: str) -> None:
    minor_non_filing = kind == DecisionKind.NOT_FILE and ctx.case.is_minor
    Decision.objects.create(case=ctx.case, kind=kind, reason=ctx.text("reason"), trigger=ctx.text("trigger"),
                            approvals_needed=2 if minor_non_filing else 1, proposed_by=ctx.actor,
                            proposed_at=ctx.now)


def propose_filing(ctx: Ctx) -> None:
    _propose(ctx, DecisionKind.FILE)


def propose_non_filing(ctx: Ctx) -> None:
    _propose(ctx, DecisionKind.NOT_FILE)


def approve_decision(ctx: Ctx) -> None:
    decision = ctx.pending
    Approval.objects.create(decision=decision, approver=ctx.actor, level=needed_level(decision), approved=True,
                            reason=ctx.text("reason"), at=ctx.now)
    if decision.approvals.filter(approved=True).count() < decision.approvals_needed:
        return
    decision.status, decision.decided_at = DecisionStatus.APPROVED, ctx.now
    decision.save(update_fields=["status", "decided_at"])
    if decision.kind == DecisionKind.FILE:
        file_case(ctx, decision.trigger)
    else:
        not_file(ctx)


def file_case(ctx: Ctx, trigger: str) -> None:
    reopening = ctx.case.state == State.NOT_FILED
    if reopening:
        ctx.case.reopen_trigger = trigger
        for proceeding in ctx.case.proceedings.exclude(status__in=[ProceedingStatus.UPHELD,
                                                                    ProceedingStatus.OVERTURNED]):
            proceeding.status, proceeding.closed_at = ProceedingStatus.OVERTURNED, ctx.now
            proceeding.save(update_fields=["status", "closed_at"])
    meet_filing_review(ctx)
    if clocks.meet(case=ctx.case, rule_key="supervision_filing", at=ctx.now):
        clocks.start(case=ctx.case, rule_key="supervision_chase", started_at=ctx.now)
    clocks.cancel_open(case=ctx.case, rule_keys=["non_filing_notice", "reconsideration_application",
                                                 "review_application", "supervision_explanation"])
    move(ctx, State.FILED)


def meet_filing_review(ctx: Ctx) -> None:
    for key in FILING_REVIEW_RULES:  # the ordinary or the minors' clock, whichever runs
        clocks.meet(case=ctx.case, rule_key=key, at=ctx.now)


def not_file(ctx: Ctx) -> None:
    meet_filing_review(ctx)
    clocks.start(case=ctx.case, rule_key="non_filing_notice", started_at=ctx.now)
    move(ctx, State.NOT_FILED)
    if ctx.case.is_minor:  # every non-filing for a minor goes to the procuratorate by itself
        Proceeding.objects.create(case=ctx.case, kind=ProceedingKind.SUPERVISION, opened_at=ctx.now,
                                  automatic=True)


def return_decision(ctx: Ctx) -> None:
    decision = ctx.pending
    Approval.objects.create(decision=decision, approver=ctx.actor, level=needed_level(decision), approved=False,
                            reason=ctx.text("reason"), at=ctx.now)
    decision.status, decision.decided_at = DecisionStatus.RETURNED, ctx.now
    decision.save(update_fields=["status", "decided_at"])


def record_notice_delivery(ctx: Ctx) -> None:
    NoticeDelivery.objects.create(case=ctx.case, delivered_at=ctx.now, recorded_by=ctx.actor,
                                  method=ctx.text("method")[:40] or "in_person")
    clocks.meet(case=ctx.case, rule_key="non_filing_notice", at=ctx.now)
    clocks.start(case=ctx.case, rule_key="reconsideration_application", started_at=ctx.now)


def _open(ctx: Ctx, kind: str, application_rule: str, decision_rule: str) -> None:
    Proceeding.objects.create(case=ctx.case, kind=kind, opened_at=ctx.now, opened_by=ctx.actor,
                              grounds=ctx.text("grounds"))
    clocks.meet(case=ctx.case, rule_key=application_rule, at=ctx.now)
    clocks.start(case=ctx.case, rule_key=decision_rule, started_at=ctx.now)


def apply_reconsideration(ctx: Ctx) -> None:
    _open(ctx, ProceedingKind.RECONSIDERATION, "reconsideration_application", "reconsideration_decision")


def apply_review(ctx: Ctx) -> None:
    _open(ctx, ProceedingKind.REVIEW, "review_application", "review_decision")


def _decide(ctx: Ctx, kind: str, decision_rule: str, trigger: str, next_rule: str | None) -> None:
    proceeding = ctx.proceeding(kind, ProceedingStatus.OPEN)
    upheld = ctx.text("outcome") == "upheld"
    proceeding.status = ProceedingStatus.UPHELD if upheld else ProceedingStatus.OVERTURNED
    proceeding.outcome_reason, proceeding.closed_at = ctx.text("reason"), ctx.now
    proceeding.save(update_fields=["status", "outcome_reason", "closed_at"])
    clocks.meet(case=ctx.case, rule_key=decision_rule, at=ctx.now)
    if not upheld:
        file_case(ctx, trigger)
    elif next_rule:
        clocks.start(case=ctx.case, rule_key=next_rule, started_at=ctx.now)


def decide_reconsideration(ctx: Ctx) -> None:
    _decide(ctx, ProceedingKind.RECONSIDERATION, "reconsideration_decision", Trigger.RECONSIDERATION,
            "review_application")


def decide_review(ctx: Ctx) -> None:
    _decide(ctx, ProceedingKind.REVIEW, "review_decision", Trigger.REVIEW, None)


def complain_to_procuratorate(ctx: Ctx) -> None:
    Proceeding.objects.create(case=ctx.case, kind=ProceedingKind.SUPERVISION, opened_at=ctx.now,
                              opened_by=ctx.actor)


def _supervision(ctx: Ctx, status: str) -> Proceeding:
    proceeding = ctx.proceeding(ProceedingKind.SUPERVISION)
    proceeding.status = status
    if status == ProceedingStatus.EXPLANATION_SUBMITTED:
        proceeding.explanation = ctx.text("reason")
    if status == ProceedingStatus.UPHELD:
        proceeding.outcome_reason, proceeding.closed_at = ctx.text("reason"), ctx.now
    proceeding.save()
    return proceeding


def request_explanation(ctx: Ctx) -> None:
    _supervision(ctx, ProceedingStatus.EXPLANATION_REQUESTED)
    clocks.start(case=ctx.case, rule_key="supervision_explanation", started_at=ctx.now)


def submit_explanation(ctx: Ctx) -> None:
    _supervision(ctx, ProceedingStatus.EXPLANATION_SUBMITTED)
    clocks.meet(case=ctx.case, rule_key="supervision_explanation", at=ctx.now)


def notify_to_file(ctx: Ctx) -> None:
    _supervision(ctx, ProceedingStatus.NOTICE_TO_FILE)
    clocks.start(case=ctx.case, rule_key="supervision_filing", started_at=ctx.now)


def uphold_non_filing(ctx: Ctx) -> None:
    _supervision(ctx, ProceedingStatus.UPHELD)
    clocks.start(case=ctx.case, rule_key="supervision_reply", started_at=ctx.now)


def record_chasing_letter(ctx: Ctx) -> None:
    """The letter chasing a filed case not concluded in three months: recorded on the
    supervision that led to the filing, and the chase clock stops (it ran out unmet)."""
    proceeding = ctx.proceeding(ProceedingKind.SUPERVISION)
    if proceeding is not None:
        proceeding.chased_at, proceeding.chase_letter = ctx.now, ctx.text("reason")
        proceeding.save(update_fields=["chased_at", "chase_letter"])
    clocks.meet(case=ctx.case, rule_key="supervision_chase", at=ctx.now)


def record_supervision_reply(ctx: Ctx) -> None:
    clocks.meet(case=ctx.case, rule_key="supervision_reply", at=ctx.now)


def extend_decision_period(ctx: Ctx) -> None:
    for key in ("reconsideration_decision", "review_decision"):
        if clock := clocks.open_clock(ctx.case, key):
            clocks.extend(clock=clock, period=rule(key).extended_period)
            return


def extend_review_period(ctx: Ctx) -> None:
    clock = next((c for key in FILING_REVIEW_RULES if (c := clocks.open_clock(ctx.case, key))), None)
    clocks.extend(clock=clock, period=Period(int(ctx.payload["days"]), Unit.DAYS))


# --- From filing to judgment (issue 5) ---------------------------------------------------------


def begin_investigation(ctx: Ctx) -> None:
    move(ctx, State.INVESTIGATING)


def suspend_investigation(ctx: Ctx) -> None:
    # A suspended case is not a forgotten one: the cold-case review clock starts now.
    clocks.start(case=ctx.case, rule_key="cold_case_review", started_at=ctx.now)
    move(ctx, State.SUSPENDED)


def resume_investigation(ctx: Ctx) -> None:
    clocks.cancel_open(case=ctx.case, rule_keys=["cold_case_review"])
    move(ctx, State.INVESTIGATING)


def revoke_case(ctx: Ctx) -> None:
    move(ctx, State.REVOKED)


def send_for_prosecution(ctx: Ctx) -> None:
    move(ctx, State.SENT_FOR_PROSECUTION)


def _prosecuting_unit(ctx: Ctx) -> None:
    ctx.case.prosecuting_unit = ctx.actor.unit.command_unit() if ctx.actor.unit else None
    ctx.case.save(update_fields=["prosecuting_unit"])


def prosecute(ctx: Ctx) -> None:
    _prosecuting_unit(ctx)
    _indict(ctx)


def _indict(ctx: Ctx) -> None:
    """The indictment charges every suspect in hand (their own table's ``charge`` row)."""
    charge = suspect_moves.BY_NAME["charge"]
    for suspect in ctx.case.suspects.filter(status__in=charge.from_states):
        suspect_moves.move_automatically(actor=ctx.actor, suspect=suspect, name="charge", at=ctx.now)
    move(ctx, State.PROSECUTED)


def apply_prosecution_appeal(ctx: Ctx) -> None:
    Proceeding.objects.create(case=ctx.case, kind=ProceedingKind.PROSECUTION_APPEAL, opened_at=ctx.now,
                              opened_by=ctx.actor)
    clocks.meet(case=ctx.case, rule_key="non_prosecution_appeal", at=ctx.now)


def decide_prosecution_appeal(ctx: Ctx) -> None:
    """Upheld: the decision not to prosecute stands. Overturned: the procuratorate prosecutes."""
    proceeding = ctx.proceeding(ProceedingKind.PROSECUTION_APPEAL, ProceedingStatus.OPEN)
    upheld = ctx.text("outcome") == "upheld"
    proceeding.status = ProceedingStatus.UPHELD if upheld else ProceedingStatus.OVERTURNED
    proceeding.outcome_reason, proceeding.closed_at = ctx.text("reason"), ctx.now
    proceeding.save(update_fields=["status", "outcome_reason", "closed_at"])
    if not upheld:
        _indict(ctx)  # the decision not to prosecute gives way to an indictment


def decline_prosecution(ctx: Ctx) -> None:
    # The victim has 7 days to appeal to the procuratorate one level up (CPL art. 180).
    _prosecuting_unit(ctx)
    clocks.start(case=ctx.case, rule_key="non_prosecution_appeal", started_at=ctx.now)
    move(ctx, State.NOT_PROSECUTED)


def record_judgment(ctx: Ctx) -> None:
    """Per charged suspect: the verdict, charges and sentence (or the common outcome)."""
    given = {int(v["suspect_id"]): v for v in ctx.payload.get("verdicts") or []}
    convicted, sentences = [], {}
    for suspect in ctx.case.suspects.filter(status="charged"):
        v = given.get(suspect.pk, {"verdict": ctx.text("outcome")})
        Judgment.objects.create(case=ctx.case, suspect=suspect, verdict=v["verdict"], charges=v.get("charges", ""),
                                sentence=v.get("sentence", ""), reference=ctx.text("reason"), recorded_by=ctx.actor,
                                recorded_at=ctx.now)
        suspect_moves.move_automatically(actor=ctx.actor, suspect=suspect, at=ctx.now,
                                         name="convict" if v["verdict"] == "convicted" else "acquit")
        if v["verdict"] == "convicted":
            convicted.append(suspect)
            sentences[suspect.pk] = _months(v.get("sentence_months"))
    # Every Lantern case is a sexual offence: each conviction feeds the registry.
    events.announce_convictions(case=ctx.case, suspects=convicted, at=ctx.now, judgment=ctx.text("reason"),
                                court=ctx.text("court"), sentences=sentences)
    move(ctx, State.JUDGED)


def _months(given: Any) -> int | None:
    """Months of fixed-term imprisonment, when the verdict gave a number."""
    try:
        months = int(given)
    except (TypeError, ValueError):
        return None
    return months if months >= 0 else None


def close_case(ctx: Ctx) -> None:
    move(ctx, State.CLOSED)
