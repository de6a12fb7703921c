"""Mandatory reports: filed by an institution, registered at once as a case at the police
unit that serves it, answered with feedback within the opinion's period (two clocks of the
rule ``mandatory_report_feedback``: from acceptance, and from the filing decision), and
questions answered like a family's. Each function is one atomic, audited action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.roles import Role
from lantern.accounts.models import Institution, InstitutionKind
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import require_case_work
from lantern.cases.models import Case
from lantern.cases.states import State
from lantern.core.actions import action
from lantern.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantern.core.vault.blind import IdKind, handle, name_dob
from lantern.deadlines import services as clocks
from lantern.deadlines.escalation import ESCALATION, in_unit
from lantern.deadlines.models import Deadline
from lantern.evidence.services import receive_submitted_file
from lantern.institutions.models import (
    Feedback,
    FeedbackStage,
    InstitutionQuestion,
    MandatoryReport,
    NonReporting,
    ReportAttachment,
)
from lantern.institutions.schemas import MandatoryReportIn, NonReportingIn
from lantern.intake import services as intake
from lantern.intake.schemas import ComplainantIn, ReportIn
from lantern.notifications.services import notify
from lantern.people import identifiers

FEEDBACK_RULE = "mandatory_report_feedback"
QUESTION_RULE = "institution_question"
ACCEPTED, DECIDED = "accepted", "decision"  # the two feedback clocks of a report
DECISION_STAGES = {State.FILED: FeedbackStage.FILED, State.NOT_FILED: FeedbackStage.NOT_FILED}
MAX_ATTACHMENTS = 10


def institution_of(actor: Any) -> Institution:
    """The institution ``actor`` files for; refused to anyone else."""
    institution = getattr(actor.unit, "institution", None) if getattr(actor, "unit", None) else None
    if not actor.has_role(Role.INSTITUTION) or institution is None:
        raise PermissionDenied(_("Only the staff of a registered institution file mandatory reports."))
    return institution


def clock_subject(report: MandatoryReport, which: str) -> str:
    return f"mandatory-report:{report.pk}:{which}"


def late_after() -> dt.timedelta:
    """"Report at once" (立即报告) has no hours in it: past this a report counts as late
    in the figures (policy, LANTERN_MANDATORY_REPORT_LATE_HOURS)."""
    return dt.timedelta(hours=getattr(settings, "LANTERN_MANDATORY_REPORT_LATE_HOURS", 24))


def _as_report(institution: Institution, filed: MandatoryReportIn, now: dt.datetime) -> ReportIn:
    if filed.observed_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(details={"observed_at": [_("The observation cannot be in the future.")]})
    offence_date = filed.offence_date or timezone.localtime(filed.observed_at).date()
    # The reporter stands as the complainant, without a telephone: the family portal's
    # messages are for a family, and the institution hears through its own reports.
    complainant = ComplainantIn(name=filed.reporter.name, relation=institution.unit.name[:40])
    return ReportIn(received_at=now, channel="mandatory_report", offence_date=offence_date,
                    narrative=filed.narrative, victim=filed.child, complainant=complainant,
                    suspects=filed.suspects, indicators=filed.indicators)


def _possible_duplicates(case: Case, filed: MandatoryReportIn) -> list[int]:
    """The same check intake runs before registering, by blind index: the child (name and
    date of birth, or ID number) and the suspects' phones, ID numbers and accounts."""
    wanted = [(IdKind.NAME_DOB, name_dob(filed.child.name, filed.child.date_of_birth)),
              (IdKind.ID_NUMBER, filed.child.id_number)]
    for s in filed.suspects:
        wanted += [(IdKind.PHONE, s.phone), (IdKind.ID_NUMBER, s.id_number)]
        wanted += [(IdKind.HANDLE, handle(a.platform, a.handle)) for a in s.accounts]
    found = intake.surviving_cases(identifiers.cases_sharing([(k, v) for k, v in wanted if v]))
    return sorted(found - {case.pk})


@action
def file_report(*, actor: Any, filed: MandatoryReportIn) -> MandatoryReport:
    institution = institution_of(actor)
    now = timezone.now()
    registered = intake.register_institution_report(actor=actor, report=_as_report(institution, filed, now))
    case = registered.case
    report = MandatoryReport.objects.create(
        institution=institution, case=case, receipt_number="", observed_at=filed.observed_at, filed_at=now,
        filed_by=actor, reporter_name=filed.reporter.name, reporter_phone=filed.reporter.phone,
        reporter_position=filed.reporter.position, possible_duplicates=_possible_duplicates(case, filed))
    report.receipt_number = f"MR-{timezone.localtime(now).year}-{report.pk:06d}"
    report.save(update_fields=["receipt_number"])
    clocks.start(case=case, rule_key=FEEDBACK_RULE, started_at=now, subject=clock_subject(report, ACCEPTED))
    record(actor=actor, action=Event.INSTITUTION_REPORT_FILED, obj=case,
           details={"report": report.pk, "institution": institution.unit_id, "kind": institution.kind,
                    "late": now - filed.observed_at > late_after(), "possible_duplicates": report.possible_duplicates})
    officers = in_unit_exactly(institution.serving_unit, Role.INTAKE_OFFICER) or in_unit(case, Role.SUPERVISOR)
    notify(recipients=officers, kind="mandatory_report", case=case,
           title=_("A mandatory report from an institution arrived: case %(number)s") % {"number": case.case_number},
           body=_("Register it in the intake queue and give the institution feedback within 3 days."))
    return report


def in_unit_exactly(unit: Any, role: Role) -> list[Any]:
    from lantern.accounts.models import User

    return list(User.objects.filter(is_active=True, unit=unit, roles__role=role).distinct())


@action
def attach_file(*, actor: Any, report: MandatoryReport, upload: Any) -> ReportAttachment:
    """A medical record or a photo of an injury, with the report or after it."""
    if report.institution_id != institution_of(actor).pk:
        raise NotFound()
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationFailed(details={"file": [
            _("A report takes at most %(n)d files; give the police the rest in person.") % {"n": MAX_ATTACHMENTS}]})
    case = report.case.merged_into or report.case
    row = receive_submitted_file(submitter=actor, case=case, upload=upload,
                                 description=_("Handed in with mandatory report %(receipt)s")
                                 % {"receipt": report.receipt_number}, submitted_by=report.institution.unit.name)
    attachment = ReportAttachment.objects.create(report=report, evidence_file=row, name=row.original_name,
                                                 size=row.size, added_at=timezone.now())
    record(actor=actor, action=Event.INSTITUTION_REPORT_ATTACHMENT, obj=case,
           details={"report": report.pk, "file": str(row.uuid), "size": row.size})
    return attachment


def _for_work(actor: Any, report: MandatoryReport) -> Case:
    case = report.case.merged_into or report.case
    require_case_work(actor, case)
    return case


@action
def give_feedback(*, actor: Any, report: MandatoryReport, stage: str, text: str) -> Feedback:
    """The police tell the institution where its report stands: accepted, filed or not,
    or progress. A decision's feedback must match the decision taken."""
    case = _for_work(actor, report)
    text = text.strip()
    problems: dict[str, list[str]] = {}
    if stage not in FeedbackStage.values:
        problems["stage"] = [_("Choose: report accepted, case filed, no case filed, or progress.")]
    elif stage in (FeedbackStage.FILED, FeedbackStage.NOT_FILED) and stage != _decision_stage(case):
        problems["stage"] = [_("The feedback must say what was decided: the case is %(state)s.")
                             % {"state": State(case.state).label}]
    if not text or len(text) > 2000:
        problems["text"] = [_("Write the feedback in at most 2,000 characters; the institution reads it as "
                              "written, so give no names and no details of the case.")]
    if problems:
        raise ValidationFailed(details=problems)
    now = timezone.now()
    feedback = Feedback.objects.create(report=report, stage=stage, text=text, given_by=actor, given_at=now)
    clocks.meet(case=report.case, rule_key=FEEDBACK_RULE, subject=clock_subject(report, ACCEPTED), at=now)
    if stage in (FeedbackStage.FILED, FeedbackStage.NOT_FILED):
        clocks.meet(case=report.case, rule_key=FEEDBACK_RULE, subject=clock_subject(report, DECIDED), at=now)
    record(actor=actor, action=Event.INSTITUTION_FEEDBACK_GIVEN, obj=case,
           details={"report": report.pk, "stage": stage})
    _tell_institution(report, _("The police gave feedback on your report %(receipt)s.")
                      % {"receipt": report.receipt_number})
    return feedback


def _decision_stage(case: Case) -> str | None:
    """FILED or NOT_FILED once decided, and FILED for every state past filing."""
    if case.state == State.NOT_FILED:
        return FeedbackStage.NOT_FILED
    if case.state in (State.RECEIVED, State.UNDER_REVIEW, State.MERGED):
        return None
    return FeedbackStage.FILED


def _tell_institution(report: MandatoryReport, title: str) -> None:
    from lantern.accounts.models import User

    staff = User.objects.filter(is_active=True, unit=report.institution.unit, roles__role=Role.INSTITUTION).distinct()
    notify(recipients=list(staff), kind="institution_news", title=title,
           body=_("Read it in Lantern under your mandatory reports."))


def on_case_moved(case: Any, before: str, after: str) -> None:
    """The filing decision starts the second feedback clock (filed, or not filed)."""
    if after not in DECISION_STAGES or before in DECISION_STAGES:
        return
    report = MandatoryReport.objects.filter(case=case).first()
    if report is None:
        return
    subject = clock_subject(report, DECIDED)
    if not Deadline.objects.filter(case=case, rule=FEEDBACK_RULE, subject=subject).exists():
        clocks.start(case=case, rule_key=FEEDBACK_RULE, started_at=timezone.now(), subject=subject)


@action
def ask_question(*, actor: Any, report: MandatoryReport, text: str) -> InstitutionQuestion:
    if report.institution_id != institution_of(actor).pk:
        raise NotFound()
    text = text.strip()
    if not text or len(text) > 2000:
        raise ValidationFailed(details={"text": [_("Write your question in at most 2,000 characters.")]})
    now = timezone.now()
    question = InstitutionQuestion.objects.create(report=report, text=text, asked_by=actor, asked_at=now)
    case = report.case.merged_into or report.case
    clock = clocks.start(case=case, rule_key=QUESTION_RULE, started_at=now, subject=question.clock_subject)
    record(actor=actor, action=Event.INSTITUTION_QUESTION_ASKED, obj=case,
           details={"report": report.pk, "question": question.pk})
    notify(recipients=ESCALATION[0].recipients(case), kind="institution_question", case=case,
           title=_("The reporting institution asked a question, case %(number)s") % {"number": case.case_number},
           body=_("Answer it in Lantern by %(due)s.") % {"due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d")})
    return question


@action
def answer_question(*, actor: Any, question: InstitutionQuestion, answer: str) -> InstitutionQuestion:
    question = InstitutionQuestion.objects.select_for_update().select_related("report__case").get(pk=question.pk)
    case = _for_work(actor, question.report)
    if question.answered_at is not None:
        raise Conflict(_("This question was already answered."))
    answer = answer.strip()
    if not answer or len(answer) > 2000:
        raise ValidationFailed(details={"answer": [_("Write the answer in at most 2,000 characters; the institution "
                                                     "reads it as written, so give no names and no details.")]})
    question.answer, question.answered_by, question.answered_at = answer, actor, timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    clocks.meet(case=case, rule_key=QUESTION_RULE, subject=question.clock_subject, at=question.answered_at)
    record(actor=actor, action=Event.INSTITUTION_QUESTION_ANSWERED, obj=case,
           details={"report": question.report_id, "question": question.pk})
    _tell_institution(question.report, _("The police answered your question on report %(receipt)s.")
                      % {"receipt": question.report.receipt_number})
    return question


@action
def record_non_reporting(*, actor: Any, case: Case, given: NonReportingIn) -> NonReporting:
    """An institution knew and did not report: recorded on the case, never edited."""
    require_case_work(actor, case)
    problems: dict[str, list[str]] = {}
    institution = None
    if given.institution_id is not None:
        institution = Institution.objects.select_related("unit").filter(pk=given.institution_id).first()
        if institution is None:
            problems["institution_id"] = [_("No registered institution has this id; give its name, kind and "
                                            "division code instead.")]
    else:
        if not given.institution_name.strip():
            problems["institution_name"] = [_("Name the institution, or choose a registered one.")]
        if given.kind not in InstitutionKind.values:
            problems["kind"] = [_("Choose the kind of institution.")]
        if not (given.division_code.isdigit() and len(given.division_code) == 6):
            problems["division_code"] = [_("A division code has six digits.")]
    if given.knew_since and given.knew_since > timezone.localdate():
        problems["knew_since"] = [_("This date is in the future.")]
    if problems:
        raise ValidationFailed(details=problems)
    row = NonReporting.objects.create(
        case=case, institution=institution, institution_name="" if institution else given.institution_name.strip(),
        kind=institution.kind if institution else given.kind,
        division_code=institution.unit.division_code if institution else given.division_code,
        knew_since=given.knew_since, how_learnt=given.how_learnt.strip(), recorded_by=actor,
        recorded_at=timezone.now())
    record(actor=actor, action=Event.INSTITUTION_NON_REPORTING_RECORDED, obj=case,
           details={"record": row.pk, "institution": institution.unit_id if institution else None, "kind": row.kind})
    return row
