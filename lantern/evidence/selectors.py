"""Reads of evidence: the case page's and the API's evidence list with custody and the
kit tracker, the victim's interviews, and the plain-words line the family reads."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.cases import gate
from lantern.cases import items as checklist_items
from lantern.cases.gate import Finding
from lantern.cases.models import Case
from lantern.deadlines import services as clocks
from lantern.evidence.models import Agency, EvidenceItem, LabSubmission, PlaceKind


def current_holder(item: EvidenceItem) -> str:
    """The last holder in the chain of custody (from the prefetched events when there are)."""
    events = list(item.custody.all())
    last = max(events, key=lambda e: e.sequence, default=None)
    return last.to_holder if last else ""


def evidence_json(case: Case, *, identity: bool) -> list[dict[str, Any]]:
    """The evidence of a case as pages and the API show it; descriptions and file names
    (which may name people) only with identities."""
    items = case.evidence.select_related("checklist_item__template_item", "lab").prefetch_related("custody", "files")
    return [{
        "id": item.pk, "number": f"E-{item.number}", "kind": item.kind, "kind_label": str(item.get_kind_display()),
        "checklist_item": item.checklist_item.key if item.checklist_item else None,
        "checklist_title": checklist_items.title(item.checklist_item) if item.checklist_item else None,
        "description": item.description if identity else None,
        "collected_at": item.collected_at, "holder": current_holder(item),
        "custody": [{"sequence": e.sequence, "from": e.from_holder, "to": e.to_holder, "at": e.at, "place": e.place,
                     "seal_number": e.seal_number} for e in item.custody.all()],
        "files": [{"id": str(f.uuid), "name": f.original_name if identity else None, "content_type": f.content_type,
                   "size": f.size, "sha256": f.sha256, "uploaded_at": f.uploaded_at} for f in item.files.all()],
        "lab": lab_json(item, identity=identity),
    } for item in items]


def lab_subject(item: EvidenceItem) -> str:
    return f"E-{item.number}"


def lab_clock(item: EvidenceItem) -> Any:
    return clocks.open_clock(item.case, "lab_result", lab_subject(item))


def _plain_words(submission: LabSubmission | None, clock: Any) -> str:
    if submission is None:
        return _("Collected and kept safely; not yet sent for testing.")
    if submission.received_at is None:
        return _("Sent to the laboratory; waiting for the laboratory to confirm that it arrived.")
    if submission.result_at is None:
        due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d") if clock else "—"
        return _("At the laboratory; the result is due by %(date)s.") % {"date": due}
    return _("The laboratory has finished; the investigators have the result.")


def status_in_plain_words(item: EvidenceItem) -> str:
    """For the family: where the kit is, without technical terms or results."""
    submission = LabSubmission.objects.filter(item=item).first()
    return _plain_words(submission, lab_clock(item) if submission else None)


def lab_json(item: EvidenceItem, *, identity: bool) -> dict[str, Any] | None:
    """The kit tracker's line for one item (its submission prefetched by evidence_json)."""
    submission = getattr(item, "lab", None)
    if submission is None:
        return None
    clock = lab_clock(item)
    return {"laboratory": submission.laboratory, "submitted_at": submission.submitted_at,
            "received_at": submission.received_at, "receipt_number": submission.receipt_number or None,
            "due_at": clock.due_at if clock else None, "overdue": bool(clock and clock.due_at < timezone.now()),
            "result_at": submission.result_at, "result": submission.result if identity else None,
            "in_plain_words": _plain_words(submission, clock)}


def interviews_json(case: Any, *, identity: bool) -> dict[str, Any]:
    interviews = list(case.interviews.select_related("interviewer", "approval__decided_by"))
    return {
        "count": len(interviews),
        "interviews": [{"sequence": i.sequence, "at": i.at, "interviewer": i.interviewer.username,
                        "interviewer_sex": i.interviewer_sex, "place": i.place, "place_kind": i.place_kind,
                        "place_kind_label": str(PlaceKind(i.place_kind).label),
                        "attendees": [{**a, "agency_label": str(Agency(a["agency"]).label)} for a in i.attendees],
                        "guardian_present": i.guardian_present, "appropriate_adult": i.appropriate_adult or None,
                        "audio_video": i.audio_video, "repeat_approved_by": i.approval.decided_by.username
                        if i.approval else None} for i in interviews],
        "repeat_requests": [{"id": r.pk, "reason": r.reason if identity else None, "approved": r.approved,
                             "requested_by": r.requested_by.username, "used": hasattr(r, "used_by")}
                            for r in case.repeat_interview_requests.select_related("requested_by")],
    }


# An item sent to a laboratory without a checklist link still belongs to the gate: a kit
# is the biological-evidence item whether or not the officer linked it (policy).
LAB_ITEM_BY_KIND = {"sa_kit": "biological_evidence", "biological_sample": "biological_evidence"}


def _lab_finding(item: EvidenceItem, key: str) -> Finding | None:
    submission = getattr(item, "lab", None)
    if submission is None:
        return None
    if submission.result_at is None:
        return Finding(key, gate.LAB_PENDING, _("E-%(n)s at %(lab)s since %(date)s") % {
            "n": item.number, "lab": submission.laboratory,
            "date": timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d")})
    return Finding(key, gate.LAB_RESULT, _("E-%(n)s: laboratory result of %(date)s") % {
        "n": item.number, "date": timezone.localtime(submission.result_at).strftime("%Y-%m-%d")})


def checklist_findings(case: Case) -> list[Finding]:
    """What is on record for the case's checklist (cases.gate.FINDINGS): the victim's
    interviews, linked evidence, laboratory results and results still outstanding."""
    found = [Finding("victim_interview", gate.INTERVIEW, _("Interview %(n)s of %(date)s") % {
        "n": i.sequence, "date": timezone.localtime(i.at).strftime("%Y-%m-%d")}) for i in case.interviews.all()]
    for item in case.evidence.select_related("checklist_item", "lab"):
        key = item.checklist_item.key if item.checklist_item else LAB_ITEM_BY_KIND.get(item.kind)
        if key is None:
            continue
        if (lab := _lab_finding(item, key)) is not None:
            found.append(lab)
        if item.checklist_item is not None:
            found.append(Finding(key, gate.EVIDENCE, f"E-{item.number} · {item.get_kind_display()}"))
    return found
