"""The working-day calendar as data: the State Council's official schedule, one year at a
time, loaded by an administrator when it is announced (each November)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Adjusted working day")  # a weekend day worked in exchange


class CalendarYear(models.Model):
    """A year whose official schedule is loaded; years without one fall back to rules."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    reference = models.CharField(_("official notice"), max_length=200)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by_id = models.BigIntegerField(null=True, blank=True)  # null: installed with Lantern

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday week: a holiday, or a weekend day worked."""

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["holiday", "workday"]), name="calendar_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    OVERDUE = "overdue", _("Overdue")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("No longer applies")


# A clock still running: open, or run out but not yet met.
RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE)


class Deadline(models.Model):
    """A running statutory or policy clock on a case, computed from a rule (rules.py)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="deadlines")
    rule = models.CharField(max_length=40)
    subject = models.CharField(max_length=60, blank=True)  # e.g. a checklist item key
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    provisional = models.BooleanField(default=False)  # computed without the official schedule
    # The period the due time was computed with (the rule's, or an extension granted), so
    # a recomputation after a new official schedule repeats exactly the same count.
    period_amount = models.PositiveIntegerField()
    period_unit = models.CharField(max_length=16)
    period_extends = models.BooleanField()
    status = models.CharField(max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="deadline_status_due_idx"),
                   # A case's running clocks, soonest first: the lists sort and filter every
                   # visible case by them, and a case has about seven clocks, mostly stopped.
                   models.Index(fields=["case", "due_at"], name="deadline_running_idx",
                                condition=models.Q(status__in=RUNNING))]
        constraints = [models.UniqueConstraint(fields=["case", "rule", "subject"], condition=models.Q(status="open"),
                                               name="one_open_clock_per_rule")]
