"""The family's questions: asked in the portal, answered by the case team within the
``family_question`` clock (20 working days, once extended by 20 with a reason the family
reads), escalated by the sweep like any other overdue clock."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import require_case_work
from lantern.core import ratelimit
from lantern.core.actions import action
from lantern.core.errors import Conflict, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.deadlines.escalation import ESCALATION
from lantern.deadlines.rules import rule
from lantern.notifications.services import notify
from lantern.portal.family import tell_family
from lantern.portal.models import PortalSession, Question, QuestionKind

RULE = "family_question"
MAX_TEXT = 2000
PER_DAY = 10  # questions per case per day: enough for a worried family, not for a flood


def _text(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_TEXT:
        raise ValidationFailed(details={field: [message]})
    return value


@action
def ask_question(*, session: PortalSession, text: str, kind: str = QuestionKind.QUESTION) -> Question:
    """The family asks; the question lands in the case team's inbox with its clock."""
    text = _text(text, "text", _("Write your question in at most 2,000 characters."))
    if kind not in QuestionKind.values:
        raise ValidationFailed(details={"kind": [_("Choose a question or a request for information.")]})
    ratelimit.hit(f"portal-question:{session.case_id}", limit=PER_DAY, window_seconds=24 * 3600)
    # Asked from a merged report: the question goes to the case it was merged into, whose
    # team answers it within the clock on that case; the answer goes back to the asker.
    report, now = session.case, timezone.now()
    case = report.merged_into or report
    question = Question.objects.create(case=case, from_report=report if case != report else None, kind=kind,
                                       text=text, asked_at=now)
    clock = clocks.start(case=case, rule_key=RULE, started_at=now, subject=question.clock_subject)
    record(actor=None, action=Event.PORTAL_QUESTION_ASKED, obj=case,
           details={"question": question.pk, "kind": kind, "session": session.pk})
    notify(recipients=ESCALATION[0].recipients(case), kind="family_question", case=case,
           title=_("The family asked a question, case %(number)s") % {"number": case.case_number},
           body=_("Answer it in Lantern by %(due)s (%(rule)s).") % {
               "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d"), "rule": rule(RULE).title})
    return question


def _open_question(actor: Any, question: Question) -> Question:
    question = Question.objects.select_for_update().select_related("case").get(pk=question.pk)
    require_case_work(actor, question.case)
    if question.answered_at is not None:
        raise Conflict(_("This question was already answered."))
    return question


@action
def answer_question(*, actor: Any, question: Question, answer: str) -> Question:
    question = _open_question(actor, question)
    question.answer = _text(answer, "answer", _("Write the answer in at most 2,000 characters; the family reads "
                                                "it as written, so use plain words and no names."))
    question.answered_at, question.answered_by = timezone.now(), actor
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    clocks.meet(case=question.case, rule_key=RULE, subject=question.clock_subject, at=question.answered_at)
    record(actor=actor, action=Event.PORTAL_QUESTION_ANSWERED, obj=question.case, details={"question": question.pk})
    tell_family(question.from_report or question.case, "answered")
    return question


@action
def extend_question(*, actor: Any, question: Question, reason: str) -> Question:
    """Once, by 20 working days, with a reason the family sees in the portal."""
    question = _open_question(actor, question)
    if question.extended_at is not None:
        raise Conflict(_("The answer was already given more time once; it cannot be extended again."))
    question.extension_reason = _text(reason, "reason", _("Say why more time is needed; the family reads this."))
    question.extended_at, question.extended_by = timezone.now(), actor
    question.save(update_fields=["extension_reason", "extended_at", "extended_by"])
    clock = clocks.open_clock(question.case, RULE, question.clock_subject)
    if clock is not None:
        clocks.extend(clock=clock, period=rule(RULE).extended_period)
    record(actor=actor, action=Event.PORTAL_QUESTION_EXTENDED, obj=question.case, details={"question": question.pk})
    tell_family(question.from_report or question.case, "extended")
    return question
