"""The filing workflow as one declared table (DOMAIN.md, "A case's life"; API.md,
"Actions"). Each action: the states it starts from, the states it may lead to, the roles
that may take it, its guards and its legal reference. ``perform`` is the one way to take
an action; ``available`` tells a user what they can do now and, if not, why not.

Later issues (investigation to judgment) add their rows to the same table.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import CAPABILITIES, Capability, Verb, require
from lantern.access.roles import Role
from lantern.audit.events import Family, family
from lantern.audit.services import record
from lantern.cases import events, steps
from lantern.cases import guards as g
from lantern.cases import transfers as tr
from lantern.cases.access import basis
from lantern.cases.models import Case, ProceedingKind, ProceedingStatus
from lantern.cases.states import OPEN_STATES, State
from lantern.core.actions import action
from lantern.core.errors import Conflict, NotFound, PermissionDenied
from lantern.core.transitions import Row, Table, Unmet
from lantern.deadlines.rules import FILING_REFORM, MINORS_2023, MPS, POLICY, SPP_RULES

S = State
POLICE_DECIDERS = CAPABILITIES[Capability.DECIDE_FOR_UNIT]
CPL = "《刑事诉讼法》(2018)"
SPP_RULES_2019_ART_564 = "《人民检察院刑事诉讼规则》(2019)第五百六十四条第三款"


Transition = Row  # a row of the workflow table (core.transitions)


def T(name, step, title, from_states, to_states, roles, guards, legal_reference=""):  # a table row, named short
    return Row(name=name, title=title, from_states=frozenset(from_states), to_states=frozenset(to_states),
               step=step, roles=frozenset(roles), guards=tuple(guards), legal_reference=legal_reference)


SUPERVISION = ProceedingKind.SUPERVISION
APPEAL = ProceedingKind.PROSECUTION_APPEAL
TABLE: tuple[Transition, ...] = (
    # Teams change during an investigation too: in every state where the case is worked on.
    T("assign", steps.assign,
      _("Assign investigators"), OPEN_STATES, [],
      POLICE_DECIDERS, []),
    T("remove_from_team", steps.remove_from_team,
      _("Take an investigator off the team"), OPEN_STATES, [],
      POLICE_DECIDERS, [g.someone_on_the_team, g.reason_given]),
    T("begin_review", steps.begin_review,
      _("Begin the filing review"), [S.RECEIVED], [S.UNDER_REVIEW],
      {Role.SUPERVISOR, Role.UNIT_HEAD, Role.INVESTIGATOR}, [g.on_team_or_supervisor]),
    T("propose_filing", steps.propose_filing,
      _("Propose filing"), [S.UNDER_REVIEW, S.NOT_FILED], [],
      {Role.INVESTIGATOR, Role.SUPERVISOR}, [g.on_team_or_supervisor, g.reason_given, g.no_pending_decision,
                                              g.trigger_for_reopening], f"{MPS}第一百七十八条"),
    T("propose_non_filing", steps.propose_non_filing,
      _("Propose not filing"), [S.UNDER_REVIEW], [],
      {Role.INVESTIGATOR, Role.SUPERVISOR}, [g.on_team_or_supervisor, g.reason_given, g.no_pending_decision,
                                              g.not_mandatory_filing, g.checklist_complete],
      f"{MPS}第一百七十八条；{CPL}第一百一十二条"),
    T("approve_decision", steps.approve_decision,
      _("Approve the proposal"), [S.UNDER_REVIEW, S.NOT_FILED], [S.FILED, S.NOT_FILED],
      POLICE_DECIDERS, [g.pending_decision, g.not_the_proposer, g.not_already_approved, g.right_approval_level,
                        g.objections_answered_for_non_filing, g.checklist_complete_for_non_filing,
                        g.no_mandatory_filing_for_non_filing, g.reason_given],
      f"{MPS}第一百七十八条"),
    T("return_decision", steps.return_decision,
      _("Return the proposal"), [S.UNDER_REVIEW, S.NOT_FILED], [],
      POLICE_DECIDERS, [g.pending_decision, g.not_the_proposer, g.not_already_approved, g.reason_given]),
    T("extend_review_period", steps.extend_review_period,
      _("Extend the review period"), [S.RECEIVED, S.UNDER_REVIEW], [],
      POLICE_DECIDERS, [g.reason_given, g.extension_allowed], f"{FILING_REFORM}；{MINORS_2023}第五条"),
    T("record_notice_delivery", steps.record_notice_delivery,
      _("Record delivery of the non-filing notice"), [S.NOT_FILED], [],
      {Role.SUPERVISOR, Role.INVESTIGATOR, Role.INTAKE_OFFICER}, [g.on_team_or_supervisor,
                                                                 g.notice_not_yet_delivered],
      f"{MPS}第一百七十八条第二款"),
    T("apply_reconsideration", steps.apply_reconsideration,
      _("Record an application for reconsideration"), [S.NOT_FILED], [],
      {Role.SUPERVISOR, Role.INVESTIGATOR}, [
          g.window_open("reconsideration_application", _("The non-filing notice has not been delivered yet.")),
          g.no_open_proceeding(ProceedingKind.RECONSIDERATION, _("A reconsideration is already open."))],
      f"{MPS}第一百七十九条"),
    T("decide_reconsideration", steps.decide_reconsideration,
      _("Decide the reconsideration"), [S.NOT_FILED], [S.FILED],
      POLICE_DECIDERS, [g.proceeding_in(ProceedingKind.RECONSIDERATION, ProceedingStatus.OPEN,
                                        missing=_("No reconsideration is open.")),
                        g.outcome_given, g.reason_given, g.took_no_part_in_the_decision],
      f"{MPS}第一百七十九条"),
    T("apply_review", steps.apply_review,
      _("Record an application for review"), [S.NOT_FILED], [],
      {Role.SUPERVISOR, Role.INVESTIGATOR}, [
          g.window_open("review_application", _("Review follows a reconsideration that upheld the decision.")),
          g.no_open_proceeding(ProceedingKind.REVIEW, _("A review is already open."))],
      f"{MPS}第一百七十九条"),
    T("decide_review", steps.decide_review,
      _("Decide the review"), [S.NOT_FILED], [S.FILED], {Role.UNIT_HEAD},
      [g.proceeding_in(ProceedingKind.REVIEW, ProceedingStatus.OPEN, missing=_("No review is open.")),
       g.higher_level, g.outcome_given, g.reason_given], f"{MPS}第一百七十九条"),
    T("extend_decision_period", steps.extend_decision_period,
      _("Extend the reconsideration or review period"), [S.NOT_FILED], [],
      POLICE_DECIDERS, [g.decision_clock_extendable, g.reason_given], f"{MPS}第一百七十九条第三款"),
    T("complain_to_procuratorate", steps.complain_to_procuratorate,
      _("Record a complaint to the procuratorate"), [S.NOT_FILED], [],
      {Role.SUPERVISOR, Role.INVESTIGATOR, Role.INTAKE_OFFICER}, [g.not_a_minor_case_for_complaint],
      f"{CPL}第一百一十三条；{SPP_RULES}第五百五十七条"),
    T("request_explanation", steps.request_explanation,
      _("Ask the police to explain the non-filing"), [S.NOT_FILED], [],
      {Role.PROSECUTOR}, [g.proceeding_in(SUPERVISION, ProceedingStatus.OPEN,
                                          missing=_("This decision is not under supervision."))],
      f"{CPL}第一百一十三条；{SPP_RULES}第五百五十九条、第五百六十条"),
    T("submit_explanation", steps.submit_explanation,
      _("Submit the explanation to the procuratorate"), [S.NOT_FILED], [],
      POLICE_DECIDERS, [g.proceeding_in(SUPERVISION, ProceedingStatus.EXPLANATION_REQUESTED,
                                        missing=_("The procuratorate has not asked for an explanation.")),
                        g.reason_given], f"{MPS}第一百八十二条第一款；{SPP_RULES}第五百六十条"),
    T("notify_to_file", steps.notify_to_file,
      _("Give notice to file"), [S.NOT_FILED], [], {Role.PROSECUTOR},
      [g.proceeding_in(SUPERVISION, ProceedingStatus.EXPLANATION_REQUESTED, ProceedingStatus.EXPLANATION_SUBMITTED,
                       missing=_("Ask the police for an explanation first.")), g.reason_given],
      f"{CPL}第一百一十三条；{SPP_RULES}第五百六十一条第一款、第五百六十三条"),
    T("uphold_non_filing", steps.uphold_non_filing,
      _("Uphold the police reasons"), [S.NOT_FILED], [], {Role.PROSECUTOR},
      [g.proceeding_in(SUPERVISION, ProceedingStatus.EXPLANATION_SUBMITTED,
                       missing=_("The police have not explained yet.")), g.reason_given],
      f"{SPP_RULES}第五百六十一条第二款"),
    T("record_supervision_reply", steps.record_supervision_reply,
      _("Record that the complainant was told"), [S.NOT_FILED], [],
      {Role.PROSECUTOR}, [g.proceeding_in(SUPERVISION, ProceedingStatus.UPHELD,
                                          missing=_("The police reasons have not been upheld."))],
      f"{SPP_RULES}第五百六十一条第二款"),
)

# From filing to judgment (issue 5). The procuratorate and the court act in their own
# systems; here their decisions are recorded by the prosecutor on the case.
POLICE_WORK = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD})
PROSECUTION = frozenset({Role.PROSECUTOR})
TABLE += (
    T("begin_investigation", steps.begin_investigation,
      _("Begin the investigation"), [S.FILED], [S.INVESTIGATING], POLICE_WORK,
      [g.on_team_or_supervisor], f"{MPS}第一百九十一条"),
    T("suspend_investigation", steps.suspend_investigation,
      _("Suspend: every suspect is at large"), [S.INVESTIGATING], [S.SUSPENDED],
      POLICE_WORK, [g.on_team_or_supervisor, g.all_suspects_at_large],
      # No law suspends an investigation: the campaign's rule, beside the law on wanted suspects.
      f"{POLICY}；{CPL}第一百五十五条；{MPS}第二百七十四条"),
    T("resume_investigation", steps.resume_investigation,
      _("Resume the investigation"), [S.SUSPENDED], [S.INVESTIGATING], POLICE_WORK,
      [g.on_team_or_supervisor, g.a_suspect_in_hand], f"{POLICY}；{MPS}第一百九十一条"),
    T("revoke_case", steps.revoke_case,
      _("Revoke the case"), [S.FILED, S.INVESTIGATING, S.SUSPENDED], [S.REVOKED],
      POLICE_DECIDERS, [g.reason_given], f"{CPL}第一百六十三条；{MPS}第一百八十六条"),
    T("send_for_prosecution", steps.send_for_prosecution,
      _("Send for prosecution"), [S.INVESTIGATING], [S.SENT_FOR_PROSECUTION],
      POLICE_DECIDERS, [g.a_suspect_in_hand, g.checklist_complete, g.reason_given], f"{CPL}第一百六十二条"),
    T("prosecute", steps.prosecute,
      _("Record the indictment"), [S.SENT_FOR_PROSECUTION], [S.PROSECUTED], PROSECUTION,
      [g.reason_given], f"{CPL}第一百七十六条"),
    T("decline_prosecution", steps.decline_prosecution,
      _("Record a decision not to prosecute"), [S.SENT_FOR_PROSECUTION],
      [S.NOT_PROSECUTED], PROSECUTION, [g.reason_given], f"{CPL}第一百七十七条、第一百八十条"),
    T("record_judgment", steps.record_judgment,
      _("Record the judgment"), [S.PROSECUTED], [S.JUDGED], PROSECUTION,
      [g.verdict_given, g.reason_given], f"{CPL}第二百条"),
    T("apply_prosecution_appeal", steps.apply_prosecution_appeal,
      _("Record the victim's appeal against non-prosecution"), [S.NOT_PROSECUTED], [],
      PROSECUTION, [g.window_open("non_prosecution_appeal", _("No decision not to prosecute is open to appeal.")),
                    g.no_open_proceeding(APPEAL, _("An appeal is already open."))], f"{CPL}第一百八十条"),
    T("decide_prosecution_appeal", steps.decide_prosecution_appeal,
      _("Decide the victim's appeal"), [S.NOT_PROSECUTED], [S.PROSECUTED],
      PROSECUTION, [g.proceeding_in(APPEAL, ProceedingStatus.OPEN, missing=_("No appeal is open.")),
                    g.procuratorate_one_level_up, g.outcome_given, g.reason_given], f"{CPL}第一百八十条"),
    T("record_chasing_letter", steps.record_chasing_letter,
      _("Record the chasing letter (立案监督案件催办函)"), [S.FILED, S.INVESTIGATING, S.SUSPENDED], [],
      PROSECUTION, [g.chase_due, g.reason_given], SPP_RULES_2019_ART_564),
    T("close_case", steps.close_case,
      _("Close the case"), [S.JUDGED, S.NOT_PROSECUTED, S.REVOKED], [S.CLOSED], POLICE_DECIDERS,
      [g.appeal_window_closed, g.no_open_proceeding(APPEAL, _("The victim's appeal is still open.")),
       g.reason_given]),
)

# Moving a case to another unit (issue 13): asked by the handling unit, decided by the
# receiving one; no state changes, the case's unit does (cases.transfers).
TABLE += (
    T("transfer_case", tr.transfer_case,
      _("Transfer the case to another unit"), OPEN_STATES, [], POLICE_DECIDERS,
      [tr.of_the_handling_unit, tr.no_pending_transfer, g.no_pending_decision, tr.target_unit, g.reason_given],
      tr.LEGAL_REFERENCE),
    T("accept_transfer", tr.accept_transfer,
      _("Accept the transfer"), OPEN_STATES, [], POLICE_DECIDERS,
      [tr.transfer_awaited, tr.of_the_receiving_unit, g.no_pending_decision, g.reason_given], tr.LEGAL_REFERENCE),
    T("refuse_transfer", tr.refuse_transfer,
      _("Refuse the transfer"), OPEN_STATES, [], POLICE_DECIDERS,
      [tr.transfer_awaited, tr.of_the_receiving_unit, g.reason_given], tr.LEGAL_REFERENCE),
)
# What a supervisor who sees a case only because their unit is asked to take it may do.
TRANSFER_DECISIONS = frozenset({"accept_transfer", "refuse_transfer"})


def _wrong_state(transition: Transition, state: str) -> Unmet:
    needed = "、".join(str(State(s).label) for s in sorted(transition.from_states))
    return Unmet("state", gettext("The case is %(state)s; this needs: %(needed)s.")
                 % {"state": State(state).label, "needed": needed})


WORKFLOW: Table[Transition] = Table(
    TABLE, status=lambda ctx: ctx.case.state, wrong_status=_wrong_state,
    refusal=lambda t: gettext("“%(title)s” cannot be taken now.") % {"title": t.title})
BY_NAME: dict[str, Transition] = WORKFLOW.by_name


def may_take(user: Any, transition: Transition) -> bool:
    return bool(user.role_set & transition.roles)


def can_take_now(case: Case, user: Any, name: str) -> bool:
    """Whether ``perform`` would take this action now (role, state and every guard)."""
    transition = BY_NAME[name]
    if case.merged_into_id is not None:
        return False
    return may_take(user, transition) and not WORKFLOW.unmet(transition, g.Ctx(case=case, actor=user))


@action
def perform(*, case: Case, actor: Any, name: str, payload: dict[str, Any] | None = None) -> Case:
    """Take one workflow action: check visibility, role and guards, change, audit."""
    transition = BY_NAME.get(name)
    if transition is None:
        raise NotFound(gettext("There is no action named %(name)s.") % {"name": name})
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(actor, Verb.VIEW, case)
    refuse_if_merged(case)
    if not may_take(actor, transition) or (name not in TRANSFER_DECISIONS and _seen_for_transfer(actor, case)):
        raise PermissionDenied(gettext("Your role may not take the action “%(title)s”.") % {"title": transition.title})
    ctx = g.Ctx(case=case, actor=actor, payload=payload or {})
    before, _after = WORKFLOW.perform(transition, ctx)
    record(actor=actor, action=family(Family.WORKFLOW, name), obj=case,
           details={"from": before, "to": case.state, **_audit_details(ctx), **ctx.audit})
    events.announce_action(name=name, ctx=ctx)
    return case


def _seen_for_transfer(actor: Any, case: Case) -> bool:
    """The receiving unit sees a case awaiting its acceptance only to decide on that. Only a
    pending transfer can make it so: without one (nearly every action) the basis, which
    costs two queries and the building of a large one, is not asked again."""
    return tr.pending_transfer(case) is not None and basis(actor, case) == "transfer"


def refuse_if_merged(case: Case) -> None:
    """A merged report has no workflow of its own: the work is done on its case."""
    if case.merged_into_id is not None:
        raise Conflict(gettext("This report was merged into case %(number)s: act on that case.")
                       % {"number": case.merged_into.case_number},
                       unmet=[{"code": "merged", "message": gettext("Merged into another case.")}])


# What a family may do online (the portal), without a staff account: the same table row,
# state and guards (the 7-day window included); only the role check does not apply.
FAMILY_MAY = frozenset({"apply_reconsideration"})


def perform_for_family(*, case: Case, name: str, payload: dict[str, Any]) -> Case:
    """Take a FAMILY_MAY action for the complainant; call inside the portal's action."""
    if name not in FAMILY_MAY:
        raise PermissionDenied()
    transition = BY_NAME[name]
    case = Case.objects.select_for_update().get(pk=case.pk)
    refuse_if_merged(case)
    ctx = g.Ctx(case=case, actor=None, payload=payload)
    before, _after = WORKFLOW.perform(transition, ctx)
    record(actor=None, action=family(Family.WORKFLOW, name), obj=case,
           details={"from": before, "to": case.state, "by": "family"})
    return case


def _audit_details(ctx: g.Ctx) -> dict[str, Any]:
    # Codes and choices only: reasons and names stay in the case record, not the audit log.
    keep = {k: ctx.payload[k] for k in ("trigger", "outcome", "days") if ctx.payload.get(k)}
    if ctx.payload.get("username"):  # who was taken off the team (a username, as for assignees)
        keep["username"] = str(ctx.payload["username"])
    if ctx.payload.get("assignees"):
        keep["assignees"] = sorted(str(a) for a in ctx.payload["assignees"])
    if ctx.payload.get("verdicts"):
        keep["verdicts"] = {str(v["suspect_id"]): v["verdict"] for v in ctx.payload["verdicts"]}
    return keep


def available(case: Case, user: Any) -> list[dict[str, Any]]:
    """The actions of the user's roles, each allowed or with the conditions unmet (none
    for a merged report: its workflow is its case's)."""
    if case.merged_into_id is not None:
        return []
    ctx = g.Ctx(case=case, actor=user)
    rows = [t for t in TABLE if may_take(user, t)]
    if _seen_for_transfer(user, case):
        rows = [t for t in rows if t.name in TRANSFER_DECISIONS]
    result = []
    # Payload guards (reason, outcome, days...) are the caller's to satisfy; show the rest.
    for transition, unmet in WORKFLOW.available(ctx, rows, PAYLOAD_CODES):
        result.append({"name": transition.name, "title": str(transition.title), "allowed": not unmet,
                       "unmet": [u.as_dict() for u in unmet], "legal_reference": transition.legal_reference})
    return result


PAYLOAD_CODES = frozenset({"reason_required", "outcome_required", "trigger_required", "days", "minor_cap",
                           "needs_head", "unit_id"})
