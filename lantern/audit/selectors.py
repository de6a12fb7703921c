"""Reads of the verifiable audit log: tree heads and public keys (proofs: lantern.audit.tree)."""

from __future__ import annotations

from lantern.audit import keys
from lantern.audit.models import TreeHead


def newest_tree_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size", "-id").first()


def public_keys_pem() -> list[tuple[str, str, bool]]:
    """(key_id, PEM, whether it is the key in use) for every key that ever signed."""
    current = keys.fingerprint(keys.signing_key())
    return [(kid, keys.public_pem(public), kid == current) for kid, public in sorted(keys.public_keys().items())]
