"""Oversight flags, kept as a table (a materialised view of the conditions in detect.py):
computing six conditions over a million cases for every read is too slow, so actions
refresh the flags of the case they touch and a periodic job recomputes all of them.
A flag once raised stays as history: ``cleared_at`` says when its condition ended."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.oversight.kinds import FlagKind


class OversightFlag(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="oversight_flags")
    flag = models.CharField(_("flag"), max_length=32, choices=FlagKind.choices)
    # Which clock or interview raised it ("deadline:12", "interview:2"); empty for a case-wide flag.
    subject = models.CharField(max_length=40, blank=True)
    since = models.DateTimeField(_("since"))
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    # The case's handling unit and its division code, copied so that a jurisdiction's list
    # is one index range on this table (kept current when the case moves to another unit).
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    division_code = models.CharField(max_length=12)
    case_number = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("oversight flag")
        verbose_name_plural = _("oversight flags")
        ordering = ["-since", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "flag", "subject"], condition=Q(cleared_at__isnull=True),
                                               name="one_open_flag_per_subject")]
        indexes = [
            models.Index(fields=["division_code", "-since"], condition=Q(cleared_at__isnull=True),
                         name="flag_open_division_idx", opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
            models.Index(fields=["-since"], condition=Q(cleared_at__isnull=True), name="flag_open_since_idx"),
            models.Index(fields=["division_code", "-since"], name="flag_division_idx",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
            models.Index(fields=["case", "cleared_at"], name="flag_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.flag}"
