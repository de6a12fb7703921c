"""Periodic jobs, declared by each app in its own ``scheduled.py`` (as Netflix Dispatch
does) and run by one command, ``manage.py run_jobs`` (``sweep_deadlines`` is its older
name). A job returns a short summary for the log: counts, never personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from lantern.core.registry import Hook


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]
    every: dt.timedelta
    order: int = 100  # lower runs first within one pass (e.g. recompute clocks before escalating)


JOBS: Hook[Job] = Hook("scheduled jobs")


def job(*, name: str, every: dt.timedelta, order: int = 100) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Declare a periodic job in an app's scheduled.py."""

    def wrap(fn: Callable[[], str]) -> Callable[[], str]:
        JOBS.register(Job(name=name, run=fn, every=every, order=order))
        return fn

    return wrap


def all_jobs() -> list[Job]:
    autodiscover_modules("scheduled")  # imports every installed app's scheduled.py once
    return sorted(JOBS, key=lambda j: (j.order, j.name))


def run_all(only: set[str] | None = None) -> list[tuple[str, str]]:
    """One pass of every job (or those named in ``only``); returns (name, summary)."""
    return [(j.name, j.run()) for j in all_jobs() if only is None or j.name in only]
