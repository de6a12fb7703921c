"""Mandatory reports in the API (API.md, "Institutions"): the institution files and reads
its own reports; the police give feedback, answer questions and record non-reporting.
The same actions and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantern.access.policy import Capability, require_capability
from lantern.cases.selectors import case_for
from lantern.core.errors import NotFound
from lantern.institutions import checks, selectors, services
from lantern.institutions.models import InstitutionQuestion, MandatoryReport
from lantern.institutions.schemas import (
    AttachmentOut,
    BulkOut,
    CheckIn,
    CheckListOut,
    CheckOut,
    DutyOut,
    FeedbackIn,
    FeedbackOut,
    FiledOut,
    InstitutionAnswerIn,
    InstitutionQuestionIn,
    InstitutionQuestionOut,
    MandatoryReportIn,
    NonReportingIn,
    NonReportingOut,
    ReportListOut,
    ReportOut,
)

router = Router(tags=["institutions"])


def _report(request: HttpRequest, report_id: int) -> MandatoryReport:
    report = selectors.visible_reports(request.user).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report


def _own(request: HttpRequest, report_id: int) -> MandatoryReport:
    return selectors.own_report(request.user, report_id)


@router.post("/mandatory-reports", response={201: FiledOut},
             summary="File a mandatory report (强制报告): it reaches the serving police unit at once")
def file_report(request: HttpRequest, payload: MandatoryReportIn) -> Status:
    require_capability(request.user, Capability.FILE_MANDATORY_REPORTS)
    report = services.file_report(actor=request.user, filed=payload)
    return Status(201, {"id": report.pk, "receipt_number": report.receipt_number,
                        "feedback_due_at": selectors.feedback_due_at(report)})


@router.get("/mandatory-reports", response=ReportListOut,
            summary="The institution's own reports with the police's feedback (null until given)")
def list_reports(request: HttpRequest) -> dict[str, Any]:
    require_capability(request.user, Capability.FILE_MANDATORY_REPORTS)
    reports = selectors.own_reports(request.user)
    return {"items": [selectors.report_json(r) for r in reports[:200]], "count": reports.count()}


@router.get("/mandatory-reports/{report_id}", response=ReportOut, summary="One of the institution's reports")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return selectors.report_json(_own(request, report_id))


@router.post("/mandatory-reports/{report_id}/attachments", response={201: AttachmentOut},
             summary="Hand in a file with the report (a medical record, a photo of an injury; encrypted)")
def attach(request: HttpRequest, report_id: int, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    report = _own(request, report_id)
    row = services.attach_file(actor=request.user, report=report, upload=file)
    return Status(201, {"id": row.pk, "name": row.name, "size": row.size, "added_at": row.added_at})


@router.post("/mandatory-reports/{report_id}/questions", response={201: InstitutionQuestionOut},
             summary="The institution asks the police about its report")
def ask(request: HttpRequest, report_id: int, payload: InstitutionQuestionIn) -> Status:
    report = _own(request, report_id)
    q = services.ask_question(actor=request.user, report=report, text=payload.text)
    return Status(201, {"id": q.pk, "text": q.text, "asked_at": q.asked_at, "answer": None, "answered_at": None,
                        "due_at": None})


@router.post("/mandatory-reports/{report_id}/feedback", response={201: FeedbackOut},
             summary="The police tell the institution whether its report was accepted and a case filed")
def feedback(request: HttpRequest, report_id: int, payload: FeedbackIn) -> Status:
    report = _report(request, report_id)
    row = services.give_feedback(actor=request.user, report=report, stage=payload.stage, text=payload.text)
    return Status(201, selectors._feedback(row))


@router.post("/institution-questions/{question_id}/answer", response=InstitutionQuestionOut,
             summary="The police answer the reporting institution's question")
def answer(request: HttpRequest, question_id: int, payload: InstitutionAnswerIn) -> dict[str, Any]:
    from lantern.access.policy import Verb, scope

    question = scope(request.user, Verb.VIEW, InstitutionQuestion.objects.all()).filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    q = services.answer_question(actor=request.user, question=question, answer=payload.answer)
    return {"id": q.pk, "text": q.text, "asked_at": q.asked_at, "answer": q.answer, "answered_at": q.answered_at,
            "due_at": None}


@router.post("/cases/{case_id}/non-reporting", response={201: NonReportingOut},
             summary="Record that an institution knew of the offence and did not report it")
def non_reporting(request: HttpRequest, case_id: int, payload: NonReportingIn) -> Status:
    case = case_for(request.user, case_id)
    row = services.record_non_reporting(actor=request.user, case=case, given=payload)
    from lantern.accounts.models import InstitutionKind

    return Status(201, {"id": row.pk, "case_number": case.case_number, "institution": row.name, "kind": row.kind,
                        "kind_label": str(InstitutionKind(row.kind).label), "region": row.division_code,
                        "knew_since": row.knew_since, "recorded_at": row.recorded_at})


@router.get("/institutions/reporting-duty", response=DutyOut,
            summary="Reports by institution kind and county, late reports and known non-reporting")
def duty(request: HttpRequest) -> dict[str, Any]:
    require_capability(request.user, Capability.READ_REPORTING_DUTY)
    return selectors.duty_figures(request.user)


# --- The offence-record check before hiring (MPL art. 62) ---------------------------------


@router.post("/registry/checks", response={201: CheckOut},
             summary="Check a job applicant against the sex-offence registry: hit or no_hit, nothing else (429 "
                     "past the institution's daily limit)")
def check(request: HttpRequest, payload: CheckIn) -> Status:
    require_capability(request.user, Capability.CHECK_REGISTRY)
    row = checks.check_applicant(actor=request.user, name=payload.name, id_number=payload.id_number,
                                 purpose=payload.purpose, consent=payload.applicant_consent)
    return Status(201, selectors.check_json(row))


@router.get("/registry/checks", response=CheckListOut,
            summary="Registry checks: an institution's own; every check in an inspector's jurisdiction; the hits "
                    "of the institutions a police unit serves")
def list_checks(request: HttpRequest) -> dict[str, Any]:
    selectors.require_check_reader(request.user)
    return selectors.checks_json(request.user)


@router.post("/registry/checks/bulk", response={201: BulkOut},
             summary="Check a CSV of applicants or staff (columns name / 姓名 and id_number / 身份证号); every row is "
                     "answered before this returns (the page shows a progress bar instead)")
def bulk(request: HttpRequest, file: UploadedFile = File(...), purpose: str = Form(...),  # noqa: B008
         applicant_consent: bool = Form(False)) -> Status:
    require_capability(request.user, Capability.CHECK_REGISTRY)
    batch = checks.start_bulk_check(actor=request.user, file_name=file.name or "", data=file.read(),
                                    purpose=purpose, consent=applicant_consent)
    while batch.finished_at is None:
        batch = checks.continue_bulk_check(batch=batch, actor=request.user)
    return Status(201, selectors.batch_json(batch, request.user))


@router.get("/registry/checks/bulk/{batch_id}", response=BulkOut, summary="A bulk check's progress, then its rows")
def bulk_status(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    return selectors.batch_json(selectors.own_batch(request.user, batch_id), request.user)
