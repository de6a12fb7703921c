"""Master keys come from a key provider; the database never holds one.

The provider wraps and unwraps data keys (the envelope) and holds the blind-index key.
`LocalKeyFile` keeps them in a JSON file outside the database (mode 0600, generated on first
use like the audit signing key; back it up apart from the database, or every identity
is lost with it). A KMS or HSM provider implements the same four methods and is named in
LANTERN_KEY_PROVIDER; the wrapped data keys in the database then never leave it unwrapped
except in memory.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import secrets
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from lantern.core.errors import LanternError

log = logging.getLogger(__name__)
KEY_ID = re.compile(r"^[a-z0-9-]{1,32}$")
NONCE = 12


class KeyUnavailable(LanternError):
    code = "key_unavailable"
    status = 503
    default_message = _("An encryption key is missing, so protected fields cannot be read. "
                        "Ask the administrator to restore the key file from its backup.")


class KeyProvider(Protocol):
    def current_key_id(self) -> str: ...
    def wrap(self, data_key: bytes) -> tuple[str, bytes]: ...
    def unwrap(self, key_id: str, wrapped: bytes) -> bytes: ...
    def index_key(self) -> bytes: ...


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _aad(key_id: str) -> bytes:
    return f"lantern-data-key|{key_id}".encode()


class LocalKeyFile:
    """Master keys in a local file: {"current": id, "keys": {id: base64}, "index_key": base64}.

    The file is re-read when it changes (checked at most every RECHECK seconds), so a
    rotation reaches running workers without a restart."""

    RECHECK = 5.0

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._loaded: dict | None = None
        self._mtime = 0.0
        self._checked = 0.0

    # --- reading -------------------------------------------------------------------
    def _data(self, force: bool = False) -> dict:
        now = time.monotonic()
        if self._loaded is not None and not force and now - self._checked < self.RECHECK:
            return self._loaded
        with self._lock:
            self._checked = now
            if not self.path.exists():
                self._create()
            mtime = self.path.stat().st_mtime
            if self._loaded is None or mtime != self._mtime or force:
                self._loaded, self._mtime = json.loads(self.path.read_text()), mtime
            return self._loaded

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"current": "k1", "keys": {"k1": _b64(secrets.token_bytes(32))},
                "index_key": _b64(secrets.token_bytes(32))}
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return
        with os.fdopen(fd, "w") as fh:
            json.dump(body, fh)

    def _master(self, key_id: str) -> bytes:
        keys = self._data()["keys"]
        if key_id not in keys:
            keys = self._data(force=True)["keys"]  # rotated by another process just now?
        if key_id not in keys:
            log.error("master key %s is not in the key file %s", key_id, self.path)
            raise KeyUnavailable(details={"key_id": key_id})
        return base64.b64decode(keys[key_id])

    # --- the provider interface ----------------------------------------------------
    def current_key_id(self) -> str:
        return self._data()["current"]

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        key_id = self.current_key_id()
        nonce = secrets.token_bytes(NONCE)
        return key_id, nonce + AESGCM(self._master(key_id)).encrypt(nonce, data_key, _aad(key_id))

    def unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        return AESGCM(self._master(key_id)).decrypt(wrapped[:NONCE], wrapped[NONCE:], _aad(key_id))

    def index_key(self) -> bytes:
        return base64.b64decode(self._data()["index_key"])

    # --- administration (rotate_keys) ----------------------------------------------------
    def key_ids(self) -> list[str]:
        return sorted(self._data(force=True)["keys"])

    def add_key(self, key_id: str) -> None:
        """A new master key becomes current; old ones stay until no value uses them."""
        if not KEY_ID.match(key_id):
            raise ValueError("key ids are 1-32 characters of a-z, 0-9 and '-'")
        data = dict(self._data(force=True))
        if key_id in data["keys"]:
            raise ValueError(f"key {key_id!r} exists already")
        data["keys"] = {**data["keys"], key_id: _b64(secrets.token_bytes(32))}
        data["current"] = key_id
        self._write(data)

    def retire_key(self, key_id: str) -> None:
        data = dict(self._data(force=True))
        if key_id == data["current"]:
            raise ValueError("the current key cannot be retired")
        data["keys"] = {k: v for k, v in data["keys"].items() if k != key_id}
        self._write(data)

    def _write(self, data: dict) -> None:
        # Write beside, then rename: a reader sees the old file or the new one, never half.
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self._data(force=True)


@lru_cache(maxsize=4)
def _provider(path: str, dotted: str) -> KeyProvider:
    return import_string(dotted)(Path(path))


def provider() -> KeyProvider:
    return _provider(str(settings.LANTERN_KEY_FILE), settings.LANTERN_KEY_PROVIDER)
