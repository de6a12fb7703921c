"""Feeding the registry: subscribed to cases.events.convicted, so it runs inside the
judgment's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.core.vault.blind import IdKind, digest
from lantern.linkage.models import RegistryEntry


def register_convictions(*, case: Any, suspects: list[Any], at: dt.datetime, judgment: str) -> None:
    for s in suspects:
        RegistryEntry.objects.create(suspect=s, case=case, name=s.name, id_number=s.id_number,
                                     id_digest=digest(IdKind.ID_NUMBER, s.id_number), convicted_at=at,
                                     judgment_reference=judgment)
