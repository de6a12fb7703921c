"""Reads of the evidence standard: which version of a template is in force on a day for
a province, the items a case gets from its offences and age band, a version as JSON, and
the differences between two versions."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, require_capability, scope
from lantern.core.errors import Conflict, NotFound, ValidationFailed
from lantern.deadlines.rules import BY_KEY as RULES
from lantern.standards.law import OFFENCES, Offence, applies, band_label
from lantern.standards.models import Satisfier, Template, TemplateItem, TemplateStatus


def in_force(*, offence: str, age_band: str, division: str, on: dt.date) -> Template | None:
    """The newest version approved and in force on ``on`` for the province (its own or the
    national one). Versions are numbered across provinces, so the newest wins."""
    return (Template.objects.filter(offence=offence, age_band=age_band, status=TemplateStatus.APPROVED,
                                    effective_from__lte=on, division__in=["", division[:2]])
            .order_by("-version").first())


def check_offences(offences: Iterable[str], age_band: str) -> list[str]:
    """The offences, de-duplicated in their order, or 422 naming the ones that cannot concern
    a victim of this age band (indecency with a child is an offence against a child under 14)."""
    chosen = list(dict.fromkeys(offences))
    if not chosen:
        raise ValidationFailed(details={"offences": [_("Name at least one offence.")]})
    unknown = [o for o in chosen if o not in Offence.values]
    if unknown:
        raise ValidationFailed(details={"offences": [_("Not one of the allowed values: %(allowed)s.")
                                                     % {"allowed": ", ".join(Offence.values)}]})
    wrong = [str(Offence(o).label) for o in chosen if not applies(o, age_band)]
    if wrong:
        raise ValidationFailed(details={"offences": [
            _("These offences cannot concern a victim of this age: %(offences)s.") % {"offences": "、".join(wrong)}]})
    return chosen


def templates_for(*, offences: Iterable[str], age_band: str, division: str, on: dt.date) -> list[Template]:
    """One template per offence, principal first; 409 naming the offences no version is in
    force for. A case registered without them would have a checklist with nothing to
    check, and the filing decision's evidence guard would pass on nothing."""
    found, missing = [], []
    for offence in offences:
        template = in_force(offence=offence, age_band=age_band, division=division, on=on)
        if template is None:
            missing.append(offence)
        else:
            found.append(template)
    if missing:
        names = "、".join(str(Offence(o).label) for o in missing)
        raise Conflict(_("No version of the evidence standard is in force for %(offences)s with a victim aged "
                         "%(band)s, so the case would have no checklist. Nothing was registered: ask the "
                         "provincial administrator to approve a version, then register the report again.")
                       % {"offences": names, "band": band_label(age_band)},
                       unmet=[{"code": "no_standard", "message": str(Offence(o).label)} for o in missing])
    return found


def missing_pairs() -> list[tuple[str, str]]:
    """The offence and age band pairs no approved national version exists for (the system
    check standards.E001: every pair ships with one, so a missing pair is a damaged database)."""
    have = set(Template.objects.filter(status=TemplateStatus.APPROVED, division="")
               .values_list("offence", "age_band").distinct())
    return [(offence, band) for offence, rule in OFFENCES.items() for band in rule.bands
            if (str(offence), band) not in have]


def items_of(templates: Iterable[Template]) -> list[TemplateItem]:
    """The items of the templates, each key once (the principal offence's item first)."""
    chosen: dict[str, TemplateItem] = {}
    for template in templates:
        for item in template.items.all():
            chosen.setdefault(item.key, item)
    return list(chosen.values())


def title_for_key(key: str) -> str:
    """An item's title where only its key is at hand (an audit entry): as Lantern ships it."""
    titles = _shipped_titles(key)
    if titles is None:
        return key
    return titles[1] if (get_language() or "").startswith("en") else titles[0]


@functools.lru_cache(maxsize=256)
def _shipped_titles(key: str) -> tuple[str, str] | None:
    """The shipped versions never change (new ones are drafted by someone), so a process
    keeps their titles: a case's history names an item on every checklist line."""
    item = TemplateItem.objects.filter(key=key, template__drafted_by__isnull=True).order_by("pk").first()
    return (item.title_zh, item.title_en) if item is not None else None


def satisfier_labels(kinds: Iterable[str]) -> list[str]:
    return [str(Satisfier(k).label) for k in kinds if k in Satisfier.values]


# --- What readers see ---------------------------------------------------------------------------------


def readable_templates(user: Any) -> QuerySet[Template]:
    require_capability(user, Capability.READ_STANDARDS)
    return scope(user, Verb.VIEW, Template.objects.all())


def template_for(user: Any, template_id: int) -> Template:
    found = readable_templates(user).filter(pk=template_id).first()
    if found is None:
        raise NotFound()
    return found


def templates_in_force(user: Any, on: dt.date | None = None) -> list[Template]:
    """Per offence and age band, the version in force in the reader's province today."""
    on = on or timezone.localdate()
    readable = readable_templates(user).filter(status=TemplateStatus.APPROVED, effective_from__lte=on)
    newest: dict[tuple[str, str], Template] = {}
    for template in readable.order_by("offence", "age_band", "-version"):
        newest.setdefault((template.offence, template.age_band), template)
    order = {o: n for n, o in enumerate(OFFENCES)}
    return sorted(newest.values(), key=lambda t: (order.get(t.offence, 99), band_order(t.age_band)))


def drafts(user: Any) -> QuerySet[Template]:
    return readable_templates(user).filter(status=TemplateStatus.DRAFT).order_by("offence", "age_band", "version")


def versions_of(template: Template, user: Any) -> QuerySet[Template]:
    return readable_templates(user).filter(offence=template.offence, age_band=template.age_band).order_by("version")


BANDS = ("under_12", "12_to_14", "14_to_16", "16_to_18", "adult")


def band_order(band: str) -> int:
    return BANDS.index(band) if band in BANDS else len(BANDS)


def clock_label(rule: str) -> str:
    """A due time as people read it: the deadline rule's title (its key if unknown)."""
    found = RULES.get(rule)
    return str(found.title) if found else rule


def item_json(item: TemplateItem) -> dict[str, Any]:
    return {"key": item.key, "title": item.title, "title_zh": item.title_zh, "title_en": item.title_en,
            "guidance": item.guidance, "guidance_zh": item.guidance_zh, "guidance_en": item.guidance_en,
            "satisfied_by": list(item.satisfied_by),
            "satisfied_by_labels": satisfier_labels(item.satisfied_by), "clock": item.clock or None,
            "clock_label": clock_label(item.clock),
            "legal_reference": item.legal_reference}


def template_json(template: Template, *, with_items: bool = True) -> dict[str, Any]:
    approvals = list(template.approvals.select_related("by"))
    body = {"id": template.pk, "key": template.key, "version": template.version, "offence": template.offence,
            "offence_label": str(Offence(template.offence).label), "age_band": template.age_band,
            "age_band_label": band_label(template.age_band),
            "offence_reference": OFFENCES[template.offence].legal_reference, "province": template.division or None,
            "status": template.status, "status_label": str(TemplateStatus(template.status).label),
            "effective_from": template.effective_from, "note": template.note,
            "approvals": [{"side": a.side, "by": a.by.username, "at": a.at} for a in approvals]}
    if with_items:
        body["items"] = [item_json(i) for i in template.items.all()]
    return body


# --- Two versions side by side --------------------------------------------------------------------------

COMPARED = ("title_zh", "title_en", "guidance_zh", "guidance_en", "satisfied_by", "clock", "legal_reference")


def diff(old: Template, new: Template) -> list[dict[str, Any]]:
    """Row by row, keyed by item: added, removed, changed (with the fields that changed) or same."""
    before = {i.key: i for i in old.items.all()}
    after = {i.key: i for i in new.items.all()}
    rows = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        changed = [f for f in COMPARED if a and b and getattr(a, f) != getattr(b, f)]
        change = "added" if a is None else "removed" if b is None else "changed" if changed else "same"
        rows.append({"key": key, "change": change, "fields": changed,
                     "old": item_json(a) if a else None, "new": item_json(b) if b else None})
    return rows
