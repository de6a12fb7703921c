"""The rules that follow from the victim's age and the facts, as data with the legal
reference beside each entry. Intake computes the band at the time of the offence."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CL = "《刑法》"
OPINION_2023 = "《关于办理性侵害未成年人刑事案件的意见》(2023，两高两部)"
MPL = "《未成年人保护法》(2020)"
CPL = "《刑事诉讼法》(2018)"
# Knowledge of the victim's age: the 2023 opinion art. 17 (it replaced the repealed 2013 opinion).
AGE_KNOWLEDGE = f"{CL}第二百三十六条第二款；{OPINION_2023}第十七条"


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: Promise
    min_age: int  # inclusive, full years at the time of the offence
    below_age: int  # exclusive
    flags: frozenset[str]
    extra_checklist: tuple[str, ...]
    legal_reference: str
    note: Promise


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under_12", _("Under 12"), 0, 12, frozenset({"minor", "major_case", "knowledge_presumed"}), (),
            AGE_KNOWLEDGE,
            _("The suspect is deemed to know the victim is under 14.")),
    AgeBand("12_to_14", _("12 to under 14"), 12, 14, frozenset({"minor", "major_case"}), ("age_knowledge_analysis",),
            AGE_KNOWLEDGE,
            _("Statutory rape threshold; knowledge of age must be established from evidence.")),
    AgeBand("14_to_16", _("14 to under 16"), 14, 16, frozenset({"minor", "major_case", "caretaker_duty_check"}),
            ("caretaker_duty_check",), f"{CL}第二百三十六条之一",
            _("Check the offence of sexual assault by a person with a duty of care.")),
    AgeBand("16_to_18", _("16 to under 18"), 16, 18, frozenset({"minor", "major_case"}), (), OPINION_2023,
            _("A minor: a major case, highest priority, escalated to the unit head.")),
    AgeBand("adult", _("18 or over"), 18, 200, frozenset(), (), "", _("An adult victim.")),
)


def band_for_age(age: int) -> AgeBand:
    for band in AGE_BANDS:
        if band.min_age <= age < band.below_age:
            return band
    raise ValueError("age out of range")


@dataclass(frozen=True)
class FactRule:
    flag: str
    label: Promise
    legal_reference: str


MULTIPLE_SUSPECTS = FactRule("multiple_suspects", _("Two or more suspects: gang-rape aggravation"),
                             f"{CL}第二百三十六条第三款第（四）项")
MANDATORY_FILING = FactRule("mandatory_filing", _("Mandatory filing: the case must be filed directly"),
                            f"{OPINION_2023}第五条")

FLAG_LABELS: dict[str, Promise] = {
    "minor": _("Minor victim"),
    "major_case": _("Major case"),
    "knowledge_presumed": _("Knowledge of age presumed"),
    "caretaker_duty_check": _("Check duty-of-care offence"),
    "multiple_suspects": MULTIPLE_SUSPECTS.label,
    "mandatory_filing": MANDATORY_FILING.label,
}


# The evidence checklist's templates are data: see lantern.standards (issue 18).
