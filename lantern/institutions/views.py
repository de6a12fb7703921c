"""The police's forms on the case page: feedback to the institution, answers to its
questions, a record of non-reporting. Refusals come back as a message on the case page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from lantern.access.policy import Verb, scope
from lantern.cases.selectors import case_for
from lantern.core.errors import NotFound, ValidationFailed
from lantern.core.refusals import attempt
from lantern.institutions import services
from lantern.institutions.models import InstitutionQuestion, MandatoryReport
from lantern.institutions.schemas import NonReportingIn


def _police_side(request: HttpRequest, qs: QuerySet[Any], pk: int) -> Any:
    """A report or question through the change scope: the police of the case, never the
    institution (which reads its own reports but answers nothing here)."""
    obj = scope(request.user, Verb.CHANGE, qs).filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case_id]) + "#mandatory-report")


@login_required
@require_POST
def feedback(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _police_side(request, MandatoryReport.objects.select_related("case"), report_id)
    attempt(request, lambda: services.give_feedback(actor=request.user, report=report,
                                                    stage=request.POST.get("stage", ""),
                                                    text=request.POST.get("text", "")),
            _("Feedback given: the institution reads it under its reports."))
    return _back(report.case.merged_into_id or report.case_id)


@login_required
@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _police_side(request, InstitutionQuestion.objects.select_related("report__case"), question_id)
    attempt(request, lambda: services.answer_question(actor=request.user, question=question,
                                                      answer=request.POST.get("answer", "")),
            _("Answered: the institution has been told."))
    case = question.report.case
    return _back(case.merged_into_id or case.pk)


@login_required
@require_POST
def non_reporting(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)

    def record() -> object:
        data = {k: request.POST.get(k, "") for k in ("institution_name", "kind", "division_code", "how_learnt")}
        chosen = request.POST.get("institution_id", "")
        try:
            given = NonReportingIn(institution_id=int(chosen) if chosen.isdigit() else None,
                                   knew_since=request.POST.get("knew_since") or None, **data)
        except ValidationError as exc:
            raise ValidationFailed(details={".".join(str(p) for p in e["loc"]): [e["msg"]]
                                            for e in exc.errors()}) from None
        return services.record_non_reporting(actor=request.user, case=case, given=given)

    attempt(request, record, _("Recorded: the institution is counted for the inspectors."))
    return _back(case.pk)
