"""What happens to a clock that higher apps react to (oversight keeps its flags of late
evidence and unanswered questions from it), as a hook they fill from AppConfig.ready.
Subscribers run inside the causing transaction."""

from __future__ import annotations

from typing import Any, Protocol

from lantern.core.registry import Hook


class ClockChanged(Protocol):
    def __call__(self, *, case: Any) -> None: ...


# A clock of the case ran out, was met, extended or cancelled.
clock_changed: Hook[ClockChanged] = Hook("a clock changed")


def announce_clock(case: Any) -> None:
    for subscriber in clock_changed:
        subscriber(case=case)
