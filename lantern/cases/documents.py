"""Documents a case produces for people outside the police, built once for every place
that hands them out (the case page, the family portal)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.cases import workflow
from lantern.cases.models import Case, DecisionKind, DecisionStatus
from lantern.core.errors import Conflict
from lantern.core.pdf import render_pdf
from lantern.core.vault.pseudonyms import pseudonymise


def non_filing_notice(case: Case) -> bytes:
    """不予立案通知书: the reasons and the right to reconsideration; the victim by pseudonym."""
    decision = case.decisions.filter(kind=DecisionKind.NOT_FILE, status=DecisionStatus.APPROVED).last()
    if decision is None:
        raise Conflict(_("This case has no approved non-filing decision, so there is no notice to print."))
    return render_pdf("cases/notice_pdf.html", {
        "case": case, "reason": pseudonymise(decision.reason, case).rstrip("。."),
        "decided_at": timezone.localtime(decision.decided_at),
        "reference": workflow.BY_NAME["propose_non_filing"].legal_reference})
