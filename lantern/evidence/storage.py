"""Evidence files on disk, encrypted (AES-256-GCM, a key per file), outside any public
path: they leave only through evidence.services.read_file, which checks access, audits
the read and re-checks the SHA-256 taken at upload."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE = 12


def _path(file_uuid: str) -> Path:
    root = Path(settings.LANTERN_EVIDENCE_DIR)
    return root / file_uuid[:2] / f"{file_uuid}.bin"


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _sync_dir(path: Path) -> None:
    """A new name in a directory survives a power cut only once the directory is synced
    (POSIX): else a committed row could outlive its file's name."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(file_uuid: str, key: str, content: bytes) -> None:
    """Written beside and renamed into place: a file is whole or absent; durable before
    the caller's transaction commits its row."""
    path = _path(file_uuid)
    new_dir = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    if new_dir:
        _sync_dir(path.parent.parent)
    nonce = secrets.token_bytes(NONCE)
    sealed = nonce + AESGCM(base64.b64decode(key)).encrypt(nonce, content, file_uuid.encode())
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(sealed)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _sync_dir(path.parent)


class Tampered(Exception):
    """The stored file is not what was uploaded."""


def read(file_uuid: str, key: str, sha256: str) -> bytes:
    try:
        sealed = _path(file_uuid).read_bytes()
        content = AESGCM(base64.b64decode(key)).decrypt(sealed[:NONCE], sealed[NONCE:], file_uuid.encode())
    except (FileNotFoundError, InvalidTag, ValueError) as exc:
        raise Tampered(file_uuid) from exc
    if hashlib.sha256(content).hexdigest() != sha256:
        raise Tampered(file_uuid)
    return content


def written_before(cutoff: float) -> Iterator[tuple[str | None, Path]]:
    """Every file under the root last written before ``cutoff`` (a POSIX timestamp): a
    stored file with the uuid its name gives, or a partial write (``.tmp``, uuid None)
    that a process killed while writing left behind."""
    for path in Path(settings.LANTERN_EVIDENCE_DIR).glob("*/*"):
        try:
            if path.stat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:  # removed meanwhile (a concurrent sweep)
            continue
        if path.suffix == ".tmp":
            yield None, path
        elif path.suffix == ".bin":
            yield path.stem, path


def path_of(file_uuid: str) -> Path:
    """For the tests that tamper with a stored file."""
    return _path(file_uuid)
