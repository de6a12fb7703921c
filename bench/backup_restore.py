"""Backup and restore (issue 17 item 4): how fast `manage.py backup` writes the encrypted
archive of the database and the evidence files, and how fast `manage.py restore` brings it
back, checked, on a fresh installation (a var directory and, on PostgreSQL, a database of
its own on the same server), as an operator runs them.

    DATABASE_URL=... python bench/backup_restore.py --files 200 --mb 2     (or SQLite: no URL)

Evidence rows and files are made directly (the file as evidence.storage writes it, the row
as attach_file saves it): this measures the copy, not the upload. The demo accounts and
cases are loaded first, so the database is not empty. No target: the numbers are for the
README's sizing of the backup window.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from lantern.accounts.models import User  # noqa: E402
from lantern.cases.models import Case  # noqa: E402
from lantern.evidence import storage  # noqa: E402
from lantern.evidence.models import EvidenceFile, EvidenceItem  # noqa: E402
from lantern.site.backup import stream  # noqa: E402
from lantern.site.management.commands import load_demo  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
PASSPHRASE = "bench passphrase, long enough"  # noqa: S105 - a throwaway passphrase for throwaway keys


def make_files(count: int, size: int) -> int:
    officer = User.objects.get(username="intake")
    case = Case.objects.order_by("pk").first()
    number = (EvidenceItem.objects.filter(case=case).count() or 0) + 1
    item = EvidenceItem.objects.create(case=case, number=number, kind="photo", description="基准测试合成物证",
                                       collected_by=officer, collected_at=timezone.now())
    total = 0
    for n in range(count):
        content = PDF + secrets.token_bytes(size)  # random: as incompressible as a photo or a video
        key = storage.new_key()
        row = EvidenceFile(item=item, original_name=f"基准{n}.pdf", content_type="application/pdf",
                           size=len(content), sha256=hashlib.sha256(content).hexdigest(), data_key=key,
                           uploaded_by=officer)
        storage.write(str(row.uuid), key, content)
        row.save()
        total += len(content)
    return total


def fresh_installation(root: Path) -> dict[str, str]:
    var = root / "fresh"
    var.mkdir()
    (var / "secret_key").write_text(secrets.token_urlsafe(50))
    env = {"PATH": "/usr/bin:/bin", "LANTERN_VAR_DIR": str(var), "LANTERN_BACKUP_PASSPHRASE": PASSPHRASE}
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/bench_restored"
    return env


def manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,  # noqa: S603 - our own argv
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {done.stderr}")
    return time.perf_counter() - started


def drop_restored() -> None:
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bench_restored%%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mb", type=float, default=2.0)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="lantern-bench-backup-"))
    settings.LANTERN_BACKUP_KEY_FILE = root / "backup.key"
    stream.create_key(settings.LANTERN_BACKUP_KEY_FILE)
    try:
        load_demo.Command().handle()
        evidence = make_files(args.files, int(args.mb * 1024 * 1024))
        started = time.perf_counter()
        call_command("backup", "--to", str(root / "backups"), verbosity=0)
        took = time.perf_counter() - started
        os.environ["LANTERN_BACKUP_PASSPHRASE"] = PASSPHRASE
        call_command("backup", "--keys", "--to", str(root / "offline"), verbosity=0)
        (made,) = (root / "backups").glob("lantern-*")
        size = (made / "data.lbk").stat().st_size
        print(f"  {connection.vendor}: {Case.objects.count()} cases, {EvidenceFile.objects.count()} evidence files "
              f"({evidence / 1e6:.0f} MB); archive {size / 1e6:.0f} MB")
        print(f"  backup  {took:6.1f} s  {size / 1e6 / took:6.1f} MB/s")
        env = fresh_installation(root)
        drop_restored()
        keys = manage(env, "restore", "--keys", "--from", str(root / "offline"))
        took = manage(env, "restore", "--from", str(made))
        print(f"  restore {took:6.1f} s  {size / 1e6 / took:6.1f} MB/s (checked: every file decrypted against its "
              f"digest, the audit chain verified; the keys took {keys:.1f} s; each includes ~4 s of start-up)")
    finally:
        drop_restored()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
