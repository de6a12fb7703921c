"""Rows of a batch of synthetic cases: the tables they go to, their columns, the ids they
take, and the audit events they produce (written sealed by synthetic_audit). A case's
own rows are here (the case, its people and their blind indexes, its checklist, its
clocks); the work done on it (synthetic_work) adds the rest."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from lantern.cases.models import (
    Approval,
    Assignment,
    Case,
    ChecklistItem,
    Complainant,
    Decision,
    Judgment,
    NoticeDelivery,
    Proceeding,
    Suspect,
    SuspectEvent,
    Victim,
)
from lantern.core.vault.blind import NORMALIZERS, IdKind, digest, handle, name_dob
from lantern.core.vault.keys import provider
from lantern.core.vault.pseudonyms import ALIAS_CHARACTERS, COMMON_SURNAMES
from lantern.deadlines.arithmetic import LOCAL, Due, Unit, compute_due
from lantern.deadlines.calendar import WorkCalendar
from lantern.deadlines.escalation import ESCALATION
from lantern.deadlines.models import Deadline
from lantern.deadlines.rules import BY_KEY
from lantern.evidence.models import CustodyEvent, EvidenceItem, Interview
from lantern.intake.services import TRACKING_ALPHABET, portal_secret_digest
from lantern.people.models import Identifier
from lantern.site.synthetic_people import RELATIONS, People, Sealer, context, id_number, narrative
from lantern.site.synthetic_sink import Ids, Table
from lantern.site.synthetic_story import Story
from lantern.site.synthetic_world import County

# The sweep runs every five minutes (deadlines.scheduled): clocks that ran out since its
# last run are still waiting for it, as they would be in a live system.
SWEEP_EVERY = dt.timedelta(minutes=5)
REPEAT_OFFENDERS = 0.01  # a known suspect is one from an earlier case of the county

COLUMNS: dict[type, tuple[str, ...]] = {
    Case: ("id", "case_number", "state", "unit_id", "intake_unit_id", "channel", "received_at", "offence_date",
           "narrative", "indicators", "flags", "age_band", "is_minor", "is_historical", "reopen_trigger",
           "tracking_code", "portal_secret_hash", "merged_into_id", "prosecuting_unit_id", "created_by_id",
           "created_at", "offences"),
    Case.templates.through: ("id", "case_id", "template_id"),
    Victim: ("id", "case_id", "pseudonym", "name", "id_number", "sex", "date_of_birth", "estimated_age",
             "age_at_offence"),
    Complainant: ("id", "case_id", "name", "relation", "phone", "email"),
    Suspect: ("id", "case_id", "name", "phone", "id_number", "accounts", "status", "sex", "date_of_birth"),
    Identifier: ("id", "case_id", "role", "suspect_id", "kind", "digest", "value", "added_by_id", "added_at",
                 "retracted_at", "retracted_by_id", "retraction_reason"),
    ChecklistItem: ("id", "case_id", "key", "status", "responsible_id", "due_at", "note", "changed_by_id",
                    "changed_at", "template_item_id"),
    Deadline: ("id", "case_id", "rule", "subject", "started_at", "due_at", "provisional", "period_amount",
               "period_unit", "period_extends", "status", "closed_at", "extended", "escalation_level"),
    Assignment: ("id", "case_id", "user_id", "assigned_by_id", "assigned_at", "active", "ended_at", "ended_by_id",
                 "end_reason"),
    Decision: ("id", "case_id", "kind", "status", "reason", "trigger", "approvals_needed", "proposed_by_id",
               "proposed_at", "decided_at"),
    Approval: ("id", "decision_id", "approver_id", "level", "approved", "reason", "at"),
    NoticeDelivery: ("id", "case_id", "delivered_at", "recorded_by_id", "method"),
    Proceeding: ("id", "case_id", "kind", "status", "opened_at", "opened_by_id", "automatic", "explanation",
                 "grounds", "outcome_reason", "closed_at", "chased_at", "chase_letter"),
    SuspectEvent: ("id", "suspect_id", "from_status", "to_status", "at", "by_id", "reason"),
    Judgment: ("id", "case_id", "suspect_id", "verdict", "charges", "sentence", "reference", "recorded_by_id",
               "recorded_at"),
    EvidenceItem: ("id", "case_id", "number", "kind", "checklist_item_id", "description", "collected_by_id",
                   "collected_at", "registered_at"),
    CustodyEvent: ("id", "item_id", "sequence", "from_holder", "to_holder", "at", "place", "seal_number",
                   "recorded_by_id", "recorded_at"),
    Interview: ("id", "case_id", "sequence", "at", "interviewer_id", "interviewer_sex", "place",
                "guardian_present", "appropriate_adult", "audio_video", "approval_id", "place_kind", "attendees"),
}


@dataclass
class Batch:
    """What one batch of cases writes, and the shared means of writing it."""

    ids: Ids
    people: People
    rng: random.Random
    now: dt.datetime
    calendar: WorkCalendar
    sealer: Sealer = field(default_factory=Sealer)
    tables: dict[type, Table] = field(default_factory=dict)
    events: list[tuple[dt.datetime, int | None, str, int, dict[str, Any]]] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    _dues: dict[tuple[str, Any], Due] = field(default_factory=dict)
    _index_key: bytes | None = None

    def row(self, model: type, *values: Any) -> int:
        """Add a row (its id first, chosen here) and return the id."""
        pk = self.ids.take(model)
        self.add(model, pk, *values)
        return pk

    def add(self, model: type, pk: int, *values: Any) -> None:
        """Add a row whose id was taken already (another row had to point at it first)."""
        if model is Case:
            self.case_ids.append(pk)
        if model not in self.tables:
            self.tables[model] = Table(model, COLUMNS[model])
        self.tables[model].add(pk, *values)

    def log(self, at: dt.datetime, actor: Any, action: str, case_id: int, details: dict[str, Any]) -> None:
        """An audit entry about a case (written by synthetic_audit, sealed into the chain)."""
        self.events.append((at, getattr(actor, "pk", actor), action, case_id, details))

    def seal(self, model: type, name: str, text: str) -> str:
        return self.sealer.seal(text, context(model, name))

    def shared(self, model: type, name: str, text: str) -> str:
        return self.sealer.shared(text, context(model, name))

    def digest(self, kind: str, raw: str) -> str:
        """blind.digest with the index key fetched once (the first value checked against it)."""
        normal = NORMALIZERS[kind](raw)
        if not normal:
            return ""
        if self._index_key is None:
            self._index_key = provider().index_key()
            if self.digest(kind, raw) != digest(kind, raw):
                raise AssertionError("synthetic_rows no longer computes blind indexes as core.vault.blind does")
        return hmac.new(self._index_key, f"{kind}|{normal}".encode(), hashlib.sha256).hexdigest()

    def due(self, rule: str, started: dt.datetime) -> Due:
        """compute_due depends on the local starting hour for hour periods, on the local day
        for the others: computed once per rule and hour or day."""
        period = BY_KEY[rule].period
        local = started.astimezone(LOCAL)
        key = (rule, local.replace(minute=0, second=0, microsecond=0) if period.unit is Unit.HOURS else local.date())
        if key not in self._dues:
            self._dues[key] = compute_due(started, period, self.calendar)
        return self._dues[key]


@dataclass
class CaseRows:
    """One case while its rows are made: who works it and what it holds."""

    story: Story
    county: County
    case_id: int
    intake: Any
    team: list[Any]
    supervisor: Any
    head: Any
    prosecutor: Any
    pseudonym: str = ""
    suspects: list[int] = field(default_factory=list)
    has_phone: bool = False  # a suspect's phone known at intake starts the extraction clock
    offenders: list[tuple[Any, ...]] = field(default_factory=list)  # the county's recent suspects, shared

    def person(self, slot: int) -> int:
        """A number for each person of each case (victim 0, complainant 1, suspects 2..):
        distinct phones, accounts and ID numbers follow from it."""
        return self.case_id * 8 + slot
    evidence: list[str] = field(default_factory=list)  # the checklist keys of its evidence items, in order


def tracking_code(n: int) -> str:
    """Ten characters of the portal's alphabet, distinct for every n (an odd multiplier is
    a bijection modulo 32^10)."""
    value, chars = (n * 0x9E3779B97F4A7C15 + 0x5DEECE66D) % 32**10, []
    for _ in range(10):
        value, digit = divmod(value, 32)
        chars.append(TRACKING_ALPHABET[digit])
    return "".join(chars)


def pseudonym(rng: random.Random, name: str) -> str:
    """As core.vault.pseudonyms.pseudonym_for, with the batch's random source."""
    surname = name[:1]
    return f"{surname}某" if surname in COMMON_SURNAMES else f"小{rng.choice(ALIAS_CHARACTERS)}（化名）"


def case_row(b: Batch, c: CaseRows, number: str, serial: int, merged_into: int | None) -> None:
    s = c.story
    flags = sorted(set(s.band.flags) | ({"multiple_suspects"} if s.suspects >= 2 else set())
                   | ({"mandatory_filing"} if s.indicators else set()))
    code = tracking_code(serial)
    prosecuting = c.county.procuratorate.pk if s.at("prosecuted") or s.at("declined") else None
    b.add(
        Case, c.case_id, number, s.state, c.county.bureau.pk, c.intake.unit_id, s.channel, s.received_at,
        s.offence_date,
        b.seal(Case, "narrative", narrative(b.rng, c.pseudonym, s.offence_date)), json.dumps(s.indicators),
        json.dumps(flags), s.band.key, s.minor, (s.received_at.date() - s.offence_date).days > 365 * 2,
        s.reopen_trigger, code, portal_secret_digest(code, secrets.token_urlsafe(9)), merged_into, prosecuting,
        c.intake.pk, s.received_at, json.dumps(s.offences))
    for template in s.templates:  # the versions the case keeps (standards)
        b.row(Case.templates.through, c.case_id, template.pk)
    b.log(s.received_at, c.intake, "case.registered", c.case_id,
          {"channel": s.channel, "age_band": s.band.key, "flags": flags, "merged_into": merged_into})
    b.log(s.received_at, c.intake, "case.read", c.case_id,
          {"basis": "intake", "identity": False, "purpose": "registered", "sealed": False})


def people_rows(b: Batch, c: CaseRows) -> None:
    """The victim, the complainant, the suspects, and their blind indexes."""
    s, rng, region = c.story, b.rng, c.county.bureau.division_code
    female = rng.random() < 0.9
    name = rng.choice(b.people.female if female else b.people.male)
    c.pseudonym = pseudonym(rng, name)
    born = s.offence_date - dt.timedelta(days=365 * s.age + rng.randint(0, 364)) if rng.random() < 0.7 else None
    victim_id = id_number(region, born, c.person(0)) if born and rng.random() < 0.6 else ""
    b.row(Victim, c.case_id, c.pseudonym, b.seal(Victim, "name", name), b.seal(Victim, "id_number", victim_id),
          "female" if female else "male", born and b.seal(Victim, "date_of_birth", born.isoformat()),
          None if born else s.age, s.age)
    b.row(Complainant, c.case_id, b.seal(Complainant, "name", rng.choice(b.people.female)),
          rng.choice(RELATIONS), b.seal(Complainant, "phone", b.people.phone(c.person(1))), "")
    index = [(c.case_id, "victim", None, IdKind.NAME_DOB, name_dob(name, born)),
             (c.case_id, "victim", None, IdKind.ID_NUMBER, victim_id)]
    for n in range(s.suspects):
        index += _suspect(b, c, known=n < s.identified, person=c.person(2 + n))
    for case_id, role, suspect_id, kind, raw in index:
        if value := b.digest(kind, raw):
            b.row(Identifier, case_id, role, suspect_id, kind, value, "", None, None, None, None, "")


def suspect_status(s: Story, *, first: bool, known: bool) -> str:
    """Where the suspect stands now: the first one known goes through detention to the
    judgment (synthetic_work._suspect_moves); the others stay as intake left them, unless
    the case was suspended because every one of them is at large."""
    if not known:
        return "unidentified"
    if s.at("suspended"):
        return "at_large"
    if not first:
        return "identified"
    for milestone, status in (("judged", "convicted" if s.convicted else "acquitted"), ("prosecuted", "charged"),
                              ("arrested", "arrested"), ("arrest_requested", "arrest_requested"),
                              ("detained", "detained")):
        if s.at(milestone):
            return status
    return "identified"


def _suspect(b: Batch, c: CaseRows, *, known: bool, person: int) -> list[tuple[Any, ...]]:
    """A suspect: unidentified, newly known, or now and then one already known from an
    earlier case in the county (the same phone, account and ID number: a repeat offender
    the linkage of cases finds)."""
    rng = b.rng
    if known and c.offenders and rng.random() < REPEAT_OFFENDERS:
        name, phone, number, accounts, born = rng.choice(c.offenders)
    else:
        name = rng.choice(b.people.male) if known and rng.random() < 0.8 else ""
        phone = b.people.phone(person) if known and rng.random() < 0.8 else ""
        accounts = [b.people.account(person)] if known and rng.random() < 0.5 else []
        born = c.story.offence_date - dt.timedelta(days=rng.randint(18 * 365, 60 * 365))
        number = id_number(c.county.bureau.division_code, born, person) if name and rng.random() < 0.5 else ""
        if phone:
            c.offenders.append((name, phone, number, accounts, born))
            del c.offenders[:-200]
    status = suspect_status(c.story, first=not c.suspects, known=known)
    pk = b.row(Suspect, c.case_id, b.seal(Suspect, "name", name), b.seal(Suspect, "phone", phone),
               b.seal(Suspect, "id_number", number),
               b.seal(Suspect, "accounts", json.dumps(accounts, ensure_ascii=False, sort_keys=True)), status,
               "male" if name else "", b.seal(Suspect, "date_of_birth", born.isoformat()) if number else None)
    c.suspects.append(pk)
    c.has_phone = c.has_phone or bool(phone)
    pairs = [(IdKind.PHONE, phone), (IdKind.ID_NUMBER, number)]
    pairs += [(IdKind.HANDLE, handle(a["platform"], a["handle"])) for a in accounts]
    return [(c.case_id, "suspect", pk, kind, raw) for kind, raw in pairs]


def clock_row(b: Batch, c: CaseRows, rule: str, started: dt.datetime, closed: dt.datetime | None, *,
              subject: str = "", lapses: bool = False, months: int | None = None) -> Due:
    """A clock met at ``closed`` (late if after its due time), or still running as the
    sweep left it (overdue and escalated step by step); a window (``lapses``) nobody used
    is closed when it ends."""
    period = BY_KEY[rule].period
    due = b.due(rule, started) if months is None else compute_due(
        started, type(period)(months, period.unit, period.extends_over_holidays), b.calendar)
    status, level = ("met" if closed <= due.at else "met_late") if closed else "open", 0
    if closed is None and lapses and due.at < b.now:
        status, closed = "cancelled", due.at
    elif closed is None and due.at < b.now:
        level = sum(1 for step in ESCALATION if b.now - SWEEP_EVERY - due.at >= step.after)
        status = "overdue" if level else "open"
    amount = months or period.amount
    pk = b.row(Deadline, c.case_id, rule, subject, started, due.at, due.provisional, amount, period.unit.value,
               period.extends_over_holidays, status, closed, months is not None and months > period.amount, level)
    for step in ESCALATION[:level]:
        b.log(due.at + step.after + dt.timedelta(seconds=b.rng.randint(1, 290)), None, "deadline.escalated",
              c.case_id, {"deadline": pk, "rule": rule, "level": step.level})
    return due
