"""Audit append throughput: N writer threads, each on its own database connection, each
append its own transaction (as an action's would be). Prints entries per second.

    make bench            (starts a throwaway PostgreSQL and runs every benchmark)
    DATABASE_URL=... python bench/audit_append.py --writers 1 4 16 --seconds 5
Target (issue 2): at least 2,000 entries/s with 16 writers on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from processes import rate_in_processes  # noqa: E402

from lantern.audit.services import record  # noqa: E402
from lantern.audit.verify import verify_chain  # noqa: E402
from lantern.core.actions import action  # noqa: E402

TARGET_AT_16 = 2000


@action
def append_one(*, n: int) -> None:
    record(actor=None, action="bench.append", object_type="bench", object_id=str(n), details={"n": n})


def run(writers: int, seconds: float) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * writers
    barrier = threading.Barrier(writers + 1)

    def work(i: int) -> None:
        barrier.wait()
        while time.monotonic() < stop:
            append_one(n=counts[i])
            counts[i] += 1
        connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    started = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def run_processes(writers: int, seconds: float) -> float:
    """Writers as separate processes, as web server workers are."""
    return rate_in_processes(lambda n: append_one(n=n), writers, seconds)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"audit append on {connection.vendor}, {args.seconds:.0f} s per run, one transaction per entry")
    results = {}
    for writers in args.writers:
        threads = run(writers, args.seconds)
        results[writers] = run_processes(writers, args.seconds)
        print(f"  {writers:>3} writers: {results[writers]:8.0f} entries/s as processes, "
              f"{threads:8.0f} as threads of one process")
    report = verify_chain()
    print(f"  chain after the runs: {'intact' if report.ok else report.problem}, {report.checked} entries")
    if 16 in results:
        verdict = "meets" if results[16] >= TARGET_AT_16 else "MISSES"
        print(f"  16 writer processes: {verdict} the target of {TARGET_AT_16} entries/s")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
