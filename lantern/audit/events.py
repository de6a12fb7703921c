"""Every audit event Lantern writes, in one place (as Zulip's AuditLogEventType): the
writers pass these members to ``audit.services.record`` and the readers (the break-glass
rate limit, the access report, the case history) filter on the same members, so a name
cannot drift between the two.

Four families are named from a table rather than listed one by one; ``family`` builds
them: ``case.<workflow action>`` (cases.workflow), ``suspect.<move>`` (cases.suspects),
``referral.<status>`` (referrals.catalogue), ``admin.<add|change>``, and
``denied.<action>`` for an action refused for want of permission (core.actions). A
refusal that something counts is listed below too, and a test checks that each such
member still names a registered action: renaming the action fails the suite instead of
silently switching the count off.
"""

from __future__ import annotations

from enum import StrEnum


class Family(StrEnum):
    WORKFLOW = "case"
    SUSPECT_MOVE = "suspect"
    REFERRAL_MOVE = "referral"
    ADMIN = "admin"
    DENIED = "denied"


def family(kind: Family, name: str) -> str:
    return f"{kind.value}.{name}"


class Event(StrEnum):
    # account
    ACCOUNT_API_TOKEN_ISSUED = "account.api_token_issued"
    ACCOUNT_LOCKED = "account.locked"
    ACCOUNT_PASSWORD_CHANGED = "account.password_changed"
    ACCOUNT_RECOVERY_CODE_USED = "account.recovery_code_used"
    ACCOUNT_RECOVERY_CODES_REGENERATED = "account.recovery_codes_regenerated"
    ACCOUNT_SECOND_FACTOR_ENROLLED = "account.second_factor_enrolled"
    ACCOUNT_SECOND_FACTOR_RESET = "account.second_factor_reset"
    ACCOUNT_SIGN_IN = "account.sign_in"
    ACCOUNT_SIGN_OUT = "account.sign_out"
    ACCOUNT_UNLOCKED = "account.unlocked"
    # audit (key ids only)
    AUDIT_SIGNING_KEY_ROTATED = "audit.signing_key_rotated"
    # backup (names, counts, the audit head and key ids: never a key or what a backup holds)
    BACKUP_KEY_MADE = "backup.key_made"
    BACKUP_KEYS_MADE = "backup.keys_made"
    BACKUP_MADE = "backup.made"
    BACKUP_PRUNED = "backup.pruned"
    BACKUP_RESTORED = "backup.restored"
    # break_glass
    BREAK_GLASS_REVIEWED = "break_glass.reviewed"
    # calendar
    CALENDAR_LOADED = "calendar.loaded"
    # campaign (a campaign's id, period and scope unit, never a person)
    CAMPAIGN_CLOSED = "campaign.closed"
    CAMPAIGN_CREATED = "campaign.created"
    # case
    CASE_BREAK_GLASS = "case.break_glass"
    CASE_CHECKLIST_ITEM = "case.checklist_item"
    CASE_CHECKLIST_NOT_SATISFIED = "case.checklist_not_satisfied"  # a prosecutor's objection: item key only
    CASE_COLD_CASE_REVIEW = "case.cold_case_review"
    CASE_DOCUMENT_ISSUED = "case.document_issued"
    CASE_MARKED_HISTORICAL = "case.marked_historical"
    CASE_READ = "case.read"
    CASE_REGISTERED = "case.registered"
    CASE_SEAL_LIFTED = "case.seal_lifted"
    CASE_SEALED = "case.sealed"
    CASE_SUSPECT_ADDED = "case.suspect_added"
    CASE_INDICATOR_ADDED = "case.indicator_added"
    CASE_NARRATIVE_SUPPLEMENTED = "case.narrative_supplemented"
    CASE_CORRECTED = "case.corrected"
    # discipline
    DISCIPLINE_ACCOUNTABILITY_RECORDED = "discipline.accountability_recorded"  # outcome code, disclosed or not
    # deadline
    DEADLINE_ESCALATED = "deadline.escalated"
    # evidence
    EVIDENCE_FILE_ATTACHED = "evidence.file_attached"
    EVIDENCE_FILE_READ = "evidence.file_read"
    EVIDENCE_FILE_TAMPERED = "evidence.file_tampered"
    EVIDENCE_HANDED_OVER = "evidence.handed_over"
    EVIDENCE_LAB_RECEIVED = "evidence.lab_received"
    EVIDENCE_LAB_RESULT = "evidence.lab_result"
    EVIDENCE_REGISTERED = "evidence.registered"
    EVIDENCE_SENT_TO_LAB = "evidence.sent_to_lab"
    # institution (mandatory reports: ids, stages and kinds, never what was reported)
    INSTITUTION_FEEDBACK_GIVEN = "institution.feedback_given"
    INSTITUTION_NON_REPORTING_RECORDED = "institution.non_reporting_recorded"
    INSTITUTION_QUESTION_ANSWERED = "institution.question_answered"
    INSTITUTION_QUESTION_ASKED = "institution.question_asked"
    INSTITUTION_REPORT_ATTACHMENT = "institution.report_attachment"
    INSTITUTION_REPORT_FILED = "institution.report_filed"
    # the offence-record check before hiring: the answer and the ID number's blind index only
    INSTITUTION_REGISTRY_BULK_UPLOADED = "institution.registry_bulk_uploaded"
    INSTITUTION_REGISTRY_CHECKED = "institution.registry_checked"
    INSTITUTION_REGISTRY_CHECK_LIMITED = "institution.registry_check_limited"  # refused: the day's limit
    # intake
    INTAKE_DUPLICATE_CHECK = "intake.duplicate_check"
    # linkage (ids and kinds of what links, never a value)
    LINKAGE_CASES_LINKED = "linkage.cases_linked"
    LINKAGE_LINKS_DISCLOSED = "linkage.links_disclosed"  # a case the reader may not see, shown as unit + contact
    LINKAGE_MATCH_CONFIRMED = "linkage.match_confirmed"
    LINKAGE_MATCH_FOUND = "linkage.match_found"
    LINKAGE_MATCH_REJECTED = "linkage.match_rejected"
    LINKAGE_MATCH_WITHDRAWN = "linkage.match_withdrawn"  # a detail it rested on was marked wrong
    LINKAGE_NETWORK_SPLIT = "linkage.network_split"
    LINKAGE_REGISTRY_HIT = "linkage.registry_hit"
    # interview
    INTERVIEW_RECORDED = "interview.recorded"
    INTERVIEW_REPEAT_DECIDED = "interview.repeat_decided"
    INTERVIEW_REPEAT_REQUESTED = "interview.repeat_requested"
    # linkage
    LINKAGE_MATCH_MODEL_TRAINED = "linkage.match_model_trained"  # the version and how many records, no values
    # person (identifiers added after intake, or marked wrong: the kind, never the value)
    PERSON_IDENTIFIER_ADDED = "person.identifier_added"
    PERSON_IDENTIFIER_RETRACTED = "person.identifier_retracted"
    # portal
    PORTAL_CODE_SENT = "portal.code_sent"
    PORTAL_CODE_WITHHELD = "portal.code_withheld"  # the case's one-time codes for the hour were sent
    PORTAL_CONSENT_WITHDRAWN = "portal.consent_withdrawn"
    PORTAL_QUESTION_ANSWERED = "portal.question_answered"
    PORTAL_QUESTION_ASKED = "portal.question_asked"
    PORTAL_QUESTION_EXTENDED = "portal.question_extended"
    PORTAL_SIGN_IN = "portal.sign_in"
    PORTAL_SIGN_OUT = "portal.sign_out"
    # referral
    REFERRAL_CONSENT_WITHDRAWN = "referral.consent_withdrawn"
    REFERRAL_NOTE_ADDED = "referral.note_added"
    REFERRAL_PARTNER_SERVICE_ADDED = "referral.partner_service_added"
    REFERRAL_READ = "referral.read"
    REFERRAL_SENT = "referral.sent"
    # search
    SEARCH_PERFORMED = "search.performed"  # what kinds matched and how many, never the text
    # standard (the unified evidence standard: template key, version, side; no case)
    STANDARD_APPROVED = "standard.approved"
    STANDARD_DRAFTED = "standard.drafted"
    # suspect
    SUSPECT_ARREST_REQUEST_EXTENDED = "suspect.arrest_request_extended"
    SUSPECT_CUSTODY_EXTENDED = "suspect.custody_extended"
    # unit
    UNIT_CREATED = "unit.created"
    UNIT_INSTITUTION_REGISTERED = "unit.institution_registered"  # kind and serving unit, codes only
    # user
    USER_ACTIVATED = "user.activated"
    USER_CREATED = "user.created"
    USER_DEACTIVATED = "user.deactivated"
    USER_ROLES_CHANGED = "user.roles_changed"
    # refusals that something counts (core.actions writes denied.<action name>)
    DENIED_OPEN_BREAK_GLASS = "denied.open_break_glass"
