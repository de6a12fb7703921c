"""Documents a case produces for the complainant, built once for every place that hands
them out (the case page, the intake receipt, the family portal).

Each carries what an official notice carries: the complainant it is addressed to, a
number in the issuing unit's series (drawn once, kept for every reprint), the decided
reasons (the decider's, never the proposal's draft), the legal basis (read from the
workflow table, so a corrected citation reaches the paper) and the issuing unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.accounts.models import Unit, User
from lantern.audit.events import Event, Family, family
from lantern.audit.models import AuditEntry
from lantern.audit.services import record
from lantern.cases import workflow
from lantern.cases.access import basis, identity_on, restrictions_in_force
from lantern.cases.models import (
    Case,
    DecisionKind,
    DecisionStatus,
    DocumentCounter,
    DocumentKind,
    IssuedDocument,
    Proceeding,
    ProceedingKind,
    ProceedingStatus,
)
from lantern.core.actions import action
from lantern.core.errors import Conflict, NotFound
from lantern.core.pdf import render_pdf
from lantern.core.public import portal_address, qr_svg
from lantern.core.vault.pseudonyms import pseudonymise
from lantern.deadlines.rules import FILING_REVIEW_RULES


@dataclass(frozen=True)
class Series:
    """A kind of document: its title and the word of its number ("不立字"). Checked against
    published texts: 不予立案通知书 and 不立字 (a notice quoted in 花都府行复〔2025〕647号:
    穗公花(城东)不立字〔2025〕310440号), and the 复议决定书 MPS art. 179 names. The other
    words, the 复核决定书 title and the title of the procuratorate's reply (it tells the
    complainant the reasons within 10 days) are (policy) until checked against the MPS and
    SPP document forms."""

    title: str
    word: str
    template: str


SERIES: dict[str, Series] = {
    DocumentKind.RECEIPT: Series("受案回执", "受案字", "intake/receipt_pdf.html"),
    DocumentKind.NON_FILING_NOTICE: Series("不予立案通知书", "不立字", "cases/notice_pdf.html"),
    DocumentKind.RECONSIDERATION_DECISION: Series("刑事复议决定书", "复议字", "cases/decision_pdf.html"),
    DocumentKind.REVIEW_DECISION: Series("刑事复核决定书", "复核字", "cases/decision_pdf.html"),
    DocumentKind.SUPERVISION_REPLY: Series("不立案理由审查意见告知书", "不立告字", "cases/decision_pdf.html"),
}
# Which proceeding decides which document, and the workflow row whose legal reference it cites.
BY_PROCEEDING = {
    ProceedingKind.RECONSIDERATION: (DocumentKind.RECONSIDERATION_DECISION, "decide_reconsideration"),
    ProceedingKind.REVIEW: (DocumentKind.REVIEW_DECISION, "decide_review"),
    ProceedingKind.SUPERVISION: (DocumentKind.SUPERVISION_REPLY, "uphold_non_filing"),
}


# --- Numbers ----------------------------------------------------------------------------


def _next_serial(unit: Unit, kind: str, year: int) -> int:
    """One upsert that locks the series row until commit (as intake's case numbers do), so
    two first printings in one unit queue and the series has no gaps."""
    table = DocumentCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, kind, year, last) VALUES (%s, %s, %s, 1) "  # noqa: S608 (our table)
            f"ON CONFLICT (unit_id, kind, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, kind, year])
        (last,) = cursor.fetchone()
    return last


def format_number(unit: Unit, kind: str, year: int, serial: int) -> str:
    prefix = unit.document_prefix or unit.name
    return f"{prefix}{SERIES[kind].word}〔{year}〕{serial}号"


@action
def issue_document(*, actor: Any, case: Case, kind: str, subject: str, unit: Unit, year: int) -> IssuedDocument:
    """The document's number: drawn on its first printing, the same on every reprint.
    Two first printings at once get one number: the loser's insert hits the unique
    constraint, its savepoint (and its increment of the series) rolls back, and it reads
    the winner's row."""
    existing = IssuedDocument.objects.filter(case=case, kind=kind, subject=subject).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            serial = _next_serial(unit, kind, year)
            document = IssuedDocument.objects.create(
                case=case, kind=kind, subject=subject, unit=unit, year=year, serial=serial,
                number=format_number(unit, kind, year, serial), issued_at=timezone.now(),
                issued_by=actor if isinstance(actor, User) else None)
    except IntegrityError:
        return IssuedDocument.objects.get(case=case, kind=kind, subject=subject)
    record(actor=actor, action=Event.CASE_DOCUMENT_ISSUED, obj=case,
           details={"kind": kind, "number": document.number, "unit": unit.code})
    return document


# --- What the documents say --------------------------------------------------------------


def _complainant(case: Case) -> Any:
    try:
        return case.complainant
    except ObjectDoesNotExist:  # generated benchmark cases have none
        return None


@action
def addressee(*, actor: Any, case: Case) -> str:
    """Whom the document is addressed to. The complainant's name for the family itself
    (``actor`` None, on the portal) and for readers who may see identities (an identity
    read, audited as one); others get the complainant by relation to the victim's pseudonym."""
    complainant = _complainant(case)
    if complainant is None:
        return ""
    if actor is None:
        return complainant.name
    why = basis(actor, case)
    if identity_on(actor, why):
        record(actor=actor, action=Event.CASE_READ, obj=case,
               details={"basis": why, "identity": True, "purpose": "document",
                        "sealed": "sealed" in restrictions_in_force(case)})
        return complainant.name
    relation = complainant.relation.strip()
    if relation == "本人":
        return f"被害人{case.victim.pseudonym}本人"
    return f"被害人{case.victim.pseudonym}的{relation or '控告人'}"


def _reasons(text: str, case: Case) -> str:
    return pseudonymise(text, case).strip().rstrip("。.")


def _approved_non_filing(case: Case) -> Any:
    decision = case.decisions.filter(kind=DecisionKind.NOT_FILE, status=DecisionStatus.APPROVED).last()
    if decision is None:
        raise Conflict(_("This case has no approved non-filing decision, so there is no notice to print."))
    return decision


def decided_reasons(decision: Any) -> str:
    """The reasons the decision was taken for: the approver's whose approval decided it
    (the last), else the latest approver who wrote one. Never the proposal's draft."""
    approvals = list(decision.approvals.filter(approved=True).order_by("at", "pk"))
    for approval in reversed(approvals):
        if approval.reason.strip():
            return approval.reason
    raise Conflict(_("The approval records no reasons, so the notice cannot state them. The approver must "
                     "record the reasons for the decision."))


def _decider(case: Case, row: str) -> User | None:
    """Who took the workflow action ``row`` on this case last (the decision trail)."""
    entry = (AuditEntry.objects.filter(action=family(Family.WORKFLOW, row), object_type="cases.case",
                                       object_id=str(case.pk)).order_by("-id").first())
    return User.objects.filter(pk=entry.actor_id).select_related("unit").first() if entry else None


def _issuing_unit(case: Case, proceeding: Proceeding, row: str) -> Unit:
    if proceeding.kind == ProceedingKind.RECONSIDERATION:
        return case.unit  # 作出决定的公安机关
    decider = _decider(case, row)
    if decider is None or decider.unit is None:
        raise Conflict(_("Who decided is not on record, so the issuing unit is unknown."))
    return decider.unit.command_unit()  # the next level up (复核) or the procuratorate


def _reference(row: str) -> str:
    return workflow.BY_NAME[row].legal_reference


def _letterhead(document: IssuedDocument) -> dict[str, Any]:
    return {"number": document.number, "unit": document.unit}


# --- The documents ------------------------------------------------------------------------


def _notice(case: Case, reader: Any) -> IssuedDocument:
    """The non-filing notice's number (a decision on a reconsideration cites it; the notice
    was delivered before anyone could apply, so it has one, or gets it now)."""
    decision = _approved_non_filing(case)
    return issue_document(actor=reader, case=case, kind=DocumentKind.NON_FILING_NOTICE,
                          subject=f"decision:{decision.pk}", unit=case.unit,
                          year=timezone.localtime(decision.decided_at).year)


def non_filing_notice(case: Case, reader: Any = None, addressed_to: Case | None = None) -> bytes:
    """不予立案通知书: the approver's reasons, the basis and the rights; the victim by pseudonym."""
    decision = _approved_non_filing(case)
    reasons = _reasons(decided_reasons(decision), case)
    decided_at = timezone.localtime(decision.decided_at)
    document = _notice(case, reader)
    return render_pdf(SERIES[DocumentKind.NON_FILING_NOTICE].template, {
        "case": case, "complainant": addressee(actor=reader, case=addressed_to or case), "reason": reasons,
        "decided_at": decided_at,
        "basis": _reference("propose_non_filing"), "reconsideration_basis": _reference("apply_reconsideration"),
        "supervision_basis": _reference("complain_to_procuratorate"), **_letterhead(document)})


DECIDED = (ProceedingStatus.UPHELD, ProceedingStatus.OVERTURNED)


def decided_proceedings(case: Case) -> list[Proceeding]:
    """The proceedings whose decision the complainant receives in writing: reconsideration
    and review decided either way, and supervision where the procuratorate upheld the
    police reasons (when it does not, the police must file, and the family hears that).
    A proceeding closed because the case was filed by another route decided nothing: it
    has no reasons of its own, and no document."""
    found = []
    for proceeding in case.proceedings_in_order():
        if proceeding.kind not in BY_PROCEEDING or proceeding.status not in DECIDED:
            continue
        if proceeding.kind == ProceedingKind.SUPERVISION and proceeding.status != ProceedingStatus.UPHELD:
            continue
        if proceeding.outcome_reason.strip():
            found.append(proceeding)
    return found


def decided_proceeding(case: Case, kind: str) -> Proceeding:
    found = [p for p in decided_proceedings(case) if p.kind == kind]
    if not found:
        raise Conflict(_("This decision has not been taken, so there is no document to print."))
    return found[-1]


def proceeding_document_kind(proceeding: Proceeding) -> str:
    return BY_PROCEEDING[ProceedingKind(proceeding.kind)][0]


def decision_document(case: Case, proceeding: Proceeding, reader: Any = None,
                      addressed_to: Case | None = None) -> bytes:
    """复议决定书, 复核决定书, or the procuratorate's reply that the police reasons stand."""
    if proceeding.case_id != case.pk or proceeding not in decided_proceedings(case):
        raise NotFound()
    kind, row = BY_PROCEEDING[ProceedingKind(proceeding.kind)]
    decided_at = timezone.localtime(proceeding.closed_at or proceeding.opened_at)
    document = issue_document(actor=reader, case=case, kind=kind, subject=f"proceeding:{proceeding.pk}",
                              unit=_issuing_unit(case, proceeding, row), year=decided_at.year)
    return render_pdf(SERIES[kind].template, {
        "case": case, "kind": kind, "title": SERIES[kind].title,
        "complainant": addressee(actor=reader, case=addressed_to or case),
        "upheld": proceeding.status == ProceedingStatus.UPHELD, "automatic": proceeding.automatic,
        "reason": _reasons(proceeding.outcome_reason, case), "applied_at": timezone.localtime(proceeding.opened_at),
        "decided_at": decided_at, "basis": _reference(row), "notice_number": _notice(case, reader).number,
        "review_basis": _reference("apply_review"), "supervision_basis": _reference("complain_to_procuratorate"),
        "police_unit": case.unit, **_letterhead(document)})


def review_clock(case: Case) -> Any:
    """The filing-review clock that decides this report (ordinary or minors'): a merged
    report's runs on the case it joined."""
    surviving = case.merged_into or case
    return surviving.deadlines.filter(rule__in=FILING_REVIEW_RULES).order_by("started_at").first()


def receipt(case: Case, *, actor: Any, secret: str) -> bytes:
    """受案回执, for the complainant at intake. A merged report's receipt names the case it
    joined and that case's review deadline: the clock that decides it runs there."""
    surviving = case.merged_into or case
    review = review_clock(case)
    received = timezone.localtime(case.received_at)
    document = issue_document(actor=actor, case=case, kind=DocumentKind.RECEIPT, subject="case",
                              unit=case.intake_unit, year=received.year)
    complainant = _complainant(case)
    portal = portal_address()
    return render_pdf(SERIES[DocumentKind.RECEIPT].template, {
        "case": case, "surviving": surviving if surviving != case else None, "received": received,
        "complainant": complainant.name if complainant else "", "tracking_code": case.tracking_code,
        "secret": secret, "review_due": timezone.localtime(review.due_at) if review else None,
        "review_provisional": review.provisional if review else False,
        "phone": surviving.unit.contact_phone or case.intake_unit.contact_phone,
        "portal": portal, "portal_qr": qr_svg(portal), **_letterhead(document)})


# --- Where they are offered ----------------------------------------------------------------

STAFF_PATHS = {  # the case page's download names (cases.urls)
    DocumentKind.RECONSIDERATION_DECISION: "reconsideration_pdf",
    DocumentKind.REVIEW_DECISION: "review_pdf",
    DocumentKind.SUPERVISION_REPLY: "supervision_reply_pdf",
}


def has_non_filing_notice(case: Case) -> bool:
    return any(d.kind == DecisionKind.NOT_FILE and d.status == DecisionStatus.APPROVED
               for d in case.decisions_in_order())


TITLES = {
    DocumentKind.NON_FILING_NOTICE: gettext_lazy("Notice of the decision not to open a case"),
    DocumentKind.RECONSIDERATION_DECISION: gettext_lazy("Reconsideration decision"),
    DocumentKind.REVIEW_DECISION: gettext_lazy("Review decision by the next level up"),
    DocumentKind.SUPERVISION_REPLY: gettext_lazy("The procuratorate's reply: the non-filing reasons stand"),
}


def case_documents(case: Case) -> list[dict[str, Any]]:
    """The documents the case page offers for download, in the order they were decided."""
    found = []
    if has_non_filing_notice(case):
        found.append({"kind": DocumentKind.NON_FILING_NOTICE, "testid": "notice-pdf",
                      "title": TITLES[DocumentKind.NON_FILING_NOTICE],
                      "url": reverse("cases:notice_pdf", args=[case.pk])})
    for proceeding in decided_proceedings(case):
        kind = proceeding_document_kind(proceeding)
        found.append({"kind": kind, "testid": f"{kind.replace('_', '-')}-pdf", "title": TITLES[kind],
                      "url": reverse(f"cases:{STAFF_PATHS[kind]}", args=[case.pk])})
    return found
