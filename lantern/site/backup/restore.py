"""Restoring a backup on an installation: unpack, check, and only then move into place.

Stop the application and its workers first. The order:
1. refuse when the installation's database already holds cases (unless ``force``);
2. unpack the archive into staging places beside the installation's own (same file
   systems, so the final moves are renames), every part checked against the manifest;
3. load the database there (PostgreSQL: a temporary database) and check it (``verify``);
4. move the evidence directory into place, then the database; what they replace is kept
   aside under a ``.replaced-<time>`` name when it held anything.
Any failure before step 4 removes the staging places and leaves the installation as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.site.backup import unpack, verify
from lantern.site.backup.archive import ARCHIVE, MANIFEST
from lantern.site.backup.errors import RestoreRefused
from lantern.site.backup.places import Place, place_for
from lantern.site.backup.stream import BackupKey, read_header


@dataclass(frozen=True)
class Restored:
    backup: Path
    manifest: dict[str, Any]
    notes: list[str]
    replaced: list[str]


def locate(source: Path) -> Path:
    """The backup itself, or the newest complete backup in a directory of backups."""
    if (source / MANIFEST).is_file() and (source / ARCHIVE).is_file():
        return source
    found = sorted(p for p in source.glob("lantern-*") if (p / MANIFEST).is_file() and (p / ARCHIVE).is_file())
    if not found:
        raise RestoreRefused(_("%(dir)s is not a Lantern backup and holds none.") % {"dir": source})
    return found[-1]


def _has_files(directory: Path) -> bool:
    return directory.is_dir() and any(p.is_file() for p in directory.rglob("*"))


def _swap_evidence(staged: Path, target: Path, stamp: str) -> Path | None:
    """The staged evidence directory takes the target's name; returns where the old one went."""
    aside = None
    if _has_files(target):
        aside = target.with_name(f"{target.name}.replaced-{stamp}")
        os.replace(target, aside)
    elif target.exists():
        shutil.rmtree(target)
    os.replace(staged, target)
    return aside


def _undo_evidence(staged: Path, target: Path, aside: Path | None) -> None:
    os.replace(target, staged)
    if aside is not None:
        os.replace(aside, target)


def restore(*, source: Path, key: BackupKey, force: bool = False, without_keys: bool = False) -> Restored:
    backup = locate(source)
    with open(backup / ARCHIVE, "rb") as archive:
        read_header(archive, key)  # a wrong key is said before anything else is looked at
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    place = place_for(stamp)
    held = place.cases_held()
    if held and not force:
        raise RestoreRefused(_("The database of this installation already holds %(n)s cases: a restore would "
                               "replace them. Restore on a fresh installation, or pass --force (the current "
                               "database and evidence files are then kept aside, not deleted).") % {"n": held})
    target = Path(settings.LANTERN_EVIDENCE_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring-{stamp}")
    scratch = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.VAR_DIR))
    try:
        return _restore(backup, key, place, staged, target, scratch, without_keys)
    except BaseException:
        place.discard()
        unpack.discard(staged)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _restore(backup: Path, key: BackupKey, place: Place, staged: Path, target: Path, scratch: Path,
             without_keys: bool) -> Restored:
    unpacked = unpack.read(backup / ARCHIVE, key, database=place.staged_part(scratch), evidence_dir=staged,
                           scratch=scratch)
    manifest = unpacked.manifest
    if manifest["database"]["engine"] != place.engine:
        raise RestoreRefused(_("This is a backup of a %(made)s database; this installation uses %(here)s. Restore "
                               "it on an installation of the same kind.")
                             % {"made": manifest["database"]["engine"], "here": place.engine})
    place.load(unpacked.database)
    with place.pointed():
        notes = verify.run(manifest, evidence_dir=staged, scratch=scratch, without_keys=without_keys)
    aside = _swap_evidence(staged, target, place.stamp)
    try:
        replaced_db = place.install()
    except BaseException:
        _undo_evidence(staged, target, aside)
        raise
    replaced = [str(p) for p in (aside, replaced_db) if p]
    return Restored(backup, manifest, notes, replaced)
