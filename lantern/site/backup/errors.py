"""Why a backup or a restore stopped: each refusal carries a code (stable, for scripts and
tests) and a translated message for the operator."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lantern.core.errors import LanternError


class BackupError(LanternError):
    code = "backup_failed"
    status = 500
    default_message = _("The backup could not be made.")


class NoBackupKey(BackupError):
    code = "backup_key_missing"
    default_message = _("There is no backup key. Make one with `manage.py backup --init-key`, then back up "
                        "the keys (`manage.py backup --keys`).")


class WrongBackupKey(BackupError):
    code = "backup_wrong_key"
    default_message = _("This backup was encrypted under another backup key.")


class BackupDamaged(BackupError):
    code = "backup_damaged"
    default_message = _("This backup is damaged or has been altered: it was refused and nothing was restored.")


class BadPassphrase(BackupError):
    code = "backup_bad_passphrase"
    default_message = _("The passphrase is missing or too short.")


class RestoreRefused(BackupError):
    code = "restore_refused"
    default_message = _("The restore was refused; nothing was changed.")


class KeysMissing(RestoreRefused):
    code = "restore_keys_missing"
    default_message = _("The keys of this installation cannot read the backup's protected values. Restore the "
                        "keys first (`manage.py restore --keys`), or pass --without-keys to restore data whose "
                        "identities stay unreadable.")


class VerificationFailed(RestoreRefused):
    code = "restore_not_verified"
    default_message = _("The restored data did not pass its checks: nothing was moved into place.")
