"""Registering a report: one transaction creates the case, the people in it, the flags
the law attaches to the victim's age and the facts, the evidence checklist, the clocks
and the audit entry. A report is never dropped: a duplicate is merged into its case."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, scope
from lantern.access.roles import Role
from lantern.accounts.models import Unit
from lantern.accounts.models.units import Level
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases import notices_to_staff
from lantern.cases.access import seal_q
from lantern.cases.law import MANDATORY_FILING, MULTIPLE_SUSPECTS, band_for_age
from lantern.cases.models import Case, CaseCounter, ChecklistItem, Complainant, Suspect, SuspectStatus, Victim
from lantern.cases.states import State
from lantern.core import ratelimit
from lantern.core.actions import action
from lantern.core.errors import PermissionDenied, ValidationFailed
from lantern.core.vault.blind import IdKind, handle, name_dob
from lantern.core.vault.pseudonyms import pseudonym_for
from lantern.deadlines import services as clocks
from lantern.deadlines.models import Deadline
from lantern.intake.schemas import AccountIn, ComplainantIn, ReportIn, SuspectIn, VictimIn  # noqa: F401  (one description)
from lantern.people import events as people_events
from lantern.people import identifiers
from lantern.people.models import Identifier
from lantern.standards import selectors as standards
from lantern.standards.models import Template

DUPLICATE_CHECKS_PER_HOUR = 600  # the intake form checks as the officer types
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by families


@dataclass
class Registered:
    case: Case
    tracking_code: str
    portal_secret: str  # shown once: in the creation response and on the receipt


def age_at(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _check(report: ReportIn) -> None:
    problems: dict[str, list[str]] = {}
    today = timezone.localdate()
    if report.victim.date_of_birth and report.victim.date_of_birth > today:
        problems["victim.date_of_birth"] = [_("The date of birth is in the future.")]
    if report.victim.date_of_birth is None and report.victim.estimated_age is None:
        problems["victim"] = [_("Give a date of birth or an estimated age.")]
    if report.offence_date > timezone.localtime(report.received_at).date():
        problems["offence_date"] = [_("The offence date is after the report was received.")]
    if report.received_at > timezone.now() + dt.timedelta(minutes=5):
        problems["received_at"] = [_("The report cannot be received in the future.")]
    if report.victim.date_of_birth and report.offence_date < report.victim.date_of_birth:
        problems["offence_date"] = [_("The offence date is before the victim's date of birth.")]
    if problems:
        raise ValidationFailed(details=problems)


def handling_unit(intake_unit: Unit) -> Unit:
    """The county-level bureau that decides on filing (县级以上公安机关负责人批准)."""
    unit = intake_unit.command_unit()
    while unit.level == Level.STATION and unit.parent is not None:
        unit = unit.parent
    return unit


def _case_number(unit: Unit, year: int) -> str:
    """The next number, gap-free per unit and year. One upsert that locks the counter row
    until commit: called last in the transaction, so concurrent intakes in one unit wait
    for a commit, not for a whole registration."""
    table = CaseCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 (our table name)
            f"ON CONFLICT (unit_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last", [unit.pk, year])
        (last,) = cursor.fetchone()
    return f"{unit.code}-{year}-{last:05d}"


def portal_secret_digest(tracking_code: str, secret: str) -> str:
    """The portal secret is 72 random bits, not a password a person chose: a salted
    SHA-256 protects it, where a deliberately slow password hash (argon2) would cost
    intake a tenth of a second per report for nothing."""
    return hashlib.sha256(f"lantern-portal|{tracking_code}|{secret}".encode()).hexdigest()


def portal_secret_matches(case: Case, secret: str) -> bool:
    return hmac.compare_digest(case.portal_secret_hash, portal_secret_digest(case.tracking_code, secret))


def _tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
        if not Case.objects.filter(tracking_code=code).exists():
            return code


def _flags(age: int, report: ReportIn) -> tuple[list[str], Any]:
    band = band_for_age(age)
    flags = set(band.flags)
    if len(report.suspects) >= 2:
        flags.add(MULTIPLE_SUSPECTS.flag)
    if report.indicators:
        flags.add(MANDATORY_FILING.flag)
    return sorted(flags), band


def _victim_age(report: ReportIn) -> int:
    if report.victim.date_of_birth:
        return age_at(report.victim.date_of_birth, report.offence_date)
    return int(report.victim.estimated_age or 0)


def _create_people(case: Case, report: ReportIn, age: int) -> list[Identifier]:
    Victim.objects.create(case=case, pseudonym=pseudonym_for(report.victim.name), name=report.victim.name,
                          id_number=report.victim.id_number, sex=report.victim.sex,
                          date_of_birth=report.victim.date_of_birth, estimated_age=report.victim.estimated_age,
                          age_at_offence=age)
    Complainant.objects.create(case=case, name=report.complainant.name, relation=report.complainant.relation,
                               phone=report.complainant.phone, email=report.complainant.email)
    suspects = Suspect.objects.bulk_create([
        Suspect(case=case, name=s.name, phone=s.phone, id_number=s.id_number,
                accounts=[a.model_dump() for a in s.accounts],
                status=SuspectStatus.IDENTIFIED if (s.name or s.phone or s.accounts or s.devices)
                else SuspectStatus.UNIDENTIFIED)
        for s in report.suspects])
    devices = {row.pk: s.devices for row, s in zip(suspects, report.suspects, strict=True) if s.devices}
    return identifiers.index_case(case=case, victim_name=report.victim.name,
                                  victim_date_of_birth=report.victim.date_of_birth,
                                  victim_id_number=report.victim.id_number, suspects=suspects, devices=devices)


def _start_clocks_and_checklist(case: Case, templates: list[Template], report: ReportIn) -> None:
    # A minor victim's report is reviewed on the minors' clock (2023 opinion art. 5). If the
    # minority is learnt only later (an age correction), issue 13 moves the clock.
    review_rule = "filing_review_minor" if case.is_minor else "filing_review"
    review = clocks.prepare(case=case, rule_key=review_rule, started_at=report.received_at)
    started = [review]
    offence_start = dt.datetime.combine(report.offence_date, dt.time(0, 0), tzinfo=timezone.get_current_timezone())
    starts = {"forensic_examination": offence_start, "cctv_preservation": offence_start,
              "phone_extraction": report.received_at}
    has_phone = any(s.phone for s in report.suspects)
    items = []
    for template_item in standards.items_of(templates):
        due, clock = review.due_at, template_item.clock
        # A clock the intake cannot start (a rule whose start is not known here) waits for its event.
        if clock in starts and (clock != "phone_extraction" or has_phone):
            started.append(clocks.prepare(case=case, rule_key=clock, subject=template_item.key,
                                          started_at=starts[clock]))
            due = started[-1].due_at
        items.append(ChecklistItem(case=case, key=template_item.key, due_at=due, template_item=template_item))
    Deadline.objects.bulk_create(started)
    ChecklistItem.objects.bulk_create(items)


@action
def register_report(*, actor: Any, report: ReportIn, merge_into: Case | None = None) -> Registered:
    if not has_capability(actor, Capability.REGISTER_REPORTS) or actor.unit is None:
        raise PermissionDenied(_("Only police officers register reports."))
    _check(report)
    if merge_into is not None and not mergeable(actor).filter(pk=merge_into.pk).exists():
        raise PermissionDenied()
    return _register(actor=actor, report=report, intake_unit=actor.unit, merge_into=merge_into)


@action
def register_institution_report(*, actor: Any, report: ReportIn) -> Registered:
    """A mandatory report (强制报告) filed by an institution's staff: registered at once at
    the police unit that serves the institution, in its intake queue like a report made at
    the counter, with the same rules for a child. Never merged here: the intake officer
    sees the possible duplicates and decides."""
    institution = getattr(actor.unit, "institution", None) if actor.unit is not None else None
    if not actor.has_role(Role.INSTITUTION) or institution is None:
        raise PermissionDenied(_("Only the staff of a registered institution file mandatory reports."))
    if report.channel != "mandatory_report":
        raise ValidationFailed(details={"channel": [_("An institution's report is a mandatory report.")]})
    _check(report)
    return _register(actor=actor, report=report, intake_unit=institution.serving_unit, merge_into=None)


def _register(*, actor: Any, report: ReportIn, intake_unit: Unit, merge_into: Case | None) -> Registered:
    age = _victim_age(report)
    flags, band = _flags(age, report)
    offences = standards.check_offences(report.offences, band.key)
    unit = handling_unit(intake_unit)
    templates: list[Template] = []
    if merge_into is None:  # the standard in force on the day of registration: the case keeps it
        templates = standards.templates_for(offences=offences, age_band=band.key, division=unit.division_code,
                                            on=timezone.localdate())
    code, secret = _tracking_code(), secrets.token_urlsafe(9)
    case = Case.objects.create(
        state=State.RECEIVED if merge_into is None else State.MERGED,
        unit=unit, intake_unit=intake_unit, channel=report.channel, received_at=report.received_at,
        offence_date=report.offence_date, narrative=report.narrative, indicators=sorted(set(report.indicators)),
        flags=flags, age_band=band.key, is_minor="minor" in flags, tracking_code=code, offences=offences,
        portal_secret_hash=portal_secret_digest(code, secret), merged_into=merge_into, created_by=actor,
        is_historical=(report.received_at.date() - report.offence_date).days > 365 * 2)
    indexed = _create_people(case, report, age)
    if merge_into is None:
        case.templates.set(templates)
        _start_clocks_and_checklist(case, templates, report)
    record(actor=actor, action=Event.CASE_REGISTERED, obj=case,
           details={"channel": report.channel, "age_band": band.key, "flags": flags, "offences": offences,
                    "templates": [[t.key, t.version] for t in templates],
                    "merged_into": merge_into.pk if merge_into else None})
    case.case_number = _case_number(unit, timezone.localtime(report.received_at).year)
    Case.objects.filter(pk=case.pk).update(case_number=case.case_number)
    notices_to_staff.minor_case_registered(case)
    people_events.announce_indexed(case, indexed, actor)  # linkage: links, networks, alerts
    return Registered(case, code, secret)


@action
def possible_duplicates(*, actor: Any, victim_name: str, victim_date_of_birth: dt.date | None,
                        suspect_phones: list[str], suspect_accounts: list[dict[str, str]] | None = None,
                        id_numbers: list[str] | None = None) -> list[Case]:
    """Cases the officer may see that share the victim (name and date of birth, or ID
    number) or a suspect's phone, ID number or platform account: shown before a new
    case is created. Found by blind index, without decrypting any case."""
    wanted = [(IdKind.NAME_DOB, name_dob(victim_name, victim_date_of_birth))]
    wanted += [(IdKind.PHONE, p) for p in suspect_phones]
    wanted += [(IdKind.ID_NUMBER, n) for n in id_numbers or []]
    wanted += [(IdKind.HANDLE, handle(a.get("platform", ""), a.get("handle", ""))) for a in suspect_accounts or []]
    ratelimit.hit(f"duplicates:{actor.pk}", limit=DUPLICATE_CHECKS_PER_HOUR, window_seconds=3600)
    case_ids = surviving_cases(identifiers.cases_sharing(wanted))
    found = list(mergeable(actor).filter(pk__in=case_ids).order_by("-received_at")[:10]) if case_ids else []
    # A lookup of people across the unit's cases: recorded (what matched, never what was asked).
    record(actor=actor, action=Event.INTAKE_DUPLICATE_CHECK, object_type="cases.case",
           details={"identifiers": sum(1 for _kind, raw in wanted if raw), "matches": [c.pk for c in found]})
    return found


@dataclass(frozen=True)
class Appearance:
    kind: str  # people.identifiers.ADDABLE_KINDS: phone, id_number, account
    value: str  # as the officer typed it (shown back to them only)
    cases: int  # every case that holds it, visible or not: a count says no case's content


def appearances(*, suspect_phones: list[str], suspect_accounts: list[dict[str, str]] | None = None,
                id_numbers: list[str] | None = None) -> list[Appearance]:
    """How many cases already hold each suspect identifier of a report about to be
    registered ("this suspect's account appears in 3 other cases"): a network the report
    will join, told before it is registered. Counted through the blind index."""
    asked = [("phone", IdKind.PHONE, p, p) for p in suspect_phones]
    asked += [("id_number", IdKind.ID_NUMBER, n, n) for n in id_numbers or []]
    asked += [("account", IdKind.HANDLE, handle(a.get("platform", ""), a.get("handle", "")),
               f"{a.get('platform', '')} {a.get('handle', '')}".strip()) for a in suspect_accounts or []]
    found = []
    for kind, index_kind, raw, shown in asked:
        count = len(surviving_cases(identifiers.cases_sharing([(index_kind, raw)]))) if raw else 0
        if count:
            found.append(Appearance(kind, shown, count))
    return found


def surviving_cases(case_ids: set[int]) -> set[int]:
    """A merged report's identifiers stay in every check: a match on them is a match on
    the case it was merged into (merges are one level deep: only a case that is not
    itself merged takes reports)."""
    if not case_ids:
        return set()
    pairs = Case.objects.filter(pk__in=case_ids).values_list("pk", "merged_into_id")
    return {master or pk for pk, master in pairs}


def mergeable(actor: Any) -> Any:
    """Cases a new report may be merged into. An intake officer must find matches beyond
    intake, to avoid a second case for one crime: the handling unit's cases, of which
    the page and API show the number and state only, never the content."""
    visible = scope(actor, Verb.VIEW, Case.objects.filter(merged_into__isnull=True))
    if actor.has_role(Role.INTAKE_OFFICER) and actor.unit is not None:
        # Sealed records stay out of reach here too: a seal binds every path to a case.
        visible = visible | Case.objects.filter(seal_q(actor), merged_into__isnull=True,
                                                unit=handling_unit(actor.unit))
    return visible
