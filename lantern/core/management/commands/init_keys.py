"""python manage.py init_keys: make the master key file of a new installation.

Idempotent: an existing key file is left alone. Refuses when the database already holds
encrypted values but the key file is missing: that is a lost or unmounted key file to
restore from its backup, and new keys would only make a second, unrelated set."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from lantern.core.vault import rotation
from lantern.core.vault.keys import provider


def database_holds_tokens() -> bool:
    for model, field in rotation.encrypted_columns():
        table, column = model._meta.db_table, field.column
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} WHERE {column} LIKE %s LIMIT 1", ["e1.%"])  # noqa: S608
                if cursor.fetchone():
                    return True
        except DatabaseError:  # not migrated yet: nothing can be encrypted
            connection.rollback() if not connection.get_autocommit() else None
            return False
    return False


class Command(BaseCommand):
    help = "Create the key file for encrypted identity fields on a new installation (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        keys = provider()
        if keys.exists():  # type: ignore[attr-defined]
            self.stdout.write(f"key file present: {keys.path}")  # type: ignore[attr-defined]
            return
        if database_holds_tokens():
            raise CommandError(f"the database holds encrypted values but the key file {keys.path} is missing: "  # type: ignore[attr-defined]
                               "restore it from its backup; new keys could not read them")
        keys.create()  # type: ignore[attr-defined]
        self.stdout.write(f"key file created: {keys.path} (back it up apart from the database)")  # type: ignore[attr-defined]
