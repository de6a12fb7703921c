"""The unit tree: ministry > province > prefecture > county > station, with internal
departments (a brigade, a minors' office) below any of them; procuratorates mirror it.

Each unit has a jurisdiction: an administrative division code (GB/T 2260, six digits).
A unit at province level covers every code sharing its first two digits, a prefecture the
first four, a county all six. Access follows this tree (see lantern.access.policy)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Branch(models.TextChoices):
    POLICE = "police", _("Public security")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    PARTNER = "partner", _("Partner agency")
    INSTITUTION = "institution", _("Institution")
    DISCIPLINE = "discipline", _("Discipline inspection")
    ADMINISTRATION = "administration", _("System administration")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    STATION = "station", _("Police station")
    DEPARTMENT = "department", _("Internal department")


# How many leading digits of the division code a unit at this level covers.
JURISDICTION_DIGITS = {
    Level.NATIONAL: 0,
    Level.PROVINCE: 2,
    Level.PREFECTURE: 4,
    Level.COUNTY: 6,
    Level.STATION: 6,
}

# Which level may sit under which: the tree's shape is data, checked on save.
ALLOWED_PARENT_LEVELS = {
    Level.NATIONAL: set(),
    Level.PROVINCE: {Level.NATIONAL},
    Level.PREFECTURE: {Level.PROVINCE},
    Level.COUNTY: {Level.PREFECTURE},
    Level.STATION: {Level.COUNTY},
    Level.DEPARTMENT: {Level.NATIONAL, Level.PROVINCE, Level.PREFECTURE, Level.COUNTY,
                       Level.DEPARTMENT},
}

code_validator = RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, - and _ only."))
division_validator = RegexValidator(r"^\d{6}$", _("A division code has six digits."))


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    branch = models.CharField(_("branch"), max_length=20, choices=Branch.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,  # null: a tree's root
        on_delete=models.PROTECT, related_name="children",
    )
    division_code = models.CharField(
        _("division code"), max_length=6, validators=[division_validator],
        help_text=_("Administrative division (GB/T 2260) the unit serves."),
    )
    # Materialised path of codes ("/MPS/GS/LX/"), so a subtree is one indexed prefix query.
    path = models.CharField(max_length=500, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # A procuratorate's minors' office sees every case with a minor victim in its
    # jurisdiction (DOMAIN.md: "visible to the procuratorate's minors office").
    handles_minors = models.BooleanField(_("minors' office"), default=False)
    # Printed on the documents a complainant receives: whom to call, and the unit's series
    # of document numbers ("清县公（刑）" + "不立字〔2026〕3号").
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True, default="")
    document_prefix = models.CharField(_("document number prefix"), max_length=40, blank=True, default="",
                                       help_text=_("The unit's short name in document numbers, e.g. 清县公（刑）."))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed = ALLOWED_PARENT_LEVELS[Level(self.level)]
        if self.parent is None and self.level != Level.NATIONAL and allowed:
            # Provinces etc. may be roots of a partial tree (a single-province deployment).
            return
        if self.parent is not None:
            if Level(self.parent.level) not in allowed:
                raise ValidationError({"parent": _("This level cannot sit under that unit.")})
            if self.parent.branch != self.branch:
                raise ValidationError({"parent": _("A unit's parent must be of the same branch.")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def jurisdiction_prefix(self) -> str:
        """The leading division digits this unit covers ('' for national)."""
        if self.level == Level.DEPARTMENT:
            return self.parent.jurisdiction_prefix if self.parent else self.division_code
        return self.division_code[: JURISDICTION_DIGITS[Level(self.level)]]

    def covers_division(self, division_code: str) -> bool:
        return division_code.startswith(self.jurisdiction_prefix)

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or below it in the tree."""
        return self.path.startswith(other.path)

    def subtree(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Unit]:
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    def command_unit(self) -> Unit:
        """The unit that owns cases: a department answers to the bureau above it."""
        unit = self
        while unit.level == Level.DEPARTMENT and unit.parent is not None:
            unit = unit.parent
        return unit
