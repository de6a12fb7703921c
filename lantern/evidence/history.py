"""How evidence and interview events read in the audit log (registered from
EvidenceConfig.ready): an item by its number on the case (E-3) and its type."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import Line, Reading
from lantern.evidence.models import EvidenceItem

ITEM_SAID = {
    Event.EVIDENCE_REGISTERED: gettext_lazy("%(actor)s registered evidence %(item)s"),
    Event.EVIDENCE_HANDED_OVER: gettext_lazy("%(actor)s recorded a hand-over of evidence %(item)s"),
    Event.EVIDENCE_FILE_ATTACHED: gettext_lazy("%(actor)s attached a file to evidence %(item)s"),
    Event.EVIDENCE_FILE_READ: gettext_lazy("%(actor)s opened a file of evidence %(item)s"),
    Event.EVIDENCE_FILE_TAMPERED: gettext_lazy("A file of evidence %(item)s no longer matches its fingerprint"),
    Event.EVIDENCE_SENT_TO_LAB: gettext_lazy("%(actor)s sent evidence %(item)s to the laboratory"),
    Event.EVIDENCE_LAB_RECEIVED: gettext_lazy("The laboratory received evidence %(item)s (recorded by %(actor)s)"),
    Event.EVIDENCE_LAB_RESULT: gettext_lazy("%(actor)s recorded the laboratory result for evidence %(item)s"),
}


def item_label(reading: Reading) -> str:
    pk = reading.details.get("item")
    items: dict[Any, Any] = reading.cache.setdefault("evidence", {})
    if pk not in items and isinstance(pk, int):
        # The first item asked for brings its case's others along: a case's history names
        # each of its items, one query instead of one per item.
        found = EvidenceItem.objects.filter(case__evidence__pk=pk)
        items.update({i.pk: i for i in found})
    items.setdefault(pk, None)
    item = items[pk]
    if item is None:
        return _("an item")
    return f"E-{item.number}（{item.get_kind_display()}）"


def _item_rendering(message: Any) -> readable.Render:
    return lambda reading: Line(str(message) % {"actor": reading.actor, "item": item_label(reading)})


def interview_line(reading: Reading) -> Line:
    return Line(_("%(actor)s recorded interview no. %(n)s with the victim") % {
        "actor": reading.actor, "n": reading.details.get("sequence", "")})


def register() -> None:
    for event, message in ITEM_SAID.items():
        readable.register(event, _item_rendering(message))
    readable.register(Event.INTERVIEW_RECORDED, interview_line)
    readable.register(Event.INTERVIEW_REPEAT_REQUESTED,
                      readable.said(gettext_lazy("%(actor)s asked for a repeat interview")))
    readable.register(Event.INTERVIEW_REPEAT_DECIDED,
                      readable.said(gettext_lazy("%(actor)s decided on a request for a repeat interview")))
