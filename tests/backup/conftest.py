"""A world to back up (cases with evidence files, made through the API, and a signed
checkpoint) and fresh installations to restore it on: a var directory of their own (as
`make run` leaves it before any step: a generated secret key, nothing else) and, on
PostgreSQL, a database of their own on the test cluster that does not exist yet.

The backup runs in the test process (it reads the test database); every restore runs as
`manage.py` in a child process of the fresh installation, as an operator would run it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from faker import Faker

from lantern.cases.models import Case
from lantern.site.backup import stream
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple 测试"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    cases: dict[str, str]  # case number -> the victim's name
    files: dict[str, str]  # evidence file uuid -> SHA-256 of what was uploaded
    backup: Path = field(default=Path())
    keys: Path = field(default=Path())


@dataclass
class Installation:
    var: Path
    database_url: str = ""
    admin_url: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        env = {"PATH": "/usr/bin:/bin", "LANTERN_VAR_DIR": str(self.var), **extra}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def manage(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**extra),
                              capture_output=True, text=True, timeout=300, check=False)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of the installation's database, read directly (none when it has no database)."""
        if self.database_url:
            import psycopg

            try:
                with psycopg.connect(self.database_url) as conn:
                    return list(conn.execute(sql).fetchall())
            except psycopg.OperationalError:
                return []
        path = self.var / "lantern.sqlite3"
        if not path.is_file():
            return []
        conn = sqlite3.connect(path)
        try:
            return list(conn.execute(sql).fetchall())
        except sqlite3.OperationalError:  # no such table: nothing restored
            return []
        finally:
            conn.close()

    def case_numbers(self) -> set[str]:
        return {n for (n,) in self.rows("SELECT case_number FROM cases_case")}


def _victim(fake: Faker) -> dict[str, Any]:
    body = report()["victim"]
    return {**body, "name": fake.name()}


def _upload(api: Api, item_id: int, content: bytes) -> str:
    done = api.client.post(f"/api/v1/evidence/{item_id}/files",
                           {"file": SimpleUploadedFile("检材照片.pdf", content)}, **api.headers)
    assert done.status_code == 201, done.content
    return done.json()["id"]


def build_world(units: Any, *, files_per_case: tuple[int, ...] = (2, 1, 0), signed: bool = True) -> World:
    """Cases with evidence files, through the API as officers make them; then, when
    ``signed``, the hourly checkpoint (audit_checkpoint) signs the chain."""
    people, fake = police(units), Faker("zh_CN")
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    world = World(cases={}, files={})
    for count in files_per_case:
        victim = _victim(fake)
        case = intake.post("/cases", report(victim=victim)).json()
        assert sup.act(case["id"], "begin_review").status_code == 200
        world.cases[Case.objects.get(pk=case["id"]).case_number] = victim["name"]
        if not count:
            continue
        item = sup.post(f"/cases/{case['id']}/evidence", {
            "kind": "photo", "description": "现场照片", "place": "清水县", "seal_number": "QS-0001",
            "collected_at": (timezone.now() - dt.timedelta(hours=2)).isoformat()}).json()
        for _n in range(count):
            content = PDF + secrets.token_bytes(3000)
            world.files[_upload(sup, item["id"], content)] = hashlib.sha256(content).hexdigest()
    if signed:
        call_command("audit_checkpoint", verbosity=0)
    return world


@pytest.fixture
def backup_key(tmp_path, settings) -> Path:
    settings.LANTERN_BACKUP_KEY_FILE = tmp_path / "keys" / "backup.key"
    stream.create_key(settings.LANTERN_BACKUP_KEY_FILE)
    return settings.LANTERN_BACKUP_KEY_FILE


@pytest.fixture
def passphrase_file(tmp_path) -> Path:
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    return path


@pytest.fixture
def evidence_dir(tmp_path, settings) -> Path:
    settings.LANTERN_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.LANTERN_EVIDENCE_DIR


def back_up(world: World, tmp_path: Path, passphrase_file: Path) -> World:
    """The data backup and the keys backup, as the nightly job and the administrator make them."""
    call_command("backup", "--to", str(tmp_path / "backups"), verbosity=0)
    call_command("backup", "--keys", "--to", str(tmp_path / "offline"), "--passphrase-file", str(passphrase_file),
                 verbosity=0)
    (world.backup,) = (tmp_path / "backups").glob("lantern-*")
    (world.keys,) = (tmp_path / "offline").glob("lantern-keys-*.lkeys")
    return world


def _admin_url(database: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{database}"


@pytest.fixture
def fresh(tmp_path) -> Any:
    """A fresh installation: a var directory with a generated secret key, and (PostgreSQL)
    the name of a database that does not exist yet. Its databases are dropped afterwards."""
    var = tmp_path / "fresh-var"
    var.mkdir()
    (var / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    name = f"lantern_restored_{secrets.token_hex(4)}"
    on_pg = connection.vendor == "postgresql"
    install = Installation(var, _admin_url(name) if on_pg else "", _admin_url("postgres") if on_pg else "")
    yield install
    if install.database_url:
        import psycopg

        with psycopg.connect(install.admin_url, autocommit=True) as conn:
            for (db,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}%"]):
                conn.execute(f'DROP DATABASE "{db}" WITH (FORCE)')


def no_staging_left(install: Installation) -> bool:
    """Nothing half-written stays behind: no staging file, directory or database."""
    leftovers = [p.name for p in install.var.rglob("*") if ".restoring-" in p.name or p.name.startswith(".restore-")]
    if install.admin_url:
        import psycopg

        prefix = install.database_url.rsplit("/", 1)[1]
        with psycopg.connect(install.admin_url) as conn:
            leftovers += [db for (db,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                       [f"{prefix}_restore_%"])]
    return not leftovers


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    os.sync()
