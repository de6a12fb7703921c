"""The one way state changes: named, keyword-only, atomic actions.

An action takes the acting user, checks its guards, changes state and writes its audit
entry, all in one transaction; side effects (e-mail, alerts) go in
``transaction.on_commit``. Views, API endpoints, commands and tests call the same action.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

REGISTRY: dict[str, Callable[..., object]] = {}


def action(fn: Callable[P, R]) -> Callable[P, R]:
    """Declare ``fn`` an action: callable with keyword arguments only, run atomically."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args:
            raise TypeError(f"{fn.__name__} is an action: pass keyword arguments only")
        with transaction.atomic():
            return fn(**kwargs)

    run.is_action = True  # type: ignore[attr-defined]
    REGISTRY[f"{fn.__module__}.{fn.__name__}"] = run
    return run
