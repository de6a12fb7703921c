"""The unified evidence standard (统一证据标准) as data: a template per offence and age band,
in numbered versions. Lantern ships version 1 of each (migration 0002); a provincial
administrator drafts a new version, which is in force from its date once the police and
the procuratorate of that province have both approved it. A case keeps the versions it
was registered under (cases.Case.templates); its checklist items point at the template
items they came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.standards.law import Offence


class Satisfier(models.TextChoices):
    """What on record shows that an item was done (cases.gate reads it)."""

    INTERVIEW = "interview", _("a recorded interview")
    EVIDENCE = "evidence", _("linked evidence")
    LAB_RESULT = "lab_result", _("a laboratory result")
    NOTE = "note", _("a written note of what was done")


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: awaiting approval")
    APPROVED = "approved", _("Approved by the police and the procuratorate")


class Side(models.TextChoices):
    POLICE = "police", _("Police")
    PROCURATORATE = "procuratorate", _("Procuratorate")


class Template(models.Model):
    offence = models.CharField(_("offence"), max_length=24, choices=Offence.choices)
    age_band = models.CharField(_("age band"), max_length=16)
    # Numbered per offence and band across provinces, so that {key, version} names one.
    version = models.PositiveIntegerField(_("version"))
    # The province's two leading division digits; empty for the national defaults.
    division = models.CharField(_("province"), max_length=2, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=TemplateStatus.choices,
                              default=TemplateStatus.DRAFT)
    effective_from = models.DateField(_("in force from"))
    note = models.TextField(_("what changed and why"), blank=True, default="")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # null: shipped with Lantern
    drafted_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)  # the second approval

    class Meta:
        verbose_name = _("evidence standard template")
        verbose_name_plural = _("evidence standard templates")
        ordering = ["offence", "age_band", "-version"]
        constraints = [models.UniqueConstraint(fields=["offence", "age_band", "version"],
                                               name="one_template_per_version")]
        indexes = [models.Index(fields=["offence", "age_band", "status", "effective_from"],
                                name="template_in_force_idx")]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def key(self) -> str:
        return f"{self.offence}/{self.age_band}"


class TemplateApproval(models.Model):
    """One side's approval of a version: the police and the procuratorate of its province."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="approvals")
    side = models.CharField(max_length=16, choices=Side.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "side"], name="one_approval_per_side")]


class TemplateItem(models.Model):
    """One item of a version. Titles and guidance in both languages: the standard is data
    shared with the procuratorate, not a string of the program's catalogue."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    guidance_zh = models.TextField(blank=True, default="")
    guidance_en = models.TextField(blank=True, default="")
    satisfied_by = models.JSONField(default=list)  # Satisfier values
    # A deadline rule (deadlines.rules) that sets the due time; empty: due with the filing decision.
    clock = models.CharField(max_length=40, blank=True, default="")
    legal_reference = models.CharField(max_length=300, blank=True, default="")  # "(policy)" when none

    class Meta:
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="one_item_per_key_and_version")]

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh

    @property
    def guidance(self) -> str:
        return self.guidance_en if (get_language() or "").startswith("en") else self.guidance_zh
