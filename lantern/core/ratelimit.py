"""A fixed-window rate limiter whose counts live in the database, so every gunicorn worker
and every machine behind the same database shares them (a per-process cache would let
each worker grant the whole limit again).

One statement counts a request: an upsert that adds one and returns the new count, atomic
on PostgreSQL and SQLite (3.35+) alike. The count commits with the surrounding transaction;
a refused request's own increment may roll back with it, which changes nothing, since the
count is then already at the limit."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.utils import timezone

from lantern.core.errors import RateLimited
from lantern.core.models import RateCount

_COUNT = """
INSERT INTO core_ratecount (key, window_no, count, expires_at) VALUES (%s, %s, 1, %s)
ON CONFLICT (key, window_no) DO UPDATE SET count = core_ratecount.count + 1
RETURNING count
"""


def hit(key: str, *, limit: int, window_seconds: int) -> None:
    """Count one request for ``key``; raise RateLimited past ``limit`` in the window."""
    window_no = int(time.time()) // window_seconds
    expires = timezone.now() + dt.timedelta(seconds=window_seconds * 2)
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [key[:200], window_no, expires])
        count = cursor.fetchone()[0]
    if count > limit:
        raise RateLimited(details={"retry_after_seconds": window_seconds})


def purge_expired() -> int:
    """Forget the counts of windows long gone (a periodic job); returns how many."""
    deleted, _ = RateCount.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
