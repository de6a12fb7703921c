"""Reads for the institution pages only, over the selectors: the rows of the workspace
(every report's feedback clocks and latest feedback in one query each, none per report),
the day's checks against the limits, the lists of registry checks, a bulk check's rows
with the hits first, and the reporting-duty figures drawn as bars."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Capability, has_capability
from lantern.cases.states import Indicator
from lantern.deadlines.models import RUNNING, Deadline
from lantern.institutions import checks, selectors
from lantern.institutions.models import (
    BulkCheck,
    CheckPurpose,
    CheckResult,
    Feedback,
    FeedbackStage,
    MandatoryReport,
    NonReporting,
)
from lantern.institutions.rules import own_q
from lantern.institutions.services import ACCEPTED, DECIDED, FEEDBACK_RULE, clock_subject

PAGE_SIZE = 50


def report_rows(reports: Iterable[MandatoryReport]) -> list[dict[str, Any]]:
    """A line per report: its receipt, when it was filed, the latest feedback (or none
    yet), when the next feedback is due, and how many of its questions wait for an answer."""
    reports = list(reports)
    subjects = {clock_subject(r, which): r.pk for r in reports for which in (ACCEPTED, DECIDED)}
    due: dict[int, Any] = {}
    for subject, due_at in Deadline.objects.filter(rule=FEEDBACK_RULE, subject__in=subjects,
                                                   status__in=RUNNING).values_list("subject", "due_at"):
        pk = subjects[subject]
        due[pk] = min(due.get(pk, due_at), due_at)
    latest = {report_id: (stage, given_at) for report_id, stage, given_at in Feedback.objects.filter(
        report__in=reports).order_by("given_at", "pk").values_list("report_id", "stage", "given_at")}
    waiting = dict(MandatoryReport.objects.filter(pk__in=[r.pk for r in reports]).annotate(
        n=Count("questions", filter=Q(questions__answered_at__isnull=True))).values_list("pk", "n"))
    now = timezone.now()
    return [{"id": r.pk, "receipt_number": r.receipt_number, "observed_at": r.observed_at, "filed_at": r.filed_at,
             "feedback_label": FeedbackStage(latest[r.pk][0]).label if r.pk in latest else None,
             "feedback_at": latest[r.pk][1] if r.pk in latest else None,
             "feedback_due_at": due.get(r.pk), "overdue": r.pk in due and due[r.pk] < now,
             "open_questions": waiting.get(r.pk, 0)} for r in reports]


def indicator_labels(keys: Iterable[str]) -> list[str]:
    return [str(Indicator(k).label) for k in keys if k in Indicator.values]


def usage(user: Any) -> list[dict[str, Any]]:
    """Today's checks against the day's limits, single checks and bulk rows apart."""
    institution = user.unit.institution
    used, limits = checks.used_today(institution), checks.limits()
    labels = {"single": _("Single checks today"), "bulk": _("Rows of bulk checks today")}
    return [{"key": key, "label": labels[key], "used": used[key], "limit": limits[key],
             "percent": min(100, used[key] * 100 // limits[key]) if limits[key] else 100,
             "full": used[key] >= limits[key]} for key in ("single", "bulk")]


def check_list(user: Any) -> QuerySet[Any]:
    """The checks the page lists: an institution's single checks (a bulk check's rows are on
    its own page), every check an inspector may read, the hits a serving unit follows."""
    qs = selectors.visible_checks(user)
    if has_capability(user, Capability.CHECK_REGISTRY):
        qs = qs.filter(batch__isnull=True)
    return qs


def answer(user: Any, check_id: str | None) -> dict[str, Any] | None:
    """The answer to one of the institution's own single checks, as the API gives it, with
    the name it typed: shown once after the check, and again if the page is reloaded."""
    if not (check_id or "").isdigit() or not has_capability(user, Capability.CHECK_REGISTRY):
        return None
    c = check_list(user).filter(pk=int(check_id)).select_related("institution__serving_unit").first()
    if c is None:
        return None
    return {**selectors.check_json(c), "applicant": c.applicant_name, "result_label": CheckResult(c.result).label,
            "purpose_label": CheckPurpose(c.purpose).label}


def own_batches(user: Any, limit: int = 20) -> list[BulkCheck]:
    return list(BulkCheck.objects.filter(own_q(user))[:limit])


def batch_view(batch: BulkCheck, user: Any) -> dict[str, Any]:
    """The batch as the API gives it, its rows with the hits first, and what to do about them."""
    body = selectors.batch_json(batch, user)
    body["rows"] = sorted(body["rows"], key=lambda r: (r["result"] != CheckResult.HIT, r["row"] or 0))
    body["instruction"] = selectors.instruction(CheckResult.HIT if batch.hits else CheckResult.NO_HIT,
                                                batch.institution) if body["finished"] else ""
    return body


def duty_page(user: Any) -> dict[str, Any]:
    """The duty figures with a bar's width for each count (the widest count is 100 px), and
    each record of non-reporting linked where the reader may open it: the decision trail
    for an inspector (who does not open case pages), the case for a prosecutor."""
    figures = selectors.duty_figures(user)
    widest = max((max(r["reports"], r["late_reports"], r["not_reported"]) for r in figures["rows"]), default=0) or 1
    for row in figures["rows"]:
        row["bars"] = {key: round(100 * row[key] / widest) for key in ("reports", "late_reports", "not_reported")}
    totals = {key: sum(r[key] for r in figures["rows"]) for key in ("reports", "late_reports", "not_reported")}
    trail = has_capability(user, Capability.RECORD_ACCOUNTABILITY)
    case_of = dict(NonReporting.objects.filter(pk__in=[n["id"] for n in figures["non_reporting"]])
                   .values_list("pk", "case_id"))
    for n in figures["non_reporting"]:
        case_id = case_of[n["id"]]
        n["url"] = reverse("discipline:trail", args=[case_id]) if trail else reverse("cases:detail", args=[case_id])
    return {**figures, "totals": totals, "links_to_trail": trail}
