"""The evidence gate: when a checklist item counts as done.

An item is done when what shows the work is on record (an interview, linked evidence, a
laboratory result), or when an officer wrote down what was done. A click alone is not
evidence: in the Linxia case eleven items were "done" in three seconds. Two things keep
an item open whatever its recorded status says:

- its precondition is impossible (no suspect identified: nobody to question, no phone to
  seize) — only a supervisor's written not-applicable reason lets the gate pass it;
- a laboratory result it waits for is still outstanding.

The evidence app knows what is on record; it registers a ``FINDINGS`` provider from its
AppConfig.ready (this app may not import it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lantern.cases import items
from lantern.cases.models import Case, ChecklistItem, ItemStatus, SuspectStatus
from lantern.core import memo
from lantern.core.registry import Hook
from lantern.core.transitions import Unmet
from lantern.standards.models import Satisfier

# What a finding is: a record that shows the work (the kinds of standards.Satisfier), or
# one that keeps the item open.
INTERVIEW, EVIDENCE, LAB_RESULT = Satisfier.INTERVIEW.value, Satisfier.EVIDENCE.value, Satisfier.LAB_RESULT.value
LAB_PENDING = "lab_pending"


@dataclass(frozen=True)
class Finding:
    """Something on record for the item ``key``; ``text`` says what, without personal data
    (an item number and kind, a date), because the case JSON shows it to every reader."""

    key: str
    kind: str  # INTERVIEW, EVIDENCE, LAB_RESULT or LAB_PENDING
    text: str


FINDINGS: Hook[Callable[[Case], Iterable[Finding]]] = Hook("checklist findings")

# What satisfies each item is the evidence standard's (standards.TemplateItem.satisfied_by):
# in the defaults the victim interview counts only as a recorded interview, so that the
# one-interview rule sees every interview of a child, and biological evidence only with the
# laboratory's result ("sent to the lab, tracked to the result").
satisfied_by = items.satisfied_by


def _a_suspect_identified(case: Case) -> Unmet | None:
    if any(s.status != SuspectStatus.UNIDENTIFIED for s in case.suspects_in_order()):
        return None
    return Unmet("no_identified_suspect", _(
        "No suspect is identified yet, so this cannot have been done. Identify a suspect first, or a "
        "supervisor records in writing why this item cannot apply."))


# Items that cannot be done before something else is true (policy).
PRECONDITIONS: dict[str, Callable[[Case], Unmet | None]] = {
    "suspect_statements": _a_suspect_identified,
    "phone_extraction": _a_suspect_identified,
}


@dataclass
class ItemReview:
    item: ChecklistItem
    proof: list[str] = field(default_factory=list)  # what on record shows the work
    holds: list[Unmet] = field(default_factory=list)  # laboratory results outstanding
    impossible: list[Unmet] = field(default_factory=list)  # preconditions unmet

    @property
    def blocked(self) -> list[Unmet]:
        """Why the item cannot be marked done now."""
        return self.impossible + self.holds

    @property
    def status(self) -> str:
        """The status the gate sees: recorded done or not applicable is open while a result
        is outstanding; done is open while impossible or backed by neither record nor note."""
        recorded = self.item.status
        if recorded == ItemStatus.OPEN or self.holds:
            return ItemStatus.OPEN
        if recorded == ItemStatus.DONE and (self.impossible or not (self.proof or self.item.note.strip())):
            return ItemStatus.OPEN
        return recorded


def _findings(case: Case) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for provider in FINDINGS:
        for finding in provider(case):
            found.setdefault(finding.key, []).append(finding)
    return found


def _pending(finding: Finding) -> Unmet:
    return Unmet("lab_result_pending", _("A laboratory result is outstanding: %(what)s. The item stays open until "
                                         "the result is recorded.") % {"what": finding.text})


def review(case: Case, chosen: Iterable[ChecklistItem] | None = None) -> list[ItemReview]:
    """Every item of the case (or ``chosen``) as the gate sees it. The whole checklist is
    worked out once per read-only request: the case page shows it and its guards ask it."""
    if chosen is None:
        return memo.remembered(("gate review", case.pk), lambda: _review(case, None))
    return _review(case, chosen)


def _review(case: Case, chosen: Iterable[ChecklistItem] | None) -> list[ItemReview]:
    found = _findings(case)
    checked: dict[str, Unmet | None] = {}
    reviews = []
    for item in case.checklist.select_related("template_item") if chosen is None else chosen:
        mine = found.get(item.key, [])
        r = ItemReview(item=item, proof=[f.text for f in mine if f.kind in satisfied_by(item)],
                       holds=[_pending(f) for f in mine if f.kind == LAB_PENDING])
        if (precondition := PRECONDITIONS.get(item.key)) is not None:
            if precondition not in checked:
                checked[precondition] = precondition(case)
            r.impossible = [u for u in (checked[precondition],) if u is not None]
        reviews.append(r)
    return reviews


def review_item(item: ChecklistItem) -> ItemReview:
    return review(item.case, [item])[0]


def open_items(case: Case) -> list[ChecklistItem]:
    return [r.item for r in review(case) if r.status == ItemStatus.OPEN]


def summary(case: Case) -> dict[str, Any]:
    """The evidence summary an approver reads beside the proposal: counts as the gate sees
    them, what is still open and why, and what a supervisor ruled out (with the reason)."""
    reviews = review(case)
    counts = {s: sum(1 for r in reviews if r.status == s) for s in ItemStatus.values}
    title = {r.item.key: items.title(r.item) for r in reviews}
    return {
        "done": counts[ItemStatus.DONE], "open": counts[ItemStatus.OPEN],
        "not_applicable": counts[ItemStatus.NOT_APPLICABLE], "total": len(reviews),
        "open_items": [{"key": r.item.key, "title": title[r.item.key],
                        "why": [str(u.message) for u in r.blocked]} for r in reviews if r.status == ItemStatus.OPEN],
        "not_applicable_items": [{"key": r.item.key, "title": title[r.item.key], "note": r.item.note}
                                 for r in reviews if r.status == ItemStatus.NOT_APPLICABLE],
        "done_without_record": [{"key": r.item.key, "title": title[r.item.key], "note": r.item.note}
                                for r in reviews if r.status == ItemStatus.DONE and not r.proof],
    }
