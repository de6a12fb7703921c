"""The backup key and the encrypted stream a backup archive is written to.

The stream is AES-256-GCM in chunks (the STREAM construction of Hoang, Reyhanitabar,
Rogaway and Vizár): each chunk is sealed with a nonce made of its index and a last-chunk
flag, and the header is authenticated with every chunk. A flipped byte fails its chunk,
reordered chunks fail their index and a cut-off archive fails the flag, so nothing
unauthenticated ever reaches the tar reader, and neither side holds more than a chunk in
memory. Each archive has its own key, derived from the backup key and a random salt
(HKDF), so counters never repeat a nonce under one key.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import secrets
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from lantern.site.backup.errors import BackupDamaged, NoBackupKey, WrongBackupKey

MAGIC = b"LANTERN-BACKUP\x00\x01"
CHUNK = 1 << 20
TAG = 16
KEY_ID_BYTES = 8
SALT_BYTES = 32
HEADER = len(MAGIC) + KEY_ID_BYTES + SALT_BYTES + 4


class BackupKey:
    """32 random bytes, in a file outside every backup (LANTERN_BACKUP_KEY_FILE)."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) != 32:
            raise ValueError("a backup key is 32 bytes")
        self.raw = raw

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(b"lantern-backup-key|" + self.raw).digest()[:KEY_ID_BYTES]

    @property
    def fingerprint(self) -> str:
        return self.key_id.hex()

    def archive_key(self, salt: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                    info=b"lantern-backup-archive-v1").derive(self.raw)


def key_file() -> Path:
    return Path(settings.LANTERN_BACKUP_KEY_FILE)


def load_key(path: Path | None = None) -> BackupKey:
    path = path or key_file()
    try:
        return BackupKey(base64.b64decode(path.read_text().strip(), validate=True))
    except FileNotFoundError:
        raise NoBackupKey(_("There is no backup key at %(path)s. Make one with `manage.py backup --init-key`, "
                            "then back up the keys (`manage.py backup --keys`).") % {"path": path}) from None
    except ValueError:
        raise NoBackupKey(_("The backup key file %(path)s does not hold a backup key.") % {"path": path}) from None


def create_key(path: Path | None = None) -> BackupKey:
    """A new key file (mode 0600); never over an existing one, whose backups need it."""
    path = path or key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = BackupKey(secrets.token_bytes(32))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(key.raw).decode() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only file: what is written reaches ``sink`` sealed, chunk by chunk."""

    def __init__(self, sink: BinaryIO, key: BackupKey) -> None:
        salt = secrets.token_bytes(SALT_BYTES)
        self._header = MAGIC + key.key_id + salt + CHUNK.to_bytes(4, "big")
        self._aead = AESGCM(key.archive_key(salt))
        self._sink, self._buffer, self._index = sink, bytearray(), 0
        sink.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        # Strictly more than a chunk: the last chunk is only known at close.
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        self._sink.write(self._aead.encrypt(_nonce(self._index, last), plain, self._header))
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


def read_header(source: BinaryIO, key: BackupKey) -> bytes:
    header = source.read(HEADER)
    if len(header) != HEADER or not header.startswith(MAGIC):
        raise BackupDamaged(_("This is not a Lantern backup archive, or its beginning is damaged."))
    found = header[len(MAGIC):len(MAGIC) + KEY_ID_BYTES]
    if found != key.key_id:
        raise WrongBackupKey(_("This backup was encrypted under the backup key %(found)s, not under the key given "
                               "(%(given)s). Use the key it was made with (--key-file).")
                             % {"found": found.hex(), "given": key.fingerprint})
    if int.from_bytes(header[-4:], "big") != CHUNK:
        raise BackupDamaged()
    return header


class DecryptingReader(io.RawIOBase):
    """A read-only file over an archive: only authenticated bytes come out of it."""

    def __init__(self, source: BinaryIO, key: BackupKey) -> None:
        self._header = read_header(source, key)
        salt = self._header[len(MAGIC) + KEY_ID_BYTES:-4]
        self._aead, self._source = AESGCM(key.archive_key(salt)), source
        self._index, self._plain, self._offset, self._done = 0, b"", 0, False
        self._pending = source.read(CHUNK + TAG)

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        if self._done:
            return
        following = self._source.read(CHUNK + TAG)
        last = not following  # a chunk is the last one when nothing follows it
        try:
            self._plain = self._aead.decrypt(_nonce(self._index, last), self._pending, self._header)
        except InvalidTag:
            raise BackupDamaged() from None
        self._offset = 0
        self._index, self._pending, self._done = self._index + 1, following, last

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        while self._offset == len(self._plain) and not self._done:
            self._next_chunk()
        count = min(len(buffer), len(self._plain) - self._offset)
        buffer[:count] = memoryview(self._plain)[self._offset:self._offset + count]
        self._offset += count
        return count

    def finish(self) -> None:
        """Read to the end: a stream cut short, or with bytes after its last chunk, fails."""
        while not self._done:
            self._next_chunk()
        if self._source.read(1):
            raise BackupDamaged()


class Digesting(io.RawIOBase):
    """Passes reads or writes through, keeping their SHA-256 and length."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner, self.sha256, self.size = inner, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = self._inner.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sha256.update(data)
        self.size += len(data)
        return self._inner.write(data)
