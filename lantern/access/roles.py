"""The roles of DOMAIN.md's table, as data: what each does and what each may see.

The access policy (lantern.access.policy) reads these; nothing else decides visibility.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    INVESTIGATOR = "investigator", _("Investigator")
    SUPERVISOR = "supervisor", _("Supervisor / legal reviewer")
    UNIT_HEAD = "unit_head", _("Unit head")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    PARTNER_CASEWORKER = "partner_caseworker", _("Partner caseworker")
    COMPLAINANT = "complainant", _("Complainant / family")
    CAMPAIGN_ANALYST = "campaign_analyst", _("Campaign analyst")
    DISCIPLINE_INSPECTOR = "discipline_inspector", _("Discipline inspector")
    INSTITUTION = "institution", _("Institution (school, hospital, hotel)")
    ADMINISTRATOR = "administrator", _("Administrator")


@dataclass(frozen=True)
class RoleRule:
    does: Promise
    sees: Promise
    reads_audit: bool = False
    manages_accounts: bool = False


ROLE_RULES: dict[Role, RoleRule] = {
    Role.INTAKE_OFFICER: RoleRule(
        _("Registers a report and hands the complainant a receipt."),
        _("Cases of their own unit while at intake."),
    ),
    Role.INVESTIGATOR: RoleRule(
        _("Works the evidence checklist, records evidence, proposes decisions."),
        _("Cases they are assigned to."),
    ),
    Role.SUPERVISOR: RoleRule(
        _("Approves or returns filing decisions, assigns cases."),
        _("Cases of their unit."),
    ),
    Role.UNIT_HEAD: RoleRule(
        _("Approves decisions at the level above the supervisor; receives escalations."),
        _("Cases of their unit and the units below it."),
    ),
    Role.PROSECUTOR: RoleRule(
        _("Supervises filing decisions, reviews evidence, approves arrest, prosecutes."),
        _("Cases in their procuratorate's jurisdiction that reached oversight."),
    ),
    Role.PARTNER_CASEWORKER: RoleRule(
        _("Delivers a referred service."),
        _("The referral only: pseudonym, contact route, need; never the narrative."),
    ),
    Role.COMPLAINANT: RoleRule(
        _("Follows the case, asks questions, applies for reconsideration."),
        _("Their own case's status, deadlines, notices and answers."),
    ),
    Role.CAMPAIGN_ANALYST: RoleRule(
        _("Campaign statistics and timeliness."),
        _("Aggregates only, no personal data."),
    ),
    Role.DISCIPLINE_INSPECTOR: RoleRule(
        _("Reviews decision trails, records accountability outcomes."),
        _("Decision trails and outcomes."),
        reads_audit=True,
    ),
    Role.INSTITUTION: RoleRule(
        _("Files mandatory reports; checks job applicants against the registry."),
        _("Its own reports; hit / no-hit answers."),
    ),
    Role.ADMINISTRATOR: RoleRule(
        _("Manages users, units, keys and backups."),
        _("No case content by default."),
        reads_audit=True,
        manages_accounts=True,
    ),
}
