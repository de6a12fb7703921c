"""The portal's view of one case: plain words, the next promise the police must keep,
notices, services, the kit, the family's questions. Built from the case and nothing
about its suspects, the narrative or the evidence beyond the kit's plain status."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from lantern.access.policy import Verb, scope
from lantern.cases.documents import (
    TITLES,
    decided_proceedings,
    decision_document,
    non_filing_notice,
    proceeding_document_kind,
)
from lantern.cases.models import Case, DocumentKind
from lantern.cases.states import State
from lantern.core.errors import NotFound
from lantern.core.vault.pseudonyms import pseudonymise
from lantern.deadlines.models import RUNNING, Deadline
from lantern.deadlines.rules import rule
from lantern.discipline.selectors import disclosures_for_family
from lantern.evidence.models import EvidenceKind
from lantern.evidence.selectors import status_in_plain_words
from lantern.portal.models import Question
from lantern.portal.status import FAMILY_WINDOWS, PLAIN_WORDS, POLICE_PROMISES
from lantern.referrals.catalogue import OPEN
from lantern.referrals.models import Referral
from lantern.referrals.selectors import first_contact_clock


def followed(case: Case) -> Case:
    """The case a portal session follows: its own, or for a merged report the case it was
    merged into (its state, clocks, notices and team are that case's)."""
    return case.merged_into or case


def family_questions(case: Case) -> QuerySet[Question]:
    """The questions this report's complainant asked: on the followed case, theirs only
    (another complainant of the same case reads their own)."""
    master = followed(case)
    return master.family_questions.filter(from_report=case if master != case else None)


def _clocks(case: Case, keys: dict[str, Any]) -> list[Deadline]:
    return list(Deadline.objects.filter(case=followed(case), rule__in=list(keys), status__in=RUNNING)
                .exclude(rule="family_question", subject__in=_others_questions(case)).order_by("due_at"))


def _others_questions(case: Case) -> list[str]:
    """Clock subjects of questions another complainant of the followed case asked."""
    mine = family_questions(case).values("pk")
    return [q.clock_subject for q in followed(case).family_questions.exclude(pk__in=mine).only("pk")]


def next_promise(case: Case) -> dict[str, Any] | None:
    clock = next(iter(_clocks(case, POLICE_PROMISES)), None)
    if clock is None:
        return None
    return {"what": str(POLICE_PROMISES[clock.rule]), "due_at": clock.due_at,
            "overdue": clock.due_at < timezone.now(), "legal_reference": rule(clock.rule).legal_reference}


def windows(case: Case) -> list[dict[str, Any]]:
    now = timezone.now()
    return [{"rule": c.rule, "what": str(FAMILY_WINDOWS[c.rule]), "until": c.due_at,
             "legal_reference": rule(c.rule).legal_reference}
            for c in _clocks(case, FAMILY_WINDOWS) if c.due_at > now]


def question_json(q: Question, *, for_family: bool) -> dict[str, Any]:
    clock = Deadline.objects.filter(case_id=q.case_id, rule="family_question", subject=q.clock_subject).first()
    data = {"id": q.pk, "kind": q.kind, "kind_label": str(q.get_kind_display()), "text": q.text,
            "asked_at": q.asked_at, "due_at": clock.due_at if clock else None,
            "overdue": bool(clock and q.answered_at is None and clock.due_at < timezone.now()),
            "extended": q.extended_at is not None, "extension_reason": q.extension_reason,
            "answer": q.answer, "answered_at": q.answered_at}
    if not for_family:
        data.update(case_id=q.case_id, case_number=q.case.case_number)
    return data


def _services(case: Case) -> list[dict[str, Any]]:
    rows = []
    for referral in Referral.objects.filter(case=case).select_related("partner", "consent"):
        clock = first_contact_clock(referral)
        promise = clock if clock is not None and clock.status in RUNNING else None
        rows.append({"service": str(referral.get_service_display()), "partner": referral.partner.name,
                     "status": referral.status, "status_label": str(referral.get_status_display()),
                     "first_contact_due": promise.due_at if promise else None,
                     "consent_id": referral.consent.pk if referral.consent.in_force and referral.status in OPEN
                     else None})
    return rows


def portal_case(case: Case) -> dict[str, Any]:
    """``case``: the session's own report; what happens is read from the case it follows.
    Services stay the report's own (a consent is the person's who gave it)."""
    master = followed(case)
    meaning, next_step = PLAIN_WORDS[master.state]
    kits = master.evidence.filter(kind=EvidenceKind.SA_KIT)
    open_windows = windows(case)
    return {
        "tracking_code": case.tracking_code, "received_at": case.received_at, "police_unit": master.unit.name,
        "state": master.state, "in_plain_words": str(meaning), "what_happens_next": str(next_step),
        "next_deadline": next_promise(case), "your_windows": open_windows,
        "may_apply_for_reconsideration": master.state == State.NOT_FILED and any(
            w["rule"] == "reconsideration_application" for w in open_windows),
        "notices": notices(case),
        "services": _services(case),
        "kits": [{"number": str(k), "status": status_in_plain_words(k)} for k in kits],
        "questions": [question_json(q, for_family=True) for q in family_questions(case)],
        # What the discipline inspectors disclosed of holding officials to account.
        "disclosures": disclosures_for_family(master),
    }


def notices(case: Case) -> list[dict[str, Any]]:
    """The documents the family received: the non-filing notice once delivered, and each
    decision on their reconsideration, review or complaint to the procuratorate."""
    master = followed(case)
    found = [{"id": n.pk, "kind": DocumentKind.NON_FILING_NOTICE, "title": str(TITLES[DocumentKind.NON_FILING_NOTICE]),
              "delivered_at": n.delivered_at} for n in master.notices.all()]
    found += [{"id": p.pk, "kind": proceeding_document_kind(p), "title": str(TITLES[proceeding_document_kind(p)]),
               "delivered_at": p.closed_at} for p in decided_proceedings(master)]
    return found


def notice_pdf(case: Case, notice_id: int) -> bytes:
    """A notice of the followed case, as PDF; another case's notice does not exist here."""
    master = followed(case)
    if not master.notices.filter(pk=notice_id).exists():
        raise NotFound()
    # Addressed to this report's own complainant: a merged report's family never sees the
    # name of whoever reported first.
    return non_filing_notice(master, addressed_to=case)


def decision_pdf(case: Case, proceeding_id: int) -> bytes:
    """A decision the family received (reconsideration, review, the procuratorate's reply)."""
    master = followed(case)
    proceeding = next((p for p in decided_proceedings(master) if p.pk == proceeding_id), None)
    if proceeding is None:
        raise NotFound()
    return decision_document(master, proceeding, addressed_to=case)


def unanswered(user: Any) -> QuerySet[Question]:
    """The unit-level list: questions of the user's cases still waiting for an answer, each
    with the due time of its clock (``answer_due_at``), soonest first."""
    clock = Deadline.objects.filter(case=OuterRef("case"), rule="family_question",
                                    subject=Concat(Value("question:"), Cast(OuterRef("pk"), CharField())))
    return (scope(user, Verb.VIEW, Question.objects.filter(answered_at__isnull=True))
            .annotate(answer_due_at=Subquery(clock.values("due_at")[:1]))
            .select_related("case").order_by("answer_due_at", "asked_at"))


def staff_question_json(q: Question, *, identity: bool) -> dict[str, Any]:
    row = question_json(q, for_family=False)
    row["from_report"] = q.from_report.case_number if q.from_report_id else None
    if not identity:  # a family's words can name people: pseudonyms for readers without identity access
        row["text"], row["answer"] = pseudonymise(row["text"], q.case), pseudonymise(row["answer"], q.case)
    return row


def staff_questions(case: Case, *, identity: bool) -> list[dict[str, Any]]:
    asked = case.family_questions.select_related("case", "from_report")
    return [staff_question_json(q, identity=identity) for q in asked]


def staff_section(case: Case, user: Any, *, identity: bool) -> dict[str, Any]:
    """The case page's "Questions from the family" section (cases.sections)."""
    return {"family_questions": staff_questions(case, identity=identity)}
