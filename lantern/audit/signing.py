"""Ed25519 signatures over chain checkpoints (``cryptography``).

The private key lives in a file outside the database (settings.LANTERN_AUDIT_SIGNING_KEY),
so someone who can rewrite the database cannot forge a checkpoint."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from lantern.audit.models import ChainHead, Checkpoint


def _load_or_create(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


@lru_cache(maxsize=4)
def _key(path: str) -> Ed25519PrivateKey:
    return _load_or_create(Path(path))


def signing_key() -> Ed25519PrivateKey:
    return _key(str(settings.LANTERN_AUDIT_SIGNING_KEY))


def fingerprint(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _message(seq: int, entry_hash: str) -> bytes:
    return f"lantern-audit-checkpoint|{seq}|{entry_hash}".encode()


def sign_head() -> Checkpoint | None:
    """Sign the newest entry; None when the chain is empty."""
    head = ChainHead.objects.filter(id=1).first()
    if head is None or head.seq == 0:
        return None
    key = signing_key()
    return Checkpoint.objects.create(
        seq=head.seq, hash=head.hash, signed_at=timezone.now(), key_fingerprint=fingerprint(key),
        signature=key.sign(_message(head.seq, head.hash)).hex(),
    )


def verify_checkpoint(cp: Checkpoint) -> bool:
    key = signing_key()
    if cp.key_fingerprint != fingerprint(key):
        return False
    try:
        key.public_key().verify(bytes.fromhex(cp.signature), _message(cp.seq, cp.hash))
    except (InvalidSignature, ValueError):
        return False
    return True
