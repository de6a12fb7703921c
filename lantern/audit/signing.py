"""Ed25519 signatures over the audit log (``cryptography``; keys in lantern.audit.keys).

Two statements are signed, both by the key in use and both naming it by key_id, so they
still verify after the key is rotated:

- a *checkpoint*: "the hash chain had this hash at this sequence number" (a rewrite of the
  whole chain, or a cut-off tail, no longer matches it);
- a *signed tree head* (RFC 9162 §4.10): "the Merkle tree of the first tree_size entries
  has this root", over the canonical JSON (sorted keys, no spaces) of tree_size, root_hash,
  timestamp and key_id. With the proofs of lantern.audit.tree, anyone holding the public
  keys can check an entry is in the log and the log was only appended to
  (lantern.audit.verify_proofs, without the database).
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from lantern.audit import chain, keys, tree
from lantern.audit.models import ChainHead, Checkpoint, TreeHead
from lantern.audit.selectors import newest_tree_head
from lantern.audit.services import seal_pending


def _message(seq: int, entry_hash: str) -> bytes:
    return f"lantern-audit-checkpoint|{seq}|{entry_hash}".encode()


def sign_head() -> Checkpoint | None:
    """Sign the newest entry of the chain; None when the chain is empty."""
    head = ChainHead.objects.filter(id=1).first()
    if head is None or head.seq == 0:
        return None
    key = keys.signing_key()
    return Checkpoint.objects.create(
        seq=head.seq, hash=head.hash, signed_at=timezone.now(), key_fingerprint=keys.fingerprint(key),
        signature=key.sign(_message(head.seq, head.hash)).hex(),
    )


def _verified(public: Ed25519PublicKey | None, signature: bytes, message: bytes) -> bool:
    if public is None:
        return False
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def verify_checkpoint(cp: Checkpoint, public_keys: dict[str, Ed25519PublicKey] | None = None) -> bool:
    """By the key the checkpoint names: the one in use or a rotated one."""
    found = (public_keys if public_keys is not None else keys.public_keys()).get(cp.key_fingerprint)
    try:
        signature = bytes.fromhex(cp.signature)
    except ValueError:
        return False
    return _verified(found, signature, _message(cp.seq, cp.hash))


def tree_head_fields(head: TreeHead) -> dict[str, Any]:
    """What a tree head's signature covers, exactly as /api/v1/audit/tree-head shows it."""
    return {"tree_size": head.tree_size, "root_hash": head.root_hash,
            "timestamp": chain.canonical_time(head.timestamp), "key_id": head.key_id}


def tree_head_message(fields: dict[str, Any]) -> bytes:
    return chain.canonical_json(fields).encode()


def sign_tree_head(*, tree_size: int | None = None) -> TreeHead:
    """Sign the root of the first ``tree_size`` sealed entries (default: all of them)."""
    tree.extend(wait=True)
    size = tree.sealed_size() if tree_size is None else tree_size
    key = keys.signing_key()
    # Microseconds as stored, so the signed text is rebuilt exactly from the row.
    head = TreeHead(tree_size=size, root_hash=tree.root_hash(size).hex(), key_id=keys.fingerprint(key),
                    timestamp=timezone.now().astimezone(dt.UTC))
    head.signature = base64.b64encode(key.sign(tree_head_message(tree_head_fields(head)))).decode()
    head.save()
    return head


def verify_tree_head(head: TreeHead, public_keys: dict[str, Ed25519PublicKey] | None = None) -> bool:
    found = (public_keys if public_keys is not None else keys.public_keys()).get(head.key_id)
    try:
        signature = base64.b64decode(head.signature, validate=True)
    except ValueError:
        return False
    return _verified(found, signature, tree_head_message(tree_head_fields(head)))


def seal_and_sign(*, always: bool = False) -> tuple[int, TreeHead | None]:
    """Seal what is pending, extend the tree, and when the log grew since the newest tree
    head (or ``always``) sign a checkpoint and a tree head at the same entry. Returns
    (entries sealed, the new tree head or None)."""
    sealed = seal_pending()
    tree.extend(wait=True)
    newest = newest_tree_head()
    grew = tree.sealed_size() > (newest.tree_size if newest else -1)
    if not (grew or always):
        return sealed, None
    checkpoint = sign_head()
    return sealed, sign_tree_head(tree_size=checkpoint.seq if checkpoint else 0)
