"""Who and where a change comes from, for the audit log, without passing the request
into every action. The request middleware sets it; commands set it to "cli"."""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    source: str  # an IP address, or "cli" / "system"
    request_id: str


_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "lantern_origin", default=Origin(source="system", request_id="")  # noqa: B039 (frozen)
)


def current_origin() -> Origin:
    return _origin.get()


@contextlib.contextmanager
def origin(source: str, request_id: str | None = None) -> Iterator[Origin]:
    value = Origin(source=source, request_id=request_id or uuid.uuid4().hex)
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)
