"""Actions on the audit log itself."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lantern.audit import keys
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action


@action
def rotate_signing_key(*, actor: Any) -> tuple[str, str]:
    """Replace the signing key (its public key stays published); returns (old, new) key_id.

    The entry is written before the key file changes, so a failure of either leaves the
    old key in use and nothing recorded."""
    old, new = keys.fingerprint(keys.signing_key()), Ed25519PrivateKey.generate()
    record(actor=actor, action=Event.AUDIT_SIGNING_KEY_ROTATED, object_type="audit.signingkey",
           object_id=keys.fingerprint(new), details={"old_key_id": old, "new_key_id": keys.fingerprint(new)})
    keys.rotate(new)
    return old, keys.fingerprint(new)
