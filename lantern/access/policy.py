"""The one place that answers "may this user do this to this object?".

Each model that users reach has a Rule registered here by the app that owns the model,
from its AppConfig.ready (accounts, audit, cases, referrals, portal). A model without a
rule is invisible to everyone: access is denied by default. Views and API endpoints call
``scope`` for every list and ``require`` for every object, so a list never fetches what
the user may not see, and an object the user may not know about answers 404, one they
may see but not change answers 403.

Role-wide abilities that do not depend on an object ("may read the audit log") are
capabilities, declared in CAPABILITIES with the roles that hold them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.db.models import Model, Q, QuerySet

from lantern.access.roles import Role
from lantern.core import memo
from lantern.core.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=Model)


class Verb(StrEnum):
    VIEW = "view"
    VIEW_IDENTITY = "view_identity"  # a person's real identity, apart from the case itself
    CHANGE = "change"
    MANAGE = "manage"


class Capability(StrEnum):
    READ_AUDIT = "audit.read"
    MANAGE_ACCOUNTS = "accounts.manage"
    USE_ADMIN_SITE = "admin.use"
    READ_UNIT_MEMBERS = "accounts.read_members"
    MANAGE_CALENDAR = "deadlines.manage_calendar"
    REGISTER_REPORTS = "intake.register"
    WORK_CASES = "cases.work"
    BREAK_GLASS = "privacy.break_glass"
    REVIEW_BREAK_GLASS = "privacy.review_break_glass"
    READ_SNOOPING_REPORT = "privacy.snooping_report"
    SEAL_CASES = "privacy.seal"
    READ_STATISTICS = "oversight.statistics"
    MANAGE_CAMPAIGNS = "campaigns.manage"  # create and close campaigns (unit heads: prefecture and up)
    DECIDE_FOR_UNIT = "cases.decide_for_unit"  # approve, assign, waive, extend: the unit's supervisors and heads
    # What the law reserves to "the head of a public-security organ at county level or above"
    # (县级以上公安机关负责人批准), e.g. more time to request arrest (MPS Provisions art. 129).
    APPROVE_AS_POLICE_HEAD = "cases.approve_as_police_head"
    PARTNER_WORKSPACE = "referrals.partner_workspace"
    READ_NETWORKS = "linkage.networks"  # the networks list of a jurisdiction
    REVIEW_MATCHES = "linkage.review_matches"  # confirm or reject a person match
    # The oversight flags of a jurisdiction: for those who oversee the police from outside
    # (procuratorate, discipline commission), not for the unit heads whose approvals are flagged.
    READ_OVERSIGHT_FLAGS = "oversight.flags"
    # Who decided what on a case, for those who oversee the deciders (discipline.trail):
    # inspectors in their jurisdiction, and prosecutors and unit heads on cases they see.
    READ_DECISION_TRAILS = "discipline.read_trails"
    RECORD_ACCOUNTABILITY = "discipline.record_accountability"
    # Institutions (issue 16): file mandatory reports (强制报告); the figures of the reporting
    # duty (who reported late, who knew and did not) for those who hold institutions to it.
    FILE_MANDATORY_REPORTS = "institutions.file_reports"
    READ_REPORTING_DUTY = "institutions.reporting_duty"
    # The offence-record check before hiring (MPL art. 62): institutions check applicants;
    # inspectors read every check in their jurisdiction; the police of a serving unit read
    # the hits of the institutions they serve, to follow them up.
    CHECK_REGISTRY = "institutions.check_registry"
    READ_REGISTRY_CHECKS = "institutions.read_checks"
    FOLLOW_REGISTRY_HITS = "institutions.follow_hits"
    # The unified evidence standard (issue 18): shared by the police and the procuratorate.
    # Everyone who works or supervises cases reads the templates; a provincial administrator
    # drafts a new version; the police (unit heads) and the procuratorate (prosecutors) of
    # that province each approve it.
    READ_STANDARDS = "standards.read"
    DRAFT_STANDARDS = "standards.draft"
    APPROVE_STANDARDS = "standards.approve"


CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.READ_AUDIT: frozenset({Role.ADMINISTRATOR, Role.DISCIPLINE_INSPECTOR}),
    Capability.MANAGE_ACCOUNTS: frozenset({Role.ADMINISTRATOR}),
    Capability.USE_ADMIN_SITE: frozenset({Role.ADMINISTRATOR}),
    Capability.MANAGE_CALENDAR: frozenset({Role.ADMINISTRATOR}),
    Capability.REGISTER_REPORTS: frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR}),
    Capability.WORK_CASES: frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD,
                                      Role.PROSECUTOR}),
    Capability.BREAK_GLASS: frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD,
                                       Role.PROSECUTOR}),
    Capability.REVIEW_BREAK_GLASS: frozenset({Role.SUPERVISOR, Role.UNIT_HEAD}),
    Capability.DECIDE_FOR_UNIT: frozenset({Role.SUPERVISOR, Role.UNIT_HEAD}),
    Capability.APPROVE_AS_POLICE_HEAD: frozenset({Role.UNIT_HEAD}),
    Capability.READ_SNOOPING_REPORT: frozenset({Role.DISCIPLINE_INSPECTOR, Role.UNIT_HEAD}),
    Capability.SEAL_CASES: frozenset({Role.UNIT_HEAD}),
    Capability.READ_STATISTICS: frozenset({Role.CAMPAIGN_ANALYST, Role.UNIT_HEAD, Role.DISCIPLINE_INSPECTOR}),
    Capability.MANAGE_CAMPAIGNS: frozenset({Role.CAMPAIGN_ANALYST, Role.UNIT_HEAD}),
    Capability.PARTNER_WORKSPACE: frozenset({Role.PARTNER_CASEWORKER}),
    Capability.READ_NETWORKS: frozenset({Role.SUPERVISOR, Role.UNIT_HEAD}),
    Capability.REVIEW_MATCHES: frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD}),
    Capability.READ_OVERSIGHT_FLAGS: frozenset({Role.PROSECUTOR, Role.DISCIPLINE_INSPECTOR}),
    Capability.READ_DECISION_TRAILS: frozenset({Role.DISCIPLINE_INSPECTOR, Role.PROSECUTOR, Role.UNIT_HEAD}),
    Capability.RECORD_ACCOUNTABILITY: frozenset({Role.DISCIPLINE_INSPECTOR}),
    Capability.FILE_MANDATORY_REPORTS: frozenset({Role.INSTITUTION}),
    Capability.READ_REPORTING_DUTY: frozenset({Role.DISCIPLINE_INSPECTOR, Role.PROSECUTOR}),
    Capability.CHECK_REGISTRY: frozenset({Role.INSTITUTION}),
    Capability.READ_REGISTRY_CHECKS: frozenset({Role.DISCIPLINE_INSPECTOR}),
    Capability.FOLLOW_REGISTRY_HITS: frozenset({Role.SUPERVISOR, Role.UNIT_HEAD, Role.INTAKE_OFFICER}),
    Capability.READ_STANDARDS: frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD,
                                          Role.PROSECUTOR, Role.ADMINISTRATOR, Role.DISCIPLINE_INSPECTOR}),
    Capability.DRAFT_STANDARDS: frozenset({Role.ADMINISTRATOR}),
    Capability.APPROVE_STANDARDS: frozenset({Role.UNIT_HEAD, Role.PROSECUTOR}),
    Capability.READ_UNIT_MEMBERS: frozenset(
        {Role.ADMINISTRATOR, Role.SUPERVISOR, Role.UNIT_HEAD}
    ),
}


class Rule(Protocol):
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]: ...

    def allows(self, user: Any, verb: Verb, obj: Any) -> bool: ...


_RULES: dict[type[Model], Rule] = {}


def register(model: type[Model]) -> Callable[[type], type]:
    def wrap(rule_cls: type) -> type:
        _RULES[model] = rule_cls()
        return rule_cls

    return wrap


def register_rule(model: type[Model], rule: Rule) -> None:
    """Register a rule instance (a generic rule shared by several models)."""
    _RULES[model] = rule


def rule_for(model: type[Model]) -> Rule | None:
    return _RULES.get(model)


def is_active_user(user: Any) -> bool:
    # A sign-in lock (accounts.signin) refuses new sign-ins only: anyone can type five wrong
    # passwords for an officer, and that must not sign the officer out mid-shift. Ending an
    # account's live sessions and tokens is deactivation, an administrator's decision.
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_capability(user: Any, capability: Capability) -> bool:
    return is_active_user(user) and bool(user.role_set & CAPABILITIES[capability])


def scope(user: Any, verb: Verb, qs: QuerySet[M]) -> QuerySet[M]:
    """Restrict ``qs`` to the rows ``user`` may ``verb``."""
    rule = _RULES.get(qs.model)
    if rule is None or not is_active_user(user):
        return qs.none()
    return rule.scope(user, verb, qs)


def scope_few(user: Any, verb: Verb, qs: QuerySet[M]) -> QuerySet[M]:
    """``scope`` for a query already narrowed to a few rows (by primary key, or a network's
    members): the same rows, asked the way ``can`` asks of one row when the rule knows how
    (``Rule.scope_few``), so it reads nothing of the user's whole scope. A rule without it
    answers with ``scope``."""
    rule = _RULES.get(qs.model)
    if rule is None or not is_active_user(user):
        return qs.none()
    narrow = getattr(rule, "scope_few", None)
    return narrow(user, verb, qs) if narrow is not None else rule.scope(user, verb, qs)


def scope_matches(user: Any, verb: Verb, qs: QuerySet[M]) -> QuerySet[M]:
    """``scope`` for the matches of a search key: the same rows, asked in the shape the rule
    gives for a query run once per kind of key (``Rule.scope_matches``; else ``scope``)."""
    rule = _RULES.get(qs.model)
    if rule is None or not is_active_user(user):
        return qs.none()
    keyed = getattr(rule, "scope_matches", None)
    return keyed(user, verb, qs) if keyed is not None else rule.scope(user, verb, qs)


def can(user: Any, verb: Verb, obj: Model) -> bool:
    rule = _RULES.get(type(obj))
    return rule is not None and is_active_user(user) and rule.allows(user, verb, obj)


def require(user: Any, verb: Verb, obj: Model | None) -> Model:
    """Return ``obj`` if allowed. Raise NotFound if the user may not even know it exists,
    PermissionDenied if they may see it but not ``verb`` it."""
    if obj is None or not can(user, Verb.VIEW, obj):
        raise NotFound()
    if verb != Verb.VIEW and not can(user, verb, obj):
        raise PermissionDenied()
    return obj


def require_capability(user: Any, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied()


def get_visible(user: Any, qs: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object through the user's scope, 404 when outside it."""
    obj = scope(user, Verb.VIEW, qs).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj


# --- Building blocks for rules ---------------------------------------------------------------


# Both filters below name the units in a subquery on the unit table rather than through a
# join: the rows' own unit column is then filtered before anything else is joined. Through
# the join, PostgreSQL tested the unit's path only after joining every case to its clocks
# (a case list read all 720,000 clocks of 100,000 cases; issue 17, bench/scale.py).


def unit_subtree_q(user: Any, field: str) -> Q:
    """Rows whose ``field`` (a Unit FK) is the user's command unit or below it."""
    if user.unit is None:
        return Q(pk__in=[])
    ids = memo.remembered(("unit subtree", user.pk), lambda: _ids(
        type(user.unit)._default_manager.filter(path__startswith=user.unit.command_unit().path)))
    return Q(**{f"{field}__in": ids})


def jurisdiction_q(user: Any, field: str) -> Q:
    """Rows whose ``field`` unit lies in the user's jurisdiction (a procuratorate's view of
    the police units it oversees)."""
    if user.unit is None:
        return Q(pk__in=[])
    ids = memo.remembered(("jurisdiction", user.pk), lambda: _ids(
        type(user.unit)._default_manager.filter(division_code__startswith=user.unit.jurisdiction_prefix)))
    return Q(**{f"{field}__in": ids})


def _ids(units: QuerySet[Any]) -> list[int]:
    """The units as a list of ids written into the query: PostgreSQL knows how many rows each
    unit holds from its statistics and reads a county's cases by index, where a subquery on
    the unit table left it to guess and read all cases (a prosecutor's list at 100,000
    cases). Units are few, and one small query per scope is cheaper than that guess."""
    return list(units.order_by("pk").values_list("pk", flat=True))
