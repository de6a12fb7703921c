"""The encrypted stream a backup is written to: whatever byte is flipped, cut off or added,
reading it fails before any altered byte comes out, and a wrong key is named as such; the
keys backup opens with its passphrase only."""

from __future__ import annotations

import io
import secrets

import pytest

from lantern.site.backup import keyring
from lantern.site.backup.errors import BackupDamaged, BadPassphrase, WrongBackupKey
from lantern.site.backup.stream import CHUNK, HEADER, BackupKey, DecryptingReader, EncryptingWriter

KEY = BackupKey(secrets.token_bytes(32))
PLAIN = secrets.token_bytes(2 * CHUNK + 12345)


def sealed(plain: bytes = PLAIN, key: BackupKey = KEY) -> bytes:
    sink = io.BytesIO()
    with EncryptingWriter(sink, key) as writer:
        for start in range(0, len(plain), 70_000):  # written in pieces, as tar writes
            writer.write(plain[start:start + 70_000])
    return sink.getvalue()


def read_all(data: bytes, key: BackupKey = KEY) -> bytes:
    reader = DecryptingReader(io.BytesIO(data), key)
    out = reader.read()
    reader.finish()
    return out


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_what_is_written_reads_back_whole(size):
    plain = secrets.token_bytes(size)
    assert read_all(sealed(plain)) == plain


def flipped(data: bytes, at: int) -> bytes:
    altered = bytearray(data)
    altered[at] ^= 0x01
    return bytes(altered)


@pytest.mark.parametrize("where", ["salt in the header", "first chunk", "a middle chunk", "the last byte"])
def test_one_flipped_byte_anywhere_is_refused(where):
    data = sealed()
    at = {"salt in the header": HEADER - 10, "first chunk": HEADER + 5, "a middle chunk": HEADER + CHUNK + 100,
          "the last byte": len(data) - 1}[where]
    with pytest.raises(BackupDamaged):
        read_all(flipped(data, at))


@pytest.mark.parametrize("change", ["cut after a whole chunk", "cut mid-chunk", "bytes appended",
                                    "a chunk left out"])
def test_a_stream_cut_short_lengthened_or_reordered_is_refused(change):
    data, whole = sealed(), HEADER + CHUNK + 16
    altered = {"cut after a whole chunk": data[:whole], "cut mid-chunk": data[:whole + 500],
               "bytes appended": data + b"\x00" * 16,
               "a chunk left out": data[:HEADER] + data[whole:]}[change]
    with pytest.raises(BackupDamaged):
        read_all(altered)


def test_a_wrong_key_is_named_before_anything_is_decrypted():
    other = BackupKey(secrets.token_bytes(32))
    with pytest.raises(WrongBackupKey) as refused:
        read_all(sealed(), other)
    assert KEY.fingerprint in str(refused.value.message) and other.fingerprint in str(refused.value.message)


def test_the_keys_backup_opens_with_its_passphrase_only():
    payload = {"format": keyring.FORMAT, "files": [{"name": "backup_key", "content": "a2V5"}]}
    box = keyring.seal(payload, "一句足够长的口令 long enough")
    assert keyring.unseal(box, "一句足够长的口令 long enough") == payload
    with pytest.raises(BackupDamaged):
        keyring.unseal(box, "一句足够长的口令 long enougH")
    with pytest.raises(BackupDamaged):
        keyring.unseal(flipped(box, len(box) - 3), "一句足够长的口令 long enough")


def test_a_short_or_absent_passphrase_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(keyring.PASSPHRASE_ENV, raising=False)
    with pytest.raises(BadPassphrase):
        keyring.passphrase(None)
    short = tmp_path / "short"
    short.write_text("too short\n")
    with pytest.raises(BadPassphrase):
        keyring.passphrase(str(short))
    monkeypatch.setenv(keyring.PASSPHRASE_ENV, "from the environment, long enough")
    assert keyring.passphrase(None) == "from the environment, long enough"
