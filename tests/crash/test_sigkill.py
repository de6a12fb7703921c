"""Nothing lost in a crash (issue 17, item 5). Officers register reports and upload evidence
through the API of a gunicorn that is killed with SIGKILL at random moments, a hundred
times; on PostgreSQL the database server is killed with SIGKILL twenty times more. Then:
every write the API acknowledged is there, nothing is half-written, the audit chain
verifies with every acknowledged entry in it, and no evidence file lacks its row or its
row its file. A report whose request was cut off is sent again with the same
Idempotency-Key until it is acknowledged, and is registered exactly once.

The test makes its own database (a SQLite file, or a PostgreSQL cluster of its own, which
it may kill) and serves it with gunicorn as production does; tests/crash/world.py sets it
up and checks it in a process with the application's settings."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from faker import Faker

from tests.crash.bodies import evidence_fields, multipart, report

pytestmark = pytest.mark.crash

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
APP_KILLS = 100
PG_KILLS = 20
# After a crash PostgreSQL syncs its data directory before it replays the WAL: file by file
# (its default) that took 0.3-2 s a restart on this machine, with one syncfs() 0.3 s. Both
# make what the dead server wrote durable (and a SIGKILL loses nothing of the page cache).
RECOVERY_SYNC = ["-c", "recovery_init_sync_method=syncfs"]
WINDOW = (0.05, 0.3)  # seconds of writing between two kills
WORKERS = 2  # gunicorn's, one per core
INTAKE_WRITERS, EVIDENCE_WRITERS = 2, 2
RETRY_AFTER = 0.1  # seconds before a writer tries again after a failure (not a busy loop while PostgreSQL is down)
# A report takes 0.15-0.5 s to register on two busy cores, an upload 0.15-0.3 s: few finish
# within a random window. Every fifth window lasts until a report and an upload were
# acknowledged in it, so that the kills after it have acknowledged writes to lose.
ACKED_EVERY = 5
DRAIN_SECONDS = 90  # after the last kill: the reports cut off are sent again until acknowledged


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError):
            continue
        if int(ppid) == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def sigkill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.005)


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# --- PostgreSQL: a cluster of the test's own, which it may kill ----------------------------

@dataclass
class Cluster:
    """Made by scripts/pg.sh, then run in the foreground as the test's own child, so that
    a killed postmaster is reaped at once and its lock file freed for the restart."""

    dir: Path
    port: int
    url: str = ""
    server: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls) -> Cluster:
        cluster = cls(Path(tempfile.mkdtemp(prefix="lantern-crash-pg.")), free_port())
        cluster.url = run(["scripts/pg.sh", "start", str(cluster.dir), str(cluster.port)], dict(os.environ)).strip()
        with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE lantern")
        run(["scripts/pg.sh", "stop", str(cluster.dir)], dict(os.environ))
        cluster.restart()
        return cluster

    @property
    def admin_url(self) -> str:
        return self.url.rsplit("/", 1)[0] + "/postgres"

    def restart(self) -> None:
        """With scripts/pg.sh's settings; the server recovers from its WAL before it answers."""
        binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))[-1]
        as_pg = {"user": "postgres", "group": "postgres", "extra_groups": []} if os.getuid() == 0 else {}
        with open(self.dir / "log", "ab") as log:
            self.server = subprocess.Popen(
                [str(binary), "-D", str(self.dir / "data"), "-c", "listen_addresses=127.0.0.1", "-p", str(self.port),
                 "-k", str(self.dir), "-c", "fsync=on", "-c", "max_connections=100", *RECOVERY_SYNC],
                stdout=log, stderr=log, start_new_session=True, **as_pg)
        deadline = time.monotonic() + 120
        while True:
            assert self.server.poll() is None, (self.dir / "log").read_text()[-3000:]
            try:
                psycopg.connect(self.admin_url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                assert time.monotonic() < deadline, (self.dir / "log").read_text()[-3000:]
                time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL the postmaster, then whatever of its backends still runs: the server
        dies as a machine would lose it, with no shutdown checkpoint and transactions in
        flight. (Backends left running would hold the old shared memory and refuse the restart.)"""
        postmaster = int((self.dir / "data" / "postmaster.pid").read_text().split()[0])
        backends = children(postmaster)
        sigkill([postmaster])
        sigkill(backends + children(postmaster))
        self.server.wait(30)

    def remove(self) -> None:
        subprocess.run(["scripts/pg.sh", "stop", str(self.dir)], cwd=REPO, capture_output=True, check=False)
        if self.server is not None:
            self.server.wait(30)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- The application: gunicorn, warmed in its master so that a worker forks ready --------

class App:
    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log, self.port = env, log, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, token: str) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(Path(PY).parent / "gunicorn"), "tests.crash.app:application", "--preload", "-w", str(WORKERS),
                 "-b", f"127.0.0.1:{self.port}", "--no-control-socket"],
                cwd=REPO, env=self.env, stdout=out, stderr=out, start_new_session=True)
        self.wait_ready(token, timeout=120)

    def workers(self) -> list[int]:
        return children(self.proc.pid)

    def kill_workers(self) -> int:
        killed = self.workers()
        sigkill(killed)
        return len(killed)

    def wait_ready(self, token: str, timeout: float = 120) -> None:
        """Until a worker answers a signed-in request (so the database answers too)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            if request(self.port, "GET", "/api/v1/me", token=token)[0] == 200:
                return
            time.sleep(0.05)
        raise AssertionError(f"the application did not come back: {self.log.read_text()[-3000:]}")

    def wait_respawned(self) -> None:
        """Until the master has forked every worker again (the writers' requests, queued
        meanwhile, are then served at once)."""
        deadline = time.monotonic() + 30
        while len(self.workers()) < WORKERS:
            assert time.monotonic() < deadline, self.log.read_text()[-3000:]
            time.sleep(0.002)

    def kill(self) -> None:
        if self.proc is not None:
            sigkill([self.proc.pid, *self.workers()])
            self.proc.wait()


def request(port: int, method: str, path: str, body: bytes | None = None, *, token: str,
            headers: dict[str, str] | None = None) -> tuple[int | None, bytes]:
    """The status and body, or None when the connection was lost (the worker was killed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body, {"Authorization": f"Bearer {token}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return None, b""
    finally:
        conn.close()


# --- The writers: officers at the API, each in a thread of the test ----------------------

@dataclass
class Writers:
    port: int
    world: dict[str, Any]
    stop: threading.Event = field(default_factory=threading.Event)
    give_up_at: float = float("inf")
    cases: list[dict[str, Any]] = field(default_factory=list)  # acknowledged: id and key
    evidence: list[dict[str, Any]] = field(default_factory=list)  # acknowledged: item, file, digest
    keys_sent: set[str] = field(default_factory=set)
    cut_off: int = 0  # requests whose answer never came or was a 5xx
    refused: list[str] = field(default_factory=list)  # any 4xx: a crash must not cause one
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        jobs = [self._intake] * INTAKE_WRITERS + [self._upload] * EVIDENCE_WRITERS
        self.threads = [threading.Thread(target=self._guarded, args=(job, n), daemon=True)
                        for n, job in enumerate(jobs)]
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        """Stop writing; a report still unacknowledged is sent again until it is."""
        self.give_up_at = time.monotonic() + DRAIN_SECONDS
        self.stop.set()
        for t in self.threads:
            t.join(DRAIN_SECONDS + 30)

    def _guarded(self, job: Any, writer: int) -> None:
        try:
            job(writer)
        except Exception as exc:  # a writer that dies is a failure of the test, told at the end
            self.refused.append(f"writer {writer} failed: {exc!r}")

    def wait_for_acks(self, timeout: float = 120) -> None:
        cases, evidence = len(self.cases), len(self.evidence)
        deadline = time.monotonic() + timeout
        while len(self.cases) == cases or len(self.evidence) == evidence:
            assert time.monotonic() < deadline, f"no write acknowledged in {timeout} s: {self.refused[-3:]}"
            time.sleep(0.01)

    def _intake(self, writer: int) -> None:
        fake = Faker("zh_CN")
        fake.seed_instance(writer)
        while not self.stop.is_set():
            key, body = str(uuid.uuid4()), json.dumps(report(fake)).encode()
            self.keys_sent.add(key)
            while not self._register(key, body):
                if time.monotonic() > self.give_up_at:
                    return
                time.sleep(RETRY_AFTER)

    def _register(self, key: str, body: bytes) -> bool:
        status, answer = request(self.port, "POST", "/api/v1/cases", body, token=self.world["intake_token"],
                                 headers={"Content-Type": "application/json", "Idempotency-Key": key})
        if status == 201:
            self.cases.append({"id": json.loads(answer)["id"], "key": key})
            return True
        return self._failed(status, answer)

    def _upload(self, writer: int) -> None:
        rng = random.Random(writer)
        while not self.stop.is_set():
            case = rng.choice(self.world["cases"])
            content = b"%PDF-1.4\n" + os.urandom(rng.randint(16, 256) * 1024) + b"\n%%EOF\n"
            body, content_type = multipart(evidence_fields(), content)
            status, answer = request(self.port, "POST", f"/api/v1/cases/{case}/evidence", body,
                                     token=self.world["supervisor_token"], headers={"Content-Type": content_type})
            if status == 201:
                done = json.loads(answer)
                self.evidence.append({"item": done["id"], "file": done["file_id"], "sha256": done["sha256"]})
            elif not self._failed(status, answer):
                time.sleep(RETRY_AFTER)

    def _failed(self, status: int | None, answer: bytes) -> bool:
        """False when the request may be tried again (cut off, or the server failed)."""
        if status is None or status >= 500:
            self.cut_off += 1
            return False
        self.refused.append(f"{status}: {answer[:300]!r}")
        return True


# --- The run ----------------------------------------------------------------------------

def app_env(var: Path, database_url: str | None) -> dict[str, str]:
    """The application's environment: the test's database and files only, nothing of
    the suite's (its LANTERN_* and DATABASE_URL are left out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_") and k != "DATABASE_URL"}
    env.update(LANTERN_TESTING="1", LANTERN_VAR_DIR=str(var), LANTERN_SECRET_KEY=secrets.token_urlsafe(50),
               LANTERN_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="lantern.settings", PYTHONPATH=str(REPO))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def crash(tmp: Path, cluster: Cluster | None) -> dict[str, Any]:
    env = app_env(tmp / "var", cluster.url if cluster else None)
    clock = Stopwatch()
    world = json.loads(run([PY, "-m", "tests.crash.world", "setup"], env))
    app = App({**env, "CRASH_WARM_TOKEN": world["intake_token"]}, tmp / "gunicorn.log")
    writers = Writers(0, world)
    plan = ["app"] * APP_KILLS + ["postgresql"] * (PG_KILLS if cluster else 0)
    random.shuffle(plan)
    try:
        app.start(world["supervisor_token"])
        clock.lap("setup")
        writers.port = app.port
        writers.start()
        spent = kill_repeatedly(plan, app, cluster, writers)
        clock.lap("killing")
        acked_while_killing = (len(writers.cases), len(writers.evidence))
        writers.finish()
        clock.lap("drain")
    finally:
        writers.stop.set()
        app.kill()
    (tmp / "acked.json").write_text(json.dumps({"cases": writers.cases, "evidence": writers.evidence}))
    found = json.loads(run([PY, "-m", "tests.crash.world", "check", str(tmp / "acked.json")], env))
    clock.lap("check")
    found.update(app_kills=plan.count("app"), postgresql_kills=plan.count("postgresql"), seconds=clock.laps,
                 killing_seconds=spent,
                 acked_while_killing=acked_while_killing, acked_cases=len(writers.cases),
                 acked_evidence=len(writers.evidence), keys_sent=len(writers.keys_sent), cut_off=writers.cut_off,
                 refused=writers.refused, threads_left=sum(t.is_alive() for t in writers.threads))
    print(json.dumps({k: v for k, v in found.items() if k != "problems"}), f"problems: {len(found['problems'])}")
    return found


def kill_repeatedly(plan: list[str], app: App, cluster: Cluster | None, writers: Writers) -> dict[str, float]:
    """Each kill after a random window of writing. However slow the machine, some windows
    must see writes acknowledged, for the kills after them to have something to lose: every
    ACKED_EVERY-th window lasts until a report and an upload were. Returns the seconds spent."""
    spent = {"windows": 0.0, "app": 0.0, "postgresql": 0.0}
    for n, target in enumerate(plan):
        started = time.monotonic()
        if n % ACKED_EVERY == 0:
            writers.wait_for_acks()
        time.sleep(random.uniform(*WINDOW))
        killing = time.monotonic()
        spent["windows"] += killing - started
        if target == "app":
            assert app.kill_workers() == WORKERS
            app.wait_respawned()
        else:
            cluster.kill()
            cluster.restart()
        spent[target] += time.monotonic() - killing
    return {k: round(v, 1) for k, v in spent.items()}


class Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name], self.last = round(now - self.last, 1), now


def assert_nothing_lost(found: dict[str, Any]) -> None:
    assert found["problems"] == [], "\n".join(found["problems"][:50])
    assert found["refused"] == []
    assert found["threads_left"] == 0, "a report cut off was never acknowledged"
    # Every report sent was acknowledged in the end (sent again after each cut), and is one case.
    assert found["acked_cases"] == found["keys_sent"] == found["counts"]["cases_by_api"]
    cases, evidence = found["acked_while_killing"]
    assert min(cases, evidence) >= APP_KILLS // ACKED_EVERY, "too few writes acknowledged between kills"
    assert found["cut_off"] > 0, "no kill ever cut a request off"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL run kills the application there")
def test_killing_the_application_a_hundred_times_loses_nothing_on_sqlite(tmp_path):
    assert_nothing_lost(crash(tmp_path, None))


@pytest.mark.postgresql
def test_killing_the_application_and_postgresql_loses_nothing(tmp_path):
    cluster = Cluster.start()
    try:
        assert_nothing_lost(crash(tmp_path, cluster))
    finally:
        cluster.remove()
