"""Evidence files on disk, encrypted (AES-256-GCM, a key per file), outside any public
path: they leave only through evidence.services.read_file, which checks access, audits
the read and re-checks the SHA-256 taken at upload."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import tempfile
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


def write(file_uuid: str, key: str, content: bytes) -> None:
    """Written beside and renamed into place: a file is whole or absent."""
    path = _path(file_uuid)
    path.parent.mkdir(parents=True, exist_ok=True)
    nonce = secrets.token_bytes(NONCE)
    sealed = nonce + AESGCM(base64.b64decode(key)).encrypt(nonce, content, file_uuid.encode())
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(sealed)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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


def path_of(file_uuid: str) -> Path:
    """For the tests that tamper with a stored file."""
    return _path(file_uuid)
