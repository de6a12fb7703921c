"""The checks a restored copy passes before it takes the installation's place.

Run with Django's default connection on the restored copy and the evidence files in their
staging directory: the counts and the chain head are the manifest's; every evidence row
has its file, and (with the keys) the file decrypts to the SHA-256 its row recorded at
upload; the protected fields read; the audit chain verifies (audit.verify.verify_chain).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from lantern.audit import keys as audit_keys
from lantern.audit.models import Checkpoint, TreeHead
from lantern.audit.services import seal_pending
from lantern.audit.verify import verify_chain
from lantern.core.vault import crypto, rotation
from lantern.core.vault.keys import KeyUnavailable
from lantern.evidence import storage
from lantern.evidence.models import EvidenceFile
from lantern.site.backup.errors import KeysMissing, RestoreRefused, VerificationFailed
from lantern.site.backup.snapshot import facts

SHOWN = 20  # problems listed at most; the count says how many there were


def run(manifest: dict[str, Any], *, evidence_dir: Path, scratch: Path, without_keys: bool) -> list[str]:
    """Raises VerificationFailed with every problem found, or returns notes for the operator."""
    problems, notes = _against_manifest(manifest), []
    _migrate_if_older()
    readable = _protected_values_read(without_keys, problems)
    if not readable:
        notes.append(_("The master keys are missing: identities and evidence contents were not checked and "
                       "cannot be read until the keys are restored (`manage.py restore --keys`)."))
    if sealed := seal_pending():
        notes.append(_("%(n)s audit entries committed just before the backup were sealed into the chain.")
                     % {"n": sealed})
    with _signing_key(scratch):
        report = verify_chain(workers=os.cpu_count() or 1)  # the restore has the machine to itself
    if not report.ok:
        problems.append(_("audit log: %(problem)s") % {"problem": report.problem})
    problems += _evidence(manifest, evidence_dir, readable, notes)
    if problems:
        shown = "; ".join(str(p) for p in problems[:SHOWN])
        raise VerificationFailed(_("The restored data did not pass its checks, so nothing was moved into place "
                                   "(%(n)s problems): %(problems)s") % {"n": len(problems), "problems": shown})
    return notes


def _against_manifest(manifest: dict[str, Any]) -> list[str]:
    with connection.cursor() as cursor:
        found = facts(cursor)
    problems = [_("%(what)s: the backup lists %(listed)s, the restored database holds %(found)s")
                % {"what": what, "listed": listed, "found": found["counts"].get(what)}
                for what, listed in manifest["counts"].items() if found["counts"].get(what) != listed]
    if found["audit_head"] != manifest["audit_head"]:
        problems.append(_("the audit chain's head is not the one the backup recorded"))
    return problems


def _migrate_if_older() -> None:
    """A backup from an older Lantern gets this version's migrations; a newer one is refused."""
    executor = MigrationExecutor(connection)
    unknown = set(executor.loader.applied_migrations) - set(executor.loader.graph.nodes)
    if unknown:
        raise RestoreRefused(_("This backup was made by a newer version of Lantern (migrations %(names)s): "
                               "install that version, then restore.")
                             % {"names": ", ".join(sorted(f"{a}.{n}" for a, n in unknown)[:5])})
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def _samples() -> Iterator[tuple[Any, str]]:
    """The oldest and the newest value of each protected column."""
    for model, field in rotation.encrypted_columns():
        table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
        for order in ("ASC", "DESC"):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> '' "  # noqa: S608
                               f"ORDER BY {pk} {order} LIMIT 1")
                row = cursor.fetchone()
            if row and crypto.is_token(row[0]):
                yield field, row[0]


def _protected_values_read(without_keys: bool, problems: list[str]) -> bool:
    try:
        for field, token in _samples():
            try:
                crypto.decrypt(token, context=field.context())
            except crypto.UnreadableValue:
                problems.append(_("a protected value of %(field)s fails its integrity check")
                                % {"field": field.model._meta.label_lower})
    except KeyUnavailable:
        if without_keys:
            return False
        raise KeysMissing() from None
    return True


def _signing_key(scratch: Path) -> Any:
    """The signing key verify_chain reads. Without the installation's own (not restored
    yet), the audit app would make one on first use, unrelated to the backup's: with
    signed checkpoints that is a refusal, without any the check gets a throwaway key in
    the scratch directory, so the installation is left as restore --keys expects it."""
    if audit_keys.key_path().exists():
        return nullcontext()
    if Checkpoint.objects.exists() or TreeHead.objects.exists():
        raise KeysMissing(_("The audit signing key is missing, so the signed checkpoints cannot be checked. "
                            "Restore the keys first (`manage.py restore --keys`)."))
    return override_settings(LANTERN_AUDIT_SIGNING_KEY=scratch / "throwaway-signing.pem")


def _evidence(manifest: dict[str, Any], evidence_dir: Path, readable: bool, notes: list[str]) -> list[str]:
    problems: list[str] = []
    missing_at_backup = set(manifest["evidence"].get("missing", []))
    if missing_at_backup:
        notes.append(_("%(n)s evidence files were already missing when the backup was made (see its manifest).")
                     % {"n": len(missing_at_backup)})
    rows = EvidenceFile.objects.order_by("pk")
    with override_settings(LANTERN_EVIDENCE_DIR=evidence_dir):
        if not readable:
            for file_uuid in rows.values_list("uuid", flat=True).iterator(chunk_size=2000):
                name = str(file_uuid)
                if name not in missing_at_backup and not storage.path_of(name).is_file():
                    problems.append(_("evidence file %(uuid)s is missing") % {"uuid": name})
            return problems
        for row in rows.only("uuid", "sha256", "data_key").iterator(chunk_size=500):
            name = str(row.uuid)
            if name in missing_at_backup:
                continue
            try:
                storage.read(name, row.data_key, row.sha256)
            except storage.Tampered:
                problems.append(_("evidence file %(uuid)s is missing or does not match the digest of its row")
                                % {"uuid": name})
    return problems

