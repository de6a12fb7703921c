"""Race real database connections: each worker in its own thread (its own connection),
all released at once by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def race(workers: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(worker)`` in ``workers`` threads started together; the errors they raised."""
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        try:
            barrier.wait()
            work(worker)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
