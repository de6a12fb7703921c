"""Backups that restore: a backup made on this installation comes back on a fresh one with
every case, every evidence file (decrypting to the digest taken at upload) and an audit
chain that verifies; a damaged backup or a wrong key is refused with nothing restored; the
data without the keys reads no identity, and with them it does. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL (pg_dump / pg_restore into a database of its own)."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connections

from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.models import Victim
from lantern.core.vault import crypto
from lantern.core.vault.keys import KeyUnavailable
from lantern.evidence import storage
from lantern.evidence.models import EvidenceFile
from lantern.evidence.services import attach_file
from lantern.site.backup import keyring, stream
from tests.backup.conftest import PDF, Installation, World, back_up, build_world, flip_a_byte, no_staging_left

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(units, evidence_dir, backup_key, passphrase_file, tmp_path) -> World:
    return back_up(build_world(units), tmp_path, passphrase_file)


@pytest.fixture
def unsigned_world(units, evidence_dir, backup_key, passphrase_file, tmp_path) -> World:
    """Before the first hourly checkpoint: nothing signed yet, so the audit chain verifies
    without the signing key and only the master keys decide what can be read."""
    return back_up(build_world(units, files_per_case=(1, 0), signed=False), tmp_path, passphrase_file)


def _use_keys_of(install: Installation, settings) -> None:
    settings.LANTERN_KEY_FILE = install.var / "keys" / "master-keys.json"
    settings.LANTERN_EVIDENCE_DIR = install.var / "evidence"


def victims(install: Installation, settings) -> dict[str, str]:
    """Each restored case's victim name, decrypted with the installation's own keys."""
    _use_keys_of(install, settings)
    context = Victim._meta.get_field("name").context()
    rows = install.rows("SELECT c.case_number, v.name FROM cases_victim v JOIN cases_case c ON c.id = v.case_id")
    return {number: crypto.decrypt(token, context=context) for number, token in rows}


def readable_files(install: Installation, settings, expected: dict[str, str]) -> set[str]:
    """The restored evidence files that decrypt, with the installation's keys, to the
    SHA-256 taken at upload (storage.read refuses any other)."""
    _use_keys_of(install, settings)
    context = EvidenceFile._meta.get_field("data_key").context()
    found = set()
    for file_uuid, token in install.rows("SELECT uuid, data_key FROM evidence_evidencefile"):
        name = str(uuid.UUID(str(file_uuid)))
        storage.read(name, crypto.decrypt(token, context=context), expected[name])
        found.add(name)
    return found


def restore(install: Installation, world: World, *extra: str, key_file: Path | None = None):
    args = ["restore", "--from", str(world.backup.parent), *extra]
    return install.manage(*args, *(["--key-file", str(key_file)] if key_file else []))


def test_a_backup_restores_on_a_fresh_installation_with_every_case_file_and_the_audit_chain(
        world, fresh, passphrase_file, settings):
    keys = fresh.manage("restore", "--keys", "--from", str(world.keys.parent),
                        "--passphrase-file", str(passphrase_file))
    assert keys.returncode == 0, keys.stderr
    done = restore(fresh, world)  # the backup key came back with the keys
    assert done.returncode == 0, done.stderr
    assert f"{len(world.cases)} cases, {len(world.files)} evidence files" in done.stdout

    assert fresh.case_numbers() == set(world.cases)
    assert victims(fresh, settings) == world.cases
    assert readable_files(fresh, settings, world.files) == set(world.files)
    verified = fresh.manage("audit_verify")  # the operator's own check, signed checkpoint included
    assert verified.returncode == 0, verified.stderr
    assert no_staging_left(fresh)


def test_backups_and_restores_are_in_the_audit_log_by_name_and_count_never_by_content(
        world, fresh, passphrase_file):
    """Copying every case out and bringing them back are accesses like any other: the
    installation's log names the backup and the keys backup (key names, never a key), and
    the restored log says when and from what it was restored, and still verifies."""
    made = AuditEntry.objects.get(action=Event.BACKUP_MADE)
    assert made.object_id == world.backup.name and made.actor_id is None and made.source == "cli"
    assert made.details["cases"] == len(world.cases) and made.details["evidence_files"] == len(world.files)
    assert made.details["audit_head"] < made.seq  # the backup holds the log up to just before its own entry
    keys = AuditEntry.objects.get(action=Event.BACKUP_KEYS_MADE)
    assert keys.object_id == world.keys.name and "master_keys" in keys.details["keys"]
    assert set(keys.details) == {"keys", "missing"}  # names only
    assert set(keys.details["keys"]) <= {k.name for k in keyring.key_files()}

    assert fresh.manage("restore", "--keys", "--from", str(world.keys.parent),
                        "--passphrase-file", str(passphrase_file)).returncode == 0
    assert restore(fresh, world).returncode == 0
    (restored,) = fresh.rows("SELECT object_id, details FROM audit_auditentry WHERE action = 'backup.restored'")
    details = restored[1] if isinstance(restored[1], dict) else json.loads(restored[1])
    assert restored[0] == world.backup.name and details["cases"] == len(world.cases)
    assert details["replaced"] is False and details["without_keys"] is False
    verified = fresh.manage("audit_verify")
    assert verified.returncode == 0, verified.stderr


def test_a_backup_with_one_flipped_byte_is_refused_and_nothing_is_restored(world, fresh, backup_key):
    flip_a_byte(world.backup / "data.lbk")
    done = restore(fresh, world, key_file=backup_key)
    assert done.returncode != 0 and "[backup_damaged]" in done.stderr, done.stderr
    assert fresh.case_numbers() == set()
    assert not (fresh.var / "evidence").exists()
    assert no_staging_left(fresh)


def test_a_wrong_backup_key_is_refused_and_names_the_key_the_backup_needs(world, fresh, backup_key, tmp_path):
    other = stream.create_key(tmp_path / "another.key")
    done = restore(fresh, world, key_file=tmp_path / "another.key")
    assert done.returncode != 0 and "[backup_wrong_key]" in done.stderr, done.stderr
    assert stream.load_key(backup_key).fingerprint in done.stderr and other.fingerprint in done.stderr
    assert fresh.case_numbers() == set()
    assert no_staging_left(fresh)


def test_without_the_keys_the_data_restores_only_when_asked_and_reads_no_identity_until_the_keys_are_back(
        unsigned_world, fresh, backup_key, passphrase_file, settings):
    refused = restore(fresh, unsigned_world, key_file=backup_key)
    assert refused.returncode != 0 and "[restore_keys_missing]" in refused.stderr, refused.stderr
    assert "restore --keys" in refused.stderr and fresh.case_numbers() == set()

    done = restore(fresh, unsigned_world, "--without-keys", key_file=backup_key)
    assert done.returncode == 0, done.stderr
    assert fresh.case_numbers() == set(unsigned_world.cases)
    with pytest.raises(KeyUnavailable):
        victims(fresh, settings)

    keys = fresh.manage("restore", "--keys", "--from", str(unsigned_world.keys), "--passphrase-file",
                        str(passphrase_file))
    assert keys.returncode == 0, keys.stderr
    assert victims(fresh, settings) == unsigned_world.cases
    assert readable_files(fresh, settings, unsigned_world.files) == set(unsigned_world.files)


def test_a_restore_over_an_installation_that_holds_cases_needs_force_and_keeps_what_it_replaced(
        unsigned_world, fresh, backup_key):
    assert restore(fresh, unsigned_world, "--without-keys", key_file=backup_key).returncode == 0
    again = restore(fresh, unsigned_world, "--without-keys", key_file=backup_key)
    assert again.returncode != 0 and "[restore_refused]" in again.stderr, again.stderr

    forced = restore(fresh, unsigned_world, "--without-keys", "--force", key_file=backup_key)
    assert forced.returncode == 0, forced.stderr
    assert fresh.case_numbers() == set(unsigned_world.cases)
    kept = [line for line in forced.stdout.splitlines() if "kept at" in line]
    assert len(kept) == 2, forced.stdout  # the evidence directory and the database it replaced
    assert list(fresh.var.glob("evidence.replaced-*"))
    assert no_staging_left(fresh)


@pytest.mark.postgresql
def test_a_backup_taken_while_officers_attach_files_restores_exactly_its_snapshot(
        units, evidence_dir, backup_key, passphrase_file, tmp_path, fresh):
    """Files go on attaching during the backup: the dump, the counts and the file list all
    come from one snapshot, so the restore finds every row's file and nothing else."""
    world = build_world(units, files_per_case=(1,))
    row = EvidenceFile.objects.select_related("item", "uploaded_by").get()
    stop, attached, errors = threading.Event(), [], []

    def officer_at_work() -> None:
        try:
            while not stop.is_set():
                upload = SimpleUploadedFile("照片.pdf", PDF + secrets.token_bytes(2000))
                attached.append(attach_file(actor=row.uploaded_by, item=row.item, upload=upload))
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=officer_at_work)
    worker.start()
    try:
        while len(attached) < 3 and worker.is_alive():  # the backup starts mid-stream
            time.sleep(0.05)
        back_up(world, tmp_path, passphrase_file)
        during = len(attached)
        while len(attached) == during and worker.is_alive():  # and one more after it
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join()
    assert not errors and len(attached) > during >= 3

    assert fresh.manage("restore", "--keys", "--from", str(world.keys), "--passphrase-file",
                        str(passphrase_file)).returncode == 0
    done = restore(fresh, world)
    assert done.returncode == 0, done.stderr
    in_backup = len(fresh.rows("SELECT id FROM evidence_evidencefile"))
    assert 1 + 3 <= in_backup <= 1 + during < 1 + len(attached)


def test_a_backup_says_which_evidence_files_were_missing_and_fails_but_keeps_what_it_could_copy(
        units, evidence_dir, backup_key, tmp_path):
    world = build_world(units, files_per_case=(2,), signed=False)
    lost = sorted(world.files)[0]
    storage.path_of(lost).unlink()
    with pytest.raises(CommandError, match=lost):
        call_command("backup", "--to", str(tmp_path / "backups"), verbosity=0)
    (made,) = (tmp_path / "backups").glob("lantern-*")
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["evidence"]["missing"] == [lost] and manifest["evidence"]["files"] == 1
    assert manifest["counts"]["evidence_files"] == 2 and manifest["counts"]["cases"] == 1
