"""What happens to identifiers that higher apps react to: linkage joins the cases that
share one into networks and alerts their teams. Filled from LinkageConfig.ready; the
subscribers run inside the causing transaction, so a rolled-back intake links nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from lantern.core.registry import Hook


class Indexed(Protocol):
    def __call__(self, *, case: Any, rows: Sequence[Any], actor: Any) -> None: ...


class Retracted(Protocol):
    def __call__(self, *, row: Any, actor: Any) -> None: ...


indexed: Hook[Indexed] = Hook("identifiers indexed")
retracted: Hook[Retracted] = Hook("an identifier marked wrong")


def announce_indexed(case: Any, rows: Sequence[Any], actor: Any = None) -> None:
    """Also with no rows: a suspect known by name alone is matched (fuzzily) all the same."""
    for subscriber in indexed:
        subscriber(case=case, rows=rows, actor=actor)


def announce_retracted(row: Any, actor: Any) -> None:
    for subscriber in retracted:
        subscriber(row=row, actor=actor)
