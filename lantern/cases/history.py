"""How the cases app's audit events read (registered with audit.readable from
CasesConfig.ready): the workflow's actions by their table titles, checklist items by
their titles, suspects by their label on the case page, and the written reason from the
row the action wrote (a proposal, a vote, a proceeding, a suspect's history), shown to
readers who may see the case and pseudonymised for those who may not see identities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.access.policy import Verb, can
from lantern.audit import readable
from lantern.audit.events import Event, Family, family
from lantern.audit.readable import Line, ObjectKind, Reading, said
from lantern.cases.access import basis, identity_on
from lantern.cases.models import (
    Approval,
    Case,
    ChecklistItem,
    ColdCaseReview,
    DocumentKind,
    ItemStatus,
    SuspectEvent,
    SuspectStatus,
)
from lantern.cases.selectors import _officer_text
from lantern.cases.states import State
from lantern.cases.suspect_moves import BY_NAME as MOVES_BY_NAME
from lantern.standards.selectors import title_for_key

# The action wrote its domain row in the same transaction as the entry: a few seconds
# either side finds it, and the closest one wins.
SAME_ACTION = timedelta(seconds=5)


def case_of(reading: Reading) -> Case | None:
    entry = reading.entry
    if entry.object_type != "cases.case" or not entry.object_id.isdigit():
        return None
    cases = reading.cache.setdefault("cases", {})
    if entry.object_id not in cases:
        cases[entry.object_id] = Case.objects.select_related("victim").filter(pk=int(entry.object_id)).first()
    return cases[entry.object_id]


def identity_for(reading: Reading, case: Case) -> bool | None:
    """None: this reader may not read the case's reasons at all; else whether with identities."""
    key = f"identity:{case.pk}"
    if key not in reading.cache:
        if reading.reader is None or not can(reading.reader, Verb.VIEW, case):
            reading.cache[key] = None
        else:
            reading.cache[key] = identity_on(reading.reader, basis(reading.reader, case))
    return reading.cache[key]


def reason_for(reading: Reading, case: Case | None, text: str) -> str:
    if not text or case is None:
        return ""
    identity = identity_for(reading, case)
    return "" if identity is None else _officer_text(text, case, identity)


def _near(qs: QuerySet[Any], field: str, reading: Reading) -> Any:
    at = reading.entry.at
    return qs.filter(**{f"{field}__range": (at - SAME_ACTION, at + SAME_ACTION)}).order_by(field).last()


# A case's history reads one row of these per entry: each table is read once per case and
# the row found in memory (at 30 entries a case, 70 queries became 6; issue 17's case page).
CASE_ROWS: dict[str, Any] = {
    "proceedings": lambda case: case.proceedings_in_order(),
    "decisions": lambda case: case.decisions_in_order(),
    "approvals": lambda case: Approval.objects.filter(decision__case=case),
    "assignments": lambda case: case.assignments_in_order(),
    "checklist": lambda case: ChecklistItem.objects.filter(case=case),
    "suspect_events": lambda case: SuspectEvent.objects.filter(suspect__case=case),
    "suspects": lambda case: case.suspects_in_order(),
}


def rows_of(reading: Reading, case: Case, table: str) -> list[Any]:
    key = f"{table}:{case.pk}"
    if key not in reading.cache:
        reading.cache[key] = list(CASE_ROWS[table](case))
    return reading.cache[key]


def near(rows: list[Any], field: str, reading: Reading, **match: Any) -> Any:
    """_near over a case's rows in memory: the latest row matching ``match`` whose
    ``field`` lies within SAME_ACTION of the entry."""
    at, found = reading.entry.at, None
    for row in rows:
        when = getattr(row, field)
        if when is None or not at - SAME_ACTION <= when <= at + SAME_ACTION:
            continue
        if all(getattr(row, k) == v for k, v in match.items()) and (found is None or when >= getattr(found, field)):
            found = row
    return found


def _state(value: Any) -> str:
    return str(State(value).label) if value in State.values else str(value or "")


def suspect_label(reading: Reading, case: Case | None, suspect_id: Any) -> str:
    """The suspect as the case page names them: "Suspect 2", or the name for readers who see identities."""
    if case is None:
        return _("a suspect")
    suspects = rows_of(reading, case, "suspects")
    ids = [s.pk for s in suspects]
    if suspect_id not in ids:
        return _("a suspect")
    n = ids.index(suspect_id)
    if identity_for(reading, case) and suspects[n].name:
        return suspects[n].name
    return _("Suspect %(n)s") % {"n": n + 1}


# ---- the workflow: case.<action> ----------------------------------------------------

def _workflow_reason(reading: Reading, case: Case, name: str) -> str:
    actor = reading.entry.actor_id
    if name in ("propose_filing", "propose_non_filing"):
        row = near(rows_of(reading, case, "decisions"), "proposed_at", reading, proposed_by_id=actor)
        return row.reason if row else ""
    if name in ("approve_decision", "return_decision"):
        row = near(rows_of(reading, case, "approvals"), "at", reading, approver_id=actor)
        return row.reason if row else ""
    if name == "remove_from_team":
        row = near(rows_of(reading, case, "assignments"), "ended_at", reading, ended_by_id=actor)
        return row.end_reason if row else ""
    proceedings = rows_of(reading, case, "proceedings")
    for field, text in (("closed_at", "outcome_reason"), ("chased_at", "chase_letter"), ("opened_at", "grounds")):
        if row := near(proceedings, field, reading):
            return getattr(row, text) or (row.explanation if field == "closed_at" else "")
    return ""


def _team_names(reading: Reading, case: Case) -> str:
    at, actor = reading.entry.at, reading.entry.actor_id
    users = [row.user_id for row in rows_of(reading, case, "assignments")
             if row.assigned_by_id == actor and at - SAME_ACTION <= row.assigned_at <= at + SAME_ACTION]
    known = reading.cache.setdefault("people", {})
    if missing := [u for u in users if u not in known]:
        known.update(readable.people_by_id(missing))
    names = {u: known[u] for u in users if u in known}
    return "、".join(sorted(names.values()))


def workflow_line(reading: Reading) -> Line:
    from lantern.cases.workflow import BY_NAME  # workflow imports this app's steps; read it late

    name = reading.entry.action.split(".", 1)[1]
    transition = BY_NAME.get(name)
    title = str(transition.title) if transition else name
    case, d = case_of(reading), reading.details
    reason = reason_for(reading, case, _workflow_reason(reading, case, name)) if case else ""
    if name == "assign" and case is not None and (people := _team_names(reading, case)):
        return Line(_("%(actor)s assigned %(people)s to the case") % {"actor": reading.actor, "people": people})
    if name == "remove_from_team" and d.get("username"):
        return Line(_("%(actor)s took %(person)s off the team") % {"actor": reading.actor, "person": d["username"]},
                    reason)
    if d.get("from") and d.get("to") and d["from"] != d["to"]:
        text = _("%(actor)s: %(title)s (%(from)s → %(to)s)") % {
            "actor": reading.actor, "title": title, "from": _state(d["from"]), "to": _state(d["to"])}
    else:
        text = _("%(actor)s: %(title)s") % {"actor": reading.actor, "title": title}
    return Line(text, reason)


# ---- the case's own events ---------------------------------------------------------

CHECKLIST_VERBS = {
    ItemStatus.DONE: lambda: _("%(actor)s marked the checklist item “%(item)s” done"),
    ItemStatus.NOT_APPLICABLE: lambda: _("%(actor)s ruled out the checklist item “%(item)s” as not applicable"),
    ItemStatus.OPEN: lambda: _("%(actor)s reopened the checklist item “%(item)s”"),
}


def not_satisfied_line(reading: Reading) -> Line:
    item = title_for_key(str(reading.details.get("item", "")))
    return Line(_("%(actor)s found the checklist item “%(item)s” not satisfied and reopened it for the police")
                % {"actor": reading.actor, "item": item})


def checklist_line(reading: Reading) -> Line:
    d, case = reading.details, case_of(reading)
    item = title_for_key(str(d.get("item", "")))
    verb = CHECKLIST_VERBS.get(d.get("to"), CHECKLIST_VERBS[ItemStatus.DONE])()
    text = verb % {"actor": reading.actor, "item": item}
    if d.get("automatic"):
        text = _("%(text)s, from the record just made") % {"text": text}
    note = ""
    if case is not None and not d.get("automatic"):
        row = near(rows_of(reading, case, "checklist"), "changed_at", reading, key=d.get("item", ""),
                   changed_by_id=reading.entry.actor_id)
        note = reason_for(reading, case, row.note) if row else ""
    return Line(text, note)


def suspect_move_line(reading: Reading) -> Line:
    d, case = reading.details, case_of(reading)
    move = MOVES_BY_NAME.get(reading.entry.action.split(".", 1)[1])
    who = suspect_label(reading, case, d.get("suspect"))
    title = str(move.title) if move else reading.entry.action
    to = str(SuspectStatus(d["to"]).label) if d.get("to") in SuspectStatus.values else ""
    row = (near(rows_of(reading, case, "suspect_events"), "at", reading, suspect_id=d.get("suspect")) if case
           else _near(SuspectEvent.objects.filter(suspect_id=d.get("suspect")), "at", reading))
    text = _("%(actor)s: %(title)s — %(suspect)s, now %(status)s") % {
        "actor": reading.actor, "title": title, "suspect": who, "status": to}
    return Line(text, reason_for(reading, case, row.reason if row else ""))


def document_line(reading: Reading) -> Line:
    d = reading.details
    kind = str(DocumentKind(d["kind"]).label) if d.get("kind") in DocumentKind.values else str(d.get("kind", ""))
    return Line(_("%(actor)s issued the document “%(kind)s” no. %(number)s") % {
        "actor": reading.actor, "kind": kind, "number": d.get("number", "")})


def arrest_extension_line(reading: Reading) -> Line:
    d, case = reading.details, case_of(reading)
    return Line(_("%(actor)s extended the time to request arrest for %(suspect)s (%(days)s days in all)") % {
        "actor": reading.actor, "suspect": suspect_label(reading, case, d.get("suspect")),
        "days": d.get("days_in_all")})


def custody_extension_line(reading: Reading) -> Line:
    d, case = reading.details, case_of(reading)
    return Line(_("%(actor)s extended investigation custody for %(suspect)s "
                  "(CPL %(article)s, %(months)s months in all)")
                % {"actor": reading.actor, "suspect": suspect_label(reading, case, d.get("suspect")),
                   "article": d.get("article", ""), "months": d.get("months_in_all", "")})


def cold_case_line(reading: Reading) -> Line:
    case = case_of(reading)
    row = _near(ColdCaseReview.objects.filter(case=case, reviewed_by_id=reading.entry.actor_id), "reviewed_at",
                reading) if case else None
    return Line(_("%(actor)s recorded a cold-case review") % {"actor": reading.actor},
                reason_for(reading, case, row.findings if row else ""))


def read_line(reading: Reading) -> Line:
    if reading.details.get("identity"):
        return Line(_("%(actor)s opened the case, with identities") % {"actor": reading.actor})
    return Line(_("%(actor)s opened the case") % {"actor": reading.actor})


def case_labels(ids: Any) -> dict[str, str]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return {str(pk): number for pk, number in Case.objects.filter(pk__in=wanted).values_list("pk", "case_number")}


def find_cases(text: str) -> list[str]:
    found = Case.objects.filter(case_number__icontains=text.strip()).values_list("pk", flat=True)[:200]
    return [str(pk) for pk in found]


def register() -> None:
    readable.OBJECT_KINDS.register(ObjectKind("cases.case", case_labels, find_cases))
    readable.register(family(Family.WORKFLOW, ""), workflow_line)
    readable.register(family(Family.SUSPECT_MOVE, ""), suspect_move_line)
    readable.register(Event.CASE_CHECKLIST_ITEM, checklist_line)
    readable.register(Event.CASE_CHECKLIST_NOT_SATISFIED, not_satisfied_line)
    readable.register(Event.CASE_READ, read_line)
    readable.register(Event.CASE_DOCUMENT_ISSUED, document_line)
    readable.register(Event.SUSPECT_ARREST_REQUEST_EXTENDED, arrest_extension_line)
    readable.register(Event.SUSPECT_CUSTODY_EXTENDED, custody_extension_line)
    readable.register(Event.CASE_COLD_CASE_REVIEW, cold_case_line)
    readable.register(Event.CASE_MARKED_HISTORICAL, said(gettext_lazy("%(actor)s marked the case historical")))
