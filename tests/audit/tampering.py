"""What an attacker with direct database access would do, bypassing the application.
On PostgreSQL the append-only triggers must be switched off first (superuser only)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection, transaction


@contextlib.contextmanager
def triggers_off() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def raw(sql: str, params: list | None = None) -> None:
    # The statement runs in its own savepoint, so a refused one leaves the session usable.
    with triggers_off(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
