"""What happens to a case that higher apps react to, as hooks they fill in from their
AppConfig.ready (the portal tells the family a case moved; linkage feeds the offender
registry from a conviction). Subscribers run inside the causing transaction, so a
rolled-back change leaves nothing behind; side effects they queue go out on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from lantern.core.registry import Hook


class CaseMoved(Protocol):
    def __call__(self, case: Any, before: str, after: str) -> None: ...


class Convicted(Protocol):
    def __call__(self, *, case: Any, suspects: list[Any], at: dt.datetime, judgment: str, court: str,
                 sentences: dict[int, int | None]) -> None: ...


class ActionTaken(Protocol):
    def __call__(self, *, name: str, ctx: Any) -> None: ...


case_moved: Hook[CaseMoved] = Hook("a case moved")
convicted: Hook[Convicted] = Hook("suspects convicted")
# Every workflow action once it has changed the case (``ctx``: the case, the actor, the
# payload and the action's time, as cases.guards.Ctx), for those who tell people of it.
action_taken: Hook[ActionTaken] = Hook("a workflow action was taken")
# A fact the law attaches rules to changed outside the workflow (a corrected age made the
# victim a minor or an adult), for those who keep figures of such cases (oversight flags).
facts_changed: Hook[Callable[..., None]] = Hook("a case's facts changed")


def announce_move(case: Any, before: str, after: str) -> None:
    for subscriber in case_moved:
        subscriber(case, before, after)


def announce_convictions(*, case: Any, suspects: list[Any], at: dt.datetime, judgment: str, court: str = "",
                         sentences: dict[int, int | None] | None = None) -> None:
    """``sentences``: months of fixed-term imprisonment per suspect, where the judgment gave
    them (the registry's reporting rules turn on it, linkage.reporting)."""
    for subscriber in convicted:
        subscriber(case=case, suspects=suspects, at=at, judgment=judgment, court=court, sentences=sentences or {})


def announce_action(*, name: str, ctx: Any) -> None:
    for subscriber in action_taken:
        subscriber(name=name, ctx=ctx)


def announce_facts_changed(case: Any) -> None:
    for subscriber in facts_changed:
        subscriber(case=case)
