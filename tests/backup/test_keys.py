"""The keys backup (`backup --keys`, `restore --keys`): every key file comes back where this
installation's settings keep it, with owner-only permissions; keys that differ from the
installation's own are not replaced while its database holds values sealed under them,
and when replaced (--force) the old files are kept beside the new."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest

from lantern.site.backup import keyring
from lantern.site.backup.errors import RestoreRefused
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

PASSPHRASE = "五个随机的词 make a passphrase"
NAMES = ["master-keys.json", "audit-signing.pem", "secret_key", "backup.key"]


@pytest.fixture
def installation(settings, monkeypatch):
    """Points this process's key settings at a directory, as another installation's."""
    monkeypatch.delenv("LANTERN_SECRET_KEY_FILE", raising=False)
    monkeypatch.delenv("LANTERN_SECRET_KEY", raising=False)

    def at(root: Path) -> Path:
        root.mkdir(exist_ok=True)
        settings.LANTERN_KEY_FILE = root / "master-keys.json"
        settings.LANTERN_AUDIT_SIGNING_KEY = root / "audit-signing.pem"
        settings.GENERATED_SECRET_KEY_FILE = root / "secret_key"
        settings.LANTERN_BACKUP_KEY_FILE = root / "backup.key"
        return root

    return at


def with_keys(root: Path) -> dict[str, bytes]:
    contents = {name: secrets.token_hex(40).encode() for name in NAMES}
    contents["audit-signing-public/ab12.pem"] = b"public"
    for name, content in contents.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_bytes(content)
    return contents


def test_keys_come_back_where_this_installation_keeps_them_and_a_second_restore_changes_nothing(
        tmp_path, installation):
    old = with_keys(installation(tmp_path / "old"))
    bundle, missing = keyring.backup_keys(to=tmp_path / "offline", secret=PASSPHRASE)
    assert missing == []
    new = installation(tmp_path / "new")
    restored = keyring.restore_keys(source=bundle, secret=PASSPHRASE, force=False)
    assert sorted(outcome for _name, outcome in restored) == ["restored"] * 5
    for name, content in old.items():
        assert (new / name).read_bytes() == content
        mode = stat.S_IMODE((new / name).stat().st_mode)
        assert mode == (0o644 if name.endswith("ab12.pem") else 0o600), name
    again = keyring.restore_keys(source=tmp_path / "offline", secret=PASSPHRASE, force=False)
    assert {outcome for _name, outcome in again} == {"unchanged"}


@pytest.mark.django_db
def test_keys_that_differ_stay_while_the_database_holds_values_sealed_under_them(tmp_path, installation, units):
    Api(police(units)["intake"]).post("/cases", report())  # the database now holds sealed identities
    with_keys(installation(tmp_path / "old"))
    bundle, _missing = keyring.backup_keys(to=tmp_path / "offline", secret=PASSPHRASE)
    current = with_keys(installation(tmp_path / "current"))
    with pytest.raises(RestoreRefused):
        keyring.restore_keys(source=bundle, secret=PASSPHRASE, force=False)
    assert (tmp_path / "current" / "master-keys.json").read_bytes() == current["master-keys.json"]

    keyring.restore_keys(source=bundle, secret=PASSPHRASE, force=True)
    (kept,) = (tmp_path / "current").glob("master-keys.json.replaced-*")
    assert kept.read_bytes() == current["master-keys.json"]
