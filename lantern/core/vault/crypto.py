"""Envelope encryption of single values (AES-256-GCM, `cryptography`).

Every value gets its own random data key; the data key is wrapped by the provider's
current master key and stored beside the ciphertext:

    e1.<master key id>.<nonce + wrapped data key>.<nonce + ciphertext>     (base64)

The ciphertext is bound to its column (associated data "app.model.field"), so a value
copied into another column does not decrypt. Rotation re-wraps the data key only
(`rewrap`): the ciphertext itself never changes, and a value reads the same before,
during and after a rotation.
"""

from __future__ import annotations

import base64
import secrets
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext_lazy as _

from lantern.core.errors import LanternError
from lantern.core.vault.keys import NONCE, provider

PREFIX = "e1"
_plaintext_mode: ContextVar[bool] = ContextVar("lantern_plaintext_mode", default=False)
# Values encrypted or decrypted in the current request: the logging filter blanks them
# out of any log line, whatever code path put them there (see people.redaction).
revealed: ContextVar[set[str] | None] = ContextVar("lantern_revealed", default=None)


# Outside a request (a management command, the deadline sweep) the most recent values
# this process has handled stand in, a bounded number of them.
_process_revealed: OrderedDict[str, None] = OrderedDict()
PROCESS_REVEALED_MAX = 4096


def remember(plaintext: str) -> None:
    if len(plaintext) < 2:
        return
    seen = revealed.get()
    if seen is not None:
        seen.add(plaintext)
        return
    _process_revealed[plaintext] = None
    _process_revealed.move_to_end(plaintext)
    while len(_process_revealed) > PROCESS_REVEALED_MAX:
        _process_revealed.popitem(last=False)


def revealed_now() -> list[str]:
    """The values the log filter blanks: this request's, or outside one this process's."""
    seen = revealed.get()
    return list(seen) if seen is not None else list(_process_revealed)


class UnreadableValue(LanternError):
    code = "unreadable_value"
    status = 500
    default_message = _("A protected value could not be decrypted. The administrator has been told.")


def _enc(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _dec(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_token(value: str) -> bool:
    return value.startswith(PREFIX + ".")


def encrypt(plaintext: str, *, context: str) -> str:
    remember(plaintext)
    if _plaintext_mode.get():
        return plaintext
    data_key = secrets.token_bytes(32)
    key_id, wrapped = provider().wrap(data_key)
    nonce = secrets.token_bytes(NONCE)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext.encode(), context.encode())
    return ".".join((PREFIX, key_id, _enc(wrapped), _enc(nonce + sealed)))


def _parts(token: str) -> tuple[str, bytes, bytes]:
    try:
        prefix, key_id, wrapped, sealed = token.split(".")
        if prefix != PREFIX:
            raise ValueError(prefix)
        return key_id, _dec(wrapped), _dec(sealed)
    except ValueError as exc:
        raise UnreadableValue(details={"reason": "not an encrypted value"}) from exc


def decrypt(token: str, *, context: str) -> str:
    if _plaintext_mode.get() and not is_token(token):
        return token
    key_id, wrapped, sealed = _parts(token)
    try:
        data_key = provider().unwrap(key_id, wrapped)
        plaintext = AESGCM(data_key).decrypt(sealed[:NONCE], sealed[NONCE:], context.encode()).decode()
    except InvalidTag as exc:
        raise UnreadableValue(details={"reason": "integrity check failed", "key_id": key_id}) from exc
    remember(plaintext)
    return plaintext


def key_id_of(token: str) -> str:
    return _parts(token)[0]


def rewrap(token: str) -> str:
    """The same value with its data key wrapped by the current master key."""
    key_id, wrapped, sealed = _parts(token)
    keys = provider()
    new_id, new_wrapped = keys.wrap(keys.unwrap(key_id, wrapped))
    return ".".join((PREFIX, new_id, _enc(new_wrapped), _enc(sealed)))


@contextmanager
def plaintext_mode() -> Iterator[None]:
    """Store and read values unencrypted: only for the benchmark that prices encryption
    against the same page without it. Nothing in the application enters this mode."""
    token = _plaintext_mode.set(True)
    try:
        yield
    finally:
        _plaintext_mode.reset(token)
