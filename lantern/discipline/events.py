"""What higher apps hear from discipline: a disclosure made to a family (the portal tells
the family there is news). Subscribers run inside the recording transaction."""

from __future__ import annotations

from typing import Any, Protocol

from lantern.core.registry import Hook


class Disclosed(Protocol):
    def __call__(self, *, case: Any, record: Any) -> None: ...


disclosed: Hook[Disclosed] = Hook("an accountability outcome was disclosed to the family")


def announce_disclosure(*, case: Any, record: Any) -> None:
    for subscriber in disclosed:
        subscriber(case=case, record=record)
