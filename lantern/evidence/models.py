"""Evidence items, their chain of custody and their files (DOMAIN.md, "Evidence").

Custody events and files are append-only: the application has no way to edit or delete
one (save() refuses an update), so a chain once recorded stays as recorded. A file's
content lives outside the database, encrypted with its own data key; the row keeps the
key (encrypted like an identity field, so key rotation covers it) and the SHA-256 of the
content, checked again on every download."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.fields import EncryptedTextField


class EvidenceKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    FORENSIC_REPORT = "forensic_report", _("Forensic report")
    BIOLOGICAL_SAMPLE = "biological_sample", _("Biological sample")
    DIGITAL_EXTRACTION = "digital_extraction", _("Digital extraction")
    CCTV = "cctv", _("CCTV footage")
    PLATFORM_DATA = "platform_data", _("Platform data")
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")
    SA_KIT = "sa_kit", _("Sexual-assault kit")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are never changed once recorded")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{type(self).__name__} rows are never deleted")


class EvidenceItem(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField(_("number"))  # E-1, E-2 … within the case
    kind = models.CharField(_("type"), max_length=24, choices=EvidenceKind.choices)
    checklist_item = models.ForeignKey("cases.ChecklistItem", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="evidence", verbose_name=_("checklist item"))
    description = EncryptedTextField(_("description"))  # may describe the victim: encrypted
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    collected_at = models.DateTimeField(_("collected at"))
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_evidence_number_per_case")]

    def __str__(self) -> str:
        return f"E-{self.number}"


class CustodyEvent(AppendOnly):
    """One hand-over: the chain is unbroken when each event's giver is the previous
    event's receiver (enforced by evidence.services.hand_over)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    sequence = models.PositiveIntegerField()
    from_holder = models.CharField(_("from"), max_length=120, blank=True)  # blank: collected at the scene
    to_holder = models.CharField(_("to"), max_length=120)
    at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    seal_number = models.CharField(_("seal number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["item", "sequence"], name="one_custody_step_per_sequence")]


class EvidenceFile(AppendOnly):
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="files")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original_name = EncryptedTextField(_("file name"))  # names of files name people
    content_type = models.CharField(_("type"), max_length=80)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data_key = EncryptedTextField()  # the file's own AES-256 key, base64, wrapped like any identity field
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class RepeatInterviewRequest(models.Model):
    """A further interview of a child, asked for with a reason and decided by a supervisor
    before it takes place; one approval allows one interview."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="repeat_interview_requests")
    reason = EncryptedTextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)


class PlaceKind(models.TextChoices):
    ONE_STOP_CENTRE = "one_stop_centre", _("One-stop interview and care centre (一站式询问救助中心)")
    HOSPITAL = "hospital", _("Hospital")
    POLICE_STATION = "police_station", _("Police station")
    OTHER = "other", _("Elsewhere")


class Agency(models.TextChoices):
    """Who else was in the room, by the agency they came from (never by name: the record
    counts who takes part in a one-stop interview, it does not identify them)."""

    POLICE = "police", _("Police")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    MEDICAL = "medical", _("Medical staff")
    PSYCHOLOGICAL = "psychological", _("Psychological counsellor")
    SOCIAL_WORK = "social_work", _("Social worker")
    WOMENS_FEDERATION = "womens_federation", _("Women's federation")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    EDUCATION = "education", _("School or education bureau")
    LEGAL_AID = "legal_aid", _("Legal aid")


class Interview(models.Model):
    """An interview of the victim: how many, by whom, with whom present, recorded or not."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="interviews")
    sequence = models.PositiveSmallIntegerField(_("interview no."))
    at = models.DateTimeField(_("when"))
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    interviewer_sex = models.CharField(_("interviewer's sex"), max_length=8)
    place = models.CharField(_("where"), max_length=200)
    # A child is interviewed, examined and cared for in one place where one exists (一站式):
    # the statistics count the children interviewed in one-stop centres.
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices,
                                  default=PlaceKind.OTHER)
    attendees = models.JSONField(_("present from other agencies"), default=list, blank=True)  # [{agency, role}]
    guardian_present = models.BooleanField(_("guardian present"), default=False)
    appropriate_adult = models.CharField(_("appropriate adult"), max_length=120, blank=True)
    audio_video = models.BooleanField(_("audio-video recorded"), default=False)
    approval = models.OneToOneField(RepeatInterviewRequest, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="used_by")

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="one_interview_per_sequence")]


class LabSubmission(models.Model):
    """An item sent to a laboratory, its clock (deadlines rule "lab_result") and its result:
    the kit tracker, and the plain-words status the family portal shows. The clock runs from
    the item's arrival at the laboratory, as the laboratory's receipt states it: an item in
    transit is not yet the laboratory's to examine."""

    item = models.OneToOneField(EvidenceItem, on_delete=models.PROTECT, related_name="lab")
    laboratory = models.CharField(_("laboratory"), max_length=120)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The laboratory's receipt (送检回执 / 受理编号), recorded by the officer who holds it.
    received_at = models.DateTimeField(_("received by the laboratory at"), null=True, blank=True)
    receipt_number = models.CharField(_("laboratory's receipt number"), max_length=60, blank=True)
    received_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                             null=True, blank=True)
    result_at = models.DateTimeField(_("result received at"), null=True, blank=True)
    result = EncryptedTextField(_("result"), blank=True)  # a DNA match names a person
