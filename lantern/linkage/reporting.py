"""Whether a registry entry is reported to an institution's check before hiring (Minors
Protection Law art. 62, 入职查询), as a table of rules with their references. The first
rule that applies to an entry decides, once, when the entry is made; the entry keeps the
rule's key, so an answer can always be traced to the rule that gave it.

The law names no end to the ban on working in contact with minors after a sexual offence
(MPL art. 62 and the 2022 opinion on the employment ban state no term), so a conviction is
reported without end. A record sealed under CPL art. 286 (under 18 at the offence, five
years or less) is not given to "any unit", save judicial organs and units querying "under
state provisions"; whether a hiring check is such a query was not found in a published
text, so not reporting sealed records is policy (LANTERN_REGISTRY_REPORT_SEALED turns it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CPL_286 = "《刑事诉讼法》(2018)第二百八十六条"
MPL_62 = "《未成年人保护法》(2020)第六十二条"
POLICY = "(policy)"
SEALED_SENTENCE_MONTHS = 60  # "五年有期徒刑以下刑罚"


@dataclass(frozen=True)
class ReportingRule:
    key: str
    label: Promise
    applies: Callable[[Any], bool]
    reported: Callable[[], bool]
    reported_for: dt.timedelta | None  # None: without end, once reported
    legal_reference: str


def _sealed(entry: Any) -> bool:
    return bool(entry.minor_at_offence) and entry.sentence_months is not None and \
        entry.sentence_months <= SEALED_SENTENCE_MONTHS


RULES: tuple[ReportingRule, ...] = (
    ReportingRule("sealed_juvenile", _("Under 18 at the offence and five years or less: the record is sealed"),
                  _sealed, lambda: bool(getattr(settings, "LANTERN_REGISTRY_REPORT_SEALED", False)), None,
                  f"{CPL_286}；{POLICY}"),
    ReportingRule("conviction", _("Convicted of a sexual offence: reported without end"),
                  lambda entry: True, lambda: True, None, f"{MPL_62}；{POLICY}"),
)
BY_KEY = {r.key: r for r in RULES}


def rule_for(entry: Any) -> ReportingRule:
    return next(r for r in RULES if r.applies(entry))


def apply(entry: Any) -> None:
    """Set the entry's rule, whether it is reported and until when (before it is saved)."""
    rule = rule_for(entry)
    entry.reporting_rule = rule.key
    entry.reportable = rule.reported()
    entry.reported_until = (entry.convicted_at + rule.reported_for).date() if rule.reported_for else None
