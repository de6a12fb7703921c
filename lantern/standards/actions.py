"""Drafting and approving a version of the evidence standard: named, atomic, audited
(core.actions). A version takes effect on its date once the police and the procuratorate
of its province have each approved it; a case keeps the version it was registered under."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, has_capability
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.standards.law import Offence, applies
from lantern.standards.models import Satisfier, Side, Template, TemplateApproval, TemplateItem, TemplateStatus
from lantern.standards.rules import province_of, provincial, side_of
from lantern.standards.selectors import in_force

# The clocks intake can start for an item (their start is known when a report arrives).
ITEM_CLOCKS = ("forensic_examination", "cctv_preservation", "phone_extraction")
ITEM_FIELDS = ("key", "title_zh", "title_en", "guidance_zh", "guidance_en", "satisfied_by", "clock",
               "legal_reference")


def _may_draft(actor: Any) -> None:
    if not has_capability(actor, Capability.DRAFT_STANDARDS) or not provincial(actor):
        raise PermissionDenied(_("Only an administrator at province level drafts a version of the evidence "
                                 "standard."))


def _item_problems(n: int, item: dict[str, Any], seen: set[str]) -> list[str]:
    problems = []
    if not str(item.get("key", "")).strip() or item["key"] in seen:
        problems.append(_("Item %(n)s: give a key used by no other item.") % {"n": n})
    if not str(item.get("title_zh", "")).strip() or not str(item.get("title_en", "")).strip():
        problems.append(_("Item %(n)s: give the title in Chinese and in English.") % {"n": n})
    kinds = item.get("satisfied_by") or []
    if not kinds or any(k not in Satisfier.values for k in kinds):
        problems.append(_("Item %(n)s: say what satisfies it: %(allowed)s.")
                        % {"n": n, "allowed": ", ".join(Satisfier.values)})
    if item.get("clock") and item["clock"] not in ITEM_CLOCKS:
        problems.append(_("Item %(n)s: the due time is one of %(allowed)s, or empty for the filing decision.")
                        % {"n": n, "allowed": ", ".join(ITEM_CLOCKS)})
    seen.add(str(item.get("key", "")))
    return problems


def _check_draft(offence: str, age_band: str, effective_from: dt.date, items: list[dict[str, Any]]) -> None:
    errors: dict[str, list[str]] = {}
    if offence not in Offence.values or not applies(offence, age_band):
        errors["age_band"] = [_("This offence has no template for this age band.")]
    if effective_from < timezone.localdate():
        errors["effective_from"] = [_("A version cannot take effect in the past.")]
    seen: set[str] = set()
    problems = [p for n, item in enumerate(items, start=1) for p in _item_problems(n, item, seen)]
    if not items:
        problems.append(_("A version has at least one item."))
    if problems:
        errors["items"] = problems
    if errors:
        raise ValidationFailed(details=errors)


@action
def draft_template(*, actor: Any, offence: str, age_band: str, effective_from: dt.date,
                   items: list[dict[str, Any]], note: str = "") -> Template:
    _may_draft(actor)
    _check_draft(offence, age_band, effective_from, items)
    # Numbered across provinces, under a lock on the pair's versions: {key, version} names one.
    versions = list(Template.objects.select_for_update().filter(offence=offence, age_band=age_band)
                    .values_list("version", flat=True))
    division = province_of(actor)
    template = Template.objects.create(
        offence=offence, age_band=age_band, version=max(versions, default=0) + 1, division=division,
        effective_from=effective_from, note=note.strip(), drafted_by=actor, drafted_at=timezone.now(),
        based_on=in_force(offence=offence, age_band=age_band, division=division, on=timezone.localdate()))
    TemplateItem.objects.bulk_create([
        TemplateItem(template=template, position=n, **{f: (item.get(f) or ([] if f == "satisfied_by" else ""))
                                                       for f in ITEM_FIELDS})
        for n, item in enumerate(items, start=1)])
    record(actor=actor, action=Event.STANDARD_DRAFTED, obj=template,
           details={"key": template.key, "version": template.version, "effective_from": effective_from.isoformat(),
                    "items": len(items)})
    return template


def _check_approver(actor: Any, template: Template) -> str:
    side = side_of(actor)
    if side is None:
        raise PermissionDenied(_("A version is approved by a unit head of the provincial police and by a "
                                 "prosecutor of the provincial procuratorate."))
    if template.division != province_of(actor):
        raise PermissionDenied(_("Only the police and the procuratorate of the version's province approve it."))
    if template.status != TemplateStatus.DRAFT:
        raise Conflict(_("This version is approved already."))
    if template.approvals.filter(side=side).exists():
        raise Conflict(_("Your side has approved this version already."),
                       unmet=[{"code": "approved_by_side", "message": str(Side(side).label)}])
    return side


@action
def approve_template(*, actor: Any, template: Template) -> Template:
    """One side's approval; the second one puts the version in force from its date."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    side = _check_approver(actor, template)
    now = timezone.now()
    TemplateApproval.objects.create(template=template, side=side, by=actor, at=now)
    if template.approvals.count() == len(Side.values):
        template.status, template.approved_at = TemplateStatus.APPROVED, now
        template.save(update_fields=["status", "approved_at"])
    record(actor=actor, action=Event.STANDARD_APPROVED, obj=template,
           details={"key": template.key, "version": template.version, "side": side,
                    "approved": template.status == TemplateStatus.APPROVED})
    return template
