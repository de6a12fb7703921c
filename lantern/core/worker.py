"""The job worker (``manage.py run_worker``): APScheduler times each group of jobs that
share an interval (core.scheduled.passes) and runs the group as one pass, every job under
its lease. ``make run`` starts one beside gunicorn; in production it is one more process
(README, "Deployment"). Two workers by mistake are harmless: the leases and the due check
let each job run once per interval."""

from __future__ import annotations

import datetime as dt
import logging
import signal
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.db import close_old_connections
from django.utils import timezone

from lantern.core.context import origin
from lantern.core.models import JobLease
from lantern.core.scheduled import Job, new_holder, passes, run_job

logger = logging.getLogger("lantern.jobs")


def _run_pass(jobs: list[Job], holder: str) -> None:
    # A pass runs in a pool thread with its own connection: drop one the database closed
    # (a restart, an idle timeout) before using it, and one past its age after.
    close_old_connections()
    try:
        with origin("worker"):
            for job in jobs:
                summary = run_job(job, holder=holder, due_only=True)
                if summary is not None:
                    logger.info("%s: %s", job.name, summary)
    finally:
        close_old_connections()


def _first_run(jobs: list[Job], every: dt.timedelta) -> dt.datetime:
    """Soon after a restart for a group that is due; otherwise when its first job is."""
    now = timezone.now()
    started = dict(JobLease.objects.filter(name__in=[j.name for j in jobs]).values_list("name", "last_started"))
    if any(started.get(j.name) is None for j in jobs):
        return now
    return max(now, min(started.values()) + every)


def build(holder: str | None = None) -> BlockingScheduler:
    holder = holder or new_holder()
    scheduler = BlockingScheduler(
        timezone=dt.UTC, executors={"default": ThreadPoolExecutor(2)},
        # A pass missed while the machine slept runs once, not once per missed interval.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    for every, jobs in passes():
        scheduler.add_job(_run_pass, IntervalTrigger(seconds=every.total_seconds(), timezone=dt.UTC),
                          args=[jobs, holder], id=f"every-{int(every.total_seconds())}s",
                          name=", ".join(j.name for j in jobs), next_run_time=_first_run(jobs, every))
    return scheduler


def serve() -> None:
    scheduler = build()

    def stop(*_: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    for job in scheduler.get_jobs():
        logger.info("scheduled %s (%s)", job.name, job.trigger)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
