"""Where a restored database waits while it is checked, and how it takes the installation's
place: a file beside the SQLite database, or a second database on the PostgreSQL server.

While it is checked, Django's default connection points at it (the restore command is a
process of its own, so nothing else shares that connection). The database it replaces is
renamed aside when it holds anything, never dropped, and removed when it holds nothing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, OperationalError, connection
from django.utils.translation import gettext as _

from lantern.cases.models import Case
from lantern.site.backup.errors import RestoreRefused
from lantern.site.backup.snapshot import libpq_env, run_pg


class Place:
    engine = ""

    def __init__(self, stamp: str) -> None:
        self.stamp = stamp
        self.target = connection.settings_dict["NAME"]

    def cases_held(self) -> int:
        raise NotImplementedError

    def staged_part(self, scratch: Path) -> Path:
        raise NotImplementedError

    def load(self, part: Path) -> None:
        """Make the staged part a database the connection can point at."""

    @contextmanager
    def pointed(self) -> Iterator[None]:
        connection.close()
        connection.settings_dict["NAME"] = self.staged_name()
        try:
            yield
        finally:
            self.before_close()
            connection.close()
            connection.settings_dict["NAME"] = self.target

    def staged_name(self) -> str:
        raise NotImplementedError

    def before_close(self) -> None:
        """Anything the checked database needs before it is closed for good."""

    def install(self) -> str | None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError


class SQLitePlace(Place):
    engine = "sqlite"

    @property
    def path(self) -> Path:
        return Path(self.target)

    @property
    def staged(self) -> Path:
        return self.path.with_name(f".{self.path.name}.restoring-{self.stamp}")

    def _tables(self) -> tuple[bool, int]:
        """(whether the file holds any table, how many cases)."""
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return False, 0
        reader = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            names = {row[0] for row in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            table = Case._meta.db_table
            cases = reader.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] if table in names else 0  # noqa: S608
            return bool(names), cases
        finally:
            reader.close()

    def cases_held(self) -> int:
        return self._tables()[1]

    def staged_part(self, scratch: Path) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.staged

    def staged_name(self) -> str:
        return str(self.staged)

    def before_close(self) -> None:
        # Everything into the main file, so the file alone is the database when moved.
        if connection.connection is None:
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError:  # a check failed mid-way: the staged file is discarded anyway
            pass

    def _companions(self, path: Path) -> list[Path]:
        return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]

    def install(self) -> str | None:
        connection.close()
        has_tables, _cases = self._tables()
        replaced = None
        if has_tables:
            replaced = self.path.with_name(f"{self.path.name}.replaced-{self.stamp}")
            for old, new in zip(self._companions(self.path), self._companions(replaced), strict=True):
                if old.exists():
                    os.replace(old, new)
        else:
            for old in self._companions(self.path):
                old.unlink(missing_ok=True)
        for leftover in self._companions(self.staged)[1:]:
            leftover.unlink(missing_ok=True)
        os.replace(self.staged, self.path)
        _sync_dir(self.path.parent)
        return str(replaced) if replaced else None

    def discard(self) -> None:
        connection.close()
        for path in self._companions(self.staged):
            path.unlink(missing_ok=True)


class PostgresPlace(Place):
    engine = "postgresql"

    def __init__(self, stamp: str) -> None:
        super().__init__(stamp)
        self.temporary = f"{self.target[:40]}_restore_{stamp.lower()}"
        self.loaded = False

    def _quote(self, name: str) -> str:
        return connection.ops.quote_name(name)

    def _exists(self, name: str) -> bool:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _others_connected(self) -> bool:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                           [self.target])
            return cursor.fetchone() is not None

    def _tables(self) -> tuple[bool, int]:
        try:
            connection.ensure_connection()
        except OperationalError:
            return False, 0
        try:
            names = set(connection.introspection.table_names())
            if Case._meta.db_table not in names:
                return bool(names), 0
            return True, Case.objects.count()
        finally:
            connection.close()

    def cases_held(self) -> int:
        if not self._exists(self.target):
            return 0
        if self._others_connected():
            raise RestoreRefused(_("Other sessions are connected to the database %(name)s: stop the application "
                                   "and its workers first.") % {"name": self.target})
        return self._tables()[1]

    def staged_part(self, scratch: Path) -> Path:
        return scratch / "database.pgdump"

    def staged_name(self) -> str:
        return self.temporary

    def load(self, part: Path) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {self._quote(self.temporary)} TEMPLATE template0 ENCODING 'UTF8'")
        self.loaded = True
        conninfo, env = libpq_env(connection.settings_dict, dbname=self.temporary)
        # No owner: the objects belong to whoever restores (the owner role, as for migrate).
        run_pg(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={conninfo}", str(part)], env)
        part.unlink()

    def install(self) -> str | None:
        connection.close()
        has_tables = self._exists(self.target) and self._tables()[0]
        replaced = f"{self.target[:40]}_replaced_{self.stamp.lower()}" if has_tables else None
        with connection._nodb_cursor() as cursor:
            try:
                if replaced:
                    cursor.execute(f"ALTER DATABASE {self._quote(self.target)} RENAME TO {self._quote(replaced)}")
                else:
                    cursor.execute(f"DROP DATABASE IF EXISTS {self._quote(self.target)}")
                cursor.execute(f"ALTER DATABASE {self._quote(self.temporary)} RENAME TO {self._quote(self.target)}")
            except DatabaseError:
                raise RestoreRefused(_("The restored database could not take the place of %(name)s: stop the "
                                       "application and its workers, then restore again.")
                                     % {"name": self.target}) from None
        self.loaded = False
        return replaced

    def discard(self) -> None:
        connection.close()
        if self.loaded:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {self._quote(self.temporary)}")
            self.loaded = False


def place_for(stamp: str) -> Place:
    if connection.vendor == "postgresql":
        return PostgresPlace(stamp)
    if connection.vendor == "sqlite":
        return SQLitePlace(stamp)
    raise RestoreRefused(details={"engine": connection.vendor})


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
