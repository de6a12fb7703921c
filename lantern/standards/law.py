"""The offences a sexual-violence case is recorded under, with the provision that defines
each and the age bands of the victim it can concern (full years at the offence, the bands
of cases.law). Templates of the evidence standard exist for these pairs only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CL = "《刑法》"
ALL_BANDS = ("under_12", "12_to_14", "14_to_16", "16_to_18", "adult")
UNDER_14 = ("under_12", "12_to_14")
# The bands' names as cases.law words them (the same catalogue entries); this app sits
# below cases and cannot read them there.
BAND_LABELS = {"under_12": _("Under 12"), "12_to_14": _("12 to under 14"), "14_to_16": _("14 to under 16"),
               "16_to_18": _("16 to under 18"), "adult": _("18 or over")}


def band_label(band: str) -> str:
    return str(BAND_LABELS.get(band, band))


class Offence(models.TextChoices):
    RAPE = "rape", _("Rape (强奸)")
    CHILD_RAPE = "child_rape", _("Rape of a child under 14 (奸淫幼女)")
    FORCIBLE_INDECENCY = "forcible_indecency", _("Forcible indecency (强制猥亵)")
    CHILD_INDECENCY = "child_indecency", _("Indecency with a child, online non-contact included (猥亵儿童)")
    DUTY_OF_CARE = "duty_of_care", _("Sexual abuse by a person with a duty of care (负有照护职责人员性侵)")
    CHILD_PROSTITUTION = "child_prostitution", _("Organising or forcing a minor into prostitution")


@dataclass(frozen=True)
class OffenceRule:
    legal_reference: str
    bands: tuple[str, ...]


OFFENCES: dict[str, OffenceRule] = {
    Offence.RAPE: OffenceRule(f"{CL}第二百三十六条", ALL_BANDS),
    Offence.CHILD_RAPE: OffenceRule(f"{CL}第二百三十六条第二款", UNDER_14),
    # Art. 237 para. 1 protects persons of 14 and over; a child under 14 is para. 3.
    Offence.FORCIBLE_INDECENCY: OffenceRule(f"{CL}第二百三十七条第一款", ("14_to_16", "16_to_18", "adult")),
    Offence.CHILD_INDECENCY: OffenceRule(f"{CL}第二百三十七条第三款", UNDER_14),
    Offence.DUTY_OF_CARE: OffenceRule(f"{CL}第二百三十六条之一", ("14_to_16",)),
    Offence.CHILD_PROSTITUTION: OffenceRule(f"{CL}第三百五十八条第二款", ("under_12", "12_to_14", "14_to_16",
                                                                           "16_to_18")),
}

DEFAULT_OFFENCES = (Offence.RAPE.value,)


def applies(offence: str, band: str) -> bool:
    rule = OFFENCES.get(offence)
    return rule is not None and band in rule.bands
