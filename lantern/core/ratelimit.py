"""A small fixed-window rate limiter on Django's cache (one per process with the default
cache; configure a shared cache, e.g. Redis, when running several processes)."""

from __future__ import annotations

import time

from django.core.cache import cache

from lantern.core.errors import RateLimited


def hit(key: str, *, limit: int, window_seconds: int) -> None:
    """Count one request for ``key``; raise RateLimited past ``limit`` in the window."""
    bucket = f"ratelimit:{key}:{int(time.time()) // window_seconds}"
    cache.add(bucket, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=window_seconds * 2)
        count = 1
    if count > limit:
        raise RateLimited(details={"retry_after_seconds": window_seconds})
