"""The police's forms on the case page: feedback to the institution, answers to its
questions, a record of non-reporting. Refusals come back as a message on the case page.

Then the institution's own pages (issue 16): its mandatory reports, filing one, one report
with its feedback and questions; the registry checks (for the institution, the inspectors
and the serving unit, each its own part), a bulk check's progress bar; and the reporting
duty for inspectors and prosecutors. Never a case number or case content for an institution."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from lantern.access.policy import Capability, Verb, has_capability, require_capability, scope
from lantern.cases.selectors import case_for
from lantern.core.errors import LanternError, NotFound, RateLimited, ValidationFailed
from lantern.core.refusals import attempt, keep_typed, take_kept
from lantern.institutions import checks, pages, selectors, services
from lantern.institutions.forms import BulkCheckForm, CheckForm, MandatoryReportForm, place_refusal
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


# --- The institution's mandatory reports --------------------------------------------------


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.FILE_MANDATORY_REPORTS)
    page = Paginator(selectors.own_reports(request.user), pages.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "institutions/workspace.html", {
        "page": page, "rows": pages.report_rows(page.object_list),
        "may_check": has_capability(request.user, Capability.CHECK_REGISTRY)})


def _file(form: MandatoryReportForm, actor: object) -> MandatoryReport | None:
    """The report filed, or None with each refusal beside its field (nothing stored)."""
    try:
        return services.file_report(actor=actor, filed=form.filed())
    except ValidationError as exc:
        for problem in exc.errors():
            form.add_error(form.field_for(problem["loc"]), problem["msg"])
    except LanternError as exc:
        place_refusal(form, exc, form.field_for)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.FILE_MANDATORY_REPORTS)
    form = MandatoryReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        filed = _file(form, request.user)
        if filed is not None:
            messages.success(request, _("Report filed. Your receipt number is %(receipt)s: the police have it now.")
                             % {"receipt": filed.receipt_number})
            upload = form.cleaned_data.get("file")
            if upload is not None:  # the report stands even if its file is refused
                attempt(request, lambda: services.attach_file(actor=request.user, report=filed, upload=upload),
                        _("File handed in with the report."))
            return redirect("institutions:report", report_id=filed.pk)
    return render(request, "institutions/report_form.html", {"form": form})


@login_required
@require_GET
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    body = selectors.report_json(selectors.own_report(request.user, report_id))
    return render(request, "institutions/report.html", {
        "r": body, "indicators": pages.indicator_labels(body["indicators"]), "now": timezone.now(),
        **take_kept(request)})


@login_required
@require_POST
def ask(request: HttpRequest, report_id: int) -> HttpResponse:
    mandatory = selectors.own_report(request.user, report_id)
    text = request.POST.get("text", "")
    if not attempt(request, lambda: services.ask_question(actor=request.user, report=mandatory, text=text),
                   _("Question sent: the police answer it in Lantern.")):
        keep_typed(request, "question", {"text": text})
    return redirect(reverse("institutions:report", args=[mandatory.pk]) + "#questions")


@login_required
@require_POST
def attach(request: HttpRequest, report_id: int) -> HttpResponse:
    mandatory = selectors.own_report(request.user, report_id)

    def hand_in() -> object:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(details={"file": [_("Choose a file.")]})
        return services.attach_file(actor=request.user, report=mandatory, upload=upload)

    attempt(request, hand_in, _("File handed in with the report."))
    return redirect(reverse("institutions:report", args=[mandatory.pk]) + "#files")


# --- Registry checks ----------------------------------------------------------------------


def _checks_page(request: HttpRequest, *, form: CheckForm | None = None, bulk_form: BulkCheckForm | None = None,
                 limited: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    checking = has_capability(user, Capability.CHECK_REGISTRY)
    page = Paginator(pages.check_list(user), pages.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "institutions/checks.html", {
        "checking": checking, "page": page, "rows": [selectors.check_row(c, user) for c in page.object_list],
        "form": form or CheckForm(initial={"purpose": "hiring"}),
        "bulk_form": bulk_form or BulkCheckForm(initial={"purpose": "annual"}),
        "answer": pages.answer(user, request.GET.get("answer")), "limited": limited,
        "usage": pages.usage(user) if checking else [], "batches": pages.own_batches(user) if checking else [],
        "hits_only": not checking and not has_capability(user, Capability.READ_REGISTRY_CHECKS)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checks_page(request: HttpRequest) -> HttpResponse:
    """GET: the page for whoever reads checks. POST: one applicant checked by an institution,
    then the answer shown on the page (post, redirect, get: a reload asks nothing again)."""
    selectors.require_check_reader(request.user)
    if request.method == "GET":
        return _checks_page(request)
    require_capability(request.user, Capability.CHECK_REGISTRY)
    form = CheckForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            done = checks.check_applicant(actor=request.user, name=d["name"], id_number=d["id_number"],
                                          purpose=d["purpose"], consent=d["applicant_consent"])
        except RateLimited as exc:
            return _checks_page(request, form=form, limited=str(exc.message), status=exc.status)
        except LanternError as exc:
            place_refusal(form, exc)
        else:
            return redirect(f"{reverse('institutions:checks')}?answer={done.pk}")
    return _checks_page(request, form=form)


@login_required
@require_POST
def bulk_upload(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.CHECK_REGISTRY)
    form = BulkCheckForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["file"] is None:
                raise ValidationFailed(details={"file": [_("Choose the CSV file.")]})
            batch = checks.start_bulk_check(actor=request.user, file_name=d["file"].name or "", data=d["file"].read(),
                                            purpose=d["purpose"], consent=d["applicant_consent"])
        except RateLimited as exc:
            return _checks_page(request, bulk_form=form, limited=str(exc.message), status=exc.status)
        except LanternError as exc:
            place_refusal(form, exc)
        else:
            return redirect("institutions:bulk", batch_id=batch.pk)
    return _checks_page(request, bulk_form=form)


@login_required
@require_GET
def bulk(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.own_batch(request.user, batch_id)
    return render(request, "institutions/bulk.html", {"b": pages.batch_view(batch, request.user), "first": True})


@login_required
@require_POST
def bulk_next(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The progress bar's step: the next chunk of rows answered, the bar redrawn (htmx); the
    bar asks again until every row is answered. Without htmx, back to the batch's page."""
    batch = checks.continue_bulk_check(batch=selectors.own_batch(request.user, batch_id), actor=request.user)
    if not request.htmx:
        return redirect("institutions:bulk", batch_id=batch.pk)
    return render(request, "institutions/_bulk_progress.html", {"b": pages.batch_view(batch, request.user)})


# --- The reporting duty -------------------------------------------------------------------


@login_required
@require_GET
def duty(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_REPORTING_DUTY)
    return render(request, "institutions/duty.html", pages.duty_page(request.user))
