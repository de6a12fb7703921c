"""Deadline rules: the law as data. Each entry names the event that starts the clock, the
period, how it may be extended and the legal reference. Entries marked ``policy`` are
configurable defaults, not law (DOMAIN.md marks them "(policy)")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.deadlines.arithmetic import Period, Unit

CPL = "《刑事诉讼法》(2018)"
MPS = "《公安机关办理刑事案件程序规定》(2020)"
FILING_REFORM = "《公安部关于改革完善受案立案制度的意见》(2015)"
MINORS_2023 = "《关于办理性侵害未成年人刑事案件的意见》(2023，两高两部)"
SUPERVISION_2010 = "《关于刑事立案监督有关问题的规定（试行）》(2010，最高检、公安部)"
SPP_RULES = "《人民检察院刑事诉讼规则》(2019)"
MANDATORY_REPORTING_2020 = "《关于建立侵害未成年人案件强制报告制度的意见（试行）》(2020，最高检等九部门)"
# A reference that begins so is the campaign's policy, not law (docs/legal-references.md).
POLICY = "(policy)"

# A report is reviewed on one of these clocks: the minors' rule for a minor victim.
FILING_REVIEW_RULES = ("filing_review", "filing_review_minor")


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    title: Promise
    starts_when: Promise
    period: Period
    legal_reference: str
    extension: Promise | None = None
    extended_period: Period | None = None  # the longest the clock may run once extended
    policy: bool = False


RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule("filing_review", _("Filing decision"), _("the report is received"),
                 Period(3, Unit.DAYS), f"{FILING_REFORM}；{MPS}第一百七十八条",
                 _("7 days where clues must be verified; up to 30 days for a major, complex case "
                   "with the approval of a county-level head"), Period(30, Unit.DAYS)),
    # "File at once" has no number of days: the ordinary 3 days are its outer bound (policy),
    # and a complex case may be extended to 7 days, never beyond (2023 opinion art. 5).
    DeadlineRule("filing_review_minor", _("Filing decision (minor victim)"), _("the report is received"),
                 Period(3, Unit.DAYS), f"{MINORS_2023}第五条；{FILING_REFORM}",
                 _("accept promptly and file at once; a complex case is reviewed within 7 days at most"),
                 Period(7, Unit.DAYS)),
    DeadlineRule("non_filing_notice", _("Non-filing notice delivered to the complainant"),
                 _("the non-filing decision is made"), Period(3, Unit.DAYS), f"{MPS}第一百七十八条第二款"),
    DeadlineRule("reconsideration_application", _("Application for reconsideration"),
                 _("the complainant receives the non-filing notice"), Period(7, Unit.DAYS),
                 f"{MPS}第一百七十九条第一款"),
    DeadlineRule("reconsideration_decision", _("Reconsideration decided"), _("the application is received"),
                 Period(30, Unit.DAYS), f"{MPS}第一百七十九条第一款、第三款",
                 _("a major, complex case: extended by at most 30 days, the applicant told in writing"),
                 Period(60, Unit.DAYS)),
    DeadlineRule("review_application", _("Application for review by the next level up"),
                 _("the complainant receives the reconsideration decision"), Period(7, Unit.DAYS),
                 f"{MPS}第一百七十九条第二款"),
    DeadlineRule("review_decision", _("Review decided by the next level up"), _("the application is received"),
                 Period(30, Unit.DAYS), f"{MPS}第一百七十九条第二款、第三款",
                 _("a major, complex case: extended by at most 30 days, the applicant told in writing"),
                 Period(60, Unit.DAYS)),
    DeadlineRule("supervision_explanation", _("Police explain the non-filing to the procuratorate"),
                 _("the procuratorate's request is received"), Period(7, Unit.DAYS),
                 f"{MPS}第一百八十二条第一款；{SPP_RULES}第五百六十条；{SUPERVISION_2010}"),
    DeadlineRule("supervision_filing", _("Police file the case after the notice to file"),
                 _("the procuratorate's notice to file is received"), Period(15, Unit.DAYS),
                 f"{MPS}第一百八十二条第二款；{SPP_RULES}第五百六十三条；{SUPERVISION_2010}"),
    DeadlineRule("supervision_reply", _("Complainant told the police reasons were upheld"),
                 _("the procuratorate upholds the police reasons"), Period(10, Unit.DAYS),
                 f"{SPP_RULES}第五百六十一条第二款"),
    DeadlineRule("supervision_chase", _("Filed case concluded, or chased by the procuratorate"),
                 _("the case is filed after supervision"), Period(3, Unit.MONTHS),
                 f"{SPP_RULES}第五百六十四条第三款"),
    DeadlineRule("forensic_examination", _("Forensic medical examination"), _("the offence"),
                 Period(72, Unit.HOURS), _("emergency care and biological evidence window"), policy=True),
    DeadlineRule("phone_extraction", _("Suspect's phone seized and extracted"), _("the suspect is identified"),
                 Period(48, Unit.HOURS), _("data disappears"), policy=True),
    DeadlineRule("cctv_preservation", _("CCTV, hotel and location records preserved"), _("the offence"),
                 Period(30, Unit.DAYS, extends_over_holidays=False), _("usual 30-day overwrite"), policy=True),
    DeadlineRule("arrest_request", _("Request for arrest approval"), _("the suspect is detained"),
                 Period(3, Unit.DAYS, extends_over_holidays=False), f"{CPL}第九十一条；{MPS}第一百二十九条",
                 _("by 1 to 4 days in special cases; up to 30 days for roving, repeated or gang offences"),
                 Period(30, Unit.DAYS, extends_over_holidays=False)),
    DeadlineRule("arrest_decision", _("Procuratorate decides on arrest"), _("the request is received"),
                 Period(7, Unit.DAYS, extends_over_holidays=False), f"{CPL}第九十一条第三款"),
    DeadlineRule("investigation_custody", _("Investigation custody after arrest"), _("the suspect is arrested"),
                 Period(2, Unit.MONTHS, extends_over_holidays=False),
                 f"{CPL}第一百五十六条、第一百五十八条、第一百五十九条",
                 _("extensions approved under CPL arts. 156-159 are recorded")),
    # So a kit is never lost between the unit and the laboratory while no clock runs on it.
    DeadlineRule("lab_receipt", _("Laboratory confirms it received the item"), _("the item is sent"),
                 Period(3, Unit.WORKING_DAYS), _("campaign policy: an item in transit is followed up within days"),
                 policy=True),
    DeadlineRule("lab_result", _("Laboratory result (sexual-assault kit, biological sample)"),
                 _("the laboratory receives the item"), Period(30, Unit.WORKING_DAYS),
                 "《司法鉴定程序通则》(2016)第二十八条",
                 _("once, by up to 30 more days for a complex examination, approved by the laboratory's head"),
                 Period(60, Unit.WORKING_DAYS)),
    DeadlineRule("cold_case_review", _("Cold-case review of a suspended investigation"),
                 _("the investigation is suspended, or the last review"), Period(180, Unit.DAYS),
                 _("campaign policy: suspended cases are re-examined at least twice a year"), policy=True),
    DeadlineRule("non_prosecution_appeal", _("Victim appeals a decision not to prosecute"),
                 _("the victim receives the decision"), Period(7, Unit.DAYS), f"{CPL}第一百八十条"),
    DeadlineRule("family_question", _("Family's question or information request answered"),
                 _("the question is received"), Period(20, Unit.WORKING_DAYS),
                 _("after the Regulations on Open Government Information, art. 33"),
                 _("once, by 20 working days, with a reason the family sees"), Period(40, Unit.WORKING_DAYS),
                 policy=True),
    # The police tell the reporting institution how its report went: once accepted and once
    # the filing decision is made, each within three days (lantern.institutions.feedback).
    DeadlineRule("mandatory_report_feedback", _("Feedback to the reporting institution"),
                 _("the mandatory report is accepted, or the filing decision is made"), Period(3, Unit.DAYS),
                 MANDATORY_REPORTING_2020),
    DeadlineRule("institution_question", _("Reporting institution's question answered"),
                 _("the question is received"), Period(5, Unit.WORKING_DAYS),
                 _("campaign policy: an institution that reported is answered within a working week"), policy=True),
    # The period differs by service (lantern.referrals.catalogue); this is the default.
    DeadlineRule("referral_first_contact", _("Partner agency's first contact with the family"),
                 _("the referral is sent"), Period(3, Unit.WORKING_DAYS),
                 _("campaign policy: a referred family hears from the service within days"), policy=True),
)

BY_KEY: dict[str, DeadlineRule] = {rule.key: rule for rule in RULES}


def rule(key: str) -> DeadlineRule:
    return BY_KEY[key]
