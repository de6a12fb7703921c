"""Cases that share an identifier find each other: subscribed to people.events, so a new
report, a suspect identified later or an identifier added to a person links at once,
inside the same transaction, on digests alone (nothing is decrypted to link)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.models import Case
from lantern.linkage import alerts, networks, registry
from lantern.linkage.networks import LINK_KINDS
from lantern.people.identifiers import KIND_NAMES


def on_indexed(*, case: Any, rows: Sequence[Any], actor: Any) -> None:
    now = timezone.now()
    keys = {(r.kind, r.digest) for r in rows if r.kind in LINK_KINDS}
    master = case.merged_into_id or case.pk
    shared = networks.holders(keys)
    others = {c for holding in shared.values() for c in holding} - {master}
    if others:
        kinds = sorted({KIND_NAMES.get(k, k) for (k, _d), holding in shared.items() if holding - {master}})
        link(Case.objects.get(pk=master), others, actor=actor, via=kinds, now=now)
    registry.check_identifiers(case=case, rows=rows, at=now)


def link(case: Case, others: set[int], *, actor: Any, via: list[str], now: dt.datetime) -> None:
    """Put ``case`` in one network with ``others`` and tell the teams whose network changed."""
    network, changed = networks.connect({case.pk} | others, now)
    if not changed:
        return
    record(actor=actor, action=Event.LINKAGE_CASES_LINKED, obj=case,
           details={"network": network.pk, "cases": sorted(others), "via": via, "size": network.case_count})
    alerts.link_alert(network, changed, actor=actor)


def on_retracted(*, row: Any, actor: Any) -> None:
    if row.kind not in LINK_KINDS:
        return
    network = networks.network_of(row.case)
    if network is None:
        return
    now = timezone.now()
    parts = networks.recompute(network, now)
    if len(parts) != 1 or parts[0].case_count != network.case_count:
        record(actor=actor, action=Event.LINKAGE_NETWORK_SPLIT, obj=row.case,
               details={"network": network.pk, "parts": [p.case_count for p in parts]})
