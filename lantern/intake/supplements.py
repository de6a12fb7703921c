"""Adding to a case's record after intake, never over it (issue 13): a suspect identified
later, an indicator found later, a supplement to the narrative, a correction of the
victim's record with a reason. Each is one audited action for the case team and their
supervisors; each keeps what was there before (a Correction row holds the old value, a
retracted identifier stays in the history) and says in words what the law recomputed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import require_case_work
from lantern.cases.law import FLAG_LABELS, MANDATORY_FILING, MULTIPLE_SUSPECTS
from lantern.cases.models import Case, ChecklistItem, DecisionKind, DecisionStatus, Suspect, SuspectStatus
from lantern.cases.states import OPEN_STATES, Indicator, Sex
from lantern.core.actions import action
from lantern.core.errors import Conflict, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.intake.models import Correction, IndicatorRecord, NarrativeSupplement
from lantern.intake.recompute import Change, apply_age, apply_standard
from lantern.intake.schemas import NewSuspectIn
from lantern.people import identifiers
from lantern.people.models import Identifier, PersonRole
from lantern.standards import selectors as standards
from lantern.standards.law import Offence


@dataclass
class Outcome:
    """What an action added and what followed from it, in words."""

    obj: Any
    changes: list[Change] = field(default_factory=list)


def _case_for_work(actor: Any, case: Case) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("victim").get(pk=case.pk)
    require_case_work(actor, case)
    if case.state not in OPEN_STATES:
        raise Conflict(_("This case is closed: nothing can be added to it."),
                       unmet=[{"code": "state", "message": _("The case is closed.")}])
    return case


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("A written reason is required.")]})
    return reason.strip()


def _flag(case: Case, flag: str) -> list[Change]:
    if flag in case.flags:
        return []
    case.flags = sorted({*case.flags, flag})
    case.save(update_fields=["flags"])
    return [Change("flag_added", flag, _("Flag added: %(flag)s.") % {"flag": FLAG_LABELS.get(flag, flag)})]


# --- A suspect identified after intake ---------------------------------------------------------


def _phone_clock(case: Case, at: dt.datetime) -> list[Change]:
    """A suspect's phone is seized within 48 hours of the identification (policy): the clock
    starts now if none ran yet and the item is still open."""
    item = ChecklistItem.objects.filter(case=case, key="phone_extraction", status="open").first()
    if item is None or case.deadlines.filter(rule="phone_extraction").exists():
        return []
    clock = clocks.start(case=case, rule_key="phone_extraction", subject="phone_extraction", started_at=at)
    item.due_at = clock.due_at
    item.save(update_fields=["due_at"])
    return [Change("clock_started", "phone_extraction", _("The suspect's phone is to be seized and extracted by "
                                                          "%(due)s.")
                   % {"due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")})]


@action
def add_suspect(*, actor: Any, case: Case, suspect: NewSuspectIn) -> Outcome:
    case = _case_for_work(actor, case)
    if suspect.date_of_birth and suspect.date_of_birth > timezone.localdate():
        raise ValidationFailed(details={"date_of_birth": [_("The date of birth is in the future.")]})
    now = timezone.now()
    known = suspect.name or suspect.phone or suspect.id_number or suspect.accounts or suspect.devices
    row = Suspect.objects.create(case=case, name=suspect.name, phone=suspect.phone, id_number=suspect.id_number,
                                 accounts=[a.model_dump() for a in suspect.accounts], sex=suspect.sex,
                                 date_of_birth=suspect.date_of_birth,
                                 status=SuspectStatus.IDENTIFIED if known else SuspectStatus.UNIDENTIFIED)
    indexed = identifiers.index_added_suspect(suspect=row, devices=suspect.devices, actor=actor, at=now)
    changes = _flag(case, MULTIPLE_SUSPECTS.flag) if case.suspects.count() >= 2 else []
    if suspect.phone:
        changes += _phone_clock(case, now)
    record(actor=actor, action=Event.CASE_SUSPECT_ADDED, obj=case,
           details={"suspect": row.pk, "identifiers": sorted(i.kind for i in indexed),
                    "changes": [c.kind for c in changes]})
    return Outcome(row, changes)


# --- An indicator found later --------------------------------------------------------------


@action
def add_indicator(*, actor: Any, case: Case, indicator: str, reason: str) -> Outcome:
    """A mandatory-filing indicator makes the case mandatory-filing at once: a proposal not
    to file is refused from now on, a pending one can no longer be approved."""
    case = _case_for_work(actor, case)
    if indicator not in Indicator.values:
        raise ValidationFailed(details={"indicator": [_("Not one of the allowed values: %(allowed)s.")
                                                      % {"allowed": ", ".join(Indicator.values)}]})
    reason = _reason(reason)
    if indicator in case.indicators:
        raise Conflict(_("This indicator is already on record."),
                       unmet=[{"code": "already_recorded", "message": str(Indicator(indicator).label)}])
    entry = IndicatorRecord.objects.create(case=case, indicator=indicator, reason=reason, recorded_by=actor,
                                           recorded_at=timezone.now())
    case.indicators = sorted({*case.indicators, indicator})
    case.save(update_fields=["indicators"])
    changes = _flag(case, MANDATORY_FILING.flag)
    changes.append(Change("filing", "mandatory", _("The case must be filed directly: a proposal not to file is "
                                                   "refused (%(reference)s).")
                          % {"reference": MANDATORY_FILING.legal_reference}))
    if case.decisions.filter(status=DecisionStatus.PENDING, kind=DecisionKind.NOT_FILE).exists():
        changes.append(Change("pending_non_filing_refused", "approve_decision",
                              _("The pending proposal not to file can no longer be approved: return it.")))
    # The indicator itself is health information about the victim: the audit names the field.
    record(actor=actor, action=Event.CASE_INDICATOR_ADDED, obj=case,
           details={"field": "indicators", "record": entry.pk, "changes": [c.kind for c in changes]})
    return Outcome(entry, changes)


# --- A supplement to the narrative ---------------------------------------------------------------


@action
def supplement_narrative(*, actor: Any, case: Case, text: str) -> Outcome:
    case = _case_for_work(actor, case)
    if not text.strip():
        raise ValidationFailed(details={"text": [_("Write the supplement.")]})
    entry = NarrativeSupplement.objects.create(case=case, text=text.strip(), added_by=actor,
                                               added_at=timezone.now())
    record(actor=actor, action=Event.CASE_NARRATIVE_SUPPLEMENTED, obj=case,
           details={"field": "narrative", "supplement": entry.pk})
    return Outcome(entry)


# --- A correction of the victim's record -------------------------------------------------------------

AGE_FIELDS = frozenset({"victim.date_of_birth", "victim.estimated_age"})
INDEXED_FIELDS = frozenset({"victim.name", "victim.date_of_birth", "victim.id_number"})


def _parsed(case: Case, name: str, value: Any) -> Any:
    """The corrected value in the field's own type, or 422 naming the field."""
    text = "" if value is None else str(value).strip()
    problem = None
    if name == "victim.date_of_birth":
        try:
            parsed = parse_date(text) if text else None
        except ValueError:  # well formed, no such day (2024-02-30)
            parsed = None
        if parsed is None:
            problem = _("Must be a date as YYYY-MM-DD.")
        elif parsed > timezone.localdate():
            problem = _("The date of birth is in the future.")
        elif parsed > case.offence_date:
            problem = _("The offence date is before the victim's date of birth.")
        value = parsed
    elif name == "victim.estimated_age":
        value = int(text) if text.isdigit() and int(text) <= 120 else None
        problem = None if value is not None else _("Give an age in whole years, 0 to 120.")
    elif name == "victim.sex":
        value, problem = text, None if text in Sex.values else _("Not one of the allowed values: %(allowed)s.") % {
            "allowed": ", ".join(Sex.values)}
    elif name == "victim.name":
        value, problem = text, None if 0 < len(text) <= 100 else _("Give the name, at most 100 characters.")
    else:
        value, problem = text, None if len(text) <= 32 else _("Too long: at most %(n)s characters.") % {"n": 32}
    if problem:
        raise ValidationFailed(details={"value": [problem]})
    return value


def _reindex_victim(case: Case, actor: Any, at: dt.datetime, reason: str) -> None:
    """The victim's old name-and-birth and ID digests stop matching; the corrected ones match."""
    victim = case.victim
    Identifier.objects.filter(case=case, role=PersonRole.VICTIM).update(
        retracted_at=at, retracted_by=actor, retraction_reason=reason)
    identifiers.index_victim(case=case, name=victim.name, date_of_birth=victim.date_of_birth,
                             id_number=victim.id_number, actor=actor, at=at)


def _offences(case: Case, value: Any) -> list[str]:
    chosen = value if isinstance(value, list) else [v.strip() for v in str(value or "").split(",") if v.strip()]
    try:
        offences = standards.check_offences([str(v) for v in chosen], case.age_band)
    except ValidationFailed as exc:
        raise ValidationFailed(details={"value": exc.details["offences"]}) from None
    if offences == list(case.offences):
        raise ValidationFailed(details={"value": [_("This is the value on record already.")]})
    return offences


def _correct_offences(*, actor: Any, case: Case, value: Any, reason: str) -> Outcome:
    """The offences the case is recorded under: the checklist follows the templates of the
    new offences (at the versions in force when the case was registered); items of an
    offence dropped that nobody worked are marked not applicable, never deleted."""
    offences, old, now = _offences(case, value), list(case.offences), timezone.now()
    case.offences = offences
    case.save(update_fields=["offences"])
    labels = "、".join(str(Offence(o).label) for o in offences)
    changes = [Change("offences", ",".join(offences), _("Offences: %(offences)s.") % {"offences": labels})]
    changes += apply_standard(case=case, actor=actor, at=now, why=_("No longer applies: the offences were "
                                                                      "corrected."))
    entry = Correction.objects.create(case=case, field="offences", old_value=",".join(old),
                                      new_value=",".join(offences), reason=reason, corrected_by=actor, corrected_at=now,
                                      recomputed={"changes": [{"kind": c.kind, "key": c.key} for c in changes],
                                                  "age_band": case.age_band, "is_minor": case.is_minor,
                                                  "flags": case.flags})
    record(actor=actor, action=Event.CASE_CORRECTED, obj=case,
           details={"field": "offences", "correction": entry.pk, "age_band": case.age_band,
                    "offences": offences, "changes": [f"{c.kind}:{c.key}" for c in changes]})
    return Outcome(entry, changes)


@action
def correct_record(*, actor: Any, case: Case, field_name: str, value: Any, reason: str) -> Outcome:
    case = _case_for_work(actor, case)
    reason = _reason(reason)
    if field_name == "offences":
        return _correct_offences(actor=actor, case=case, value=value, reason=reason)
    if isinstance(value, list):
        raise ValidationFailed(details={"value": [_("Give one value, not a list.")]})
    attribute = field_name.removeprefix("victim.")
    if field_name not in AGE_FIELDS | INDEXED_FIELDS | {"victim.sex"}:
        raise ValidationFailed(details={"field": [_("This field cannot be corrected here.")]})
    new = _parsed(case, field_name, value)
    victim = case.victim
    old = getattr(victim, attribute)
    if old == new:
        raise ValidationFailed(details={"value": [_("This is the value on record already.")]})
    now = timezone.now()
    setattr(victim, attribute, new)
    victim.save(update_fields=[attribute])
    if field_name in INDEXED_FIELDS:
        # Retracted rows are not updated through the in-force manager again: correct with a reason.
        _reindex_victim(case, actor, now, reason)
    changes = apply_age(case=case, actor=actor, at=now) if field_name in AGE_FIELDS else []
    entry = Correction.objects.create(case=case, field=field_name, old_value="" if old is None else str(old),
                                      new_value=str(new), reason=reason, corrected_by=actor, corrected_at=now,
                                      recomputed={"changes": [{"kind": c.kind, "key": c.key} for c in changes],
                                                  "age_band": case.age_band, "is_minor": case.is_minor,
                                                  "flags": case.flags})
    record(actor=actor, action=Event.CASE_CORRECTED, obj=case,
           details={"field": field_name, "correction": entry.pk, "age_band": case.age_band,
                    "changes": [f"{c.kind}:{c.key}" for c in changes]})
    return Outcome(entry, changes)
