"""Accountability records: the officials a case's handling is laid at the door of (by unit
and position, a user where one is named), the finding, the outcome, and what the family
was told. The finding and the texts are encrypted columns: they are written about
officials, but may mention the case's people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.fields import EncryptedTextField
from lantern.discipline.outcomes import Outcome


class AccountabilityRecord(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="accountability_records")
    finding = EncryptedTextField(_("finding"))
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    # The disclosure record: what the family was told (shown to them on the portal), or
    # why they were told nothing.
    disclosed_to_family = models.BooleanField(_("disclosed to the family"))
    disclosure = EncryptedTextField(_("what was disclosed"), blank=True, default="")
    disclosed_at = models.DateTimeField(_("disclosed at"), null=True, blank=True)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    nondisclosure_reason = EncryptedTextField(_("why nothing was disclosed"), blank=True, default="")

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-decided_on", "-pk"]
        constraints = [models.CheckConstraint(
            condition=Q(disclosed_to_family=True, disclosed_at__isnull=False, disclosed_by__isnull=False)
            | Q(disclosed_to_family=False, disclosed_at__isnull=True, disclosed_by__isnull=True),
            name="disclosure_has_time_and_author")]
        indexes = [models.Index(fields=["outcome", "decided_on"], name="accountability_outcome_idx")]


class AccountableOfficial(models.Model):
    """An official concerned: the unit and the post (大队长), and the user where known."""

    record = models.ForeignKey(AccountabilityRecord, on_delete=models.PROTECT, related_name="officials")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        ordering = ["pk"]
