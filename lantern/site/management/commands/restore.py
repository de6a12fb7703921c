"""python manage.py restore: bring a backup back on a fresh installation, checked first.

  restore --keys --from FILE_OR_DIR [--passphrase-file F] [--force]   the keys, first
  restore --from DIR [--key-file F] [--force] [--without-keys]         then the data

Stop the application and its workers first. Exit status 0 only when everything was
checked and moved into place; otherwise nothing of the installation was changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from lantern.core.context import origin
from lantern.core.errors import LanternError
from lantern.site.backup import audited, keyring, stream
from lantern.site.backup.errors import NoBackupKey
from lantern.site.backup.restore import restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (the keys with --keys, first)."
    # The checks would read the database this command is about to replace.
    requires_system_checks: list[str] = []

    def _say(self, text: str) -> None:
        if not self.quiet:
            self.stdout.write(text)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="source", type=Path, required=True,
                            help="a backup directory, or a directory of backups (the newest is taken)")
        parser.add_argument("--keys", action="store_true", help="restore the keys from a keys backup")
        parser.add_argument("--passphrase-file", help=f"with --keys: the passphrase (else ${keyring.PASSPHRASE_ENV})")
        parser.add_argument("--key-file", type=Path, help="the backup key, if not at LANTERN_BACKUP_KEY_FILE")
        parser.add_argument("--force", action="store_true",
                            help="replace an installation that holds data (what it held is kept aside)")
        parser.add_argument("--without-keys", action="store_true",
                            help="restore although the master keys are missing (identities stay unreadable)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.quiet = options["verbosity"] == 0
        try:
            if options["keys"]:
                self._keys(options)
            else:
                self._data(options)
        except LanternError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc

    def _keys(self, options: dict[str, Any]) -> None:
        secret = keyring.passphrase(options["passphrase_file"])
        for name, outcome in keyring.restore_keys(source=options["source"], secret=secret, force=options["force"]):
            self._say(f"{outcome}: {name}")

    def _data(self, options: dict[str, Any]) -> None:
        try:
            key = stream.load_key(options["key_file"])
        except NoBackupKey:
            raise NoBackupKey(_("There is no backup key at %(path)s: restore the keys first (`manage.py restore "
                                "--keys`), or name the backup key's file with --key-file.")
                              % {"path": options["key_file"] or stream.key_file()}) from None
        done = restore(source=options["source"], key=key, force=options["force"],
                       without_keys=options["without_keys"])
        connections.close_all()  # the restored database is another file (or database) than the one opened
        with origin("cli"):
            audited.record_backup_restored(name=done.backup.name, manifest=done.manifest,
                                           replaced=bool(done.replaced), without_keys=options["without_keys"])
        manifest, counts = done.manifest, done.manifest["counts"]
        self._say(f"restored {done.backup.name} (made {manifest['made_at']}, Lantern "
                          f"{manifest['lantern_version']})")
        self._say(f"  verified: {counts['cases']} cases, {manifest['evidence']['files']} evidence files, "
                          f"{counts['audit_entries']} audit entries, chain head #{manifest['audit_head']['seq']}")
        for note in done.notes:
            self._say(f"  note: {note}")
        for path in done.replaced:
            self._say(f"  the replaced data is kept at {path}: remove it when satisfied")
