"""Registered institutions: the schools, hospitals, hotels and child-welfare institutions
that must report suspected offences against minors (强制报告) and check job applicants
against the offence registry (Minors Protection Law art. 62). An institution is a unit of
the ``institution`` branch, so its staff are users like any other (role ``institution``);
this row adds what the police need to know of it: its kind, its address and the police
unit that serves it, where its reports go and whom a registry hit is told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    HOSPITAL = "hospital", _("Hospital or clinic")
    HOTEL = "hotel", _("Hotel")
    CHILD_WELFARE = "child_welfare", _("Child-welfare institution")
    OTHER = "other", _("Other institution")


class Institution(models.Model):
    unit = models.OneToOneField("accounts.Unit", on_delete=models.PROTECT, related_name="institution",
                                verbose_name=_("unit"), limit_choices_to={"branch": "institution"})
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    address = models.CharField(_("address"), max_length=200)  # a building's, not a person's
    serving_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="served_institutions",
                                     verbose_name=_("serving police unit"), limit_choices_to={"branch": "police"})
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")  # null: the installer or the demo loader

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["unit__name"]

    def __str__(self) -> str:
        return self.unit.name
