"""What happens to a case that higher apps react to, as hooks they fill in from their
AppConfig.ready (the portal tells the family a case moved; linkage feeds the offender
registry from a conviction). Subscribers run inside the causing transaction, so a
rolled-back change leaves nothing behind; side effects they queue go out on commit."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from lantern.core.registry import Hook


class CaseMoved(Protocol):
    def __call__(self, case: Any, before: str, after: str) -> None: ...


class Convicted(Protocol):
    def __call__(self, *, case: Any, suspects: list[Any], at: dt.datetime, judgment: str) -> None: ...


case_moved: Hook[CaseMoved] = Hook("a case moved")
convicted: Hook[Convicted] = Hook("suspects convicted")


def announce_move(case: Any, before: str, after: str) -> None:
    for subscriber in case_moved:
        subscriber(case, before, after)


def announce_convictions(*, case: Any, suspects: list[Any], at: dt.datetime, judgment: str) -> None:
    for subscriber in convicted:
        subscriber(case=case, suspects=suspects, at=at, judgment=judgment)
