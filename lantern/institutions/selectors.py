"""Reads: a report as its institution reads it (never the case), the reports of a case for
the police, the figures of the reporting duty for inspectors and the procuratorate."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import (
    Capability,
    Verb,
    has_capability,
    jurisdiction_q,
    require_capability,
    scope,
    scope_few,
)
from lantern.accounts.models import Institution, InstitutionKind, Unit
from lantern.cases.matchers import Matcher, SearchText
from lantern.cases.models import Case
from lantern.cases.selectors import deadline_json, with_merged
from lantern.core.errors import NotFound, PermissionDenied
from lantern.deadlines.models import RUNNING, Deadline
from lantern.institutions import checks
from lantern.institutions.models import (
    BulkCheck,
    CheckPurpose,
    CheckResult,
    FeedbackStage,
    InstitutionQuestion,
    MandatoryReport,
    NonReporting,
    RegistryCheck,
)
from lantern.institutions.rules import own_q
from lantern.institutions.services import FEEDBACK_RULE, QUESTION_RULE, late_after

RECEIPT = re.compile(r"MR-?(?P<year>[0-9]{4})-?(?P<n>[0-9]{1,6})")


def receipt_q(t: SearchText) -> Q | None:
    """MR-2026-000017, in any case, with or without the zeros: the case a report became."""
    found = RECEIPT.fullmatch(t.compact.upper())
    if found is None:
        return None
    number = f"MR-{found['year']}-{int(found['n']):06d}"
    return Q(pk__in=MandatoryReport.objects.filter(receipt_number=number).values("case_id"))


RECEIPT_MATCHER = Matcher("receipt_number", _("Mandatory report receipt"), receipt_q)


def own_reports(user: Any) -> QuerySet[MandatoryReport]:
    return MandatoryReport.objects.filter(own_q(user)).select_related("case", "institution__unit")


def own_report(user: Any, report_id: int) -> MandatoryReport:
    """One of the user's institution's reports: 403 to those who file none, 404 to others."""
    require_capability(user, Capability.FILE_MANDATORY_REPORTS)
    report = own_reports(user).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report


def visible_reports(user: Any) -> QuerySet[MandatoryReport]:
    return scope(user, Verb.VIEW, MandatoryReport.objects.select_related("case", "institution__unit"))


def _clocks(report: MandatoryReport) -> list[Deadline]:
    case = report.case.merged_into or report.case
    subjects = [f"mandatory-report:{report.pk}:accepted", f"mandatory-report:{report.pk}:decision"]
    return list(Deadline.objects.filter(Q(case=report.case) | Q(case=case), rule=FEEDBACK_RULE,
                                        subject__in=subjects).order_by("started_at"))


def feedback_due_at(report: MandatoryReport) -> Any:
    running = [c for c in _clocks(report) if c.status in RUNNING]
    return min((c.due_at for c in running), default=None)


def _feedback(f: Any) -> dict[str, Any]:
    return {"stage": f.stage, "stage_label": str(FeedbackStage(f.stage).label), "text": f.text, "given_at": f.given_at}


def _question(q: InstitutionQuestion, due: dict[str, Any]) -> dict[str, Any]:
    return {"id": q.pk, "text": q.text, "asked_at": q.asked_at, "answer": q.answer or None,
            "answered_at": q.answered_at, "due_at": due.get(q.clock_subject)}


def report_json(report: MandatoryReport) -> dict[str, Any]:
    """What the institution reads: its report's receipt, the feedback, its questions and
    the files it handed in. The case's number and state are the police's, not shown."""
    history = [_feedback(f) for f in report.feedback.all()]
    case = report.case.merged_into or report.case
    questions = list(report.questions.all())
    due = dict(Deadline.objects.filter(case=case, rule=QUESTION_RULE, status__in=RUNNING,
                                       subject__in=[q.clock_subject for q in questions])
               .values_list("subject", "due_at"))
    return {"id": report.pk, "receipt_number": report.receipt_number, "observed_at": report.observed_at,
            "filed_at": report.filed_at, "child_age_band": report.case.age_band, "indicators": report.case.indicators,
            "feedback": history[-1] if history else None, "feedback_history": history,
            "feedback_due_at": feedback_due_at(report), "questions": [_question(q, due) for q in questions],
            "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "added_at": a.added_at}
                            for a in report.attachments.all()]}


def case_section(case: Any, user: Any, *, identity: bool) -> dict[str, Any]:
    """The case page's "Mandatory report" section: the report this case came from (with
    its feedback clocks, the questions to answer) and the record of non-reporting."""
    report = MandatoryReport.objects.filter(case_id__in=with_merged([case.pk])).select_related(
        "institution__unit", "institution__serving_unit").first()
    context: dict[str, Any] = {"mandatory_report": None, "non_reporting": list(
        NonReporting.objects.filter(case=case).select_related("institution__unit")),
        "institution_kinds": InstitutionKind.choices, "feedback_stages": FeedbackStage.choices}
    context["registered_institutions"] = list(
        Institution.objects.filter(unit__division_code__startswith=case.unit.division_code[:4])
        .select_related("unit").order_by("unit__name")[:200])
    if report is not None:
        body = report_json(report)
        body.update(institution=report.institution.unit.name, kind=report.institution.get_kind_display(),
                    address=report.institution.address, clocks=[deadline_json(c) for c in _clocks(report)],
                    reporter={"name": report.reporter_name, "phone": report.reporter_phone,
                              "position": report.reporter_position} if identity else None,
                    late=report.filed_at - report.observed_at > late_after(),
                    possible_duplicates=list(scope_few(user, Verb.VIEW, Case.objects.filter(
                        pk__in=report.possible_duplicates)).values("pk", "case_number", "state")))
        body["question_rows"] = list(report.questions.all())
        context["mandatory_report"] = body
    return context


def _region_names(codes: set[str]) -> dict[str, str]:
    """A division code read as the county police bureau that covers it."""
    names = {}
    bureaus = list(Unit.objects.filter(branch="police", level="county").values_list("division_code", "name"))
    for code in codes:
        names[code] = next((name for division, name in bureaus if division == code), code)
    return names


def duty_figures(user: Any) -> dict[str, Any]:
    """The reporting duty in the user's jurisdiction, by institution kind and county: reports
    filed, those filed late (observed long before), and offences known and not reported."""
    if not has_capability(user, Capability.READ_REPORTING_DUTY):
        return {"late_after_hours": int(late_after().total_seconds() // 3600), "rows": [], "non_reporting": []}
    reports = MandatoryReport.objects.filter(jurisdiction_q(user, "institution__unit"))
    records = NonReporting.objects.filter(jurisdiction_q(user, "case__unit")).select_related(
        "case", "institution__unit")
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"reports": 0, "late_reports": 0,
                                                                          "not_reported": 0})
    limit = late_after()
    for kind, division, filed, observed in reports.values_list("institution__kind", "institution__unit__division_code",
                                                               "filed_at", "observed_at"):
        row = counts[(kind, division)]
        row["reports"] += 1
        row["late_reports"] += int(filed - observed > limit)
    shown = list(records[:200])
    for kind, division in records.values_list("kind", "division_code"):
        counts[(kind, division)]["not_reported"] += 1
    names = _region_names({d for _k, d in counts} | {r.division_code for r in shown})
    rows = [{"kind": kind, "kind_label": str(InstitutionKind(kind).label), "region": names[division], **n}
            for (kind, division), n in sorted(counts.items())]
    return {"late_after_hours": int(limit.total_seconds() // 3600), "rows": rows,
            "non_reporting": [{"id": r.pk, "case_number": r.case.case_number, "institution": r.name, "kind": r.kind,
                               "kind_label": str(InstitutionKind(r.kind).label), "region": names[r.division_code],
                               "knew_since": r.knew_since, "recorded_at": r.recorded_at} for r in shown]}


# --- Registry checks --------------------------------------------------------------------


# Who reads registry checks: each its own part (visible_checks).
CHECK_READERS = (Capability.CHECK_REGISTRY, Capability.READ_REGISTRY_CHECKS, Capability.FOLLOW_REGISTRY_HITS)


def require_check_reader(user: Any) -> None:
    if not any(has_capability(user, c) for c in CHECK_READERS):
        raise PermissionDenied()


def visible_checks(user: Any) -> QuerySet[RegistryCheck]:
    """An institution reads its own checks; inspectors every check in their jurisdiction;
    the police of a serving unit the hits of the institutions they serve."""
    qs = RegistryCheck.objects.select_related("institution__unit").exclude(result=CheckResult.PENDING)
    if has_capability(user, Capability.CHECK_REGISTRY):
        return qs.filter(own_q(user))
    if has_capability(user, Capability.READ_REGISTRY_CHECKS):
        return qs.filter(jurisdiction_q(user, "institution__unit"))
    if has_capability(user, Capability.FOLLOW_REGISTRY_HITS) and user.unit is not None:
        served = user.unit.command_unit().path
        return qs.filter(result=CheckResult.HIT, institution__serving_unit__path__startswith=served)
    return qs.none()


def check_row(c: RegistryCheck, user: Any) -> dict[str, Any]:
    own = has_capability(user, Capability.CHECK_REGISTRY)
    return {"check_id": c.pk, "institution": c.institution.unit.name, "purpose": c.purpose,
            "purpose_label": str(CheckPurpose(c.purpose).label), "checked_at": c.checked_at, "result": c.result,
            "result_label": str(CheckResult(c.result).label), "applicant": c.applicant_name if own else None,
            "batch_id": c.batch_id, "row": c.row}


def instruction(result: str, institution: Any) -> str:
    if result == CheckResult.HIT:
        return str(_("Hit. Do not offer the post until you have contacted %(unit)s, which has been told. The answer "
                     "says nothing more about the person.") % {"unit": institution.serving_unit.name})
    return str(_("No hit: the registry holds no record to report for this ID number at the time of the check."))


def check_json(c: RegistryCheck) -> dict[str, Any]:
    """The answer to one check: the same keys, and the same words for the same result."""
    return {"check_id": c.pk, "result": c.result, "checked_at": c.checked_at,
            "instruction": instruction(c.result, c.institution)}


def checks_json(user: Any, *, limit: int = 200) -> dict[str, Any]:
    qs = visible_checks(user)
    body: dict[str, Any] = {"items": [check_row(c, user) for c in qs[:limit]], "count": qs.count(), "limits": None}
    if has_capability(user, Capability.CHECK_REGISTRY):
        institution = user.unit.institution
        body["limits"] = {**{f"{k}_per_day": v for k, v in checks.limits().items()},
                          **{f"{k}_used_today": v for k, v in checks.used_today(institution).items()}}
    return body


def own_batch(user: Any, batch_id: int) -> BulkCheck:
    """One of the user's institution's bulk checks: 403 to those who check none, 404 to others."""
    require_capability(user, Capability.CHECK_REGISTRY)
    batch = BulkCheck.objects.filter(own_q(user), pk=batch_id).select_related("institution__unit").first()
    if batch is None:
        raise NotFound()
    return batch


def batch_json(batch: BulkCheck, user: Any) -> dict[str, Any]:
    finished = batch.finished_at is not None
    rows = batch.rows.select_related("institution__unit").order_by("row") if finished else []
    return {"id": batch.pk, "total": batch.total, "done": batch.done, "hits": batch.hits, "percent": batch.percent,
            "finished": finished, "uploaded_at": batch.uploaded_at, "file_name": batch.file_name,
            "purpose_label": str(CheckPurpose(batch.purpose).label),
            "rows": [check_row(c, user) for c in rows]}
