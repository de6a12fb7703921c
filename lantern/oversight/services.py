"""Keeping the flag table equal to the conditions (detect.py): ``refresh_case`` after each
action on a case (from the hooks of cases, deadlines and evidence, inside the causing
transaction), ``reconcile`` from scratch by the periodic job, fixing any drift.

Flags are derived data, recomputable at any time from the audited record, so their
refreshes write no audit entry of their own (one per action would double the log); the
reconciliation's summary of what it fixed goes to the job log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lantern.cases.models import Case
from lantern.oversight.detect import Key, case_facts, expected
from lantern.oversight.models import OversightFlag


@dataclass
class Drift:
    raised: int = 0
    cleared: int = 0
    updated: int = 0

    def __add__(self, other: Drift) -> Drift:
        return Drift(self.raised + other.raised, self.cleared + other.cleared, self.updated + other.updated)


def _open_rows(rows: QuerySet[OversightFlag]) -> dict[Key, OversightFlag]:
    rows = rows.filter(cleared_at__isnull=True)
    return {(r.case_id, r.flag, r.subject): r for r in rows.iterator(chunk_size=5000)}


def _apply(want: dict[Key, dt.datetime], have: dict[Key, OversightFlag], now: dt.datetime) -> Drift:
    drift = Drift()
    gone = [row.pk for key, row in have.items() if key not in want]
    if gone:
        drift.cleared = OversightFlag.objects.filter(pk__in=gone).update(cleared_at=now)
    new = [key for key in want if key not in have]
    facts = case_facts({key[0] for key in new} | {key[0] for key in have if key in want})
    rows = [OversightFlag(case_id=c, flag=f, subject=s, since=want[(c, f, s)], raised_at=now, **facts[c])
            for c, f, s in new]
    # A clock's sweep and an action on the same case may refresh it at once: the second
    # insert of the same open flag is skipped, never an error that rolls the action back.
    OversightFlag.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    drift.raised = len(rows)
    for key, row in have.items():
        if key in want:
            current = {"since": want[key], **facts[key[0]]}
            changed = {k: v for k, v in current.items() if getattr(row, k) != v}
            if changed:
                OversightFlag.objects.filter(pk=row.pk).update(**changed)
                drift.updated += 1
    return drift


def refresh_case(case: Any, *, now: dt.datetime | None = None) -> Drift:
    """Raise and clear the flags of one case."""
    now = now or timezone.now()
    want = expected(Case.objects.filter(pk=case.pk), now=now)
    return _apply(want, _open_rows(OversightFlag.objects.filter(case_id=case.pk)), now)


def on_case_event(*, case: Any, **_: Any) -> None:
    refresh_case(case)


def on_action(*, name: str, ctx: Any) -> None:
    refresh_case(ctx.case)


def reconcile(*, now: dt.datetime | None = None, batch: int = 50_000) -> Drift:
    """Recompute every flag from scratch, one range of case ids per transaction, and fix
    the table where it differs (a hook missed, a row lost, a clock that ran out unseen)."""
    now = now or timezone.now()
    drift = Drift()
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for low in range(0, last + 1, batch):
        with transaction.atomic():
            cases = Case.objects.filter(pk__gte=low, pk__lt=low + batch)
            have = _open_rows(OversightFlag.objects.filter(case_id__gte=low, case_id__lt=low + batch))
            drift = drift + _apply(expected(cases, now=now), have, now)
    return drift
