"""The periodic jobs run by themselves: the worker process (APScheduler) escalates an
overdue clock with nobody running a command; two workers at once run each job once; a
runner killed mid-job does not block the job; one failing job does not stop the others."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from lantern.core.models import JobLease
from lantern.core.scheduled import JOBS, Job, all_jobs, passes, run_all, run_job
from lantern.deadlines.models import DeadlineStatus
from tests.deadlines.test_sweep import overdue_case
from tests.processes import ROOT, child_env, rows, shared_database

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _until(check, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError("the worker did not get there in time")


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0, output[-3000:]
    return output


def test_the_worker_escalates_an_overdue_clock_with_nobody_running_a_command(units, tmp_path):
    _people, case, clock = overdue_case(units, days_late=0.1)
    shared = shared_database(tmp_path)
    worker = _worker(child_env(shared))
    try:
        _until(lambda: rows(shared, "SELECT status FROM deadlines_deadline WHERE id = ?", (clock.pk,))
               == [(DeadlineStatus.OVERDUE,)])
        _until(lambda: rows(shared, "SELECT last_ok FROM core_joblease WHERE name = 'notifications.deliver'")
               == [(True,)])
    finally:
        output = _stop(worker)
    assert "deadlines.escalate:" in output  # the worker's log names the job and its counts ...
    assert "测试" not in output  # ... and no one's name (the test report's people are 测试甲, 测试乙)
    told = rows(shared, "SELECT COUNT(*) FROM notifications_notification WHERE case_id = ? AND kind = ?",
                (case.pk, "deadline_overdue"))
    assert told == [(1,)]


def test_two_workers_at_once_run_each_job_once_per_interval(units, tmp_path):
    shared = shared_database(tmp_path)
    env = child_env(shared)
    workers = [_worker(env), _worker(env)]
    names = [j.name for j in all_jobs()]
    try:
        _until(lambda: rows(shared, "SELECT COUNT(*) FROM core_joblease WHERE last_finished IS NOT NULL")
               == [(len(names),)])
        time.sleep(2)  # the slower worker's first pass has come and gone
    finally:
        for w in workers:
            _stop(w)
    runs = dict(rows(shared, "SELECT name, runs FROM core_joblease"))
    assert runs == dict.fromkeys(names, 1)


def test_a_runner_killed_mid_job_leaves_a_lease_the_next_runner_takes_over(db):
    ran = []
    probe = Job(name="tests.probe", run=lambda: ran.append(1) or "ran", every=dt.timedelta(minutes=5))
    JOBS.register(probe)
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        host = socket.gethostname()[:40]
        JobLease.objects.create(name="tests.probe", holder=f"{host}:{dead.pid}:killed",
                                lease_until=timezone.now() + dt.timedelta(minutes=20))
        assert run_job(probe) == "ran"  # the holder's process is gone: its lease is void
        JobLease.objects.filter(name="tests.probe").update(
            holder="another-machine:1:x", lease_until=timezone.now() + dt.timedelta(minutes=20))
        assert run_job(probe) is None  # a live runner elsewhere: wait for its lease to end
        JobLease.objects.filter(name="tests.probe").update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        assert run_job(probe) == "ran"  # its lease ran out: it crashed, take over
        assert ran == [1, 1]
        assert JobLease.objects.get(name="tests.probe").runs == 2
    finally:
        JOBS.unregister(probe)


def test_one_failing_job_is_logged_without_its_message_and_the_others_still_run(db, caplog):
    message = "".join(["张三", " 139", "00000001"])  # split, so the traceback's source line does not hold it

    def broken() -> str:
        raise ValueError(message)

    jobs = [Job(name="tests.broken", run=broken, every=dt.timedelta(minutes=1), order=1),
            Job(name="tests.fine", run=lambda: "fine", every=dt.timedelta(minutes=1), order=2)]
    for j in jobs:
        JOBS.register(j)
    try:
        with caplog.at_level(logging.ERROR, logger="lantern.jobs"):
            ran = dict(run_all({"tests.broken", "tests.fine"}))
    finally:
        for j in jobs:
            JOBS.unregister(j)
    assert ran == {"tests.broken": "failed: ValueError", "tests.fine": "fine"}
    assert "tests.broken" in caplog.text and "ValueError" in caplog.text
    assert "张三" not in caplog.text and "13900000001" not in caplog.text
    assert JobLease.objects.get(name="tests.broken").last_ok is False


def test_a_due_pass_skips_what_ran_within_its_interval_and_a_forced_pass_does_not(db):
    first = dict(run_all(due_only=True))
    assert set(first) == {j.name for j in all_jobs()}
    assert run_all(due_only=True) == []  # nothing is due again a moment later
    JobLease.objects.filter(name="deadlines.escalate").update(
        last_started=timezone.now() - dt.timedelta(minutes=6))  # its 5 minutes have passed
    assert [name for name, _ in run_all(due_only=True)] == ["deadlines.escalate"]
    assert len(run_all()) == len(first)  # run_jobs --all runs every job


def test_jobs_of_one_interval_run_as_one_pass_in_their_order(db):
    groups = {every: [j.name for j in jobs] for every, jobs in passes()}
    five = groups[dt.timedelta(minutes=5)]
    assert five.index("deadlines.recompute_provisional") < five.index("deadlines.escalate")
    assert sum(len(g) for g in groups.values()) == len(all_jobs())


def test_make_run_starts_the_worker_beside_the_web_server():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "manage.py run_worker &" in recipe and "gunicorn" in recipe
    assert os.access(ROOT / "manage.py", os.R_OK)
