"""Feeding the registry: called inside the judgment's transaction (cases.steps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.linkage.models import RegistryEntry
from lantern.core.vault.blind import IdKind, digest


def register_convictions(*, case: Any, suspects: list[Any], at: dt.datetime, judgment: str) -> list[RegistryEntry]:
    return [RegistryEntry.objects.create(suspect=s, case=case, name=s.name, id_number=s.id_number,
                                         id_digest=digest(IdKind.ID_NUMBER, s.id_number), convicted_at=at,
                                         judgment_reference=judgment) for s in suspects]
