"""The keys, backed up apart from the data: one file sealed under a passphrase.

What it holds: the master key file (identity fields and evidence data keys), the audit
signing key and the public keys of every signing key that ever signed, the Django secret
key (idempotency records are sealed under it) and the backup key itself. A data backup
without this file reads no identity; this file without the data is a few keys. Keep it
offline, in two places, and the passphrase apart from both.

The passphrase comes from a file or from LANTERN_BACKUP_PASSPHRASE, never from the command
line (``ps`` and shell histories show those). The key is derived with scrypt (N=2**17,
r=8, p=1: 128 MiB and most of a second per guess) and seals the whole file with
AES-256-GCM, its header authenticated.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit import keys as audit_keys
from lantern.core.management.commands.init_keys import database_holds_tokens
from lantern.site.backup.errors import BackupDamaged, BadPassphrase, RestoreRefused
from lantern.site.backup.stream import key_file as backup_key_file

MAGIC = b"LANTERN-KEYS\x00\x01"
FORMAT = "lantern-keys/1"
SCRYPT = (17, 8, 1)  # log2 N, r, p
MIN_PASSPHRASE = 16
PASSPHRASE_ENV = "LANTERN_BACKUP_PASSPHRASE"  # noqa: S105 - the variable's name, not a passphrase
LOCAL_PROVIDER = "lantern.core.vault.keys.LocalKeyFile"
PUBLIC = "audit_public_keys/"
PUBLIC_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}\.pem$")


@dataclass(frozen=True)
class KeyFile:
    name: str
    path: Path
    mode: int = 0o600


def _secret_key_file() -> Path:
    named = os.environ.get("LANTERN_SECRET_KEY_FILE")
    return Path(named) if named else Path(settings.GENERATED_SECRET_KEY_FILE)


def key_files() -> list[KeyFile]:
    """This installation's key files, where its settings put them."""
    found = [KeyFile("audit_signing_key", audit_keys.key_path()), KeyFile("secret_key", _secret_key_file()),
             KeyFile("backup_key", backup_key_file())]
    if settings.LANTERN_KEY_PROVIDER == LOCAL_PROVIDER:
        found.insert(0, KeyFile("master_keys", Path(settings.LANTERN_KEY_FILE)))
    public = audit_keys.public_dir()
    if public.is_dir():
        found += [KeyFile(PUBLIC + pem.name, pem, 0o644) for pem in sorted(public.glob("*.pem"))]
    return found


def target_of(name: str) -> KeyFile | None:
    if name.startswith(PUBLIC):
        pem = name.removeprefix(PUBLIC)
        return KeyFile(name, audit_keys.public_dir() / pem, 0o644) if PUBLIC_NAME.match(pem) else None
    return next((k for k in key_files() if k.name == name), None)


def notes() -> list[str]:
    """What the bundle cannot hold, said to the operator."""
    said = []
    if settings.LANTERN_KEY_PROVIDER != LOCAL_PROVIDER:
        said.append(_("The master keys are held by %(provider)s: back them up there.")
                    % {"provider": settings.LANTERN_KEY_PROVIDER})
    if os.environ.get("LANTERN_SECRET_KEY"):
        said.append(_("The secret key comes from LANTERN_SECRET_KEY: keep it where that environment is defined."))
    return said


# --- the passphrase and the seal ---------------------------------------------------------
def passphrase(path: str | None) -> str:
    if path:
        try:
            text = Path(path).read_text().rstrip("\r\n")
        except OSError:
            raise BadPassphrase(_("The passphrase file %(path)s cannot be read.") % {"path": path}) from None
    else:
        text = os.environ.get(PASSPHRASE_ENV, "")
    if len(text) < MIN_PASSPHRASE:
        raise BadPassphrase(_("Give a passphrase of at least %(n)s characters in a file (--passphrase-file) or in "
                              "%(env)s; never on the command line.") % {"n": MIN_PASSPHRASE, "env": PASSPHRASE_ENV})
    return text


def _derive(secret: str, header: bytes) -> bytes:
    log_n, r, p = header[len(MAGIC)], header[len(MAGIC) + 1], header[len(MAGIC) + 2]
    salt = header[len(MAGIC) + 3:len(MAGIC) + 19]
    return Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p).derive(secret.encode())


def seal(payload: dict[str, Any], secret: str) -> bytes:
    header = MAGIC + bytes(SCRYPT) + secrets.token_bytes(16) + secrets.token_bytes(12)
    body = json.dumps(payload, sort_keys=True).encode()
    return header + AESGCM(_derive(secret, header)).encrypt(header[-12:], body, header)


def unseal(data: bytes, secret: str) -> dict[str, Any]:
    header = data[:len(MAGIC) + 3 + 16 + 12]
    if not header.startswith(MAGIC) or header[len(MAGIC)] > 22:  # 2**22: 4 GiB of scrypt, no honest file
        raise BackupDamaged(_("This is not a Lantern keys backup."))
    try:
        body = AESGCM(_derive(secret, header)).decrypt(header[-12:], data[len(header):], header)
    except InvalidTag:
        raise BackupDamaged(_("The passphrase is wrong, or the keys backup is damaged.")) from None
    return json.loads(body)


# --- backing up and restoring -----------------------------------------------------------
def backup_keys(*, to: Path, secret: str) -> tuple[Path, list[str]]:
    """Seal every key file there is into ``to``/lantern-keys-<time>.lkeys."""
    made_at = timezone.now().astimezone(dt.UTC)
    files = [{"name": k.name, "content": base64.b64encode(k.path.read_bytes()).decode()}
             for k in key_files() if k.path.is_file()]
    held = {f["name"] for f in files}
    missing = [k.name for k in key_files() if k.name not in held]
    payload = {"format": FORMAT, "made_at": made_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "files": files}
    to.mkdir(parents=True, exist_ok=True)
    target = to / made_at.strftime("lantern-keys-%Y%m%dT%H%M%SZ.lkeys")
    _write(target, seal(payload, secret), 0o600, exclusive=True)
    return target, missing


def newest_bundle(source: Path) -> Path:
    if source.is_dir():
        bundles = sorted(source.glob("lantern-keys-*.lkeys"))
        if not bundles:
            raise RestoreRefused(_("%(dir)s holds no keys backup (lantern-keys-*.lkeys).") % {"dir": source})
        return bundles[-1]
    return source


def _holds_protected_values() -> bool:
    """Whether replacing keys could strand data: the database holds values sealed under them."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not name.startswith("file:") and not Path(name).is_file():
        return False  # no database yet (and none made by looking)
    try:
        return database_holds_tokens()
    except OperationalError:  # no database yet (PostgreSQL): nothing is sealed under any key
        return False


def restore_keys(*, source: Path, secret: str, force: bool) -> list[tuple[str, str]]:
    """Put each key file of the bundle where this installation's settings want it. A file
    that differs is moved aside (``.replaced-<time>``), never deleted, and only when the
    database holds no value sealed under it, or with ``force``."""
    bundle = unseal(newest_bundle(source).read_bytes(), secret)
    if bundle.get("format") != FORMAT:
        raise BackupDamaged(_("This keys backup has a format this version does not read."))
    plan, outcome = [], []
    for entry in bundle["files"]:
        target, content = target_of(entry["name"]), base64.b64decode(entry["content"])
        if target is None:
            outcome.append((entry["name"], "skipped"))
        elif target.path.is_file() and target.path.read_bytes() == content:
            outcome.append((entry["name"], "unchanged"))
        else:
            plan.append((target, content))
    differing = [t.name for t, _content in plan if t.path.exists()]
    if differing and not force and _holds_protected_values():
        raise RestoreRefused(_("This installation already has other keys (%(names)s) and its database holds values "
                               "sealed under them. Pass --force to replace them (the old files are kept beside "
                               "them).") % {"names": ", ".join(differing)})
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for target, content in plan:
        if target.path.exists():
            os.replace(target.path, target.path.with_name(f"{target.path.name}.replaced-{stamp}"))
        _write(target.path, content, target.mode)
        outcome.append((target.name, "restored"))
    return outcome


def _write(path: Path, content: bytes, mode: int, *, exclusive: bool = False) -> None:
    """Written beside, synced and renamed (or linked, when it must be new): whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            os.link(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
