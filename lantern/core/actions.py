"""The one way state changes: named, keyword-only, atomic actions.

An action takes the acting user, checks its guards, changes state and writes its audit
entry, all in one transaction; side effects (e-mail, alerts) go in
``transaction.on_commit``. Views, API endpoints, commands and tests call the same action.

When an action is refused (PermissionDenied) its transaction rolls back, and the refusal
itself is then audited in a transaction of its own: attempts to do what one may not are
exactly what a discipline inspector looks for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction
from django.db.models import Model

from lantern.core.errors import PermissionDenied
from lantern.core.registry import Hook

P = ParamSpec("P")
R = TypeVar("R")

REGISTRY: dict[str, Callable[..., object]] = {}
# Who records a refusal: the audit app registers its writer from AuditConfig.ready (it
# stands above core, so core cannot call it by name).
REFUSAL_RECORDERS: Hook[Callable[..., None]] = Hook("refusal recorders")


def _audit_refusal(name: str, kwargs: dict[str, object]) -> None:
    target = next((v for k, v in kwargs.items() if k != "actor" and isinstance(v, Model)), None)
    with transaction.atomic():
        for recorder in REFUSAL_RECORDERS:
            recorder(actor=kwargs.get("actor"), action=name, obj=target)


def action(fn: Callable[P, R]) -> Callable[P, R]:
    """Declare ``fn`` an action: callable with keyword arguments only, run atomically."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args:
            raise TypeError(f"{fn.__name__} is an action: pass keyword arguments only")
        try:
            with transaction.atomic():
                return fn(**kwargs)
        except PermissionDenied:
            _audit_refusal(fn.__name__, kwargs)
            raise

    run.is_action = True  # type: ignore[attr-defined]
    REGISTRY[f"{fn.__module__}.{fn.__name__}"] = run
    return run
