"""Migrations that put existing plaintext columns under encryption (and back).

Raw SQL on purpose: the historical models' fields would try to decrypt the plaintext
they are about to encrypt. Each column carries the context its field binds the
ciphertext to ("app.model.field"); a value that is already a token is left alone, so
a migration interrupted half-way can simply be run again."""

from __future__ import annotations

import json
from typing import Any

from lantern.core.vault import crypto
from lantern.core.vault.blind import IdKind, digest, handle, name_dob


def _rows(cursor: Any, table: str, column: str) -> list[tuple[Any, str]]:
    cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")  # noqa: S608
    return list(cursor.fetchall())


def _canonical(column: str, value: Any) -> str:
    if column == "accounts":  # JSON stored as text: the field's own serialisation
        return json.dumps(json.loads(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def _is_ours(value: str, context: str) -> bool:
    """Already encrypted? Only if it decrypts: a plaintext that happens to start "e1." is
    still plaintext."""
    if not crypto.is_token(value):
        return False
    try:
        crypto.decrypt(value, context=context)
    except crypto.UnreadableValue:
        return False
    return True


def _prepare(connection: Any) -> None:
    """PostgreSQL: run deferred checks at once (or the ALTER TABLE that follows in the same
    transaction meets "pending trigger events"), and dates as ISO text whatever the
    server's DateStyle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL DateStyle TO ISO")


def iso_dates(apps: Any, schema_editor: Any) -> None:
    """Before a date column is turned into text: the cast then writes ISO dates."""
    _prepare(schema_editor.connection)


def encrypt_columns(schema_editor: Any, columns: list[tuple[str, str, str]]) -> None:
    """columns: (table, column, context)."""
    _prepare(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        for table, column, context in columns:
            for pk, value in _rows(cursor, table, column):
                if not _is_ours(str(value), context):
                    token = crypto.encrypt(_canonical(column, value), context=context)
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [token, pk])  # noqa: S608


def decrypt_columns(schema_editor: Any, columns: list[tuple[str, str, str]]) -> None:
    _prepare(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        for table, column, context in columns:
            for pk, value in _rows(cursor, table, column):
                if _is_ours(str(value), context):
                    plain = crypto.decrypt(value, context=context)
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [plain, pk])  # noqa: S608


def index_existing_people(apps: Any, schema_editor: Any) -> None:
    """Blind indexes for cases registered before there were any (plaintext still readable)."""
    identifier = apps.get_model("people", "Identifier")
    rows = []
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT v.case_id, v.name, v.date_of_birth FROM cases_victim v")
        for case_id, name, born in cursor.fetchall():
            rows.append((case_id, "victim", None, IdKind.NAME_DOB, name_dob(name, born)))
        cursor.execute("SELECT id, case_id, phone, accounts FROM cases_suspect")
        for pk, case_id, phone, accounts in cursor.fetchall():
            rows.append((case_id, "suspect", pk, IdKind.PHONE, phone))
            for account in json.loads(accounts) if isinstance(accounts, str) else accounts or []:
                rows.append((case_id, "suspect", pk, IdKind.HANDLE,
                             handle(account.get("platform", ""), account.get("handle", ""))))
    objs = [identifier(case_id=c, role=r, suspect_id=s, kind=k, digest=d)
            for c, r, s, k, raw in rows if (d := digest(k, raw))]
    identifier.objects.bulk_create(objs)


def unindex_people(apps: Any, schema_editor: Any) -> None:
    """Reverse of index_existing_people: the digests are rebuilt when it runs again."""
    _prepare(schema_editor.connection)
    apps.get_model("people", "Identifier").objects.all().delete()


def encrypt_operation(columns: list[tuple[str, str, str]]) -> Any:
    """The RunPython a migration adds after turning these columns into encrypted fields."""
    from django.db import migrations

    return migrations.RunPython(lambda apps, editor: encrypt_columns(editor, columns),
                                lambda apps, editor: decrypt_columns(editor, columns))
