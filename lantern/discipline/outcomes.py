"""The outcomes of holding officials to account, as a table with the published text each
rests on (verified wording; see the commit for the sources). "No fault" rests on no
article: it is the inspection's own finding, marked (policy) as deadlines.rules does."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

POLICY = _("(policy)")


class Outcome(models.TextChoices):
    PARTY_DISCIPLINE = "party_discipline", _("Party disciplinary sanction (党纪处分)")
    ADMINISTRATIVE = "administrative", _("Administrative sanction (政务处分)")
    ORGANISATIONAL = "organisational", _("Organisational measure: transfer, removal from post (组织处理)")
    CRIMINAL_REFERRAL = "criminal_referral", _("Referred for criminal investigation (移送追究刑事责任)")
    NO_FAULT = "no_fault", _("No fault found (无过错)")


LEGAL_REFERENCES = {
    # 警告、严重警告、撤销党内职务、留党察看、开除党籍
    Outcome.PARTY_DISCIPLINE: _("Regulations of the CPC on Disciplinary Sanctions, art. 8"),
    # 警告、记过、记大过、降级、撤职、开除; decided by the supervisory commission (监察法 art. 45(2))
    Outcome.ADMINISTRATIVE: _("Law on Administrative Sanctions for Public Officials, art. 7; "
                              "Supervision Law, art. 45(2)"),
    # 停职检查、调整职务、责令辞职、免职、降职
    Outcome.ORGANISATIONAL: _("CPC Provisions on Organisational Handling (trial, 2021)"),
    # 移送人民检察院依法审查、提起公诉
    Outcome.CRIMINAL_REFERRAL: _("Supervision Law, art. 45(4)"),
    Outcome.NO_FAULT: POLICY,
}
