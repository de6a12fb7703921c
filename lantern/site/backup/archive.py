"""Writing a backup: the database snapshot, then the evidence files it names, their index
and the manifest, as one tar stream into the encrypted archive.

The backup is built in ``.<name>.partial`` and renamed when whole, so a directory named
like a backup always holds a complete one. The plaintext scratch copy of the database is
made under the var directory (beside the live database, never on the backup volume) and
removed at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils import timezone

from lantern.evidence import storage
from lantern.site.backup import snapshot
from lantern.site.backup.stream import BackupKey, Digesting, EncryptingWriter

FORMAT = "lantern-backup/1"
ARCHIVE = "data.lbk"
MANIFEST = "manifest.json"
INDEX = "evidence.jsonl"
NAME_FORMAT = "lantern-%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Made:
    path: Path
    manifest: dict[str, Any]


def lantern_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _member(name: str, size: int, mtime: float | None = None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(mtime if mtime is not None else timezone.now().timestamp())
    return info


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    stat = path.stat()
    with open(path, "rb") as fh:
        reader = Digesting(fh)  # type: ignore[arg-type]
        tar.addfile(_member(name, stat.st_size, stat.st_mtime), reader)  # type: ignore[arg-type]
    return {"part": name, "bytes": reader.size, "sha256": reader.sha256.hexdigest()}


def _add_evidence(tar: tarfile.TarFile, file_list: Path, index: Path) -> list[str]:
    """Each file the snapshot names, in uuid order, and a line of the index for each;
    returns the uuids whose file was not on disk (then the backup says so and fails)."""
    missing: list[str] = []
    with open(file_list) as names, open(index, "w") as out:
        for line in names:
            file_uuid = line.strip()
            path = storage.path_of(file_uuid)
            if not path.is_file():
                missing.append(file_uuid)
                continue
            part = _add_file(tar, f"evidence/{file_uuid[:2]}/{file_uuid}.bin", path)
            out.write(json.dumps({"uuid": file_uuid, "bytes": part["bytes"], "sha256": part["sha256"]}) + "\n")
    return missing


def _manifest(snap: snapshot.Snapshot, made_at: dt.datetime, key: BackupKey, database: dict[str, Any],
              index: dict[str, Any], missing: list[str]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "made_at": made_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lantern_version": lantern_version(),
        "backup_key": key.fingerprint,
        "database": {"engine": snap.engine, "server_version": snap.facts["server_version"], **database},
        "evidence": {**index, "files": snap.facts["counts"]["evidence_files"] - len(missing), "missing": missing},
        "counts": snap.facts["counts"],
        "audit_head": snap.facts["audit_head"],
        "migrations": snap.facts["migrations"],
    }


def _write_archive(sink: BinaryIO, key: BackupKey, snap: snapshot.Snapshot, scratch: Path,
                   made_at: dt.datetime) -> dict[str, Any]:
    with EncryptingWriter(sink, key) as sealed, tarfile.open(fileobj=sealed, mode="w|") as tar:
        database = _add_file(tar, snap.part_name, snap.path)
        snap.path.unlink()  # the plaintext copy is not kept a moment longer than needed
        missing = _add_evidence(tar, snap.file_list, scratch / INDEX)
        index = _add_file(tar, INDEX, scratch / INDEX)
        manifest = _manifest(snap, made_at, key, database, index, missing)
        body = json.dumps(manifest, indent=1, sort_keys=True).encode()
        tar.addfile(_member(MANIFEST, len(body)), io.BytesIO(body))
    return manifest


def _write_json(path: Path, value: Any) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(value, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup(*, to: Path, key: BackupKey) -> Made:
    made_at = timezone.now().astimezone(dt.UTC)
    to.mkdir(parents=True, exist_ok=True)
    final = to / made_at.strftime(NAME_FORMAT)
    work = to / f".{final.name}.partial"
    work.mkdir(mode=0o700)
    scratch = Path(tempfile.mkdtemp(prefix=".backup-", dir=settings.VAR_DIR))
    try:
        snap = snapshot.take(scratch)
        with open(work / ARCHIVE, "xb") as raw:
            os.fchmod(raw.fileno(), 0o600)
            counted = Digesting(raw)  # type: ignore[arg-type]
            manifest = _write_archive(counted, key, snap, scratch, made_at)  # type: ignore[arg-type]
            raw.flush()
            os.fsync(raw.fileno())
        outer = {**manifest, "archive": {"file": ARCHIVE, "bytes": counted.size,
                                         "sha256": counted.sha256.hexdigest()}}
        _write_json(work / MANIFEST, outer)
        _fsync(work)
        os.rename(work, final)
        _fsync(to)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Made(final, outer)
