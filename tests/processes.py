"""The test database made reachable by other processes (a worker, gunicorn): PostgreSQL's
by its name; SQLite's, which lives in memory, copied to a file with SQLite's backup API.
Tests that use it need ``transactional_db`` so what they wrote is committed."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def shared_database(tmp_path: Path) -> dict[str, str]:
    """Environment variables naming the test database for a child process. On SQLite the
    child gets a copy: read its results with ``sqlite_rows``."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        url = (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}"
               f"/{settings['NAME']}")
        return {"DATABASE_URL": url}
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return {"LANTERN_SQLITE_PATH": str(path)}


def child_env(shared: dict[str, str], **extra: str) -> dict[str, str]:
    env = {**os.environ, "LANTERN_SECURE_COOKIES": "0", **shared, **extra}
    if "LANTERN_SQLITE_PATH" in shared:
        env.pop("DATABASE_URL", None)
    return env


def sqlite_rows(shared: dict[str, str], sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(shared["LANTERN_SQLITE_PATH"]) as db:
        return db.execute(sql, params).fetchall()


def rows(shared: dict[str, str], sql: str, params: tuple = ()) -> list[tuple]:
    """Read what a child process wrote, from whichever database it used."""
    if "LANTERN_SQLITE_PATH" in shared:
        return sqlite_rows(shared, sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(process: subprocess.Popen, port: int, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {process.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"nothing listened on port {port} within {seconds} s")
