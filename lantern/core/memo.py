"""What a read-only request works out once: a GET or HEAD changes nothing (its audit
entries aside), so the answer to "which cases may this user see" cannot change while it
runs, and the case page asks it a dozen times (the case, its suspects, evidence, history
each go through the access policy). Outside such a request (an action, a job, a test
calling a selector) nothing is remembered."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("lantern_read_memo", default=None)


@contextlib.contextmanager
def read_only_request(active: bool) -> Iterator[None]:
    token = _memo.set({} if active else None)
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
