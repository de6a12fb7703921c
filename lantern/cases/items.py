"""A checklist item as its evidence standard defines it: the title, guidance, clock and
what satisfies it come from the template item it was created from (standards), never
from code, so a case keeps the wording and rules of the version it was registered under."""

from __future__ import annotations

from lantern.cases.models import ChecklistItem
from lantern.standards.models import Satisfier
from lantern.standards.selectors import title_for_key

# An item without a template item (created by a script before the standard was data):
# shown by anything on record.
DEFAULT_SATISFIED_BY = (Satisfier.EVIDENCE.value, Satisfier.LAB_RESULT.value)


def title(item: ChecklistItem) -> str:
    return item.template_item.title if item.template_item_id else title_for_key(item.key)


def guidance(item: ChecklistItem) -> str:
    return item.template_item.guidance if item.template_item_id else ""


def clock(item: ChecklistItem) -> str:
    return item.template_item.clock if item.template_item_id else ""


def legal_reference(item: ChecklistItem) -> str:
    return item.template_item.legal_reference if item.template_item_id else ""


def satisfied_by(item: ChecklistItem) -> tuple[str, ...]:
    return tuple(item.template_item.satisfied_by) if item.template_item_id else DEFAULT_SATISFIED_BY
