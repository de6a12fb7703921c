"""Run one piece of work repeatedly in N forked processes, each on its own database
connection, for a fixed time, and return the operations per second (as web workers)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from django.db import connections


def _worker(work: Callable[[int], None], seconds: float, start_at: float, out: Any) -> None:
    connections.close_all()  # never share the parent's connection
    while time.time() < start_at:
        time.sleep(0.001)
    stop, n = time.time() + seconds, 0
    while time.time() < stop:
        work(n)
        n += 1
    out.put(n)


def rate_in_processes(work: Callable[[int], None], processes: int, seconds: float) -> float:
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.5
    procs = [ctx.Process(target=_worker, args=(work, seconds, start_at, out)) for _ in range(processes)]
    for p in procs:
        p.start()
    total = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    return total / seconds
