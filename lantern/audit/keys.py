"""The audit log's Ed25519 signing keys: the one in use, and every public key that ever signed.

The private key is a file outside the database (settings.LANTERN_AUDIT_SIGNING_KEY, made on
first use), so someone who can rewrite the database cannot forge a checkpoint or a tree
head. The public key of every key that ever signed is kept beside it, also outside the
database, as ``<key_id>.pem`` in the directory ``<key file name>-public/`` (by default
var/keys/audit-signing-public/): a table of keys could be handed a forger's key by whoever
can write the database. Back the directory up with the keys; a court gets the public keys
from /api/v1/audit/keys, or better from an earlier published copy.

A key is named by its key_id, the hex SHA-256 of its raw 32-byte public key (RFC 8032), and a
file whose name is not its own key_id is ignored. ``rotate`` (``manage.py
audit_rotate_signing_key``) makes a new key and replaces the old private key, whose public key
stays in the directory, so what it signed still verifies; the old private key is destroyed, so
nothing signed from now on can claim the old key.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


def key_path() -> Path:
    return Path(settings.LANTERN_AUDIT_SIGNING_KEY)


def public_dir() -> Path:
    path = key_path()
    return path.with_name(f"{path.name.removesuffix('.pem')}-public")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def fingerprint(key: Ed25519PrivateKey) -> str:
    return key_id(key.public_key())


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    # A crash leaves the old file or the new one, never half of one.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _archive(public: Ed25519PublicKey) -> None:
    target = public_dir() / f"{key_id(public)}.pem"
    if not target.exists():
        _write_atomically(target, public_pem(public).encode(), 0o644)


@lru_cache(maxsize=4)
def _load(path: str, stamp: tuple[int, int]) -> Ed25519PrivateKey:
    # Cached by the file's inode and mtime: a rotation by another process is seen at once.
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    _archive(key.public_key())
    return key


def signing_key() -> Ed25519PrivateKey:
    """The key in use, made on first use (and its public key archived)."""
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_private_pem(Ed25519PrivateKey.generate()))
    st = path.stat()
    return _load(str(path), (st.st_ino, st.st_mtime_ns))


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every public key that ever signed, by key_id (the current one included)."""
    keys = {fingerprint(signing_key()): signing_key().public_key()}
    for pem in sorted(public_dir().glob("*.pem")):
        try:
            public = serialization.load_pem_public_key(pem.read_bytes())
        except ValueError:
            continue
        if isinstance(public, Ed25519PublicKey) and key_id(public) == pem.stem:
            keys[pem.stem] = public
    return keys


def rotate(new: Ed25519PrivateKey) -> None:
    """Make ``new`` the key in use; the old one's public key stays in the directory."""
    signing_key()  # archives the old public key if it is not there yet
    _archive(new.public_key())
    _write_atomically(key_path(), _private_pem(new), 0o600)
    _load.cache_clear()
