"""The periodic sweep: mark overdue clocks and escalate them, one clock per transaction,
safe to run concurrently and repeatedly (a clock's level only moves up, under a lock)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.deadlines.escalation import ESCALATION
from lantern.deadlines.models import RUNNING, Deadline, DeadlineStatus
from lantern.deadlines.rules import BY_KEY
from lantern.notifications.services import notify


def _locked(pk: int) -> Deadline | None:
    qs = Deadline.objects.select_related("case", "case__unit")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)  # another sweeper has it: leave it to them
    return qs.filter(pk=pk, status__in=RUNNING).first()


def _escalate(pk: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        clock = _locked(pk)
        if clock is None or clock.due_at >= now:
            return 0
        steps = [s for s in ESCALATION if s.level > clock.escalation_level and now - clock.due_at >= s.after]
        if clock.status == DeadlineStatus.OVERDUE and not steps:
            return 0
        clock.status = DeadlineStatus.OVERDUE
        rule = BY_KEY[clock.rule]
        for step in steps:
            title = _("Overdue: %(rule)s, case %(number)s") % {"rule": rule.title, "number": clock.case.case_number}
            body = _("The deadline “%(rule)s” of case %(number)s passed on %(due)s (%(ref)s). Escalated to "
                     "%(who)s. Open Lantern to act.") % {
                "rule": rule.title, "number": clock.case.case_number, "who": step.who,
                "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"), "ref": rule.legal_reference}
            notify(recipients=step.recipients(clock.case), kind="deadline_overdue", title=title, body=body,
                   case=clock.case)
            clock.escalation_level = step.level
        clock.save(update_fields=["status", "escalation_level"])
        record(actor=None, action=Event.DEADLINE_ESCALATED, obj=clock.case,
               details={"deadline": clock.pk, "rule": clock.rule, "level": clock.escalation_level})
        return len(steps)


def sweep() -> int:
    """Escalate every clock that has run out; returns the number of escalation steps."""
    due = Deadline.objects.filter(status__in=RUNNING,
                                  due_at__lt=timezone.now(), escalation_level__lt=len(ESCALATION))
    return sum(_escalate(pk) for pk in due.values_list("pk", flat=True))
