"""What is added to a case's record after intake, never over it (DOMAIN.md, "Audit":
corrections are new entries): supplements to the narrative, corrections of the victim's
record with the old value beside the new, and indicators found later. Free text and
values are encrypted like the record they add to; the audit log names the field only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.cases.states import Indicator
from lantern.core.vault.fields import EncryptedTextField


class NarrativeSupplement(models.Model):
    """An addition to the narrative (补充材料): dated, signed, never edited."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="narrative_supplements")
    text = EncryptedTextField(_("supplement"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]


class Correction(models.Model):
    """One field of the record corrected, with the value it replaced and the reason; what
    the law recomputed from it (codes only: a band, flags, checklist items, clocks)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField(_("field"), max_length=40)
    old_value = EncryptedTextField(blank=True, default="")
    new_value = EncryptedTextField(blank=True, default="")
    reason = EncryptedTextField(_("reason"))
    recomputed = models.JSONField(default=dict, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField()

    class Meta:
        ordering = ["corrected_at", "pk"]


class IndicatorRecord(models.Model):
    """A mandatory-filing indicator observed after intake (a pregnancy found at the medical
    examination): who recorded it, when and why."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="indicator_records")
    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    reason = EncryptedTextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
