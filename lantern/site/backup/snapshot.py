"""A consistent copy of the database, and the facts the manifest states about that copy.

PostgreSQL: a read-only REPEATABLE READ transaction exports its snapshot, pg_dump dumps
that very snapshot (``--snapshot``), and the counts, the chain head and the list of
evidence files are read in the same transaction, so they describe exactly the dump.
SQLite: the online backup API copies the database in one step under a read transaction
(WAL lets writers go on), and the facts are read from the copy.

Evidence files are written and synced before their row commits (evidence.storage.write,
evidence.services.attach_file), so every file a snapshot's rows name is on disk when the
files are copied after it; files written later are simply not in this backup.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from lantern.audit.models import AuditEntry, ChainHead, Checkpoint
from lantern.cases.models import Case
from lantern.evidence.models import EvidenceFile
from lantern.site.backup.errors import BackupError

FETCH = 10_000


@dataclass(frozen=True)
class Snapshot:
    engine: str  # "sqlite" or "postgresql"
    path: Path  # the database part
    facts: dict[str, Any]
    file_list: Path  # the evidence files' uuids, one a line, in uuid order

    @property
    def part_name(self) -> str:
        return "database.sqlite3" if self.engine == "sqlite" else "database.pgdump"


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _one(cursor: Any, sql: str) -> Any:
    cursor.execute(sql)
    return cursor.fetchone()


def facts(cursor: Any) -> dict[str, Any]:
    """Counts, chain head and migration heads, read through ``cursor`` (any DB-API cursor
    on a Lantern database): the same reading for the backup and for the restored copy."""
    head = _one(cursor, f"SELECT seq, hash FROM {_table(ChainHead)} WHERE id = 1")  # noqa: S608
    cursor.execute("SELECT app, name FROM django_migrations")
    migrations: dict[str, str] = {}
    for app, name in cursor.fetchall():
        migrations[app] = max(name, migrations.get(app, ""))
    return {
        "counts": {
            "cases": _one(cursor, f"SELECT COUNT(*) FROM {_table(Case)}")[0],  # noqa: S608
            "evidence_files": _one(cursor, f"SELECT COUNT(*) FROM {_table(EvidenceFile)}")[0],  # noqa: S608
            "audit_entries": _one(cursor, f"SELECT COUNT(*) FROM {_table(AuditEntry)}")[0],  # noqa: S608
            "audit_checkpoints": _one(cursor, f"SELECT COUNT(*) FROM {_table(Checkpoint)}")[0],  # noqa: S608
        },
        "audit_head": {"seq": head[0] if head else 0, "hash": head[1] if head else ""},
        "migrations": dict(sorted(migrations.items())),
    }


def write_file_list(cursor: Any, target: Path) -> None:
    cursor.execute(f"SELECT uuid FROM {_table(EvidenceFile)} ORDER BY uuid")  # noqa: S608
    with open(target, "w") as out:
        while rows := cursor.fetchmany(FETCH):
            out.writelines(f"{uuid.UUID(str(value))}\n" for (value,) in rows)


def take(scratch: Path) -> Snapshot:
    if connection.vendor == "postgresql":
        return _postgresql(scratch)
    if connection.vendor == "sqlite":
        return _sqlite(scratch)
    raise BackupError(details={"engine": connection.vendor})


def _sqlite(scratch: Path) -> Snapshot:
    copy, file_list = scratch / "database.sqlite3", scratch / "files.txt"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)  # pages=-1: one step, one consistent read
    finally:
        target.close()
    # Read the copy with sqlite3 itself: its own facts, whatever the live database does now.
    reader = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        cursor = reader.cursor()
        found = facts(cursor)
        write_file_list(cursor, file_list)
    finally:
        reader.close()
    return Snapshot("sqlite", copy, {**found, "server_version": sqlite3.sqlite_version}, file_list)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def libpq_env(settings_dict: dict[str, Any], **extra: str) -> tuple[str, dict[str, str]]:
    """A conninfo string for pg_dump / pg_restore, and their environment: the password
    travels in PGPASSWORD, never on a command line that `ps` shows."""
    options = settings_dict.get("OPTIONS", {}) or {}
    params = {"host": settings_dict.get("HOST"), "port": settings_dict.get("PORT"),
              "user": settings_dict.get("USER"), "dbname": settings_dict.get("NAME"),
              **{k: v for k, v in options.items() if k.startswith("ssl")}, **extra}
    conninfo = " ".join(f"{k}='{_quoted(str(v))}'" for k, v in params.items() if v not in (None, ""))
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return conninfo, env


def run_pg(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
    if done.returncode != 0:
        # pg_dump's message names objects and options, never row values.
        raise BackupError(details={"command": args[0], "stderr": done.stderr.strip()[-2000:]})


def _postgresql(scratch: Path) -> Snapshot:
    dump, file_list = scratch / "database.pgdump", scratch / "files.txt"
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot_id = _one(cursor, "SELECT pg_export_snapshot()")[0]
        conninfo, env = libpq_env(connection.settings_dict)
        run_pg(["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={dump}",
                f"--dbname={conninfo}"], env)
        found = facts(cursor)
        write_file_list(cursor, file_list)
        version = _one(cursor, "SHOW server_version")[0]
    return Snapshot("postgresql", dump, {**found, "server_version": version}, file_list)
