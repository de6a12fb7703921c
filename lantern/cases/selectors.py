"""Reading cases: every list and every case through the access policy, and a case as a
given user may see it (identity fields only for those who need them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, can, has_capability, unit_subtree_q
from lantern.cases import gate, items, transfers
from lantern.cases.access import surviving_case_q
from lantern.cases.law import FLAG_LABELS, band_for_age
from lantern.cases.models import (
    Assignment,
    Case,
    Complainant,
    DecisionStatus,
    ItemObjection,
    ItemStatus,
    Suspect,
    SuspectStatus,
)
from lantern.cases.states import State
from lantern.cases.suspect_moves import MOVES, SUSPECTS, MoveCtx, subject_of
from lantern.core.errors import NotFound
from lantern.core.vault.pseudonyms import pseudonymise
from lantern.deadlines.models import RUNNING, DeadlineStatus
from lantern.deadlines.rules import BY_KEY
from lantern.standards.law import Offence
from lantern.standards.selectors import satisfier_labels

# Lists show pseudonyms: the encrypted columns are not even fetched, so a list neither
# pays for decryption nor holds identities in memory.
LIST_DEFERRED = ("narrative", "victim__name", "victim__date_of_birth", "victim__id_number")


def cases_for(user: Any, *, state: str | None = None, overdue: bool | None = None,
              minor: bool | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(surviving_case_q(user)).select_related("victim", "unit").defer(*LIST_DEFERRED)
    if state:
        qs = qs.filter(state=state)
    if minor is not None:
        qs = qs.filter(is_minor=minor)
    if overdue is not None:
        qs = qs.filter(running_late_q()) if overdue else qs.exclude(running_late_q())
    return qs.order_by("-received_at")


def running_late_q() -> Q:
    """The cases with a clock running late: their soonest running clock is past due
    (Case.next_due_at, kept by the database)."""
    return Q(next_due_at__lt=timezone.now())


def with_merged(case_ids: Any) -> QuerySet[Case]:
    """The ids of these cases and of the reports merged into them, as a subquery to filter
    their rows by (``case_id__in=with_merged(ids)``). Written on the case table alone: an
    OR of ``case_id`` and ``case__merged_into_id`` across the join reads every row of both
    tables (measured 120 ms at 100,000 cases), this reads two indexes."""
    return Case.objects.filter(Q(pk__in=case_ids) | Q(merged_into_id__in=case_ids)).values("pk")


def case_for(user: Any, case_id: int) -> Case:
    """The case, 404 unless the user may see it: asked of the one case (access.sees), not
    of the scope every list uses, whose bases are read as id lists."""
    case = Case.objects.select_related("victim", "unit").filter(pk=case_id).first()
    if case is None or not can(user, Verb.VIEW, case):
        raise NotFound()
    return case


def deadline_json(d: Any) -> dict[str, Any]:
    r = BY_KEY[d.rule]
    overdue = d.status in RUNNING and d.due_at < timezone.now()
    status = DeadlineStatus.OVERDUE if overdue else DeadlineStatus(d.status)
    return {"kind": d.rule, "title": str(r.title), "subject": d.subject, "due_at": d.due_at,
            "legal_reference": str(r.legal_reference), "status": status.value, "status_label": str(status.label),
            "provisional": d.provisional}


def _officer_text(text: str, case: Case, identity: bool) -> str:
    """Officers' free text (notes, reasons) may name people: pseudonymised for those who
    may not see identities."""
    return text if identity or not text else pseudonymise(text, case)


def _pending(case: Case, identity: bool) -> dict[str, Any] | None:
    """The proposal as its approvers must read it before deciding: who proposed it, when,
    the written reason, the votes so far with theirs, and the evidence summary."""
    decision = case.pending_decision()
    if decision is None:
        return None
    votes = decision.approvals.select_related("approver").order_by("at", "pk")
    summary = gate.summary(case)
    for row in summary["not_applicable_items"] + summary["done_without_record"]:
        row["note"] = _officer_text(row["note"], case, identity)
    return {"id": decision.pk, "kind": decision.kind, "proposed_by": decision.proposed_by.username,
            "proposed_by_name": decision.proposed_by.get_full_name() or decision.proposed_by.username,
            "proposed_at": decision.proposed_at, "reason": _officer_text(decision.reason, case, identity),
            "trigger": decision.trigger or None, "approvals_needed": decision.approvals_needed,
            "approved_by": [a.approver.username for a in votes if a.approved],
            "approvals": [{"approver": a.approver.username, "level": a.level, "at": a.at,
                           "reason": _officer_text(a.reason, case, identity)} for a in votes if a.approved],
            "evidence_summary": summary}


def _pending_transfer(case: Case, identity: bool) -> dict[str, Any] | None:
    transfer = transfers.pending_transfer(case)
    return transfers.transfer_json(transfer, transfer and _officer_text(transfer.reason, case, identity))


def _objection_json(objection: ItemObjection | None, case: Case, identity: bool) -> dict[str, Any] | None:
    if objection is None:
        return None
    return {"reason": _officer_text(objection.reason, case, identity), "by": objection.by.username,
            "at": objection.at, "answered_at": objection.answered_at}


def _checklist(case: Case, identity: bool) -> list[dict[str, Any]]:
    latest = {o.item_id: o for o in ItemObjection.objects.filter(item__case=case).select_related("by")}
    return [{"id": r.item.pk, "key": r.item.key, "title": items.title(r.item), "guidance": items.guidance(r.item),
             "legal_reference": items.legal_reference(r.item),
             "status": r.status, "status_label": str(ItemStatus(r.status).label),
             "recorded_status": r.item.status, "due_at": r.item.due_at,
             "note": _officer_text(r.item.note, case, identity),
             "satisfied_by": list(gate.satisfied_by(r.item)),
             "satisfied_by_labels": satisfier_labels(gate.satisfied_by(r.item)), "proof": r.proof,
             "blocked": [u.as_dict() for u in r.blocked],
             "objection": _objection_json(latest.get(r.item.pk), case, identity)} for r in gate.review(case)]


def standard_json(case: Case) -> dict[str, Any]:
    """The offences and the versions of the evidence standard the case was registered under
    (the principal offence's template first): the case page says which version applies."""
    order = {offence: n for n, offence in enumerate(case.offences)}
    templates = sorted(case.templates.all(), key=lambda t: order.get(t.offence, len(order)))
    versions = [{"id": t.pk, "key": t.key, "version": t.version} for t in templates]
    return {"offences": list(case.offences), "offence_labels": [str(Offence(o).label) for o in case.offences
                                                                 if o in Offence.values],
            "checklist_template": versions[0] if versions else None, "checklist_templates": versions}


def case_json(case: Case, user: Any, *, identity: bool = False) -> dict[str, Any]:
    """The case as the API and pages show it; real identities only when ``identity`` (use
    cases.reads.read_case, which decides that and audits the read)."""
    victim = case.victim
    victim_out: dict[str, Any] = {"pseudonym": victim.pseudonym, "age_band": case.age_band,
                                  "age_band_label": str(band_for_age(victim.age_at_offence).label),
                                  "is_minor": case.is_minor, "sex": victim.sex}
    if identity:
        victim_out.update(name=victim.name, date_of_birth=victim.date_of_birth, id_number=victim.id_number or None,
                          estimated_age=victim.estimated_age)
    return {
        "id": case.pk, "case_number": case.case_number, "state": case.state, "channel": case.channel,
        "received_at": case.received_at, "offence_date": case.offence_date, "unit": case.unit.name,
        "unit_id": case.unit_id, "transfer": _pending_transfer(case, identity),
        "victim": victim_out,
        "flags": case.flags, "flag_labels": [str(FLAG_LABELS.get(f, f)) for f in case.flags],
        "indicators": case.indicators, "is_historical": case.is_historical,
        "reopen_trigger": case.reopen_trigger or None,
        **standard_json(case),
        "checklist": _checklist(case, identity),
        "deadlines": [deadline_json(d) for d in case.deadlines.exclude(status=DeadlineStatus.CANCELLED).order_by(
            "due_at", "pk")],  # soonest first, the same on every database
        "pending_decision": _pending(case, identity),
        "proceedings": [{"kind": p.kind, "status": p.status, "opened_at": p.opened_at, "automatic": p.automatic,
                         "chased_at": p.chased_at}
                        for p in case.proceedings_in_order()],
        "team": [u.username for u in case.current_team()],
        **merge_links(case, user),
        "suspect_count": len(case.suspects_in_order()),
        "victim_interviews": case.interviews.count(),  # each one a fresh injury for a child
        **(_identities(case) if identity else {}),
    }


def merge_links(case: Case, user: Any) -> dict[str, Any]:
    """A case lists the reports merged into it; a merged report names its case (with the
    id to open it only for users who may see that case)."""
    master = case.merged_into
    return {
        "merged_into": master and {"case_number": master.case_number,
                                   "id": master.pk if can(user, Verb.VIEW, master) else None},
        "merged_reports": [{"id": r.pk, "case_number": r.case_number, "received_at": r.received_at}
                           for r in case.merged_reports.order_by("received_at", "pk")],
    }


def _identities(case: Case) -> dict[str, Any]:
    """What only those who need the real identities see: the narrative and the people."""
    complainant = Complainant.objects.filter(case=case).first()  # generated bench cases have none
    return {
        "narrative": case.narrative,
        "complainant": complainant and {"name": complainant.name, "relation": complainant.relation,
                                        "phone": complainant.phone, "email": complainant.email},
        "suspects": [{"name": s.name, "phone": s.phone, "id_number": s.id_number, "accounts": s.accounts,
                      "status": s.status} for s in case.suspects_in_order()],
    }


def named_list(user: Any, which: str) -> QuerySet[Case]:
    """The work lists of the case pages and the home page, by name (see NAMED_LISTS)."""
    return {
        "mine": lambda: cases_for(user),
        "decide": lambda: awaiting_decision(user),
        "overdue": lambda: cases_for(user, overdue=True),
        "not_filed": lambda: cases_for(user, state=State.NOT_FILED),
        "unassigned": lambda: unassigned(user),
    }[which]()


def unassigned(user: Any) -> QuerySet[Case]:
    """New reports nobody works yet: received, in the supervisor's own units, with no one
    on the team. Those who assign (supervisors, unit heads) have this queue; a case they
    see on another basis (break-glass) is not theirs to assign."""
    if not has_capability(user, Capability.DECIDE_FOR_UNIT):
        return Case.objects.none()
    team = Assignment.objects.filter(case=OuterRef("pk"), active=True)
    return cases_for(user, state=State.RECEIVED).filter(unit_subtree_q(user, "unit")).exclude(Exists(team))


def awaiting_decision(user: Any) -> QuerySet[Case]:
    """Cases with a proposal this user could approve now (not their own)."""
    if not has_capability(user, Capability.DECIDE_FOR_UNIT):
        return Case.objects.none()
    return (cases_for(user).filter(decisions__status=DecisionStatus.PENDING)
            .exclude(decisions__status=DecisionStatus.PENDING, decisions__proposed_by=user))


def fugitives(user: Any) -> list[Any]:
    """Suspects at large in the cases this user may see, longest at large first: the
    fugitive list of a jurisdiction."""
    return list(Suspect.objects.filter(case__in=cases_for(user).values("pk"), status=SuspectStatus.AT_LARGE)
                .select_related("case").annotate(since=Max("events__at")).order_by("since", "pk"))


def suspect_moves_available(suspect: Suspect, user: Any) -> list[dict[str, Any]]:
    """The moves this user could take now for this suspect: their table's own status check
    and guards (cases.suspect_moves), for the rows of the user's roles."""
    mine = [m for m in MOVES if not m.automatic and user.role_set & m.roles]
    ctx = MoveCtx(actor=user, suspect=suspect, at=timezone.now())
    return [{"name": move.name, "title": str(move.title), "legal_reference": move.legal_reference,
             "reason_required": move.reason_required} for move, unmet in SUSPECTS.available(ctx, mine) if not unmet]


def suspects_json(case: Any, user: Any, *, identity: bool) -> list[dict[str, Any]]:
    rows, suspects = [], case.suspects_in_order()
    clocks: dict[str, list[Any]] = {}
    for clock in case.deadlines.filter(subject__in=[subject_of(s) for s in suspects]).order_by("started_at", "pk"):
        clocks.setdefault(clock.subject, []).append(clock)
    for n, suspect in enumerate(suspects, start=1):
        running = clocks.get(subject_of(suspect), [])
        rows.append({
            "id": suspect.pk, "label": suspect.name if identity and suspect.name else _("Suspect %(n)s") % {"n": n},
            "status": suspect.status, "status_label": str(SuspectStatus(suspect.status).label),
            "clocks": [{"rule": c.rule, "due_at": c.due_at, "status": c.status, "extended": c.extended}
                       for c in running],
            "moves": suspect_moves_available(suspect, user),
        })
    return rows
