"""Re-wrapping every encrypted value's data key under the current master key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from lantern.core.vault import crypto
from lantern.core.vault.fields import _Encrypted
from lantern.core.vault.keys import provider

BATCH = 500
RETRIES = 3


def encrypted_columns() -> Iterator[tuple[Any, Any]]:
    """(model, field) for every encrypted field of every installed model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, _Encrypted):
                yield model, field


def _raw(model: Any, field: Any, after: int) -> list[tuple[int, str]]:
    table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s AND {column} IS NOT NULL "  # noqa: S608
                       f"AND {column} <> '' ORDER BY {pk} LIMIT %s", [after, BATCH])
        return list(cursor.fetchall())


def _swap(model: Any, field: Any, pk: int, old: str, new: str) -> bool:
    """Replace old by new only if nobody changed the value meanwhile."""
    table, column, pk_col = model._meta.db_table, field.column, model._meta.pk.column
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk_col} = %s AND {column} = %s",  # noqa: S608
                       [new, pk, old])
        return cursor.rowcount == 1


def rewrap_column(model: Any, field: Any) -> int:
    """Re-wrap the column's values not under the current key. A row changed between the
    read and the update is read again (up to RETRIES times): the application wrote it
    meanwhile, usually under the current key already."""
    current, done, after = provider().current_key_id(), 0, 0
    while rows := _raw(model, field, after):
        for pk, token in rows:
            after = pk
            for _attempt in range(RETRIES):
                if not (crypto.is_token(token) and crypto.key_id_of(token) != current):
                    break
                if _swap(model, field, pk, token, crypto.rewrap(token)):
                    done += 1
                    break
                token = _one(model, field, pk)
    return done


def _one(model: Any, field: Any, pk: int) -> str:
    table, column, pk_col = model._meta.db_table, field.column, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_col} = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row and row[0] else ""


def rewrap_all() -> dict[str, int]:
    return {f"{m._meta.db_table}.{f.column}": rewrap_column(m, f) for m, f in encrypted_columns()}


def values_not_under(key_id: str) -> int:
    left = 0
    for model, field in encrypted_columns():
        after = 0
        while rows := _raw(model, field, after):
            after = rows[-1][0]
            left += sum(1 for _pk, t in rows if crypto.is_token(t) and crypto.key_id_of(t) != key_id)
    return left
