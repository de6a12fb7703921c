"""What the law attaches to the victim's age, computed again after a correction of the
record: the age band and its flags, the checklist items of the band, the filing-review
clock (the minors' rule for a child), the approvals a pending non-filing needs and the
procuratorate's supervision of a minor's non-filing. Each consequence is returned as a
``Change``: a code for programs and the record, a sentence for the officer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.cases import events, items
from lantern.cases.law import AGE_BANDS, FLAG_LABELS, AgeBand, band_for_age
from lantern.cases.models import (
    Case,
    ChecklistItem,
    DecisionKind,
    DecisionStatus,
    ItemStatus,
    Proceeding,
    ProceedingKind,
)
from lantern.cases.states import State
from lantern.deadlines import services as clocks
from lantern.deadlines.models import Deadline
from lantern.deadlines.rules import FILING_REVIEW_RULES, rule
from lantern.standards import selectors as standards
from lantern.standards.law import Offence, applies
from lantern.standards.models import Template, TemplateItem

BAND_FLAGS = frozenset().union(*(band.flags for band in AGE_BANDS))


@dataclass(frozen=True)
class Change:
    kind: str  # age_band, flag_added, flag_removed, checklist_added, checklist_not_applicable, clock_switched, ...
    key: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "key": self.key, "text": self.text}


def age_at(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def victim_age(case: Case) -> int:
    victim = case.victim
    if victim.date_of_birth:
        return age_at(victim.date_of_birth, case.offence_date)
    return int(victim.estimated_age or 0)


def apply_age(*, case: Case, actor: Any, at: dt.datetime) -> list[Change]:
    """Recompute from the victim's age as the record now gives it; saves the case."""
    age = victim_age(case)
    case.victim.age_at_offence = age
    case.victim.save(update_fields=["age_at_offence"])
    old, new = next(b for b in AGE_BANDS if b.key == case.age_band), band_for_age(age)
    if old.key == new.key:
        return []
    was_minor = case.is_minor
    changes = [Change("age_band", new.key, _("Age band: %(old)s → %(new)s (%(reference)s).")
                      % {"old": old.label, "new": new.label, "reference": new.legal_reference or "—"})]
    changes += _flags(case, old, new)
    case.age_band = new.key
    case.save(update_fields=["age_band", "flags", "is_minor"])
    if case.is_minor != was_minor:
        changes += _review_clock(case)
    changes += apply_standard(case=case, actor=actor, at=at, why=_("No longer applies: the victim's age band "
                                                                   "changed with a correction of the record."))
    if case.is_minor != was_minor:
        changes += _pending_non_filing(case)
        changes += _supervision(case, at)
        events.announce_facts_changed(case)
    return changes


def _flags(case: Case, old: AgeBand, new: AgeBand) -> list[Change]:
    before = set(case.flags)
    after = (before - (old.flags - new.flags)) | new.flags
    case.flags, case.is_minor = sorted(after), "minor" in after
    added = [Change("flag_added", f, _("Flag added: %(flag)s.") % {"flag": FLAG_LABELS.get(f, f)})
             for f in sorted(after - before)]
    return added + [Change("flag_removed", f, _("Flag removed: %(flag)s.") % {"flag": FLAG_LABELS.get(f, f)})
                    for f in sorted(before - after)]


def _review_due(case: Case) -> dt.datetime | None:
    clock = Deadline.objects.filter(case=case, rule__in=FILING_REVIEW_RULES).order_by("-started_at").first()
    return clock.due_at if clock else None


def _standard(case: Case, band_key: str) -> list[Template]:
    """The case's templates for the band: per offence that can concern it, the version in
    force on the day the case was registered (a case keeps its standard); an offence that
    cannot keeps the template it has, until the officer corrects the offences."""
    on = timezone.localdate(case.created_at)
    kept = {t.offence: t for t in case.templates.all()}
    chosen = []
    for offence in case.offences:
        template = (standards.in_force(offence=offence, age_band=band_key, division=case.unit.division_code, on=on)
                    if applies(offence, band_key) else None) or kept.get(offence)
        if template is not None:
            chosen.append(template)
    return chosen


def apply_standard(*, case: Case, actor: Any, at: dt.datetime, why: str) -> list[Change]:
    """The checklist brought in line with the case's offences and age band as they now stand."""
    templates = _standard(case, case.age_band)
    case.templates.set(templates)
    return _checklist(case, standards.items_of(templates), actor, at, why)


def _checklist(case: Case, wanted_items: list[TemplateItem], actor: Any, at: dt.datetime, why: str) -> list[Change]:
    """Items of the standard now wanted are added; items that no longer apply and were never
    worked are marked not applicable with the correction as the reason (never deleted)."""
    wanted = {item.key: item for item in wanted_items}
    have = {item.key: item for item in ChecklistItem.objects.filter(case=case).select_related("template_item")}
    changes = []
    for key in [k for k in wanted if k in have]:
        if _ruled_out_by_a_correction(have[key]):  # it applies again: open, as a new item would be
            item = have[key]
            item.status, item.note, item.changed_by, item.changed_at = ItemStatus.OPEN, "", actor, at
            item.save(update_fields=["status", "note", "changed_by", "changed_at"])
            changes.append(Change("checklist_reopened", key, _("Checklist item applies again: %(title)s.")
                                  % {"title": wanted[key].title}))
    for key in [k for k in wanted if k not in have]:
        ChecklistItem.objects.create(case=case, key=key, due_at=_review_due(case), template_item=wanted[key])
        changes.append(Change("checklist_added", key, _("Checklist item added: %(title)s (%(reference)s).")
                              % {"title": wanted[key].title, "reference": wanted[key].legal_reference}))
    for key, item in have.items():
        if key in wanted or item.template_item_id is None or item.status != ItemStatus.OPEN:
            continue
        item.status, item.changed_by, item.changed_at, item.note = ItemStatus.NOT_APPLICABLE, actor, at, why
        item.save(update_fields=["status", "note", "changed_by", "changed_at"])
        changes.append(Change("checklist_not_applicable", key, _("Checklist item no longer applies: %(title)s.")
                              % {"title": items.title(item)}))
    return changes


def _ruled_out_by_a_correction(item: ChecklistItem) -> bool:
    """Not applicable because a correction said so, and untouched since (a supervisor's own
    ruling, with its reason, stands)."""
    from lantern.intake.models import Correction

    if item.status != ItemStatus.NOT_APPLICABLE or item.changed_at is None:
        return False
    marked = {"kind": "checklist_not_applicable", "key": item.key}
    return any(marked in c.get("changes", []) for c in Correction.objects.filter(
        case=item.case_id, corrected_at=item.changed_at).values_list("recomputed", flat=True))


def _review_clock(case: Case) -> list[Change]:
    """The ordinary and the minors' filing review run from the same receipt; an extension
    already granted is kept as far as the new rule allows (a child's review: 7 days at most)."""
    old_key, new_key = ("filing_review", "filing_review_minor") if case.is_minor else ("filing_review_minor",
                                                                                        "filing_review")
    old = clocks.open_clock(case, old_key)
    if old is None:
        return []
    new_rule = rule(new_key)
    period = new_rule.period
    if old.extended and new_rule.extended_period is not None:
        kept = clocks.period_of(old)
        period = kept if kept.amount <= new_rule.extended_period.amount else new_rule.extended_period
    clocks.cancel(case=case, rule_key=old_key)
    clock = clocks.start(case=case, rule_key=new_key, started_at=old.started_at, period=period)
    if old.extended:
        Deadline.objects.filter(pk=clock.pk).update(extended=True)
    return [Change("clock_switched", new_key, _("The filing decision is now due on the rule “%(title)s” by "
                                                "%(due)s (%(reference)s), no longer on “%(old)s”.")
                   % {"title": new_rule.title, "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"),
                      "reference": new_rule.legal_reference, "old": rule(old_key).title})]


def _pending_non_filing(case: Case) -> list[Change]:
    """A child's non-filing is approved at two levels: a proposal pending before the
    correction needs the second approval too."""
    if not case.is_minor:
        return []
    updated = case.decisions.filter(status=DecisionStatus.PENDING, kind=DecisionKind.NOT_FILE,
                                    approvals_needed__lt=2).update(approvals_needed=2)
    if not updated:
        return []
    return [Change("approvals_needed", "2", _("The pending proposal not to file now needs a second approval by "
                                              "the unit head at the level above."))]


def _supervision(case: Case, at: dt.datetime) -> list[Change]:
    """Every non-filing of a minor goes to the procuratorate by itself (as steps.not_file does)."""
    if not case.is_minor or case.state != State.NOT_FILED or case.proceedings.filter(
            kind=ProceedingKind.SUPERVISION).exists():
        return []
    Proceeding.objects.create(case=case, kind=ProceedingKind.SUPERVISION, opened_at=at, automatic=True)
    return [Change("supervision_opened", ProceedingKind.SUPERVISION,
                   _("The non-filing decision goes to the procuratorate's supervision: the victim is a minor."))]


def describe(kind: str, key: str) -> str:
    """A recorded change (kind, key) in words, for the history of corrections."""
    band = next((b for b in AGE_BANDS if b.key == key), None)
    words = {
        "age_band": lambda: _("Age band: %(band)s.") % {"band": band.label if band else key},
        "flag_added": lambda: _("Flag added: %(flag)s.") % {"flag": FLAG_LABELS.get(key, key)},
        "flag_removed": lambda: _("Flag removed: %(flag)s.") % {"flag": FLAG_LABELS.get(key, key)},
        "checklist_added": lambda: _("Checklist item added: %(title)s.") % {"title": _title(key)},
        "checklist_not_applicable": lambda: _("Checklist item no longer applies: %(title)s.") % {"title": _title(key)},
        "checklist_reopened": lambda: _("Checklist item applies again: %(title)s.") % {"title": _title(key)},
        "clock_switched": lambda: _("The filing decision is now due on the rule “%(title)s”.")
        % {"title": rule(key).title},
        "offences": lambda: _("Offences: %(offences)s.") % {"offences": "、".join(
            str(Offence(o).label) for o in key.split(",") if o in Offence.values)},
        "approvals_needed": lambda: _("The pending proposal not to file now needs a second approval by the unit "
                                      "head at the level above."),
        "supervision_opened": lambda: _("The non-filing decision goes to the procuratorate's supervision: the "
                                        "victim is a minor."),
    }
    return str(words[kind]()) if kind in words else f"{kind}: {key}"


def _title(key: str) -> str:
    return standards.title_for_key(key)
