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


class CheckPurpose(models.TextChoices):
    HIRING = "hiring", _("Hiring for a post in contact with minors")
    ANNUAL = "annual", _("Annual check of staff in post")


class CheckResult(models.TextChoices):
    PENDING = "", _("Waiting")
    HIT = "hit", _("Hit: contact the police")
    NO_HIT = "no_hit", _("No hit")


class BulkCheck(models.Model):
    """A CSV of applicants or staff checked row by row (a school's annual check of all its
    staff, MPL art. 62): rows wait as pending checks and are answered in chunks, by the
    page's progress bar and by the job that finishes what a closed page left."""

    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, related_name="bulk_checks")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    purpose = models.CharField(_("purpose"), max_length=8, choices=CheckPurpose.choices)
    file_name = EncryptedTextField(_("file name"))
    total = models.PositiveIntegerField(_("rows"))
    done = models.PositiveIntegerField(_("checked"), default=0)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(done__lte=models.F("total")),
                                              name="bulk_check_done_within_total")]

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


class RegistryCheck(models.Model):
    """One applicant checked against the offence registry (入职查询): who asked, for which
    institution, when and the answer. The ID number is kept only as its blind index; the
    name the institution typed is kept (encrypted) so that it can read its own list."""

    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, related_name="checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("asked at"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=8, choices=CheckPurpose.choices)
    applicant_name = EncryptedTextField(_("applicant"))
    id_digest = models.CharField(max_length=64)  # core.vault.blind, kind id_number
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices, blank=True, default="")
    batch = models.ForeignKey(BulkCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="rows")
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["institution", "created_at"], name="registry_check_daily_idx"),
                   models.Index(fields=["batch", "result", "row"], name="registry_check_batch_idx")]
