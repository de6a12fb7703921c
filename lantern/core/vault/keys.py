"""Master keys come from a key provider; the database never holds one.

The provider wraps and unwraps data keys (the envelope) and holds the blind-index key.
`LocalKeyFile` keeps them in a JSON file outside the database (mode 0600, made by
`manage.py init_keys`, never implicitly; back it up apart from the database, or every
identity is lost with it). A KMS or HSM provider implements the same four methods and is named in
LANTERN_KEY_PROVIDER; the wrapped data keys in the database then never leave it unwrapped
except in memory.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
                # Never made here: a missing file (a volume not mounted, a wrong path) must
                # stop the application, not start a second set of keys beside the real one.
                log.error("the key file %s is missing; restore it, or run `manage.py init_keys` on a new "
                          "installation", self.path)
                raise KeyUnavailable(details={"key_file": "missing"})
            mtime = self.path.stat().st_mtime
            if self._loaded is None or mtime != self._mtime or force:
                self._loaded, self._mtime = json.loads(self.path.read_text()), mtime
            return self._loaded

    def exists(self) -> bool:
        return self.path.exists()

    def create(self) -> bool:
        """A new key file with a random key id; False if one exists already. Written
        beside and linked into place, so no reader ever sees half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        key_id = f"k-{secrets.token_hex(4)}"
        body = {"current": key_id, "keys": {key_id: _b64(secrets.token_bytes(32))},
                "index_key": _b64(secrets.token_bytes(32)), "retired": {}}
        tmp = self._write_beside(body)
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            return False
        finally:
            os.unlink(tmp)
        return True

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

    # --- administration (rotate_keys) ----------------------------------------------
    def key_ids(self) -> list[str]:
        return sorted(self._data(force=True)["keys"])

    def add_key(self, key_id: str) -> None:
        """A new master key becomes current; old ones stay until no value uses them."""
        if not KEY_ID.match(key_id):
            raise ValueError("key ids are 1-32 characters of a-z, 0-9 and '-'")
        with self._file_lock():
            data = dict(self._data(force=True))
            if key_id in data["keys"] or key_id in data.get("retired", {}):
                raise ValueError(f"key {key_id!r} exists already")
            data["keys"] = {**data["keys"], key_id: _b64(secrets.token_bytes(32))}
            data["current"] = key_id
            self._replace(data)

    def retire_key(self, key_id: str) -> None:
        """Moves a key to the file's archive: values under it no longer read, but a
        database backup from before the rotation can still be restored with it."""
        with self._file_lock():
            data = dict(self._data(force=True))
            if key_id == data["current"]:
                raise ValueError("the current key cannot be retired")
            data["retired"] = {**data.get("retired", {}), key_id: data["keys"][key_id]}
            data["keys"] = {k: v for k, v in data["keys"].items() if k != key_id}
            self._replace(data)

    def restore_key(self, key_id: str) -> None:
        with self._file_lock():
            data = dict(self._data(force=True))
            retired = dict(data.get("retired", {}))
            if key_id not in retired:
                raise ValueError(f"no retired key {key_id!r}")
            data["keys"] = {**data["keys"], key_id: retired.pop(key_id)}
            data["retired"] = retired
            self._replace(data)

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """One administrator at a time: two rotations at once could drop a key."""
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write_beside(self, data: dict) -> str:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:  # mkstemp makes it 0600
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        return tmp

    def _replace(self, data: dict) -> None:
        # Write beside, then rename: a reader sees the old file or the new one, never half.
        os.replace(self._write_beside(data), self.path)
        self._data(force=True)


@lru_cache(maxsize=4)
def _provider(path: str, dotted: str) -> KeyProvider:
    return import_string(dotted)(Path(path))


def provider() -> KeyProvider:
    return _provider(str(settings.LANTERN_KEY_FILE), settings.LANTERN_KEY_PROVIDER)
