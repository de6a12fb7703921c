"""Mandatory reports (强制报告) and what follows them: the police's feedback to the
institution, the institution's questions, and the record of an institution that knew of
an offence against a child and did not report it.

The report is the institution's; the case it became is the police's. An institution reads
its reports, their feedback and the answers to its questions, never the case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import InstitutionKind
from lantern.core.vault.fields import EncryptedTextField


class MandatoryReport(models.Model):
    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, related_name="reports")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="mandatory_report")
    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True)
    observed_at = models.DateTimeField(_("observed at"))
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reporter_name = EncryptedTextField(_("reporter"))
    reporter_phone = EncryptedTextField(_("reporter's telephone"))
    reporter_position = EncryptedTextField(_("reporter's position"), blank=True, default="")
    # Cases that shared the child (or a suspect) when the report arrived: shown to the intake
    # officer, who decides; a report is never merged away by the machine.
    possible_duplicates = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["institution", "filed_at"], name="mandatory_report_inst_idx")]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def delay_hours(self) -> float:
        return (self.filed_at - self.observed_at).total_seconds() / 3600


class FeedbackStage(models.TextChoices):
    ACCEPTED = "accepted", _("Report accepted")
    FILED = "filed", _("Case filed")
    NOT_FILED = "not_filed", _("No case filed")
    PROGRESS = "progress", _("Progress")


class Feedback(models.Model):
    """What the police told the institution, in words written for it: never the case."""

    report = models.ForeignKey(MandatoryReport, on_delete=models.PROTECT, related_name="feedback")
    stage = models.CharField(_("stage"), max_length=12, choices=FeedbackStage.choices)
    text = EncryptedTextField(_("feedback"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        ordering = ["given_at", "pk"]


class ReportAttachment(models.Model):
    """A file handed in with the report: kept as an evidence file of the case (encrypted,
    in its chain of custody); the institution sees that it arrived, by its own name."""

    report = models.ForeignKey(MandatoryReport, on_delete=models.PROTECT, related_name="attachments")
    evidence_file = models.OneToOneField("evidence.EvidenceFile", on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField(_("file name"))
    size = models.PositiveBigIntegerField(_("size"))
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]


class InstitutionQuestion(models.Model):
    report = models.ForeignKey(MandatoryReport, on_delete=models.PROTECT, related_name="questions")
    text = EncryptedTextField(_("question"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked at"))
    answer = EncryptedTextField(_("answer"), blank=True, default="")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]

    @property
    def clock_subject(self) -> str:
        return f"institution-question:{self.pk}"


class NonReporting(models.Model):
    """An institution knew of the offence and did not report it (未履行报告职责): recorded
    on the case by the police who learnt of it, counted by kind and region, listed for
    the inspectors and the procuratorate, who hold institutions to the duty."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="non_reporting")
    institution = models.ForeignKey("accounts.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="non_reporting")
    # For an institution not registered in Lantern: its name, kind and place.
    institution_name = models.CharField(_("institution"), max_length=120, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    division_code = models.CharField(_("division code"), max_length=6)
    knew_since = models.DateField(_("knew since"), null=True, blank=True)
    how_learnt = EncryptedTextField(_("how the police learnt it"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    @property
    def name(self) -> str:
        return self.institution.unit.name if self.institution_id else self.institution_name
