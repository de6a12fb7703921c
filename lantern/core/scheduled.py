"""Periodic jobs, declared by each app in its own ``scheduled.py`` (as Netflix Dispatch
does), run by the worker (``manage.py run_worker``: APScheduler timing each interval) or by
one pass of ``manage.py run_jobs`` (``sweep_deadlines`` is its older name). A job returns a
short summary for the log: counts, never personal data.

Every run holds the job's lease (core.models.JobLease), taken with one conditional UPDATE,
so a second worker, a cron pass overlapping the worker, or a worker restarted after a
crash never runs a job twice at once; a lease whose holder died (a process of this host
that is gone, or a lease past its time) is taken over. The jobs themselves are written to
be safe to repeat (the sweep locks each clock, deliveries are marked per message), so a
job cut off halfway is simply run again."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from lantern.core.models import JobLease
from lantern.core.ratelimit import purge_expired
from lantern.core.registry import Hook

logger = logging.getLogger("lantern.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]
    every: dt.timedelta
    order: int = 100  # lower runs first within one pass (e.g. recompute clocks before escalating)
    timeout: dt.timedelta = dt.timedelta(minutes=30)  # the lease: a run cut off is retried after it


JOBS: Hook[Job] = Hook("scheduled jobs")


def job(*, name: str, every: dt.timedelta, order: int = 100,
        timeout: dt.timedelta = dt.timedelta(minutes=30)) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Declare a periodic job in an app's scheduled.py."""

    def wrap(fn: Callable[[], str]) -> Callable[[], str]:
        JOBS.register(Job(name=name, run=fn, every=every, order=order, timeout=timeout))
        return fn

    return wrap


def all_jobs() -> list[Job]:
    autodiscover_modules("scheduled")  # imports every installed app's scheduled.py once
    return sorted(JOBS, key=lambda j: (j.order, j.name))


# --- The lease ------------------------------------------------------------------------

def new_holder() -> str:
    """Names this runner: host and process, to tell a crashed holder from a live one."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _holder_is_dead(holder: str) -> bool:
    """A holder on this host whose process is gone crashed: its lease is void at once."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False  # another machine's runner: only its lease's end frees the job
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _take(job: Job, holder: str, *, due_only: bool) -> bool:
    now = timezone.now()
    JobLease.objects.bulk_create([JobLease(name=job.name)], ignore_conflicts=True)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    current = JobLease.objects.filter(name=job.name).values_list("holder", "lease_until").first()
    if current and current[1] and current[1] >= now and _holder_is_dead(current[0]):
        free |= Q(holder=current[0])
    wanted = JobLease.objects.filter(Q(name=job.name) & free)
    if due_only:  # another runner may have just run it: then it is not due again yet
        wanted = wanted.filter(Q(last_started__isnull=True) | Q(last_started__lte=now - job.every * 0.9))
    return wanted.update(holder=holder, lease_until=now + job.timeout, last_started=now) == 1


def _release(job: Job, holder: str, *, ok: bool, summary: str) -> None:
    JobLease.objects.filter(name=job.name, holder=holder).update(
        holder="", lease_until=None, last_finished=timezone.now(), last_ok=ok,
        last_summary=summary[:300], runs=F("runs") + 1)


def run_job(job: Job, *, holder: str | None = None, due_only: bool = False) -> str | None:
    """Run one job under its lease; None when another runner holds it (or, with
    ``due_only``, when it ran less than an interval ago). A failure is logged by type and
    traceback only (an exception's message may quote personal data) and does not stop the
    other jobs of the pass."""
    holder = holder or new_holder()
    if not _take(job, holder, due_only=due_only):
        return None
    try:
        summary, ok = job.run(), True
    except Exception as exc:  # one job's failure must not stop the others
        summary, ok = f"failed: {type(exc).__name__}", False
        logger.error("job %s failed: %s\n%s", job.name, type(exc).__name__,
                     "".join(traceback.format_tb(exc.__traceback__)))
    _release(job, holder, ok=ok, summary=summary)
    return summary


def run_all(only: set[str] | None = None, *, due_only: bool = False) -> list[tuple[str, str]]:
    """One pass of every job (or those named in ``only``); returns (name, summary) for
    those that ran."""
    holder = new_holder()
    ran = []
    for j in all_jobs():
        if only is None or j.name in only:
            summary = run_job(j, holder=holder, due_only=due_only)
            if summary is not None:
                ran.append((j.name, summary))
    return ran


def passes() -> list[tuple[dt.timedelta, list[Job]]]:
    """The jobs grouped by interval, each group in its order: the worker runs a group as one
    pass, so clocks are recomputed before they are escalated."""
    by_every = sorted(all_jobs(), key=lambda j: (j.every, j.order, j.name))
    return [(every, list(group)) for every, group in groupby(by_every, key=lambda j: j.every)]


@job(name="core.purge_rate_counts", every=dt.timedelta(hours=1), order=95)
def _purge_rate_counts() -> str:
    return _("%(n)s expired rate-limit counts removed") % {"n": purge_expired()}
