"""A production installation made by deploy/production.sh, for the one test that drives it.

It runs on the PostgreSQL pass of `make test` (marker postgresql: skipped on SQLite) and
needs Debian's nginx. The test's PostgreSQL server plays the DBA's: a database and an owner
role (CREATEROLE, not a superuser) are made for the installation, which makes its own
application role from them; all three are dropped afterwards."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "production.sh"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "deploy: starts the production configuration (deploy/production.sh; nginx)")


@dataclass
class Deployment:
    dir: Path
    https_port: int
    http_port: int
    ca: Path
    owner_url: str
    app_url: str
    start_output: str

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.https_port}{path}"

    def run(self, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args, str(self.dir)], capture_output=True, text=True,
                              timeout=timeout, env=_clean_env())

    def manage(self, code: str) -> str:
        """Runs Python in Django's shell as an operator would: with the application's environment."""
        command = f". {self.dir}/etc/lantern.env && exec .venv/bin/python manage.py shell -v0 -c \"$CODE\""
        done = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=120,
                              env={**_clean_env(), "CODE": code})
        assert done.returncode == 0, done.stderr
        return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env() -> dict[str, str]:
    """What an operator's shell holds: none of the test run's settings."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("LANTERN_", "DJANGO_", "PYTEST_")) and k != "DATABASE_URL"}


def _with_user(url: str, user: str, password: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"postgres://{user}:{password}@{parts.hostname}:{parts.port}/{database}"


def _logs(directory: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                     for p in sorted((directory / "log").glob("*")) if p.is_file())


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx is not installed (scripts/ensure-debs.sh nginx)")
    admin_url = os.environ["DATABASE_URL"]
    tag = secrets.token_hex(4)
    owner, app, database = f"lantern_owner_{tag}", f"lantern_app_{tag}", f"lantern_deploy_{tag}"
    password = secrets.token_urlsafe(16)
    admin = urllib.parse.urlsplit(admin_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
            sql.Identifier(owner), sql.Literal(password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(owner)))
    # Not under pytest's own temporary directory: nginx's workers (nobody, when the suite
    # runs as root) must pass through every directory above the static files.
    directory = Path(tempfile.mkdtemp(prefix="lantern-production-", dir="/tmp"))
    https_port, http_port = _free_port(), _free_port()
    owner_url = _with_user(admin_url, owner, password, database)
    env = {**_clean_env(), "DATABASE_URL": owner_url, "LANTERN_APP_DB_USER": app,
           "LANTERN_HTTPS_PORT": str(https_port), "LANTERN_HTTP_PORT": str(http_port),
           "LANTERN_GUNICORN_WORKERS": "2"}
    try:
        started = subprocess.run([str(SCRIPT), "start", str(directory)], capture_output=True, text=True,
                                 timeout=300, env=env)
        assert started.returncode == 0, f"{started.stdout}\n{started.stderr}\n{_logs(directory)}"
        app_password = (directory / "etc" / "app-db-password").read_text().strip()
        yield Deployment(dir=directory, https_port=https_port, http_port=http_port, ca=directory / "tls" / "ca.pem",
                         owner_url=owner_url, app_url=_with_user(admin_url, app, app_password, database),
                         start_output=started.stdout)
    finally:
        subprocess.run([str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=120, env=_clean_env())
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            for role in (app, owner):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        shutil.rmtree(directory, ignore_errors=True)
