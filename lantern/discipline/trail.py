"""A case's decision trail, as a discipline inspector reads it: each proposal to file or
not with who proposed it, each vote with who cast it, when and why, and the checklist as
it stood at that moment with the evidence behind each item; the proceedings
(reconsideration, review, supervision, appeals) with their explanations and outcomes;
the child's interviews; and the case's audit history in words (audit.readable, as the
case page reads it).

Officials are named (display name, unit, role): they are the ones held to account. The
case's people are not: the victim by pseudonym, suspects as "Suspect n", and every written
reason pseudonymised by the case page's own rule for readers who may not see identities
(cases.history.reason_for), whoever reads the trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases import items as checklist_items
from lantern.cases.history import reason_for
from lantern.cases.models import Case, Decision, DecisionKind, DecisionStatus, ItemStatus, ProceedingStatus
from lantern.cases.states import State, Trigger
from lantern.discipline import selectors
from lantern.discipline.models import AccountabilityRecord
from lantern.discipline.officials import official
from lantern.evidence.models import EvidenceKind


def _reason(reading: readable.Reading, case: Case, text: str) -> str:
    return reason_for(reading, case, text or "")


def _at(value: dt.datetime | None) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# ---- the checklist as it stood -------------------------------------------------------------

def _checklist_changes(case: Case) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                          action=Event.CASE_CHECKLIST_ITEM).order_by("at", "id"))


def checklist_at(case: Case, moment: dt.datetime, changes: list[AuditEntry], people: dict[int, Any],
                 reading: readable.Reading) -> list[dict[str, Any]]:
    """Each item as it stood at ``moment``: its status, who set it and when (from the audit
    log, which keeps every change), its note if unchanged since, and the evidence
    registered against it by then."""
    rows = []
    for item in case.checklist.select_related("template_item").prefetch_related("evidence"):
        last = next((c for c in reversed(changes) if c.details.get("item") == item.key and c.at <= moment), None)
        status = last.details.get("to", ItemStatus.DONE) if last else ItemStatus.OPEN
        unchanged = item.changed_at is None or item.changed_at <= moment
        evidence = [f"E-{e.number} {EvidenceKind(e.kind).label}" for e in item.evidence.all()
                    if e.registered_at <= moment]
        rows.append({"key": item.key, "title": checklist_items.title(item),
                     "status": status, "status_label": str(ItemStatus(status).label),
                     "changed_by": official(people.get(last.actor_id)) if last and last.actor_id else None,
                     "changed_at": last.at if last else None, "automatic": bool(last and last.details.get("automatic")),
                     "note": _reason(reading, case, item.note) if unchanged and last else "",
                     "evidence": evidence})
    return rows


def checklist_summary(rows: list[dict[str, Any]]) -> str:
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ItemStatus.values}
    times = sorted(r["changed_at"] for r in rows if r["changed_at"])
    text = _("%(total)s items: %(done)s done, %(na)s ruled out as not applicable, %(open)s open") % {
        "total": len(rows), "done": counts[ItemStatus.DONE], "na": counts[ItemStatus.NOT_APPLICABLE],
        "open": counts[ItemStatus.OPEN]}
    if len(times) > 1:
        minutes = int((times[-1] - times[0]).total_seconds() // 60)
        text += _("; marked between %(first)s and %(last)s (%(minutes)s minutes)") % {
            "first": _at(times[0]), "last": _at(times[-1]), "minutes": minutes}
    return text


# ---- decisions and votes -----------------------------------------------------------------

def _votes(decision: Decision, reading: readable.Reading, case: Case) -> list[dict[str, Any]]:
    return [{"official": official(v.approver), "level": v.level, "approved": v.approved, "at": v.at,
             "reason": _reason(reading, case, v.reason)}
            for v in decision.approvals.select_related("approver__unit").order_by("at", "pk")]


def _decision_sentence(d: dict[str, Any]) -> str:
    parts = [_("%(who)s proposed “%(kind)s” on %(at)s") % {
        "who": d["proposed_by"]["text"], "kind": d["kind_label"], "at": _at(d["proposed_at"])}]
    for v in d["votes"]:
        verb = _("%(who)s approved it on %(at)s") if v["approved"] else _("%(who)s returned it on %(at)s")
        parts.append(verb % {"who": v["official"]["text"], "at": _at(v["at"])})
    parts.append(_("status: %(status)s") % {"status": d["status_label"]})
    # Punctuation, not words: Chinese full-width marks, else the English ones.
    semicolon, stop = ("；", "。") if (get_language() or "").startswith("zh") else ("; ", ".")
    return semicolon.join(parts) + stop


def decisions(case: Case, reading: readable.Reading, people: dict[int, Any]) -> list[dict[str, Any]]:
    changes = _checklist_changes(case)
    rows = []
    for decision in case.decisions.select_related("proposed_by__unit").order_by("proposed_at", "pk"):
        votes = _votes(decision, reading, case)
        moment = decision.decided_at or (votes[-1]["at"] if votes else decision.proposed_at)
        checklist = checklist_at(case, moment, changes, people, reading)
        row = {"id": decision.pk, "kind": decision.kind, "kind_label": str(DecisionKind(decision.kind).label),
               "status": decision.status, "status_label": str(DecisionStatus(decision.status).label),
               "proposed_by": official(decision.proposed_by), "proposed_at": decision.proposed_at,
               "reason": _reason(reading, case, decision.reason), "decided_at": decision.decided_at,
               "trigger": decision.trigger or None,
               "trigger_label": str(Trigger(decision.trigger).label) if decision.trigger else "",
               "hours_after_report": round((decision.proposed_at - case.received_at).total_seconds() / 3600, 1),
               "votes": votes, "checklist_at": moment, "checklist": checklist,
               "checklist_summary": checklist_summary(checklist)}
        row["summary"] = _decision_sentence(row)
        rows.append(row)
    return rows


# ---- proceedings and interviews ----------------------------------------------------------

def proceedings(case: Case, reading: readable.Reading) -> list[dict[str, Any]]:
    return [{"id": p.pk, "kind": p.kind, "kind_label": str(p.get_kind_display()), "status": p.status,
             "status_label": str(ProceedingStatus(p.status).label), "opened_at": p.opened_at,
             "opened_by": official(p.opened_by), "automatic": p.automatic,
             "grounds": _reason(reading, case, p.grounds), "explanation": _reason(reading, case, p.explanation),
             "outcome_reason": _reason(reading, case, p.outcome_reason), "closed_at": p.closed_at}
            for p in case.proceedings.select_related("opened_by__unit").order_by("opened_at", "pk")]


def interviews(case: Case) -> list[dict[str, Any]]:
    return [{"sequence": i.sequence, "at": i.at, "interviewer": official(i.interviewer),
             "guardian_present": i.guardian_present, "audio_video": i.audio_video,
             "approved_repeat": i.approval_id is not None}
            for i in case.interviews.select_related("interviewer__unit").order_by("sequence")]


# ---- the audit history in words ----------------------------------------------------------

def history_entries(case: Case) -> QuerySet[AuditEntry]:
    """What was done to the case and to its accountability records; reads are the access
    report's business."""
    from django.db.models import Q

    records = [str(pk) for pk in AccountabilityRecord.objects.filter(case=case).values_list("pk", flat=True)]
    return (AuditEntry.objects.filter(Q(object_type="cases.case", object_id=str(case.pk))
                                      | Q(object_type="discipline.accountabilityrecord", object_id__in=records))
            .exclude(action=Event.CASE_READ).order_by("at", "id"))


def history(case: Case, reader: Any) -> list[dict[str, Any]]:
    rows = readable.read(history_entries(case), reader=reader, name_objects=False,
                         cache={"cases": {str(case.pk): case}, f"identity:{case.pk}": False})
    return [{"at": r["at"], "who": r["who"], "text": r["text"], "reason": r["reason"]} for r in rows]


def _people(case: Case) -> dict[int, Any]:
    from django.contrib.auth import get_user_model

    ids = set(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                        action=Event.CASE_CHECKLIST_ITEM).values_list("actor_id", flat=True))
    users = get_user_model().objects.filter(pk__in=[i for i in ids if i]).select_related("unit")
    return {u.pk: u for u in users}


def decision_trail(case: Case, reader: Any) -> dict[str, Any]:
    reading, people = selectors.reading_for(case, reader), _people(case)
    return {"case_id": case.pk, "case_number": case.case_number, "unit": case.unit.name,
            "state": case.state, "state_label": str(State(case.state).label),
            "victim_pseudonym": case.victim.pseudonym, "age_band": case.age_band, "is_minor": case.is_minor,
            "received_at": case.received_at,
            "decisions": decisions(case, reading, people), "proceedings": proceedings(case, reading),
            "interviews": interviews(case), "history": history(case, reader),
            "accountability": selectors.records_json(case, reading=reading)}
