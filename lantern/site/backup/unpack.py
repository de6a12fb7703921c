"""Reading an archive into staging places, checking every part against the manifest.

The tar stream comes out of the decrypting reader, which releases only authenticated
chunks; members are written by name patterns this module knows (never by the paths the
archive claims), so no archive can write outside the staging places.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from lantern.site.backup.archive import FORMAT, INDEX, MANIFEST
from lantern.site.backup.errors import BackupDamaged
from lantern.site.backup.stream import BackupKey, DecryptingReader

EVIDENCE = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.bin$")
DATABASE_PARTS = ("database.sqlite3", "database.pgdump")
MAX_MANIFEST = 64 * 1024 * 1024


@dataclass(frozen=True)
class Unpacked:
    manifest: dict[str, Any]
    database: Path
    evidence_dir: Path


def _copy(source: BinaryIO, target: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    # 0600 like the originals: the database and evidence files are for Lantern's user only.
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while block := source.read(1 << 20):
            digest.update(block)
            size += len(block)
            out.write(block)
    return {"bytes": size, "sha256": digest.hexdigest()}


class _Reader:
    def __init__(self, database: Path, evidence_dir: Path, scratch: Path) -> None:
        self.database, self.evidence_dir, self.scratch = database, evidence_dir, scratch
        self.parts: dict[str, dict[str, Any]] = {}
        self.manifest: dict[str, Any] | None = None
        self.files = open(scratch / "files-found.jsonl", "w")  # noqa: SIM115 - closed in read()

    def member(self, info: tarfile.TarInfo, body: BinaryIO) -> None:
        if info.name in DATABASE_PARTS and info.name not in self.parts:
            self.parts[info.name] = _copy(body, self.database)
        elif info.name == INDEX and INDEX not in self.parts:
            self.parts[INDEX] = _copy(body, self.scratch / INDEX)
        elif info.name == MANIFEST and self.manifest is None and info.size <= MAX_MANIFEST:
            self.manifest = json.loads(body.read())
        elif match := EVIDENCE.match(info.name):
            folder = self.evidence_dir / match[1]
            folder.mkdir(exist_ok=True)
            found = _copy(body, folder / f"{match[2]}.bin")
            self.files.write(json.dumps({"uuid": match[2], **found}) + "\n")
        else:
            raise BackupDamaged(_("The archive holds something a Lantern backup does not: %(name)s.")
                                % {"name": info.name[:200]})


def read(archive: Path, key: BackupKey, *, database: Path, evidence_dir: Path, scratch: Path) -> Unpacked:
    """Unpack ``archive`` into ``database`` (a new file) and ``evidence_dir`` (a new
    directory); raises BackupDamaged unless every part is whole and as the manifest says."""
    evidence_dir.mkdir(mode=0o700)
    reader = _Reader(database, evidence_dir, scratch)
    with open(archive, "rb") as raw:
        plain = DecryptingReader(raw, key)  # type: ignore[arg-type]
        try:
            with tarfile.open(fileobj=plain, mode="r|") as tar:
                for info in tar:
                    if not info.isfile():
                        raise BackupDamaged()
                    reader.member(info, tar.extractfile(info))  # type: ignore[arg-type]
        except tarfile.TarError:
            raise BackupDamaged() from None
        finally:
            reader.files.close()
        plain.finish()
    manifest = _checked(reader)
    return Unpacked(manifest, database, evidence_dir)


def _checked(reader: _Reader) -> dict[str, Any]:
    manifest = reader.manifest
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupDamaged(_("The archive has no manifest this version of Lantern reads."))
    database = manifest["database"]
    for name, expected in ((database["part"], database), (INDEX, manifest["evidence"])):
        found = reader.parts.get(name)
        if found is None or found["sha256"] != expected["sha256"] or found["bytes"] != expected["bytes"]:
            raise BackupDamaged(_("The part %(name)s does not match the manifest.") % {"name": name})
    with open(reader.scratch / INDEX) as index, open(reader.scratch / "files-found.jsonl") as found:
        count = 0
        for listed, present in itertools.zip_longest(index, found):
            if listed is None or present is None:
                raise BackupDamaged(_("The archive's evidence files are not the ones its index lists."))
            if json.loads(listed) != json.loads(present):
                raise BackupDamaged(_("An evidence file in the archive does not match its index entry."))
            count += 1
    if count != manifest["evidence"]["files"]:
        raise BackupDamaged(_("The archive's evidence files are not the ones its index lists."))
    return manifest


def discard(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
