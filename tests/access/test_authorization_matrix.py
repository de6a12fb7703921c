"""The authorization matrix, generated from the URL configuration and the API schema:
every page and API operation × every role × the user's relationship to the case. Each
endpoint must have a rule in RULES, so a new endpoint without one fails here; each rule
says who gets through, and the test asks every subject.

Answers are classed as a user would notice them: "ok" (the request got past access
control: 2xx, a redirect that is not to sign-in, or a complaint about the input),
"hidden" (404: the object does not exist for this user), "forbidden" (403)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lantern.access.policy import Capability, has_capability
from lantern.access.roles import Role
from lantern.accounts import actions as account_actions
from lantern.accounts.models.units import Branch, Level
from lantern.api import api
from lantern.cases.models import Case
from lantern.institutions.models import InstitutionQuestion, MandatoryReport
from lantern.linkage.models import MatchStatus, NetworkMember, PersonMatch
from lantern.notifications.models import Notification
from lantern.people.models import Identifier
from lantern.standards.models import Template
from tests.access.test_every_url import PUBLIC_API, PUBLIC_PAGES
from tests.cases.helpers import report
from tests.cases.test_linxia_scenario import Api
from tests.factories import api_token, make_user, sign_in
from tests.family import Family, partner_services
from tests.institutions.conftest import mandatory_report

pytestmark = pytest.mark.django_db

# Who sees the test case (a 12-year-old victim's case under review at the county bureau,
# with one investigator assigned), by relationship:
SUBJECTS = {
    # name: (unit, role)
    "assigned_investigator": ("QS-XZDD", Role.INVESTIGATOR),
    "unassigned_investigator": ("QS-XZDD", Role.INVESTIGATOR),
    "same_unit_supervisor": ("QS-XZDD", Role.SUPERVISOR),
    "parent_unit_head": ("AP-GAJ", Role.UNIT_HEAD),
    "other_unit_supervisor": ("XS-GAJ", Role.SUPERVISOR),
    "intake_officer_after_intake": ("QS-CGPCS", Role.INTAKE_OFFICER),
    "prosecutor_in_jurisdiction": ("QS-JCY-WJ", Role.PROSECUTOR),
    "prosecutor_out_of_jurisdiction": ("XS-JCY", Role.PROSECUTOR),
    "partner_with_referral": ("QS-FLYZ", Role.PARTNER_CASEWORKER),
    "partner_without_referral": ("QS-XLZX", Role.PARTNER_CASEWORKER),
    "campaign_analyst": ("AP-GAJ", Role.CAMPAIGN_ANALYST),
    "discipline_inspector": ("AP-JW", Role.DISCIPLINE_INSPECTOR),
    "administrator": ("HX-XXZX", Role.ADMINISTRATOR),
    # Institutions (issue 16): the school whose mandatory report the world's case came from,
    # and another school served by the same station.
    "reporting_institution": ("M-SCHOOL", Role.INSTITUTION),
    "other_institution": ("M-SCHOOL2", Role.INSTITUTION),
}
SEES_CASE = {"assigned_investigator", "same_unit_supervisor", "parent_unit_head", "prosecutor_in_jurisdiction"}
SEES_IDENTITY = {"assigned_investigator", "same_unit_supervisor", "parent_unit_head"}
# A partner's only basis is its referral: never the case (the world's case is referred to QS-FLYZ).
SEES_REFERRAL = SEES_CASE | {"partner_with_referral"}


@dataclass(frozen=True)
class SignedIn:
    """Any signed-in user: their own inbox, account, home page."""


@dataclass(frozen=True)
class Own:
    """A notification: its recipient only (the world's assignment told the assigned
    investigator); it does not exist for anyone else, whatever their role (404)."""

    recipient: str = "assigned_investigator"


@dataclass(frozen=True)
class Cap:
    capability: Capability


@dataclass(frozen=True)
class OnCase:
    """Scoped by the case: 404 outside need to know; then the capability, if any; and
    police work on the case is refused (403) to those who see it only to supervise it."""

    capability: Capability | None = None
    refused: frozenset[str] = frozenset()


POLICE_WORK = frozenset({"prosecutor_in_jurisdiction"})


@dataclass(frozen=True)
class OnReferral:
    """Scoped by the referral: the partner it was sent to and those who see the case;
    404 for everyone else; ``refused`` answer 403."""

    refused: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Portal:
    """The family portal: staff credentials never open it (pages send them to the portal's
    sign-in, the API answers 401); only the complainant's portal session does."""


@dataclass(frozen=True)
class MatchReview:
    """A person match between a suspect of the world's case and one of its linked case:
    decided by those who hold the capability and see both identities (the unit's supervisor
    and the head above it); 404 for the others who hold it; 403 without it."""

    deciders: frozenset[str] = frozenset({"same_unit_supervisor", "parent_unit_head"})


@dataclass(frozen=True)
class CapObj:
    """A capability, then an object of the holder's scope: 403 without the capability,
    past it either the object (ok) or 404 (the matrix asks for an id nobody may reach)."""

    capability: Capability


@dataclass(frozen=True)
class Trail:
    """A case's decision trail and accountability records: 403 without the capability; then
    those who see the case and the inspectors whose jurisdiction covers its unit (who do
    not see the case itself); 404 for the others."""

    capability: Capability = Capability.READ_DECISION_TRAILS


TRAIL_READERS = SEES_CASE | {"discipline_inspector"}


@dataclass(frozen=True)
class AnyCap:
    """Any one of these capabilities: each reads its own part (the registry checks)."""

    capabilities: tuple[Capability, ...]


@dataclass(frozen=True)
class OwnReport:
    """A mandatory report as its institution reads it: the institution that filed it; 404
    for any other institution; 403 for everyone without the capability (the police read
    the report on the case page)."""




RULES = {
    "GET /": SignedIn(),
    "GET /accounts/recovery-codes/": SignedIn(),
    "POST /accounts/recovery-codes/": SignedIn(),
    "GET /accounts/password/": SignedIn(),
    "POST /accounts/password/": SignedIn(),
    "GET /accounts/locked/": Cap(Capability.MANAGE_ACCOUNTS),
    "POST /accounts/locked/{user}/unlock/": CapObj(Capability.MANAGE_ACCOUNTS),
    "GET /audit/": Cap(Capability.READ_AUDIT),
    "GET /cases/": SignedIn(),  # a list scoped to the user: empty for those who see no case
    "GET /cases/export.csv": SignedIn(),
    "GET /cases/export.xlsx": SignedIn(),
    "GET /cases/{case}/": OnCase(),
    "GET /cases/{case}/notice.pdf": OnCase(),
    "GET /cases/{case}/reconsideration-decision.pdf": OnCase(),
    "GET /cases/{case}/review-decision.pdf": OnCase(),
    "GET /cases/{case}/supervision-reply.pdf": OnCase(),
    "POST /cases/{case}/actions/{name}/": OnCase(),
    "POST /cases/{case}/checklist/{item}/": OnCase(),
    "GET /intake/": Cap(Capability.REGISTER_REPORTS),
    "POST /intake/": Cap(Capability.REGISTER_REPORTS),
    "POST /intake/duplicates/": Cap(Capability.REGISTER_REPORTS),
    "GET /intake/receipt/": Cap(Capability.REGISTER_REPORTS),
    "POST /intake/receipt.pdf": CapObj(Capability.REGISTER_REPORTS),
    "GET /inbox/": SignedIn(),
    "POST /inbox/read/": SignedIn(),
    "GET /inbox/{notification}/": Own(),
    "POST /inbox/{notification}/read/": Own(),
    "GET /api/v1/inbox": SignedIn(),
    "POST /api/v1/inbox/read-all": SignedIn(),
    "POST /api/v1/inbox/{notification_id}/read": Own(),
    "GET /privacy/break-glass/": Cap(Capability.BREAK_GLASS),
    "POST /privacy/break-glass/": Cap(Capability.BREAK_GLASS),
    "GET /privacy/break-glass/reviews/": Cap(Capability.REVIEW_BREAK_GLASS),
    "POST /privacy/break-glass/reviews/{grant}/close/": CapObj(Capability.REVIEW_BREAK_GLASS),
    "GET /privacy/access-report/": Cap(Capability.READ_SNOOPING_REPORT),
    "POST /privacy/cases/{case}/seal/": OnCase(),  # refusals come back as a message on the case page
    "GET /api/v1/me": SignedIn(),
    "GET /api/v1/units": SignedIn(),
    "GET /api/v1/units/{unit_id}": SignedIn(),
    "POST /api/v1/users/{user_id}/unlock": CapObj(Capability.MANAGE_ACCOUNTS),
    "POST /api/v1/cases": Cap(Capability.REGISTER_REPORTS),
    "GET /api/v1/cases": SignedIn(),
    "POST /api/v1/cases/duplicates": Cap(Capability.REGISTER_REPORTS),
    "GET /api/v1/cases/{case_id}": OnCase(),
    "GET /api/v1/cases/{case_id}/actions": OnCase(),
    "POST /api/v1/cases/{case_id}/actions/{name}": OnCase(refused=POLICE_WORK),  # name: begin_review
    "PATCH /api/v1/cases/{case_id}/checklist/{item_id}": OnCase(refused=POLICE_WORK),
    "POST /api/v1/break-glass": Cap(Capability.BREAK_GLASS),
    "GET /api/v1/break-glass/reviews": Cap(Capability.REVIEW_BREAK_GLASS),
    "POST /api/v1/break-glass/{grant_id}/review": CapObj(Capability.REVIEW_BREAK_GLASS),
    "GET /api/v1/privacy/access-report": Cap(Capability.READ_SNOOPING_REPORT),
    "POST /api/v1/cases/{case_id}/seal": OnCase(Capability.SEAL_CASES),
    "POST /api/v1/cases/{case_id}/seal/lift": OnCase(Capability.SEAL_CASES),
    # Pages answer a refused action with a message on the case page (a redirect).
    "POST /evidence/cases/{case}/": OnCase(),
    "POST /evidence/{item}/custody/": OnCase(),
    "POST /evidence/{item}/files/": OnCase(),
    "GET /evidence/files/{file}/": OnCase(refused=POLICE_WORK),  # files show identities
    "GET /api/v1/cases/{case_id}/evidence": OnCase(),
    "POST /api/v1/cases/{case_id}/evidence": OnCase(refused=POLICE_WORK),
    "POST /api/v1/evidence/{item_id}/custody": OnCase(refused=POLICE_WORK),
    "POST /api/v1/evidence/{item_id}/files": OnCase(refused=POLICE_WORK),
    "GET /api/v1/evidence/files/{file_id}": OnCase(refused=POLICE_WORK),
    "GET /api/v1/evidence/{item_id}/file": OnCase(refused=POLICE_WORK),  # the item's file, as API.md names it
    "POST /evidence/cases/{case}/interviews/": OnCase(),
    "POST /evidence/cases/{case}/interviews/repeat/": OnCase(),
    "POST /evidence/interviews/repeat/{request}/decision/": OnCase(),
    "GET /api/v1/cases/{case_id}/interviews": OnCase(),
    "POST /api/v1/cases/{case_id}/interviews": OnCase(refused=POLICE_WORK),
    "POST /api/v1/cases/{case_id}/interviews/repeat-requests": OnCase(refused=POLICE_WORK),
    # Supervisors decide on a child's further interview; the investigator who sees the case may not.
    "POST /api/v1/interviews/repeat-requests/{request_id}/decision": OnCase(
        refused=POLICE_WORK | {"assigned_investigator"}),
    "POST /evidence/{item}/lab/": OnCase(),
    "POST /evidence/{item}/lab/arrival/": OnCase(),
    "POST /evidence/{item}/lab/result/": OnCase(),
    "POST /api/v1/evidence/{item_id}/lab": OnCase(refused=POLICE_WORK),
    "POST /api/v1/evidence/{item_id}/lab/arrival": OnCase(refused=POLICE_WORK),
    "POST /api/v1/evidence/{item_id}/lab/result": OnCase(refused=POLICE_WORK),
    "GET /cases/fugitives/": SignedIn(),  # a list scoped to the user's cases
    "POST /cases/{case}/suspects/{suspect}/moves/{name}/": OnCase(),
    "GET /api/v1/cases/{case_id}/suspects": OnCase(),
    "POST /api/v1/suspects/{suspect_id}/moves/{name}": OnCase(refused=POLICE_WORK),  # name: detain
    "POST /api/v1/suspects/{suspect_id}/arrest-request/extension": OnCase(
        refused=POLICE_WORK | {"assigned_investigator", "same_unit_supervisor"}),  # the county head (MPS art. 129)
    "GET /api/v1/fugitives": SignedIn(),
    "POST /cases/{case}/cold-case-reviews/": OnCase(),
    "POST /cases/{case}/suspects/{suspect}/extension/": OnCase(),
    "GET /api/v1/cases/{case_id}/cold-case-reviews": OnCase(),
    "POST /api/v1/cases/{case_id}/cold-case-reviews": OnCase(refused=POLICE_WORK),
    "POST /api/v1/cases/{case_id}/historical": OnCase(refused=POLICE_WORK | {"assigned_investigator"}),
    # The procuratorate extends custody; police who see the case may not.
    "POST /api/v1/suspects/{suspect_id}/custody/extension": OnCase(
        refused=frozenset({"assigned_investigator", "same_unit_supervisor", "parent_unit_head"})),
    "GET /api/v1/statistics/investigation": Cap(Capability.READ_STATISTICS),
    # Campaigns and their figures (issue 15): readers of statistics see them; analysts and unit
    # heads create and close them (a unit head only from the prefecture up: the parent unit head).
    "GET /campaigns/": Cap(Capability.READ_STATISTICS),
    "GET /campaigns/export.csv": Cap(Capability.READ_STATISTICS),
    "GET /campaigns/export.xlsx": Cap(Capability.READ_STATISTICS),
    "GET /campaigns/list/": Cap(Capability.READ_STATISTICS),
    "POST /campaigns/create/": Cap(Capability.MANAGE_CAMPAIGNS),
    "POST /campaigns/{campaign}/close/": CapObj(Capability.MANAGE_CAMPAIGNS),
    "GET /api/v1/campaigns": Cap(Capability.READ_STATISTICS),
    "POST /api/v1/campaigns": Cap(Capability.MANAGE_CAMPAIGNS),
    "POST /api/v1/campaigns/{campaign_id}/close": CapObj(Capability.MANAGE_CAMPAIGNS),
    "GET /api/v1/statistics": Cap(Capability.READ_STATISTICS),
    # Referrals and the family's questions (issue 6).
    "GET /referrals/": Cap(Capability.PARTNER_WORKSPACE),
    "GET /referrals/waiting/": Cap(Capability.WORK_CASES),
    "GET /referrals/{referral}/": OnReferral(),
    "POST /referrals/{referral}/status/": OnReferral(),  # refusals come back as a message
    "POST /referrals/{referral}/notes/": OnReferral(),
    "POST /referrals/cases/{case}/": OnCase(),
    "POST /referrals/consents/{consent}/withdraw/": OnCase(),
    "POST /referrals/questions/{question}/answer/": OnCase(),
    "POST /referrals/questions/{question}/extension/": OnCase(),
    "GET /api/v1/referrals": SignedIn(),  # scoped: a partner's own referrals, the police their cases'
    "GET /api/v1/referrals/{referral_id}": OnReferral(),
    # The matrix asks to accept: the partner's move; the police may not make it.
    "POST /api/v1/referrals/{referral_id}/status": OnReferral(refused=frozenset(SEES_CASE)),
    "POST /api/v1/referrals/{referral_id}/notes": OnReferral(refused=POLICE_WORK),
    "GET /api/v1/cases/{case_id}/referrals": OnCase(),
    "POST /api/v1/cases/{case_id}/referrals": OnCase(refused=POLICE_WORK),
    "POST /api/v1/consents/{consent_id}/withdraw": OnCase(refused=POLICE_WORK),
    "GET /api/v1/questions": SignedIn(),
    "GET /api/v1/cases/{case_id}/questions": OnCase(),
    "POST /api/v1/questions/{question_id}/answer": OnCase(refused=POLICE_WORK),
    "POST /api/v1/questions/{question_id}/extension": OnCase(refused=POLICE_WORK),
    "POST /portal/sign-out/": Portal(),
    "GET /portal/case/": Portal(),
    "POST /portal/questions/": Portal(),
    "POST /portal/reconsideration/": Portal(),
    "POST /portal/consents/{consent}/withdraw/": Portal(),
    "GET /portal/notices/{notice}.pdf": Portal(),
    "GET /portal/decisions/{proceeding}.pdf": Portal(),
    "POST /api/v1/portal/session/end": Portal(),
    "GET /api/v1/portal/case": Portal(),
    "GET /api/v1/portal/questions": Portal(),
    "POST /api/v1/portal/questions": Portal(),
    "POST /api/v1/portal/reconsideration": Portal(),
    "POST /api/v1/portal/consents/{consent_id}/withdraw": Portal(),
    "GET /api/v1/portal/notices/{notice_id}": Portal(),
    "GET /api/v1/portal/decisions/{proceeding_id}": Portal(),
    "GET /api/v1/audit/entries": Cap(Capability.READ_AUDIT),
    "GET /api/v1/audit/verify": Cap(Capability.READ_AUDIT),
    # The verifiable log (issue 17): hashes, counts and public keys only, for anyone signed in.
    "GET /api/v1/audit/tree-head": SignedIn(),
    "GET /api/v1/audit/proof/inclusion": SignedIn(),  # no seq: 422, past access control
    "GET /api/v1/audit/proof/consistency": SignedIn(),
    "GET /api/v1/audit/keys": SignedIn(),
    # Search: for those who work cases, answering within their scope (test_search_finds_...).
    "GET /search/": Cap(Capability.WORK_CASES),
    "GET /api/v1/search": Cap(Capability.WORK_CASES),
    # Adding to the record after intake (issue 13): the case team and their supervisors.
    "POST /intake/cases/{case}/suspects/": OnCase(),  # refusals come back as a message on the case page
    "POST /intake/cases/{case}/indicators/": OnCase(),
    "POST /intake/cases/{case}/supplements/": OnCase(),
    "POST /intake/cases/{case}/corrections/": OnCase(),
    "POST /intake/people/{person}/identifiers/": OnCase(),
    "POST /intake/identifiers/{identifier}/retract/": OnCase(),
    "POST /api/v1/cases/{case_id}/suspects": OnCase(refused=POLICE_WORK),
    "POST /api/v1/cases/{case_id}/indicators": OnCase(refused=POLICE_WORK),
    "GET /api/v1/cases/{case_id}/supplements": OnCase(),
    "POST /api/v1/cases/{case_id}/supplements": OnCase(refused=POLICE_WORK),
    "GET /api/v1/cases/{case_id}/corrections": OnCase(),
    "POST /api/v1/cases/{case_id}/corrections": OnCase(refused=POLICE_WORK),
    "GET /api/v1/people/{person_id}/identifiers": OnCase(),
    "POST /api/v1/people/{person_id}/identifiers": OnCase(refused=POLICE_WORK),
    "POST /api/v1/identifiers/{identifier_id}/retract": OnCase(refused=POLICE_WORK),
    # Links and networks (issue 14): what the case's readers see of its links; the networks of a
    # jurisdiction for its supervisors; the review of person matches for those who see both sides.
    "GET /linkage/networks/": Cap(Capability.READ_NETWORKS),
    # Oversight flags (issue 15): prosecutors and discipline inspectors, their jurisdiction.
    "GET /oversight/flags/": Cap(Capability.READ_OVERSIGHT_FLAGS),
    "GET /api/v1/oversight/flags": Cap(Capability.READ_OVERSIGHT_FLAGS),
    "GET /linkage/networks/{network}/": OnCase(),
    "GET /linkage/matches/": Cap(Capability.REVIEW_MATCHES),
    "POST /linkage/matches/{match}/confirm/": MatchReview(),
    "POST /linkage/matches/{match}/reject/": MatchReview(),
    "POST /linkage/cases/{case}/links/{position}/break-glass/": OnCase(Capability.BREAK_GLASS),
    "GET /api/v1/cases/{case_id}/links": OnCase(),
    "GET /api/v1/cases/{case_id}/network": OnCase(),
    "GET /api/v1/networks": Cap(Capability.READ_NETWORKS),
    "GET /api/v1/networks/{network_id}": OnCase(),
    "GET /api/v1/matches": Cap(Capability.REVIEW_MATCHES),
    "POST /api/v1/matches/{match_id}/confirm": MatchReview(),
    "POST /api/v1/matches/{match_id}/reject": MatchReview(),
    # Decision trails and accountability (issue 15).
    "GET /discipline/cases/{case}/trail/": Trail(),
    "POST /discipline/cases/{case}/accountability/": Trail(Capability.RECORD_ACCOUNTABILITY),
    "GET /discipline/records/": Cap(Capability.RECORD_ACCOUNTABILITY),
    "GET /api/v1/cases/{case_id}/decision-trail": Trail(),
    "GET /api/v1/cases/{case_id}/accountability": Trail(),
    "POST /api/v1/cases/{case_id}/accountability": Trail(Capability.RECORD_ACCOUNTABILITY),
    # Mandatory reports (issue 16): the institution files and reads its own; the police who
    # work the case give feedback, answer its questions and record non-reporting.
    "POST /api/v1/mandatory-reports": Cap(Capability.FILE_MANDATORY_REPORTS),
    "GET /api/v1/mandatory-reports": Cap(Capability.FILE_MANDATORY_REPORTS),
    "GET /api/v1/mandatory-reports/{report_id}": OwnReport(),
    "POST /api/v1/mandatory-reports/{report_id}/attachments": OwnReport(),
    "POST /api/v1/mandatory-reports/{report_id}/questions": OwnReport(),
    "POST /api/v1/mandatory-reports/{report_id}/feedback": OnCase(refused=POLICE_WORK),
    "POST /api/v1/institution-questions/{question_id}/answer": OnCase(refused=POLICE_WORK),
    "POST /api/v1/cases/{case_id}/non-reporting": OnCase(refused=POLICE_WORK),
    "GET /api/v1/institutions/reporting-duty": Cap(Capability.READ_REPORTING_DUTY),
    # The offence-record check before hiring: institutions check; inspectors read every
    # check in their jurisdiction, the serving unit's police the hits (a part each).
    "POST /api/v1/registry/checks": Cap(Capability.CHECK_REGISTRY),
    "GET /api/v1/registry/checks": AnyCap((Capability.CHECK_REGISTRY, Capability.READ_REGISTRY_CHECKS,
                                           Capability.FOLLOW_REGISTRY_HITS)),
    "POST /api/v1/registry/checks/bulk": Cap(Capability.CHECK_REGISTRY),
    "GET /api/v1/registry/checks/bulk/{batch_id}": CapObj(Capability.CHECK_REGISTRY),
    # The institutions' pages (the same rules as their API).
    "GET /institutions/": Cap(Capability.FILE_MANDATORY_REPORTS),
    "GET /institutions/reports/new/": Cap(Capability.FILE_MANDATORY_REPORTS),
    "POST /institutions/reports/new/": Cap(Capability.FILE_MANDATORY_REPORTS),
    "GET /institutions/reports/{report}/": OwnReport(),
    "POST /institutions/reports/{report}/questions/": OwnReport(),
    "POST /institutions/reports/{report}/files/": OwnReport(),
    "GET /institutions/checks/": AnyCap((Capability.CHECK_REGISTRY, Capability.READ_REGISTRY_CHECKS,
                                        Capability.FOLLOW_REGISTRY_HITS)),
    "POST /institutions/checks/": Cap(Capability.CHECK_REGISTRY),
    "POST /institutions/checks/bulk/": Cap(Capability.CHECK_REGISTRY),
    "GET /institutions/checks/bulk/{batch}/": CapObj(Capability.CHECK_REGISTRY),
    "POST /institutions/checks/bulk/{batch}/next/": CapObj(Capability.CHECK_REGISTRY),
    "GET /institutions/duty/": Cap(Capability.READ_REPORTING_DUTY),
    "POST /institutions/reports/{report}/feedback/": OnCase(),  # refusals come back as a message
    "POST /institutions/questions/{question}/answer/": OnCase(),
    "POST /institutions/cases/{case}/non-reporting/": OnCase(),
    # The unified evidence standard (issue 18): everyone who works or supervises cases reads it
    # (investigators, prosecutors, administrators...); administrators draft; the approval of a
    # version is asked with an id nobody may reach (the provincial approvers are not subjects
    # here: tests/standards covers them, and the county's refusal).
    "GET /standards/": Cap(Capability.READ_STANDARDS),
    "GET /standards/new/": Cap(Capability.DRAFT_STANDARDS),
    "POST /standards/new/": Cap(Capability.DRAFT_STANDARDS),
    "GET /standards/{template}/": Cap(Capability.READ_STANDARDS),
    "POST /standards/{template}/approve/": CapObj(Capability.READ_STANDARDS),
    "GET /standards/{template}/diff/{other}/": Cap(Capability.READ_STANDARDS),
    "GET /api/v1/evidence-standards": Cap(Capability.READ_STANDARDS),
    "GET /api/v1/evidence-standards/drafts": Cap(Capability.READ_STANDARDS),
    "POST /api/v1/evidence-standards": Cap(Capability.DRAFT_STANDARDS),
    "GET /api/v1/evidence-standards/{template_id}": Cap(Capability.READ_STANDARDS),
    "POST /api/v1/evidence-standards/{template_id}/approve": CapObj(Capability.READ_STANDARDS),
    "GET /api/v1/evidence-standards/{template_id}/diff/{other_id}": Cap(Capability.READ_STANDARDS),
    # A prosecutor's "not satisfied" (the world's case has no non-filing in supervision: 409, past
    # access control); the police who see the case may not.
    "POST /cases/{case}/checklist/{item}/not-satisfied/": OnCase(),  # refusals come back as a message
    "POST /api/v1/cases/{case_id}/checklist/{item_id}/not-satisfied": OnCase(
        refused=SEES_CASE - {"prosecutor_in_jurisdiction"}),
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def endpoints() -> list[str]:
    found = []
    for route, _callback in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/", "static/")) or route in PUBLIC_PAGES:
            continue
        key = "/" + re.sub(r"<(?:\w+:)?(\w+?)(?:_id)?>", r"{\1}", route)
        found += [f"{m} {key}" for m in ("GET", "POST") if f"{m} {key}" in RULES] or [f"? {key}"]
    for path, methods in api.get_openapi_schema()["paths"].items():
        if path not in PUBLIC_API:
            found += [f"{m.upper()} {path}" for m in methods]
    return found


NOBODY = 999_999  # an id no object has


def expected(rule, subject: str, user) -> set[str]:
    if isinstance(rule, SignedIn):
        return {"ok"}
    if isinstance(rule, Cap):
        return {"ok"} if has_capability(user, rule.capability) else {"forbidden"}
    if isinstance(rule, AnyCap):
        return {"ok"} if any(has_capability(user, c) for c in rule.capabilities) else {"forbidden"}
    if isinstance(rule, CapObj):
        return {"ok", "hidden"} if has_capability(user, rule.capability) else {"forbidden"}
    if isinstance(rule, Portal):
        return {"portal sign-in", "signed out"}
    if isinstance(rule, MatchReview):
        if not has_capability(user, Capability.REVIEW_MATCHES):
            return {"forbidden"}
        return {"ok"} if subject in rule.deciders else {"hidden"}
    if isinstance(rule, Own):
        return {"ok"} if subject == rule.recipient else {"hidden"}
    if isinstance(rule, OwnReport):
        if not has_capability(user, Capability.FILE_MANDATORY_REPORTS):
            return {"forbidden"}
        return {"ok"} if subject == "reporting_institution" else {"hidden"}
    if isinstance(rule, Trail):
        if not has_capability(user, rule.capability):
            return {"forbidden"}
        return {"ok"} if subject in TRAIL_READERS else {"hidden"}
    if isinstance(rule, OnReferral):
        if subject not in SEES_REFERRAL:
            return {"hidden"}
        return {"forbidden"} if subject in rule.refused else {"ok"}
    if subject not in SEES_CASE:
        return {"hidden"}
    if subject in rule.refused or (rule.capability is not None and not has_capability(user, rule.capability)):
        return {"forbidden"}
    return {"ok"}


def classify(response) -> str:
    status = response.status_code
    if status == 404:
        return "hidden"
    if status == 403:
        code = response.json()["error"]["code"] if response.get("Content-Type", "").startswith("application/json") \
            else ""
        return "ok" if code == "second_factor_refused" else "forbidden"
    if status in (401,) or (status == 302 and response["Location"].startswith("/accounts/sign-in/")):
        return "signed out"
    if status == 302 and response["Location"] == "/portal/":
        return "portal sign-in"
    if status < 400 or status in (400, 409, 422):
        return "ok"
    return f"status {status}"


EVIDENCE = {"kind": "document", "description": "合成物证", "place": "县局", "collected_at": "2026-01-01T08:00:00+08:00"}


def pdf():
    return SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n" + b"x" * 100)


@pytest.fixture
def world(units, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path / "evidence"
    police_xs = account_actions.create_unit(actor=None, code="XS-GAJ", name="西山县公安局", branch=Branch.POLICE,
                                            level=Level.COUNTY, division_code="990122", parent=units["AP-GAJ"])
    account_actions.create_unit(actor=None, code="XS-JCY", name="西山县人民检察院", branch=Branch.PROCURATORATE,
                                level=Level.COUNTY, division_code="990122", parent=units["AP-JCY"])
    units = {**units, "XS-GAJ": police_xs, "XS-JCY": type(police_xs).objects.get(code="XS-JCY")}
    for code in ("M-SCHOOL", "M-SCHOOL2"):
        units[code] = account_actions.register_institution(
            actor=None, code=code, name=f"矩阵小学{code[-1]}", kind="school", address="某镇某路1号",
            division_code="990121", serving_unit=units["QS-CGPCS"]).unit
    users = {name: make_user(units, unit, role, username=f"m_{name}"[:30]) for name, (unit, role) in SUBJECTS.items()}
    intake = make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER, username="m_registrar")
    case = Api(intake).post("/cases", report()).json()
    sup = Api(make_user(units, "QS-XZDD", Role.SUPERVISOR, username="m_world_supervisor"))
    assert sup.act(case["id"], "begin_review").status_code == 200
    assert sup.act(case["id"], "assign", assignees=["m_assigned_investigator"]).status_code == 200
    evidence = sup.post(f"/cases/{case['id']}/evidence", EVIDENCE).json()
    upload = sup.client.post(f"/api/v1/evidence/{evidence['id']}/files", {"file": pdf()}, **sup.headers)
    assert upload.status_code == 201, upload.content
    repeat = sup.post(f"/cases/{case['id']}/interviews/repeat-requests",
                      {"reason": "需要核实新的作案地点细节。"}).json()
    partner_services()
    referral = sup.post(f"/cases/{case['id']}/referrals", {
        "service": "legal_aid", "partner": "QS-FLYZ", "given_by": "guardian", "shared": ["age_band"],
        "need": "需要法律援助。", "contact_route": "case_team"})
    assert referral.status_code == 201, referral.content
    family = Family(case["tracking_code"], case["portal_secret"])
    question = family.post("/questions", {"text": "请问案件进展？"}).json()
    told = Notification.objects.get(recipient=users["assigned_investigator"], kind="assigned")
    # A second report naming the same suspects: linked to the world's case, one network; a
    # possible same person between them waits for review.
    second = report(suspects=[{"name": "嫌疑人二", "phone": "13900000002"}])
    linked = Case.objects.get(pk=Api(intake).post("/cases", second).json()["id"])
    assert sup.act(linked.pk, "begin_review").status_code == 200  # past intake, like the world's case
    # The model took the two for one person at intake (the same phone); put it back to review.
    pair = sorted([case_suspects(case["id"])[1].pk, linked.suspects.get().pk])
    match = PersonMatch.objects.get(left_id=pair[0], right_id=pair[1])
    PersonMatch.objects.filter(pk=match.pk).update(status=MatchStatus.PENDING, probability=0.9)
    # The world's case as if it had come from the school's mandatory report (the report row
    # only: the case itself is the one registered above), with a question from the school.
    mandatory = MandatoryReport.objects.create(
        institution=units["M-SCHOOL"].institution, case_id=case["id"], receipt_number="MR-2026-999999",
        observed_at=timezone.now(), filed_at=timezone.now(), filed_by=users["reporting_institution"],
        reporter_name="矩阵老师", reporter_phone="13800000099")
    school_question = InstitutionQuestion.objects.create(report=mandatory, text="进展？", asked_at=timezone.now(),
                                                         asked_by=users["reporting_institution"])
    return {"users": users, "case": Case.objects.get(pk=case["id"]), "units": units, "notification": told.pk,
            "report": mandatory.pk, "school_question": school_question.pk,
            "evidence": evidence["id"], "file": upload.json()["id"], "repeat": repeat["id"],
            "referral": referral.json()["id"], "consent": referral.json()["consent"]["id"],
            "question": question["id"], "secret": case["portal_secret"],
            "identifier": Identifier.objects.filter(case_id=case["id"], suspect__isnull=False).order_by("pk")[0].pk,
            "network": NetworkMember.objects.get(case_id=case["id"]).network_id, "match": match.pk,
            "template": Template.objects.get(offence="rape", age_band="12_to_14", version=1).pk,
            "other_template": Template.objects.get(offence="rape", age_band="adult", version=1).pk}


def case_suspects(case_id: int) -> list:
    return list(Case.objects.get(pk=case_id).suspects.order_by("pk"))


def concrete(key: str, world, user) -> str:
    case = world["case"]
    item = world["evidence"] if "/evidence/" in key else case.checklist.first().pk
    suspect = case.suspects.order_by("pk").first().pk
    name = "detain" if "/suspects/" in key else "begin_review"
    values = {"case": case.pk, "case_id": case.pk, "item": item, "item_id": item, "name": name,
              "user": NOBODY, "user_id": NOBODY, "grant": NOBODY, "grant_id": NOBODY, "unit_id": user.unit_id,
              "file": world["file"], "file_id": world["file"], "request": world["repeat"],
              "request_id": world["repeat"], "suspect": suspect, "suspect_id": suspect,
              "referral": world["referral"], "referral_id": world["referral"], "consent": world["consent"],
              "consent_id": world["consent"], "question": world["question"], "question_id": world["question"],
              "notification": world["notification"], "notification_id": world["notification"],
              "notice": NOBODY, "notice_id": NOBODY, "proceeding": NOBODY, "proceeding_id": NOBODY,
              "person": suspect, "person_id": suspect, "identifier": world["identifier"],
              "identifier_id": world["identifier"], "network": world["network"], "network_id": world["network"],
              "match": world["match"], "match_id": world["match"], "position": 1,
              "campaign": NOBODY, "campaign_id": NOBODY, "report": world["report"], "report_id": world["report"],
              "batch": NOBODY, "batch_id": NOBODY,
              "template": world["template"], "template_id": world["template"], "other": world["other_template"],
              "other_id": world["other_template"]}
    if key.endswith(("/approve", "/approve/")):
        values.update(template=NOBODY, template_id=NOBODY)
    if "/institution-questions/" in key or "/institutions/questions/" in key:
        values.update(question=world["school_question"], question_id=world["school_question"])
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), key.split(" ", 1)[1])


def payload(key: str, world) -> dict:
    case = world["case"]
    bodies = {
        "POST /api/v1/cases": report(suspects=[]),  # links to nothing: the world's network stays as it is
        "POST /api/v1/cases/duplicates": {"suspect_phones": ["13900000001"]},
        "POST /api/v1/campaigns": {"name": "矩阵专项", "starts_on": "2026-01-01", "ends_on": "2026-03-31",
                                   "unit_id": world["units"]["QS-GAJ"].pk},
        "PATCH /api/v1/cases/{case_id}/checklist/{item_id}": {"status": "open", "note": ""},
        "POST /api/v1/break-glass": {"case_number": case.case_number, "reason": "核查另案中的同一嫌疑人手机号码。",
                                     "code": "000000"},
        "POST /api/v1/break-glass/{grant_id}/review": {"justified": True, "note": "x"},
        "POST /api/v1/cases/{case_id}/seal": {"roles": ["nobody"], "reason": "x", "legal_reference": "x"},
        "POST /api/v1/cases/{case_id}/seal/lift": {"reason": "x"},
        "POST /intake/receipt.pdf": {"case_id": case.pk, "secret": "wrong"},
        "POST /cases/{case}/checklist/{item}/": {"status": "open", "note": ""},
        "POST /api/v1/cases/{case_id}/evidence": EVIDENCE,
        "POST /evidence/cases/{case}/": EVIDENCE,
        "POST /api/v1/cases/{case_id}/interviews": {"at": "2026-01-01T08:00:00+08:00", "interviewer_sex": "female",
                                                     "place": "询问室", "guardian_present": True},
        "POST /api/v1/cases/{case_id}/interviews/repeat-requests": {"reason": "需要核实新的作案地点细节。"},
        "POST /api/v1/interviews/repeat-requests/{request_id}/decision": {"approve": True},
        "POST /api/v1/suspects/{suspect_id}/arrest-request/extension": {"grounds": "special", "days": 9,
                                                                         "reason": "x"},
        "POST /api/v1/suspects/{suspect_id}/custody/extension": {"article": "156", "reason": "x"},
        "POST /api/v1/cases/{case_id}/cold-case-reviews": {"rechecked": ["witnesses"], "findings": "x"},
        "POST /api/v1/cases/{case_id}/historical": {"reason": ""},
        "POST /api/v1/evidence/{item_id}/lab": {"laboratory": "", "seal_number": "1"},
        "POST /api/v1/evidence/{item_id}/lab/arrival": {"received_at": "2026-01-01T08:00:00+08:00"},
        "POST /api/v1/evidence/{item_id}/lab/result": {"result": ""},
        "POST /api/v1/evidence/{item_id}/custody": {"from_holder": "x", "to_holder": "y", "place": "z",
                                                    "seal_number": "1"},
        "POST /api/v1/referrals/{referral_id}/status": {"status": "accepted"},
        "POST /referrals/{referral}/status/": {"status": "accepted"},
        "POST /api/v1/referrals/{referral_id}/notes": {"text": "已电话联系办案民警。"},
        "POST /referrals/{referral}/notes/": {"text": "已电话联系办案民警。"},
        "POST /api/v1/cases/{case_id}/referrals": {"service": "counselling", "partner": "QS-XLZX",
                                                   "given_by": "guardian", "shared": [], "need": "心理疏导",
                                                   "contact_route": "case_team"},
        "POST /api/v1/questions/{question_id}/answer": {"answer": "正在调查中。"},
        "POST /api/v1/questions/{question_id}/extension": {"reason": "需要调取材料。"},
        "POST /api/v1/portal/questions": {"text": "请问进展？"},
        "POST /api/v1/portal/reconsideration": {"grounds": "有新证据。"},
        "POST /portal/questions/": {"text": "请问进展？"},
        "POST /api/v1/cases/{case_id}/suspects": {"name": "矩阵嫌疑人", "devices": ["352099001761481"]},
        "POST /api/v1/cases/{case_id}/indicators": {"indicator": "pregnancy", "reason": "医院检查发现"},
        "POST /api/v1/cases/{case_id}/supplements": {"text": "补充材料"},
        "POST /api/v1/cases/{case_id}/corrections": {"field": "victim.sex", "value": "female", "reason": "核对"},
        "POST /api/v1/people/{person_id}/identifiers": {"kind": "device", "value": "352099001761499"},
        "POST /api/v1/identifiers/{identifier_id}/retract": {"reason": "核实有误"},
        "POST /api/v1/mandatory-reports": mandatory_report(),
        "POST /api/v1/mandatory-reports/{report_id}/questions": {"text": "请问进展？"},
        "POST /api/v1/registry/checks": {"name": "矩阵应聘者", "id_number": "99012119800101001X", "purpose": "hiring",
                                         "applicant_consent": True},
        "POST /api/v1/mandatory-reports/{report_id}/feedback": {"stage": "progress", "text": "正在审查。"},
        "POST /api/v1/institution-questions/{question_id}/answer": {"answer": "正在审查。"},
        "POST /institutions/reports/{report}/feedback/": {"stage": "progress", "text": "正在审查。"},
        "POST /institutions/questions/{question}/answer/": {"answer": "正在审查。"},
        "POST /api/v1/cases/{case_id}/non-reporting": {"institution_name": "某宾馆", "kind": "hotel",
                                                       "division_code": "990121", "how_learnt": "被害人陈述"},
        "POST /api/v1/cases/{case_id}/checklist/{item_id}/not-satisfied": {"reason": "未见同步录音录像。"},
        "POST /api/v1/evidence-standards": {
            "offence": "rape", "age_band": "adult", "effective_from": timezone.localdate().isoformat(),
            "items": [{"key": "victim_interview", "title_zh": "询问被害人", "title_en": "Victim interview",
                       "satisfied_by": ["interview"]}]},
        "POST /api/v1/cases/{case_id}/accountability": {
            "officials": [{"unit_id": world["units"]["QS-XZDD"].pk, "position": "大队长"}], "finding": "审批把关不严",
            "outcome": "no_fault", "decided_on": "2026-01-05", "disclosed_to_family": False, "disclosure": "调查中"},
    }
    return bodies.get(key, {})


def ask(client: Client, key: str, world, user, headers: dict):
    method, _path = key.split(" ", 1)
    url = concrete(key, world, user)
    body = payload(key, world)
    if url.endswith(("/files", "/files/", "/attachments")):  # multipart: a file, or the body fails validation first
        return client.post(url, {"file": pdf()}, **(headers if url.startswith("/api/") else {}))
    if url.endswith("/checks/bulk"):  # a file and a purpose, no consent: 422 past the capability
        return client.post(url, {"file": pdf(), "purpose": "annual"}, **headers)
    if url.startswith("/api/"):
        return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)
    return client.get(url) if method == "GET" else client.post(url, body)


def test_every_endpoint_has_a_rule():
    missing = [e for e in endpoints() if e not in RULES]
    assert missing == [], f"endpoints without a rule in the authorization matrix: {missing}"
    stale = sorted(set(RULES) - set(endpoints()))
    assert stale == [], f"rules for endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_the_matrix_for(subject, world):
    user = world["users"][subject]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(Client(), user)}"}
    wrong = []
    for key in endpoints():
        answer = classify(ask(client, key, world, user, headers))
        if answer not in expected(RULES[key], subject, user):
            wrong.append((key, answer, sorted(expected(RULES[key], subject, user))))
    assert wrong == [], f"{subject}: {wrong}"


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_identities_only_for_those_who_need_them(subject, world):
    user = world["users"][subject]
    response = Api(user).get(f"/cases/{world['case'].pk}")
    if subject not in SEES_CASE:
        assert response.status_code == 404
        return
    body = response.json()
    assert ("name" in body["victim"]) == (subject in SEES_IDENTITY)
    assert ("narrative" in body and "suspects" in body) == (subject in SEES_IDENTITY)


def test_the_matrix_for_the_complainant_on_the_portal(world):
    """The family's portal session opens the portal of its case and nothing else: every
    staff page sends it to the staff sign-in, every staff API operation answers 401."""
    family = Family(world["case"].tracking_code, world["secret"])
    pages = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert pages.post("/portal/", {"tracking_code": world["case"].tracking_code,
                                   "secret": world["secret"]}).status_code == 302
    wrong = []
    signing_out = ("POST /portal/sign-out/", "POST /api/v1/portal/session/end")
    for key in sorted(endpoints(), key=lambda k: k in signing_out):  # signing out last
        client = pages if not key.split(" ", 1)[1].startswith("/api/") else family.client
        answer = classify(ask(client, key, world, world["users"]["administrator"], family.headers))
        want = {"ok", "hidden"} if isinstance(RULES[key], Portal) else {"signed out"}
        if answer not in want:
            wrong.append((key, answer, sorted(want)))
    assert wrong == [], wrong


# A transfer of the world's case to the other county (issue 13): who sees it while the
# request waits, after a refusal, and after an acceptance. Access follows the case's unit
# at once; the unit that handed it on keeps its history (audit entries), not the case.
TRANSFER_STAGES = {
    "asked": SEES_CASE | {"other_unit_supervisor"},  # to decide: pseudonyms, accept or refuse only
    "refused": SEES_CASE,
    "accepted": {"other_unit_supervisor", "parent_unit_head"},  # the team is cleared; the minors' office
}                                                                 # of the old county no longer covers it
TRANSFER_PROBES = ("GET /api/v1/cases/{case_id}", "GET /cases/{case}/", "GET /api/v1/cases/{case_id}/suspects",
                   "GET /api/v1/cases/{case_id}/evidence", "POST /api/v1/cases/{case_id}/actions/{name}")


def test_the_matrix_through_a_transfer_refused_then_accepted(world):
    users, case = world["users"], world["case"]
    apis = {name: Api(user) for name, user in users.items()}
    pages = {}
    for name, user in users.items():
        pages[name] = Client(HTTP_ACCEPT_LANGUAGE="en")
        sign_in(pages[name], user)
    sending = Api(type(users["administrator"]).objects.get(username="m_world_supervisor"))
    receiving = apis["other_unit_supervisor"]
    to_unit = world["units"]["XS-GAJ"].pk

    def stage(name: str) -> None:
        wrong = []
        for subject, user in users.items():
            for key in TRANSFER_PROBES:
                client = pages[subject] if not key.split(" ", 1)[1].startswith("/api/") else apis[subject].client
                headers = apis[subject].headers if client is apis[subject].client else {}
                answer = classify(ask(client, key, world, user, headers))
                want = "ok" if subject in TRANSFER_STAGES[name] else "hidden"
                if key.startswith("POST") and subject == "other_unit_supervisor" and name == "asked":
                    want = "forbidden"  # begin_review: seen only to decide on the transfer
                if key.startswith("POST") and subject == "prosecutor_in_jurisdiction" and want == "ok":
                    want = "forbidden"  # police work
                if answer != want:
                    wrong.append((subject, key, answer, want))
        assert wrong == [], f"{name}: {wrong}"

    assert sending.act(case.pk, "transfer_case", unit_id=to_unit, reason="犯罪地在西山县").status_code == 200
    stage("asked")
    deciding = receiving.get(f"/cases/{case.pk}").json()
    assert deciding["access_basis"] == "transfer" and "name" not in deciding["victim"]
    assert receiving.act(case.pk, "refuse_transfer", reason="犯罪地不在本县").status_code == 200
    stage("refused")
    assert sending.act(case.pk, "transfer_case", unit_id=to_unit, reason="犯罪地在西山县").status_code == 200
    assert receiving.act(case.pk, "accept_transfer", reason="同意接收").status_code == 200
    stage("accepted")
    assert "name" in receiving.get(f"/cases/{case.pk}").json()["victim"]  # now theirs: identities as for any case


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_search_finds_the_case_for_exactly_those_who_see_it(subject, world):
    """By its number, its tracking code and a suspect's phone: found by those who see the
    case; for everyone else who may search, the same answer as a text that names nothing."""
    user, case = world["users"][subject], world["case"]
    api = Api(user)
    nothing = api.client.get("/api/v1/search", {"q": "13799999999"}, **api.headers)
    for q in (case.case_number, case.tracking_code, "13900000001"):
        answer = api.client.get("/api/v1/search", {"q": q}, **api.headers)
        if not has_capability(user, Capability.WORK_CASES):
            assert answer.status_code == nothing.status_code == 403
        elif subject in SEES_CASE:
            assert [item["id"] for item in answer.json()["items"]] == [case.pk], (subject, q)
        else:
            assert (answer.status_code, answer.json()) == (nothing.status_code, nothing.json()), (subject, q)
